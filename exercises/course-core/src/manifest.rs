//! The course manifest, `exercises/course.toml`: the one list of chapters and exercises.
//!
//! Everything else (the checker, the progress table, hints, the book's tests) reads this list
//! instead of keeping its own, so adding a chapter means adding it here and nowhere else.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// The file name of the manifest inside the exercises folder.
pub const FILE_NAME: &str = "course.toml";

/// The first line of every given file (see [`Chapter::given`]), so a learner who opens one reads
/// at once that it is not theirs to change.
pub const GIVEN_MARKER: &str =
    "// Given by the course, whole: use it as it is (the grader always uses the course's copy).";

/// Opens a given part inside a learner's file: items the stub and the solution share (the types
/// the tests use). `cargo course check` proves the part is the same, byte for byte, on both sides.
pub const GIVEN_START: &str =
    "// Given by the course, down to the end-of-given line: keep it as it is.";

/// Closes a part opened by [`GIVEN_START`].
pub const GIVEN_END: &str = "// End of given.";

/// The parsed `course.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The chapters, in book order.
    pub chapters: Vec<Chapter>,
}

/// Defines an id type: a `String` that passed `valid` when it was made, and reads as a `&str`.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $valid:path, $what:literal, $shape:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(id: String) -> Result<$name, String> {
                if $valid(&id) {
                    Ok($name(id))
                } else {
                    Err(format!(concat!($what, " id `{}` is not ", $shape), id))
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(id: &str) -> Result<$name, String> {
                $name::try_from(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<Path> for $name {
            fn as_ref(&self) -> &Path {
                Path::new(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }
    };
}

id_type!(
    /// A chapter's id, `NN-name` (`01-sync-async`): it names the book's folder, the exercise
    /// crate and the solution crate. Checked when course.toml is read.
    ChapterId,
    is_chapter_id,
    "chapter",
    "of the form NN-name (two digits, a dash and a lowercase name, like `01-sync-async`)"
);

id_type!(
    /// An exercise's id (`round_robin`): the name learners type, and the test file's name
    /// unless the exercise names another. Checked when course.toml is read.
    ExerciseId,
    is_exercise_id,
    "exercise",
    "a lowercase name of letters, digits and underscores, like `round_robin`"
);

/// Whether `name` has the form of an exercise id: lowercase letters, digits and underscores.
pub fn is_exercise_id(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// One chapter: a book page, an exercise crate and a solution crate that share its id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// `NN-name`, for example `01-sync-async`.
    pub id: ChapterId,
    /// The title, as the book's SUMMARY.md shows it.
    pub title: String,
    /// The chapter's page, relative to the book's `src/`: `<id>/index.md` unless given.
    #[serde(default)]
    pub page: String,
    /// The files under the exercise's `src/` that the course gives whole, such as a `main.rs`
    /// that dispatches roles: the reference solution takes them from the exercise by path, and
    /// the grader always uses the course's copy. Each opens with [`GIVEN_MARKER`].
    #[serde(default)]
    pub given: Vec<String>,
    /// The exercises, in the order the chapter introduces them.
    #[serde(default)]
    pub exercises: Vec<Exercise>,
}

/// One exercise: one integration-test target of the chapter's crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// The name learners type, for example `course hint sequential`. Unique in the course.
    pub id: ExerciseId,
    /// The test target: `tests/<test>.rs` in the chapter's crate; the exercise's id unless given.
    #[serde(default)]
    pub test: String,
    /// A nudge for a stuck learner.
    pub hint: String,
    /// What the exercise is worth when all its tests pass.
    pub points: u32,
}

/// Why `course.toml` could not be used. Every message names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file is not there.
    #[error(
        "{path}: not found; run the command inside the course repository or its exercises/ folder"
    )]
    Missing { path: PathBuf },
    /// The file could not be read.
    #[error("{path}: cannot read it ({source}); check its permissions")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the manifest's shape.
    #[error(
        "{path}: {message}; fix that line (the comment at the top of the file shows the format)"
    )]
    Malformed { path: PathBuf, message: String },
    /// The file parses but says something impossible.
    #[error("{path}: {message}; {fix}")]
    Invalid {
        path: PathBuf,
        message: String,
        fix: String,
    },
}

impl Manifest {
    /// Reads and validates the manifest at `path`.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                ManifestError::Missing {
                    path: path.to_owned(),
                }
            } else {
                ManifestError::Unreadable {
                    path: path.to_owned(),
                    source,
                }
            }
        })?;
        Self::parse(&text, path)
    }

    /// Parses and validates manifest text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest, ManifestError> {
        let mut manifest: Manifest =
            toml::from_str(text).map_err(|err| ManifestError::Malformed {
                path: path.to_owned(),
                message: one_line(&err),
            })?;
        // What is the same for nearly every entry is derived, not written out each time.
        for chapter in &mut manifest.chapters {
            if chapter.page.is_empty() {
                chapter.page = format!("{}/index.md", chapter.id);
            }
            for exercise in &mut chapter.exercises {
                if exercise.test.is_empty() {
                    exercise.test = exercise.id.to_string();
                }
            }
        }
        manifest.validate(path)?;
        Ok(manifest)
    }

    fn validate(&self, path: &Path) -> Result<(), ManifestError> {
        let invalid = |message: String, fix: &str| ManifestError::Invalid {
            path: path.to_owned(),
            message,
            fix: fix.to_owned(),
        };
        let mut chapter_ids = BTreeSet::new();
        let mut exercise_ids = BTreeSet::new();
        for chapter in &self.chapters {
            // The ids' shapes were checked as the file was read (`ChapterId`, `ExerciseId`).
            if !chapter_ids.insert(chapter.id.as_str()) {
                return Err(invalid(
                    format!("chapter `{}` is listed twice", chapter.id),
                    "remove one of the two [[chapters]] entries",
                ));
            }
            if chapter.exercises.is_empty() {
                return Err(invalid(
                    format!("chapter `{}` has no exercises", chapter.id),
                    "add at least one [[chapters.exercises]] entry under it",
                ));
            }
            let mut given = BTreeSet::new();
            for file in &chapter.given {
                let plain = Path::new(file)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
                if !plain || !file.ends_with(".rs") {
                    return Err(invalid(
                        format!("`given` of `{}` names `{file}`", chapter.id),
                        "name .rs files by their path under the exercise's src/, like \"main.rs\"",
                    ));
                }
                if !given.insert(file.as_str()) {
                    return Err(invalid(
                        format!("`given` of `{}` names `{file}` twice", chapter.id),
                        "name each file once",
                    ));
                }
            }
            let mut tests = BTreeSet::new();
            for exercise in &chapter.exercises {
                if !exercise_ids.insert(exercise.id.as_str()) {
                    return Err(invalid(
                        format!("exercise `{}` is listed twice", exercise.id),
                        "exercise ids must be unique across the course; rename one",
                    ));
                }
                if !tests.insert(exercise.test.as_str()) {
                    return Err(invalid(
                        format!(
                            "test target `{}` belongs to two exercises in `{}`",
                            exercise.test, chapter.id
                        ),
                        "give each exercise its own tests/<test>.rs",
                    ));
                }
                if exercise.hint.trim().is_empty() {
                    return Err(invalid(
                        format!("exercise `{}` has an empty hint", exercise.id),
                        "write a hint of a few lines",
                    ));
                }
                if exercise.points == 0 {
                    return Err(invalid(
                        format!("exercise `{}` is worth 0 points", exercise.id),
                        "give it at least 1 point",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The chapter with this id.
    pub fn chapter(&self, id: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.id == id)
    }

    /// The exercise with this id, and its chapter.
    pub fn exercise(&self, id: &str) -> Option<(&Chapter, &Exercise)> {
        self.chapters
            .iter()
            .flat_map(|c| c.exercises.iter().map(move |e| (c, e)))
            .find(|(_, e)| e.id == id)
    }

    /// Every exercise id, in course order.
    pub fn exercise_ids(&self) -> Vec<&str> {
        self.chapters
            .iter()
            .flat_map(|c| c.exercises.iter().map(|e| e.id.as_str()))
            .collect()
    }

    /// Every chapter id, in course order.
    pub fn chapter_ids(&self) -> Vec<&str> {
        self.chapters.iter().map(|c| c.id.as_str()).collect()
    }
}

impl Chapter {
    /// The Cargo package name: the id without its number (`01-sync-async` -> `sync-async`).
    pub fn package(&self) -> &str {
        package_of(&self.id)
    }

    /// The exercise whose test target is `test`.
    pub fn exercise_for_test(&self, test: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.test == test)
    }

    /// The points the whole chapter is worth.
    pub fn points(&self) -> u32 {
        self.exercises.iter().map(|e| e.points).sum()
    }
}

impl fmt::Display for Chapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.title)
    }
}

/// The package name for a chapter id.
pub fn package_of(id: &str) -> &str {
    id.split_once('-').map_or(id, |(_, rest)| rest)
}

/// Whether `name` has the form of a chapter folder: two digits, a dash, a lowercase name.
pub fn is_chapter_id(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() > 3
        && bytes[0].is_ascii_digit()
        && bytes[1].is_ascii_digit()
        && bytes[2] == b'-'
        && name[3..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Folds a multi-line parser message into one line.
fn one_line(err: &dyn fmt::Display) -> String {
    err.to_string()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '|' || c == '^' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_drops_the_number() {
        assert_eq!(package_of("01-sync-async"), "sync-async");
        assert_eq!(package_of("07-crawler"), "crawler");
    }

    #[test]
    fn chapter_ids_have_a_shape() {
        assert!(is_chapter_id("01-sync-async"));
        assert!(!is_chapter_id("1-sync"));
        assert!(!is_chapter_id("course-launcher"));
        assert!(!is_chapter_id("01-"));
    }

    #[test]
    fn ids_are_checked_as_the_file_is_read() {
        let manifest = |chapter: &str, exercise: &str| {
            format!(
                "[[chapters]]\nid = \"{chapter}\"\ntitle = \"A\"\n\
                 [[chapters.exercises]]\nid = \"{exercise}\"\nhint = \"h\"\npoints = 1\n"
            )
        };
        let parse = |c: &str, e: &str| Manifest::parse(&manifest(c, e), Path::new("course.toml"));
        let ok = parse("01-a", "round_robin").unwrap();
        assert_eq!(ok.chapters[0].id, "01-a");
        assert_eq!(ok.chapters[0].package(), "a");
        assert_eq!(ok.chapters[0].exercises[0].id.as_str(), "round_robin");
        let err = parse("1-a", "x").unwrap_err().to_string();
        assert!(
            err.contains("chapter id `1-a` is not of the form NN-name"),
            "{err}"
        );
        assert!(err.starts_with("course.toml: "), "names the file: {err}");
        let err = parse("01-a", "Round-Robin").unwrap_err().to_string();
        assert!(
            err.contains("exercise id `Round-Robin` is not a lowercase name"),
            "{err}"
        );
        assert!("02-b".parse::<ChapterId>().is_ok());
        assert!("02".parse::<ChapterId>().is_err());
    }

    #[test]
    fn page_and_test_default_to_the_ids() {
        let text = r#"
[[chapters]]
id = "01-a"
title = "A"
[[chapters.exercises]]
id = "x"
hint = "h"
points = 1
[[chapters.exercises]]
id = "y"
test = "why"
hint = "h"
points = 1
"#;
        let manifest = Manifest::parse(text, Path::new("course.toml")).unwrap();
        let chapter = &manifest.chapters[0];
        assert_eq!(chapter.page, "01-a/index.md");
        assert!(chapter.given.is_empty());
        assert_eq!(chapter.exercises[0].test, "x");
        assert_eq!(chapter.exercises[1].test, "why");
    }

    #[test]
    fn given_files_are_plain_paths_under_src() {
        let chapter = |given: &str| {
            format!(
                "[[chapters]]\nid = \"01-a\"\ntitle = \"A\"\ngiven = [{given}]\n\
                 [[chapters.exercises]]\nid = \"x\"\nhint = \"h\"\npoints = 1\n"
            )
        };
        let parse = |given: &str| Manifest::parse(&chapter(given), Path::new("course.toml"));
        assert!(parse(r#""main.rs", "pool/worker.rs""#).is_ok());
        for bad in [
            r#""../x.rs""#,
            r#""/etc/x.rs""#,
            r#""notes.txt""#,
            r#""a.rs", "a.rs""#,
        ] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(err.contains("given"), "{bad}: {err}");
        }
    }

    #[test]
    fn duplicate_exercise_is_rejected() {
        let text = r#"
[[chapters]]
id = "01-a"
title = "A"
page = "01-a/index.md"
[[chapters.exercises]]
id = "x"
test = "x"
hint = "h"
points = 1
[[chapters.exercises]]
id = "x"
test = "y"
hint = "h"
points = 1
"#;
        let err = Manifest::parse(text, Path::new("course.toml")).unwrap_err();
        assert!(err.to_string().contains("`x` is listed twice"), "{err}");
    }
}
