// Given by the course, whole: use it as it is (the grader always uses the course's copy).
//! The `processes` program: the main process of the chapter's demonstrations, and every child
//! process they start. The first argument names the role to play (see `roles.rs`); the library
//! starts this same program again to make a child, as Python's `spawn` start method does.
//!
//! ```text
//! cargo run -q -p processes -- family 3
//! ```

use std::env;
use std::ffi::OsString;
use std::process::ExitCode;

use processes::roles::{Role, USAGE};

fn main() -> ExitCode {
    // `env::args` panics on an argument that is not valid UTF-8; `args_os` does not. Every
    // argument of every role is text (a role name, a number, an address), so such an argument is
    // a usage error like any other.
    let args: Result<Vec<String>, _> = env::args_os().skip(1).map(OsString::into_string).collect();
    let parsed = match args {
        Ok(args) => Role::parse(args),
        Err(arg) => Err(format!("the argument {arg:?} is not valid UTF-8")),
    };
    match parsed {
        Ok(role) => role.run(),
        Err(message) => {
            eprintln!("processes: {message}; {USAGE}");
            ExitCode::from(2)
        }
    }
}
