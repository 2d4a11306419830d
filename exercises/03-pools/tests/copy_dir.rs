//! Exercise `copy_dir`: copy a folder of 100 files with each of the pools, and account for
//! every file.
//!
//! The same tests run against every `Pool` (the modules `sequential`, `threads`, `rayon` and
//! `processes`), and every successful copy is compared with ONE snapshot, `copied_tree`: the
//! sorted list of `name length checksum` of the destination. So all four ways provably produce
//! the very same files, byte for byte. `sequential::...` needs only `chunked_copy` and this
//! exercise; each of the others also needs its pool's exercise.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{FILES, add_bad_entries, attempt, name_of, tree};
use pools::copy_dir::{CopyError, Pool, Report, copy_dir, plan};
use test_support::{listing, output_within};

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
