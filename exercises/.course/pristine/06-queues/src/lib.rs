// Given by the course, down to the end-of-given line: keep it as it is.
//! Chapter 6: queues (队列) and the producer–consumer model (生产者消费者模型).
//!
//! The notes' `queue.Queue(5)` is a first-in, first-out buffer of at most five items that
//! threads share: `put` waits while it is full, `get` waits while it is empty. Rust's everyday
//! version is a channel, `crossbeam_channel::bounded(5)`, split into a `Sender` (the producers'
//! end) and a `Receiver` (the consumers' end).
//!
//! Each exercise is one module, and `cargo test -p queues --test <module>` checks it:
//!
//! - [`condvar_queue`]: Python's `Queue` built by hand from a `Mutex<VecDeque<T>>` and
//!   `Condvar`s, tested with the same suite as crossbeam's channel;
//! - [`python_api`]: every call of Python's `Queue`, performed on a crossbeam channel;
//! - [`producer_consumer`]: three producers, three consumers, and no sentinel;
//! - [`backpressure`]: a full queue makes the producer wait;
//! - [`pipeline`]: read → transform → write, joined by bounded queues, that stops cleanly on
//!   an error or when told to.
//!
//! This file is given: you do not need to change it.

pub mod backpressure;
pub mod condvar_queue;
pub mod pipeline;
pub mod producer_consumer;
pub mod python_api;
// End of given.
