//! Exercise `process_pool`: `process_pool::run` feeds jobs to a pool of child processes.
//!
//! The children are this crate's program (`CARGO_BIN_EXE_pools`) in its `worker` role. Atomics
//! cannot count what other processes do, so the bound is proven with `test_support::NetGate`, a
//! gate over TCP on 127.0.0.1 that `gate` jobs connect to: it opens when 5 jobs are connected at
//! once and records the most that ever were. Crashes are real: a `panic` job kills its worker.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::thread;

use common::{attempt, install_script};
use pools::process_pool::{Done, JobFailed, run};
use pools::worker::Task;
use test_support::{NetGate, TIMEOUT, checksum, sample_bytes};

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pools"))
}

/// `run` within the time limit, so that a pool that never finishes fails instead of hanging.
fn run_pool(workers: usize, tasks: Vec<Task>) -> Vec<Result<Done, JobFailed>> {
    attempt("process_pool::run", move || run(&exe(), workers, tasks))
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// 64-bit FNV-1a run over `bytes` `rounds` times in a row, each round going on from the hash
/// the previous one ended with: what `pools::fingerprint` computes, written out again here, so
/// that the expected values do not come from the code that the workers run.
fn fnv1a_rounds(bytes: &[u8], rounds: u32) -> u64 {
    (0..rounds).fold(0xcbf2_9ce4_8422_2325, |hash, _| {
        bytes.iter().fold(hash, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    })
}

/// A file of `len` sample bytes in `dir`, and a hash task for it with the value the worker must
/// answer.
fn hash_task(dir: &Path, seed: u64, len: usize, rounds: u32) -> (Task, u64) {
    let path = dir.join(format!("hash-me-{seed}"));
    let bytes = sample_bytes(seed, len);
    fs::write(&path, &bytes).unwrap();
    let expected = fnv1a_rounds(&bytes, rounds);
    if rounds == 1 {
        assert_eq!(expected, checksum(&bytes), "one round is plain FNV-1a");
    }
    (Task::Hash { path, rounds }, expected)
}

fn pids(results: &[Result<Done, JobFailed>]) -> BTreeSet<u32> {
    results
        .iter()
        .filter_map(|result| match result {
            Ok(Done { pid, .. })
            | Err(JobFailed::Failed { pid, .. } | JobFailed::Crashed { pid, .. }) => Some(*pid),
            Err(_) => None,
        })
        .collect()
}

/// Every worker that ran a job must have been waited for by the time `run` returns. A child that
/// exited but was never waited for stays in the process table as a zombie, so its `/proc/<pid>`
/// is still there; one that was waited for is gone. (Only entries whose parent is this test
/// process count, in case the pid was already given to an unrelated process.)
fn assert_every_worker_was_waited_for(results: &[Result<Done, JobFailed>]) {
    let me = std::process::id().to_string();
    for pid in pids(results) {
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue; // gone: it was waited for
        };
        // `pid (name) state ppid ...`; the name may hold spaces, so start after the last `)`.
        let parent = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1));
        assert_ne!(
            parent,
            Some(me.as_str()),
            "worker {pid} is still in the process table after `run` returned ({}): close each \
             child's stdin and `wait()` for it, also after a crash, so that no child is left \
             behind",
            stat.split_whitespace().nth(2).unwrap_or("?")
        );
    }
}

#[test]
fn results_come_back_in_input_order() {
    let temp = tempfile::tempdir().unwrap();
    let (tasks, expected): (Vec<Task>, Vec<u64>) = (0..40)
        .map(|i| hash_task(temp.path(), i, 100 * i as usize, 1 + (i % 3) as u32))
        .unzip();
    let results = run_pool(5, tasks);

    let values: Vec<Option<u64>> = results
        .iter()
        .map(|result| result.as_ref().ok().map(|done| done.value))
        .collect();
    let expected: Vec<Option<u64>> = expected.into_iter().map(Some).collect();
    assert_eq!(
        values, expected,
        "each job's result must be the worker's answer (a fingerprint here) to that job, in the \
         order of the jobs; all results: {results:?}"
    );
    let pids = pids(&results);
    assert!(
        !pids.is_empty() && pids.len() <= 5 && !pids.contains(&std::process::id()),
        "the jobs must run in at most 5 worker processes, none of them this one; they ran in \
         {pids:?} (this process is {})",
        std::process::id()
    );
    assert_every_worker_was_waited_for(&results);
}

#[test]
fn at_most_five_children_run_jobs_at_once_and_five_do() {
    let gate = NetGate::start(5);
    let tasks = (0..20)
        .map(|_| Task::Gate(gate.addr().to_string()))
        .collect();
    let outcome = attempt("process_pool::run", move || run(&exe(), 5, tasks));

    assert!(
        gate.opened() || (gate.total() == 0 && outcome.is_err()),
        "5 worker processes should run a gate job at the same time, but fewer did (the gate \
         gave up after {} s): start all the workers, each with its own parent thread feeding it, \
         before waiting for any reply",
        TIMEOUT.as_secs()
    );
    let results = outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    assert!(
        gate.peak() <= 5,
        "{} jobs ran at the same time, but a pool of 5 runs at most 5 at once",
        gate.peak()
    );
    assert!(
        results.iter().all(Result::is_ok),
        "every gate job should succeed: {results:?}"
    );
    let pids = pids(&results);
    assert!(
        pids.len() == 5 && !pids.contains(&std::process::id()),
        "the 20 jobs should run in exactly 5 worker processes, not in this one ({}); they ran in \
         {pids:?}",
        std::process::id()
    );
}

#[test]
fn a_crashed_worker_is_reported_and_replaced() {
    let temp = tempfile::tempdir().unwrap();
    let (hash, value) = hash_task(temp.path(), 1, 500, 1);
    let tasks = vec![
        hash.clone(),
        Task::Panic("boom".into()),
        hash.clone(),
        Task::Panic("boom again".into()),
        hash,
    ];
    // One worker, so the jobs run in order and each crash must be followed by a new worker.
    let results = run_pool(1, tasks);

    let pid = |i: usize| match &results[i] {
        Ok(Done { pid, value: v }) if *v == value => *pid,
        other => panic!("job {i} should have succeeded in a worker, got {other:?}"),
    };
    let (first, second, third) = (pid(0), pid(2), pid(4));
    for (i, before) in [(1, first), (3, second)] {
        match &results[i] {
            Err(JobFailed::Crashed { pid, status }) => {
                assert_eq!(
                    *pid,
                    before,
                    "job {i} crashed the worker that ran job {}",
                    i - 1
                );
                assert!(
                    status.contains("101"),
                    "a panicking worker exits with code 101; the report says `{status}`"
                );
            }
            other => panic!(
                "job {i} panics, which kills its worker process: report it as \
                 JobFailed::Crashed with the worker's pid and exit status, got {other:?}"
            ),
        }
    }
    assert!(
        first != second && second != third && first != third,
        "after each crash a fresh worker process must take over, but the jobs ran in {first}, \
         {second} and {third}"
    );
    assert_every_worker_was_waited_for(&results);
}

#[test]
fn crashes_do_not_stop_the_pool() {
    let temp = tempfile::tempdir().unwrap();
    let mut tasks = Vec::new();
    let mut expected = Vec::new();
    for i in 0..30 {
        if i % 4 == 1 {
            tasks.push(Task::Panic(format!("job {i} crashes")));
            expected.push(None);
        } else {
            let (task, value) = hash_task(temp.path(), i, 1000, 1);
            tasks.push(task);
            expected.push(Some(value));
        }
    }
    let results = run_pool(5, tasks);

    assert_eq!(results.len(), 30, "expected one result per job");
    for (i, (result, expected)) in results.iter().zip(&expected).enumerate() {
        match (result, expected) {
            (Ok(done), Some(value)) if done.value == *value => {}
            (Err(JobFailed::Crashed { .. }), None) => {}
            _ => panic!(
                "job {i}: expected {}, got {result:?}",
                if expected.is_some() {
                    "its fingerprint"
                } else {
                    "JobFailed::Crashed"
                }
            ),
        }
    }
}

#[test]
fn a_failed_job_keeps_its_worker() {
    let temp = tempfile::tempdir().unwrap();
    let (hash, value) = hash_task(temp.path(), 2, 300, 1);
    let missing = Task::Hash {
        path: temp.path().join("no-such-file"),
        rounds: 1,
    };
    let results = run_pool(1, vec![missing, hash]);

    let Err(JobFailed::Failed {
        pid: failed_in,
        message,
    }) = &results[0]
    else {
        panic!(
            "hashing a missing file makes the worker answer `err`: report that as \
             JobFailed::Failed, got {:?}",
            results[0]
        );
    };
    assert!(
        message.contains("no-such-file"),
        "pass on the worker's message: `{message}`"
    );
    assert_eq!(
        results[1],
        Ok(Done {
            pid: *failed_in,
            value
        }),
        "a job that fails is not a crash: the same worker goes on with the next job"
    );
}

#[test]
fn a_job_that_does_not_fit_on_one_line_is_rejected() {
    let temp = tempfile::tempdir().unwrap();
    let (hash, value) = hash_task(temp.path(), 3, 200, 1);
    let bad = |name: &str| Task::Hash {
        path: temp.path().join(name),
        rounds: 1,
    };
    let results = run_pool(
        2,
        vec![bad("tab\there"), hash.clone(), bad("two\nlines"), hash],
    );

    for i in [0, 2] {
        assert!(
            matches!(&results[i], Err(JobFailed::Rejected { reason }) if !reason.is_empty()),
            "job {i} has a path with a tab or a line break, which Task::to_line refuses: report \
             JobFailed::Rejected with its reason, got {:?}",
            results[i]
        );
    }
    for i in [1, 3] {
        assert!(
            matches!(&results[i], Ok(done) if done.value == value),
            "job {i} is fine and must still run: got {:?}",
            results[i]
        );
    }
}

#[test]
fn a_missing_program_fails_every_job() {
    let temp = tempfile::tempdir().unwrap();
    let tasks: Vec<Task> = (0..3).map(|i| hash_task(temp.path(), i, 10, 1).0).collect();
    let missing = temp.path().join("no-such-program");
    let results = attempt("process_pool::run", move || run(&missing, 2, tasks))
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));

    assert_eq!(results.len(), 3, "expected one result per job");
    for (i, result) in results.iter().enumerate() {
        assert!(
            matches!(result, Err(JobFailed::NoWorker { .. })),
            "no worker can be started from a missing program, so job {i} must fail with \
             JobFailed::NoWorker (not panic, not hang); got {result:?}"
        );
    }
}

#[test]
fn no_jobs_and_zero_workers() {
    let temp = tempfile::tempdir().unwrap();
    let (hash, value) = hash_task(temp.path(), 4, 64, 2);
    assert_eq!(
        run_pool(5, Vec::new()),
        Vec::new(),
        "no jobs give no results"
    );
    let results = run_pool(0, vec![hash]);
    assert!(
        matches!(&results[..], [Ok(done)] if done.value == value),
        "0 workers should be treated as 1; got {results:?}"
    );
}

/// A stand-in worker that answers every job with `ok` and its own process id.
const PID_WORKER: &str = "#!/bin/sh
[ \"$1\" = worker ] || exit 0
while IFS= read -r line; do
    printf 'ok\\t%s\\n' \"$$\"
done
";

#[test]
fn each_result_is_the_answer_of_the_worker_that_ran_it() {
    let temp = tempfile::tempdir().unwrap();
    let exe = temp.path().join("pid-worker");
    install_script(&exe, PID_WORKER);
    // Real files, whose fingerprints the real worker would answer; this one answers its pid.
    let tasks: Vec<Task> = (0..12)
        .map(|i| hash_task(temp.path(), i, 50, 1).0)
        .collect();
    let results = attempt("process_pool::run", move || run(&exe, 3, tasks))
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));

    assert_eq!(results.len(), 12, "expected one result per job");
    for (i, result) in results.iter().enumerate() {
        assert!(
            matches!(result, Ok(Done { pid, value }) if u64::from(*pid) == *value),
            "job {i}: this stand-in worker answers each job with `ok` and its own pid, so each \
             result must be Done {{ pid, value }} with the value the child answered, from the \
             child that ran the job; got {result:?}"
        );
    }
    let pids = pids(&results);
    assert!(
        !pids.is_empty() && pids.len() <= 3 && !pids.contains(&std::process::id()),
        "the jobs must run in at most 3 worker processes, none of them this one: {pids:?}"
    );
    assert_every_worker_was_waited_for(&results);
}

/// A stand-in worker that answers its first job with a line that is no reply, then stays alive
/// without reading its stdin any more: only `kill` ends it. (One that never got a job exits when
/// its stdin is closed, as a worker should.)
const NONSENSE_WORKER: &str = "#!/bin/sh
[ \"$1\" = worker ] || exit 0
read -r line || exit 0
echo 'this is no reply'
exec sleep 60
";

#[test]
fn a_worker_that_answers_nonsense_is_killed_and_replaced() {
    let temp = tempfile::tempdir().unwrap();
    let exe = temp.path().join("nonsense-worker");
    install_script(&exe, NONSENSE_WORKER);
    let tasks: Vec<Task> = (0..3).map(|i| hash_task(temp.path(), i, 10, 1).0).collect();
    let outcome = attempt("process_pool::run", move || run(&exe, 1, tasks));
    let Ok(results) = outcome else {
        panic!(
            "run did not finish within {} s. Each worker answers `this is no reply` and then \
             ignores its stdin: a worker that answers something that is no reply cannot be \
             trusted to exit, so kill it (Child::kill), wait for it, report the job as \
             JobFailed::Crashed, and start a fresh worker for the next job",
            TIMEOUT.as_secs()
        );
    };
    assert_eq!(results.len(), 3, "expected one result per job");
    for (i, result) in results.iter().enumerate() {
        assert!(
            matches!(result, Err(JobFailed::Crashed { .. })),
            "job {i}: its worker answered `this is no reply`, which Reply::from_line refuses; \
             such a worker cannot be trusted with another job: kill it and report the job as \
             JobFailed::Crashed; got {result:?}"
        );
    }
    assert_eq!(
        pids(&results).len(),
        3,
        "after each such answer a fresh worker process must take over: {results:?}"
    );
    assert_every_worker_was_waited_for(&results);
}

#[test]
fn a_gate_job_that_is_turned_away_fails_in_its_worker() {
    // A gate that answers `n` where the real one says `g` ("go"). The worker's gate job must fail
    // (it answers `err`), and the same worker goes on with the next job. Should the job go on
    // anyway, this gate lets it through: it waits for `d` and answers `a`.
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen on 127.0.0.1");
    let addr = listener.local_addr().unwrap().to_string();
    thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.write_all(b"n");
            let _ = stream.set_read_timeout(Some(TIMEOUT));
            let mut byte = [0u8; 1];
            if matches!(stream.read(&mut byte), Ok(1)) {
                let _ = stream.write_all(b"a");
            }
        }
    });
    let temp = tempfile::tempdir().unwrap();
    let (hash, value) = hash_task(temp.path(), 5, 100, 1);
    let results = run_pool(1, vec![Task::Gate(addr.clone()), hash]);

    let Err(JobFailed::Failed { pid, message }) = &results[0] else {
        panic!(
            "the gate at {addr} turned the job away, so the worker answers `err`: report \
             JobFailed::Failed with the worker's message, got {:?}",
            results[0]
        );
    };
    assert!(
        message.contains(&addr),
        "pass on the worker's message, which names the gate: `{message}`"
    );
    assert_eq!(
        results[1],
        Ok(Done { pid: *pid, value }),
        "a job that fails is not a crash: the same worker goes on with the next job"
    );
}
