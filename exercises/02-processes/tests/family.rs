//! Exercise `family`: `whoami` and `spawn_family`, the main process and its children.
//!
//! The children are real processes: this crate's own program, `processes`, in the role `whoami`.
//! Cargo builds it for the tests and names its path in `CARGO_BIN_EXE_processes`. One test passes
//! a stand-in program instead, a shell script that prints a line the parent cannot guess, so that
//! a parent that writes the children's lines itself is caught.
//!
//! To prove that all children were started before any was joined, the children of one test meet
//! at a cross-process gate ([`NetGate`]) and only print once all three are there at the same
//! time. A "start one, join it, start the next" family makes the first child wait alone, and the
//! test fails after [`TIMEOUT`]. Nothing here sleeps or measures time.
//!
//! What happens when a later child cannot be started? One test runs `spawn_family` in a process
//! of its own that may open only a few files, so after a few children the next spawn fails, and
//! then it looks in `/proc` for the children that were left behind.

mod common;

use std::collections::HashSet;
use std::env;
use std::io::{self, Read, Write};
use std::os::unix::process::parent_id;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::{self, Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;

use common::{Hold, Scratch, describe, leftovers, nonce};
use processes::family::{Member, spawn_family, whoami};
use processes::gate::GATE_ENV;
use test_support::{Deadline, NetGate, TIMEOUT, output_within, within};

/// The crate's own program, built by Cargo for these tests.
const EXE: &str = env!("CARGO_BIN_EXE_processes");

/// `spawn_family(EXE, n)`, failing the test if it errs or takes longer than [`TIMEOUT`].
fn family_of(n: usize) -> Vec<Member> {
    within(&format!("spawn_family(.., {n})"), move || {
        spawn_family(Path::new(EXE), n)
    })
    .unwrap_or_else(|err| panic!("spawn_family({EXE}, {n}) failed: {err}"))
}

/// The two numbers of a `whoami` line, `pid=<pid> ppid=<ppid>`.
fn parse_whoami(said: &str) -> Option<(u32, u32)> {
    let (pid, ppid) = said.strip_prefix("pid=")?.split_once(" ppid=")?;
    Some((pid.parse().ok()?, ppid.parse().ok()?))
}

/// Replaces the number after every `pid=` (and so every `ppid=`) with `[main]` if it is the
/// main process's PID, or with `[pid]` otherwise. Nothing else is touched.
fn mask_pids(text: &str, main: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("pid=") {
        let (before, after) = rest.split_at(at + "pid=".len());
        out.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, after) = after.split_at(digits);
        out.push_str(match number {
            "" => "",
            n if n == main => "[main]",
            _ => "[pid]",
        });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[test]
fn whoami_names_this_process_and_its_parent() {
    assert_eq!(
        whoami(),
        format!("pid={} ppid={}", process::id(), parent_id()),
        "whoami() must give `pid=<this process's id> ppid=<its parent's id>`: see \
         std::process::id() and std::os::unix::process::parent_id()"
    );
}

#[test]
fn every_child_says_who_it_is_and_who_its_parent_is() {
    let members = family_of(3);

    assert_eq!(
        members.len(),
        3,
        "spawn_family(.., 3) must return 3 members, got {members:?}"
    );
    for (number, member) in (1..).zip(&members) {
        let Some((pid, ppid)) = parse_whoami(&member.said) else {
            panic!(
                "child {number} said {:?}, expected its whoami line `pid=<pid> ppid=<ppid>` \
                 (with no line break): capture each child's stdout with Stdio::piped() and \
                 keep what it printed",
                member.said
            );
        };
        assert_eq!(
            member.code,
            Some(0),
            "child {number} should have exited with code 0: {member:?}"
        );
        assert_eq!(
            pid, member.pid,
            "child {number} says its pid is {pid}, but the member records {}: take Child::id() \
             of that same child",
            member.pid
        );
        assert_eq!(
            ppid,
            process::id(),
            "child {number} says its parent is {ppid}, but the process that called \
             spawn_family is {}: the children must be started by the calling process itself",
            process::id()
        );
    }
}

#[test]
fn each_member_holds_what_its_own_child_printed() {
    // A stand-in for the crate's program: it prints its `pid=<pid> ppid=<ppid>` line with a
    // secret number after it, which only the child knows, and exits with code 7. A parent that
    // writes the line itself from Child::id() and its own PID, or assumes code 0, cannot match.
    let secret = format!("{:016x}", nonce());
    let scratch = Scratch::new();
    let stand_in = scratch.stand_in(
        "whoami",
        &format!("echo \"pid=$$ ppid=$PPID secret={secret}\"\nexit 7\n"),
    );
    let path = stand_in.display().to_string();
    let members = within("spawn_family with a stand-in program", move || {
        spawn_family(&stand_in, 3)
    })
    .unwrap_or_else(|err| {
        panic!(
            "spawn_family({path}, 3) failed: {err}. A child that exits with a code other than 0 \
             is no error: its Member records the code"
        )
    });

    assert_eq!(
        members.len(),
        3,
        "spawn_family(.., 3) must return 3 members, got {members:?}"
    );
    for (number, member) in (1..).zip(&members) {
        let expected = format!("pid={} ppid={} secret={secret}", member.pid, process::id());
        assert_eq!(
            member.said, expected,
            "child {number} of a stand-in program printed its PID, its parent's PID and a secret \
             number that only the child knows, so its member should say {expected:?}: keep \
             exactly what each child printed on its stdout (without the final line break), and \
             take the PID from Child::id() of that same child"
        );
        assert_eq!(
            member.code,
            Some(7),
            "child {number} of the stand-in exited with code 7, but its member records {:?}: \
             take the code from that child's own ExitStatus",
            member.code
        );
    }
}

#[test]
fn children_are_distinct_processes() {
    let members = family_of(4);

    let pids: HashSet<u32> = members.iter().map(|member| member.pid).collect();
    assert_eq!(
        pids.len(),
        4,
        "4 children should be 4 processes with 4 different PIDs, got {members:?}"
    );
    assert!(
        !pids.contains(&process::id()),
        "a child cannot have the parent's own PID {}: {members:?}",
        process::id()
    );
}

#[test]
fn no_children_is_an_empty_family() {
    let members = family_of(0);
    assert!(
        members.is_empty(),
        "spawn_family(.., 0) starts nobody, so it should return no members, got {members:?}"
    );
}

#[test]
fn a_program_that_cannot_start_is_named_in_the_error() {
    let missing = "/no/such/folder/processes";
    let result = within("spawn_family with a missing program", move || {
        spawn_family(Path::new(missing), 2)
    });
    let err = result.expect_err("starting a program that does not exist must give an error");
    assert!(
        err.to_string().contains(missing),
        "the error should name the program that could not start, got \"{err}\": wrap the error \
         of Command::spawn with processes::cannot_start"
    );
}

/// In the environment of the process that [`a_later_spawn_that_fails_leaves_no_child_behind`]
/// starts: it makes that test run [`family_with_too_few_files`] instead.
const FEW_FILES_ENV: &str = "PROCESSES_TEST_FEW_FILES";

/// The name of the test that runs itself again, for the command line that selects it.
const FEW_FILES_TEST: &str = "a_later_spawn_that_fails_leaves_no_child_behind";

/// The script that starts that process: `sh -c FEW_FILES_SH <this test program> <test name>`.
/// It lowers the limit on open files to the number that `sh` has open now (its glob lists them)
/// plus 12, then runs the test program, this test only, with its stderr on its stdout.
const FEW_FILES_SH: &str = "test=$1\n\
    set -- /proc/$$/fd/*\n\
    ulimit -n $(($# + 12)) && exec \"$0\" --exact \"$test\" --nocapture 2>&1\n";

/// How many children that process asks for: more than it may open files for their output.
const TOO_MANY: usize = 64;

/// What that process prints once `spawn_family` has returned, followed by what it returned.
const RETURNED: &str = "spawn_family returned:";

/// A child that is killed and waited for when the test ends, however it ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_later_spawn_that_fails_leaves_no_child_behind() {
    if env::var_os(FEW_FILES_ENV).is_some() {
        family_with_too_few_files();
        return;
    }
    // This test program runs again, this one test only, in a process that may have only a dozen
    // or so files open at once (`ulimit -n`). spawn_family(.., 64) there needs a pipe for each
    // child's output, so after a few children a spawn fails with "Too many open files". The
    // children wait at a gate that never opens, so they cannot end by themselves: if
    // spawn_family does not kill them, they are still running when it returns; if it kills them
    // without waiting, they are zombies. Either way they are that process's children in /proc,
    // which this test reads while the process stays alive.
    let hold = Hold::start();
    let this_test = env::current_exe().expect("the path of this test program");
    let mut command = Command::new("/bin/sh");
    command
        .args(["-c", FEW_FILES_SH])
        .arg(&this_test)
        .arg(FEW_FILES_TEST)
        .env(FEW_FILES_ENV, "1")
        .env(GATE_ENV, hold.addr())
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut few_files = KillOnDrop(command.spawn().expect("start /bin/sh"));
    let pid = few_files.0.id();

    // Read its output on a thread, in chunks (a line could be endless), until it says what
    // spawn_family returned.
    let mut output = few_files.0.stdout.take().expect("piped stdout");
    let (send, chunks) = mpsc::sync_channel::<Vec<u8>>(4);
    thread::spawn(move || {
        let mut buffer = [0; 4096];
        while let Ok(read @ 1..) = output.read(&mut buffer) {
            if send.send(buffer[..read].to_vec()).is_err() {
                break;
            }
        }
    });
    let deadline = Deadline::from_now();
    let mut transcript = Vec::new();
    let returned = loop {
        let text = String::from_utf8_lossy(&transcript);
        if let Some(line) = text
            .split_inclusive('\n')
            .filter(|line| line.ends_with('\n'))
            .find_map(|line| line.split_once(RETURNED))
        {
            break Some(line.1.trim().to_owned());
        }
        if transcript.len() > 64 * 1024 {
            break None;
        }
        match chunks.recv_timeout(deadline.remaining()) {
            Ok(chunk) => transcript.extend(chunk),
            Err(mpsc::RecvTimeoutError::Disconnected) => break None,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                "spawn_family(.., {TOO_MANY}) did not return within {} s after a spawn failed \
                 (there were too few files to pipe {TOO_MANY} children's output). Its children wait at \
                 a gate that never opens, like any child that may run for a long time: waiting \
                 for them does not end. Kill each child already started (Child::kill), then \
                 wait for it, and return the error.{}",
                TIMEOUT.as_secs(),
                output_so_far(&transcript)
            ),
        }
    };
    let left = leftovers(pid, None);

    let Some(returned) = returned else {
        panic!(
            "the process that runs spawn_family(.., {TOO_MANY}) with few files (this test program, \
             run again) ended without saying what spawn_family returned.{}",
            output_so_far(&transcript)
        );
    };
    assert!(
        returned.starts_with("Err") && returned.contains(EXE),
        "with too few files for {TOO_MANY} children, a spawn fails, and spawn_family should \
         return that error from processes::cannot_start (which names {EXE}); it returned \
         {returned}"
    );
    assert!(
        left.is_empty(),
        "a spawn failed after some children had started, and spawn_family returned \"{returned}\" \
         but left those children behind:{}\nBefore returning the error, kill every child already \
         started (Child::kill) and wait for it (Child::wait): dropping a Child neither stops it \
         nor waits for it",
        describe(&left)
    );
    drop(few_files);
}

/// What the process printed (its first 4 KiB), for a message.
fn output_so_far(transcript: &[u8]) -> String {
    let text = String::from_utf8_lossy(&transcript[..transcript.len().min(4096)]);
    if text.trim().is_empty() {
        " It printed nothing.".to_owned()
    } else {
        format!(" Its output:\n{}", text.trim_end())
    }
}

/// The other side of [`a_later_spawn_that_fails_leaves_no_child_behind`], in a process of its own
/// that may open only a few files.
fn family_with_too_few_files() {
    let said = match spawn_family(Path::new(EXE), TOO_MANY) {
        Ok(members) => format!("Ok with {} members", members.len()),
        Err(err) => format!("Err: {err}"),
    };
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "\n{RETURNED} {}", said.replace('\n', " "))
        .and_then(|()| stdout.flush())
        .expect("tell the test what spawn_family returned");
    drop(stdout);
    // Stay alive, so that any children left behind stay this process's children, until the test
    // has looked at them and kills this process.
    let _ = io::stdin().read_to_end(&mut Vec::new());
}

#[test]
fn all_children_start_before_any_is_joined() {
    // `processes family 3` calls spawn_family in a process of its own. Its children inherit the
    // environment, so each `whoami` child finds the gate and waits there for the other two.
    let gate = NetGate::start(3);
    let mut family = Command::new(EXE);
    family
        .args(["family", "3"])
        .env(GATE_ENV, gate.addr().to_string());
    let run = panic::catch_unwind(AssertUnwindSafe(|| output_within(&mut family)));

    if !gate.opened() {
        let how = match &run {
            Ok(out) => format!(
                "`processes family 3` ended with {}; its stderr: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Err(_) => "`processes family 3` did not finish in time and was killed".to_owned(),
        };
        if gate.peak() == 0 {
            panic!("no child ever reached the gate. {how}");
        }
        panic!(
            "the 3 children were never all running at the same time (at most {} at once, and the \
             gate waited {} s for the rest): spawn_family must start every child before it \
             waits for any of them. {how}",
            gate.peak(),
            TIMEOUT.as_secs()
        );
    }
    let out = run.unwrap_or_else(|payload| panic::resume_unwind(payload));
    assert!(
        out.status.success(),
        "`processes family 3` ended with {}; its stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    assert_eq!(
        gate.total(),
        3,
        "exactly 3 children should have come to the gate"
    );
}

#[test]
fn the_family_role_prints_the_main_process_and_its_children() {
    let out = output_within(Command::new(EXE).args(["family", "3"]).env_remove(GATE_ENV));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "`processes family 3` ended with {}; its stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    let main = stdout
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("main pid="))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("the output should start with `main pid=`, got:\n{stdout}"));

    // The children's own PIDs differ on every run; the main process's PID shows as [main], so
    // the snapshot still shows that every child names it as its parent.
    insta::with_settings!({
        description => "stdout of `processes family 3`; PIDs masked: [main] is the main process",
        omit_expression => true,
    }, {
        insta::assert_snapshot!(mask_pids(&stdout, main));
    });
}
