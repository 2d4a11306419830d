//! The authors' and instructors' commands, handed to the repository's own tool.
//!
//! `book`, `check` and `grade` need mdBook, the reference solutions and the grader, none of which
//! belong in a learner's build. From inside `exercises/` this tool passes them, with the same
//! arguments and working directory, to `crates/cli` next door; in a copy of `exercises/` handed
//! out alone it says in one line what is missing and where to get it.

use anyhow::{Context, Result, bail};
use course_core::layout::{find_exercises, repo_root};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The instructors' tool's manifest, relative to the repository root.
pub const TOOL_MANIFEST: &str = "crates/cli/Cargo.toml";

/// The repository that holds the learner's exercises folder: the one found from the current
/// folder, else the one this tool was built in.
pub fn repository() -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| find_exercises(&cwd))
        .and_then(|exercises| exercises.parent().map(PathBuf::from))
        .unwrap_or_else(repo_root)
}

/// Runs `cargo course <command> <args>` with the repository's own tool.
pub fn run(command: &str, args: &[OsString]) -> Result<ExitCode> {
    let repo = repository();
    let tool = repo.join(TOOL_MANIFEST);
    if !tool.is_file() {
        bail!(
            "`cargo course {command}` is an author's or instructor's command and needs the course repository's \
             crates/ folder, which {} does not have: get the whole repository (book.toml, crates/, exercises/, \
             solutions/) and run it there",
            repo.display()
        );
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "-q", "--manifest-path"])
        .arg(&tool)
        .arg("--")
        .arg(command)
        .args(args)
        .status()
        .with_context(|| format!("cannot start cargo to run {}", tool.display()))?;
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}
