//! Exercise `scoped_chunks`: `map_chunks` runs a function on every chunk of a borrowed slice,
//! all chunks at once, with `thread::scope`.
//!
//! The part counts are chosen to differ from this machine's core count (3, 7, 16 ...), so that an
//! answer that splits by `available_parallelism()` instead of `parts` fails, and every chunk's
//! call waits at a gate with a timeout until all of them are running.

use std::collections::HashSet;
use std::sync::Mutex;
use std::thread;

use test_support::{Gate, TIMEOUT, within};
use threads::scoped_chunks::{map_chunks, parallel_max, parallel_sum};

/// The chunks `map_chunks` made of `0..len` with `parts`, as they came back.
fn chunks_of(len: usize, parts: usize) -> Vec<Vec<usize>> {
    let data: Vec<usize> = (0..len).collect();
    within("map_chunks", move || {
        map_chunks(&data, parts, <[usize]>::to_vec)
    })
}

#[test]
fn chunks_cover_every_item_once_in_order_with_sizes_that_differ_by_at_most_one() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let mut cases = vec![
        (10, 1),
        (10, 2),
        (10, 3),
        (100, 7),
        (100, 16),
        (7, 7),
        (1, 1),
        (1, 5),
        (3, 8),
        (10, 0),
        (0, 4),
        (0, 0),
        (1000, cores + 1),
        (1000, cores * 2 + 1),
    ];
    cases.push((97, cores));
    for (len, parts) in cases {
        let chunks = chunks_of(len, parts);
        let expected_count = if len == 0 { 0 } else { parts.clamp(1, len) };
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        let case = format!(
            "map_chunks of {len} items with parts = {parts} (this machine has {cores} cores) \
             made chunks of the sizes {sizes:?}"
        );
        assert_eq!(
            chunks.len(),
            expected_count,
            "{case}: expected {expected_count} chunks. Split by `parts`, not by the number of \
             cores; 0 parts means 1, there are never more chunks than items, and no items give \
             no chunks (and no calls of f)"
        );
        assert_eq!(
            chunks.concat(),
            (0..len).collect::<Vec<_>>(),
            "{case}: together, in order, the chunks must hold every item exactly once"
        );
        if let (Some(min), Some(max)) = (sizes.iter().min(), sizes.iter().max()) {
            assert!(
                *min >= 1 && max - min <= 1,
                "{case}: every chunk holds at least one item, and their sizes differ by at most \
                 one"
            );
        }
    }
}

#[test]
fn all_the_parts_run_at_the_same_time() {
    for parts in [3, 7, 16] {
        let data: Vec<u32> = (0..100).collect();
        let (results, opened, together) = within("map_chunks", move || {
            let gate = Gate::new(parts);
            let results = map_chunks(&data, parts, |chunk| (gate.wait(), chunk.len()));
            (results, gate.opened(), gate.arrived_together())
        });
        assert!(
            opened,
            "with parts = {parts}, each call of f waits at a gate until all {parts} are running, \
             but only {together} were there together (the gate waits {} s): spawn a scoped \
             thread for every chunk before joining any, and make exactly `parts` chunks",
            TIMEOUT.as_secs()
        );
        assert_eq!(results.len(), parts, "{results:?}");
    }
}

#[test]
fn f_borrows_from_the_caller_and_each_call_gets_its_own_thread() {
    let data: Vec<String> = (0..12).map(|i| format!("item-{i}")).collect();
    let threads = Mutex::new(HashSet::new());
    let lengths = within("map_chunks", move || {
        let lengths = map_chunks(&data, 4, |chunk| {
            threads.lock().unwrap().insert(thread::current().id());
            chunk.iter().map(String::len).sum::<usize>()
        });
        (lengths, threads.into_inner().unwrap().len())
    });
    let (lengths, distinct) = lengths;
    assert_eq!(
        lengths,
        [18, 18, 18, 20],
        "the total length of each chunk's strings, in order"
    );
    assert_eq!(
        distinct, 4,
        "each of the 4 chunks ran on a thread of its own"
    );
}

#[test]
fn sum_and_max_are_right_for_any_number_of_parts() {
    let data: Vec<u64> = (1..=1000).map(|i| (i * 7919) % 1009).collect();
    let sum: u64 = data.iter().sum();
    let max = data.iter().copied().max();
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    for parts in [
        0,
        1,
        2,
        3,
        5,
        7,
        16,
        999,
        1000,
        5000,
        cores,
        cores + 1,
        cores * 2,
    ] {
        let input = data.clone();
        let (got_sum, got_max) = within("parallel_sum and parallel_max", move || {
            (parallel_sum(&input, parts), parallel_max(&input, parts))
        });
        assert_eq!(got_sum, sum, "parallel_sum with parts = {parts}");
        assert_eq!(got_max, max, "parallel_max with parts = {parts}");
    }
    let (empty_sum, empty_max, negative_max, wrapped) =
        within("parallel_sum and parallel_max", || {
            (
                parallel_sum(&[], 4),
                parallel_max::<i32>(&[], 4),
                parallel_max(&[-5_i64, -2, -9], 2),
                parallel_sum(&[u64::MAX, 2], 2),
            )
        });
    assert_eq!(empty_sum, 0, "the sum of nothing is 0");
    assert_eq!(empty_max, None, "nothing has no maximum");
    assert_eq!(negative_max, Some(-2), "the largest of negative numbers");
    assert_eq!(
        wrapped, 1,
        "parallel_sum wraps around on overflow (wrapping_add), as the doc says"
    );
}

#[test]
fn a_table_of_parts() {
    let data: Vec<u64> = (1..=100).collect();
    let lines: Vec<String> = [0, 1, 3, 7, 16, 100, 250]
        .into_iter()
        .map(|parts| {
            let input = data.clone();
            let (chunks, sum, max) = within("map_chunks", move || {
                (
                    map_chunks(&input, parts, |_| ()).len(),
                    parallel_sum(&input, parts),
                    parallel_max(&input, parts),
                )
            });
            format!("parts={parts:<4} chunks={chunks:<4} sum={sum} max={max:?}")
        })
        .collect();
    insta::with_settings!({
        description => "1..=100 split into `parts` chunks: how many chunks, their sum and maximum",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(lines.join("\n"));
    });
}
