// Chapter 3, "The Rust way": at most five jobs at once, and exactly five at some point.
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use rayon::prelude::*;

/// A barrier with a time limit. `std::sync::Barrier` has none: if the five jobs never met, it
/// would wait for ever, and a check that hangs is worse than one that fails.
struct Gate {
    arrived: Mutex<usize>,
    all_here: Condvar,
    parties: usize,
}

impl Gate {
    fn new(parties: usize) -> Self {
        Gate {
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
            parties,
        }
    }

    /// Waits until `parties` callers have arrived, or 10 seconds have passed; true if they all
    /// came.
    fn wait(&self) -> bool {
        let mut arrived = self.arrived.lock().unwrap();
        *arrived += 1;
        self.all_here.notify_all();
        let (arrived, _) = self
            .all_here
            .wait_timeout_while(arrived, Duration::from_secs(10), |n| *n < self.parties)
            .unwrap();
        *arrived >= self.parties
    }
}

// ANCHOR: probe
/// Watches jobs come and go, and remembers the most that ever ran at once.
struct Probe {
    running: AtomicUsize,
    peak: AtomicUsize,
    started: AtomicUsize,
    /// The first five jobs to start wait here for each other (a barrier with a time limit).
    first_five: Gate,
}

impl Probe {
    fn new() -> Self {
        Probe {
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            started: AtomicUsize::new(0),
            first_five: Gate::new(5),
        }
    }

    /// Call at the start of a job.
    fn enter(&self) {
        let now = self.running.fetch_add(1, SeqCst) + 1;
        self.peak.fetch_max(now, SeqCst);
        if self.started.fetch_add(1, SeqCst) < 5 {
            // Opens only when five jobs are under way at the same time.
            assert!(self.first_five.wait(), "five jobs never ran at the same time");
        }
    }

    /// Call at the end of a job.
    fn leave(&self) {
        self.running.fetch_sub(1, SeqCst);
    }
}
// ANCHOR_END: probe

// ANCHOR: prove
fn main() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(5)
        .build()
        .unwrap();
    let probe = Probe::new();

    let sizes: Vec<usize> = pool.install(|| {
        (0..100)
            .into_par_iter()
            .map(|i| {
                probe.enter();
                let size = format!("file-{i:03}.txt").len(); // the job
                probe.leave();
                size
            })
            .collect()
    });

    assert_eq!(sizes.len(), 100);
    // Never more than five: the pool has five threads, and a thread runs one job at a time.
    // At least five: the gate opened, so five jobs were waiting at it together.
    assert_eq!(probe.peak.load(SeqCst), 5);
    println!("peak: 5 jobs at once");
}
// ANCHOR_END: prove
