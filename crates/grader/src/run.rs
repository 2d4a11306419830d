//! One student, start to finish: stage, build in the sandbox, run the tests, read the results.
//!
//! - **Stage.** A pristine copy of `exercises/` (official tests, Cargo.toml, lock file, lints)
//!   with the student's `src/**/*.rs` laid over it, plus the instructor's extra tests.
//! - **Build.** `cargo build --tests --keep-going` in the sandbox, so one chapter that does not
//!   compile leaves the others gradable. Every chapter crate must be compiled afresh (cargo says
//!   `"fresh": false`): that is the proof that no other student's compiled crate stands in.
//! - **Run.** cargo-nextest, outside the sandbox, one process per test through the sandboxed
//!   runner. Pass or fail comes from nextest's JUnit report, never from what the tests print.

use super::limits;
use super::nextest::{self, RunLimits};
use super::sandbox::{Cell, Sandbox};
use anyhow::{Context, Result, bail};
use cargo_metadata::Message;
use cargo_metadata::diagnostic::DiagnosticLevel;
use course_core::manifest::Chapter;
use course_core::runner::{self, Outcome};
use nextest_metadata::BinaryListSummary;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// What one grading needs besides the student: the course, the sandbox, the limits.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The course's `exercises/` folder: the pristine source of every staged copy.
    pub exercises: PathBuf,
    /// The chapters, from course.toml.
    pub chapters: Vec<Chapter>,
    /// Instructor-only tests: `DIR/<chapter-id>/<test>.rs`, read once.
    pub extra_tests: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    /// The sandbox.
    pub sandbox: Sandbox,
    /// Tests nextest runs at once for one student.
    pub test_threads: usize,
    /// The host's target triple, for cargo's runner variable.
    pub host: String,
}

/// The prefix of an extra test's target name: `tests/extra_<test>.rs` counts for exercise `<test>`.
pub const EXTRA_PREFIX: &str = "extra_";

/// One test's result as the runner reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// What happened.
    pub outcome: Outcome,
    /// The failure message, trimmed (empty on a pass).
    pub message: String,
    /// How long it ran, in milliseconds.
    pub millis: u64,
}

/// The results of grading one staged submission.
#[derive(Debug, Clone, Default)]
pub struct Graded {
    /// `(chapter id, test target, test name)` -> result, for every test the runner reported.
    pub results: BTreeMap<(String, String, String), Reported>,
    /// Chapters that did not compile, with the compiler's messages (paths relative to the
    /// submission).
    pub build_errors: BTreeMap<String, String>,
    /// What went wrong besides, for the student's feedback.
    pub notes: Vec<String>,
    /// How long the test run took.
    pub run_time: Duration,
    /// The budget, when the test run used it all up: the tests without a verdict were not run.
    pub out_of_time: Option<Duration>,
}

/// Lays `files` (chapter -> path under src/ -> bytes) over a pristine copy of the exercises in
/// `cell.stage` and points cargo at the vendored dependencies. Returns the instant after which
/// every chapter file was written. (The extra tests come later, after the student's code is
/// compiled, so that code can never `include_str!` them.)
pub fn stage(
    setup: &Setup,
    cell: &Cell,
    files: &BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    notes: &mut Vec<String>,
) -> Result<SystemTime> {
    if cell.stage.exists() {
        std::fs::remove_dir_all(&cell.stage)
            .with_context(|| format!("cannot clear {}", cell.stage.display()))?;
    }
    copy_pristine(&setup.exercises, &cell.stage)?;
    let staged_at = SystemTime::now();
    for chapter in &setup.chapters {
        let dir = cell.stage.join(&chapter.id);
        // The files course.toml lists as given are always staged as the course has them.
        let given = &chapter.given;
        for (rel, bytes) in files.get(chapter.id.as_str()).into_iter().flatten() {
            let path = dir.join("src").join(rel);
            if given.contains(rel) {
                // The course's own copy stays: the tests rely on it (a gate that counts
                // connections, a dispatcher that starts the child processes).
                if std::fs::read(&path).is_ok_and(|pristine| &pristine != bytes) {
                    notes.push(format!(
                        "{}/src/{rel}: given by the course; your changes to it were not used",
                        chapter.id
                    ));
                }
                continue;
            }
            // A path that cannot be a file here (a folder named like a file) is left out.
            if let Err(e) = write_file(&path, bytes) {
                notes.push(format!(
                    "{}/src/{rel}: cannot be staged ({e:#}); left out",
                    chapter.id
                ));
            }
        }
        // Every file of a chapter crate is newer than anything built before: cargo must compile
        // it again, whatever timestamps the submission carried.
        touch_tree(&dir, staged_at)?;
    }
    write_file(
        &cell.stage.join(".cargo/config.toml"),
        cargo_config(&setup.sandbox.vendor)?.as_bytes(),
    )?;
    std::fs::create_dir_all(&cell.target)
        .with_context(|| format!("cannot create {}", cell.target.display()))?;
    if setup.sandbox.as_root {
        chown_tree(&cell.stage, cell.uid)?;
        chown_tree(&cell.target, cell.uid)?;
    }
    Ok(staged_at)
}

/// Builds the given chapters in the sandbox and runs their tests. Whatever happens, every
/// compiled chapter crate is deleted from the slot's target dir afterwards, so the next student
/// in the slot cannot read it, and (without bubblewrap) no process of the slot's user id lives on.
pub fn build_and_test(
    setup: &Setup,
    cell: &Cell,
    chapters: &[&Chapter],
    scratch: &Path,
    limits: &RunLimits,
) -> Result<Graded> {
    let graded = build_and_test_inner(setup, cell, chapters, scratch, limits);
    if setup.sandbox.as_root && matches!(setup.sandbox.walls, super::sandbox::Walls::LimitsOnly) {
        let _ = Command::new("pkill")
            .args(["-KILL", "-U", &cell.uid.to_string()])
            .status();
    }
    purge_chapters(&cell.target, &cell.stage, &setup.chapters)?;
    graded
}

/// Deletes everything cargo compiled from the chapter crates (libraries, programs, test
/// binaries, with and without their hashes), keeping the compiled dependencies.
pub fn purge_chapters(target: &Path, stage: &Path, chapters: &[Chapter]) -> Result<()> {
    let mut names = BTreeSet::new();
    for c in chapters {
        names.insert(c.package().to_owned());
        names.insert(c.package().replace('-', "_"));
        for e in &c.exercises {
            names.insert(e.test.clone());
            names.insert(format!("{EXTRA_PREFIX}{}", e.test));
        }
        if let Ok(tests) = std::fs::read_dir(stage.join(&c.id).join("tests")) {
            for t in tests.flatten() {
                if let Some(stem) = t.path().file_stem() {
                    names.insert(stem.to_string_lossy().into_owned());
                }
            }
        }
    }
    let debug = target.join("debug");
    for dir in [debug.join("deps"), debug.clone()] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let file = entry.file_name().to_string_lossy().into_owned();
            let stem = file.split('.').next().unwrap_or_default();
            let stem = stem.strip_prefix("lib").unwrap_or(stem);
            // `name-0123abcd` in deps/, plain `name` beside it.
            let base = match stem.rsplit_once('-') {
                Some((base, hash)) if hash.bytes().all(|b| b.is_ascii_hexdigit()) => base,
                _ => stem,
            };
            if names.contains(base) {
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot delete {}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

fn build_and_test_inner(
    setup: &Setup,
    cell: &Cell,
    chapters: &[&Chapter],
    scratch: &Path,
    limits: &RunLimits,
) -> Result<Graded> {
    if chapters.is_empty() {
        return Ok(Graded::default());
    }
    std::fs::create_dir_all(scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let mut grading = Grading {
        setup,
        cell,
        scratch,
        graded: Graded::default(),
    };
    let Some(built) = grading.build(chapters)? else {
        return Ok(grading.graded);
    };
    let extra_files = grading.compile_extra_tests(&built)?;
    let listed = grading.list(&built)?;
    grading.lock_down(&extra_files)?;
    grading.run_tests(&built, &listed, limits)?;
    Ok(grading.graded)
}

/// One student's grading in one slot, step by step: [`Grading::build`],
/// [`Grading::compile_extra_tests`], [`Grading::list`], [`Grading::lock_down`],
/// [`Grading::run_tests`]. Each step adds to `graded`.
struct Grading<'a> {
    setup: &'a Setup,
    cell: &'a Cell,
    scratch: &'a Path,
    graded: Graded,
}

impl<'a> Grading<'a> {
    /// `cargo ARGS -p CHAPTER...` in the sandbox, within the build time limit; its output goes to
    /// `STEP.out` and `STEP.err` in the scratch folder.
    fn cargo(&self, args: &[&str], chapters: &[&Chapter], step: &str) -> Result<Ran> {
        let mut args = args.to_vec();
        for c in chapters {
            args.extend(["-p", c.package()]);
        }
        run_limited(
            self.setup.sandbox.command(self.cell, "cargo", &args),
            limits::BUILD_TIMEOUT,
            self.scratch,
            step,
        )
    }

    /// `cargo build --tests` in the sandbox, going on past a chapter that fails.
    fn cargo_build(&self, chapters: &[&Chapter], step: &str) -> Result<Ran> {
        // `cargo build --tests` builds the libraries, the programs and the test binaries (what
        // `cargo test --no-run` builds, but for examples), and unlike it can `--keep-going`.
        // The listing below asks nextest for the same targets.
        let args = [
            "build",
            "--tests",
            "--offline",
            "--locked",
            "--keep-going",
            "--message-format=json",
        ];
        self.cargo(&args, chapters, step)
    }

    /// 1. Builds the student's code with the official tests. Returns the chapters that built
    ///    (none: `None`), after proving each was compiled afresh.
    fn build(&mut self, chapters: &[&'a Chapter]) -> Result<Option<Vec<&'a Chapter>>> {
        let stage = &self.cell.stage;
        let build = self.cargo_build(chapters, "build")?;
        if build.timed_out {
            for c in chapters {
                self.graded.build_errors.insert(
                    c.id.to_string(),
                    format!(
                        "the build did not finish within {} s",
                        limits::BUILD_TIMEOUT.as_secs()
                    ),
                );
            }
            return Ok(None);
        }
        let messages = read_build(&build.stdout, stage, chapters)?;
        self.graded.build_errors.extend(messages.errors);
        let errors = &self.graded.build_errors;
        let built: Vec<&Chapter> = chapters
            .iter()
            .copied()
            .filter(|c| !errors.contains_key(c.id.as_str()))
            .collect();
        if let Some(fresh) = messages
            .fresh
            .iter()
            .find(|c| built.iter().any(|b| &b.id == *c))
        {
            bail!(
                "stale build: cargo reused an earlier compilation of {fresh} instead of compiling the staged files; \
                 delete the grader's work folder and run again"
            );
        }
        for c in &built {
            if !messages.compiled.contains(c.id.as_str()) {
                self.graded.build_errors.insert(
                    c.id.to_string(),
                    format!("cargo did not build it: {}", build.stderr_tail(stage)),
                );
            }
        }
        let errors = &self.graded.build_errors;
        let built: Vec<&Chapter> = built
            .into_iter()
            .filter(|c| !errors.contains_key(c.id.as_str()))
            .collect();
        if !built.is_empty() && built.len() < chapters.len() {
            self.build_again(&built)?;
        }
        let errors = &self.graded.build_errors;
        let built: Vec<&Chapter> = built
            .into_iter()
            .filter(|c| !errors.contains_key(c.id.as_str()))
            .collect();
        Ok((!built.is_empty()).then_some(built))
    }

    /// 1b. When some chapters did not build, builds the others once more on their own. Cargo
    ///    unifies the features of the dependencies the packages it builds share, so without the
    ///    chapters that failed a dependency can need other features, and be compiled again. That
    ///    must happen now, before the extra tests are in the stage: the steps after this one
    ///    build and list exactly these chapters, and must find everything compiled.
    fn build_again(&mut self, built: &[&'a Chapter]) -> Result<()> {
        let stage = &self.cell.stage;
        let again = self.cargo_build(built, "build-again")?;
        let messages = read_build(&again.stdout, stage, built)?;
        self.graded.build_errors.extend(messages.errors);
        for c in built {
            if again.timed_out || !again.success {
                self.graded
                    .build_errors
                    .entry(c.id.to_string())
                    .or_insert_with(|| {
                        format!(
                            "cargo did not build it on its own: {}",
                            again.stderr_tail(stage)
                        )
                    });
            }
        }
        Ok(())
    }

    /// 2. The instructor's extra tests, compiled now: the student's crate is already built and
    ///    stays fresh, so none of its code is compiled while they are in the stage. An extra test
    ///    that does not compile against this student's code is removed, and its tests count as
    ///    failed. Returns the extra tests' sources in the stage, to remove before anything runs.
    fn compile_extra_tests(&mut self, built: &[&Chapter]) -> Result<Vec<PathBuf>> {
        let (setup, cell) = (self.setup, self.cell);
        let mut extra_files = Vec::new();
        for c in built {
            for (test, bytes) in setup.extra_tests.get(c.id.as_str()).into_iter().flatten() {
                let path = cell
                    .stage
                    .join(&c.id)
                    .join("tests")
                    .join(format!("{EXTRA_PREFIX}{test}.rs"));
                write_file(&path, bytes)?;
                if setup.sandbox.as_root {
                    chown_tree(&path, cell.uid)?;
                }
                extra_files.push((c.id.to_string(), path));
            }
        }
        if extra_files.is_empty() {
            return Ok(Vec::new());
        }
        let extra = self.cargo_build(built, "extra")?;
        let messages = read_build(&extra.stdout, &cell.stage, built)?;
        if let Some(target) = recompiled_besides_extra(&extra.stdout) {
            bail!(
                "building the extra tests compiled `{target}` again; the student's code must not be \
                 compiled while the extra tests are in the stage"
            );
        }
        for (chapter, path) in &extra_files {
            if extra.timed_out || messages.errors.contains_key(chapter) {
                std::fs::remove_file(path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        Ok(extra_files.into_iter().map(|(_, path)| path).collect())
    }

    /// 3. Asks cargo and nextest, still in the sandbox, for the test binaries and the metadata
    ///    (`binaries.out` and `metadata.out` in the scratch folder), without compiling anything.
    fn list(&mut self, built: &[&Chapter]) -> Result<Vec<PathBuf>> {
        let (setup, cell) = (self.setup, self.cell);
        let list = [
            "nextest",
            "list",
            // The targets `cargo build --tests` built above, and no more: nextest would
            // otherwise build what `cargo test` builds, the examples too (chapter 7 has one).
            "--tests",
            "--offline",
            "--locked",
            "--list-type",
            "binaries-only",
            "--message-format",
            "json",
        ];
        let binaries = self.cargo(&list, built, "binaries")?;
        let metadata = run_limited(
            setup.sandbox.command(
                cell,
                "cargo",
                &["metadata", "--offline", "--locked", "--format-version", "1"],
            ),
            limits::BUILD_TIMEOUT,
            self.scratch,
            "metadata",
        )?;
        // Listing must reuse the build above: compiling again now would compile the student's
        // code with the extra tests in the stage.
        if let Some(line) = binaries
            .stderr
            .lines()
            .find(|l| l.trim_start().starts_with("Compiling "))
        {
            bail!(
                "listing the tests compiled again ({}); grading stops here to be safe",
                line.trim()
            );
        }
        for step in [&binaries, &metadata] {
            if !step.success {
                bail!(
                    "listing the built tests failed: {}",
                    step.stderr_tail(&cell.stage)
                );
            }
        }
        extra_binaries(&binaries.stdout)
    }

    /// 4. From here on the student's code runs: the staged copy and the build become root's,
    ///    readable but not writable by the student's user id (bubblewrap also mounts them
    ///    read-only), so no test can change another test's binary, snapshot or sources. The
    ///    extra tests' sources leave the stage, and their binaries become runnable but not
    ///    readable by the student's user id (without bubblewrap, the only thing that keeps other
    ///    tests from reading the instructor's tests out of them).
    fn lock_down(&mut self, extra_files: &[PathBuf]) -> Result<()> {
        let (setup, cell) = (self.setup, self.cell);
        if setup.sandbox.as_root {
            chown_tree(&cell.stage, 0)?;
            chown_tree(&cell.target, 0)?;
        }
        for path in extra_files {
            if path.exists() {
                std::fs::remove_file(path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// 5. Runs the tests with nextest outside the sandbox, each test process inside it, each
    ///    within its limit and all within the budget, and reads the verdicts from the JUnit
    ///    report.
    fn run_tests(
        &mut self,
        built: &[&Chapter],
        extra_binaries: &[PathBuf],
        limits: &RunLimits,
    ) -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let (setup, cell, scratch) = (self.setup, self.cell, self.scratch);
        for binary in extra_binaries {
            std::fs::set_permissions(binary, std::fs::Permissions::from_mode(0o711))
                .with_context(|| format!("cannot protect {}", binary.display()))?;
        }
        let runner = scratch.join("runner.sh");
        write_executable(&runner, super::sandbox::RUNNER_SCRIPT)?;
        write_file(
            &scratch.join("runner.args"),
            setup
                .sandbox
                .runner_args(cell, extra_binaries, limits.longest())
                .as_bytes(),
        )?;
        let store = scratch.join("nextest");
        if store.exists() {
            std::fs::remove_dir_all(&store)
                .with_context(|| format!("cannot clear {}", store.display()))?;
        }
        let config = scratch.join("nextest.toml");
        std::fs::write(&config, nextest::config(&store, limits)?)
            .with_context(|| format!("cannot write {}", config.display()))?;
        let filter = format!(
            "kind(test) & ({})",
            built
                .iter()
                .map(|c| format!("package(={})", c.package()))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let mut nextest = Command::new(&setup.sandbox.nextest);
        nextest
            .arg("nextest")
            .arg("run")
            .arg("--binaries-metadata")
            .arg(scratch.join("binaries.out"))
            .arg("--cargo-metadata")
            .arg(scratch.join("metadata.out"))
            .arg("--workspace-remap")
            .arg(&cell.stage)
            .arg("--config-file")
            .arg(&config)
            .args(["--user-config-file", "none", "--profile", nextest::PROFILE])
            .args(["-E", &filter, "--no-fail-fast", "--no-tests", "pass"])
            .args(["--test-threads", &setup.test_threads.to_string()])
            .args(["--show-progress", "none", "--status-level", "none"])
            .args(["--final-status-level", "none", "--color", "never"])
            .current_dir(&cell.stage)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", scratch)
            .env(
                format!(
                    "CARGO_TARGET_{}_RUNNER",
                    setup.host.to_uppercase().replace('-', "_")
                ),
                &runner,
            )
            .env("INSTA_UPDATE", "no")
            .env("CI", "true")
            .env("RUST_BACKTRACE", "0");
        // nextest keeps each test to its limit and the run to the budget; this bounds nextest
        // itself, in case it does not stop (the budget, or every test timing out in waves).
        let whole_run = match limits.budget {
            Some(budget) => budget + WHOLE_RUN_MARGIN,
            None => {
                let tests = limits.tests.len().max(1);
                let waves = tests.div_ceil(setup.test_threads.max(1)) as u32 + 1;
                (limits.longest() + Duration::from_secs(5)) * waves + WHOLE_RUN_MARGIN
            }
        };
        let started = Instant::now();
        let ran = run_limited(nextest, whole_run, scratch, "nextest")?;
        let elapsed = started.elapsed();
        self.graded.run_time = elapsed;
        let out_of_time = limits.budget.filter(|budget| elapsed >= *budget);
        self.graded.out_of_time = out_of_time;
        let Ok(xml) = std::fs::read_to_string(nextest::junit_path(&store)) else {
            self.graded.notes.push(format!(
                "the test run did not finish within {} s, so no test counts as passed: {}",
                whole_run.as_secs(),
                ran.stderr_tail(&cell.stage)
            ));
            return Ok(());
        };
        let packages: BTreeMap<&str, &str> =
            built.iter().map(|c| (c.package(), c.id.as_str())).collect();
        for case in super::junit::parse(&xml)? {
            let Some((package, target)) = case.binary.split_once("::") else {
                continue;
            };
            let Some(chapter) = packages.get(package) else {
                continue;
            };
            let stopped_by_budget = out_of_time.is_some() && case.stopped();
            let reported = match out_of_time {
                Some(budget) if stopped_by_budget => Reported {
                    outcome: Outcome::NotRun,
                    message: out_of_time_message(budget, "stopped"),
                    millis: millis(case.time),
                },
                _ => Reported {
                    outcome: case.outcome,
                    message: case.message(limits.of(&case.binary, &case.name)),
                    millis: millis(case.time),
                },
            };
            self.graded.results.insert(
                (chapter.to_string(), target.to_owned(), case.name.clone()),
                reported,
            );
        }
        Ok(())
    }
}

/// A duration in whole milliseconds.
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Room for nextest to wind down past the longest it should take.
const WHOLE_RUN_MARGIN: Duration = Duration::from_secs(120);

/// Why a test of a student whose time ran out has no verdict: it was `stopped` or `not run`.
pub fn out_of_time_message(budget: Duration, what: &str) -> String {
    format!(
        "{what}: the submission used up its time ({} s for all its tests together); \
         tests that hang or spin take it from the others (is something waiting for itself?)",
        budget.as_secs()
    )
}

/// The paths of the extra tests' binaries, from nextest's list of binaries.
fn extra_binaries(list: &str) -> Result<Vec<PathBuf>> {
    let list: BinaryListSummary =
        serde_json::from_str(list).context("nextest's list of test binaries is not JSON")?;
    Ok(list
        .rust_binaries
        .into_values()
        .filter(|b| b.binary_name.starts_with(EXTRA_PREFIX))
        .map(|b| b.binary_path.into())
        .collect())
}

/// The output of a command run with a time limit.
struct Ran {
    success: bool,
    timed_out: bool,
    stdout: String,
    stderr: String,
}

impl Ran {
    /// The last lines cargo or nextest wrote to stderr, with the stage's path removed.
    fn stderr_tail(&self, stage: &Path) -> String {
        let lines: Vec<&str> = self.stderr.lines().collect();
        let tail = lines[lines.len().saturating_sub(8)..].join("\n");
        relative_paths(&tail, stage)
    }
}

/// Runs `cmd` with stdout and stderr going to files in `scratch` (named after `step`), and
/// kills it at the deadline.
fn run_limited(mut cmd: Command, limit: Duration, scratch: &Path, step: &str) -> Result<Ran> {
    let out_path = scratch.join(format!("{step}.out"));
    let err_path = scratch.join(format!("{step}.err"));
    let out = std::fs::File::create(&out_path)
        .with_context(|| format!("cannot create {}", out_path.display()))?;
    let err = std::fs::File::create(&err_path)
        .with_context(|| format!("cannot create {}", err_path.display()))?;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .with_context(|| format!("cannot start {step}: {cmd:?}"))?;
    let (status, timed_out) = match runner::wait_until(&mut child, Instant::now() + limit)? {
        Some(status) => (Some(status), false),
        None => {
            // Ask first (nextest stops its test processes on SIGTERM), then insist.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &child.id().to_string()])
                .stderr(Stdio::null())
                .status();
            if runner::wait_until(&mut child, Instant::now() + Duration::from_secs(10))?.is_none() {
                let _ = child.kill();
                let _ = child.wait();
            }
            (None, true)
        }
    };
    let read = |p: &Path| {
        std::fs::read(p)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    Ok(Ran {
        success: status.is_some_and(|s| s.success()),
        timed_out,
        stdout: read(&out_path),
        stderr: read(&err_path),
    })
}

/// What cargo's JSON messages say about a build.
#[derive(Debug, Default)]
struct BuildMessages {
    /// Chapter -> rendered compiler errors.
    errors: BTreeMap<String, String>,
    /// Chapters with at least one artifact built.
    compiled: BTreeSet<String>,
    /// Chapters with an artifact cargo did not compile again.
    fresh: BTreeSet<String>,
}

fn read_build(stdout: &str, stage: &Path, chapters: &[&Chapter]) -> Result<BuildMessages> {
    let mut found = BuildMessages::default();
    // A chapter's artifacts name its Cargo.toml; its compiler messages name the target's source.
    let chapter_of = |file: &Path| -> Option<String> {
        chapters
            .iter()
            .find(|c| file.starts_with(stage.join(&c.id)))
            .map(|c| c.id.to_string())
    };
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for message in Message::parse_stream(stdout.as_bytes()).flatten() {
        match message {
            Message::CompilerArtifact(artifact) => {
                let Some(chapter) = chapter_of(artifact.manifest_path.as_std_path()) else {
                    continue;
                };
                if artifact.fresh {
                    found.fresh.insert(chapter);
                } else {
                    found.compiled.insert(chapter);
                }
            }
            Message::CompilerMessage(msg) => {
                let Some(chapter) = chapter_of(msg.target.src_path.as_std_path()) else {
                    continue;
                };
                if msg.message.level == DiagnosticLevel::Error {
                    let text = relative_paths(&msg.message.rendered.unwrap_or_default(), stage);
                    let list = errors.entry(chapter).or_default();
                    if !list.contains(&text) {
                        list.push(text);
                    }
                }
            }
            _ => {}
        }
    }
    found.errors = errors
        .into_iter()
        .map(|(c, list)| (c, list.join("\n")))
        .collect();
    Ok(found)
}

/// The first target, other than an extra test, that cargo compiled (not fresh) in `stdout`.
fn recompiled_besides_extra(stdout: &str) -> Option<String> {
    Message::parse_stream(stdout.as_bytes())
        .flatten()
        .filter_map(|m| match m {
            Message::CompilerArtifact(a) if !a.fresh => Some(a.target.name),
            _ => None,
        })
        .find(|name| !name.starts_with(EXTRA_PREFIX))
}

/// Removes the stage's path from compiler messages, so paths read as they do in the submission
/// (`02-processes/src/lib.rs:3:5`).
pub fn relative_paths(text: &str, stage: &Path) -> String {
    let prefix = format!("{}/", stage.display());
    text.replace(&prefix, "")
}

/// Copies the course's exercises folder, without build output and hidden files, keeping each
/// file's modification time (so the shared crates stay compiled between students).
fn copy_pristine(from: &Path, to: &Path) -> Result<()> {
    for file in course_core::files::course_files(from)? {
        if !file.kind.is_file() {
            continue;
        }
        let dest = to.join(&file.rel);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::copy(&file.path, &dest)
            .with_context(|| format!("cannot copy {}", file.path.display()))?;
        let modified = std::fs::metadata(&file.path)
            .and_then(|m| m.modified())
            .with_context(|| format!("cannot read the time of {}", file.path.display()))?;
        set_mtime(&dest, modified)?;
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn write_executable(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    write_file(path, text.as_bytes())?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make {} executable", path.display()))
}

fn set_mtime(path: &Path, when: SystemTime) -> Result<()> {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .with_context(|| format!("cannot set the time of {}", path.display()))
}

/// Sets the modification time of every file under `dir` to `when`.
fn touch_tree(dir: &Path, when: SystemTime) -> Result<()> {
    for file in course_core::files::course_files(dir)? {
        if file.kind.is_file() {
            set_mtime(&file.path, when)?;
        }
    }
    Ok(())
}

/// Gives the student's user id a folder (`chown -R`).
pub fn chown_tree(dir: &Path, uid: u32) -> Result<()> {
    let status = Command::new("chown")
        .arg("-R")
        .arg(format!("{uid}:{uid}"))
        .arg(dir)
        .status()
        .context("cannot run chown")?;
    if !status.success() {
        bail!("chown -R {uid} {} failed", dir.display());
    }
    Ok(())
}

/// The stage's `.cargo/config.toml`: build offline, from the vendored dependencies.
fn cargo_config(vendor: &Path) -> Result<String> {
    #[derive(serde::Serialize)]
    struct Config {
        source: BTreeMap<&'static str, Source>,
        net: Net,
    }
    #[derive(serde::Serialize)]
    #[serde(rename_all = "kebab-case")]
    struct Source {
        #[serde(skip_serializing_if = "Option::is_none")]
        replace_with: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        directory: Option<PathBuf>,
    }
    #[derive(serde::Serialize)]
    struct Net {
        offline: bool,
    }
    let vendored = "vendored-sources";
    let config = Config {
        source: BTreeMap::from([
            (
                "crates-io",
                Source {
                    replace_with: Some(vendored),
                    directory: None,
                },
            ),
            (
                vendored,
                Source {
                    replace_with: None,
                    directory: Some(vendor.to_owned()),
                },
            ),
        ]),
        net: Net { offline: true },
    };
    let text = toml::to_string(&config).context("cannot write cargo's configuration")?;
    Ok(format!(
        "# Written by `cargo course grade`: build offline from the vendored dependencies.\n{text}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(id: &str) -> Chapter {
        Chapter {
            id: id.parse().expect("a chapter id"),
            title: "T".to_owned(),
            page: format!("{id}/index.md"),
            given: vec!["main.rs".to_owned()],
            exercises: Vec::new(),
        }
    }

    /// A course of one chapter whose files are dated 2001, as an old checkout or archive would
    /// leave them.
    fn dated_course(dir: &Path) -> Setup {
        let exercises = dir.join("exercises");
        for (rel, text) in [
            ("Cargo.toml", "[workspace]\n"),
            ("01-a/Cargo.toml", "[package]\nname = \"a\"\n"),
            ("01-a/src/lib.rs", "pub fn given() {}\n"),
            ("01-a/src/main.rs", "fn main() {}\n"),
            ("01-a/tests/t.rs", "#[test]\nfn t() {}\n"),
        ] {
            write_file(&exercises.join(rel), text.as_bytes()).unwrap();
            set_mtime(
                &exercises.join(rel),
                SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000),
            )
            .unwrap();
        }
        Setup {
            exercises,
            chapters: vec![chapter("01-a")],
            extra_tests: BTreeMap::new(),
            sandbox: crate::sandbox::Sandbox {
                walls: crate::sandbox::Walls::LimitsOnly,
                toolchain: "/nonexistent".into(),
                nextest: "/nonexistent".into(),
                vendor: dir.join("vendor"),
                exit_guard: dir.join("exit_guard.so"),
                limits: Default::default(),
                as_root: false,
            },
            test_threads: 1,
            host: "x86_64-unknown-linux-gnu".to_owned(),
        }
    }

    #[test]
    fn staging_dates_every_chapter_file_now_and_keeps_given_files() {
        let dir = tempfile::tempdir().unwrap();
        let setup = dated_course(dir.path());
        let cell = Cell {
            stage: dir.path().join("slot/exercises"),
            target: dir.path().join("slot/target"),
            uid: 61_000,
        };
        let student = BTreeMap::from([(
            "01-a".to_owned(),
            BTreeMap::from([
                ("lib.rs".to_owned(), b"pub fn mine() {}\n".to_vec()),
                ("main.rs".to_owned(), b"fn main() { cheat() }\n".to_vec()),
            ]),
        )]);
        let before = SystemTime::now();
        let mut notes = Vec::new();
        let staged_at = stage(&setup, &cell, &student, &mut notes).unwrap();
        assert!(staged_at >= before);
        // Every file of the chapter, the course's own included, is dated at staging time, so
        // cargo must compile the chapter again whatever it built before in this slot.
        for rel in ["src/lib.rs", "src/main.rs", "tests/t.rs", "Cargo.toml"] {
            let path = cell.stage.join("01-a").join(rel);
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            // Within the file system's timestamp resolution of the staging instant.
            assert!(
                modified + Duration::from_secs(2) >= before,
                "{rel}: {modified:?}"
            );
        }
        let read = |rel: &str| std::fs::read_to_string(cell.stage.join(rel)).unwrap();
        assert_eq!(read("01-a/src/lib.rs"), "pub fn mine() {}\n");
        assert_eq!(
            read("01-a/src/main.rs"),
            "fn main() {}\n",
            "a given file stays the course's"
        );
        assert_eq!(
            notes,
            ["01-a/src/main.rs: given by the course; your changes to it were not used"]
        );
        assert!(read(".cargo/config.toml").contains("vendored-sources"));
    }

    #[test]
    fn cargo_messages_give_errors_fresh_and_compiled_chapters() {
        let stage = Path::new("/stage/exercises");
        let (a, b, c) = (chapter("01-a"), chapter("02-b"), chapter("03-c"));
        // Lines in the shape cargo 1.95 writes them (`--message-format=json`).
        let target = |dir: &str| {
            serde_json::json!({
                "kind": ["lib"], "crate_types": ["lib"], "name": dir,
                "src_path": format!("/stage/exercises/{dir}/src/lib.rs"),
                "edition": "2024", "doc": true, "doctest": true, "test": true
            })
        };
        let artifact = |dir: &str, fresh: bool| {
            serde_json::json!({
                "reason": "compiler-artifact",
                "package_id": format!("path+file:///stage/exercises/{dir}#0.1.0"),
                "manifest_path": format!("/stage/exercises/{dir}/Cargo.toml"),
                "target": target(dir),
                "profile": {"opt_level": "0", "debuginfo": 0, "debug_assertions": true,
                            "overflow_checks": true, "test": false},
                "features": [], "filenames": [], "executable": null, "fresh": fresh
            })
            .to_string()
        };
        let error = serde_json::json!({
            "reason": "compiler-message",
            "package_id": "path+file:///stage/exercises/03-c#0.1.0",
            "manifest_path": "/stage/exercises/03-c/Cargo.toml",
            "target": target("03-c"),
            "message": {"rendered": "error: x\n --> /stage/exercises/03-c/src/lib.rs:1:1",
                        "$message_type": "diagnostic", "children": [], "level": "error",
                        "message": "x", "spans": [], "code": null}
        })
        .to_string();
        let out = [
            artifact("01-a", false),
            artifact("02-b", true),
            error,
            artifact("test-support", true),
            "not json".to_owned(),
        ]
        .join("\n");
        let found = read_build(&out, stage, &[&a, &b, &c]).unwrap();
        assert_eq!(found.compiled, BTreeSet::from(["01-a".to_owned()]));
        assert_eq!(
            found.fresh,
            BTreeSet::from(["02-b".to_owned()]),
            "a reused chapter is caught"
        );
        assert_eq!(found.errors["03-c"], "error: x\n --> 03-c/src/lib.rs:1:1");
    }
}
