//! Exercise `scoped_chunks`: threads that borrow the caller's data, with `thread::scope`.
//!
//! A thread started with `thread::spawn` may outlive the function that started it, so it may
//! only use what it owns: `move` its data in, or share it behind an `Arc`. A thread started in
//! `std::thread::scope(|s| ..)` with `s.spawn(..)` is joined before `scope` returns, so it may
//! borrow the caller's locals, here the slice `data` and the function `f`.

/// Splits `data` into `parts` chunks and runs `f` on each chunk, each chunk on a thread of its
/// own and all of them at the same time; returns `f`'s results in the chunks' order.
///
/// The chunks:
///
/// - are contiguous sub-slices of `data` and, taken in order, hold every item exactly once;
/// - number `parts`, but `parts == 0` counts as 1, and there are never more chunks than items
///   (`parts > data.len()` gives one chunk per item); empty `data` gives no chunks, no calls of
///   `f` and an empty `Vec`;
/// - have sizes that differ by at most one (for 10 items in 3 parts: 4, 3, 3, or 3, 3, 4).
///
/// Split by `parts`, never by the machine's core count. Use `std::thread::scope`, and spawn
/// every chunk's thread before joining any. If `f` panics, pass the panic on
/// (`std::panic::resume_unwind`).
///
/// The tests (`tests/scoped_chunks.rs`) check the chunks for many lengths and part counts,
/// including 0, more parts than items, and counts unlike this machine's core count (3, 7, 16 ..);
/// that with 3, 7 and 16 parts every call of `f` waits at a gate (10 s timeout) until all are
/// running; that `f` may borrow from the caller and each call runs on a thread of its own; and
/// a snapshot of the chunk counts, sums and maxima of `1..=100`.
#[allow(unused_variables)]
pub fn map_chunks<T, R, F>(data: &[T], parts: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    todo!("split data into chunks, spawn a scoped thread per chunk, join them in order")
}

/// The sum of `data`, computed in `parts` chunks with [`map_chunks`]. It wraps around on
/// overflow (use `wrapping_add`), so `[u64::MAX, 2]` sums to 1. The sum of nothing is 0.
///
/// The tests check it for many part counts (0, 1, 2, 3, 5, 7, 16, 999, 1000, 5000 and the core
/// count and its neighbours).
#[allow(unused_variables)]
pub fn parallel_sum(data: &[u64], parts: usize) -> u64 {
    todo!("sum each chunk with map_chunks, then sum the sums")
}

/// The largest item of `data`, computed in `parts` chunks with [`map_chunks`]; `None` if `data`
/// is empty.
///
/// The tests check it for the same part counts as [`parallel_sum`], and for negative numbers.
#[allow(unused_variables)]
pub fn parallel_max<T: Ord + Copy + Sync + Send>(data: &[T], parts: usize) -> Option<T> {
    todo!("the maximum of each chunk with map_chunks, then the maximum of those")
}
