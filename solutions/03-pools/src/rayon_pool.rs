//! Exercise `rayon_pool`: the same pool with rayon.
//!
//! rayon's `ThreadPool` is a ready-made pool, with a twist: its workers *steal* work from each
//! other, so a busy worker's queue is emptied by the idle ones. Two ways to give it the jobs
//! match the two ways of using Python's pool:
//!
//! - [`map`] is `Pool.map`: `pool.install(|| items.into_par_iter().map(&f).collect())` runs the
//!   whole parallel iterator inside the pool and keeps the results in input order;
//! - [`map_with_scope`] is `apply_async` + `close` + `join`: inside `pool.scope`, each call of
//!   `s.spawn` adds one job, and the scope returns only when every job has finished.
//!
//! Pitfall: `ThreadPoolBuilder::num_threads(0)` does not mean "no threads" but "the default",
//! one per core; and a panic in a job started with `pool.spawn` (outside a scope) aborts the whole
//! process. Catching the panic inside each job avoids both surprises here.

use std::panic::{self, AssertUnwindSafe};

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::JobPanic;

/// Runs `f` on every item with a rayon pool of `workers` threads (at least 1) named `copier-0`,
/// `copier-1`, ..., using `install` and a parallel iterator. Results come back in input order;
/// a job that panicked gives `Err(JobPanic)`.
pub fn map<T, R, F>(workers: usize, items: Vec<T>, f: F) -> Vec<Result<R, JobPanic>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    // `install` runs the closure on one of the pool's threads, so the parallel iterator inside
    // it uses this pool instead of rayon's global one.
    let workers = workers.clamp(1, items.len().max(1));
    pool(workers).install(|| {
        items
            .into_par_iter()
            .enumerate()
            .map(|(index, item)| run_one(&f, index, item))
            // A parallel iterator over a Vec knows every item's position, so `collect` puts the
            // results in input order whatever order they finished in.
            .collect()
    })
}

/// The same as [`map`], but with `pool.scope` and one `spawn` per item.
pub fn map_with_scope<T, R, F>(workers: usize, items: Vec<T>, f: F) -> Vec<Result<R, JobPanic>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let count = items.len();
    let (sender, results) = crossbeam_channel::unbounded();
    let f = &f;
    pool(workers.clamp(1, count.max(1))).scope(|scope| {
        for (index, item) in items.into_iter().enumerate() {
            let sender = sender.clone();
            // apply_async: the job may borrow `f`, because the scope outlives every job in it.
            scope.spawn(move |_| {
                // The receiver outlives the scope, so this cannot fail.
                let _ = sender.send((index, run_one(f, index, item)));
            });
        }
        // close() + join(): leaving the scope waits for every spawned job.
    });
    drop(sender);

    let mut slots: Vec<Option<Result<R, JobPanic>>> = (0..count).map(|_| None).collect();
    for (index, result) in results {
        slots[index] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every job sends exactly one result"))
        .collect()
}

/// A pool of `workers` threads named `copier-<i>`. The callers make sure that `workers` is at
/// least 1 and no more than they have jobs for: 0 would mean "one thread per core" to rayon.
fn pool(workers: usize) -> ThreadPool {
    ThreadPoolBuilder::new()
        .num_threads(workers)
        .thread_name(|i| format!("copier-{i}"))
        .build()
        .expect("the OS could not start the pool's threads")
}

/// Runs one job, turning a panic into its report.
fn run_one<T, R>(f: &impl Fn(T) -> R, index: usize, item: T) -> Result<R, JobPanic> {
    panic::catch_unwind(AssertUnwindSafe(|| f(item)))
        .map_err(|payload| JobPanic::new(index, payload))
}
