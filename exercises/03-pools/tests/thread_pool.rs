//! Exercise `thread_pool`: `thread_pool::map` runs jobs on a pool of threads made by hand.
//!
//! Most tests are the pools' shared contract (`tests/common/contract.rs`), which
//! `tests/rayon_pool.rs` runs against rayon as well. They never sleep and never time anything:
//! the jobs meet at a gate with a timeout to prove that 5 of them run at once, count themselves
//! with atomics to prove that no more than 5 do, and record the names of the threads they ran on.
//!
//! How many workers a pool started is something no job can see: a worker that never got a job
//! left no trace. So the last test counts the calls of `map_with_initializer`'s initializer,
//! which every worker makes once, when it starts.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use common::attempt;
use pools::JobPanic;
use pools::thread_pool::map_with_initializer;

common::contract::contract_tests!(pools::thread_pool::map);

/// One call of the initializer: the worker number it was given, and the thread it ran on.
struct Start {
    worker: usize,
    name: Option<String>,
    thread: ThreadId,
}

#[test]
fn the_initializer_runs_once_on_every_worker_and_no_more() {
    // (workers, items, how many workers the pool starts): 0 means 1, and no more than the items.
    let cases = [
        (0, 20, 1),
        (1, 20, 1),
        (2, 20, 2),
        (3, 20, 3),
        (5, 20, 5),
        (5, 2, 2),
    ];
    for (workers, items, expected) in cases {
        let starts: Arc<Mutex<Vec<Start>>> = Arc::default();
        let jobs_on: Arc<Mutex<HashSet<ThreadId>>> = Arc::default();
        let early: Arc<Mutex<Vec<u64>>> = Arc::default();
        let results = attempt("map_with_initializer", {
            let (starts, jobs_on, early) = (starts.clone(), jobs_on.clone(), early.clone());
            let started = starts.clone();
            move || {
                map_with_initializer(
                    workers,
                    (0..items).collect::<Vec<u64>>(),
                    move |worker| {
                        let me = thread::current();
                        started.lock().unwrap().push(Start {
                            worker,
                            name: me.name().map(str::to_owned),
                            thread: me.id(),
                        });
                    },
                    move |x| {
                        let me = thread::current().id();
                        if !starts.lock().unwrap().iter().any(|s| s.thread == me) {
                            early.lock().unwrap().push(x);
                        }
                        jobs_on.lock().unwrap().insert(me);
                        x * 2
                    },
                )
            }
        })
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));

        let case = format!("with workers = {workers} and {items} items");
        let expected_results: Vec<Result<u64, JobPanic>> = (0..items).map(|x| Ok(x * 2)).collect();
        assert_eq!(
            results, expected_results,
            "{case}, map_with_initializer should give x * 2 for every item, in order"
        );
        let starts = starts.lock().unwrap();
        let mut numbers: Vec<usize> = starts.iter().map(|s| s.worker).collect();
        numbers.sort_unstable();
        assert_eq!(
            numbers,
            (0..expected).collect::<Vec<_>>(),
            "{case}, the pool should start {expected} worker{} (0 means 1, and no more than \
             there are items: workers.clamp(1, items.len().max(1))), and each one calls \
             initializer(i) exactly once, when it starts; the initializer was called with these \
             numbers",
            if expected == 1 { "" } else { "s" }
        );
        for start in starts.iter() {
            assert_eq!(
                start.name.as_deref(),
                Some(format!("copier-{}", start.worker).as_str()),
                "{case}, initializer({}) ran on the thread {:?}: each worker calls it itself, on \
                 its own thread, so worker i calls initializer(i) on copier-i",
                start.worker,
                start.name.as_deref().unwrap_or("(a thread without a name)")
            );
        }
        let started: HashSet<ThreadId> = starts.iter().map(|s| s.thread).collect();
        assert!(
            jobs_on.lock().unwrap().is_subset(&started),
            "{case}, some jobs ran on a thread that never called the initializer: only the \
             workers run jobs, and each calls initializer(i) before it takes its first job"
        );
        let early = early.lock().unwrap();
        assert!(
            early.is_empty(),
            "{case}, the jobs {early:?} ran before their worker had called the initializer: call \
             initializer(i) first, then loop over the jobs"
        );
    }
}
