// Chapter 2, "The Rust way": a `static` is fresh in every process,
// and shared by every thread of one process.
use std::env;
use std::io;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

// ANCHOR: globals
/// The notes' global variable. It is an atomic because threads may change
/// it at the same time; the threads chapter explains why Rust insists.
static VISITS: AtomicU64 = AtomicU64::new(0);

/// Adds one visit and returns the new count.
fn visit() -> u64 {
    VISITS.fetch_add(1, Ordering::SeqCst) + 1
}

fn main() -> io::Result<()> {
    if env::var_os("EXAMPLE_ROLE").is_some_and(|role| role == "visitor") {
        println!("{}", visit()); // the child reports what it counted
        return Ok(());
    }

    // The parent counts ten visits first.
    for _ in 0..10 {
        visit();
    }

    // A child process starts again at `main`, with every static as the
    // program declares it: its VISITS is 0, and it never sees ours.
    let child = Command::new(env::current_exe()?)
        .env("EXAMPLE_ROLE", "visitor")
        .output()?;
    assert!(child.status.success());
    assert_eq!(child.stdout, b"1\n"); // 0 + 1, not 10 + 1
    assert_eq!(VISITS.load(Ordering::SeqCst), 10); // and ours is untouched

    // A thread lives in this process, so it changes this very VISITS.
    let seen = thread::spawn(visit).join().expect("the thread panicked");
    assert_eq!(seen, 11);
    assert_eq!(VISITS.load(Ordering::SeqCst), 11);
    println!("child counted 1, thread counted {seen}");
    Ok(())
}
// ANCHOR_END: globals
