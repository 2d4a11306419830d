//! The class that `grade.rs` grades, read from the case folders beside this file (their format is
//! in `README.md`): each folder makes one submission from the course's own stubs and solutions,
//! and says the verdict the grader must give it.

use course_core::layout::Course;
use course_core::manifest::Chapter;
use course_core::runner::Outcome;
use course_grader::report::{ChapterGrade, ChapterState, Status, StudentGrade};
use course_testkit as common;
use serde::Deserialize;
use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The folder of the case folders.
fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/class")
}

/// A chapter, named by what a case needs of it (see `README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Plain,
    Given,
    Other,
}

/// The chapters that play each role, chosen by what they are, never by their position in the
/// manifest, so adding or reordering a chapter changes no case.
pub struct Roles {
    /// The `sync-async` chapter, which gives no files: its exercises each live in
    /// `src/<test>.rs`, and the instructor's extra test calls its API.
    pub plain: Chapter,
    /// The two chapters with the lowest ids that give a `main.rs`, which their tests start as a
    /// child process; a chapter added later never takes their place.
    pub given: Chapter,
    pub other: Chapter,
}

impl Roles {
    pub fn of(course: &Course) -> Roles {
        let chapters = &course.manifest.chapters;
        let plain = chapters
            .iter()
            .find(|c| c.package() == "sync-async" && c.given.is_empty())
            .expect("the sync-async chapter, which gives no files")
            .clone();
        let mut with_main: Vec<&Chapter> = chapters
            .iter()
            .filter(|c| c.given.iter().any(|g| g == "main.rs"))
            .collect();
        with_main.sort_by(|a, b| a.id.cmp(&b.id));
        let [given, other, ..] = with_main[..] else {
            panic!("two chapters give a main.rs");
        };
        Roles {
            plain,
            given: given.clone(),
            other: other.clone(),
        }
    }

    pub fn get(&self, role: Role) -> &Chapter {
        match role {
            Role::Plain => &self.plain,
            Role::Given => &self.given,
            Role::Other => &self.other,
        }
    }
}

/// One case: `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case is, and why the grader must handle it.
    pub about: String,
    make: Vec<Step>,
    pub expect: Expect,
}

/// One step in making a submission; exactly one of the actions is set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    copy: Option<Source>,
    chapters: Option<Vec<Role>>,
    replace_todos: Option<String>,
    append: Option<String>,
    write: Option<String>,
    #[serde(default)]
    age: bool,
    zip: Option<String>,
    chapter: Option<Role>,
    path: Option<String>,
    each: Option<Each>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Source {
    /// Each chapter's `src/` from `solutions/`.
    Solution,
    /// Each chapter's `src/` from `exercises/`.
    Stub,
    /// The whole `exercises/` folder, without `target/`.
    StubTree,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Each {
    Chapter,
    Test,
    Given,
}

/// Points: all of them, or none.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Score {
    Full,
    Zero,
}

impl Score {
    fn of(self, points: u32) -> f64 {
        match self {
            Score::Full => f64::from(points),
            Score::Zero => 0.0,
        }
    }
}

/// The state a chapter is left in, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum State {
    Tested,
    Missing,
    DoesNotCompile,
}

/// The verdict the grader must give a case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    status: Status,
    score: Option<Score>,
    #[serde(default)]
    no_test_passes: bool,
    #[serde(default)]
    extra_passes: bool,
    some_message: Option<String>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    chapter: Vec<ChapterExpect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChapterExpect {
    role: Role,
    score: Option<Score>,
    state: Option<State>,
    outcomes_include: Option<Outcome>,
    #[serde(default)]
    errors: Vec<String>,
    #[serde(default)]
    errors_not: Vec<String>,
    #[serde(default)]
    every_message: Vec<String>,
}

/// The class: its folder of submissions, and what each case expects.
pub struct Class {
    pub dir: tempfile::TempDir,
    /// A listener nobody in the sandbox may reach.
    pub listener: TcpListener,
    /// Each case by its name, which is the student id.
    pub cases: Vec<(String, Case)>,
    vars: Vec<(String, String)>,
}

impl Class {
    pub fn subs(&self) -> PathBuf {
        self.dir.path().join("submissions")
    }
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    pub fn extra(&self) -> PathBuf {
        self.dir.path().join("extra")
    }
    pub fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// Makes every case's submission, and the instructor's extra test for the plain chapter's
    /// last exercise (which the solution passes).
    pub fn build(course: &Course, roles: &Roles) -> Class {
        let dir = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let mut class = Class {
            vars: Vec::new(),
            cases: Vec::new(),
            listener,
            dir,
        };
        class.vars = vec![
            ("plain".into(), roles.plain.id.to_string()),
            ("given".into(), roles.given.id.to_string()),
            ("other".into(), roles.other.id.to_string()),
            (
                "plain.first_test".into(),
                roles.plain.exercises[0].test.clone(),
            ),
            (
                "plain.last_test".into(),
                roles.plain.exercises.last().unwrap().test.clone(),
            ),
            ("out".into(), class.out().display().to_string()),
            (
                "peer".into(),
                class.subs().join("perfect").display().to_string(),
            ),
            (
                "solutions".into(),
                course.repo.join("solutions").display().to_string(),
            ),
            (
                "addr".into(),
                class.listener.local_addr().unwrap().to_string(),
            ),
        ];

        let mut names: Vec<String> = std::fs::read_dir(cases_dir())
            .expect("the case folders")
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let folder = cases_dir().join(&name);
            let file = folder.join("case.toml");
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let case: Case =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            class.make(course, roles, &name, &folder, &case);
            class.cases.push((name, case));
        }

        let last = roles.plain.exercises.last().unwrap();
        let extra = std::fs::read_to_string(cases_dir().join("extra-test.rs")).unwrap();
        common::write(
            &class.extra(),
            &format!("{}/{}.rs", roles.plain.id, last.test),
            &extra,
        );
        class
    }

    /// `text` with every `{{name}}` filled in; a name it does not know is a mistake in a case.
    fn fill(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (name, value) in &self.vars {
            text = text.replace(&format!("{{{{{name}}}}}"), value);
        }
        if let Some(at) = text.find("{{") {
            let end = text[at..].find("}}").map_or(text.len(), |e| at + e + 2);
            panic!("`{}` names nothing the class knows", &text[at..end]);
        }
        text
    }

    /// A file of the case, filled in.
    fn read(&self, folder: &Path, file: &str) -> String {
        let path = folder.join(file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self.fill(&text)
    }

    fn make(&self, course: &Course, roles: &Roles, name: &str, folder: &Path, case: &Case) {
        let zipped = case.make.iter().any(|s| s.zip.is_some());
        let root = if zipped {
            self.dir.path().join("unzipped").join(name)
        } else {
            self.subs().join(name)
        };
        let all: Vec<String> = course
            .manifest
            .chapters
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        for (i, step) in case.make.iter().enumerate() {
            let at = format!("{name}/case.toml, step {}", i + 1);
            let actions = [
                step.copy.is_some(),
                step.replace_todos.is_some(),
                step.append.is_some(),
                step.write.is_some(),
                step.age,
                step.zip.is_some(),
            ];
            assert_eq!(
                actions.iter().filter(|a| **a).count(),
                1,
                "{at}: a step does one thing"
            );
            // A setting the action does not read would be ignored, and the case would quietly
            // make another submission than it says.
            assert!(
                step.chapters.is_none() || step.copy.is_some(),
                "{at}: `chapters` goes with `copy`"
            );
            assert!(
                step.chapter.is_none() || step.replace_todos.is_some() || step.append.is_some(),
                "{at}: `chapter` goes with `replace_todos` or `append`"
            );
            assert!(
                step.each.is_none() || step.write.is_some(),
                "{at}: `each` goes with `write`"
            );
            assert!(
                step.path.is_none()
                    || step.replace_todos.is_some()
                    || step.append.is_some()
                    || step.write.is_some(),
                "{at}: `path` goes with `replace_todos`, `append` or `write`"
            );
            let in_chapter = |path: Option<&str>, default: &str| -> PathBuf {
                let chapter = step.chapter.map(|r| roles.get(r).id.to_string());
                match (chapter, path) {
                    (Some(id), path) => root.join(id).join(self.fill(path.unwrap_or(default))),
                    (None, None) => root.clone(),
                    (None, Some(_)) => panic!("{at}: a path is in a chapter"),
                }
            };
            if let Some(source) = step.copy {
                let chapters: Vec<String> = match &step.chapters {
                    Some(roles_) => roles_
                        .iter()
                        .map(|r| roles.get(*r).id.to_string())
                        .collect(),
                    None => all.clone(),
                };
                match source {
                    Source::Solution => copy_src(&course.repo.join("solutions"), &chapters, &root),
                    Source::Stub => copy_src(&course.exercises, &chapters, &root),
                    Source::StubTree => common::copy_dir_without_target(&course.exercises, &root),
                }
            } else if let Some(file) = &step.replace_todos {
                let with = self.read(folder, file);
                let target = in_chapter(step.path.as_deref(), "src");
                let replaced = common::replace_todos(&target, with.trim_end());
                assert!(replaced > 0, "{at}: no todo!() in {}", target.display());
            } else if let Some(file) = &step.append {
                let text = self.read(folder, file);
                let target = in_chapter(step.path.as_deref(), "src/lib.rs");
                assert!(step.chapter.is_some(), "{at}: append names its chapter");
                let mut was = std::fs::read_to_string(&target)
                    .unwrap_or_else(|e| panic!("{at}: {}: {e}", target.display()));
                was.push_str(&text);
                std::fs::write(&target, was).unwrap();
            } else if let Some(file) = &step.write {
                let text = self.read(folder, file);
                let path = step.path.as_deref().map(|p| self.fill(p));
                let mut wrote = 0;
                match (step.each, path) {
                    (None, Some(path)) => {
                        common::write(&root, &path, &text);
                        wrote += 1;
                    }
                    (Some(Each::Chapter), Some(path)) => {
                        for id in &all {
                            common::write(&root, &format!("{id}/{path}"), &text);
                            wrote += 1;
                        }
                    }
                    (Some(Each::Test), None) => {
                        for id in &all {
                            for entry in std::fs::read_dir(root.join(id).join("tests")).unwrap() {
                                let path = entry.unwrap().path();
                                if path.extension().is_some_and(|e| e == "rs") {
                                    std::fs::write(&path, &text).unwrap();
                                    wrote += 1;
                                }
                            }
                        }
                    }
                    (Some(Each::Given), None) => {
                        for chapter in &course.manifest.chapters {
                            for file in &chapter.given {
                                common::write(&root, &format!("{}/src/{file}", chapter.id), &text);
                                wrote += 1;
                            }
                        }
                    }
                    (each, path) => panic!("{at}: `each = {each:?}` with `path = {path:?}`"),
                }
                assert!(wrote > 0, "{at}: wrote nothing");
            } else if step.age {
                age(&root);
            } else if let Some(prefix) = &step.zip {
                assert_eq!(i + 1, case.make.len(), "{at}: zip is the last step");
                zip_dir(
                    &root,
                    &self.fill(prefix),
                    &self.subs().join(format!("{name}.zip")),
                );
            }
        }
    }

    /// Checks each case's grade against its verdict.
    pub fn check(&self, course: &Course, roles: &Roles, grades: &[StudentGrade]) {
        let total: u32 = course.manifest.chapters.iter().map(|c| c.points()).sum();
        for (name, case) in &self.cases {
            let grade = grades
                .iter()
                .find(|g| &g.student == name)
                .unwrap_or_else(|| panic!("{name} has no grade"));
            let about = format!("{name} ({})", case.about);
            let expect = &case.expect;
            assert_eq!(grade.status, expect.status, "{about}");
            if let Some(score) = expect.score {
                assert_eq!(grade.score, score.of(total), "{about}");
            }
            if expect.no_test_passes {
                let passed: Vec<&str> = grade
                    .tests
                    .iter()
                    .filter(|t| t.outcome.passed())
                    .map(|t| t.test.as_str())
                    .collect();
                assert!(passed.is_empty(), "{about}: these pass: {passed:?}");
            }
            if expect.extra_passes {
                assert!(
                    grade.tests.iter().any(|t| t.extra && t.outcome.passed()),
                    "{about}: the instructor's extra test passes"
                );
            }
            if let Some(text) = &expect.some_message {
                assert!(
                    grade.tests.iter().any(|t| t.message.contains(text)),
                    "{about}: no test's message says {text:?}"
                );
            }
            for text in &expect.notes {
                assert!(
                    grade.notes.iter().any(|n| n.contains(text)),
                    "{about}: no note says {text:?}: {:?}",
                    grade.notes
                );
            }
            for want in &expect.chapter {
                let chapter = roles.get(want.role);
                let got = chapter_grade(grade, chapter);
                let about = format!("{about}, chapter {}", chapter.id);
                if let Some(score) = want.score {
                    assert_eq!(got.score, score.of(chapter.points()), "{about}");
                }
                if let Some(state) = want.state {
                    let is = match got.state {
                        ChapterState::Tested => State::Tested,
                        ChapterState::Missing => State::Missing,
                        ChapterState::DoesNotCompile { .. } => State::DoesNotCompile,
                    };
                    assert_eq!(is, state, "{about}: {got:?}");
                }
                let errors = match &got.state {
                    ChapterState::DoesNotCompile { errors } => errors.as_str(),
                    _ => "",
                };
                for text in &want.errors {
                    let text = self.fill(text);
                    assert!(errors.contains(&text), "{about}: lacks {text:?}: {errors}");
                }
                for text in &want.errors_not {
                    let text = self.fill(text);
                    assert!(!errors.contains(&text), "{about}: shows {text:?}: {errors}");
                }
                let tests: Vec<_> = grade
                    .tests
                    .iter()
                    .filter(|t| t.chapter == chapter.id)
                    .collect();
                if let Some(outcome) = want.outcomes_include {
                    assert!(
                        tests.iter().any(|t| t.outcome == outcome),
                        "{about}: no test {outcome}: {tests:?}"
                    );
                }
                if !want.every_message.is_empty() {
                    let messages: Vec<&str> = tests
                        .iter()
                        .filter(|t| !t.extra)
                        .map(|t| t.message.as_str())
                        .collect();
                    assert!(!messages.is_empty(), "{about}: no course tests ran");
                    for message in messages {
                        for text in &want.every_message {
                            assert!(message.contains(text), "{about}: {message}");
                        }
                    }
                }
            }
        }
    }
}

/// A student's grade for one chapter.
fn chapter_grade<'g>(grade: &'g StudentGrade, chapter: &Chapter) -> &'g ChapterGrade {
    grade
        .chapters
        .iter()
        .find(|c| c.chapter == chapter.id)
        .unwrap_or_else(|| panic!("{} has no grade for {}", grade.student, chapter.id))
}

/// Copies `<from>/<chapter>/src/**` into `<root>/<chapter>/src/` for each chapter.
fn copy_src(from: &Path, chapters: &[String], root: &Path) {
    for chapter in chapters {
        common::copy_dir(
            &from.join(chapter).join("src"),
            &root.join(chapter).join("src"),
        );
    }
}

/// Sets the modification time of every file under `dir`, as an archive from long ago would.
fn age(dir: &Path) {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            age(&path);
        } else {
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(old).unwrap();
        }
    }
}

/// Zips `dir` as `zip`, with every path under `prefix/`.
fn zip_dir(dir: &Path, prefix: &str, zip: &Path) {
    std::fs::create_dir_all(zip.parent().unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(zip).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            writer
                .start_file(format!("{prefix}/{rel}"), options)
                .unwrap();
            writer.write_all(&std::fs::read(&path).unwrap()).unwrap();
        }
    }
    writer.finish().unwrap();
}
