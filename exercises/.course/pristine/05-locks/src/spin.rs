// Given by the course, whole: use it as it is (the grader always uses the course's copy).
//! A hand-made spin lock, twice: one that checks and then acts (and is broken), and one that
//! does both in a single atomic step. Nothing else in the crate uses them; they are here for
//! the model checker.
//!
//! [`CheckThenSet`] looks at the flag, sees it clear, and then sets it. Between the look and the
//! set, another thread can do the same, and then both are "inside". [`SpinLock`] asks the
//! processor to do the look and the set as one step (`compare_exchange`), so only one thread
//! can win. Both protect the same thing, [`Counter`], a counter that adds one with a separate
//! read and write, as Python's `count += 1` does.
//!
//! Ordinary tests almost never catch the broken lock: the gap between the look and the set is a
//! few nanoseconds, and the two threads have to meet exactly there. The model checker `loom`
//! runs the test under *every* interleaving of its threads instead, so it finds the one that
//! breaks. Its tests are at the end of this file, compiled only when `cfg(loom)` is set:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p locks --lib --release
//! ```
//!
//! Under `cfg(loom)` the atomics and threads are loom's, which record every step; otherwise
//! they are std's.

#[cfg(loom)]
use loom::sync::atomic::{AtomicBool, AtomicU64};
#[cfg(loom)]
use loom::thread::yield_now;
#[cfg(not(loom))]
use std::sync::atomic::{AtomicBool, AtomicU64};
#[cfg(not(loom))]
use std::thread::yield_now;

use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};

/// What a lock must offer: take it (waiting while someone else has it) and give it back.
pub trait RawLock: Default + Send + Sync {
    /// Waits until the lock is free, then takes it.
    fn lock(&self);
    /// Gives the lock back; call it only while holding the lock.
    fn unlock(&self);
}

/// A spin lock that is broken: it checks that the flag is clear, and only then sets it.
#[derive(Default)]
pub struct CheckThenSet {
    locked: AtomicBool,
}

impl RawLock for CheckThenSet {
    fn lock(&self) {
        loop {
            // Check...
            if !self.locked.load(Acquire) {
                // ...then act. Another thread may have checked in between, and set it too.
                self.locked.store(true, Relaxed);
                return;
            }
            yield_now();
        }
    }

    fn unlock(&self) {
        self.locked.store(false, Release);
    }
}

/// A spin lock that works: checking and setting the flag is one atomic step.
#[derive(Default)]
pub struct SpinLock {
    locked: AtomicBool,
}

impl RawLock for SpinLock {
    fn lock(&self) {
        // Set the flag if, and only if, it is clear; exactly one thread can win that.
        while self
            .locked
            .compare_exchange_weak(false, true, Acquire, Relaxed)
            .is_err()
        {
            yield_now();
        }
    }

    fn unlock(&self) {
        self.locked.store(false, Release);
    }
}

/// A counter that adds one in two steps, a read and a write, like Python's `count += 1`. It is
/// only right while a working lock keeps other threads out between the two steps.
#[derive(Default)]
pub struct Counter<L> {
    lock: L,
    value: AtomicU64,
}

impl<L: RawLock> Counter<L> {
    /// Takes the lock, reads the value, writes it back plus one, and releases the lock.
    pub fn increment(&self) {
        self.lock.lock();
        let value = self.value.load(Relaxed);
        self.value.store(value + 1, Relaxed);
        self.lock.unlock();
    }

    /// The value now.
    pub fn get(&self) -> u64 {
        self.value.load(Relaxed)
    }
}

/// Two threads each increment a counter once; the model checker tries every way their steps
/// can interleave.
#[cfg(all(test, loom))]
mod tests {
    use super::*;
    use loom::sync::Arc;
    use loom::thread;

    /// Two threads, one increment each: afterwards the counter must say 2.
    fn two_increments<L: RawLock + 'static>() {
        let counter = Arc::new(Counter::<L>::default());
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment())
        };
        counter.increment();
        other.join().unwrap();
        assert_eq!(
            counter.get(),
            2,
            "lost update: both threads were inside the lock"
        );
    }

    #[test]
    fn loom_finds_the_lost_update_behind_check_then_set() {
        let found = std::panic::catch_unwind(|| loom::model(two_increments::<CheckThenSet>));
        let payload =
            found.expect_err("loom should have found an interleaving that loses an update");
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        assert!(
            message.contains("lost update"),
            "loom failed for another reason: {message}"
        );
    }

    #[test]
    fn loom_passes_the_spin_lock_in_every_interleaving() {
        loom::model(two_increments::<SpinLock>);
    }
}
