//! `course progress`: which of the learner's exercises pass.
//!
//! It builds each chapter crate in the learner's `exercises/` (in that workspace's own target
//! directory, the one `cargo test` there uses, so nothing is compiled twice) and runs its tests.
//! An exercise is done when every one of its tests passes.

use anyhow::Result;
use course_core::layout::Course;
use course_core::manifest::{Chapter, ChapterId, Exercise, ExerciseId};
use course_core::runner::{self, Build, Crate, Outcome, TestResult};
use std::time::Duration;

/// The state of one exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Every test passes.
    Done,
    /// `passed` of `total` tests pass.
    Partial { passed: usize, total: usize },
    /// The chapter crate does not compile.
    DoesNotCompile,
    /// The chapter's folder is not in the learner's exercises.
    Missing,
}

/// One exercise's line in the table.
#[derive(Debug, Clone)]
pub struct ExerciseProgress {
    /// The exercise id.
    pub id: ExerciseId,
    /// Its state.
    pub state: State,
    /// The names of its failing tests, for the "next step" line.
    pub failing: Vec<String>,
}

/// One chapter's block in the table.
#[derive(Debug, Clone)]
pub struct ChapterProgress {
    /// The chapter id.
    pub id: ChapterId,
    /// The chapter title.
    pub title: String,
    /// Its exercises, in manifest order.
    pub exercises: Vec<ExerciseProgress>,
    /// The first compiler error, when the crate does not compile.
    pub build_error: Option<String>,
}

impl ChapterProgress {
    /// How many exercises are done.
    pub fn done(&self) -> usize {
        self.exercises
            .iter()
            .filter(|e| e.state == State::Done)
            .count()
    }
}

/// Builds and runs every chapter's tests in the learner's exercises, calling `tick` before each.
pub fn progress(
    course: &Course,
    timeout: Duration,
    tick: &mut dyn FnMut(&Chapter),
) -> Result<Vec<ChapterProgress>> {
    let manifest = course.exercises.join("Cargo.toml");
    // Where `cargo test` in the learner's workspace builds, so nothing is compiled twice.
    let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::path::absolute(dir)?,
        None => course.exercises.join("target"),
    };
    let mut out = Vec::new();
    for chapter in &course.manifest.chapters {
        tick(chapter);
        out.push(chapter_progress(
            course,
            chapter,
            &manifest,
            &target_dir,
            timeout,
        )?);
    }
    Ok(out)
}

fn chapter_progress(
    course: &Course,
    chapter: &Chapter,
    manifest: &std::path::Path,
    target_dir: &std::path::Path,
    timeout: Duration,
) -> Result<ChapterProgress> {
    let mut progress = ChapterProgress {
        id: chapter.id.clone(),
        title: chapter.title.clone(),
        exercises: Vec::new(),
        build_error: None,
    };
    let all = |state: State| -> Vec<ExerciseProgress> {
        chapter
            .exercises
            .iter()
            .map(|e| ExerciseProgress {
                id: e.id.clone(),
                state: state.clone(),
                failing: Vec::new(),
            })
            .collect()
    };
    if !course.exercise_dir(chapter).join("Cargo.toml").is_file() {
        progress.exercises = all(State::Missing);
        return Ok(progress);
    }
    let krate = Crate {
        manifest,
        package: chapter.package(),
        target_dir,
    };
    match runner::build_tests(&krate)? {
        Build::Failed { errors } => {
            progress.exercises = all(State::DoesNotCompile);
            progress.build_error = Some(runner::first_error(&errors));
        }
        Build::Built { binaries, .. } => {
            for exercise in &chapter.exercises {
                let results = match binaries.iter().find(|b| b.target == exercise.test) {
                    Some(binary) => runner::run_tests(binary, timeout)?,
                    None => Vec::new(),
                };
                progress
                    .exercises
                    .push(exercise_progress(exercise, &results));
            }
        }
    }
    Ok(progress)
}

fn exercise_progress(exercise: &Exercise, results: &[TestResult]) -> ExerciseProgress {
    let passed = results
        .iter()
        .filter(|r| r.outcome == Outcome::Passed)
        .count();
    let total = results.len();
    let state = if total > 0 && passed == total {
        State::Done
    } else {
        State::Partial { passed, total }
    };
    ExerciseProgress {
        id: exercise.id.clone(),
        state,
        failing: results
            .iter()
            .filter(|r| !r.outcome.passed())
            .map(|r| r.name.clone())
            .collect(),
    }
}
