//! Exercise `counter`: the notes' shared counter, exact.
//!
//! In Python, threads that each run `count += 1` on a global lose updates: `+=` is a read, an
//! add and a write, and a thread can be switched out between the read and the write. The notes'
//! fix is a lock around the change. Here you write the same counter three ways:
//!
//! - [`count_with_mutex`]: a `Mutex<u64>` taken for each single increment;
//! - [`count_with_atomic`]: an `AtomicU64`, whose `fetch_add` is the read, add and write in one
//!   step that no other thread can split;
//! - [`count_with_local_sums`]: each thread counts in its own local variable, and the totals are
//!   added at the end, so the threads share nothing while they count.
//!
//! All three start `threads` threads that run at the same time, each adding 1 exactly
//! `per_thread` times. Use scoped threads (`std::thread::scope`): they may borrow `counter` and
//! `after_each`, and the scope joins them before the function returns. `thread::spawn` cannot
//! take them: its closure must be `'static`, owning everything it uses, and here `counter` is a
//! borrowed `&Mutex<u64>` and `after_each` may borrow the caller's locals (it is not `'static`).
//! An `Arc` does not help, because you cannot make an `Arc` out of something you only borrow.
//!
//! **`after_each`.** After every single increment, the thread calls `after_each(t)`, where `t` is
//! its own number, `0..threads`, *with the lock released*. The tests use it to see what your
//! threads do: the first time each thread calls it, the test holds that thread until all the
//! threads are there. That only works if all `threads` threads are counting at the same time,
//! and if none of them holds the lock while it waits. So a counter that keeps the lock for its
//! whole loop (right, but one thread at a time), or that joins each thread right after spawning
//! it, fails the tests, although its total is right.

use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

/// Adds `threads * per_thread` to `*counter`: `threads` threads at once, each locking the mutex
/// for every single `+= 1` and calling `after_each(t)` after each one, once the guard is gone.
///
/// The lock is taken and released once per increment: read, add and write all happen under the
/// same guard. Reading under one guard and writing under another loses updates, just as Python
/// does without a lock.
///
/// The tests (`tests/counter.rs`) check, for 8 threads x 10 000 and for other numbers of threads
/// (1, 3, 16, and 0, which adds nothing): that the counter goes up by exactly
/// `threads * per_thread` (it need not start at 0); that every `t` in `0..threads` is passed to
/// `after_each` exactly `per_thread` times; that all threads reach their first `after_each`
/// together, each after exactly one increment, and without holding the lock then.
#[allow(unused_variables)]
pub fn count_with_mutex(
    counter: &Mutex<u64>,
    threads: usize,
    per_thread: u64,
    after_each: impl Fn(usize) + Sync,
) {
    todo!("spawn `threads` scoped threads; each locks, adds 1, drops the guard, calls after_each")
}

/// The same with an atomic: each thread adds 1 with `counter.fetch_add(1, Ordering::Relaxed)`
/// (a single step; `Relaxed` is enough, because nothing else is ordered by this counter) and then
/// calls `after_each(t)`.
///
/// A `load` followed by a `store` is two steps, and loses updates.
///
/// The tests check the same as for [`count_with_mutex`].
#[allow(unused_variables)]
pub fn count_with_atomic(
    counter: &AtomicU64,
    threads: usize,
    per_thread: u64,
    after_each: impl Fn(usize) + Sync,
) {
    todo!("spawn `threads` scoped threads; each does fetch_add(1) and calls after_each")
}

/// The same with nothing shared while counting: each thread adds 1 to a local variable
/// `per_thread` times, calling `after_each(t)` after each, and returns its count; the caller
/// joins the threads and returns the sum.
///
/// The tests check that it returns `threads * per_thread`, and the same about `after_each` as for
/// [`count_with_mutex`] (there is no lock to hold here).
#[allow(unused_variables)]
pub fn count_with_local_sums(
    threads: usize,
    per_thread: u64,
    after_each: impl Fn(usize) + Sync,
) -> u64 {
    todo!("spawn `threads` scoped threads that each count locally; sum what join returns")
}
