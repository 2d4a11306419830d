//! The watch's decisions, kept apart from the terminal, the files and the threads so that tests
//! can drive them: which exercise is on, when to run its tests again, when `n` may move on, and
//! what the screen says about a run.

use crate::{hint, next};
use course_core::layout::Course;
use course_core::manifest::{Chapter, ChapterId, Exercise};
use course_core::runner::{Outcome, TestResult};
use std::path::Path;
use std::time::Duration;

/// What reaches the watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Files were saved (a burst of saves arrives as one), in these chapters' folders.
    Saved(Vec<ChapterId>),
    /// A key was pressed.
    Key(char),
    /// The run that [`Action::Run`] started has ended.
    Ran(Report),
}

/// What the watch asks its shell to do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Build the exercise at this place in the course's order and run its tests; the result
    /// comes back as [`Input::Ran`]. Never asked for while a run is going on.
    Run(usize),
    /// Show the result of the last run of the exercise at this place.
    Show(usize, Report),
    /// Print the hint of the exercise at this place.
    Hint(usize),
    /// List the exercises, marking the one at this place.
    List(usize),
    /// Print a line.
    Say(String),
    /// Stop watching (stopping a run that is going on).
    Quit,
}

/// How one run of an exercise's tests went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Every test passes.
    Passed { total: usize },
    /// Some tests fail. `first` is the one to look at; `unfinished` are the tests that were
    /// still running when the time limit stopped the binary.
    Failing {
        passed: usize,
        total: usize,
        first: Failure,
        others: Vec<String>,
        unfinished: Vec<String>,
        limit: Duration,
    },
    /// The chapter does not compile: the first error as the compiler gave it, and how many
    /// more there are.
    DoesNotCompile { error: String, more: usize },
    /// The exercise's test file has no tests (or is missing).
    NoTests,
    /// The tests could not be built or run at all (cargo is missing, a folder is unreadable).
    Trouble(String),
}

/// The failing test a learner should look at first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The test's name.
    pub test: String,
    /// What went wrong, without libtest's `thread '...' panicked at` line.
    pub message: String,
    /// `file:line` of the first panic, relative to the exercises folder.
    pub location: Option<String>,
    /// Whether the time limit stopped it.
    pub timed_out: bool,
}

/// The watch's state: the course's exercises in order, the one that is on, and its last run.
#[derive(Debug)]
pub struct Watch {
    chapters: Vec<ChapterId>,
    current: usize,
    running: bool,
    again: bool,
    seeking: bool,
    last: Option<Report>,
}

/// The keys, as the footer lists them.
pub const KEYS: &str = "h hint · n next (once it passes) · l list · q quit";

impl Watch {
    /// Watches the exercises whose chapters are `chapters` (one entry per exercise, in the
    /// course's order), starting with the one at `current`, whose tests run first. When
    /// `seeking`, a pass moves on by itself, until the first exercise that does not pass: the
    /// watch finds where the learner is without running every chapter first.
    pub fn start(chapters: Vec<ChapterId>, current: usize, seeking: bool) -> (Watch, Vec<Action>) {
        let mut watch = Watch {
            chapters,
            current,
            running: false,
            again: false,
            seeking,
            last: None,
        };
        let run = watch.run();
        (watch, run)
    }

    /// The exercise that is on.
    pub fn current(&self) -> usize {
        self.current
    }

    /// Whether a run is going on.
    pub fn running(&self) -> bool {
        self.running
    }

    /// What to do about `input`.
    pub fn on(&mut self, input: Input) -> Vec<Action> {
        match input {
            Input::Saved(chapters) => {
                if !chapters.contains(&self.chapters[self.current]) {
                    return vec![Action::Say(format!(
                        "Saved in {}; the watch is on {} (run `cargo course watch EXERCISE` to work on another).",
                        list(&chapters),
                        self.chapters[self.current]
                    ))];
                }
                if self.running {
                    // The run that is going on tests the old code: run once more after it.
                    self.again = true;
                    return Vec::new();
                }
                self.run()
            }
            Input::Ran(report) => {
                self.running = false;
                if std::mem::take(&mut self.again) {
                    return self.run();
                }
                let passed = matches!(report, Report::Passed { .. });
                if self.seeking && passed && self.current + 1 < self.chapters.len() {
                    self.current += 1;
                    return self.run();
                }
                self.seeking = false;
                self.last = Some(report.clone());
                vec![Action::Show(self.current, report)]
            }
            Input::Key('q') => vec![Action::Quit],
            Input::Key('h') => vec![Action::Hint(self.current)],
            Input::Key('l') => vec![Action::List(self.current)],
            Input::Key('n') => self.next(),
            Input::Key(_) => vec![Action::Say(format!("Keys: {KEYS}."))],
        }
    }

    fn next(&mut self) -> Vec<Action> {
        if self.running {
            return vec![Action::Say(
                "The tests are still running: n moves on once they pass.".to_owned(),
            )];
        }
        if !matches!(self.last, Some(Report::Passed { .. })) {
            return vec![Action::Say(
                "This exercise does not pass yet: n moves on once it does (h shows its hint)."
                    .to_owned(),
            )];
        }
        if self.current + 1 == self.chapters.len() {
            return vec![Action::Say(
                "That was the course's last exercise. q quits.".to_owned(),
            )];
        }
        self.current += 1;
        self.run()
    }

    fn run(&mut self) -> Vec<Action> {
        self.running = true;
        vec![Action::Run(self.current)]
    }
}

fn list(chapters: &[ChapterId]) -> String {
    let names: Vec<&str> = chapters.iter().map(ChapterId::as_str).collect();
    names.join(", ")
}

/// The report of a run that built: the first failing test first (a failure that says
/// something before a test that was stopped), or a pass.
pub fn report(results: &[TestResult], limit: Duration) -> Report {
    let total = results.len();
    let passed = results.iter().filter(|r| r.outcome.passed()).count();
    if total == 0 {
        return Report::NoTests;
    }
    if passed == total {
        return Report::Passed { total };
    }
    // A failed assertion that says what went wrong comes first, then a test that was stopped
    // (a failure whose message was lost, since libtest prints them at the end and a stopped
    // binary never gets there, says nothing), then the rest (crashed, ignored).
    let first = results
        .iter()
        .find(|r| r.outcome == Outcome::Failed && !r.message.trim().is_empty())
        .or_else(|| results.iter().find(|r| r.outcome == Outcome::TimedOut))
        .or_else(|| results.iter().find(|r| !r.outcome.passed()))
        .map(failure)
        .expect("a test that does not pass");
    let failing: Vec<Failure> = results
        .iter()
        .filter(|r| !r.outcome.passed())
        .map(failure)
        .collect();
    Report::Failing {
        passed,
        total,
        others: failing
            .iter()
            .filter(|f| f.test != first.test && !f.timed_out)
            .map(|f| f.test.clone())
            .collect(),
        unfinished: failing
            .iter()
            .filter(|f| f.timed_out)
            .map(|f| f.test.clone())
            .collect(),
        first,
        limit,
    }
}

fn failure(result: &TestResult) -> Failure {
    let message = result
        .message
        .lines()
        .filter(|line| panic_header(line).is_none())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned();
    let message = match result.outcome {
        Outcome::Crashed if message.is_empty() => "the test binary ended before this test reported: an abort, a `process::exit`, a stack overflow or a signal".to_owned(),
        Outcome::Ignored => "it is marked #[ignore], so it never runs: take the mark off".to_owned(),
        _ => message,
    };
    Failure {
        test: result.name.clone(),
        message,
        location: panic_location(&result.message),
        timed_out: result.outcome == Outcome::TimedOut,
    }
}

/// What follows `panicked at` in libtest's `thread 'NAME' (ID) panicked at FILE:LINE:COL:`
/// (the thread's id is there since Rust 1.88), if `line` is that header.
fn panic_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("thread '")?;
    let (_, at) = rest.split_once(" panicked at ")?;
    Some(at)
}

/// `file:line` from the first `panicked at file:line:column:` in a failure message that names
/// a file of the course. Those paths are relative to the exercises folder; a panic inside a
/// dependency (insta's snapshot assertion, say) names an absolute path in cargo's registry,
/// which is not where to look.
pub fn panic_location(message: &str) -> Option<String> {
    message.lines().filter_map(panic_header).find_map(|at| {
        let at = at.trim().trim_end_matches(':');
        let (file_line, column) = at.rsplit_once(':')?;
        let (file, line) = file_line.rsplit_once(':')?;
        let numbers = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // The shared helpers (`test_support::within` panics there when time runs out) are
        // not where the learner should look either.
        let ours = !file.is_empty()
            && !Path::new(file).is_absolute()
            && !file.starts_with("test-support/");
        (numbers(line) && numbers(column) && ours).then(|| format!("{file}:{line}"))
    })
}

/// The report of a build that failed: the first error whole, as the compiler rendered it,
/// and how many errors follow it (cargo's "could not compile" lines are not counted).
pub fn compile_report(rendered: &str) -> Report {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in rendered.lines() {
        if line.starts_with("error") {
            blocks.push(vec![line]);
        } else if let Some(block) = blocks.last_mut() {
            block.push(line);
        }
    }
    let real: Vec<String> = blocks
        .into_iter()
        .map(|b| b.join("\n").trim_end().to_owned())
        .filter(|b| {
            !b.starts_with("error: aborting due to") && !b.starts_with("error: could not compile")
        })
        .collect();
    match real.split_first() {
        Some((first, rest)) => Report::DoesNotCompile {
            error: first.clone(),
            more: rest.len(),
        },
        // No `error` line: cargo itself failed; its words are the message.
        None => Report::DoesNotCompile {
            error: rendered.trim().to_owned(),
            more: 0,
        },
    }
}

/// The screen for a run of `exercise`; `next` is the exercise after it, if any.
pub fn screen(
    course: &Course,
    (chapter, exercise): (&Chapter, &Exercise),
    next: Option<(&Chapter, &Exercise)>,
    report: &Report,
) -> String {
    let id = &exercise.id;
    let mut out = String::new();
    match report {
        Report::Passed { total } => {
            let tests = if *total == 1 {
                "its test".to_owned()
            } else {
                format!("all {total} tests")
            };
            out.push_str(&format!("PASS  `{id}` passes: {tests}.\n\n"));
            match next {
                Some((next_chapter, next_exercise)) => {
                    out.push_str(&format!(
                        "Next: `{}`, in chapter {} ({}).\n  write  {}\n",
                        next_exercise.id,
                        next_chapter.id,
                        next_chapter.title,
                        next::shown_file(course, next_chapter, next_exercise)
                    ));
                    out.push_str(&format!("  read   {}\n", read_line(next_chapter, next_exercise)));
                    out.push_str("Press n to move on to it.\n");
                }
                None => out.push_str("That was the course's last exercise: well done!\n"),
            }
        }
        Report::Failing {
            passed,
            total,
            first,
            others,
            unfinished,
            limit,
        } => {
            out.push_str(&format!(
                "FAIL  `{id}`: {passed} of {total} tests pass.\n\n"
            ));
            if !first.timed_out {
                out.push_str(&format!("First failing test: {}\n", first.test));
                if let Some(at) = &first.location {
                    out.push_str(&format!("  at {at}\n"));
                }
                for line in first.message.lines() {
                    out.push_str(&format!("  | {line}\n"));
                }
            }
            if !unfinished.is_empty() {
                out.push_str(&format!(
                    "Stopped after {} s; these tests had not finished: {}\n",
                    limit.as_secs(),
                    unfinished.join(", ")
                ));
            }
            if !others.is_empty() {
                out.push_str(&format!("Also failing: {}\n", others.join(", ")));
            }
            if !unfinished.is_empty() {
                out.push_str(
                    "\nYour code may be waiting on itself: a lock taken twice, a thread joined by the one it waits for, a `recv` that no sender will answer, a channel whose senders are never dropped.\n",
                );
            }
        }
        Report::DoesNotCompile { error, more } => {
            out.push_str(&format!("FAIL  `{id}`: the chapter does not compile.\n\n"));
            out.push_str(error);
            out.push('\n');
            if *more > 0 {
                let errors = if *more == 1 { "error" } else { "errors" };
                out.push_str(&format!(
                    "\n({more} more {errors}: `cargo test -p {} --test {}` shows them all.)\n",
                    chapter.package(),
                    exercise.test
                ));
            }
        }
        Report::Trouble(why) => out.push_str(&format!(
            "The tests of `{id}` could not be run: {why}\n"
        )),
        Report::NoTests => out.push_str(&format!(
            "FAIL  `{id}`: {}/tests/{}.rs has no tests. Is it as it was handed out? (`cargo course reset {id}` puts it back)\n",
            chapter.id, exercise.test
        )),
    }
    out
}

/// The hint's `Read:` line (the book section that teaches the exercise), or the chapter page.
pub fn read_line(chapter: &Chapter, exercise: &Exercise) -> String {
    hint::read_section(&exercise.hint)
        .map_or_else(|| chapter.page.replace(".md", ".html"), str::to_owned)
}

/// The line above every screen: the exercise, where it is in the course, and its file.
pub fn header(course: &Course, place: usize, (chapter, exercise): (&Chapter, &Exercise)) -> String {
    let total: usize = course
        .manifest
        .chapters
        .iter()
        .map(|c| c.exercises.len())
        .sum();
    format!(
        "cargo course watch · exercise {} of {total}: `{}`, chapter {}\nedit {} and save: its tests run again.\n",
        place + 1,
        exercise.id,
        chapter.id,
        next::shown_file(course, chapter, exercise)
    )
}

/// One line per exercise, marking the one that is on and the ones known to pass.
pub fn exercise_list(
    course: &Course,
    current: usize,
    passes: &dyn Fn(&Exercise) -> Option<bool>,
) -> String {
    let mut out = String::new();
    let mut place = 0;
    for chapter in &course.manifest.chapters {
        out.push_str(&format!("{}  {}\n", chapter.id, chapter.title));
        for exercise in &chapter.exercises {
            let mark = match passes(exercise) {
                Some(true) => "[x]",
                Some(false) => "[ ]",
                None => "[?]",
            };
            let on = if place == current {
                "  <- watching"
            } else {
                ""
            };
            out.push_str(&format!("  {mark} {}{on}\n", exercise.id));
            place += 1;
        }
    }
    out.push_str(
        "[x] passes, [ ] does not, [?] not tested since its chapter last changed.\nStart at one: cargo course watch EXERCISE\n",
    );
    out
}

/// The hint as the watch prints it.
pub fn hint_text(exercise: &Exercise) -> String {
    format!(
        "Hint for `{}`:\n\n{}\n",
        exercise.id,
        hint::with_book_note(&exercise.hint)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ChapterId {
        s.parse().expect("a chapter id")
    }

    /// Three exercises: two in chapter 01, one in 02; the watch starts on the first.
    fn started() -> Watch {
        let (watch, actions) = Watch::start(vec![id("01-a"), id("01-a"), id("02-b")], 0, false);
        assert_eq!(actions, [Action::Run(0)], "the first run starts at once");
        watch
    }

    fn passed() -> Report {
        Report::Passed { total: 2 }
    }

    fn failing() -> Report {
        report(
            &[
                result("a", Outcome::Passed, ""),
                result("b", Outcome::Failed, "boom"),
            ],
            Duration::from_secs(5),
        )
    }

    fn result(name: &str, outcome: Outcome, message: &str) -> TestResult {
        TestResult {
            name: name.to_owned(),
            outcome,
            message: message.to_owned(),
        }
    }

    #[test]
    fn a_run_is_shown_and_a_save_in_the_chapter_runs_again() {
        let mut watch = started();
        assert_eq!(
            watch.on(Input::Ran(failing())),
            [Action::Show(0, failing())]
        );
        assert_eq!(watch.on(Input::Saved(vec![id("01-a")])), [Action::Run(0)]);
        assert!(watch.running());
    }

    #[test]
    fn saves_during_a_run_make_one_more_run_and_its_stale_result_is_not_shown() {
        let mut watch = started();
        // Two bursts of saves while the first run goes on: nothing starts now...
        assert_eq!(watch.on(Input::Saved(vec![id("01-a")])), []);
        assert_eq!(watch.on(Input::Saved(vec![id("01-a")])), []);
        // ...and the run that tested the old code is followed by exactly one more.
        assert_eq!(watch.on(Input::Ran(failing())), [Action::Run(0)]);
        assert_eq!(watch.on(Input::Ran(passed())), [Action::Show(0, passed())]);
        assert!(!watch.running());
    }

    #[test]
    fn seeking_moves_past_passes_to_the_first_exercise_that_fails_then_stops_seeking() {
        let (mut watch, actions) = Watch::start(vec![id("01-a"), id("01-a"), id("02-b")], 0, true);
        assert_eq!(actions, [Action::Run(0)]);
        assert_eq!(watch.on(Input::Ran(passed())), [Action::Run(1)]);
        assert_eq!(
            watch.on(Input::Ran(failing())),
            [Action::Show(1, failing())]
        );
        // Found: from now on a pass is shown and waits for n.
        watch.on(Input::Saved(vec![id("01-a")]));
        assert_eq!(watch.on(Input::Ran(passed())), [Action::Show(1, passed())]);
        assert_eq!(watch.current(), 1);
        // A course whose exercises all pass ends on the last one, shown.
        let (mut all, _) = Watch::start(vec![id("01-a"), id("02-b")], 0, true);
        assert_eq!(all.on(Input::Ran(passed())), [Action::Run(1)]);
        assert_eq!(all.on(Input::Ran(passed())), [Action::Show(1, passed())]);
    }

    #[test]
    fn a_save_in_another_chapter_is_named_and_runs_nothing() {
        let mut watch = started();
        watch.on(Input::Ran(failing()));
        let actions = watch.on(Input::Saved(vec![id("02-b")]));
        assert!(
            matches!(&actions[..], [Action::Say(line)] if line.contains("02-b") && line.contains("01-a")),
            "{actions:?}"
        );
    }

    #[test]
    fn n_moves_on_only_after_a_pass() {
        let mut watch = started();
        // Not while the tests run, and not after a failure or a compile error.
        assert!(matches!(&watch.on(Input::Key('n'))[..], [Action::Say(_)]));
        watch.on(Input::Ran(failing()));
        assert!(matches!(&watch.on(Input::Key('n'))[..], [Action::Say(_)]));
        assert_eq!(watch.current(), 0);
        watch.on(Input::Saved(vec![id("01-a")]));
        watch.on(Input::Ran(compile_report(
            "error[E0425]: x\n --> a.rs:1:1\n",
        )));
        assert!(matches!(&watch.on(Input::Key('n'))[..], [Action::Say(_)]));
        assert_eq!(watch.current(), 0);
        // After a pass: the next exercise, run at once.
        watch.on(Input::Saved(vec![id("01-a")]));
        watch.on(Input::Ran(passed()));
        assert_eq!(watch.on(Input::Key('n')), [Action::Run(1)]);
        assert_eq!(watch.current(), 1);
        // A pass that a later save made stale does not count: the new run must pass.
        watch.on(Input::Ran(passed()));
        watch.on(Input::Saved(vec![id("01-a")]));
        watch.on(Input::Ran(failing()));
        assert!(matches!(&watch.on(Input::Key('n'))[..], [Action::Say(_)]));
        assert_eq!(watch.current(), 1);
        // Into the next chapter, then the end of the course.
        watch.on(Input::Saved(vec![id("01-a")]));
        watch.on(Input::Ran(passed()));
        assert_eq!(watch.on(Input::Key('n')), [Action::Run(2)]);
        watch.on(Input::Ran(passed()));
        assert!(
            matches!(&watch.on(Input::Key('n'))[..], [Action::Say(line)] if line.contains("last")),
        );
        assert_eq!(watch.current(), 2);
    }

    #[test]
    fn keys_ask_for_the_hint_the_list_and_quitting_and_others_list_the_keys() {
        let mut watch = started();
        watch.on(Input::Ran(failing()));
        assert_eq!(watch.on(Input::Key('h')), [Action::Hint(0)]);
        assert_eq!(watch.on(Input::Key('l')), [Action::List(0)]);
        assert_eq!(watch.on(Input::Key('q')), [Action::Quit]);
        assert!(
            matches!(&watch.on(Input::Key('x'))[..], [Action::Say(line)] if line.contains(KEYS))
        );
        // q also quits in the middle of a run (the shell stops it).
        watch.on(Input::Saved(vec![id("01-a")]));
        assert_eq!(watch.on(Input::Key('q')), [Action::Quit]);
    }

    #[test]
    fn the_first_failing_test_is_one_that_says_something() {
        let limit = Duration::from_secs(7);
        let results = [
            result("hangs", Outcome::TimedOut, "did not finish within 7 s"),
            result("passes", Outcome::Passed, ""),
            result(
                "asserts",
                Outcome::Failed,
                "thread 'asserts' (4242) panicked at 01-a/tests/x.rs:12:5:\nassertion `left == right` failed\n  left: 1\n right: 2",
            ),
            result("crashes", Outcome::Crashed, ""),
        ];
        let Report::Failing {
            passed,
            total,
            first,
            others,
            unfinished,
            ..
        } = report(&results, limit)
        else {
            panic!("a failing report");
        };
        assert_eq!((passed, total), (1, 4));
        assert_eq!(first.test, "asserts");
        assert_eq!(first.location.as_deref(), Some("01-a/tests/x.rs:12"));
        assert_eq!(
            first.message,
            "assertion `left == right` failed\n  left: 1\n right: 2"
        );
        assert_eq!(others, ["crashes"]);
        assert_eq!(unfinished, ["hangs"]);
        // Only stopped tests: the first of them is the one shown.
        let Report::Failing { first, .. } = report(&results[..2], limit) else {
            panic!("a failing report");
        };
        assert!(first.timed_out && first.test == "hangs");
        // A failure whose message was lost when the binary was stopped comes after the stop.
        let lost = [
            result("failed_quietly", Outcome::Failed, ""),
            result("hangs", Outcome::TimedOut, "did not finish within 7 s"),
        ];
        let Report::Failing { first, others, .. } = report(&lost, limit) else {
            panic!("a failing report");
        };
        assert_eq!(
            (first.test.as_str(), &others[..]),
            ("hangs", &["failed_quietly".to_owned()][..])
        );
        // All pass, or there are none.
        assert_eq!(report(&results[1..2], limit), Report::Passed { total: 1 });
        assert_eq!(report(&[], limit), Report::NoTests);
    }

    #[test]
    fn the_panic_location_is_the_first_one_in_the_message() {
        let message = "thread '<unnamed>' (77) panicked at 03-pools/src/pool.rs:40:9:\nnot yet implemented\nthread 'runs' panicked at 03-pools/tests/pool.rs:8:5:\ncalled `Result::unwrap()`";
        assert_eq!(
            panic_location(message).as_deref(),
            Some("03-pools/src/pool.rs:40")
        );
        // A panic inside a dependency is passed over for the course's own file.
        let insta = "thread 'a' (5) panicked at /root/.cargo/registry/src/x/insta-1.49.0/src/runtime.rs:734:13:\nsnapshot assertion for 'b' failed in line 76\nthread 'a' (5) panicked at 01-a/tests/a.rs:9:5:\nboom";
        assert_eq!(panic_location(insta).as_deref(), Some("01-a/tests/a.rs:9"));
        let within = "thread 'a' (5) panicked at test-support/src/run.rs:136:9:\nno answer within 10 s\nthread 'b' (6) panicked at 05-a/src/bank.rs:40:5:\nboom";
        assert_eq!(
            panic_location(within).as_deref(),
            Some("05-a/src/bank.rs:40")
        );
        assert_eq!(
            panic_location(insta.split("\nthread").next().unwrap()),
            None
        );
        // No location without line and column.
        assert_eq!(
            panic_location("thread 'a' panicked at src/a.rs:\nboom"),
            None
        );
        assert_eq!(panic_location("boom"), None);
    }

    #[test]
    fn a_compile_error_is_the_first_one_whole_and_counts_the_rest() {
        let rendered = "error[E0425]: cannot find value `c` in this scope\n --> 01-a/src/lib.rs:1:45\n  |\n1 | pub fn add(a: u32, b: u32) -> u32 { a + c }\n  |                                             ^ help: a local variable with a similar name exists: `a`\n\nerror[E0308]: mismatched types\n --> 01-a/src/lib.rs:2:1\n\nerror: aborting due to 2 previous errors\n";
        let Report::DoesNotCompile { error, more } = compile_report(rendered) else {
            panic!("a compile report");
        };
        assert!(
            error.starts_with("error[E0425]: cannot find value `c`"),
            "{error}"
        );
        assert!(error.contains("--> 01-a/src/lib.rs:1:45"), "{error}");
        assert!(error.contains("help: a local variable"), "{error}");
        assert!(!error.contains("E0308"), "{error}");
        assert_eq!(more, 1);
        // Cargo's own failure (no compiler error) is shown as it is.
        assert_eq!(
            compile_report("failed to parse manifest at `x/Cargo.toml`"),
            Report::DoesNotCompile {
                error: "failed to parse manifest at `x/Cargo.toml`".to_owned(),
                more: 0
            }
        );
    }

    #[test]
    fn the_screen_says_what_passed_what_failed_where_and_what_comes_next() {
        let course = Course::open_repo(&course_core::layout::repo_root()).unwrap();
        let here = course.manifest.exercise("sequential").unwrap();
        let next = course.manifest.exercise("parallel").unwrap();
        let limit = Duration::from_secs(9);

        let pass = screen(&course, here, Some(next), &Report::Passed { total: 6 });
        for part in [
            "PASS  `sequential` passes: all 6 tests.",
            "Next: `parallel`, in chapter 01-sync-async",
            "write  01-sync-async/src/parallel.rs",
            "read   01-sync-async/index.html#",
            "Press n",
        ] {
            assert!(pass.contains(part), "{part:?} is not in:\n{pass}");
        }
        let last = screen(&course, here, None, &Report::Passed { total: 1 });
        assert!(
            last.contains("its test.") && last.contains("last exercise"),
            "{last}"
        );

        let fail = screen(
            &course,
            here,
            Some(next),
            &report(
                &[
                    result("a", Outcome::Passed, ""),
                    result(
                        "b",
                        Outcome::Failed,
                        "thread 'b' (9) panicked at 01-sync-async/src/sequential.rs:30:5:\nnot yet implemented",
                    ),
                ],
                limit,
            ),
        );
        for part in [
            "FAIL  `sequential`: 1 of 2 tests pass.",
            "First failing test: b\n  at 01-sync-async/src/sequential.rs:30\n  | not yet implemented",
        ] {
            assert!(fail.contains(part), "{part:?} is not in:\n{fail}");
        }
        assert!(
            !fail.contains("panicked at") && !fail.contains("Next:"),
            "{fail}"
        );
        assert!(!fail.contains("waiting on itself"), "{fail}");

        let hung = screen(
            &course,
            here,
            Some(next),
            &report(&[result("c", Outcome::TimedOut, "")], limit),
        );
        for part in [
            "Stopped after 9 s; these tests had not finished: c",
            "waiting on itself",
        ] {
            assert!(hung.contains(part), "{part:?} is not in:\n{hung}");
        }

        let broken = screen(
            &course,
            here,
            Some(next),
            &compile_report(
                "error[E0308]: mismatched types\n --> 01-sync-async/src/sequential.rs:3:9\n  |\n3 |     x\n\nerror[E0425]: y\n\nerror[E0425]: z\n",
            ),
        );
        for part in [
            "the chapter does not compile",
            "error[E0308]: mismatched types\n --> 01-sync-async/src/sequential.rs:3:9\n  |\n3 |     x",
            "(2 more errors: `cargo test -p sync-async --test sequential` shows them all.)",
        ] {
            assert!(broken.contains(part), "{part:?} is not in:\n{broken}");
        }
    }
}
