// Given by the course, down to the end-of-given line: keep it as it is.
//! Chapter 5: thread safety (线程安全) and locks (锁).
//!
//! The notes' fix for threads that change the same global is a lock: `lock.acquire()` before
//! the change, `lock.release()` after it, and "whoever grabs it first uses it" (谁先抢到谁先用).
//! Rust has the same lock, `std::sync::Mutex`, with two differences that this crate is about:
//! the lock *owns* the data it protects, so you cannot reach the data without taking the lock,
//! and there is no `release()`: the guard that `lock()` returns releases the lock when it is
//! dropped.
//!
//! Each exercise is one module, and `cargo test -p locks --test <module>` checks it:
//!
//! - [`counter`]: the notes' shared counter, exact, with a `Mutex`, with an atomic and with
//!   counts kept per thread;
//! - [`try_lock`]: the non-blocking acquire, which Python writes `lock.acquire(blocking=False)`;
//! - [`poison`]: what a thread that panics while holding the lock leaves behind, and how to
//!   recover;
//! - [`bank`]: a transfer between two accounts that cannot deadlock;
//! - [`philosophers`]: the dining philosophers, five threads and five forks.
//!
//! [`spin`] is given: a hand-made spin lock, a broken one and a working one, with the model
//! checker's tests that tell them apart. This file is given too: you do not need to change it.

pub mod bank;
pub mod counter;
pub mod philosophers;
pub mod poison;
pub mod spin;
pub mod try_lock;
// End of given.
