//! Exercise `scoped_chunks`: threads that borrow the caller's data, with `thread::scope`.

use std::thread;

/// Splits `data` into `parts` chunks and runs `f` on each chunk at the same time, each on a
/// thread of its own; returns the results in the chunks' order.
pub fn map_chunks<T, R, F>(data: &[T], parts: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let parts = parts.max(1).min(data.len());
    if parts == 0 {
        return Vec::new();
    }
    let (size, extra) = (data.len() / parts, data.len() % parts);
    let f = &f;
    thread::scope(|scope| {
        let mut rest = data;
        let mut handles = Vec::with_capacity(parts);
        for i in 0..parts {
            let (chunk, after) = rest.split_at(size + usize::from(i < extra));
            rest = after;
            handles.push(scope.spawn(move || f(chunk)));
        }
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
            })
            .collect()
    })
}

/// The sum of `data`, computed in `parts` chunks with [`map_chunks`]; wraps around on overflow.
pub fn parallel_sum(data: &[u64], parts: usize) -> u64 {
    map_chunks(data, parts, |chunk| {
        chunk.iter().fold(0u64, |sum, &x| sum.wrapping_add(x))
    })
    .into_iter()
    .fold(0, u64::wrapping_add)
}

/// The largest item of `data`, computed in `parts` chunks with [`map_chunks`]; `None` if `data`
/// is empty.
pub fn parallel_max<T: Ord + Copy + Sync + Send>(data: &[T], parts: usize) -> Option<T> {
    map_chunks(data, parts, |chunk| chunk.iter().copied().max())
        .into_iter()
        .flatten()
        .max()
}
