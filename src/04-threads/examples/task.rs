// Chapter 4, "The Rust way": instead of subclassing `Thread`, a trait and one generic `start`.
use std::io;
use std::thread::{self, JoinHandle};

// ANCHOR: task
/// What Python's `class MyThread(Thread)` overrides: a name and a `run`.
trait Task: Send + 'static {
    type Output: Send + 'static;
    fn name(&self) -> String;
    fn run(self) -> Self::Output;
}

/// `MyThread(...).start()`: one function for every kind of task.
fn start<T: Task>(task: T) -> io::Result<JoinHandle<T::Output>> {
    thread::Builder::new()
        .name(task.name())
        .spawn(move || task.run())
}

/// The task's data is a plain struct: no parent constructor to call.
struct Singer {
    song: String,
}

impl Task for Singer {
    type Output = usize;
    fn name(&self) -> String {
        "singer".to_owned()
    }
    fn run(self) -> usize {
        let me = thread::current();
        println!("{} sings {}", me.name().unwrap(), self.song);
        self.song.chars().count()
    }
}

fn main() -> io::Result<()> {
    let singer = start(Singer {
        song: "茉莉花".to_owned(),
    })?;
    println!("{} characters", singer.join().unwrap());
    Ok(())
}
// ANCHOR_END: task
