//! Exercise `family`: the main process (主进程) starts child processes (子进程) and joins them.
//!
//! The notes: `p = Process(target=f, args=(...))`, `p.start()` starts the child, `p.join()` makes
//! the main process wait for it, `os.getpid()` is a process's own id and `os.getppid()` its
//! parent's. In Rust a child runs a program, here this crate's own program in the role `whoami`:
//! [`Command::spawn`] is `start`, [`Child::wait`] (or [`Child::wait_with_output`]) is `join`,
//! [`std::process::id`] is `getpid` and [`std::os::unix::process::parent_id`] is `getppid`.
//!
//! A child's PID is how the operating system names it (`ps`, `kill -9 PID`). A child can check
//! who its parent is, and the parent knows each child's PID from [`Child::id`] as soon as it has
//! started it, so the two sides can be matched up.
//!
//! [`Command::spawn`]: std::process::Command::spawn
//! [`Child::wait`]: std::process::Child::wait
//! [`Child::wait_with_output`]: std::process::Child::wait_with_output
//! [`Child::id`]: std::process::Child::id

use std::io;
use std::path::Path;

/// One child of [`spawn_family`], after it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The child's PID, as the parent saw it: [`Child::id`](std::process::Child::id).
    pub pid: u32,
    /// What the child printed on stdout, without the line break at the end: for this crate's
    /// program, its [`whoami`] line, `pid=<pid> ppid=<ppid>`.
    pub said: String,
    /// The child's exit code ([`std::process::ExitStatus::code`]): `Some(0)` for success,
    /// `None` if a signal killed it.
    pub code: Option<i32>,
}

/// The line a process prints when asked who it is: `pid=<its PID> ppid=<its parent's PID>`,
/// for example `pid=4242 ppid=4200`, with no line break.
///
/// The child role `whoami` prints exactly this line, so [`spawn_family`] reads it back from each
/// child. Use [`std::process::id`] (Python's `os.getpid()`) and
/// [`std::os::unix::process::parent_id`] (`os.getppid()`).
///
/// The tests (`tests/family.rs`) check it in the test process itself, and through the children
/// of [`spawn_family`].
pub fn whoami() -> String {
    todo!("format this process's id and its parent's id")
}

/// Starts `n` children, each running the program `exe` in the role `whoami`, waits for all of
/// them, and returns one [`Member`] per child, in the order they were started.
///
/// `exe` is this crate's own program (the tests pass the path Cargo built; the `family` role
/// passes [`std::env::current_exe`]). A child is `Command::new(exe).arg("whoami")`:
///
/// 1. *start* (`p.start()`): [`Command::spawn`](std::process::Command::spawn) every child, with
///    its stdout set to [`Stdio::piped`](std::process::Stdio::piped) so that you can read what it
///    prints. Note each child's [`Child::id`](std::process::Child::id).
/// 2. *join* (`p.join()`): only when all `n` are running, wait for each in turn, in the order
///    they were started. [`Child::wait_with_output`](std::process::Child::wait_with_output)
///    reads the child's stdout to the end and then waits for it to exit.
///
/// A [`Member`] holds the PID, what the child printed (without the final line break) and its
/// exit code. A child that exits with a code other than 0 is no error: its member records the
/// code. If waiting for a child fails, still wait for the children after it, and only then
/// return the first error: no child may be left unwaited.
///
/// If a child cannot be started (the first or a later one), return the error from
/// [`crate::cannot_start`], which names `exe`. The children already started must not be left
/// behind: first kill each of them ([`Child::kill`](std::process::Child::kill)) and wait for it
/// ([`Child::wait`](std::process::Child::wait)). Dropping a `Child` neither stops it nor waits
/// for it. Waiting alone is not enough: a child may run for a long time (the test's children
/// wait at a gate that never opens), and the caller should get its error now.
///
/// Careful: start *every* child before you wait for *any*. "Start one, join it, start the next"
/// gives the same members, but then only one child is ever running.
///
/// The tests (`tests/family.rs`) check that:
///
/// - each child's line names the PID that [`Child::id`](std::process::Child::id) gave for it,
///   and the caller's PID as its parent; each exited with code 0;
/// - each member holds what its own child printed and its child's exit code: with a stand-in
///   program (a shell script) whose children print their PIDs and a secret number, which the
///   parent cannot know, and exit with code 7;
/// - the children are distinct processes, and `n = 0` gives no members;
/// - a program that cannot be started gives an error that names it;
/// - when a later spawn fails, no child is left behind: `spawn_family(.., 64)` runs in a process
///   that may open only a few files, so a spawn fails with "Too many open files" after some
///   children are running (they wait at a gate that never opens); it must return that error,
///   and none of the children may be left running or as a zombie;
/// - all children run at the same time: when run as `processes family 3` with a gate in the
///   environment, each child waits until all three are running, so a family that joins each
///   child before starting the next fails after a 10 s timeout;
/// - `processes family 3` prints the main process and its children (a snapshot, PIDs masked).
#[allow(unused_variables)]
pub fn spawn_family(exe: &Path, n: usize) -> io::Result<Vec<Member>> {
    todo!("start all n `whoami` children, then wait for each and collect what it said")
}
