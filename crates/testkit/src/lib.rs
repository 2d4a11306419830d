//! What the course tools' integration tests share: the fixture course `fixtures/mini` copied
//! into a temp dir (in the manner of mdBook's test suite), copying helpers, and [`require`] for
//! tests that need a system tool.

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
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mini")
}

/// The target directory for a copied course: inside the copy. Copies must not share one: cargo
/// hashes a path package by its path relative to its workspace, so two copies of the same course
/// would write the same artifacts and one copy's build could stand in for the other's.
pub fn target_dir(root: &Path) -> PathBuf {
    root.join("target")
}

/// Copies `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    copy_dir_skipping(from, to, &[]);
}

/// Copies `from` into `to`, recursively, leaving out every entry (at any depth) whose name is in
/// `skip`: a copy of the course as an instructor hands it out, without `target` or `.git`.
/// Hidden files such as `.cargo/config.toml` are copied.
pub fn copy_dir_skipping(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder to copy") {
        let entry = entry.expect("a folder entry");
        if skip.iter().any(|s| entry.file_name() == *s) {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir_skipping(&entry.path(), &target, skip);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
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
/// folders and hidden files (the course's own rule, `course_core::files::course_files`).
pub fn copy_dir_without_target(from: &Path, to: &Path) {
    for file in course_core::files::course_files(from).expect("list a folder") {
        let target = to.join(&file.rel);
        std::fs::create_dir_all(target.parent().expect("a file")).expect("create a folder");
        std::fs::copy(&file.path, &target).expect("copy a file");
    }
}

/// Replaces every `todo!(...)` in `path`, or in the files under it, with `with`, and says how
/// many it replaced, so a fixture that changes nothing can be caught.
pub fn replace_todos(path: &Path, with: &str) -> usize {
    if path.is_dir() {
        return std::fs::read_dir(path)
            .unwrap()
            .map(|entry| replace_todos(&entry.unwrap().path(), with))
            .sum();
    }
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    let mut rest = text.as_str();
    let mut replaced = 0;
    while let Some(i) = rest.find("todo!(") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "todo!(".len()..];
        let mut depth = 1;
        let end = after
            .char_indices()
            .find_map(|(j, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(j)
            })
            .expect("a closed todo!(...)");
        out.push_str(with);
        rest = &after[end + 1..];
        replaced += 1;
    }
    out.push_str(rest);
    std::fs::write(path, out).unwrap();
    replaced
}

/// A system tool that some tests need, and that a machine with only a Rust toolchain and a C
/// compiler lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// bubblewrap, the grader's sandbox.
    Bubblewrap,
    /// cargo-nextest, the grader's test runner.
    Nextest,
    /// Chromium, which the book's browser test drives headless.
    Chromium,
}

impl Tool {
    /// The program's name on PATH.
    pub fn program(self) -> &'static str {
        match self {
            Tool::Bubblewrap => "bwrap",
            Tool::Nextest => "cargo-nextest",
            Tool::Chromium => "chromium",
        }
    }

    /// How to install it.
    pub fn install(self) -> &'static str {
        match self {
            Tool::Bubblewrap => "`sudo apt-get install bubblewrap`",
            Tool::Nextest => "`cargo install cargo-nextest --locked`",
            Tool::Chromium => "`sudo apt-get install --no-install-recommends chromium`",
        }
    }
}

/// Whether the tools `test` needs are on PATH. When one is missing the test should return at
/// once: this prints one line saying that `test` did not run and how to install what it needs,
/// straight to the terminal (libtest hides what a passing test prints). Under `CI=true` a
/// missing tool fails the test instead, so CI always runs it.
pub fn require(test: &str, tools: &[Tool]) -> bool {
    use std::io::Write as _;
    let missing: Vec<Tool> = tools
        .iter()
        .copied()
        .filter(|t| course_core::runner::find_program(t.program()).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let how = missing
        .iter()
        .map(|t| format!("{} ({})", t.program(), t.install()))
        .collect::<Vec<_>>()
        .join(" and ");
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test} needs {how}, and CI=true: install them, as .ci/run does"
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test} did not run, because it needs {how}"
    );
    false
}
