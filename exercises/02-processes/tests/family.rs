//! Exercise `family`: `whoami` and `spawn_family`, the main process and its children.
//!
//! The children are real processes: this crate's own program, `processes`, in the role `whoami`.
//! Cargo builds it for the tests and names its path in `CARGO_BIN_EXE_processes`.
//!
//! To prove that all children were started before any was joined, the children of one test meet
//! at a cross-process gate ([`NetGate`]) and only print once all three are there at the same
//! time. A "start one, join it, start the next" family makes the first child wait alone, and the
//! test fails after [`TIMEOUT`]. Nothing here sleeps or measures time.

use std::collections::HashSet;
use std::os::unix::process::parent_id;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::{self, Command};

use processes::family::{Member, spawn_family, whoami};
use processes::gate::GATE_ENV;
use test_support::{NetGate, TIMEOUT, output_within, within};

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
