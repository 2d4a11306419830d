// Given by the course, down to the end-of-given line: keep it as it is.
//! Chapter 7: the multi-threaded crawler (多线程爬虫).
//!
//! The notes' crawler is the producer–consumer model of chapter 6 put to work: for every page
//! in a list (`for page in lt:`) build its URL; three threads fetch pages (the producers), three
//! threads parse them and save what they find (the consumers), and a queue sits between them.
//! Each side deals only with the queue ("high cohesion, low coupling").
//!
//! Each exercise is one module, and `cargo test -p crawler --test <module>` checks it against
//! a local fixture site on 127.0.0.1 (`test_support::site`; start it yourself with
//! `cargo run -p crawler --example site` and look at it in a browser):
//!
//! - [`notes_design`]: the notes' design exactly: fetchers sharing one `ureq::Agent`, a
//!   `bounded` queue of pages, parsers that pick the quotes out with `scraper`;
//! - [`errors_as_data`]: a 404, a timeout, a body that is too large or not UTF-8 becomes a
//!   record in the report, never a panic, and every URL is accounted for exactly once;
//! - [`recursive`]: start from one page and follow its links: a coordinator owns the visited
//!   set and counts the pages in flight, because dropping senders alone cannot end a crawl
//!   whose parsers also find new URLs;
//! - [`polite`]: a per-host limit on requests in flight, a User-Agent, and robots.txt
//!   fetched first and obeyed;
//! - [`stopping`]: a stop signal and a deadline, watched with `select!`: the crawl finishes
//!   what is in flight, reports what it never fetched, and joins every thread.
//!
//! The crate's program (`src/main.rs`, given) is [`stopping::crawl_until`] as a tool: a
//! crawler and link checker for any http site, with a progress bar and a summary
//! (`cargo run -p crawler --release -- --help`).
//!
//! This file is given: you do not need to change it.

pub mod errors_as_data;
pub mod notes_design;
pub mod polite;
pub mod recursive;
pub mod stopping;
// End of given.
