//! `cargo course ...` from inside `exercises/`.
//!
//! `exercises/` is a workspace of its own, so the alias `run -p course` finds this package rather
//! than the real tool in `crates/course`. This launcher only forwards: it runs the real tool with
//! the same arguments and the same working directory, so the tool sees where the learner stands.
//! The real tool is not a member here because its dependencies (mdBook and friends) would then
//! land in every learner's build.

use std::env;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tool = repo.join("crates/course/Cargo.toml");
    if !tool.is_file() {
        eprintln!(
            "error: {} not found: `cargo course` needs the whole repository, not just exercises/. \
             Clone the book's repository and run it from there.",
            tool.display()
        );
        return ExitCode::from(2);
    }
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "-q", "--manifest-path"])
        .arg(&tool)
        .arg("--")
        .args(env::args_os().skip(1))
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(err) => {
            eprintln!(
                "error: could not start cargo to run {}: {err}",
                tool.display()
            );
            ExitCode::from(2)
        }
    }
}
