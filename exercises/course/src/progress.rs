//! `course progress`: which of the learner's exercises pass.
//!
//! It builds each chapter crate in the learner's `exercises/` (in that workspace's own target
//! directory, the one `cargo test` there uses, so nothing is compiled twice) and runs its tests.
//! An exercise is done when every one of its tests passes.
//!
//! The results are remembered (see [`cache`]): a chapter whose files have not changed since it
//! was last tested is not built or run again, so asking twice costs a glance at the files.

pub mod cache;

use anyhow::Result;
use course_core::layout::Course;
use course_core::manifest::{Chapter, ChapterId, Exercise, ExerciseId};
use course_core::runner::{self, Build, Crate, Outcome, TestResult};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The state of one exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    /// The exercise id.
    pub id: ExerciseId,
    /// Its state.
    pub state: State,
    /// The names of its failing tests, for the "next step" line.
    pub failing: Vec<String>,
}

/// One chapter's block in the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// The target directory `cargo test` in the learner's workspace builds in: `CARGO_TARGET_DIR`
/// (relative to the current folder, as cargo reads it) or `target/` in the workspace.
pub fn target_dir(course: &Course) -> Result<PathBuf> {
    Ok(match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::path::absolute(dir)?,
        None => course.exercises.join("target"),
    })
}

/// Every chapter's progress, in manifest order. A chapter whose files are as they were when it
/// was last tested (same fingerprint, see [`cache`]) keeps its remembered result; the others
/// are built and tested, with `tick` called before each, and remembered. A cache that cannot
/// be read or written is passed over: the answer is the same, only slower.
pub fn progress(
    course: &Course,
    timeout: Duration,
    tick: &mut dyn FnMut(&Chapter),
) -> Result<Vec<ChapterProgress>> {
    // Where `cargo test` in the learner's workspace builds, so nothing is compiled twice.
    progress_in(course, &target_dir(course)?, timeout, tick)
}

/// [`progress`], building in (and remembering in) `target_dir`.
pub fn progress_in(
    course: &Course,
    target_dir: &Path,
    timeout: Duration,
    tick: &mut dyn FnMut(&Chapter),
) -> Result<Vec<ChapterProgress>> {
    let chapters: Vec<&Chapter> = course.manifest.chapters.iter().collect();
    let shared = cache::shared_fingerprint(course, timeout)?;
    progress_of(course, &chapters, &shared, target_dir, timeout, tick)
}

/// The first exercise, in the manifest's order, that does not pass yet, with its chapter and
/// progress; `None` when every exercise passes. Chapters are tested (or remembered) one at a
/// time, and only up to the one that has it: a learner on chapter 2 waits for chapters 1 and 2.
pub fn first_unfinished<'c>(
    course: &'c Course,
    timeout: Duration,
    tick: &mut dyn FnMut(&Chapter),
) -> Result<Option<(&'c Chapter, &'c Exercise, ExerciseProgress)>> {
    let target_dir = target_dir(course)?;
    let shared = cache::shared_fingerprint(course, timeout)?;
    for chapter in &course.manifest.chapters {
        let one = progress_of(course, &[chapter], &shared, &target_dir, timeout, tick)?;
        if let Some(found) = crate::next::first_unfinished(course, &one) {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// Each chapter's remembered progress where its files are as they were when it was tested,
/// without building or testing anything: `None` for a chapter that changed since.
pub fn remembered(course: &Course, timeout: Duration) -> Result<Vec<Option<ChapterProgress>>> {
    let remembered = cache::Cache::load(&target_dir(course)?);
    let shared = cache::shared_fingerprint(course, timeout)?;
    course
        .manifest
        .chapters
        .iter()
        .map(|chapter| {
            let fingerprint = cache::fingerprint(&shared, &course.exercise_dir(chapter))?;
            Ok(remembered.get(&chapter.id, &fingerprint))
        })
        .collect()
}

/// The progress of one chapter, remembered as [`progress`] remembers it.
pub fn chapter(
    course: &Course,
    chapter: &Chapter,
    timeout: Duration,
    tick: &mut dyn FnMut(&Chapter),
) -> Result<ChapterProgress> {
    let shared = cache::shared_fingerprint(course, timeout)?;
    let mut one = progress_of(
        course,
        &[chapter],
        &shared,
        &target_dir(course)?,
        timeout,
        tick,
    )?;
    Ok(one.remove(0))
}

/// The progress of `chapters`, each remembered under its fingerprint (from `shared`, see
/// [`cache::shared_fingerprint`]) or tested and remembered.
fn progress_of(
    course: &Course,
    chapters: &[&Chapter],
    shared: &str,
    target_dir: &Path,
    timeout: Duration,
    tick: &mut dyn FnMut(&Chapter),
) -> Result<Vec<ChapterProgress>> {
    let manifest = course.exercises.join("Cargo.toml");
    let mut remembered = cache::Cache::load(target_dir);
    let mut out = Vec::new();
    for &chapter in chapters {
        let fingerprint = cache::fingerprint(shared, &course.exercise_dir(chapter))?;
        if let Some(known) = remembered.get(&chapter.id, &fingerprint) {
            out.push(known);
            continue;
        }
        tick(chapter);
        let fresh = chapter_progress(course, chapter, &manifest, target_dir, timeout)?;
        remembered.put(&chapter.id, fingerprint, &fresh);
        out.push(fresh);
    }
    remembered.save();
    Ok(out)
}

fn chapter_progress(
    course: &Course,
    chapter: &Chapter,
    manifest: &Path,
    target_dir: &Path,
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
