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

use std::path::PathBuf;
use std::process::{self, ExitCode};
use std::{env, io, panic};

use pools::WORKERS;
use pools::copy_dir::{Pool, copy_dir};
use pools::worker;

const USAGE: &str =
    "usage: pools copy SRC DST [--workers N] [--pool sequential|threads|rayon|processes]
       pools worker";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some(worker::ROLE) if args.len() == 1 => {
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
        Some("copy") => match parse_copy(&args[1..]) {
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
fn parse_copy(args: &[String]) -> Result<(PathBuf, PathBuf, Pool), String> {
    let mut paths = Vec::new();
    let mut workers = WORKERS;
    let mut pool = "threads".to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--workers" => {
                let value = args.next().ok_or("--workers needs a number")?;
                workers =
                    value.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                        format!("--workers needs a number above 0, not `{value}`")
                    })?;
            }
            "--pool" => pool = args.next().ok_or("--pool needs a name")?.clone(),
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            path => paths.push(PathBuf::from(path)),
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
