//! Exercise `poison`: a poison lab. A thread panics in the middle of a deposit while it holds
//! the ledger's lock; the learner's code must see the poison, show the half-done ledger without
//! panicking, undo the half-done deposit and clear the poison.

use std::sync::{Arc, Mutex};
use std::thread;

use locks::poison::{Ledger, LedgerPoisoned, Recovery, deposit, recover, snapshot};
use test_support::within;

/// A ledger with two finished deposits, 100 and 20.
///
/// The tests crash in the middle of a second deposit of 100 ([`HALF_DONE`]): the half-done entry
/// is the last one, and equal to the first. A rollback that removes the first entry equal to the
/// amount, or every such entry, leaves the wrong ones behind.
fn ledger() -> Arc<Mutex<Ledger>> {
    let mut ledger = Ledger::default();
    ledger.deposit(100, || {});
    ledger.deposit(20, || {});
    Arc::new(Mutex::new(ledger))
}

/// The deposit that the crash leaves half-done: the same amount as the first entry.
const HALF_DONE: i64 = 100;

/// A thread takes the lock and panics in the middle of a deposit of `amount`.
fn crash_mid_deposit(ledger: &Arc<Mutex<Ledger>>, amount: i64) {
    let l = Arc::clone(ledger);
    let crashed = thread::spawn(move || {
        let mut guard = l.lock().unwrap();
        guard.deposit(amount, || {
            panic!("the power fails mid-deposit (this panic is part of the test)")
        });
    })
    .join();
    assert!(crashed.is_err() && ledger.is_poisoned());
}

/// A thread takes the lock, finishes a deposit of `amount`, and then panics, still holding it.
fn crash_after_deposit(ledger: &Arc<Mutex<Ledger>>, amount: i64) {
    let l = Arc::clone(ledger);
    let crashed = thread::spawn(move || {
        let mut guard = l.lock().unwrap();
        guard.deposit(amount, || {});
        panic!("a panic after the deposit (this panic is part of the test)");
    })
    .join();
    assert!(crashed.is_err() && ledger.is_poisoned());
}

/// Runs the learner's `f` on another thread, with a time limit, and says so if it panicked.
fn call<T: Send + 'static>(
    what: &str,
    ledger: &Arc<Mutex<Ledger>>,
    f: impl FnOnce(&Mutex<Ledger>) -> T + Send + 'static,
) -> T {
    let l = Arc::clone(ledger);
    let message = format!("{what} panicked: on a poisoned lock, take the guard from the error");
    within(what, move || {
        thread::spawn(move || f(&l))
            .join()
            .unwrap_or_else(|_| panic!("{message}"))
    })
}

#[test]
fn snapshot_of_a_healthy_ledger() {
    let ledger = ledger();
    let seen = call("snapshot", &ledger, snapshot);
    assert!(!seen.poisoned);
    assert_eq!(seen.ledger, *ledger.lock().unwrap());
}

#[test]
fn snapshot_reports_the_poison_and_the_half_done_deposit_without_panicking() {
    let ledger = ledger();
    crash_mid_deposit(&ledger, HALF_DONE);
    let seen = call("snapshot", &ledger, snapshot);
    assert!(seen.poisoned, "the lock is poisoned: say so");
    assert_eq!(
        seen.ledger,
        Ledger {
            balance: 120,
            entries: vec![100, 20, 100],
            pending: Some(100),
        },
        "the snapshot shows the ledger as the crash left it"
    );
    assert!(
        ledger.is_poisoned(),
        "a snapshot only looks; it does not clear the poison"
    );
}

#[test]
fn recover_rolls_back_the_half_done_deposit_and_clears_the_poison() {
    let ledger = ledger();
    crash_mid_deposit(&ledger, HALF_DONE);
    let recovery = call("recover", &ledger, recover);
    assert_eq!(recovery, Recovery::RolledBack(HALF_DONE));
    assert!(
        !ledger.is_poisoned(),
        "recover must clear the poison (Mutex::clear_poison)"
    );
    let now = ledger
        .lock()
        .expect("after recover, lock() works again")
        .clone();
    assert!(
        now.is_whole(),
        "the ledger must be whole after recover: {now:?}"
    );
    assert_eq!(
        now.entries,
        [100, 20],
        "only the finished deposits remain, in order: the half-done one is the last entry"
    );
    assert_eq!(now.balance, 120);
}

#[test]
fn recover_clears_a_poison_that_left_the_ledger_whole() {
    let ledger = ledger();
    crash_after_deposit(&ledger, 7);
    assert_eq!(call("recover", &ledger, recover), Recovery::Cleared);
    assert!(
        !ledger.is_poisoned(),
        "recover must clear the poison (Mutex::clear_poison)"
    );
    let now = ledger.lock().unwrap().clone();
    assert_eq!(
        (now.entries, now.balance),
        (vec![100, 20, 7], 127),
        "the finished deposit stays"
    );
}

#[test]
fn recover_on_a_healthy_ledger_changes_nothing() {
    let ledger = ledger();
    let before = ledger.lock().unwrap().clone();
    assert_eq!(call("recover", &ledger, recover), Recovery::Clean);
    assert_eq!(*ledger.lock().unwrap(), before);
    crash_mid_deposit(&ledger, 1);
    assert_eq!(call("recover", &ledger, recover), Recovery::RolledBack(1));
    assert_eq!(
        call("recover", &ledger, recover),
        Recovery::Clean,
        "a second recover finds nothing to do"
    );
}

#[test]
fn deposit_adds_up_on_a_healthy_ledger() {
    let ledger = ledger();
    assert_eq!(call("deposit", &ledger, |l| deposit(l, 30)), Ok(150));
    assert_eq!(call("deposit", &ledger, |l| deposit(l, -50)), Ok(100));
    let now = ledger.lock().unwrap().clone();
    assert!(now.is_whole());
    assert_eq!(now.entries, [100, 20, 30, -50]);
}

#[test]
fn deposit_refuses_a_poisoned_ledger_and_changes_nothing() {
    let ledger = ledger();
    crash_mid_deposit(&ledger, HALF_DONE);
    let before = ledger.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(
        call("deposit", &ledger, |l| deposit(l, 30)),
        Err(LedgerPoisoned),
        "a deposit on top of a half-done one would make things worse: refuse it"
    );
    assert!(
        ledger.is_poisoned(),
        "deposit must leave the poison for recover"
    );
    assert_eq!(*ledger.lock().unwrap_or_else(|e| e.into_inner()), before);
    assert_eq!(
        call("recover", &ledger, recover),
        Recovery::RolledBack(HALF_DONE)
    );
    assert_eq!(
        call("deposit", &ledger, |l| deposit(l, 30)),
        Ok(150),
        "works again"
    );
    assert_eq!(ledger.lock().unwrap().entries, [100, 20, 30]);
}

#[test]
fn the_poison_lab() {
    // The whole story, step by step; the snapshot shows the state after each step.
    let ledger = ledger();
    let mut lines = Vec::new();
    let mut show = |step: &str, ledger: &Arc<Mutex<Ledger>>| {
        let seen = call("snapshot", ledger, snapshot);
        lines.push(format!("{step:<32} {seen:?}"));
    };
    show("two deposits", &ledger);
    crash_mid_deposit(&ledger, HALF_DONE);
    show("crash in a deposit of 100", &ledger);
    let refused = call("deposit", &ledger, |l| deposit(l, 30));
    show(&format!("deposit 30: {refused:?}"), &ledger);
    let recovery = call("recover", &ledger, recover);
    show(&format!("recover: {recovery:?}"), &ledger);
    let done = call("deposit", &ledger, |l| deposit(l, 30));
    show(&format!("deposit 30: {done:?}"), &ledger);
    crash_after_deposit(&ledger, 7);
    show("crash after a deposit of 7", &ledger);
    let recovery = call("recover", &ledger, recover);
    show(&format!("recover: {recovery:?}"), &ledger);
    insta::assert_snapshot!("poison_lab", lines.join("\n"));
}
