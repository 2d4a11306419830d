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
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::ThreadId;

/// The process's global counter. Each process has its own, starting at 0.
///
/// An atomic lets threads add to it without a lock (and `static mut` would need `unsafe`).
static GLOBAL: AtomicU64 = AtomicU64::new(0);

/// The current value of this process's global counter.
pub fn global() -> u64 {
    GLOBAL.load(Ordering::SeqCst)
}

/// Adds `by` to this process's global counter, `GLOBAL`, and returns the new value.
///
/// [`AtomicU64::fetch_add`] adds and returns the value from *before* the addition.
///
/// The child role `bump N` calls this and prints `global=<the value>`.
///
/// The tests (`tests/isolation.rs`) check that it adds and returns the new value.
#[allow(unused_variables)]
pub fn bump_global(by: u64) -> u64 {
    todo!("add to GLOBAL and return the new value")
}

/// Runs the program `exe` in the role `bump <by>` (`Command::new(exe).arg("bump").arg(..)`),
/// waits for it, and returns the value of its global counter that the child printed.
///
/// The child prints one line, `global=<value>`. [`Command::output`](std::process::Command::output)
/// starts the child, captures its stdout and waits for it, in one call. Return an error if the
/// child cannot be started ([`crate::cannot_start`]), if it does not exit with success
/// ([`crate::child_failed`]), or if its line is not `global=<number>`. Whichever way this
/// function returns, the child has been waited for.
///
/// The tests (`tests/isolation.rs`) check that:
///
/// - the child's counter starts at 0, whatever this process did to its own: `bump 3` gives 3;
/// - the number is the one the child printed: a stand-in program (a shell script) answers
///   `bump 3` with a number that only the test knows;
/// - after children bumped their counters, this process's counter is unchanged;
/// - a program that cannot be started gives an error that names it, and a child that fails
///   (`/bin/false`, which prints nothing and exits with code 1) gives an error;
/// - a child that exits with success but prints `global=four` or `hello` gives an error, and is
///   not left behind as a zombie.
#[allow(unused_variables)]
pub fn bump_in_child(exe: &Path, by: u64) -> io::Result<u64> {
    todo!("run `exe bump <by>` and read the `global=` line it prints")
}

/// Bumps the global counter by `by` on a new thread ([`std::thread::spawn`]), waits for the
/// thread (`join`), and returns the value that [`bump_global`] returned on that thread, together
/// with that thread's id ([`std::thread::current`]`().id()`, taken on the new thread).
///
/// The tests (`tests/isolation.rs`) check that the id is not the caller's (the bump really ran on
/// another thread), that the thread sees this process's counter, and that its bump stays visible
/// here: threads share their process's memory.
#[allow(unused_variables)]
pub fn bump_in_thread(by: u64) -> (u64, ThreadId) {
    todo!("call bump_global on a new thread and join it")
}

/// Passes `list` to a child, which appends `item` to its own copy, and returns the child's list.
///
/// The child is the program `exe` in the role `append <item> <list...>`: the item, then each
/// number of the list, every one a separate argument. It prints its list as numbers separated by
/// spaces, such as `1 2 3 4`. Parse them back into a `Vec<u32>`. Errors as in
/// [`bump_in_child`], and a word that is not a number is an error too.
///
/// This is Python's "processes do not share local variables": the child gets a copy of the data
/// (here, as text), and whatever it does to the copy stays in the child.
///
/// The tests (`tests/isolation.rs`) check that `[1, 2, 3]` with 4 gives `[1, 2, 3, 4]`, that the
/// caller's list is unchanged, that the next child starts again from the list it is given, that
/// an empty list works, that the list is the one the child printed (a stand-in program answers
/// `append 4 1 2 3` with numbers that only the test knows), and that a missing program, a
/// failing one (`/bin/false`) or one that prints `1 six` gives an error, as for
/// [`bump_in_child`].
#[allow(unused_variables)]
pub fn append_in_child(exe: &Path, list: &[u32], item: u32) -> io::Result<Vec<u32>> {
    todo!("run `exe append <item> <list...>` and parse the numbers it prints")
}
