//! `cargo course grade --export gradescope OUT.zip`: the grader, packed as a Gradescope autograder.
//!
//! Gradescope grades each submission in a fresh container of its own, built once from an image
//! that a `setup.sh` prepares, and runs a `run_autograder` per submission. Rather than a second
//! grader written for Gradescope, the zip carries this one: the grader's source (built in
//! `setup.sh` with the toolchain the course was exported with), the course it grades
//! (`exercises/`, the reference solutions' sources, the instructor's extra tests) and two small
//! scripts that call `course grade` on the one submission. Grades on Gradescope are therefore the
//! grades `cargo course grade` gives on the instructor's machine.
//!
//! The zip's contents are found by walking the repository, never from a list of chapters written
//! here, so a new chapter or exercise needs no change to the export. Build output (`target/`)
//! and hidden entries are left out, and of the solutions only `src/` goes in: that is all the
//! grader reads of them (it grades the reference like a submission).

use anyhow::{Context, Result, bail};
use course_core::layout::Course;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The script Gradescope runs once to build the image; `@RUST_VERSION@` is filled in.
const SETUP_SH: &str = include_str!("gradescope/setup.sh");

/// The script Gradescope runs for each submission.
const RUN_AUTOGRADER: &str = include_str!("gradescope/run_autograder");

/// Where [`SETUP_SH`] names the Rust toolchain to install.
const RUST_VERSION_SLOT: &str = "@RUST_VERSION@";

/// The folder of the zip that holds the course and the grader's source.
const COURSE_DIR: &str = "course";

/// The command line's crate, the one member of the zip's workspace; `setup.sh` builds it without
/// the book (`--no-default-features`).
const TOOL_CRATE: &str = "crates/cli";

/// One file of the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    /// Its path in the zip, with '/' separators.
    name: String,
    /// Where its bytes come from.
    data: Data,
    /// Whether it is executable (unix mode 0o755 rather than 0o644).
    executable: bool,
}

/// The bytes of an [`Item`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Data {
    /// Written by the export itself.
    Generated(Vec<u8>),
    /// A file of the repository, read when the zip is written.
    File(PathBuf),
}

/// Writes a Gradescope autograder zip for `course` to `out`, with the instructor's tests from
/// `extra_tests` (`DIR/<chapter-id>/<test>.rs`) if given.
///
/// The zip is written next to `out` under a temporary name and renamed into place, so a failed
/// export leaves no half-written autograder behind.
pub fn export(course: &Course, extra_tests: Option<&Path>, out: &Path) -> Result<()> {
    let extra = match extra_tests {
        Some(dir) => super::read_extra_tests(dir, &course.manifest.chapters)?,
        None => BTreeMap::new(),
    };
    let rust = rust_version()?;
    // Everything is listed before the zip is created, so a zip written inside the repository
    // never packs itself.
    let items = contents(course, &extra, &rust)?;
    write_zip(out, &items)
}

/// Everything the zip holds: the two scripts, then the course under `course/`.
fn contents(
    course: &Course,
    extra: &BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    rust_version: &str,
) -> Result<Vec<Item>> {
    let repo = &course.repo;
    let mut items = vec![
        Item {
            name: "setup.sh".to_owned(),
            data: Data::Generated(setup_script(rust_version).into_bytes()),
            executable: true,
        },
        Item {
            name: "run_autograder".to_owned(),
            data: Data::Generated(RUN_AUTOGRADER.as_bytes().to_vec()),
            executable: true,
        },
    ];
    let root_manifest = repo.join("Cargo.toml");
    items.push(Item {
        name: format!("{COURSE_DIR}/Cargo.toml"),
        data: Data::Generated(grader_workspace(&root_manifest)?.into_bytes()),
        executable: false,
    });
    let lock = repo.join("Cargo.lock");
    if !lock.is_file() {
        bail!(
            "{}: not found; the autograder builds the grader from the repository's lock file \
             (run `cargo build -p course-cli` in {} to create it)",
            lock.display(),
            repo.display()
        );
    }
    items.push(Item {
        name: format!("{COURSE_DIR}/Cargo.lock"),
        data: Data::File(lock),
        executable: false,
    });

    let tool = repo.join(TOOL_CRATE).join("Cargo.toml");
    if !tool.is_file() {
        bail!(
            "{}: not found; the autograder builds the grader from its source, so export from \
             the course's repository (or pass it with --course)",
            tool.display()
        );
    }
    // The tool's crates; the ones it needs from exercises/ (the manifest code) come with it.
    walk(
        &repo.join("crates"),
        &format!("{COURSE_DIR}/crates"),
        &mut items,
    )?;
    walk(
        &course.exercises,
        &format!("{COURSE_DIR}/exercises"),
        &mut items,
    )?;

    // The chapters' reference solutions, the list course.toml gives.
    for chapter in &course.manifest.chapters {
        let src = course.solution_dir(chapter).join("src");
        if !src.is_dir() {
            bail!(
                "{}: not found; the autograder grades the reference solution first, so every \
                 chapter of {} needs one",
                src.display(),
                course.manifest_path().display()
            );
        }
        walk(
            &src,
            &format!("{COURSE_DIR}/solutions/{}/src", chapter.id),
            &mut items,
        )?;
    }

    for (chapter, tests) in extra {
        for (test, bytes) in tests {
            items.push(Item {
                name: format!("{COURSE_DIR}/extra-tests/{chapter}/{test}.rs"),
                data: Data::Generated(bytes.clone()),
                executable: false,
            });
        }
    }
    Ok(items)
}

/// `setup.sh` with the Rust version filled in.
fn setup_script(rust_version: &str) -> String {
    SETUP_SH.replace(RUST_VERSION_SLOT, rust_version)
}

/// The version of the Rust toolchain in use (`1.95.0`), which `setup.sh` installs exactly: the
/// course is known to build and pass with it.
fn rust_version() -> Result<String> {
    parse_rust_version(&super::sandbox::rustc(&["--version"])?)
}

/// The version number in `rustc --version`'s answer; only a stable release can be installed by
/// number.
fn parse_rust_version(answer: &str) -> Result<String> {
    let version = answer.split_whitespace().nth(1).unwrap_or_default();
    let stable = version.split('.').count() == 3
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !stable {
        bail!(
            "`rustc --version` says `{}`: the autograder installs the exact toolchain the course \
             is exported with, which must be a stable release; export with a stable toolchain \
             (e.g. `rustup run stable cargo course grade --export ...`)",
            answer.trim()
        );
    }
    Ok(version.to_owned())
}

/// The workspace manifest for the grader alone: the repository's root `Cargo.toml` with
/// `crates/cli` as its one member, keeping what that member inherits (package fields,
/// dependency versions, lints) and the profiles.
fn grader_workspace(root_manifest: &Path) -> Result<String> {
    let root = course_core::layout::read_toml(root_manifest)?;
    let Some(workspace) = root.get("workspace").and_then(|w| w.as_table()) else {
        bail!(
            "{}: no [workspace]; the autograder builds the grader as the root workspace's \
             {TOOL_CRATE}",
            root_manifest.display()
        );
    };
    let mut shipped = toml::Table::new();
    if let Some(resolver) = workspace.get("resolver") {
        shipped.insert("resolver".to_owned(), resolver.clone());
    }
    shipped.insert(
        "members".to_owned(),
        toml::Value::Array(vec![toml::Value::String(TOOL_CRATE.to_owned())]),
    );
    for key in ["package", "dependencies", "lints"] {
        if let Some(value) = workspace.get(key) {
            shipped.insert(key.to_owned(), value.clone());
        }
    }
    // Two documents, so [workspace] comes first (a table's keys are written sorted).
    let mut text = String::from(
        "# Written by `cargo course grade --export gradescope` from the repository's Cargo.toml:\n\
         # the grader's command line (crates/cli) alone, with the versions, lints and profiles it inherits.\n\n",
    );
    let sections = [
        ("workspace", Some(toml::Value::Table(shipped))),
        ("profile", root.get("profile").cloned()),
    ];
    for (key, value) in sections {
        let Some(value) = value else { continue };
        let doc = toml::Table::from_iter([(key.to_owned(), value)]);
        let part = toml::to_string(&doc)
            .with_context(|| format!("cannot rewrite {}", root_manifest.display()))?;
        text.push_str(&part);
        text.push('\n');
    }
    Ok(text)
}

/// Adds every course file under `dir` to `items`, named `prefix/<path under dir>` (hidden entries
/// and `target/` folders stay out). Symbolic links are refused: the zip holds files and folders.
fn walk(dir: &Path, prefix: &str, items: &mut Vec<Item>) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for file in course_core::files::course_files(dir)? {
        if file.kind.is_symlink() {
            bail!(
                "{}: a symbolic link; the autograder zip holds only files and folders, so \
                 replace it with a copy of what it points to",
                file.path.display()
            );
        }
        if !file.kind.is_file() {
            continue;
        }
        let rel = file.rel.to_str().with_context(|| {
            format!(
                "{}: the name is not valid UTF-8; rename it to pack it into the autograder",
                file.path.display()
            )
        })?;
        let mode = std::fs::metadata(&file.path)
            .with_context(|| format!("cannot inspect {}", file.path.display()))?
            .permissions()
            .mode();
        items.push(Item {
            name: format!("{prefix}/{rel}"),
            data: Data::File(file.path),
            executable: mode & 0o111 != 0,
        });
    }
    Ok(())
}

/// Writes `items` as a deflated zip, with an entry for every folder, to a temporary file beside
/// `out`, then renames it to `out`.
fn write_zip(out: &Path, items: &[Item]) -> Result<()> {
    use zip::write::SimpleFileOptions;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        bail!(
            "{}: no such folder to write the autograder {} in",
            dir.display(),
            out.display()
        );
    }
    let temp = tempfile::Builder::new()
        .prefix(".autograder-")
        .suffix(".zip.partial")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(temp));
    // A fixed time (1980-01-01) makes the same course export to the same bytes.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());

    let folders: BTreeSet<&str> = items
        .iter()
        .flat_map(|item| item.name.match_indices('/').map(|(i, _)| &item.name[..i]))
        .collect();
    for folder in folders {
        zip.add_directory(format!("{folder}/"), options.unix_permissions(0o755))
            .with_context(|| format!("cannot write {}", out.display()))?;
    }
    for item in items {
        let mode = if item.executable { 0o755 } else { 0o644 };
        let bytes = match &item.data {
            Data::Generated(bytes) => bytes.clone(),
            Data::File(path) => {
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
            }
        };
        zip.start_file(item.name.as_str(), options.unix_permissions(mode))
            .and_then(|()| zip.write_all(&bytes).map_err(zip::result::ZipError::from))
            .with_context(|| format!("cannot write {} into {}", item.name, out.display()))?;
    }
    let writer = zip
        .finish()
        .with_context(|| format!("cannot write {}", out.display()))?;
    let temp = writer
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write {}", out.display()))?;
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", out.display()))?;
    temp.persist(out)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", out.display()))?;
    // A temporary file is private (0600); the zip is meant to be uploaded and shared.
    set_mode(out, 0o644)
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("cannot set the permissions of {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_names_the_exact_toolchain() {
        assert!(SETUP_SH.contains(RUST_VERSION_SLOT));
        let script = setup_script("1.95.0");
        assert!(script.contains("RUST_VERSION=\"1.95.0\""), "{script}");
        assert!(!script.contains(RUST_VERSION_SLOT));
    }

    #[test]
    fn only_stable_versions_are_installed_by_number() {
        assert_eq!(
            parse_rust_version("rustc 1.95.0 (59807616e 2026-04-14)\n").unwrap(),
            "1.95.0"
        );
        for answer in [
            "rustc 1.96.0-nightly (abc 2026-04-20)",
            "rustc 1.96.0-beta.3 (abc 2026-04-20)",
            "",
        ] {
            assert!(parse_rust_version(answer).is_err(), "{answer}");
        }
    }

    #[test]
    fn the_shipped_workspace_holds_only_the_grader() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("Cargo.toml");
        std::fs::write(
            &manifest,
            "[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\", \"solutions/*\"]\n\
             exclude = [\"exercises\"]\n\n[workspace.package]\nedition = \"2024\"\n\n\
             [workspace.dependencies]\nanyhow = \"1\"\n\n[workspace.lints.rust]\n\
             unsafe_code = \"forbid\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
        )
        .unwrap();
        let text = grader_workspace(&manifest).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let ws = doc["workspace"].as_table().unwrap();
        assert_eq!(ws["members"].as_array().unwrap().len(), 1);
        assert_eq!(ws["members"][0].as_str(), Some(TOOL_CRATE));
        assert!(!ws.contains_key("exclude"));
        assert_eq!(ws["resolver"].as_str(), Some("3"));
        assert_eq!(ws["package"]["edition"].as_str(), Some("2024"));
        assert_eq!(ws["dependencies"]["anyhow"].as_str(), Some("1"));
        assert_eq!(ws["lints"]["rust"]["unsafe_code"].as_str(), Some("forbid"));
        assert_eq!(
            doc["profile"]["dev"]["package"]["*"]["debug"].as_bool(),
            Some(false)
        );
    }

    #[test]
    fn walking_leaves_out_build_output_and_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a/src/lib.rs",
            "a/target/debug/x",
            ".git/HEAD",
            "a/.hidden",
            "b.toml",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        let mut items = Vec::new();
        walk(root, "p", &mut items).unwrap();
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["p/a/src/lib.rs", "p/b.toml"]);

        std::os::unix::fs::symlink(root.join("b.toml"), root.join("link")).unwrap();
        let err = walk(root, "p", &mut Vec::new()).unwrap_err().to_string();
        assert!(
            err.contains("link") && err.contains("symbolic link"),
            "{err}"
        );
    }
}
