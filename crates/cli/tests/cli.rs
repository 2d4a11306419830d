//! The `course` command as a user meets it: help, hints, progress, and one-line errors for bad
//! input that name the file and the fix.

use course_testkit as common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

fn course(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-course"))
        .args(args)
        .output()
        .expect("the course binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A failed command prints exactly one line, `error: ...`, and exits with 2.
fn assert_one_line_error(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(
        err.lines().count(),
        1,
        "one line, not a panic or a trace: {err}"
    );
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn exercises(root: &Path) -> String {
    root.join("exercises").display().to_string()
}

#[test]
fn help_explains_every_command() {
    let out = course(&["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    for command in [
        "book", "check", "progress", "next", "hint", "reset", "solution",
    ] {
        assert!(
            help.contains(&format!("  {command}")),
            "--help lists `{command}`:\n{help}"
        );
    }
    assert!(
        help.contains("exercises/"),
        "--help says where to run it:\n{help}"
    );
}

#[test]
fn hint_prints_the_hint_and_how_to_run_the_exercise() {
    let dir = common::mini_course();
    let out = course(&["hint", "double", "--exercises", &exercises(dir.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Call add."), "{text}");
    assert!(text.contains("cargo test -p demo --test double"), "{text}");
}

#[test]
fn an_unknown_exercise_lists_the_valid_ones() {
    let dir = common::mini_course();
    let err = assert_one_line_error(&course(&[
        "hint",
        "nope",
        "--exercises",
        &exercises(dir.path()),
    ]));
    assert!(err.contains("no exercise `nope`"), "{err}");
    assert!(err.contains("course.toml"), "names the file: {err}");
    assert!(err.contains("valid names: add, double"), "{err}");
}

#[test]
fn an_unknown_chapter_lists_the_valid_ones() {
    let err = assert_one_line_error(&course(&["check", "nosuch"]));
    assert!(err.contains("no chapter `nosuch`"), "{err}");
    assert!(err.contains("course.toml"), "{err}");
    assert!(err.contains("valid chapters: 01-sync-async"), "{err}");
}

#[test]
fn a_malformed_manifest_names_the_file_and_the_fix() {
    let dir = common::mini_course();
    common::write(
        dir.path(),
        "exercises/course.toml",
        "[[chapters]]\nid = \"01-demo\"\ntitle = 3\n",
    );
    let err = assert_one_line_error(&course(&[
        "hint",
        "add",
        "--exercises",
        &exercises(dir.path()),
    ]));
    assert!(err.contains("course.toml"), "{err}");
    assert!(err.contains("fix that line"), "{err}");
}

#[test]
fn a_chapter_folder_missing_from_the_manifest_names_the_folder_and_the_fix() {
    let dir = common::mini_course();
    std::fs::create_dir_all(dir.path().join("exercises/02-extra")).unwrap();
    let err = assert_one_line_error(&course(&[
        "hint",
        "add",
        "--exercises",
        &exercises(dir.path()),
    ]));
    assert!(
        err.contains("02-extra: this chapter folder is not in"),
        "{err}"
    );
    assert!(
        err.contains("add a [[chapters]] entry with id = \"02-extra\""),
        "{err}"
    );
}

#[test]
fn a_missing_exercises_folder_says_what_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let err = assert_one_line_error(&course(&[
        "progress",
        "--exercises",
        &missing.display().to_string(),
    ]));
    assert!(err.contains("no such folder"), "{err}");
    assert!(err.contains("--exercises"), "{err}");
}

#[test]
fn book_on_a_taken_port_suggests_another() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let err = assert_one_line_error(&course(&["book", "--port", &port]));
    assert!(err.contains(&format!("127.0.0.1:{port} is taken")), "{err}");
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn progress_shows_a_table_with_a_bar_per_chapter() {
    let dir = common::mini_course();
    // The learner has solved `add` but not `double`.
    common::write(
        dir.path(),
        "exercises/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + b }\n#[allow(unused_variables)]\npub fn double(a: u32) -> u32 { todo!() }\n",
    );
    let out = course(&["progress", "--exercises", &exercises(dir.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out).replace(&exercises(dir.path()), "[EXERCISES]");
    insta::assert_snapshot!(text);
}

#[test]
fn progress_names_the_first_compiler_error_and_where_it_is() {
    let dir = common::mini_course();
    common::write(
        dir.path(),
        "exercises/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + c }\npub fn double(a: u32) -> u32 { a }\n",
    );
    let out = course(&["progress", "--exercises", &exercises(dir.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("does not compile"), "{text}");
    assert!(
        text.contains("error[E0425]: cannot find value `c`"),
        "{text}"
    );
    assert!(
        text.contains("--> 01-demo/src/lib.rs:1:"),
        "the location is given: {text}"
    );
}

/// `course grade` with PATH pointing nowhere, so no sandbox tool can be found.
fn grade_without_tools(extra: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("subs/alice")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-course"))
        .arg("grade")
        .arg(dir.path().join("subs"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .args(extra)
        .env("PATH", dir.path().join("no-tools"))
        .output()
        .expect("the course binary runs");
    (out, dir)
}

#[test]
fn grade_refuses_to_run_without_bubblewrap_and_says_how_to_install_it() {
    let (out, _dir) = grade_without_tools(&[]);
    let err = assert_one_line_error(&out);
    assert!(err.contains("apt-get install bubblewrap"), "{err}");
    assert!(err.contains("--no-sandbox"), "names the override: {err}");
}

#[test]
fn grade_without_the_sandbox_warns_loudly_and_still_needs_the_limits() {
    let (out, _dir) = grade_without_tools(&["--no-sandbox"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("WARNING: --no-sandbox"), "{err}");
    assert!(
        err.contains("`setpriv` is not installed"),
        "the limits still apply: {err}"
    );
}

#[test]
fn grade_refuses_an_output_folder_inside_the_submissions() {
    let dir = tempfile::tempdir().unwrap();
    let subs = dir.path().join("subs");
    std::fs::create_dir_all(&subs).unwrap();
    let out = course(&[
        "grade",
        &subs.display().to_string(),
        "--out",
        &subs.join("graded").display().to_string(),
    ]);
    let err = assert_one_line_error(&out);
    assert!(err.contains("inside the submissions folder"), "{err}");
}

#[test]
fn grade_export_names_the_formats_it_knows() {
    let out = course(&["grade", "--export", "moodle", "x.zip"]);
    let err = assert_one_line_error(&out);
    assert!(err.contains("the one format is `gradescope`"), "{err}");
}

/// The mini course with `add` solved and `double` still the stub.
fn add_solved(root: &Path) {
    common::write(
        root,
        "exercises/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + b }\n#[allow(unused_variables)]\npub fn double(a: u32) -> u32 { todo!() }\n",
    );
}

#[test]
fn next_names_the_first_exercise_that_does_not_pass() {
    let dir = common::mini_course();
    let out = course(&["next", "--exercises", &exercises(dir.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Next: `add`, in chapter 01-demo"), "{text}");
    assert!(text.contains("cargo test -p demo --test add"), "{text}");
    add_solved(dir.path());
    let text = stdout(&course(&["next", "--exercises", &exercises(dir.path())]));
    assert!(text.contains("Next: `double`"), "{text}");
}

#[test]
fn a_solution_opens_only_once_its_exercise_passes() {
    let dir = common::mini_course();
    let solution = |id: &str| course(&["solution", id, "--exercises", &exercises(dir.path())]);
    let closed = solution("add");
    assert_eq!(closed.status.code(), Some(1), "{}", stderr(&closed));
    let text = stdout(&closed);
    assert!(text.contains("`add` does not pass yet"), "{text}");
    assert!(!text.contains("a + b"), "the solution stays closed: {text}");

    add_solved(dir.path());
    let open = solution("add");
    assert!(open.status.success(), "{}", stderr(&open));
    let text = stdout(&open);
    assert!(
        text.contains("== solutions/01-demo/src/lib.rs =="),
        "{text}"
    );
    assert!(
        text.contains("add(a, a)"),
        "the reference solution's file: {text}"
    );
    // The other exercise of the same chapter still does not pass.
    assert_eq!(solution("double").status.code(), Some(1));
}

#[test]
fn a_solution_without_solutions_says_so_in_one_line() {
    let dir = common::mini_course();
    std::fs::remove_dir_all(dir.path().join("solutions")).unwrap();
    let err = assert_one_line_error(&course(&[
        "solution",
        "add",
        "--exercises",
        &exercises(dir.path()),
    ]));
    assert!(err.contains("not in this copy of the course"), "{err}");
    let err = assert_one_line_error(&course(&[
        "solution",
        "no_such",
        "--exercises",
        &exercises(dir.path()),
    ]));
    assert!(err.contains("valid names: add, double"), "{err}");
}

fn course_with_input(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-course"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the course binary runs");
    child
        .stdin
        .take()
        .expect("a stdin")
        .write_all(input.as_bytes())
        .expect("the answer is written");
    child.wait_with_output().expect("the course binary ends")
}

#[test]
fn reset_asks_keeps_a_backup_and_restores_the_stub_as_handed_out() {
    let dir = common::mini_course();
    let root = dir.path();
    let lib = root.join("exercises/01-demo/src/lib.rs");
    let handed_out = std::fs::read(common::fixture().join("exercises/01-demo/src/lib.rs")).unwrap();
    let ex = exercises(root);

    let out = course(&["reset", "add", "--yes", "--exercises", &ex]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("as it was handed out: nothing to reset"),
        "{}",
        stdout(&out)
    );

    add_solved(root);
    let mine = std::fs::read(&lib).unwrap();
    // Asked, and not answered yes: nothing changes.
    for answer in ["n\n", ""] {
        let out = course_with_input(&["reset", "add", "--exercises", &ex], answer);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stdout(&out).contains("[y/N]"), "{}", stdout(&out));
        assert!(
            stdout(&out).contains("Nothing was reset."),
            "{}",
            stdout(&out)
        );
        assert_eq!(std::fs::read(&lib).unwrap(), mine);
    }
    // Yes: the stub is back byte for byte, and the learner's version is in the backup.
    let out = course_with_input(&["reset", "add", "--exercises", &ex], "y\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(&lib).unwrap(), handed_out);
    let text = stdout(&out);
    let backup = text
        .split("Your version is in ")
        .nth(1)
        .and_then(|rest| rest.trim_end().strip_suffix('.'))
        .unwrap_or_else(|| panic!("the backup is named: {text}"));
    let kept = root
        .join("exercises")
        .join(backup)
        .join("01-demo/src/lib.rs");
    assert_eq!(std::fs::read(&kept).unwrap(), mine, "{}", kept.display());

    // Two resets in a row keep two backups.
    add_solved(root);
    let again = course(&["reset", "add", "--yes", "--exercises", &ex]);
    assert!(again.status.success(), "{}", stderr(&again));
    let backups = std::fs::read_dir(root.join("exercises/.course/backups"))
        .unwrap()
        .count();
    assert_eq!(backups, 2);
}

#[test]
fn reset_without_the_handed_out_copy_says_so_in_one_line() {
    let dir = common::mini_course();
    std::fs::remove_dir_all(dir.path().join("exercises/.course")).unwrap();
    let err = assert_one_line_error(&course(&[
        "reset",
        "add",
        "--yes",
        "--exercises",
        &exercises(dir.path()),
    ]));
    assert!(
        err.contains("the handed-out copy that reset restores is missing"),
        "{err}"
    );
}

/// `cargo course watch` on the mini course, driven through its stdin (keys as lines) and read
/// from its stdout, screen by screen.
struct Watching {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Watching {
    fn start(root: &Path, args: &[&str]) -> Watching {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-course"))
            .args(["watch", "--exercises", &exercises(root)])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the course binary runs");
        let stdin = child.stdin.take().expect("a stdin");
        let stdout = child.stdout.take().expect("a stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Watching {
            child,
            stdin,
            lines,
        }
    }

    /// Reads until every one of `parts` has been printed (since the last call), or fails with
    /// what was printed after a minute.
    fn expect(&mut self, parts: &[&str]) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut seen = String::new();
        while !parts.iter().all(|p| seen.contains(p)) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    seen.push_str(&line);
                    seen.push('\n');
                }
                Err(_) => panic!("{parts:?} never came; the watch printed:\n{seen}"),
            }
        }
        seen
    }

    /// Waits (half a minute at most) for the watch to end, and checks that it ended well.
    fn exits_successfully(&mut self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the watch ended with {status}");
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the watch did not end"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    fn keys(&mut self, keys: &str) {
        use std::io::Write;
        writeln!(self.stdin, "{keys}").expect("the watch reads its keys");
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_runs_the_exercise_on_each_save_and_moves_on_once_it_passes() {
    let dir = common::mini_course();
    let root = dir.path();
    let mut watch = Watching::start(root, &["--timeout", "3"]);

    // It starts at the first exercise that does not pass and shows where its test fails.
    let screen = watch.expect(&["keys: h hint", "FAIL  `add`: 0 of 2 tests pass."]);
    assert!(screen.contains("exercise 1 of 2: `add`"), "{screen}");
    assert!(
        screen.contains("at 01-demo/src/lib.rs:4\n  | not yet implemented"),
        "the stub's todo!() is the place to look: {screen}"
    );
    watch.keys("n");
    watch.expect(&["does not pass yet: n moves on once it does"]);

    // A save that solves it: a pass, and the next exercise named.
    add_solved(root);
    let screen = watch.expect(&["keys: h hint", "PASS  `add` passes: all 2 tests."]);
    assert!(
        screen.contains("Next: `double`, in chapter 01-demo"),
        "{screen}"
    );
    assert!(screen.contains("01-demo/index.html"), "{screen}");

    // n moves on, and runs the next exercise at once; h prints its hint.
    watch.keys("n");
    let screen = watch.expect(&["keys: h hint", "FAIL  `double`: 0 of 1 tests pass."]);
    assert!(screen.contains("exercise 2 of 2: `double`"), "{screen}");
    watch.keys("h");
    watch.expect(&["Hint for `double`:", "Call add."]);

    // A save that breaks the crate: the compiler's error, with its place.
    common::write(
        root,
        "exercises/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + c }\npub fn double(a: u32) -> u32 { add(a, a) }\n",
    );
    let screen = watch.expect(&["keys: h hint", "the chapter does not compile"]);
    assert!(
        screen.contains("error[E0425]: cannot find value `c` in this scope"),
        "{screen}"
    );
    assert!(screen.contains("--> 01-demo/src/lib.rs:1:41"), "{screen}");

    // A save whose code never returns: stopped at the limit, with the likely reason.
    common::write(
        root,
        "exercises/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + b }\npub fn double(_: u32) -> u32 { loop { std::thread::park() } }\n",
    );
    let screen = watch.expect(&["keys: h hint", "waiting on itself"]);
    assert!(
        screen.contains("Stopped after 3 s; these tests had not finished: doubles"),
        "{screen}"
    );

    // q quits.
    watch.keys("q");
    watch.expect(&["Stopped watching."]);
    watch.exits_successfully();
}

#[test]
fn watch_starts_at_a_named_exercise_and_says_when_all_pass() {
    let dir = common::mini_course();
    let root = dir.path();
    let mut watch = Watching::start(root, &["double"]);
    watch.expect(&["exercise 2 of 2: `double`", "FAIL  `double`"]);
    watch.keys("q");
    watch.expect(&["Stopped watching."]);
    drop(watch);

    common::write(
        root,
        "exercises/01-demo/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + b }\npub fn double(a: u32) -> u32 { add(a, a) }\n",
    );
    // Nothing remembered yet: it tries each exercise, and stops on the last, passing.
    let mut watch = Watching::start(root, &[]);
    let screen = watch.expect(&["keys: h hint", "PASS  `double`"]);
    assert!(screen.contains("last exercise"), "{screen}");
    watch.keys("q");
    watch.expect(&["Stopped watching."]);
    drop(watch);
    // Remembered as passing (progress): it says so and ends.
    let out = course(&["progress", "--exercises", &exercises(root)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut watch = Watching::start(root, &[]);
    watch.expect(&["Every exercise passes"]);
    watch.exits_successfully();
}

/// The processes (other than the watch itself) whose program is a file under `dir`: the test
/// binaries a watch on a course in `dir` runs.
fn programs_under(dir: &Path, except: u32) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if pid == except {
            continue;
        }
        if let Ok(exe) = std::fs::read_link(entry.path().join("exe"))
            && exe.starts_with(dir)
        {
            found.push(format!("{pid} {}", exe.display()));
        }
    }
    found
}

/// Starts a watch on a run that only a stop can end, waits until its test binary runs, stops
/// it with `stop`, and checks that the watch ends well and leaves no test running.
fn a_run_that_never_ends_is_stopped_by(stop: &dyn Fn(&mut Watching)) {
    let dir = common::mini_course();
    let root = dir.path().canonicalize().unwrap();
    common::write(
        &root,
        "exercises/01-demo/src/lib.rs",
        "pub fn add(_: u32, _: u32) -> u32 { loop { std::thread::park() } }\npub fn double(a: u32) -> u32 { a }\n",
    );
    // A limit far beyond the test's own: only the stop can end this run.
    let mut watch = Watching::start(&root, &["add", "--timeout", "3600"]);
    watch.expect(&["building and testing `add`"]);
    let target = root.join("exercises/target");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while programs_under(&target, watch.child.id()).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the test binary of `add` never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    stop(&mut watch);
    watch.expect(&["Stopped watching."]);
    watch.exits_successfully();
    let left = programs_under(&target, watch.child.id());
    assert!(left.is_empty(), "still running after the stop: {left:?}");
}

#[test]
fn q_stops_a_run_that_would_never_end_and_leaves_no_test_running() {
    a_run_that_never_ends_is_stopped_by(&|watch| watch.keys("q"));
}

#[test]
fn a_terminal_that_hangs_up_stops_the_watch_as_q_does() {
    for signal in ["-HUP", "-TERM"] {
        a_run_that_never_ends_is_stopped_by(&|watch| {
            let sent = Command::new("kill")
                .args([signal, "--", &watch.child.id().to_string()])
                .status()
                .expect("kill runs");
            assert!(sent.success(), "kill {signal}");
        });
    }
}
