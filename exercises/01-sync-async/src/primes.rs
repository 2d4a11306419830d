//! Exercise `primes`: using parallelism to speed up CPU-bound work.
//!
//! Counting the primes below a limit by trial division keeps a core busy and nothing else: no
//! waiting for disks or networks. One thread can only ever use one core; to use them all, split
//! the numbers into ranges and count each range on its own thread, then add up the counts.
//!
//! [`is_prime`] and [`count_primes`] are given: they are the sequential version to beat. The
//! exercise's parts are [`split`], [`count_primes_scoped`] and [`count_primes_rayon`]. The
//! benchmark (`cargo bench -p sync-async --bench primes`, run from the repository's root) times
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

/// Counts the primes below `limit` with `threads` threads: [`split`] `0..limit` into `threads`
/// ranges, count each range with [`count_primes`] on its own thread, and add up the counts.
///
/// Use [`std::thread::scope`]: scoped threads are joined before `scope` returns, so they may
/// borrow from the caller, and each `ScopedJoinHandle::join` returns that thread's count.
/// Spawn all the threads before joining any. `threads` is treated as at least 1.
///
/// The tests check the count against known values (there are 25 primes below 100, 1229 below
/// 10 000 and 9592 below 100 000) for several thread counts, including more threads than
/// numbers.
#[allow(unused_variables)]
pub fn count_primes_scoped(limit: u64, threads: usize) -> u64 {
    todo!("split, count each range on a scoped thread, sum the counts")
}

/// Counts the primes below `limit` with rayon.
///
/// rayon turns an iterator into a parallel one: `(0..limit).into_par_iter()` (bring
/// `rayon::prelude::*` into scope) spreads the numbers over rayon's thread pool, one thread per
/// core, and balances the work between the threads for you. Then filter and count as
/// [`count_primes`] does.
///
/// The tests check the count against the same known values as for [`count_primes_scoped`].
#[allow(unused_variables)]
pub fn count_primes_rayon(limit: u64) -> u64 {
    todo!("(0..limit).into_par_iter(), then filter and count")
}
