//! `cargo course grade`: a class's submissions in, grades, feedback and a gradebook out.
//!
//! Grading and checking are one mechanism. The reference solution is graded first, like any
//! submission, and must score full marks: its passing tests are the list every student is graded
//! on, so a test a student's build does not report counts as failed. Each student then gets a
//! pristine copy of `exercises/` with only their `src/**/*.rs` laid over it, built and tested in a
//! sandbox ([`sandbox`]), and scored from the test runner's own report ([`junit`]).
//!
//! Dependencies are vendored and compiled once, for the reference; each grading slot starts from
//! a copy of that target directory and recompiles only the chapter crates. Results are written
//! per student as soon as they are known, so an interrupted run resumes where it stopped.
//!
//! To see what happened inside one student's grading, set `COURSE_GRADE_KEEP=1`: each student's
//! scratch folder (`WORK/slots/K/scratch/ID`: cargo's and nextest's output, the runner script)
//! is then kept.

pub mod gradescope;
pub mod intake;
pub mod junit;
pub mod limits;
pub mod nextest;
pub mod report;
pub mod run;
pub mod sandbox;

use anyhow::{Context, Result, bail};
use course_core::files::course_files;
use course_core::layout::Course;
use course_core::manifest::Chapter;
use nextest::RunLimits;
use report::{Expected, Reference, StudentGrade};
use run::{Graded, Setup};
use sandbox::{Cell, Sandbox};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The id the reference solution is graded under (never a student's: ids cannot start with '.').
const REFERENCE: &str = ".reference";

/// How a class is graded.
#[derive(Debug, Clone)]
pub struct Options {
    /// One entry per student: a folder, `.zip` or `.tar.gz`.
    pub submissions: PathBuf,
    /// Where grades, feedback and the gradebook go.
    pub out: PathBuf,
    /// Scratch and cache (vendored crates, compiled dependencies); [`default_work`] if none.
    pub work: Option<PathBuf>,
    /// Students graded at once.
    pub jobs: usize,
    /// Instructor-only tests: `DIR/<chapter-id>/<test>.rs`.
    pub extra_tests: Option<PathBuf>,
    /// Grade students again even when they already have results.
    pub force: bool,
    /// How long one test may run; by default each test's limit comes from the reference
    /// solution's time for it ([`limits::test_limit`]).
    pub timeout: Option<Duration>,
    /// How long a student's tests may run together; by default [`limits::budget`] of the
    /// reference's whole test run.
    pub budget: Option<Duration>,
    /// Grade without bubblewrap (the limits still apply).
    pub no_sandbox: bool,
    /// Only vendor the dependencies and grade the reference solution (to warm the cache), then
    /// stop: grade nobody.
    pub prepare_only: bool,
}

/// Something the grader reports while it works, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A preparation step (vendoring, the reference build).
    Preparing(&'a str),
    /// The number of students to grade in this run (after skipping those already graded).
    Planned {
        to_grade: usize,
        skipped: usize,
        /// Of `to_grade`, those graded before a change to the course (exercises, solutions,
        /// extra tests or the timeout), graded again.
        outdated: usize,
    },
    /// A student's grading started.
    Started(&'a str),
    /// A student is done.
    Finished(&'a StudentGrade),
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every student's grade, graded now or earlier, sorted by id.
    pub grades: Vec<StudentGrade>,
    /// Students skipped because they already had results.
    pub skipped: usize,
    /// Entries of SUBMISSIONS that are not submissions, one line each.
    pub ignored: Vec<String>,
    /// The output folder.
    pub out: PathBuf,
}

/// Grades every submission in `options.submissions`.
pub fn grade(
    course: &Course,
    options: &Options,
    report_event: &(dyn Fn(Event<'_>) + Sync),
) -> Result<Outcome> {
    course.require_solutions("`cargo course grade`")?;
    let chapters = &course.manifest.chapters;
    let places = Places::check(course, options)?;
    let found = intake::discover(&places.submissions)?;
    let extra_tests = match &options.extra_tests {
        Some(dir) => read_extra_tests(dir, chapters)?,
        None => BTreeMap::new(),
    };
    let key = course_key(course, &extra_tests, options)?;
    let plan = Plan::make(&found, &places.students, options, &key);

    let expected = if !plan.todo.is_empty() || options.prepare_only {
        let setup = prepare(course, options, &places.work, extra_tests, report_event)?;
        report_event(Event::Preparing(
            "grading the reference solution (it must score full marks)",
        ));
        let reference = cached_reference(course, &setup, &places.work, options, &key)?;
        report_event(plan.event());
        grade_all(
            &setup,
            &reference,
            &plan,
            &places,
            options,
            &key,
            report_event,
        )?;
        reference.tests
    } else {
        report_event(plan.event());
        std::fs::read(places.work.join(REFERENCE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Reference>(&b).ok())
            .map(|r| r.tests)
            .unwrap_or_default()
    };
    write_class(&places.out, &found, chapters, &expected, options)?;

    let grades = load_grades(&places.students, &found.entries)?;
    Ok(Outcome {
        grades,
        skipped: plan.skipped,
        ignored: found.ignored,
        out: places.out,
    })
}

/// The folders of a run, made absolute and checked against each other and the course.
struct Places {
    submissions: PathBuf,
    out: PathBuf,
    /// `OUT/students`.
    students: PathBuf,
    work: PathBuf,
}

impl Places {
    /// Creates the output and work folders, and refuses folders that overlap where they must
    /// not: results inside the submissions, the cache inside the results, anything of the run
    /// inside the course's exercises/ or solutions/ (copied into every stage, or the reference).
    fn check(course: &Course, options: &Options) -> Result<Places> {
        std::fs::create_dir_all(&options.out).with_context(|| {
            format!("cannot create the output folder {}", options.out.display())
        })?;
        let out = options.out.canonicalize()?;
        let submissions = options.submissions.canonicalize().with_context(|| {
            format!(
                "{}: the submissions folder does not exist; pass the folder that holds one folder or archive per student",
                options.submissions.display()
            )
        })?;
        if out.starts_with(&submissions) {
            bail!(
                "--out {} is inside the submissions folder {}; choose an output folder outside it",
                out.display(),
                submissions.display()
            );
        }
        let course_dirs = [course.exercises.clone(), course.repo.join("solutions")]
            .map(|d| d.canonicalize().unwrap_or(d));
        let mut places = vec![("SUBMISSIONS", submissions.clone()), ("--out", out.clone())];
        if let Some(w) = &options.work {
            places.push(("--work", std::path::absolute(w)?));
        }
        if let Some(x) = &options.extra_tests {
            places.push(("--extra-tests", std::path::absolute(x)?));
        }
        for (what, place) in &places {
            if let Some(dir) = course_dirs.iter().find(|d| place.starts_with(d)) {
                bail!(
                    "{what} {} is inside the course's {}; put it outside the repository's exercises/ and solutions/",
                    place.display(),
                    dir.display()
                );
            }
        }
        let work = options.work.clone().unwrap_or_else(|| default_work(&out));
        std::fs::create_dir_all(&work).with_context(|| {
            format!(
                "cannot create the work folder {}; pass another with --work",
                work.display()
            )
        })?;
        let work = work.canonicalize()?;
        if work.starts_with(&out) || out.starts_with(&work) {
            bail!(
                "--work {} and --out {} overlap; keep the cache out of what is handed back",
                work.display(),
                out.display()
            );
        }
        let students = out.join("students");
        std::fs::create_dir_all(&students)
            .with_context(|| format!("cannot create {}", students.display()))?;
        Ok(Places {
            submissions,
            out,
            students,
            work,
        })
    }
}

/// Who is graded in this run.
struct Plan<'a> {
    /// Those without results, and those graded against another version of the course.
    todo: Vec<&'a intake::Entry>,
    /// Those with current results.
    skipped: usize,
    /// Of `todo`, those graded against another version of the course.
    outdated: usize,
}

impl<'a> Plan<'a> {
    fn make(
        found: &'a intake::Discovered,
        students: &Path,
        options: &Options,
        key: &str,
    ) -> Plan<'a> {
        let mut outdated = 0;
        let todo: Vec<&intake::Entry> = found
            .entries
            .iter()
            .filter(|_| !options.prepare_only)
            .filter(|e| {
                let path = students.join(&e.id).join("grade.json");
                if options.force || !path.is_file() {
                    return true;
                }
                let current = std::fs::read(&path)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<StudentGrade>(&b).ok())
                    .is_some_and(|g| g.course_key == key);
                outdated += usize::from(!current);
                !current
            })
            .collect();
        Plan {
            skipped: found.entries.len() - todo.len(),
            todo,
            outdated,
        }
    }

    fn event(&self) -> Event<'static> {
        Event::Planned {
            to_grade: self.todo.len(),
            skipped: self.skipped,
            outdated: self.outdated,
        }
    }
}

/// Finds the tools (so a missing one is reported before any long step) and vendors the
/// dependencies.
fn prepare(
    course: &Course,
    options: &Options,
    work: &Path,
    extra_tests: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    report_event: &(dyn Fn(Event<'_>) + Sync),
) -> Result<Setup> {
    report_event(Event::Preparing("vendoring the dependencies"));
    let sandbox = Sandbox::prepare(work, &work.join("vendor"), options.no_sandbox)?;
    vendor(&course.exercises, &sandbox.vendor)?;
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    Ok(Setup {
        exercises: course.exercises.clone(),
        chapters: course.manifest.chapters.clone(),
        extra_tests,
        sandbox,
        test_threads: limits::test_threads(cores, jobs(options)),
        host: host_triple()?,
    })
}

/// The slots a run grades in at once.
fn jobs(options: &Options) -> usize {
    options.jobs.clamp(1, limits::MAX_JOBS)
}

/// Grades the plan's students in the slots, each result saved as soon as it is known. A failure
/// of the grader itself (not of a student's code) stops every slot.
fn grade_all(
    setup: &Setup,
    reference: &Reference,
    plan: &Plan<'_>,
    places: &Places,
    options: &Options,
    key: &str,
    report_event: &(dyn Fn(Event<'_>) + Sync),
) -> Result<()> {
    let work = &places.work;
    let slots = jobs(options).min(plan.todo.len());
    // Slots beyond the first start from the reference's compiled dependencies.
    for k in 1..slots {
        let target = slot_cell(work, k).target;
        if !target.exists() {
            copy_tree(&slot_cell(work, 0).target, &target)?;
        }
    }
    let limits = reference.limits(&setup.chapters, options.timeout, options.budget);
    let next = AtomicUsize::new(0);
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for k in 0..slots {
            let (next, failure, limits) = (&next, &failure, &limits);
            scope.spawn(move || {
                let cell = slot_cell(work, k);
                loop {
                    if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(entry) = plan.todo.get(i) else {
                        return;
                    };
                    report_event(Event::Started(&entry.id));
                    let graded = grade_one(setup, &cell, entry, &reference.tests, limits, work)
                        .map(|g| StudentGrade {
                            course_key: key.to_owned(),
                            ..g
                        })
                        .and_then(|g| save(&places.students, &g, &setup.chapters).map(|()| g));
                    match graded {
                        Ok(g) => report_event(Event::Finished(&g)),
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e.context(format!("grading {}", entry.id)));
                            }
                            return;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    for k in 0..jobs(options) {
        let stage = slot_cell(work, k).stage;
        if stage.exists() {
            let _ = std::fs::remove_dir_all(&stage);
        }
    }
    Ok(())
}

/// Grades one student in `cell`.
fn grade_one(
    setup: &Setup,
    cell: &Cell,
    entry: &intake::Entry,
    expected: &[Expected],
    limits: &RunLimits,
    work: &Path,
) -> Result<StudentGrade> {
    let ids: Vec<&str> = setup.chapters.iter().map(|c| c.id.as_str()).collect();
    let submission = match intake::read(entry, &ids, &intake::Limits::default()) {
        Ok(s) => s,
        Err(why) => {
            return Ok(report::unreadable(
                &entry.id,
                &setup.chapters,
                expected,
                why.to_string(),
            ));
        }
    };
    let submitted: Vec<String> = submission.chapters.keys().cloned().collect();
    let mut notes = submission.notes;
    match build(
        setup,
        cell,
        &submission.chapters,
        work,
        &entry.id,
        limits,
        &mut notes,
    ) {
        Ok(graded) => {
            notes.extend(graded.notes.iter().cloned());
            Ok(report::score(
                &entry.id,
                &setup.chapters,
                expected,
                &submitted,
                &graded,
                notes,
            ))
        }
        // Whatever stopped this one student's grading, the class goes on: the student gets an
        // error grade that says why, and a rerun with --force tries again.
        Err(why) => Ok(report::unreadable(
            &entry.id,
            &setup.chapters,
            expected,
            format!("the grader could not grade it: {why:#}"),
        )),
    }
}

fn build(
    setup: &Setup,
    cell: &Cell,
    files: &BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    work: &Path,
    id: &str,
    limits: &RunLimits,
    notes: &mut Vec<String>,
) -> Result<Graded> {
    run::stage(setup, cell, files, notes)?;
    let present: Vec<&Chapter> = setup
        .chapters
        .iter()
        .filter(|c| files.contains_key(c.id.as_str()))
        .collect();
    let scratch = cell
        .target
        .parent()
        .unwrap_or(work)
        .join("scratch")
        .join(sanitize(id));
    let graded = run::build_and_test(setup, cell, &present, &scratch, limits)?;
    if std::env::var_os("COURSE_GRADE_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    Ok(graded)
}

/// A fingerprint of what a grade depends on in the course: the exercises (tests, points,
/// manifests), the reference solutions, the extra tests and the timeout. A student graded under
/// another fingerprint is graded again.
fn course_key(
    course: &Course,
    extra_tests: &BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    options: &Options,
) -> Result<String> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    hash_tree(&course.exercises, &mut hasher)?;
    for chapter in &course.manifest.chapters {
        hash_tree(&course.solution_dir(chapter).join("src"), &mut hasher)?;
    }
    extra_tests.hash(&mut hasher);
    options.timeout.hash(&mut hasher);
    options.budget.hash(&mut hasher);
    Ok(format!("{:016x}", hasher.finish()))
}

/// The work folder for grading into `out` when `--work` is not given: a folder of its own in the
/// user's cache (`$XDG_CACHE_HOME`, else `~/.cache`, else the temp folder), named after `out`, so
/// the cache (hundreds of MB of compiled code) is never handed back with the results.
pub fn default_work(out: &Path) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    out.hash(&mut hasher);
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    let name = out
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    cache
        .join("multitasking-in-rust")
        .join("grade")
        .join(format!("{}-{:016x}", sanitize(&name), hasher.finish()))
}

/// The reference's list of tests, from the work folder's cache when nothing it depends on has
/// changed (the course, by `course_key`, and the grader's version, the toolchain, nextest),
/// else by grading the reference again. `--force` always grades it again.
fn cached_reference(
    course: &Course,
    setup: &Setup,
    work: &Path,
    options: &Options,
    course_key: &str,
) -> Result<Reference> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    let nextest = std::process::Command::new(&setup.sandbox.nextest)
        .args(["nextest", "--version"])
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    // The grader by its version, not by its executable: the same grader runs as the
    // instructor's `cargo course` and inside other programs (its tests), and each would
    // otherwise grade the reference again for the other.
    (
        course_key,
        env!("CARGO_PKG_VERSION"),
        sandbox::rustc(&["-vV"])?,
        nextest,
        &setup.sandbox.toolchain,
        options.no_sandbox,
    )
        .hash(&mut hasher);
    let key = format!("{:016x}\n", hasher.finish());
    let (list, stamp) = (work.join(REFERENCE_FILE), work.join("reference.key"));
    let slot = slot_cell(work, 0);
    if !options.force
        && slot.target.is_dir()
        && std::fs::read_to_string(&stamp).is_ok_and(|k| k == key)
        && let Some(found) = std::fs::read(&list)
            .ok()
            .and_then(|b| serde_json::from_slice::<Reference>(&b).ok())
    {
        return Ok(found);
    }
    let _ = std::fs::remove_file(&stamp);
    let found = reference(course, setup, work, options.timeout)?;
    std::fs::write(&list, serde_json::to_string_pretty(&found)?)
        .with_context(|| format!("cannot write {}", list.display()))?;
    std::fs::write(&stamp, key).with_context(|| format!("cannot write {}", stamp.display()))?;
    Ok(found)
}

/// The work folder's record of the reference solution's grading ([`Reference`]).
const REFERENCE_FILE: &str = "reference.json";

/// Feeds every course file under `dir` (paths and contents, in order) to `hasher`.
fn hash_tree(dir: &Path, hasher: &mut impl std::hash::Hasher) -> Result<()> {
    use std::hash::Hash;
    for file in course_files(dir)? {
        file.rel.hash(hasher);
        if file.kind.is_file() {
            std::fs::read(&file.path)
                .with_context(|| format!("cannot read {}", file.path.display()))?
                .hash(hasher);
        }
    }
    Ok(())
}

/// Grades the reference solution; every test it passes is a test students are graded on.
fn reference(
    course: &Course,
    setup: &Setup,
    work: &Path,
    fixed: Option<Duration>,
) -> Result<Reference> {
    let ids: Vec<&str> = setup.chapters.iter().map(|c| c.id.as_str()).collect();
    let solutions = course.repo.join("solutions");
    let entry = intake::Entry {
        id: REFERENCE.to_owned(),
        path: solutions.clone(),
        kind: intake::Kind::Folder,
    };
    let submission = intake::read(&entry, &ids, &intake::Limits::default()).with_context(|| {
        format!(
            "cannot read the reference solutions in {}",
            solutions.display()
        )
    })?;
    let cell = slot_cell(work, 0);
    let mut notes = Vec::new();
    let graded = build(
        setup,
        &cell,
        &submission.chapters,
        work,
        REFERENCE,
        &RunLimits {
            default: fixed.unwrap_or(limits::REFERENCE_TEST_LIMIT),
            tests: Vec::new(),
            budget: None,
        },
        &mut notes,
    )?;
    let mut problems = notes;
    problems.extend(graded.notes.iter().cloned());
    for (chapter, errors) in &graded.build_errors {
        problems.push(format!(
            "{chapter} does not compile: {}",
            course_core::runner::first_error(errors)
        ));
    }
    let mut expected = Vec::new();
    for ((chapter_id, target, name), result) in &graded.results {
        let Some(chapter) = setup.chapters.iter().find(|c| &c.id == chapter_id) else {
            continue;
        };
        let Some((exercise, extra)) = report::exercise_of(chapter, target) else {
            continue;
        };
        if !result.outcome.passed() {
            problems.push(format!(
                "{chapter_id} test {target}::{name} does not pass on the reference solution ({}): {}",
                result.outcome,
                course_core::runner::headline(&result.message)
            ));
        }
        expected.push(Expected {
            chapter: chapter_id.clone(),
            exercise: exercise.to_owned(),
            target: target.clone(),
            name: name.clone(),
            extra,
            millis: result.millis,
        });
    }
    for chapter in &setup.chapters {
        for exercise in &chapter.exercises {
            if !expected.iter().any(|t| t.exercise == exercise.id) {
                problems.push(format!(
                    "{} exercise {} has no tests that ran on the reference solution",
                    chapter.id, exercise.id
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "the reference solution does not score full marks, so grades would be wrong:\n  - {}\n\
             Fix the solution or the (extra) tests; `cargo course check` shows the course's tests one by one",
            problems.join("\n  - ")
        );
    }
    Ok(Reference {
        tests: expected,
        run_millis: run::millis(graded.run_time),
    })
}

/// The slot `k`'s stage and target dir, and its user id.
fn slot_cell(work: &Path, k: usize) -> Cell {
    let dir = work.join("slots").join(k.to_string());
    Cell {
        stage: dir.join("exercises"),
        target: dir.join("target"),
        uid: limits::UID_BASE + k as u32,
    }
}

/// A file name made from a student id.
fn sanitize(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes a student's three files atomically: into a hidden folder, then renamed into place.
fn save(students: &Path, grade: &StudentGrade, chapters: &[Chapter]) -> Result<()> {
    let tmp = students.join(format!(".{}.partial", grade.student));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    std::fs::create_dir_all(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let write = |name: &str, text: String| {
        let path = tmp.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    write("grade.json", serde_json::to_string_pretty(grade)?)?;
    write("feedback.md", report::feedback(grade, chapters))?;
    write(
        "results.json",
        serde_json::to_string_pretty(&report::gradescope(grade))?,
    )?;
    let dest = students.join(&grade.student);
    if dest.exists() {
        std::fs::remove_dir_all(&dest)
            .with_context(|| format!("cannot replace {}", dest.display()))?;
    }
    std::fs::rename(&tmp, &dest).with_context(|| format!("cannot write {}", dest.display()))
}

fn load_grades(students: &Path, entries: &[intake::Entry]) -> Result<Vec<StudentGrade>> {
    let mut grades = Vec::new();
    for e in entries {
        let path = students.join(&e.id).join("grade.json");
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let grade: StudentGrade = serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{} is damaged; delete it (or run with --force) to grade {} again",
                path.display(),
                e.id
            )
        })?;
        grades.push(grade);
    }
    Ok(grades)
}

/// `grades.csv` and `summary.json`, from every student's saved grade.
fn write_class(
    out: &Path,
    found: &intake::Discovered,
    chapters: &[Chapter],
    expected: &[Expected],
    options: &Options,
) -> Result<()> {
    let grades = load_grades(&out.join("students"), &found.entries)?;
    let csv = out.join("grades.csv");
    std::fs::write(&csv, report::csv(&grades, chapters))
        .with_context(|| format!("cannot write {}", csv.display()))?;
    let summary = report::summary(
        &grades,
        chapters,
        expected,
        serde_json::json!({
            "timeout_seconds": options.timeout.map(|t| t.as_secs()),
            "budget_seconds": options.budget.map(|t| t.as_secs()),
            "sandbox": !options.no_sandbox,
            "extra_tests": options.extra_tests.is_some(),
            "ignored_entries": found.ignored,
        }),
    );
    let path = out.join("summary.json");
    std::fs::write(&path, serde_json::to_string_pretty(&summary)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Reads `DIR/<chapter-id>/<test>.rs`; each file must be named after an exercise's test target.
pub fn read_extra_tests(
    dir: &Path,
    chapters: &[Chapter],
) -> Result<BTreeMap<String, BTreeMap<String, Vec<u8>>>> {
    let mut found: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("--extra-tests {}: cannot read the folder", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Some(chapter) = chapters.iter().find(|c| c.id == name) else {
            bail!(
                "{}: not a chapter of the course; name extra-test folders after chapters ({})",
                entry.path().display(),
                chapters
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        for file in std::fs::read_dir(entry.path())
            .with_context(|| format!("cannot read {}", entry.path().display()))?
        {
            let file = file?;
            let fname = file.file_name().to_string_lossy().into_owned();
            if fname.starts_with('.') {
                continue;
            }
            let test = fname.strip_suffix(".rs");
            if test.and_then(|t| chapter.exercise_for_test(t)).is_none()
                || !file.file_type()?.is_file()
            {
                bail!(
                    "{}: extra tests are files named after an exercise's test target; in {} they are: {}",
                    file.path().display(),
                    chapter.id,
                    chapter
                        .exercises
                        .iter()
                        .map(|e| format!("{}.rs", e.test))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let bytes = std::fs::read(file.path())
                .with_context(|| format!("cannot read {}", file.path().display()))?;
            found
                .entry(chapter.id.to_string())
                .or_default()
                .insert(test.unwrap_or_default().to_owned(), bytes);
        }
    }
    Ok(found)
}

/// Vendors the exercises' dependencies into `dir` (once per lock file).
fn vendor(exercises: &Path, dir: &Path) -> Result<()> {
    let work = dir.parent().unwrap_or(dir);
    let lock = std::fs::read(exercises.join("Cargo.lock"))
        .with_context(|| format!("cannot read {}", exercises.join("Cargo.lock").display()))?;
    let stamp = work.join("vendor.lock");
    if dir.is_dir() && std::fs::read(&stamp).is_ok_and(|s| s == lock) {
        return Ok(());
    }
    let attempt = |offline: bool| {
        std::process::Command::new(course_core::runner::cargo())
            .args(["vendor", "--locked", "--quiet", "--manifest-path"])
            .arg(exercises.join("Cargo.toml"))
            .arg(dir)
            .env("CARGO_NET_OFFLINE", if offline { "true" } else { "false" })
            .stdout(std::process::Stdio::null())
            .output()
    };
    let mut out = attempt(true).context("cannot run `cargo vendor`")?;
    if !out.status.success() {
        out = attempt(false).context("cannot run `cargo vendor`")?;
    }
    if !out.status.success() {
        bail!(
            "cannot vendor the exercises' dependencies (`cargo vendor` needs them in cargo's cache or the network): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    // A course without dependencies vendors nothing, and cargo then leaves no folder behind;
    // the sandbox mounts it all the same.
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(&stamp, lock).with_context(|| format!("cannot write {}", stamp.display()))?;
    Ok(())
}

fn host_triple() -> Result<String> {
    sandbox::rustc(&["-vV"])?
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .context("`rustc -vV` did not name the host")
}

/// `cp -a`: a whole target directory, quickly.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .context("cannot run cp")?;
    if !status.success() {
        bail!("cannot copy {} to {}", from.display(), to.display());
    }
    Ok(())
}
