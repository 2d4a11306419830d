//! Exercise `round_robin`: concurrent (并发), "pseudo-async" on a single thread.
//!
//! The notes: "伪异步，通过计算机的快速切换，达到同时运行的假象" — pseudo-async: the computer
//! switches between tasks so fast that they look as if they run at the same time. Here the
//! switching is done by hand, with no extra threads at all.
//!
//! A task is an iterator: each call to `next()` runs one step of the task and returns what the
//! step did (for example `"a1"`), or `None` when the task is finished. The tasks are
//! `Box<dyn Iterator>` without `Send`, so the compiler would not even let you move them to
//! another thread: this exercise is concurrency without parallelism.

/// Runs the `tasks` by switching between them: one step of the first task, one step of the
/// second, and so on, then back to the first, until every task is finished. Returns the items
/// of the steps in the order the steps ran.
///
/// With tasks `a` (steps `a1 a2 a3`) and `b` (steps `b1 b2`) the result is
/// `a1 b1 a2 b2 a3`.
///
/// Rules:
///
/// - one step means one call to `next()`; take one step from each unfinished task in turn;
/// - a task is finished the first time its `next()` returns `None`: drop it, and never call
///   `next()` on it again (an iterator is allowed to return items again after a `None`);
/// - keep the order of the remaining tasks, and stop when no task is left;
/// - do not collect a task's items ahead of time: pulling step 2 of `a` before step 1 of `b`
///   would be running `a` for two steps in a row;
/// - do not spawn threads.
///
/// A [`std::collections::VecDeque`] makes a good run queue: pop a task from the front, take a
/// step, and push it to the back if it is not finished.
///
/// The tests (`tests/round_robin.rs`) check the log for equal and uneven tasks (one against a
/// snapshot), that each step is pulled exactly when it runs, that a finished task is never
/// stepped again, and empty input.
#[allow(unused_variables)]
pub fn round_robin(tasks: Vec<Box<dyn Iterator<Item = String>>>) -> Vec<String> {
    todo!("take one step from each unfinished task in turn")
}
