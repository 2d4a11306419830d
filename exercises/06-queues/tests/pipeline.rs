//! Exercise `pipeline`: read → transform → write, joined by bounded queues, that ends cleanly.
//!
//! Every call runs inside a time limit: a stage that waits for ever (for a queue nobody reads,
//! or for items nobody sends) makes `run` hang, and the test fails with a message instead.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use queues::pipeline::{PipelineError, Stage, run};
use test_support::{TIMEOUT, within};

const HANG: &str = "the pipeline did not end: when a stage fails or stops, the stages before \
                    it must notice that their queue is closed (send returns Err) and the ones \
                    after it that theirs is empty and closed (recv returns Err). Does a stage \
                    keep a Sender or Receiver it should have dropped?";

fn words(n: usize) -> Vec<Result<String, String>> {
    (0..n).map(|i| Ok(format!("item-{i}"))).collect()
}

fn no_stop() -> (Sender<()>, Receiver<()>) {
    bounded(1)
}

#[test]
fn every_item_is_read_transformed_and_written_in_order() {
    let (written, outcome) = within(HANG, || {
        let (_keep, stop) = no_stop();
        let written = Mutex::new(Vec::new());
        let outcome = run(
            words(25),
            |s| Ok(s.to_uppercase()),
            |s| {
                written.lock().unwrap().push(s);
                Ok(())
            },
            2,
            &stop,
        );
        (written.into_inner().unwrap(), outcome)
    });
    assert_eq!(outcome, Ok(25));
    let expected: Vec<String> = (0..25).map(|i| format!("ITEM-{i}")).collect();
    assert_eq!(written, expected);
}

fn failing_at(stage: Stage, at: usize) -> (Vec<String>, Result<usize, PipelineError>, usize) {
    within(HANG, move || {
        let (_keep, stop) = no_stop();
        let read = AtomicUsize::new(0);
        let written = Mutex::new(Vec::new());
        // An endless source: the read stage must stop because the others did.
        let source = (0..).map(|i| {
            read.fetch_add(1, Ordering::SeqCst);
            if stage == Stage::Read && i == at {
                Err(format!("cannot read item {i}"))
            } else {
                Ok(format!("item-{i}"))
            }
        });
        let outcome = run(
            source,
            |s| {
                if stage == Stage::Transform && s == format!("item-{at}") {
                    Err(format!("cannot transform {s}"))
                } else {
                    Ok(s.to_uppercase())
                }
            },
            |s| {
                if stage == Stage::Write && s == format!("ITEM-{at}") {
                    return Err(format!("cannot write {s}"));
                }
                written.lock().unwrap().push(s);
                Ok(())
            },
            3,
            &stop,
        );
        (
            written.into_inner().unwrap(),
            outcome,
            read.load(Ordering::SeqCst),
        )
    })
}

#[test]
fn an_error_in_any_stage_is_reported_and_everything_before_it_is_written() {
    let mut lines = Vec::new();
    for stage in [Stage::Read, Stage::Transform, Stage::Write] {
        let (written, outcome, read) = failing_at(stage, 7);
        let expected: Vec<String> = (0..7).map(|i| format!("ITEM-{i}")).collect();
        assert_eq!(
            written, expected,
            "a {stage:?} error at item 7: items 0..7 are written, and nothing after"
        );
        let error = outcome.expect_err("the error is reported");
        assert_eq!(
            (error.stage, error.item),
            (stage, 7),
            "the error names its stage and item: {error}"
        );
        assert!(
            read <= 8 + 2 * 3 + 2,
            "after the {stage:?} error the reader went on reading ({read} items): it should stop \
             once its queue is closed"
        );
        lines.push(format!("{stage:?}: {error} (written: {})", written.len()));
    }
    insta::assert_snapshot!("errors", lines.join("\n"));
}

#[test]
fn a_stop_message_ends_an_endless_pipeline() {
    let (written, outcome) = within(HANG, || {
        let (stopper, stop) = no_stop();
        let (wrote, seen) = unbounded::<usize>();
        let written = Mutex::new(0usize);
        let outcome = std::thread::scope(|s| {
            let watcher = s.spawn(move || {
                // Stop once 10 items are through.
                for count in seen.iter() {
                    if count == 10 {
                        stopper.send(()).unwrap();
                        return;
                    }
                }
            });
            let outcome = run(
                (0..).map(|i| Ok(format!("{i}"))),
                Ok,
                |_| {
                    let mut n = written.lock().unwrap();
                    *n += 1;
                    let _ = wrote.send(*n);
                    Ok(())
                },
                2,
                &stop,
            );
            watcher.join().unwrap();
            outcome
        });
        (written.into_inner().unwrap(), outcome)
    });
    assert!(
        written >= 10,
        "at least the 10 items before the stop were written"
    );
    assert_eq!(
        outcome,
        Ok(written),
        "a stop is not an error: Ok(items written)"
    );
}

/// An endless source that says when it has been asked for `signal_at` items, and when it is
/// dropped (the read stage is done with it).
struct Source {
    next: usize,
    signal_at: usize,
    asked: Option<Sender<()>>,
    dropped: Option<Sender<()>>,
}

impl Iterator for Source {
    type Item = Result<String, String>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next += 1;
        if self.next == self.signal_at {
            let _ = self.asked.take().map(|tx| tx.send(()));
        }
        Some(Ok(format!("{}", self.next - 1)))
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        let _ = self.dropped.take().map(|tx| tx.send(()));
    }
}

#[test]
fn a_stop_reaches_a_reader_that_waits_for_room() {
    // The writer holds on to the first item until the read stage has let go of its source (the
    // reader's thread owns it, so it is dropped when the reader ends), so both queues (2 each)
    // fill up: the writer holds item 0, the second queue 1 and 2, the transformer 3, the first
    // queue 4 and 5, and the reader item 6, waiting for room. Only
    // then is the stop sent. A reader that looks at `stop` only between items never sees it:
    // it waits for room that never comes, and the writer waits for it.
    let (written, outcome) = within(HANG, || {
        let (stopper, stop) = no_stop();
        let (asked, seventh) = bounded::<()>(1);
        let (dropped, source_gone) = bounded::<()>(1);
        let written = AtomicUsize::new(0);
        let source = Source {
            next: 0,
            signal_at: 7,
            asked: Some(asked),
            dropped: Some(dropped),
        };
        let outcome = std::thread::scope(|s| {
            s.spawn(move || {
                seventh
                    .recv_timeout(TIMEOUT)
                    .expect("the reader read 7 items");
                stopper.send(()).unwrap();
            });
            run(
                source,
                Ok,
                |_| {
                    if written.fetch_add(1, Ordering::SeqCst) == 0 {
                        source_gone.recv_timeout(TIMEOUT).expect(
                            "the reader did not stop while it waited for room in a full queue: \
                             wait for room and for the stop at once, with \
                             select! { recv(stop) -> _ => .., send(queue, item) -> sent => .. } \
                             (or, if it did stop, it still holds the source: move the source \
                             into the reader's thread, so that it is dropped when the reader ends)",
                        );
                    }
                    Ok(())
                },
                2,
                &stop,
            )
        });
        (written.load(Ordering::SeqCst), outcome)
    });
    assert_eq!(outcome, Ok(written), "a stop is not an error");
    assert!(
        (6..=7).contains(&written),
        "the items already in the pipeline are written ({written} were)"
    );
}
