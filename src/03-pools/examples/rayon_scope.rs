// Chapter 3, "The Rust way": rayon's `scope` is `apply_async` + `close` + `join`.
use std::fs::{self, File};
use std::hash::{BuildHasher, RandomState};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

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
// ANCHOR: scope
/// Copies `from` to `to` on a pool of five threads. Returns the total number of
/// bytes copied, and the files that failed with their errors.
fn copy_folder(from: &Path, to: &Path) -> io::Result<(u64, Vec<String>)> {
    let jobs = plan(from, to)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(5)
        .thread_name(|i| format!("copier-{i}"))
        .build()
        .expect("cannot start the pool's threads");

    // Plain locals. The jobs below borrow them: no `Arc`, no `move` of the totals.
    let total = AtomicU64::new(0);
    let failed = Mutex::new(Vec::new());

    pool.scope(|s| {
        for job in &jobs {
            let (total, failed) = (&total, &failed);
            // apply_async: queue one job and go on at once.
            s.spawn(move |_| match copy_file(job) {
                Ok(bytes) => {
                    total.fetch_add(bytes, Ordering::Relaxed);
                }
                Err(err) => failed
                    .lock()
                    .unwrap()
                    .push(format!("{}: {err}", job.src.display())),
            });
        }
        // The end of the closure is close(): the caller adds no more jobs. (A job may still
        // spawn more through the `&Scope` it is given, and `scope` waits for those too.)
    });
    // `scope` returns only when every job it spawned is done: join().

    Ok((total.into_inner(), failed.into_inner().unwrap()))
}
// ANCHOR_END: scope

fn main() -> io::Result<()> {
    let scratch = Scratch::new("rayon-scope", 100)?;
    let from = scratch.0.join("from");
    let (total, failed) = copy_folder(&from, &scratch.0.join("to"))?;

    let mut expected = 0;
    for entry in fs::read_dir(&from)? {
        expected += entry?.metadata()?.len();
    }
    assert_eq!(total, expected);
    assert!(failed.is_empty(), "{failed:?}");
    println!("{total} bytes copied");
    Ok(())
}
