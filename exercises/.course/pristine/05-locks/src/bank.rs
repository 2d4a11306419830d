//! Exercise `bank`: a transfer between two accounts that cannot deadlock.
//!
//! A transfer needs two locks, one per account, held together: take money from one balance and
//! add it to the other, with no moment in between where another thread could see it missing.
//! Take them naively, "first `from`, then `to`", and two transfers in opposite directions can
//! each take its first lock and then wait for ever for the other's: a *deadlock* (死锁).
//!
//! Three ways out, all correct here; pick one:
//!
//! - **One order for everyone.** Lock the account with the smaller id first, whatever the
//!   direction. No thread can then hold the larger while waiting for the smaller, so no cycle.
//! - **One big lock.** Take [`Bank::lock_bank`] first, then the two accounts: only one transfer
//!   at a time takes account locks. Its first lock, for `holding_first`, is the first *account*
//!   it locks after the bank's. Drop the bank's guard once you hold both accounts: keeping it to
//!   the end is correct too, but then only one transfer at a time runs at all, even between
//!   accounts that have nothing to do with each other.
//! - **Try, and back off.** Take the first with [`Bank::lock`], try the second with
//!   [`Bank::try_lock`]; if it is busy, drop the first, let the other thread go
//!   (`std::thread::yield_now()`), and start again.
//!
//! The accounts' locks are inside [`Bank`] (given), which also counts *contention*: every time a
//! `lock`, `try_lock` or `lock_bank` finds its lock already taken. The tests use that count to
//! know when a transfer is waiting for another one.

// Given by the course, down to the end-of-given line: keep it as it is.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

/// A few accounts, each balance behind its own lock, and one lock for the whole bank.
#[derive(Debug)]
pub struct Bank {
    balances: Vec<Mutex<u64>>,
    whole: Mutex<()>,
    contention: AtomicUsize,
}

impl Bank {
    /// A bank with one account per balance; account `i` starts with `balances[i]`.
    pub fn new(balances: &[u64]) -> Self {
        Bank {
            balances: balances.iter().map(|&b| Mutex::new(b)).collect(),
            whole: Mutex::new(()),
            contention: AtomicUsize::new(0),
        }
    }

    /// How many accounts there are; their ids are `0..len()`.
    pub fn len(&self) -> usize {
        self.balances.len()
    }

    /// Whether the bank has no accounts.
    pub fn is_empty(&self) -> bool {
        self.balances.is_empty()
    }

    /// Locks account `id`, waiting while another thread holds it. Panics if there is no such
    /// account. (A poisoned lock is taken anyway: no test here panics while holding one.)
    pub fn lock(&self, id: usize) -> MutexGuard<'_, u64> {
        self.take(&self.balances[id])
    }

    /// Locks account `id` if it is free right now; `None` if another thread holds it.
    pub fn try_lock(&self, id: usize) -> Option<MutexGuard<'_, u64>> {
        match self.balances[id].try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(TryLockError::WouldBlock) => {
                self.contention.fetch_add(1, Ordering::SeqCst);
                None
            }
        }
    }

    /// Takes the one lock for the whole bank, waiting while another thread holds it.
    pub fn lock_bank(&self) -> MutexGuard<'_, ()> {
        self.take(&self.whole)
    }

    /// The balance of account `id` now (it takes and releases that account's lock).
    pub fn balance(&self, id: usize) -> u64 {
        *self.lock(id)
    }

    /// Every balance, in id order, each read under its own lock.
    pub fn balances(&self) -> Vec<u64> {
        (0..self.len()).map(|id| self.balance(id)).collect()
    }

    /// Whether account `id`'s lock is held by someone right now. It looks without waiting and is
    /// not counted as contention. (The tests use it in `holding_first`.)
    pub fn in_use(&self, id: usize) -> bool {
        matches!(self.balances[id].try_lock(), Err(TryLockError::WouldBlock))
    }

    /// How many times a `lock`, `try_lock` or `lock_bank` found its lock already taken.
    pub fn contention(&self) -> usize {
        self.contention.load(Ordering::SeqCst)
    }

    fn take<'a, T>(&self, lock: &'a Mutex<T>) -> MutexGuard<'a, T> {
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

/// Why a transfer did not happen. Either way, no balance changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferError {
    /// Account `id` holds `balance`, less than the `amount` asked for.
    InsufficientFunds {
        id: usize,
        balance: u64,
        amount: u64,
    },
    /// `from` and `to` are the same account `id`.
    SameAccount { id: usize },
}
// End of given.

/// Moves `amount` from account `from` to account `to`, holding both accounts' locks while it
/// changes them, and never deadlocking with other transfers, whatever their direction.
///
/// - Take the two locks with `bank.lock(id)` (or `bank.try_lock(id)`, or `bank.lock_bank()` and
///   then the accounts): your choice of strategy; see the module's documentation.
/// - Call `holding_first()` once you hold the *first* account's lock and before you take the
///   second (with the back-off strategy, each time you hold a first lock; with the big lock, the
///   first account's lock after the bank's). At that moment exactly one of the two accounts is
///   locked: the tests check it with [`Bank::in_use`].
/// - `from == to`: return `Err(TransferError::SameAccount { id })` without locking anything
///   (locking one `Mutex` twice on one thread never returns) and without calling the hook.
/// - If `from` holds less than `amount`: return `Err(TransferError::InsufficientFunds { id:
///   from, balance, amount })` and change nothing. Check the balance while you hold both locks,
///   in the same hold as the change: a check under one lock and a debit under another lets two
///   transfers both see the money that only one of them can take.
/// - Otherwise subtract from one, add to the other, and return `Ok(())`.
///
/// The tests (`tests/bank.rs`) check that: a->b and b->a at the same time finish (each hook
/// waits until the other transfer holds its first lock too, or is held up by a lock, so a
/// strategy that can deadlock does, and the test fails after its time limit); two transfers of
/// one account's whole balance at the same time, met the same way after both have started: one
/// succeeds, the other finds the money gone; thousands of transfers on 4 threads in all
/// directions conserve the total; insufficient funds and a transfer to the same account change
/// nothing; `holding_first` is called with exactly one of the two accounts locked; and a fixed
/// list of transfers ends in the balances of the snapshot.
#[allow(unused_variables)]
pub fn transfer(
    bank: &Bank,
    from: usize,
    to: usize,
    amount: u64,
    holding_first: impl Fn(),
) -> Result<(), TransferError> {
    todo!("lock both accounts in an order that cannot deadlock; check the funds; move the amount")
}
