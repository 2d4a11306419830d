//! Exercise `per_thread`: `thread_local!`, a counter of which every thread has its own copy.
//!
//! The notes say that threads share globals (线程之间共享全局变量). A Rust `static` is shared by
//! every thread too, which is why it must be `Sync` (an atomic, a `Mutex`, ...). A
//! `thread_local!` static looks like a global, but each thread that touches it gets a fresh copy,
//! made on first use and dropped when the thread ends: Python's `threading.local()`.

/// Counts one call on the calling thread and returns how many calls this thread has made so far,
/// this one included: 1 on the first call on any thread, then 2, 3, ...
///
/// Keep the count in a `thread_local!` static, for example a `Cell<u32>` that starts at 0
/// (`static TICKS: Cell<u32> = const { Cell::new(0) };` inside `thread_local! { .. }`), and reach
/// it with `TICKS.with(|ticks| ..)` or with `Cell`'s own `TICKS.get()` and `TICKS.set(..)`.
///
/// The tests (`tests/per_thread.rs`) check that a new thread counts 1, 2, 3; that a thread
/// started after its parent ticked 5 times still starts from 1, and the parent then goes on
/// with 6; and, through [`ticks_on_threads`], that threads ticking at the same time each see
/// only their own count.
pub fn tick() -> u32 {
    todo!("a thread_local! counter")
}

/// Starts `threads` threads, all at once; each calls [`tick`] `ticks` times, calling
/// `after_tick(n)` right after each tick with the value `n` that tick returned, and collects
/// those values. Returns one `Vec` per thread, in the order the threads were started.
///
/// `after_tick` is shared by all the threads (it is `Sync`) and may borrow from the caller, so
/// use `std::thread::scope`. Start every thread before joining any: the tests make each thread
/// wait in `after_tick` until the others have ticked as often. If a thread panics, pass its
/// panic on (`std::panic::resume_unwind`).
///
/// The tests (`tests/per_thread.rs`) check that 3 threads that tick 4 times in step (each waits
/// at a gate after every tick, for at most 10 s) each see `[1, 2, 3, 4]`; that `after_tick` runs
/// on the ticking thread right after each tick (an `after_tick` that calls `tick()` itself makes
/// each thread see `[1, 3, 5, 7]`); that the caller's own count is untouched; that 0 threads give
/// an empty `Vec` and 0 ticks give empty lists; and a snapshot of `ticks_on_threads(4, 3, |_| ())`.
#[allow(unused_variables)]
pub fn ticks_on_threads(
    threads: usize,
    ticks: u32,
    after_tick: impl Fn(u32) + Sync,
) -> Vec<Vec<u32>> {
    todo!("start the threads in a scope; each ticks and calls after_tick")
}
