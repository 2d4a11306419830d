// Chapter 3, "The Rust way": what happens to a panic in each kind of rayon job,
// and how to keep one bad job from losing the others.
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use rayon::prelude::*;

// ANCHOR: pretend
/// A pretend copy that panics on one file, the way a bug would.
fn copy(name: &str) -> u64 {
    if name == "file-013.txt" {
        panic!("disk full while copying {name}");
    }
    name.len() as u64
}
// ANCHOR_END: pretend

// ANCHOR: message
/// The text of a panic. `panic!("literal")` carries a `&str`,
/// `panic!("with {args}")` a `String`.
fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic that is not a string".to_string()
    }
}

/// Runs one job and turns its panic, if any, into an error.
fn run_job(name: &str) -> Result<u64, String> {
    panic::catch_unwind(|| copy(name)).map_err(|payload| message(&*payload))
}
// ANCHOR_END: message

fn main() {
    let names: Vec<String> = (0..100).map(|i| format!("file-{i:03}.txt")).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(5)
        .build()
        .unwrap();

    // ANCHOR: comes_back
    // A panic inside `install` (or `scope`, or a parallel iterator) is caught by rayon,
    // carried back to the caller and raised again there.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        pool.install(|| names.par_iter().map(|n| copy(n)).collect::<Vec<u64>>())
    }));
    let payload = outcome.expect_err("file-013.txt panicked");
    assert_eq!(message(&*payload), "disk full while copying file-013.txt");
    // The 99 good results are lost with it, but the pool itself is fine.
    assert_eq!(pool.install(|| (1..=4).into_par_iter().sum::<i32>()), 10);
    // ANCHOR_END: comes_back

    // ANCHOR: per_job
    // Catch the panic inside each job: one bad file is one `Err`, and the rest are kept.
    let results: Vec<Result<u64, String>> =
        pool.install(|| names.par_iter().map(|n| run_job(n)).collect());
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 99);
    assert_eq!(
        results[13],
        Err("disk full while copying file-013.txt".into())
    );
    // ANCHOR_END: per_job

    // ANCHOR: handler
    // `pool.spawn` has no caller to carry a panic back to. Give the pool a panic
    // handler, or the first panic in a spawned job aborts the whole process.
    let (panics_tx, panics_rx) = crossbeam_channel::unbounded();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(5)
        .panic_handler(move |payload| {
            let _ = panics_tx.send(message(&*payload));
        })
        .build()
        .unwrap();
    pool.spawn(|| {
        copy("file-013.txt");
    });
    let reported = panics_rx.recv_timeout(Duration::from_secs(10));
    assert_eq!(
        reported.as_deref(),
        Ok("disk full while copying file-013.txt")
    );
    // ANCHOR_END: handler
    println!("three panics, no abort");
}
