//! `course hint EXERCISE`: prints an exercise's hint from the manifest.

use anyhow::{Result, bail};
use course_core::layout::Course;
use course_core::manifest::{Chapter, Exercise};

/// The exercise named `id` and its chapter, or an error that lists the valid names.
pub fn find<'c>(course: &'c Course, id: &str) -> Result<(&'c Chapter, &'c Exercise)> {
    let Some(found) = course.manifest.exercise(id) else {
        bail!(
            "no exercise `{id}` in {}; valid names: {}",
            course.manifest_path().display(),
            course.manifest.exercise_ids().join(", ")
        );
    };
    Ok(found)
}

/// The text `course hint` prints for `id`, or an error that lists the valid names.
pub fn hint(course: &Course, id: &str) -> Result<String> {
    let (chapter, exercise) = find(course, id)?;
    Ok(format!(
        "Hint for `{}` ({}, exercises/{}/tests/{}.rs):\n\n{}\n\nRun it: cd exercises && cargo test -p {} --test {}\n",
        exercise.id,
        chapter.title,
        chapter.id,
        exercise.test,
        exercise.hint.trim_end(),
        chapter.package(),
        exercise.test
    ))
}
