//! Exercise `isolation`: processes share no variables (进程之间不共享全局变量, 不共享局部变量).
//!
//! The notes: the system gives every process a memory space of its own
//! (每个进程系统都会给分配单独的空间), so processes share neither global nor local variables. A
//! thread is different: all the threads of a process live in the same memory, so they do share
//! its globals.
//!
//! Rust's "global variable" is a `static`. This module has one, a counter ([`global`] reads it).
//! A child process is this program started again, so it gets a *fresh* copy of the static, as if
//! the program had just begun, and anything it changes stays in its own copy. Data the parent
//! wants to give a child has to travel as bytes (here, as command-line arguments), and the child
//! works on a copy of it.

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::{self, ThreadId};

/// The process's global counter. Each process has its own, starting at 0.
///
/// An atomic lets threads add to it without a lock (and `static mut` would need `unsafe`).
static GLOBAL: AtomicU64 = AtomicU64::new(0);

/// The current value of this process's global counter.
pub fn global() -> u64 {
    GLOBAL.load(Ordering::SeqCst)
}

/// Adds `by` to this process's global counter and returns the new value.
pub fn bump_global(by: u64) -> u64 {
    // fetch_add returns the value from before the addition.
    GLOBAL.fetch_add(by, Ordering::SeqCst) + by
}

/// Runs the program `exe` in the role `bump <by>`, and returns the value of the global counter
/// that the child printed.
pub fn bump_in_child(exe: &Path, by: u64) -> io::Result<u64> {
    let output = Command::new(exe)
        .arg("bump")
        .arg(by.to_string())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| crate::cannot_start(exe, e))?;
    if !output.status.success() {
        return Err(crate::child_failed("bump", output.status, &output.stderr));
    }
    let said = String::from_utf8_lossy(&output.stdout);
    said.trim()
        .strip_prefix("global=")
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| io::Error::other(format!("the bump child said {said:?}")))
}

/// Bumps the global counter by `by` on a new thread, and returns the value that thread saw and
/// that thread's id.
pub fn bump_in_thread(by: u64) -> (u64, ThreadId) {
    thread::spawn(move || (bump_global(by), thread::current().id()))
        .join()
        .expect("bumping an atomic does not panic")
}

/// Passes `list` to a child (the program `exe` in the role `append <item> <list...>`), which
/// appends `item` to its copy; returns the child's list.
pub fn append_in_child(exe: &Path, list: &[u32], item: u32) -> io::Result<Vec<u32>> {
    // Nothing is shared, so the list travels as text: one argument per number.
    let output = Command::new(exe)
        .arg("append")
        .arg(item.to_string())
        .args(list.iter().map(u32::to_string))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| crate::cannot_start(exe, e))?;
    if !output.status.success() {
        return Err(crate::child_failed("append", output.status, &output.stderr));
    }
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(|word| {
            word.parse()
                .map_err(|_| io::Error::other(format!("the append child said {word:?}")))
        })
        .collect()
}
