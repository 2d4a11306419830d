//! Helpers shared by this chapter's test files (each file uses some of them).
//!
//! - [`Scratch`]: a temporary folder for *stand-in programs*, small shell scripts that a test
//!   passes as `exe` instead of the crate's own program. A stand-in prints a number that only the
//!   test knows (a [`nonce`]), so a function that made up the child's answer instead of reading
//!   it cannot pass.
//! - [`leftovers`]: the children a process started and never waited for, read from `/proc`, to
//!   check that nothing is left behind on an error path.
//! - [`Hold`]: a gate that never opens, to keep a child running until someone kills it.
#![allow(dead_code)]

use std::collections::hash_map::RandomState;
use std::fs;
use std::hash::BuildHasher;
use std::io;
use std::net::{Shutdown, TcpListener};
use std::panic;
use std::path::{Path, PathBuf};
use std::process::{self, Command};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::thread;

use test_support::{TIMEOUT, output_within};

/// A number that differs on every call and on every run: what a stand-in child prints, so that
/// the parent cannot know it in advance.
pub fn nonce() -> u64 {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    RandomState::new().hash_one((process::id(), CALLS.fetch_add(1, Ordering::Relaxed)))
}

/// Runs `work` on a new thread, like `test_support::within`, but gives `None` if it has not
/// returned within [`TIMEOUT`] (the thread is then left behind), so that the test can say what
/// that means. A panic in `work` is passed on.
pub fn finished_within<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (send, recv) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = send.send(work());
    });
    match recv.recv_timeout(TIMEOUT) {
        Ok(value) => Some(value),
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => panic::resume_unwind(payload),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
    }
}

/// `text` quoted for `sh`: inside single quotes nothing is special but the single quote.
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A folder of its own under the system's temporary folder, removed when dropped.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// Creates the folder.
    ///
    /// # Panics
    ///
    /// If the temporary folder cannot be written.
    pub fn new() -> Scratch {
        let base = std::env::temp_dir();
        loop {
            let dir = base.join(format!("processes-test-{}-{:016x}", process::id(), nonce()));
            match fs::create_dir(&dir) {
                Ok(()) => return Scratch { dir },
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(err) => panic!("cannot create a folder in {}: {err}", base.display()),
            }
        }
    }

    /// Writes the shell script `name` (`#!/bin/sh`, then `body`), makes it executable and
    /// returns its path.
    ///
    /// The kernel names a process after the file it runs (its first 15 bytes), so a script's
    /// children can be found by its name with [`leftovers`]: give each test its own name.
    ///
    /// A separate `sh` writes the file, not this process. Tests start children all the time on
    /// other threads, and a child that is being started holds a copy of every file this process
    /// has open; if one held this file open for writing, running the script would fail with
    /// "Text file busy".
    ///
    /// # Panics
    ///
    /// If the script cannot be written.
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        let path = self.dir.join(name);
        let out = output_within(
            Command::new("/bin/sh")
                .args(["-c", r#"printf '%s' "$2" > "$1" && chmod 755 "$1""#, "sh"])
                .arg(&path)
                .arg(format!("#!/bin/sh\n{body}")),
        );
        assert!(
            out.status.success(),
            "cannot write the script {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
        path
    }

    /// Writes `stand-in`, a script that takes the place of the crate's program in the role
    /// `role`: called with any other arguments it says so on stderr and exits with 2, and
    /// otherwise it runs `body`.
    pub fn stand_in(&self, role: &str, body: &str) -> PathBuf {
        self.script(
            "stand-in",
            &format!(
                "if [ \"$*\" != {role} ]; then\n\
                 \x20 echo \"stand-in: expected the one argument {role}, got: $*\" >&2\n\
                 \x20 exit 2\n\
                 fi\n\
                 {body}"
            ),
        )
    }

    /// Makes `name` a symbolic link to `target` and returns its path. Started through the link,
    /// a program's process is named after the link, so [`leftovers`] can tell its children from
    /// those of other tests.
    ///
    /// # Panics
    ///
    /// If the link cannot be made.
    pub fn link(&self, name: &str, target: &Path) -> PathBuf {
        let path = self.dir.join(name);
        std::os::unix::fs::symlink(target, &path).unwrap_or_else(|err| {
            panic!(
                "cannot link {} to {}: {err}",
                path.display(),
                target.display()
            )
        });
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A child process that its parent has not waited for yet: still running, or a zombie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// Its PID.
    pub pid: u32,
    /// Its name (the first 15 bytes of the name of the file it runs).
    pub name: String,
    /// Its state from `/proc/<pid>/stat`: `Z` for a zombie, `S` or `R` for a running one.
    pub state: char,
}

impl std::fmt::Display for Leftover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.state {
            'Z' => write!(
                f,
                "pid {} ({}) is a zombie: it ended (or was killed), but nobody waited for it",
                self.pid, self.name
            ),
            _ => write!(
                f,
                "pid {} ({}) is still running: nobody killed it or waited for it",
                self.pid, self.name
            ),
        }
    }
}

/// The children of the process `parent` that have not been waited for (running ones and
/// zombies), only those named `name` if it is given (compared on its first 15 bytes, all the
/// kernel keeps).
///
/// A child that was waited for is gone from `/proc` when its `wait` returns, so right after a
/// function returns, every child it started and waited for is missing from this list, and every
/// one it left behind is in it. Nothing needs to be timed.
///
/// # Panics
///
/// If `/proc` cannot be read (this chapter runs on Linux).
pub fn leftovers(parent: u32, name: Option<&str>) -> Vec<Leftover> {
    let name = name.map(|name| &name.as_bytes()[..name.len().min(15)]);
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").expect("list /proc").flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        // A process may end while we look: skip what cannot be read.
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (name) state ppid ...`, where the name may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        let mut fields = stat[close + 1..].split_whitespace();
        let state = fields.next().and_then(|s| s.chars().next()).unwrap_or('?');
        let ppid = fields.next().and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(parent) && name.is_none_or(|name| comm.as_bytes() == name) {
            found.push(Leftover {
                pid,
                name: comm.to_owned(),
                state,
            });
        }
    }
    found
}

/// The leftovers as a list for a message, one per line.
pub fn describe(leftovers: &[Leftover]) -> String {
    leftovers
        .iter()
        .map(|leftover| format!("\n  - {leftover}"))
        .collect()
}

/// A gate (see `processes::gate`) that never opens. A `whoami` or `meet` child that connects to
/// it waits for the go-ahead forever, so it only ends when it is killed, or when the `Hold` is
/// dropped: then its connection is reset, and it gives up and exits with code 1.
pub struct Hold {
    listener: TcpListener,
}

impl Hold {
    /// Listens on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// If it cannot listen.
    pub fn start() -> Hold {
        Hold {
            listener: TcpListener::bind("127.0.0.1:0").expect("listen on 127.0.0.1"),
        }
    }

    /// The address to give the children, such as `127.0.0.1:40123`.
    pub fn addr(&self) -> String {
        self.listener
            .local_addr()
            .expect("the listener's address")
            .to_string()
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        // Closing a listener resets the connections it never accepted. Accept and drop them
        // too, in case the system treats those otherwise: either way every waiting child reads
        // the end of its connection instead of a `g`.
        let _ = self.listener.set_nonblocking(true);
        while let Ok((stream, _)) = self.listener.accept() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}
