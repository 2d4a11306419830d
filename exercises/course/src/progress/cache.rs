//! What `cargo course progress` remembers between runs.
//!
//! Building and testing every chapter takes from seconds to a minute; asking "where was I?"
//! should not. Each chapter's result is kept with a fingerprint of everything it depends on: its
//! own crate's files (sources, tests, snapshots, Cargo.toml), the helpers the tests share
//! (`test-support/`), the workspace's Cargo.toml, lock file and `course.toml`, the compiler's
//! version, `RUSTFLAGS`, the time limit and where the folder is. The same fingerprint means the
//! same build and the same tests, so the result is taken as it was; any change means the
//! chapter is tested again.
//!
//! The file is `course/progress.json` in the target directory, so `cargo clean` forgets it
//! along with the build. It is only a cache: one that is missing, unreadable or from another
//! version of the tool is ignored, and one that cannot be written is skipped.

use super::ChapterProgress;
use anyhow::{Context, Result};
use course_core::files::course_files;
use course_core::layout::Course;
use course_core::manifest::ChapterId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Changes when the file's layout or the meaning of a result changes.
const FORMAT: u32 = 1;

/// The remembered results, and where they live.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    file: CacheFile,
    changed: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    chapters: BTreeMap<ChapterId, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    progress: ChapterProgress,
}

impl Cache {
    /// The cache in `target_dir`, or an empty one when there is none that this version reads.
    pub fn load(target_dir: &Path) -> Cache {
        let path = target_dir.join("course").join("progress.json");
        let file = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|file| file.format == FORMAT)
            .unwrap_or_default();
        Cache {
            path,
            file,
            changed: false,
        }
    }

    /// The remembered progress of `chapter`, if it was taken with this `fingerprint`.
    pub fn get(&self, chapter: &ChapterId, fingerprint: &str) -> Option<ChapterProgress> {
        self.file
            .chapters
            .get(chapter)
            .filter(|entry| entry.fingerprint == fingerprint)
            .map(|entry| entry.progress.clone())
    }

    /// Remembers `progress` for `chapter` under `fingerprint`.
    pub fn put(&mut self, chapter: &ChapterId, fingerprint: String, progress: &ChapterProgress) {
        self.file.chapters.insert(
            chapter.clone(),
            Entry {
                fingerprint,
                progress: progress.clone(),
            },
        );
        self.changed = true;
    }

    /// Writes the cache if anything changed; a cache that cannot be written is skipped (the
    /// next run tests again), never an error.
    pub fn save(&mut self) {
        if self.changed && self.write().is_ok() {
            self.changed = false;
        }
    }

    fn write(&mut self) -> Result<()> {
        self.file.format = FORMAT;
        let dir = self.path.parent().context("the cache has a folder")?;
        std::fs::create_dir_all(dir)?;
        // Written beside and renamed over, so an interrupted run leaves the old file whole.
        // Named after the process, so that two runs at once never write into one file.
        let partial = self
            .path
            .with_extension(format!("json.{}.partial", std::process::id()));
        std::fs::write(&partial, serde_json::to_vec_pretty(&self.file)?)?;
        std::fs::rename(&partial, &self.path)?;
        Ok(())
    }
}

/// What every chapter's result depends on besides its own folder: the workspace's files, the
/// shared test helpers, the compiler, `RUSTFLAGS` and the time limit.
pub fn shared_fingerprint(course: &Course, timeout: Duration) -> Result<String> {
    let mut hasher = DefaultHasher::new();
    hasher.write(format!("format {FORMAT}, tool {}", env!("CARGO_PKG_VERSION")).as_bytes());
    hasher.write(&compiler_version());
    let flags = std::env::var_os("RUSTFLAGS").unwrap_or_default();
    hasher.write(flags.as_encoded_bytes());
    hasher.write_u128(timeout.as_nanos());
    // Compiler messages name the files by their full paths: a moved folder is tested again.
    hasher.write(course.exercises.as_os_str().as_encoded_bytes());
    for name in ["Cargo.toml", "Cargo.lock", course_core::manifest::FILE_NAME] {
        hash_file(&mut hasher, Path::new(name), &course.exercises.join(name))?;
    }
    hash_folder(&mut hasher, &course.exercises.join("test-support"))?;
    Ok(format!("{:016x}", hasher.finish()))
}

/// The fingerprint of one chapter: `shared` and every file of its crate (`chapter_dir`).
pub fn fingerprint(shared: &str, chapter_dir: &Path) -> Result<String> {
    let mut hasher = DefaultHasher::new();
    hasher.write(shared.as_bytes());
    hash_folder(&mut hasher, chapter_dir)?;
    Ok(format!("{:016x}", hasher.finish()))
}

/// `rustc -vV`, as cargo would run it (`RUSTC` if set); empty if it cannot be run, in which
/// case the build fails anyway and says why.
fn compiler_version() -> Vec<u8> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|out| out.stdout)
        .unwrap_or_default()
}

/// Hashes every course file under `dir` (none if it does not exist), with its path.
fn hash_folder(hasher: &mut DefaultHasher, dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        hasher.write(b"no folder");
        return Ok(());
    }
    for file in course_files(dir)? {
        hash_file(hasher, &file.rel, &file.path)?;
    }
    Ok(())
}

/// Hashes a file's path and bytes (a symbolic link's target, not followed); a file that does
/// not exist hashes as such.
fn hash_file(hasher: &mut DefaultHasher, rel: &Path, path: &Path) -> Result<()> {
    hasher.write(rel.as_os_str().as_encoded_bytes());
    hasher.write_u8(0);
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            hasher.write(b"missing");
            return Ok(());
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let bytes = if meta.file_type().is_symlink() {
        let target = std::fs::read_link(path)
            .with_context(|| format!("cannot read the link {}", path.display()))?;
        target.into_os_string().into_encoded_bytes()
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    hasher.write_usize(bytes.len());
    hasher.write(&bytes);
    Ok(())
}
