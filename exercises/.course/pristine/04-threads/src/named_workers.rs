//! Exercise `named_workers`: Python's `Thread(target, name, args)`, `start` and `join`.
//!
//! | Python                                   | Rust                                              |
//! |------------------------------------------|---------------------------------------------------|
//! | `t = Thread(target=f, name="w-1", args=(x,))` | `thread::Builder::new().name("w-1".into())`  |
//! | `t.start()`                              | `.spawn(move \|\| f(x))`, an `io::Result<JoinHandle<T>>` |
//! | `threading.current_thread().name`        | `thread::current().name()`, an `Option<&str>`     |
//! | `t.join()`                               | `handle.join()`, which also hands back `f`'s result |
//!
//! Python's `join` returns `None`: a thread's result has to travel back through a global or a
//! queue. Rust's `JoinHandle<T>::join` returns the value the thread's closure returned.

use std::io;

use crate::Job;

/// Runs every job on a thread of its own, named as the job's name, and returns `(name, result)`
/// pairs **in input order**.
///
/// - Start each thread with `std::thread::Builder::new().name(name).spawn(..)`: the thread
///   carries its name, so the job itself can read it with `std::thread::current().name()`.
///   Each pair is `(name, result)`: the name you gave the thread, next to what the job
///   returned.
/// - Start **every** thread before joining any, so that the jobs run at the same time; keep
///   the `JoinHandle`s in a `Vec`, then join them in order.
/// - If a spawn fails, join the threads already started and return that error. If a job panics,
///   pass its panic on to the caller (`std::panic::resume_unwind`).
///
/// The tests (`tests/named_workers.rs`) check that:
///
/// - each job, reading `thread::current().name()`, sees its own name, for ASCII and Chinese
///   names alike (a job that sees `test-caller`, the name of the test's thread that calls
///   `run_named`, ran on the caller's thread), and the pairs come back in input order;
/// - 6 jobs that wait at a gate for each other all arrive (the gate times out after 10 s, so a
///   version that joins each thread right after starting it fails);
/// - when the jobs finish in reverse order, the results still come back in input order;
/// - no jobs give no results; and a snapshot of 4 named workers' sorted results.
#[allow(unused_variables)]
pub fn run_named<T: Send + 'static>(jobs: Vec<(String, Job<T>)>) -> io::Result<Vec<(String, T)>> {
    todo!("spawn a named thread per job, then join them all in order")
}
