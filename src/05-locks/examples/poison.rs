// Chapter 5, "The Rust way": a panic while holding the lock poisons it.
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

fn main() {
    // ANCHOR: poison
    let stock = Arc::new(Mutex::new(vec![10, 20]));
    let s = Arc::clone(&stock);
    let crashed = thread::spawn(move || {
        let mut guard = s.lock().unwrap();
        guard.push(30);
        panic!("crash while holding the lock"); // the guard is dropped while unwinding
    })
    .join();
    assert!(crashed.is_err());

    // The lock is free again, but it remembers the panic.
    assert!(stock.is_poisoned());
    assert!(stock.lock().is_err()); // lock().unwrap() would panic here, a second time

    // The error still holds the guard: look at the data, repair it, and say it is whole.
    let mut guard = stock.lock().unwrap_or_else(PoisonError::into_inner);
    assert_eq!(*guard, [10, 20, 30]); // the change made before the panic is there
    guard.retain(|&n| n != 30); // undo the half-done update (your data, your rule)
    drop(guard);
    stock.clear_poison();
    assert!(!stock.is_poisoned());
    assert_eq!(*stock.lock().unwrap(), [10, 20]);
    // ANCHOR_END: poison
}
