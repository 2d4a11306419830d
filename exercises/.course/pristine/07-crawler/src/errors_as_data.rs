//! Exercise `errors_as_data`: errors are data.
//!
//! A crawler meets pages that are missing (404), broken (500), slow, too large, not HTML, not
//! UTF-8, cut short, or that redirect for ever, and hosts where nothing listens. None of that
//! is a reason to stop, let alone to panic: each one becomes a [`Record`] in the report, beside
//! the pages that worked, and every URL given to the crawl comes back exactly once.
//!
//! The shape is exercise 1's (fetchers, one bounded queue, parsers). This module must stand on
//! its own, so copy what you need from your `notes_design` rather than calling it.

use std::fmt;
use std::time::Duration;

use ureq::Agent;

// Given by the course, down to the end-of-given line: keep it as it is.
pub use crate::notes_design::{Crawl, Page, Quote};

/// Why a URL gave no page. One variant for each kind of failure, so that a report can count
/// them by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The server answered with a status other than 2xx (404, 500, ...).
    Status(u16),
    /// The request took longer than [`Limits::timeout`], waiting or reading the body.
    Timeout,
    /// The body is longer than [`Limits::max_body`].
    TooLarge,
    /// The response is not HTML: its `Content-Type` (the whole header, or "" if it had none).
    NotHtml(String),
    /// The body is not valid UTF-8.
    InvalidUtf8,
    /// The connection closed before the whole body (as long as `Content-Length` said) arrived.
    Truncated,
    /// More than [`Limits::max_redirects`] redirects in a row.
    TooManyRedirects,
    /// No connection at all: nothing listens at that address.
    Connect,
    /// Anything else, described.
    Other(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Status(code) => write!(f, "status {code}"),
            FetchError::Timeout => write!(f, "timed out"),
            FetchError::TooLarge => write!(f, "body over the size limit"),
            FetchError::NotHtml(content_type) => write!(f, "not HTML ({content_type:?})"),
            FetchError::InvalidUtf8 => write!(f, "body is not valid UTF-8"),
            FetchError::Truncated => write!(f, "body cut short"),
            FetchError::TooManyRedirects => write!(f, "too many redirects"),
            FetchError::Connect => write!(f, "cannot connect"),
            FetchError::Other(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for FetchError {}

/// What a fetch may cost at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// For the whole request: connecting, waiting for the answer, reading the body.
    pub timeout: Duration,
    /// The longest body accepted, in bytes.
    pub max_body: u64,
    /// How many redirects are followed before the request gives up.
    pub max_redirects: u32,
}

impl Default for Limits {
    /// 10 s, 1 MiB and 5 redirects.
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(10),
            max_body: 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// One line of the report: a URL and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The URL, as the crawl was given it.
    pub url: String,
    /// The quotes on the page (none is fine: a page without quotes is not an error), or why
    /// there was no page.
    pub outcome: Result<Vec<Quote>, FetchError>,
}
// End of given.

/// The agent for [`fetch`]: like exercise 1's, with `limits` built in.
///
/// `Agent::config_builder()` with `.timeout_global(Some(limits.timeout))`,
/// `.http_status_as_error(false)` (a 404 is a response you look at, not an `Err`),
/// `.max_redirects(limits.max_redirects)` (past that, the request fails with
/// `ureq::Error::TooManyRedirects`), `.max_idle_connections_per_host(16)` and
/// `.max_idle_connections(16)`; then `.build().into()`.
#[allow(unused_variables)]
pub fn agent(limits: &Limits) -> Agent {
    todo!("exercise 1's agent, with the timeout and the redirects from `limits`")
}

/// Fetches `url` with `agent` (made by [`agent`] from the same `limits`): the page, or the one
/// [`FetchError`] that says what went wrong. It never panics.
///
/// In this order:
/// 1. `agent.get(url).call()`. An `Err` here is a failure without a usable response.
/// 2. A status outside 200..=299 is `Status(code)`; the body is not read.
/// 3. A `Content-Type` header that does not start with `text/html` is `NotHtml(header)`
///    (`NotHtml("")` without one); the body is not read.
/// 4. The body: `response.body_mut().with_config().limit(limits.max_body).read_to_string()`.
///    (The plain `read_to_string()` would do neither: its limit is 10 MiB, and it replaces
///    invalid UTF-8 with U+FFFD instead of failing.)
///
/// How ureq 3 reports each failure, at `call()` or while the body is read, and its
/// [`FetchError`]:
///
/// | `ureq::Error` | [`FetchError`] |
/// |---|---|
/// | `Timeout(_)` (the slow page, and the body that drips in too slowly) | `Timeout` |
/// | `BodyExceedsLimit(_)` | `TooLarge` |
/// | `TooManyRedirects` | `TooManyRedirects` |
/// | `Io(e)` with `e.kind() == io::ErrorKind::ConnectionRefused`, or `ConnectionFailed` | `Connect` |
/// | `Io(e)` with `e.kind() == io::ErrorKind::InvalidData` (while reading the body) | `InvalidUtf8` |
/// | `Io(e)` with `e.kind() == io::ErrorKind::UnexpectedEof` (while reading the body) | `Truncated` |
/// | anything else | `Other(error.to_string())` |
///
/// The tests fetch every fault page of the site, its healthy pages, and a port where nothing
/// listens, and compare each outcome with the table above.
#[allow(unused_variables)]
pub fn fetch(agent: &Agent, url: &str, limits: &Limits) -> Result<Page, FetchError> {
    todo!(
        "call(), then the status, the Content-Type, and the body with a limit; map each ureq error to its FetchError"
    )
}

/// Crawls `urls` like exercise 1's `crawl` (`crawl.fetchers` fetchers sharing one [`agent`],
/// one `bounded(crawl.capacity)` queue, `crawl.parsers` parsers), with [`fetch`] for every URL,
/// and returns exactly one [`Record`] per URL, in any order.
///
/// - A page that [`fetch`] got is parsed by a parser into its quotes (the same markup as
///   exercise 1: `div.quote`, `span.text` without its curly quotes, `small.author`, `a.tag`);
///   a page without quotes gives `Ok(vec![])`.
/// - A failure is a record too: `Err(the FetchError)`. A fetcher goes on with the next URL after
///   it; it does not retry (one attempt, one record) and it does not stop.
///
/// The tests crawl every fault page mixed with healthy pages and a dead port, with 1 and 3
/// fetchers: the crawl ends within the time limit, every URL has exactly one record, each
/// record's outcome is what `fetch` gives for it (snapshotted by path), and every healthy
/// page's quotes are all there.
#[allow(unused_variables)]
pub fn crawl_report(urls: &[String], crawl: Crawl, limits: &Limits) -> Vec<Record> {
    todo!(
        "exercise 1's crawl with `fetch`: every URL gives exactly one Record, Ok(quotes) or Err(why)"
    )
}
