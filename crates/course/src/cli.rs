//! The command line: `cargo course book | check | progress | grade | hint`.

use crate::layout::{Course, repo_root};
use crate::{book, check, grade, hint, progress, runner, ui};
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
    /// Grade a class: one folder, .zip or .tar.gz per student in SUBMISSIONS (its name is the
    /// student id), each a copy of exercises/ (whole or partial).
    ///
    /// Only each chapter's src/**/*.rs is taken from a submission and laid over a pristine copy of
    /// the exercises, which is built and tested offline in a bubblewrap sandbox, one process per
    /// test, with a timeout. The reference solution is graded first and must score full marks.
    /// Writes grades.csv and summary.json in DIR, and students/ID/{feedback.md,results.json}.
    /// Running it again resumes: students with results are skipped unless --force is given.
    ///
    /// `--export gradescope OUT.zip` writes a Gradescope autograder instead of grading.
    #[command(
        after_help = "Example:\n  cargo course grade ~/class/submissions --out ~/class/graded --jobs 2"
    )]
    Grade {
        /// The folder of submissions (one entry per student).
        #[arg(required_unless_present = "export")]
        submissions: Option<PathBuf>,
        /// The output folder (created if needed; must not be inside SUBMISSIONS).
        #[arg(long, value_name = "DIR", required_unless_present = "export")]
        out: Option<PathBuf>,
        /// Students graded at once (each also runs its tests in parallel).
        #[arg(long, default_value_t = 1, value_name = "N")]
        jobs: usize,
        /// Instructor-only tests: DIR/<chapter-id>/<test>.rs, named after an exercise's test
        /// target. They count in the grades; their source is never shown.
        #[arg(long, value_name = "DIR")]
        extra_tests: Option<PathBuf>,
        /// Grade every student again, even those with results from an earlier run.
        #[arg(long)]
        force: bool,
        /// Stop a single test that runs longer than this many seconds.
        #[arg(long, default_value_t = 60, value_name = "SECS")]
        timeout: u64,
        /// Run students' code without bubblewrap (only where each submission already runs in a
        /// container of its own, like Gradescope). Resource limits still apply.
        #[arg(long)]
        no_sandbox: bool,
        /// The scratch and cache folder (vendored crates, compiled dependencies); DIR/.work by
        /// default. Safe to delete between runs.
        #[arg(long, value_name = "DIR")]
        work: Option<PathBuf>,
        /// The course repository to grade against; this tool's own repository by default.
        #[arg(long, value_name = "DIR")]
        course: Option<PathBuf>,
        /// Only prepare: vendor the dependencies and grade the reference solution into the work
        /// folder's cache, then stop (used by the Gradescope setup script).
        #[arg(long)]
        prepare_only: bool,
        /// Write an autograder instead of grading: `--export gradescope OUT.zip`.
        #[arg(long, num_args = 2, value_names = ["FORMAT", "FILE"], conflicts_with_all = ["submissions", "out", "force", "jobs"])]
        export: Option<Vec<String>>,
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
        Command::Grade {
            submissions,
            out,
            jobs,
            extra_tests,
            force,
            timeout,
            no_sandbox,
            work,
            course,
            prepare_only,
            export,
        } => {
            let course = Course::open_repo(&course.unwrap_or_else(repo_root))?;
            if let Some(export) = export {
                return run_export(&course, &export, extra_tests.as_deref());
            }
            let options = grade::Options {
                submissions: submissions.unwrap_or_default(),
                out: out.unwrap_or_default(),
                work,
                jobs,
                extra_tests,
                force,
                timeout: Duration::from_secs(timeout),
                no_sandbox,
                prepare_only,
            };
            run_grade(&course, &options)
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

fn run_grade(course: &Course, options: &grade::Options) -> Result<ExitCode> {
    if options.no_sandbox {
        eprintln!(
            "WARNING: --no-sandbox: students' code will run WITHOUT bubblewrap. It can read \
             whatever this machine lets any user read and reach the network. As root it still \
             runs under a user id of its own per slot, with the limits, and that user's \
             processes are killed after each student; as any other user it runs as you and \
             could change the grader's output. Use this only where each submission runs in a \
             container of its own (Gradescope)."
        );
    }
    let bar = ui::progress_bar(0);
    bar.set_message("preparing");
    let started = std::time::Instant::now();
    let outcome = grade::grade(course, options, &|event| match event {
        grade::Event::Preparing(what) => bar.set_message(what.to_owned()),
        grade::Event::Planned {
            to_grade,
            skipped,
            outdated,
        } => {
            bar.set_length(to_grade as u64);
            if outdated > 0 {
                bar.println(format!(
                    "Grading {outdated} student(s) again: their results predate a change to the exercises, the solutions, the extra tests or --timeout."
                ));
            }
            if skipped > 0 {
                bar.println(format!(
                    "Skipping {skipped} student(s) graded in an earlier run (--force grades them again)."
                ));
            }
            bar.set_message("grading");
        }
        grade::Event::Started(id) => bar.set_message(format!("grading {id}")),
        grade::Event::Finished(g) => {
            bar.println(format!(
                "{:<20} {:>6} / {}",
                g.student, g.score, g.max_score
            ));
            bar.inc(1);
        }
    });
    bar.finish_and_clear();
    let outcome = outcome?;
    for line in &outcome.ignored {
        println!("note: {line}");
    }
    if outcome.grades.is_empty() {
        println!("No submissions found in {}.", options.submissions.display());
        return Ok(ExitCode::SUCCESS);
    }
    let chapters = &course.manifest.chapters;
    let mut header = vec!["student", "status"];
    header.extend(chapters.iter().map(|c| c.id.as_str()));
    header.push("total");
    let rows: Vec<Vec<String>> = outcome
        .grades
        .iter()
        .map(|g| {
            let mut row = vec![g.student.clone(), g.status.to_string()];
            row.extend(g.chapters.iter().map(|c| match c.state {
                grade::report::ChapterState::Missing => "missing".to_owned(),
                grade::report::ChapterState::DoesNotCompile { .. } => "no build".to_owned(),
                grade::report::ChapterState::Tested => format!("{}/{}", c.score, c.points),
            }));
            row.push(format!("{}/{}", g.score, g.max_score));
            row
        })
        .collect();
    print!("{}", ui::table(&header, &rows));
    println!(
        "\nGraded {} student(s) in {:.0} s ({} from an earlier run). Gradebook: {}; feedback: {}",
        outcome.grades.len() - outcome.skipped,
        started.elapsed().as_secs_f64(),
        outcome.skipped,
        outcome.out.join("grades.csv").display(),
        outcome.out.join("students").display()
    );
    Ok(ExitCode::SUCCESS)
}

fn run_export(
    course: &Course,
    export: &[String],
    extra_tests: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let [format, file] = export else {
        anyhow::bail!(
            "--export takes two values: a format and a file, e.g. `--export gradescope autograder.zip`"
        );
    };
    if format != "gradescope" {
        anyhow::bail!("--export {format}: unknown format; the one format is `gradescope`");
    }
    let file = std::path::Path::new(file);
    grade::gradescope::export(course, extra_tests, file)?;
    println!(
        "Wrote the Gradescope autograder {}. Upload it in the assignment's \"Configure Autograder\" page.",
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}
