//! Builds a crate's integration tests and runs them, test by test.
//!
//! `cargo test` alone reports a crate as passing or failing; the course needs to know about every
//! single test (does *this* test fail on the stub?). So the runner builds the test binaries with
//! `cargo test --no-run`, asks each binary for its list of tests, runs it with libtest's
//! `--logfile` (one `ok NAME` / `failed NAME` line per test, apart from anything the tests print),
//! and treats a test that never reports as failed. A wall-clock limit per binary turns a deadlock
//! into a failure instead of a hang.

use anyhow::{Context, Result};
use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::{Message, TargetKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long one test binary may run before it is stopped.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// A built integration-test binary.
#[derive(Debug, Clone)]
pub struct TestBinary {
    /// The test target's name (`tests/<target>.rs`).
    pub target: String,
    /// The executable.
    pub path: PathBuf,
    /// The package folder; tests run with it as their working directory, as under `cargo test`.
    pub package_dir: PathBuf,
}

/// The result of building a package's tests.
#[derive(Debug, Clone)]
pub enum Build {
    /// It compiled. `warnings` holds the rendered compiler warnings, if any.
    Built {
        binaries: Vec<TestBinary>,
        warnings: Vec<String>,
    },
    /// It did not compile. `errors` holds the compiler's rendered messages.
    Failed { errors: String },
}

/// What happened to one test.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It ran and passed.
    Passed,
    /// It ran and failed (a panic, a failed assertion, a `todo!()`).
    Failed,
    /// Its binary hit the time limit before the test reported.
    TimedOut,
    /// Its binary ended without the test reporting (an abort, a signal, `process::exit`).
    Crashed,
    /// The package did not compile, so the test never ran.
    NotBuilt,
    /// It is marked `#[ignore]`, so it never ran (and counts as not passing).
    Ignored,
    /// It never ran, or was stopped, because the tests before it used up the time they had
    /// together (the grader's budget per student).
    NotRun,
}

impl Outcome {
    /// Whether the test passed.
    pub fn passed(self) -> bool {
        self == Outcome::Passed
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Passed => "pass",
            Outcome::Failed => "fail",
            Outcome::TimedOut => "timeout",
            Outcome::Crashed => "crash",
            Outcome::NotBuilt => "no build",
            Outcome::Ignored => "ignored",
            Outcome::NotRun => "not run",
        })
    }
}

/// One test's result, with the first lines of what it printed when it failed.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The test function's path inside its binary, e.g. `runs_in_order`.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// The failure message libtest printed for this test, trimmed; empty when it passed.
    pub message: String,
}

/// Where to build: a workspace, a package in it and a target directory.
#[derive(Debug, Clone)]
pub struct Crate<'a> {
    /// The workspace's (or package's) Cargo.toml.
    pub manifest: &'a Path,
    /// The package to build.
    pub package: &'a str,
    /// The target directory to build in.
    pub target_dir: &'a Path,
}

/// A flag another thread raises to stop a build or a test run early (the watch's `q`).
pub type Stop = std::sync::atomic::AtomicBool;

/// Builds the integration tests of `krate`, without running them.
pub fn build_tests(krate: &Crate<'_>) -> Result<Build> {
    build_tests_until(krate, None, &Stop::new(false))
        .map(|built| built.expect("a build nobody stops runs to its end"))
}

/// Builds the integration tests of `krate` (only the test target `only`, when given), or
/// `None` if `stop` was raised first: then cargo is stopped too.
pub fn build_tests_until(
    krate: &Crate<'_>,
    only: Option<&str>,
    stop: &Stop,
) -> Result<Option<Build>> {
    let mut command = Command::new(cargo());
    command.args(["test", "--no-run", "--message-format=json", "--color=never"]);
    match only {
        Some(target) => command.args(["--test", target]),
        None => command.arg("--tests"),
    };
    command
        .arg("--manifest-path")
        .arg(krate.manifest)
        .args(["-p", krate.package])
        .env("CARGO_TARGET_DIR", krate.target_dir)
        .stdin(Stdio::null());
    let Some(output) = output_until(&mut command, stop)
        .with_context(|| format!("cannot run cargo to build {}", krate.manifest.display()))?
    else {
        return Ok(None);
    };

    let mut binaries = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut success = output.status.success();
    for message in Message::parse_stream(&output.stdout[..]).flatten() {
        match message {
            Message::CompilerArtifact(artifact) => {
                if let Some(exe) = artifact.executable
                    && artifact.target.kind.contains(&TargetKind::Test)
                {
                    binaries.push(TestBinary {
                        target: artifact.target.name,
                        path: exe.into(),
                        package_dir: artifact
                            .manifest_path
                            .parent()
                            .map(|d| d.as_std_path().to_owned())
                            .unwrap_or_default(),
                    });
                }
            }
            Message::CompilerMessage(msg) => {
                let diag = msg.message;
                let text = diag.rendered.unwrap_or_default();
                match diag.level {
                    // The "N warnings emitted" summary has no spans; only count real ones.
                    // A library is compiled twice for tests (as a dependency and as a unit-test
                    // crate); count each warning once.
                    DiagnosticLevel::Warning
                        if !diag.spans.is_empty() && !warnings.contains(&text) =>
                    {
                        warnings.push(text)
                    }
                    DiagnosticLevel::Error => errors.push(text),
                    _ => {}
                }
            }
            Message::BuildFinished(finished) => success &= finished.success,
            _ => {}
        }
    }
    if success {
        binaries.sort_by(|a, b| a.target.cmp(&b.target));
        return Ok(Some(Build::Built { binaries, warnings }));
    }
    if errors.is_empty() {
        // Cargo itself failed (a bad manifest, a lock file problem): its own words are on stderr.
        errors.push(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(Some(Build::Failed {
        errors: errors.join("\n"),
    }))
}

/// [`Command::output`], unless `stop` is raised first: then the child is killed and the
/// answer is `None`. Its output is read on two threads while it runs, so a full pipe never
/// blocks it.
fn output_until(
    command: &mut Command,
    stop: &Stop,
) -> std::io::Result<Option<std::process::Output>> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let waited = wait_for(&mut child, None, stop);
    if !matches!(waited, Ok(Waited::Exited(_))) {
        let _ = child.kill();
        let _ = child.wait();
    }
    let (stdout, stderr) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    Ok(match waited? {
        Waited::Exited(status) => Some(std::process::Output {
            status,
            stdout,
            stderr,
        }),
        Waited::TimedOut | Waited::Stopped => None,
    })
}

/// Reads `pipe` to its end on a thread of its own.
fn read_all<R: std::io::Read + Send + 'static>(
    pipe: Option<R>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Lists the tests in a binary (`--list`), in the binary's order.
pub fn list_tests(binary: &TestBinary) -> Result<Vec<String>> {
    let output = test_command(binary)
        .args(["--list", "--format", "terse"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", binary.path.display()))?;
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_owned)
        .collect())
}

/// How many lines of a failure message a result keeps.
pub const MESSAGE_LINES: usize = 12;

/// Runs every test in `binary` and returns one result per listed test.
pub fn run_tests(binary: &TestBinary, timeout: Duration) -> Result<Vec<TestResult>> {
    run_tests_until(binary, timeout, MESSAGE_LINES, &Stop::new(false))
        .map(|results| results.expect("a run nobody stops runs to its end"))
}

/// [`run_tests`], keeping up to `lines` lines of each failure message, or `None` if `stop` is
/// raised before the binary ends: then it is killed.
pub fn run_tests_until(
    binary: &TestBinary,
    timeout: Duration,
    lines: usize,
    stop: &Stop,
) -> Result<Option<Vec<TestResult>>> {
    let names = list_tests(binary)?;
    let scratch = Scratch::beside(&binary.path)?;
    let (log, out_path) = (scratch.path("results.log"), scratch.path("output.txt"));
    let out = std::fs::File::create(&out_path)
        .with_context(|| format!("cannot create {}", out_path.display()))?;
    let mut child = test_command(binary)
        .arg("--logfile")
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .spawn()
        .with_context(|| format!("cannot run {}", binary.path.display()))?;

    let waited = wait_for(&mut child, Some(Instant::now() + timeout), stop);
    if !matches!(waited, Ok(Waited::Exited(_))) {
        let _ = child.kill();
        let _ = child.wait();
    }
    let timed_out = match waited? {
        Waited::Exited(_) => false,
        Waited::TimedOut => true,
        Waited::Stopped => return Ok(None),
    };

    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    let mut reported: BTreeMap<&str, Outcome> = BTreeMap::new();
    for line in logged.lines() {
        if let Some(name) = line.strip_prefix("ok ") {
            reported.insert(name, Outcome::Passed);
        } else if let Some(name) = line.strip_prefix("failed ") {
            reported.insert(name, Outcome::Failed);
        } else if let Some(name) = line.strip_prefix("ignored ") {
            reported.insert(name, Outcome::Ignored);
        }
    }
    let printed = std::fs::read_to_string(&out_path).unwrap_or_default();
    let messages = failure_messages(&printed, lines);
    let missing = if timed_out {
        Outcome::TimedOut
    } else {
        Outcome::Crashed
    };
    Ok(Some(
        names
            .into_iter()
            .map(|name| {
                let outcome = reported.get(name.as_str()).copied().unwrap_or(missing);
                let message = match outcome {
                    Outcome::Passed => String::new(),
                    Outcome::TimedOut => format!("did not finish within {} s", timeout.as_secs()),
                    Outcome::Ignored => "marked #[ignore], so it never runs".to_owned(),
                    _ => messages.get(&name).cloned().unwrap_or_default(),
                };
                TestResult {
                    name,
                    outcome,
                    message,
                }
            })
            .collect(),
    ))
}

/// A folder of its own beside a test binary, for one run's log and output, removed when dropped.
/// (Beside the binary, in the target directory, rather than in /tmp: nothing of a learner's run
/// is left outside the build folder, and no temp-file crate is compiled into the learner's tool.)
struct Scratch(PathBuf);

impl Scratch {
    fn beside(binary: &Path) -> Result<Scratch> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "{}.run-{}-{}",
            binary.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id(),
            RUNS.fetch_add(1, Ordering::Relaxed)
        );
        let dir = binary.with_file_name(name);
        // A folder left by a run that was killed, under a reused process id, is taken over.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Scratch(dir))
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Waits for `child` to end, until `deadline`: its exit status, or `None` if it is still running
/// then (the caller decides how to stop it).
pub fn wait_until(child: &mut Child, deadline: Instant) -> Result<Option<ExitStatus>> {
    Ok(match wait_for(child, Some(deadline), &Stop::new(false))? {
        Waited::Exited(status) => Some(status),
        Waited::TimedOut | Waited::Stopped => None,
    })
}

/// How a wait for a child ended.
enum Waited {
    Exited(ExitStatus),
    TimedOut,
    Stopped,
}

/// Waits for `child` to end, until `deadline` (if any) or until `stop` is raised; the caller
/// decides how to stop a child that is still running.
fn wait_for(child: &mut Child, deadline: Option<Instant>, stop: &Stop) -> std::io::Result<Waited> {
    use std::sync::atomic::Ordering;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Waited::Exited(status));
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(Waited::Stopped);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(Waited::TimedOut);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// libtest's per-test failure output: the text under `---- NAME stdout ----`, trimmed.
fn failure_messages(printed: &str, max: usize) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in printed.lines() {
        let header = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"));
        if let Some(name) = header {
            if let Some((n, lines)) = current.take() {
                out.insert(n, trim_lines(&lines, max));
            }
            current = Some((name.to_owned(), Vec::new()));
        } else if line == "failures:" || line.starts_with("test result:") {
            if let Some((n, lines)) = current.take() {
                out.insert(n, trim_lines(&lines, max));
            }
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    if let Some((n, lines)) = current {
        out.insert(n, trim_lines(&lines, max));
    }
    out
}

/// The first compiler error with its location, on one line: `error[E0425]: ... --> src/x.rs:3:5`.
pub fn first_error(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let Some(head) = lines.find(|l| l.starts_with("error")) else {
        return rendered
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_owned();
    };
    match lines.next().map(str::trim).filter(|l| l.starts_with("-->")) {
        Some(at) => format!("{head} {at}"),
        None => head.to_owned(),
    }
}

/// The line of a failure message that says what went wrong: the first one after libtest's
/// `thread '...' panicked at ...:` header.
pub fn headline(message: &str) -> &str {
    message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("thread '"))
        .unwrap_or("")
}

/// At most `max` lines, without the backtrace advice.
fn trim_lines(lines: &[&str], max: usize) -> String {
    let kept: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .collect();
    let mut text = kept
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if kept.len() > max {
        text.push_str("\n...");
    }
    text.trim().to_owned()
}

/// A test binary's command with the environment `cargo test` would give it, except that insta
/// never writes `.snap.new` files: a check must not leave anything behind.
fn test_command(binary: &TestBinary) -> Command {
    let mut cmd = Command::new(&binary.path);
    cmd.current_dir(&binary.package_dir)
        .env("CARGO_MANIFEST_DIR", &binary.package_dir)
        .env("INSTA_UPDATE", "no")
        .env_remove("INSTA_FORCE_PASS")
        .env_remove("INSTA_FORCE_UPDATE")
        .env("RUST_BACKTRACE", "0");
    cmd
}

/// The first `name` on PATH that is an executable file.
pub fn find_program(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The cargo that runs this tool (under `cargo run`), else the one on PATH.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_messages_are_split_per_test() {
        let printed = "\nrunning 2 tests\ntest a ... FAILED\ntest b ... FAILED\n\nfailures:\n\n---- a stdout ----\n\nthread 'a' panicked at src/lib.rs:1:1:\nnot yet implemented\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n---- b stdout ----\nboom\n\nfailures:\n    a\n    b\n\ntest result: FAILED. 0 passed; 2 failed\n";
        let m = failure_messages(printed, MESSAGE_LINES);
        assert_eq!(
            m["a"],
            "thread 'a' panicked at src/lib.rs:1:1:\nnot yet implemented"
        );
        assert_eq!(m["b"], "boom");
    }
}
