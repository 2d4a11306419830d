//! Exercise `pipeline`: read → transform → write, three stages joined by bounded queues.
//!
//! Each stage is a thread that deals only with the queues beside it, like the notes' producer
//! and consumer: the reader produces for the transformer, which consumes and produces for the
//! writer. A stage that fails reports the error and ends; dropping its ends of the queues tells
//! the others to finish, so every thread ends and is joined. A `stop` channel ends the pipeline
//! from outside, and the reader watches it with `crossbeam_channel::select!` even while it
//! waits for room in a full queue.

use std::fmt;

use crossbeam_channel::Receiver;

// Given by the course, down to the end-of-given line: keep it as it is.
/// The three stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Read,
    Transform,
    Write,
}

/// A stage failed on item number `item` (counting from 0 in the order the reader read them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineError {
    pub stage: Stage,
    pub item: usize,
    pub message: String,
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} stage failed on item {}: {}",
            self.stage, self.item, self.message
        )
    }
}

impl std::error::Error for PipelineError {}
// End of given.

/// Runs the pipeline and returns how many items the writer wrote, or the failed stage's error.
///
/// - The **read** stage takes items from `source` in order (an `Err(message)` from it is a
///   `Read` error on that item) and sends them, numbered from 0, into a `bounded(capacity)`
///   queue. Before it sends each item it looks at `stop`: once a message arrives there (or
///   every `stop` sender is gone), it sends no more. It must also notice `stop` while it waits
///   for room in a full queue: use `select!` with `recv(stop)` and `send(queue, item)`.
/// - The reader's thread owns the source (move it in), so the source is dropped as soon as the
///   reader ends. One test watches for that drop to know that the reader has stopped.
/// - The **transform** stage applies `transform` to each item (an `Err` is a `Transform`
///   error) and sends the result into a second `bounded(capacity)` queue.
/// - The **write** stage calls `write` on each item in order (an `Err` is a `Write` error).
/// - Each stage is its own thread. When a stage fails, it ends; the stages before it find
///   their queue closed and end, the stages after it finish what is already queued and end.
///   Items before the failed one are all written; the failed one and those after it are not.
/// - It returns only after every stage's thread has ended: `Ok(written)` if no stage failed
///   (also after a stop), else `Err` of the failed stage with the item's number and message.
///   If two stages fail, either error will do (the tests make only one fail); the reference
///   returns the earlier stage's.
#[allow(unused_variables)]
pub fn run<S, T, W>(
    source: S,
    transform: T,
    write: W,
    capacity: usize,
    stop: &Receiver<()>,
) -> Result<usize, PipelineError>
where
    S: IntoIterator<Item = Result<String, String>>,
    S::IntoIter: Send,
    T: Fn(String) -> Result<String, String> + Send,
    W: FnMut(String) -> Result<(), String> + Send,
{
    todo!(
        "two bounded queues, three scoped threads; the reader waits in select! on recv(stop) and send(queue, item)"
    )
}
