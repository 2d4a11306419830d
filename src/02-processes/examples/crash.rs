// Chapter 2, "The Rust way": a child that panics exits with code 101,
// and the parent carries on.
use std::env;
use std::io;
use std::process::Command;

// ANCHOR: crash
fn main() -> io::Result<()> {
    match env::var("EXAMPLE_ROLE").as_deref() {
        Ok("crasher") => panic!("the child gives up"),
        Ok("worker") => {
            println!("work done");
            return Ok(());
        }
        _ => {} // no role: this is the parent
    }

    let exe = env::current_exe()?;

    // `output()` starts the child, captures what it prints and waits for it.
    let crashed = Command::new(&exe).env("EXAMPLE_ROLE", "crasher").output()?;
    assert!(!crashed.status.success());
    assert_eq!(crashed.status.code(), Some(101)); // the exit code of a panic
    let message = String::from_utf8_lossy(&crashed.stderr);
    assert!(message.contains("the child gives up"));

    // The crash stayed in the child's process. The parent carries on.
    let worked = Command::new(&exe).env("EXAMPLE_ROLE", "worker").output()?;
    assert!(worked.status.success());
    assert_eq!(worked.stdout, b"work done\n");
    println!("a child crashed ({}); the parent went on", crashed.status);
    Ok(())
}
// ANCHOR_END: crash
