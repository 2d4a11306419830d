// Given by the course, down to the end-of-given line: keep it as it is.
//! Chapter 2: processes (进程).
//!
//! The notes: a program that is not running is just a program (程序); once it runs, it is a
//! process (进程). The first one is the main process (主进程); the processes it creates are its
//! child processes (子进程). Each process gets memory of its own from the operating system, so
//! processes share no variables, local or global, and one child dying does not harm the others.
//!
//! Python starts a child with `Process(target=f, args=...)`, where `f` is a function of the same
//! script. Rust has no such call: a new process always runs a *program*. So this crate does what
//! Python's `spawn` start method does behind the scenes: it starts **its own program again**, with
//! a first argument that names the job, the *role* (see [`roles`]). `processes whoami` prints who
//! it is, `processes bump 3` bumps its global counter, `processes shout` answers lines on stdin.
//! The child starts again at `main` with fresh memory, just like Python's child starts again at
//! the top of the script and skips the `if __name__ == "__main__":` part.
//!
//! | Python | Rust |
//! |---|---|
//! | `Process(target=f, args=(x,))` | `Command::new(exe).arg("role").arg(x)` |
//! | `p.start()` | [`Command::spawn`](std::process::Command::spawn), which returns a [`Child`](std::process::Child) |
//! | `p.join()` | [`Child::wait`](std::process::Child::wait) or [`Child::wait_with_output`](std::process::Child::wait_with_output) |
//! | `p.pid` | [`Child::id`](std::process::Child::id) |
//! | `os.getpid()` | [`std::process::id`] |
//! | `os.getppid()` | [`std::os::unix::process::parent_id`] |
//! | `p.is_alive()` | [`Child::try_wait`](std::process::Child::try_wait) gives `Ok(None)` |
//! | `p.kill()`, `kill -9 PID` | [`Child::kill`](std::process::Child::kill) |
//!
//! The four exercises, one module each:
//!
//! - [`family`]: start children, join them, and ask each one who it is (PIDs).
//! - [`isolation`]: a child's global and a child's copy of a list are its own; a thread's are not.
//! - [`exit_codes`]: how a child ended, `try_wait` and `kill`, and why a crash stays in its process.
//! - [`pipes`]: send a child work on its stdin and read the answers from its stdout.
//!
//! The files `main.rs`, `roles.rs`, `gate.rs` and this one are given; you do not need to change
//! them. Your work is in the four exercise modules, and `cargo test -p processes --test <module>`
//! checks one of them. Run a role by hand to see it work, for example
//! `cargo run -q -p processes -- family 3`.

use std::io;
use std::path::Path;
use std::process::ExitStatus;

pub mod exit_codes;
pub mod family;
pub mod gate;
pub mod isolation;
pub mod pipes;
pub mod roles;

/// Turns the error of a failed [`Command::spawn`](std::process::Command::spawn) into one that
/// names the program, so that "No such file or directory" says *which* file.
///
/// ```ignore
/// let child = Command::new(exe).arg("whoami").spawn().map_err(|e| processes::cannot_start(exe, e))?;
/// ```
pub fn cannot_start(exe: &Path, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("cannot start {}: {err}", exe.display()))
}

/// The error for a child in role `role` that did not end well: how it ended, and the line of
/// its stderr (if that was captured; pass `&[]` otherwise) that most likely says why.
///
/// That line is the panic message for a child that panicked, otherwise the last line that is
/// not one of Rust's `note:` lines.
pub fn child_failed(role: &str, status: ExitStatus, stderr: &[u8]) -> io::Error {
    let stderr = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    let panic_message = lines
        .iter()
        .position(|line| line.contains(" panicked at "))
        .and_then(|at| lines.get(at + 1));
    let why = panic_message.or_else(|| {
        lines
            .iter()
            .rev()
            .find(|line| !line.is_empty() && !line.starts_with("note: "))
    });
    let message = match why {
        Some(line) => format!("the `{role}` child ended with {status}: {line}"),
        None => format!("the `{role}` child ended with {status}"),
    };
    io::Error::other(message)
}
// The given helper's own tests: they run with the crate's unit tests (`cargo test --lib`), and
// pass on the stub as on the solution, since nothing here is an exercise.
#[cfg(test)]
mod tests {
    use super::child_failed;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;

    #[test]
    fn child_failed_names_the_panic_message() {
        let stderr =
            b"\nthread 'main' panicked at src/roles.rs:9:5:\nno such file\nnote: run with \
                       `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        let err = child_failed("bump", ExitStatus::from_raw(101 << 8), stderr).to_string();
        assert!(err.ends_with(": no such file"), "{err}");
        assert!(err.starts_with("the `bump` child ended with "), "{err}");
    }

    #[test]
    fn child_failed_names_the_last_line_that_is_not_a_note() {
        let stderr = b"starting\ncannot read the list\nnote: a hint\n\n";
        let err = child_failed("append", ExitStatus::from_raw(1 << 8), stderr).to_string();
        assert!(err.ends_with(": cannot read the list"), "{err}");
        let err = child_failed("append", ExitStatus::from_raw(1 << 8), b"").to_string();
        assert_eq!(err, "the `append` child ended with exit status: 1");
    }
}
// End of given.
