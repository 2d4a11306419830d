//! The walls around a student's code: bubblewrap, a user id of its own, and resource limits.
//!
//! A submission is a program written by someone who may want a better grade than it earns. Its
//! code runs twice: when it compiles (`include_str!("/anything")` reads files at build time) and
//! when its tests run. Both happen inside a bubblewrap sandbox that sees only the toolchain, the
//! vendored dependencies and the student's own staged copy, with no network, its own process and
//! IPC namespaces, and a private `/tmp`. Inside, the grader drops to a user id of its own (one per
//! grading slot, so one student's fork bomb cannot use up another's process limit) and applies
//! `prlimit` limits on processes, memory and file size.
//!
//! Tests are run by cargo-nextest *outside* the sandbox, one process per test, through a small
//! runner script that puts each test process inside it. So the runner's results (pass, fail,
//! timeout) live where no test can reach them, and an exit guard (`exit_guard.c`, preloaded into
//! each test) turns a faked `exit(0)` into a failure.

use crate::limits;
use anyhow::{Context, Result, bail};
use course_core::runner::find_program;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The C source of the exit guard; compiled with the system's C compiler once per run.
const EXIT_GUARD_C: &str = include_str!("exit_guard.c");

/// The exit status the guard gives a test process that ended itself with status 0 too early.
pub const EARLY_EXIT: i32 = 97;

/// Where the nextest binary is mounted inside the sandbox.
const TOOLS_DIR: &str = "/opt/course-grader/bin";

/// Resource limits for one sandboxed command.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Processes and threads the student's user id may have at once.
    pub processes: u64,
    /// Address space of one process, in bytes.
    pub memory: u64,
    /// Largest file one process may write, in bytes.
    pub file_size: u64,
    /// Size of the private `/tmp`, in bytes.
    pub tmp_size: u64,
    /// Output kept from one test process, in bytes; the rest is cut off.
    pub output: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            processes: limits::PROCESSES,
            memory: limits::MEMORY_BYTES,
            file_size: limits::FILE_BYTES,
            tmp_size: limits::TMP_BYTES,
            output: limits::OUTPUT_BYTES,
        }
    }
}

/// How the student's code is contained.
#[derive(Debug, Clone)]
pub enum Walls {
    /// Inside bubblewrap (the normal case).
    Bubblewrap { bwrap: PathBuf },
    /// Only the resource limits and the separate user id: `--no-sandbox`.
    LimitsOnly,
}

/// Everything needed to run a command as a student: the walls, the tools to mount, the limits.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// bubblewrap or limits only.
    pub walls: Walls,
    /// The Rust toolchain's sysroot (`rustc --print sysroot`), mounted read-only.
    pub toolchain: PathBuf,
    /// The cargo-nextest binary, mounted read-only for listing tests.
    pub nextest: PathBuf,
    /// The vendored dependencies, mounted read-only.
    pub vendor: PathBuf,
    /// The compiled exit guard.
    pub exit_guard: PathBuf,
    /// The limits.
    pub limits: Limits,
    /// Whether the grader runs as root and can give students a user id of their own.
    pub as_root: bool,
}

/// One student's place: their staged workspace and their target directory.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The staged copy of `exercises/` (the workspace root).
    pub stage: PathBuf,
    /// The target directory for its build.
    pub target: PathBuf,
    /// The user id the student's code runs as (used when the grader is root).
    pub uid: u32,
}

/// Which phase a command belongs to: building may write the target dir, testing may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// cargo builds and lists the tests: stage and target writable.
    Build,
    /// One test process: everything read-only but its private `/tmp`.
    Test,
}

impl Sandbox {
    /// Finds bubblewrap (unless `no_sandbox`), the toolchain, nextest and a C compiler, and
    /// compiles the exit guard into `work`. Every missing tool is an error that says how to get it.
    pub fn prepare(work: &Path, vendor: &Path, no_sandbox: bool) -> Result<Sandbox> {
        let walls = if no_sandbox {
            Walls::LimitsOnly
        } else {
            let bwrap = find_program("bwrap").context(
                "bubblewrap (`bwrap`) is not installed, and grading runs students' code inside it; \
                 install it with `apt-get install bubblewrap` (Debian/Ubuntu) or `dnf install bubblewrap` \
                 (Fedora), or pass --no-sandbox to grade without it (only where each submission \
                 already runs in its own container)",
            )?;
            check_bwrap(&bwrap)?;
            Walls::Bubblewrap { bwrap }
        };
        for tool in ["setpriv", "prlimit"] {
            find_program(tool).with_context(|| {
                format!(
                    "`{tool}` is not installed; it is part of util-linux (`apt-get install util-linux`)"
                )
            })?;
        }
        let toolchain = sysroot()?;
        let nextest = find_program("cargo-nextest").context(
            "cargo-nextest is not installed; install it with `cargo install cargo-nextest --locked` \
             (or see https://nexte.st)",
        )?;
        let exit_guard = compile_exit_guard(work)?;
        if no_sandbox && is_root() {
            // Without bubblewrap the students' user ids see the real folders, so the way to the
            // work folder and the tools must be open to them.
            for dir in [work, toolchain.as_path(), nextest.parent().unwrap_or(work)] {
                reachable_by_others(dir)?;
            }
        }
        Ok(Sandbox {
            walls,
            toolchain,
            nextest,
            vendor: vendor.to_owned(),
            exit_guard,
            limits: Limits::default(),
            as_root: is_root(),
        })
    }

    /// The command line that runs `program` as the student of `cell`, in `phase`, without the
    /// program itself: append the program and its arguments.
    pub fn prefix(&self, cell: &Cell, phase: Phase) -> Vec<OsString> {
        let mut argv: Vec<OsString> = Vec::new();
        if let Walls::Bubblewrap { bwrap } = &self.walls {
            argv.push(bwrap.into());
            argv.extend(self.bwrap_args(cell, phase));
            argv.push("--".into());
        }
        if self.as_root {
            argv.extend(
                [
                    "setpriv".to_owned(),
                    format!("--reuid={}", cell.uid),
                    format!("--regid={}", cell.uid),
                    "--clear-groups".to_owned(),
                    "--inh-caps=-all".to_owned(),
                    "--bounding-set=-all".to_owned(),
                ]
                .map(OsString::from),
            );
        }
        let l = &self.limits;
        argv.extend(
            [
                "prlimit".to_owned(),
                format!("--nproc={}", l.processes),
                format!("--as={}", l.memory),
                format!("--fsize={}", l.file_size),
                "--core=0".to_owned(),
                "--".to_owned(),
            ]
            .map(OsString::from),
        );
        argv
    }

    fn bwrap_args(&self, cell: &Cell, phase: Phase) -> Vec<OsString> {
        let mut a = Args::default();
        a.flags(&[
            "--unshare-ipc",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent",
            "--new-session",
        ]);
        if !self.as_root {
            a.flags(&["--unshare-user"]);
        }
        a.flags(&["--hostname", "grader"]);
        a.pair("--ro-bind", "/usr", "/usr");
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64"] {
            let path = Path::new(top);
            match std::fs::read_link(path) {
                Ok(points_to) => a.pair("--symlink", points_to, path),
                Err(_) if path.is_dir() => a.pair("--ro-bind", path, path),
                Err(_) => {}
            }
        }
        a.pair("--ro-bind", "/etc", "/etc");
        a.one("--proc", "/proc");
        if phase == Phase::Test {
            // No writing to /proc/self/mem (or anything else there) from a test.
            a.one("--remount-ro", "/proc");
        }
        a.one("--dev", "/dev");
        a.flags(&["--perms", "1777", "--size"]);
        a.push(self.limits.tmp_size.to_string());
        a.one("--tmpfs", "/tmp");

        let writable = phase == Phase::Build;
        let mut mounts: Vec<(&Path, &Path, bool)> = vec![
            (&self.toolchain, &self.toolchain, false),
            (&cell.stage, &cell.stage, writable),
            (&cell.target, &cell.target, writable),
        ];
        let tools = Path::new(TOOLS_DIR).join("cargo-nextest");
        match phase {
            Phase::Build => {
                mounts.push((&self.vendor, &self.vendor, false));
                mounts.push((&self.nextest, &tools, false));
            }
            Phase::Test => mounts.push((&self.exit_guard, &self.exit_guard, false)),
        }
        // bubblewrap creates missing parent folders as 0700, which the student's user id could
        // not enter; create them first, world-readable.
        let mut made: Vec<PathBuf> = Vec::new();
        for (_, dest, _) in &mounts {
            for dir in dest
                .ancestors()
                .skip(1)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                let covered = ["/", "/usr", "/etc", "/proc", "/dev"]
                    .iter()
                    .any(|m| dir == Path::new(m) || (*m != "/" && dir.starts_with(m)));
                if covered || made.iter().any(|d| d == dir) {
                    continue;
                }
                a.flags(&["--perms", "0755"]);
                a.one("--dir", dir);
                made.push(dir.to_owned());
            }
        }
        for (src, dest, rw) in &mounts {
            a.pair(if *rw { "--bind" } else { "--ro-bind" }, src, dest);
        }

        if phase == Phase::Build {
            a.flags(&["--clearenv"]);
        }
        // In the test phase the environment comes from nextest (CARGO_MANIFEST_DIR, NEXTEST_*),
        // which the grader starts with a clean one; these override the rest.
        for (key, value) in self.environment(cell) {
            a.pair("--setenv", key, value);
        }
        if phase == Phase::Build {
            a.one("--chdir", &cell.stage);
        }
        a.0
    }

    /// The settings of the nextest target runner ([`RUNNER_SCRIPT`]) for `cell`, as bash
    /// arrays: the sandbox's command line split where bubblewrap's own options end (the masks
    /// of the `hidden` binaries go there), the exit guard, the output limit, and a kill after
    /// `timeout` plus 30 s. The `hidden` binaries are the instructor's extra tests, whose
    /// contents stay private: every test process but their own sees them as empty files.
    pub fn runner_args(&self, cell: &Cell, hidden: &[PathBuf], timeout: Duration) -> String {
        let q = |p: &std::ffi::OsStr| shell_quote(&p.to_string_lossy());
        let array = |name: &str, words: &[OsString]| {
            let words: Vec<String> = words.iter().map(|w| q(w)).collect();
            format!("{name}=({})\n", words.join(" "))
        };
        let prefix = self.prefix(cell, Phase::Test);
        // bubblewrap's own options end at the first `--`; without it, nothing is hidden by
        // mounts (the binaries are unreadable to the student's user id instead).
        let (walls, inside, hidden): (&[OsString], &[OsString], Vec<OsString>) = match self.walls {
            Walls::Bubblewrap { .. } => {
                let at = prefix
                    .iter()
                    .position(|a| a == "--")
                    .unwrap_or(prefix.len());
                let hidden = hidden.iter().map(|p| p.clone().into_os_string()).collect();
                (&prefix[..at], &prefix[at..], hidden)
            }
            Walls::LimitsOnly => (&prefix[..], &[], Vec::new()),
        };
        let mut text = String::from("# Written by `cargo course grade`: settings for runner.sh.\n");
        text.push_str(&format!("kill_after={}\n", timeout.as_secs() + 30));
        text.push_str(&array("walls", walls));
        text.push_str(&array("inside", inside));
        text.push_str(&array("hidden", &hidden));
        text.push_str(&format!("exit_guard={}\n", q(self.exit_guard.as_os_str())));
        text.push_str(&format!("output_limit={}\n", self.limits.output));
        text
    }

    /// A `Command` running `program args` as the student of `cell` in the build phase.
    pub fn command(&self, cell: &Cell, program: &str, args: &[&str]) -> Command {
        let mut argv = self.prefix(cell, Phase::Build);
        argv.push(program.into());
        argv.extend(args.iter().map(OsString::from));
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]).current_dir(&cell.stage);
        if matches!(self.walls, Walls::LimitsOnly) {
            // Without bubblewrap, set the same environment it would.
            cmd.env_clear().envs(self.environment(cell));
        }
        cmd
    }

    /// The environment the student's code gets: the one list, for bubblewrap's `--setenv` and
    /// for a plain command alike. Only the places differ: inside bubblewrap the tools and a
    /// private `/tmp` are at fixed paths; without it, the real ones.
    fn environment(&self, cell: &Cell) -> Vec<(&'static str, OsString)> {
        let (tools, home, cargo_home) = match self.walls {
            Walls::Bubblewrap { .. } => (
                PathBuf::from(TOOLS_DIR),
                PathBuf::from("/tmp"),
                PathBuf::from("/tmp/cargo-home"),
            ),
            Walls::LimitsOnly => (
                self.nextest.parent().unwrap_or(Path::new("/")).to_owned(),
                cell.target.join("home"),
                cell.target.join("home/cargo"),
            ),
        };
        let path = format!(
            "{}:{}:/usr/local/bin:/usr/bin:/bin",
            self.toolchain.join("bin").display(),
            tools.display()
        );
        vec![
            ("PATH", path.into()),
            ("HOME", home.into()),
            ("TMPDIR", "/tmp".into()),
            ("CARGO_HOME", cargo_home.into()),
            ("CARGO_TARGET_DIR", cell.target.clone().into()),
            ("CARGO_TERM_COLOR", "never".into()),
            ("CARGO_INCREMENTAL", "0".into()),
            // No debug info: panics still name file and line, and linking is faster.
            ("CARGO_PROFILE_DEV_DEBUG", "0".into()),
            ("RUST_BACKTRACE", "0".into()),
            ("INSTA_UPDATE", "no".into()),
            ("CI", "true".into()),
        ]
    }
}

/// Arguments for bubblewrap, built up in order.
#[derive(Default)]
struct Args(Vec<OsString>);

impl Args {
    fn push(&mut self, s: impl Into<OsString>) {
        self.0.push(s.into());
    }
    fn flags(&mut self, flags: &[&str]) {
        self.0.extend(flags.iter().map(OsString::from));
    }
    fn one(&mut self, flag: &str, value: impl AsRef<std::ffi::OsStr>) {
        self.push(flag);
        self.push(value.as_ref());
    }
    fn pair(&mut self, flag: &str, a: impl AsRef<std::ffi::OsStr>, b: impl AsRef<std::ffi::OsStr>) {
        self.push(flag);
        self.push(a.as_ref());
        self.push(b.as_ref());
    }
}

/// nextest's target runner: one test process in the sandbox. Its settings are written beside it
/// by [`Sandbox::runner_args`].
pub const RUNNER_SCRIPT: &str = include_str!("runner.sh");

/// Quotes `s` for bash, in single quotes.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn is_root() -> bool {
    // The owner of a file we just created is our effective user id.
    let Ok(dir) = tempfile::tempdir() else {
        return false;
    };
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir.path()).is_ok_and(|m| m.uid() == 0)
}

/// Fails unless every folder above `dir` (and `dir`) lets other users pass (`o+x`).
fn reachable_by_others(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for d in dir.ancestors() {
        let mode = std::fs::metadata(d)
            .with_context(|| format!("cannot read {}", d.display()))?
            .permissions()
            .mode();
        if mode & 0o001 == 0 {
            bail!(
                "{} is closed to other users (mode {:o}), so students' code, which runs under \
                 a user id of its own, cannot reach {}; run `chmod o+x {}`, or install the tool (or \
                 put the --work folder) where other users can reach it, e.g. under /usr/local",
                d.display(),
                mode & 0o777,
                dir.display(),
                d.display()
            );
        }
    }
    Ok(())
}

/// Makes sure bubblewrap can create its namespaces here (it cannot inside some containers).
fn check_bwrap(bwrap: &Path) -> Result<()> {
    let mut cmd = Command::new(bwrap);
    if !is_root() {
        cmd.arg("--unshare-user");
    }
    let out = cmd
        .args([
            "--unshare-pid",
            "--unshare-net",
            "--ro-bind",
            "/",
            "/",
            "--",
            "true",
        ])
        .output()
        .with_context(|| format!("cannot run {}", bwrap.display()))?;
    if !out.status.success() {
        bail!(
            "bubblewrap is installed but cannot make a sandbox here ({}); run the grader where \
             namespaces are allowed, or pass --no-sandbox where each submission already runs in a \
             container of its own",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// The toolchain's sysroot, from `rustc --print sysroot`.
fn sysroot() -> Result<PathBuf> {
    Ok(PathBuf::from(rustc(&["--print", "sysroot"])?.trim()))
}

/// What `rustc ARGS` prints; an error that says how to install Rust when it cannot run.
pub fn rustc(args: &[&str]) -> Result<String> {
    let out = Command::new("rustc")
        .args(args)
        .output()
        .context("cannot run `rustc`; install Rust with rustup (https://rustup.rs)")?;
    if !out.status.success() {
        bail!(
            "`rustc {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Compiles the exit guard into `work/exit_guard.so`.
fn compile_exit_guard(work: &Path) -> Result<PathBuf> {
    let source = work.join("exit_guard.c");
    let library = work.join("exit_guard.so");
    std::fs::write(&source, EXIT_GUARD_C)
        .with_context(|| format!("cannot write {}", source.display()))?;
    let out = Command::new("cc")
        .args(["-shared", "-fPIC", "-O2", "-o"])
        .arg(&library)
        .arg(&source)
        .arg("-ldl")
        .output()
        .context("cannot run the C compiler `cc`; install gcc (`apt-get install gcc`)")?;
    if !out.status.success() {
        bail!(
            "cannot compile {}: {}",
            source.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(library)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sandbox() -> Sandbox {
        Sandbox {
            walls: Walls::Bubblewrap {
                bwrap: "/usr/bin/bwrap".into(),
            },
            toolchain: "/root/.rustup/toolchains/stable".into(),
            nextest: "/usr/local/bin/cargo-nextest".into(),
            vendor: "/g/work/vendor".into(),
            exit_guard: "/g/work/exit_guard.so".into(),
            limits: Limits::default(),
            as_root: true,
        }
    }

    /// The mount flag given to `path` (`--bind`, `--ro-bind`), if any.
    fn mount_of(args: &[String], path: &str) -> Option<String> {
        args.windows(3)
            .find(|w| w[0].ends_with("bind") && w[2] == path)
            .map(|w| w[0].clone())
    }

    #[test]
    fn tests_see_their_copy_read_only_and_the_build_may_write_it() {
        let cell = Cell {
            stage: "/g/work/slots/0/exercises".into(),
            target: "/g/work/slots/0/target".into(),
            uid: 61_000,
        };
        let sb = sandbox();
        let args = |phase| -> Vec<String> {
            sb.prefix(&cell, phase)
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect()
        };
        let (build, test) = (args(Phase::Build), args(Phase::Test));
        for a in [&build, &test] {
            for flag in [
                "--unshare-net",
                "--unshare-pid",
                "--die-with-parent",
                "--reuid=61000",
            ] {
                assert!(a.iter().any(|x| x == flag), "{flag} missing: {a:?}");
            }
            assert!(a.iter().any(|x| x.starts_with("--nproc=")), "{a:?}");
            assert_eq!(mount_of(a, "/"), None, "the host's root is never mounted");
        }
        let stage = "/g/work/slots/0/exercises";
        assert_eq!(mount_of(&build, stage).as_deref(), Some("--bind"));
        assert_eq!(mount_of(&test, stage).as_deref(), Some("--ro-bind"));
        assert_eq!(
            mount_of(&test, "/g/work/slots/0/target").as_deref(),
            Some("--ro-bind")
        );
        assert_eq!(
            mount_of(&build, "/g/work/vendor").as_deref(),
            Some("--ro-bind")
        );
        assert_eq!(
            mount_of(&test, "/g/work/vendor"),
            None,
            "tests need no sources"
        );
        // Folders on the way to the mounts are made world-readable, or uid 61000 could not
        // enter them.
        let slots = build
            .windows(4)
            .any(|w| w == ["--perms", "0755", "--dir", "/g/work/slots"]);
        assert!(slots, "{build:?}");
        let hidden = PathBuf::from("/g/work/slots/0/target/debug/deps/extra_x-1");
        let args = sb.runner_args(
            &cell,
            std::slice::from_ref(&hidden),
            Duration::from_secs(60),
        );
        assert!(args.contains("kill_after=90\n"), "{args}");
        assert!(args.contains("walls=('/usr/bin/bwrap' "), "{args}");
        assert!(args.contains("inside=('--' 'setpriv'"), "{args}");
        assert!(
            args.contains("hidden=('/g/work/slots/0/target/debug/deps/extra_x-1')"),
            "{args}"
        );
        assert!(
            args.contains("exit_guard='/g/work/exit_guard.so'"),
            "{args}"
        );
        assert!(args.contains("output_limit=262144"), "{args}");
    }

    #[test]
    fn quotes_survive_bash() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
