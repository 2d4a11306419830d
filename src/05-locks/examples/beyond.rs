// Chapter 5, "The Rust way": beyond the mutex: RwLock, atomics and Condvar.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, RwLock};
use std::thread;

fn main() {
    // ANCHOR: rwlock
    // Many readers at once, or one writer.
    let config = RwLock::new(String::from("pool=5"));
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| assert!(config.read().unwrap().starts_with("pool")));
        }
    });
    config.write().unwrap().push_str(",timeout=3");
    assert_eq!(*config.read().unwrap(), "pool=5,timeout=3");
    // ANCHOR_END: rwlock

    // ANCHOR: atomics
    // One number, changed in a single step that no thread can split: no lock, no guard.
    let hits = AtomicU64::new(0);
    let longest = AtomicU64::new(0);
    thread::scope(|s| {
        for t in 1..=4_u64 {
            let (hits, longest) = (&hits, &longest);
            s.spawn(move || {
                for _ in 0..1000 {
                    hits.fetch_add(1, Ordering::Relaxed); // read, add, write: one step
                }
                longest.fetch_max(t * 10, Ordering::Relaxed); // keep the largest seen
            });
        }
    });
    assert_eq!(hits.load(Ordering::Relaxed), 4000);
    assert_eq!(longest.load(Ordering::Relaxed), 40);
    // ANCHOR_END: atomics

    // ANCHOR: condvar
    // A Condvar lets a thread sleep until another one changes the data behind a Mutex.
    let ready = (Mutex::new(false), Condvar::new());
    thread::scope(|s| {
        s.spawn(|| {
            let (flag, changed) = &ready;
            *flag.lock().unwrap() = true;
            changed.notify_one();
        });
        let (flag, changed) = &ready;
        // wait_while releases the lock while it sleeps, and takes it again to check.
        let guard = changed.wait_while(flag.lock().unwrap(), |ready| !*ready).unwrap();
        assert!(*guard);
    });
    // ANCHOR_END: condvar
}
