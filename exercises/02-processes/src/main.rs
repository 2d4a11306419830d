//! The `processes` program: the main process of the chapter's demonstrations, and every child
//! process they start. The first argument names the role to play (see `roles.rs`); the library
//! starts this same program again to make a child, as Python's `spawn` start method does.
//!
//! ```text
//! cargo run -q -p processes -- family 3
//! ```

use std::env;
use std::process::ExitCode;

use processes::roles::{Role, USAGE};

fn main() -> ExitCode {
    match Role::parse(env::args().skip(1)) {
        Ok(role) => role.run(),
        Err(message) => {
            eprintln!("processes: {message}; {USAGE}");
            ExitCode::from(2)
        }
    }
}
