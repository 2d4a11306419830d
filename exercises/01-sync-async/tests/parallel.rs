//! Exercise `parallel`: `run_parallel` runs every task on its own thread at the same time (并行).
//!
//! These tests never sleep and never time anything. They prove that tasks overlapped by making
//! each task wait at a [`Gate`] until all the others have started: that only works if they all
//! run at once. A sequential implementation makes the first task wait alone, and the test fails
//! after [`TIMEOUT`].

use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use sync_async::Task;
use sync_async::parallel::run_parallel;
use test_support::{Deadline, Gate, TIMEOUT};

const NAMES: [&str; 4] = ["a", "b", "c", "d"];

/// One task per name; each waits at `gate` and returns its position in `NAMES`.
fn gated_tasks(gate: &Arc<Gate>) -> Vec<Task> {
    NAMES
        .iter()
        .zip(0..)
        .map(|(&name, value)| {
            let gate = Arc::clone(gate);
            Task::new(name, move || {
                gate.wait();
                value
            })
        })
        .collect()
}

fn assert_all_met(gate: &Gate) {
    assert!(
        gate.opened(),
        "only {} of {} tasks were running at the same time (waited {} s for the rest): \
         run_parallel must start every task on a thread of its own before it waits for any of \
         them",
        gate.arrived_together(),
        NAMES.len(),
        TIMEOUT.as_secs()
    );
}

#[test]
fn all_tasks_run_at_the_same_time() {
    let gate = Arc::new(Gate::new(NAMES.len()));
    let spans = run_parallel(gated_tasks(&gate));

    assert_all_met(&gate);
    assert_eq!(spans.len(), NAMES.len(), "expected one span per task");
}

#[test]
fn spans_overlap() {
    // Every task starts, then waits at the gate until all have started, and only then returns.
    // So each span starts before the gate opens and ends after it: the latest start comes before
    // the earliest end.
    let gate = Arc::new(Gate::new(NAMES.len()));
    let spans = run_parallel(gated_tasks(&gate));

    assert_all_met(&gate);
    assert_eq!(spans.len(), NAMES.len(), "expected one span per task");
    let latest_start = spans.iter().max_by_key(|span| span.start).unwrap();
    let earliest_end = spans.iter().min_by_key(|span| span.end).unwrap();
    assert!(
        latest_start.start < earliest_end.end,
        "span {} ends before span {} starts, yet the tasks did run at the same time: take each \
         span's `start` and `end` inside its thread, just before and just after the work",
        earliest_end.name,
        latest_start.name
    );
}

#[test]
fn each_task_runs_on_a_thread_of_its_own() {
    let caller = thread::current().id();
    let seen: Arc<Mutex<Vec<(&str, ThreadId)>>> = Arc::default();
    let gate = Arc::new(Gate::new(NAMES.len()));
    let tasks = NAMES
        .iter()
        .map(|&name| {
            let (seen, gate) = (Arc::clone(&seen), Arc::clone(&gate));
            Task::new(name, move || {
                seen.lock().unwrap().push((name, thread::current().id()));
                gate.wait();
                0
            })
        })
        .collect();
    let spans = run_parallel(tasks);

    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        NAMES.len(),
        "{} of {} tasks ran: run_parallel must run every task",
        seen.len(),
        NAMES.len()
    );
    for &(name, thread) in &seen {
        assert_ne!(
            thread, caller,
            "task {name} ran on the caller's thread: run each task on a new thread"
        );
    }
    let distinct: HashSet<ThreadId> = seen.iter().map(|&(_, thread)| thread).collect();
    assert_eq!(
        distinct.len(),
        NAMES.len(),
        "{} tasks shared {} threads: give every task a thread of its own",
        NAMES.len(),
        distinct.len()
    );
    assert_eq!(spans.len(), NAMES.len(), "expected one span per task");
    for span in &spans {
        let &(_, thread) = seen
            .iter()
            .find(|&&(name, _)| name == span.name)
            .unwrap_or_else(|| panic!("no task named {} ran", span.name));
        assert_eq!(
            span.thread, thread,
            "span {} names thread {:?}, but the task ran on {thread:?}: take \
             std::thread::current().id() inside the task's thread",
            span.name, span.thread
        );
    }
}

#[test]
fn spans_come_back_in_input_order() {
    // Task `a` waits for `b` to finish, `b` for `c`, `c` for `d`: they finish in reverse order,
    // which is only possible if they all run at once. The result must still be in input order.
    let finished: Arc<Mutex<Vec<&str>>> = Arc::default();
    let deadline = Deadline::from_now();
    let mut next_done: Option<mpsc::Receiver<()>> = None;
    let mut tasks = Vec::new();
    for (position, &name) in NAMES.iter().enumerate().rev() {
        let (done, this_done) = mpsc::channel();
        let wait_for = next_done.replace(this_done);
        let finished = Arc::clone(&finished);
        tasks.push(Task::new(name, move || {
            if let Some(wait_for) = wait_for {
                // A timeout shows up below, in the order of `finished`.
                let _ = wait_for.recv_timeout(deadline.remaining());
            }
            finished.lock().unwrap().push(name);
            // The receiver may be gone already; a timeout shows up in `finished` either way.
            let _ = done.send(());
            position as u64
        }));
    }
    tasks.reverse();
    let spans = run_parallel(tasks);

    let finished = finished.lock().unwrap().clone();
    assert_eq!(
        finished,
        ["d", "c", "b", "a"],
        "each task waits (at most {} s) for the next one to finish, so they should have finished \
         in reverse order; they finished in the order {finished:?}: run_parallel must start \
         every task before it waits for any of them",
        TIMEOUT.as_secs()
    );
    let order: Vec<(&str, u64)> = spans.iter().map(|span| (span.name, span.value)).collect();
    assert_eq!(
        order,
        [("a", 0), ("b", 1), ("c", 2), ("d", 3)],
        "the spans must come back in input order with each task's value, not in the order the \
         tasks finished"
    );
}

#[test]
fn empty_input_gives_no_spans() {
    let spans = run_parallel(Vec::new());
    assert!(
        spans.is_empty(),
        "no tasks should give no spans, got {spans:?}"
    );
}
