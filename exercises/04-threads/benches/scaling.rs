//! Chapter 4, "Measure it": the same CPU-bound work on 1 up to 2 × `available_parallelism()`
//! threads, in Rust with your `map_chunks` and in Python with `threading`, side by side; and the
//! cost of starting and joining one thread.
//!
//! In `exercises/` it times your own `scoped_chunks::map_chunks`; at the repository's root it
//! times the reference solution, which is what the book's tables show:
//!
//! ```text
//! cargo bench -p threads --bench scaling
//! ```
//!
//! The work is 48 units of [`threads::spin`], split into one chunk per thread. Rust's variants run
//! in rounds (one run of each thread count per round, so that whatever else the machine does
//! falls on all of them alike), and each one's median is reported with its speedup over one
//! thread. Then the Python script next to this file, `benches/scaling.py`, does the same with
//! `threading.Thread` (on fewer rounds per unit, since Python is far slower), if `python3` is on
//! the PATH; its checksum is compared with Rust's for the same rounds, so both did the same
//! work. Without `python3`, one line says that Python was skipped.
//!
//! What to expect: Rust's speedup grows up to the number of cores, then flattens; Python's stays
//! at about 1× or below, because CPython's GIL lets one thread run Python code at a time.

use std::io::ErrorKind;
use std::num::NonZero;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};
use std::{hint, thread};

use test_support::bench::median;
use test_support::machine;
use threads::scoped_chunks::map_chunks;
use threads::spin;

/// How many work units the work is split into (divisible by 1, 2, 3, 4, 6, 8, 12 and 16).
const UNITS: usize = 48;
/// Steps of `spin` per unit, in Rust.
const ROUNDS: u64 = 4_000_000;
/// Steps of `spin` per unit, in Python: 200 times fewer, for a run of about the same length.
const PY_ROUNDS: u64 = 20_000;
/// Timed runs per variant.
const RUNS: usize = 5;
/// Threads started and joined per sample of the spawn cost, and samples per variant.
const SPAWNS: usize = 200;
const SPAWN_SAMPLES: usize = 15;
/// The Python side, run with `python3 -c`.
const SCRIPT: &str = include_str!("scaling.py");

fn main() -> ExitCode {
    let cores = thread::available_parallelism().map_or(1, NonZero::get);
    let counts: Vec<usize> = (1..=2 * cores).collect();

    println!("## The same CPU-bound work on 1 to {} threads", 2 * cores);
    println!();
    println!("- machine: {}", machine());
    println!(
        "- `cargo bench -p threads --bench scaling`: release build, median of {RUNS} runs per \
         variant, in rounds"
    );
    println!(
        "- work: {UNITS} units of `spin({ROUNDS})` in Rust, of `spin({PY_ROUNDS})` in Python, \
         split into one chunk per thread"
    );

    let units = vec![ROUNDS; UNITS];
    let work = |threads: usize| {
        map_chunks(&units, threads, |chunk| {
            chunk
                .iter()
                .fold(0u64, |sum, &rounds| sum.wrapping_add(spin(rounds)))
        })
        .into_iter()
        .fold(0, u64::wrapping_add)
    };
    let expected = (0..UNITS).fold(0u64, |sum, _| sum.wrapping_add(spin(ROUNDS)));
    let mut times = vec![Vec::with_capacity(RUNS); counts.len()];
    let mut wrong = Vec::new();
    for round in 1..=RUNS {
        for (i, &threads) in counts.iter().enumerate() {
            let start = Instant::now();
            let got = hint::black_box(work(threads));
            times[i].push(start.elapsed());
            if got != expected {
                wrong.push(threads);
            }
        }
        eprintln!("Rust round {round} of {RUNS} done");
    }
    let rust: Vec<Duration> = times.into_iter().map(median).collect();

    let python = run_python(counts.len());
    println!(
        "- Python: {}",
        python
            .as_ref()
            .map_or_else(|why| format!("skipped ({why})"), |py| py.version.clone(),)
    );
    println!();
    match &python {
        Ok(_) => {
            println!("| threads | Rust median | Rust speedup | Python median | Python speedup |");
            println!("|---:|---:|---:|---:|---:|");
        }
        Err(_) => {
            println!("| threads | Rust median | Rust speedup |");
            println!("|---:|---:|---:|");
        }
    }
    for (i, &threads) in counts.iter().enumerate() {
        let mut row = format!(
            "| {threads} | {} | {:.2}× |",
            millis(rust[i]),
            ratio(rust[0], rust[i])
        );
        if let Ok(py) = &python {
            row.push_str(&format!(
                " {} | {:.2}× |",
                millis(py.times[i]),
                ratio(py.times[0], py.times[i])
            ));
        }
        println!("{row}");
    }
    println!();
    let rust_step = rust[0].as_secs_f64() / (UNITS as f64 * ROUNDS as f64);
    print!(
        "One step of `spin` on one thread: {:.2} ns in Rust",
        rust_step * 1e9
    );
    if let Ok(py) = &python {
        let py_step = py.times[0].as_secs_f64() / (UNITS as f64 * PY_ROUNDS as f64);
        print!(
            ", {:.0} ns in Python ({:.0}× as long)",
            py_step * 1e9,
            py_step / rust_step
        );
    }
    println!(".");
    println!();

    let (plain, named) = spawn_costs();
    println!("## Starting and joining one thread that does nothing");
    println!();
    println!("| variant | median |");
    println!("|---|---:|");
    println!("| Rust `thread::spawn` + `join` | {} |", micros(plain));
    println!(
        "| Rust `thread::Builder::new().name(..).spawn` + `join` | {} |",
        micros(named)
    );
    if let Ok(py) = &python {
        println!(
            "| Python `Thread(target=f).start()` + `join()` | {:.1} µs |",
            py.spawn_us
        );
    }
    println!();

    let mut failed = false;
    if !wrong.is_empty() {
        wrong.sort_unstable();
        wrong.dedup();
        eprintln!(
            "error: map_chunks gave a wrong total with {wrong:?} threads (expected {expected})"
        );
        failed = true;
    }
    if let Ok(py) = &python {
        let same = (0..UNITS).fold(0u64, |sum, _| sum.wrapping_add(spin(PY_ROUNDS)));
        if py.checksums.iter().all(|&c| c == same) {
            println!("Python and Rust computed the same checksum for `spin({PY_ROUNDS})`: {same}.");
        } else {
            eprintln!(
                "error: Python's checksums {:?} differ from Rust's {same}",
                py.checksums
            );
            failed = true;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What the Python script reported.
struct Python {
    version: String,
    times: Vec<Duration>,
    checksums: Vec<u64>,
    spawn_us: f64,
}

/// Runs `scaling.py` on 1 to `max_threads` threads, or says why it did not run.
fn run_python(max_threads: usize) -> Result<Python, String> {
    eprintln!("running the Python side (python3 benches/scaling.py) ...");
    let output = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .args([UNITS as u64, PY_ROUNDS, max_threads as u64, RUNS as u64].map(|n| n.to_string()))
        .output();
    let output = match output {
        Ok(output) => output,
        Err(err) if err.kind() == ErrorKind::NotFound => {
            return Err("python3 is not on the PATH".to_owned());
        }
        Err(err) => return Err(format!("cannot run python3: {err}")),
    };
    if !output.status.success() {
        return Err(format!(
            "python3 failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut py = Python {
        version: String::new(),
        times: Vec::new(),
        checksums: Vec::new(),
        spawn_us: 0.0,
    };
    let bad = |line: &str| format!("unexpected line from scaling.py: {line:?}");
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["python", version] => py.version = format!("Python {version}"),
            ["threads", _, seconds, checksum] => {
                let seconds: f64 = seconds.parse().map_err(|_| bad(line))?;
                py.times.push(Duration::from_secs_f64(seconds));
                py.checksums.push(checksum.parse().map_err(|_| bad(line))?);
            }
            ["spawn", micros] => py.spawn_us = micros.parse().map_err(|_| bad(line))?,
            _ => return Err(bad(line)),
        }
    }
    if py.times.len() == max_threads {
        Ok(py)
    } else {
        Err(format!(
            "scaling.py reported {} thread counts, not {max_threads}",
            py.times.len()
        ))
    }
}

/// The median cost of one `thread::spawn` + `join`, and of one named `Builder::spawn` + `join`,
/// sampled in rounds.
fn spawn_costs() -> (Duration, Duration) {
    let plain = || {
        thread::spawn(|| hint::black_box(()))
            .join()
            .expect("an empty thread does not panic");
    };
    let named = || {
        thread::Builder::new()
            .name("empty".to_owned())
            .spawn(|| hint::black_box(()))
            .expect("spawn a thread")
            .join()
            .expect("an empty thread does not panic");
    };
    let variants: [&dyn Fn(); 2] = [&plain, &named];
    let mut samples = [Vec::new(), Vec::new()];
    for _ in 0..SPAWN_SAMPLES {
        for (variant, times) in variants.iter().zip(&mut samples) {
            let start = Instant::now();
            for _ in 0..SPAWNS {
                variant();
            }
            times.push(start.elapsed() / SPAWNS as u32);
        }
    }
    let [plain, named] = samples.map(median);
    (plain, named)
}

fn ratio(base: Duration, time: Duration) -> f64 {
    base.as_secs_f64() / time.as_secs_f64()
}

fn millis(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}

fn micros(time: Duration) -> String {
    format!("{:.1} µs", time.as_secs_f64() * 1e6)
}
