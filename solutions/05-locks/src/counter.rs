//! Exercise `counter`: the notes' shared counter, exact (reference solution).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

/// Adds `threads * per_thread` to `*counter`, one locked increment at a time.
pub fn count_with_mutex(
    counter: &Mutex<u64>,
    threads: usize,
    per_thread: u64,
    after_each: impl Fn(usize) + Sync,
) {
    let after_each = &after_each;
    thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for _ in 0..per_thread {
                    // The guard lives to the end of the statement: locked, added, released.
                    *counter.lock().unwrap() += 1;
                    after_each(t);
                }
            });
        }
    });
}

/// Adds `threads * per_thread` to `counter` with `fetch_add`.
pub fn count_with_atomic(
    counter: &AtomicU64,
    threads: usize,
    per_thread: u64,
    after_each: impl Fn(usize) + Sync,
) {
    let after_each = &after_each;
    thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for _ in 0..per_thread {
                    counter.fetch_add(1, Ordering::Relaxed);
                    after_each(t);
                }
            });
        }
    });
}

/// Counts `threads * per_thread` in local variables and sums them at the end.
pub fn count_with_local_sums(
    threads: usize,
    per_thread: u64,
    after_each: impl Fn(usize) + Sync,
) -> u64 {
    let after_each = &after_each;
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut count = 0;
                    for _ in 0..per_thread {
                        count += 1;
                        after_each(t);
                    }
                    count
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
