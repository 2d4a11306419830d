//! Exercise `exit_codes`: `Ended::from_status`, `run_all`, `is_alive` and `stop`.
//!
//! The children are this crate's own program in small roles: `ok` exits with 0, `fail N` with N,
//! `panic` panics (you will see its message in the test output: that is the point), `hang` runs
//! until its stdin is closed, and `meet ADDR` waits at a cross-process gate. A child that a test
//! starts itself is held by a [`Reaper`], which kills it when the test ends, even when it fails,
//! so no test leaves a process behind. The panicking children run with `RUST_BACKTRACE=0`, through
//! a small script that sets it, so that their message stays short wherever the tests run.
//!
//! One test runs a stand-in program instead, a shell script whose children end in ways that only
//! the test knows, so that endings made up from the jobs' arguments cannot pass. Another looks in
//! `/proc` for children that were left behind, running or as zombies.

mod common;

use std::ops::{Deref, DerefMut};
use std::os::unix::process::ExitStatusExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{self, Child, Command, ExitStatus, Stdio};

use common::{Hold, Scratch, describe, finished_within, leftovers, nonce, quoted};
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

/// A script in `scratch` that runs [`EXE`] with its arguments and `RUST_BACKTRACE=0`, so that a
/// child that panics prints its message and no backtrace, even where `RUST_BACKTRACE=1` is set.
fn quiet_exe(scratch: &Scratch) -> PathBuf {
    scratch.script(
        "processes",
        &format!(
            "RUST_BACKTRACE=0\nexport RUST_BACKTRACE\nexec {} \"$@\"\n",
            quoted(EXE)
        ),
    )
}

/// `run_all(EXE, jobs)` (with `RUST_BACKTRACE=0`, see [`quiet_exe`]), failing the test on an
/// error or after the time limit.
fn run_jobs(jobs: &'static [&'static [&'static str]]) -> Vec<Ended> {
    let scratch = Scratch::new();
    let exe = quiet_exe(&scratch);
    within("run_all", move || run_all(&exe, jobs))
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
fn from_status_of_a_status_with_neither_code_nor_signal() {
    // `wait` only reports processes that ended, but a status can also say that a process was
    // stopped (by SIGSTOP, 19 on Linux, or SIGTSTP, 20: Ctrl-Z) or continued (by SIGCONT).
    // Such a status has no exit code and no killing signal.
    let cases = [
        ((19 << 8) | 0x7f, Ended::Signal(19)),
        ((20 << 8) | 0x7f, Ended::Signal(20)),
        (0xffff, Ended::Signal(0)),
    ];
    for (raw, expected) in cases {
        let status = ExitStatus::from_raw(raw);
        assert_eq!(
            (status.code(), status.signal()),
            (None, None),
            "the raw status {raw:#x} has neither a code nor a signal"
        );
        assert_eq!(
            Ended::from_status(status),
            expected,
            "for the status `{status}`, which has neither an exit code nor a killing signal: \
             give the signal that stopped the process (ExitStatusExt::stopped_signal), or \
             Ended::Signal(0) if there is none"
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
fn the_endings_come_from_the_children() {
    // A stand-in program whose jobs' names say nothing about how they end: only the children
    // know, so run_all has to wait for each one and read its status.
    let code = 10 + (nonce() % 90) as i32;
    let scratch = Scratch::new();
    let stand_in = scratch.script(
        "stand-in",
        &format!(
            "case \"$*\" in\n\
             \x20 first) exit {code} ;;\n\
             \x20 second) kill -TERM $$ ;;\n\
             \x20 third) exit 0 ;;\n\
             \x20 *) echo \"stand-in: unexpected arguments: $*\" >&2; exit 2 ;;\n\
             esac\n"
        ),
    );
    let path = stand_in.display().to_string();
    let ended = within("run_all with a stand-in program", move || {
        run_all(&stand_in, &[&["first"], &["second"], &["third"]])
    })
    .unwrap_or_else(|err| panic!("run_all({path}, ..) failed: {err}"));
    assert_eq!(
        ended,
        [Ended::Code(code), Ended::Signal(15), Ended::Code(0)],
        "the stand-in's first child exits with code {code}, its second is killed by SIGTERM \
         (15) and its third exits with 0: run_all must return how each child really ended, from \
         its own ExitStatus (Ended::from_status), in the order of the jobs"
    );
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
fn a_later_job_that_cannot_start_leaves_no_child_behind() {
    // The first two jobs wait at a gate that never opens, so they cannot end by themselves. The
    // third cannot start at all: an argument that holds a NUL byte cannot be passed to a program
    // (C strings end at NUL), so its spawn fails. The program is the crate's own, started through
    // a link with a name of its own, so that this test can find its children in /proc.
    let scratch = Scratch::new();
    let probe = scratch.link("run-all-probe", Path::new(EXE));
    let hold = Hold::start();
    let addr = hold.addr();
    let path = probe.display().to_string();
    let run = finished_within(move || {
        let meet = ["meet", addr.as_str()];
        run_all(&probe, &[&meet, &meet, &["fail\0", "3"]])
    });
    let left = leftovers(process::id(), Some("run-all-probe"));

    let result = run.unwrap_or_else(|| {
        panic!(
            "run_all did not return within {} s after its third job failed to start. Its first \
             two children wait at a gate that never opens, like any child that may run for a \
             long time: waiting for them does not end. Kill each child already started \
             (Child::kill), then wait for it, and return the error",
            TIMEOUT.as_secs()
        )
    });
    let err = result.expect_err(
        "the third job has an argument with a NUL byte, which no program can be given, so its \
         spawn fails and run_all must return an error",
    );
    assert!(
        err.to_string().contains(&path),
        "the error should name the program that could not start, got \"{err}\": wrap the error \
         of Command::spawn with processes::cannot_start"
    );
    assert!(
        left.is_empty(),
        "the third job could not start, and run_all returned \"{err}\", but it left the children \
         of the first two jobs behind:{}\nBefore returning the error, kill every child already \
         started (Child::kill) and wait for it (Child::wait): dropping a Child neither stops it \
         nor waits for it",
        describe(&left)
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
    let pid = child.id();
    let ended = stop(&mut child).expect("stop");
    assert_eq!(
        ended,
        Ended::Signal(9),
        "stop must kill the child (Child::kill sends SIGKILL, signal 9) and report how it ended"
    );
    // Checked before is_alive, whose try_wait would collect the zombie.
    let left: Vec<_> = leftovers(process::id(), None)
        .into_iter()
        .filter(|leftover| leftover.pid == pid)
        .collect();
    assert!(
        left.is_empty(),
        "stop returned, but the child is still there:{}\nAfter Child::kill, wait for the child \
         (Child::wait): that collects its status and removes it from the process table",
        describe(&left)
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
