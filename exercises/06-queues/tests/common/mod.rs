//! Helpers shared by this chapter's test files.
//!
//! [`BoundedQueue`] is the one interface that the `condvar_queue` suite runs against: your
//! `Queue` and crossbeam's `bounded` channel (a `Sender` and a `Receiver` kept together)
//! implement it alike, so every scenario runs on both and must give the same transcript.
#![allow(dead_code)]

use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, bounded};
use queues::condvar_queue::{Full, Queue};

/// Python's `Queue`, as both implementations offer it.
pub trait BoundedQueue: Send + Sync {
    /// Which implementation this is, for messages.
    fn name(&self) -> &'static str;
    fn put(&self, item: u32);
    fn try_put(&self, item: u32) -> Result<(), u32>;
    fn put_timeout(&self, item: u32, timeout: Duration) -> Result<(), u32>;
    fn get(&self) -> u32;
    fn try_get(&self) -> Option<u32>;
    fn get_timeout(&self, timeout: Duration) -> Option<u32>;
    fn qsize(&self) -> usize;
    fn full(&self) -> bool;
    fn empty(&self) -> bool;
    fn capacity(&self) -> usize;
}

impl BoundedQueue for Queue<u32> {
    fn name(&self) -> &'static str {
        "your condvar_queue::Queue"
    }
    fn put(&self, item: u32) {
        Queue::put(self, item);
    }
    fn try_put(&self, item: u32) -> Result<(), u32> {
        Queue::try_put(self, item).map_err(|Full(x)| x)
    }
    fn put_timeout(&self, item: u32, timeout: Duration) -> Result<(), u32> {
        Queue::put_timeout(self, item, timeout).map_err(|Full(x)| x)
    }
    fn get(&self) -> u32 {
        Queue::get(self)
    }
    fn try_get(&self) -> Option<u32> {
        Queue::try_get(self)
    }
    fn get_timeout(&self, timeout: Duration) -> Option<u32> {
        Queue::get_timeout(self, timeout)
    }
    fn qsize(&self) -> usize {
        Queue::qsize(self)
    }
    fn full(&self) -> bool {
        Queue::full(self)
    }
    fn empty(&self) -> bool {
        Queue::empty(self)
    }
    fn capacity(&self) -> usize {
        Queue::capacity(self)
    }
}

/// crossbeam's `bounded(capacity)`, both ends in one value (so it never disconnects).
pub struct Channel {
    pub tx: Sender<u32>,
    pub rx: Receiver<u32>,
}

impl Channel {
    pub fn new(capacity: usize) -> Self {
        let (tx, rx) = bounded(capacity);
        Channel { tx, rx }
    }
}

impl BoundedQueue for Channel {
    fn name(&self) -> &'static str {
        "crossbeam_channel::bounded"
    }
    fn put(&self, item: u32) {
        self.tx.send(item).expect("the receiver is alive");
    }
    fn try_put(&self, item: u32) -> Result<(), u32> {
        self.tx.try_send(item).map_err(|e| e.into_inner())
    }
    fn put_timeout(&self, item: u32, timeout: Duration) -> Result<(), u32> {
        self.tx
            .send_timeout(item, timeout)
            .map_err(|e| e.into_inner())
    }
    fn get(&self) -> u32 {
        self.rx.recv().expect("the sender is alive")
    }
    fn try_get(&self) -> Option<u32> {
        self.rx.try_recv().ok()
    }
    fn get_timeout(&self, timeout: Duration) -> Option<u32> {
        self.rx.recv_timeout(timeout).ok()
    }
    fn qsize(&self) -> usize {
        self.rx.len()
    }
    fn full(&self) -> bool {
        self.rx.is_full()
    }
    fn empty(&self) -> bool {
        self.rx.is_empty()
    }
    fn capacity(&self) -> usize {
        self.rx.capacity().expect("a bounded channel")
    }
}
