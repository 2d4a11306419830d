//! Exercise `python_api`: every row of the mapping table, Python's call against crossbeam's.
//!
//! Timeouts are checked by their outcome and a *minimum* time waited only: a loaded machine can
//! make any wait longer, never shorter.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, bounded};
use queues::python_api::{Call, Outcome, perform, queue};
use test_support::{TIMEOUT, within};

const SHORT: Duration = Duration::from_millis(30);

fn on(tx: &Sender<&'static str>, rx: &Receiver<&'static str>, call: Call<&'static str>) -> String {
    let shown = format!("{call:?}");
    format!("{shown:<28} -> {:?}", perform(call, tx, rx))
}

#[test]
fn queue_of_five_row_by_row() {
    let (tx, rx) = queue(5);
    let mut lines = vec![on(&tx, &rx, Call::Maxsize), on(&tx, &rx, Call::IsEmpty)];
    for x in ["a", "b", "c", "d"] {
        lines.push(on(&tx, &rx, Call::Put(x)));
    }
    lines.push(on(&tx, &rx, Call::Qsize));
    lines.push(on(&tx, &rx, Call::IsFull));
    lines.push(on(&tx, &rx, Call::PutNoWait("e")));
    lines.push(on(&tx, &rx, Call::IsFull));
    lines.push(on(&tx, &rx, Call::PutNoWait("f")));
    lines.push(on(&tx, &rx, Call::PutTimeout("g", SHORT)));
    lines.push(on(&tx, &rx, Call::Get));
    lines.push(on(&tx, &rx, Call::PutTimeout("h", SHORT)));
    lines.push(on(&tx, &rx, Call::GetNoWait));
    lines.push(on(&tx, &rx, Call::GetTimeout(SHORT)));
    for _ in 0..3 {
        lines.push(on(&tx, &rx, Call::Get));
    }
    lines.push(on(&tx, &rx, Call::Qsize));
    lines.push(on(&tx, &rx, Call::GetNoWait));
    lines.push(on(&tx, &rx, Call::IsEmpty));
    lines.push(on(&tx, &rx, Call::GetNoWait));
    lines.push(on(&tx, &rx, Call::GetTimeout(SHORT)));
    insta::assert_snapshot!("queue_of_five", lines.join("\n"));
}

#[test]
fn a_put_no_wait_on_a_full_queue_gives_the_item_back() {
    let (tx, rx) = bounded(1);
    assert_eq!(perform(Call::PutNoWait(1), &tx, &rx), Outcome::Put);
    assert_eq!(perform(Call::PutNoWait(2), &tx, &rx), Outcome::Full(2));
    assert_eq!(rx.len(), 1, "the refused item is not in the queue");
}

#[test]
fn timeouts_report_full_and_empty_after_waiting_at_least_the_timeout() {
    let (tx, rx) = bounded(1);
    let start = Instant::now();
    assert_eq!(perform(Call::GetTimeout(SHORT), &tx, &rx), Outcome::Empty);
    let waited_get = start.elapsed();
    perform(Call::Put(1), &tx, &rx);
    let start = Instant::now();
    assert_eq!(
        perform(Call::PutTimeout(2, SHORT), &tx, &rx),
        Outcome::Full(2)
    );
    let waited_put = start.elapsed();
    assert!(
        waited_get >= SHORT && waited_put >= SHORT,
        "get(True, t) and put(x, True, t) wait the timeout before they fail (recv_timeout, \
         send_timeout): they waited {waited_get:?} and {waited_put:?}"
    );
}

#[test]
fn blocking_get_and_put_wait_for_the_other_side() {
    let (tx, rx) = bounded(1);
    let (tx2, rx2) = (tx.clone(), rx.clone());
    let got = within(
        "Call::Get on an empty queue, while another thread puts",
        move || {
            thread::scope(|s| {
                let getter = s.spawn(|| perform(Call::Get, &tx2, &rx2));
                perform(Call::Put(7), &tx, &rx);
                let putter = s.spawn(|| perform(Call::Put(8), &tx2, &rx2));
                let first = getter.join().unwrap();
                let second = perform(Call::Get, &tx, &rx);
                (first, putter.join().unwrap(), second)
            })
        },
    );
    assert_eq!(got, (Outcome::Got(7), Outcome::Put, Outcome::Got(8)));
}

#[test]
fn the_other_side_gone_is_disconnected_not_empty_or_full() {
    let (tx, rx) = bounded::<u32>(2);
    let (lone_tx, _) = bounded::<u32>(2);
    drop(tx.clone());
    let other_rx = rx.clone();
    drop(rx);
    assert_eq!(
        perform(Call::PutNoWait(1), &tx, &other_rx),
        Outcome::Put,
        "a clone of the receiver is still alive"
    );
    let (_, no_rx) = bounded::<u32>(1);
    assert_eq!(
        perform(Call::Put(5), &lone_tx, &no_rx),
        Outcome::Disconnected(Some(5))
    );
    assert_eq!(
        perform(Call::PutNoWait(6), &lone_tx, &no_rx),
        Outcome::Disconnected(Some(6))
    );
    assert_eq!(
        perform(Call::PutTimeout(7, SHORT), &lone_tx, &no_rx),
        Outcome::Disconnected(Some(7))
    );
    drop(tx);
    let (live_tx, _) = bounded::<u32>(1);
    assert_eq!(
        perform(Call::Get, &live_tx, &other_rx),
        Outcome::Got(1),
        "items queued before the senders left still come out"
    );
    assert_eq!(
        perform(Call::Get, &live_tx, &other_rx),
        Outcome::Disconnected(None)
    );
    assert_eq!(
        perform(Call::GetNoWait, &live_tx, &other_rx),
        Outcome::Disconnected(None)
    );
    assert_eq!(
        perform(Call::GetTimeout(TIMEOUT), &live_tx, &other_rx),
        Outcome::Disconnected(None),
        "with every sender gone, recv_timeout returns at once"
    );
}

#[test]
fn maxsize_zero_is_a_queue_with_no_limit() {
    let (tx, rx) = queue(0);
    for i in 0..10_000 {
        assert_eq!(
            perform(Call::PutNoWait(i), &tx, &rx),
            Outcome::Put,
            "Queue() never fills"
        );
    }
    assert_eq!(perform(Call::IsFull, &tx, &rx), Outcome::Answer(false));
    assert_eq!(perform(Call::Qsize, &tx, &rx), Outcome::Size(10_000));
    assert_eq!(
        perform(Call::Maxsize, &tx, &rx),
        Outcome::Size(0),
        "Python's maxsize of Queue() is 0"
    );
    assert_eq!(rx.capacity(), None, "queue(0) is crossbeam's unbounded()");
}

#[test]
fn bounded_zero_is_a_rendezvous() {
    // Not Python's Queue(0): crossbeam's bounded(0) holds nothing, so a put waits for a get.
    let (tx, rx) = bounded(0);
    assert_eq!(
        perform(Call::PutNoWait(1), &tx, &rx),
        Outcome::Full(1),
        "no receiver waits"
    );
    assert_eq!(perform(Call::IsFull, &tx, &rx), Outcome::Answer(true));
    assert_eq!(perform(Call::IsEmpty, &tx, &rx), Outcome::Answer(true));
    assert_eq!(perform(Call::Maxsize, &tx, &rx), Outcome::Size(0));
    let (tx2, rx2) = (tx.clone(), rx.clone());
    let got = within("a put on bounded(0) while another thread gets", move || {
        thread::scope(|s| {
            let getter = s.spawn(|| perform(Call::Get, &tx2, &rx2));
            let put = perform(Call::PutTimeout(2, TIMEOUT), &tx, &rx);
            (put, getter.join().unwrap())
        })
    });
    assert_eq!(
        got,
        (Outcome::Put, Outcome::Got(2)),
        "the put hands the item straight to the get"
    );
}

#[test]
fn std_sync_channel_is_the_same_queue_with_fewer_calls() {
    // The standard library's bounded channel, for comparison: try_send gives the item back
    // too, but there is no len(), no is_full(), no stable send_timeout, and the Receiver
    // cannot be cloned (one consumer).
    use std::sync::mpsc::{TrySendError, sync_channel};
    let (tx, rx) = sync_channel(1);
    tx.try_send(1).unwrap();
    assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
    assert_eq!(rx.recv_timeout(SHORT), Ok(1));
    // The same row through crossbeam, with what std lacks.
    let (tx, rx) = queue(1);
    assert_eq!(perform(Call::PutNoWait(1), &tx, &rx), Outcome::Put);
    assert_eq!(perform(Call::PutNoWait(2), &tx, &rx), Outcome::Full(2));
    assert_eq!(perform(Call::Qsize, &tx, &rx), Outcome::Size(1));
    assert_eq!(perform(Call::Maxsize, &tx, &rx), Outcome::Size(1));
}
