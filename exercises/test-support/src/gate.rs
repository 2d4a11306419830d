//! A gate for threads in one process, and a deadline shared by several waits.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::TIMEOUT;

/// A one-shot barrier with a timeout, for proving that threads run at the same time.
///
/// `std::sync::Barrier` has no timeout, so a wrong (sequential) implementation would make a test
/// that uses it hang forever. A `Gate` opens when `parties` threads have arrived; a thread that
/// has waited [`TIMEOUT`] without that happening breaks the gate, and from then on every wait
/// returns `false` at once, so a failing test costs one timeout, not one per task.
pub struct Gate {
    parties: usize,
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Debug, Clone, Copy)]
struct GateState {
    arrived: usize,
    broken: bool,
    /// How many had arrived when the gate opened or broke.
    together: Option<usize>,
}

impl Gate {
    /// A gate that opens once `parties` threads have called [`Gate::wait`].
    pub fn new(parties: usize) -> Self {
        Gate {
            parties,
            state: Mutex::new(GateState {
                arrived: 0,
                broken: false,
                together: None,
            }),
            changed: Condvar::new(),
        }
    }

    /// Arrives at the gate and waits until all parties have arrived.
    ///
    /// Returns `true` if they all did, `false` if the gate timed out or was already broken.
    pub fn wait(&self) -> bool {
        let mut state = self.lock();
        state.arrived += 1;
        if state.broken {
            return false;
        }
        if state.arrived >= self.parties {
            let arrived = state.arrived;
            state.together.get_or_insert(arrived);
            self.changed.notify_all();
            return true;
        }
        let (mut state, _) = self
            .changed
            .wait_timeout_while(state, TIMEOUT, |s| s.arrived < self.parties && !s.broken)
            .unwrap_or_else(PoisonError::into_inner);
        if state.broken {
            return false;
        }
        if state.arrived < self.parties {
            // Timed out: let everyone else go too.
            state.broken = true;
            state.together = Some(state.arrived);
            self.changed.notify_all();
            return false;
        }
        true
    }

    /// Whether all parties arrived before anyone timed out.
    pub fn opened(&self) -> bool {
        let state = self.lock();
        state.arrived >= self.parties && !state.broken
    }

    /// How many threads were waiting at the gate together: all parties if it opened, the number
    /// that had arrived when it timed out if it broke, or the number there now if neither
    /// happened yet.
    pub fn arrived_together(&self) -> usize {
        let state = self.lock();
        state.together.unwrap_or(state.arrived)
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        // A panicking task must not turn every later wait into a second panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A point in time [`TIMEOUT`] from now, shared by several waits so that together they take at
/// most one timeout.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    /// The deadline [`TIMEOUT`] from now.
    pub fn from_now() -> Self {
        Deadline(Instant::now() + TIMEOUT)
    }

    /// How long is left until the deadline (zero once it has passed).
    pub fn remaining(&self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }
}
