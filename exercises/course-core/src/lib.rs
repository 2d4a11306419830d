//! What the course is, for every tool that reads it: the learner's `cargo course` in
//! `exercises/course`, and the authors' and instructors' tools in the repository's `crates/`.
//!
//! It lives in the learners' workspace, with light dependencies, so that `exercises/` handed out
//! alone still has everything its tool needs; the tools in `crates/` depend on it by path, so
//! there is one copy of the manifest code.
//!
//! - [`manifest`]: `exercises/course.toml`, the one list of chapters and exercises, with typed
//!   ids ([`manifest::ChapterId`], [`manifest::ExerciseId`]) checked as the file is read.
//! - [`layout`]: where the book, the exercises and the solutions live, and whether they agree.
//! - [`files`]: which files under a course folder are the course's.
//! - [`runner`]: builds a crate's tests and runs them test by test, with a time limit.
//! - [`pristine`]: the exercises as they were handed out, for `cargo course reset`.

pub mod files;
pub mod layout;
pub mod manifest;
pub mod pristine;
pub mod runner;
