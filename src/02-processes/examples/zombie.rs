// Chapter 2, "The Rust way": a child that has ended but has not been waited
// for is a zombie until its parent waits. Linux only: it reads /proc.
use std::env;
use std::fs;
use std::io;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: state
/// The state letter Linux shows for a process (`R` running, `S` sleeping,
/// `Z` zombie, ...), or `None` once the process is gone entirely.
fn state(pid: u32) -> Option<char> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (name) state ...": the state comes after the name's `)`.
    let (_, rest) = stat.rsplit_once(')')?;
    rest.trim_start().chars().next()
}
// ANCHOR_END: state

// ANCHOR: zombie
fn main() -> io::Result<()> {
    if env::var_os("EXAMPLE_ROLE").is_some() {
        return Ok(()); // the child ends at once
    }

    let mut child = Command::new(env::current_exe()?)
        .env("EXAMPLE_ROLE", "quitter")
        .spawn()?;
    let pid = child.id();

    // The child ends by itself, soon. Until somebody waits for it, Linux
    // keeps its entry, with its exit status, and shows it as a zombie.
    let give_up = Instant::now() + Duration::from_secs(10);
    while state(pid) != Some('Z') {
        assert!(Instant::now() < give_up, "pid {pid} never became a zombie");
        thread::sleep(Duration::from_millis(1));
    }
    println!("pid {pid} has ended but is still listed: state Z");

    // Waiting collects the exit status, and the entry is gone.
    let status = child.wait()?;
    assert!(status.success());
    assert_eq!(state(pid), None);
    println!("after wait(): pid {pid} is gone");
    Ok(())
}
// ANCHOR_END: zombie
