// Given by the course, whole: use it as it is (the grader always uses the course's copy).
//! The roles this program can play, and the one place that picks which one runs.
//!
//! Python's object-oriented style subclasses `Process` and overrides `run` (面向对象: `class
//! MyProcess(Process): def run(self): ...`), and a subclass that takes arguments overrides
//! `__init__` too and must remember to call the parent's. Rust has no inheritance, and it does
//! not need it here. A child process is this same program started again with a role name as its
//! first argument, so the roles are simply the variants of an enum:
//!
//! - [`Role::parse`] is the "constructor": it turns the command line into a role and its data,
//!   with no parent constructor to forget;
//! - [`Role::run`] is the one `run` method, a `match` with an arm per role. The compiler checks
//!   that every role has an arm.
//!
//! A trait with one `run` method and a type per role would work as well; an enum keeps the whole
//! list in one screen. This file is given: the roles call the functions you write in the
//! exercise modules. Run any role by hand, for example `cargo run -q -p processes -- family 3`,
//! or `printf 'hi\nthere\n' | cargo run -q -p processes -- shout`.

use std::env;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::str::FromStr;

use crate::exit_codes::{self, Ended};
use crate::{family, gate, isolation, pipes};

/// The roles and their arguments, as the usage line shows them.
pub const USAGE: &str = "usage: processes <family N | whoami | isolation | bump N | \
                         append ITEM [NUMBER...] | ok | fail CODE | panic | hang | meet ADDR | \
                         siblings | shout>";

/// The most children `family N` starts: a typo such as `family 100000000` is a usage error, not
/// a fork bomb.
pub const MAX_CHILDREN: usize = 64;

/// One job this program can do; the first command-line argument names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// `family N`: the main process of exercise `family`. Prints its own PID, starts `N` (at
    /// most [`MAX_CHILDREN`]) children in role `whoami` with [`family::spawn_family`], and prints what each one said.
    Family {
        /// How many children to start.
        children: usize,
    },
    /// `whoami`: prints [`family::whoami`], the line `pid=<pid> ppid=<ppid>`. When the
    /// environment variable [`gate::GATE_ENV`] is set, it waits at that gate before printing.
    Whoami,
    /// `isolation`: the demonstration of exercise `isolation`. Bumps the global counter here, in
    /// a child and on a thread, and shows which bumps the main process sees.
    Isolation,
    /// `bump N`: bumps this process's global counter by `N` with [`isolation::bump_global`] and
    /// prints the new value as `global=<value>`.
    Bump {
        /// How much to add.
        by: u64,
    },
    /// `append ITEM NUMBER...`: the child's side of [`isolation::append_in_child`]. Builds a
    /// list from the numbers, pushes `ITEM`, and prints the list as numbers separated by spaces.
    Append {
        /// The number to push.
        item: u32,
        /// The list the parent passed, as arguments.
        list: Vec<u32>,
    },
    /// `ok`: exits with code 0 at once.
    Ok,
    /// `fail CODE`: exits with `CODE` (0 to 255) at once.
    Fail {
        /// The exit code.
        code: u8,
    },
    /// `panic`: panics, so the process exits with code 101.
    Panic,
    /// `hang`: reads stdin until it is closed, then exits with code 0. With a pipe as its stdin
    /// that the parent keeps open, it runs until it is killed.
    Hang,
    /// `meet ADDR`: waits at the gate at `ADDR` (see [`gate::hold`]); exits with code 0 if the
    /// gate opened, 1 if it did not.
    Meet {
        /// The gate's address, such as `127.0.0.1:40123`.
        gate: String,
    },
    /// `siblings`: the demonstration of exercise `exit_codes`. Runs children that succeed,
    /// fail and panic with [`exit_codes::run_all`], then starts one that hangs and stops it.
    Siblings,
    /// `shout`: the worker of exercise `pipes`. Answers every line on stdin with one line on
    /// stdout ([`pipes::serve`]), with the prefix from the environment variable
    /// [`pipes::PREFIX_ENV`] (or [`pipes::DEFAULT_PREFIX`]).
    Shout,
}

impl Role {
    /// Reads a role from the command-line arguments (without the program's name).
    ///
    /// # Errors
    ///
    /// A one-line message if the role is missing or unknown, or its arguments are wrong.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Role, String> {
        let mut args = args.into_iter();
        let Some(name) = args.next() else {
            return Err("no role given".to_owned());
        };
        let rest: Vec<String> = args.collect();
        let role = match name.as_str() {
            "family" => {
                let what = format!("a number of children N from 0 to {MAX_CHILDREN}");
                let children = one_number(&name, &rest, &what)?;
                if children > MAX_CHILDREN {
                    return Err(format!("`family` needs {what}, not `{children}`"));
                }
                Role::Family { children }
            }
            "whoami" => no_arguments(&name, &rest, Role::Whoami)?,
            "isolation" => no_arguments(&name, &rest, Role::Isolation)?,
            "bump" => Role::Bump {
                by: one_number(&name, &rest, "a whole number N")?,
            },
            "append" => {
                let Some((item, list)) = rest.split_first() else {
                    return Err("`append` needs ITEM [NUMBER...]".to_owned());
                };
                Role::Append {
                    item: number(&name, item)?,
                    list: list
                        .iter()
                        .map(|n| number(&name, n))
                        .collect::<Result<_, _>>()?,
                }
            }
            "ok" => no_arguments(&name, &rest, Role::Ok)?,
            "fail" => Role::Fail {
                code: one_number(&name, &rest, "an exit CODE from 0 to 255")?,
            },
            "panic" => no_arguments(&name, &rest, Role::Panic)?,
            "hang" => no_arguments(&name, &rest, Role::Hang)?,
            "meet" => match rest.as_slice() {
                [addr] => Role::Meet { gate: addr.clone() },
                _ => return Err("`meet` needs one argument, ADDR".to_owned()),
            },
            "siblings" => no_arguments(&name, &rest, Role::Siblings)?,
            "shout" => no_arguments(&name, &rest, Role::Shout)?,
            _ => return Err(format!("unknown role `{name}`")),
        };
        Ok(role)
    }

    /// Plays the role, and says how the process should exit.
    ///
    /// Errors from the exercise functions are printed to stderr as `processes <role>: <error>`
    /// and make the process exit with code 1.
    pub fn run(self) -> ExitCode {
        match self {
            Role::Family { children } => report("family", run_family(children)),
            Role::Whoami => report(
                "whoami",
                gate::hold_if_asked(|| println!("{}", family::whoami())),
            ),
            Role::Isolation => report("isolation", run_isolation()),
            Role::Bump { by } => {
                println!("global={}", isolation::bump_global(by));
                ExitCode::SUCCESS
            }
            Role::Append { item, mut list } => {
                list.push(item);
                let words: Vec<String> = list.iter().map(u32::to_string).collect();
                println!("{}", words.join(" "));
                ExitCode::SUCCESS
            }
            Role::Ok => ExitCode::SUCCESS,
            Role::Fail { code } => ExitCode::from(code),
            Role::Panic => panic!("the `panic` role panics on purpose: its parent carries on"),
            Role::Hang => report(
                "hang",
                io::copy(&mut io::stdin().lock(), &mut io::sink()).map(drop),
            ),
            Role::Meet { gate } => report("meet", gate::hold(&gate, || ())),
            Role::Siblings => report("siblings", run_siblings()),
            Role::Shout => {
                let prefix = env::var(pipes::PREFIX_ENV)
                    .ok()
                    .filter(|prefix| !prefix.is_empty())
                    .unwrap_or_else(|| pipes::DEFAULT_PREFIX.to_owned());
                let served = pipes::serve(&prefix, io::stdin().lock(), io::stdout().lock());
                report("shout", served.map(drop))
            }
        }
    }
}

/// Turns a role's result into the exit code, printing the error if there is one.
fn report(role: &str, result: io::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("processes {role}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn no_arguments(name: &str, rest: &[String], role: Role) -> Result<Role, String> {
    if rest.is_empty() {
        Ok(role)
    } else {
        Err(format!("`{name}` takes no arguments, got {rest:?}"))
    }
}

fn one_number<T: FromStr>(name: &str, rest: &[String], what: &str) -> Result<T, String> {
    match rest {
        [arg] => arg
            .parse()
            .map_err(|_| format!("`{name}` needs {what}, not `{arg}`")),
        _ => Err(format!("`{name}` needs one argument, {what}")),
    }
}

fn number<T: FromStr>(name: &str, arg: &str) -> Result<T, String> {
    arg.parse()
        .map_err(|_| format!("`{name}` needs whole numbers, not `{arg}`"))
}

/// This program's own path, to start it again as a child.
fn this_program() -> io::Result<PathBuf> {
    env::current_exe()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot find this program's path: {e}")))
}

fn run_family(children: usize) -> io::Result<()> {
    let main = std::process::id();
    println!("main pid={main} starts {children} children");
    let members = family::spawn_family(&this_program()?, children)?;
    let mut failed = 0;
    for (number, member) in (1..).zip(&members) {
        let ended = match member.code {
            Some(code) => format!("exit code {code}"),
            None => "killed by a signal".to_owned(),
        };
        println!(
            "child {number}: pid={} said {:?}, {ended}",
            member.pid, member.said
        );
        if member.code != Some(0) {
            failed += 1;
        }
    }
    println!("main pid={main} joined {} children", members.len());
    if failed == 0 {
        Ok(())
    } else {
        Err(io::Error::other(format!("{failed} children failed")))
    }
}

fn run_isolation() -> io::Result<()> {
    let exe = this_program()?;
    let mut out = io::stdout().lock();
    let value = isolation::bump_global(5);
    writeln!(out, "main:   global={value} after main bumped it by 5")?;
    let value = isolation::bump_in_child(&exe, 3)?;
    writeln!(
        out,
        "child:  global={value} after the child bumped its own global by 3"
    )?;
    let value = isolation::global();
    writeln!(
        out,
        "main:   global={value}, unchanged: the child's memory is not ours"
    )?;
    let (value, _thread) = isolation::bump_in_thread(2);
    writeln!(out, "thread: global={value} after a thread bumped it by 2")?;
    let value = isolation::global();
    writeln!(
        out,
        "main:   global={value}: a thread shares its process's memory"
    )?;
    let list = vec![1, 2, 3];
    let theirs = isolation::append_in_child(&exe, &list, 4)?;
    writeln!(
        out,
        "main:   list={list:?}, passed to a child that appends 4"
    )?;
    writeln!(out, "child:  list={theirs:?}")?;
    writeln!(
        out,
        "main:   list={list:?}, unchanged: the child had a copy"
    )?;
    Ok(())
}

fn run_siblings() -> io::Result<()> {
    let exe = this_program()?;
    let jobs: [&[&str]; 4] = [&["ok"], &["fail", "3"], &["panic"], &["ok"]];
    let ended = exit_codes::run_all(&exe, &jobs)?;
    for (job, ended) in jobs.iter().zip(&ended) {
        println!("{:<8} -> {ended}", job.join(" "));
    }
    let crashed = ended.iter().filter(|e| **e == Ended::Code(101)).count();
    println!(
        "main carries on: {} children ended, {crashed} of them panicked",
        ended.len()
    );

    // A child that would run forever, until the parent stops it (`kill -9` in the notes).
    let mut child = Command::new(&exe)
        .arg("hang")
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| crate::cannot_start(&exe, e))?;
    println!(
        "hang pid={}: alive={}",
        child.id(),
        exit_codes::is_alive(&mut child)?
    );
    let ended = exit_codes::stop(&mut child)?;
    println!("hang: stopped, {ended}");
    println!("hang: alive={}", exit_codes::is_alive(&mut child)?);
    Ok(())
}
