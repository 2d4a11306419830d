//! Exercise `philosophers`: five philosophers, five forks, no deadlock.
//!
//! As in the bank, the deadlock is arranged, not hoped for: each philosopher's first
//! `holding_first` waits until every philosopher holds a first fork, or until one of them is held
//! up by a fork (or the waiter). Picking up the left fork first makes all of them hold one and
//! reach for the neighbour's; the test sees that dinner never ended within its time limit.
//!
//! Every `holding_first(i)` also checks, with the given `Table::held_by_me`, that philosopher `i`
//! holds exactly one of its forks then, and every `eat(i)` that it holds both.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use locks::philosophers::{Table, dine};
use test_support::{Deadline, TIMEOUT};

/// How long dinner has to end once the first `holding_first`s are done: each waits at most
/// [`TIMEOUT`], so a dinner that has not ended `TIMEOUT + AFTER_HOOKS` after it started is
/// deadlocked. (12 s in all, well inside the grader's per-test limit.)
const AFTER_HOOKS: Duration = Duration::from_secs(2);

const DEADLOCK: &str = "dinner did not end: every philosopher holds one fork and waits for the \
                        next one. Pick up the lower-numbered fork first (or ask the waiter first, \
                        or put the first fork down when the second is taken)";

/// What the test saw during one dinner.
struct Watch {
    table: Arc<Table>,
    contention_before: usize,
    started: Vec<AtomicBool>,
    arrived: AtomicUsize,
    /// The first `holding_first` waited until its time limit: the philosophers did not sit
    /// down together.
    alone: AtomicBool,
    eating: Vec<AtomicBool>,
    meals: Vec<AtomicUsize>,
    /// Everything that went wrong, in words.
    faults: Mutex<Vec<String>>,
}

impl Watch {
    fn holding_first(&self, i: usize) {
        let Some(started) = self.started.get(i) else {
            return self.fault(format!("holding_first({i}): there is no philosopher {i}"));
        };
        let (left, right) = self.table.forks_of(i);
        let held = [left, right]
            .iter()
            .filter(|&&f| self.table.held_by_me(f))
            .count();
        if held != 1 {
            self.fault(format!(
                "philosopher {i} called holding_first with {held} of its forks ({left} and \
                 {right}) in hand: call it once the first fork is held, before reaching for the \
                 second"
            ));
        }
        if started.swap(true, Ordering::SeqCst) {
            return;
        }
        let n = self.table.len();
        self.arrived.fetch_add(1, Ordering::SeqCst);
        let deadline = Deadline::from_now();
        while self.arrived.load(Ordering::SeqCst) < n
            && self.table.contention() == self.contention_before
            && !self.alone.load(Ordering::SeqCst)
        {
            if deadline.remaining().is_zero() {
                self.alone.store(true, Ordering::SeqCst);
                return;
            }
            thread::yield_now();
        }
    }

    fn eat(&self, i: usize) {
        let n = self.table.len();
        if i >= n {
            return self.fault(format!("eat({i}): there is no philosopher {i}"));
        }
        let (left, right) = self.table.forks_of(i);
        for fork in [left, right] {
            if !self.table.held_by_me(fork) {
                self.fault(format!(
                    "philosopher {i} ate without fork {fork} in hand (on its own thread)"
                ));
            }
        }
        self.eating[i].store(true, Ordering::SeqCst);
        for _ in 0..3 {
            for neighbour in [(i + n - 1) % n, (i + 1) % n] {
                if self.eating[neighbour].load(Ordering::SeqCst) {
                    self.fault(format!(
                        "philosophers {i} and {neighbour} ate at the same time"
                    ));
                }
            }
            thread::yield_now();
        }
        self.eating[i].store(false, Ordering::SeqCst);
        self.meals[i].fetch_add(1, Ordering::SeqCst);
    }

    fn fault(&self, what: String) {
        let mut faults = self.faults.lock().unwrap();
        if faults.len() < 10 && !faults.contains(&what) {
            faults.push(what);
        }
    }
}

/// Runs a dinner of `n` philosophers, `meals` each, and checks everything the tests promise.
/// Returns how often each philosopher ate.
fn dinner(n: usize, meals: usize) -> Vec<usize> {
    let table = Arc::new(Table::new(n));
    let watch = Arc::new(Watch {
        table: Arc::clone(&table),
        contention_before: table.contention(),
        started: (0..n).map(|_| AtomicBool::new(false)).collect(),
        arrived: AtomicUsize::new(0),
        alone: AtomicBool::new(false),
        eating: (0..n).map(|_| AtomicBool::new(false)).collect(),
        meals: (0..n).map(|_| AtomicUsize::new(0)).collect(),
        faults: Mutex::new(Vec::new()),
    });
    let (done, finished) = mpsc::channel();
    let w = Arc::clone(&watch);
    thread::spawn(move || {
        dine(&table, meals, |i| w.holding_first(i), |i| w.eat(i));
        let _ = done.send(());
    });
    match finished.recv_timeout(TIMEOUT + AFTER_HOOKS) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{DEADLOCK} ({n} philosophers)"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("dine panicked ({n} philosophers): see its message above")
        }
    }
    let faults = watch.faults.lock().unwrap();
    assert!(faults.is_empty(), "{n} philosophers: {}", faults.join("; "));
    assert!(
        !watch.alone.load(Ordering::SeqCst),
        "{n} philosophers: they never sat at the table together (a philosopher waited in vain \
         for the others to pick up a fork). Start every philosopher's thread before joining any"
    );
    for (i, started) in watch.started.iter().enumerate() {
        assert!(
            started.load(Ordering::SeqCst) || meals == 0,
            "philosopher {i} never called holding_first: call it once the first fork is held"
        );
    }
    watch
        .meals
        .iter()
        .map(|m| m.load(Ordering::SeqCst))
        .collect()
}

#[test]
fn five_philosophers_each_eat_exactly_their_meals() {
    for _ in 0..5 {
        assert_eq!(dinner(5, 200), [200; 5], "how often each philosopher ate");
    }
}

#[test]
fn other_table_sizes() {
    for n in [2, 3, 7] {
        assert_eq!(
            dinner(n, 50),
            vec![50; n],
            "{n} philosophers: how often each ate"
        );
    }
}

#[test]
fn no_meals_no_eating() {
    assert_eq!(dinner(5, 0), [0; 5]);
}

#[test]
fn dinner_for_five() {
    let ate = dinner(5, 20);
    let table = Table::new(5);
    let lines: Vec<String> = ate
        .iter()
        .enumerate()
        .map(|(i, meals)| {
            let (left, right) = table.forks_of(i);
            format!("philosopher {i}: forks {left} and {right}, ate {meals} times")
        })
        .collect();
    insta::assert_snapshot!("dinner_for_five", lines.join("\n"));
}
