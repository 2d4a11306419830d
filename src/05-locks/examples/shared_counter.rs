// Chapter 5, "The Rust way": the notes' shared counter, with the lock owning the count.
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // ANCHOR: arc
    // The counter lives inside the lock: there is no way to reach it without lock().
    let count = Arc::new(Mutex::new(0_u64));
    let mut handles = Vec::new();
    for _ in 0..4 {
        let count = Arc::clone(&count); // each thread owns a handle to the same Mutex
        handles.push(thread::spawn(move || {
            for _ in 0..100_000 {
                let mut guard = count.lock().unwrap(); // lock.acquire()
                *guard += 1;
            } // the guard is dropped here, every round: lock.release()
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(*count.lock().unwrap(), 400_000);
    // ANCHOR_END: arc

    // ANCHOR: scoped
    // Scoped threads may borrow a local, so no Arc is needed; the Mutex is still what makes the
    // += safe, and `&Mutex` is all each thread gets.
    let count = Mutex::new(0_u64);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..100_000 {
                    *count.lock().unwrap() += 1; // locked, added, released at the `;`
                }
            });
        }
    });
    assert_eq!(count.into_inner().unwrap(), 400_000);
    // ANCHOR_END: scoped
}
