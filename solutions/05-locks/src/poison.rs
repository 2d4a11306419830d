//! Exercise `poison`: recovering a poisoned ledger (reference solution).

use std::sync::Mutex;

// Given by the course, down to the end-of-given line: keep it as it is.
/// A bank book: every deposit is an entry, and the balance is their sum.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// The sum of the entries, once no deposit is under way.
    pub balance: i64,
    /// Every deposit, in order.
    pub entries: Vec<i64>,
    /// The deposit under way, if any: set at its first step, cleared at its last.
    pub pending: Option<i64>,
}

impl Ledger {
    /// Records a deposit of `amount` in four steps: mark it as pending, write its entry, add it
    /// to the balance, clear `pending`. `between` runs after the entry is written and before the
    /// balance is updated; if it panics, the ledger is left half-changed.
    pub fn deposit(&mut self, amount: i64, between: impl FnOnce()) {
        self.pending = Some(amount);
        self.entries.push(amount);
        between();
        self.balance += amount;
        self.pending = None;
    }

    /// Whether the ledger is whole: no deposit under way, and the balance is the entries' sum.
    pub fn is_whole(&self) -> bool {
        self.pending.is_none() && self.balance == self.entries.iter().sum::<i64>()
    }
}

/// What [`snapshot`] sees: whether the lock is poisoned, and the ledger as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The lock is poisoned: a thread panicked while holding it.
    pub poisoned: bool,
    /// A copy of the ledger, whole or not.
    pub ledger: Ledger,
}

/// What [`recover`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// The lock was not poisoned; nothing was done.
    Clean,
    /// The lock was poisoned but the ledger was whole (the panic came after the deposit
    /// finished, or before it started); only the poison was cleared.
    Cleared,
    /// The lock was poisoned in the middle of a deposit of this amount: its entry was removed,
    /// `pending` reset, and the poison cleared.
    RolledBack(i64),
}

/// The ledger's lock is poisoned: [`deposit`] refused to touch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerPoisoned;
// End of given.

/// A copy of the ledger and whether its lock is poisoned. It never panics.
pub fn snapshot(ledger: &Mutex<Ledger>) -> Snapshot {
    match ledger.lock() {
        Ok(guard) => Snapshot {
            poisoned: false,
            ledger: guard.clone(),
        },
        Err(poisoned) => Snapshot {
            poisoned: true,
            ledger: poisoned.into_inner().clone(),
        },
    }
}

/// Makes a poisoned ledger whole again and clears the poison.
pub fn recover(ledger: &Mutex<Ledger>) -> Recovery {
    let mut guard = match ledger.lock() {
        Ok(_) => return Recovery::Clean,
        Err(poisoned) => poisoned.into_inner(),
    };
    let recovery = match guard.pending.take() {
        Some(amount) => {
            // The entry is written before anything else can fail; the balance is not.
            let undone = guard.entries.pop();
            debug_assert_eq!(undone, Some(amount));
            Recovery::RolledBack(amount)
        }
        None => Recovery::Cleared,
    };
    drop(guard);
    ledger.clear_poison();
    recovery
}

/// Deposits `amount` under the lock and returns the new balance, or refuses a poisoned ledger.
pub fn deposit(ledger: &Mutex<Ledger>, amount: i64) -> Result<i64, LedgerPoisoned> {
    let mut guard = ledger.lock().map_err(|_| LedgerPoisoned)?;
    guard.deposit(amount, || {});
    Ok(guard.balance)
}
