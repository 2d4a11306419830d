//! Exercise `pipes`: `answer`, `serve` (the worker's side) and `ask_worker` (the parent's side).
//!
//! The big test sends 100 000 lines, about 1.5 MB, far more than a pipe holds (64 KiB). A parent
//! that writes everything before it reads anything gets stuck, and so does its child; the test
//! runs the call with a time limit, so that deadlock fails after ten seconds with a message
//! instead of hanging.
//!
//! The parent could compute the real worker's answers itself, so some tests pass a stand-in
//! worker instead, a shell script that answers with a number only the test knows, or that fails.

mod common;

use std::io::Cursor;
use std::path::Path;
use std::process;

use common::{Scratch, describe, leftovers, nonce};
use processes::pipes::{answer, ask_worker, serve};
use test_support::within;

/// The crate's own program, built by Cargo for these tests.
const EXE: &str = env!("CARGO_BIN_EXE_processes");

/// `ask_worker(EXE, prefix, lines)`, failing the test on an error or after the time limit.
fn ask(prefix: &'static str, lines: Vec<String>) -> Vec<String> {
    let count = lines.len();
    within(&format!("ask_worker with {count} lines"), move || {
        ask_worker(Path::new(EXE), prefix, &lines)
    })
    .unwrap_or_else(|err| panic!("ask_worker({EXE}, {prefix:?}, {count} lines) failed: {err}"))
}

fn owned(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|&line| line.to_owned()).collect()
}

#[test]
fn answer_shouts_numbers_and_counts() {
    assert_eq!(answer("w", 1, "hello"), "w 1: HELLO (5 chars)");
    assert_eq!(answer("ch2", 12, "Hi there"), "ch2 12: HI THERE (8 chars)");
    assert_eq!(
        answer("w", 3, "进程 and 线程"),
        "w 3: 进程 AND 线程 (9 chars)",
        "count chars (str::chars), not bytes"
    );
    assert_eq!(answer("w", 4, ""), "w 4:  (0 chars)");
}

#[test]
fn serve_answers_every_line_in_order() {
    let mut output = Vec::new();
    let answered = serve("w", Cursor::new("one\ntwo\n\nfour"), &mut output)
        .expect("serving from memory cannot fail");

    assert_eq!(
        answered, 4,
        "serve should return how many lines it answered"
    );
    assert_eq!(
        String::from_utf8(output).expect("the answers are UTF-8"),
        "w 1: ONE (3 chars)\nw 2: TWO (3 chars)\nw 3:  (0 chars)\nw 4: FOUR (4 chars)\n",
        "one answer line per input line, numbered from 1, each ending with a line break (the \
         last input line may lack one)"
    );

    let mut output = Vec::new();
    let answered = serve("w", Cursor::new(""), &mut output).expect("serving from memory");
    assert_eq!((answered, output.len()), (0, 0), "no input, no answers");
}

#[test]
fn a_small_exchange_with_a_worker() {
    let answers = ask("ch2", owned(&["hello", "进程 and 线程", "", "kill -9"]));
    insta::with_settings!({
        description => "ask_worker(exe, \"ch2\", [\"hello\", \"进程 and 线程\", \"\", \"kill -9\"])",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(answers.join("\n"));
    });
}

#[test]
fn the_prefix_reaches_the_worker_through_its_environment() {
    for prefix in ["alpha", "β"] {
        let answers = ask(prefix, owned(&["x"]));
        assert_eq!(
            answers,
            [format!("{prefix} 1: X (1 chars)")],
            "the worker reads its prefix from the environment variable PROCESSES_PREFIX: set it \
             on the child's Command"
        );
    }
}

#[test]
fn no_lines_get_no_answers() {
    let answers = ask("w", Vec::new());
    assert!(
        answers.is_empty(),
        "no lines should give no answers, got {answers:?}"
    );
}

#[test]
fn a_large_input_does_not_deadlock() {
    const LINES: usize = 100_000;
    let lines: Vec<String> = (0..LINES).map(|i| format!("line number {i}")).collect();

    let answers = ask("big", lines);
    assert_eq!(answers.len(), LINES, "expected one answer per line");
    for (i, got) in answers.iter().enumerate() {
        let line = format!("line number {i}");
        let expected = format!(
            "big {}: {} ({} chars)",
            i + 1,
            line.to_uppercase(),
            line.len()
        );
        assert_eq!(*got, expected, "answer {} is wrong or out of order", i + 1);
    }
}

#[test]
fn ask_worker_fails_when_the_worker_does() {
    let missing = "/no/such/folder/processes";
    let result = within("ask_worker with a missing program", move || {
        ask_worker(Path::new(missing), "w", &owned(&["x"]))
    });
    let err = result.expect_err(
        "ask_worker with a program that does not exist must give an error: the answers have to \
         come from a child process, and this one cannot start",
    );
    assert!(
        err.to_string().contains(missing),
        "the error should name the program that could not start, got \"{err}\": wrap the error \
         of Command::spawn with processes::cannot_start"
    );

    let fails = "/bin/false";
    let result = within("ask_worker with /bin/false", move || {
        ask_worker(Path::new(fails), "w", &owned(&["x", "y"]))
    });
    assert!(
        result.is_err(),
        "ask_worker with {fails}, which answers nothing and exits with code 1, must give an \
         error, got {result:?}: check the child's exit status (processes::child_failed)"
    );
}

#[test]
fn the_answers_come_from_the_worker() {
    // A stand-in worker that numbers the lines and adds its prefix and a secret number, which
    // only the worker knows: answers that the parent computes itself cannot match.
    let secret = nonce();
    let scratch = Scratch::new();
    let worker = scratch.stand_in(
        "shout",
        &format!(
            "n=0\n\
             while IFS= read -r line; do\n\
             \x20 n=$((n + 1))\n\
             \x20 printf '%s\\n' \"$PROCESSES_PREFIX #$n {secret}: $line\"\n\
             done\n"
        ),
    );
    let lines = owned(&["hello", "进程 and 线程", "", "  two  spaces  "]);
    let expected: Vec<String> = (1..)
        .zip(&lines)
        .map(|(number, line)| format!("ch2 #{number} {secret}: {line}"))
        .collect();
    let path = worker.display().to_string();
    let answers = within("ask_worker with a stand-in worker", move || {
        ask_worker(&worker, "ch2", &lines)
    })
    .unwrap_or_else(|err| panic!("ask_worker({path}, \"ch2\", ..) failed: {err}"));
    assert_eq!(
        answers, expected,
        "a stand-in worker answers each line with the prefix from its environment, the line's \
         number and a secret number that only it knows: ask_worker must return the lines the \
         worker printed, one answer per line, in order"
    );
}

#[test]
fn a_failing_workers_error_says_why() {
    // A stand-in worker that reads all its input, then says why it fails on stderr.
    let scratch = Scratch::new();
    let worker = scratch.script(
        "stand-in",
        "cat > /dev/null\necho 'stand-in: the disk is on fire' >&2\nexit 3\n",
    );
    let result = within("ask_worker with a failing worker", move || {
        ask_worker(&worker, "w", &owned(&["x", "y"]))
    });
    let err = result.expect_err("a worker that exits with code 3 must give an error");
    assert!(
        err.to_string().contains("the disk is on fire"),
        "the worker wrote `stand-in: the disk is on fire` to its stderr before it failed, but \
         the error is \"{err}\": pipe the child's stderr and pass it to processes::child_failed"
    );
}

#[test]
fn a_worker_that_stops_reading_is_waited_for() {
    // A worker that fails at once without reading a line. The input is bigger than a pipe holds,
    // so writing it fails ("Broken pipe"); whichever error ask_worker returns, it must still
    // wait for the child, or the child stays behind as a zombie.
    let scratch = Scratch::new();
    let worker = scratch.script("gives-up", "exit 1\n");
    let lines: Vec<String> = (0..100_000).map(|i| format!("line number {i}")).collect();
    let result = within("ask_worker with a worker that reads nothing", move || {
        ask_worker(&worker, "w", &lines)
    });
    let left = leftovers(process::id(), Some("gives-up"));
    assert!(
        result.is_err(),
        "a worker that exits with code 1 must give an error, got {} answers",
        result.map_or(0, |answers| answers.len())
    );
    assert!(
        left.is_empty(),
        "ask_worker gave an error, but left its child behind:{}\nWait for the child on every way \
         out, also when writing to it failed",
        describe(&left)
    );
}
