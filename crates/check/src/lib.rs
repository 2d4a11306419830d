//! `course check`: proves the course's invariants, test by test.
//!
//! For each chapter: the manifest agrees with the tree, the stub compiles without warnings, every
//! test fails on the stub, and every test passes on the reference solution. Both crates run the
//! very same test files, so "fails on the stub, passes on the solution" means no test is vacuous
//! and no exercise is solved before the learner starts.

use anyhow::Result;
use course_core::layout::{Course, Violation};
use course_core::manifest::{Chapter, ChapterId};
use course_core::runner::{self, Build, Crate, Outcome, TestResult};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One test, run on both sides.
#[derive(Debug, Clone)]
pub struct TestVerdict {
    /// The chapter id.
    pub chapter: ChapterId,
    /// The exercise the test belongs to.
    pub exercise: String,
    /// The test's name inside its binary.
    pub test: String,
    /// What it did on the stub (should fail).
    pub stub: Outcome,
    /// What it did on the solution (should pass).
    pub solution: Outcome,
}

impl TestVerdict {
    /// Whether the test holds the invariant: failing on the stub, passing on the solution.
    pub fn ok(&self) -> bool {
        !self.stub.passed() && self.solution.passed()
    }
}

/// Everything `course check` found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every test of every checked chapter.
    pub verdicts: Vec<TestVerdict>,
    /// Every broken rule, with its fix.
    pub violations: Vec<Violation>,
}

/// A step of the check, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// About to build and run `side` of `chapter`.
    Start { chapter: &'a str, side: &'a str },
    /// Finished that.
    Done,
}

/// Options for a check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The target directory for both sides. One directory lets the stub and the solution share
    /// their compiled dependencies.
    pub target_dir: PathBuf,
    /// The time limit for one test binary.
    pub timeout: Duration,
}

impl Options {
    /// The repository's own target directory and the default time limit.
    pub fn for_course(course: &Course) -> Options {
        let target_dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| course.repo.join("target"));
        Options {
            target_dir,
            timeout: runner::DEFAULT_TIMEOUT,
        }
    }
}

/// The number of steps `check` reports for these chapters.
pub fn steps(chapters: &[&Chapter]) -> u64 {
    2 * chapters.len() as u64
}

/// Checks the given chapters (all when empty), reporting each step to `progress`.
pub fn check(
    course: &Course,
    chapters: &[&Chapter],
    options: &Options,
    progress: &mut dyn FnMut(Step<'_>),
) -> Result<Report> {
    course.require_solutions("`cargo course check`")?;
    let mut report = Report {
        violations: course.course_violations(),
        ..Report::default()
    };
    for chapter in chapters {
        report.violations.extend(course.chapter_violations(chapter));

        // The stub builds in the learners' workspace, the solution in the root one.
        let violations = &mut report.violations;
        let mut run = |side: &str, workspace: &Path| -> Result<Option<Results>> {
            progress(Step::Start {
                chapter: &chapter.id,
                side,
            });
            let results = run_side(
                &workspace.join("Cargo.toml"),
                chapter,
                side,
                options,
                violations,
            );
            progress(Step::Done);
            results
        };
        let stub = run("stub", &course.exercises)?;
        let solution = run("solution", &course.repo)?;

        judge(chapter, &stub, &solution, &mut report);
    }
    report.violations.sort();
    report.violations.dedup();
    Ok(report)
}

/// `(target, test)` to result, for one side.
type Results = BTreeMap<(String, String), TestResult>;

/// Builds and runs one side (stub or solution) of a chapter.
fn run_side(
    manifest: &Path,
    chapter: &Chapter,
    side: &str,
    options: &Options,
    violations: &mut Vec<Violation>,
) -> Result<Option<Results>> {
    let krate = Crate {
        manifest,
        package: chapter.package(),
        target_dir: &options.target_dir,
    };
    let place = format!("{} ({side})", chapter.id);
    match runner::build_tests(&krate)? {
        Build::Failed { errors } => {
            let first = runner::first_error(&errors);
            violations.push(Violation::new(
                place,
                format!("does not compile: {first}"),
                format!(
                    "run `cargo test -p {}` in {} and fix the errors",
                    chapter.package(),
                    dir_of(manifest)
                ),
            ));
            Ok(None)
        }
        Build::Built { binaries, warnings } => {
            if side == "stub" && !warnings.is_empty() {
                let first = warnings[0].lines().next().unwrap_or("").to_owned();
                violations.push(Violation::new(
                    &place,
                    format!("compiles with {} warning(s), first: {first}", warnings.len()),
                    "stubs must build cleanly: use `todo!()` bodies and #[allow(unused_variables)] where needed",
                ));
            }
            let mut results = Results::new();
            for binary in &binaries {
                for result in runner::run_tests(binary, options.timeout)? {
                    results.insert((binary.target.clone(), result.name.clone()), result);
                }
            }
            Ok(Some(results))
        }
    }
}

fn dir_of(manifest: &Path) -> String {
    manifest.parent().unwrap_or(manifest).display().to_string()
}

/// Compares the two sides test by test.
fn judge(
    chapter: &Chapter,
    stub: &Option<Results>,
    solution: &Option<Results>,
    report: &mut Report,
) {
    let mut keys: Vec<&(String, String)> = Vec::new();
    for side in [stub, solution].into_iter().flatten() {
        keys.extend(side.keys());
    }
    keys.sort();
    keys.dedup();

    for exercise in &chapter.exercises {
        if solution.is_some() && !keys.iter().any(|(target, _)| *target == exercise.test) {
            report.violations.push(Violation::new(
                format!("{}/tests/{}.rs", chapter.id, exercise.test),
                format!("exercise `{}` has no tests", exercise.id),
                "write at least one #[test] in it",
            ));
        }
    }

    for (target, test) in keys {
        let outcome = |side: &Option<Results>| match side {
            None => Outcome::NotBuilt,
            Some(results) => results
                .get(&(target.clone(), test.clone()))
                .map_or(Outcome::NotBuilt, |r| r.outcome),
        };
        let exercise = chapter
            .exercise_for_test(target)
            .map_or_else(|| format!("({target})"), |e| e.id.to_string());
        let verdict = TestVerdict {
            chapter: chapter.id.clone(),
            exercise,
            test: format!("{target}::{test}"),
            stub: outcome(stub),
            solution: outcome(solution),
        };
        let place = format!("{} test {}", chapter.id, verdict.test);
        if stub.is_some() && verdict.stub.passed() {
            report.violations.push(Violation::new(
                &place,
                "passes on the stub",
                "the stub must leave it failing: keep a todo!() in the code it tests, or make the test assert what the exercise asks",
            ));
        }
        if verdict.stub == Outcome::TimedOut {
            report.violations.push(Violation::new(
                &place,
                "hangs on the stub until the time limit",
                "give every blocking wait in the test a timeout, so a learner's `cargo test` fails instead of hanging",
            ));
        }
        if solution.is_some() && !verdict.solution.passed() {
            let why = solution
                .as_ref()
                .and_then(|s| s.get(&(target.clone(), test.clone())))
                .map(|r| runner::headline(&r.message).to_owned())
                .unwrap_or_default();
            report.violations.push(Violation::new(
                &place,
                format!("does not pass on the solution ({}{})", verdict.solution, if why.is_empty() { String::new() } else { format!(": {why}") }),
                format!(
                    "fix solutions/{}/src or the test; run `cargo test -p {} --test {target}` at the repository root",
                    chapter.id,
                    chapter.package()
                ),
            ));
        }
        report.verdicts.push(verdict);
    }
}
