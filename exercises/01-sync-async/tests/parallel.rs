//! Exercise `parallel`: `run_parallel` runs every task on its own thread at the same time (并行).
//!
//! These tests never sleep and never time anything. They prove that tasks overlapped by making
//! each task wait at a [`Gate`] until all the others have started: that only works if they all
//! run at once. A sequential implementation makes the first task wait alone, and the test fails
//! after [`TIMEOUT`].

use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Instant;

use sync_async::Task;
use sync_async::parallel::run_parallel;
use test_support::{Deadline, Gate, TIMEOUT, within};

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

#[test]
fn span_times_enclose_the_work() {
    let gate = Arc::new(Gate::new(NAMES.len()));
    let ran_at: Arc<Mutex<Vec<(&str, Instant)>>> = Arc::default();
    let tasks = NAMES
        .iter()
        .map(|&name| {
            let (gate, ran_at) = (Arc::clone(&gate), Arc::clone(&ran_at));
            Task::new(name, move || {
                gate.wait();
                ran_at.lock().unwrap().push((name, Instant::now()));
                0
            })
        })
        .collect();
    let spans = run_parallel(tasks);

    assert_all_met(&gate);
    let ran_at = ran_at.lock().unwrap().clone();
    assert_eq!(spans.len(), NAMES.len(), "expected one span per task");
    for span in &spans {
        let (_, at) = ran_at
            .iter()
            .find(|(name, _)| *name == span.name)
            .unwrap_or_else(|| panic!("task {} never ran", span.name));
        assert!(
            span.start <= *at && *at <= span.end,
            "span {} does not enclose its work: take `start` just before calling the work and \
             `end` just after it returns",
            span.name
        );
    }
}

/// Sends on its channel when dropped. Kept in a thread-local, it tells that its thread has
/// finished the closure it was spawned with and is exiting.
struct OnExit(mpsc::Sender<()>);

impl Drop for OnExit {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

thread_local! {
    static ON_EXIT: RefCell<Option<OnExit>> = const { RefCell::new(None) };
}

#[test]
fn each_span_ends_in_its_own_thread() {
    // Task `d` finishes first. Task `c` may finish only once `d`'s thread is exiting, which is
    // after `d`'s span was completed in that thread; then `b` after `c`'s, and `a` after `b`'s.
    // So spans completed in their own threads end in the order d, c, b, a. Ends taken by the
    // caller after joining in input order would come a, b, c, d instead.
    let deadline = Deadline::from_now();
    let mut exited: Option<mpsc::Receiver<()>> = None;
    let mut tasks = Vec::new();
    for (position, &name) in NAMES.iter().enumerate().rev() {
        let (on_exit, this_exited) = mpsc::channel();
        let wait_for = exited.replace(this_exited);
        tasks.push(Task::new(name, move || {
            if let Some(wait_for) = wait_for {
                // A timeout shows up below, in the order of the ends.
                let _ = wait_for.recv_timeout(deadline.remaining());
            }
            ON_EXIT.with(|slot| *slot.borrow_mut() = Some(OnExit(on_exit)));
            position as u64
        }));
    }
    tasks.reverse();
    let spans = run_parallel(tasks);

    let names: Vec<&str> = spans.iter().map(|span| span.name).collect();
    assert_eq!(names, NAMES, "the spans must come back in input order");
    for pair in spans.windows(2) {
        let (earlier, later) = (&pair[0], &pair[1]);
        assert!(
            later.end < earlier.end,
            "task {} finished (and its thread exited) before task {} finished, yet span {} does \
             not end first: take each span's `end` inside the task's thread, just after the \
             work returns, not in the caller after `join`",
            later.name,
            earlier.name,
            later.name
        );
    }
}

#[test]
fn a_panicking_task_reaches_the_caller() {
    // Task `a` panics at once; the other three wait for each other, then finish.
    let gate = Arc::new(Gate::new(NAMES.len() - 1));
    let finished = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<Task> = NAMES
        .iter()
        .map(|&name| {
            if name == "a" {
                return Task::new(name, || panic!("task a gave up"));
            }
            let (gate, finished) = (Arc::clone(&gate), Arc::clone(&finished));
            Task::new(name, move || {
                gate.wait();
                finished.fetch_add(1, Ordering::SeqCst);
                0
            })
        })
        .collect();
    let result = within("run_parallel with a task that panics", move || {
        panic::catch_unwind(AssertUnwindSafe(|| run_parallel(tasks)))
    });

    let payload = match result {
        Ok(spans) => panic!(
            "task a panicked, yet run_parallel returned {} spans as if nothing had happened: \
             `join` gives a thread's panic back as an `Err`; pass it on to the caller",
            spans.len()
        ),
        Err(payload) => payload,
    };
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not a text)");
    assert!(
        message.contains("task a gave up"),
        "run_parallel panicked with {message:?}, not with the task's own message: hand the `Err` \
         from `join` on with std::panic::resume_unwind"
    );
    assert_eq!(
        finished.load(Ordering::SeqCst),
        NAMES.len() - 1,
        "run_parallel passed the panic on before the other tasks had finished: join every \
         thread first (a scope does that for you), then pass the panic on"
    );
}
