//! Grading a class: `cargo course grade` against the naive loop an instructor might write first.
//!
//! Run it from the repository's root with
//!
//! ```text
//! cargo bench -p course-grader --bench grade                 # 20 submissions, naive loop on all 20
//! cargo bench -p course-grader --bench grade -- --naive 4    # the naive loop on the first 4 only
//! cargo bench -p course-grader --bench grade -- --hanging    # a class with hanging code
//! ```
//!
//! **`--hanging`** grades two classes of 30 side by side with `--jobs 2`, each after the reference
//! is graded (so both measure the students only): an honest one (perfect, stub and partial
//! submissions in turn), and the same class with 5 of them replaced by submissions whose code
//! hangs in every function (3 block for ever, 2 spin). The table gives both times and their
//! ratio, and the run fails if any honest student scores differently in the two classes: a
//! neighbour that hangs must cost time, never points.
//!
//! It generates 20 submissions from the course's own solutions and stubs (a perfect one, then in
//! turn a stub, a partial one with the first chapter solved, a perfect one, ...), and times:
//!
//! - **the grader**, from a cold work folder: preparing (vendoring the dependencies, grading the
//!   reference solution, which compiles the dependencies once), then the 20 students one after
//!   the other (`--jobs 1`). The per-student cost after the first is the time from the first
//!   student's result to the last one's, divided by 19.
//! - **the naive loop**: for each submission, a full copy of `exercises/` with the student's
//!   files, and `cargo test --offline` in it. Each copy has its own `target/`, as `cargo test`
//!   gives it, so each one compiles the dependencies again. (Sharing one target dir would be
//!   faster and wrong: it can hand one student's compiled crate to another; see the book's
//!   appendix for instructors.) It is not sandboxed and runs tests in-process, so it does less
//!   than the grader for each student.
//!
//! Both run side by side in one process on the same machine, and the table gives the ratio.
//!
//! Seen on a 2-core VM (Intel Xeon), one run with `--naive 4`: prepare 33.1 s, first student
//! 16.5 s, each student after the first 14.1 s, all 20 from cold 317.0 s; naive 31.1 s per copy
//! (mean of 4); 2.2x per student, 2.0x for the class.
//!
//! `--hanging`, seen on a 2-core VM (Intel Xeon), one run: all honest 266.3 s, with 5 hanging
//! 460.4 s, 1.73x; every honest student scored the same in both.

use course_core::layout::{Course, repo_root};
use course_grader::{self as grade, Event, Options};
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const STUDENTS: usize = 20;

/// The class size of `--hanging`, and how many of it hang: these block, the rest spin.
const CLASS: usize = 30;
const HANGING: usize = 5;
const BLOCKING: usize = 3;

/// What a hanging submission has in place of every `todo!()`.
const BLOCK: &str = "loop { std::thread::park() }";
const SPIN: &str = "loop { std::hint::spin_loop() }";

/// Writes submission `i` into `dir`: every chapter's src, from the solution or the stub.
fn submission(course: &Course, i: usize, dir: &Path) {
    for (n, chapter) in course.manifest.chapters.iter().enumerate() {
        let solved = match i % 3 {
            0 => true,
            1 => false,
            _ => n == 0,
        };
        let root = if solved {
            course.repo.join("solutions")
        } else {
            course.exercises.clone()
        };
        course_testkit::copy_dir_without_target(
            &root.join(&chapter.id).join("src"),
            &dir.join(&chapter.id).join("src"),
        );
    }
}

/// The grader's options for the class in `subs`, with its limits as they come by default.
fn options(subs: &Path, out: &Path, work: &Path, jobs: usize) -> Options {
    Options {
        submissions: subs.to_owned(),
        out: out.to_owned(),
        work: Some(work.to_owned()),
        jobs,
        extra_tests: None,
        force: false,
        timeout: None,
        budget: None,
        no_sandbox: false,
        prepare_only: false,
    }
}

/// Grades the class in `subs` into `out` with the work folder `work` and `jobs` slots: the time
/// from the plan (the reference graded) to the end, and the scores by student.
fn grade_class(
    course: &Course,
    subs: &Path,
    out: &Path,
    work: &Path,
    jobs: usize,
) -> (Duration, std::collections::BTreeMap<String, f64>) {
    let options = options(subs, out, work, jobs);
    let planned: Mutex<Option<Instant>> = Mutex::new(None);
    let outcome = grade::grade(course, &options, &|event| match event {
        Event::Planned { .. } => *planned.lock().unwrap() = Some(Instant::now()),
        Event::Finished(g) => eprintln!("  graded {} ({} / {})", g.student, g.score, g.max_score),
        _ => {}
    })
    .expect("grading works");
    let planned = planned.into_inner().unwrap().expect("a plan");
    let scores = outcome
        .grades
        .iter()
        .map(|g| (g.student.clone(), g.score))
        .collect();
    (planned.elapsed(), scores)
}

/// `--hanging`: the same class of 30, honest and with 5 that hang, side by side.
fn hanging(course: &Course) {
    let scratch = tempfile::tempdir().unwrap();
    let work = scratch.path().join("work");
    let (honest, hostile) = (
        scratch.path().join("honest"),
        scratch.path().join("hanging"),
    );
    for i in 0..CLASS {
        let id = format!("student-{i:02}");
        submission(course, i, &honest.join(&id));
        if i < HANGING {
            let dir = hostile.join(format!("hangs-{i:02}"));
            for chapter in &course.manifest.chapters {
                course_testkit::copy_dir_without_target(
                    &course.exercises.join(&chapter.id).join("src"),
                    &dir.join(&chapter.id).join("src"),
                );
            }
            let with = if i < BLOCKING { BLOCK } else { SPIN };
            course_testkit::replace_todos(&dir, with);
        } else {
            submission(course, i, &hostile.join(&id));
        }
    }
    // The reference is graded once, into the shared work folder, before either class is timed.
    let none = scratch.path().join("none");
    std::fs::create_dir_all(&none).unwrap();
    let prepare = Options {
        prepare_only: true,
        ..options(&none, &scratch.path().join("out-none"), &work, 2)
    };
    grade::grade(course, &prepare, &|_| {}).expect("the reference is graded");
    let (honest_time, honest_scores) = grade_class(
        course,
        &honest,
        &scratch.path().join("out-honest"),
        &work,
        2,
    );
    let (hanging_time, hanging_scores) = grade_class(
        course,
        &hostile,
        &scratch.path().join("out-hanging"),
        &work,
        2,
    );
    for (id, score) in &hanging_scores {
        if let Some(honest) = honest_scores.get(id) {
            assert_eq!(
                score, honest,
                "{id} scores differently beside hanging neighbours"
            );
        } else {
            assert_eq!(*score, 0.0, "{id} hangs, and scores nothing");
        }
    }
    let s = |d: Duration| format!("{:.1} s", d.as_secs_f64());
    println!("| class of {CLASS}, `--jobs 2`, the reference graded before | time |");
    println!("|---|---|");
    println!("| all honest | {} |", s(honest_time));
    println!(
        "| {HANGING} hang in every function ({BLOCKING} block, {} spin) | {} |",
        HANGING - BLOCKING,
        s(hanging_time)
    );
    println!(
        "| ratio: with hanging / all honest | {:.2}x |",
        hanging_time.as_secs_f64() / honest_time.as_secs_f64()
    );
}

fn main() {
    let course = Course::open_repo(&repo_root()).expect("the course opens");
    if std::env::args().any(|a| a == "--hanging") {
        hanging(&course);
        return;
    }
    let naive_count = std::env::args()
        .skip_while(|a| a != "--naive")
        .nth(1)
        .map_or(STUDENTS, |n| n.parse().expect("--naive N"));
    assert!(
        (1..=STUDENTS).contains(&naive_count),
        "--naive takes 1 to {STUDENTS}"
    );
    let scratch = tempfile::tempdir().unwrap();
    let subs = scratch.path().join("submissions");
    for i in 0..STUDENTS {
        submission(&course, i, &subs.join(format!("student-{i:02}")));
    }

    // The grader, cold.
    let options = options(
        &subs,
        &scratch.path().join("graded"),
        &scratch.path().join("work"),
        1,
    );
    let started = Instant::now();
    let marks: Mutex<Vec<Duration>> = Mutex::new(Vec::new());
    let planned: Mutex<Option<Duration>> = Mutex::new(None);
    grade::grade(&course, &options, &|event| match event {
        Event::Planned { .. } => *planned.lock().unwrap() = Some(started.elapsed()),
        Event::Finished(g) => {
            marks.lock().unwrap().push(started.elapsed());
            eprintln!("  graded {} ({} / {})", g.student, g.score, g.max_score);
        }
        _ => {}
    })
    .expect("grading works");
    let total = started.elapsed();
    let marks = marks.into_inner().unwrap();
    let prepare = planned.into_inner().unwrap().unwrap_or_default();
    let first = marks[0] - prepare;
    let after_first = (marks[marks.len() - 1] - marks[0]) / (marks.len() as u32 - 1);

    // The naive loop.
    let mut naive = Vec::new();
    for i in 0..naive_count {
        // Named `exercises`, like the folder it copies: the reference solutions find the files
        // they share with the exercise by that name (`#[path = "../../../exercises/..."]`).
        let copy = scratch
            .path()
            .join(format!("naive-{i:02}"))
            .join("exercises");
        course_testkit::copy_dir_without_target(&course.exercises, &copy);
        submission(&course, i, &copy);
        let t = Instant::now();
        let status = Command::new(env!("CARGO"))
            .args(["test", "--offline", "-q", "--no-fail-fast"])
            .current_dir(&copy)
            .env_remove("CARGO_TARGET_DIR")
            .env("CARGO_INCREMENTAL", "0")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("cargo runs");
        naive.push(t.elapsed());
        // A stub's tests fail; a perfect copy's must pass, or the loop measured something else.
        assert!(
            status.success() || i % 3 != 0,
            "the naive loop failed on a perfect copy: {}",
            copy.display()
        );
        eprintln!(
            "  naive {i:02}: {:.1} s (tests {})",
            t.elapsed().as_secs_f64(),
            if status.success() { "pass" } else { "fail" }
        );
        let _ = std::fs::remove_dir_all(copy.join("target"));
    }
    let naive_mean = naive.iter().sum::<Duration>() / naive.len() as u32;

    let s = |d: Duration| format!("{:.1} s", d.as_secs_f64());
    println!("| step | time |");
    println!("|---|---|");
    println!(
        "| grader: prepare (vendor, reference build) | {} |",
        s(prepare)
    );
    println!("| grader: first student | {} |", s(first));
    println!(
        "| grader: each student after the first (mean of {}) | {} |",
        marks.len() - 1,
        s(after_first)
    );
    println!(
        "| grader: all {STUDENTS} students, from cold | {} |",
        s(total)
    );
    println!(
        "| naive `cargo test` per copy (mean of {}) | {} |",
        naive.len(),
        s(naive_mean)
    );
    println!(
        "| ratio: naive per student / grader per student after the first | {:.1}x |",
        naive_mean.as_secs_f64() / after_first.as_secs_f64()
    );
    println!(
        "| ratio: naive for {STUDENTS} (mean x {STUDENTS}) / grader for {STUDENTS} from cold | {:.1}x |",
        (naive_mean * STUDENTS as u32).as_secs_f64() / total.as_secs_f64()
    );
}
