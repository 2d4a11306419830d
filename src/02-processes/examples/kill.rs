// Chapter 2, "The Rust way": is_alive(), terminate() and `kill -9`:
// try_wait, kill and the exit status.
use std::env;
use std::io::{self, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Stdio};

// ANCHOR: guard
/// Kills and reaps a child when dropped, so that no way out of a function
/// (a `return`, a `?`, a panic) leaves the child running.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // Both fail harmlessly if the child has already ended and been reaped.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
// ANCHOR_END: guard

// ANCHOR: main
fn main() -> io::Result<()> {
    if env::var_os("EXAMPLE_ROLE").is_some_and(|role| role == "listener") {
        // The child reads its standard input until it is closed. Until then it
        // is alive, and it cannot finish by itself: nothing here is timed.
        io::stdin().read_to_end(&mut Vec::new())?;
        return Ok(());
    }

    let listener = || {
        Command::new(env::current_exe()?)
            .env("EXAMPLE_ROLE", "listener")
            .stdin(Stdio::piped())
            .spawn()
    };

    // A child that ends normally: close its input and it exits with code 0.
    let mut calm = KillOnDrop(listener()?);
    assert!(calm.0.try_wait()?.is_none()); // is_alive() == True
    drop(calm.0.stdin.take()); // close the pipe: the child reads "end of input"
    let status = calm.0.wait()?;
    assert_eq!(status.code(), Some(0));

    // A child that is killed: the notes' `kill -9 <pid>`.
    let mut doomed = KillOnDrop(listener()?);
    println!("killing pid {}", doomed.0.id());
    assert!(doomed.0.try_wait()?.is_none()); // still alive
    doomed.0.kill()?; // SIGKILL, signal number 9
    let status = doomed.0.wait()?;
    assert_eq!(status.code(), None); // no exit code: it never got to exit
    assert_eq!(status.signal(), Some(9)); // it was killed by signal 9
    println!("{status}");
    Ok(())
}
// ANCHOR_END: main
