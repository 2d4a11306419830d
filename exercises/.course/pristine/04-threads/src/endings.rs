// Given by the course, down to the end-of-given line: keep it as it is.
//! Exercise `endings`: what ends the whole process, done in a named child thread.
//!
//! The notes say "if one thread dies, the whole process dies" (如果一个线程挂了，整个进程就挂了).
//! In Rust a panic stays in its thread: the process carries on, and `join` hands back an `Err`.
//! But some things do end every thread at once, wherever they happen. Each variant of [`Ending`]
//! is one of them (and one, [`Ending::PanicInThread`], is the panic that does not), and
//! [`end_in_thread`] does it in a thread named [`WORKER`].
//!
//! The crate's program, `src/main.rs`, runs `end_in_thread` for `threads end WAY` and, if it
//! returns, prints [`STILL_RUNNING`]. The tests start that program as a child process and look at
//! how it ended: its exit code or the signal that killed it, and its output. Try it by hand:
//!
//! ```text
//! cargo run -q -p threads -- end panic-in-thread; echo "exit code $?"
//! cargo run -q -p threads -- end stack-overflow; echo "exit code $?"
//! ```
//!
//! (A shell shows a process killed by signal N as exit code 128 + N: SIGABRT, 6, gives 134.)

use std::io;

/// The name of the thread that does the ending.
pub const WORKER: &str = "ender";

/// The message of the worker's panic, for [`Ending::PanicInThread`] and [`Ending::AbortOnPanic`].
pub const PANIC_MESSAGE: &str = "ender gives up";

/// The line the program prints when `end_in_thread` returned: the process survived.
pub const STILL_RUNNING: &str = "main still running";

/// A way for a thread to end, or try to end, its whole process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The worker panics. The notes expect the process to die; in Rust it does not.
    PanicInThread,
    /// The worker calls `std::process::exit` with this code.
    ExitFromThread(u8),
    /// The worker recurses until its stack runs out.
    StackOverflow,
    /// The worker panics after a panic hook has been set that aborts: the effect of
    /// `panic = "abort"` in a Cargo profile, for this one run.
    AbortOnPanic,
    /// A job that a rayon pool runs with `pool.spawn` panics.
    RayonSpawnPanic,
    /// The worker is still running when `main` returns.
    MainReturns,
}

/// How `end_in_thread` came back, for the ways that leave the process running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Survived {
    /// The worker panicked and `join` gave back `Err`: the panic's message.
    Panicked(String),
    /// The worker started and was left running; `main` is about to return.
    LeftRunning,
}

impl Ending {
    /// Reads a way from the program's arguments after `end`: `panic-in-thread`,
    /// `exit-from-thread CODE`, `stack-overflow`, `abort-on-panic`, `rayon-spawn-panic` or
    /// `main-returns`.
    ///
    /// # Errors
    ///
    /// A one-line message if the way is unknown or its arguments are wrong.
    pub fn parse(args: &[&str]) -> Result<Ending, String> {
        let ending = match args {
            ["panic-in-thread"] => Ending::PanicInThread,
            ["exit-from-thread", code] => Ending::ExitFromThread(
                code.parse()
                    .map_err(|_| format!("exit codes go from 0 to 255, not `{code}`"))?,
            ),
            ["stack-overflow"] => Ending::StackOverflow,
            ["abort-on-panic"] => Ending::AbortOnPanic,
            ["rayon-spawn-panic"] => Ending::RayonSpawnPanic,
            ["main-returns"] => Ending::MainReturns,
            _ => return Err(format!("unknown way to end: {args:?}")),
        };
        Ok(ending)
    }
}
// End of given.

/// Starts one thread named [`WORKER`] (with `std::thread::Builder`) that ends the process the way
/// `ending` says, and waits for it. Everything the worker prints or does, it does on its own
/// thread: the tests read its name in its output, so doing it on the caller's thread fails.
///
/// | `ending` | what the worker does | what `end_in_thread` does then |
/// |---|---|---|
/// | `PanicInThread` | `panic!` with [`PANIC_MESSAGE`] | joins it, and returns `Ok(Survived::Panicked(message))` with the message read from the `Err` that `join` gave (downcast the payload as in `harvest`) |
/// | `ExitFromThread(code)` | prints `ender: exiting with code CODE`, then `std::process::exit(code)` | joins it (the process ends before the join returns) |
/// | `StackOverflow` | calls a function that calls itself until the stack runs out (see below) | joins it |
/// | `AbortOnPanic` | `panic!` with [`PANIC_MESSAGE`] | before spawning: sets a panic hook that runs the previous hook (from `std::panic::take_hook()`, so the usual message is still printed) and then calls `std::process::abort()`; then joins it |
/// | `RayonSpawnPanic` | the worker is the only thread of a rayon pool (`ThreadPoolBuilder` with `num_threads(1)` and `thread_name`), and a job given to `pool.spawn` panics | waits for ever (for example `loop { std::thread::park() }`): rayon aborts the process |
/// | `MainReturns` | prints `ender: started`, tells the caller it has (a channel), sleeps 60 s, then would print `ender: finished` | waits until the worker has started, then returns `Ok(Survived::LeftRunning)` without joining it |
///
/// The worker prints its lines with `println!` and the name it reads itself, with
/// `std::thread::current().name()`: `ender: exiting with code 3`, `ender: started`.
///
/// For the stack overflow, a function that calls itself on every path gets the warning
/// `function cannot return without recursing`. To avoid it, give the function a base case that
/// never comes but that the compiler cannot rule out, such as
/// `if depth == u64::MAX { return 0; }` for a `depth` that grows by one per call. The tests build
/// in debug, where every call keeps its frame; but an optimised build turns some kinds of
/// recursion into a loop (a call at the very end of the function, with nothing left to do after
/// it), so that it never overflows. To overflow in both, keep something to do after the recursive
/// call, and keep a local array alive across it with `std::hint::black_box`, so that every call
/// needs a stack frame of its own.
///
/// A real program sets `panic = "abort"` in the `[profile]` section of its Cargo.toml instead of
/// the hook of `AbortOnPanic`. That applies to a whole build, not to one run, so this exercise
/// uses the hook: a panic then prints its message and aborts, which is what `panic = "abort"`
/// does.
///
/// The ways that end the process never return from the join. If a join comes back anyway, or
/// the panicking worker did not panic, return an error, such as
/// `io::Error::other("the worker should have ended the process")`. Return any error from
/// spawning the thread or building the pool (`io::Error::other(err)`).
///
/// The tests (`tests/endings.rs`) run `threads end WAY` as a child process (`src/main.rs` calls
/// this function and then prints [`STILL_RUNNING`]) and check: for `PanicInThread`, that
/// `thread 'ender' ... panicked` is on stderr, main reports the message and carries on, and the
/// exit code is 0; for `ExitFromThread(3)` and `(42)`, the worker's line and that exit code; for
/// `StackOverflow`, Rust's `thread 'ender' ... has overflowed its stack` and SIGABRT; for
/// `AbortOnPanic`, the usual panic message on `ender` and SIGABRT; for `RayonSpawnPanic`, the
/// panic on `ender`, rayon's `Rayon: detected unexpected panic; aborting` and SIGABRT; for
/// `MainReturns`, that `ender: started` comes before [`STILL_RUNNING`], `ender: finished` never
/// comes, and the exit code is 0. Only `PanicInThread` and `MainReturns` may print
/// [`STILL_RUNNING`]; a snapshot sums the six endings up.
#[allow(unused_variables)]
pub fn end_in_thread(ending: Ending) -> io::Result<Survived> {
    todo!("start the thread named WORKER and end the process from it")
}
