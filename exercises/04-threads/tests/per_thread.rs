//! Exercise `per_thread`: `tick` counts the calls on the calling thread, with `thread_local!`.
//!
//! The notes say that threads share the process's globals. A `thread_local!` is the exception:
//! a "global" of which each thread has its own copy. A shared counter (a `static` atomic or
//! mutex) gives the right numbers as long as only one thread ticks, so these tests tick on
//! several threads at once, in step, behind gates with a timeout.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use test_support::{Gate, TIMEOUT, within};
use threads::per_thread::{tick, ticks_on_threads};

/// Runs `work` on a new thread of its own and returns what it returned.
fn on_a_new_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    within("a test thread", move || {
        thread::spawn(work)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

#[test]
fn tick_counts_the_calls_on_this_thread() {
    let seen = on_a_new_thread(|| [tick(), tick(), tick()]);
    assert_eq!(
        seen,
        [1, 2, 3],
        "on a new thread, the first tick() returns 1, the next 2, and so on"
    );
}

#[test]
fn a_new_thread_starts_from_zero_even_after_its_parent_ticked() {
    let (parent_before, child, parent_after) = on_a_new_thread(|| {
        let before: Vec<u32> = (0..5).map(|_| tick()).collect();
        let child = thread::spawn(|| [tick(), tick()])
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (before, child, tick())
    });
    assert_eq!(
        parent_before,
        [1, 2, 3, 4, 5],
        "a new thread's first five ticks return 1 to 5; if they start higher, the count holds \
         other threads' ticks too: one shared static instead of a thread_local!"
    );
    assert_eq!(
        child,
        [1, 2],
        "a thread started after its parent ticked 5 times still starts from 0: every thread has \
         its own counter (thread_local!), not one shared static"
    );
    assert_eq!(
        parent_after, 6,
        "the child's ticks do not change the parent's count: after 5 ticks, the parent's next \
         tick() returns 6"
    );
}

#[test]
fn threads_that_tick_at_the_same_time_each_count_their_own() {
    const THREADS: usize = 3;
    const TICKS: u32 = 4;
    let seen = within("ticks_on_threads", || {
        // After its n-th tick, each thread waits at gate n - 1 for the others: the threads tick
        // in step, all of them before any ticks again.
        // Once one gate has timed out, nobody waits any more, so a wrong answer costs one
        // timeout, not one per tick.
        let gates: Vec<Gate> = (0..TICKS).map(|_| Gate::new(THREADS)).collect();
        let broken = AtomicBool::new(false);
        let seen = ticks_on_threads(THREADS, TICKS, |n| {
            let gate = n.checked_sub(1).and_then(|i| gates.get(i as usize));
            if let Some(gate) = gate
                && !broken.load(Ordering::SeqCst)
                && !gate.wait()
            {
                broken.store(true, Ordering::SeqCst);
            }
        });
        let opened = gates.iter().all(Gate::opened);
        let together = gates[0].arrived_together();
        (seen, opened, together)
    });
    let (seen, opened, together) = seen;
    assert!(
        opened,
        "the {THREADS} threads should all be ticking at the same time, but only {together} were \
         there together (each waits for the others after every tick, for at most {} s): start \
         every thread before you join any. (If each thread saw other numbers than 1, 2, 3, 4, \
         the threads share one counter, and then they wait at the wrong gates: {seen:?})",
        TIMEOUT.as_secs()
    );
    let expected: Vec<Vec<u32>> = vec![(1..=TICKS).collect(); THREADS];
    assert_eq!(
        seen, expected,
        "each of the {THREADS} threads ticks {TICKS} times while the others tick too, and sees \
         1, 2, 3, 4: its own count. A shared static counter gives the threads each other's \
         ticks"
    );
}

#[test]
fn ticks_on_threads_leaves_the_callers_count_alone() {
    let (before, seen, after) = on_a_new_thread(|| {
        let before = [tick(), tick()];
        let seen = ticks_on_threads(2, 3, |_| ());
        (before, seen, tick())
    });
    assert_eq!(
        before,
        [1, 2],
        "a new thread's first two ticks return 1 and 2 (higher numbers: a shared counter)"
    );
    assert_eq!(
        seen,
        [[1, 2, 3], [1, 2, 3]],
        "each new thread counts from 0, whatever its caller did"
    );
    assert_eq!(
        after, 3,
        "ticks_on_threads ticks on new threads only, so the caller's count goes on from 2 to 3"
    );
}

#[test]
fn no_threads_give_no_counts() {
    let (no_threads, no_ticks) = within("ticks_on_threads", || {
        (
            ticks_on_threads(0, 5, |_| ()),
            ticks_on_threads(2, 0, |_| ()),
        )
    });
    assert!(
        no_threads.is_empty(),
        "0 threads give no lists at all: {no_threads:?}"
    );
    assert_eq!(
        no_ticks,
        [Vec::<u32>::new(), Vec::new()],
        "2 threads that tick 0 times give 2 empty lists"
    );
}

#[test]
fn after_tick_runs_on_the_ticking_thread_right_after_each_tick() {
    const THREADS: usize = 2;
    const TICKS: u32 = 4;
    // This after_tick ticks once itself, so on the right thread and at the right moment the
    // thread's own ticks and after_tick's alternate: the thread sees 1, 3, 5, 7, and the tick
    // inside after_tick(n) returns n + 1.
    let (seen, inside) = within("ticks_on_threads", || {
        let inside = Mutex::new(Vec::new());
        let seen = ticks_on_threads(THREADS, TICKS, |n| {
            let mine = tick();
            inside.lock().unwrap().push((n, mine));
        });
        let mut inside = inside.into_inner().unwrap();
        inside.sort_unstable();
        (seen, inside)
    });
    let expected: Vec<Vec<u32>> = vec![(0..TICKS).map(|i| 2 * i + 1).collect(); THREADS];
    assert_eq!(
        seen, expected,
        "this test's after_tick calls tick() once itself, so each thread's ticks should return \
         1, 3, 5, 7: call after_tick(n) on the ticking thread, right after the tick that \
         returned n, before the next tick. 1, 2, 3, 4 means after_tick ran later (after all \
         the ticks) or on another thread. The ticks inside after_tick(n) returned (n, tick): \
         {inside:?}"
    );
}

#[test]
fn what_each_thread_saw() {
    let seen = within("ticks_on_threads", || ticks_on_threads(4, 3, |_| ()));
    let lines: Vec<String> = seen
        .iter()
        .enumerate()
        .map(|(i, ticks)| format!("thread {i}: {ticks:?}"))
        .collect();
    insta::with_settings!({
        description => "ticks_on_threads(4, 3): what each thread's three ticks returned",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(lines.join("\n"));
    });
}
