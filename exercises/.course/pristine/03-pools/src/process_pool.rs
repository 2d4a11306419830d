//! Exercise `process_pool`: a pool of 5 child processes, the notes' `Pool(5)` for real.
//!
//! The parent starts `workers` copies of this crate's program in its worker role
//! (`<exe> worker`, see [`crate::worker`]), with their stdin and stdout piped. For each child one
//! parent thread takes jobs from a shared channel, writes the job's line to the child's stdin,
//! and reads the child's one-line reply from its stdout. The child serves one job at a time, so
//! at most `workers` jobs run at once, each in a process of its own.
//!
//! Processes buy isolation: a job that crashes takes down only its own worker process. The
//! parent notices (the reply never comes: reading the child's stdout hits the end), reports that
//! job as failed, and starts a fresh worker for the jobs that are left. Nothing else is lost.
//!
//! The child's side is given: `src/worker.rs` holds the line protocol ([`Task`] and
//! [`Reply`](crate::worker::Reply), each with `to_line` and `from_line`) and the worker loop
//! that `main` runs in the `worker` role. Your part is the parent's side, [`run`]. This file's
//! tests use `hash`, `gate` and `panic` jobs only; `copy` jobs (which the worker does with your
//! `chunked_copy::copy_file`) come in with the `copy_dir` tests' `processes::...` module.

use std::fmt;
use std::path::Path;

use crate::worker::Task;

// Given by the course, down to the end-of-given line: keep it as it is.
/// A job that a worker process finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The process id of the worker that ran it.
    pub pid: u32,
    /// The worker's answer: the bytes copied, the fingerprint, or 0 for a gate job.
    pub value: u64,
}

/// Why a job did not give a [`Done`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFailed {
    /// The job could not be written as one line ([`Task::to_line`] refused it), so it was never
    /// sent to a worker.
    Rejected { reason: String },
    /// The worker ran the job and answered with an error; the worker itself is fine.
    Failed { pid: u32, message: String },
    /// The worker process died before it answered (it panicked, or was killed).
    Crashed { pid: u32, status: String },
    /// No worker process could be started to run it.
    NoWorker { reason: String },
}

impl fmt::Display for JobFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobFailed::Rejected { reason } => write!(f, "not sent to a worker: {reason}"),
            JobFailed::Failed { pid, message } => write!(f, "failed in worker {pid}: {message}"),
            JobFailed::Crashed { pid, status } => {
                write!(f, "worker {pid} died during the job ({status})")
            }
            JobFailed::NoWorker { reason } => write!(f, "no worker could run it: {reason}"),
        }
    }
}

impl std::error::Error for JobFailed {}
// End of given.

/// Runs `tasks` on a pool of `workers` child processes of the program `exe`, and returns one
/// result per task, **in input order**.
///
/// The parent's side of the pool, step by step:
///
/// 1. Turn each task into its line with [`Task::to_line`]. A task it refuses (a path with a tab
///    or a line break) is never sent: its result is `Err(JobFailed::Rejected { reason })`. Send
///    the others, as `(index, line)`, into a `crossbeam_channel` of jobs, then drop the sender
///    (`close`).
/// 2. In a `std::thread::scope`, start one parent thread per worker (treat 0 workers as 1, and
///    start no more than there are jobs to send).
///    Each thread starts a child, `Command::new(exe).arg(crate::worker::ROLE)`, with
///    `Stdio::piped()` stdin and stdout (leave stderr alone, so a crashing worker's message
///    reaches the terminal), and remembers its `Child::id()`.
/// 3. For each job it takes from the channel, the thread writes the line and a line break to
///    the child's stdin and flushes it, then reads one line from the child's stdout (wrap the
///    stdout in a `std::io::BufReader` and use `read_line`), and parses it with
///    [`Reply::from_line`](crate::worker::Reply::from_line):
///    - `Reply::Ok(value)` gives `Ok(Done { pid, value })`;
///    - `Reply::Err(message)` gives `Err(JobFailed::Failed { pid, message })`, and the same
///      worker takes the next job;
///    - reading 0 bytes (the end of its stdout), or an error writing or reading, means the
///      child died during the job: wait for it (`Child::wait`) and give
///      `Err(JobFailed::Crashed { pid, status })` with the exit status as text (its `Display`,
///      e.g. `exit status: 101`). Then start a fresh child for the next job. A line that is no
///      reply means the child cannot be trusted either: kill it and treat it the same way.
/// 4. If a child cannot be started (`spawn` fails, e.g. `exe` does not exist), the job the
///    thread holds gets `Err(JobFailed::NoWorker { reason })`; try again for the next job.
/// 5. When the job channel is empty, close each child's stdin (drop it) so that its worker loop
///    ends, and wait for the child, so that no process is left behind. The end of the scope
///    waits for the parent threads (`join`); put each `(index, result)` back in its place.
///
/// The tests (`tests/process_pool.rs`) check that:
///
/// - 40 `hash` jobs come back in input order with the right values (64-bit FNV-1a, which the
///   test works out by itself), from at most 5 processes, none of them the test's own; once
///   `run` returns, every worker has been waited for (a child that was never waited for stays
///   in the process table, which the test sees in `/proc`);
/// - 20 `gate` jobs with 5 workers: 5 run at the same time in 5 different processes (a
///   cross-process gate over 127.0.0.1, which times out after 10 s) and never more than 5;
/// - a `panic` job gives `JobFailed::Crashed` with its worker's pid and an exit status of 101,
///   and a fresh worker (another pid) runs the next job, and again every worker has been waited
///   for; with 5 workers and every fourth job crashing, all the other jobs still succeed;
/// - a job that fails in the worker gives `JobFailed::Failed` with the worker's message, and
///   the same worker runs the next job (also a `gate` job that a gate turns away);
/// - each result holds the worker's own answer: with a stand-in worker program that answers
///   every job with its own process id, each `Done`'s `value` is its `pid`;
/// - with a stand-in worker that answers a line that is no reply and then ignores its stdin,
///   each job gives `JobFailed::Crashed`, a fresh worker takes the next one, and `run` still
///   returns with every worker waited for (so it must have been killed);
/// - a path with a tab or a line break gives `JobFailed::Rejected`, and the other jobs still run;
/// - a program that does not exist gives `JobFailed::NoWorker` for every job, without hanging;
/// - no jobs give no results, and 0 workers work like 1.
#[allow(unused_variables)]
pub fn run(exe: &Path, workers: usize, tasks: Vec<Task>) -> Vec<Result<Done, JobFailed>> {
    todo!(
        "start the workers, feed each one jobs over its stdin, read the replies, replace the dead"
    )
}
