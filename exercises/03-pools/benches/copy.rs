//! Chapter 3, "Measure it": copy a folder of 100 files of 1 MiB, and hash the same files, one
//! after the other and with pools of 5 workers.
//!
//! In `exercises/` it runs on your own code; at the repository's root it runs on the reference
//! solution, which is what the book's tables show:
//!
//! ```text
//! cargo bench -p pools --bench copy
//! ```
//!
//! Two tables come out, in Markdown, ready for the book:
//!
//! - **Copying** (I/O): sequentially, with the hand-made thread pool, with rayon and with the
//!   process pool, each with the notes' 1 KiB chunks (`copy_file`) and, for the thread pools,
//!   with `std::fs::copy`; plus a sequential copy with 64 KiB chunks, to separate the cost of the
//!   chunk size from the effect of the pool.
//! - **Hashing** (CPU): read each file and compute `fingerprint(bytes, 2)`, sequentially and with
//!   each pool of 5.
//!
//! Each variant runs five times; the table shows the median wall time and the speedup over the
//! sequential run of its table. Every copy is checked against the source (names, sizes and
//! checksums), and every pool must compute the same fingerprints, or the benchmark fails.
//!
//! The files are made once, in a temporary folder, and read again and again, so they are in
//! the page cache: these are copies from memory to memory through the kernel, not disk reads.
//! Each run writes a fresh destination folder, which is removed (untimed) before the next run.
//!
//! What to expect on a 2-core machine: for copying, the chunk size matters more than the pool
//! (1 KiB chunks pay two system calls per KiB); 5 workers can only use 2 cores; and the process
//! pool also pays for starting 5 processes. For hashing, which is all CPU, the pools approach 2×.
//!
//! Seen on a 2-core VM (AMD EPYC, three runs with the machine otherwise idle): sequential 1 KiB
//! copy 243–263 ms, 64 KiB chunks 45–61 ms, `fs::copy` 39–58 ms; a pool of 5 with 1 KiB chunks
//! 130–167 ms (1.5–1.9×), a thread pool of 5 with `fs::copy` 25–34 ms. Hashing: sequential
//! 271–273 ms, thread pool and rayon 137–146 ms (1.9–2.0×), process pool 146–147 ms (1.86×).
//! The copy timings are noisy (the kernel writes the copies back to disk in the background), so
//! read differences under ~15% between the copying pools as noise.

use std::fs::{self, File, OpenOptions};
use std::hint;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use pools::chunked_copy::copy_chunked;
use pools::copy_dir::{Job, Pool, copy_dir, plan};
use pools::process_pool;
use pools::worker::Task;
use pools::{WORKERS, fingerprint, rayon_pool, thread_pool};
use test_support::{bench, listing, machine, sample_bytes};

const FILES: usize = 100;
const FILE_SIZE: usize = 1 << 20;
const RUNS: usize = 5;
/// Rounds of FNV-1a per file in the CPU-bound job.
const ROUNDS: u32 = 2;

/// One line of a results table.
struct Row {
    variant: String,
    median: Duration,
}

fn main() -> ExitCode {
    bench::exit_status(run())
}

fn run() -> Result<(), String> {
    let temp = tempfile::tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let src = temp.path().join("src");
    fs::create_dir(&src).map_err(|e| e.to_string())?;
    for i in 0..FILES {
        fs::write(
            src.join(format!("file-{i:03}.bin")),
            sample_bytes(i as u64, FILE_SIZE),
        )
        .map_err(|e| format!("cannot write the test files: {e}"))?;
    }
    let expected = listing(&src);
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_pools"));

    println!("## Copying and hashing {FILES} files of 1 MiB");
    println!();
    println!("- machine: {}", machine());
    println!(
        "- `cargo bench -p pools --bench copy`: release build, {RUNS} runs per variant, median \
         wall time; the files are in the page cache"
    );
    println!();

    // Copying: every variant copies `src` into a new folder, which is checked and removed.
    let mut runs = 0;
    let mut copy = |variant: &str, work: &dyn Fn(&Path, &Path) -> Result<(), String>| {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            runs += 1;
            let dst = temp.path().join(format!("dst-{runs}"));
            let start = Instant::now();
            work(&src, &dst).map_err(|e| format!("{variant}: {e}"))?;
            times.push(start.elapsed());
            if listing(&dst) != expected {
                return Err(format!("{variant}: the copy differs from the source"));
            }
            fs::remove_dir_all(&dst).map_err(|e| e.to_string())?;
        }
        eprintln!("measured: {variant}");
        Ok::<Row, String>(row(variant, times))
    };
    let pool_copy = |pool: Pool| {
        move |src: &Path, dst: &Path| {
            copy_dir(src, dst, &pool)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    };
    let processes = Pool::Processes {
        exe: exe.clone(),
        workers: WORKERS,
    };
    let copying = vec![
        copy(
            "sequential, 1 KiB chunks (`copy_file`)",
            &pool_copy(Pool::Sequential),
        )?,
        copy("sequential, 64 KiB chunks", &|src, dst| {
            for job in plan(src, dst).map_err(|e| e.to_string())? {
                copy_with_chunk(&job, 64 * 1024)?;
            }
            Ok(())
        })?,
        copy("sequential, `fs::copy`", &|src, dst| {
            for job in plan(src, dst).map_err(|e| e.to_string())? {
                fs::copy(&job.src, &job.dst).map_err(|e| e.to_string())?;
            }
            Ok(())
        })?,
        copy(
            "thread pool ×5, 1 KiB chunks",
            &pool_copy(Pool::Threads(WORKERS)),
        )?,
        copy("thread pool ×5, `fs::copy`", &|src, dst| {
            let jobs = plan(src, dst).map_err(|e| e.to_string())?;
            let results = thread_pool::map(WORKERS, jobs.iter().collect(), |job| {
                fs::copy(&job.src, &job.dst)
            });
            all_ok(results)
        })?,
        copy("rayon ×5, 1 KiB chunks", &pool_copy(Pool::Rayon(WORKERS)))?,
        copy("rayon ×5, `fs::copy`", &|src, dst| {
            let jobs = plan(src, dst).map_err(|e| e.to_string())?;
            let results = rayon_pool::map(WORKERS, jobs.iter().collect(), |job| {
                fs::copy(&job.src, &job.dst)
            });
            all_ok(results)
        })?,
        copy("process pool ×5, 1 KiB chunks", &pool_copy(processes))?,
    ];
    print_table("Copying (I/O)", &copying);

    // Hashing: read every file and fingerprint it; all variants must agree.
    let mut paths: Vec<PathBuf> = fs::read_dir(&src)
        .and_then(|entries| entries.map(|entry| entry.map(|e| e.path())).collect())
        .map_err(|e| e.to_string())?;
    paths.sort();
    let hash = |path: &PathBuf| fs::read(path).map(|bytes| fingerprint(&bytes, ROUNDS));
    let mut reference: Option<Vec<u64>> = None;
    let mut measure_hash = |variant: &str, work: &dyn Fn() -> Result<Vec<u64>, String>| {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let start = Instant::now();
            let sums = hint::black_box(work().map_err(|e| format!("{variant}: {e}"))?);
            times.push(start.elapsed());
            match &reference {
                None => reference = Some(sums),
                Some(expected) if *expected != sums => {
                    return Err(format!("{variant}: the fingerprints differ"));
                }
                Some(_) => {}
            }
        }
        eprintln!("measured: {variant}");
        Ok::<Row, String>(row(variant, times))
    };
    let hashing = vec![
        measure_hash("sequential", &|| {
            paths
                .iter()
                .map(|path| hash(path).map_err(|e| e.to_string()))
                .collect()
        })?,
        measure_hash("thread pool ×5", &|| {
            all_values(thread_pool::map(WORKERS, paths.iter().collect(), hash))
        })?,
        measure_hash("rayon ×5", &|| {
            all_values(rayon_pool::map(WORKERS, paths.iter().collect(), hash))
        })?,
        measure_hash("process pool ×5", &|| {
            let tasks = paths
                .iter()
                .map(|path| Task::Hash {
                    path: path.clone(),
                    rounds: ROUNDS,
                })
                .collect();
            process_pool::run(&exe, WORKERS, tasks)
                .into_iter()
                .map(|result| result.map(|done| done.value).map_err(|e| e.to_string()))
                .collect()
        })?,
    ];
    print_table(
        &format!("Hashing (CPU): `fingerprint(bytes, {ROUNDS})` of every file"),
        &hashing,
    );
    println!("All copies matched the source, and all pools computed the same fingerprints.");
    Ok(())
}

/// Copies one job's file with `copy_chunked` and a chunk of `chunk` bytes.
fn copy_with_chunk(job: &Job, chunk: usize) -> Result<(), String> {
    let mut from = File::open(&job.src).map_err(|e| e.to_string())?;
    let mut to = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&job.dst)
        .map_err(|e| e.to_string())?;
    copy_chunked(&mut from, &mut to, chunk)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn all_ok<T, E: ToString>(
    results: Vec<Result<Result<T, E>, pools::JobPanic>>,
) -> Result<(), String> {
    all_values(results).map(|_| ())
}

fn all_values<T, E: ToString>(
    results: Vec<Result<Result<T, E>, pools::JobPanic>>,
) -> Result<Vec<T>, String> {
    results
        .into_iter()
        .map(|result| {
            result
                .map_err(|panic| panic.to_string())?
                .map_err(|e| e.to_string())
        })
        .collect()
}

fn row(variant: &str, times: Vec<Duration>) -> Row {
    Row {
        variant: variant.to_owned(),
        median: bench::median(times),
    }
}

fn print_table(title: &str, rows: &[Row]) {
    println!("### {title}");
    println!();
    println!("| variant | median | speedup |");
    println!("|---|---:|---:|");
    let baseline = rows[0].median;
    for row in rows {
        println!(
            "| {} | {:.1} ms | {:.2}× |",
            row.variant,
            row.median.as_secs_f64() * 1000.0,
            baseline.as_secs_f64() / row.median.as_secs_f64()
        );
    }
    println!();
}
