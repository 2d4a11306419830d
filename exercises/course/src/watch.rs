//! `course watch`: the learner's loop. It starts at the first exercise that does not pass, runs
//! that exercise's tests, and runs them again each time a file of its chapter is saved, showing
//! the first failing test with its message and place, the first compiler error as the compiler
//! gave it, or a pass and the exercise after it. Keys: `h` hint, `n` next, `l` list, `q` quit.
//!
//! The decisions are in [`core`], apart from everything here: the terminal (raw mode through
//! crossterm, so a key acts without Enter; lines of keys when stdin is not a terminal), the
//! file watcher (notify; a burst of saves, as editors write them, becomes one run) and the run,
//! on a thread of its own so that `q` answers at once and stops a build or a test that is going.

pub mod core;

use self::core::{Action, Input, Report, Watch};
use crate::progress;
use anyhow::{Context, Result};
use course_core::layout::Course;
use course_core::manifest::{Chapter, ChapterId, Exercise};
use course_core::runner::{self, Build, Crate, Stop};
use std::collections::VecDeque;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the files must be quiet after a save before the tests run. Editors write a file in
/// a few steps (a backup, the file, a rename) within a few milliseconds; a save that comes later
/// than this (a formatter's) makes one more run after the one it interrupted.
pub const QUIET: Duration = Duration::from_millis(50);

/// The longest a burst of saves is gathered before the run starts anyway.
const GATHER_AT_MOST: Duration = Duration::from_secs(2);

/// How many lines of the first failure's message the screen shows: enough for an insta diff.
const MESSAGE_LINES: usize = 40;

/// The time limit for one run of an exercise's tests; a run that takes longer is stopped, and
/// its unfinished tests are reported as ones that may wait on themselves. A test waits at most
/// `test_support::TIMEOUT` (10 s) for a step that never comes before it fails, and libtest
/// runs two at a time on two cores, so a few such failures take 20 s (chapter 7's stubs do).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Watches the course, starting at `start` (an exercise id) or at the first exercise that
/// does not pass, until `q`.
pub fn watch(course: &Course, start: Option<&str>, timeout: Duration) -> Result<()> {
    let places: Vec<(&Chapter, &Exercise)> = course
        .manifest
        .chapters
        .iter()
        .flat_map(|c| c.exercises.iter().map(move |e| (c, e)))
        .collect();
    let place_of = |exercise: &Exercise| {
        places
            .iter()
            .position(|(_, e)| e.id == exercise.id)
            .context("every exercise has a place")
    };
    let (first, seeking) = match start {
        Some(id) => (place_of(crate::hint::find(course, id)?.1)?, false),
        None => {
            // Where the learner is: the first exercise not remembered as passing. The watch
            // runs it, and moves on by itself while exercises pass (with its own short limit:
            // a test that hangs costs half a minute, not the two minutes of `progress`).
            let remembered = progress::remembered(course, runner::DEFAULT_TIMEOUT)?;
            let done = |exercise: &Exercise| {
                remembered.iter().flatten().any(|chapter| {
                    chapter
                        .exercises
                        .iter()
                        .any(|e| e.id == exercise.id && e.state == progress::State::Done)
                })
            };
            let Some(&(_, exercise)) = places.iter().find(|(_, e)| !done(e)) else {
                println!(
                    "Every exercise passes. Well done! (`cargo course watch EXERCISE` watches one again.)"
                );
                return Ok(());
            };
            (place_of(exercise)?, true)
        }
    };

    let (tx, rx) = mpsc::channel::<Input>();
    let terminal = Terminal::open()?;
    spawn_keys(tx.clone(), terminal.raw);
    spawn_signals(tx.clone())?;
    let _watcher = watch_files(course, tx.clone())?;

    let chapters: Vec<ChapterId> = places.iter().map(|(c, _)| c.id.clone()).collect();
    let (mut state, actions) = Watch::start(chapters, first, seeking);
    let mut known: Vec<Option<bool>> = vec![None; places.len()];
    let stop = Arc::new(Stop::new(false));
    let mut worker: Option<std::thread::JoinHandle<()>> = None;
    let mut pending: VecDeque<Action> = actions.into();
    loop {
        while let Some(action) = pending.pop_front() {
            match action {
                Action::Run(place) => {
                    if let Some(done) = worker.take() {
                        let _ = done.join();
                    }
                    terminal.clear();
                    terminal.print(&core::header(course, place, places[place]));
                    terminal.print(&format!(
                        "\nbuilding and testing `{}` ...\n",
                        places[place].1.id
                    ));
                    worker = Some(spawn_run(
                        course,
                        places[place],
                        timeout,
                        Arc::clone(&stop),
                        tx.clone(),
                    ));
                }
                Action::Show(place, report) => {
                    known[place] = Some(matches!(report, Report::Passed { .. }));
                    terminal.clear();
                    terminal.print(&core::header(course, place, places[place]));
                    terminal.print("\n");
                    terminal.print(&core::screen(
                        course,
                        places[place],
                        places.get(place + 1).copied(),
                        &report,
                    ));
                    terminal.print(&format!("\nkeys: {}\n", core::KEYS));
                }
                Action::Hint(place) => {
                    terminal.print(&format!("\n{}", core::hint_text(places[place].1)));
                }
                Action::List(place) => {
                    let remembered =
                        progress::remembered(course, runner::DEFAULT_TIMEOUT).unwrap_or_default();
                    let passes = |exercise: &Exercise| {
                        let at = places.iter().position(|(_, e)| e.id == exercise.id)?;
                        known[at].or_else(|| {
                            remembered.iter().flatten().find_map(|chapter| {
                                chapter
                                    .exercises
                                    .iter()
                                    .find(|e| e.id == exercise.id)
                                    .map(|e| e.state == progress::State::Done)
                            })
                        })
                    };
                    terminal.print(&format!(
                        "\n{}",
                        core::exercise_list(course, place, &passes)
                    ));
                }
                Action::Say(line) => terminal.print(&format!("\n{line}\n")),
                Action::Quit => {
                    stop.store(true, Ordering::Relaxed);
                    if let Some(running) = worker.take() {
                        let _ = running.join();
                    }
                    drop(terminal);
                    println!("Stopped watching.");
                    return Ok(());
                }
            }
        }
        let input = rx.recv().context("the watch's inputs have all ended")?;
        if let Input::Saved(chapters) = &input {
            // What was seen to pass in a chapter that changed is not known any more.
            for (place, (chapter, _)) in places.iter().enumerate() {
                if chapters.contains(&chapter.id) {
                    known[place] = None;
                }
            }
        }
        pending.extend(state.on(input));
    }
}

/// Builds and runs one exercise's tests on a thread, and sends the report back.
fn spawn_run(
    course: &Course,
    (chapter, exercise): (&Chapter, &Exercise),
    timeout: Duration,
    stop: Arc<Stop>,
    tx: Sender<Input>,
) -> std::thread::JoinHandle<()> {
    let manifest = course.exercises.join("Cargo.toml");
    let target_dir = progress::target_dir(course);
    let package = chapter.package().to_owned();
    let test = exercise.test.clone();
    std::thread::spawn(move || {
        // A panic here must still answer, or the watch would wait for this run for ever.
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            target_dir.and_then(|target_dir| {
                let krate = Crate {
                    manifest: &manifest,
                    package: &package,
                    target_dir: &target_dir,
                };
                run_exercise(&krate, &test, timeout, &stop)
            })
        }));
        let report = match report {
            Ok(Ok(Some(report))) => report,
            // Stopped: the watch is quitting and waits for nothing.
            Ok(Ok(None)) => return,
            Ok(Err(err)) => Report::Trouble(format!("{err:#}")),
            Err(_) => Report::Trouble(
                "the run stopped on a bug in the course tool; save again to retry".to_owned(),
            ),
        };
        let _ = tx.send(Input::Ran(report));
    })
}

/// Builds the test target `test` and runs it, or `None` when `stop` is raised first.
pub fn run_exercise(
    krate: &Crate<'_>,
    test: &str,
    timeout: Duration,
    stop: &Stop,
) -> Result<Option<Report>> {
    let Some(build) = runner::build_tests_until(krate, Some(test), stop)? else {
        return Ok(None);
    };
    match build {
        Build::Failed { errors } => Ok(Some(core::compile_report(&errors))),
        Build::Built { binaries, .. } => {
            let Some(binary) = binaries.iter().find(|b| b.target == test) else {
                return Ok(Some(Report::NoTests));
            };
            Ok(
                runner::run_tests_until(binary, timeout, MESSAGE_LINES, stop)?
                    .map(|results| core::report(&results, timeout)),
            )
        }
    }
}

/// Whether a change to `path` should run the tests: a Rust source or a manifest, not an
/// editor's backup or swap file, and nothing under a `target` folder.
pub fn is_source(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let wanted = name.ends_with(".rs") || name.ends_with(".toml");
    wanted && !name.starts_with('.') && !path.components().any(|c| c.as_os_str() == "target")
}

/// Waits for a first change on `rx`, then gathers the ones that follow until `quiet` passes
/// without one (or `at_most` since the first): one burst of saves. `None` when `rx` has ended.
pub fn gather(rx: &Receiver<PathBuf>, quiet: Duration, at_most: Duration) -> Option<Vec<PathBuf>> {
    let first = rx.recv().ok()?;
    let started = Instant::now();
    let mut paths = vec![first];
    loop {
        let left = at_most.saturating_sub(started.elapsed());
        match rx.recv_timeout(quiet.min(left)) {
            Ok(path) => paths.push(path),
            Err(RecvTimeoutError::Timeout) => return Some(paths),
            Err(RecvTimeoutError::Disconnected) => return Some(paths),
        }
        if left.is_zero() {
            return Some(paths);
        }
    }
}

/// The chapters whose folders hold `paths`, in the course's order.
pub fn chapters_of(course: &Course, paths: &[PathBuf]) -> Vec<ChapterId> {
    course
        .manifest
        .chapters
        .iter()
        .filter(|chapter| {
            let dir = course.exercise_dir(chapter);
            paths.iter().any(|p| p.starts_with(&dir) && is_source(p))
        })
        .map(|chapter| chapter.id.clone())
        .collect()
}

/// Watches every chapter's folder (not the target folder, which every build writes to) and
/// sends each burst of saves as [`Input::Saved`]. The watcher works while it is kept.
fn watch_files(course: &Course, tx: Sender<Input>) -> Result<notify::RecommendedWatcher> {
    use notify::event::{EventKind, ModifyKind};
    use notify::{RecursiveMode, Watcher};
    let (raw_tx, raw_rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // Reads (cargo reading the sources) and metadata changes are not saves.
        let saved = matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
        );
        if saved {
            for path in event.paths {
                let _ = raw_tx.send(path);
            }
        }
    })
    .context("cannot watch files on this system")?;
    for chapter in &course.manifest.chapters {
        let dir = course.exercise_dir(chapter);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", dir.display()))?;
        }
    }
    let course = course.clone();
    std::thread::spawn(move || {
        while let Some(paths) = gather(&raw_rx, QUIET, GATHER_AT_MOST) {
            let chapters = chapters_of(&course, &paths);
            if !chapters.is_empty() && tx.send(Input::Saved(chapters)).is_err() {
                return;
            }
        }
    });
    Ok(watcher)
}

/// Reads keys: one at a time in raw mode on a terminal (Ctrl-C and Esc quit), else the
/// characters of each line of stdin. The end of stdin ends the keys, not the watch.
fn spawn_keys(tx: Sender<Input>, raw: bool) {
    std::thread::spawn(move || {
        if raw {
            use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
            while let Ok(event) = event::read() {
                let Event::Key(key) = event else { continue };
                if key.kind != KeyEventKind::Press {
                    continue;
                }
                let pressed = match key.code {
                    KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => 'q',
                    KeyCode::Esc => 'q',
                    KeyCode::Char(c) => c.to_ascii_lowercase(),
                    _ => continue,
                };
                if tx.send(Input::Key(pressed)).is_err() {
                    return;
                }
            }
        } else {
            for line in std::io::stdin().lines() {
                let Ok(line) = line else { return };
                for c in line.chars().filter(|c| !c.is_whitespace()) {
                    if tx.send(Input::Key(c.to_ascii_lowercase())).is_err() {
                        return;
                    }
                }
            }
        }
    });
}

/// Quits, as on `q`, when the terminal hangs up or the watch is told to end (SIGHUP, SIGTERM,
/// SIGQUIT): the terminal leaves raw mode, and the run that is going is stopped, not orphaned.
fn spawn_signals(tx: Sender<Input>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGQUIT])
        .context("cannot listen for the signals that end the watch")?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Input::Key('q'));
        }
    });
    Ok(())
}

/// The screen: raw mode on a terminal (restored when dropped, also on a panic), where lines
/// need `\r\n` and each run clears what was there; plain lines with a rule between screens
/// otherwise.
struct Terminal {
    raw: bool,
    out: Mutex<std::io::Stdout>,
}

impl Terminal {
    fn open() -> Result<Terminal> {
        let raw = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        if raw {
            crossterm::terminal::enable_raw_mode()
                .context("cannot read single keys from this terminal")?;
        }
        Ok(Terminal {
            raw,
            out: Mutex::new(std::io::stdout()),
        })
    }

    fn print(&self, text: &str) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let text = if self.raw {
            text.replace('\n', "\r\n")
        } else {
            text.to_owned()
        };
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    fn clear(&self) {
        if self.raw {
            // Clear the screen (not the scrollback, where an earlier hint stays) and go to
            // the top left.
            self.print("\x1b[2J\x1b[H");
        } else {
            self.print(&format!("\n{}\n", "=".repeat(72)));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if self.raw {
            let _ = crossterm::terminal::disable_raw_mode();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_and_manifests_outside_target_run_the_tests() {
        for saved in ["01-a/src/lib.rs", "01-a/Cargo.toml", "01-a/tests/x.rs"] {
            assert!(is_source(Path::new(saved)), "{saved}");
        }
        for other in [
            "01-a/src/.lib.rs.swp",
            "01-a/src/lib.rs~",
            "01-a/src/4913",
            "01-a/target/debug/x.rs",
            "01-a/tests/snapshots/x__y.snap.new",
            "01-a/src/#lib.rs#",
        ] {
            assert!(!is_source(Path::new(other)), "{other}");
        }
    }

    #[test]
    fn a_burst_of_saves_is_gathered_into_one() {
        let (tx, rx) = mpsc::channel();
        let feeder = std::thread::spawn(move || {
            for i in 0..5 {
                tx.send(PathBuf::from(format!("{i}.rs"))).unwrap();
            }
            tx
        });
        // A quiet time far longer than the sends take: all five arrive before it passes.
        let burst = gather(&rx, Duration::from_secs(2), Duration::from_secs(30)).unwrap();
        assert_eq!(burst.len(), 5, "{burst:?}");
        let tx = feeder.join().unwrap();
        // The next save is a burst of its own; once every sender is gone, there are none.
        tx.send(PathBuf::from("5.rs")).unwrap();
        drop(tx);
        assert_eq!(
            gather(&rx, Duration::from_secs(2), Duration::from_secs(30)),
            Some(vec![PathBuf::from("5.rs")])
        );
        assert_eq!(gather(&rx, QUIET, GATHER_AT_MOST), None);
    }

    #[test]
    fn saves_that_never_stop_are_cut_off() {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let feeding = Arc::clone(&stop);
        let feeder = std::thread::spawn(move || {
            while !feeding.load(Ordering::Relaxed) {
                let _ = tx.send(PathBuf::from("a.rs"));
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        // The quiet time never comes; the burst still ends, bounded by at_most.
        let burst = gather(&rx, Duration::from_secs(60), Duration::from_millis(300));
        stop.store(true, Ordering::Relaxed);
        feeder.join().unwrap();
        assert!(burst.is_some_and(|b| !b.is_empty()));
    }

    #[test]
    fn saves_are_sorted_into_their_chapters() {
        let course = Course::open_repo(&course_core::layout::repo_root()).unwrap();
        let [first, second, ..] = &course.manifest.chapters[..] else {
            panic!("the course has chapters");
        };
        let saved = [
            course.exercise_dir(second).join("src/lib.rs"),
            course.exercise_dir(first).join("src/.lib.rs.swp"),
            course.exercises.join("target/debug/build/x.rs"),
        ];
        assert_eq!(
            chapters_of(&course, &saved),
            std::slice::from_ref(&second.id)
        );
    }
}
