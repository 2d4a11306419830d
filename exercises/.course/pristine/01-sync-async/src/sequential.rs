//! Exercise `sequential`: sync (同步), one task after the other.
//!
//! The notes: "先执行任务a，再执行任务b" — first run task a, then task b. Nothing else happens
//! while a task runs, and the next task starts only when the previous one has finished.

use crate::{Span, Task};

/// Runs `tasks` one after the other on the caller's thread, in the order given, and returns one
/// [`Span`] per task, in the same order.
///
/// For each task:
///
/// 1. take the start time with [`std::time::Instant::now`],
/// 2. call the task's work, `(task.work)()`, and keep the number it returns,
/// 3. take the end time,
/// 4. record a [`Span`] with the task's name, the value, the current thread's id
///    ([`std::thread::current`]`().id()`) and the two times.
///
/// Do not start any threads: everything runs on the thread that called `run_sequential`.
///
/// The tests (`tests/sequential.rs`) check that:
///
/// - the tasks run in input order and the spans come back in that order, with the right values;
/// - every task runs on the caller's thread, and each span names that thread;
/// - each span's `start` and `end` enclose the moment its work ran;
/// - no two tasks ever run at once: every span ends before the next one starts;
/// - an empty list gives an empty result.
#[allow(unused_variables)]
pub fn run_sequential(tasks: Vec<Task>) -> Vec<Span> {
    todo!("run each task in turn and record a Span for it")
}
