//! Where things are: the repository, the learner's `exercises/` folder, and the agreement
//! between the manifest and the folders on disk.
//!
//! One chapter id names three folders (`src/<id>/`, `exercises/<id>/`, `solutions/<id>/`), so
//! most of the checks here are about those three staying in step with `course.toml`.

use crate::files;
use crate::manifest::{self, Chapter, GIVEN_END, GIVEN_MARKER, GIVEN_START, Manifest};
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// An opened course: where it lives and what its manifest says.
#[derive(Debug, Clone)]
pub struct Course {
    /// The repository root (book.toml, solutions/, crates/).
    pub repo: PathBuf,
    /// The exercises workspace: the repository's own, or a learner's copy.
    pub exercises: PathBuf,
    /// The parsed `exercises/course.toml`.
    pub manifest: Manifest,
}

/// A broken rule, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    /// The file, folder or test the rule is about.
    pub place: String,
    /// What is wrong.
    pub problem: String,
    /// What to do.
    pub fix: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; {}", self.place, self.problem, self.fix)
    }
}

impl Violation {
    pub fn new(
        place: impl fmt::Display,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Violation {
            place: place.to_string(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

/// The repository this crate was built from: the parent of the `exercises/` folder that holds
/// it. In a copy of `exercises/` handed out alone, that folder has no `solutions/` or `crates/`,
/// and the commands that need them say so.
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    here.canonicalize().unwrap_or(here)
}

/// Finds the exercises folder for a learner command: the nearest folder at or above `start`
/// that holds `course.toml`, or an `exercises/course.toml` beside one of those folders.
pub fn find_exercises(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        if dir.join(manifest::FILE_NAME).is_file() {
            Some(dir.to_owned())
        } else if dir.join("exercises").join(manifest::FILE_NAME).is_file() {
            Some(dir.join("exercises"))
        } else {
            None
        }
    })
}

impl Course {
    /// Opens the course in the repository at `repo`, with its own `exercises/`.
    pub fn open_repo(repo: &Path) -> Result<Course> {
        Course::open(repo, &repo.join("exercises"))
    }

    /// Opens the course for a learner: `exercises` if given, else the exercises folder found
    /// from the current directory, else the repository's own. The repository is the folder
    /// that holds that exercises folder (where `solutions/` is, when the learner has it).
    pub fn open_for_learner(exercises: Option<&Path>) -> Result<Course> {
        let exercises = match exercises {
            Some(dir) => dir.to_owned(),
            None => std::env::current_dir()
                .ok()
                .and_then(|cwd| find_exercises(&cwd))
                .unwrap_or_else(|| repo_root().join("exercises")),
        };
        let exercises = std::path::absolute(&exercises).unwrap_or(exercises);
        let repo = exercises.parent().map_or_else(repo_root, Path::to_owned);
        Course::open(&repo, &exercises)
    }

    /// Opens the course with an explicit repository and exercises folder.
    ///
    /// Fails with a one-line message if the manifest is missing or malformed, or if the
    /// exercises folder holds a chapter folder the manifest does not list.
    pub fn open(repo: &Path, exercises: &Path) -> Result<Course> {
        if !exercises.is_dir() {
            bail!(
                "{}: no such folder; pass the folder that holds course.toml with --exercises",
                exercises.display()
            );
        }
        let manifest = Manifest::load(&exercises.join(manifest::FILE_NAME))?;
        let course = Course {
            repo: repo.to_owned(),
            exercises: exercises.to_owned(),
            manifest,
        };
        if let Some(v) = course
            .unlisted_folders(&course.exercises)
            .into_iter()
            .next()
        {
            bail!("{v}");
        }
        Ok(course)
    }

    /// The manifest's path.
    pub fn manifest_path(&self) -> PathBuf {
        self.exercises.join(manifest::FILE_NAME)
    }

    /// The learner's crate for a chapter.
    pub fn exercise_dir(&self, chapter: &Chapter) -> PathBuf {
        self.exercises.join(&chapter.id)
    }

    /// The file the learner writes for an exercise: its own module, `src/<id>.rs` in the
    /// chapter's crate, where there is one; else the crate's `src/` folder.
    pub fn exercise_file(&self, chapter: &Chapter, exercise: &manifest::Exercise) -> PathBuf {
        let src = self.exercise_dir(chapter).join("src");
        let module = src.join(format!("{}.rs", exercise.id));
        if module.is_file() { module } else { src }
    }

    /// The reference solution's crate for a chapter.
    pub fn solution_dir(&self, chapter: &Chapter) -> PathBuf {
        self.repo.join("solutions").join(&chapter.id)
    }

    /// Fails with one line, naming what to get, when this copy of the course has no reference
    /// solutions: `what` (a command) needs them. A class is often handed the exercises alone.
    pub fn require_solutions(&self, what: &str) -> Result<()> {
        let solutions = self.repo.join("solutions");
        if !solutions.is_dir() {
            bail!(
                "{}: not found, and {what} runs the reference solutions; get the whole course repository \
                 (with its solutions/ folder) and run it there",
                solutions.display()
            );
        }
        Ok(())
    }

    /// The book's source folder.
    pub fn book_src(&self) -> PathBuf {
        self.repo.join("src")
    }

    /// The chapter with this id, or an error that lists the valid ones.
    pub fn chapter(&self, id: &str) -> Result<&Chapter> {
        self.manifest.chapter(id).with_context(|| {
            format!(
                "no chapter `{id}` in {}; valid chapters: {}",
                self.manifest_path().display(),
                self.manifest.chapter_ids().join(", ")
            )
        })
    }

    /// Chapter folders (`NN-name`) under `dir` that the manifest does not list.
    pub fn unlisted_folders(&self, dir: &Path) -> Vec<Violation> {
        let listed: BTreeSet<&str> = self.manifest.chapter_ids().into_iter().collect();
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|name| manifest::is_chapter_id(name) && !listed.contains(name.as_str()))
            .collect();
        found.sort();
        found
            .into_iter()
            .map(|name| {
                Violation::new(
                    dir.join(&name).display(),
                    format!(
                        "this chapter folder is not in {}",
                        self.manifest_path().display()
                    ),
                    format!(
                        "add a [[chapters]] entry with id = \"{name}\" there, or remove the folder"
                    ),
                )
            })
            .collect()
    }

    /// Every disagreement between the manifest and the tree for one chapter: the three
    /// folders, the package names, the test files, the solution's test list, the snapshots.
    pub fn chapter_violations(&self, chapter: &Chapter) -> Vec<Violation> {
        let mut out = Vec::new();
        let manifest = self.manifest_path();
        let exercise_dir = self.exercise_dir(chapter);
        let solution_dir = self.solution_dir(chapter);

        let page = self.book_src().join(&chapter.page);
        if !page.is_file() {
            out.push(Violation::new(
                page.display(),
                "the chapter's book page does not exist",
                format!(
                    "write it, or fix `page` for `{}` in {}",
                    chapter.id,
                    manifest.display()
                ),
            ));
        }

        for (dir, what) in [(&exercise_dir, "exercise"), (&solution_dir, "solution")] {
            let toml = dir.join("Cargo.toml");
            match package_name(&toml) {
                Ok(name) if name == chapter.package() => {}
                Ok(name) => out.push(Violation::new(
                    toml.display(),
                    format!("the {what} package is `{name}`"),
                    format!(
                        "name it `{}` (the chapter id without its number)",
                        chapter.package()
                    ),
                )),
                Err(err) => out.push(Violation::new(
                    toml.display(),
                    format!("the {what} crate is missing or unreadable ({err:#})"),
                    format!("create the {what} crate for `{}`", chapter.id),
                )),
            }
        }

        match crate::pristine::differences(self, chapter) {
            Ok(files) if files.is_empty() => {}
            Ok(files) => out.push(Violation::new(
                self.pristine_src(chapter).display(),
                format!(
                    "the handed-out copy `cargo course reset` restores is not the stub: {}",
                    files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "write it anew with `cargo course check --write-pristine` at the repository root",
            )),
            Err(err) => out.push(Violation::new(
                self.pristine_src(chapter).display(),
                format!("cannot compare the handed-out copy with the stub ({err:#})"),
                "fix the file named in the message",
            )),
        }

        let tests_dir = exercise_dir.join("tests");
        let on_disk = rust_files(&tests_dir);
        for exercise in &chapter.exercises {
            if !on_disk.contains(&exercise.test) {
                out.push(Violation::new(
                    tests_dir.join(format!("{}.rs", exercise.test)).display(),
                    format!("exercise `{}` has no test file", exercise.id),
                    format!(
                        "write it, or fix `test` for `{}` in {}",
                        exercise.id,
                        manifest.display()
                    ),
                ));
            }
        }
        for file in &on_disk {
            if chapter.exercise_for_test(file).is_none() {
                out.push(Violation::new(
                    tests_dir.join(format!("{file}.rs")).display(),
                    "this test file belongs to no exercise",
                    format!(
                        "add an exercise with test = \"{file}\" to {}",
                        manifest.display()
                    ),
                ));
            }
        }

        let solution_toml = solution_dir.join("Cargo.toml");
        if let Ok(declared) = solution_tests(&solution_toml) {
            let wanted: BTreeSet<(String, String)> = chapter
                .exercises
                .iter()
                .map(|e| {
                    let path = format!("../../exercises/{}/tests/{}.rs", chapter.id, e.test);
                    (e.test.clone(), path)
                })
                .collect();
            for (name, path) in wanted.difference(&declared) {
                out.push(Violation::new(
                    solution_toml.display(),
                    format!("test `{name}` is not run on the solution"),
                    format!("add [[test]] name = \"{name}\" path = \"{path}\""),
                ));
            }
            for (name, path) in declared.difference(&wanted) {
                out.push(Violation::new(
                    solution_toml.display(),
                    format!("[[test]] `{name}` at `{path}` is not an exercise's test file"),
                    "point each [[test]] at ../../exercises/<id>/tests/<test>.rs, one per exercise",
                ));
            }
        }

        self.given_violations(chapter, &mut out);

        let snapshots = tests_dir.join("snapshots");
        let files = file_names(&snapshots);
        if !files.iter().any(|f| f.ends_with(".snap")) {
            out.push(Violation::new(
                snapshots.display(),
                "the chapter has no committed insta snapshot",
                "add at least one insta::assert_snapshot! and commit its .snap file",
            ));
        }
        for pending in files
            .iter()
            .filter(|f| f.ends_with(".snap.new") || f.ends_with(".pending-snap"))
        {
            out.push(Violation::new(
                snapshots.join(pending).display(),
                "an unreviewed snapshot",
                "review it (cargo insta review, or rename it to .snap after reading it) or delete it",
            ));
        }
        out
    }

    /// Disagreements that concern the whole course: chapter folders that the manifest does not
    /// list, and SUMMARY.md not listing the chapters with their titles, in order.
    pub fn course_violations(&self) -> Vec<Violation> {
        let mut out = self.unlisted_folders(&self.exercises);
        out.extend(self.unlisted_folders(&self.repo.join("solutions")));
        out.extend(self.unlisted_folders(&self.book_src()));

        let summary = self.book_src().join("SUMMARY.md");
        match std::fs::read_to_string(&summary) {
            Err(err) => out.push(Violation::new(
                summary.display(),
                format!("cannot read it ({err})"),
                "the book needs a SUMMARY.md",
            )),
            Ok(text) => {
                let listed = summary_chapters(&text);
                let wanted: Vec<(String, String)> = self
                    .manifest
                    .chapters
                    .iter()
                    .map(|c| (c.title.clone(), c.page.clone()))
                    .collect();
                if listed != wanted {
                    let show = |v: &[(String, String)]| {
                        v.iter()
                            .map(|(t, p)| format!("[{t}]({p})"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    out.push(Violation::new(
                        summary.display(),
                        format!("lists the chapters as {}", show(&listed)),
                        format!(
                            "list them as in {}: {}",
                            self.manifest_path().display(),
                            show(&wanted)
                        ),
                    ));
                }
            }
        }
        out
    }
}

impl Course {
    /// The rules for what the course gives: every file in the chapter's `given` exists, opens
    /// with [`GIVEN_MARKER`] and is taken by the solution from the exercise by path (and nothing
    /// else is), and every [`GIVEN_START`] part of a stub is the same in the solution, apart from
    /// the solution's `#[path]` lines (a `lib.rs` that declares the modules is one such part).
    fn given_violations(&self, chapter: &Chapter, out: &mut Vec<Violation>) {
        let manifest = self.manifest_path();
        let exercise_src = self.exercise_dir(chapter).join("src");
        let solution = self.solution_dir(chapter);
        let solution_src = solution.join("src");
        let in_manifest = format!("`given` of `{}` in {}", chapter.id, manifest.display());
        for file in &chapter.given {
            let path = exercise_src.join(file);
            match std::fs::read_to_string(&path) {
                Err(_) => out.push(Violation::new(
                    path.display(),
                    "listed as given, but the file is not there",
                    format!("write it, or remove it from {in_manifest}"),
                )),
                Ok(text) if text.lines().next() != Some(GIVEN_MARKER) => out.push(Violation::new(
                    path.display(),
                    "a given file that does not open with the given line",
                    format!("make its first line `{GIVEN_MARKER}`"),
                )),
                Ok(_) => {}
            }
            if solution_src.join(file).exists() {
                out.push(Violation::new(
                    solution_src.join(file).display(),
                    "the solution keeps its own copy of a given file",
                    "delete it and take the exercise's copy by path",
                ));
            }
        }
        if !solution.join("Cargo.toml").is_file() {
            return; // reported with the package names
        }
        let taken = match taken_by_path(&solution, &exercise_src) {
            Ok(taken) => taken,
            Err(err) => {
                out.push(Violation::new(
                    solution.display(),
                    format!("cannot tell which files it takes by path ({err:#})"),
                    "fix the file named in the message",
                ));
                return;
            }
        };
        let declared: BTreeSet<String> = chapter.given.iter().cloned().collect();
        for file in taken.difference(&declared) {
            out.push(Violation::new(
                solution.display(),
                format!(
                    "takes exercises/{}/src/{file} by path, but it is not listed as given",
                    chapter.id
                ),
                format!("add \"{file}\" to {in_manifest}"),
            ));
        }
        for file in declared.difference(&taken) {
            out.push(Violation::new(
                solution.display(),
                format!("does not take the given {file} from the exercise"),
                format!(
                    "take it by path (`#[path = \"../../../exercises/{}/src/{file}\"]`, or a [[bin]] path), or remove it from {in_manifest}",
                    chapter.id
                ),
            ));
        }
        for file in files::course_files(&exercise_src).unwrap_or_default() {
            if file.path.extension().is_none_or(|x| x != "rs")
                || declared.contains(&slashed(&file.rel))
            {
                continue;
            }
            let stub = std::fs::read_to_string(&file.path).unwrap_or_default();
            let theirs = solution_src.join(&file.rel);
            let solved = std::fs::read_to_string(&theirs).ok();
            let wanted = given_parts(&stub);
            if wanted.is_empty() {
                continue;
            }
            if solved.as_deref().map(given_parts) != Some(wanted) {
                out.push(Violation::new(
                    theirs.display(),
                    format!(
                        "differs from exercises/{}/src/{} between the given lines",
                        chapter.id,
                        file.rel.display(),
                    ),
                    "make each given part the same, byte for byte, in the stub and the solution (only #[path] lines may differ)",
                ));
            }
        }
    }
}

/// The files under `exercise_src` that the solution crate at `solution` takes by path: its
/// Cargo.toml's `[lib]` and `[[bin]]` paths and the `#[path = "..."]` attributes in its sources
/// (read relative to the file's folder, which is right for `lib.rs`, `main.rs` and `mod.rs`).
pub fn taken_by_path(solution: &Path, exercise_src: &Path) -> Result<BTreeSet<String>> {
    let doc = read_toml(&solution.join("Cargo.toml"))?;
    let path_of = |t: &toml::Value| t.get("path").and_then(|p| p.as_str()).map(str::to_owned);
    let mut paths: Vec<PathBuf> = Vec::new();
    paths.extend(doc.get("lib").and_then(path_of).map(|p| solution.join(p)));
    for bin in doc
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
    {
        paths.extend(path_of(bin).map(|p| solution.join(p)));
    }
    for file in files::course_files(&solution.join("src"))? {
        if file.path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file.path)
            .with_context(|| format!("cannot read {}", file.path.display()))?;
        let dir = file.path.parent().unwrap_or(solution);
        paths.extend(text.lines().filter_map(path_attribute).map(|p| dir.join(p)));
    }
    let Ok(src) = exercise_src.canonicalize() else {
        return Ok(BTreeSet::new());
    };
    Ok(paths
        .into_iter()
        .filter_map(|p| p.canonicalize().ok())
        .filter_map(|p| p.strip_prefix(&src).ok().map(slashed))
        .collect())
}

/// The path in a `#[path = "..."]` line.
fn path_attribute(line: &str) -> Option<&str> {
    let rest = line
        .trim()
        .strip_prefix("#[path")?
        .trim_start()
        .strip_prefix('=')?;
    rest.trim().strip_prefix('"')?.split('"').next()
}

/// Every part between a [`GIVEN_START`] line and the next [`GIVEN_END`] line, both included,
/// without its `#[path = ...]` lines (a solution takes given modules by path; a stub need not).
fn given_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        if line == GIVEN_START {
            current = Some(Vec::new());
        }
        if let Some(part) = current.as_mut() {
            if path_attribute(line).is_none() {
                part.push(line);
            }
            if line == GIVEN_END {
                parts.push(part.join("\n"));
                current = None;
            }
        }
    }
    // A part that is never closed still counts, so a lost end line cannot hide a difference.
    parts.extend(current.map(|part| part.join("\n")));
    parts
}

/// A relative path with `/` between its parts, as course.toml writes it.
fn slashed(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The `(title, path)` of every SUMMARY.md entry whose page sits in a chapter folder.
pub fn summary_chapters(summary: &str) -> Vec<(String, String)> {
    summary
        .lines()
        .filter_map(|line| {
            // Top-level entries only: sub-pages of a chapter are indented.
            let line = line.strip_prefix("- [")?;
            let (title, rest) = line.split_once("](")?;
            let (path, _) = rest.split_once(')')?;
            let folder = path.split('/').next()?;
            (path.contains('/') && manifest::is_chapter_id(folder))
                .then(|| (title.to_owned(), path.to_owned()))
        })
        .collect()
}

/// The `package.name` in a Cargo.toml.
pub fn package_name(cargo_toml: &Path) -> Result<String> {
    let doc = read_toml(cargo_toml)?;
    doc.get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_owned)
        .with_context(|| format!("{}: no package.name", cargo_toml.display()))
}

/// The `(name, path)` of every `[[test]]` in a Cargo.toml.
fn solution_tests(cargo_toml: &Path) -> Result<BTreeSet<(String, String)>> {
    let doc = read_toml(cargo_toml)?;
    let tests = doc
        .get("test")
        .and_then(|t| t.as_array())
        .cloned()
        .unwrap_or_default();
    Ok(tests
        .iter()
        .map(|t| {
            let get = |k: &str| {
                t.get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            (get("name"), get("path"))
        })
        .collect())
}

/// Parses a TOML file, naming it in any error.
pub fn read_toml(path: &Path) -> Result<toml::Table> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{} is not valid TOML", path.display()))
}

/// The stems of the `.rs` files directly inside `dir`.
fn rust_files(dir: &Path) -> BTreeSet<String> {
    file_names(dir)
        .into_iter()
        .filter_map(|f| f.strip_suffix(".rs").map(str::to_owned))
        .collect()
}

/// The names of the files directly inside `dir` (none if it does not exist).
fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_attributes_and_given_parts_are_read_from_source_text() {
        assert_eq!(
            path_attribute(r#"  #[path = "../../../exercises/03-pools/src/worker.rs"]"#),
            Some("../../../exercises/03-pools/src/worker.rs")
        );
        assert_eq!(path_attribute("pub mod worker;"), None);
        let text =
            format!("a\n{GIVEN_START}\n#[path = \"x.rs\"]\nb\n{GIVEN_END}\nc\n{GIVEN_START}\nd\n");
        assert_eq!(
            given_parts(&text),
            [
                format!("{GIVEN_START}\nb\n{GIVEN_END}"),
                format!("{GIVEN_START}\nd")
            ]
        );
    }

    #[test]
    fn summary_chapters_reads_only_chapter_pages() {
        let text = "# Summary\n\n[Introduction](introduction.md)\n\n- [Sync](01-sync-async/index.md)\n  - [Deeper](01-sync-async/deeper.md)\n- [Glossary](glossary.md)\n";
        assert_eq!(
            summary_chapters(text),
            vec![("Sync".to_owned(), "01-sync-async/index.md".to_owned())]
        );
    }
}
