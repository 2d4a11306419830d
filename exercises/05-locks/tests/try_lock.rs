//! Exercise `try_lock`: `try_push` takes the lock only if it is free right now.
//!
//! The tests hold the lock themselves, on the main thread, and call `try_push` from another
//! thread: there is no timing involved, the lock is simply held, so `Busy` is the only right
//! answer. A `try_push` that calls `lock()` instead would wait for ever, and so would one that
//! retries `try_lock` until it succeeds; the tests give it a time limit (`test_support::within`,
//! thirteen seconds) and then fail.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use locks::try_lock::{TryPushError, try_push};
use test_support::within;

const WAITED: &str = "try_push while the lock is held (it must not wait: call try_lock once, and \
                      return Busy if it says WouldBlock; do not block in lock(), and do not retry)";

fn poisoned(items: Vec<&'static str>) -> Arc<Mutex<Vec<&'static str>>> {
    let list = Arc::new(Mutex::new(items));
    let l = Arc::clone(&list);
    let crashed = thread::spawn(move || {
        let _guard = l.lock().unwrap();
        panic!("a thread panics while it holds the lock (this panic is part of the test)");
    })
    .join();
    assert!(crashed.is_err() && list.is_poisoned());
    list
}

fn contents(list: &Mutex<Vec<&'static str>>) -> Vec<&'static str> {
    list.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

#[test]
fn a_free_lock_takes_the_push_and_gives_the_new_length() {
    let list = Mutex::new(Vec::new());
    assert_eq!(try_push(&list, "a"), Ok(1));
    assert_eq!(try_push(&list, "b"), Ok(2));
    assert_eq!(try_push(&list, "c"), Ok(3));
    assert_eq!(contents(&list), ["a", "b", "c"]);
}

#[test]
fn while_another_thread_holds_the_lock_it_is_busy_at_once() {
    let list = Arc::new(Mutex::new(vec!["a"]));
    let guard = list.lock().unwrap();
    let l = Arc::clone(&list);
    let answer = within(WAITED, move || try_push(&l, "b"));
    assert_eq!(answer, Err(TryPushError::Busy("b")), "the lock was held");
    assert_eq!(*guard, ["a"], "nothing is pushed while the lock is held");
    drop(guard);
    assert_eq!(
        try_push(&list, "c"),
        Ok(2),
        "once the guard is dropped, the lock is free"
    );
    assert_eq!(contents(&list), ["a", "c"]);
}

#[test]
fn the_thread_that_holds_the_lock_is_refused_too() {
    let answer = within(WAITED, || {
        let list = Mutex::new(vec![1]);
        let guard = list.lock().unwrap();
        let answer = try_push(&list, 2);
        drop(guard);
        (answer, list.into_inner().unwrap())
    });
    assert_eq!(answer, (Err(TryPushError::Busy(2)), vec![1]));
}

#[test]
fn a_poisoned_lock_is_reported_and_left_poisoned() {
    let list = poisoned(vec!["a"]);
    let l = Arc::clone(&list);
    let answer = within("try_push on a poisoned lock", move || try_push(&l, "b"));
    assert_eq!(
        answer,
        Err(TryPushError::Poisoned("b")),
        "a thread panicked while holding this lock: report it, with the item, without panicking"
    );
    assert!(
        list.is_poisoned(),
        "try_push must leave the poison for the caller to see"
    );
    assert_eq!(
        contents(&list),
        ["a"],
        "nothing is pushed onto a poisoned lock"
    );
}

#[test]
fn outcomes_in_order() {
    // One list, through every state a lock can be in; the snapshot shows each answer.
    let list = Arc::new(Mutex::new(Vec::new()));
    let mut lines = Vec::new();
    lines.push(format!("free:     {:?}", try_push(&list, "first")));
    {
        let _held = list.lock().unwrap();
        let l = Arc::clone(&list);
        let answer = within(WAITED, move || try_push(&l, "second"));
        lines.push(format!("held:     {answer:?}"));
    }
    lines.push(format!("released: {:?}", try_push(&list, "third")));
    let l = Arc::clone(&list);
    let _ = thread::spawn(move || {
        let _guard = l.lock().unwrap();
        panic!("a thread panics while it holds the lock (this panic is part of the test)");
    })
    .join();
    let l = Arc::clone(&list);
    let answer = within("try_push on a poisoned lock", move || {
        try_push(&l, "fourth")
    });
    lines.push(format!("poisoned: {answer:?}"));
    lines.push(format!("contents: {:?}", contents(&list)));
    insta::assert_snapshot!("outcomes", lines.join("\n"));
}
