//! Exercise `thread_pool`: a pool of 5 threads made by hand.
//!
//! A pool is a fixed set of workers and a queue of jobs. Each worker takes the next job from the
//! queue, runs it, and goes back for another, until the queue is closed and empty. In Python:
//!
//! | Python              | this pool                                                         |
//! |---------------------|-------------------------------------------------------------------|
//! | `Pool(5)`           | 5 threads named `copier-0` .. `copier-4`, started in a scope      |
//! | `apply_async(f, x)` | send `(index, x)` into a crossbeam channel of jobs                |
//! | `close()`           | drop the channel's sender: the workers' `for job in jobs` ends    |
//! | `join()`            | the end of `std::thread::scope`, which waits for every thread     |
//!
//! Unlike a Python process pool, the threads share the caller's memory: the job function may
//! borrow from the caller, and nothing is copied or pickled on the way.

use crate::JobPanic;

/// Runs `f` on every item of `items` with a pool of `workers` threads, and returns one result
/// per item **in input order**: `Ok(f(item))`, or `Err(JobPanic)` if that job panicked.
///
/// Build it from these parts:
///
/// 1. Two `crossbeam_channel::unbounded()` channels: one for the jobs, `(index, item)`, and one
///    for the results, `(index, result)`.
/// 2. Send every item, with its index, into the job channel (`apply_async`), then drop the job
///    sender (`close`): a worker's `for (index, item) in receiver` loop then ends once the queue
///    is empty. Forget the drop and the workers wait for more jobs forever.
/// 3. In [`std::thread::scope`], start `workers` threads (treat 0 as 1, and start no more than
///    there are items: `workers.clamp(1, items.max(1))`) with
///    `std::thread::Builder::new().name(format!("copier-{i}")).spawn_scoped(scope, ..)`. Each one
///    clones the job receiver and the result sender, and loops over the jobs. The threads'
///    closures are `move` closures (they take their clones), so write `let f = &f;` before the
///    scope: each closure then moves in a copy of the reference instead of trying to move `f`
///    itself, which only the first could do (error E0382, "use of moved value").
/// 4. Run each job inside `std::panic::catch_unwind(AssertUnwindSafe(|| f(item)))`, so that a
///    panic ends only that job and not the worker; turn a caught panic into
///    [`JobPanic::new`]`(index, payload)`. Send `(index, result)`.
/// 5. The end of the scope waits for every worker (`join`). Drop your own result sender, collect
///    the results, and put each one back in its place by its index.
///
/// `f` is shared by all the workers, so it is `Fn` (callable many times) and `Sync` (usable
/// from several threads at once); thanks to the scope it may borrow from the caller.
///
/// The tests (`tests/thread_pool.rs`, with the contract in `tests/common/contract.rs`) check
/// that:
///
/// - results come back in input order, even when job 0 finishes after job 99;
/// - with 5 workers, 5 jobs run at the same time (they meet at a gate, which times out after
///   10 s) and never more than 5 (an atomic counter), on at most 5 threads;
/// - with 1, 2 or 5 workers the jobs run on threads named `copier-0` .. `copier-<n-1>`, all of
///   them; 0 workers means one, `copier-0`;
/// - a job that panics gives `Err(JobPanic { index, message })` and the other jobs still give
///   their results; with one worker, the jobs after a panic still run, on `copier-0`;
/// - no items give no results, and 2 items with 5 workers give 2 results.
#[allow(unused_variables)]
pub fn map<T, R, F>(workers: usize, items: Vec<T>, f: F) -> Vec<Result<R, JobPanic>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    todo!("send the jobs, close the queue, run the named workers in a scope, collect in order")
}
