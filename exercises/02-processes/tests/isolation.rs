//! Exercise `isolation`: a child's globals and locals are its own; a thread's are not.
//!
//! The tests of one file run on several threads of *one* process, and they all share that
//! process's global counter. So every test that reads or changes it holds [`COUNTER`] for its
//! whole length, and compares the counter before and after (a delta) instead of expecting a
//! fixed value.
//!
//! A fresh child's counter is easy to guess, so some tests pass a stand-in program instead of the
//! crate's own: a shell script that answers with numbers only the test knows. A function that
//! returns what it expects the child to say, instead of what the child said, cannot pass them.

mod common;

use std::io;
use std::path::Path;
use std::process::{self, Command};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;

use common::{Scratch, describe, leftovers, nonce};
use processes::isolation::{append_in_child, bump_global, bump_in_child, bump_in_thread, global};
use test_support::{output_within, within};

/// The crate's own program, built by Cargo for these tests.
const EXE: &str = env!("CARGO_BIN_EXE_processes");

/// Held by every test that touches this process's global counter.
static COUNTER: Mutex<()> = Mutex::new(());

fn lock_counter() -> MutexGuard<'static, ()> {
    // A test that failed while holding the lock must not fail all the others too.
    COUNTER.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `bump_in_child(EXE, by)`, failing the test on an error or after the time limit.
fn child_bumps(by: u64) -> u64 {
    within("bump_in_child", move || bump_in_child(Path::new(EXE), by))
        .unwrap_or_else(|err| panic!("bump_in_child({EXE}, {by}) failed: {err}"))
}

#[test]
fn bump_global_adds_and_returns_the_new_value() {
    let _counter = lock_counter();
    let before = global();

    assert_eq!(
        bump_global(5),
        before + 5,
        "bump_global(5) should return the counter's new value"
    );
    assert_eq!(
        global(),
        before + 5,
        "bump_global(5) should add 5 to the counter"
    );
    assert_eq!(bump_global(0), before + 5, "bump_global(0) changes nothing");
    assert_eq!(bump_global(2), before + 7);
}

#[test]
fn a_child_starts_from_a_fresh_global() {
    let _counter = lock_counter();
    bump_global(5);

    let seen = child_bumps(3);
    assert_eq!(
        seen, 3,
        "the child bumped its global by 3 and saw {seen}; a child process starts with its own \
         fresh copy of every static (here 0), whatever its parent did to its own copy. Run the \
         program `exe` in the role `bump 3` and return the number it prints"
    );
}

#[test]
fn a_childs_bump_leaves_the_parents_global_alone() {
    let _counter = lock_counter();
    let before = global();

    child_bumps(4);
    child_bumps(6);
    assert_eq!(
        global(),
        before,
        "two children bumped their globals, and this process's global went from {before} to \
         {}: bump_in_child must do the bumping in the child process only",
        global()
    );
}

#[test]
fn a_threads_bump_changes_the_parents_global() {
    let _counter = lock_counter();
    let before = global();

    let (caller, (seen, bumper)) = within("bump_in_thread", || {
        (thread::current().id(), bump_in_thread(2))
    });
    assert_ne!(
        bumper, caller,
        "bump_in_thread returned the caller's own thread id: do the bump on a new thread \
         (std::thread::spawn) and return thread::current().id() from inside that thread"
    );
    assert_eq!(
        seen,
        before + 2,
        "the thread should see this process's counter ({before}) plus its own bump (2)"
    );
    assert_eq!(
        global(),
        before + 2,
        "a thread shares its process's memory, so its bump must show in this process"
    );
}

/// A program that does not exist, and one that exists but fails without printing anything.
const MISSING: &str = "/no/such/folder/processes";
const FAILS: &str = "/bin/false";

/// Checks that `run(program)` gives an error for [`MISSING`] (one that names it) and for
/// [`FAILS`]: a function that does not really start a child cannot tell either from the real
/// program.
fn fails_without_a_working_child<T: std::fmt::Debug + Send + 'static>(
    what: &str,
    run: fn(&Path) -> io::Result<T>,
) {
    let missing = within(&format!("{what} with a missing program"), move || {
        run(Path::new(MISSING))
    });
    let err = missing.expect_err(&format!(
        "{what} with the program {MISSING}, which does not exist, must give an error: it has to \
         start that program, and starting it fails"
    ));
    assert!(
        err.to_string().contains(MISSING),
        "the error should name the program that could not start, got \"{err}\": wrap the error \
         of Command::output or spawn with processes::cannot_start"
    );

    let failed = within(&format!("{what} with {FAILS}"), move || {
        run(Path::new(FAILS))
    });
    assert!(
        failed.is_err(),
        "{what} with the program {FAILS}, which prints nothing and exits with code 1, must give \
         an error, got {failed:?}: check the child's exit status (processes::child_failed)"
    );
}

#[test]
fn bump_in_child_fails_when_the_child_does() {
    fails_without_a_working_child("bump_in_child", |exe| bump_in_child(exe, 3));
}

/// `append_in_child(EXE, list, item)`, failing the test on an error or after the time limit.
fn child_appends(list: &[u32], item: u32) -> Vec<u32> {
    let list = list.to_vec();
    within("append_in_child", move || {
        append_in_child(Path::new(EXE), &list, item)
            .unwrap_or_else(|err| panic!("append_in_child({EXE}, {list:?}, {item}) failed: {err}"))
    })
}

#[test]
fn a_child_changes_only_its_own_copy_of_a_list() {
    let list = vec![1, 2, 3];

    let theirs = child_appends(&list, 4);
    assert_eq!(
        theirs,
        [1, 2, 3, 4],
        "the child should get the list as arguments, append 4 to its copy and print it"
    );
    assert_eq!(list, [1, 2, 3], "the parent's list is unchanged");

    // Every child starts again from the list it is given, not from what an earlier child made.
    assert_eq!(child_appends(&list, 9), [1, 2, 3, 9]);
    assert_eq!(child_appends(&[], 7), [7], "an empty list plus 7 is [7]");
}

#[test]
fn append_in_child_fails_when_the_child_does() {
    fails_without_a_working_child("append_in_child", |exe| append_in_child(exe, &[1, 2], 3));
}

/// A stand-in for the crate's program, in `scratch`: `bump 3` prints `global=<big>` and
/// `append 4 1 2 3` prints the three numbers `list`, none of which the parent can guess. Any
/// other arguments make it fail.
fn stand_in(scratch: &Scratch, big: u64, list: [u32; 3]) -> std::path::PathBuf {
    let [a, b, c] = list;
    scratch.script(
        "stand-in",
        &format!(
            "case \"$*\" in\n\
             \x20 'bump 3') echo global={big} ;;\n\
             \x20 'append 4 1 2 3') echo {a} {b} {c} ;;\n\
             \x20 *) echo \"stand-in: unexpected arguments: $*\" >&2; exit 2 ;;\n\
             esac\n"
        ),
    )
}

#[test]
fn bump_in_child_returns_the_number_the_child_printed() {
    let big = nonce();
    let scratch = Scratch::new();
    let exe = stand_in(&scratch, big, [1, 2, 3]);
    let path = exe.display().to_string();
    let seen = within("bump_in_child with a stand-in program", move || {
        bump_in_child(&exe, 3)
    })
    .unwrap_or_else(|err| panic!("bump_in_child({path}, 3) failed: {err}"));
    assert_eq!(
        seen, big,
        "a stand-in program, run as `bump 3`, printed `global={big}`, a number the parent cannot \
         guess, but bump_in_child returned {seen}: return the number the child printed"
    );
}

#[test]
fn append_in_child_returns_the_list_the_child_printed() {
    let secret = nonce();
    let list = [secret as u32, (secret >> 32) as u32, 7];
    let scratch = Scratch::new();
    let exe = stand_in(&scratch, 1, list);
    let path = exe.display().to_string();
    let theirs = within("append_in_child with a stand-in program", move || {
        append_in_child(&exe, &[1, 2, 3], 4)
    })
    .unwrap_or_else(|err| panic!("append_in_child({path}, [1, 2, 3], 4) failed: {err}"));
    assert_eq!(
        theirs, list,
        "a stand-in program, run as `append 4 1 2 3`, printed `{} {} {}`, numbers the parent \
         cannot guess: return the list the child printed, not one made by the parent",
        list[0], list[1], list[2]
    );
}

#[test]
fn a_child_that_prints_something_else_is_an_error() {
    // A stand-in that exits with success but prints no proper answer. Whatever the function
    // does with it, it must not leave the child unwaited (a zombie in /proc).
    let scratch = Scratch::new();
    let exe = scratch.script(
        "bad-answers",
        "case \"$*\" in\n\
         \x20 'bump 4') echo global=four ;;\n\
         \x20 'bump 5') echo hello ;;\n\
         \x20 'append 6 1') echo 1 six ;;\n\
         \x20 *) echo \"stand-in: unexpected arguments: $*\" >&2; exit 2 ;;\n\
         esac\n",
    );
    for (what, said, run) in [
        (
            "bump_in_child(.., 4)",
            "global=four",
            (|exe| bump_in_child(exe, 4).map(drop)) as fn(&Path) -> io::Result<()>,
        ),
        ("bump_in_child(.., 5)", "hello", |exe| {
            bump_in_child(exe, 5).map(drop)
        }),
        ("append_in_child(.., [1], 6)", "1 six", |exe| {
            append_in_child(exe, &[1], 6).map(drop)
        }),
    ] {
        let exe = exe.clone();
        let result = within(what, move || run(&exe));
        assert!(
            result.is_err(),
            "{what}: the child printed `{said}`, which is not the answer the role promises, so \
             this must be an error, got {result:?}"
        );
        let left = leftovers(process::id(), Some("bad-answers"));
        assert!(
            left.is_empty(),
            "{what} gave an error, but left its child behind:{}\nWait for the child on every way \
             out (Command::output does), also when its answer is wrong",
            describe(&left)
        );
    }
}

#[test]
fn the_isolation_role_shows_who_sees_which_bump() {
    let out = output_within(Command::new(EXE).arg("isolation"));
    assert!(
        out.status.success(),
        "`processes isolation` ended with {}; its stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    insta::with_settings!({
        description => "stdout of `processes isolation`",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
    });
}
