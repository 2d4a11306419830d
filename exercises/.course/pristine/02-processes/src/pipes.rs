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

use std::io::{self, BufRead, Write};
use std::path::Path;

/// The environment variable that gives the `shout` worker its prefix.
pub const PREFIX_ENV: &str = "PROCESSES_PREFIX";

/// The prefix the `shout` worker uses when [`PREFIX_ENV`] is not set.
pub const DEFAULT_PREFIX: &str = "worker";

/// The answer to the `number`th line (counting from 1):
/// `<prefix> <number>: <line in upper case> (<number of chars> chars)`.
///
/// For example `answer("w", 1, "hello")` is `"w 1: HELLO (5 chars)"`, and
/// `answer("w", 2, "进程 and 线程")` is `"w 2: 进程 AND 线程 (9 chars)"`: count chars
/// ([`str::chars`]), not bytes. See [`str::to_uppercase`].
///
/// The tests (`tests/pipes.rs`) check these and an empty line, `"w 4:  (0 chars)"`.
#[allow(unused_variables)]
pub fn answer(prefix: &str, number: usize, line: &str) -> String {
    todo!("format the answer line")
}

/// The worker's loop: reads `input` line by line and writes one [`answer`] line, ending with
/// `\n`, to `output` for each; returns how many lines it answered.
///
/// The role `shout` runs it with the process's stdin and stdout, so one process can answer many
/// lines. [`BufRead::lines`] gives the lines without their line breaks (a last line without a
/// break still counts). Flush `output` at the end.
///
/// The tests (`tests/pipes.rs`) check it in memory, with a
/// [`Cursor`](std::io::Cursor) as input and a `Vec<u8>` as output, and through
/// [`ask_worker`].
#[allow(unused_variables)]
pub fn serve(prefix: &str, input: impl BufRead, output: impl Write) -> io::Result<usize> {
    todo!("answer each line of input on output")
}

/// Starts the program `exe` in the role `shout` with `prefix` in its environment, sends it
/// `lines`, and returns its answers, one per line, in order.
///
/// - The prefix goes in the environment variable [`PREFIX_ENV`]:
///   [`Command::env`](std::process::Command::env) sets it for the child only.
/// - Pipe the child's stdin, stdout and stderr ([`Stdio::piped`](std::process::Stdio::piped)).
///   Write each line followed by `\n` to its stdin, then close stdin (drop it): that end of
///   input is how the worker knows it is done.
/// - Read its stdout; every line is one answer. If it does not exit with success, return an
///   error: [`crate::child_failed`] with its stderr, which says why it failed. A worker that
///   fails may stop reading, and then writing to it fails too ("Broken pipe"); whatever goes
///   wrong, wait for the child before you return.
///
/// Careful: a pipe holds only about 64 KiB. If you write all the lines before you read any
/// answers, a big input fills both pipes and the parent and the child wait for each other
/// forever. Write from a thread of your own ([`std::thread::spawn`], moving the
/// [`ChildStdin`](std::process::ChildStdin) taken from `child.stdin` and a copy of the lines
/// into it), while this thread collects the output with
/// [`Child::wait_with_output`](std::process::Child::wait_with_output).
///
/// The tests (`tests/pipes.rs`) check that:
///
/// - a small exchange gives the expected answers (a snapshot), with the prefix that was asked
///   for, and no lines give no answers;
/// - the answers are the worker's own: a stand-in worker (a shell script) adds a number that
///   only the test knows to each answer;
/// - 100 000 lines come back in order, within 10 s: a deadlocked exchange fails after that;
/// - a program that cannot be started gives an error that names it ([`crate::cannot_start`]),
///   and a child that fails (`/bin/false`) gives an error;
/// - the error for a worker that fails holds the line it wrote to its stderr;
/// - a worker that exits at once, without reading its 100 000 lines, gives an error and is not
///   left behind as a zombie.
#[allow(unused_variables)]
pub fn ask_worker(exe: &Path, prefix: &str, lines: &[String]) -> io::Result<Vec<String>> {
    todo!("start `exe shout`, feed it the lines from a thread, and read the answers")
}
