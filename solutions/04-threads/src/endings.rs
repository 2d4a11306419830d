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

use std::panic;
use std::process;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Starts a thread named [`WORKER`] that ends the process the way `ending` says, and waits for it
/// (see the exercise's stub for the full description of each way).
pub fn end_in_thread(ending: Ending) -> io::Result<Survived> {
    let named = || thread::Builder::new().name(WORKER.to_owned());
    match ending {
        Ending::PanicInThread => {
            let worker = named().spawn(give_up)?;
            match worker.join() {
                Ok(()) => Err(io::Error::other("the worker did not panic")),
                Err(payload) => Ok(Survived::Panicked(message(&*payload))),
            }
        }
        Ending::ExitFromThread(code) => {
            let worker = named().spawn(move || {
                println!("{}: exiting with code {code}", name());
                process::exit(i32::from(code))
            })?;
            joined(worker)
        }
        Ending::StackOverflow => {
            let worker = named().spawn(|| {
                println!("{}: recursing", name());
                recurse(0)
            })?;
            joined(worker)
        }
        Ending::AbortOnPanic => {
            let report = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                report(info);
                process::abort()
            }));
            let worker = named().spawn(give_up)?;
            joined(worker)
        }
        Ending::RayonSpawnPanic => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|_| WORKER.to_owned())
                .build()
                .map_err(io::Error::other)?;
            pool.spawn(|| panic!("{PANIC_MESSAGE}"));
            // rayon aborts the process when the job panics; until then, wait.
            loop {
                thread::park();
            }
        }
        Ending::MainReturns => {
            let (started, has_started) = mpsc::channel();
            named().spawn(move || {
                println!("{}: started", name());
                let _ = started.send(());
                thread::sleep(Duration::from_secs(60));
                println!("{}: finished", name());
            })?;
            has_started
                .recv()
                .map_err(|_| io::Error::other("the worker ended before it started"))?;
            Ok(Survived::LeftRunning)
        }
    }
}

/// Joins a worker that should have ended the process before it could return.
fn joined<T>(worker: thread::JoinHandle<T>) -> io::Result<Survived> {
    let _ = worker.join();
    Err(io::Error::other(
        "the worker returned, but it should have ended the process",
    ))
}

/// The worker's job for the panicking ways.
fn give_up() {
    panic!("{PANIC_MESSAGE}")
}

fn name() -> String {
    thread::current().name().unwrap_or("(unnamed)").to_owned()
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

/// Recursion that keeps every frame alive: the array is used after the call returns, so the
/// compiler cannot turn the calls into a loop.
fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth; 64]);
    if depth == u64::MAX {
        return 0;
    }
    let below = recurse(depth + 1);
    std::hint::black_box(&frame);
    below.wrapping_add(frame[7])
}
