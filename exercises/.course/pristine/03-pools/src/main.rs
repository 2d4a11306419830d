// Given by the course, whole: use it as it is (the grader always uses the course's copy).
//! The `pools` program. Given: you do not need to change it.
//!
//! ```text
//! pools copy SRC DST [--workers N] [--pool sequential|threads|rayon|processes]
//! pools worker
//! ```
//!
//! `copy` copies the folder SRC into the new folder DST with one of the chapter's pools (by
//! default 5 threads) and prints what it copied; try it with
//! `cargo run -q -p pools -- copy SRC DST --pool processes`. `worker` is the role the process
//! pool starts its children in: it reads jobs from stdin and answers on stdout (see
//! `src/worker.rs`). Exit codes: 0 done, 1 the copy failed, 2 the command line is wrong.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{self, ExitCode};
use std::{env, io, panic};

use pools::WORKERS;
use pools::copy_dir::{Pool, copy_dir};
use pools::worker;

const USAGE: &str =
    "usage: pools copy SRC DST [--workers N] [--pool sequential|threads|rayon|processes]
       pools worker";

/// The most workers `--workers` accepts: more would only cost threads or processes.
const MAX_WORKERS: usize = 1024;

fn main() -> ExitCode {
    // `args_os`, not `args`: a path does not have to be UTF-8, and `args` panics on one that is
    // not. Only the words the program itself knows (`copy`, `--pool`, ...) must be text.
    let args: Vec<OsString> = env::args_os().skip(1).collect();
    match args.first().map(|arg| arg.to_str()) {
        Some(Some(worker::ROLE)) if args.len() == 1 => {
            // A panicking job kills this worker on purpose (that is how the pool's crash
            // handling is tested). Say so in one line, without a backtrace.
            panic::set_hook(Box::new(|info| {
                let place = info
                    .location()
                    .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
                let payload = info.payload();
                let message = (payload.downcast_ref::<&str>().copied())
                    .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("(no message)");
                eprintln!(
                    "pools worker (pid {}) panicked{place}: {message}",
                    process::id()
                );
            }));
            match worker::serve(io::stdin().lock(), io::stdout().lock()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: worker: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Some("copy")) => match parse_copy(&args[1..]) {
            Ok((src, dst, pool)) => match copy_dir(&src, &dst, &pool) {
                Ok(report) => {
                    println!(
                        "copied {} files ({} bytes) from {} to {} {pool}",
                        report.files,
                        report.bytes,
                        src.display(),
                        dst.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            },
            Err(message) => usage_error(&message),
        },
        _ => usage_error("expected `copy` or `worker`"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n{USAGE}");
    ExitCode::from(2)
}

/// `SRC DST [--workers N] [--pool NAME]`, in any order.
fn parse_copy(args: &[OsString]) -> Result<(PathBuf, PathBuf, Pool), String> {
    let mut paths = Vec::new();
    let mut workers = WORKERS;
    let mut pool = "threads".to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--workers") => {
                let value = args.next().ok_or("--workers needs a number")?;
                let value = value.to_string_lossy();
                workers = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_WORKERS).contains(n))
                    .ok_or_else(|| {
                        format!("--workers needs a number from 1 to {MAX_WORKERS}, not `{value}`")
                    })?;
            }
            Some("--pool") => {
                let name = args.next().ok_or("--pool needs a name")?;
                pool = name.to_string_lossy().into_owned();
            }
            Some(flag) if flag.starts_with("--") => {
                return Err(format!("unknown option `{flag}`"));
            }
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let [src, dst] = <[PathBuf; 2]>::try_from(paths)
        .map_err(|paths| format!("expected two paths, SRC and DST, got {}", paths.len()))?;
    let pool = match pool.as_str() {
        "sequential" => Pool::Sequential,
        "threads" => Pool::Threads(workers),
        "rayon" => Pool::Rayon(workers),
        "processes" => Pool::Processes {
            exe: env::current_exe()
                .map_err(|e| format!("cannot find this program to start workers: {e}"))?,
            workers,
        },
        other => return Err(format!("unknown pool `{other}`")),
    };
    Ok((src, dst, pool))
}
