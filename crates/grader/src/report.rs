//! Scores and what the grader writes: `grade.json`, `feedback.md` and Gradescope's `results.json`
//! per student, and `grades.csv` and `summary.json` for the class.

use super::limits;
use super::nextest::{Limit, RunLimits};
use super::run::{EXTRA_PREFIX, Graded, out_of_time_message};
use course_core::manifest::Chapter;
use course_core::runner::Outcome;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// A test the reference solution passes: every submission is graded on exactly these.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Expected {
    /// The chapter id.
    pub chapter: String,
    /// The exercise id.
    pub exercise: String,
    /// The test target (`tests/<target>.rs`).
    pub target: String,
    /// The test's name.
    pub name: String,
    /// Whether it is one of the instructor's extra tests (its source and messages stay hidden).
    pub extra: bool,
    /// How long it ran on the reference solution, in milliseconds.
    #[serde(default)]
    pub millis: u64,
}

/// What grading the reference solution found: the tests every student is graded on, and how
/// long its whole test run took. The limits of a student's run come from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The tests it passes.
    pub tests: Vec<Expected>,
    /// The wall-clock time of its whole test run, in milliseconds.
    pub run_millis: u64,
}

impl Reference {
    /// The limits of a student's test run: each test's own (from the reference's time for it,
    /// or `fixed` with `--timeout`), and the budget for them all (or `budget`, with `--budget`).
    pub fn limits(
        &self,
        chapters: &[Chapter],
        fixed: Option<Duration>,
        budget: Option<Duration>,
    ) -> RunLimits {
        let package = |id: &str| {
            chapters
                .iter()
                .find(|c| c.id == id)
                .map_or(id, |c| c.package())
                .to_owned()
        };
        RunLimits {
            default: limits::test_limit(Duration::ZERO, fixed),
            tests: self
                .tests
                .iter()
                .map(|t| Limit {
                    binary: format!("{}::{}", package(&t.chapter), t.target),
                    name: t.name.clone(),
                    limit: limits::test_limit(Duration::from_millis(t.millis), fixed),
                })
                .collect(),
            budget: Some(
                budget.unwrap_or_else(|| limits::budget(Duration::from_millis(self.run_millis))),
            ),
        }
    }
}

impl Expected {
    /// The name shown to students: `copy_dir::copies_nested`.
    pub fn label(&self) -> String {
        format!("{}::{}", self.target, self.name)
    }
}

/// The exercise a test target counts for: its own, or the one an extra test file is named after.
pub fn exercise_of<'c>(chapter: &'c Chapter, target: &str) -> Option<(&'c str, bool)> {
    match target.strip_prefix(EXTRA_PREFIX) {
        Some(test) => chapter
            .exercise_for_test(test)
            .map(|e| (e.id.as_str(), true)),
        None => chapter
            .exercise_for_test(target)
            .map(|e| (e.id.as_str(), false)),
    }
}

/// How a student's grading went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Everything submitted was built and tested.
    Graded,
    /// Something could not be graded (a chapter does not compile, an unreadable archive): the
    /// parts concerned score zero.
    Error,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Graded => "graded",
            Status::Error => "error",
        })
    }
}

/// One test's result for one student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestGrade {
    /// Chapter id.
    pub chapter: String,
    /// Exercise id.
    pub exercise: String,
    /// `target::name`.
    pub test: String,
    /// Whether it is an instructor's extra test.
    pub extra: bool,
    /// What happened.
    pub outcome: Outcome,
    /// Points earned and possible.
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// Why it failed (empty on a pass; hidden for extra tests).
    pub message: String,
}

/// One exercise's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseGrade {
    /// Chapter id.
    pub chapter: String,
    /// Exercise id.
    pub exercise: String,
    /// Tests passed and total.
    pub passed: usize,
    /// Tests in total.
    pub total: usize,
    /// Points earned: the shares of the tests that pass (the points split evenly over the tests).
    pub score: f64,
    /// The exercise's points.
    pub points: u32,
}

/// One chapter's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum ChapterState {
    /// Built and tested.
    Tested,
    /// Not in the submission.
    Missing,
    /// Did not compile; the compiler's messages, paths relative to the submission.
    DoesNotCompile { errors: String },
}

/// One chapter's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChapterGrade {
    /// Chapter id.
    pub chapter: String,
    /// What happened to it.
    #[serde(flatten)]
    pub state: ChapterState,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub points: u32,
}

/// Everything about one student's grade; `grade.json` holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentGrade {
    /// The student id (the submission's folder or archive name).
    pub student: String,
    /// Graded or error.
    pub status: Status,
    /// A reason the whole submission could not be graded (an unreadable archive).
    pub error: Option<String>,
    /// Things left out of the submission (symlinks, oversized files), one line each.
    pub notes: Vec<String>,
    /// Per chapter.
    pub chapters: Vec<ChapterGrade>,
    /// Per exercise, in course order.
    pub exercises: Vec<ExerciseGrade>,
    /// Per test.
    pub tests: Vec<TestGrade>,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// The fingerprint of the course it was graded against (the exercises, the solutions, the extra tests and the timeout); a rerun grades the student again when it changes.
    #[serde(default)]
    pub course_key: String,
}

/// An exercise's points split over its tests in whole hundredths, adding up to the points
/// exactly: the first tests take one hundredth more where the points do not divide evenly.
fn shares(points: u32, tests: usize) -> Vec<f64> {
    let total = u64::from(points) * 100;
    let n = tests as u64;
    (0..n)
        .map(|i| (total / n + u64::from(i < total % n)) as f64 / 100.0)
        .collect()
}

/// Rounds to hundredths, so shares of points print cleanly.
fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Scores a student from what ran. `submitted` lists the chapters the submission holds.
pub fn score(
    student: &str,
    chapters: &[Chapter],
    expected: &[Expected],
    submitted: &[String],
    graded: &Graded,
    notes: Vec<String>,
) -> StudentGrade {
    let mut grade = StudentGrade {
        student: student.to_owned(),
        status: Status::Graded,
        error: None,
        notes,
        chapters: Vec::new(),
        exercises: Vec::new(),
        tests: Vec::new(),
        score: 0.0,
        max_score: 0.0,
        course_key: String::new(),
    };
    for chapter in chapters {
        let state = if !submitted.iter().any(|s| *s == chapter.id) {
            ChapterState::Missing
        } else if let Some(errors) = graded.build_errors.get(chapter.id.as_str()) {
            grade.status = Status::Error;
            ChapterState::DoesNotCompile {
                errors: errors.clone(),
            }
        } else {
            ChapterState::Tested
        };
        let mut chapter_score = 0.0;
        for exercise in &chapter.exercises {
            // The official tests first, then the instructor's.
            let mut tests: Vec<&Expected> = expected
                .iter()
                .filter(|t| t.chapter == chapter.id && t.exercise == exercise.id)
                .collect();
            tests.sort_by_key(|t| (t.extra, &t.target, &t.name));
            let shares = shares(exercise.points, tests.len());
            let (mut passed, mut earned) = (0, 0.0);
            for (t, share) in tests.iter().zip(shares) {
                let (outcome, message) = match &state {
                    ChapterState::Missing => (
                        Outcome::NotBuilt,
                        format!("chapter {} is not in the submission", chapter.id),
                    ),
                    ChapterState::DoesNotCompile { .. } => (
                        Outcome::NotBuilt,
                        format!("chapter {} does not compile", chapter.id),
                    ),
                    ChapterState::Tested => match graded.results.get(&(
                        t.chapter.clone(),
                        t.target.clone(),
                        t.name.clone(),
                    )) {
                        Some(r) => (r.outcome, r.message.clone()),
                        None => match graded.out_of_time {
                            Some(budget) => {
                                (Outcome::NotRun, out_of_time_message(budget, "not run"))
                            }
                            None => (
                                Outcome::Crashed,
                                "the test did not report a result, so it counts as failed"
                                    .to_owned(),
                            ),
                        },
                    },
                };
                let ok = outcome.passed();
                passed += usize::from(ok);
                if ok {
                    earned += share;
                }
                grade.tests.push(TestGrade {
                    chapter: chapter.id.to_string(),
                    exercise: exercise.id.to_string(),
                    test: t.label(),
                    extra: t.extra,
                    outcome,
                    score: if ok { round(share) } else { 0.0 },
                    max_score: round(share),
                    message: if t.extra && !ok && state == ChapterState::Tested {
                        format!("an instructor's test ({outcome}); its details are not shown")
                    } else {
                        message
                    },
                });
            }
            let score = round(earned);
            chapter_score += score;
            grade.exercises.push(ExerciseGrade {
                chapter: chapter.id.to_string(),
                exercise: exercise.id.to_string(),
                passed,
                total: tests.len(),
                score,
                points: exercise.points,
            });
        }
        grade.score += chapter_score;
        grade.max_score += f64::from(chapter.points());
        grade.chapters.push(ChapterGrade {
            chapter: chapter.id.to_string(),
            state,
            score: round(chapter_score),
            points: chapter.points(),
        });
    }
    grade.score = round(grade.score);
    grade
}

/// A zero grade for a submission that could not be read at all.
pub fn unreadable(
    student: &str,
    chapters: &[Chapter],
    expected: &[Expected],
    why: String,
) -> StudentGrade {
    let mut grade = score(
        student,
        chapters,
        expected,
        &[],
        &Graded::default(),
        Vec::new(),
    );
    grade.status = Status::Error;
    grade.error = Some(why);
    grade
}

/// `feedback.md`: the score, then each chapter and exercise with what failed and a hint.
pub fn feedback(grade: &StudentGrade, chapters: &[Chapter]) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Feedback for {}\n", grade.student);
    let _ = writeln!(md, "**Score: {} / {}**\n", grade.score, grade.max_score);
    if let Some(error) = &grade.error {
        let _ = writeln!(md, "Your submission could not be graded: {error}\n");
    }
    if !grade.notes.is_empty() {
        let _ = writeln!(md, "Left out of your submission:\n");
        for note in &grade.notes {
            let _ = writeln!(md, "- {note}");
        }
        md.push('\n');
    }
    for (chapter, cg) in chapters.iter().zip(&grade.chapters) {
        let _ = writeln!(
            md,
            "## {} {}: {} / {}\n",
            chapter.id, chapter.title, cg.score, cg.points
        );
        match &cg.state {
            ChapterState::Missing => {
                let _ = writeln!(
                    md,
                    "This chapter is not in your submission (no `{}/src/*.rs` files), so it scores zero.\n",
                    chapter.id
                );
                continue;
            }
            ChapterState::DoesNotCompile { errors } => {
                let _ = writeln!(
                    md,
                    "This chapter does not compile, so none of its tests could run. The compiler said:\n\n```text\n{}\n```\n",
                    trim_lines(errors, 40)
                );
                let _ = writeln!(
                    md,
                    "Only your `src/**/*.rs` files are graded, with the course's own Cargo.toml: a fix that \
                     needs a new dependency or a changed manifest cannot count.\n"
                );
                continue;
            }
            ChapterState::Tested => {}
        }
        for exercise in &chapter.exercises {
            let Some(eg) = grade
                .exercises
                .iter()
                .find(|e| e.chapter == chapter.id && e.exercise == exercise.id)
            else {
                continue;
            };
            let mark = if eg.passed == eg.total { "x" } else { " " };
            let _ = writeln!(
                md,
                "- [{mark}] **{}**: {} of {} tests pass ({} / {} points)",
                exercise.id, eg.passed, eg.total, eg.score, eg.points
            );
            let failed: Vec<&TestGrade> = grade
                .tests
                .iter()
                .filter(|t| {
                    t.chapter == chapter.id && t.exercise == exercise.id && !t.outcome.passed()
                })
                .collect();
            // The first failure in full; the rest by their first line, since one bug usually
            // fails several tests the same way.
            for (i, t) in failed.iter().enumerate() {
                let first = course_core::runner::headline(&t.message);
                let _ = writeln!(md, "  - `{}` ({}): {}", t.test, t.outcome, first);
                if i == 0 && !t.extra && t.message.lines().count() > 1 {
                    let _ = writeln!(md, "\n    ```text");
                    for line in trim_lines(&t.message, 12).lines() {
                        let _ = writeln!(md, "    {line}");
                    }
                    let _ = writeln!(md, "    ```\n");
                }
            }
            if !failed.is_empty() {
                let hint = exercise.hint.trim().replace('\n', " ");
                let _ = writeln!(md, "  - Hint: {hint}");
            }
        }
        md.push('\n');
    }
    md.trim_end().to_owned() + "\n"
}

/// At most `n` lines.
fn trim_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines.iter().take(n).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > n {
        let _ = write!(out, "\n... ({} more lines)", lines.len() - n);
    }
    out
}

/// Gradescope's `results.json` (score, and one entry per test).
pub fn gradescope(grade: &StudentGrade) -> serde_json::Value {
    let mut tests = Vec::new();
    for cg in &grade.chapters {
        if let ChapterState::DoesNotCompile { errors } = &cg.state {
            tests.push(serde_json::json!({
                "name": format!("{}: compiles", cg.chapter),
                "score": 0.0,
                "max_score": 0.0,
                "status": "failed",
                "output": trim_lines(errors, 40),
            }));
        }
    }
    for t in &grade.tests {
        tests.push(serde_json::json!({
            "name": format!("{} / {} / {}", t.chapter, t.exercise, t.test),
            "score": t.score,
            "max_score": t.max_score,
            "status": if t.outcome.passed() { "passed" } else { "failed" },
            "output": if t.outcome.passed() { String::new() } else { format!("{}: {}", t.outcome, trim_lines(&t.message, 12)) },
        }));
    }
    let mut output = format!("Score: {} / {}", grade.score, grade.max_score);
    if let Some(e) = &grade.error {
        let _ = write!(output, "\nYour submission could not be graded: {e}");
    }
    for note in &grade.notes {
        let _ = write!(output, "\nLeft out: {note}");
    }
    serde_json::json!({
        "score": grade.score,
        "output": output,
        "tests": tests,
    })
}

/// `grades.csv`: a row per student; a column per exercise, then chapter totals, then the total.
pub fn csv(grades: &[StudentGrade], chapters: &[Chapter]) -> String {
    let mut header = vec!["student".to_owned(), "status".to_owned()];
    for c in chapters {
        for e in &c.exercises {
            header.push(format!("{}/{}", c.id, e.id));
        }
    }
    for c in chapters {
        header.push(format!("{} total", c.id));
    }
    header.push("total".to_owned());
    let mut out = csv_row(&header);
    let max: Vec<String> = ["(max)".to_owned(), String::new()]
        .into_iter()
        .chain(
            chapters
                .iter()
                .flat_map(|c| c.exercises.iter().map(|e| e.points.to_string())),
        )
        .chain(chapters.iter().map(|c| c.points().to_string()))
        .chain([chapters
            .iter()
            .map(Chapter::points)
            .sum::<u32>()
            .to_string()])
        .collect();
    out.push_str(&csv_row(&max));
    for g in grades {
        let mut row = vec![g.student.clone(), g.status.to_string()];
        row.extend(g.exercises.iter().map(|e| e.score.to_string()));
        row.extend(g.chapters.iter().map(|c| c.score.to_string()));
        row.push(g.score.to_string());
        out.push_str(&csv_row(&row));
    }
    out
}

fn csv_row(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            // A cell a spreadsheet would run as a formula is kept as text.
            let c = &if c.starts_with(['=', '+', '-', '@']) {
                format!("'{c}")
            } else {
                c.clone()
            };
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

/// `summary.json`: the class at a glance.
pub fn summary(
    grades: &[StudentGrade],
    chapters: &[Chapter],
    expected: &[Expected],
    options: serde_json::Value,
) -> serde_json::Value {
    let max: u32 = chapters.iter().map(Chapter::points).sum();
    let mut exercises = BTreeMap::new();
    for c in chapters {
        for e in &c.exercises {
            let full = grades
                .iter()
                .filter(|g| {
                    g.exercises
                        .iter()
                        .any(|x| x.exercise == e.id && x.passed == x.total && x.total > 0)
                })
                .count();
            exercises.insert(
                e.id.clone(),
                serde_json::json!({"chapter": c.id, "points": e.points, "students_full_marks": full}),
            );
        }
    }
    let totals: Vec<f64> = grades.iter().map(|g| g.score).collect();
    let mean = if totals.is_empty() {
        0.0
    } else {
        round(totals.iter().sum::<f64>() / totals.len() as f64)
    };
    serde_json::json!({
        "students": grades.len(),
        "errors": grades.iter().filter(|g| g.status == Status::Error).count(),
        "max_score": max,
        "mean_score": mean,
        "tests_per_submission": expected.len(),
        "exercises": exercises,
        "scores": grades.iter().map(|g| (g.student.clone(), g.score)).collect::<BTreeMap<_, _>>(),
        "options": options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_points() {
        assert_eq!(shares(2, 6), [0.34, 0.34, 0.33, 0.33, 0.33, 0.33]);
        assert_eq!(shares(2, 30)[29], 0.06, "never negative");
        assert_eq!(shares(1, 300)[299], 0.0, "never more than its part");
        assert_eq!(shares(3, 3), [1.0, 1.0, 1.0]);
        assert_eq!(shares(3, 0), Vec::<f64>::new());
        for (points, tests) in [(2, 6), (3, 7), (13, 9), (1, 3), (2, 30), (1, 300)] {
            let sum: f64 = shares(points, tests).iter().sum();
            assert!(
                (sum - f64::from(points)).abs() < 1e-9,
                "{points} over {tests}: {sum}"
            );
        }
    }
}
