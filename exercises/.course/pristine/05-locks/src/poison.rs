//! Exercise `poison`: what a thread that panics while holding the lock leaves behind.
//!
//! Python's `Lock` knows nothing about the data it guards: if a thread raises an exception
//! between `acquire()` and `release()` (without a `with` block or `finally`), the lock stays
//! taken and every other thread hangs. In Rust the guard is dropped while the panic unwinds, so
//! the lock *is* released, but the `Mutex` remembers that its holder panicked: it is
//! *poisoned*. From then on `lock()` returns `Err(PoisonError)`, because the data may be
//! half-changed. The error still carries the guard (`into_inner()`), so you can look at the
//! data, repair it, and call `clear_poison()` to say it is whole again.
//!
//! Here the data is a small [`Ledger`], and a deposit changes it in steps. A thread that panics
//! in the middle of [`Ledger::deposit`] leaves an entry written but the balance not yet updated,
//! with `pending` saying which deposit was under way. Your code must see the poison, recover the
//! ledger, undo the half-done deposit, and clear the poison.

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
///
/// `ledger.lock()` returns `Ok(guard)` on a healthy lock and `Err(e)` on a poisoned one, where
/// `e.into_inner()` is the guard all the same. (`unwrap()` would panic on the poisoned one: a
/// second panic, in a thread that did nothing wrong.)
///
/// The tests (`tests/poison.rs`) check it before and after a crash in the middle of a deposit:
/// it reports the poison and shows the half-done ledger, as it is, without panicking; and on a
/// healthy lock, `poisoned: false` and the ledger.
#[allow(unused_variables)]
pub fn snapshot(ledger: &Mutex<Ledger>) -> Snapshot {
    todo!("match ledger.lock(): Ok(guard) or Err(e) with e.into_inner()")
}

/// Makes a poisoned ledger whole again and clears the poison.
///
/// - Not poisoned: change nothing, return [`Recovery::Clean`].
/// - Poisoned, with `pending == Some(amount)`: the deposit of `amount` stopped half-way. Its
///   entry is the last one; remove it, set `pending` to `None` (the balance was never changed),
///   clear the poison with `ledger.clear_poison()`, and return `Recovery::RolledBack(amount)`.
/// - Poisoned, with no deposit pending: clear the poison, return [`Recovery::Cleared`].
///
/// The tests check each case: afterwards the lock is not poisoned, `lock()` works, the ledger is
/// whole (`Ledger::is_whole`) and holds exactly the deposits that finished; a later deposit
/// works again; and calling `recover` a second time returns `Clean`. A `recover` that ignores the
/// poison (takes the data, never clears it) or that leaves the half-done entry fails them.
#[allow(unused_variables)]
pub fn recover(ledger: &Mutex<Ledger>) -> Recovery {
    todo!("take the guard even if poisoned; undo a pending deposit; clear_poison")
}

/// Deposits `amount` under the lock and returns the new balance, or refuses a poisoned ledger.
///
/// - Healthy lock: `Ledger::deposit(amount, || {})`, then `Ok(balance)`.
/// - Poisoned lock: `Err(LedgerPoisoned)`, and the ledger is left exactly as it is, for
///   [`recover`] to repair. Do not panic, and do not write on top of a half-done deposit.
///
/// The tests check both: deposits add up on a healthy ledger; on a poisoned one `deposit`
/// returns the error without panicking, changes nothing, and leaves the lock poisoned.
#[allow(unused_variables)]
pub fn deposit(ledger: &Mutex<Ledger>, amount: i64) -> Result<i64, LedgerPoisoned> {
    todo!("lock; on Err return LedgerPoisoned; otherwise deposit and return the balance")
}
