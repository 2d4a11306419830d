//! The exercises as they were handed out, for `cargo course reset`.
//!
//! A learner who wants an exercise back as it was needs a copy that their own edits never
//! touched, also without git and without the network, and also when they edited the files
//! before they first ran `cargo course`. So the course ships that copy: every chapter's `src/`
//! as the stub has it (but the files it gives whole), in `exercises/.course/pristine/<chapter>/src/`. It travels with the
//! exercises folder, the grader never takes it (hidden folders are not a submission's), and
//! `cargo course check` in the repository proves it is the stub byte for byte
//! (`cargo course check --write-pristine` writes it anew after a stub changes).

use crate::files::course_files;
use crate::layout::Course;
use crate::manifest::Chapter;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the handed-out copies are, under the exercises folder.
pub const DIR: &str = ".course/pristine";

impl Course {
    /// The handed-out copy of a chapter's `src/`.
    pub fn pristine_src(&self, chapter: &Chapter) -> PathBuf {
        self.exercises.join(DIR).join(&chapter.id).join("src")
    }
}

/// The files of a chapter's `src/` folder that a learner may change, by their path under it:
/// all but the files the course gives whole (the grader always uses the course's copy of
/// those, so there is nothing to reset).
fn files(src: &Path, chapter: &Chapter) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    if !src.is_dir() {
        return Ok(BTreeMap::new());
    }
    course_files(src)?
        .into_iter()
        .filter(|f| f.kind.is_file())
        .filter(|f| !chapter.given.iter().any(|g| Path::new(g) == f.rel))
        .map(|f| {
            let bytes = std::fs::read(&f.path)
                .with_context(|| format!("cannot read {}", f.path.display()))?;
            Ok((f.rel, bytes))
        })
        .collect()
}

/// The files (under `src/`) where the handed-out copy and the chapter's `src/` differ: changed,
/// missing from the copy, or only in the copy.
pub fn differences(course: &Course, chapter: &Chapter) -> Result<Vec<PathBuf>> {
    let stub = files(&course.exercise_dir(chapter).join("src"), chapter)?;
    let copy = files(&course.pristine_src(chapter), chapter)?;
    let mut out: Vec<PathBuf> = stub
        .iter()
        .filter(|(rel, bytes)| copy.get(*rel) != Some(bytes))
        .map(|(rel, _)| rel.clone())
        .chain(copy.keys().filter(|rel| !stub.contains_key(*rel)).cloned())
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// Writes the handed-out copy of `chapter` from its `src/` (the authors' stub), replacing any
/// earlier one.
pub fn write(course: &Course, chapter: &Chapter) -> Result<()> {
    let to = course.pristine_src(chapter);
    if to.exists() {
        std::fs::remove_dir_all(&to).with_context(|| format!("cannot remove {}", to.display()))?;
    }
    for (rel, bytes) in files(&course.exercise_dir(chapter).join("src"), chapter)? {
        let path = to.join(&rel);
        let dir = path.parent().context("a file has a folder")?;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The handed-out version of the file at `rel` under the chapter's `src/`, if the copy has it.
pub fn original(course: &Course, chapter: &Chapter, rel: &Path) -> Result<Option<Vec<u8>>> {
    let path = course.pristine_src(chapter).join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}
