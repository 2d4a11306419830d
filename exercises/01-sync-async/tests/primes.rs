//! Exercise `primes`: split the numbers, count the primes in parallel.
//!
//! The counts are checked against known values of π(n), the number of primes below n. How fast
//! the parallel versions are is for the benchmark to show; tests never time anything.

use sync_async::primes::{count_primes_rayon, count_primes_scoped, split};

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
