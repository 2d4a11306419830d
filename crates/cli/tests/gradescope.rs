//! `cargo course grade --export gradescope`: the zip holds what Gradescope needs, and its
//! `run_autograder`, run the way Gradescope runs it, grades the reference solution with full marks.
//!
//! Gradescope itself cannot run here, so the test lays out its folders (`source/`, `submission/`,
//! `results/`) in a temporary folder and points the script at them with `AUTOGRADER_ROOT`, and at
//! this build of the grader with `COURSE_BIN` (setup.sh, which installs a toolchain from the
//! network and builds the grader, is only checked for syntax).

use course_testkit as common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository this test belongs to.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The course's manifest.
fn manifest() -> toml::Table {
    let text = std::fs::read_to_string(repo().join("exercises/course.toml")).expect("course.toml");
    toml::from_str(&text).expect("course.toml parses")
}

/// The chapters' ids, in the manifest's order.
fn chapter_ids() -> Vec<String> {
    manifest()["chapters"]
        .as_array()
        .expect("[[chapters]]")
        .iter()
        .map(|c| c["id"].as_str().expect("a chapter id").to_owned())
        .collect()
}

/// The course's total points: every exercise's `points`.
fn total_points() -> f64 {
    manifest()["chapters"]
        .as_array()
        .expect("[[chapters]]")
        .iter()
        .flat_map(|c| c["exercises"].as_array().expect("exercises").iter())
        .map(|e| match &e["points"] {
            toml::Value::Integer(n) => *n as f64,
            toml::Value::Float(x) => *x,
            other => panic!("points must be a number, not {other}"),
        })
        .sum()
}

/// Runs `course grade --export gradescope OUT` with extra arguments.
fn export(out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-course"))
        .args(["grade", "--export", "gradescope"])
        .arg(out)
        .args(extra)
        .output()
        .expect("the course binary runs")
}

/// Exports the autograder to `dir/autograder.zip`, failing the test if the export fails.
fn exported(dir: &Path) -> PathBuf {
    let zip = dir.join("autograder.zip");
    let out = export(&zip, &[]);
    assert!(
        out.status.success(),
        "the export fails: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    zip
}

/// Unpacks `zip` into `into`, restoring each entry's unix mode, as Gradescope's unzip does.
fn unzip(zip: &Path, into: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(zip).expect("open the zip")).expect("a zip");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let rel = entry.enclosed_name().expect("a name inside the folder");
        let path = into.join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&path).expect("create a folder");
            continue;
        }
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read an entry");
        std::fs::write(&path, bytes).expect("write a file");
        if let Some(mode) = entry.unix_mode() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode & 0o777))
                .expect("set a mode");
        }
    }
}

/// Gradescope's folders in a fresh temporary folder: `source/` (the unpacked autograder),
/// an empty `submission/` and `results/`.
fn gradescope_root() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().expect("a temporary folder");
    // Like /autograder: students' code runs under user ids of its own and must reach the
    // grading slots inside.
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755))
        .expect("open the folder");
    let zip = exported(root.path());
    unzip(&zip, &root.path().join("source"));
    std::fs::create_dir(root.path().join("submission")).expect("create submission/");
    std::fs::create_dir(root.path().join("results")).expect("create results/");
    root
}

/// Runs `source/run_autograder` under `root`, with the grader `course_bin`, in an environment
/// like Gradescope's (without the variables cargo sets for this test), `path_front` first on
/// PATH. Kills it after `limit`.
fn run_autograder(root: &Path, course_bin: &Path, path_front: &[PathBuf], limit: Duration) -> Run {
    let logs = root.join("logs");
    std::fs::create_dir_all(&logs).expect("create logs/");
    let (stdout, stderr) = (logs.join("stdout"), logs.join("stderr"));
    let mut cmd = Command::new("bash");
    cmd.arg(root.join("source/run_autograder"))
        .env("AUTOGRADER_ROOT", root)
        .env("COURSE_BIN", course_bin)
        .env("TMPDIR", &logs)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).expect("a log file"))
        .stderr(std::fs::File::create(&stderr).expect("a log file"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        // cargo's LD_LIBRARY_PATH leads rustc to the toolchain's libraries, and so its sysroot,
        // wherever they are, whatever PATH says.
        let from_cargo = key == "CARGO" || key == "LD_LIBRARY_PATH";
        if from_cargo || (key.starts_with("CARGO_") && key != "CARGO_HOME") {
            cmd.env_remove(key.as_ref());
        }
    }
    let mut path: Vec<PathBuf> = path_front.to_vec();
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    cmd.env("PATH", std::env::join_paths(path).expect("a PATH"));

    let mut child = cmd.spawn().expect("bash runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for run_autograder") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "run_autograder did not finish in {} s; its stderr:\n{}",
                limit.as_secs(),
                tail(&std::fs::read_to_string(&stderr).unwrap_or_default(), 60)
            );
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    Run {
        success: status.success(),
        stdout: std::fs::read_to_string(&stdout).unwrap_or_default(),
        stderr: std::fs::read_to_string(&stderr).unwrap_or_default(),
        results: std::fs::read_to_string(root.join("results/results.json")).ok(),
    }
}

/// What a run of `run_autograder` left.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
    /// `results/results.json`, if written.
    results: Option<String>,
}

impl Run {
    fn results(&self) -> serde_json::Value {
        let text = self
            .results
            .as_deref()
            .unwrap_or_else(|| panic!("no results.json; stderr:\n{}", tail(&self.stderr, 60)));
        serde_json::from_str(text).unwrap_or_else(|e| panic!("results.json: {e}:\n{text}"))
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Copies the `src/` files of every chapter's reference solution into `to/<chapter>/src/`, as a
/// student who solved everything would upload them.
fn upload_reference(to: &Path) {
    for id in chapter_ids() {
        common::copy_dir(
            &repo().join("solutions").join(&id).join("src"),
            &to.join(&id).join("src"),
        );
    }
}

/// Where this machine's Rust toolchain can be run by the grading user ids: the grader, as root
/// and without bubblewrap, builds and tests as uid 61000+, which cannot enter a toolchain under
/// /root (setup.sh installs it under /usr/local on Gradescope). Then the toolchain is hard-linked
/// into `dir`, which they can enter. Returns the folder of `rustc` and `cargo` to put first on PATH.
fn reachable_toolchain(dir: &Path) -> PathBuf {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    // Resolved: rustup may name a toolchain by a symbolic link (`1.95.0-<host>` -> `stable-<host>`).
    let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        .canonicalize()
        .expect("the sysroot exists");
    let is_root = std::fs::metadata(dir).is_ok_and(|m| m.uid() == 0);
    let reachable = sysroot
        .ancestors()
        .all(|p| std::fs::metadata(p).is_ok_and(|m| m.mode() & 0o005 == 0o005));
    if !is_root || reachable {
        return sysroot.join("bin");
    }
    let linked = dir.join("toolchain");
    let status = Command::new("cp")
        .arg("-al")
        .arg(&sysroot)
        .arg(&linked)
        .status()
        .expect("cp runs");
    assert!(
        status.success(),
        "cannot hard-link the toolchain {} into {} (another file system?); the grader needs a \
         toolchain its user ids can run",
        sysroot.display(),
        linked.display()
    );
    let meta = std::fs::symlink_metadata(&linked).expect("the linked toolchain");
    assert!(meta.is_dir(), "{} is a folder of links", linked.display());
    std::fs::set_permissions(&linked, std::fs::Permissions::from_mode(0o755))
        .expect("open the toolchain folder");
    linked.join("bin")
}

#[test]
fn the_zip_holds_the_scripts_the_grader_and_the_course() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let zip_path = exported(dir.path());
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(&zip_path).expect("open")).expect("a zip");
    let names: BTreeSet<String> = archive
        .file_names()
        .map(|n| n.expect("a UTF-8 name").into_owned())
        .collect();

    for script in ["setup.sh", "run_autograder"] {
        let mode = archive
            .by_name(script)
            .unwrap_or_else(|_| panic!("{script} is in the zip"))
            .unix_mode()
            .expect("a unix mode");
        assert_eq!(mode & 0o777, 0o755, "{script} is executable");
    }
    for needed in [
        "course/Cargo.toml",
        "course/Cargo.lock",
        "course/crates/cli/Cargo.toml",
        "course/crates/cli/src/main.rs",
        "course/crates/grader/src/lib.rs",
        "course/exercises/course-core/src/lib.rs",
        "course/exercises/course.toml",
        "course/exercises/Cargo.toml",
        "course/exercises/Cargo.lock",
    ] {
        assert!(names.contains(needed), "{needed} is in the zip");
    }
    for id in chapter_ids() {
        for prefix in [
            format!("course/solutions/{id}/src/"),
            format!("course/exercises/{id}/src/"),
            format!("course/exercises/{id}/tests/"),
        ] {
            assert!(
                names
                    .iter()
                    .any(|n| n.starts_with(&prefix) && n.ends_with(".rs")),
                "{prefix}*.rs is in the zip"
            );
        }
        assert!(
            names.contains(&format!("course/exercises/{id}/Cargo.toml")),
            "{id}'s exercise crate is in the zip"
        );
    }
    for name in &names {
        let parts: Vec<&str> = name.trim_end_matches('/').split('/').collect();
        assert!(
            !parts.contains(&"target"),
            "build output in the zip: {name}"
        );
        assert!(
            !parts.iter().any(|p| p.starts_with('.')),
            "a hidden entry in the zip: {name}"
        );
        if let Some(rest) = name.strip_prefix("course/solutions/") {
            let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
            assert!(
                parts.len() < 2 || parts[1] == "src",
                "only the solutions' src/ is shipped: {name}"
            );
        }
    }

    let mut manifest = String::new();
    archive
        .by_name("course/Cargo.toml")
        .expect("course/Cargo.toml")
        .read_to_string(&mut manifest)
        .expect("UTF-8");
    let manifest: toml::Table = toml::from_str(&manifest).expect("course/Cargo.toml parses");
    let workspace = manifest["workspace"].as_table().expect("[workspace]");
    assert_eq!(
        workspace["members"],
        toml::Value::Array(vec!["crates/cli".into()]),
        "the grader is the one member"
    );
    assert!(!workspace.contains_key("exclude"));
    assert!(workspace.contains_key("dependencies") && workspace.contains_key("package"));

    // Both scripts are valid bash, and setup.sh installs the toolchain this test was built with.
    let unpacked = dir.path().join("unpacked");
    unzip(&zip_path, &unpacked);
    for script in ["setup.sh", "run_autograder"] {
        let out = Command::new("bash")
            .arg("-n")
            .arg(unpacked.join(script))
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "bash -n {script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .expect("rustc runs");
    let version = String::from_utf8_lossy(&rustc.stdout)
        .split_whitespace()
        .nth(1)
        .expect("a version")
        .to_owned();
    let setup = std::fs::read_to_string(unpacked.join("setup.sh")).expect("setup.sh");
    assert!(
        setup.contains(&format!("RUST_VERSION=\"{version}\"")),
        "setup.sh installs Rust {version}"
    );

    // The shipped workspace resolves from the shipped lock file without the network.
    let host = String::from_utf8_lossy(
        &Command::new("rustc")
            .arg("-vV")
            .output()
            .expect("rustc runs")
            .stdout,
    )
    .lines()
    .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
    .expect("the host triple");
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["metadata", "--offline", "--format-version", "1"])
        .args(["--filter-platform", &host, "--manifest-path"])
        .arg(unpacked.join("course/Cargo.toml"))
        .stdout(Stdio::null())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the shipped workspace does not resolve: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The shipped course opens: the grader can export (and so grade) from it alone.
    let again = Command::new(env!("CARGO_BIN_EXE_cargo-course"))
        .args(["grade", "--course"])
        .arg(unpacked.join("course"))
        .args(["--export", "gradescope"])
        .arg(dir.path().join("again.zip"))
        .output()
        .expect("the course binary runs");
    assert!(
        again.status.success(),
        "the shipped course does not open: {}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn run_autograder_gives_the_reference_solution_full_marks() {
    // Gradescope runs the grader without bubblewrap (--no-sandbox), so only nextest is needed.
    if !common::require(
        "run_autograder_gives_the_reference_solution_full_marks",
        &[common::Tool::Nextest],
    ) {
        return;
    }
    let root = gradescope_root();
    upload_reference(&root.path().join("submission"));
    let toolchain = reachable_toolchain(root.path());
    let run = run_autograder(
        root.path(),
        Path::new(env!("CARGO_BIN_EXE_cargo-course")),
        std::slice::from_ref(&toolchain),
        Duration::from_secs(15 * 60),
    );
    let results = run.results();
    assert!(
        run.success,
        "run_autograder fails: {results:#}\nstderr:\n{}",
        tail(&run.stderr, 60)
    );

    let total = total_points();
    let score = results["score"].as_f64().expect("a numeric score");
    assert!(
        (score - total).abs() < 1e-9,
        "score {score}, not the course's {total} points: {results:#}\nstdout:\n{}",
        run.stdout
    );
    let tests = results["tests"].as_array().expect("tests[]");
    let mut names = BTreeSet::new();
    let mut max = 0.0;
    for test in tests {
        let name = test["name"].as_str().expect("a test name");
        assert_eq!(test["status"], "passed", "{test:#}");
        assert!(names.insert(name.to_owned()), "{name} is listed twice");
        max += test["max_score"].as_f64().expect("a max_score");
    }
    // Each test's share is in hundredths, and the shares add up to the points.
    assert!(
        (max - total).abs() < 1e-6,
        "the tests add up to {max}, not {total}"
    );
    // The grader's own list of the tests everyone is graded on (those the reference passes).
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.path().join("source/work/reference.json"))
            .expect("the grader's work/reference.json"),
    )
    .expect("reference.json parses");
    let expected = reference["tests"]
        .as_array()
        .expect("the reference's tests");
    assert_eq!(
        tests.len(),
        expected.len(),
        "one entry per test: {results:#}"
    );

    // The same autograder gives the untouched stub nothing (the cache is warm now).
    let submission = root.path().join("submission");
    std::fs::remove_dir_all(&submission).expect("clear submission/");
    for id in chapter_ids() {
        common::copy_dir(
            &repo().join("exercises").join(&id).join("src"),
            &submission.join(&id).join("src"),
        );
    }
    let run = run_autograder(
        root.path(),
        Path::new(env!("CARGO_BIN_EXE_cargo-course")),
        &[toolchain],
        Duration::from_secs(15 * 60),
    );
    let results = run.results();
    assert!(run.success, "run_autograder fails on the stub: {results:#}");
    assert_eq!(results["score"].as_f64(), Some(0.0), "{results:#}");
    let tests = results["tests"].as_array().expect("tests[]");
    assert_eq!(tests.len(), expected.len());
    assert!(tests.iter().all(|t| t["status"] == "failed"), "{results:#}");
}

/// A stand-in for the grader that records how it was called and grades `submission` with 7.
const FAKE_GRADER: &str = r#"#!/bin/bash
# grade SUBS --out OUT ...
log="$AUTOGRADER_ROOT/fake"
mkdir -p "$log"
printf '%s\n' "$@" >"$log/args"
ls -A "$2" >"$log/subs"
if [ -L "$2/submission/link.rs" ]; then echo yes >"$log/symlink-kept"; fi
stat -c %a "$AUTOGRADER_ROOT/source/course/solutions" >"$log/solutions-mode"
while [ $# -gt 0 ]; do
    if [ "$1" = --out ]; then out="$2"; fi
    shift
done
mkdir -p "$out/students/submission"
echo '{"score": 7, "output": "fake", "tests": []}' >"$out/students/submission/results.json"
"#;

fn fake_grader(root: &Path, script: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = root.join("fake-course");
    std::fs::write(&path, script).expect("write the fake grader");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

fn fake_log(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join("fake").join(name)).unwrap_or_default()
}

#[test]
fn run_autograder_hands_an_uploaded_archive_over_as_it_is() {
    let root = gradescope_root();
    let r = root.path();
    std::fs::write(r.join("submission/Homework.ZIP"), b"not really a zip").expect("upload");
    std::fs::create_dir_all(r.join("source/course/extra-tests")).expect("extra-tests/");
    let run = run_autograder(
        r,
        &fake_grader(r, FAKE_GRADER),
        &[],
        Duration::from_secs(60),
    );
    assert!(run.success, "{}", run.stderr);
    assert_eq!(run.results()["score"], 7);
    assert_eq!(fake_log(r, "subs").trim(), "submission.zip");
    let args = fake_log(r, "args");
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(args[0], "grade");
    for flag in [
        "--out",
        "--work",
        "--course",
        "--no-sandbox",
        "--extra-tests",
    ] {
        assert!(args.contains(&flag), "{flag} in {args:?}");
    }
    assert_eq!(
        fake_log(r, "solutions-mode").trim(),
        "700",
        "the reference solution is the grader's alone"
    );
}

#[test]
fn run_autograder_copies_an_uploaded_folder_without_following_links() {
    let root = gradescope_root();
    let r = root.path();
    let upload = r.join("submission");
    std::fs::create_dir_all(upload.join("01-x/src")).expect("upload");
    std::fs::write(upload.join("01-x/src/lib.rs"), "").expect("upload");
    std::os::unix::fs::symlink("/etc/passwd", upload.join("link.rs")).expect("a link");
    let run = run_autograder(
        r,
        &fake_grader(r, FAKE_GRADER),
        &[],
        Duration::from_secs(60),
    );
    assert!(run.success, "{}", run.stderr);
    assert_eq!(fake_log(r, "subs").trim(), "submission");
    assert_eq!(fake_log(r, "symlink-kept").trim(), "yes");
    let args = fake_log(r, "args");
    assert!(
        !args.contains("--extra-tests"),
        "no extra tests shipped: {args}"
    );
}

#[test]
fn run_autograder_reports_a_grader_failure_in_results_json() {
    let root = gradescope_root();
    let r = root.path();
    std::fs::write(r.join("submission/lib.rs"), "").expect("upload");
    let failing = "#!/bin/bash\n\
        echo 'WARNING: --no-sandbox: students code will run WITHOUT bubblewrap.' >&2\n\
        echo 'error: cannot vendor the \"exercises\" dependencies\tnow' >&2\n\
        exit 2\n";
    let run = run_autograder(r, &fake_grader(r, failing), &[], Duration::from_secs(60));
    assert!(!run.success, "a failed grader fails the run");
    let results = run.results();
    assert_eq!(results["score"], 0);
    let output = results["output"].as_str().expect("an output");
    assert!(
        output.contains("error: cannot vendor the \"exercises\" dependencies\tnow"),
        "{output}"
    );
    assert!(output.contains("status 2"), "{output}");
    assert!(!output.contains("WARNING"), "{output}");

    // A grader that cannot be found is a failure too.
    std::fs::remove_file(r.join("results/results.json")).expect("remove");
    let run = run_autograder(r, &r.join("no-such-grader"), &[], Duration::from_secs(60));
    assert!(!run.success);
    assert_eq!(run.results()["score"], 0);
}

#[test]
fn export_refuses_a_misnamed_extra_test() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let chapter = &chapter_ids()[0];
    let extra = dir.path().join("extra");
    std::fs::create_dir_all(extra.join(chapter)).expect("create a folder");
    std::fs::write(extra.join(chapter).join("not_an_exercise.rs"), "").expect("write");
    let zip = dir.path().join("autograder.zip");
    let out = export(&zip, &["--extra-tests", &extra.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not_an_exercise.rs"), "{stderr}");
    assert!(!zip.exists(), "no autograder is written");
}
