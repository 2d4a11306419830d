//! Exercise `parallel`: parallel (并行), every task on its own thread at the same time.
//!
//! The notes call this "真正的异步", true async: both tasks are running at the same instant.
//! Rust threads are operating-system threads, so unlike Python's threads (held back by the GIL)
//! they really do run at the same time on different cores.

use crate::{Span, Task};

/// Runs every task in `tasks` on a thread of its own, all at the same time, waits for all of
/// them, and returns one [`Span`] per task **in input order** (not in the order they finished).
///
/// Start one thread per task with [`std::thread::scope`] and `Scope::spawn` (or with
/// [`std::thread::spawn`]). Inside the thread, record the [`Span`] just as `run_sequential` does:
/// the start time, the value returned by `(task.work)()`, the end time, and the id of the thread
/// the work ran on ([`std::thread::current`]`().id()`). Each thread returns its span, and
/// [`std::thread::ScopedJoinHandle::join`] hands it back.
///
/// Careful: spawn *every* thread before you join *any* of them. Iterators are lazy, so a single
/// chain that spawns a thread and joins it before spawning the next runs the tasks one at a time.
///
/// If a task panics, `run_parallel` panics too, with that task's own panic (the payload `join`
/// returns as its `Err`; hand it on with [`std::panic::resume_unwind`]), once the other tasks
/// have finished. It never returns fewer spans than tasks.
///
/// The tests (`tests/parallel.rs`) check that:
///
/// - all the tasks are running at the same moment: each task waits until every other task has
///   started, so an implementation that runs them one by one fails (after a 10 s timeout);
/// - the spans overlap: the latest `start` comes before the earliest `end`;
/// - each task runs on a thread of its own, which is not the caller's thread, and its span names
///   that thread;
/// - each span's `start` and `end` are taken in the task's own thread, around the work: a task
///   that finishes later has a later `end`, whatever the order of the joins;
/// - a task's panic reaches the caller with its own message, after the other tasks finished;
/// - the spans come back in input order even when the tasks finish in reverse order;
/// - an empty list gives an empty result.
#[allow(unused_variables)]
pub fn run_parallel(tasks: Vec<Task>) -> Vec<Span> {
    todo!("spawn one thread per task, then join them all in input order")
}
