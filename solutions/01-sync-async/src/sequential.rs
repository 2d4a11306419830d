//! Exercise `sequential`: sync (同步), one task after the other.
//!
//! The notes: "先执行任务a，再执行任务b" — first run task a, then task b. Nothing else happens
//! while a task runs, and the next task starts only when the previous one has finished.

use std::thread;
use std::time::Instant;

use crate::{Span, Task};

/// Runs `tasks` one after the other on the caller's thread, in the order given, and returns one
/// [`Span`] per task, in the same order.
pub fn run_sequential(tasks: Vec<Task>) -> Vec<Span> {
    // Every task runs right here, so they all share the caller's thread id.
    let thread = thread::current().id();
    // `into_iter` hands over each `Task` by value: calling a `Box<dyn FnOnce>` consumes it.
    // `map` is lazy, but `collect` drives it one task at a time, in order; the next task starts
    // only when the previous call to `work` has returned. That is all "sync" means.
    tasks
        .into_iter()
        .map(|task| {
            let start = Instant::now();
            let value = (task.work)();
            let end = Instant::now();
            Span {
                name: task.name,
                value,
                thread,
                start,
                end,
            }
        })
        .collect()
}
