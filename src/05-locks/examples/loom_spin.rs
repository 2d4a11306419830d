// Chapter 5, "A model checker": loom runs a test under every interleaving of its threads.
// ANCHOR: lock
use loom::sync::Arc;
use loom::sync::atomic::AtomicBool;
use loom::sync::atomic::AtomicU64;
use loom::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use loom::thread;

/// A spin lock that checks the flag and then sets it: two steps.
#[derive(Default)]
struct CheckThenSet {
    locked: AtomicBool,
}

impl CheckThenSet {
    fn lock(&self) {
        loop {
            if !self.locked.load(Acquire) {
                self.locked.store(true, Relaxed); // another thread may be here too
                return;
            }
            thread::yield_now();
        }
    }

    fn unlock(&self) {
        self.locked.store(false, Release);
    }
}
// ANCHOR_END: lock

// ANCHOR: model
/// Two threads each add one under the lock; the count must be 2.
fn two_increments() {
    let lock = Arc::new(CheckThenSet::default());
    let count = Arc::new(AtomicU64::new(0));
    let other = {
        let (lock, count) = (Arc::clone(&lock), Arc::clone(&count));
        thread::spawn(move || {
            lock.lock();
            let n = count.load(Relaxed);
            count.store(n + 1, Relaxed);
            lock.unlock();
        })
    };
    lock.lock();
    let n = count.load(Relaxed);
    count.store(n + 1, Relaxed);
    lock.unlock();
    other.join().unwrap();
    assert_eq!(count.load(Relaxed), 2, "lost update");
}

fn main() {
    // loom::model runs the closure again and again, once for every interleaving, and panics
    // with the assertion's message when one of them fails.
    let found = std::panic::catch_unwind(|| loom::model(two_increments));
    assert!(found.is_err(), "loom finds the interleaving that loses an update");
}
// ANCHOR_END: model
