//! The two workspaces (the root and `exercises/`) stay in step: the same dependency versions,
//! lints and profiles, so the learner builds what the solutions were tested with, and the two
//! can share compiled dependencies.

use course_core::layout::{read_toml, repo_root};

fn table<'a>(doc: &'a toml::Table, path: &[&str]) -> &'a toml::Table {
    let mut here = doc;
    for key in path {
        here = here
            .get(*key)
            .and_then(|v| v.as_table())
            .unwrap_or_else(|| panic!("[{}] is missing", path.join(".")));
    }
    here
}

#[test]
fn exercises_pin_the_same_versions_lints_and_profiles_as_the_root() {
    let repo = repo_root();
    let root = read_toml(&repo.join("Cargo.toml")).unwrap();
    let exercises = read_toml(&repo.join("exercises/Cargo.toml")).unwrap();

    let root_deps = table(&root, &["workspace", "dependencies"]);
    for (name, spec) in table(&exercises, &["workspace", "dependencies"]) {
        assert_eq!(
            Some(spec),
            root_deps.get(name),
            "exercises/Cargo.toml pins `{name}` differently from the root Cargo.toml"
        );
    }
    for path in [
        &["workspace", "lints"][..],
        &["workspace", "package"],
        &["profile"],
    ] {
        assert_eq!(
            table(&exercises, path),
            table(&root, path),
            "[{}] differs between exercises/Cargo.toml and the root Cargo.toml",
            path.join(".")
        );
    }
}

#[test]
fn the_exercises_lock_file_is_committed_and_current() {
    let repo = repo_root();
    let lock = repo.join("exercises/Cargo.lock");
    assert!(
        lock.is_file(),
        "exercises/Cargo.lock is missing: run `cargo generate-lockfile` in exercises/"
    );
    let status =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "metadata",
                "--locked",
                "--format-version",
                "1",
                "--manifest-path",
            ])
            .arg(repo.join("exercises/Cargo.toml"))
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
    assert!(
        status.success(),
        "exercises/Cargo.lock is out of date: run `cargo check` in exercises/ and commit it"
    );
}

/// The learner's tool and the manifest code live in the learners' workspace, so the root's
/// `cargo test` does not reach their own unit tests; this runs them there, in that workspace's
/// own target directory, as a learner's `cargo test -p course` would.
#[test]
fn the_learner_tools_own_tests_pass_in_their_workspace() {
    let repo = repo_root();
    let out =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "test",
                "--locked",
                "-q",
                "-p",
                "course-core",
                "-p",
                "course",
                "--manifest-path",
            ])
            .arg(repo.join("exercises/Cargo.toml"))
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "the learner's tools fail their tests:\n{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("test result: ok.") && !l.contains(" 0 passed")),
        "their tests ran:\n{text}"
    );
}
