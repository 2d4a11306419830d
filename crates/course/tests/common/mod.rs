//! Helpers shared by the course tool's integration tests.

#![allow(dead_code)] // each test file uses a different part

use std::path::{Path, PathBuf};

/// A fresh copy of the fixture course `tests/fixtures/mini` in a temporary folder, so tests can
/// change it freely.
pub fn mini_course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&fixture(), dir.path());
    dir
}

/// The fixture course in the repository (never modified).
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

/// The target directory for a copied course: inside the copy. Copies must not share one: cargo
/// hashes a path package by its path relative to its workspace, so two copies of the same course
/// would write the same artifacts and one copy's build could stand in for the other's.
pub fn target_dir(root: &Path) -> PathBuf {
    root.join("target")
}

/// Copies `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a fixture folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// Overwrites a file in the copied course.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a file")).expect("create a folder");
    std::fs::write(path, text).expect("write a file");
}

/// Copies `from` into `to` as a student would hand it in: the course's files, without `target/`
/// folders and hidden files (the grader's own rule, `course::grade::course_files`).
pub fn copy_dir_without_target(from: &Path, to: &Path) {
    for file in course::grade::course_files(from).expect("list a folder") {
        let target = to.join(&file.rel);
        std::fs::create_dir_all(target.parent().expect("a file")).expect("create a folder");
        std::fs::copy(&file.path, &target).expect("copy a file");
    }
}
