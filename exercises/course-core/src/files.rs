//! The file rules: which files under a course folder belong to the course.
//!
//! A copy of the course (a grading stage, a fingerprint, a Gradescope zip, a learner's pristine
//! copy) must agree on what it holds, so there is one walker and one rule: everything but hidden
//! entries and `target/` build output, in a stable order.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A file or symbolic link under a course folder, as [`course_files`] lists it.
#[derive(Debug, Clone)]
pub struct CourseFile {
    /// Its path under the folder listed.
    pub rel: PathBuf,
    /// Its full path.
    pub path: PathBuf,
    /// What it is (never a folder), not following symbolic links.
    pub kind: std::fs::FileType,
}

/// Every file and symbolic link under `dir`, sorted by path, leaving out what is not the
/// course's: hidden entries and `target/` build output. The one rule for what a copy of the
/// course holds: staging, the reference's fingerprint and the Gradescope zip all use it.
pub fn course_files(dir: &Path) -> Result<Vec<CourseFile>> {
    fn walk(dir: &Path, rel: &Path, out: &mut Vec<CourseFile>) -> Result<()> {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .collect::<std::io::Result<Vec<_>>>()
            .with_context(|| format!("cannot read {}", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            if name == "target" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry
                .file_type()
                .with_context(|| format!("cannot inspect {}", entry.path().display()))?;
            if kind.is_dir() {
                walk(&entry.path(), &rel.join(&name), out)?;
            } else {
                out.push(CourseFile {
                    rel: rel.join(&name),
                    path: entry.path(),
                    kind,
                });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, Path::new(""), &mut out)?;
    Ok(out)
}
