//! The whole course holds its invariants: the manifest agrees with the folders and the book, the
//! stubs build without warnings, and every exercise test fails on its stub and passes on its
//! reference solution, test by test. This is `cargo course check`, run as a test.

use course_check::{self as check, Options};
use course_core::layout::{Course, repo_root};
use std::collections::BTreeSet;

#[test]
fn every_test_fails_on_the_stub_and_passes_on_the_solution() {
    let course = Course::open_repo(&repo_root()).expect("the course opens");
    let chapters: Vec<_> = course.manifest.chapters.iter().collect();
    let report = check::check(
        &course,
        &chapters,
        &Options::for_course(&course),
        &mut |_| {},
    )
    .expect("the check runs");

    let violations: Vec<String> = report.violations.iter().map(ToString::to_string).collect();
    assert!(
        violations.is_empty(),
        "`cargo course check` finds violations:\n{}",
        violations.join("\n")
    );

    // Every exercise in the manifest was seen with at least one test, and all held the rule.
    let seen: BTreeSet<&str> = report
        .verdicts
        .iter()
        .map(|v| v.exercise.as_str())
        .collect();
    for id in course.manifest.exercise_ids() {
        assert!(seen.contains(id), "exercise `{id}` ran no test");
    }
    for verdict in &report.verdicts {
        assert!(verdict.ok(), "{verdict:?}");
    }
}
