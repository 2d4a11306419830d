//! Exercise `condvar_queue`: your `Queue` against crossbeam's `bounded`, scenario by scenario.
//!
//! Every test runs the same scenario on crossbeam's channel first (the reference) and then on
//! your `Queue` (through the `BoundedQueue` trait in `tests/common`), and the two must agree.
//! Waits in the scenarios never use sleeps to let something happen: threads tell each other
//! where they are over channels, and every wait has a time limit, so a queue that deadlocks
//! fails with a message instead of hanging.

mod common;

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::{BoundedQueue, Channel};
use crossbeam_channel::unbounded;
use queues::condvar_queue::Queue;
use test_support::{Deadline, TIMEOUT, within};

/// How long the timeout calls wait in these tests: long enough to measure, short enough to run.
const SHORT: Duration = Duration::from_millis(30);

fn both<R: PartialEq + std::fmt::Debug>(
    capacity: usize,
    scenario: impl Fn(Arc<dyn BoundedQueue>) -> R,
) -> R {
    let reference = scenario(Arc::new(Channel::new(capacity)));
    let yours = scenario(Arc::new(Queue::<u32>::new(capacity)));
    assert_eq!(
        yours, reference,
        "your Queue behaved differently from crossbeam's bounded({capacity}) (left: yours, \
         right: crossbeam's)"
    );
    yours
}

#[test]
fn one_thread_through_every_call() {
    let transcript = both(3, |q| {
        let mut lines = Vec::new();
        let mut say = |line: String| lines.push(line);
        say(format!(
            "new:            capacity {} qsize {} empty {} full {}",
            q.capacity(),
            q.qsize(),
            q.empty(),
            q.full()
        ));
        say(format!("try_get:        {:?}", q.try_get()));
        q.put(1);
        q.put(2);
        say(format!(
            "put 1, put 2:   qsize {} full {}",
            q.qsize(),
            q.full()
        ));
        say(format!("try_put 3:      {:?}", q.try_put(3)));
        say(format!(
            "now:            qsize {} empty {} full {}",
            q.qsize(),
            q.empty(),
            q.full()
        ));
        say(format!("try_put 4:      {:?}", q.try_put(4)));
        let start = Instant::now();
        let timed_out = q.put_timeout(5, SHORT);
        let waited = start.elapsed() >= SHORT;
        say(format!(
            "put_timeout 5:  {timed_out:?}, waited the timeout: {waited}"
        ));
        say(format!("get:            {}", q.get()));
        say(format!(
            "put_timeout 6:  {:?} (there was room)",
            q.put_timeout(6, TIMEOUT)
        ));
        say(format!("get:            {}", q.get()));
        say(format!("try_get:        {:?}", q.try_get()));
        say(format!("get_timeout:    {:?}", q.get_timeout(TIMEOUT)));
        say(format!("qsize:          {} empty {}", q.qsize(), q.empty()));
        let start = Instant::now();
        let timed_out = q.get_timeout(SHORT);
        let waited = start.elapsed() >= SHORT;
        say(format!(
            "get_timeout:    {timed_out:?}, waited the timeout: {waited}"
        ));
        lines.join("\n")
    });
    insta::assert_snapshot!("one_thread", transcript);
}

#[test]
fn items_come_out_in_the_order_they_went_in() {
    both(4, |q| {
        let mut out = Vec::new();
        for round in 0..5 {
            for i in 0..4 {
                q.put(round * 10 + i);
            }
            assert!(q.full(), "{}: 4 items in a queue of 4", q.name());
            out.extend((0..2).map(|_| q.get()));
            q.put(round * 10 + 8);
            q.put(round * 10 + 9);
            while let Some(x) = q.try_get() {
                out.push(x);
            }
        }
        out
    });
}

#[test]
fn a_full_queue_refuses_and_gives_the_item_back() {
    both(2, |q| {
        q.put(1);
        q.put(2);
        let refused = (q.try_put(3), q.try_put(4), q.put_timeout(5, SHORT));
        assert_eq!(
            refused,
            (Err(3), Err(4), Err(5)),
            "{}: a queue of 2 holding 2 items has no room (does it look at its capacity?)",
            q.name()
        );
        assert_eq!(q.qsize(), 2, "{}: nothing was added", q.name());
        (q.get(), q.get(), q.try_get())
    });
}

#[test]
fn timeouts_wait_at_least_their_time() {
    both(1, |q| {
        let start = Instant::now();
        assert_eq!(
            q.get_timeout(SHORT),
            None,
            "{}: the queue is empty",
            q.name()
        );
        let waited_get = start.elapsed();
        q.put(1);
        let start = Instant::now();
        assert_eq!(
            q.put_timeout(2, SHORT),
            Err(2),
            "{}: the queue is full",
            q.name()
        );
        let waited_put = start.elapsed();
        assert!(
            waited_get >= SHORT && waited_put >= SHORT,
            "{}: get_timeout waited {waited_get:?} and put_timeout {waited_put:?}, less than \
             their timeout of {SHORT:?} (a Condvar can wake up early: wait_timeout_while \
             waits again until the time is really up)",
            q.name()
        );
    });
}

/// A thread started by [`started`]: its handle, and a channel that closes when its work ends.
struct Started<T> {
    handle: thread::JoinHandle<T>,
    ended: crossbeam_channel::Receiver<()>,
}

/// Runs `work` on its own thread and tells the test when it is about to start.
///
/// "About to start" is as close as a test can get without hooks inside the queue: the thread
/// may not be waiting inside the call yet when the test goes on. The checks that need it to
/// wait (a put that holds the lock while it waits) catch the mistake when it does, which is
/// nearly every run, and never fail a correct queue when it does not.
fn started<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> (crossbeam_channel::Receiver<()>, Started<T>) {
    let (about, starting) = unbounded();
    let (ending, ended) = unbounded::<()>();
    let handle = thread::spawn(move || {
        about.send(()).unwrap();
        let value = work();
        drop(ending);
        value
    });
    (starting, Started { handle, ended })
}

fn finish<T>(thread: Started<T>, what: &str, name: &str) -> T {
    // The channel closes when the work returns or panics; either way it is time to join.
    if thread.ended.recv_timeout(TIMEOUT) == Err(crossbeam_channel::RecvTimeoutError::Timeout) {
        panic!(
            "{name}: {what} did not return within {} s",
            TIMEOUT.as_secs()
        );
    }
    thread.handle.join().expect("the thread does not panic")
}

#[test]
fn a_put_on_a_full_queue_returns_once_a_get_makes_room() {
    both(1, |q| {
        q.put(1);
        let q2 = Arc::clone(&q);
        let (starting, putter) = started(move || {
            q2.put(2);
            q2.qsize()
        });
        starting.recv_timeout(TIMEOUT).unwrap();
        // While the putter waits, the queue must go on answering: a put that holds the lock
        // while it waits would block these calls (and the get) for ever.
        let name = q.name();
        let q3 = Arc::clone(&q);
        let (first, size) = within(
            "get, qsize and full while another thread waits in put (does put hold the lock \
             while it waits? Condvar::wait_while releases it)",
            move || {
                let full = q3.full();
                let first = q3.get();
                (first, (full, q3.qsize() <= 1))
            },
        );
        let after = finish(putter, "put (after a get made room)", name);
        assert!(after <= 1, "{name}: the queue of 1 held {after} items");
        (first, size, q.get())
    });
}

#[test]
fn a_get_on_an_empty_queue_returns_once_a_put_arrives() {
    both(2, |q| {
        let q2 = Arc::clone(&q);
        let (starting, getter) = started(move || (q2.get(), q2.get()));
        starting.recv_timeout(TIMEOUT).unwrap();
        let q3 = Arc::clone(&q);
        within(
            "put while another thread waits in get (does get hold the lock while it waits?)",
            move || {
                q3.put(7);
                q3.put(8);
            },
        );
        finish(getter, "get (after a put)", q.name())
    });
}

#[test]
fn put_timeout_and_get_timeout_return_as_soon_as_they_can() {
    let _ = both(1, |q| {
        q.put(1);
        let q2 = Arc::clone(&q);
        let (starting, putter) = started(move || q2.put_timeout(2, TIMEOUT * 3));
        starting.recv_timeout(TIMEOUT).unwrap();
        let name = q.name();
        let q3 = Arc::clone(&q);
        let first = within("get while another thread waits in put_timeout", move || {
            q3.get()
        });
        let put = finish(putter, "put_timeout (after a get made room)", name);
        let q4 = Arc::clone(&q);
        let (starting, getter) =
            started(move || (q4.get_timeout(TIMEOUT * 3), q4.get_timeout(TIMEOUT * 3)));
        starting.recv_timeout(TIMEOUT).unwrap();
        let q5 = Arc::clone(&q);
        within(
            "put while another thread waits in get_timeout (does it hold the lock while it waits?)",
            move || q5.put(3),
        );
        let got = finish(getter, "get_timeout (after a put)", name);
        (first, put, got)
    });
}

/// Several producers and several consumers through a queue of 1: every handover needs the
/// right kind of thread woken. With one `Condvar` and `notify_one`, a getter can wake another
/// getter instead of a waiting putter, and then everyone waits; with a wait that does not
/// re-check its condition, a woken getter can find the item already taken.
///
/// The threads are not scoped: each reports when it is done (or that it panicked) over a
/// channel, so a getter that panics is reported at once instead of leaving the putters
/// waiting for ever.
fn crowd(q: Arc<dyn BoundedQueue>, threads: u32, per_thread: u32) -> Vec<u32> {
    let name = q.name();
    let (report, reports) = unbounded::<Option<Vec<u32>>>();
    for t in 0..threads {
        let q = Arc::clone(&q);
        let report = report.clone();
        thread::spawn(move || {
            let put = panic::catch_unwind(AssertUnwindSafe(|| {
                for i in 0..per_thread {
                    let item = t * per_thread + i;
                    if i % 3 == 0 {
                        q.put_timeout(item, TIMEOUT * 3)
                            .expect("room within the timeout");
                    } else {
                        q.put(item);
                    }
                }
            }));
            let _ = report.send(put.ok().map(|()| Vec::new()));
        });
    }
    for t in 0..threads {
        let q = Arc::clone(&q);
        let report = report.clone();
        thread::spawn(move || {
            let got = panic::catch_unwind(AssertUnwindSafe(|| {
                (0..per_thread)
                    .map(|i| {
                        if t % 2 == 0 && i % 2 == 0 {
                            q.get_timeout(TIMEOUT * 3)
                                .expect("an item within the timeout")
                        } else {
                            q.get()
                        }
                    })
                    .collect::<Vec<u32>>()
            }));
            let _ = report.send(got.ok());
        });
    }
    drop(report);
    let deadline = Deadline::from_now();
    let mut got = Vec::new();
    for _ in 0..threads * 2 {
        match reports.recv_timeout(deadline.remaining()) {
            Ok(Some(items)) => got.extend(items),
            Ok(None) => panic!(
                "{name}: a putter or a getter panicked (its message is above). A getter that \
                 finds no item after its wait woke up did not re-check the queue: a Condvar \
                 can wake a thread that another thread has already served, so the wait sits in \
                 a loop (wait_while does it for you)"
            ),
            Err(_) => panic!(
                "{name}: {threads} putters and {threads} getters through a queue of 1 did not \
                 finish within {} s, so a thread was not woken: with one Condvar, notify_one \
                 can wake a thread of the wrong kind (a getter instead of a putter); use two \
                 Condvars, or notify_all",
                TIMEOUT.as_secs()
            ),
        }
    }
    got.sort_unstable();
    assert!(q.empty(), "{name}: every item was taken");
    got
}

#[test]
fn many_putters_and_getters_hand_over_every_item() {
    for _ in 0..3 {
        let got = both(1, |q| crowd(q, 4, 300));
        assert_eq!(
            got,
            (0..1200).collect::<Vec<_>>(),
            "every item exactly once"
        );
    }
}

#[test]
fn a_queue_needs_a_capacity() {
    let q = Queue::<u32>::new(1);
    assert_eq!(q.capacity(), 1);
    let refused = std::panic::catch_unwind(|| Queue::<u32>::new(0));
    assert!(
        refused.is_err(),
        "Queue::new(0) must panic: a queue of 0 could never hold an item"
    );
}
