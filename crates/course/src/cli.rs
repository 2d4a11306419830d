//! The command line: `cargo course book | check | progress | hint`.

use crate::layout::{Course, repo_root};
use crate::{book, check, hint, progress, runner, ui};
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The companion tool of "Multitasking in Rust": read the book, follow your progress through
/// the exercises, get hints, and (for authors and instructors) check the whole course.
///
/// Run it as `cargo course ...` from the repository root or from anywhere inside `exercises/`.
#[derive(Debug, Parser)]
#[command(name = "cargo course", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the book and serve it on http://127.0.0.1:3000 (Ctrl-C stops the server).
    Book {
        /// Only build the book into `book/` (or --dest); do not serve it.
        #[arg(long)]
        build: bool,
        /// The port to serve on, on 127.0.0.1.
        #[arg(long, default_value_t = book::DEFAULT_PORT)]
        port: u16,
        /// Build into this folder instead of the one book.toml names.
        #[arg(long, value_name = "DIR")]
        dest: Option<PathBuf>,
    },
    /// Prove the course's rules: each test fails on the stub and passes on the solution, the
    /// stubs build without warnings, and course.toml agrees with the folders and the book.
    ///
    /// Exits non-zero on any violation and says what to do about it.
    Check {
        /// Check only this chapter (for example `01-sync-async`); all chapters if omitted.
        chapter: Option<String>,
        /// Stop a test binary that runs longer than this many seconds.
        #[arg(long, default_value_t = runner::DEFAULT_TIMEOUT.as_secs(), value_name = "SECS")]
        timeout: u64,
    },
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

/// Parses the command line and runs it. Errors come back as one line for `main` to print.
pub fn run() -> Result<ExitCode> {
    match Cli::parse().command {
        Command::Book { build, port, dest } => run_book(build, port, dest),
        Command::Check { chapter, timeout } => {
            run_check(chapter.as_deref(), Duration::from_secs(timeout))
        }
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

fn run_book(build_only: bool, port: u16, dest: Option<PathBuf>) -> Result<ExitCode> {
    let repo = repo_root();
    // Bind first, so a taken port is reported before a long build.
    let server = if build_only {
        None
    } else {
        Some(book::bind(port)?)
    };
    eprintln!("Building the book from {} ...", repo.display());
    // A relative --dest means relative to where the command was typed, not to the repository.
    let dest = match dest {
        Some(d) if d.is_relative() => Some(std::env::current_dir()?.join(d)),
        other => other,
    };
    let built = book::build(&repo, dest.as_deref())?;
    for warning in &built.warnings {
        eprintln!("warning: {warning}");
    }
    let index = built.dir.join("index.html");
    println!("Built the book: {}", index.display());
    let Some(server) = server else {
        return Ok(if built.warnings.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    };
    println!("Serving it at {} (Ctrl-C to stop)", book::url(&server));
    book::serve(&server, &built.dir);
    Ok(ExitCode::SUCCESS)
}

fn run_check(chapter: Option<&str>, timeout: Duration) -> Result<ExitCode> {
    let course = Course::open_repo(&repo_root())?;
    let chapters = match chapter {
        Some(id) => vec![course.chapter(id)?],
        None => course.manifest.chapters.iter().collect(),
    };
    let mut options = check::Options::for_course(&course);
    options.timeout = timeout;

    let bar = ui::progress_bar(check::steps(&chapters));
    let report = check::check(&course, &chapters, &options, &mut |step| match step {
        check::Step::Start { chapter, side } => {
            bar.set_message(format!("{chapter}: building and running the {side}"))
        }
        check::Step::Done => bar.inc(1),
    })?;
    bar.finish_and_clear();

    let rows: Vec<Vec<String>> = report
        .verdicts
        .iter()
        .map(|v| {
            vec![
                v.chapter.clone(),
                v.exercise.clone(),
                v.test.clone(),
                v.stub.to_string(),
                v.solution.to_string(),
                if v.ok() {
                    "ok".into()
                } else {
                    "VIOLATION".into()
                },
            ]
        })
        .collect();
    print!(
        "{}",
        ui::table(
            &["chapter", "exercise", "test", "stub", "solution", "verdict"],
            &rows
        )
    );
    println!();
    if report.violations.is_empty() {
        println!(
            "All {} tests fail on the stub and pass on the solution; the manifest, the folders and the book agree.",
            report.verdicts.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} violation(s):", report.violations.len());
    for v in &report.violations {
        println!("  - {v}");
    }
    Ok(ExitCode::FAILURE)
}

fn run_progress(exercises: Option<&std::path::Path>, timeout: Duration) -> Result<ExitCode> {
    let course = Course::open_for_learner(exercises)?;
    let bar = ui::progress_bar(course.manifest.chapters.len() as u64);
    bar.set_message("building and testing your exercises");
    let chapters = progress::progress(&course, timeout, &mut |chapter| {
        bar.set_message(format!("tested {}", chapter.id));
        bar.inc(1);
    })?;
    bar.finish_and_clear();

    println!("Your exercises in {}\n", course.exercises.display());
    let mut rows = Vec::new();
    let mut next = None;
    for chapter in &chapters {
        let (done, total) = (chapter.done(), chapter.exercises.len());
        rows.push(vec![
            chapter.id.clone(),
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
            let package = crate::manifest::package_of(&chapter);
            println!(
                "Next: `cargo test -p {package} --test {test}` in {}, and `cargo course hint {exercise}` if you are stuck.",
                course.exercises.display()
            );
        }
        None => println!("Every exercise passes. Well done!"),
    }
    Ok(ExitCode::SUCCESS)
}
