//! Exercise `copy_dir`: copy a folder of 100 files with each of the pools, and account for
//! every file.
//!
//! The same tests run against every `Pool` (the modules `sequential`, `threads`, `rayon` and
//! `processes`), and every successful copy is compared with ONE snapshot, `copied_tree`: the
//! sorted list of `name length checksum` of the destination. So all four ways provably produce
//! the very same files, byte for byte. `sequential::...` needs only `chunked_copy` and this
//! exercise; each of the others also needs its pool's exercise.
//!
//! Who did the copying is checked twice. A folder of links to `/proc/thread-self/status` makes
//! every copy hold the name and ids of the thread that read it, so the copies themselves say
//! where `copy_dir` ran them. And `copy_dir_with` is given a `copy` that waits at a gate for 5
//! copies at once, which a copy on the calling thread, or one after another, never reaches. The
//! process pool gets the same gate through a stand-in worker program that meets a `NetGate`
//! before each copy.

mod common;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use common::{
    FILES, Reader, Running, THREAD_SELF, add_bad_entries, attempt, install_script, name_of,
    shell_word, tree,
};
use pools::WORKERS;
use pools::chunked_copy::copy_file;
use pools::copy_dir::{CopyError, Failure, Pool, Report, copy_dir, copy_dir_with, plan};
use test_support::{Gate, NetGate, TIMEOUT, listing, output_within};

/// The program `pools`, for the process pool's workers and the command-line tests.
fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pools"))
}

/// The program `pools` as a command the tests start themselves. Should it panic (a `todo!()`
/// does), the message stays short: no backtrace, even where `RUST_BACKTRACE=1` is set.
fn pools() -> Command {
    let mut command = Command::new(exe());
    command.env("RUST_BACKTRACE", "0");
    command
}

/// The names of the workers of a pool of 5 threads.
fn copier_names() -> BTreeSet<String> {
    (0..WORKERS).map(|i| format!("copier-{i}")).collect()
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
    assert!(
        !failed[0].reason.contains("half-made"),
        "nothing was made at the destination for the FIFO, so no half-made copy can remain; \
         got: {}",
        failed[0].reason
    );
    assert_copied_tree(&dst);
}

/// How many links to `/proc/thread-self/status` the test folder holds.
const READERS: usize = 20;

fn copies_run_where_the_pool_runs_them(pool: Pool) {
    let temp = tempfile::tempdir().unwrap();
    let (src, dst) = (temp.path().join("src"), temp.path().join("dst"));
    fs::create_dir(&src).unwrap();
    let names: Vec<String> = (0..READERS).map(|i| format!("who-{i:02}")).collect();
    for name in &names {
        symlink(THREAD_SELF, src.join(name)).expect("make a link to /proc/thread-self/status");
    }

    let (from, to, asked) = (src.clone(), dst.clone(), pool.clone());
    let (caller, result) = attempt("copy_dir", move || {
        (Reader::me(), copy_dir(&from, &to, &asked))
    })
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let report = result.unwrap_or_else(|e| panic!("copying the folder {pool} failed: {e}"));

    let mut bytes = 0;
    let me = std::process::id();
    for name in &names {
        let copy = fs::read_to_string(dst.join(name))
            .unwrap_or_else(|e| panic!("cannot read the copy of {name}: {e}"));
        bytes += copy.len() as u64;
        let who = Reader::parse(&copy).unwrap_or_else(|| {
            panic!("the copy of {name} should hold the status of the thread that read it: {copy:?}")
        });
        let copied_by = format!(
            "{name} was copied by the thread `{}` ({}) of process {} (this test is process {me}, \
             and its thread `{}` ({}) called copy_dir)",
            who.name, who.thread, who.process, caller.name, caller.thread
        );
        match &pool {
            Pool::Sequential => assert_eq!(
                who.thread, caller.thread,
                "with Pool::Sequential every file is copied on the thread that called copy_dir, \
                 one after the other; {copied_by}"
            ),
            Pool::Threads(_) | Pool::Rayon(_) => assert!(
                who.process == me && copier_names().contains(&who.name),
                "{pool}, every file must be copied by the pool's workers, the threads copier-0 \
                 .. copier-4 of this process: give the jobs to the pool you were asked for, and \
                 let its workers call copy_file; {copied_by}"
            ),
            Pool::Processes { .. } => assert!(
                who.process != me && who.parent == me,
                "{pool}, every file must be copied by a worker process, a child of this one; \
                 {copied_by}"
            ),
        }
    }
    assert_eq!(
        report,
        Report {
            files: READERS,
            bytes
        },
        "the report should count the {READERS} files and the {bytes} bytes the copies hold. \
         fs::metadata says such a file has 0 bytes, so add up what each copy returned"
    );
}

fn copy_runs_on_the_pools_workers_at_once(pool: Pool) {
    let (_temp, src, dst, total) = tree();
    let gated = matches!(pool, Pool::Threads(_) | Pool::Rayon(_));
    let gate = Arc::new(Gate::new(WORKERS));
    let running = Arc::new(Running::default());
    // Each call of `copy`: the thread it ran on, and that thread's name.
    type Calls = Mutex<Vec<(ThreadId, Option<String>)>>;
    let threads: Arc<Calls> = Arc::default();
    let copy = {
        let (gate, running, threads) = (gate.clone(), running.clone(), threads.clone());
        move |from: &Path, to: &Path| -> io::Result<u64> {
            let me = thread::current();
            threads
                .lock()
                .unwrap()
                .push((me.id(), me.name().map(str::to_owned)));
            running.enter();
            if gated {
                gate.wait();
            }
            let copied = copy_file(from, to);
            running.leave();
            copied
        }
    };
    let (to, asked) = (dst.clone(), pool.clone());
    let outcome = attempt("copy_dir_with", move || {
        (
            thread::current().id(),
            copy_dir_with(&src, &to, &asked, copy),
        )
    });
    let explain = || {
        format!(
            "{pool}, {WORKERS} copies should run at the same time, but only {} did (each copy \
             waits up to {} s for the others): hand the files to the pool with {WORKERS} \
             workers, all at once, and let each worker call `copy` for its files",
            gate.arrived_together(),
            TIMEOUT.as_secs()
        )
    };
    let (caller, result) = match outcome {
        Err(_) if gated && !gate.opened() && gate.arrived_together() > 0 => panic!("{}", explain()),
        Err(panic) => std::panic::resume_unwind(panic),
        Ok(done) => done,
    };
    let report = result.unwrap_or_else(|e| panic!("copying the folder {pool} failed: {e}"));

    let threads = threads.lock().unwrap().clone();
    match &pool {
        Pool::Sequential => {
            assert!(
                threads.iter().all(|(id, _)| *id == caller) && running.peak() == 1,
                "with Pool::Sequential, `copy` runs on the thread that called copy_dir_with, one \
                 file after the other (it ran on {:?}, up to {} at once)",
                threads
                    .iter()
                    .map(|(_, name)| name)
                    .collect::<BTreeSet<_>>(),
                running.peak()
            );
        }
        Pool::Threads(_) | Pool::Rayon(_) => {
            assert!(gate.opened(), "{}", explain());
            assert!(
                running.peak() <= WORKERS,
                "{} copies ran at the same time, but {pool} runs at most {WORKERS} at once",
                running.peak()
            );
            let names: BTreeSet<String> = threads
                .iter()
                .map(|(_, name)| name.clone().unwrap_or_else(|| "(no name)".into()))
                .collect();
            assert!(
                names.is_subset(&copier_names()),
                "{pool}, `copy` must run on the pool's workers copier-0 .. copier-4, but it ran \
                 on {names:?}"
            );
        }
        Pool::Processes { .. } => assert!(
            threads.is_empty(),
            "with Pool::Processes the worker processes copy the files with their own copy_file: \
             a child process cannot be handed a function, so `copy` must not be called (it was \
             called {} times)",
            threads.len()
        ),
    }
    if !matches!(pool, Pool::Processes { .. }) {
        assert_eq!(
            threads.len(),
            FILES,
            "`copy` should be called once for each of the {FILES} files"
        );
    }
    assert_copied_tree(&dst);
    assert_eq!(
        report,
        Report {
            files: FILES,
            bytes: total
        },
        "the report should count the {FILES} files and their {total} bytes"
    );
}

fn a_copy_that_fails_or_panics_is_reported(pool: Pool) {
    let (_temp, src, dst, _) = tree();
    let (panics, refused) = (name_of(7), name_of(42));
    let copy = {
        let (panics, refused) = (panics.clone(), refused.clone());
        move |from: &Path, to: &Path| -> io::Result<u64> {
            let name = from.file_name().unwrap_or_default();
            if name == refused.as_str() {
                return Err(io::Error::other("refused on purpose"));
            }
            if name == panics.as_str() {
                fs::write(to, "half a copy").expect("write half a copy");
                panic!("this copy panics on purpose");
            }
            copy_file(from, to)
        }
    };
    let (from, to, asked) = (src.clone(), dst.clone(), pool.clone());
    let outcome = attempt("copy_dir_with", move || {
        copy_dir_with(&from, &to, &asked, copy)
    });
    let Ok(result) = outcome else {
        panic!(
            "{pool}, copy_dir_with panicked when one `copy` did: the pool catches the panic of a \
             job (a JobPanic), so report that file as failed, with the JobPanic's text as its \
             reason, and go on"
        );
    };
    let error = result.expect_err("two copies fail, so copy_dir_with must return an error");
    let CopyError::Files { total, failed } = &error else {
        panic!("expected CopyError::Files listing the two files, got: {error}");
    };
    let names: Vec<&str> = failed.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        (*total, names),
        (FILES, vec![panics.as_str(), refused.as_str()]),
        "the copy of {panics} panics and the copy of {refused} fails: both must be listed, in the \
         plan's order, out of {FILES} files; got: {error}"
    );
    assert!(
        failed[0].reason.contains("this copy panics on purpose"),
        "the reason for {panics} should be the caught panic (its JobPanic's text, with the \
         message), not `{}`",
        failed[0].reason
    );
    assert!(
        failed[1].reason.contains("refused on purpose"),
        "the reason for {refused} should be the copy's error, not `{}`",
        failed[1].reason
    );
    assert!(
        !dst.join(&panics).exists(),
        "the copy of {panics} wrote half a file and panicked: after the pool, remove the \
         destination file of every job that failed (ignore NotFound), so no half-made copy is \
         left"
    );
    let good: String = listing(&src)
        .lines()
        .filter(|line| !line.starts_with(&panics) && !line.starts_with(&refused))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(
        listing(&dst),
        good,
        "every other file must still be copied, byte for byte"
    );
}

/// The same tests for one pool, in a module of their own, and the extra tests `$extra`.
macro_rules! pool_tests {
    ($module:ident, $pool:expr $(, $extra:ident)*) => {
        mod $module {
            use super::*;

            $(
                #[test]
                fn $extra() {
                    super::$extra($pool);
                }
            )*

            #[test]
            fn copies_run_where_the_pool_runs_them() {
                super::copies_run_where_the_pool_runs_them($pool);
            }

            #[test]
            fn copy_runs_on_the_pools_workers_at_once() {
                super::copy_runs_on_the_pools_workers_at_once($pool);
            }

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
pool_tests!(
    threads,
    Pool::Threads(5),
    a_copy_that_fails_or_panics_is_reported
);
pool_tests!(
    rayon,
    Pool::Rayon(5),
    a_copy_that_fails_or_panics_is_reported
);
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
    install_script(&exe, DYING_WORKER);

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

/// A stand-in worker that takes each job to the real worker (`pools worker`, started for that
/// one job) only after a `gate` job has met the other workers' jobs at the test's `NetGate`.
fn gated_worker(gate: &NetGate) -> String {
    let pools = shell_word(&exe());
    let addr = gate.addr();
    format!(
        "#!/bin/sh
[ \"$1\" = worker ] || exit 0
while IFS= read -r line; do
    gate=$(printf 'gate\\t%s\\n' '{addr}' | {pools} worker)
    case \"$gate\" in
        ok*) printf '%s\\n' \"$line\" | {pools} worker ;;
        *) printf 'err\\tthe gate said: %s\\n' \"$gate\" ;;
    esac
done
"
    )
}

#[test]
fn the_process_pool_copies_with_five_workers_at_once() {
    let gate = NetGate::start(WORKERS);
    let (temp, src, dst, total) = tree();
    let exe = temp.path().join("gated-worker");
    install_script(&exe, &gated_worker(&gate));

    let to = dst.clone();
    let pool = Pool::Processes { exe, workers: 5 };
    let outcome = attempt("copy_dir", move || copy_dir(&src, &to, &pool));
    assert!(
        gate.opened() || (gate.total() == 0 && outcome.is_err()),
        "before each copy, the stand-in worker meets the other workers' copies at a gate, which \
         opens when {WORKERS} of them are there at once, but it gave up after {} s: hand the \
         files to the process pool with {WORKERS} workers, all at once",
        TIMEOUT.as_secs()
    );
    let report = outcome
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        .unwrap_or_else(|e| panic!("copying the folder with the gated worker failed: {e}"));
    assert!(
        gate.peak() <= WORKERS,
        "{} worker processes were copying at the same time, but a pool of {WORKERS} runs at most \
         {WORKERS} at once",
        gate.peak()
    );
    assert_copied_tree(&dst);
    assert_eq!(
        report,
        Report {
            files: FILES,
            bytes: total
        }
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
    let out = output_within(pools().arg("copy").args([&src, &dst]).args([
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
        pools()
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
    let out = output_within(pools().arg("copy").args([&odd_src, &odd_dst]));
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
    let out = output_within(pools().arg("copy").args([&src, &dst]));
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
