//! The command line: `cargo course book | check | grade`, and the learner's `progress | hint`
//! from the learner's own crate (`exercises/course`), so the root answers as `exercises/` does.

use anyhow::Result;
use clap::{Parser, Subcommand};
use course::ui;
#[cfg(feature = "book")]
use course_book as book;
use course_check as check;
use course_core::layout::{Course, repo_root};
use course_core::runner;
use course_grader as grade;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The companion tool of "Multitasking in Rust": read the book, follow your progress through
/// the exercises, get hints, and (for authors and instructors) check the whole course.
///
/// Run it as `cargo course ...` from the repository root or from anywhere inside `exercises/`.
#[derive(Debug, Parser)]
#[command(name = "cargo course", bin_name = "cargo course", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the book and serve it on http://127.0.0.1:3000 (Ctrl-C stops the server).
    #[cfg(feature = "book")]
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
        /// First write the handed-out copy that `cargo course reset` restores
        /// (exercises/.course/pristine/) from the stubs, for the chapters checked.
        #[arg(long)]
        write_pristine: bool,
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
        /// Stop any test that runs longer than this many seconds. By default each test may run
        /// 20 times as long as it took on the reference solution, and at least 15 s.
        #[arg(long, value_name = "SECS")]
        timeout: Option<u64>,
        /// Stop a student's tests when together they have run this many seconds, and fail the
        /// rest as not run. By default 5 times the reference solution's whole test run, and at
        /// least 30 s.
        #[arg(long, value_name = "SECS")]
        budget: Option<u64>,
        /// Run students' code without bubblewrap (only where each submission already runs in a
        /// container of its own, like Gradescope). Resource limits still apply.
        #[arg(long)]
        no_sandbox: bool,
        /// The scratch and cache folder (vendored crates, compiled dependencies); by default a
        /// folder named after --out in ~/.cache/multitasking-in-rust/grade. Safe to delete
        /// between runs.
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
    #[command(flatten)]
    Learner(course::Command),
}

/// Parses the command line and runs it. Errors come back as one line for `main` to print.
pub fn run() -> Result<ExitCode> {
    match Cli::parse().command {
        #[cfg(feature = "book")]
        Command::Book { build, port, dest } => run_book(build, port, dest),
        Command::Check {
            chapter,
            timeout,
            write_pristine,
        } => run_check(
            chapter.as_deref(),
            Duration::from_secs(timeout),
            write_pristine,
        ),
        Command::Grade {
            submissions,
            out,
            jobs,
            extra_tests,
            force,
            timeout,
            budget,
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
                timeout: timeout.map(Duration::from_secs),
                budget: budget.map(Duration::from_secs),
                no_sandbox,
                prepare_only,
            };
            run_grade(&course, &options)
        }
        Command::Learner(command) => course::run(command),
    }
}

#[cfg(feature = "book")]
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

fn run_check(chapter: Option<&str>, timeout: Duration, write_pristine: bool) -> Result<ExitCode> {
    let course = Course::open_repo(&repo_root())?;
    let chapters = match chapter {
        Some(id) => vec![course.chapter(id)?],
        None => course.manifest.chapters.iter().collect(),
    };
    if write_pristine {
        for chapter in &chapters {
            course_core::pristine::write(&course, chapter)?;
            println!(
                "wrote {} from the stub",
                course.pristine_src(chapter).display()
            );
        }
    }
    let mut options = check::Options::for_course(&course);
    options.timeout = timeout;

    let bar = progress_bar(check::steps(&chapters));
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
                v.chapter.to_string(),
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
    let bar = progress_bar(0);
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
                    "Grading {outdated} student(s) again: their results predate a change to the exercises, the solutions, the extra tests, --timeout or --budget."
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

/// A progress bar on stderr for `len` steps; it draws nothing when stderr is not a terminal.
pub fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
            .expect("the template is valid")
            .progress_chars("#>-"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
