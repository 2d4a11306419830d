//! Chapter 1, "Measure it": count the primes below 5 000 000 sequentially, with scoped threads
//! over 1, 2, 3, 4 and 8 ranges, and with rayon.
//!
//! In `exercises/` it times your own `count_in_threads` and `count_with_rayon`; at the
//! repository's root it times the reference solution, which is what the book's tables show:
//!
//! ```text
//! cargo bench -p sync-async --bench primes            # limit 5 000 000
//! cargo bench -p sync-async --bench primes -- 1000000 # another limit
//! ```
//!
//! Each variant runs five times and the median wall time is reported, together with the
//! speedup over the sequential count. The output is Markdown tables that can be pasted into the
//! book as they are. Every variant must find the same number of primes, or the benchmark fails.
//!
//! The second table times the ranges of `split(limit, 2)` and `split(limit, 4)` alone, in the
//! same run and the same way, so it gives the best two equal ranges can do: the sequential time
//! over the slower half's.
//!
//! What to expect: the speedup grows with the number of threads up to the number of cores, then
//! flattens. With equal-sized ranges it stays below the core count, because trial division costs
//! more for bigger numbers: the thread with the top range finishes last while the others idle.
//! rayon's work stealing hands out small pieces to whichever thread is free, so it gets closer to
//! the core count than the same number of equal ranges; extra ranges (8 threads on fewer cores)
//! narrow the gap the same way.

use std::num::NonZero;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use std::{env, fs, hint, thread};

use sync_async::primes::{count_primes, count_primes_rayon, count_primes_scoped, split};

const DEFAULT_LIMIT: u64 = 5_000_000;
const RUNS: usize = 5;
const THREADS: [usize; 5] = [1, 2, 3, 4, 8];

/// One line of the results table.
struct Row {
    variant: String,
    threads: String,
    primes: u64,
    median: Duration,
}

fn main() -> ExitCode {
    let limit = match limit_from_args() {
        Ok(limit) => limit,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("usage: cargo bench -p sync-async --bench primes [-- LIMIT]");
            return ExitCode::FAILURE;
        }
    };
    let cores = thread::available_parallelism().map_or(1, NonZero::get);

    println!("## Counting the primes below {limit}");
    println!();
    println!(
        "- machine: {} ({} {}), `available_parallelism()` = {cores}",
        cpu_model(),
        env::consts::OS,
        env::consts::ARCH
    );
    println!(
        "- `cargo bench -p sync-async --bench primes`: release build, {RUNS} runs per variant, \
         median wall time"
    );
    println!();

    // One untimed run first, so that the first variant does not pay for a cold CPU and caches.
    hint::black_box(count_primes(0..limit));
    let mut rows = vec![measure("sequential `count_primes`", "1".into(), || {
        count_primes(0..limit)
    })];
    for threads in THREADS {
        rows.push(measure(
            "`count_primes_scoped`",
            threads.to_string(),
            || count_primes_scoped(limit, threads),
        ));
    }
    rows.push(measure(
        "`count_primes_rayon`",
        format!("{} (pool)", rayon::current_num_threads()),
        || count_primes_rayon(limit),
    ));

    let baseline = rows[0].median;
    println!("| variant | threads | primes | median | speedup |");
    println!("|---|---:|---:|---:|---:|");
    for row in &rows {
        println!(
            "| {} | {} | {} | {} | {:.2}× |",
            row.variant,
            row.threads,
            row.primes,
            millis(row.median),
            baseline.as_secs_f64() / row.median.as_secs_f64()
        );
    }
    println!();

    // Why equal ranges do not divide the work equally: count each range of two and of four
    // alone, the same way as the variants above.
    println!(
        "Equal ranges are not equal work: the ranges of `split({limit}, 2)` and `split({limit}, 4)`, \
         each counted alone on one thread ({RUNS} runs, median):"
    );
    println!();
    println!("| range | primes | median |");
    println!("|---|---:|---:|");
    let mut slower_half = Duration::ZERO;
    for parts in [2, 4] {
        for range in split(limit, parts) {
            let row = measure(&format!("`{range:?}`"), "1".into(), || {
                count_primes(range.clone())
            });
            if parts == 2 {
                slower_half = slower_half.max(row.median);
            }
            println!(
                "| {} | {} | {} |",
                row.variant,
                row.primes,
                millis(row.median)
            );
        }
    }
    println!();
    println!(
        "Two equal ranges cannot finish before the slower one alone: at best {:.2}× the \
         sequential count ({} / {}).",
        baseline.as_secs_f64() / slower_half.as_secs_f64(),
        millis(baseline),
        millis(slower_half)
    );
    println!();

    let expected = rows[0].primes;
    let wrong: Vec<&Row> = rows.iter().filter(|row| row.primes != expected).collect();
    if wrong.is_empty() {
        println!("All {} variants found {expected} primes.", rows.len());
        ExitCode::SUCCESS
    } else {
        for row in wrong {
            eprintln!(
                "error: {} with {} threads found {} primes, the sequential count found {expected}",
                row.variant, row.threads, row.primes
            );
        }
        ExitCode::FAILURE
    }
}

/// Runs `count` [`RUNS`] times and keeps the median time and the (last) count.
fn measure(variant: &str, threads: String, count: impl Fn() -> u64) -> Row {
    let mut times = Vec::with_capacity(RUNS);
    let mut primes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        primes = hint::black_box(count());
        times.push(start.elapsed());
    }
    times.sort();
    eprintln!("measured {variant}, threads: {threads}");
    Row {
        variant: variant.to_owned(),
        threads,
        primes,
        median: times[RUNS / 2],
    }
}

/// The limit from the command line, if one is given. `cargo bench` adds a `--bench` flag of its
/// own, so flags are skipped.
fn limit_from_args() -> Result<u64, String> {
    match env::args().skip(1).find(|arg| !arg.starts_with('-')) {
        None => Ok(DEFAULT_LIMIT),
        Some(arg) => arg
            .replace('_', "")
            .parse()
            .map_err(|err| format!("the limit must be a whole number, not `{arg}` ({err})")),
    }
}

/// The CPU's model name from /proc/cpuinfo (Linux), or a placeholder where it is not available.
fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

fn millis(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}
