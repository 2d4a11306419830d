//! The learner's `cargo course`: hints and progress, in the learners' own workspace.
//!
//! This crate stands alone in `exercises/`: a class that is handed only that folder still has
//! its `cargo course`, and it builds in seconds because it depends on nothing heavier than clap
//! and the manifest code ([`course_core`]). The authors' and instructors' commands (book, check,
//! grade) live in the repository's `crates/`; [`handoff`] passes them there, or says in one line
//! what to get when `crates/` is missing.
//!
//! The repository's own `cargo course` (in `crates/cli`) includes these commands too, through
//! [`Command`], so learners get the same answers at the repository root.

pub mod handoff;
pub mod hint;
pub mod next;
pub mod progress;
pub mod reset;
pub mod solution;
pub mod ui;
pub mod watch;

use anyhow::{Context, Result};
use clap::Subcommand;
use course_core::layout::Course;
use course_core::runner;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// The learner's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show which of your exercises pass, chapter by chapter.
    Progress {
        /// Your exercises folder (the one with course.toml); found from the current folder if omitted.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
        /// Stop a test binary that runs longer than this many seconds.
        #[arg(long, default_value_t = runner::DEFAULT_TIMEOUT.as_secs(), value_name = "SECS")]
        timeout: u64,
    },
    /// Work through the exercises: run one's tests on every save, with h hint, n next, l list, q quit.
    ///
    /// Starts at the first exercise that does not pass yet (or at EXERCISE), shows the first
    /// failing test with its message and the file and line to look at, and moves on with n once
    /// the exercise passes.
    Watch {
        /// The exercise to start at, as `cargo course progress` lists it.
        exercise: Option<String>,
        /// Your exercises folder (the one with course.toml); found from the current folder if omitted.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
        /// Stop a run of the tests that takes longer than this many seconds (a test that
        /// hangs may be waiting on itself).
        #[arg(long, default_value_t = watch::DEFAULT_TIMEOUT.as_secs(), value_name = "SECS")]
        timeout: u64,
    },
    /// Name the next exercise to do, with its file, its book page and the command that tests it.
    Next {
        /// Your exercises folder (the one with course.toml); found from the current folder if omitted.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
        /// Stop a test binary that runs longer than this many seconds.
        #[arg(long, default_value_t = runner::DEFAULT_TIMEOUT.as_secs(), value_name = "SECS")]
        timeout: u64,
    },
    /// Put an exercise's file back as it was handed out (your version is backed up first).
    Reset {
        /// The exercise's name, as `cargo course progress` lists it.
        exercise: String,
        /// Do not ask first.
        #[arg(long, short)]
        yes: bool,
        /// Your exercises folder (the one with course.toml); found from the current folder if omitted.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
    },
    /// Show the reference solution of an exercise, once all its tests pass.
    Solution {
        /// The exercise's name, as `cargo course progress` lists it.
        exercise: String,
        /// Your exercises folder (the one with course.toml); found from the current folder if omitted.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
        /// Stop a test binary that runs longer than this many seconds.
        #[arg(long, default_value_t = runner::DEFAULT_TIMEOUT.as_secs(), value_name = "SECS")]
        timeout: u64,
    },
    /// Print the hint for an exercise, for example `cargo course hint sequential`.
    Hint {
        /// The exercise's name, as `cargo course progress` lists it.
        exercise: String,
        /// Your exercises folder (the one with course.toml); found from the current folder if omitted.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
    },
}

/// Runs a learner's command. Errors come back as one line for `main` to print.
pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Progress { exercises, timeout } => {
            run_progress(exercises.as_deref(), Duration::from_secs(timeout))
        }
        Command::Watch {
            exercise,
            exercises,
            timeout,
        } => {
            let course = Course::open_for_learner(exercises.as_deref())?;
            watch::watch(&course, exercise.as_deref(), Duration::from_secs(timeout))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Next { exercises, timeout } => {
            run_next(exercises.as_deref(), Duration::from_secs(timeout))
        }
        Command::Reset {
            exercise,
            yes,
            exercises,
        } => run_reset(&exercise, yes, exercises.as_deref()),
        Command::Solution {
            exercise,
            exercises,
            timeout,
        } => run_solution(
            &exercise,
            exercises.as_deref(),
            Duration::from_secs(timeout),
        ),
        Command::Hint {
            exercise,
            exercises,
        } => {
            let course = Course::open_for_learner(exercises.as_deref())?;
            print!("{}", hint::hint(&course, &exercise)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Every chapter's progress, with a status line while a chapter that changed is tested.
fn progress_with_status(
    course: &Course,
    timeout: Duration,
) -> Result<Vec<progress::ChapterProgress>> {
    let status = ui::Status::new();
    let count = course.manifest.chapters.len();
    let chapters = progress::progress(course, timeout, &mut |chapter| {
        status.set(&format!(
            "building and testing {} (chapter {} of {count}; unchanged chapters are remembered) ...",
            chapter.id,
            course
                .manifest
                .chapters
                .iter()
                .position(|c| c.id == chapter.id)
                .map_or(0, |i| i + 1)
        ));
    })?;
    status.clear();
    Ok(chapters)
}

fn run_reset(id: &str, yes: bool, exercises: Option<&Path>) -> Result<ExitCode> {
    let course = Course::open_for_learner(exercises)?;
    let (chapter, exercise) = hint::find(&course, id)?;
    let plan = reset::plan(&course, chapter, exercise)?;
    let shown = |rel: &Path| format!("{}/src/{}", chapter.id, rel.display());
    if plan.files.is_empty() {
        println!("`{id}` is as it was handed out: nothing to reset.");
        return Ok(ExitCode::SUCCESS);
    }
    let list: Vec<String> = plan.files.iter().map(|f| shown(f)).collect();
    if !yes {
        print!(
            "Reset `{id}`? {} goes back as it was handed out; your version is kept in {}/ first. [y/N] ",
            list.join(", "),
            reset::BACKUPS
        );
        std::io::Write::flush(&mut std::io::stdout())?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("Nothing was reset.");
            return Ok(ExitCode::FAILURE);
        }
    }
    let backup = reset::apply(&course, chapter, exercise, &plan)?;
    let backup = backup.strip_prefix(&course.exercises).unwrap_or(&backup);
    println!(
        "Reset `{id}`: {} as handed out. Your version is in {}.",
        list.join(", "),
        backup.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn run_solution(id: &str, exercises: Option<&Path>, timeout: Duration) -> Result<ExitCode> {
    let course = Course::open_for_learner(exercises)?;
    let (chapter, exercise) = hint::find(&course, id)?;
    solution::require(&course, chapter)?;
    let status = ui::Status::new();
    let progress = progress::chapter(&course, chapter, timeout, &mut |chapter| {
        status.set(&format!("building and testing {} ...", chapter.id));
    })?;
    status.clear();
    let mine = progress
        .exercises
        .iter()
        .find(|e| e.id == exercise.id)
        .context("the chapter's progress lists its exercises")?;
    match solution::solution(&course, chapter, exercise, mine)? {
        solution::Answer::Shown(files) => {
            for (path, text) in files {
                println!("== {} ==\n", path.display());
                print!("{text}");
                if !text.ends_with('\n') {
                    println!();
                }
                println!();
            }
            Ok(ExitCode::SUCCESS)
        }
        solution::Answer::NotYet(why) => {
            println!("{why}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn run_next(exercises: Option<&Path>, timeout: Duration) -> Result<ExitCode> {
    let course = Course::open_for_learner(exercises)?;
    let status = ui::Status::new();
    let found = progress::first_unfinished(&course, timeout, &mut |chapter| {
        status.set(&format!(
            "building and testing {} (unchanged chapters are remembered) ...",
            chapter.id
        ));
    })?;
    status.clear();
    match found {
        Some((chapter, exercise, progress)) => {
            print!(
                "{}",
                next::describe(&course, chapter, exercise, &progress.state)
            );
        }
        None => println!("Every exercise passes. Well done!"),
    }
    Ok(ExitCode::SUCCESS)
}

fn run_progress(exercises: Option<&Path>, timeout: Duration) -> Result<ExitCode> {
    let course = Course::open_for_learner(exercises)?;
    let chapters = progress_with_status(&course, timeout)?;

    println!("Your exercises in {}\n", course.exercises.display());
    let mut rows = Vec::new();
    for (chapter, manifest_chapter) in chapters.iter().zip(&course.manifest.chapters) {
        let (done, total) = (chapter.done(), chapter.exercises.len());
        rows.push(vec![
            chapter.id.to_string(),
            chapter.title.clone(),
            format!("{} {done}/{total}", ui::bar(done, total, 20)),
            manifest_chapter.page.replace(".md", ".html"),
        ]);
        for exercise in &chapter.exercises {
            let state = match &exercise.state {
                progress::State::Done => "done".to_owned(),
                progress::State::Partial { passed, total } => {
                    format!("{passed}/{total} tests pass")
                }
                progress::State::DoesNotCompile => "does not compile".to_owned(),
                progress::State::Missing => "folder missing".to_owned(),
            };
            let mark = if exercise.state == progress::State::Done {
                "[x]"
            } else {
                "[ ]"
            };
            rows.push(vec![
                String::new(),
                format!("{mark} {}", exercise.id),
                state,
                String::new(),
            ]);
        }
        if let Some(err) = &chapter.build_error {
            rows.push(vec![
                String::new(),
                String::new(),
                err.clone(),
                String::new(),
            ]);
        }
    }
    print!(
        "{}",
        ui::table(&["chapter", "exercise", "progress", "book page"], &rows)
    );
    let (done, total) = chapters
        .iter()
        .fold((0, 0), |(d, t), c| (d + c.done(), t + c.exercises.len()));
    println!("\n{done} of {total} exercises done.");
    match next::first_unfinished(&course, &chapters) {
        Some((chapter, exercise, progress)) => {
            println!();
            print!(
                "{}",
                next::describe(&course, chapter, exercise, &progress.state)
            );
        }
        None => println!("Every exercise passes. Well done!"),
    }
    Ok(ExitCode::SUCCESS)
}
