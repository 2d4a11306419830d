//! Exercise `harvest`: a thread that panics does not end the process; `join` says it panicked.
//!
//! The notes say that if one thread dies, the whole process dies (如果一个线程挂了，整个进程就挂了).
//! In Rust a panic unwinds its own thread only. The thread's `JoinHandle::join` then returns
//! `Err(payload)`, where the payload is the value that `panic!` was given, as a
//! `Box<dyn Any + Send>`; the other threads, and the process, carry on.

use std::any::Any;

use crate::Job;

/// What [`panic_message`] gives for a payload that is neither a `&'static str` nor a `String`.
pub const NO_MESSAGE: &str = "(a panic without a message)";

/// The text of a panic payload.
///
/// `panic!("a literal")` carries a `&'static str`; `panic!("{x}")` and `panic!("..", x)` carry
/// a `String`; `std::panic::panic_any(value)` carries any value at all. Try both downcasts
/// (`payload.downcast_ref::<&'static str>()`, `payload.downcast_ref::<String>()`) and give
/// [`NO_MESSAGE`] for anything else.
///
/// The tests (`tests/harvest.rs`) call it with a `&'static str`, a `String` and a `u32`.
#[allow(unused_variables)]
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    todo!("downcast to &'static str, then to String")
}

/// Runs every job on a thread of its own and returns one result per job, **in input order**:
/// `Ok(value)` for a job that returned, `Err(message)` for one that panicked, with the message
/// from [`panic_message`].
///
/// Start every thread (`std::thread::spawn`) before joining any. A panic must not be lost: a
/// job that panicked gives `Err`, never a default value.
///
/// The tests (`tests/harvest.rs`) check that:
///
/// - of 5 jobs that all wait at a gate (10 s timeout) and of which number 3 then panics, all 5
///   arrive at the gate, the other 4 give their values, and number 3 gives `Err` with its message;
/// - a `&'static str`, a `String` and a `panic_any(1.5)` payload each give their message (or
///   [`NO_MESSAGE`]), next to a job that returns;
/// - no jobs give no results; and a snapshot of the 5 results when number 3 panics.
#[allow(unused_variables)]
pub fn harvest<T: Send + 'static>(jobs: Vec<Job<T>>) -> Vec<Result<T, String>> {
    todo!("spawn every job, then join each and turn an Err payload into its message")
}
