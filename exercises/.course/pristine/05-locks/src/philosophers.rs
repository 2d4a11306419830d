//! Exercise `philosophers`: the dining philosophers.
//!
//! Five philosophers sit at a round table with one fork between each two neighbours. To eat, a
//! philosopher needs both forks next to them: philosopher `i` uses fork `i` (on the left) and
//! fork `(i + 1) % n` (on the right). A fork is a lock. If every philosopher picks up the left
//! fork and then waits for the right one, all five hold one fork and wait for ever: the same
//! deadlock as two bank transfers in opposite directions, with five threads in the cycle.
//!
//! The cures are the bank's: pick up the lower-numbered fork first (then the last philosopher
//! reaches for fork 0 first, like the first one, and the cycle is broken), or ask the waiter
//! ([`Table::ask_waiter`], one lock for the table) before picking up forks, or try the second
//! fork and put the first one down if it is taken. With the waiter, let go of it once both forks
//! are in hand: holding it through the meal is correct too, but then the whole table eats one
//! philosopher at a time.
//!
//! [`Table`] is given: it holds the forks and counts *contention*, every time a philosopher finds
//! a fork (or the waiter) already taken. The tests use that count to know when a philosopher is
//! waiting for another one.

// Given by the course, down to the end-of-given line: keep it as it is.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

/// A round table: `n` forks, each a lock, and a waiter.
#[derive(Debug)]
pub struct Table {
    forks: Vec<Mutex<()>>,
    /// Who holds each fork: the number [`thread_number`] gives the holder's thread, 0 for no one.
    holders: Vec<AtomicUsize>,
    waiter: Mutex<()>,
    contention: AtomicUsize,
}

/// A fork in a philosopher's hand, from [`Table::take`] or [`Table::try_take`]. Dropping it puts
/// the fork down (releases its lock).
#[derive(Debug)]
pub struct Fork<'a> {
    holder: &'a AtomicUsize,
    _lock: MutexGuard<'a, ()>,
}

impl Drop for Fork<'_> {
    fn drop(&mut self) {
        // Before the lock is released (the fields are dropped after this).
        self.holder.store(0, Ordering::SeqCst);
    }
}

/// A number for the calling thread, never 0 and different for every thread.
fn thread_number() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    thread_local! {
        static NUMBER: usize = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    NUMBER.with(|n| *n)
}

impl Table {
    /// A table for `n` philosophers, with `n` forks.
    pub fn new(n: usize) -> Self {
        Table {
            forks: (0..n).map(|_| Mutex::new(())).collect(),
            holders: (0..n).map(|_| AtomicUsize::new(0)).collect(),
            waiter: Mutex::new(()),
            contention: AtomicUsize::new(0),
        }
    }

    /// How many philosophers (and forks) there are.
    pub fn len(&self) -> usize {
        self.forks.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.forks.is_empty()
    }

    /// The two forks philosopher `i` eats with: `(left, right)` = `(i, (i + 1) % n)`.
    pub fn forks_of(&self, i: usize) -> (usize, usize) {
        (i, (i + 1) % self.len())
    }

    /// Picks up fork `f`, waiting while a neighbour holds it. It is put down when the [`Fork`]
    /// is dropped.
    pub fn take(&self, f: usize) -> Fork<'_> {
        let lock = self.wait_for(&self.forks[f]);
        self.in_hand(f, lock)
    }

    /// Picks up fork `f` if it is free right now; `None` if a neighbour holds it.
    pub fn try_take(&self, f: usize) -> Option<Fork<'_>> {
        let lock = match self.forks[f].try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            Err(TryLockError::WouldBlock) => {
                self.contention.fetch_add(1, Ordering::SeqCst);
                return None;
            }
        };
        Some(self.in_hand(f, lock))
    }

    /// Asks the waiter, the one lock for the whole table: while you hold it, no one else picks
    /// up forks through the waiter. Let go of it (drop the guard) once you hold both forks:
    /// keeping it while you eat is correct too, but then only one philosopher eats at a time.
    pub fn ask_waiter(&self) -> MutexGuard<'_, ()> {
        self.wait_for(&self.waiter)
    }

    /// Whether fork `f` is held by someone right now.
    pub fn in_use(&self, f: usize) -> bool {
        matches!(self.forks[f].try_lock(), Err(TryLockError::WouldBlock))
    }

    /// Whether fork `f` is in the calling thread's hand right now. (The tests use it in
    /// `holding_first` and `eat`.)
    pub fn held_by_me(&self, f: usize) -> bool {
        self.holders[f].load(Ordering::SeqCst) == thread_number()
    }

    /// How many times a `take`, `try_take` or `ask_waiter` found its lock already taken.
    pub fn contention(&self) -> usize {
        self.contention.load(Ordering::SeqCst)
    }

    fn in_hand<'a>(&'a self, f: usize, lock: MutexGuard<'a, ()>) -> Fork<'a> {
        let holder = &self.holders[f];
        holder.store(thread_number(), Ordering::SeqCst);
        Fork {
            holder,
            _lock: lock,
        }
    }

    fn wait_for<'a>(&self, lock: &'a Mutex<()>) -> MutexGuard<'a, ()> {
        match lock.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            Err(TryLockError::WouldBlock) => {
                self.contention.fetch_add(1, Ordering::SeqCst);
                lock.lock().unwrap_or_else(PoisonError::into_inner)
            }
        }
    }
}
// End of given.

/// Seats `table.len()` philosophers at `table`, one thread each, all at the same time, and
/// returns when every one of them has eaten `meals` times.
///
/// Philosopher `i` repeats `meals` times: pick up its two forks ([`Table::forks_of`]) in an order
/// that cannot deadlock, call `holding_first(i)` once it holds the *first* fork and before it
/// reaches for the second (with try-and-put-down, each time it holds a first fork; with the
/// waiter, the first fork taken after asking), call `eat(i)` while it holds both, and put both
/// down (drop the [`Fork`]s). Call both hooks on the philosopher's own thread: they check, with
/// [`Table::held_by_me`], that it holds exactly one of its forks in `holding_first` and both in
/// `eat`.
///
/// The tests (`tests/philosophers.rs`) check, for 5 philosophers and for other table sizes
/// (2, 3, 7): that it finishes (the first `holding_first` of each philosopher waits until all of
/// them hold a first fork, or one is held up by a fork or the waiter, so an order that can
/// deadlock does, and the test fails after its time limit); that the philosophers sat down
/// together (all their threads running at once); that each `holding_first(i)` happens with
/// exactly one of `i`'s forks in hand; that each `eat(i)` happens with both in hand and no
/// neighbour eating; and that every philosopher eats exactly `meals` times.
#[allow(unused_variables)]
pub fn dine(
    table: &Table,
    meals: usize,
    holding_first: impl Fn(usize) + Sync,
    eat: impl Fn(usize) + Sync,
) {
    todo!("one scoped thread per philosopher; lower-numbered fork first; eat; drop both guards")
}
