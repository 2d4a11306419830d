//! Exercise `producer_consumer`: 3 producers x k items, 3 consumers, no sentinel.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use queues::producer_consumer::{Item, produce_consume};
use test_support::{Gate, within};

const HANG: &str = "produce_consume did not return: the consumers are still waiting for items. \
                    The original Sender is still alive: drop it (or move it into a producer) \
                    once the producers have their clones, so that `for item in rx` ends when \
                    the last producer is done";

fn all_items(lists: &[Vec<Item>]) -> Vec<Item> {
    let mut all: Vec<Item> = lists.iter().flatten().copied().collect();
    all.sort_unstable();
    all
}

#[test]
fn every_item_arrives_once_and_every_consumer_ends() {
    let lists = within(HANG, || produce_consume(3, 20, 3, 5, |_, _| {}, |_, _| {}));
    assert_eq!(lists.len(), 3, "one list per consumer");
    let all = all_items(&lists);
    let lines: Vec<String> = all.chunks(10).map(|chunk| format!("{chunk:?}")).collect();
    insta::assert_snapshot!("all_items_sorted", lines.join("\n"));
}

#[test]
fn each_producer_sends_its_items_in_order() {
    let lists = within(HANG, || produce_consume(3, 50, 3, 2, |_, _| {}, |_, _| {}));
    for (c, list) in lists.iter().enumerate() {
        for p in 0..3 {
            let mine: Vec<u32> = list
                .iter()
                .filter(|(q, _)| *q == p)
                .map(|(_, i)| *i)
                .collect();
            assert!(
                mine.is_sorted(),
                "consumer {c} got producer {p}'s items out of order: {mine:?} (one queue is first in, first out)"
            );
        }
    }
    assert_eq!(
        all_items(&lists).len(),
        150,
        "every item arrives exactly once: did a consumer stop early, at a moment when the \
         queue was empty (try_recv says Empty) while the producers were still at work?"
    );
}

#[test]
fn the_consumers_run_at_the_same_time() {
    let gate = Gate::new(3);
    let seen = Mutex::new(vec![false; 3]);
    let lists = within(HANG, move || {
        produce_consume(
            3,
            4,
            3,
            5,
            |_, _| {},
            |c, _| {
                let first = !std::mem::replace(&mut seen.lock().unwrap()[c], true);
                if first {
                    assert!(
                        gate.wait(),
                        "the 3 consumers did not all hold an item at the same time: do they \
                         run one after another? (spawn all three before joining any)"
                    );
                }
            },
        )
    });
    assert_eq!(all_items(&lists).len(), 12);
    assert!(
        lists.iter().all(|l| !l.is_empty()),
        "every consumer took an item"
    );
}

#[test]
fn an_empty_queue_is_no_reason_to_stop() {
    // Every producer makes half its items, then waits at a gate until all of those are
    // consumed: the queue is then empty while the producers are still busy. After that, each
    // consumer must still be there to take one of the second half (they meet at a second gate
    // with their first such item).
    const HALF: u32 = 4;
    let consumed = AtomicUsize::new(0);
    let release = Gate::new(3 + 1);
    let gate = Gate::new(3);
    let seen = Mutex::new(vec![false; 3]);
    let lists = within(HANG, move || {
        produce_consume(
            3,
            2 * HALF,
            3,
            5,
            |_, i| {
                if i == HALF {
                    assert!(
                        release.wait(),
                        "the first halves were not all consumed: are the consumers still \
                         there? A consumer that stops at the first empty try_recv can be gone \
                         before the first item arrives; stop only when recv() says every \
                         Sender is gone"
                    );
                }
            },
            |c, (_, i)| {
                if i < HALF {
                    if consumed.fetch_add(1, Ordering::SeqCst) + 1 == 3 * HALF as usize {
                        // The last item of the first halves: the queue is empty now.
                        assert!(
                            release.wait(),
                            "the producers did not all reach their second half"
                        );
                    }
                } else if !std::mem::replace(&mut seen.lock().unwrap()[c], true) {
                    assert!(
                        gate.wait(),
                        "after the queue was empty for a moment, not all 3 consumers came back \
                         for more: does a consumer stop at the first empty try_recv? Stop only \
                         when recv() says every Sender is gone"
                    );
                }
            },
        )
    });
    assert_eq!(all_items(&lists).len(), 24, "every item was consumed");
}
