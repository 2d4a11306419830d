// Chapter 1, "The Rust way": concurrency with no threads at all.
// One loop gives each task one step in turn: the notes' 伪异步 (pseudo-async).
use std::thread;

// ANCHOR: task
/// A task that does its work one small step at a time.
/// It remembers how far it got, so it can stop after any step and go on later.
struct Steps {
    name: &'static str,
    done: u32,
    total: u32,
}

impl Steps {
    fn new(name: &'static str, total: u32) -> Self {
        Steps {
            name,
            done: 0,
            total,
        }
    }

    /// Does one step and says what it did, or `None` once the task is finished.
    fn step(&mut self) -> Option<String> {
        if self.done == self.total {
            return None;
        }
        self.done += 1;
        Some(format!("{}{}", self.name, self.done))
    }
}
// ANCHOR_END: task

// ANCHOR: loop
fn main() {
    let mut tasks = [Steps::new("a", 3), Steps::new("b", 2)];
    let mut log = Vec::new();
    let mut threads_used = Vec::new();

    // The "scheduler": visit every task in turn and let it do one step,
    // until a whole round passes in which nobody had anything left to do.
    loop {
        let mut progressed = false;
        for task in &mut tasks {
            if let Some(what) = task.step() {
                log.push(what);
                threads_used.push(thread::current().id());
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }

    assert_eq!(log, ["a1", "b1", "a2", "b2", "a3"]);
    // Every step ran on this one thread.
    assert!(threads_used.iter().all(|&id| id == thread::current().id()));
    println!("{}", log.join(" "));
}
// ANCHOR_END: loop
