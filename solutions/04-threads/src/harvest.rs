//! Exercise `harvest`: a panicking thread does not end the process; `join` says it panicked.

use std::any::Any;
use std::thread;

use crate::Job;

/// What [`panic_message`] gives for a payload that is neither a `&'static str` nor a `String`.
pub const NO_MESSAGE: &str = "(a panic without a message)";

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        NO_MESSAGE.to_owned()
    }
}

/// Runs every job on a thread of its own and returns one result per job, in input order.
pub fn harvest<T: Send + 'static>(jobs: Vec<Job<T>>) -> Vec<Result<T, String>> {
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();
    handles
        .into_iter()
        .map(|handle| handle.join().map_err(|payload| panic_message(&*payload)))
        .collect()
}
