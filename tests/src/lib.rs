//! The book's code, compiled and run by `cargo test`.
//!
//! `build.rs` preprocesses the book with mdBook and makes each page the documentation of an
//! empty module here (`page_<path>`), so every ```` ```rust ```` block in the book is a doctest
//! of this crate, with this crate's dependencies. A block marked `no_run` is only compiled, and
//! `compile_fail` must fail to compile.
//!
//! The crate's integration tests (in `tests/`) check the rest of the course: the manifest
//! against the folders, every exercise test against its stub and its solution, and the book.

include!(concat!(env!("OUT_DIR"), "/book_pages.rs"));
