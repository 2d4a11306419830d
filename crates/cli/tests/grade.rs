//! The grader on a class of fixture submissions: honest ones (perfect, untouched stub, partial,
//! a zip), broken ones (does not compile, endless loop, runaway resources) and cheats (exit(0),
//! printed fake results, tampered tests and manifests, reaching for files and the network). Each
//! is a folder in `class/` that says how it is made and the verdict it must get (see
//! `class/README.md`); the gradebook is a snapshot on top.
//!
//! The submissions are made from `solutions/` and `exercises/` at test time, so they follow the
//! course as it changes: there is one copy of every solution.

mod class;

use class::{Class, Roles};
use course_testkit as common;

use course_core::layout::{Course, repo_root};
use course_grader::{self as grade, Event, Options};
use std::sync::Mutex;
use std::time::Duration;

fn course() -> Course {
    Course::open_repo(&repo_root()).expect("the course opens")
}

fn options(class: &Class) -> Options {
    Options {
        submissions: class.subs(),
        out: class.out(),
        work: Some(class.work()),
        jobs: 2,
        extra_tests: Some(class.extra()),
        force: false,
        timeout: Some(Duration::from_secs(3)),
        budget: None,
        no_sandbox: false,
        prepare_only: false,
    }
}

fn run(course: &Course, options: &Options) -> (grade::Outcome, Vec<String>) {
    let started = Mutex::new(Vec::new());
    let outcome = grade::grade(course, options, &|event| {
        if let Event::Started(id) = event {
            started.lock().unwrap().push(id.to_owned());
        }
    })
    .expect("grading runs to the end");
    let mut started = started.into_inner().unwrap();
    started.sort();
    (outcome, started)
}

#[test]
fn a_class_is_graded_honestly_and_resumes() {
    use common::Tool;
    if !common::require(
        "a_class_is_graded_honestly_and_resumes",
        &[Tool::Bubblewrap, Tool::Nextest],
    ) {
        return;
    }
    let course = course();
    let roles = Roles::of(&course);
    let class = Class::build(&course, &roles);
    let (outcome, _) = run(&course, &options(&class));

    // The gradebook, whole; then each case's own verdict.
    let csv = std::fs::read_to_string(class.out().join("grades.csv")).unwrap();
    insta::assert_snapshot!("gradebook", csv);
    class.check(&course, &roles, &outcome.grades);

    // Reaching out: nothing was written outside the student's copy, and no connection arrived.
    assert!(!class.out().join("pwned").exists());
    assert!(!class.subs().join("perfect/pwned").exists());
    assert!(
        class.listener.accept().is_err(),
        "a submission reached the network"
    );

    // No student's compiled chapter crates are left for the next student in a slot.
    // What is handed back holds the results only: the cache is in the work folder.
    let mut handed_back: Vec<String> = std::fs::read_dir(class.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    handed_back.sort();
    assert_eq!(handed_back, ["grades.csv", "students", "summary.json"]);
    for slot in std::fs::read_dir(class.work().join("slots")).unwrap() {
        let deps = slot.unwrap().path().join("target/debug/deps");
        for entry in std::fs::read_dir(&deps).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            for c in &course.manifest.chapters {
                let krate = c.package().replace('-', "_");
                assert!(
                    !name.starts_with(&format!("lib{krate}-"))
                        && !name.starts_with(&format!("{krate}-")),
                    "{name} is left in {}",
                    deps.display()
                );
                for e in &c.exercises {
                    assert!(!name.starts_with(&format!("{}-", e.test)), "{name} is left");
                }
            }
        }
    }

    // Extra tests count (the perfect case says so), but their source and messages stay hidden.
    let feedback = std::fs::read_to_string(class.out().join("students/stub/feedback.md")).unwrap();
    assert!(feedback.contains("an instructor's test"), "{feedback}");
    for secret in [
        "SECRET-EXPECTATION",
        "secret_split_has_the_asked_parts() {",
        "split(10, 3)",
    ] {
        for file in ["feedback.md", "results.json", "grade.json"] {
            let text =
                std::fs::read_to_string(class.out().join("students/stub").join(file)).unwrap();
            assert!(
                !text.contains(secret),
                "{file} shows the extra test's {secret}"
            );
        }
    }

    // Every student has a row and all three files; nothing else is in the output.
    let mut listed: Vec<String> = std::fs::read_dir(class.out().join("students"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    let ids: Vec<String> = outcome.grades.iter().map(|g| g.student.clone()).collect();
    assert_eq!(listed, ids);
    for id in &ids {
        for file in ["feedback.md", "results.json", "grade.json"] {
            assert!(
                class.out().join("students").join(id).join(file).is_file(),
                "{id}/{file}"
            );
        }
        let results: serde_json::Value = serde_json::from_slice(
            &std::fs::read(class.out().join("students").join(id).join("results.json")).unwrap(),
        )
        .unwrap();
        assert!(
            results["score"].is_number() && results["tests"].is_array(),
            "{id}"
        );
    }

    // Interrupted: two late submissions; the command is killed (with its whole process group)
    // as soon as the first one has its results. Running again grades at most the second one,
    // and leaves every earlier result exactly as it was.
    let before = std::fs::read(class.out().join("students/perfect/grade.json")).unwrap();
    for late in ["late-1", "late-2"] {
        common::copy_dir(&class.subs().join("partial"), &class.subs().join(late));
    }
    let mut cli = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-course"));
    cli.arg("grade")
        .arg(class.subs())
        .arg("--out")
        .arg(class.out())
        .arg("--extra-tests")
        .arg(class.extra())
        .arg("--work")
        .arg(class.work())
        .args(["--timeout", "3"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(class.work().join("late.stderr")).unwrap());
    std::os::unix::process::CommandExt::process_group(&mut cli, 0);
    let mut child = cli.spawn().expect("the course binary starts");
    let first_late = class.out().join("students/late-1/grade.json");
    let deadline = std::time::Instant::now() + Duration::from_secs(900);
    while !first_late.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "late-1 was never graded"
        );
        if let Some(status) = child.try_wait().unwrap() {
            // It may have finished between the two looks; only a stop without the result fails.
            if first_late.exists() {
                break;
            }
            panic!(
                "the grader stopped ({status}) before late-1 had its result; it said:\n{}",
                std::fs::read_to_string(class.work().join("late.stderr")).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::process::Command::new("kill")
        // `--` first: without it procps' kill reads `-PID` as options and signals group 9.
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status()
        .unwrap();
    child.wait().unwrap();
    let late_1 = std::fs::read(&first_late).unwrap();

    let (again, started) = run(&course, &options(&class));
    assert!(
        started.is_empty() || started == ["late-2"],
        "only late-2 may be left: {started:?}"
    );
    assert_eq!(again.skipped + started.len(), ids.len() + 2);
    assert_eq!(std::fs::read(&first_late).unwrap(), late_1);
    assert_eq!(
        std::fs::read(class.out().join("students/perfect/grade.json")).unwrap(),
        before
    );

    // A result from before a change to the course is graded again, and only that one.
    let stale = class.out().join("students/partial/grade.json");
    let mut record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&stale).unwrap()).unwrap();
    record["course_key"] = serde_json::json!("an older course");
    std::fs::write(&stale, serde_json::to_vec(&record).unwrap()).unwrap();
    let (_, started) = run(&course, &options(&class));
    assert_eq!(started, ["partial"]);

    let csv = std::fs::read_to_string(class.out().join("grades.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        ids.len() + 2 + 2,
        "header, max row, a row per student:\n{csv}"
    );
}

#[test]
fn extra_tests_must_be_named_after_an_exercise() {
    let course = course();
    let dir = tempfile::tempdir().unwrap();
    let plain = Roles::of(&course).plain;
    common::write(
        dir.path(),
        &format!("{}/not_an_exercise.rs", plain.id),
        "#[test] fn t() {}\n",
    );
    let err = grade::read_extra_tests(dir.path(), &course.manifest.chapters).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("not_an_exercise.rs"), "{text}");
    let expected = format!("{}.rs", plain.exercises[0].test);
    assert!(
        text.contains(&expected),
        "names the files it expects: {text}"
    );
}
