//! Exercise `exit_codes`: `Ended::from_status`, `run_all`, `is_alive` and `stop`.
//!
//! The children are this crate's own program in small roles: `ok` exits with 0, `fail N` with N,
//! `panic` panics (you will see its message in the test output: that is the point), `hang` runs
//! until its stdin is closed, and `meet ADDR` waits at a cross-process gate. A child that a test
//! starts itself is held by a [`Reaper`], which kills it when the test ends, even when it fails,
//! so no test leaves a process behind.

use std::ops::{Deref, DerefMut};
use std::os::unix::process::ExitStatusExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};

use processes::exit_codes::{Ended, is_alive, run_all, stop};
use test_support::{NetGate, TIMEOUT, within};

/// The crate's own program, built by Cargo for these tests.
const EXE: &str = env!("CARGO_BIN_EXE_processes");

/// A child that is killed and waited for when the test ends, however it ends.
struct Reaper(Child);

impl Reaper {
    /// Starts `processes hang`: it reads its stdin, a pipe this test keeps open, until killed.
    fn hang() -> Reaper {
        let child = Command::new(EXE)
            .arg("hang")
            .stdin(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {EXE} hang: {err}"));
        Reaper(child)
    }
}

impl Deref for Reaper {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl DerefMut for Reaper {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `run_all(EXE, jobs)`, failing the test on an error or after the time limit.
fn run_jobs(jobs: &'static [&'static [&'static str]]) -> Vec<Ended> {
    within("run_all", move || run_all(Path::new(EXE), jobs))
        .unwrap_or_else(|err| panic!("run_all({EXE}, {jobs:?}) failed: {err}"))
}

#[test]
fn from_status_reads_exit_codes_and_signals() {
    // On Unix, a raw wait status holds the exit code in its second byte, or the signal that
    // killed the process in its low bits.
    let cases = [
        (0, Ended::Code(0)),
        (3 << 8, Ended::Code(3)),
        (101 << 8, Ended::Code(101)),
        (255 << 8, Ended::Code(255)),
        (9, Ended::Signal(9)),
        (15, Ended::Signal(15)),
    ];
    for (raw, expected) in cases {
        let status = ExitStatus::from_raw(raw);
        assert_eq!(
            Ended::from_status(status),
            expected,
            "for the status `{status}`: use ExitStatus::code(), and \
             std::os::unix::process::ExitStatusExt::signal() when there is no code"
        );
    }
}

#[test]
fn a_panicking_child_does_not_stop_its_siblings() {
    let ended = run_jobs(&[&["ok"], &["panic"], &["fail", "3"], &["ok"]]);
    assert_eq!(
        ended,
        [
            Ended::Code(0),
            Ended::Code(101),
            Ended::Code(3),
            Ended::Code(0)
        ],
        "one Ended per job, in the order of the jobs: a panicking Rust program exits with 101, \
         and its siblings and its parent carry on"
    );
}

#[test]
fn the_endings_of_a_mixed_family() {
    let jobs: &[&[&str]] = &[
        &["fail", "7"],
        &["ok"],
        &["panic"],
        &["fail", "255"],
        &["no-such-role"],
        &["ok"],
    ];
    let ended = run_jobs(jobs);
    assert_eq!(
        ended.len(),
        jobs.len(),
        "expected one Ended per job: {ended:?}"
    );
    let table: Vec<String> = jobs
        .iter()
        .zip(&ended)
        .map(|(job, ended)| format!("{:<14} {ended:?}", job.join(" ")))
        .collect();
    insta::with_settings!({
        description => "run_all: each job's arguments and how its child ended",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(table.join("\n"));
    });
}

#[test]
fn run_all_starts_every_child_before_waiting_for_any() {
    // Each `meet` child waits at the gate until all three are running; only then does it exit.
    let gate = NetGate::start(3);
    let addr = gate.addr().to_string();
    let run = panic::catch_unwind(AssertUnwindSafe(|| {
        within("run_all", move || {
            let job = ["meet", addr.as_str()];
            run_all(Path::new(EXE), &[&job, &job, &job])
        })
    }));

    if !gate.opened() {
        let how = match &run {
            Ok(Ok(ended)) => format!("run_all returned {ended:?}"),
            Ok(Err(err)) => format!("run_all failed: {err}"),
            Err(_) => "run_all panicked or did not return in time (see above)".to_owned(),
        };
        if gate.peak() == 0 {
            panic!("no child ever reached the gate. {how}");
        }
        panic!(
            "the 3 children were never all running at the same time (at most {} at once, and the \
             gate waited {} s for the rest; a child that gives up exits with code 1): run_all \
             must start every child before it waits for any of them. {how}",
            gate.peak(),
            TIMEOUT.as_secs()
        );
    }
    let ended = run
        .unwrap_or_else(|payload| panic::resume_unwind(payload))
        .unwrap_or_else(|err| panic!("run_all failed: {err}"));
    assert_eq!(
        ended,
        [Ended::Code(0); 3],
        "every child met the others at the gate and exited with 0"
    );
}

#[test]
fn a_program_that_cannot_start_is_named_in_the_error() {
    let missing = "/no/such/folder/processes";
    let result = within("run_all with a missing program", move || {
        run_all(Path::new(missing), &[&["ok"]])
    });
    let err = result.expect_err("starting a program that does not exist must give an error");
    assert!(
        err.to_string().contains(missing),
        "the error should name the program that could not start, got \"{err}\": wrap the error \
         of Command::spawn with processes::cannot_start"
    );
}

#[test]
fn a_hanging_child_is_alive_until_it_is_stopped() {
    let mut child = Reaper::hang();

    assert!(
        is_alive(&mut child).expect("is_alive"),
        "the `hang` child is still reading its stdin, so it is alive: is_alive must not wait \
         for it (see Child::try_wait)"
    );
    let ended = stop(&mut child).expect("stop");
    assert_eq!(
        ended,
        Ended::Signal(9),
        "stop must kill the child (Child::kill sends SIGKILL, signal 9) and report how it ended"
    );
    assert!(
        !is_alive(&mut child).expect("is_alive"),
        "a stopped child is not alive"
    );
}

#[test]
fn a_child_that_ended_by_itself_is_not_alive_and_keeps_its_exit_code() {
    let mut child = Reaper::hang();
    // Closing its stdin lets the `hang` child finish on its own, with code 0.
    drop(child.stdin.take());
    let mut child = within("waiting for the `hang` child to end", move || {
        let status = child.wait().expect("wait for the `hang` child");
        assert!(
            status.success(),
            "the `hang` child should exit with 0 once its stdin is closed, got {status}"
        );
        child
    });

    assert!(
        !is_alive(&mut child).expect("is_alive"),
        "a child that has exited is not alive"
    );
    assert_eq!(
        stop(&mut child).expect("stop"),
        Ended::Code(0),
        "stopping a child that already exited must report how it really ended (wait for it \
         after killing it), not a signal"
    );
}
