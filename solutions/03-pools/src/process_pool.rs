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

use std::fmt;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::thread;

use crossbeam_channel::{Receiver, Sender};

use crate::worker::{self, Reply, Task};

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

/// Runs `tasks` on a pool of `workers` (at least 1) child processes of the program `exe`, and
/// returns one result per task, in input order.
pub fn run(exe: &Path, workers: usize, tasks: Vec<Task>) -> Vec<Result<Done, JobFailed>> {
    let mut slots: Vec<Option<Result<Done, JobFailed>>> = (0..tasks.len()).map(|_| None).collect();
    let (job_sender, jobs) = crossbeam_channel::unbounded();
    let mut sent = 0;
    for (index, task) in tasks.iter().enumerate() {
        match task.to_line() {
            Ok(line) => {
                job_sender
                    .send((index, line))
                    .expect("the pool holds the receiver, so the channel is open");
                sent += 1;
            }
            Err(reason) => slots[index] = Some(Err(JobFailed::Rejected { reason })),
        }
    }
    // close(): each feeder's loop ends once the queue is empty.
    drop(job_sender);

    let (result_sender, results) = crossbeam_channel::unbounded();
    thread::scope(|scope| {
        // Treat 0 workers as 1, and start no more workers than there are jobs for.
        for _ in 0..workers.clamp(1, sent.max(1)) {
            let jobs = jobs.clone();
            let results = result_sender.clone();
            scope.spawn(move || feed(exe, &jobs, &results));
        }
    }); // join(): every feeder has finished, and every child has exited.
    drop(result_sender);

    for (index, result) in results {
        slots[index] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every job gets exactly one result"))
        .collect()
}

/// One parent thread: keeps one worker process busy with jobs from `jobs` until the queue is
/// empty, replacing the worker whenever it dies.
fn feed(
    exe: &Path,
    jobs: &Receiver<(usize, String)>,
    results: &Sender<(usize, Result<Done, JobFailed>)>,
) {
    let mut current: Option<Worker> = None;
    for (index, line) in jobs {
        // Start a worker for the first job, and a fresh one after a crash.
        let mut worker = match current.take() {
            Some(worker) => worker,
            None => match Worker::start(exe) {
                Ok(worker) => worker,
                Err(error) => {
                    let reason = format!("cannot start `{} worker`: {error}", exe.display());
                    let _ = results.send((index, Err(JobFailed::NoWorker { reason })));
                    continue;
                }
            },
        };
        let pid = worker.pid;
        let result = match worker.ask(&line) {
            Ok(Reply::Ok(value)) => Ok(Done { pid, value }),
            Ok(Reply::Err(message)) => Err(JobFailed::Failed { pid, message }),
            Err(trouble) => {
                // Either the child died (no reply at all), or it sent something that is not a
                // reply. Either way it cannot be trusted with another job.
                let status = worker.finish(trouble.is_some());
                let status = match trouble {
                    None => status,
                    Some(bad) => format!("{bad}; {status}"),
                };
                let _ = results.send((index, Err(JobFailed::Crashed { pid, status })));
                continue;
            }
        };
        current = Some(worker);
        let _ = results.send((index, result));
    }
    if let Some(worker) = current {
        worker.finish(false);
    }
}

/// A running worker process with its pipes.
struct Worker {
    child: Child,
    pid: u32,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    fn start(exe: &Path) -> io::Result<Worker> {
        let mut child = Command::new(exe)
            .arg(worker::ROLE)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // A crashing worker's panic message goes to our own stderr, where a person sees it.
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(Worker {
            pid: child.id(),
            child,
            stdin,
            stdout,
        })
    }

    /// Sends one job line and reads the reply. `Err(None)`: the worker died (end of its
    /// stdout, or a broken pipe); `Err(Some(what))`: it answered something that is no reply.
    fn ask(&mut self, line: &str) -> Result<Reply, Option<String>> {
        // The line break ends the job's line; `flush` makes sure it leaves now rather than
        // waiting in a buffer while we wait for the answer (a deadlock).
        if writeln!(self.stdin, "{line}")
            .and_then(|()| self.stdin.flush())
            .is_err()
        {
            return Err(None);
        }
        let mut reply = String::new();
        match self.stdout.read_line(&mut reply) {
            Ok(0) | Err(_) => Err(None),
            Ok(_) => Reply::from_line(&reply).map_err(Some),
        }
    }

    /// Closes the worker's stdin (its loop ends and it exits), waits for it, and describes how
    /// it ended. `kill` first if it cannot be trusted to exit by itself.
    fn finish(self, kill: bool) -> String {
        let Worker {
            mut child, stdin, ..
        } = self;
        drop(stdin);
        if kill {
            let _ = child.kill();
        }
        match child.wait() {
            Ok(status) => status.to_string(),
            Err(error) => format!("cannot wait for it: {error}"),
        }
    }
}
