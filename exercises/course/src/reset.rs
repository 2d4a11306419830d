//! `course reset EXERCISE`: puts an exercise's file back as it was handed out.
//!
//! The handed-out version comes from the copy the course ships
//! (`exercises/.course/pristine/`, see [`course_core::pristine`]), so it works without git and
//! without the network, and whatever the learner did to the file before. Nothing is lost: the
//! learner's version is copied to `exercises/.course/backups/` first, and the reset happens
//! only when that copy is written.

use anyhow::{Context, Result, bail};
use course_core::layout::Course;
use course_core::manifest::{Chapter, Exercise};
use course_core::pristine;
use std::path::PathBuf;

/// Where backups go, under the exercises folder.
pub const BACKUPS: &str = ".course/backups";

/// What a reset would do: the exercise's files (under the chapter's `src/`) that differ from
/// the handed-out copy.
#[derive(Debug)]
pub struct Plan {
    /// The files to restore, by their path under the chapter's `src/`.
    pub files: Vec<PathBuf>,
}

/// The files that belong to `exercise`: its own module where the copy has one, else every
/// file of the copy (which leaves out the files the course gives whole).
fn files_of(course: &Course, chapter: &Chapter, exercise: &Exercise) -> Result<Vec<PathBuf>> {
    let copy = course.pristine_src(chapter);
    if !copy.is_dir() {
        bail!(
            "{}: the handed-out copy that reset restores is missing; get it from the course \
             repository (exercises/.course/), or ask your instructor",
            copy.display()
        );
    }
    let module = PathBuf::from(format!("{}.rs", exercise.id));
    if copy.join(&module).is_file() {
        return Ok(vec![module]);
    }
    Ok(course_core::files::course_files(&copy)?
        .into_iter()
        .filter(|f| f.kind.is_file())
        .map(|f| f.rel)
        .collect())
}

/// Which of the exercise's files differ from how they were handed out.
pub fn plan(course: &Course, chapter: &Chapter, exercise: &Exercise) -> Result<Plan> {
    let src = course.exercise_dir(chapter).join("src");
    let mut files = Vec::new();
    for rel in files_of(course, chapter, exercise)? {
        let original = pristine::original(course, chapter, &rel)?;
        let now = match std::fs::read(src.join(&rel)) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", src.join(&rel).display()));
            }
        };
        if now != original {
            files.push(rel);
        }
    }
    Ok(Plan { files })
}

/// Copies the learner's versions of `plan`'s files into a new backup folder, then writes the
/// handed-out versions over them. Returns the backup folder.
pub fn apply(
    course: &Course,
    chapter: &Chapter,
    exercise: &Exercise,
    plan: &Plan,
) -> Result<PathBuf> {
    let src = course.exercise_dir(chapter).join("src");
    let backup = new_backup_dir(course, exercise)?;
    for rel in &plan.files {
        let from = src.join(rel);
        if from.exists() {
            let to = backup.join(&chapter.id).join("src").join(rel);
            let dir = to.parent().context("a file has a folder")?;
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the backup folder {}", dir.display()))?;
            std::fs::copy(&from, &to).with_context(|| {
                format!(
                    "cannot back up {} to {}; nothing was reset",
                    from.display(),
                    to.display()
                )
            })?;
        }
    }
    for rel in &plan.files {
        let original = pristine::original(course, chapter, rel)?
            .context("the handed-out copy lists the file")?;
        let to = src.join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&to, original).with_context(|| {
            format!(
                "cannot write {}; your version is in {}",
                to.display(),
                backup.display()
            )
        })?;
    }
    Ok(backup)
}

/// A backup folder that does not exist yet: `<seconds since 1970>-<exercise>`, with a number
/// after it if two resets fall in one second.
fn new_backup_dir(course: &Course, exercise: &Exercise) -> Result<PathBuf> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let base = course.exercises.join(BACKUPS);
    for n in 0.. {
        let name = match n {
            0 => format!("{seconds}-{}", exercise.id),
            n => format!("{seconds}-{}-{n}", exercise.id),
        };
        let dir = base.join(name);
        if !dir.exists() {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create the backup folder {}", dir.display()))?;
            return Ok(dir);
        }
    }
    unreachable!("some number is free")
}
