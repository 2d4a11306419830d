//! Exercise `round_robin`: `round_robin` switches between tasks on one thread (并发).
//!
//! The tasks here are plain iterators with no `Send`, some of them sharing `Rc<RefCell<..>>`
//! state: everything happens on the test's own thread, so the results are fully deterministic.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use sync_async::round_robin::round_robin;

type Steps = Box<dyn Iterator<Item = String>>;

/// A task named `name` with `count` steps: `name1`, `name2`, ...
fn task(name: &'static str, count: usize) -> Steps {
    Box::new((1..=count).map(move |i| format!("{name}{i}")))
}

#[test]
fn two_tasks_take_turns() {
    let log = round_robin(vec![task("a", 3), task("b", 2)]);
    assert_eq!(
        log.join(" "),
        "a1 b1 a2 b2 a3",
        "with task a (3 steps) and b (2 steps), the steps should alternate, and a finishes alone"
    );
}

#[test]
fn uneven_tasks_share_the_thread_fairly() {
    let log = round_robin(vec![task("a", 3), task("b", 1), task("c", 5), task("d", 2)]);
    // One round of the scheduler per line, so the snapshot shows the switching: the tasks are
    // named in alphabetical order, so a new round starts where the names stop increasing.
    let mut rounds: Vec<Vec<&str>> = Vec::new();
    let mut last_name = None;
    for step in &log {
        let name = &step[..1];
        if last_name.is_none_or(|last| name <= last) {
            rounds.push(Vec::new());
        }
        rounds.last_mut().unwrap().push(step);
        last_name = Some(name);
    }
    let text: Vec<String> = rounds.iter().map(|round| round.join(" ")).collect();
    insta::with_settings!({
        description => "round_robin over a (3 steps), b (1), c (5), d (2); one round per line",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(text.join("\n"));
    });
}

#[test]
fn steps_are_taken_only_when_it_is_their_turn() {
    // Each step notes in `pulled` when it is taken from its task.
    let pulled = Rc::new(RefCell::new(Vec::new()));
    let traced = |name: &'static str, count: usize| -> Steps {
        let pulled = Rc::clone(&pulled);
        Box::new(task(name, count).inspect(move |step| pulled.borrow_mut().push(step.clone())))
    };
    let log = round_robin(vec![traced("a", 3), traced("b", 3), traced("c", 2)]);

    let pulled = pulled.borrow();
    assert_eq!(
        log.join(" "),
        "a1 b1 c1 a2 b2 c2 a3 b3",
        "the steps should alternate between the tasks"
    );
    assert_eq!(
        *pulled, log,
        "the steps were taken from the tasks in the order {pulled:?}, but the log says they ran \
         in the order {log:?}: call a task's next() only when it is that task's turn (do not \
         collect a task's steps ahead of time)"
    );
}

#[test]
fn a_task_is_finished_at_its_first_none() {
    // Task `a` yields `a1`, then `None`, then another item, then `None` for good. Iterators may do
    // this (only a `FusedIterator` promises to stay finished), so the first `None` must count.
    let calls = Rc::new(Cell::new(0));
    let a_calls = Rc::clone(&calls);
    let a: Steps = Box::new(std::iter::from_fn(move || {
        a_calls.set(a_calls.get() + 1);
        match a_calls.get() {
            1 => Some("a1".to_string()),
            3 => Some("a-after-none".to_string()),
            _ => None,
        }
    }));
    let log = round_robin(vec![a, task("b", 3)]);

    assert_eq!(
        log.join(" "),
        "a1 b1 b2 b3",
        "task a returned None after a1, so it was finished: drop it from the run queue"
    );
    assert_eq!(
        calls.get(),
        2,
        "round_robin called next() on task a {} times; after a task returns None, never call its \
         next() again",
        calls.get()
    );
}

#[test]
fn empty_input_and_empty_tasks() {
    let log = round_robin(Vec::new());
    assert!(
        log.is_empty(),
        "no tasks should give an empty log, got {log:?}"
    );

    let log = round_robin(vec![task("a", 0), task("b", 2), task("c", 0)]);
    assert_eq!(
        log,
        ["b1", "b2"],
        "tasks a and c have no steps at all; only b's steps should be in the log"
    );
}
