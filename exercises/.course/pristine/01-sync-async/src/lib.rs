// Given by the course, down to the end-of-given line: keep it as it is.
//! Chapter 1: sync, async, parallel and concurrent (同步、异步、并行、并发).
//!
//! The notes name the ways two tasks `a` and `b` can run:
//!
//! - 同步 (sync): run `a`, then `b`. That is [`sequential`].
//! - 异步 ("async" in the notes, meaning "at the same time"), which comes in two kinds:
//!   - 并行 (parallel), truly at the same time on several cores. That is [`parallel`].
//!   - 并发 (concurrent), "pseudo-async": one worker switches between the tasks so fast that they
//!     only look simultaneous. That is [`round_robin`].
//!
//! [`primes`] then puts parallelism to work on a CPU-bound job.
//!
//! This file is shared by all four exercises; you do not need to change it. Your work is in the
//! four modules, and `cargo test -p sync-async --test <module>` checks one of them.

use std::fmt;
use std::thread::ThreadId;
use std::time::Instant;

pub mod parallel;
pub mod primes;
pub mod round_robin;
pub mod sequential;

/// A named piece of work that computes a number.
///
/// The closure is boxed so that tasks built from different closures (each closure has its own
/// type) fit in one `Vec<Task>`. It is `FnOnce` because a task runs exactly once, and `Send` so
/// that it may be moved to another thread and run there, as [`parallel`] does.
pub struct Task {
    /// The task's name, used in logs and test messages.
    pub name: &'static str,
    /// The work itself; call it with `(task.work)()`.
    pub work: Box<dyn FnOnce() -> u64 + Send>,
}

impl Task {
    /// Makes a task named `name` that runs `work`.
    pub fn new(name: &'static str, work: impl FnOnce() -> u64 + Send + 'static) -> Self {
        Task {
            name,
            work: Box::new(work),
        }
    }
}

// A closure cannot be printed, so `#[derive(Debug)]` does not work here; print the name only.
impl fmt::Debug for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The record of one task's run: what it computed, where it ran and when.
///
/// A span is the evidence of *how* tasks ran. The tests compare the spans of different tasks:
/// spans on one thread that never overlap are sync (同步); spans on different threads that do
/// overlap are parallel (并行). `Instant` is a monotonic clock, so `start` and `end` of spans
/// taken on different threads can be compared with each other.
#[derive(Debug, Clone)]
pub struct Span {
    /// The [`Task::name`] of the task that ran.
    pub name: &'static str,
    /// What the task's work returned.
    pub value: u64,
    /// The thread the work ran on (`std::thread::current().id()` inside that thread).
    pub thread: ThreadId,
    /// Taken with `Instant::now()` just before the work was called.
    pub start: Instant,
    /// Taken with `Instant::now()` just after the work returned.
    pub end: Instant,
}
// End of given.
