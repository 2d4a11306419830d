//! Grading a class: `cargo course grade` against the naive loop an instructor might write first.
//!
//! Run it from the repository's root with
//!
//! ```text
//! cargo bench -p course --bench grade                 # 20 submissions, naive loop on all 20
//! cargo bench -p course --bench grade -- --naive 4    # the naive loop on the first 4 only
//! ```
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
//! Seen on a 2-core VM (AMD EPYC), one run: prepare 14.8 s, first student 6.8 s, each student
//! after the first 6.0 s, all 20 from cold 135.9 s; naive 14.2 s per copy (mean of 20); 2.4x per
//! student, 2.1x for the class.

use course_core::layout::{Course, repo_root};
use course_grader::{self as grade, Event, Options};
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const STUDENTS: usize = 20;

/// Copies the course's files under `from` (no build output, nothing hidden) into `to`.
fn copy_dir(from: &Path, to: &Path) {
    for file in course_core::files::course_files(from).unwrap() {
        let target = to.join(&file.rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file.path, &target).unwrap();
    }
}

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
        copy_dir(
            &root.join(&chapter.id).join("src"),
            &dir.join(&chapter.id).join("src"),
        );
    }
}

fn main() {
    let naive_count = std::env::args()
        .skip_while(|a| a != "--naive")
        .nth(1)
        .map_or(STUDENTS, |n| n.parse().expect("--naive N"));
    assert!(
        (1..=STUDENTS).contains(&naive_count),
        "--naive takes 1 to {STUDENTS}"
    );
    let course = Course::open_repo(&repo_root()).expect("the course opens");
    let scratch = tempfile::tempdir().unwrap();
    let subs = scratch.path().join("submissions");
    for i in 0..STUDENTS {
        submission(&course, i, &subs.join(format!("student-{i:02}")));
    }

    // The grader, cold.
    let options = Options {
        submissions: subs.clone(),
        out: scratch.path().join("graded"),
        work: None,
        jobs: 1,
        extra_tests: None,
        force: false,
        timeout: Duration::from_secs(60),
        no_sandbox: false,
        prepare_only: false,
    };
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
        copy_dir(&course.exercises, &copy);
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
