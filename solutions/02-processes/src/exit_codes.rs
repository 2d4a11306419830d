//! Exercise `exit_codes`: how children end, and why one crash does not bring down the others.
//!
//! The notes: switching between processes costs more than between threads, but processes are
//! stable (稳定): if one child process dies, the others are not affected
//! (如果一个子进程挂了，不影响其它进程). And from a shell, `kill -9 PID` ends any process.
//!
//! A Rust program that panics on its main thread exits with code 101. For its parent that is
//! just a number: the parent keeps running and can still wait for its other children. (What a
//! panic in a *thread* does is chapter 4's subject.) A process killed by a signal has no exit code
//! at all; on Unix, [`ExitStatusExt::signal`] tells which signal it was, 9 for `kill -9`
//! (SIGKILL), which is what [`Child::kill`] sends.

use std::fmt;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};

/// How a child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ended {
    /// It exited with this code: 0 for success, 101 after a panic, or what it chose.
    Code(i32),
    /// A signal ended it: 9 is SIGKILL (`kill -9`, [`Child::kill`]), 15 is SIGTERM (`kill`).
    Signal(i32),
}

impl fmt::Display for Ended {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ended::Code(code) => write!(f, "exit code {code}"),
            Ended::Signal(signal) => write!(f, "killed by signal {signal}"),
        }
    }
}

impl Ended {
    /// How the process with this status ended.
    pub fn from_status(status: ExitStatus) -> Ended {
        match (status.code(), status.signal()) {
            (Some(code), _) => Ended::Code(code),
            (None, Some(signal)) => Ended::Signal(signal),
            // A process that has ended did one or the other. A status that says a process was
            // stopped or continued (which `wait` never reports) has neither: give the signal
            // that stopped it, or 0 for none.
            (None, None) => Ended::Signal(status.stopped_signal().unwrap_or(0)),
        }
    }
}

/// Starts one child per job (the program `exe` with the job's arguments), then waits for every
/// one of them, and returns how each ended, in the order of `jobs`.
pub fn run_all(exe: &Path, jobs: &[&[&str]]) -> io::Result<Vec<Ended>> {
    let mut children: Vec<Child> = Vec::with_capacity(jobs.len());
    for args in jobs {
        match Command::new(exe).args(*args).stdin(Stdio::null()).spawn() {
            Ok(child) => children.push(child),
            Err(err) => {
                for child in &mut children {
                    let _ = stop(child);
                }
                return Err(crate::cannot_start(exe, err));
            }
        }
    }
    // A child that crashed is just a status here: keep waiting for the rest. Wait for every
    // child before returning the first failed wait, if any, so that none is left unwaited.
    let waited: Vec<io::Result<Ended>> = children
        .iter_mut()
        .map(|child| child.wait().map(Ended::from_status))
        .collect();
    waited.into_iter().collect()
}

/// Whether `child` is still running (Python's `is_alive`).
pub fn is_alive(child: &mut Child) -> io::Result<bool> {
    // try_wait does not block: Ok(None) means "not exited yet".
    Ok(child.try_wait()?.is_none())
}

/// Kills `child` with SIGKILL (like `kill -9`), waits for it, and returns how it ended.
pub fn stop(child: &mut Child) -> io::Result<Ended> {
    // kill on a child that has already exited is fine (Ok), and then wait reports how it really
    // ended. The wait also reaps the child, so no zombie stays behind.
    child.kill()?;
    child.wait().map(Ended::from_status)
}
