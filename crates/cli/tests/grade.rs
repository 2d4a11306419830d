//! The grader on a class of fixture submissions, made from the course's own solutions and stubs:
//! honest ones (perfect, untouched stub, partial, a zip), broken ones (does not compile, endless
//! loop, runaway resources) and cheats (exit(0), printed fake results, tampered tests and
//! manifests, reaching for files and the network). The gradebook is a snapshot; each cheat is
//! also checked on its own terms.
//!
//! The fixtures are built from `solutions/` and `exercises/` at test time, so they follow the
//! course as it changes: there is one copy of every solution.

use course_testkit as common;

use course_core::layout::{Course, repo_root};
use course_core::manifest::Chapter;
use course_core::runner::Outcome;
use course_grader::report::{ChapterGrade, ChapterState, Status, StudentGrade};
use course_grader::{self as grade, Event, Options};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

fn course() -> Course {
    Course::open_repo(&repo_root()).expect("the course opens")
}

/// The chapters the class's cases are built on, each chosen for what its case needs, never by
/// position in the manifest, so adding or reordering a chapter changes nothing here.
struct Roles {
    /// The chapter whose API the instructor's extra test calls (`sync_async::primes::split`),
    /// and whose exercises each live in `src/<test>.rs` (the endless loop goes in one).
    plain: Chapter,
    /// Two other chapters, each giving a `main.rs` that their tests start as a child process:
    /// the ones with the lowest ids, so a chapter added later never takes their place.
    given: Chapter,
    other: Chapter,
}

fn roles(course: &Course) -> Roles {
    let chapters = &course.manifest.chapters;
    let plain = chapters
        .iter()
        .find(|c| c.package() == "sync-async" && c.given.is_empty())
        .expect("the sync-async chapter, which gives no files")
        .clone();
    let mut with_main: Vec<&Chapter> = chapters
        .iter()
        .filter(|c| c.given.iter().any(|g| g == "main.rs"))
        .collect();
    with_main.sort_by(|a, b| a.id.cmp(&b.id));
    let [given, other, ..] = with_main[..] else {
        panic!("two chapters give a main.rs");
    };
    Roles {
        plain,
        given: given.clone(),
        other: other.clone(),
    }
}

/// A student's grade for one chapter, by id.
fn chapter<'g>(grade: &'g StudentGrade, chapter: &Chapter) -> &'g ChapterGrade {
    grade
        .chapters
        .iter()
        .find(|c| c.chapter == chapter.id)
        .unwrap_or_else(|| panic!("{} has no grade for {}", grade.student, chapter.id))
}

fn chapter_ids(course: &Course) -> Vec<String> {
    course
        .manifest
        .chapter_ids()
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Copies `<root>/<chapter>/src/**` into `<dest>/<chapter>/src/`.
fn copy_src(root: &Path, chapter: &str, dest: &Path) {
    common::copy_dir(
        &root.join(chapter).join("src"),
        &dest.join(chapter).join("src"),
    );
}

/// Sets the modification time of every file under `dir`, as an archive from long ago would.
fn age(dir: &Path) {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            age(&path);
        } else {
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(old).unwrap();
        }
    }
}

/// Zips `dir` as `zip`, with every path under `prefix/`.
fn zip_dir(dir: &Path, prefix: &str, zip: &Path) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(zip).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            writer
                .start_file(format!("{prefix}/{rel}"), options)
                .unwrap();
            writer.write_all(&std::fs::read(&path).unwrap()).unwrap();
        }
    }
    writer.finish().unwrap();
}

/// The class: one submission per behaviour the grader must handle.
struct Class {
    dir: tempfile::TempDir,
    /// A listener nobody in the sandbox may reach.
    listener: TcpListener,
}

impl Class {
    fn subs(&self) -> PathBuf {
        self.dir.path().join("submissions")
    }
    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    fn extra(&self) -> PathBuf {
        self.dir.path().join("extra")
    }
    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }
}

fn build_class(course: &Course) -> Class {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let subs = dir.path().join("submissions");
    let solutions = course.repo.join("solutions");
    let stubs = &course.exercises;
    let chapters = chapter_ids(course);
    let roles = roles(course);
    let (first, second, third) = (&roles.plain.id, &roles.given.id, &roles.other.id);

    // Honest work.
    for c in &chapters {
        copy_src(&solutions, c, &subs.join("perfect"));
    }
    common::copy_dir_without_target(stubs, &subs.join("stub"));
    copy_src(&solutions, first, &subs.join("partial"));
    copy_src(stubs, second, &subs.join("partial"));
    let zipped = dir.path().join("zipped");
    for c in &chapters {
        copy_src(&solutions, c, &zipped.join("exercises"));
    }
    zip_dir(
        &zipped.join("exercises"),
        "zipped/exercises",
        &subs.join("zipped.zip"),
    );

    // The untouched stub again, with files dated 2001, graded after the solutions: a shared
    // target dir would hand it the solution's compiled crates.
    for c in &chapters {
        copy_src(stubs, c, &subs.join("stub-dated-2001"));
    }
    age(&subs.join("stub-dated-2001"));

    // Broken work.
    for c in &chapters {
        copy_src(&solutions, c, &subs.join("no-compile"));
    }
    let lib = subs.join("no-compile").join(first).join("src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).unwrap();
    text.push_str("\nfn broken( {\n");
    std::fs::write(&lib, text).unwrap();

    // One exercise loops forever (each of its tests times out); the rest are stubs.
    copy_src(stubs, first, &subs.join("endless-loop"));
    let looping = &roles.plain.exercises[0].test;
    common::replace_todos(
        &subs
            .join("endless-loop")
            .join(first)
            .join(format!("src/{looping}.rs")),
        "loop { std::hint::spin_loop() }",
    );

    // Runaway resources: threads without end, output without end, memory without end.
    for c in &chapters {
        copy_src(stubs, c, &subs.join("runaway"));
    }
    common::replace_todos(
        &subs.join("runaway").join(first).join("src"),
        "{ let mut all = Vec::new(); loop { all.push(std::thread::spawn(|| std::thread::park())); } }",
    );
    common::replace_todos(
        &subs.join("runaway").join(second).join("src"),
        r#"loop { println!("{}", "flood ".repeat(10_000)); }"#,
    );
    common::replace_todos(
        &subs.join("runaway").join(third).join("src"),
        "{ let mut all: Vec<Vec<u8>> = Vec::new(); loop { all.push(vec![0; 1 << 30]); } }",
    );

    // Cheats.
    for c in &chapters {
        copy_src(stubs, c, &subs.join("exit-zero"));
        copy_src(stubs, c, &subs.join("fake-output"));
    }
    // The last chapter replaces the test process with a program that exits 0 instead.
    common::replace_todos(
        &subs.join("exit-zero").join(third).join("src"),
        r#"{ use std::os::unix::process::CommandExt; let e = std::process::Command::new("/bin/true").exec(); panic!("{e}") }"#,
    );
    common::replace_todos(
        &subs.join("exit-zero"),
        "{ let quit: fn(i32) -> ! = std::process::exit; quit(0) }",
    );
    common::replace_todos(
        &subs.join("fake-output"),
        r#"{ println!("test result: ok. 1 passed; 0 failed; 0 ignored"); eprintln!("test passed ... ok"); panic!() }"#,
    );

    // Tampered: tests that assert nothing, a manifest and config that would change the build, a
    // build script, a toolchain file; the code itself is the stub.
    let tampered = subs.join("tampered");
    common::copy_dir_without_target(stubs, &tampered);
    for c in &chapters {
        let tests = tampered.join(c).join("tests");
        for entry in std::fs::read_dir(&tests).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                std::fs::write(&path, "#[test]\nfn passes() {}\n").unwrap();
            }
        }
        std::fs::write(
            tampered.join(c).join("build.rs"),
            "fn main() { std::fs::write(\"/tmp/tampered\", \"x\").unwrap(); }\n",
        )
        .unwrap();
        std::fs::write(
            tampered.join(c).join("Cargo.toml"),
            "[package]\nname = \"oops\"\nversion = \"0.1.0\"\nbuild = \"build.rs\"\n",
        )
        .unwrap();
    }
    // The files the course gives whole (a gate that counts connections, a dispatcher) are
    // replaced too: only the course's own copies may count.
    for chapter in &course.manifest.chapters {
        for file in &chapter.given {
            common::write(
                &tampered,
                &format!("{}/src/{file}", chapter.id),
                "compile_error!(\"a given file, replaced\");\n",
            );
        }
    }
    common::write(
        &tampered,
        ".cargo/config.toml",
        "[build]\nrustflags = [\"--cfg\", \"cheat\"]\n",
    );
    common::write(
        &tampered,
        "rust-toolchain.toml",
        "[toolchain]\nchannel = \"nightly\"\n",
    );

    // Reaching out: at run time to the grader's output, another student's files and the
    // network; at build time to the reference solution's source.
    let snoop = subs.join("snoop");
    for c in &chapters {
        copy_src(stubs, c, &snoop);
    }
    let out = dir.path().join("out");
    // At run time: write outside, connect out, open /proc/self/mem for writing (which would undo
    // the exit guard), and read the instructor's compiled extra tests; each probe's outcome is
    // in the test's panic message.
    common::replace_todos(
        &snoop.join(first).join("src"),
        &format!(
            "{{ let _ = std::fs::write({:?}, \"x\"); let _ = std::fs::write({:?}, \"x\"); \
             let _ = std::net::TcpStream::connect({:?}); \
             let mem = if std::fs::OpenOptions::new().write(true).open(\"/proc/self/mem\").is_ok() \
                 {{ \"PROC-MEM-WRITABLE\" }} else {{ \"PROC-MEM-REFUSED\" }}; \
             let mut extra = \"EXTRA-HIDDEN\"; \
             for e in std::fs::read_dir(\"../../target/debug/deps\").into_iter().flatten().flatten() {{ \
                 if e.file_name().to_string_lossy().starts_with(\"extra_\") \
                     && std::fs::read(e.path()).is_ok_and(|b| b.windows(18).any(|w| w == b\"SECRET-EXPECTATION\")) \
                 {{ extra = \"EXTRA-LEAKED\"; }} }} \
             panic!(\"{{mem}} {{extra}}\") }}",
            out.join("pwned"),
            subs.join("perfect").join("pwned"),
            addr.to_string(),
        ),
    );
    // At build time: read an extra test's source from the stage.
    let last_exercise = &roles.plain.exercises.last().unwrap().test;
    let lib = snoop.join(third).join("src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).unwrap();
    text.push_str(&format!(
        "\nconst _EXTRA: &str = include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../{first}/tests/extra_{last_exercise}.rs\"));\n"
    ));
    std::fs::write(&lib, text).unwrap();
    let stolen = course
        .repo
        .join("solutions")
        .join(second)
        .join("src/lib.rs");
    let lib = snoop.join(second).join("src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).unwrap();
    text.push_str(&format!(
        "\nconst _STOLEN: &str = include_str!({stolen:?});\n"
    ));
    std::fs::write(&lib, text).unwrap();

    // An instructor's extra test for the first chapter's last exercise: the solution passes it.
    let last = roles.plain.exercises.last().unwrap();
    common::write(
        &dir.path().join("extra"),
        &format!("{first}/{}.rs", last.test),
        "#[test]\nfn secret_split_has_the_asked_parts() {\n    \
         assert_eq!(sync_async::primes::split(10, 3).len(), 3, \"SECRET-EXPECTATION\");\n}\n",
    );

    Class { dir, listener }
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

fn by_id(outcome: &grade::Outcome) -> BTreeMap<&str, &StudentGrade> {
    outcome
        .grades
        .iter()
        .map(|g| (g.student.as_str(), g))
        .collect()
}

/// Every test of `grade` in `chapter` has this outcome.
fn all_tests(grade: &StudentGrade, chapter: &str) -> Vec<Outcome> {
    let mut o: Vec<Outcome> = grade
        .tests
        .iter()
        .filter(|t| t.chapter == chapter)
        .map(|t| t.outcome)
        .collect();
    o.sort();
    o.dedup();
    o
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
    let roles = roles(&course);
    let total: u32 = course.manifest.chapters.iter().map(|c| c.points()).sum();
    let class = build_class(&course);
    let (outcome, _) = run(&course, &options(&class));
    let grades = by_id(&outcome);

    // The gradebook, whole.
    let csv = std::fs::read_to_string(class.out().join("grades.csv")).unwrap();
    insta::assert_snapshot!("gradebook", csv);

    // Honest work: the solution scores full marks, the stub zero, a partial what it solved.
    let full = f64::from(total);
    assert_eq!(grades["perfect"].score, full);
    assert_eq!(grades["zipped"].score, full, "a zip with a wrapper folder");
    assert_eq!(grades["stub"].score, 0.0);
    assert_eq!(
        grades["stub-dated-2001"].score, 0.0,
        "old timestamps never reuse a build"
    );
    assert_eq!(
        chapter(grades["partial"], &roles.plain).score,
        f64::from(roles.plain.points())
    );
    assert_eq!(
        chapter(grades["partial"], &roles.other).state,
        ChapterState::Missing
    );

    // Does not compile: status error, zero for that chapter, the message with relative paths.
    let nc = grades["no-compile"];
    assert_eq!(nc.status, Status::Error);
    let ChapterState::DoesNotCompile { errors } = &chapter(nc, &roles.plain).state else {
        panic!("{:?}", chapter(nc, &roles.plain));
    };
    assert!(
        errors.contains(&format!("{}/src/lib.rs", roles.plain.id)),
        "{errors}"
    );
    assert!(
        !errors.contains(&class.out().display().to_string()),
        "{errors}"
    );
    assert_eq!(
        chapter(nc, &roles.given).score,
        f64::from(roles.given.points())
    );

    // Endless loops time out; runaway code fails and the run still ends.
    assert!(all_tests(grades["endless-loop"], &roles.plain.id).contains(&Outcome::TimedOut));
    assert_eq!(grades["endless-loop"].score, 0.0);
    assert_eq!(grades["runaway"].score, 0.0);

    // Cheats earn nothing.
    for cheat in ["exit-zero", "fake-output", "tampered", "snoop"] {
        assert_eq!(grades[cheat].score, 0.0, "{cheat}");
        assert!(
            grades[cheat].tests.iter().all(|t| !t.outcome.passed()),
            "{cheat}"
        );
    }
    let exits = grades["exit-zero"]
        .tests
        .iter()
        .filter(|t| t.message.contains("std::process::exit"))
        .count();
    assert!(exits > 0, "the exit guard names what happened");
    assert_eq!(
        grades["tampered"].status,
        Status::Graded,
        "its own manifests were never used"
    );
    assert!(
        grades["tampered"]
            .notes
            .iter()
            .any(|n| n.contains("given by the course; your changes to it were not used")),
        "{:?}",
        grades["tampered"].notes
    );

    // Reaching out: nothing was written outside the student's copy, no connection arrived, and
    // the build could not read the solution.
    assert!(!class.out().join("pwned").exists());
    assert!(!class.subs().join("perfect/pwned").exists());
    assert!(
        class.listener.accept().is_err(),
        "a submission reached the network"
    );
    let snoop = grades["snoop"];
    let ChapterState::DoesNotCompile { errors } = &chapter(snoop, &roles.given).state else {
        panic!(
            "include_str! of the solution must fail to build: {:?}",
            chapter(snoop, &roles.given)
        );
    };
    assert!(errors.contains("couldn't read"), "{errors}");
    let ChapterState::DoesNotCompile { errors } = &chapter(snoop, &roles.other).state else {
        panic!(
            "include_str! of an extra test must fail to build: {:?}",
            chapter(snoop, &roles.other)
        );
    };
    assert!(errors.contains("couldn't read"), "{errors}");
    let probes: Vec<&str> = grades["snoop"]
        .tests
        .iter()
        .filter(|t| t.chapter == roles.plain.id && !t.extra)
        .map(|t| t.message.as_str())
        .collect();
    assert!(!probes.is_empty(), "{:?}", chapter(snoop, &roles.plain));
    for message in probes {
        assert!(
            message.contains("PROC-MEM-REFUSED"),
            "{message}: {:?}",
            chapter(snoop, &roles.plain)
        );
        assert!(message.contains("EXTRA-HIDDEN"), "{message}");
    }

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

    // Extra tests count, but their source and messages stay hidden.
    assert!(
        grades["perfect"]
            .tests
            .iter()
            .any(|t| t.extra && t.outcome.passed())
    );
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
        .stderr(std::process::Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut cli, 0);
    let mut child = cli.spawn().expect("the course binary starts");
    let first_late = class.out().join("students/late-1/grade.json");
    let deadline = std::time::Instant::now() + Duration::from_secs(900);
    while !first_late.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "late-1 was never graded"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the grader stopped before late-1"
        );
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
    let plain = roles(&course).plain;
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
