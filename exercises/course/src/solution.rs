//! `course solution EXERCISE`: the reference solution of an exercise, once the learner's passes.
//!
//! Reading a solution before solving teaches less than a hint does, so the solution opens only
//! when every test of the exercise passes (as `progress` sees it, remembered). A class is often
//! handed the exercises alone, without `solutions/`; then there is nothing to show, and the
//! command says so in one line.

use crate::next;
use crate::progress::{ExerciseProgress, State};
use anyhow::{Context, Result, bail};
use course_core::files::course_files;
use course_core::layout::Course;
use course_core::manifest::{Chapter, Exercise};
use std::path::PathBuf;

/// What `course solution` has to say.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// The exercise passes: the solution's files, each with its path under the repository.
    Shown(Vec<(PathBuf, String)>),
    /// It does not pass yet: why the solution stays closed.
    NotYet(String),
}

/// Fails in one line when this copy of the course has no reference solution for `chapter`.
pub fn require(course: &Course, chapter: &Chapter) -> Result<()> {
    let dir = course.solution_dir(chapter);
    if !dir.join("src").is_dir() {
        bail!(
            "{}: not in this copy of the course (a class is often given the exercises alone), so \
             there is no solution to show; your instructor has them",
            dir.display()
        );
    }
    Ok(())
}

/// The answer for `exercise`, whose progress is `progress`.
pub fn solution(
    course: &Course,
    chapter: &Chapter,
    exercise: &Exercise,
    progress: &ExerciseProgress,
) -> Result<Answer> {
    if progress.state != State::Done {
        return Ok(Answer::NotYet(format!(
            "`{id}` does not pass yet ({state}), so its solution stays closed: it opens once every \
             test passes. Meanwhile, `cargo course hint {id}` helps, and `cargo test -p {package} \
             --test {test}` shows what fails.",
            id = exercise.id,
            state = next::state_text(&progress.state),
            package = chapter.package(),
            test = exercise.test,
        )));
    }
    let src = course.solution_dir(chapter).join("src");
    // The exercise's own module, where it has one; else every file of the solution's src/.
    let module = src.join(format!("{}.rs", exercise.id));
    let paths: Vec<PathBuf> = if module.is_file() {
        vec![module]
    } else {
        course_files(&src)?
            .into_iter()
            .filter(|f| f.kind.is_file() && f.rel.extension().is_some_and(|e| e == "rs"))
            .map(|f| f.path)
            .collect()
    };
    let mut files = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let shown = path.strip_prefix(&course.repo).unwrap_or(&path).to_owned();
        files.push((shown, text));
    }
    Ok(Answer::Shown(files))
}
