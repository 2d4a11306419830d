//! The checker on a tiny fixture course: it passes a good course and names each kind of
//! violation in a broken one.

use course_testkit as common;

use course_check::{self as check, Options, Report};
use course_core::layout::Course;
use course_core::runner::Outcome;
use std::path::Path;
use std::time::Duration;

fn run_check(root: &Path, timeout: Duration) -> Report {
    let course = Course::open_repo(root).expect("the fixture course opens");
    let chapters: Vec<_> = course.manifest.chapters.iter().collect();
    let options = Options {
        target_dir: common::target_dir(root),
        timeout,
    };
    let mut steps = 0;
    let report = check::check(&course, &chapters, &options, &mut |step| {
        if let check::Step::Done = step {
            steps += 1;
        }
    })
    .expect("the check runs");
    assert_eq!(
        steps,
        check::steps(&chapters),
        "every step is reported to the progress bar"
    );
    report
}

/// Writes the fixture's handed-out copy from its stubs, as `check --write-pristine` does.
fn write_pristine(root: &Path) {
    let course = Course::open_repo(root).expect("the fixture course opens");
    for chapter in &course.manifest.chapters {
        course_core::pristine::write(&course, chapter).expect("the copy is written");
    }
}

fn problems(report: &Report) -> Vec<String> {
    report.violations.iter().map(|v| v.to_string()).collect()
}

#[test]
fn a_good_course_has_no_violations() {
    let dir = common::mini_course();
    let report = run_check(dir.path(), Duration::from_secs(60));
    assert!(report.violations.is_empty(), "{:#?}", problems(&report));
    let tests: Vec<(&str, &str)> = report
        .verdicts
        .iter()
        .map(|v| (v.exercise.as_str(), v.test.as_str()))
        .collect();
    assert_eq!(
        tests,
        [
            ("add", "add::adds"),
            ("add", "add::adds_zero"),
            ("double", "double::doubles")
        ]
    );
    for v in &report.verdicts {
        assert_eq!(
            (v.stub, v.solution),
            (Outcome::Failed, Outcome::Passed),
            "{v:?}"
        );
    }
}

#[test]
fn a_stub_that_already_passes_is_a_violation() {
    let dir = common::mini_course();
    let solved = std::fs::read_to_string(dir.path().join("solutions/01-demo/src/lib.rs")).unwrap();
    common::write(dir.path(), "exercises/01-demo/src/lib.rs", &solved);
    let report = run_check(dir.path(), Duration::from_secs(60));
    let found = problems(&report);
    assert_eq!(
        found
            .iter()
            .filter(|p| p.contains("passes on the stub"))
            .count(),
        3,
        "each of the 3 tests is named: {found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("test double::doubles: passes on the stub")),
        "{found:#?}"
    );
}

#[test]
fn a_test_the_solution_fails_is_a_violation() {
    let dir = common::mini_course();
    common::write(
        dir.path(),
        "solutions/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + b }\npub fn double(a: u32) -> u32 { a * 3 }\n",
    );
    let found = problems(&run_check(dir.path(), Duration::from_secs(60)));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("double::doubles: does not pass on the solution (fail"),
        "{found:#?}"
    );
    assert!(
        found[0].contains("assertion `left == right` failed"),
        "the test's message is quoted: {found:#?}"
    );
}

#[test]
fn a_hanging_test_times_out_instead_of_hanging_the_check() {
    let dir = common::mini_course();
    common::write(
        dir.path(),
        "solutions/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + b }\npub fn double(_: u32) -> u32 { loop { std::thread::park(); } }\n",
    );
    let report = run_check(dir.path(), Duration::from_secs(3));
    let doubles = report
        .verdicts
        .iter()
        .find(|v| v.test == "double::doubles")
        .expect("the test is listed");
    assert_eq!(doubles.solution, Outcome::TimedOut);
    assert!(
        problems(&report).iter().any(|p| p.contains("(timeout")),
        "{:#?}",
        problems(&report)
    );
}

#[test]
fn a_stub_with_warnings_is_a_violation() {
    let dir = common::mini_course();
    common::write(
        dir.path(),
        "exercises/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { todo!() }\n#[allow(unused_variables)]\npub fn double(a: u32) -> u32 { todo!() }\n",
    );
    let found = problems(&run_check(dir.path(), Duration::from_secs(60)));
    assert!(
        found
            .iter()
            .any(|p| p.contains("01-demo (stub): compiles with 2 warning(s)")),
        "{found:#?}"
    );
}

#[test]
fn the_manifest_and_the_tree_must_agree() {
    let dir = common::mini_course();
    // A test file nobody claims, a solution missing its [[test]], a page missing from SUMMARY.md.
    common::write(
        dir.path(),
        "exercises/01-demo/tests/extra.rs",
        "#[test]\nfn x() { demo::add(1, 1); }\n",
    );
    let toml = dir.path().join("solutions/01-demo/Cargo.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace(
            "[[test]]\nname = \"double\"\npath = \"../../exercises/01-demo/tests/double.rs\"\n",
            "",
        ),
    )
    .unwrap();
    common::write(
        dir.path(),
        "src/SUMMARY.md",
        "# Summary\n\n- [Another title](01-demo/index.md)\n",
    );
    std::fs::remove_dir_all(dir.path().join("exercises/01-demo/tests/snapshots")).unwrap();

    let found = problems(&run_check(dir.path(), Duration::from_secs(60)));
    let expect = [
        "tests/extra.rs: this test file belongs to no exercise; add an exercise with test = \"extra\"",
        "test `double` is not run on the solution; add [[test]] name = \"double\" path = \"../../exercises/01-demo/tests/double.rs\"",
        "lists the chapters as [Another title](01-demo/index.md); list them as in",
        "the chapter has no committed insta snapshot",
    ];
    for e in expect {
        assert!(
            found.iter().any(|p| p.contains(e)),
            "expected a violation containing {e:?} in {found:#?}"
        );
    }
}

#[test]
fn a_test_that_hangs_on_the_stub_is_a_violation() {
    let dir = common::mini_course();
    common::write(
        dir.path(),
        "exercises/01-demo/src/lib.rs",
        "#[allow(unused_variables)]\npub fn add(a: u32, b: u32) -> u32 { todo!() }\n#[allow(unused_variables)]\npub fn double(a: u32) -> u32 { loop { std::thread::park(); } }\n",
    );
    let found = problems(&run_check(dir.path(), Duration::from_secs(3)));
    assert!(
        found
            .iter()
            .any(|p| p.contains("double::doubles: hangs on the stub until the time limit")),
        "{found:#?}"
    );
}

#[test]
fn an_ignored_test_is_reported_as_ignored_not_as_a_crash() {
    let dir = common::mini_course();
    common::write(
        dir.path(),
        "exercises/01-demo/tests/double.rs",
        "#[test]\n#[ignore]\nfn doubles() {\n    assert_eq!(demo::double(21), 42);\n}\n",
    );
    let report = run_check(dir.path(), Duration::from_secs(60));
    let doubles = report
        .verdicts
        .iter()
        .find(|v| v.test == "double::doubles")
        .expect("the test is listed");
    assert_eq!(
        (doubles.stub, doubles.solution),
        (Outcome::Ignored, Outcome::Ignored)
    );
    let found = problems(&report);
    assert!(
        found
            .iter()
            .any(|p| p.contains("does not pass on the solution (ignored: marked #[ignore]")),
        "{found:#?}"
    );
}

#[test]
fn given_files_and_given_parts_follow_the_rules() {
    use course_core::manifest::{GIVEN_END, GIVEN_MARKER, GIVEN_START};
    let dir = common::mini_course();
    let root = dir.path();
    // `extra.rs` is declared given but has no marker line, and the solution does not take it.
    let manifest = root.join("exercises/course.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replacen(
            "title = \"Demo chapter\"\n",
            "title = \"Demo chapter\"\ngiven = [\"extra.rs\"]\n",
            1,
        ),
    )
    .unwrap();
    common::write(
        root,
        "exercises/01-demo/src/extra.rs",
        "pub fn extra() {}\n",
    );
    // `other.rs` is taken by path but not declared.
    common::write(
        root,
        "exercises/01-demo/src/other.rs",
        &format!("{GIVEN_MARKER}\npub fn other() {{}}\n"),
    );
    let lib = |side: &str, value: u32| {
        let path = root.join(side).join("01-demo/src/lib.rs");
        let mut text = std::fs::read_to_string(&path).unwrap();
        if side == "solutions" {
            text.push_str(
                "#[path = \"../../../exercises/01-demo/src/other.rs\"]\npub mod other;\n",
            );
        }
        // A shared part that differs between the two sides.
        text.push_str(&format!(
            "{GIVEN_START}\npub const LIMIT: u32 = {value};\n{GIVEN_END}\n"
        ));
        std::fs::write(&path, text).unwrap();
    };
    lib("exercises", 1);
    lib("solutions", 2);
    // The stubs changed on purpose: the copy `reset` restores follows them.
    write_pristine(root);

    let found = problems(&run_check(root, Duration::from_secs(60)));
    let expect = [
        "extra.rs: a given file that does not open with the given line",
        "does not take the given extra.rs from the exercise",
        "takes exercises/01-demo/src/other.rs by path, but it is not listed as given",
        "differs from exercises/01-demo/src/lib.rs between the given lines",
    ];
    for e in expect {
        assert!(
            found.iter().any(|p| p.contains(e)),
            "expected a violation containing {e:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "nothing else: {found:#?}");

    // Put right, the same course has no violations.
    common::write(
        root,
        "exercises/01-demo/src/extra.rs",
        &format!("{GIVEN_MARKER}\npub fn extra() {{}}\n"),
    );
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("given = [\"extra.rs\"]", "given = [\"other.rs\"]"),
    )
    .unwrap();
    lib("exercises", 2);
    let path = root.join("exercises/01-demo/src/lib.rs");
    let text = std::fs::read_to_string(&path).unwrap();
    // The stub's lib.rs now holds the part twice (1, then 2); keep only the second.
    let first = format!("{GIVEN_START}\npub const LIMIT: u32 = 1;\n{GIVEN_END}\n");
    std::fs::write(&path, text.replace(&first, "")).unwrap();
    write_pristine(root);
    let found = problems(&run_check(root, Duration::from_secs(60)));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_handed_out_copy_that_is_not_the_stub_is_a_violation() {
    let dir = common::mini_course();
    let root = dir.path();
    let lib = root.join("exercises/01-demo/src/lib.rs");
    let stub = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        stub.replace("Adds two numbers.", "Adds two numbers, a and b."),
    )
    .unwrap();
    common::write(root, "exercises/.course/pristine/01-demo/src/old.rs", "");
    let found = problems(&run_check(root, Duration::from_secs(60)));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains(
            "the handed-out copy `cargo course reset` restores is not the stub: lib.rs, old.rs"
        ) && found[0].contains("cargo course check --write-pristine"),
        "{found:#?}"
    );
    write_pristine(root);
    assert!(
        problems(&run_check(root, Duration::from_secs(60))).is_empty(),
        "the copy written anew is the stub"
    );
    assert!(
        !root
            .join("exercises/.course/pristine/01-demo/src/old.rs")
            .exists()
    );
}
