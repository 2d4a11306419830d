//! The contract every thread pool of this chapter keeps, written once and run against each
//! pool's `map` (`tests/thread_pool.rs` and `tests/rayon_pool.rs`).
//!
//! Each function takes the pool's `map` as a plain function pointer, and the
//! [`contract_tests!`] macro turns them into one `#[test]` each. Jobs are boxed closures, so
//! that one pointer type fits every job of a test.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::thread;

use pools::JobPanic;
use test_support::{Gate, TIMEOUT};

use super::{Running, attempt};

/// A job: what the pool runs for each item.
pub type Job<T, R> = Box<dyn Fn(T) -> R + Send + Sync>;

/// The signature of the pools' `map`, for items `T` and results `R`.
pub type Map<T, R> = fn(usize, Vec<T>, Job<T, R>) -> Vec<Result<R, JobPanic>>;

/// Generates one `#[test]` per contract function for the `map` function at `$map`.
// Only the two pool test files use it; the others include `common` for its other helpers.
#[allow(unused_macros)]
macro_rules! contract_tests {
    ($map:path) => {
        #[test]
        fn results_come_back_in_input_order() {
            $crate::common::contract::results_come_back_in_input_order($map);
        }

        #[test]
        fn at_most_five_jobs_run_at_once_and_five_do() {
            $crate::common::contract::at_most_five_jobs_run_at_once_and_five_do($map);
        }

        #[test]
        fn workers_are_named_copier_0_and_up() {
            $crate::common::contract::workers_are_named_copier_0_and_up($map);
        }

        #[test]
        fn zero_workers_means_one() {
            $crate::common::contract::zero_workers_means_one($map);
        }

        #[test]
        fn a_panicking_job_is_reported_and_the_others_complete() {
            $crate::common::contract::a_panicking_job_is_reported_and_the_others_complete($map);
        }

        #[test]
        fn a_worker_survives_a_panic_and_runs_the_next_jobs() {
            $crate::common::contract::a_worker_survives_a_panic_and_runs_the_next_jobs($map);
        }

        #[test]
        fn no_items_and_fewer_items_than_workers() {
            $crate::common::contract::no_items_and_fewer_items_than_workers($map);
        }
    };
}
#[allow(unused_imports)]
pub(crate) use contract_tests;

/// The names of the first `n` workers: `copier-0` .. `copier-<n-1>`.
fn names(n: usize) -> BTreeSet<String> {
    (0..n).map(|i| format!("copier-{i}")).collect()
}

/// The current thread's name, or a description of it if it has none.
fn thread_name() -> String {
    thread::current()
        .name()
        .unwrap_or("(a thread without a name)")
        .to_owned()
}

/// The size of the rayon pool the current job runs in, or `None` on a thread that is not
/// rayon's (the hand-made pool's). Inside a rayon pool this is exact, whichever threads the jobs
/// happened to run on: a pool of 5 threads says 5 even if one thread ran every job.
fn rayon_pool_size() -> Option<usize> {
    rayon::current_thread_index().map(|_| rayon::current_num_threads())
}

/// The sizes of the rayon pools the jobs of one call ran in (see [`rayon_pool_size`]).
#[derive(Default)]
struct PoolSizes(Mutex<BTreeSet<Option<usize>>>);

impl PoolSizes {
    fn record(&self) {
        self.0.lock().unwrap().insert(rayon_pool_size());
    }

    /// Fails unless every job that ran in a rayon pool ran in a pool of `expected` threads.
    fn assert_all(&self, expected: usize, asked: &str) {
        let sizes = self.0.lock().unwrap().clone();
        assert!(
            sizes
                .iter()
                .all(|size| size.is_none_or(|size| size == expected)),
            "{asked}, the jobs ran in a rayon pool of {:?} threads instead of {expected}: build \
             the pool with num_threads({expected}) (treat 0 workers as 1, and use no more threads \
             than there are items)",
            sizes.iter().flatten().collect::<Vec<_>>()
        );
    }
}

/// Runs `map(workers, items, job)` within the time limit, where every job waits at `gate`. If
/// the gate never opened although jobs arrived at it, that is the failure to report, whatever
/// else went wrong (a sequential pool makes the time limit run out first).
fn run_gated<T: Send + 'static, R: Send + 'static>(
    map: Map<T, R>,
    workers: usize,
    items: Vec<T>,
    job: Job<T, R>,
    gate: &Gate,
) -> Vec<Result<R, JobPanic>> {
    let outcome = attempt("map", move || map(workers, items, job));
    let explain = || {
        format!(
            "with {workers} workers, {workers} jobs should run at the same time, but only {} of \
             them did (each job waits up to {} s for the others): start all the workers before \
             waiting for any, and let each one take jobs from the shared queue",
            gate.arrived_together(),
            TIMEOUT.as_secs()
        )
    };
    match outcome {
        Ok(results) => {
            assert!(gate.opened(), "{}", explain());
            results
        }
        Err(_) if !gate.opened() && gate.arrived_together() > 0 => panic!("{}", explain()),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Fails a test whose jobs panic on purpose, when `map` did not return but panicked itself.
fn explain_panic<T>(panic: Box<dyn std::any::Any + Send>) -> T {
    let message = JobPanic::new(0, panic).message;
    if message.starts_with("not yet implemented") {
        // A `todo!()`: its own message says it best.
        panic!("{message}");
    }
    panic!(
        "map panicked (`{message}`) instead of returning the results: a job's panic must be \
         caught inside the worker, around that one job, and reported as a JobPanic"
    )
}

pub fn results_come_back_in_input_order(map: Map<u64, u64>) {
    // Job 0 waits until job 99 has finished, so job 0 finishes after it; its result must still
    // come first.
    let (last_done, wait_for_last) = crossbeam_channel::bounded::<()>(1);
    let finished: Arc<Mutex<Vec<u64>>> = Arc::default();
    let log = Arc::clone(&finished);
    let job: Job<u64, u64> = Box::new(move |x| {
        if x == 0 {
            // Half the time limit, so that a pool that runs the jobs one by one is caught by the
            // order check below rather than by the time limit for the whole call.
            let _ = wait_for_last.recv_timeout(TIMEOUT / 2);
        }
        log.lock().unwrap().push(x);
        if x == 99 {
            let _ = last_done.send(());
        }
        x * x
    });
    let results = attempt("map", move || map(5, (0..100).collect(), job))
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));

    let finished = finished.lock().unwrap().clone();
    assert_eq!(
        finished.len(),
        100,
        "100 jobs were given, but {} ran",
        finished.len()
    );
    let position = |job| finished.iter().position(|&x| x == job);
    assert!(
        position(0) > position(99),
        "job 0 waits (up to {} s) until job 99 has finished, so it should finish after it; the \
         jobs finished in the order {finished:?}: are the workers taking jobs at the same time?",
        (TIMEOUT / 2).as_secs()
    );
    let expected: Vec<Result<u64, JobPanic>> = (0..100).map(|x| Ok(x * x)).collect();
    assert_eq!(
        results, expected,
        "map must return one result per item, in the order of the items (here x * x for x in \
         0..100), not in the order the jobs finished"
    );
}

pub fn at_most_five_jobs_run_at_once_and_five_do(map: Map<u64, u64>) {
    let running = Arc::new(Running::default());
    let gate = Arc::new(Gate::new(5));
    let threads: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let sizes: Arc<PoolSizes> = Arc::default();
    let job: Job<u64, u64> = {
        let (running, gate, threads) = (running.clone(), gate.clone(), threads.clone());
        let sizes = sizes.clone();
        Box::new(move |x| {
            sizes.record();
            running.enter();
            threads
                .lock()
                .unwrap()
                .insert(format!("{:?}", thread::current().id()));
            gate.wait();
            running.leave();
            x
        })
    };
    let results = run_gated(map, 5, (0..100).collect(), job, &gate);

    assert!(
        running.peak() <= 5,
        "{} jobs ran at the same time, but a pool of 5 workers runs at most 5 at once",
        running.peak()
    );
    sizes.assert_all(5, "with 5 workers");
    let threads = threads.lock().unwrap().len();
    assert!(
        threads <= 5,
        "the jobs ran on {threads} different threads: a pool of 5 reuses its 5 workers for all \
         the jobs instead of starting a thread per job"
    );
    assert_eq!(results.len(), 100, "expected one result per item");
    assert!(
        results.iter().all(Result::is_ok),
        "no job panicked, yet some results are errors: {:?}",
        results.iter().filter(|r| r.is_err()).collect::<Vec<_>>()
    );
}

pub fn workers_are_named_copier_0_and_up(map: Map<u64, u64>) {
    for workers in [1, 2, 5] {
        let gate = Arc::new(Gate::new(workers));
        let seen: Arc<Mutex<BTreeSet<String>>> = Arc::default();
        let sizes: Arc<PoolSizes> = Arc::default();
        let job: Job<u64, u64> = {
            let (gate, seen, sizes) = (gate.clone(), seen.clone(), sizes.clone());
            Box::new(move |x| {
                seen.lock().unwrap().insert(thread_name());
                sizes.record();
                gate.wait();
                x
            })
        };
        run_gated(map, workers, (0..4 * workers as u64).collect(), job, &gate);
        sizes.assert_all(workers, &format!("with workers = {workers}"));

        let seen = seen.lock().unwrap().clone();
        assert_eq!(
            seen,
            names(workers),
            "with workers = {workers}, the jobs should run on threads named copier-0 .. copier-{}, \
             all of them, and no others",
            workers - 1
        );
    }
}

pub fn zero_workers_means_one(map: Map<u64, u64>) {
    let seen: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    // One thread named `copier-0` is not proof enough: with rayon's `num_threads(0)` (one thread
    // per core) a small job list may still all run on `copier-0`, but the pool is bigger than one.
    // The size of the rayon pool is exact. (The hand-made pool's count is checked in
    // `tests/thread_pool.rs`, through its initializer.)
    let sizes: Arc<PoolSizes> = Arc::default();
    let job: Job<u64, u64> = {
        let (seen, sizes) = (seen.clone(), sizes.clone());
        Box::new(move |x| {
            seen.lock().unwrap().insert(thread_name());
            sizes.record();
            x + 1
        })
    };
    let results = attempt("map", move || map(0, (0..50).collect(), job))
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));

    let expected: Vec<Result<u64, JobPanic>> = (1..51).map(Ok).collect();
    assert_eq!(results, expected, "map(0, ..) should still run every job");
    sizes.assert_all(
        1,
        "with 0 workers (rayon reads num_threads(0) as \"one thread per core\", so treat 0 \
         workers as 1 yourself)",
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        names(1),
        "0 workers should be treated as 1 worker, named copier-0 (careful: rayon reads \
         num_threads(0) as \"one thread per core\")"
    );
}

pub fn a_panicking_job_is_reported_and_the_others_complete(map: Map<u64, u64>) {
    let job: Job<u64, u64> = Box::new(|x| {
        if x == 7 {
            panic!("job seven failed");
        }
        if x == 12 {
            panic!("bad item {x}");
        }
        x * 10
    });
    let results =
        attempt("map", move || map(5, (0..20).collect(), job)).unwrap_or_else(explain_panic);

    assert_eq!(results.len(), 20, "expected one result per item");
    for (index, result) in results.iter().enumerate() {
        let expected = match index {
            7 => Err(JobPanic {
                index: 7,
                message: "job seven failed".into(),
            }),
            12 => Err(JobPanic {
                index: 12,
                message: "bad item 12".into(),
            }),
            _ => Ok(index as u64 * 10),
        };
        assert_eq!(
            result, &expected,
            "result {index}: jobs 7 and 12 panic (catch each panic inside the worker with \
             std::panic::catch_unwind and make a JobPanic::new(index, payload)); every other job \
             returns its item times 10"
        );
    }
}

pub fn a_worker_survives_a_panic_and_runs_the_next_jobs(map: Map<u64, u64>) {
    // One worker: if the panic ended it, nobody would be left to run jobs 2 to 5.
    let seen: Arc<Mutex<Vec<(u64, String)>>> = Arc::default();
    let job: Job<u64, u64> = {
        let seen = seen.clone();
        Box::new(move |x| {
            seen.lock().unwrap().push((x, thread_name()));
            if x == 1 {
                panic!("the second job fails");
            }
            x
        })
    };
    let results =
        attempt("map", move || map(1, (0..6).collect(), job)).unwrap_or_else(explain_panic);

    let expected = vec![
        Ok(0),
        Err(JobPanic {
            index: 1,
            message: "the second job fails".into(),
        }),
        Ok(2),
        Ok(3),
        Ok(4),
        Ok(5),
    ];
    assert_eq!(
        results, expected,
        "with one worker, job 1 panics and jobs 2 to 5 must still run"
    );
    let seen = seen.lock().unwrap().clone();
    for (x, name) in &seen {
        assert_eq!(
            name, "copier-0",
            "job {x} ran on `{name}`: with one worker, every job (also those after the panic) \
             runs on copier-0, which catches the panic and carries on"
        );
    }
}

pub fn no_items_and_fewer_items_than_workers(map: Map<String, usize>) {
    let sizes: Arc<PoolSizes> = Arc::default();
    let recorded = sizes.clone();
    let results = attempt("map", move || {
        let none = map(5, Vec::new(), Box::new(|s: String| s.len()));
        let two = map(
            5,
            vec!["ab".into(), "cde".into()],
            Box::new(move |s: String| {
                recorded.record();
                s.len()
            }),
        );
        (none, two)
    })
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));

    assert_eq!(results.0, Vec::new(), "no items should give no results");
    assert_eq!(
        results.1,
        vec![Ok(2), Ok(3)],
        "2 items with 5 workers should give 2 results, in order"
    );
    sizes.assert_all(2, "with 5 workers for 2 items");
}
