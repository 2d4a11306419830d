//! Exercise `harvest`: a thread that panics does not end the process, and its `join` says so.
//!
//! Some jobs here panic on purpose, so the test output shows lines such as
//! `thread '<unnamed>' panicked at ...`: those are the panics being harvested, not failures.

use std::any::Any;
use std::panic;
use std::sync::Arc;

use test_support::{Gate, TIMEOUT, within};
use threads::Job;
use threads::harvest::{NO_MESSAGE, harvest, panic_message};

/// Said when a message is wrong: what a message about `unwrap` means.
const UNWRAP_CAUGHT: &str = "A message such as \"called `Result::unwrap()` on an `Err` value: \
     Any { .. }\" is not the job's: it is the panic of a join().unwrap() that was caught (with \
     catch_unwind), and its payload only says that unwrap found an Err. The job's own payload is \
     the value inside the Err that join() returns: turn that into the message.";

/// `harvest(jobs)` with a time limit.
fn run<T: Send + 'static>(jobs: Vec<Job<T>>) -> Vec<Result<T, String>> {
    within("harvest", move || harvest(jobs))
}

#[test]
fn panic_message_reads_both_payload_types() {
    let literal: Box<dyn Any + Send> = Box::new("a literal message");
    let formatted: Box<dyn Any + Send> = Box::new(format!("worker {} gave up", 3));
    let other: Box<dyn Any + Send> = Box::new(42_u32);
    assert_eq!(
        panic_message(&*literal),
        "a literal message",
        "panic!(\"literal\") carries a &'static str: downcast_ref::<&'static str>()"
    );
    assert_eq!(
        panic_message(&*formatted),
        "worker 3 gave up",
        "panic!(\"{{x}}\") and panic!(\"..\", x) carry a String: downcast_ref::<String>()"
    );
    assert_eq!(
        panic_message(&*other),
        NO_MESSAGE,
        "any other payload (from std::panic::panic_any) gives NO_MESSAGE"
    );
}

#[test]
fn one_panic_does_not_stop_the_others() {
    const JOBS: usize = 5;
    let gate = Arc::new(Gate::new(JOBS));
    let jobs: Vec<Job<u32>> = (1..=JOBS as u32)
        .map(|n| {
            let gate = gate.clone();
            Box::new(move || {
                let met = gate.wait();
                if n == 3 {
                    panic!("worker 3 gives up");
                }
                if met { n * n } else { 0 }
            }) as Job<u32>
        })
        .collect();
    let results = run(jobs);
    assert!(
        gate.opened(),
        "the 5 jobs each wait at a gate until all 5 are there, but at most {} were running at \
         once (the gate waits {} s): spawn every thread before you join any of them",
        gate.arrived_together(),
        TIMEOUT.as_secs()
    );
    assert_eq!(
        results,
        [
            Ok(1),
            Ok(4),
            Err("worker 3 gives up".to_owned()),
            Ok(16),
            Ok(25)
        ],
        "one result per job, in input order: Ok(value) for the jobs that returned, and \
         Err(message) for the one that panicked. Its panic ended its own thread only: the \
         others finished, and so does harvest. A default value in place of the panic \
         (unwrap_or_default) would hide it. {UNWRAP_CAUGHT}"
    );
}

#[test]
fn every_kind_of_payload_becomes_a_message() {
    let jobs: Vec<Job<&'static str>> = vec![
        Box::new(|| panic!("a literal")),
        Box::new(|| {
            let n = 7;
            panic!("formatted: {n}")
        }),
        Box::new(|| panic::panic_any(1.5_f64)),
        Box::new(|| "fine"),
    ];
    let results = run(jobs);
    assert_eq!(
        results,
        [
            Err("a literal".to_owned()),
            Err("formatted: 7".to_owned()),
            Err(NO_MESSAGE.to_owned()),
            Ok("fine"),
        ],
        "each panic's message comes from its payload, in input order (panic_message: a \
         &'static str, a String, or NO_MESSAGE). Pass the payload as &*payload: &payload would \
         make the Box itself the `dyn Any`, and no downcast would match. {UNWRAP_CAUGHT}"
    );
}

#[test]
fn no_jobs_give_no_results() {
    assert!(run(Vec::<Job<u8>>::new()).is_empty());
}

#[test]
fn five_workers_and_number_three_panics() {
    let jobs: Vec<Job<u32>> = (1..=5_u32)
        .map(|n| {
            Box::new(move || {
                if n == 3 {
                    panic!("worker {n} panicked on purpose");
                }
                n * 100
            }) as Job<u32>
        })
        .collect();
    let results = run(jobs);
    let lines: Vec<String> = results
        .iter()
        .enumerate()
        .map(|(i, result)| format!("worker {}: {result:?}", i + 1))
        .collect();
    insta::with_settings!({
        description => "harvest: five workers, number 3 panics; one result per worker, in order",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(lines.join("\n"));
    });
}
