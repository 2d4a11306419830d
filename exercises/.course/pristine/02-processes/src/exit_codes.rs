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
//!
//! [`ExitStatusExt::signal`]: std::os::unix::process::ExitStatusExt::signal

use std::fmt;
use std::io;
use std::path::Path;
use std::process::{Child, ExitStatus};

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
    ///
    /// [`ExitStatus::code`] gives the exit code, or `None` if the process did not exit by
    /// itself. Then, on Unix, the trait [`std::os::unix::process::ExitStatusExt`] (bring it into
    /// scope with `use`) gives [`signal`](std::os::unix::process::ExitStatusExt::signal), the
    /// signal that killed it.
    ///
    /// A status can also have neither. [`Child::wait`], [`Child::try_wait`] and
    /// [`Command::output`](std::process::Command::output) never give one, since they only report
    /// processes that ended, but a status made with
    /// [`ExitStatusExt::from_raw`](std::os::unix::process::ExitStatusExt::from_raw) can say that
    /// a process was *stopped* (by SIGSTOP or SIGTSTP, Ctrl-Z) or *continued* (by SIGCONT).
    /// For such a status, return `Ended::Signal` with the signal that stopped the process,
    /// [`ExitStatusExt::stopped_signal`](std::os::unix::process::ExitStatusExt::stopped_signal),
    /// or `Ended::Signal(0)` if there is none (signal 0 is no signal at all).
    ///
    /// The tests (`tests/exit_codes.rs`) check codes 0, 3, 101 and 255, signals 9 and 15, and
    /// statuses with neither: stopped by signal 19 or 20, and continued.
    #[allow(unused_variables)]
    pub fn from_status(status: ExitStatus) -> Ended {
        todo!("the exit code if there is one, otherwise the signal")
    }
}

/// Starts one child per job, then waits for every one of them, and returns how each ended
/// ([`Ended::from_status`]), in the order of `jobs`.
///
/// A job is the list of arguments for the program `exe`, role first: `&["ok"]`,
/// `&["fail", "3"]`, `&["panic"]`. Give each child an empty stdin
/// ([`Stdio::null`](std::process::Stdio::null)); let its stdout and stderr go where the
/// parent's go, so that a panic message shows.
///
/// Start *every* child before you wait for *any*, like `spawn_family`. A child that fails or
/// panics is no reason to stop: it is only a status, so keep waiting for the others. Even a
/// `wait` that fails is no reason to leave the later children unwaited: wait for them all, then
/// return the first error.
///
/// If a child cannot be started at all (the program is missing, or a job's argument holds a
/// NUL byte, which no program can be given), return the error from [`crate::cannot_start`],
/// which names `exe`. Leave none of the children already started behind: first kill each of
/// them ([`Child::kill`]) and wait for it ([`Child::wait`]), as `spawn_family` does; [`stop`]
/// does both.
///
/// The tests (`tests/exit_codes.rs`) check that:
///
/// - a child that panics ends with code 101 while its siblings end with 0 and 3;
/// - a mixed family's endings, in order (a snapshot);
/// - the endings are the children's own: a stand-in program (a shell script) whose jobs' names
///   do not tell how they end exits with a code only the test knows, is killed by SIGTERM (15),
///   and exits with 0;
/// - all children run at the same time: three children that each wait (up to 10 s) until all
///   three are running end with code 0 only if they are started together;
/// - a program that cannot be started gives an error that names it;
/// - when a later job cannot start (its argument holds a NUL byte), the error names the program,
///   and the two children already started (which wait at a gate that never opens) are neither
///   left running nor left as zombies.
#[allow(unused_variables)]
pub fn run_all(exe: &Path, jobs: &[&[&str]]) -> io::Result<Vec<Ended>> {
    todo!("spawn a child per job, then wait for each one")
}

/// Whether `child` is still running (Python's `p.is_alive()`), without waiting for it.
///
/// [`Child::try_wait`] does not block: `Ok(None)` means the child has not exited yet, and
/// `Ok(Some(status))` that it has.
///
/// The tests (`tests/exit_codes.rs`) check that a child blocked on its stdin is alive, and that
/// a child that was stopped, or that ended by itself, is not.
#[allow(unused_variables)]
pub fn is_alive(child: &mut Child) -> io::Result<bool> {
    todo!("ask try_wait")
}

/// Stops `child` the way `kill -9 PID` does, waits for it, and returns how it ended.
///
/// [`Child::kill`] sends SIGKILL (signal 9), which no process can catch or ignore, and
/// [`Child::wait`] then collects its status. Do wait: an ended child that nobody waited for
/// stays in the process table as a "zombie". Do not assume the answer, either: a child that had
/// already exited by itself (`kill` is then fine and does nothing) ended with its own exit code.
///
/// The tests (`tests/exit_codes.rs`) check that stopping a running child gives
/// `Ended::Signal(9)` and leaves no zombie behind, and that stopping one that had exited with 0
/// gives `Ended::Code(0)`.
#[allow(unused_variables)]
pub fn stop(child: &mut Child) -> io::Result<Ended> {
    todo!("kill the child, then wait for it")
}
