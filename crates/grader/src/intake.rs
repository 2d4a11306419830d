//! The grader's intake: finds the students' submissions and reads their Rust sources into memory.
//!
//! A submission is whatever a learning-management system hands out: a copy of a learner's
//! `exercises/` folder, whole or partial, or a `.zip` / `.tar.gz` of one, often wrapped in extra
//! folders (`exercises/`, `alice/exercises/`). Submissions are hostile input, so intake takes only
//! what grading needs, `<chapter-id>/src/**/*.rs`, and nothing that could change how the course's
//! tests are built or run (tests, `Cargo.toml`, `build.rs`, `.cargo/config.toml`, toolchain files).
//!
//! Nothing is ever extracted: archive entries are read into memory through readers capped at the
//! per-file limit, so a zip bomb or a lying header costs at most that much. Archive paths are only
//! ever split into components and checked, never joined onto a filesystem path, and symbolic links
//! are never followed. Everything left out for a reason the student can fix becomes a one-line
//! note for their feedback; a submission that cannot be read at all, or that holds too much source,
//! is an [`IntakeError`].
//!
//! Reading takes two passes over a submission: the first lists the paths and picks, for each
//! chapter, the copy with the shortest wrapper; the second reads only the files of those copies.
//! That way the caps apply to exactly the files that are graded, and memory stays bounded.

use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::limits;
use course_core::manifest::is_chapter_id;

/// At most this many notes are kept for one submission; the rest are counted in a last line.
const MAX_NOTES: usize = 100;

/// Caps on what one submission may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest `.rs` file that is taken; larger ones are skipped with a note.
    pub max_file_bytes: u64,
    /// The most Rust source, uncompressed, that one submission may hold in the files it is graded on.
    pub max_total_bytes: u64,
    /// The most `.rs` files one submission may hold in the files it is graded on.
    pub max_files: usize,
    /// The largest archive (`.zip`, `.tar.gz`) accepted, compressed: reading a bigger one would
    /// cost time for nothing a student writes by hand.
    pub max_archive_bytes: u64,
}

impl Default for Limits {
    /// 1 MiB per file, 8 MiB in total (uncompressed), 2000 `.rs` files, 64 MiB per archive.
    fn default() -> Self {
        Limits {
            max_file_bytes: limits::SOURCE_FILE_BYTES,
            max_total_bytes: limits::SOURCE_BYTES,
            max_files: limits::SOURCE_FILES,
            max_archive_bytes: limits::ARCHIVE_BYTES,
        }
    }
}

/// One entry of the submissions folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The student id: the entry's name without its archive extension.
    pub id: String,
    /// The folder or archive.
    pub path: PathBuf,
    /// What it is.
    pub kind: Kind,
}

/// What kind of submission an [`Entry`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A folder.
    Folder,
    /// A `.zip` archive.
    Zip,
    /// A `.tar.gz` or `.tgz` archive.
    TarGz,
}

/// What [`discover`] found in the submissions folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// The submissions, sorted by id.
    pub entries: Vec<Entry>,
    /// One line per entry that is not a submission, saying why it was skipped.
    pub ignored: Vec<String>,
}

/// Lists the submissions folder, sorted by id.
///
/// Hidden entries (starting with '.') are skipped silently. Other entries that are neither a folder
/// nor a `.zip`/`.tar.gz`/`.tgz` file, and symbolic links, are returned in `ignored` with a one-line
/// reason each. Two entries with the same id (`alice/` and `alice.zip`) are an error naming both, as
/// is a submissions folder that cannot be read.
pub fn discover(submissions: &Path) -> Result<Discovered> {
    let listing = fs::read_dir(submissions).with_context(|| {
        format!(
            "cannot read the submissions folder {}; check the path and its permissions",
            submissions.display()
        )
    })?;
    let mut found = Discovered::default();
    for item in listing {
        let item = item.with_context(|| {
            format!(
                "cannot list the submissions folder {}",
                submissions.display()
            )
        })?;
        let name = item.file_name();
        let Some(name) = name.to_str() else {
            found.ignored.push(format!(
                "{}: the name is not valid UTF-8; skipped (rename it)",
                name.to_string_lossy()
            ));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let file_type = item
            .file_type()
            .with_context(|| format!("cannot inspect {}", item.path().display()))?;
        let entry = if file_type.is_symlink() {
            None
        } else if file_type.is_dir() {
            Some((name.to_owned(), Kind::Folder))
        } else if file_type.is_file() {
            archive_id(name)
        } else {
            None
        };
        match entry {
            Some((id, kind)) => found.entries.push(Entry {
                id,
                path: item.path(),
                kind,
            }),
            None if file_type.is_symlink() => found.ignored.push(format!(
                "{name}: a symbolic link; skipped (copy the submission itself into the folder)"
            )),
            None => found
                .ignored
                .push(format!("{name}: not a folder, .zip or .tar.gz; skipped")),
        }
    }
    found.entries.sort_by(|a, b| a.id.cmp(&b.id));
    for pair in found.entries.windows(2) {
        if pair[0].id == pair[1].id {
            bail!(
                "two submissions for the student `{}`: {} and {}; keep one of them and run again",
                pair[0].id,
                pair[0].path.display(),
                pair[1].path.display()
            );
        }
    }
    found.ignored.sort();
    Ok(found)
}

/// The id and kind of an archive's file name, if it has an archive extension (in any case).
fn archive_id(name: &str) -> Option<(String, Kind)> {
    let lower = name.to_ascii_lowercase();
    let (ext_len, kind) = if lower.ends_with(".tar.gz") {
        (".tar.gz".len(), Kind::TarGz)
    } else if lower.ends_with(".tgz") {
        (".tgz".len(), Kind::TarGz)
    } else if lower.ends_with(".zip") {
        (".zip".len(), Kind::Zip)
    } else {
        return None;
    };
    // ASCII lowercasing keeps byte offsets, so the extension is the same length in `name`.
    let id = &name[..name.len() - ext_len];
    (!id.is_empty()).then(|| (id.to_owned(), kind))
}

/// One student's source files, read into memory.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    /// chapter id -> files under that chapter's src/, keyed by the path relative to src/ using '/'
    /// separators ("lib.rs", "bin/tool.rs"); BTreeMap so the order is stable. A chapter appears
    /// only when at least one of its files was taken.
    pub chapters: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    /// Human-readable notes for the student's feedback about things that were left out, one line
    /// each, naming the path as it appears in the submission: symbolic links, files over the
    /// per-file cap, folders that look like chapters but are not in the course, second copies of
    /// a chapter, and unsafe paths (`..`, absolute, ...). Sorted, deduplicated.
    pub notes: Vec<String>,
}

/// Why a submission could not be taken at all: the student gets status "error" and zero.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// A corrupt archive or an I/O error.
    #[error("{path}: {message}")]
    Unreadable { path: PathBuf, message: String },
    /// The graded `.rs` files add up to more than `max_total_bytes`.
    #[error(
        "{path}: holds more than {limit} bytes of Rust source; remove copied or generated code from the chapters' src/ folders and resubmit"
    )]
    TooLarge { path: PathBuf, limit: u64 },
    /// There are more than `max_files` graded `.rs` files.
    #[error(
        "{path}: holds more than {limit} .rs files; remove copied or generated files from the chapters' src/ folders and resubmit"
    )]
    TooManyFiles { path: PathBuf, limit: usize },
}

/// Reads the `.rs` sources of `entry` for the given chapter ids (from course.toml).
///
/// Only `<chapter>/src/**/*.rs` is taken, below any wrapper folders; when a chapter appears under
/// two wrappers, the copy with the shorter wrapper is taken and the other is noted.
pub fn read(entry: &Entry, chapters: &[&str], limits: &Limits) -> Result<Submission, IntakeError> {
    let mut listing = Listing::new(chapters, limits);
    if entry.kind != Kind::Folder {
        let size = std::fs::metadata(&entry.path)
            .map_err(|e| IntakeError::Unreadable {
                path: entry.path.clone(),
                message: format!("cannot read the archive ({e})"),
            })?
            .len();
        if size > limits.max_archive_bytes {
            return Err(IntakeError::Unreadable {
                path: entry.path.clone(),
                message: format!(
                    "the archive is {} MiB, over the {} MiB limit; leave out target/ folders and build output, and resubmit",
                    size >> 20,
                    limits.max_archive_bytes >> 20
                ),
            });
        }
    }
    match entry.kind {
        Kind::Folder => {
            walk_folder(&entry.path, &mut listing)?;
            let (selected, notes) = listing.finish(&entry.path)?;
            let mut intake = Intake::new(entry, limits, notes);
            for file in selected {
                let Source::File(path) = &file.source else {
                    unreachable!("a folder lists only files")
                };
                if intake.over_file_cap(&file) {
                    continue;
                }
                let bytes = File::open(path)
                    .and_then(|f| read_capped(f, limits.max_file_bytes))
                    .map_err(|e| intake.unreadable(format!("cannot read {} ({e})", file.shown)))?;
                intake.store(file, bytes)?;
            }
            Ok(intake.finish())
        }
        Kind::Zip => read_zip(entry, listing, limits),
        Kind::TarGz => read_tar_gz(entry, listing, limits),
    }
}

/// Where a listed file's bytes are.
#[derive(Debug, Clone)]
enum Source {
    /// A file on disk (folder submissions).
    File(PathBuf),
    /// The n-th entry of the archive.
    Index(usize),
}

/// A `.rs` file of a chapter, listed in the first pass.
#[derive(Debug, Clone)]
struct Listed {
    chapter: String,
    key: String,
    /// The path as it appears in the submission, for notes.
    shown: String,
    source: Source,
    /// The size the file system or the archive header claims.
    declared: u64,
}

/// The files of one chapter under one wrapper prefix.
#[derive(Debug)]
struct Copy {
    prefix: Vec<String>,
    files: BTreeMap<String, Listed>,
    /// More than `max_files` distinct files were seen; the extra ones were not kept.
    overflow: bool,
}

/// The first pass: every path of the submission goes through here.
struct Listing<'a> {
    chapters: &'a [&'a str],
    limits: &'a Limits,
    notes: Notes,
    /// chapter -> the copy with the shortest wrapper seen so far.
    best: BTreeMap<String, Copy>,
    /// chapter -> the wrappers of the copies that lost.
    losers: BTreeMap<String, BTreeSet<Vec<String>>>,
}

/// What an entry of a submission is, as far as intake cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryType {
    File,
    Symlink,
    HardLink,
    Dir,
    Other,
}

impl<'a> Listing<'a> {
    fn new(chapters: &'a [&'a str], limits: &'a Limits) -> Self {
        Listing {
            chapters,
            limits,
            notes: Notes::default(),
            best: BTreeMap::new(),
            losers: BTreeMap::new(),
        }
    }

    /// Handles one archive entry, named as the archive names it.
    fn archive_entry(&mut self, name: &str, kind: EntryType, source: Source, declared: u64) {
        if matches!(kind, EntryType::Dir | EntryType::Other) {
            return;
        }
        // `tar -C dir -czf x.tgz .` names every entry `./...`: harmless, so it is dropped.
        let mut path = name;
        while let Some(rest) = path.strip_prefix("./") {
            path = rest;
        }
        let components = match check_path(path) {
            Ok(components) => components,
            Err(problem) => {
                self.notes.add(format!("{name}: {problem}; skipped"));
                return;
            }
        };
        let (_, dirs) = components.split_last().expect("split yields a component");
        if in_skipped_dir(dirs, self.chapters) {
            return;
        }
        match kind {
            EntryType::Symlink => self.symlink(name),
            EntryType::HardLink => self.notes.add(format!(
                "{name}: a hard link; skipped (submit the file itself)"
            )),
            _ => self.file(&components, name.to_owned(), source, declared),
        }
    }

    fn symlink(&mut self, shown: &str) {
        self.notes.add(format!(
            "{shown}: a symbolic link; skipped (submit the file itself)"
        ));
    }

    /// Handles a regular file whose path components are already checked.
    fn file(&mut self, components: &[&str], shown: String, source: Source, declared: u64) {
        match classify(components, self.chapters) {
            Verdict::Ignore => {}
            Verdict::Unknown { folder } => self.notes.add(format!(
                "{folder}/: not a chapter of this course (check the folder name); ignored"
            )),
            Verdict::Take { chapter, prefix } => {
                let key = components[prefix + 2..].join("/");
                let prefix: Vec<String> = components[..prefix]
                    .iter()
                    .map(|c| (*c).to_owned())
                    .collect();
                let listed = Listed {
                    chapter: chapter.to_owned(),
                    key,
                    shown,
                    source,
                    declared,
                };
                self.add(prefix, listed);
            }
        }
    }

    fn add(&mut self, prefix: Vec<String>, listed: Listed) {
        let chapter = listed.chapter.clone();
        let replace = match self.best.get(&chapter) {
            None => true,
            Some(copy) if copy.prefix == prefix => false,
            Some(copy) => {
                let losers = self.losers.entry(chapter.clone()).or_default();
                let loser = if (prefix.len(), &prefix) > (copy.prefix.len(), &copy.prefix) {
                    prefix.clone()
                } else {
                    copy.prefix.clone()
                };
                let keeps_new = loser != prefix;
                // Bounded like the notes they become, against archives with endless wrappers.
                if losers.len() < MAX_NOTES || losers.contains(&loser) {
                    losers.insert(loser);
                } else {
                    self.notes.dropped += 1;
                }
                if !keeps_new {
                    return;
                }
                true
            }
        };
        if replace {
            let copy = Copy {
                prefix,
                files: BTreeMap::new(),
                overflow: false,
            };
            self.best.insert(chapter.clone(), copy);
        }
        let max_files = self.limits.max_files;
        let copy = self.best.get_mut(&chapter).expect("inserted above");
        // A path listed twice (a tar appended to) keeps its last version, as tar does.
        if copy.files.len() < max_files || copy.files.contains_key(&listed.key) {
            copy.files.insert(listed.key.clone(), listed);
        } else {
            copy.overflow = true;
        }
    }

    /// Ends the first pass: the files to read, or an error when there are too many.
    fn finish(mut self, path: &Path) -> Result<(Vec<Listed>, Notes), IntakeError> {
        let count: usize = self.best.values().map(|c| c.files.len()).sum();
        if count > self.limits.max_files || self.best.values().any(|c| c.overflow) {
            return Err(IntakeError::TooManyFiles {
                path: path.to_owned(),
                limit: self.limits.max_files,
            });
        }
        for (chapter, losers) in &self.losers {
            let kept = folder_of(&self.best[chapter].prefix, chapter);
            for loser in losers {
                let ignored = folder_of(loser, chapter);
                self.notes.add(format!(
                    "{ignored}: a second copy of chapter {chapter}; graded {kept} instead"
                ));
            }
        }
        let selected = self
            .best
            .into_values()
            .flat_map(|copy| copy.files.into_values())
            .collect();
        Ok((selected, self.notes))
    }
}

/// `prefix/chapter/`, as notes show a chapter folder.
fn folder_of(prefix: &[String], chapter: &str) -> String {
    let mut parts: Vec<&str> = prefix.iter().map(String::as_str).collect();
    parts.push(chapter);
    format!("{}/", parts.join("/"))
}

/// What to do with a file, by its path.
#[derive(Debug, PartialEq, Eq)]
enum Verdict<'c> {
    /// Take it: `components[prefix]` is the chapter, `components[prefix + 1]` is `src`.
    Take { chapter: &'c str, prefix: usize },
    /// A `.rs` file under `NN-name/src/` for a chapter the course does not have.
    Unknown { folder: String },
    /// Not a chapter's source: skip it silently.
    Ignore,
}

/// Decides about a regular file from its checked path components.
fn classify<'c>(components: &[&'c str], chapters: &[&str]) -> Verdict<'c> {
    let Some((name, dirs)) = components.split_last() else {
        return Verdict::Ignore;
    };
    if name.starts_with('.') || !name.ends_with(".rs") || in_skipped_dir(dirs, chapters) {
        return Verdict::Ignore;
    }
    if let Some(i) = chapter_at(dirs, chapters) {
        return Verdict::Take {
            chapter: dirs[i],
            prefix: i,
        };
    }
    match (0..dirs.len().saturating_sub(1))
        .find(|&i| is_chapter_id(dirs[i]) && dirs[i + 1] == "src")
    {
        Some(i) => Verdict::Unknown {
            folder: dirs[..=i].join("/"),
        },
        None => Verdict::Ignore,
    }
}

/// The first index `i` with `dirs[i]` a chapter of the course and `dirs[i + 1] == "src"`.
fn chapter_at(dirs: &[&str], chapters: &[&str]) -> Option<usize> {
    (0..dirs.len().saturating_sub(1)).find(|&i| chapters.contains(&dirs[i]) && dirs[i + 1] == "src")
}

/// Whether the folder `dirs` (its last component) is not looked into: hidden folders, macOS's
/// `__MACOSX` resource folders, and `target` folders (except inside a chapter's `src/`, where
/// `target` could be a module).
fn skip_dir(dirs: &[&str], chapters: &[&str]) -> bool {
    let Some((name, parents)) = dirs.split_last() else {
        return false;
    };
    name.starts_with('.')
        || *name == "__MACOSX"
        || (*name == "target" && chapter_at(parents, chapters).is_none())
}

/// Whether any folder along `dirs` is skipped.
fn in_skipped_dir(dirs: &[&str], chapters: &[&str]) -> bool {
    (1..=dirs.len()).any(|k| skip_dir(&dirs[..k], chapters))
}

/// Why a path from a submission is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathProblem {
    Absolute,
    Empty,
    Dot,
    DotDot,
    Backslash,
    Nul,
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathProblem::Absolute => "an absolute path",
            PathProblem::Empty => "the path has an empty component (`//`)",
            PathProblem::Dot => "the path has a `.` component",
            PathProblem::DotDot => "the path has a `..` component",
            PathProblem::Backslash => {
                "the path contains a backslash (re-create the archive with a tool that writes `/`)"
            }
            PathProblem::Nul => "the path contains a NUL byte",
        })
    }
}

/// Splits a '/'-separated path from a submission into components, refusing anything that is not
/// a plain relative path.
fn check_path(path: &str) -> Result<Vec<&str>, PathProblem> {
    if path.starts_with('/') {
        return Err(PathProblem::Absolute);
    }
    let components: Vec<&str> = path.split('/').collect();
    let first = components[0].as_bytes();
    if first.len() == 2 && first[0].is_ascii_alphabetic() && first[1] == b':' {
        return Err(PathProblem::Absolute); // a Windows drive, `C:/...`
    }
    for component in &components {
        check_component(component)?;
    }
    Ok(components)
}

/// Checks one path component.
fn check_component(component: &str) -> Result<(), PathProblem> {
    match component {
        "" => Err(PathProblem::Empty),
        "." => Err(PathProblem::Dot),
        ".." => Err(PathProblem::DotDot),
        c if c.contains('\0') => Err(PathProblem::Nul),
        c if c.contains('\\') => Err(PathProblem::Backslash),
        _ => Ok(()),
    }
}

/// The first pass over a folder: a walk that never follows symbolic links.
fn walk_folder(root: &Path, listing: &mut Listing<'_>) -> Result<(), IntakeError> {
    let unreadable = |what: &str, e: io::Error| IntakeError::Unreadable {
        path: root.to_owned(),
        message: format!("cannot read {what} ({e}); check its permissions"),
    };
    let mut stack: Vec<(PathBuf, Vec<String>)> = vec![(root.to_owned(), Vec::new())];
    while let Some((dir, rel)) = stack.pop() {
        let shown_dir = if rel.is_empty() {
            "the folder".to_owned()
        } else {
            rel.join("/")
        };
        let children = fs::read_dir(&dir).map_err(|e| unreadable(&shown_dir, e))?;
        for child in children {
            let child = child.map_err(|e| unreadable(&shown_dir, e))?;
            let Ok(name) = child.file_name().into_string() else {
                continue; // cannot be a Rust module or a chapter
            };
            let mut components: Vec<&str> = rel.iter().map(String::as_str).collect();
            components.push(&name);
            let shown = components.join("/");
            if let Err(problem) = check_component(&name) {
                listing.notes.add(format!("{shown}: {problem}; skipped"));
                continue;
            }
            let file_type = child.file_type().map_err(|e| unreadable(&shown, e))?;
            if file_type.is_symlink() {
                listing.symlink(&shown);
            } else if file_type.is_dir() {
                if !skip_dir(&components, listing.chapters) {
                    let rel = components.iter().map(|c| (*c).to_owned()).collect();
                    stack.push((child.path(), rel));
                }
            } else if file_type.is_file() {
                let declared = child.metadata().map_err(|e| unreadable(&shown, e))?.len();
                listing.file(&components, shown, Source::File(child.path()), declared);
            }
        }
    }
    Ok(())
}

fn read_zip(
    entry: &Entry,
    mut listing: Listing<'_>,
    limits: &Limits,
) -> Result<Submission, IntakeError> {
    let unreadable = |message: String| IntakeError::Unreadable {
        path: entry.path.clone(),
        message,
    };
    let file = File::open(&entry.path)
        .map_err(|e| unreadable(format!("cannot open it ({e}); check its permissions")))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        unreadable(format!(
            "not a valid .zip archive ({e}); ask the student to export it again"
        ))
    })?;
    for index in 0..archive.len() {
        let item = archive.by_index_data(index).map_err(|e| {
            unreadable(format!(
                "entry {index} of the .zip archive is damaged ({e}); ask the student to export it again"
            ))
        })?;
        let name = match item.name() {
            Ok(name) => name.into_owned(),
            Err(_) => String::from_utf8_lossy(item.name_raw()).into_owned(),
        };
        let kind = if item.is_dir() {
            EntryType::Dir
        } else if item.is_symlink() || item.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000) {
            EntryType::Symlink
        } else {
            EntryType::File
        };
        listing.archive_entry(&name, kind, Source::Index(index), item.size());
    }
    let (mut selected, notes) = listing.finish(&entry.path)?;
    selected.sort_by_key(|f| match f.source {
        Source::Index(i) => i,
        Source::File(_) => usize::MAX,
    });
    let mut intake = Intake::new(entry, limits, notes);
    for file in selected {
        let Source::Index(index) = file.source else {
            unreachable!("an archive lists only entries")
        };
        if intake.over_file_cap(&file) {
            continue;
        }
        let bytes = archive
            .by_index(index)
            .map_err(io::Error::other)
            .and_then(|reader| read_capped(reader, limits.max_file_bytes))
            .map_err(|e| {
                unreadable(format!(
                    "cannot read {} from the archive ({e}); ask the student to export it again",
                    file.shown
                ))
            })?;
        intake.store(file, bytes)?;
    }
    Ok(intake.finish())
}

fn read_tar_gz(
    entry: &Entry,
    mut listing: Listing<'_>,
    limits: &Limits,
) -> Result<Submission, IntakeError> {
    let unreadable = |message: String| IntakeError::Unreadable {
        path: entry.path.clone(),
        message,
    };
    let broken = |e: io::Error| {
        unreadable(format!(
            "not a valid .tar.gz archive ({e}); ask the student to export it again"
        ))
    };
    let open =
        || -> Result<tar::Archive<flate2::read::MultiGzDecoder<BufReader<File>>>, IntakeError> {
            let file = File::open(&entry.path)
                .map_err(|e| unreadable(format!("cannot open it ({e}); check its permissions")))?;
            Ok(tar::Archive::new(flate2::read::MultiGzDecoder::new(
                BufReader::new(file),
            )))
        };

    let mut archive = open()?;
    for (index, item) in archive.entries().map_err(broken)?.enumerate() {
        let item = item.map_err(broken)?;
        let header_type = item.header().entry_type();
        let kind = match header_type {
            tar::EntryType::Regular | tar::EntryType::Continuous => EntryType::File,
            tar::EntryType::Symlink => EntryType::Symlink,
            tar::EntryType::Link => EntryType::HardLink,
            tar::EntryType::Directory => EntryType::Dir,
            _ => EntryType::Other,
        };
        let name = String::from_utf8_lossy(&item.path_bytes()).into_owned();
        listing.archive_entry(&name, kind, Source::Index(index), item.size());
    }
    let (selected, notes) = listing.finish(&entry.path)?;
    let mut wanted: HashMap<usize, Listed> = HashMap::new();
    for file in selected {
        if let Source::Index(index) = file.source {
            wanted.insert(index, file);
        }
    }

    let mut intake = Intake::new(entry, limits, notes);
    let mut archive = open()?;
    for (index, item) in archive.entries().map_err(broken)?.enumerate() {
        if wanted.is_empty() {
            break;
        }
        let item = item.map_err(broken)?;
        let Some(file) = wanted.remove(&index) else {
            continue;
        };
        if intake.over_file_cap(&file) {
            continue;
        }
        let bytes = read_capped(item, limits.max_file_bytes).map_err(broken)?;
        intake.store(file, bytes)?;
    }
    Ok(intake.finish())
}

/// Reads at most `limit + 1` bytes, so a caller can tell "over the limit" without reading it all.
fn read_capped(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The second pass: collects the bytes of the selected files, enforcing the caps.
struct Intake<'a> {
    path: &'a Path,
    limits: &'a Limits,
    notes: Notes,
    total: u64,
    chapters: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
}

impl<'a> Intake<'a> {
    fn new(entry: &'a Entry, limits: &'a Limits, notes: Notes) -> Self {
        Intake {
            path: &entry.path,
            limits,
            notes,
            total: 0,
            chapters: BTreeMap::new(),
        }
    }

    fn unreadable(&self, message: String) -> IntakeError {
        IntakeError::Unreadable {
            path: self.path.to_owned(),
            message,
        }
    }

    /// Notes and reports a file whose declared size is over the per-file cap, so it is not read.
    fn over_file_cap(&mut self, file: &Listed) -> bool {
        let over = file.declared > self.limits.max_file_bytes;
        if over {
            self.note_too_big(&file.shown, &human_size(file.declared));
        }
        over
    }

    fn note_too_big(&mut self, shown: &str, size: &str) {
        let limit = human_size(self.limits.max_file_bytes);
        self.notes
            .add(format!("{shown}: {size}, over the {limit} limit; skipped"));
    }

    /// Keeps a file read with [`read_capped`], unless it turned out larger than its header said.
    fn store(&mut self, file: Listed, bytes: Vec<u8>) -> Result<(), IntakeError> {
        let len = bytes.len() as u64;
        if len > self.limits.max_file_bytes {
            let size = format!("more than {}", human_size(self.limits.max_file_bytes));
            self.note_too_big(&file.shown, &size);
            return Ok(());
        }
        self.total += len;
        if self.total > self.limits.max_total_bytes {
            return Err(IntakeError::TooLarge {
                path: self.path.to_owned(),
                limit: self.limits.max_total_bytes,
            });
        }
        self.chapters
            .entry(file.chapter)
            .or_default()
            .insert(file.key, bytes);
        Ok(())
    }

    fn finish(self) -> Submission {
        Submission {
            chapters: self.chapters,
            notes: self.notes.finish(),
        }
    }
}

/// Notes for one submission: sorted, deduplicated, and capped so a hostile archive with a million
/// bad paths cannot flood the feedback.
#[derive(Debug, Default)]
struct Notes {
    lines: BTreeSet<String>,
    dropped: usize,
}

impl Notes {
    fn add(&mut self, line: String) {
        if self.lines.len() < MAX_NOTES || self.lines.contains(&line) {
            self.lines.insert(line);
        } else {
            self.dropped += 1;
        }
    }

    fn finish(self) -> Vec<String> {
        let mut lines: Vec<String> = self.lines.into_iter().collect();
        if self.dropped > 0 {
            lines.push(format!(
                "... and {} more notes like these, left out",
                self.dropped
            ));
        }
        lines
    }
}

/// A size for people: `3 MiB`, `1.5 MiB`, `12 KiB`, `900 bytes`.
fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    let (unit, name) = match bytes {
        b if b >= MIB => (MIB, "MiB"),
        b if b >= KIB => (KIB, "KiB"),
        b => return format!("{b} bytes"),
    };
    if bytes.is_multiple_of(unit) {
        format!("{} {name}", bytes / unit)
    } else {
        format!("{:.1} {name}", bytes as f64 / unit as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const CHAPTERS: &[&str] = &["01-sync-async", "02-processes"];

    fn write(root: &Path, rel: &str, contents: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn zip_file(path: &Path, files: &[(&str, &str)]) {
        let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        for (name, contents) in files {
            zip.start_file(*name, options).unwrap();
            zip.write_all(contents.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }

    fn tar_header(kind: tar::EntryType, size: usize) -> tar::Header {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_size(size as u64);
        header.set_mode(0o644);
        header
    }

    fn tar_gz_file(path: &Path, files: &[(&str, &str)]) {
        let gz = flate2::write::GzEncoder::new(File::create(path).unwrap(), Default::default());
        let mut tar = tar::Builder::new(gz);
        for (name, contents) in files {
            let mut header = tar_header(tar::EntryType::Regular, contents.len());
            tar.append_data(&mut header, name, contents.as_bytes())
                .unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
    }

    fn entry(path: &Path, kind: Kind) -> Entry {
        Entry {
            id: "alice".to_owned(),
            path: path.to_owned(),
            kind,
        }
    }

    fn read_default(entry: &Entry) -> Submission {
        read(entry, CHAPTERS, &Limits::default()).unwrap()
    }

    /// chapter -> sorted keys, with contents checked separately where it matters.
    fn keys(sub: &Submission) -> Vec<(String, Vec<String>)> {
        sub.chapters
            .iter()
            .map(|(c, files)| (c.clone(), files.keys().cloned().collect()))
            .collect()
    }

    fn owned(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        list.iter()
            .map(|(c, ks)| (c.to_string(), ks.iter().map(|k| k.to_string()).collect()))
            .collect()
    }

    /// A typical submission's files, under `wrapper`: what is taken and what must never be.
    fn typical(wrapper: &str) -> Vec<(String, &'static str)> {
        [
            ("01-sync-async/src/lib.rs", "pub fn one() {}"),
            ("01-sync-async/src/bin/tool.rs", "fn main() {}"),
            ("01-sync-async/src/notes.md", "not rust"),
            ("01-sync-async/Cargo.toml", "[package]"),
            ("01-sync-async/build.rs", "fn main() {}"),
            ("01-sync-async/tests/cheat.rs", "#[test] fn t() {}"),
            ("01-sync-async/target/debug/gen.rs", "generated"),
            ("02-processes/src/main.rs", "fn main() {}"),
            (".cargo/config.toml", "[build]"),
            ("rust-toolchain.toml", "[toolchain]"),
            ("scratch/src/main.rs", "fn main() {}"),
            ("course-launcher/src/main.rs", "fn main() {}"),
        ]
        .into_iter()
        .map(|(p, c)| (format!("{wrapper}{p}"), c))
        .collect()
    }

    fn expected_typical() -> Vec<(String, Vec<String>)> {
        owned(&[
            ("01-sync-async", &["bin/tool.rs", "lib.rs"]),
            ("02-processes", &["main.rs"]),
        ])
    }

    #[test]
    fn folder_with_wrapper_prefix() {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in typical("alice/exercises/") {
            write(dir.path(), &path, contents);
        }
        let sub = read_default(&entry(dir.path(), Kind::Folder));
        assert_eq!(keys(&sub), expected_typical());
        assert_eq!(sub.chapters["01-sync-async"]["lib.rs"], b"pub fn one() {}");
        assert_eq!(sub.notes, Vec::<String>::new());
    }

    #[test]
    fn zip_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.zip");
        let files = typical("exercises/");
        let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
        zip_file(&path, &files);
        let sub = read_default(&entry(&path, Kind::Zip));
        assert_eq!(keys(&sub), expected_typical());
        assert_eq!(sub.chapters["02-processes"]["main.rs"], b"fn main() {}");
        assert_eq!(sub.notes, Vec::<String>::new());
    }

    #[test]
    fn tar_gz_and_tgz_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let files = typical("");
        let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
        tar_gz_file(&dir.path().join("alice.tar.gz"), &files);
        tar_gz_file(&dir.path().join("bob.TGZ"), &files);
        let found = discover(dir.path()).unwrap();
        assert_eq!(
            found.entries,
            vec![
                Entry {
                    id: "alice".to_owned(),
                    path: dir.path().join("alice.tar.gz"),
                    kind: Kind::TarGz
                },
                Entry {
                    id: "bob".to_owned(),
                    path: dir.path().join("bob.TGZ"),
                    kind: Kind::TarGz
                },
            ]
        );
        for entry in &found.entries {
            let sub = read_default(entry);
            assert_eq!(keys(&sub), expected_typical(), "{}", entry.id);
            assert_eq!(
                sub.chapters["01-sync-async"]["bin/tool.rs"],
                b"fn main() {}"
            );
            assert_eq!(sub.notes, Vec::<String>::new());
        }
    }

    #[test]
    fn tar_with_dot_slash_names_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.tgz");
        tar_gz_file(&path, &[("./01-sync-async/src/lib.rs", "x")]);
        let sub = read_default(&entry(&path, Kind::TarGz));
        assert_eq!(keys(&sub), owned(&[("01-sync-async", &["lib.rs"])]));
        assert_eq!(sub.notes, Vec::<String>::new());
    }

    #[test]
    fn symlink_in_folder_is_skipped_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.rs");
        fs::write(&secret, "secret").unwrap();
        let root = dir.path().join("alice");
        write(&root, "01-sync-async/src/lib.rs", "mod linked;");
        std::os::unix::fs::symlink(&secret, root.join("01-sync-async/src/linked.rs")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("02-processes")).unwrap();
        let sub = read_default(&entry(&root, Kind::Folder));
        assert_eq!(keys(&sub), owned(&[("01-sync-async", &["lib.rs"])]));
        assert_eq!(
            sub.notes,
            vec![
                "01-sync-async/src/linked.rs: a symbolic link; skipped (submit the file itself)",
                "02-processes: a symbolic link; skipped (submit the file itself)",
            ]
        );
    }

    #[test]
    fn symlinks_in_tar_are_skipped_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.tar.gz");
        let gz = flate2::write::GzEncoder::new(File::create(&path).unwrap(), Default::default());
        let mut tar = tar::Builder::new(gz);
        let mut header = tar_header(tar::EntryType::Symlink, 0);
        tar.append_link(&mut header, "01-sync-async/src/lib.rs", "/etc/passwd")
            .unwrap();
        let mut header = tar_header(tar::EntryType::Link, 0);
        tar.append_link(&mut header, "01-sync-async/src/hard.rs", "/etc/shadow")
            .unwrap();
        let mut header = tar_header(tar::EntryType::Regular, 1);
        tar.append_data(&mut header, "01-sync-async/src/ok.rs", &b"k"[..])
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap();
        let sub = read_default(&entry(&path, Kind::TarGz));
        assert_eq!(keys(&sub), owned(&[("01-sync-async", &["ok.rs"])]));
        assert_eq!(
            sub.notes,
            vec![
                "01-sync-async/src/hard.rs: a hard link; skipped (submit the file itself)",
                "01-sync-async/src/lib.rs: a symbolic link; skipped (submit the file itself)",
            ]
        );
    }

    #[test]
    fn symlink_in_zip_is_skipped_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.zip");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        zip.add_symlink("01-sync-async/src/lib.rs", "/etc/passwd", options)
            .unwrap();
        zip.start_file("01-sync-async/src/ok.rs", options).unwrap();
        zip.write_all(b"k").unwrap();
        zip.finish().unwrap();
        let sub = read_default(&entry(&path, Kind::Zip));
        assert_eq!(keys(&sub), owned(&[("01-sync-async", &["ok.rs"])]));
        assert_eq!(
            sub.notes,
            vec!["01-sync-async/src/lib.rs: a symbolic link; skipped (submit the file itself)"]
        );
    }

    #[test]
    fn unsafe_paths_are_refused() {
        assert_eq!(check_path("a/b.rs"), Ok(vec!["a", "b.rs"]));
        assert_eq!(check_path("../x.rs"), Err(PathProblem::DotDot));
        assert_eq!(check_path("a/../../x.rs"), Err(PathProblem::DotDot));
        assert_eq!(check_path("a/./x.rs"), Err(PathProblem::Dot));
        assert_eq!(check_path("a//x.rs"), Err(PathProblem::Empty));
        assert_eq!(check_path(""), Err(PathProblem::Empty));
        assert_eq!(check_path("/etc/x.rs"), Err(PathProblem::Absolute));
        assert_eq!(check_path("C:/x.rs"), Err(PathProblem::Absolute));
        assert_eq!(check_path("a\\x.rs"), Err(PathProblem::Backslash));
        assert_eq!(check_path("a/x\0.rs"), Err(PathProblem::Nul));
    }

    #[test]
    fn dot_dot_and_absolute_paths_in_zip_are_noted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.zip");
        zip_file(
            &path,
            &[
                ("../01-sync-async/src/lib.rs", "evil"),
                ("01-sync-async/src/../../x.rs", "evil"),
                ("/01-sync-async/src/abs.rs", "evil"),
                ("01-sync-async\\src\\win.rs", "old tool"),
                ("01-sync-async/src/ok.rs", "ok"),
            ],
        );
        let sub = read_default(&entry(&path, Kind::Zip));
        assert_eq!(keys(&sub), owned(&[("01-sync-async", &["ok.rs"])]));
        assert_eq!(
            sub.notes,
            vec![
                "../01-sync-async/src/lib.rs: the path has a `..` component; skipped",
                "/01-sync-async/src/abs.rs: an absolute path; skipped",
                "01-sync-async/src/../../x.rs: the path has a `..` component; skipped",
                "01-sync-async\\src\\win.rs: the path contains a backslash (re-create the archive with a tool that writes `/`); skipped",
            ]
        );
    }

    #[test]
    fn dot_dot_path_in_tar_is_noted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.tar.gz");
        let gz = flate2::write::GzEncoder::new(File::create(&path).unwrap(), Default::default());
        let mut tar = tar::Builder::new(gz);
        // `set_path` refuses `..`, so the name is written into the header by hand.
        let mut header = tar_header(tar::EntryType::Regular, 4);
        let name = b"../01-sync-async/src/lib.rs";
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_cksum();
        tar.append(&header, &b"evil"[..]).unwrap();
        tar.into_inner().unwrap().finish().unwrap();
        let sub = read_default(&entry(&path, Kind::TarGz));
        assert_eq!(keys(&sub), vec![]);
        assert_eq!(
            sub.notes,
            vec!["../01-sync-async/src/lib.rs: the path has a `..` component; skipped"]
        );
    }

    #[test]
    fn file_over_the_cap_is_skipped_with_a_note() {
        let limits = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        let big = "x".repeat(11);
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("alice");
        write(&root, "02-processes/src/big.rs", &big);
        write(&root, "02-processes/src/lib.rs", "0123456789");
        let zip = dir.path().join("alice.zip");
        zip_file(
            &zip,
            &[
                ("02-processes/src/big.rs", &big),
                ("02-processes/src/lib.rs", "0123456789"),
            ],
        );
        let tgz = dir.path().join("alice.tgz");
        tar_gz_file(
            &tgz,
            &[
                ("02-processes/src/big.rs", &big),
                ("02-processes/src/lib.rs", "0123456789"),
            ],
        );
        for entry in [
            entry(&root, Kind::Folder),
            entry(&zip, Kind::Zip),
            entry(&tgz, Kind::TarGz),
        ] {
            let sub = read(&entry, CHAPTERS, &limits).unwrap();
            assert_eq!(
                keys(&sub),
                owned(&[("02-processes", &["lib.rs"])]),
                "{entry:?}"
            );
            assert_eq!(
                sub.notes,
                vec!["02-processes/src/big.rs: 11 bytes, over the 10 bytes limit; skipped"],
                "{entry:?}"
            );
        }
    }

    #[test]
    fn file_bigger_than_it_claims_is_skipped_with_a_note() {
        let limits = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        let mut intake = Intake {
            path: Path::new("alice.zip"),
            limits: &limits,
            notes: Notes::default(),
            total: 0,
            chapters: BTreeMap::new(),
        };
        let listed = Listed {
            chapter: "02-processes".to_owned(),
            key: "big.rs".to_owned(),
            shown: "02-processes/src/big.rs".to_owned(),
            source: Source::Index(0),
            declared: 3,
        };
        assert!(!intake.over_file_cap(&listed));
        let bytes = read_capped(&[b'x'; 100][..], limits.max_file_bytes).unwrap();
        assert_eq!(bytes.len(), 11);
        intake.store(listed, bytes).unwrap();
        let sub = intake.finish();
        assert!(sub.chapters.is_empty());
        assert_eq!(
            sub.notes,
            vec!["02-processes/src/big.rs: more than 10 bytes, over the 10 bytes limit; skipped"]
        );
    }

    #[test]
    fn total_over_the_cap_is_an_error() {
        let limits = Limits {
            max_total_bytes: 15,
            ..Limits::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.zip");
        zip_file(
            &path,
            &[
                ("01-sync-async/src/a.rs", "0123456789"),
                ("01-sync-async/src/b.rs", "0123456789"),
                // Not graded, so not counted.
                ("01-sync-async/tests/t.rs", &"x".repeat(1000)),
            ],
        );
        let err = read(&entry(&path, Kind::Zip), CHAPTERS, &limits).unwrap_err();
        assert!(
            matches!(err, IntakeError::TooLarge { limit: 15, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string().starts_with(&format!(
                "{}: holds more than 15 bytes of Rust source;",
                path.display()
            )),
            "{err}"
        );
        let fits = Limits {
            max_total_bytes: 20,
            ..Limits::default()
        };
        let sub = read(&entry(&path, Kind::Zip), CHAPTERS, &fits).unwrap();
        assert_eq!(keys(&sub), owned(&[("01-sync-async", &["a.rs", "b.rs"])]));
    }

    #[test]
    fn archive_over_the_cap_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.zip");
        zip_file(&path, &[("01-sync-async/src/lib.rs", &"x".repeat(500))]);
        let size = std::fs::metadata(&path).unwrap().len();
        let limits = Limits {
            max_archive_bytes: size - 1,
            ..Limits::default()
        };
        let err = read(&entry(&path, Kind::Zip), CHAPTERS, &limits).unwrap_err();
        assert!(err.to_string().contains("over the 0 MiB limit"), "{err}");
        let fits = Limits {
            max_archive_bytes: size,
            ..Limits::default()
        };
        assert!(read(&entry(&path, Kind::Zip), CHAPTERS, &fits).is_ok());
    }

    #[test]
    fn too_many_files_is_an_error() {
        let limits = Limits {
            max_files: 2,
            ..Limits::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("alice");
        write(&root, "01-sync-async/src/a.rs", "");
        write(&root, "01-sync-async/src/b.rs", "");
        write(&root, "01-sync-async/tests/c.rs", "");
        let sub = read(&entry(&root, Kind::Folder), CHAPTERS, &limits).unwrap();
        assert_eq!(keys(&sub), owned(&[("01-sync-async", &["a.rs", "b.rs"])]));
        write(&root, "02-processes/src/c.rs", "");
        let err = read(&entry(&root, Kind::Folder), CHAPTERS, &limits).unwrap_err();
        assert!(
            matches!(err, IntakeError::TooManyFiles { limit: 2, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("holds more than 2 .rs files;"),
            "{err}"
        );
    }

    #[test]
    fn corrupt_archives_are_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("alice.zip");
        fs::write(&zip, b"PK\x03\x04 this is not really a zip").unwrap();
        let err = read(&entry(&zip, Kind::Zip), CHAPTERS, &Limits::default()).unwrap_err();
        assert!(matches!(err, IntakeError::Unreadable { .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with(&format!("{}: not a valid .zip archive (", zip.display())),
            "{err}"
        );
        let tgz = dir.path().join("alice.tgz");
        fs::write(&tgz, b"\x1f\x8b not gzip either").unwrap();
        let err = read(&entry(&tgz, Kind::TarGz), CHAPTERS, &Limits::default()).unwrap_err();
        assert!(matches!(err, IntakeError::Unreadable { .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with(&format!("{}: not a valid .tar.gz archive (", tgz.display())),
            "{err}"
        );
    }

    #[test]
    fn shortest_wrapper_wins_and_the_other_copy_is_noted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.zip");
        zip_file(
            &path,
            &[
                ("backup/exercises/01-sync-async/src/lib.rs", "old"),
                ("backup/exercises/01-sync-async/src/extra.rs", "old"),
                ("exercises/01-sync-async/src/lib.rs", "new"),
                ("exercises/02-processes/src/lib.rs", "two"),
                (
                    "__MACOSX/exercises/02-processes/src/._lib.rs",
                    "resource fork",
                ),
            ],
        );
        let sub = read_default(&entry(&path, Kind::Zip));
        assert_eq!(
            keys(&sub),
            owned(&[
                ("01-sync-async", &["lib.rs"]),
                ("02-processes", &["lib.rs"])
            ])
        );
        assert_eq!(sub.chapters["01-sync-async"]["lib.rs"], b"new");
        assert_eq!(
            sub.notes,
            vec![
                "backup/exercises/01-sync-async/: a second copy of chapter 01-sync-async; graded exercises/01-sync-async/ instead"
            ]
        );
    }

    #[test]
    fn unknown_chapters_are_noted_and_other_folders_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("alice");
        write(&root, "exercises/03-pools/src/lib.rs", "");
        write(&root, "exercises/04-later/README.md", "");
        write(&root, "exercises/05-empty/src/notes.txt", "");
        write(&root, "exercises/test-support/src/lib.rs", "");
        write(&root, "exercises/01-sync-async/src/readme.txt", "");
        write(&root, "exercises/.git/01-sync-async/src/lib.rs", "");
        write(&root, "exercises/target/01-sync-async/src/lib.rs", "");
        write(&root, "exercises/02-processes/src/.hidden.rs", "");
        let sub = read_default(&entry(&root, Kind::Folder));
        // A chapter with no .rs files does not appear at all.
        assert_eq!(keys(&sub), vec![]);
        assert_eq!(
            sub.notes,
            vec![
                "exercises/03-pools/: not a chapter of this course (check the folder name); ignored"
            ]
        );
    }

    #[test]
    fn target_is_a_module_name_inside_src() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("alice");
        write(&root, "01-sync-async/src/target/mod.rs", "");
        write(&root, "01-sync-async/target/debug/build/out.rs", "");
        let sub = read_default(&entry(&root, Kind::Folder));
        assert_eq!(keys(&sub), owned(&[("01-sync-async", &["target/mod.rs"])]));
    }

    #[test]
    fn discover_lists_sorts_and_explains() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("carol")).unwrap();
        fs::create_dir(dir.path().join(".cache")).unwrap();
        fs::write(dir.path().join("alice.zip"), "").unwrap();
        fs::write(dir.path().join("bob.tar.gz"), "").unwrap();
        fs::write(dir.path().join("notes.txt"), "").unwrap();
        fs::write(dir.path().join(".DS_Store"), "").unwrap();
        std::os::unix::fs::symlink(dir.path().join("carol"), dir.path().join("dave")).unwrap();
        let found = discover(dir.path()).unwrap();
        let summary: Vec<(&str, Kind)> = found
            .entries
            .iter()
            .map(|e| (e.id.as_str(), e.kind))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("alice", Kind::Zip),
                ("bob", Kind::TarGz),
                ("carol", Kind::Folder)
            ]
        );
        assert_eq!(found.entries[2].path, dir.path().join("carol"));
        assert_eq!(
            found.ignored,
            vec![
                "dave: a symbolic link; skipped (copy the submission itself into the folder)",
                "notes.txt: not a folder, .zip or .tar.gz; skipped",
            ]
        );
    }

    #[test]
    fn discover_refuses_two_submissions_for_one_student() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("alice")).unwrap();
        fs::write(dir.path().join("alice.zip"), "").unwrap();
        let err = discover(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("two submissions for the student `alice`"),
            "{err}"
        );
        assert!(
            err.contains(&dir.path().join("alice").display().to_string()),
            "{err}"
        );
        assert!(
            err.contains(&dir.path().join("alice.zip").display().to_string()),
            "{err}"
        );
        assert!(err.contains("keep one of them"), "{err}");
    }

    #[test]
    fn discover_names_a_missing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = format!("{:#}", discover(&missing).unwrap_err());
        assert!(
            err.starts_with(&format!(
                "cannot read the submissions folder {}",
                missing.display()
            )),
            "{err}"
        );
    }

    #[test]
    fn notes_are_capped() {
        let mut notes = Notes::default();
        for i in 0..MAX_NOTES + 5 {
            notes.add(format!("note {i:03}"));
        }
        notes.add("note 000".to_owned());
        let lines = notes.finish();
        assert_eq!(lines.len(), MAX_NOTES + 1);
        assert_eq!(lines[0], "note 000");
        assert_eq!(
            lines[MAX_NOTES],
            "... and 5 more notes like these, left out"
        );
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(900), "900 bytes");
        assert_eq!(human_size(12 << 10), "12 KiB");
        assert_eq!(human_size(3 << 20), "3 MiB");
        assert_eq!(human_size(3 << 19), "1.5 MiB");
    }
}
