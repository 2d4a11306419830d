// Given by the course, whole: use it as it is (the grader always uses the course's copy).
//! The child's side of the process pool: the line protocol and the worker loop. Given.
//!
//! A process pool cannot hand its children a closure: a child is another program with its own
//! memory, so every job has to travel as bytes. Here the child is this crate's own program,
//! started again as `pools worker` (the Rust version of Python re-running your module in each
//! pool process), and the bytes are lines of text over its stdin and stdout:
//!
//! ```text
//! parent -> worker (one line per job, fields separated by a tab):
//!     copy<TAB>SRC<TAB>DST        copy the file SRC to DST with `copy_file`
//!     hash<TAB>ROUNDS<TAB>PATH    read PATH and compute `fingerprint(bytes, ROUNDS)`
//!     gate<TAB>ADDR               a job that meets the others at a cross-process gate
//!     panic<TAB>MESSAGE           a job that panics, so the worker process dies (exit code 101)
//! worker -> parent (one line per job, in the same order):
//!     ok<TAB>NUMBER               done: the bytes copied, the fingerprint, or 0 for `gate`
//!     err<TAB>MESSAGE             the job failed (the worker is fine and waits for the next)
//! ```
//!
//! A tab or a line break inside a path would break a line into the wrong fields, so
//! [`Task::to_line`] refuses such a path (and one that is not UTF-8) instead of sending it.
//! A worker reads jobs until its stdin is closed, then exits with code 0.
//!
//! The `gate` job speaks the protocol of the tests' cross-process gate (`test_support::NetGate`):
//! connect to ADDR, read `g` (sent once enough jobs are connected at the same time), write `d`,
//! read `a`. That is how the tests count how many child processes run a job at once.

use std::fmt;
use std::fs;
use std::io::{self, BufRead, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::chunked_copy::copy_file;
use crate::fingerprint;

/// The command-line argument that starts the program in its worker role: `pools worker`.
pub const ROLE: &str = "worker";

/// One job for a worker process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// Copy the file `src` to `dst` with [`copy_file`]; answers the number of bytes copied.
    Copy { src: PathBuf, dst: PathBuf },
    /// Read the file and compute its [`fingerprint`] with `rounds` rounds; answers the value.
    Hash { path: PathBuf, rounds: u32 },
    /// Connect to a `test_support::NetGate` at this address and go through it; answers 0.
    Gate(String),
    /// Panic with this message, which kills the worker process.
    Panic(String),
}

/// A worker's answer to one [`Task`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The task succeeded with this number.
    Ok(u64),
    /// The task failed; the message says why.
    Err(String),
}

impl Task {
    /// The task as one line of the protocol, without the line break.
    ///
    /// Fails, with a message that says why, if a path is not UTF-8 or if a path or message
    /// contains a tab or a line break: such a task cannot be sent.
    pub fn to_line(&self) -> Result<String, String> {
        Ok(match self {
            Task::Copy { src, dst } => format!("copy\t{}\t{}", field(src)?, field(dst)?),
            Task::Hash { path, rounds } => format!("hash\t{rounds}\t{}", field(path)?),
            Task::Gate(addr) => format!("gate\t{}", text_field(addr, "the gate address")?),
            Task::Panic(message) => format!("panic\t{}", text_field(message, "the message")?),
        })
    }

    /// Reads a line made by [`Task::to_line`] (without its line break).
    pub fn from_line(line: &str) -> Result<Task, String> {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["copy", src, dst] => Ok(Task::Copy {
                src: src.into(),
                dst: dst.into(),
            }),
            ["hash", rounds, path] => Ok(Task::Hash {
                path: path.into(),
                rounds: rounds
                    .parse()
                    .map_err(|_| format!("bad round count `{rounds}` in a hash job"))?,
            }),
            ["gate", addr] => Ok(Task::Gate((*addr).to_owned())),
            ["panic", message] => Ok(Task::Panic((*message).to_owned())),
            _ => Err(format!("not a job: `{}`", line.escape_debug())),
        }
    }
}

impl Reply {
    /// The reply as one line of the protocol, without the line break. Tabs and line breaks in
    /// an error message become spaces.
    pub fn to_line(&self) -> String {
        match self {
            Reply::Ok(value) => format!("ok\t{value}"),
            Reply::Err(message) => format!("err\t{}", message.replace(['\t', '\n', '\r'], " ")),
        }
    }

    /// Reads a line made by [`Reply::to_line`]; trailing line breaks are ignored.
    pub fn from_line(line: &str) -> Result<Reply, String> {
        let line = line.trim_end_matches(['\n', '\r']);
        match line.split_once('\t') {
            Some(("ok", value)) => value
                .parse()
                .map(Reply::Ok)
                .map_err(|_| format!("bad number in the reply `{}`", line.escape_debug())),
            Some(("err", message)) => Ok(Reply::Err(message.to_owned())),
            _ => Err(format!("not a reply: `{}`", line.escape_debug())),
        }
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Task::Copy { src, dst } => write!(f, "copy {} to {}", src.display(), dst.display()),
            Task::Hash { path, rounds } => write!(f, "hash {} ({rounds} rounds)", path.display()),
            Task::Gate(addr) => write!(f, "go through the gate at {addr}"),
            Task::Panic(message) => write!(f, "panic with `{message}`"),
        }
    }
}

/// The worker loop: reads one [`Task`] per line from `input`, performs it, and writes one
/// [`Reply`] line to `output` (flushed at once, because the parent is waiting for it), until
/// `input` ends. `main` calls it with the process's stdin and stdout in the `worker` role.
///
/// A `panic` task panics right here, which ends the worker process with exit code 101.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let reply = match Task::from_line(&line?) {
            Ok(task) => perform(task),
            Err(message) => Reply::Err(message),
        };
        writeln!(output, "{}", reply.to_line())?;
        output.flush()?;
    }
    Ok(())
}

/// Performs one task in this process.
pub fn perform(task: Task) -> Reply {
    let outcome = match task {
        Task::Copy { src, dst } => copy_file(&src, &dst).map_err(|e| e.to_string()),
        Task::Hash { path, rounds } => fs::read(&path)
            .map(|bytes| fingerprint(&bytes, rounds))
            .map_err(|e| format!("cannot read {}: {e}", path.display())),
        Task::Gate(addr) => go_through_gate(&addr).map(|()| 0),
        Task::Panic(message) => panic!("{message}"),
    };
    match outcome {
        Ok(value) => Reply::Ok(value),
        Err(message) => Reply::Err(message),
    }
}

/// The job's side of the `NetGate` protocol: connect, wait for `g`, say `d`, wait for `a`.
fn go_through_gate(addr: &str) -> Result<(), String> {
    let fail = |e: io::Error| format!("gate at {addr}: {e}");
    let mut stream = TcpStream::connect(addr).map_err(fail)?;
    // The gate gives up after 10 s by itself; this only guards against a gate that vanished
    // without closing the connection.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(fail)?;
    let mut byte = [0u8; 1];
    if stream.read(&mut byte).map_err(fail)? != 1 || byte[0] != b'g' {
        return Err(format!(
            "the gate at {addr} closed before it opened: too few jobs were running at the same time"
        ));
    }
    stream.write_all(b"d").map_err(fail)?;
    stream.read_exact(&mut byte).map_err(fail)?;
    Ok(())
}

/// A path as a protocol field: UTF-8, with no tab or line break.
fn field(path: &Path) -> Result<&str, String> {
    let text = path
        .to_str()
        .ok_or_else(|| format!("the path {} is not UTF-8", path.display()))?;
    text_field(text, "the path")
}

fn text_field<'a>(text: &'a str, what: &str) -> Result<&'a str, String> {
    if text.contains(['\t', '\n', '\r']) {
        Err(format!(
            "{what} `{}` contains a tab or a line break, so it cannot be sent as one line",
            text.escape_debug()
        ))
    } else {
        Ok(text)
    }
}
