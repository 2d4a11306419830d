//! Helpers shared by this chapter's test files (each file uses some of them).
#![allow(dead_code)]

pub mod contract;

use std::fs;
use std::os::unix::fs::symlink;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use test_support::{sample_bytes, within};

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
