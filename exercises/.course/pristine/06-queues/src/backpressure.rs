//! Exercise `backpressure`: a full queue makes a fast producer wait.
//!
//! The 5 in the notes' `Queue(5)` is what keeps a producer that is faster than its consumer
//! from filling the memory: once five items wait, `put` blocks until `get` makes room. The
//! producer is then never more than five items (plus the one in its hand) ahead.

use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

// Given by the course, down to the end-of-given line: keep it as it is.
/// What the producer reports, in order, for each item `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Item `i` is made and the producer is about to send it.
    Sending(u32),
    /// The send of item `i` has returned: the item is in the queue (or already taken).
    Sent(u32),
}
// End of given.

/// Starts a producer thread that sends the items `0..items` through a new `bounded(capacity)`
/// queue as fast as the queue lets it, and returns the queue's `Receiver` (the test is the
/// consumer) and the thread's handle (it returns how many items it sent).
///
/// For every item `i` the producer reports `Event::Sending(i)` on `events` just before the
/// blocking `send`, and `Event::Sent(i)` just after it returns `Ok`. It sends nothing else, and
/// it ends (dropping its `Sender`) after the last item; it ignores a closed `events` channel.
/// If a send fails (the consumer has dropped the `Receiver`), it stops there: that item was not
/// sent, so there is no `Sent` for it.
///
/// The tests take one item at a time and check, at every step, that the producer has got
/// exactly as far as a queue of `capacity` allows: with `k` items taken, `Sent(k + capacity -
/// 1)` and `Sending(k + capacity)` arrive, no `Sent(k + capacity)` has arrived by then, and the
/// queue holds exactly `capacity` items and is full (a larger or unbounded queue fails).
#[allow(unused_variables)]
pub fn start_producer(
    capacity: usize,
    items: u32,
    events: Sender<Event>,
) -> (Receiver<u32>, JoinHandle<u32>) {
    todo!("bounded(capacity), then a thread that reports Sending(i), sends i, reports Sent(i)")
}
