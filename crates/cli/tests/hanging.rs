//! Grading stays fast and feedback stays small when students' code misbehaves, on the small
//! fixture course (one chapter, no dependencies, so the reference is graded in seconds).
//!
//! - **Hanging code.** A submission whose function never returns, tested by many tests: each test
//!   stops at its limit, and once the student's budget is used up the rest fail as "not run",
//!   with a reason that says so. No test of it passes, and the run ends.
//! - **An output flood.** A submission that prints a megabyte in every test: each failure message
//!   is cut to a few KiB, says how much was cut, and the student's files stay under 1 MiB.

use course_core::layout::Course;
use course_core::runner::Outcome;
use course_grader::{self as grade, Options};
use course_testkit::{self as common, Tool};
use std::path::Path;
use std::time::Duration;

/// How many tests the fixture's `add` exercise gets here: more than one wave of test processes.
const TESTS: usize = 40;

/// The fixture course with `TESTS` tests of `add`, and two students: one whose `add` never
/// returns, one whose `add` floods its output and then fails.
fn course_and_class(dir: &Path) -> Course {
    let root = dir.join("course");
    common::copy_dir(&common::fixture(), &root);
    let tests: String = (0..TESTS)
        .map(|i| {
            format!(
                "#[test]\nfn adds_{i:02}() {{\n    assert_eq!(demo::add({i}, 1), {});\n}}\n",
                i + 1
            )
        })
        .collect();
    common::write(&root, "exercises/01-demo/tests/add.rs", &tests);
    // The snapshot test of the fixture is gone with it.
    std::fs::remove_dir_all(root.join("exercises/01-demo/tests/snapshots")).unwrap();
    // The grader builds from the exercises' lock file (the fixture has no dependencies).
    let lock = std::process::Command::new(env!("CARGO"))
        .args(["generate-lockfile", "--offline", "--manifest-path"])
        .arg(root.join("exercises/Cargo.toml"))
        .status()
        .unwrap();
    assert!(lock.success());

    let stub = std::fs::read_to_string(root.join("exercises/01-demo/src/lib.rs")).unwrap();
    let student = |id: &str, body: &str| {
        let lib = stub
            .replacen("todo!()", body, 1)
            .replacen("todo!()", "add(a, a)", 1);
        common::write(dir, &format!("submissions/{id}/01-demo/src/lib.rs"), &lib);
    };
    student("hangs", "loop { std::thread::park() }");
    student(
        "floods",
        r#"{ for _ in 0..64 { println!("{}", "flood ".repeat(4096)); } panic!("flooded") }"#,
    );
    Course::open_repo(&root).expect("the fixture course opens")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn hanging_code_uses_up_its_budget_and_a_flood_is_cut_down() {
    if !common::require(
        "hanging_code_uses_up_its_budget_and_a_flood_is_cut_down",
        &[Tool::Bubblewrap, Tool::Nextest],
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let course = course_and_class(dir.path());
    let out = dir.path().join("out");
    let options = Options {
        submissions: dir.path().join("submissions"),
        out: out.clone(),
        work: Some(dir.path().join("work")),
        jobs: 1,
        extra_tests: None,
        force: false,
        // Each test stops after 2 s, and all of a student's tests after 3 s: 40 hanging tests
        // need several waves of test processes, so the budget runs out first.
        timeout: Some(Duration::from_secs(2)),
        budget: Some(Duration::from_secs(3)),
        no_sandbox: false,
        prepare_only: false,
    };
    let outcome = grade::grade(&course, &options, &|_| {}).expect("grading runs to the end");
    let grades: std::collections::BTreeMap<&str, _> = outcome
        .grades
        .iter()
        .map(|g| (g.student.as_str(), g))
        .collect();

    // Hanging: nothing passes; some tests were stopped at their limit, the rest never ran, and
    // their reason says why.
    let hangs = grades["hangs"];
    let add: Vec<_> = hangs.tests.iter().filter(|t| t.exercise == "add").collect();
    assert_eq!(add.len(), TESTS, "every test has a verdict");
    assert!(
        add.iter()
            .all(|t| matches!(t.outcome, Outcome::TimedOut | Outcome::NotRun)),
        "each test stopped at its limit or did not run: {add:#?}"
    );
    let not_run: Vec<_> = add
        .iter()
        .filter(|t| t.outcome == Outcome::NotRun)
        .collect();
    assert!(
        !not_run.is_empty() && not_run.len() < TESTS,
        "some tests ran to their limit, the rest did not run: {add:#?}"
    );
    for t in &not_run {
        assert!(
            t.message.contains("the submission used up its time (3 s"),
            "{}",
            t.message
        );
    }
    assert!(
        add.iter()
            .any(|t| t.outcome == Outcome::TimedOut && t.message.contains("limit of 2 s")),
        "the tests that ran stopped at their own limit: {add:#?}"
    );
    let feedback = read(&out.join("students/hangs/feedback.md"));
    assert!(
        feedback.contains("used up its time"),
        "the student reads why: {feedback}"
    );

    // The flood: every failure message is cut, says so, and the files stay small.
    let floods = grades["floods"];
    let flooded: Vec<_> = floods
        .tests
        .iter()
        .filter(|t| t.exercise == "add")
        .collect();
    assert_eq!(flooded.len(), TESTS);
    for t in &flooded {
        assert!(
            !t.outcome.passed() && t.message.len() <= 4 * 1024,
            "{:?}: {} bytes",
            t.outcome,
            t.message.len()
        );
        assert!(
            t.message.contains("feedback keeps at most"),
            "says it was cut: {}",
            t.message
        );
    }
    for file in ["feedback.md", "results.json", "grade.json"] {
        let size = std::fs::metadata(out.join("students/floods").join(file))
            .unwrap()
            .len();
        assert!(size < 1 << 20, "{file} is {size} bytes");
    }
}
