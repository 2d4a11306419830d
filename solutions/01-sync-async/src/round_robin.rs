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

use std::collections::VecDeque;

/// Runs the `tasks` by switching between them: one step of the first task, one step of the
/// second, and so on, then back to the first, until every task is finished. Returns the items
/// of the steps in the order the steps ran.
pub fn round_robin(tasks: Vec<Box<dyn Iterator<Item = String>>>) -> Vec<String> {
    // The run queue: the task at the front runs next. This is what an operating system's
    // scheduler does with threads, and what an async runtime does with futures, in miniature.
    let mut queue = VecDeque::from(tasks);
    let mut log = Vec::new();
    while let Some(mut task) = queue.pop_front() {
        // One step, then the task goes to the back of the queue and waits for its next turn.
        // A task that says `None` is finished: it is simply not put back, so it is dropped and
        // never asked again.
        if let Some(step) = task.next() {
            log.push(step);
            queue.push_back(task);
        }
    }
    log
}
