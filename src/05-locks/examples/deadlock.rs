// Chapter 5, "The Rust way": two locks taken in opposite orders. `try_lock` stands in for the
// second `lock()` so that the example shows the deadlock instead of hanging in it.
use std::sync::{Barrier, Mutex};
use std::thread;

fn main() {
    // ANCHOR: deadlock
    let (a, b) = (Mutex::new(100), Mutex::new(100));
    let both_hold_one = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            let _a = a.lock().unwrap(); // a -> b: first a...
            both_hold_one.wait();
            // ...then b. With b.lock() this thread would wait for ever.
            assert!(b.try_lock().is_err(), "b is held by the other transfer");
            both_hold_one.wait();
        });
        s.spawn(|| {
            let _b = b.lock().unwrap(); // b -> a: first b...
            both_hold_one.wait();
            assert!(a.try_lock().is_err(), "a is held by the other transfer");
            both_hold_one.wait();
        });
    });
    // ANCHOR_END: deadlock
}
