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
//! Each variant runs seven times, in rounds (one run of each variant per round, so that whatever
//! else the machine does falls on all of them alike), and the median wall time is reported,
//! together with the speedup over the sequential count. The output is Markdown tables that can be pasted into the
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

use std::process::ExitCode;
use std::time::{Duration, Instant};
use std::{env, hint};

use sync_async::primes::{count_primes, count_primes_rayon, count_primes_scoped, split};
use test_support::bench::median;
use test_support::machine;

const DEFAULT_LIMIT: u64 = 5_000_000;
const RUNS: usize = 7;
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

    println!("## Counting the primes below {limit}");
    println!();
    println!("- machine: {}", machine());
    println!(
        "- `cargo bench -p sync-async --bench primes`: release build, {RUNS} runs per variant, \
         median wall time"
    );
    println!();

    // Every variant, then every range of two and of four counted alone (why equal ranges are
    // not equal work), all timed in the same rounds.
    let mut variants: Vec<Variant<'_>> = vec![Variant::new(
        "sequential `count_primes`",
        "1".into(),
        Box::new(move || count_primes(0..limit)),
    )];
    for threads in THREADS {
        variants.push(Variant::new(
            "`count_primes_scoped`",
            threads.to_string(),
            Box::new(move || count_primes_scoped(limit, threads)),
        ));
    }
    variants.push(Variant::new(
        "`count_primes_rayon`",
        format!("{} (pool)", rayon::current_num_threads()),
        Box::new(move || count_primes_rayon(limit)),
    ));
    let shown = variants.len();
    let halves = split(limit, 2);
    for range in halves.iter().cloned().chain(split(limit, 4)) {
        variants.push(Variant::new(
            &format!("`{range:?}`"),
            "1".into(),
            Box::new(move || count_primes(range.clone())),
        ));
    }
    let all = measure(&variants);
    let (rows, ranges) = all.split_at(shown);

    let baseline = rows[0].median;
    println!("| variant | threads | primes | median | speedup |");
    println!("|---|---:|---:|---:|---:|");
    for row in rows {
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
    println!(
        "Equal ranges are not equal work: the ranges of `split({limit}, 2)` and `split({limit}, 4)`, \
         each counted alone on one thread, in the same rounds:"
    );
    println!();
    println!("| range | primes | median |");
    println!("|---|---:|---:|");
    for row in ranges {
        println!(
            "| {} | {} | {} |",
            row.variant,
            row.primes,
            millis(row.median)
        );
    }
    println!();
    let slower_half = ranges[..halves.len()]
        .iter()
        .map(|row| row.median)
        .max()
        .unwrap_or_default();
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

/// One way of counting, to be timed.
struct Variant<'a> {
    variant: String,
    threads: String,
    count: Box<dyn Fn() -> u64 + 'a>,
}

impl<'a> Variant<'a> {
    fn new(variant: &str, threads: String, count: Box<dyn Fn() -> u64 + 'a>) -> Self {
        Variant {
            variant: variant.to_owned(),
            threads,
            count,
        }
    }
}

/// Times every variant [`RUNS`] times, in rounds (one run of each variant per round), and keeps
/// each one's median time and its count. A round-robin order spreads whatever else the machine
/// does, and any drift in its speed, over all the variants alike, so their ratios hold even on a
/// noisy machine. One untimed round comes first, so that no variant pays for a cold CPU and
/// caches.
fn measure(variants: &[Variant<'_>]) -> Vec<Row> {
    for v in variants {
        hint::black_box((v.count)());
    }
    let mut times = vec![Vec::with_capacity(RUNS); variants.len()];
    let mut primes = vec![0; variants.len()];
    for round in 1..=RUNS {
        for (i, v) in variants.iter().enumerate() {
            let start = Instant::now();
            primes[i] = hint::black_box((v.count)());
            times[i].push(start.elapsed());
        }
        eprintln!("round {round} of {RUNS} done");
    }
    variants
        .iter()
        .zip(times)
        .zip(primes)
        .map(|((v, times), primes)| Row {
            variant: v.variant.clone(),
            threads: v.threads.clone(),
            primes,
            median: median(times),
        })
        .collect()
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

fn millis(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}
