//! `course next`: the exercise to do now, and everything needed to start it.
//!
//! "Next" is the first exercise, in the manifest's order, that does not pass yet: the order the
//! book teaches them in. The answer comes from `progress` (so it is remembered, and costs a look
//! at the files when nothing changed).

use crate::progress::{ChapterProgress, ExerciseProgress, State};
use course_core::layout::Course;
use course_core::manifest::{Chapter, Exercise};

/// The first exercise that does not pass yet, with its chapter and its progress; `None` when
/// every exercise passes.
pub fn first_unfinished<'c>(
    course: &'c Course,
    chapters: &[ChapterProgress],
) -> Option<(&'c Chapter, &'c Exercise, ExerciseProgress)> {
    chapters
        .iter()
        .flat_map(|chapter| &chapter.exercises)
        .find(|exercise| exercise.state != State::Done)
        .and_then(|progress| {
            let (chapter, exercise) = course.manifest.exercise(progress.id.as_str())?;
            Some((chapter, exercise, progress.clone()))
        })
}

/// Where the exercise stands, in a few words.
pub fn state_text(state: &State) -> String {
    match state {
        State::Done => "done".to_owned(),
        State::Partial {
            passed: 0,
            total: 0..=1,
        } => "its test does not pass yet".to_owned(),
        State::Partial { passed: 0, total } => format!("none of its {total} tests pass yet"),
        State::Partial { passed, total } => format!("{passed} of its {total} tests pass"),
        State::DoesNotCompile => "its chapter does not compile".to_owned(),
        State::Missing => "its chapter's folder is missing".to_owned(),
    }
}

/// The exercise's file, as the learner opens it from the exercises folder.
pub fn shown_file(course: &Course, chapter: &Chapter, exercise: &Exercise) -> String {
    let file = course.exercise_file(chapter, exercise);
    let file = file.strip_prefix(&course.exercises).unwrap_or(&file);
    file.display().to_string()
}

/// What `course next` prints: the exercise, its file, its page in the book, and the commands.
pub fn describe(course: &Course, chapter: &Chapter, exercise: &Exercise, state: &State) -> String {
    let page = chapter.page.replace(".md", ".html");
    format!(
        "Next: `{id}`, in chapter {chapter_id} ({title}): {state}.\n\
         \n  write   {file}\
         \n  read    the chapter's page in the book, {page} (`cargo course book` at the repository's root serves it)\
         \n  test    cargo test -p {package} --test {test}\
         \n  stuck?  cargo course hint {id}\n",
        id = exercise.id,
        chapter_id = chapter.id,
        title = chapter.title,
        state = state_text(state),
        file = shown_file(course, chapter, exercise),
        package = chapter.package(),
        test = exercise.test,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::ExerciseProgress;

    fn course() -> Course {
        Course::open_repo(&course_core::layout::repo_root()).expect("the course opens")
    }

    /// Every exercise of the course with one state, except the ones named.
    fn all(course: &Course, state: State, except: &[(&str, State)]) -> Vec<ChapterProgress> {
        course
            .manifest
            .chapters
            .iter()
            .map(|chapter| ChapterProgress {
                id: chapter.id.clone(),
                title: chapter.title.clone(),
                exercises: chapter
                    .exercises
                    .iter()
                    .map(|e| ExerciseProgress {
                        id: e.id.clone(),
                        state: except
                            .iter()
                            .find(|(id, _)| *id == e.id.as_str())
                            .map_or(state.clone(), |(_, s)| s.clone()),
                        failing: Vec::new(),
                    })
                    .collect(),
                build_error: None,
            })
            .collect()
    }

    #[test]
    fn next_is_the_first_exercise_in_the_manifest_that_does_not_pass() {
        let course = course();
        let ids = course.manifest.exercise_ids();
        let failing = State::Partial {
            passed: 1,
            total: 3,
        };
        // Nothing done: the very first exercise.
        let none = all(&course, failing.clone(), &[]);
        let (_, first, _) = first_unfinished(&course, &none).expect("something to do");
        assert_eq!(first.id.as_str(), ids[0]);
        // Done up to a later exercise, with one after it done too: the gap comes first.
        let gap = all(
            &course,
            State::Done,
            &[(ids[5], State::DoesNotCompile), (ids[9], failing.clone())],
        );
        let (chapter, next, progress) = first_unfinished(&course, &gap).expect("a gap");
        assert_eq!(next.id.as_str(), ids[5]);
        assert_eq!(progress.state, State::DoesNotCompile);
        assert_eq!(
            course.manifest.exercise(ids[5]).map(|(c, _)| &c.id),
            Some(&chapter.id)
        );
        // Everything done: nothing next.
        assert!(first_unfinished(&course, &all(&course, State::Done, &[])).is_none());
    }

    #[test]
    fn the_description_names_the_file_the_page_and_the_commands() {
        let course = course();
        let (chapter, exercise) = course.manifest.exercise("parallel").expect("an exercise");
        let text = describe(
            &course,
            chapter,
            exercise,
            &State::Partial {
                passed: 0,
                total: 4,
            },
        );
        for part in [
            "Next: `parallel`, in chapter 01-sync-async",
            "none of its 4 tests pass yet",
            "write   01-sync-async/src/parallel.rs",
            "01-sync-async/index.html",
            "test    cargo test -p sync-async --test parallel",
            "stuck?  cargo course hint parallel",
        ] {
            assert!(text.contains(part), "{part:?} is not in:\n{text}");
        }
    }
}
