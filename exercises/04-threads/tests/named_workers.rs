//! Exercise `named_workers`: `run_named` starts a named thread per job and hands back
//! `(name, result)` pairs in input order.
//!
//! The jobs themselves look at the thread they run on (`thread::current().name()`), so a name
//! that only the parent knows does not pass. They meet at a gate with a timeout to prove that all
//! of them run at the same time, and they finish in the reverse of their order to prove that the
//! results still come back in input order.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use test_support::{CALLER, Deadline, Gate, TIMEOUT, within};
use threads::Job;
use threads::named_workers::run_named;

/// The name of the thread the calling code runs on.
fn my_name() -> Option<String> {
    thread::current().name().map(str::to_owned)
}

/// `run_named(jobs)` with a time limit, failing the test on an error.
fn run<T: Send + 'static>(jobs: Vec<(String, Job<T>)>) -> Vec<(String, T)> {
    within("run_named", move || run_named(jobs))
        .unwrap_or_else(|err| panic!("run_named failed: {err}"))
}

#[test]
fn each_job_runs_on_a_thread_with_its_own_name() {
    let names = ["w-1", "w-2", "w-3", "downloader", "播放器"];
    let jobs: Vec<(String, Job<Option<String>>)> = names
        .iter()
        .map(|name| (name.to_string(), Box::new(my_name) as Job<_>))
        .collect();
    let results = run(jobs);
    let seen: Vec<(&str, Option<&str>)> = results
        .iter()
        .map(|(name, seen)| (name.as_str(), seen.as_deref()))
        .collect();
    assert!(
        seen.iter().all(|(_, seen)| *seen != Some(CALLER)),
        "the jobs saw the name {CALLER:?}, the name of the thread that called run_named: they \
         ran on the caller's thread. Run each job inside the closure given to spawn, on the new \
         thread, not before spawning it: {seen:?}"
    );
    let expected: Vec<(&str, Option<&str>)> = names.iter().map(|n| (*n, Some(*n))).collect();
    assert_eq!(
        seen, expected,
        "each job returns thread::current().name() as it sees it on its own thread: name the \
         thread itself, with thread::Builder::new().name(..), before spawning it (a name kept \
         in the parent is not the thread's name; None means the thread has no name); pairs are \
         (name, result), in input order"
    );
}

#[test]
fn all_the_jobs_run_at_the_same_time() {
    const JOBS: usize = 6;
    let gate = Arc::new(Gate::new(JOBS));
    let jobs: Vec<(String, Job<bool>)> = (0..JOBS)
        .map(|i| {
            let gate = gate.clone();
            (format!("meet-{i}"), Box::new(move || gate.wait()) as Job<_>)
        })
        .collect();
    let results = run(jobs);
    assert!(
        gate.opened(),
        "the {JOBS} jobs each wait at a gate until all {JOBS} are there, but at most {} were \
         running at once (the gate waits {} s): start every thread first, keep the JoinHandles \
         in a Vec, and only then join them. Joining each thread right after spawning it runs \
         the jobs one after another, like Python's start() followed at once by join()",
        gate.arrived_together(),
        TIMEOUT.as_secs()
    );
    assert!(results.iter().all(|(_, met)| *met), "{results:?}");
}

#[test]
fn results_come_back_in_input_order_when_the_jobs_finish_in_reverse() {
    // Job i finishes only after job i + 1 has finished, so the last job finishes first.
    const JOBS: usize = 5;
    // One deadline for all the waits, so that a wrong answer costs one timeout, not five.
    let deadline = Deadline::from_now();
    let finished = Arc::new(Mutex::new(Vec::new()));
    let (senders, receivers): (Vec<Sender<()>>, Vec<Receiver<()>>) =
        (0..JOBS).map(|_| mpsc::channel()).unzip();
    let mut receivers: Vec<Option<Receiver<()>>> = receivers.into_iter().map(Some).collect();
    let mut jobs: Vec<(String, Job<usize>)> = Vec::new();
    for (i, done) in senders.into_iter().enumerate() {
        let after = receivers.get_mut(i + 1).and_then(Option::take);
        let finished = finished.clone();
        let job = move || {
            if let Some(after) = after {
                // A wait with a time limit: a wrong answer fails the order check, it does not hang.
                let _ = after.recv_timeout(deadline.remaining());
            }
            finished.lock().unwrap().push(i);
            let _ = done.send(());
            i * 10
        };
        jobs.push((format!("job-{i}"), Box::new(job)));
    }
    let results = run(jobs);
    let order = finished.lock().unwrap().clone();
    assert_eq!(
        order,
        (0..JOBS).rev().collect::<Vec<_>>(),
        "the jobs should all run at once and finish last-first (each waits for the next one); \
         they finished in this order"
    );
    let expected: Vec<(String, usize)> = (0..JOBS).map(|i| (format!("job-{i}"), i * 10)).collect();
    assert_eq!(
        results, expected,
        "results come back in input order, however the jobs finish: join the handles in the \
         order you spawned them"
    );
}

#[test]
fn no_jobs_give_no_results() {
    let results = run(Vec::<(String, Job<u8>)>::new());
    assert!(results.is_empty(), "{results:?}");
}

#[test]
fn workers_and_what_they_computed() {
    // Python: Thread(target=add_up, name=name, args=(n,)) for each (name, n).
    let work = [("w-3", 30u64), ("w-1", 10), ("w-4", 40), ("w-2", 20)];
    let jobs: Vec<(String, Job<String>)> = work
        .iter()
        .map(|&(name, n)| {
            let job = move || {
                let me = my_name().unwrap_or_else(|| "(unnamed)".to_owned());
                format!("{me} added 1..={n} and got {}", (1..=n).sum::<u64>())
            };
            (name.to_owned(), Box::new(job) as Job<_>)
        })
        .collect();
    let mut results = run(jobs);
    results.sort();
    let lines: Vec<String> = results
        .iter()
        .map(|(name, said)| format!("{name}: {said}"))
        .collect();
    insta::with_settings!({
        description => "run_named: each worker's name and what it said, sorted by name",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(lines.join("\n"));
    });
}
