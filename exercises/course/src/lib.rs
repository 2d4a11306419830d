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
pub mod progress;
pub mod ui;

use anyhow::Result;
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

fn run_progress(exercises: Option<&Path>, timeout: Duration) -> Result<ExitCode> {
    let course = Course::open_for_learner(exercises)?;
    let status = ui::Status::new();
    let count = course.manifest.chapters.len();
    let mut started = 0;
    let chapters = progress::progress(&course, timeout, &mut |chapter| {
        started += 1;
        status.set(&format!(
            "building and testing {} ({started}/{count}) ...",
            chapter.id
        ));
    })?;
    status.clear();

    println!("Your exercises in {}\n", course.exercises.display());
    let mut rows = Vec::new();
    let mut next = None;
    for chapter in &chapters {
        let (done, total) = (chapter.done(), chapter.exercises.len());
        rows.push(vec![
            chapter.id.to_string(),
            chapter.title.clone(),
            format!("{} {done}/{total}", ui::bar(done, total, 20)),
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
            if exercise.state != progress::State::Done && next.is_none() {
                next = Some((chapter.id.clone(), exercise.id.clone()));
            }
            let mark = if exercise.state == progress::State::Done {
                "[x]"
            } else {
                "[ ]"
            };
            rows.push(vec![
                String::new(),
                format!("{mark} {}", exercise.id),
                state,
            ]);
        }
        if let Some(err) = &chapter.build_error {
            rows.push(vec![String::new(), String::new(), err.clone()]);
        }
    }
    print!("{}", ui::table(&["chapter", "exercise", "progress"], &rows));
    let (done, total) = chapters
        .iter()
        .fold((0, 0), |(d, t), c| (d + c.done(), t + c.exercises.len()));
    println!("\n{done} of {total} exercises done.");
    match next {
        Some((chapter, exercise)) => {
            let test = course
                .manifest
                .exercise(&exercise)
                .map_or(exercise.as_str(), |(_, e)| e.test.as_str());
            let package = course_core::manifest::package_of(&chapter);
            println!(
                "Next: `cargo test -p {package} --test {test}` in {}, and `cargo course hint {exercise}` if you are stuck.",
                course.exercises.display()
            );
        }
        None => println!("Every exercise passes. Well done!"),
    }
    Ok(ExitCode::SUCCESS)
}
