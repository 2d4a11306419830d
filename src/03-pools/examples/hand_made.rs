// Chapter 3, "The Rust way": a pool made by hand from 5 named threads and a channel of jobs.
use std::fs::{self, File};
use std::hash::{BuildHasher, RandomState};
use std::io;
use std::path::{Path, PathBuf};
use std::thread;

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

// ANCHOR: job
/// One job: copy `src` to `dst`.
struct Job {
    src: PathBuf,
    dst: PathBuf,
}

/// `os.listdir(path)`, plus the `os.path.join`s the notes leave out: one job per
/// file of `from`, in name order. Then it creates `to`, which must not exist yet
/// (listing first, so that a missing `from` leaves no empty `to` behind).
fn plan(from: &Path, to: &Path) -> io::Result<Vec<Job>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(from)? {
        names.push(entry?.file_name());
    }
    names.sort();
    fs::create_dir(to)?;
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
// ANCHOR_END: job

// ANCHOR: pool
/// Copies the folder `from` to `to` with a pool of five threads.
/// Returns how many files it copied.
fn copy_folder(from: &Path, to: &Path) -> io::Result<usize> {
    let jobs = plan(from, to)?;
    let count = jobs.len();

    // The queue between the main thread and the workers, and one for the answers.
    let (job_tx, job_rx) = crossbeam_channel::unbounded::<Job>();
    let (done_tx, done_rx) = crossbeam_channel::unbounded();

    // Pool(5): start five named workers, once.
    let mut workers = Vec::new();
    for i in 0..5 {
        let job_rx = job_rx.clone();
        let done_tx = done_tx.clone();
        let worker = thread::Builder::new()
            .name(format!("copier-{i}"))
            .spawn(move || {
                let me = thread::current().name().unwrap_or("?").to_owned();
                // Take the next job until the queue is closed *and* empty.
                for job in job_rx {
                    let result = copy_file(&job);
                    done_tx.send((job.dst, me.clone(), result)).unwrap();
                }
            })?;
        workers.push(worker);
    }
    // The workers have their own copies; these would keep the channels open.
    drop((job_rx, done_tx));

    // apply_async(copy, ...) 100 times: put each job in the queue. This never waits.
    for job in jobs {
        job_tx.send(job).unwrap();
    }
    // close(): no more jobs. The workers' `for` loops end once the queue is empty.
    drop(job_tx);
    // join(): wait for every worker.
    for worker in workers {
        worker.join().expect("a worker panicked");
    }

    // The answers, in whatever order the jobs finished.
    let mut copied = 0;
    for (dst, worker, result) in done_rx {
        let bytes = result?;
        assert_eq!(bytes, fs::metadata(&dst)?.len());
        assert!(["copier-0", "copier-1", "copier-2", "copier-3", "copier-4"].contains(&&*worker));
        copied += 1;
    }
    assert_eq!(copied, count);
    Ok(copied)
}
// ANCHOR_END: pool

fn main() -> io::Result<()> {
    let scratch = Scratch::new("hand-made", 100)?;
    let copied = copy_folder(&scratch.0.join("from"), &scratch.0.join("to"))?;
    assert_eq!(copied, 100);
    println!("{copied} files copied by 5 workers");
    Ok(())
}
