//! Chapter 6, "Measure it": 200 000 messages from one producer thread to one consumer thread,
//! through each kind of queue, beside Python's `queue.Queue(5)` in the same run.
//!
//! In `exercises/` it runs on your own code (your `condvar_queue::Queue`); at the repository's
//! root it runs on the reference solution, which is what the book's table shows:
//!
//! ```text
//! cargo bench -p queues --bench channels
//! ```
//!
//! Each variant sends the numbers `0..200 000` and the consumer adds them up (the sum is
//! checked). The variants are timed in rounds, one run of each per round after one untimed
//! round, and the table gives the median of [`RUNS`] and the ratio to `bounded(1024)`. When
//! `python3` is on PATH, `benches/channels.py` times `queue.Queue(5)` (and `Queue()`) with two
//! threads, [`PYTHON_RUNS`] rounds, and its rows join the table.

use std::process::ExitCode;
use std::sync::mpsc::sync_channel;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, unbounded};
use queues::condvar_queue::Queue;
use test_support::{bench, machine, run_python_script};

const MESSAGES: u64 = 200_000;
const RUNS: usize = 7;
const PYTHON_RUNS: usize = 3;
const EXPECTED: u64 = MESSAGES * (MESSAGES - 1) / 2;

fn main() -> ExitCode {
    bench::exit_status(run())
}

fn crossbeam(
    channel: (
        crossbeam_channel::Sender<u64>,
        crossbeam_channel::Receiver<u64>,
    ),
) -> u64 {
    let (tx, rx) = channel;
    thread::scope(|s| {
        s.spawn(move || {
            for i in 0..MESSAGES {
                tx.send(i).unwrap();
            }
        });
        rx.iter().sum()
    })
}

fn std_sync(capacity: usize) -> u64 {
    let (tx, rx) = sync_channel(capacity);
    thread::scope(|s| {
        s.spawn(move || {
            for i in 0..MESSAGES {
                tx.send(i).unwrap();
            }
        });
        rx.iter().sum()
    })
}

fn condvar(capacity: usize) -> u64 {
    let q = Queue::new(capacity);
    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..MESSAGES {
                q.put(i);
            }
        });
        (0..MESSAGES).map(|_| q.get()).sum()
    })
}

type Variant = (&'static str, Box<dyn Fn() -> u64>);

fn run() -> Result<(), String> {
    println!("## {MESSAGES} messages, one producer thread, one consumer thread");
    println!();
    println!("- machine: {}", machine());
    println!(
        "- `cargo bench -p queues --bench channels`: release build, {RUNS} rounds, median wall \
         time; Python {PYTHON_RUNS} rounds"
    );
    let variants: Vec<Variant> = vec![
        (
            "`bounded(0)` (rendezvous)",
            Box::new(|| crossbeam(bounded(0))),
        ),
        ("`bounded(1)`", Box::new(|| crossbeam(bounded(1)))),
        ("`bounded(5)`", Box::new(|| crossbeam(bounded(5)))),
        ("`bounded(1024)`", Box::new(|| crossbeam(bounded(1024)))),
        ("`unbounded()`", Box::new(|| crossbeam(unbounded()))),
        ("std `sync_channel(5)`", Box::new(|| std_sync(5))),
        (
            "your `condvar_queue::Queue::new(5)`",
            Box::new(|| condvar(5)),
        ),
    ];
    let mut times = vec![Vec::new(); variants.len()];
    for round in 0..=RUNS {
        for (i, (name, variant)) in variants.iter().enumerate() {
            let start = Instant::now();
            let sum = variant();
            let elapsed = start.elapsed();
            if sum != EXPECTED {
                return Err(format!(
                    "{name} summed to {sum}, not {EXPECTED}: messages were lost"
                ));
            }
            if round > 0 {
                times[i].push(elapsed);
            }
        }
    }
    let medians: Vec<Duration> = times
        .iter_mut()
        .map(|t| {
            t.sort();
            t[t.len() / 2]
        })
        .collect();
    let base = medians[3];
    let python = python_rows()?;
    match &python {
        Ok((version, _)) => {
            println!("- Python {version}, `queue.Queue` with two `threading.Thread`s")
        }
        Err(why) => println!("- Python skipped: {why}"),
    }
    println!();
    println!("| queue | median | per message | vs `bounded(1024)` |");
    println!("|---|---:|---:|---:|");
    let row = |name: &str, median: Duration| {
        println!(
            "| {name} | {:.1} ms | {:.0} ns | {:.1}× |",
            median.as_secs_f64() * 1000.0,
            median.as_secs_f64() * 1e9 / MESSAGES as f64,
            median.as_secs_f64() / base.as_secs_f64()
        );
    };
    for ((name, _), median) in variants.iter().zip(&medians) {
        row(name, *median);
    }
    if let Ok((_, rows)) = &python {
        for (name, median) in rows {
            row(&format!("Python {name}"), *median);
        }
    }
    Ok(())
}

/// The Python version and rows, or why Python was skipped.
type PythonRows = Result<(String, Vec<(String, Duration)>), String>;

/// The Python script's rows: `Ok(Ok((version, rows)))`, or `Ok(Err(why))` when there is no
/// `python3` to run it.
fn python_rows() -> Result<PythonRows, String> {
    let args = [MESSAGES as usize, PYTHON_RUNS].map(|n| n.to_string());
    let text = match run_python_script(
        env!("CARGO_MANIFEST_DIR"),
        "06-queues",
        "channels.py",
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
            ["row", name, ms] => {
                let ms: f64 = ms.parse().map_err(|e| format!("{line:?}: {e}"))?;
                rows.push((name.to_owned(), Duration::from_secs_f64(ms / 1000.0)));
            }
            _ => return Err(format!("unexpected line from the Python script: {line:?}")),
        }
    }
    Ok(Ok((version, rows)))
}
