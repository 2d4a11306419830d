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

use std::io;
use std::os::unix::process::parent_id;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// One child of [`spawn_family`], after it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The child's PID, as the parent saw it: [`Child::id`].
    pub pid: u32,
    /// What the child printed on stdout, without the line break at the end: its
    /// [`whoami`] line, `pid=<pid> ppid=<ppid>`.
    pub said: String,
    /// The child's exit code ([`std::process::ExitStatus::code`]): `Some(0)` for success,
    /// `None` if a signal killed it.
    pub code: Option<i32>,
}

/// The line a process prints when asked who it is: `pid=<its PID> ppid=<its parent's PID>`,
/// for example `pid=4242 ppid=4200`.
///
/// The child role `whoami` prints exactly this line.
pub fn whoami() -> String {
    format!("pid={} ppid={}", std::process::id(), parent_id())
}

/// Starts `n` children, each running the program `exe` in the role `whoami`, waits for all of
/// them, and returns one [`Member`] per child, in the order they were started.
pub fn spawn_family(exe: &Path, n: usize) -> io::Result<Vec<Member>> {
    // start(): every child, before waiting for any. Each child's stdout is a pipe to us, so we
    // can read its whoami line.
    let mut children: Vec<Child> = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Command::new(exe)
            .arg("whoami")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn();
        match started {
            Ok(child) => children.push(child),
            Err(err) => {
                // Dropping a `Child` neither stops it nor waits for it: clean up the ones that
                // did start before giving up.
                for mut child in children {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                return Err(crate::cannot_start(exe, err));
            }
        }
    }
    // join(): in the order they were started. `wait_with_output` reads the child's stdout to
    // the end and then waits for it to exit. The PID must be taken first, since it consumes the
    // `Child`. Every child is waited for, even after a wait failed: collecting straight into a
    // `Result` would stop at the first error and leave the later children unwaited.
    let joined: Vec<io::Result<Member>> = children
        .into_iter()
        .map(|child| {
            let pid = child.id();
            let output = child.wait_with_output()?;
            let said = String::from_utf8_lossy(&output.stdout)
                .trim_end()
                .to_owned();
            Ok(Member {
                pid,
                said,
                code: output.status.code(),
            })
        })
        .collect();
    // Only now give up on the first error, if there was one.
    joined.into_iter().collect()
}
