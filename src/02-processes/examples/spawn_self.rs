// Chapter 2, "The Rust way": the notes' Process(target=sing, args=("茉莉花",)),
// start() and join(), by starting this same program again in another role.
use std::env;
use std::io;
use std::process::{self, Command, Stdio};

// ANCHOR: target
/// The notes' `target`: what the child process does.
fn sing(song: &str) {
    let pid = process::id();
    let ppid = std::os::unix::process::parent_id();
    println!("sang {song} pid={pid} ppid={ppid}");
}
// ANCHOR_END: target

// ANCHOR: main
fn main() -> io::Result<()> {
    // Both processes run this `main`. The parent starts the child with
    // EXAMPLE_ROLE=singer in its environment; that is how the child knows.
    if env::var_os("EXAMPLE_ROLE").is_some_and(|role| role == "singer") {
        let song = env::args().nth(1).expect("the parent passes the song");
        sing(&song);
        return Ok(());
    }
    parent()
}
// ANCHOR_END: main

// ANCHOR: parent
fn parent() -> io::Result<()> {
    // Process(target=sing, args=("茉莉花",)) and p.start(): run this very
    // program again, as a singer, with the song as a command-line argument.
    let child = Command::new(env::current_exe()?)
        .env("EXAMPLE_ROLE", "singer")
        .arg("茉莉花")
        .stdout(Stdio::piped())
        .spawn()?;
    let child_pid = child.id(); // Python's p.pid

    // The parent is free to do other work here, while the child sings.

    // p.join(): wait for the child to end, and take what it printed.
    let output = child.wait_with_output()?;
    assert!(output.status.success());

    let line = String::from_utf8(output.stdout).expect("the child prints UTF-8");
    let expected = format!("sang 茉莉花 pid={child_pid} ppid={}", process::id());
    assert_eq!(line.trim_end(), expected);
    print!("the child said: {line}");
    Ok(())
}
// ANCHOR_END: parent
