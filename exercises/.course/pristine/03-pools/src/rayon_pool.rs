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

use crate::JobPanic;

/// Runs `f` on every item with a rayon pool of `workers` threads, using `install` and a parallel
/// iterator, and returns one result per item in input order, as
/// [`thread_pool::map`](crate::thread_pool::map) does.
///
/// - Build the pool for this call, with `n` threads:
///   `rayon::ThreadPoolBuilder::new().num_threads(n).thread_name(|i| format!("copier-{i}"))
///   .build()`. Treat 0 workers as 1 (to rayon, 0 means one thread per core), and use no more
///   threads than there are items: `n = workers.clamp(1, items.len().max(1))`.
/// - `pool.install(op)` runs the closure `op` inside the pool, so a parallel iterator in it uses
///   the pool's threads: `items.into_par_iter().enumerate().map(|(index, item)| job(index, item))
///   .collect()` (with `use rayon::prelude::*;`), where `job` runs `f` on one item and catches its
///   panic, as below. `collect` into a `Vec` keeps the input order.
/// - Catch each job's panic with `std::panic::catch_unwind` and turn it into
///   [`JobPanic::new`]`(index, payload)`. `catch_unwind(|| f(item))` does not compile: nothing
///   promises that `f` and `item` are `UnwindSafe`, so the closure is not either. Wrap it:
///   `catch_unwind(AssertUnwindSafe(|| f(item)))` (a panicked job's result is thrown away, so
///   nothing half-changed is looked at afterwards).
///
/// The tests (`tests/rayon_pool.rs`, the `install::...` tests) are the same contract as for the
/// hand-made pool: input order, at most and at least 5 jobs at once, threads named
/// `copier-0` .. `copier-<n-1>`, 0 workers meaning 1, panics reported per job, and few or no
/// items. Inside a rayon pool a job can also ask how big its pool is
/// (`rayon::current_num_threads()`), so the tests check that too: 1, 2 or 5 threads for 1, 2 or
/// 5 workers, 1 for 0 workers, and 2 for 5 workers with 2 items.
#[allow(unused_variables)]
pub fn map<T, R, F>(workers: usize, items: Vec<T>, f: F) -> Vec<Result<R, JobPanic>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    todo!("build a named pool, then install a parallel iterator that catches each job's panic")
}

/// The same as [`map`], but with `pool.scope` and one `spawn` per item: Python's `apply_async`
/// for each job, then `close` and `join`.
///
/// Build the pool as for [`map`]. Inside `pool.scope(|s| { /* one spawn per item */ })`, call
/// `s.spawn(move |_| { /* run the job, send the result */ })` once per item; each job sends
/// `(index, result)` into a `crossbeam_channel` (clone the sender for each job). The jobs may
/// borrow `f`, because the scope does not return before every job has finished. After the
/// scope, drop your sender, collect the results and put each back in its place.
///
/// The tests (`tests/rayon_pool.rs`, the `scope::...` tests) are the same contract as for
/// [`map`].
#[allow(unused_variables)]
pub fn map_with_scope<T, R, F>(workers: usize, items: Vec<T>, f: F) -> Vec<Result<R, JobPanic>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    todo!("build a named pool, spawn one job per item in its scope, collect the results in order")
}
