//! Exercise `backpressure`: while the queue is full the producer waits, and it is never more
//! than the queue's capacity ahead of its consumer.
//!
//! The test is the consumer. It takes one item at a time, and before each take it waits until
//! the producer has got as far as the queue lets it: with `k` items taken and a capacity of
//! `c`, items `0..k + c` have been sent (`Sent(k + c - 1)`), and the producer has made item
//! `k + c` and is about to send it (`Sending(k + c)`). No sleep is involved: the producer's own
//! reports say where it is. At that point the queue is full, and `Sent(k + c)` must not have
//! been reported: that send can only return after the next take.

use crossbeam_channel::{Receiver, unbounded};
use queues::backpressure::{Event, start_producer};
use test_support::{Deadline, TIMEOUT, within};

/// Reads events until `wanted` arrives, checking each one on the way: no `Sent(i)` for an `i`
/// at or past `limit` (the first item that has no room yet). Returns the events read.
fn until(events: &Receiver<Event>, wanted: Event, limit: u32, taken: u32) -> Vec<Event> {
    let deadline = Deadline::from_now();
    let mut seen = Vec::new();
    loop {
        let event = events
            .recv_timeout(deadline.remaining())
            .unwrap_or_else(|_| {
                panic!(
                    "after {taken} items were taken, the producer did not report {wanted:?} within \
                 {} s (it reported {seen:?}): does it report Sending(i) before and Sent(i) after \
                 every send, and send as fast as the queue lets it?",
                    TIMEOUT.as_secs()
                )
            });
        if let Event::Sent(i) = event {
            assert!(
                i < limit,
                "after {taken} items were taken, the producer reported Sent({i}): it got more \
                 than the capacity ahead of its consumer. Is the queue bounded(capacity)? Does \
                 it report Sent only after send returns?"
            );
        }
        seen.push(event);
        if event == wanted {
            return seen;
        }
    }
}

fn check(capacity: u32, items: u32) -> Vec<String> {
    within("the backpressure test", move || {
        let (report, events) = unbounded();
        let (rx, producer) = start_producer(capacity as usize, items, report);
        let mut log = Vec::new();
        for taken in 0..items {
            let ahead = (taken + capacity).min(items);
            if ahead < items {
                // As far as it can go: items 0..ahead sent, item `ahead` in its hand.
                let seen = until(&events, Event::Sending(ahead), ahead, taken);
                log.push(format!("taken {taken:>2}: producer reported {seen:?}"));
                // Exactly `capacity` items: sent 0..ahead, taken 0..taken. A larger queue holds
                // as many (not full yet) or one more (the producer's next send went through).
                assert!(
                    rx.len() == capacity as usize && rx.is_full(),
                    "the producer is about to send item {ahead}, so the queue should be full \
                     with {capacity} item(s), but it holds {} of at most {:?}: is it \
                     bounded(capacity)?",
                    rx.len(),
                    rx.capacity()
                );
            } else if ahead == items && taken + capacity == items {
                let seen = until(&events, Event::Sent(items - 1), items, taken);
                log.push(format!("taken {taken:>2}: producer reported {seen:?}"));
            }
            let item = rx.recv_timeout(TIMEOUT).expect("an item in the queue");
            assert_eq!(item, taken, "items come out in order");
        }
        let sent = producer.join().expect("the producer does not panic");
        assert_eq!(sent, items, "the producer sent every item");
        assert!(
            rx.recv_timeout(TIMEOUT).is_err(),
            "the producer drops its Sender when it is done"
        );
        log
    })
}

#[test]
fn the_producer_is_never_more_than_the_capacity_ahead() {
    let log = check(3, 10);
    insta::assert_snapshot!("capacity_3", log.join("\n"));
}

#[test]
fn a_queue_of_one_makes_it_wait_for_every_item() {
    check(1, 20);
}

#[test]
fn a_larger_queue_lets_it_run_further_ahead() {
    check(5, 30);
}

#[test]
fn a_consumer_that_goes_away_ends_the_producer() {
    let (sent, after) = within("a producer whose consumer is gone", || {
        let (report, events) = unbounded();
        let (rx, producer) = start_producer(2, 1000, report);
        let _ = until(&events, Event::Sending(2), 2, 0);
        drop(rx);
        let sent = producer.join().expect("the producer does not panic");
        // The producer has ended, so every event it reported is in the channel by now.
        (sent, events.try_iter().collect::<Vec<_>>())
    });
    assert_eq!(
        sent, 2,
        "two items fitted; the third send failed because no one can receive it"
    );
    assert!(
        !after.contains(&Event::Sent(2)),
        "the producer reported Sent(2), but the send of item 2 failed (the consumer was gone): \
         it reported {after:?} after Sending(2). Report Sent(i) only after send(i) has returned Ok"
    );
}
