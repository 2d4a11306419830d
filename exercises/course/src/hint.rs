//! `course hint EXERCISE`: prints an exercise's hint from the manifest.

use anyhow::{Result, bail};
use course_core::layout::Course;
use course_core::manifest::{Chapter, Exercise};

/// The exercise named `id` and its chapter, or an error that lists the valid names.
pub fn find<'c>(course: &'c Course, id: &str) -> Result<(&'c Chapter, &'c Exercise)> {
    let Some(found) = course.manifest.exercise(id) else {
        bail!(
            "no exercise `{id}` in {}; valid names: {}",
            course.manifest_path().display(),
            course.manifest.exercise_ids().join(", ")
        );
    };
    Ok(found)
}

/// The text `course hint` prints for `id`, or an error that lists the valid names.
pub fn hint(course: &Course, id: &str) -> Result<String> {
    let (chapter, exercise) = find(course, id)?;
    Ok(format!(
        "Hint for `{}` ({}, exercises/{}/tests/{}.rs):\n\n{}\n\nRun it: cd exercises && cargo test -p {} --test {}\n",
        exercise.id,
        chapter.title,
        chapter.id,
        exercise.test,
        with_book_note(&exercise.hint),
        chapter.package(),
        exercise.test
    ))
}

/// The line that ends every hint, naming the book's section that teaches the exercise:
/// `Read: <page>.html#<anchor> ("<heading>")`.
pub const READ_PREFIX: &str = "Read: ";

/// What the hint's last line names after [`READ_PREFIX`] (`<page>.html#<anchor> ("<heading>")`),
/// if it is a `Read:` line.
pub fn read_section(hint: &str) -> Option<&str> {
    hint.trim_end().lines().last()?.strip_prefix(READ_PREFIX)
}

/// What a learner needs to follow the `Read:` line: where the book is.
pub const BOOK_NOTE: &str = "(a page of the book: `cargo course book` at the repository's root serves it on http://127.0.0.1:3000)";

/// The hint without trailing whitespace, and, when it ends with a `Read:` line, [`BOOK_NOTE`]
/// under that line.
pub fn with_book_note(hint: &str) -> String {
    let hint = hint.trim_end();
    if read_section(hint).is_some() {
        format!("{hint}\n{BOOK_NOTE}")
    } else {
        hint.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_line_gets_the_book_note_under_it() {
        let hint = "Call add.\nRead: 01-demo/index.html#adding (\"Adding\")\n";
        assert_eq!(
            with_book_note(hint),
            format!("Call add.\nRead: 01-demo/index.html#adding (\"Adding\")\n{BOOK_NOTE}")
        );
    }

    #[test]
    fn a_hint_without_a_read_line_is_printed_as_it_is() {
        assert_eq!(with_book_note("Call add.\n\n"), "Call add.");
        assert_eq!(
            with_book_note("Read: this first.\nThen add."),
            "Read: this first.\nThen add."
        );
    }
}
