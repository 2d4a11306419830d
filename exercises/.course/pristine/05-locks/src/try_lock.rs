//! Exercise `try_lock`: the non-blocking acquire.
//!
//! The notes write `if lock.acquire(): ...`. But `acquire()` with no arguments *blocks* until it
//! has the lock, and then returns `True`, so that `if` is always taken. The form that can say
//! "no" is `lock.acquire(blocking=False)`, which returns `False` at once if another thread has
//! the lock. Rust's is `Mutex::try_lock`: it never waits, and tells you why it failed, with a
//! `TryLockError`:
//!
//! - `TryLockError::WouldBlock`: someone holds the lock right now (another thread, or this very
//!   thread further up the stack);
//! - `TryLockError::Poisoned(e)`: the lock is free, but a thread panicked while holding it, so
//!   the data may be half-changed (see the `poison` exercise). `e.into_inner()` still gives you
//!   the guard.

use std::sync::Mutex;

// Given by the course, down to the end-of-given line: keep it as it is.
/// Why [`try_push`] did not push. Both variants hand the item back, so the caller can try again
/// later or put it somewhere else: nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TryPushError<T> {
    /// Someone holds the lock right now.
    Busy(T),
    /// A thread panicked while holding the lock. The vector was left as it is, and the lock
    /// stays poisoned: deciding whether the data can be trusted is the caller's job.
    Poisoned(T),
}
// End of given.

/// Pushes `item` onto the vector behind `list` *if the lock is free right now*, and returns the
/// vector's new length. It never waits for the lock.
///
/// - Lock free: push, and return `Ok(new length)`.
/// - Lock held (by any thread, also the calling one): return `Err(TryPushError::Busy(item))` at
///   once, and change nothing.
/// - Lock poisoned: return `Err(TryPushError::Poisoned(item))`, and change nothing; the lock
///   stays poisoned. (`Mutex::lock` would report the poison too; the point here is not to wait.)
///
/// Call `try_lock` once. Calling it again and again until it succeeds is waiting too (a spin),
/// and while another thread keeps the lock, it never returns.
///
/// The tests (`tests/try_lock.rs`) check each case: pushes onto a free lock return 1, 2, 3...;
/// while the test's main thread holds the guard, a call from another thread returns `Busy` with
/// the item (a call that waits for the lock, in `lock()` or by retrying, never returns, and the
/// test fails after its time limit); the same from the thread that holds the guard; a poisoned lock gives `Poisoned`, and
/// nothing is pushed in either case; after the guard is dropped, a push works again.
#[allow(unused_variables)]
pub fn try_push<T>(list: &Mutex<Vec<T>>, item: T) -> Result<usize, TryPushError<T>> {
    todo!("match list.try_lock(): Ok(guard), Err(TryLockError::WouldBlock), Err(Poisoned(_))")
}
