// Chapter 3, "The Rust way": rayon's pool. `install` + `par_iter` is Python's `Pool.map`.
use std::fs::{self, File};
use std::hash::{BuildHasher, RandomState};
use std::io;
use std::path::{Path, PathBuf};
use std::thread;

use rayon::prelude::*;

/// A scratch folder `from/` with `files` files of different sizes, and room for `to/`.
/// Everything is removed when it is dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, files: usize) -> io::Result<Scratch> {
        // A fresh name for every run, even for two runs at once in one process.
        let unique = RandomState::new().hash_one(std::process::id());
        let root = std::env::temp_dir().join(format!("pools-book-{name}-{unique:x}"));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("from"))?;
        for i in 0..files {
            let body = format!("file {i:03}\n").repeat(i * 7);
            fs::write(root.join("from").join(format!("file-{i:03}.txt")), body)?;
        }
        Ok(Scratch(root))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// One job: copy `src` to `dst`.
struct Job {
    src: PathBuf,
    dst: PathBuf,
}

/// `os.listdir(path)`, plus the `os.path.join`s the notes leave out: one job per
/// file of `from`, in name order. It creates `to`, which must not exist yet.
fn plan(from: &Path, to: &Path) -> io::Result<Vec<Job>> {
    fs::create_dir(to)?;
    let mut names = Vec::new();
    for entry in fs::read_dir(from)? {
        names.push(entry?.file_name());
    }
    names.sort();
    Ok(names
        .into_iter()
        .map(|name| Job {
            src: from.join(&name),
            dst: to.join(&name),
        })
        .collect())
}

/// The work itself. `io::copy` is the notes' read-write loop, done right.
fn copy_file(job: &Job) -> io::Result<u64> {
    io::copy(&mut File::open(&job.src)?, &mut File::create(&job.dst)?)
}
// ANCHOR: map
/// Copies `from` to `to` on a pool of five threads named copier-0 to copier-4.
/// Returns, for each file in name order, the bytes copied and the worker's name.
fn copy_folder(from: &Path, to: &Path) -> io::Result<Vec<(u64, String)>> {
    let jobs = plan(from, to)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(5)
        .thread_name(|i| format!("copier-{i}"))
        .build()
        .expect("cannot start the pool's threads");

    // `install` runs the closure inside the pool, so the `par_iter` in it uses the
    // pool's five threads. `install` waits, and hands back what the closure returns.
    let results: Vec<io::Result<(u64, String)>> = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                let bytes = copy_file(job)?;
                let worker = thread::current().name().unwrap_or("?").to_owned();
                Ok((bytes, worker))
            })
            .collect()
    });
    // Same order as `jobs`, whichever worker finished first.
    results.into_iter().collect()
}
// ANCHOR_END: map

fn main() -> io::Result<()> {
    let scratch = Scratch::new("rayon-map", 100)?;
    let from = scratch.0.join("from");
    let copied = copy_folder(&from, &scratch.0.join("to"))?;

    assert_eq!(copied.len(), 100);
    for (i, (bytes, worker)) in copied.iter().enumerate() {
        // Result i belongs to file i: `collect` kept the order.
        let src = from.join(format!("file-{i:03}.txt"));
        assert_eq!(*bytes, fs::metadata(src)?.len());
        assert!(worker.starts_with("copier-"), "{worker}");
    }
    println!("100 files copied, results in order");
    Ok(())
}
