//! Exercise `named_workers`: Python's `Thread(target, name, args)`, `start` and `join`.

use std::io;
use std::thread;

use crate::Job;

/// Runs every job on a thread of its own, named as the job's name, and returns
/// `(name, result)` pairs in input order.
pub fn run_named<T: Send + 'static>(jobs: Vec<(String, Job<T>)>) -> io::Result<Vec<(String, T)>> {
    let mut started = Vec::with_capacity(jobs.len());
    for (name, job) in jobs {
        let handle = thread::Builder::new().name(name).spawn(move || {
            let name = thread::current().name().unwrap_or_default().to_owned();
            (name, job())
        });
        match handle {
            Ok(handle) => started.push(handle),
            Err(err) => {
                for handle in started {
                    let _ = handle.join();
                }
                return Err(err);
            }
        }
    }
    started
        .into_iter()
        .map(|handle| {
            handle
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
        })
        .map(Ok)
        .collect()
}
