// Chapter 5, "The Rust way": Python's `if lock.acquire():` and Rust's `try_lock`.
use std::sync::{Mutex, TryLockError};
use std::thread;

fn main() {
    // ANCHOR: try
    let queue = Mutex::new(vec!["ticket"]);
    let held = queue.lock().unwrap(); // this thread holds the lock
    thread::scope(|s| {
        s.spawn(|| match queue.try_lock() {
            Ok(mut guard) => guard.push("another"),
            Err(TryLockError::WouldBlock) => println!("busy: do something else and come back"),
            Err(TryLockError::Poisoned(_)) => println!("a holder panicked"),
        });
    });
    drop(held); // release()
    if let Ok(mut guard) = queue.try_lock() {
        guard.push("now it is free");
    }
    assert_eq!(*queue.lock().unwrap(), ["ticket", "now it is free"]);
    // ANCHOR_END: try
}
