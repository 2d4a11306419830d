//! Exercise `condvar_queue`: Python's `queue.Queue(maxsize)`, built by hand.
//!
//! A `Mutex<VecDeque<T>>` holds the items (first in at the back, first out at the front), and
//! two `Condvar`s let threads sleep until something changes: `not_full` wakes producers waiting
//! for room, `not_empty` wakes consumers waiting for an item. Every wait re-checks its condition
//! in a loop, so a wakeup that finds nothing to do (a spurious one, or another thread that got
//! there first) just waits again; `Condvar::wait_while` and `wait_timeout_while` write that loop
//! for you.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

// Given by the course, down to the end-of-given line: keep it as it is.
/// The queue was full: the item comes back, as with crossbeam's `TrySendError::Full(x)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full<T>(pub T);
// End of given.

/// A first-in, first-out queue of at most `capacity` items, shared by threads through `&self`.
///
/// The private fields are yours to choose; the tests only use the methods.
#[allow(dead_code)]
pub struct Queue<T> {
    items: Mutex<VecDeque<T>>,
    not_full: Condvar,
    not_empty: Condvar,
    capacity: usize,
}

#[allow(unused_variables)]
impl<T> Queue<T> {
    /// An empty queue that holds at most `capacity` items, like Python's `Queue(capacity)`.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0. (Python's `Queue(0)` means "no limit"; here a limit is required.)
    pub fn new(capacity: usize) -> Self {
        todo!("assert the capacity, then an empty VecDeque and two Condvars")
    }

    /// Python's `put(x)`: waits while the queue is full, then adds `item` at the back.
    pub fn put(&self, item: T) {
        todo!("lock, wait_while the queue is full, push_back, notify the getters")
    }

    /// Python's `put(x, False)`: adds `item` if there is room right now, or gives it back in
    /// `Err(Full(item))` at once.
    pub fn try_put(&self, item: T) -> Result<(), Full<T>> {
        todo!("no waiting: full? give the item back in Err(Full(item))")
    }

    /// Python's `put(x, True, timeout)`: waits at most `timeout` for room, then adds `item`, or
    /// gives it back in `Err(Full(item))` if the queue was still full.
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), Full<T>> {
        todo!("wait_timeout_while the queue is full; still full afterwards? Err(Full(item))")
    }

    /// Python's `get()`: waits while the queue is empty, then takes the item at the front.
    pub fn get(&self) -> T {
        todo!("lock, wait_while the queue is empty, pop_front, notify the putters")
    }

    /// Python's `get(False)`: the item at the front if there is one right now, else `None`.
    pub fn try_get(&self) -> Option<T> {
        todo!("pop_front if there is an item, without waiting")
    }

    /// Python's `get(True, timeout)`: waits at most `timeout` for an item; `None` if the queue
    /// stayed empty.
    pub fn get_timeout(&self, timeout: Duration) -> Option<T> {
        todo!("wait_timeout_while the queue is empty, then pop_front")
    }

    /// Python's `qsize()`: how many items the queue holds at this moment.
    ///
    /// Read it under the same lock as the items. A count kept beside them (say an atomic that
    /// `put` updates after it unlocks) is wrong for a moment after each change; no test can make
    /// that moment happen on demand, so this one is on you.
    pub fn qsize(&self) -> usize {
        todo!("the length, read under the lock")
    }

    /// Python's `full()`: whether the queue holds `capacity` items at this moment.
    pub fn full(&self) -> bool {
        todo!("the length against the capacity, under the lock")
    }

    /// Python's `empty()`: whether the queue holds no item at this moment.
    pub fn empty(&self) -> bool {
        todo!("whether the VecDeque is empty, under the lock")
    }

    /// The `capacity` given to [`Queue::new`] (Python's `maxsize`).
    pub fn capacity(&self) -> usize {
        todo!("the capacity given to new")
    }
}
