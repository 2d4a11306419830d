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
//! | `initializer=init`  | each worker calls `init(i)` once, when it starts                  |
//!
//! Unlike a Python process pool, the threads share the caller's memory: the job function may
//! borrow from the caller, and nothing is copied or pickled on the way.

use crate::JobPanic;

/// Runs `f` on every item of `items` with a pool of `workers` threads, and returns one result
/// per item **in input order**: `Ok(f(item))`, or `Err(JobPanic)` if that job panicked.
///
/// This is [`map_with_initializer`] with an initializer that does nothing: write that one, then
/// call it here as `map_with_initializer(workers, items, |_| {}, f)`.
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
    todo!("call map_with_initializer with an initializer that does nothing")
}

/// [`map`], where each worker first calls `initializer(i)` once, on its own thread, when it
/// starts: `i` is the worker's number, the `i` of its name `copier-{i}`. This is Python's
/// `Pool(5, initializer=...)`, for what each worker sets up once (a connection, a buffer).
///
/// Build it from these parts:
///
/// 1. Two `crossbeam_channel::unbounded()` channels: one for the jobs, `(index, item)`, and one
///    for the results, `(index, result)`.
/// 2. Send every item, with its index, into the job channel (`apply_async`), then drop the job
///    sender (`close`): a worker's `for (index, item) in receiver` loop then ends once the queue
///    is empty. Forget the drop and the workers wait for more jobs forever.
/// 3. In [`std::thread::scope`], start the workers: `workers` of them, but treat 0 as 1 and
///    start no more than there are items, that is `workers.clamp(1, items.len().max(1))` (count
///    the items before step 2 moves them). Start worker `i` with
///    `std::thread::Builder::new().name(format!("copier-{i}"))` and its
///    `.spawn_scoped(scope, move || { /* the worker */ })`. Each worker clones the job receiver
///    and the result sender, calls `initializer(i)`, and then loops over the jobs. The threads'
///    closures are `move` closures (they take their clones), so write `let f = &f;` (and the
///    same for `initializer`) before the scope: each closure then moves in a copy of the
///    reference instead of trying to move `f` itself, which only the first could do (error
///    E0382, "use of moved value").
/// 4. Run each job inside `std::panic::catch_unwind(AssertUnwindSafe(|| f(item)))`, so that a
///    panic ends only that job and not the worker; turn a caught panic into
///    [`JobPanic::new`]`(index, payload)`. Send `(index, result)`.
/// 5. The end of the scope waits for every worker (`join`). Drop your own result sender, collect
///    the results, and put each one back in its place by its index.
///
/// `f` and `initializer` are shared by all the workers, so they are `Fn` (callable many times)
/// and `Sync` (usable from several threads at once); thanks to the scope they may borrow from
/// the caller. A panic in `initializer` is not caught: it ends its worker, and
/// `map_with_initializer` then panics too.
///
/// A worker that never gets a job leaves no trace that a job could see, so the initializer is
/// how the tests count the workers. They (`tests/thread_pool.rs`) check that with 0, 1, 2, 3 or
/// 5 workers for 20 items, and with 5 workers for 2 items, `initializer(i)` is called exactly
/// once for each `i` in `0..workers.clamp(1, items.len().max(1))`, each time on the thread named
/// `copier-{i}`, and that every job runs on one of those threads.
#[allow(unused_variables)]
pub fn map_with_initializer<T, R, I, F>(
    workers: usize,
    items: Vec<T>,
    initializer: I,
    f: F,
) -> Vec<Result<R, JobPanic>>
where
    T: Send,
    R: Send,
    I: Fn(usize) + Sync,
    F: Fn(T) -> R + Sync,
{
    todo!("send the jobs, close the queue, run the named workers in a scope, collect in order")
}
