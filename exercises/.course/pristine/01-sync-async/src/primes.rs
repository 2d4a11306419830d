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
/// The exact rule, which the tests check:
///
/// - `parts` is treated as at least 1, so `split(limit, 0)` is `[0..limit]`;
/// - the result has exactly `parts` ranges; the first starts at 0, each next one starts where
///   the previous one ended, and the last ends at `limit`;
/// - every range has `limit / parts` numbers, and the first `limit % parts` ranges get one
///   extra number. So `split(10, 3)` is `[0..4, 4..7, 7..10]`, and when `parts > limit` the
///   ranges at the end are empty (`split(2, 3)` is `[0..1, 1..2, 2..2]`).
#[allow(unused_variables)]
pub fn split(limit: u64, parts: usize) -> Vec<Range<u64>> {
    todo!("cut 0..limit into `parts` ranges as described above")
}

/// Counts what `count` finds in `0..limit` with `threads` threads: [`split`] `0..limit` into
/// `threads` ranges, call `count` on each range on a thread of its own, and add up what the
/// calls return. `threads` is treated as at least 1.
///
/// Use [`std::thread::scope`]: scoped threads are joined before `scope` returns, so they may
/// borrow `count` from the caller, and each `ScopedJoinHandle::join` returns that thread's
/// result. Spawn all the threads before joining any: every range must be counted at the same
/// time as the others, or the threads only take turns. If a call to `count` panics, let the
/// panic reach the caller (`join` gives it back as an `Err`).
///
/// [`count_primes_scoped`] passes [`count_primes`] as `count`. The tests pass a `count` of their
/// own, which checks that every range is counted once, each on its own thread (not the
/// caller's), and all at the same time.
#[allow(unused_variables)]
pub fn count_in_threads(
    limit: u64,
    threads: usize,
    count: impl Fn(Range<u64>) -> u64 + Sync,
) -> u64 {
    todo!("split, call `count` on each range on a scoped thread, sum the results")
}

/// Counts the primes below `limit` with `threads` threads. Given: it is [`count_in_threads`]
/// with [`count_primes`].
pub fn count_primes_scoped(limit: u64, threads: usize) -> u64 {
    count_in_threads(limit, threads, count_primes)
}

/// Counts the numbers in `0..limit` for which `keep` is true, with rayon.
///
/// rayon turns an iterator into a parallel one: `(0..limit).into_par_iter()` (bring
/// `rayon::prelude::*` into scope) spreads the numbers over rayon's thread pool, one thread per
/// core, and balances the work between the threads for you. Then filter with `keep` and count,
/// as [`count_primes`] does with [`is_prime`].
///
/// [`count_primes_rayon`] passes [`is_prime`] as `keep`. The tests check the counts, and that
/// every call to `keep` runs on one of rayon's worker threads.
#[allow(unused_variables)]
pub fn count_with_rayon(limit: u64, keep: impl Fn(u64) -> bool + Sync + Send) -> u64 {
    todo!("(0..limit).into_par_iter(), then filter with `keep` and count")
}

/// Counts the primes below `limit` with rayon. Given: it is [`count_with_rayon`] with
/// [`is_prime`].
pub fn count_primes_rayon(limit: u64) -> u64 {
    count_with_rayon(limit, is_prime)
}
