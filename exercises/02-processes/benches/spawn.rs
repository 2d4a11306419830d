//! Chapter 2, "Measure it": what does it cost to start a thread, and to start a process?
//!
//! In `exercises/` it runs on your own code; at the repository's root it runs on the reference
//! solution, which is what the book's tables show:
//!
//! ```text
//! cargo bench -p processes --bench spawn            # 200 runs of each
//! cargo bench -p processes --bench spawn -- 1000    # another number of runs
//! ```
//!
//! Three ways to start something that does nothing and wait until it has finished, measured in
//! one run, one after the other:
//!
//! - a thread that does nothing: `thread::spawn` and `join`;
//! - a process running `/bin/true`, a tiny C program: `Command::spawn` and `wait`;
//! - a process running this crate's own program in the role `ok`, which is how the chapter
//!   starts its children (`env!("CARGO_BIN_EXE_processes")`, built in release mode).
//!
//! Each variant first runs 20 times untimed (warm-up), then the given number of times, timed one
//! by one. The output is a Markdown table of the median, the 90th percentile and the mean, with
//! the ratio of each median to the thread's median.
//!
//! What to expect: a thread costs tens of microseconds, a process most of a millisecond. Starting
//! a process means a new address space, loading and linking a program and running its start-up
//! code; a thread only needs a stack and a kernel task in the address space that already exists.
//!
//! Seen on a 2-core VM (AMD EPYC, 4 runs of this benchmark while other builds shared the machine):
//! thread 34–37 µs (median), `/bin/true` 610–650 µs (about 18×), `processes ok` 870–1030 µs
//! (25–28×). An earlier run, with a CPU-bound job hogging one core, gave 950 and 1490 µs for the
//! two processes. The crate's own program costs more than `/bin/true` because it is a bigger
//! program to load and set up. The means and p90s move more than the medians from run to run,
//! because a busy machine delays a few starts by a lot.

use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};
use std::{env, hint, thread};

use test_support::machine;

const DEFAULT_RUNS: usize = 200;
const WARM_UP: usize = 20;

/// The crate's own program, built by Cargo for this benchmark.
const EXE: &str = env!("CARGO_BIN_EXE_processes");

/// One way to start something and wait for it.
struct Variant {
    name: &'static str,
    start_and_wait: Box<dyn Fn() -> Result<(), String>>,
}

/// The timings of one variant, sorted.
struct Row {
    name: &'static str,
    times: Vec<Duration>,
}

impl Row {
    fn percentile(&self, p: usize) -> Duration {
        let at = (self.times.len() * p / 100).min(self.times.len() - 1);
        self.times[at]
    }

    fn mean(&self) -> Duration {
        self.times.iter().sum::<Duration>() / self.times.len() as u32
    }
}

fn main() -> ExitCode {
    let runs = match runs_from_args() {
        Ok(runs) => runs,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("usage: cargo bench -p processes --bench spawn [-- RUNS]");
            return ExitCode::FAILURE;
        }
    };

    let variants = [
        Variant {
            name: "thread: `thread::spawn` + `join`",
            start_and_wait: Box::new(|| {
                thread::spawn(|| hint::black_box(()))
                    .join()
                    .map_err(|_| "the thread panicked".to_owned())
            }),
        },
        Variant {
            name: "process: `/bin/true` + `wait`",
            start_and_wait: Box::new(|| run(Command::new("/bin/true"))),
        },
        Variant {
            name: "process: `processes ok` + `wait`",
            start_and_wait: Box::new(|| {
                let mut command = Command::new(EXE);
                command.arg("ok");
                run(command)
            }),
        },
    ];

    let mut rows = Vec::new();
    for variant in &variants {
        match measure(variant, runs) {
            Ok(row) => rows.push(row),
            Err(message) => {
                eprintln!("error: {}: {message}", variant.name);
                return ExitCode::FAILURE;
            }
        }
    }

    println!("## Starting a thread vs starting a process");
    println!();
    println!("- machine: {}", machine());
    println!(
        "- `cargo bench -p processes --bench spawn`: release build, {WARM_UP} warm-up runs, then \
         {runs} timed runs per variant, each start-and-wait timed on its own"
    );
    println!();
    println!("| start and wait for | median | p90 | mean | median vs thread |");
    println!("|---|---:|---:|---:|---:|");
    let thread_median = rows[0].percentile(50);
    for row in &rows {
        println!(
            "| {} | {} | {} | {} | {:.1}× |",
            row.name,
            micros(row.percentile(50)),
            micros(row.percentile(90)),
            micros(row.mean()),
            row.percentile(50).as_secs_f64() / thread_median.as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

/// Starts `command` with no input or output, waits for it and checks that it succeeded.
fn run(mut command: Command) -> Result<(), String> {
    let status = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?
        .wait()
        .map_err(|e| format!("cannot wait for {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} ended with {status}"))
    }
}

/// Warms up, then times `runs` starts of `variant` one by one.
fn measure(variant: &Variant, runs: usize) -> Result<Row, String> {
    for _ in 0..WARM_UP {
        (variant.start_and_wait)()?;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        (variant.start_and_wait)()?;
        times.push(start.elapsed());
    }
    times.sort();
    eprintln!("measured {}", variant.name);
    Ok(Row {
        name: variant.name,
        times,
    })
}

/// The number of runs from the command line, if one is given. `cargo bench` adds a `--bench`
/// flag of its own, so flags are skipped.
fn runs_from_args() -> Result<usize, String> {
    match env::args().skip(1).find(|arg| !arg.starts_with('-')) {
        None => Ok(DEFAULT_RUNS),
        Some(arg) => match arg.replace('_', "").parse() {
            Ok(0) => Err("the number of runs must be at least 1".to_owned()),
            Ok(runs) => Ok(runs),
            Err(err) => Err(format!(
                "the number of runs must be a whole number, not `{arg}` ({err})"
            )),
        },
    }
}

fn micros(time: Duration) -> String {
    format!("{:.0} µs", time.as_secs_f64() * 1e6)
}
