//! `cargo course` inside `exercises/`: the learner's commands, and a hand-off of the authors'
//! and instructors' ones to the repository's tool.

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::process::ExitCode;

/// The learner's companion for "Multitasking in Rust": see which exercises pass and get hints.
///
/// Run it as `cargo course ...` anywhere inside `exercises/`. The authors' and instructors'
/// commands (book, check, grade) need the whole repository and run its own tool.
#[derive(Debug, Parser)]
#[command(name = "cargo course", bin_name = "cargo course", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Learner(course::Command),
    /// Build the book and serve it (needs the whole repository; `cargo course book --help` there).
    #[command(disable_help_flag = true)]
    Book {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<OsString>,
    },
    /// Prove every test fails on the stub and passes on the solution (needs the whole repository).
    #[command(disable_help_flag = true)]
    Check {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<OsString>,
    },
    /// Grade a class's submissions (needs the whole repository; `cargo course grade --help` there).
    #[command(disable_help_flag = true)]
    Grade {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<OsString>,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Learner(command) => course::run(command),
        Command::Book { args } => course::handoff::run("book", &args),
        Command::Check { args } => course::handoff::run("check", &args),
        Command::Grade { args } => course::handoff::run("grade", &args),
    };
    result.unwrap_or_else(|err| {
        // `{:#}` puts the whole chain of causes on one line.
        eprintln!("error: {err:#}");
        ExitCode::from(2)
    })
}
