//! Exercise `pipes`: give a child work on its stdin and read its answers from its stdout.
//!
//! Processes share no memory, so everything a parent and a child tell each other travels as
//! bytes: arguments and environment variables when the child starts, and then pipes. Python's
//! `multiprocessing` hides this by pickling the `args` you pass; in Rust you choose the format
//! yourself. Here it is one line of text per item, the simplest format there is.
//!
//! A pipe holds only a little data (64 KiB on Linux). A writer whose reader is not reading
//! blocks. So a parent that first writes *all* its input and only then starts reading gets stuck
//! as soon as the child's answers fill the other pipe: the child waits for the parent to read,
//! the parent waits for the child to read. That is a deadlock, and it only shows up with big
//! inputs. The cure is to write and read at the same time: writing from a thread of its own.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;

/// The environment variable that gives the `shout` worker its prefix.
pub const PREFIX_ENV: &str = "PROCESSES_PREFIX";

/// The prefix the `shout` worker uses when [`PREFIX_ENV`] is not set.
pub const DEFAULT_PREFIX: &str = "worker";

/// The answer to the `number`th line (counting from 1):
/// `<prefix> <number>: <line in upper case> (<number of chars> chars)`.
pub fn answer(prefix: &str, number: usize, line: &str) -> String {
    format!(
        "{prefix} {number}: {} ({} chars)",
        line.to_uppercase(),
        line.chars().count()
    )
}

/// The worker's loop: reads `input` line by line and writes one [`answer`] line to `output` for
/// each; returns how many lines it answered.
pub fn serve(prefix: &str, input: impl BufRead, mut output: impl Write) -> io::Result<usize> {
    let mut answered = 0;
    for line in input.lines() {
        answered += 1;
        writeln!(output, "{}", answer(prefix, answered, &line?))?;
    }
    output.flush()?;
    Ok(answered)
}

/// Starts the program `exe` in the role `shout` with `prefix` in its environment, sends it
/// `lines`, and returns its answers, one per line, in order.
pub fn ask_worker(exe: &Path, prefix: &str, lines: &[String]) -> io::Result<Vec<String>> {
    let mut child = Command::new(exe)
        .arg("shout")
        .env(PREFIX_ENV, prefix)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| crate::cannot_start(exe, e))?;

    // Feed the child on a thread of our own while this thread reads its answers. Dropping
    // `stdin` at the end of the thread closes the pipe, which is how the child learns that
    // there is no more input.
    let stdin = child.stdin.take().expect("stdin is piped");
    let lines = lines.to_vec();
    let writer = thread::spawn(move || -> io::Result<()> {
        let mut stdin = BufWriter::new(stdin);
        for line in &lines {
            writeln!(stdin, "{line}")?;
        }
        stdin.flush()
    });

    // wait_with_output reads stdout and stderr to the end (both at once), then waits. Join the
    // writer before looking at the result, so that no way out leaves the thread behind. (If the
    // reading failed, the stdout pipe is closed now: the child cannot go on answering, it ends,
    // and the writer's next write fails instead of blocking.)
    let output = child.wait_with_output();
    let written = writer.join().expect("the writer thread does not panic");
    let output = output?;
    if !output.status.success() {
        return Err(crate::child_failed("shout", output.status, &output.stderr));
    }
    // The child ended well, so it read everything; a write error would be a real problem.
    written?;
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}
