//! Exercise `python_api`: every call of Python's `queue.Queue`, on a crossbeam channel.
//!
//! | Python `Queue(5)` | crossbeam-channel |
//! |---|---|
//! | `Queue(5)` / `Queue()` | `bounded(5)` / `unbounded()` |
//! | `put(x)` | `send(x)` |
//! | `put(x, False)` | `try_send(x)`, `Err(TrySendError::Full(x))` |
//! | `put(x, True, 5)` | `send_timeout(x, 5 s)`, `Err(SendTimeoutError::Timeout(x))` |
//! | `get()` | `recv()` |
//! | `get(False)` | `try_recv()`, `Err(TryRecvError::Empty)` |
//! | `get(True, 5)` | `recv_timeout(5 s)`, `Err(RecvTimeoutError::Timeout)` |
//! | `full()` / `empty()` / `qsize()` | `is_full()` / `is_empty()` / `len()` |
//! | `maxsize` | `capacity()` |

use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

// Given by the course, down to the end-of-given line: keep it as it is.
/// One call of Python's `Queue`, with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call<T> {
    /// `q.put(x)`: wait for room as long as it takes.
    Put(T),
    /// `q.put(x, False)`: fail at once when full.
    PutNoWait(T),
    /// `q.put(x, True, timeout)`: fail after `timeout`.
    PutTimeout(T, Duration),
    /// `q.get()`: wait for an item as long as it takes.
    Get,
    /// `q.get(False)`: fail at once when empty.
    GetNoWait,
    /// `q.get(True, timeout)`: fail after `timeout`.
    GetTimeout(Duration),
    /// `q.full()`.
    IsFull,
    /// `q.empty()`.
    IsEmpty,
    /// `q.qsize()`.
    Qsize,
    /// `q.maxsize` (0 in Python means "no limit").
    Maxsize,
}

/// What a [`Call`] did. Python raises `queue.Full` or `queue.Empty` where this says `Full` or
/// `Empty`; a channel has one more outcome that Python's queue does not have: the other side is
/// gone (every `Receiver`, or every `Sender` and no item left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// A put added the item.
    Put,
    /// A get took this item.
    Got(T),
    /// A put found the queue full (at once, or until its timeout): the item comes back.
    Full(T),
    /// A get found the queue empty (at once, or until its timeout).
    Empty,
    /// The other side of the channel is gone; a put gives its item back.
    Disconnected(Option<T>),
    /// The answer of `full()` or `empty()`.
    Answer(bool),
    /// The answer of `qsize()` or `maxsize`.
    Size(usize),
}
// End of given.

/// Python's `queue.Queue(maxsize)` as a channel: `bounded(maxsize)` for a positive `maxsize`,
/// and `unbounded()` for 0, which in Python means a queue with no limit.
///
/// (`bounded(0)` exists too, but it is not Python's `Queue(0)`: it holds no item at all, so
/// every send waits for a receiver to take it, a rendezvous.)
#[allow(unused_variables)]
pub fn queue<T>(maxsize: usize) -> (Sender<T>, Receiver<T>) {
    todo!("maxsize 0 is unbounded(), any other is bounded(maxsize)")
}

/// Performs `call` on the channel (`tx`, `rx`) with the one crossbeam method the table maps it
/// to, and reports what happened.
///
/// - puts: `Put`, `Full(x)` (from `TrySendError::Full` or `SendTimeoutError::Timeout`), or
///   `Disconnected(Some(x))`;
/// - gets: `Got(x)`, `Empty` (from `TryRecvError::Empty` or `RecvTimeoutError::Timeout`), or
///   `Disconnected(None)`;
/// - `IsFull`, `IsEmpty`: `Answer(..)` from `is_full()` / `is_empty()`;
/// - `Qsize`: `Size(len())`; `Maxsize`: `Size(capacity)`, with 0 for an unbounded channel (as
///   Python's `maxsize`).
#[allow(unused_variables)]
pub fn perform<T>(call: Call<T>, tx: &Sender<T>, rx: &Receiver<T>) -> Outcome<T> {
    todo!("match call: each Call is one crossbeam method, each error variant one Outcome")
}
