//! Exercise `bank`: transfers that cannot deadlock.
//!
//! The deadlock test does not hope for bad luck; it arranges it. Each transfer's
//! `holding_first` hook waits until the other transfer holds its first lock too (or is held up
//! by a lock, which is what a correct strategy makes it do). Locking "from, then to" makes
//! a->b and b->a each hold one account there, and then wait for the other's for ever; the test
//! sees that neither finished within its time limit and fails with a message.
//!
//! The same meeting makes two transfers of one account's whole balance check the funds at the
//! same time: a check under one lock and a debit under another lets both take the money.
//!
//! Where the hook is called is checked on one thread, where nothing else holds a lock: exactly
//! one of the transfer's two accounts must be locked then.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use locks::bank::{Bank, TransferError, transfer};
use test_support::{Deadline, TIMEOUT, within};

const DEADLOCK: &str = "both transfers hold one account and wait for the other: take the locks \
                        in one order (or take one big lock first, or try-lock and back off)";

/// How long the transfers have to finish once the hooks are done: a hook waits at most
/// [`TIMEOUT`] for the other transfer, so a pair of transfers that has not finished
/// `TIMEOUT + AFTER_HOOKS` after it started is deadlocked. (12 s in all, well inside the
/// grader's per-test limit.)
const AFTER_HOOKS: Duration = Duration::from_secs(2);

/// What the hook of one transfer in the rendezvous knows.
struct Rendezvous {
    bank: Arc<Bank>,
    arrived: AtomicUsize,
    finished: AtomicUsize,
    contention_before: usize,
    /// How long a hook goes on waiting for the other transfer to arrive once it has seen a lock
    /// found taken. Zero: it stops at once. (A correct strategy may hold the other transfer up
    /// for ever, so the hook cannot wait for it to arrive; but a lock taken only briefly, to
    /// look at a balance before the transfer proper, must not end the meeting.)
    patience: Duration,
    /// A hook waited until its time limit: the two transfers did not run at the same time.
    alone: AtomicBool,
}

impl Rendezvous {
    fn new(bank: &Arc<Bank>, patience: Duration) -> Arc<Self> {
        Arc::new(Rendezvous {
            bank: Arc::clone(bank),
            arrived: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            contention_before: bank.contention(),
            patience,
            alone: AtomicBool::new(false),
        })
    }

    /// The hook: the first time, wait (with a time limit) until the other transfer also holds a
    /// first lock, or is held up by a lock (for `patience`), or has finished.
    fn hook(&self, first: &AtomicBool) {
        if !first.swap(false, Ordering::SeqCst) {
            return;
        }
        self.arrived.fetch_add(1, Ordering::SeqCst);
        let deadline = Deadline::from_now();
        let mut held_up_since = None;
        while self.arrived.load(Ordering::SeqCst) < 2
            && self.finished.load(Ordering::SeqCst) == 0
            && !self.alone.load(Ordering::SeqCst)
        {
            if self.bank.contention() != self.contention_before {
                let since: Instant = *held_up_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= self.patience {
                    return;
                }
            }
            if deadline.remaining().is_zero() {
                self.alone.store(true, Ordering::SeqCst);
                return;
            }
            thread::yield_now();
        }
    }
}

/// What one transfer of [`meet`] answered.
struct Answer {
    from: usize,
    to: usize,
    result: Result<(), TransferError>,
    /// It never called `holding_first`.
    never_called: bool,
}

/// Runs `transfers` at the same time, each on its own thread, forced to meet in their hooks;
/// returns the answers in the order they came, and whether a hook waited in vain. `what` names
/// them in messages, and `if_panicked` says what a panic in one of them may mean.
fn meet(
    bank: &Arc<Bank>,
    transfers: [(usize, usize, u64); 2],
    patience: Duration,
    what: &str,
    if_panicked: &str,
) -> (Vec<Answer>, bool) {
    let started = Instant::now();
    let meet = Rendezvous::new(bank, patience);
    let (done, results) = mpsc::channel();
    for (from, to, amount) in transfers {
        let (bank, meet, done) = (Arc::clone(bank), Arc::clone(&meet), done.clone());
        thread::spawn(move || {
            let first = AtomicBool::new(true);
            let result = transfer(&bank, from, to, amount, || meet.hook(&first));
            meet.finished.fetch_add(1, Ordering::SeqCst);
            let never_called = first.load(Ordering::SeqCst);
            let _ = done.send(Answer {
                from,
                to,
                result,
                never_called,
            });
        });
    }
    drop(done);
    let limit = TIMEOUT + AFTER_HOOKS;
    let answers = (0..2)
        .map(
            |_| match results.recv_timeout(limit.saturating_sub(started.elapsed())) {
                Ok(answer) => answer,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("{DEADLOCK} ({what})"),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    panic!("a transfer panicked ({what}): see its message above{if_panicked}")
                }
            },
        )
        .collect();
    (answers, meet.alone.load(Ordering::SeqCst))
}

/// Runs `a -> b` and `b -> a` at the same time, forced to meet in their hooks.
fn opposite_transfers(a: usize, b: usize) {
    let bank = Arc::new(Bank::new(&[100, 100, 100]));
    let what = format!("accounts {a} and {b}");
    let (answers, alone) = meet(&bank, [(a, b, 10), (b, a, 30)], Duration::ZERO, &what, "");
    for Answer {
        from,
        result,
        never_called,
        ..
    } in answers
    {
        assert_eq!(result, Ok(()), "the transfer from account {from}");
        assert!(
            !never_called,
            "the transfer from account {from} never called holding_first: call it once you hold \
             the first account's lock"
        );
    }
    assert!(
        !alone,
        "the two transfers did not run at the same time: one waited in holding_first until its \
         time limit, but the other never took a lock"
    );
    let mut expected = vec![100, 100, 100];
    expected[a] += 20;
    expected[b] -= 20;
    assert_eq!(
        bank.balances(),
        expected,
        "a -> b moved 10, b -> a moved 30"
    );
}

#[test]
fn opposite_transfers_at_the_same_time_do_not_deadlock() {
    for _ in 0..10 {
        opposite_transfers(0, 1);
        opposite_transfers(1, 0);
        opposite_transfers(2, 0);
    }
}

#[test]
fn two_transfers_of_the_whole_balance_at_once_one_finds_it_gone() {
    // Both start with account 2's 100 in sight. The one that takes it first succeeds; the other
    // must then find 0, under the same locks as the debit it would make.
    for transfers in [[(2, 0, 100), (2, 1, 100)], [(2, 1, 100), (2, 0, 100)]] {
        for _ in 0..3 {
            let bank = Arc::new(Bank::new(&[10, 20, 100]));
            let what = "two transfers of account 2's whole 100, to 0 and to 1, at the same time";
            let both_took_it = ". An overflow means that both took the money: check the funds \
                                while you hold both locks, in the same hold as the debit";
            let patience = Duration::from_millis(200);
            let (answers, alone) = meet(&bank, transfers, patience, what, both_took_it);
            let succeeded: Vec<usize> = answers
                .iter()
                .filter(|a| a.result.is_ok())
                .map(|a| a.to)
                .collect();
            assert!(
                !succeeded.is_empty(),
                "{what}: neither succeeded, but account 2 held the 100 for one of them"
            );
            assert!(
                succeeded.len() < 2,
                "{what}: exactly one may succeed, but both did{both_took_it}"
            );
            for answer in &answers {
                if answer.result.is_err() {
                    assert_eq!(
                        answer.result,
                        Err(TransferError::InsufficientFunds {
                            id: 2,
                            balance: 0,
                            amount: 100
                        }),
                        "the transfer to {} came second: account 2 was empty by then",
                        answer.to
                    );
                }
                assert!(
                    !answer.never_called,
                    "the transfer to {} never called holding_first: call it once you hold the \
                     first account's lock",
                    answer.to
                );
            }
            let mut expected = vec![10, 20, 0];
            expected[succeeded[0]] += 100;
            assert_eq!(bank.balances(), expected, "{what}");
            assert!(
                !alone,
                "the two transfers did not run at the same time: one waited in holding_first \
                 until its time limit, but the other never took a lock"
            );
        }
    }
}

#[test]
fn many_transfers_in_all_directions_conserve_the_money() {
    const ACCOUNTS: usize = 5;
    const THREADS: u64 = 4;
    const TRANSFERS: u64 = 2_000;
    let bank = Arc::new(Bank::new(&[1_000; ACCOUNTS]));
    let total: u64 = bank.balances().iter().sum();
    let b = Arc::clone(&bank);
    let (moved, audits) = within("4 threads x 2 000 transfers (a deadlock?)", move || {
        thread::scope(|s| {
            let workers: Vec<_> = (0..THREADS)
                .map(|t| {
                    let bank = &b;
                    s.spawn(move || {
                        // A fixed pseudo-random sequence per thread: from, to and amount.
                        let mut seed = 0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(t + 1);
                        let mut moved = 0;
                        for _ in 0..TRANSFERS {
                            seed ^= seed << 13;
                            seed ^= seed >> 7;
                            seed ^= seed << 17;
                            let from = (seed % ACCOUNTS as u64) as usize;
                            let to = ((seed >> 8) % ACCOUNTS as u64) as usize;
                            let amount = (seed >> 16) % 300;
                            match transfer(bank, from, to, amount, || {}) {
                                Ok(()) => moved += 1,
                                Err(TransferError::SameAccount { id }) => assert_eq!(id, from),
                                Err(TransferError::InsufficientFunds { id, .. }) => {
                                    assert_eq!(id, from)
                                }
                            }
                        }
                        moved
                    })
                })
                .collect();
            // An auditor takes the bank's lock and then every account's lock at once, in id
            // order (so it deadlocks with none of the three strategies), and adds them up: the
            // money must never be missing half-way through a transfer.
            let mut audits = 0;
            loop {
                let finished = workers.iter().all(|w| w.is_finished());
                let whole = b.lock_bank();
                let guards: Vec<_> = (0..ACCOUNTS).map(|id| b.lock(id)).collect();
                let seen: u64 = guards.iter().map(|g| **g).sum();
                drop(guards);
                drop(whole);
                assert_eq!(
                    seen, total,
                    "an audit holding every account saw money missing or doubled: hold both \
                     accounts' locks for the whole transfer"
                );
                audits += 1;
                if finished {
                    break;
                }
                thread::yield_now();
            }
            let moved: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
            (moved, audits)
        })
    });
    assert_eq!(
        bank.balances().iter().sum::<u64>(),
        total,
        "money was created or lost"
    );
    assert!(moved > 0 && audits > 0);
}

/// A transfer on one thread, where no other thread holds a lock: its `holding_first` checks that
/// exactly one of the two accounts is locked, and a transfer that succeeds must have called it.
fn checked_transfer(bank: &Bank, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
    let calls = AtomicUsize::new(0);
    let result = transfer(bank, from, to, amount, || {
        calls.fetch_add(1, Ordering::SeqCst);
        let held = [from, to].iter().filter(|&&id| bank.in_use(id)).count();
        assert_eq!(
            held, 1,
            "transfer {from} -> {to}: holding_first was called with this many of the two \
             accounts locked; call it once you hold the first account's lock, before you take \
             the second"
        );
    });
    if result.is_ok() {
        assert!(
            calls.load(Ordering::SeqCst) > 0,
            "transfer {from} -> {to} succeeded without calling holding_first: call it once you \
             hold the first account's lock"
        );
    }
    result
}

#[test]
fn insufficient_funds_is_an_error_that_changes_nothing() {
    within("transfers on one thread", || {
        let bank = Bank::new(&[50, 10]);
        assert_eq!(
            checked_transfer(&bank, 1, 0, 11),
            Err(TransferError::InsufficientFunds {
                id: 1,
                balance: 10,
                amount: 11
            })
        );
        assert_eq!(bank.balances(), [50, 10]);
        assert_eq!(
            checked_transfer(&bank, 1, 0, 10),
            Ok(()),
            "the whole balance may go"
        );
        assert_eq!(bank.balances(), [60, 0]);
        assert_eq!(checked_transfer(&bank, 0, 1, 0), Ok(()), "so may nothing");
        assert_eq!(bank.balances(), [60, 0]);
    });
}

#[test]
fn holding_first_is_called_with_exactly_one_account_locked() {
    within("transfers on one thread", || {
        let bank = Bank::new(&[50, 10, 0]);
        for (from, to) in [(0, 1), (1, 0), (0, 2), (2, 1)] {
            let _ = checked_transfer(&bank, from, to, 5);
        }
    });
}

#[test]
fn a_transfer_to_the_same_account_is_refused_without_locking() {
    let answer = within(
        "a transfer to the same account (does it lock it twice?)",
        || {
            let bank = Bank::new(&[50, 10]);
            let called = AtomicBool::new(false);
            let answer = transfer(&bank, 1, 1, 5, || called.store(true, Ordering::SeqCst));
            (answer, bank.balances(), called.load(Ordering::SeqCst))
        },
    );
    assert_eq!(
        answer,
        (
            Err(TransferError::SameAccount { id: 1 }),
            vec![50, 10],
            false
        )
    );
}

#[test]
fn a_day_at_the_bank() {
    // A fixed list of transfers, one after the other; the snapshot shows each answer and the
    // balances at the end.
    let lines = within("a list of transfers on one thread", || {
        let bank = Bank::new(&[100, 50, 0]);
        let mut lines = Vec::new();
        for (from, to, amount) in [
            (0, 1, 30),
            (1, 2, 80),
            (2, 0, 81),
            (2, 0, 80),
            (1, 1, 1),
            (0, 2, 150),
            (2, 1, 0),
        ] {
            let answer = checked_transfer(&bank, from, to, amount);
            lines.push(format!("{from} -> {to} {amount:>3}: {answer:?}"));
        }
        lines.push(format!("balances: {:?}", bank.balances()));
        lines
    });
    insta::assert_snapshot!("day_at_the_bank", lines.join("\n"));
}
