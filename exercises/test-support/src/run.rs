//! Running a child process or a closure with a time limit.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::TIMEOUT;

/// Runs `cmd` to the end and returns its output, like [`Command::output`], but kills it and
/// panics with a message if it has not finished within [`TIMEOUT`].
///
/// Its stdin is empty (`/dev/null`); its stdout and stderr are captured. "Finished" means the
/// child exited and closed both pipes, so grandchildren that keep a pipe open count too.
///
/// # Panics
///
/// If the command cannot be started, or on timeout.
pub fn output_within(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    // Each reader sends what it read, tagged with its pipe (0 stdout, 1 stderr), when the pipe
    // closes: the output arrives through the channel, so nothing depends on when the reader
    // threads themselves end.
    let (done, finished) = mpsc::channel::<(usize, Vec<u8>)>();
    for (i, mut pipe) in [
        Box::new(child.stdout.take().expect("piped stdout")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("piped stderr")),
    ]
    .into_iter()
    .enumerate()
    {
        let done = done.clone();
        thread::spawn(move || {
            let mut bytes = Vec::new();
            // A read error ends the output early; the status still tells what happened.
            let _ = pipe.read_to_end(&mut bytes);
            let _ = done.send((i, bytes));
        });
    }
    drop(done);
    let mut outputs: [Option<Vec<u8>>; 2] = [None, None];
    let deadline = crate::Deadline::from_now();
    for _ in 0..outputs.len() {
        match finished.recv_timeout(deadline.remaining()) {
            Ok((i, bytes)) => outputs[i] = Some(bytes),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                // The kill closed the child's end of the pipes (unless a grandchild holds them),
                // so what it printed before it hung arrives now; a reader still blocked is left.
                while outputs.iter().any(Option::is_none) {
                    match finished.recv_timeout(Duration::from_millis(500)) {
                        Ok((i, bytes)) => outputs[i] = Some(bytes),
                        Err(_) => break,
                    }
                }
                let mut shown = String::new();
                for (label, bytes) in ["stdout", "stderr"].into_iter().zip(&outputs) {
                    if let Some(bytes) = bytes {
                        shown += &format!("--- its {label}:\n{}", String::from_utf8_lossy(bytes));
                    }
                }
                panic!(
                    "{cmd:?} did not finish within {} s, so it was killed: is it waiting for \
                     something that never comes (a thread it joins, a lock, a pipe)? What it \
                     printed before that:\n{shown}---",
                    crate::TIMEOUT.as_secs()
                );
            }
        }
    }
    // Both pipes are closed, so the child has almost always exited; but it may have closed them
    // and gone on running, so this wait has the same deadline. std cannot wait with a time limit,
    // hence the short polling.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if deadline.remaining().is_zero() => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{cmd:?} closed its output but did not exit within {} s, so it was killed",
                    crate::TIMEOUT.as_secs()
                );
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(e) => panic!("cannot wait for {cmd:?}: {e}"),
        }
    };
    let [stdout, stderr] = outputs;
    Output {
        status,
        stdout: stdout.unwrap_or_default(),
        stderr: stderr.unwrap_or_default(),
    }
}

/// How much longer than [`TIMEOUT`] [`within`] waits: a gate or channel inside `work` that gives
/// up after [`TIMEOUT`] reports first, with the message that explains it. It stays short, so
/// that a deadlock still fails well inside the grader's per-test limit (15 s at least).
pub const WITHIN_GRACE: Duration = Duration::from_secs(3);

/// The name of the thread on which [`within`] runs its work.
pub const CALLER: &str = "test-caller";

/// Runs `work` on a new thread (named [`CALLER`]) and returns its result, or panics with a message naming `what`
/// if it has not returned within [`TIMEOUT`] plus [`WITHIN_GRACE`] (the thread is then left
/// behind).
///
/// Use it around a call that would hang forever if the code under test deadlocked. The grace
/// lets the waits inside `work` (a [`Gate`](crate::Gate), a `recv_timeout`) time out first and
/// say what went wrong. A panic in `work` is passed on to the caller.
pub fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, recv) = mpsc::channel();
    // Named, so that code under test that runs a job on its caller's thread instead of a new
    // one can be told apart: the job then sees the name `test-caller`.
    let worker = thread::Builder::new()
        .name(CALLER.to_owned())
        .spawn(move || {
            let _ = send.send(work());
        })
        .expect("a test can start a thread");
    let limit = TIMEOUT + WITHIN_GRACE;
    match recv.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not finish within {} s: is something waiting for itself (a deadlock), \
             or for a thread that was never started?",
            limit.as_secs()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_within_captures_both_pipes_and_the_status() {
        let out = output_within(Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]));
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.status.code(), Some(3));
    }

    #[test]
    fn output_within_waits_for_a_child_that_closed_its_output() {
        let out = output_within(Command::new("sh").args(["-c", "exec >&- 2>&-; exit 4"]));
        assert_eq!(out.status.code(), Some(4));
        assert!(out.stdout.is_empty());
    }

    #[test]
    fn output_within_kills_a_child_that_hangs_and_shows_what_it_printed() {
        let caught = std::panic::catch_unwind(|| {
            output_within(
                Command::new("sh").args(["-c", "echo before; echo oops >&2; exec sleep 60"]),
            )
        });
        let message = *caught
            .expect_err("the child hangs")
            .downcast::<String>()
            .unwrap();
        assert!(message.contains("did not finish within 10 s"), "{message}");
        assert!(message.contains("--- its stdout:\nbefore\n"), "{message}");
        assert!(message.contains("--- its stderr:\noops\n"), "{message}");
    }

    #[test]
    fn within_runs_the_work_on_a_thread_named_test_caller() {
        let name = within("naming", || thread::current().name().map(str::to_owned));
        assert_eq!(name.as_deref(), Some(CALLER));
    }

    #[test]
    fn within_returns_the_value_and_passes_panics_on() {
        assert_eq!(within("adding", || 2 + 2), 4);
        let caught = std::panic::catch_unwind(|| within("panicking", || panic!("inner")));
        assert!(caught.is_err());
    }
}
