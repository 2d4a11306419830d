// Given by the course, down to the end-of-given line: keep it as it is.
//! Chapter 4: threads (线程).
//!
//! The notes say that a thread belongs to one process, that the system gives resources to
//! processes and runs threads (系统分配资源的单位是进程，系统执行的单位是线程), that threads share
//! the process's globals but not each other's locals, and that "if one thread dies, the whole
//! process dies" (如果一个线程挂了，整个进程就挂了). This crate checks each claim in Rust, one
//! exercise per module:
//!
//! - [`named_workers`]: Python's `Thread(target, name, args)`, `current_thread().name`, `start`
//!   and `join`, with `thread::Builder` and a `JoinHandle<T>` that hands back a result;
//! - [`harvest`]: a thread that panics does *not* take the process down; its `join` gives back
//!   an `Err`, and the panic's message can be read from it;
//! - [`per_thread`]: `thread_local!`, a variable of which every thread has its own copy;
//! - [`scoped_chunks`]: `thread::scope`, threads that borrow the caller's locals, no `Arc`;
//! - [`endings`]: what *does* end the whole process, done in a named child thread and proved by
//!   running this crate's program as a child process.
//!
//! This part of the file is given: you do not need to change it. Each exercise is one module, and
//! `cargo test -p threads --test <module>` checks it.

pub mod endings;
pub mod harvest;
pub mod named_workers;
pub mod per_thread;
pub mod scoped_chunks;

/// A job for one thread: a closure that runs once and returns a `T`.
///
/// It is `Send` because it moves to another thread, and `'static` because a thread started with
/// `thread::spawn` or `thread::Builder::spawn` may outlive the function that started it, so the
/// job may not borrow that function's locals (see [`scoped_chunks`] for threads that may).
/// Python's `Thread(target=f, args=(x,))` becomes `Box::new(move || f(x))`.
pub type Job<T> = Box<dyn FnOnce() -> T + Send + 'static>;

/// CPU-bound busy work: `rounds` steps of a xorshift generator, the chapter's benchmark job.
///
/// The same steps, in the same 64-bit arithmetic, are in `benches/scaling.py`, so Python and
/// Rust compute the same numbers and the benchmark can check that they did.
pub fn spin(rounds: u64) -> u64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..rounds {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x = x.wrapping_add(i);
    }
    x
}
// End of given.
