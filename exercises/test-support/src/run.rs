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
    let (done, finished) = mpsc::channel();
    let mut readers = Vec::new();
    for mut pipe in [
        Box::new(child.stdout.take().expect("piped stdout")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("piped stderr")),
    ] {
        let done = done.clone();
        readers.push(thread::spawn(move || {
            let mut bytes = Vec::new();
            // A read error ends the output early; the status still tells what happened.
            let _ = pipe.read_to_end(&mut bytes);
            let _ = done.send(());
            bytes
        }));
    }
    let deadline = crate::Deadline::from_now();
    for _ in 0..readers.len() {
        if finished.recv_timeout(deadline.remaining()).is_err() {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{cmd:?} did not finish within {} s, so it was killed",
                crate::TIMEOUT.as_secs()
            );
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
    let mut outputs = readers
        .into_iter()
        .map(|reader| reader.join().expect("a pipe reader does not panic"));
    Output {
        status,
        stdout: outputs.next().unwrap_or_default(),
        stderr: outputs.next().unwrap_or_default(),
    }
}

/// Runs `work` on a new thread and returns its result, or panics with a message naming `what`
/// if it has not returned within [`TIMEOUT`] (the thread is then left behind).
///
/// Use it around a call that would hang forever if the code under test deadlocked. A panic in
/// `work` is passed on to the caller.
pub fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, recv) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = send.send(work());
    });
    match recv.recv_timeout(TIMEOUT) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not finish within {} s: is something waiting for itself (a deadlock)?",
            TIMEOUT.as_secs()
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
    fn within_returns_the_value_and_passes_panics_on() {
        assert_eq!(within("adding", || 2 + 2), 4);
        let caught = std::panic::catch_unwind(|| within("panicking", || panic!("inner")));
        assert!(caught.is_err());
    }
}
