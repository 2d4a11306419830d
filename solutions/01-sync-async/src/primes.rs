//! Exercise `primes`: using parallelism to speed up CPU-bound work.
//!
//! Counting the primes below a limit by trial division keeps a core busy and nothing else: no
//! waiting for disks or networks. One thread can only ever use one core; to use them all, split
//! the numbers into ranges and count each range on its own thread, then add up the counts.
//!
//! [`is_prime`] and [`count_primes`] are given: they are the sequential version to beat. The
//! exercise's parts are [`split`], [`count_in_threads`] and [`count_with_rayon`]; the prime
//! counters [`count_primes_scoped`] and [`count_primes_rayon`] are built on them. The
//! benchmark (`cargo bench -p sync-async --bench primes`: in `exercises/` on your code) times
//! all of them.

use std::ops::Range;
use std::{panic, thread};

use rayon::prelude::*;

/// Whether `n` is a prime number, by trial division: try every odd divisor up to √n.
///
/// Given, not an exercise. It is deliberately simple, so that bigger numbers cost more work.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n < 4 {
        return true;
    }
    if n.is_multiple_of(2) {
        return false;
    }
    let mut divisor = 3;
    // `divisor <= n / divisor` is `divisor * divisor <= n` without the risk of overflow.
    while divisor <= n / divisor {
        if n.is_multiple_of(divisor) {
            return false;
        }
        divisor += 2;
    }
    true
}

/// How many primes lie in `range`, counted one number after the other on the calling thread.
///
/// Given, not an exercise: this is the sequential baseline, and a building block for the
/// parallel versions below.
pub fn count_primes(range: Range<u64>) -> u64 {
    range.filter(|&n| is_prime(n)).count() as u64
}

/// Splits `0..limit` into `parts` contiguous ranges whose lengths differ by at most one.
///
/// `parts` is treated as at least 1. Every range has `limit / parts` numbers, and the first
/// `limit % parts` ranges get one extra: `split(10, 3)` is `[0..4, 4..7, 7..10]`.
pub fn split(limit: u64, parts: usize) -> Vec<Range<u64>> {
    let parts = parts.max(1) as u64;
    let (size, extra) = (limit / parts, limit % parts);
    let mut start = 0;
    (0..parts)
        .map(|i| {
            // `extra < parts`, so handing one more number to each of the first `extra` ranges
            // keeps every length within one of every other.
            let len = size + u64::from(i < extra);
            let range = start..start + len;
            start += len;
            range
        })
        .collect()
}

/// Counts what `count` finds in `0..limit` with `threads` threads, one [`split`] range each.
pub fn count_in_threads(
    limit: u64,
    threads: usize,
    count: impl Fn(Range<u64>) -> u64 + Sync,
) -> u64 {
    // Equal-sized ranges are not equal amounts of work: trial division of a bigger number tries
    // more divisors, so the thread with the last range finishes last while the others sit idle.
    // The benchmark shows how much that costs; rayon avoids it (see below).
    let ranges = split(limit, threads);
    let count = &count;
    thread::scope(|scope| {
        // Spawn them all first (collect!), then join: see `run_parallel`.
        let handles: Vec<_> = ranges
            .into_iter()
            .map(|range| scope.spawn(move || count(range)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload))
            })
            .sum()
    })
}

/// Counts the primes below `limit` with `threads` threads. Given: it is [`count_in_threads`]
/// with [`count_primes`].
pub fn count_primes_scoped(limit: u64, threads: usize) -> u64 {
    count_in_threads(limit, threads, count_primes)
}

/// Counts the numbers in `0..limit` for which `keep` is true, with rayon.
pub fn count_with_rayon(limit: u64, keep: impl Fn(u64) -> bool + Sync + Send) -> u64 {
    // rayon cuts the range into many pieces, and a thread that runs out of work steals pieces
    // from a busy one (work stealing), so the expensive numbers at the top get shared out too.
    (0..limit).into_par_iter().filter(|&n| keep(n)).count() as u64
}

/// Counts the primes below `limit` with rayon. Given: it is [`count_with_rayon`] with
/// [`is_prime`].
pub fn count_primes_rayon(limit: u64) -> u64 {
    count_with_rayon(limit, is_prime)
}
