//! Helpers shared by this chapter's test files (each file uses some of them).
#![allow(dead_code)]

pub mod contract;

use std::fs;
use std::io::ErrorKind;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use test_support::{Deadline, sample_bytes, within};

/// How many files the test folder holds: the notes' 100.
pub const FILES: usize = 100;

/// The size of file `i` of the test folder: the edge cases around one 1024-byte chunk first
/// (empty, 1 byte, one byte short of a chunk, a chunk, one byte over), then sizes spread below
/// 20 KiB (the largest is 16 681 bytes).
pub fn size_of(i: usize) -> usize {
    const EDGES: [usize; 5] = [0, 1, 1023, 1024, 1025];
    EDGES.get(i).copied().unwrap_or((i * 4099) % 20_480)
}

/// The name of file `i`: `file-000.bin` .. `file-099.bin`.
pub fn name_of(i: usize) -> String {
    format!("file-{i:03}.bin")
}

/// Fills the existing folder `dir` with the 100 test files and returns their total size.
pub fn make_tree(dir: &Path) -> u64 {
    let mut total = 0;
    for i in 0..FILES {
        let len = size_of(i);
        fs::write(dir.join(name_of(i)), sample_bytes(i as u64, len)).expect("write a test file");
        total += len as u64;
    }
    total
}

/// A new temporary folder holding the folder `src` with the 100 test files; `dst` is a path
/// next to it that does not exist yet. Returns `(temp, src, dst, total bytes)`; the folder is
/// removed when `temp` is dropped.
pub fn tree() -> (tempfile::TempDir, PathBuf, PathBuf, u64) {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let src = temp.path().join("src");
    fs::create_dir(&src).expect("create the source folder");
    let total = make_tree(&src);
    let dst = temp.path().join("dst");
    (temp, src, dst, total)
}

/// Adds two entries to `src` that cannot be copied as files: `broken-link`, a symbolic link to
/// nothing (opening it fails), and `a-folder`, a folder where a file is expected (opening it
/// works, reading it fails, so a half-made copy has to be cleaned up). Tests may run as root, and
/// then a `chmod 000` file would still be readable; these two fail for root too.
pub fn add_bad_entries(src: &Path) {
    symlink(src.join("no-such-file"), src.join("broken-link")).expect("make a dangling symlink");
    fs::create_dir(src.join("a-folder")).expect("make a folder");
}

/// Runs `work` on another thread with `test_support::within`, but returns a panic (from the work
/// or from the timeout) instead of passing it on, so that the test can first check a condition
/// that explains the failure better.
pub fn attempt<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::thread::Result<T> {
    panic::catch_unwind(AssertUnwindSafe(|| within(what, work)))
}

/// Counts the jobs that are running, and remembers the most that ever ran at once.
#[derive(Default)]
pub struct Running {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Running {
    pub fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
    }

    pub fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }

    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

/// Writes the shell script `text` to `path` and makes it executable, ready to be a pool's
/// stand-in worker program.
pub fn install_script(path: &Path, text: &str) {
    fs::write(path, text).expect("write the test's worker script");
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("make it executable");
    // Another test thread may have started a process while the script was still open for
    // writing; until that process has started its own program, the script cannot be run
    // ("Text file busy"). Run it once (with no arguments a stand-in worker exits at once), to be
    // sure it can be.
    let deadline = Deadline::from_now();
    loop {
        match Command::new(path).stdin(Stdio::null()).status() {
            Err(e)
                if e.kind() == ErrorKind::ExecutableFileBusy && !deadline.remaining().is_zero() =>
            {
                std::thread::yield_now();
            }
            Err(e) => panic!("cannot run the test's worker script: {e}"),
            Ok(_) => break,
        }
    }
}

/// `path` as a word for a shell script, in single quotes.
pub fn shell_word(path: &Path) -> String {
    let text = path.to_str().expect("a test path is UTF-8");
    assert!(
        !text.contains('\''),
        "a test path has no single quote: {text}"
    );
    format!("'{text}'")
}

/// `/proc/thread-self/status` names the thread that reads it: Linux gives each reader the
/// status of its own thread. A symbolic link to it is a "regular file" to `fs::metadata` (of 0
/// bytes), so a copy of the link records which thread, in which process, made the copy.
pub const THREAD_SELF: &str = "/proc/thread-self/status";

/// Who read [`THREAD_SELF`]: the fields of a thread's status that say which thread it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    /// The thread's name (`Name:`), cut to 15 bytes by Linux, such as `copier-3`.
    pub name: String,
    /// The process (`Tgid:`).
    pub process: u32,
    /// The thread (`Pid:`, the thread id; the process's own id for its first thread).
    pub thread: u32,
    /// The process's parent (`PPid:`).
    pub parent: u32,
}

impl Reader {
    /// Reads the fields from the text of a status file; `None` if one is missing.
    pub fn parse(status: &str) -> Option<Reader> {
        let field = |key: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
                .map(str::trim)
        };
        let number = |key: &str| field(key)?.parse().ok();
        Some(Reader {
            name: field("Name")?.to_owned(),
            process: number("Tgid")?,
            thread: number("Pid")?,
            parent: number("PPid")?,
        })
    }

    /// The thread that calls it.
    pub fn me() -> Reader {
        let status = fs::read_to_string(THREAD_SELF).expect("read /proc/thread-self/status");
        Reader::parse(&status).expect("a thread's status names it")
    }
}
