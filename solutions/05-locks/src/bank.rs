//! Exercise `bank`: a transfer that cannot deadlock, by locking in id order (reference solution).

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

/// Moves `amount` from `from` to `to`, taking the two locks in id order.
pub fn transfer(
    bank: &Bank,
    from: usize,
    to: usize,
    amount: u64,
    holding_first: impl Fn(),
) -> Result<(), TransferError> {
    if from == to {
        return Err(TransferError::SameAccount { id: from });
    }
    // Everyone locks the smaller id first, so no two transfers can wait for each other.
    let (first, second) = (from.min(to), from.max(to));
    let mut first_guard = bank.lock(first);
    holding_first();
    let mut second_guard = bank.lock(second);
    let (source, target) = if from == first {
        (&mut *first_guard, &mut *second_guard)
    } else {
        (&mut *second_guard, &mut *first_guard)
    };
    if *source < amount {
        return Err(TransferError::InsufficientFunds {
            id: from,
            balance: *source,
            amount,
        });
    }
    *source -= amount;
    *target += amount;
    Ok(())
}
