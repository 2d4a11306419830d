//! Chapter 5, "Measure it": 4 threads x 1 000 000 increments of one shared counter, three ways,
//! beside the same counter in Python; then what "whoever grabs it first" (谁先抢到谁先用) means
//! for a `Mutex`, and how often ordinary runs catch the broken spin lock of `src/spin.rs`.
//!
//! In `exercises/` it runs on your own code; at the repository's root it runs on the reference
//! solution, which is what the book's tables show:
//!
//! ```text
//! cargo bench -p locks --bench increments
//! ```
//!
//! 1. **Counting.** `count_with_mutex` (a lock per increment), `count_with_atomic`
//!    (`fetch_add`) and `count_with_local_sums` (a local count per thread, added at the end),
//!    each 4 x 1 000 000, timed in rounds (one run of each per round, after one untimed round),
//!    median of [`RUNS`]. Every total must be exactly 4 000 000, or the benchmark fails. Beside
//!    them, when `python3` is on PATH, `benches/increments.py` runs the notes' counter with a
//!    `threading.Lock` (as `acquire`/`release` and as `with lock:`) and without a lock, in the
//!    same run, 3 rounds.
//! 2. **Who gets the lock.** 4 threads each take a `Mutex` 100 000 times and write their number
//!    into the log it guards. The log shows how often the thread that just released the lock
//!    took it again before anyone else did: a queue would hand it on, `std::sync::Mutex` makes
//!    no such promise.
//! 3. **Ordinary runs against a model checker.** `spin::CheckThenSet`, the broken lock, runs
//!    many times with two threads and one increment each, and then with two threads and 100 000
//!    increments each; the table counts the lost updates that were actually seen.

use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};
use std::{hint, thread};

use locks::counter::{count_with_atomic, count_with_local_sums, count_with_mutex};
use locks::spin::{CheckThenSet, Counter, SpinLock};
use test_support::{bench, machine, run_python_script};

const THREADS: usize = 4;
const PER_THREAD: u64 = 1_000_000;
const RUNS: usize = 5;
const PYTHON_RUNS: usize = 3;
/// Lock acquisitions per thread in the fairness log.
const TURNS: usize = 100_000;
/// Runs of two threads with one increment each, through the broken spin lock.
const TINY_RUNS: usize = 20_000;

fn main() -> ExitCode {
    bench::exit_status(run())
}

/// One line of the counting table.
struct Row {
    variant: String,
    total: u64,
    median: Duration,
}

fn run() -> Result<(), String> {
    let expected = THREADS as u64 * PER_THREAD;
    println!("## {THREADS} threads x {PER_THREAD} increments of one counter");
    println!();
    println!("- machine: {}", machine());
    println!(
        "- `cargo bench -p locks --bench increments`: release build, {RUNS} rounds, median wall \
         time; Python {PYTHON_RUNS} rounds"
    );

    type Count = Box<dyn Fn() -> u64>;
    let variants: Vec<(&str, Count)> = vec![
        (
            "`count_with_mutex`: a `Mutex<u64>` locked per increment",
            Box::new(|| {
                let counter = Mutex::new(0);
                count_with_mutex(&counter, THREADS, PER_THREAD, |_| {});
                counter.into_inner().unwrap()
            }),
        ),
        (
            "`count_with_atomic`: `AtomicU64::fetch_add`",
            Box::new(|| {
                let counter = AtomicU64::new(0);
                count_with_atomic(&counter, THREADS, PER_THREAD, |_| {});
                counter.into_inner()
            }),
        ),
        (
            "`count_with_local_sums`: a local count per thread, summed",
            Box::new(|| count_with_local_sums(THREADS, PER_THREAD, |_| {})),
        ),
    ];
    for (_, count) in &variants {
        hint::black_box(count());
    }
    let mut times = vec![Vec::with_capacity(RUNS); variants.len()];
    let mut totals = vec![0; variants.len()];
    for round in 1..=RUNS {
        for (i, (_, count)) in variants.iter().enumerate() {
            let start = Instant::now();
            totals[i] = hint::black_box(count());
            times[i].push(start.elapsed());
        }
        eprintln!("round {round} of {RUNS} done");
    }
    let mut rows: Vec<Row> = variants
        .iter()
        .zip(times)
        .zip(&totals)
        .map(|(((variant, _), mut times), &total)| {
            times.sort();
            Row {
                variant: (*variant).to_owned(),
                total,
                median: times[RUNS / 2],
            }
        })
        .collect();
    if let Some(wrong) = rows.iter().find(|row| row.total != expected) {
        return Err(format!(
            "{} counted {}, not {expected}: updates were lost",
            wrong.variant, wrong.total
        ));
    }

    let python = python_rows()?;
    match &python {
        Ok((version, python_rows)) => {
            println!("- Python {version}, `benches/increments.py`, in the same run");
            rows.extend(python_rows.iter().map(|(variant, total, median)| Row {
                variant: variant.clone(),
                total: *total,
                median: *median,
            }));
        }
        Err(why) => println!("- Python was skipped: {why}"),
    }
    println!();
    let baseline = rows[0].median;
    println!("| variant | total | median | time / Mutex |");
    println!("|---|---:|---:|---:|");
    for row in &rows {
        println!(
            "| {} | {} | {} | {:.2}× |",
            row.variant,
            row.total,
            millis(row.median),
            row.median.as_secs_f64() / baseline.as_secs_f64()
        );
    }
    println!();
    for row in rows.iter().filter(|row| row.total != expected) {
        println!(
            "{} lost {} of {expected} updates.",
            row.variant,
            expected - row.total
        );
    }

    fairness();
    ordinary_runs();
    Ok(())
}

/// Runs the Python script, if `python3` is there: `Ok(Err(why))` when it is skipped.
#[allow(clippy::type_complexity)]
fn python_rows() -> Result<Result<(String, Vec<(String, u64, Duration)>), String>, String> {
    let args = [THREADS, PER_THREAD as usize, PYTHON_RUNS].map(|n| n.to_string());
    let text = match run_python_script(
        env!("CARGO_MANIFEST_DIR"),
        "05-locks",
        "increments.py",
        &args,
    )? {
        Ok(text) => text,
        Err(why) => return Ok(Err(why)),
    };
    let mut version = String::from("(unknown version)");
    let mut rows = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields[..] {
            ["version", v] => version = v.to_owned(),
            ["row", name, total, ms] => {
                let total = total.parse().map_err(|e| format!("{line:?}: {e}"))?;
                let ms: f64 = ms.parse().map_err(|e| format!("{line:?}: {e}"))?;
                rows.push((name.to_owned(), total, Duration::from_secs_f64(ms / 1000.0)));
            }
            _ => return Err(format!("unexpected line from the Python script: {line:?}")),
        }
    }
    Ok(Ok((version, rows)))
}

/// 4 threads take one `Mutex` [`TURNS`] times each and log their number under it.
fn fairness() {
    let log = Mutex::new(Vec::with_capacity(THREADS * TURNS));
    thread::scope(|s| {
        for t in 0..THREADS {
            let log = &log;
            s.spawn(move || {
                for _ in 0..TURNS {
                    log.lock().unwrap().push(t);
                }
            });
        }
    });
    let log = log.into_inner().unwrap();
    let again = log.windows(2).filter(|w| w[0] == w[1]).count();
    let mut longest = 0;
    let mut run = 0;
    for (i, t) in log.iter().enumerate() {
        run = if i > 0 && log[i - 1] == *t {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
    }
    println!("## Who gets the lock next");
    println!();
    println!(
        "{THREADS} threads each took one `Mutex` {TURNS} times, logging their number under it. \
         Of the {} hand-overs, {again} ({:.1}%) went back to the thread that had just released \
         the lock; the longest run by one thread was {longest} acquisitions in a row. Taking \
         turns would give 0% while the others wait.",
        log.len() - 1,
        100.0 * again as f64 / (log.len() - 1) as f64
    );
    println!();
}

/// How often ordinary runs see the broken spin lock lose an update.
fn ordinary_runs() {
    println!("## The broken spin lock in ordinary runs");
    println!();
    println!("| runs of 2 threads | lock | increments per thread | runs that lost updates |");
    println!("|---:|---|---:|---:|");
    let tiny = |lost: &dyn Fn() -> bool| (0..TINY_RUNS).filter(|_| lost()).count();
    let lost_tiny = tiny(&|| two_threads::<CheckThenSet>(1) != 2);
    println!("| {TINY_RUNS} | `CheckThenSet` | 1 | {lost_tiny} |");
    let lost_tiny = tiny(&|| two_threads::<SpinLock>(1) != 2);
    println!("| {TINY_RUNS} | `SpinLock` | 1 | {lost_tiny} |");
    {
        let per = 100_000;
        let lost = (0..10)
            .filter(|_| two_threads::<CheckThenSet>(per) != 2 * per)
            .count();
        println!("| 10 | `CheckThenSet` | {per} | {lost} |");
        let lost = (0..10)
            .filter(|_| two_threads::<SpinLock>(per) != 2 * per)
            .count();
        println!("| 10 | `SpinLock` | {per} | {lost} |");
    }
    println!();
}

/// Two threads each increment a fresh counter `per` times through lock `L`; the final value.
fn two_threads<L: locks::spin::RawLock>(per: u64) -> u64 {
    let counter = Counter::<L>::default();
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..per {
                    counter.increment();
                }
            });
        }
    });
    counter.get()
}

fn millis(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}
