//! Exercise `copy_dir`: copy a folder of 100 files with each of the pools, and account for
//! every file.
//!
//! The same tests run against every `Pool` (the modules `sequential`, `threads`, `rayon` and
//! `processes`), and every successful copy is compared with ONE snapshot, `copied_tree`: the
//! sorted list of `name length checksum` of the destination. So all four ways provably produce
//! the very same files, byte for byte. `sequential::...` needs only `chunked_copy` and this
//! exercise; each of the others also needs its pool's exercise.

mod common;

use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{FILES, add_bad_entries, attempt, name_of, tree};
use pools::copy_dir::{CopyError, Failure, Pool, Report, copy_dir, plan};
use test_support::{Deadline, TIMEOUT, listing, output_within};

/// The program `pools`, for the process pool's workers and the command-line tests.
fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pools"))
}

/// `copy_dir` within the time limit (a pool that never finishes fails instead of hanging).
fn copy(src: &Path, dst: &Path, pool: Pool) -> Result<Report, CopyError> {
    let (src, dst) = (src.to_owned(), dst.to_owned());
    attempt("copy_dir", move || copy_dir(&src, &dst, &pool))
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The destination must hold exactly the 100 test files, byte for byte.
fn assert_copied_tree(dst: &Path) {
    insta::with_settings!({
        description => "listing(dst): one line per copied file, `name length checksum`, sorted",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("copied_tree", listing(dst));
    });
}

fn copies_every_file_byte_for_byte(pool: Pool) {
    let (_temp, src, dst, total) = tree();
    let report = copy(&src, &dst, pool.clone())
        .unwrap_or_else(|e| panic!("copying the folder {pool} failed: {e}"));
    assert_copied_tree(&dst);
    assert_eq!(
        report,
        Report {
            files: FILES,
            bytes: total
        },
        "the report should count the {FILES} files and their {total} bytes"
    );
    assert_eq!(
        listing(&src),
        listing(&dst),
        "the source folder must not change"
    );
}

fn lists_every_file_that_failed(pool: Pool) {
    let (_temp, src, dst, _) = tree();
    add_bad_entries(&src);
    let error = copy(&src, &dst, pool.clone())
        .expect_err("two entries cannot be copied, so copy_dir must return an error");

    // Every good file was still copied, and nothing is left of the two that failed.
    assert_copied_tree(&dst);
    let CopyError::Files { total, failed } = &error else {
        panic!("expected CopyError::Files listing the two bad entries, got: {error}");
    };
    let names: Vec<&str> = failed.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        (*total, names),
        (FILES + 2, vec!["a-folder", "broken-link"]),
        "the error must list every file that failed (not only the first), in the plan's order, \
         and count all {} entries of the folder",
        FILES + 2
    );
    for failure in failed {
        assert!(
            !failure.reason.is_empty(),
            "say why {} was not copied",
            failure.name
        );
    }
    let message = error.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines[0],
        format!("2 of {} files were not copied:", FILES + 2)
    );
    assert!(lines[1].starts_with("  a-folder: ") && lines[2].starts_with("  broken-link: "));
}

fn a_missing_source_folder_is_an_error(pool: Pool) {
    let temp = tempfile::tempdir().unwrap();
    let (src, dst) = (temp.path().join("no-such-folder"), temp.path().join("dst"));
    let error = copy(&src, &dst, pool).expect_err("there is no source folder");
    assert!(
        matches!(error, CopyError::Source { ref path, .. } if *path == src),
        "expected CopyError::Source naming the missing folder, got: {error}"
    );
    assert!(!dst.exists(), "no destination should be created");
}

fn an_existing_destination_is_left_alone(pool: Pool) {
    let (_temp, src, dst, _) = tree();
    fs::create_dir(&dst).unwrap();
    fs::write(dst.join(name_of(3)), "precious").unwrap();
    let error = copy(&src, &dst, pool).expect_err("the destination exists");
    assert!(
        matches!(error, CopyError::DestinationExists { ref path } if *path == dst),
        "expected CopyError::DestinationExists, got: {error}"
    );
    let names: Vec<_> = fs::read_dir(&dst)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(
        (names, fs::read_to_string(dst.join(name_of(3))).unwrap()),
        (vec![name_of(3).into()], "precious".to_owned()),
        "nothing in an existing destination may change"
    );
}

fn an_empty_folder_copies_nothing(pool: Pool) {
    let temp = tempfile::tempdir().unwrap();
    let (src, dst) = (temp.path().join("empty"), temp.path().join("dst"));
    fs::create_dir(&src).unwrap();
    let report = copy(&src, &dst, pool).unwrap_or_else(|e| panic!("copying nothing failed: {e}"));
    assert_eq!(report, Report::default());
    assert!(dst.is_dir(), "the (empty) destination folder should exist");
    assert_eq!(listing(&dst), "");
}

fn a_fifo_fails_without_blocking(pool: Pool) {
    let (_temp, src, dst, _) = tree();
    // A FIFO (named pipe): opening it for reading waits until a writer opens it too.
    let fifo = src.join("a-fifo");
    let out = output_within(Command::new("mkfifo").arg(&fifo));
    assert!(out.status.success(), "mkfifo failed: {out:?}");

    let (from, to, pool_name) = (src.clone(), dst.clone(), pool.to_string());
    let outcome = attempt("copy_dir", move || copy_dir(&from, &to, &pool));
    // If a worker is stuck opening the FIFO, give it a writer so that it (and, for the process
    // pool, its child) can finish. On Linux, opening a FIFO for reading and writing never waits.
    drop(fs::OpenOptions::new().read(true).write(true).open(&fifo));
    let Ok(result) = outcome else {
        panic!(
            "copying a folder with a FIFO in it {pool_name} did not finish within {} s: opening \
             a FIFO waits for a writer, maybe for ever. Check with fs::metadata that a source is \
             a regular file before a worker opens it",
            TIMEOUT.as_secs()
        );
    };
    let error = result.expect_err("a FIFO cannot be copied as a file");
    let CopyError::Files { total, failed } = &error else {
        panic!("expected CopyError::Files listing the FIFO, got: {error}");
    };
    assert!(
        *total == FILES + 1
            && matches!(&failed[..], [Failure { name, reason }]
                if name == "a-fifo" && reason.contains("not a regular file")),
        "the FIFO must be the one failed file of {}, with a reason that says `not a regular \
         file`; got: {error}",
        FILES + 1
    );
    assert_copied_tree(&dst);
}

/// The same tests for one pool, in a module of their own.
macro_rules! pool_tests {
    ($module:ident, $pool:expr) => {
        mod $module {
            use super::*;

            #[test]
            fn copies_every_file_byte_for_byte() {
                super::copies_every_file_byte_for_byte($pool);
            }

            #[test]
            fn lists_every_file_that_failed() {
                super::lists_every_file_that_failed($pool);
            }

            #[test]
            fn a_missing_source_folder_is_an_error() {
                super::a_missing_source_folder_is_an_error($pool);
            }

            #[test]
            fn an_existing_destination_is_left_alone() {
                super::an_existing_destination_is_left_alone($pool);
            }

            #[test]
            fn an_empty_folder_copies_nothing() {
                super::an_empty_folder_copies_nothing($pool);
            }

            #[test]
            fn a_fifo_fails_without_blocking() {
                super::a_fifo_fails_without_blocking($pool);
            }
        }
    };
}

pool_tests!(sequential, Pool::Sequential);
pool_tests!(threads, Pool::Threads(5));
pool_tests!(rayon, Pool::Rayon(5));
pool_tests!(
    processes,
    Pool::Processes {
        exe: exe(),
        workers: 5
    }
);

#[test]
fn the_process_pool_really_runs_the_workers() {
    // With a program that does not exist, the process pool has no worker to copy with: every
    // file must fail, saying so. A copy_dir that copied the files some other way would succeed.
    let (temp, src, dst, _) = tree();
    let pool = Pool::Processes {
        exe: temp.path().join("no-such-program"),
        workers: 5,
    };
    let error = copy(&src, &dst, pool).expect_err("no worker can be started, so nothing is copied");
    let CopyError::Files { total, failed } = &error else {
        panic!("expected CopyError::Files with every file, got: {error}");
    };
    assert_eq!(
        (*total, failed.len()),
        (FILES, FILES),
        "with Pool::Processes and a missing program, all {FILES} files must fail: {error}"
    );
    for failure in failed {
        assert!(
            failure.reason.contains("no worker"),
            "{} failed because no worker could be started, and its reason should say so (the \
             `Display` of JobFailed::NoWorker): `{}`",
            failure.name,
            failure.reason
        );
    }
    assert_eq!(listing(&dst), "", "nothing can have been copied");
}

/// A program that plays a worker which dies in the middle of its first copy: it starts writing
/// the destination file, then exits without an answer.
const DYING_WORKER: &str = "#!/bin/sh
[ \"$1\" = worker ] || exit 0
IFS='\t' read -r kind src dst
printf 'half a copy' > \"$dst\"
exit 3
";

#[test]
fn a_worker_that_dies_mid_copy_leaves_no_half_file() {
    let (temp, src, dst, _) = tree();
    for i in 3..FILES {
        fs::remove_file(src.join(name_of(i))).unwrap();
    }
    let exe = temp.path().join("dying-worker");
    fs::write(&exe, DYING_WORKER).unwrap();
    fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
    // Another test thread may have started a process while the script was still open for
    // writing; until that process has started its own program, the script cannot be run
    // ("Text file busy"). Run it once, to be sure it can be.
    let deadline = Deadline::from_now();
    loop {
        match Command::new(&exe).stdin(Stdio::null()).status() {
            Err(e)
                if e.kind() == ErrorKind::ExecutableFileBusy && !deadline.remaining().is_zero() =>
            {
                std::thread::yield_now();
            }
            Err(e) => panic!("cannot run the test's worker script: {e}"),
            Ok(_) => break,
        }
    }

    let pool = Pool::Processes { exe, workers: 5 };
    let error = copy(&src, &dst, pool).expect_err("every worker dies, so nothing is copied");
    let CopyError::Files { total, failed } = &error else {
        panic!("expected CopyError::Files with the 3 files, got: {error}");
    };
    assert!(
        *total == 3 && failed.len() == 3 && failed.iter().all(|f| f.reason.contains("died")),
        "each of the 3 jobs crashed its worker, so each must fail as a crash: {error}"
    );
    assert_eq!(
        listing(&dst),
        "",
        "each worker wrote part of its file and died: after the pool, remove the destination \
         file of every job that failed (ignore NotFound), so no half-made copy is left behind"
    );
}

#[test]
fn plan_lists_the_folder_sorted_and_creates_the_destination() {
    let temp = tempfile::tempdir().unwrap();
    let (src, dst) = (temp.path().join("src"), temp.path().join("dst"));
    fs::create_dir(&src).unwrap();
    for name in ["c.txt", "a.txt", "b.txt"] {
        fs::write(src.join(name), name).unwrap();
    }
    let jobs = plan(&src, &dst).unwrap_or_else(|e| panic!("plan failed: {e}"));
    let seen: Vec<(&str, PathBuf, PathBuf)> = jobs
        .iter()
        .map(|job| (job.name.as_str(), job.src.clone(), job.dst.clone()))
        .collect();
    let expected: Vec<(&str, PathBuf, PathBuf)> = ["a.txt", "b.txt", "c.txt"]
        .into_iter()
        .map(|name| (name, src.join(name), dst.join(name)))
        .collect();
    assert_eq!(
        seen, expected,
        "one job per file, sorted by name, from the source folder to the destination folder"
    );
    assert!(dst.is_dir(), "plan creates the destination folder");
    assert_eq!(listing(&dst), "", "plan copies nothing yet");
}

#[test]
fn plan_refuses_a_missing_source_or_an_existing_destination() {
    let temp = tempfile::tempdir().unwrap();
    let (src, dst) = (temp.path().join("src"), temp.path().join("dst"));
    let error = plan(&src, &dst).expect_err("there is no source folder");
    assert!(
        matches!(error, CopyError::Source { .. }),
        "expected CopyError::Source, got: {error}"
    );
    assert!(!dst.exists(), "no destination should be created");

    fs::create_dir(&src).unwrap();
    fs::create_dir(&dst).unwrap();
    let error = plan(&src, &dst).expect_err("the destination exists");
    assert!(
        matches!(error, CopyError::DestinationExists { .. }),
        "expected CopyError::DestinationExists, got: {error}"
    );
}

#[test]
fn the_command_line_copies_a_folder() {
    let (_temp, src, dst, total) = tree();
    let out = output_within(Command::new(exe()).arg("copy").args([&src, &dst]).args([
        "--workers",
        "5",
        "--pool",
        "processes",
    ]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "`pools copy SRC DST --pool processes` failed ({}): {stderr}",
        out.status
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!("copied {FILES} files ({total} bytes)")),
        "unexpected output: {stdout}"
    );
    assert_copied_tree(&dst);

    let other = dst.with_file_name("too-many");
    let out = output_within(
        Command::new(exe())
            .arg("copy")
            .args([&src, &other])
            .args(["--workers", "100000"]),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "`--workers 100000` is a usage error (exit code 2); stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!other.exists(), "a usage error copies nothing");
}

#[test]
fn the_command_line_takes_paths_that_are_not_utf8() {
    let (temp, src, _, total) = tree();
    let odd_src = temp.path().join(OsStr::from_bytes(b"source-\xff"));
    let odd_dst = temp.path().join(OsStr::from_bytes(b"copy-\xfe"));
    fs::rename(&src, &odd_src).unwrap();
    let out = output_within(Command::new(exe()).arg("copy").args([&odd_src, &odd_dst]));
    assert!(
        out.status.success(),
        "`pools copy` with folder names that are not UTF-8 failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with(&format!("copied {FILES} files ({total} bytes)")),
        "unexpected output: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_copied_tree(&odd_dst);
}

#[test]
fn the_command_line_reports_every_failed_file() {
    let (_temp, src, dst, _) = tree();
    add_bad_entries(&src);
    let out = output_within(Command::new(exe()).arg("copy").args([&src, &dst]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a copy with failed files exits with code 1; stderr: {stderr}"
    );
    assert!(
        stderr.starts_with(&format!("error: 2 of {} files were not copied:", FILES + 2))
            && stderr.contains("\n  a-folder: ")
            && stderr.contains("\n  broken-link: "),
        "stderr should list both failed files: {stderr}"
    );
}
