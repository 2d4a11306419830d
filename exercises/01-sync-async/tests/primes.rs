//! Exercise `primes`: split the numbers, count the primes in parallel.
//!
//! The counts are checked against known values of π(n), the number of primes below n. That the
//! counting really runs in parallel is checked with a `count` of the tests' own, which waits at
//! a gate until every range is being counted. How fast the parallel versions are is for the
//! benchmark to show; tests never time anything.

use std::collections::HashSet;
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, ThreadId};

use sync_async::primes::{
    count_in_threads, count_primes_rayon, count_primes_scoped, count_with_rayon, split,
};
use test_support::{Gate, TIMEOUT};

/// `(limit, number of primes below limit)`.
const KNOWN: [(u64, u64); 9] = [
    (0, 0),
    (1, 0),
    (2, 0),
    (3, 1),
    (10, 4),
    (11, 4),
    (100, 25),
    (10_000, 1229),
    (100_000, 9592),
];

#[test]
fn split_10_into_3() {
    insta::assert_debug_snapshot!(split(10, 3));
}

#[test]
fn split_covers_the_range_in_balanced_pieces() {
    for limit in [0, 1, 2, 3, 5, 10, 99, 100, 101, 1000] {
        for parts in [1, 2, 3, 4, 7, 10, 64, 150] {
            let ranges = split(limit, parts);
            let call = format!("split({limit}, {parts}) = {ranges:?}");
            assert_eq!(ranges.len(), parts, "{call}: expected {parts} ranges");
            assert_eq!(
                ranges[0].start, 0,
                "{call}: the first range must start at 0"
            );
            for pair in ranges.windows(2) {
                assert_eq!(
                    pair[0].end, pair[1].start,
                    "{call}: each range must start where the one before it ends"
                );
            }
            assert_eq!(
                ranges[parts - 1].end,
                limit,
                "{call}: the last range must end at {limit}"
            );
            let base = limit / parts as u64;
            let extra = (limit % parts as u64) as usize;
            for (i, range) in ranges.iter().enumerate() {
                let expected = if i < extra { base + 1 } else { base };
                assert_eq!(
                    range.end - range.start,
                    expected,
                    "{call}: range {i} should hold {expected} numbers (every range holds \
                     limit / parts, and the first limit % parts ranges one more)"
                );
            }
        }
    }
}

#[test]
fn split_into_zero_parts_gives_one_range() {
    for limit in [0, 10] {
        let ranges = split(limit, 0);
        assert!(
            ranges.len() == 1 && ranges[0] == (0..limit),
            "split({limit}, 0) = {ranges:?}: treat 0 parts as 1, which gives the single range \
             0..{limit}"
        );
    }
}

#[test]
fn scoped_counts_the_known_primes() {
    for threads in [1, 2, 3, 7] {
        for (limit, primes) in KNOWN {
            assert_eq!(
                count_primes_scoped(limit, threads),
                primes,
                "count_primes_scoped({limit}, {threads}): there are {primes} primes below {limit}"
            );
        }
    }
}

#[test]
fn scoped_with_more_threads_than_numbers() {
    for threads in [4, 11, 50] {
        for (limit, primes) in [(0, 0), (3, 1), (10, 4)] {
            assert_eq!(
                count_primes_scoped(limit, threads),
                primes,
                "count_primes_scoped({limit}, {threads}): there are {primes} primes below \
                 {limit}; some threads get an empty range, and that must still work"
            );
        }
    }
    assert_eq!(
        count_primes_scoped(100, 0),
        25,
        "count_primes_scoped(100, 0) should treat 0 threads as 1"
    );
}

#[test]
fn rayon_counts_the_known_primes() {
    for (limit, primes) in KNOWN {
        assert_eq!(
            count_primes_rayon(limit),
            primes,
            "count_primes_rayon({limit}): there are {primes} primes below {limit}"
        );
    }
}

#[test]
fn count_in_threads_counts_every_range_at_once_on_threads_of_their_own() {
    let caller = thread::current().id();
    for (limit, threads) in [(10, 2), (100, 3), (7, 4), (2, 3)] {
        // Each call records its range and thread, then waits until every range is being
        // counted; it counts the numbers in its range, so the total is `limit`.
        let gate = Gate::new(threads);
        let seen: Mutex<Vec<(Range<u64>, ThreadId)>> = Mutex::new(Vec::new());
        let total = count_in_threads(limit, threads, |range| {
            seen.lock()
                .unwrap()
                .push((range.clone(), thread::current().id()));
            gate.wait();
            range.end - range.start
        });

        let call = format!("count_in_threads({limit}, {threads}, ..)");
        assert!(
            gate.opened(),
            "{call}: only {} of {threads} ranges were being counted at the same time (waited {} \
             s for the rest): spawn every thread before you join any",
            gate.arrived_together(),
            TIMEOUT.as_secs()
        );
        let seen = seen.into_inner().unwrap();
        let mut ranges: Vec<(u64, u64)> = seen.iter().map(|(r, _)| (r.start, r.end)).collect();
        ranges.sort();
        let expected: Vec<(u64, u64)> = split(limit, threads)
            .into_iter()
            .map(|r| (r.start, r.end))
            .collect();
        assert_eq!(
            ranges, expected,
            "{call}: call `count` once on each range that split({limit}, {threads}) gives"
        );
        assert_eq!(
            total, limit,
            "{call}: add up what the calls to `count` return"
        );
        let distinct: HashSet<ThreadId> = seen.iter().map(|&(_, t)| t).collect();
        assert_eq!(
            distinct.len(),
            threads,
            "{call}: {threads} ranges were counted on {} threads: give each range a thread of \
             its own",
            distinct.len()
        );
        assert!(
            !distinct.contains(&caller),
            "{call}: a range was counted on the caller's thread: count every range on a \
             spawned thread"
        );
    }
}

#[test]
fn count_in_threads_passes_a_panic_on() {
    let length = |range: Range<u64>| range.end - range.start;
    assert_eq!(
        count_in_threads(10, 2, length),
        10,
        "count_in_threads(10, 2, ..) with a `count` that returns each range's length"
    );
    // The range that holds 0 panics; the other thread counts as usual.
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        count_in_threads(10, 2, |range| {
            assert!(range.start != 0, "the range from 0 cannot be counted");
            range.end - range.start
        })
    }));
    assert!(
        result.is_err(),
        "a call to `count` panicked, yet count_in_threads returned {:?}: a thread's panic \
         comes back from `join` as an `Err`; pass it on instead of counting around it",
        result.ok()
    );
}

#[test]
fn rayon_counts_with_keep_on_rayons_workers() {
    let (calls, off_pool) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let multiples_of_3 = count_with_rayon(10_000, |n| {
        calls.fetch_add(1, Ordering::Relaxed);
        if rayon::current_thread_index().is_none() {
            off_pool.fetch_add(1, Ordering::Relaxed);
        }
        n % 3 == 0
    });
    assert_eq!(
        multiples_of_3, 3334,
        "count_with_rayon(10_000, |n| n % 3 == 0): 3334 numbers below 10 000 are multiples of \
         3; count the numbers for which `keep` is true"
    );
    assert_eq!(
        calls.load(Ordering::Relaxed),
        10_000,
        "call `keep` once for each number in 0..limit"
    );
    let off_pool = off_pool.load(Ordering::Relaxed);
    assert_eq!(
        off_pool, 0,
        "{off_pool} of 10 000 calls to `keep` ran outside rayon's thread pool: let rayon run \
         them, with (0..limit).into_par_iter()"
    );
}
