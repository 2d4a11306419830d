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

use std::panic::{self, AssertUnwindSafe};
use std::thread;

use crate::JobPanic;

/// Runs `f` on every item of `items` with a pool of `workers` threads (at least 1), and returns
/// one result per item in input order: `Ok(value)`, or `Err(JobPanic)` for a job that panicked.
pub fn map<T, R, F>(workers: usize, items: Vec<T>, f: F) -> Vec<Result<R, JobPanic>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    map_with_initializer(workers, items, |_| {}, f)
}

/// [`map`], where worker `i` first calls `initializer(i)` once, on its own thread, when it
/// starts: Python's `Pool(5, initializer=...)`.
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
    let count = items.len();
    let (job_sender, jobs) = crossbeam_channel::unbounded();
    let (result_sender, results) = crossbeam_channel::unbounded();
    // apply_async for every item: the jobs wait in the channel until a worker takes them. Each
    // carries its index, so that its result can be put back in its place.
    for job in items.into_iter().enumerate() {
        job_sender
            .send(job)
            .expect("the pool holds the receiver, so the channel is open");
    }
    // close(): once the queue is empty, `recv` fails and each worker's loop ends. Without this
    // line the workers would wait for more jobs forever, and the scope below would never end.
    drop(job_sender);

    // Treat 0 workers as 1, and start no more workers than there are jobs for.
    let workers = workers.clamp(1, count.max(1));
    let (f, initializer) = (&f, &initializer);
    thread::scope(|scope| {
        for i in 0..workers {
            let jobs = jobs.clone();
            let results = result_sender.clone();
            thread::Builder::new()
                .name(format!("copier-{i}"))
                .spawn_scoped(scope, move || {
                    // Once per worker, on the worker's own thread, before its first job.
                    initializer(i);
                    for (index, item) in jobs {
                        // A panic would unwind out of this loop and end the worker, losing the
                        // jobs it would have run next. Catch it here, around a single job.
                        // (`AssertUnwindSafe`: after a panic the job's result is thrown away,
                        // so no half-updated state is ever looked at.)
                        let result = panic::catch_unwind(AssertUnwindSafe(|| f(item)))
                            .map_err(|payload| JobPanic::new(index, payload));
                        // The receiver lives until after the scope, so this cannot fail.
                        let _ = results.send((index, result));
                    }
                })
                .expect("the OS could not start a worker thread");
        }
    }); // join(): every worker has finished here.
    drop(result_sender);

    // The results arrive in the order the jobs finished; put each one back in its place.
    let mut slots: Vec<Option<Result<R, JobPanic>>> = (0..count).map(|_| None).collect();
    for (index, result) in results {
        slots[index] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every job sends exactly one result"))
        .collect()
}
