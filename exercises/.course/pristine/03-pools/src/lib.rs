// Given by the course, down to the end-of-given line: keep it as it is.
//! Chapter 3: pools (进程池), copying a folder of 100 files with 5 workers.
//!
//! The notes start from a plain loop that copies one file after another, 1024 bytes at a time,
//! and ask two questions. One process leaves the rest of the machine idle; but is one process
//! per file (100 of them) better? No: start a fixed number of workers, five, and hand them the
//! 100 jobs. Python's answer is `Pool(5)`, `apply_async(f, args)` for each job, then `close()`
//! (no more jobs) and `join()` (wait for the workers to finish).
//!
//! Python needs *processes* for that because its threads cannot run Python code in parallel.
//! Rust threads can, so in Rust a pool is usually threads, and a pool of processes is what you
//! build when you want isolation: a job that crashes its worker cannot take the others down.
//! This crate does the same job three ways and runs all three under the same tests:
//!
//! - [`chunked_copy`]: the notes' copy loop, done carefully (short reads, end of file, errors);
//! - [`thread_pool`]: a pool made by hand, 5 named threads taking jobs from a channel;
//! - [`rayon_pool`]: the same with rayon's `ThreadPool`;
//! - [`process_pool`]: 5 child processes (this crate's own program, started again in its
//!   [`worker`] role) fed one job per line over their stdin;
//! - [`copy_dir`]: the whole job, copying a folder with any of the pools, and a report that
//!   names every file that could not be copied.
//!
//! This file is given: you do not need to change it. Each exercise is one module, and
//! `cargo test -p pools --test <module>` checks it.

use std::any::Any;
use std::fmt;

pub mod chunked_copy;
pub mod copy_dir;
pub mod process_pool;
pub mod rayon_pool;
pub mod thread_pool;
pub mod worker;

/// How many workers a pool has unless told otherwise: the notes' `Pool(5)`.
pub const WORKERS: usize = 5;

/// The report of a job that panicked inside a thread pool.
///
/// A pool catches the panic of a single job (with [`std::panic::catch_unwind`]) and turns it into
/// this value, so that one bad job neither kills its worker nor hides the results of the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPanic {
    /// The job's position in the list the pool was given.
    pub index: usize,
    /// The panic's message, such as `"attempt to divide by zero"`.
    pub message: String,
}

impl JobPanic {
    /// The report for job `index`, made from the payload that `catch_unwind` returned.
    ///
    /// `panic!("literal")` carries a `&'static str` and `panic!("{x}")` a `String`; both give
    /// their text. Anything else (from `std::panic::panic_any`) gives a placeholder.
    pub fn new(index: usize, payload: Box<dyn Any + Send>) -> Self {
        let message = match payload.downcast::<String>() {
            Ok(text) => *text,
            Err(payload) => match payload.downcast::<&'static str>() {
                Ok(text) => (*text).to_owned(),
                Err(_) => "(a panic without a message)".to_owned(),
            },
        };
        JobPanic { index, message }
    }
}

impl fmt::Display for JobPanic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "job {} panicked: {}", self.index, self.message)
    }
}

impl std::error::Error for JobPanic {}

/// A checksum that costs real CPU time: 64-bit FNV-1a run over `bytes` `rounds` times in a row,
/// each round going on from the hash the previous one ended with.
///
/// With `rounds == 1` it is the plain FNV-1a that `test_support::checksum` computes. It is the
/// CPU-bound job of the chapter's benchmark (where a pool pays off much more than for copying),
/// and the worker's `hash` job.
pub fn fingerprint(bytes: &[u8], rounds: u32) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..rounds {
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}
// End of given.
