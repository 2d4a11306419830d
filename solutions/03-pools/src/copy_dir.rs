//! Exercise `copy_dir`: the notes' whole job, copying a folder, with any of the pools.
//!
//! The notes list the folder (`os.listdir`) and copy each file. Copying a folder well takes a
//! little more than that loop: a job list made up front (so the pools can share it out), a
//! destination that is new (so nothing is overwritten), and a report that accounts for every
//! file. When some files fail, the others are still copied, and the error names *every* file
//! that failed, with the reason, instead of stopping at the first or skipping any silently.

use std::error::Error;
use std::fmt;
use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

use crate::chunked_copy::copy_file;
use crate::worker::Task;
use crate::{process_pool, rayon_pool, thread_pool};

// Given by the course, down to the end-of-given line: keep it as it is.
/// One file to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The file's name, as shown in reports (lossily converted if it is not UTF-8).
    pub name: String,
    /// Where the file is: the source folder joined with the name.
    pub src: PathBuf,
    /// Where the copy goes: the destination folder joined with the same name.
    pub dst: PathBuf,
}

/// Which pool copies the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pool {
    /// No pool: one file after the other on the calling thread, as in the notes' first loop.
    Sequential,
    /// [`thread_pool::map`](crate::thread_pool::map) with this many threads.
    Threads(usize),
    /// [`rayon_pool::map`](crate::rayon_pool::map) with this many threads.
    Rayon(usize),
    /// [`process_pool::run`](crate::process_pool::run) with this many worker processes of the
    /// program `exe`.
    Processes { exe: PathBuf, workers: usize },
}

impl fmt::Display for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pool::Sequential => write!(f, "one after the other"),
            Pool::Threads(n) => write!(f, "with a pool of {n} threads"),
            Pool::Rayon(n) => write!(f, "with a rayon pool of {n} threads"),
            Pool::Processes { workers, .. } => write!(f, "with a pool of {workers} processes"),
        }
    }
}

/// What a successful [`copy_dir`] copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// How many files were copied.
    pub files: usize,
    /// How many bytes they held, all together.
    pub bytes: u64,
}

/// A file that was not copied, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The file's name ([`Job::name`]).
    pub name: String,
    /// Why it was not copied, such as `Is a directory (os error 21)`.
    pub reason: String,
}

/// Why a folder was not copied, or not completely.
#[derive(Debug)]
pub enum CopyError {
    /// The source folder cannot be listed (it is missing, or not a folder).
    Source { path: PathBuf, error: io::Error },
    /// The destination already exists. Nothing was written.
    DestinationExists { path: PathBuf },
    /// The destination folder cannot be created.
    Destination { path: PathBuf, error: io::Error },
    /// Some files were not copied: every one of them is in `failed`, in the order of the plan.
    /// The others were copied.
    Files { total: usize, failed: Vec<Failure> },
}

impl fmt::Display for CopyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CopyError::Source { path, error } => {
                write!(
                    f,
                    "cannot read the source folder {}: {error}",
                    path.display()
                )
            }
            CopyError::DestinationExists { path } => write!(
                f,
                "the destination {} already exists; name a new folder, so that nothing is \
                 overwritten",
                path.display()
            ),
            CopyError::Destination { path, error } => write!(
                f,
                "cannot create the destination folder {}: {error}",
                path.display()
            ),
            CopyError::Files { total, failed } => {
                write!(f, "{} of {total} files were not copied:", failed.len())?;
                for failure in failed {
                    write!(f, "\n  {}: {}", failure.name, failure.reason)?;
                }
                Ok(())
            }
        }
    }
}

impl Error for CopyError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            CopyError::Source { error, .. } | CopyError::Destination { error, .. } => Some(error),
            CopyError::DestinationExists { .. } | CopyError::Files { .. } => None,
        }
    }
}
// End of given.

/// Lists `src_dir` and plans one [`Job`] per entry, sorted by name, then creates `dst_dir`.
pub fn plan(src_dir: &Path, dst_dir: &Path) -> Result<Vec<Job>, CopyError> {
    let source_error = |error| CopyError::Source {
        path: src_dir.to_owned(),
        error,
    };
    let mut jobs = Vec::new();
    // Every entry becomes a job, whatever it is: an entry that is not a readable file fails
    // when it is copied, and so shows up in the report instead of being skipped.
    for entry in fs::read_dir(src_dir).map_err(source_error)? {
        let name = entry.map_err(source_error)?.file_name();
        jobs.push(Job {
            name: name.to_string_lossy().into_owned(),
            src: src_dir.join(&name),
            dst: dst_dir.join(&name),
        });
    }
    // `read_dir` gives no particular order.
    jobs.sort_by(|a, b| a.src.cmp(&b.src));

    // `create_dir` fails if anything is there already (even a dangling symlink), in one step.
    fs::create_dir(dst_dir).map_err(|error| {
        if error.kind() == ErrorKind::AlreadyExists {
            CopyError::DestinationExists {
                path: dst_dir.to_owned(),
            }
        } else {
            CopyError::Destination {
                path: dst_dir.to_owned(),
                error,
            }
        }
    })?;
    Ok(jobs)
}

/// Copies every file of `src` into the new folder `dst` with `pool`.
pub fn copy_dir(src: &Path, dst: &Path, pool: &Pool) -> Result<Report, CopyError> {
    copy_dir_with(src, dst, pool, copy_file)
}

/// [`copy_dir`], with `copy(src, dst)` copying each file (except with `Pool::Processes`, whose
/// workers copy with their own `copy_file`).
pub fn copy_dir_with<C>(src: &Path, dst: &Path, pool: &Pool, copy: C) -> Result<Report, CopyError>
where
    C: Fn(&Path, &Path) -> io::Result<u64> + Sync,
{
    let jobs = plan(src, dst)?;

    // Only regular files are handed to a pool. Opening a FIFO (a named pipe) waits until some
    // other program opens it for writing, which may be never, so a FIFO in the folder would stop
    // its worker for good; folders and devices cannot be copied as files either. `None`: still
    // to copy.
    let mut outcomes: Vec<Option<Result<u64, String>>> = jobs
        .iter()
        .map(|job| match fs::metadata(&job.src) {
            // `metadata` follows symbolic links: a link to a file is copied as that file.
            Ok(meta) if meta.is_file() => None,
            Ok(_) => Some(Err(format!("{} is not a regular file", job.src.display()))),
            Err(error) => Some(Err(format!("cannot open {}: {error}", job.src.display()))),
        })
        .collect();
    let to_copy: Vec<&Job> = jobs
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| outcome.is_none())
        .map(|(job, _)| job)
        .collect();
    // At least one worker, and no more than there are files to copy.
    let size = |workers: usize| workers.clamp(1, to_copy.len().max(1));
    let copy_job = |job: &Job| copy(&job.src, &job.dst).map_err(|e| e.to_string());

    // Each pool reports in its own way; bring them all to one `Result<bytes, reason>` per job,
    // in the order of `to_copy`.
    let copied: Vec<Result<u64, String>> = match pool {
        Pool::Sequential => to_copy.iter().copied().map(copy_job).collect(),
        Pool::Threads(workers) => thread_pool::map(size(*workers), to_copy.clone(), copy_job)
            .into_iter()
            .map(|outcome| outcome.map_err(|panic| panic.to_string()).and_then(|r| r))
            .collect(),
        Pool::Rayon(workers) => rayon_pool::map(size(*workers), to_copy.clone(), copy_job)
            .into_iter()
            .map(|outcome| outcome.map_err(|panic| panic.to_string()).and_then(|r| r))
            .collect(),
        Pool::Processes { exe, workers } => {
            // A child process cannot be handed `copy`: the workers copy with `copy_file`.
            let tasks = to_copy
                .iter()
                .map(|job| Task::Copy {
                    src: job.src.clone(),
                    dst: job.dst.clone(),
                })
                .collect();
            process_pool::run(exe, size(*workers), tasks)
                .into_iter()
                .map(|outcome| outcome.map(|done| done.value).map_err(|e| e.to_string()))
                .collect()
        }
    };
    let mut copied = copied.into_iter();
    for outcome in &mut outcomes {
        if outcome.is_none() {
            *outcome = copied.next();
        }
    }

    let mut report = Report::default();
    let mut failed = Vec::new();
    for (job, outcome) in jobs.iter().zip(outcomes) {
        match outcome.expect("the pool gives one outcome per job it was given") {
            Ok(bytes) => {
                report.files += 1;
                report.bytes += bytes;
            }
            Err(reason) => {
                // `copy_file` cleans up after itself, but a `copy` that panicked, or a worker
                // process that died in the middle of a copy, could not. The destination folder
                // is new (`plan` made it), so whatever is at `job.dst` is a half-made copy of
                // ours.
                if let Err(error) = fs::remove_file(&job.dst)
                    && error.kind() != ErrorKind::NotFound
                {
                    failed.push(Failure {
                        name: job.name.clone(),
                        reason: format!("{reason}; and the half-made copy remains: {error}"),
                    });
                    continue;
                }
                failed.push(Failure {
                    name: job.name.clone(),
                    reason,
                });
            }
        }
    }
    if failed.is_empty() {
        Ok(report)
    } else {
        Err(CopyError::Files {
            total: jobs.len(),
            failed,
        })
    }
}
