//! Exercise `endings`: what ends the whole process, done in a thread named `ender`.
//!
//! Each test runs this crate's program, `threads end WAY`, as a child process, so that a way
//! which ends the whole process ends the child and not the test. It then checks how the child
//! ended (its exit code, or the signal that killed it) and what it printed: the lines that name
//! the `ender` thread prove the ending happened there and not on the main thread, and the
//! program's last line, `main still running`, appears only where the process survived.
//!
//! The children run with `RUST_BACKTRACE=0`, so that a panic prints its message without a
//! backtrace wherever the tests run, and every child has a time limit of 10 s: a child that
//! waits for ever fails its test instead of hanging it.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Output};

use threads::endings::{PANIC_MESSAGE, STILL_RUNNING, WORKER};

/// The crate's own program, built by Cargo for these tests.
const EXE: &str = env!("CARGO_BIN_EXE_threads");

/// SIGABRT, the signal of `std::process::abort`.
const SIGABRT: i32 = 6;

/// What a child printed and how it ended.
struct Ended {
    way: String,
    stdout: String,
    stderr: String,
    code: Option<i32>,
    signal: Option<i32>,
}

impl Ended {
    fn describe(&self) -> String {
        let how = match (self.code, self.signal) {
            (Some(code), _) => format!("exit code {code}"),
            (None, Some(signal)) => format!("signal {signal}"),
            (None, None) => "neither a code nor a signal".to_owned(),
        };
        format!(
            "`threads end {}` ended with {how}.\n--- its stdout:\n{}--- its stderr:\n{}---",
            self.way, self.stdout, self.stderr
        )
    }

    fn printed(&self, line: &str) -> bool {
        self.stdout.lines().any(|l| l == line)
    }

    fn survived(&self) -> bool {
        self.printed(STILL_RUNNING)
    }
}

/// Runs `threads end WAY...` with a time limit of 10 s.
fn end(way: &[&str]) -> Ended {
    let Output {
        status,
        stdout,
        stderr,
    } = test_support::output_within(
        Command::new(EXE)
            .arg("end")
            .args(way)
            .env("RUST_BACKTRACE", "0")
            .env_remove("RUST_LIB_BACKTRACE"),
    );
    Ended {
        way: way.join(" "),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        code: status.code(),
        signal: status.signal(),
    }
}

/// Whether `stderr` has a line of Rust's own about the thread named `name`, such as
/// `thread 'ender' (12345) panicked at src/endings.rs:10:5:` (the number is the OS thread id).
fn runtime_said(stderr: &str, name: &str, what: &str) -> bool {
    stderr
        .lines()
        .any(|line| line.starts_with(&format!("thread '{name}' ")) && line.contains(what))
}

/// Whether `stderr` shows a panic on the thread named [`WORKER`].
fn panicked_on_the_worker(ended: &Ended) -> bool {
    runtime_said(&ended.stderr, WORKER, " panicked at ")
}

fn assert_no_main_thread_panic(ended: &Ended) {
    assert!(
        !runtime_said(&ended.stderr, "main", " panicked at "),
        "the main thread panicked: the ending must happen on the thread named {WORKER:?}, \
         started with thread::Builder::new().name(..).\n{}",
        ended.describe()
    );
}

#[test]
fn a_panic_in_a_thread_leaves_the_process_running() {
    let ended = end(&["panic-in-thread"]);
    assert_no_main_thread_panic(&ended);
    assert!(
        panicked_on_the_worker(&ended),
        "the thread named {WORKER:?} should panic, and Rust's panic message names its thread \
         (\"thread '{WORKER}' (ID) panicked at ...\"): start the worker with thread::Builder \
         and a name.\n{}",
        ended.describe()
    );
    let joined = format!("main: {WORKER} panicked, and join gave Err: {PANIC_MESSAGE}");
    assert!(
        ended.printed(&joined),
        "after the worker panicked with the message {PANIC_MESSAGE:?}, end_in_thread should \
         return Survived::Panicked with that message, taken from the Err that join gave back \
         (downcast the payload), and the program then prints {joined:?}. The payload of \
         panic!(\"literal\") is a &'static str, but that of panic!(\"{{PANIC_MESSAGE}}\") or of \
         any panic with format arguments is a String: try both downcasts, as in harvest.\n{}",
        ended.describe()
    );
    assert!(
        ended.survived() && ended.code == Some(0),
        "a panic in a thread does not end a Rust process: the main thread carries on, prints \
         {STILL_RUNNING:?} and exits with code 0.\n{}",
        ended.describe()
    );
}

#[test]
fn exit_from_a_thread_ends_the_whole_process_with_its_code() {
    for code in [3, 42] {
        let ended = end(&["exit-from-thread", &code.to_string()]);
        let line = format!("{WORKER}: exiting with code {code}");
        assert!(
            ended.printed(&line),
            "the worker should print {line:?}, with the name it reads from \
             thread::current().name() on its own thread, before it exits.\n{}",
            ended.describe()
        );
        assert_eq!(
            ended.code,
            Some(code),
            "std::process::exit({code}) on any thread ends the whole process at once, with that \
             code.\n{}",
            ended.describe()
        );
        assert!(
            !ended.survived(),
            "the process ended inside the worker, so main never printed {STILL_RUNNING:?}; if it \
             did, end_in_thread returned before the worker exited: join the worker.\n{}",
            ended.describe()
        );
    }
}

#[test]
fn a_stack_overflow_in_a_thread_aborts_the_whole_process() {
    let ended = end(&["stack-overflow"]);
    assert!(
        runtime_said(&ended.stderr, WORKER, " has overflowed its stack"),
        "Rust prints \"thread '{WORKER}' (ID) has overflowed its stack\" when the thread named {WORKER:?} runs out of stack: recurse \
         on that thread, in a way the compiler cannot turn into a loop.\n{}",
        ended.describe()
    );
    assert_eq!(
        ended.signal,
        Some(SIGABRT),
        "a stack overflow aborts the whole process (SIGABRT, signal 6), whichever thread \
         overflowed.\n{}",
        ended.describe()
    );
    assert!(!ended.survived(), "{}", ended.describe());
}

#[test]
fn a_panic_under_an_aborting_hook_ends_the_whole_process() {
    let ended = end(&["abort-on-panic"]);
    assert_no_main_thread_panic(&ended);
    assert!(
        panicked_on_the_worker(&ended) && ended.stderr.contains(PANIC_MESSAGE),
        "the thread named {WORKER:?} should panic with {PANIC_MESSAGE:?}, and the hook should \
         still print the usual message (call the hook that panic::take_hook gave you).\n{}",
        ended.describe()
    );
    assert_eq!(
        ended.signal,
        Some(SIGABRT),
        "with panic = \"abort\", a panic on any thread aborts the process (SIGABRT, signal 6); \
         here a panic hook that calls std::process::abort() does the same.\n{}",
        ended.describe()
    );
    assert!(!ended.survived(), "{}", ended.describe());
}

#[test]
fn a_panic_in_rayon_spawn_aborts_the_whole_process() {
    let ended = end(&["rayon-spawn-panic"]);
    assert_no_main_thread_panic(&ended);
    assert!(
        panicked_on_the_worker(&ended),
        "the job should panic on a rayon pool thread named {WORKER:?} \
         (ThreadPoolBuilder::thread_name).\n{}",
        ended.describe()
    );
    assert!(
        ended
            .stderr
            .contains("Rayon: detected unexpected panic; aborting"),
        "a panic in a job of pool.spawn, in a pool without a panic_handler, makes rayon abort \
         the process; rayon says so on stderr.\n{}",
        ended.describe()
    );
    assert_eq!(
        ended.signal,
        Some(SIGABRT),
        "rayon aborts the process (SIGABRT, signal 6).\n{}",
        ended.describe()
    );
    assert!(
        !ended.survived(),
        "end_in_thread returned before rayon aborted the process: after pool.spawn, wait (the \
         abort ends the wait).\n{}",
        ended.describe()
    );
}

/// How many times `main_returning_ends_a_thread_that_is_still_running` runs the program.
///
/// An answer that returns without waiting for the worker to start is wrong, but the worker may
/// still print `ender: started` before main returns, whenever the scheduler happens to run it
/// first: in about 1 run in 5 on an idle 2-core machine, and 1 in 2 when the cores are busy.
/// Such a run looks exactly like a right one from outside, so no single run can tell them
/// apart. A right answer prints the line every time, so the test asks for it in every one of 20
/// runs: a wrong answer then passes only if it wins all 20 races (less than 1 chance in 10^6 at
/// 1 in 2).
const MAIN_RETURNS_RUNS: usize = 20;

#[test]
fn main_returning_ends_a_thread_that_is_still_running() {
    let started = format!("{WORKER}: started");
    let finished = format!("{WORKER}: finished");
    for run in 1..=MAIN_RETURNS_RUNS {
        let ended = end(&["main-returns"]);
        let lines: Vec<&str> = ended.stdout.lines().collect();
        let at = |line: &str| lines.iter().position(|l| *l == line);
        assert!(
            at(&started).is_some(),
            "the worker should print {started:?} (its name from thread::current().name()) \
             before end_in_thread returns: wait until it says it has started, for example on a \
             channel. (In run {run} of {MAIN_RETURNS_RUNS} it did not: without the wait, the \
             process may end before the worker runs at all.)\n{}",
            ended.describe()
        );
        assert!(
            at(&started) < at(STILL_RUNNING) && ended.code == Some(0),
            "end_in_thread returns Survived::LeftRunning once the worker has started, without \
             joining it; main then prints {STILL_RUNNING:?} and returns, with code 0. (Run \
             {run} of {MAIN_RETURNS_RUNS}.)\n{}",
            ended.describe()
        );
        assert!(
            at(&finished).is_none(),
            "the worker waits a minute before it prints {finished:?}; main returned long before, \
             and when main returns, the process ends and takes every other thread with it.\n{}",
            ended.describe()
        );
    }
}

#[test]
fn how_each_way_ends() {
    let ways: [&[&str]; 6] = [
        &["panic-in-thread"],
        &["exit-from-thread", "7"],
        &["stack-overflow"],
        &["abort-on-panic"],
        &["rayon-spawn-panic"],
        &["main-returns"],
    ];
    let table: Vec<String> = ways
        .iter()
        .map(|way| {
            let ended = end(way);
            let how = match (ended.code, ended.signal) {
                (Some(code), _) => format!("exit code {code}"),
                (None, Some(SIGABRT)) => "SIGABRT".to_owned(),
                (None, Some(signal)) => format!("signal {signal}"),
                (None, None) => "?".to_owned(),
            };
            let survived = if ended.survived() {
                "main carried on"
            } else {
                "the whole process ended"
            };
            format!("{:<20} {how:<12} {survived}", way.join(" "))
        })
        .collect();
    insta::with_settings!({
        description => "threads end WAY: how the process ended, and whether main carried on",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(table.join("\n"));
    });
}
