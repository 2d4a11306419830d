// Given by the course, whole: use it as it is (the grader always uses the course's copy).
//! The `threads` program: the demonstrations of exercise `endings`, as a process of their own.
//!
//! ```text
//! threads end panic-in-thread
//! threads end exit-from-thread CODE
//! threads end stack-overflow
//! threads end abort-on-panic
//! threads end rayon-spawn-panic
//! threads end main-returns
//! ```
//!
//! Each one calls `threads::endings::end_in_thread` with that way, which starts a thread named
//! `ender` to do it. If the call returns, the process survived: the program says how, prints
//! `main still running` and exits with code 0. The tests run this program as a child process, so
//! that the ways which end the whole process end the child and not the test. Exit codes: 0 the
//! process survived, 1 `end_in_thread` returned an error, 2 the command line is wrong; any other
//! ending is the way's own.

use std::env;
use std::ffi::OsString;
use std::process::ExitCode;

use threads::endings::{self, Ending, STILL_RUNNING, Survived, WORKER};

const USAGE: &str = "usage: threads end <panic-in-thread | exit-from-thread CODE | stack-overflow | \
                     abort-on-panic | rayon-spawn-panic | main-returns>";

fn main() -> ExitCode {
    let args: Result<Vec<String>, OsString> =
        env::args_os().skip(1).map(OsString::into_string).collect();
    let parsed = match &args {
        Ok(args) => match args
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["end", way @ ..] => Ending::parse(way),
            _ => Err("the first argument must be `end`".to_owned()),
        },
        Err(arg) => Err(format!("the argument {arg:?} is not valid UTF-8")),
    };
    let ending = match parsed {
        Ok(ending) => ending,
        Err(message) => {
            eprintln!("threads: {message}; {USAGE}");
            return ExitCode::from(2);
        }
    };
    println!("main: starting {WORKER} to end with {ending:?}");
    match endings::end_in_thread(ending) {
        Ok(survived) => {
            say(&survived);
            println!("{STILL_RUNNING}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("threads end: {err}");
            ExitCode::FAILURE
        }
    }
}

fn say(survived: &Survived) {
    match survived {
        Survived::Panicked(message) => {
            println!("main: {WORKER} panicked, and join gave Err: {message}");
        }
        Survived::LeftRunning => {
            println!("main: returning while {WORKER} still runs");
        }
    }
}
