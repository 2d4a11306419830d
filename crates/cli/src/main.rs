//! `cargo course` at the repository root: a thin shell over the course's crates (see `cli`).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            // `{:#}` puts the whole chain of causes on one line.
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
