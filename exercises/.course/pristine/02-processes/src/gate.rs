// Given by the course, whole: use it as it is (the grader always uses the course's copy).
//! The child's side of the tests' cross-process gate (`test_support::NetGate`).
//!
//! How can a test prove that several *processes* were running at the same time? Not with an
//! atomic or a barrier: those live in one process's memory, and a child has memory of its own.
//! So the test opens a gate on a socket on 127.0.0.1, and each child that is asked to (by an
//! argument or by the environment variable [`GATE_ENV`]) connects to it and waits there until
//! all the children the test expects are connected at once. If the parent runs its children one
//! at a time, the first child waits alone, the gate gives up after ten seconds, and the test
//! fails with a message.
//!
//! A test cannot put code into a child process, so this part has to live in the crate itself.
//! It is given; you do not need to change it. The protocol, one byte at a time: connect, read
//! `g` ("go"), do the job, write `d` ("done"), read `a` ("acknowledged").

use std::env;
use std::io::{self, Read, Write};
use std::net::TcpStream;

/// The environment variable that asks a `whoami` child to meet at a gate, such as
/// `PROCESSES_GATE=127.0.0.1:40123`.
///
/// Children inherit their parent's environment, so a test sets it on the *parent's* command with
/// [`Command::env`](std::process::Command::env) and every child of that parent sees it too.
pub const GATE_ENV: &str = "PROCESSES_GATE";

/// Connects to the gate at `addr`, waits until it opens, runs `job`, then tells the gate that the
/// job is done and returns what `job` returned.
///
/// # Errors
///
/// If the gate cannot be reached, or it closes the connection instead of opening (it gives up
/// when not enough jobs arrive in time). `job` does not run then.
pub fn hold<T>(addr: &str, job: impl FnOnce() -> T) -> io::Result<T> {
    let mut stream = TcpStream::connect(addr)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot reach the gate at {addr}: {e}")))?;
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(1) if byte[0] == b'g' => {}
        _ => {
            return Err(io::Error::other(format!(
                "the gate at {addr} did not open: the other children were not running at the \
                 same time as this one"
            )));
        }
    }
    let value = job();
    stream.write_all(b"d")?;
    stream.read_exact(&mut byte)?;
    Ok(value)
}

/// Runs `job`, at the gate named by [`GATE_ENV`] if that variable is set (see [`hold`]), or
/// straight away if it is not.
///
/// # Errors
///
/// As [`hold`].
pub fn hold_if_asked<T>(job: impl FnOnce() -> T) -> io::Result<T> {
    match env::var(GATE_ENV) {
        Ok(addr) if !addr.is_empty() => hold(&addr, job),
        _ => Ok(job()),
    }
}
