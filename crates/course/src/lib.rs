//! The `course` tool of "Multitasking in Rust", as a library.
//!
//! `main.rs` is a thin shell around [`cli::run`]; everything it does is here, so the course's
//! integration tests can call the same code the command runs.
//!
//! - [`manifest`]: `exercises/course.toml`, the one list of chapters and exercises.
//! - [`layout`]: where the book, the exercises and the solutions live, and whether they agree.
//! - [`runner`]: builds a crate's tests and runs them test by test, with a time limit.
//! - [`check`]: every test fails on the stub and passes on the solution.
//! - [`progress`]: which of a learner's exercises pass.
//! - [`hint`]: an exercise's hint.
//! - [`grade`]: grades a class's submissions in a sandbox, into a gradebook and feedback.
//! - [`book`]: builds the book with mdBook's library and serves it.

pub mod book;
pub mod check;
pub mod cli;
pub mod grade;
pub mod hint;
pub mod layout;
pub mod manifest;
pub mod progress;
pub mod runner;
pub mod ui;
