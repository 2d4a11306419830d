//! Exercise `sequential`: `run_sequential` runs tasks one after the other (同步).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Instant;

use sync_async::Task;
use sync_async::sequential::run_sequential;
use test_support::Gate;

const NAMES: [&str; 5] = ["a", "b", "c", "d", "e"];

/// What the tasks saw, as `(task name, observation)`, in the order they ran.
type Seen<T> = Arc<Mutex<Vec<(&'static str, T)>>>;

/// Five tasks; each pushes `record()`'s result to a shared list when it runs and returns its
/// position in `NAMES`.
fn recording_tasks<T: Send + 'static>(record: fn() -> T) -> (Vec<Task>, Seen<T>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let tasks = NAMES
        .iter()
        .zip(0..)
        .map(|(&name, value)| {
            let seen = Arc::clone(&seen);
            Task::new(name, move || {
                seen.lock().unwrap().push((name, record()));
                value
            })
        })
        .collect();
    (tasks, seen)
}

#[test]
fn runs_tasks_in_input_order() {
    let (tasks, seen) = recording_tasks(|| ());
    let spans = run_sequential(tasks);

    let ran: Vec<&str> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|&(name, ())| name)
        .collect();
    assert_eq!(
        ran, NAMES,
        "the tasks ran in the order {ran:?}: run_sequential must run every task once, in the \
         order of the input"
    );
    let names: Vec<&str> = spans.iter().map(|span| span.name).collect();
    assert_eq!(
        names, NAMES,
        "the spans came back in the order {names:?}: return one span per task, in input order"
    );
}

#[test]
fn returns_each_tasks_value() {
    let tasks = vec![
        Task::new("answer", || 6 * 7),
        Task::new("sum-1-to-100", || (1..=100).sum()),
        Task::new("zero", || 0),
        Task::new("big", || u64::MAX),
    ];
    let spans = run_sequential(tasks);

    let log: Vec<String> = spans
        .iter()
        .map(|span| format!("{} = {}", span.name, span.value))
        .collect();
    insta::with_settings!({
        description => "run_sequential's spans as `name = value`, in the order returned",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(log.join("\n"));
    });
}

#[test]
fn runs_on_the_callers_thread() {
    let caller = thread::current().id();
    let (tasks, seen) = recording_tasks(|| thread::current().id());
    let spans = run_sequential(tasks);

    let seen: Vec<(&str, ThreadId)> = seen.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        NAMES.len(),
        "{} of {} tasks ran: run_sequential must run every task",
        seen.len(),
        NAMES.len()
    );
    for (name, thread) in seen {
        assert_eq!(
            thread, caller,
            "task {name} ran on another thread: run_sequential must call the work itself, on the \
             caller's thread, without spawning threads"
        );
    }
    assert_eq!(spans.len(), NAMES.len(), "expected one span per task");
    for span in &spans {
        assert_eq!(
            span.thread, caller,
            "span {} names thread {:?}, but the task ran on the caller's thread {caller:?}: set \
             `thread` to std::thread::current().id()",
            span.name, span.thread
        );
    }
}

#[test]
fn span_times_enclose_the_work() {
    let (tasks, seen) = recording_tasks(Instant::now);
    let spans = run_sequential(tasks);

    let seen = seen.lock().unwrap().clone();
    assert_eq!(spans.len(), NAMES.len(), "expected one span per task");
    for span in &spans {
        let (_, ran_at) = seen
            .iter()
            .find(|(name, _)| *name == span.name)
            .unwrap_or_else(|| panic!("task {} never ran", span.name));
        assert!(
            span.start <= *ran_at,
            "span {} starts after its work ran: take `start` just before calling the work",
            span.name
        );
        assert!(
            *ran_at <= span.end,
            "span {} ends before its work ran: take `end` just after the work returns",
            span.name
        );
    }
}

#[test]
fn never_runs_two_tasks_at_once() {
    // Each task counts itself in while it runs; `peak` is the most that were ever running. A task
    // that finds itself on another thread than the caller's waits (once, at most TIMEOUT) for a
    // second task to join it: when tasks are run at the same time on threads, two of them then
    // overlap for certain rather than by luck. On the caller's thread nobody waits.
    let caller = thread::current().id();
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let pair = Arc::new(Gate::new(2));
    let tasks = NAMES
        .iter()
        .map(|&name| {
            let (running, peak, pair) =
                (Arc::clone(&running), Arc::clone(&peak), Arc::clone(&pair));
            Task::new(name, move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                if thread::current().id() != caller {
                    pair.wait();
                    peak.fetch_max(running.load(Ordering::SeqCst), Ordering::SeqCst);
                }
                running.fetch_sub(1, Ordering::SeqCst);
                0
            })
        })
        .collect();
    let spans = run_sequential(tasks);

    let peak = peak.load(Ordering::SeqCst);
    assert_eq!(
        peak, 1,
        "{peak} tasks were running at the same time: run_sequential must run one task at a time"
    );
    assert_eq!(spans.len(), NAMES.len(), "expected one span per task");
    for pair in spans.windows(2) {
        let (earlier, later) = (&pair[0], &pair[1]);
        assert!(
            earlier.start <= earlier.end,
            "span {} ends before it starts",
            earlier.name
        );
        assert!(
            earlier.end <= later.start,
            "task {} started before task {} finished: run_sequential must wait for each task to \
             finish before it starts the next",
            later.name,
            earlier.name
        );
    }
}

#[test]
fn empty_input_gives_no_spans() {
    let spans = run_sequential(Vec::new());
    assert!(
        spans.is_empty(),
        "no tasks should give no spans, got {spans:?}"
    );
}
