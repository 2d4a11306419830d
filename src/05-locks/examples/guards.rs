// Chapter 5, "The Rust way": how long a guard lives. `try_lock` shows whether the lock is
// still held at each point, without deadlocking the example.
use std::sync::Mutex;

fn is_held<T>(m: &Mutex<T>) -> bool {
    m.try_lock().is_err()
}

fn main() {
    let m = Mutex::new(vec![1, 2, 3]);

    // ANCHOR: statement
    m.lock().unwrap().push(4); // the guard is a temporary: unlocked at the `;`
    assert!(!is_held(&m));

    let len = m.lock().unwrap().len(); // the same: only the number outlives the statement
    assert!(!is_held(&m) && len == 4);

    let guard = m.lock().unwrap(); // a named guard lives to the end of its block...
    assert!(is_held(&m));
    drop(guard); // ...or until it is dropped
    assert!(!is_held(&m));
    // ANCHOR_END: statement

    // ANCHOR: if_let
    // Edition 2024: the guard in an `if let` lives through the `then` block, but is dropped
    // before `else`. (In edition 2021 it lived to the end of the whole `if let`, and locking
    // again in `else` deadlocked.)
    if let Some(last) = m.lock().unwrap().last().copied() {
        assert!(is_held(&m), "still locked inside the block ({last})");
    }
    if let Some(big) = m.lock().unwrap().iter().find(|&&n| n > 100).copied() {
        println!("found {big}");
    } else {
        assert!(!is_held(&m), "already unlocked in else");
        m.lock().unwrap().push(0); // so locking again here is fine
    }
    // ANCHOR_END: if_let

    // ANCHOR: match
    // `match` keeps the guard of its scrutinee until the whole match ends, in every edition.
    match m.lock().unwrap().pop() {
        Some(_) => assert!(is_held(&m), "locking again here would deadlock"),
        None => {}
    }
    // Take the value out first, and the lock is free inside the match.
    let popped = m.lock().unwrap().pop();
    match popped {
        Some(_) => assert!(!is_held(&m)),
        None => {}
    }
    // ANCHOR_END: match

    // ANCHOR: while_let
    // `while let` holds the guard for each whole round of the loop body.
    while let Some(_item) = m.lock().unwrap().pop() {
        assert!(is_held(&m), "every round runs with the lock held");
    }
    assert!(!is_held(&m));
    // ANCHOR_END: while_let
}
