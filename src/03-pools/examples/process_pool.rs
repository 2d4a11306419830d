// Chapter 3, "The Rust way": a pool of 5 child processes, fed one job per line over stdin.
// The program runs itself again as the children: the environment variable POOL_ROLE=worker
// tells a copy of this program that it is a worker. Workers never start processes.
use std::fs::{self, File};
use std::hash::{BuildHasher, RandomState};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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

/// One job per file of `from`, in name order; creates `to`.
fn plan(from: &Path, to: &Path) -> io::Result<Vec<(PathBuf, PathBuf)>> {
    fs::create_dir(to)?;
    let mut names = Vec::new();
    for entry in fs::read_dir(from)? {
        names.push(entry?.file_name());
    }
    names.sort();
    Ok(names
        .into_iter()
        .map(|name| (from.join(&name), to.join(&name)))
        .collect())
}

// ANCHOR: worker
const ROLE: &str = "POOL_ROLE";

fn main() -> io::Result<()> {
    // The first thing a copy of this program does is look at its role.
    if std::env::var(ROLE).as_deref() == Ok("worker") {
        return worker();
    }
    parent()
}

/// A child: one job per line on stdin (`SRC<tab>DST`), one answer per line on stdout.
fn worker() -> io::Result<()> {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let line = line?;
        let answer = match line.split_once('\t') {
            Some((src, dst)) => match copy_file(Path::new(src), Path::new(dst)) {
                Ok(bytes) => format!("ok {bytes}"),
                Err(err) => format!("error {err}"),
            },
            None => format!("error not a job: {line:?}"),
        };
        writeln!(out, "{answer} (pid {})", std::process::id())?;
        out.flush()?; // the parent is waiting for this line
    }
    Ok(()) // end of stdin: the parent closed the pool
}

fn copy_file(src: &Path, dst: &Path) -> io::Result<u64> {
    io::copy(&mut File::open(src)?, &mut File::create(dst)?)
}
// ANCHOR_END: worker

// ANCHOR: parent
/// Copies `from` to `to` with five worker processes; returns one answer per file.
fn copy_folder(from: &Path, to: &Path) -> io::Result<Vec<String>> {
    let exe = std::env::current_exe()?;
    let (job_tx, job_rx) = crossbeam_channel::unbounded();
    for job in plan(from, to)? {
        job_tx.send(job).unwrap(); // apply_async
    }
    drop(job_tx); // close()

    // One thread in the parent per child: it feeds its child and reads its answers.
    let answers = thread::scope(|s| {
        let feeders: Vec<_> = (0..5)
            .map(|_| {
                let (exe, job_rx) = (&exe, job_rx.clone());
                s.spawn(move || -> io::Result<Vec<String>> {
                    let mut child = Command::new(exe)
                        .env(ROLE, "worker")
                        .stdin(Stdio::piped())
                        .stdout(Stdio::piped())
                        .spawn()?;
                    let mut to_child = child.stdin.take().expect("piped");
                    let mut from_child = BufReader::new(child.stdout.take().expect("piped"));
                    let mut answers = Vec::new();
                    for (src, dst) in job_rx {
                        writeln!(to_child, "{}\t{}", src.display(), dst.display())?;
                        let mut answer = String::new();
                        if from_child.read_line(&mut answer)? == 0 {
                            // End of file: the child died in the middle of this job.
                            answers.push(format!("error worker died copying {}", src.display()));
                            break;
                        }
                        answers.push(answer.trim_end().to_owned());
                    }
                    drop(to_child); // end of its stdin: the child's loop ends
                    child.wait()?; // join()
                    Ok(answers)
                })
            })
            .collect();
        let mut all = Vec::new();
        for feeder in feeders {
            all.extend(feeder.join().expect("a feeder thread panicked")?);
        }
        io::Result::Ok(all)
    })?;
    Ok(answers)
}
// ANCHOR_END: parent

fn parent() -> io::Result<()> {
    let scratch = Scratch::new("process-pool", 100)?;
    let answers = copy_folder(&scratch.0.join("from"), &scratch.0.join("to"))?;

    assert_eq!(answers.len(), 100);
    assert!(answers.iter().all(|a| a.starts_with("ok ")), "{answers:#?}");
    // At most five different children did the work, each started once and used many times.
    let mut pids: Vec<&str> = answers
        .iter()
        .filter_map(|a| a.split("(pid ").nth(1))
        .collect();
    pids.sort();
    pids.dedup();
    assert!(pids.len() <= 5);
    println!("100 files copied by {} worker processes", pids.len());
    Ok(())
}
