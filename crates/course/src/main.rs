//! `cargo course`: see the library's `cli` module for the commands.

use std::process::ExitCode;

fn main() -> ExitCode {
    match course::cli::run() {
        Ok(code) => code,
        Err(err) => {
            // `{:#}` puts the whole chain of causes on one line.
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
