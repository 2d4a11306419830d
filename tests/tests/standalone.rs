//! The learner's workspace stands alone. An instructor hands out `exercises/`, or the repository
//! without `solutions/`; there `cargo test` and the learner's `cargo course` work, build nothing
//! of mdBook or the grader, and a command that needs the missing part says so in one line.
//!
//! Each test copies the course into a temporary folder, as an instructor would hand it out, and
//! runs cargo there as a learner would. The copies share one target directory (under the
//! repository's `target/`), so the dependencies are compiled once; cargo's lock on it keeps the
//! two tests from building at the same moment.

use course_core::layout::{Course, repo_root};
use course_testkit::copy_dir_skipping;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What an instructor leaves out of a copy they hand out.
const NOT_HANDED_OUT: &[&str] = &["target", ".git"];

/// The target directory the copies share.
fn shared_target() -> PathBuf {
    repo_root().join("target").join("standalone")
}

/// `cargo ARGS` in `dir`, as a learner runs it there.
fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", shared_target())
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo {args:?} in {}: {e}", dir.display()))
}

fn text(out: &Output) -> String {
    format!(
        "status: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The first line of an exercise's hint, as the manifest has it.
fn hint_line(exercises: &Path, id: &str) -> String {
    let course = Course::open(exercises.parent().unwrap(), exercises).expect("the copy opens");
    let (_, exercise) = course.manifest.exercise(id).expect("the exercise exists");
    exercise.hint.lines().next().unwrap().to_owned()
}

/// hint from a chapter folder, and progress, in a learner's exercises folder.
fn learner_commands_work(exercises: &Path) {
    let chapter = exercises.join("01-sync-async");
    let hint = cargo(&chapter, &["course", "hint", "sequential"]);
    assert!(hint.status.success(), "hint fails: {}", text(&hint));
    assert!(
        stdout(&hint).contains(&hint_line(exercises, "sequential")),
        "hint prints the manifest's hint: {}",
        text(&hint)
    );

    let progress = cargo(exercises, &["course", "progress"]);
    assert!(
        progress.status.success(),
        "progress fails: {}",
        text(&progress)
    );
    let table = stdout(&progress);
    assert!(
        table.contains("01-sync-async") && table.contains("[ ] sequential"),
        "progress lists the chapters and their exercises: {}",
        text(&progress)
    );
    assert!(
        table.contains("0 of ") && table.contains("exercises done"),
        "the stubs pass nothing: {}",
        text(&progress)
    );
}

#[test]
fn exercises_handed_out_alone_test_hint_and_progress() {
    let dir = tempfile::tempdir().unwrap();
    let exercises = dir.path().join("exercises");
    copy_dir_skipping(&repo_root().join("exercises"), &exercises, NOT_HANDED_OUT);

    // cargo test builds the chapter and runs its tests, which fail on the stub.
    let test = cargo(
        &exercises,
        &["test", "-p", "sync-async", "--test", "sequential"],
    );
    let all = text(&test);
    assert_eq!(test.status.code(), Some(101), "{all}");
    assert!(
        all.contains("running ") && all.contains("test result: FAILED"),
        "the tests ran and failed on the stub: {all}"
    );

    learner_commands_work(&exercises);

    // The learner's tool builds nothing of mdBook or the grader.
    let tree = cargo(
        &exercises,
        &["tree", "-p", "course", "-e", "normal", "--prefix", "none"],
    );
    assert!(tree.status.success(), "{}", text(&tree));
    let tree = stdout(&tree);
    for heavy in [
        "mdbook",
        "course-grader",
        "course-book",
        "zip",
        "tar ",
        "tiny_http",
    ] {
        assert!(
            !tree.lines().any(|l| l.starts_with(heavy)),
            "the learner's tool depends on {heavy}:\n{tree}"
        );
    }

    // An instructor's command says in one line what is missing.
    let book = cargo(&exercises, &["course", "book", "--build"]);
    assert_eq!(book.status.code(), Some(2), "{}", text(&book));
    let err = String::from_utf8_lossy(&book.stderr);
    let err: Vec<&str> = err.lines().collect();
    assert_eq!(err.len(), 1, "one line: {err:?}");
    assert!(
        err[0].starts_with("error: ") && err[0].contains("crates/"),
        "names what to get: {err:?}"
    );
}

#[test]
fn the_repository_without_solutions_still_serves_a_learner() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("course");
    let mut skip = NOT_HANDED_OUT.to_vec();
    skip.push("solutions");
    copy_dir_skipping(&repo_root(), &copy, &skip);
    assert!(!copy.join("solutions").exists());

    // The root workspace still loads (no member glob is left matching nothing).
    let metadata = cargo(&copy, &["metadata", "--no-deps", "--format-version", "1"]);
    assert!(
        metadata.status.success(),
        "the root workspace does not load without solutions/: {}",
        text(&metadata)
    );

    learner_commands_work(&copy.join("exercises"));

    // The author's check needs the solutions, and says so in one line.
    let course = Course::open_repo(&copy).expect("the copy opens");
    let chapters: Vec<_> = course.manifest.chapters.iter().collect();
    let err = course_check::check(
        &course,
        &chapters,
        &course_check::Options::for_course(&course),
        &mut |_| {},
    )
    .expect_err("check cannot run without the solutions");
    let err = format!("{err:#}");
    assert!(
        err.contains("solutions") && !err.contains('\n'),
        "one line that names solutions/: {err}"
    );
}
