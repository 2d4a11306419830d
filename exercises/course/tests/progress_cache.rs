//! `cargo course progress` remembers each chapter's result with a fingerprint of its files: a
//! chapter that did not change is not built or tested again, and one that did is.
//!
//! The course here is a tiny one made in a temporary folder: one chapter, one exercise, a
//! library function and one test of it, and no dependencies, so each build takes a second.

use course::progress::{self, State};
use course_core::layout::Course;
use std::path::Path;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(60);

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A course whose one exercise, `answer`, passes once `demo::answer()` is 42.
fn tiny_course(dir: &Path, answer: u32) {
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"01-demo\"]\n",
    );
    write(
        &dir.join("course.toml"),
        "[[chapters]]\nid = \"01-demo\"\ntitle = \"Demo\"\n\n[[chapters.exercises]]\n\
         id = \"answer\"\npoints = 1\nhint = \"Forty-two.\"\n",
    );
    write(
        &dir.join("01-demo/Cargo.toml"),
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    set_answer(dir, answer);
    write(
        &dir.join("01-demo/tests/answer.rs"),
        "#[test]\nfn is_42() {\n    assert_eq!(demo::answer(), 42);\n}\n",
    );
    // A handed-out workspace has its lock file; without one, the first build would write it,
    // and that change would send the next run to the tests again.
    let locked = std::process::Command::new(course_core::runner::cargo())
        .args(["generate-lockfile", "--offline"])
        .current_dir(dir)
        .status()
        .expect("cargo runs");
    assert!(locked.success());
}

fn set_answer(dir: &Path, answer: u32) {
    write(
        &dir.join("01-demo/src/lib.rs"),
        &format!("pub fn answer() -> u32 {{\n    {answer}\n}}\n"),
    );
}

/// Runs progress; returns the chapters it built and tested, and the exercise's state.
fn run(course: &Course, target: &Path) -> (Vec<String>, State) {
    let mut tested = Vec::new();
    let chapters = progress::progress_in(course, target, TIMEOUT, &mut |chapter| {
        tested.push(chapter.id.to_string());
    })
    .expect("progress runs");
    (tested, chapters[0].exercises[0].state.clone())
}

#[test]
fn an_unchanged_chapter_is_remembered_and_a_changed_one_is_tested_again() {
    let dir = tempfile::tempdir().unwrap();
    let (exercises, target) = (dir.path().join("exercises"), dir.path().join("target"));
    tiny_course(&exercises, 41);
    let course = Course::open(dir.path(), &exercises).expect("the tiny course opens");
    let failing = State::Partial {
        passed: 0,
        total: 1,
    };

    assert_eq!(
        run(&course, &target),
        (vec!["01-demo".to_owned()], failing.clone())
    );
    assert!(
        target.join("course/progress.json").is_file(),
        "the results are kept in the target folder"
    );
    assert_eq!(
        run(&course, &target),
        (vec![], failing.clone()),
        "nothing changed, so nothing is built or tested: the remembered result comes back"
    );

    // The same bytes written again: the fingerprint is of the contents, not of the times.
    set_answer(&exercises, 41);
    assert_eq!(run(&course, &target), (vec![], failing.clone()));

    set_answer(&exercises, 42);
    assert_eq!(
        run(&course, &target),
        (vec!["01-demo".to_owned()], State::Done),
        "a changed source is tested again"
    );
    assert_eq!(run(&course, &target), (vec![], State::Done));

    // A new test file changes the chapter too.
    write(
        &exercises.join("01-demo/tests/answer.rs"),
        "#[test]\nfn is_42() {\n    assert_eq!(demo::answer(), 42);\n}\n\n\
         #[test]\nfn is_even() {\n    assert_eq!(demo::answer() % 2, 0);\n}\n",
    );
    assert_eq!(
        run(&course, &target),
        (vec!["01-demo".to_owned()], State::Done)
    );

    // A cache that is not JSON is passed over, and written anew.
    std::fs::write(target.join("course/progress.json"), "not json").unwrap();
    assert_eq!(
        run(&course, &target),
        (vec!["01-demo".to_owned()], State::Done)
    );
    assert_eq!(run(&course, &target), (vec![], State::Done));
}
