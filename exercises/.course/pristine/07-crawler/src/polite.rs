//! Exercise `polite`: be a good guest.
//!
//! A site is someone else's machine. A crawler that opens twenty connections to it at once, or
//! does not say who it is, or reads the pages the site asked robots to leave alone, gets
//! blocked, and deserves it. Three habits make a crawler polite:
//!
//! - **a per-host limit**: at most `per_host` requests in flight to one host (host and port)
//!   at any moment, however many fetchers there are. Other hosts are not slowed down by it:
//!   with two hosts and a limit of 2, four requests can be in flight, two on each;
//! - **a User-Agent** on every request, so that the site's owner can see who is calling;
//! - **robots.txt**: before anything else on a host, fetch `/robots.txt` once, and skip every
//!   path it disallows for all robots (`User-agent: *`).
//!
//! The per-host limit is a counter per host (a counting semaphore): a `Mutex` around the
//! hosts' state and a `Condvar`, as in chapter 5's "Beyond the mutex" and chapter 6's
//! `condvar_queue`, that a fetcher waits on until its host has room (or until the host's
//! robots.txt has arrived).

use std::fmt;
use std::io;
use std::time::Duration;

use ureq::Agent;
use url::Url;

// Given by the course, down to the end-of-given line: keep it as it is.
// Spoiler: `fetch` (widened to any text) and `classify` below are exercise 2's answer: do
// exercise 2 first.
/// How to behave towards the sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Politeness {
    /// Sent as the `User-Agent` header of every request (robots.txt included).
    pub user_agent: String,
    /// Requests in flight to one host (host and port) at most, robots.txt included.
    pub per_host: usize,
    /// Whether to fetch and obey each host's robots.txt.
    pub obey_robots: bool,
}

/// What one fetch may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// For one whole request: connecting, waiting for the answer, reading the body.
    pub timeout: Duration,
    /// The longest body accepted, in bytes.
    pub max_body: u64,
}

impl Default for Limits {
    /// 10 s and 1 MiB.
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(10),
            max_body: 1024 * 1024,
        }
    }
}

/// The rules of one host's robots.txt that apply to every robot: its `Disallow:` prefixes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    /// Each `Disallow:` value of the `User-agent: *` group, in file order (an empty
    /// `Disallow:` disallows nothing and is not listed).
    pub disallow: Vec<String>,
}

/// Why a URL gave no page (exercise 2's enum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The server answered with a status other than 2xx (404, 500, ...).
    Status(u16),
    /// The request took longer than [`Limits::timeout`].
    Timeout,
    /// The body is longer than [`Limits::max_body`].
    TooLarge,
    /// The response is not what was asked for: its `Content-Type` ("" if it had none).
    NotHtml(String),
    /// The body is not valid UTF-8.
    InvalidUtf8,
    /// The connection closed before the whole body arrived.
    Truncated,
    /// Too many redirects in a row.
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

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Fetched: the body's length in bytes.
    Page(usize),
    /// Fetched, but it failed.
    Failed(FetchError),
    /// Not fetched: the host's robots.txt disallows it.
    Disallowed,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The URL, as the crawl was given it.
    pub url: String,
    /// What became of it.
    pub outcome: Outcome,
}

/// Exercise 2's `fetch`, for any text: the body at `url`, or why there is none. A response
/// whose `Content-Type` does not start with `text/` is `NotHtml`. It never panics.
///
/// Unlike exercise 2's, it reads the body of a response it rejects (a 404, a PDF) too, up to
/// the limit, before it returns: only then is the request over for the server as well (it may
/// still be sending when the headers are here), so a fetch that has returned no longer counts
/// against the host's limit, and the connection can be used again.
pub fn fetch(agent: &Agent, url: &str, limits: &Limits) -> Result<String, FetchError> {
    let mut response = agent.get(url).call().map_err(classify)?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    let rejected = if !(200..=299).contains(&status) {
        Some(FetchError::Status(status))
    } else if !content_type.starts_with("text/") {
        Some(FetchError::NotHtml(content_type))
    } else {
        None
    };
    if let Some(rejected) = rejected {
        let _ = response
            .body_mut()
            .with_config()
            .limit(limits.max_body)
            .read_to_vec();
        return Err(rejected);
    }
    response
        .body_mut()
        .with_config()
        .limit(limits.max_body)
        .read_to_string()
        .map_err(classify)
}

fn classify(error: ureq::Error) -> FetchError {
    match error {
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge,
        ureq::Error::TooManyRedirects => FetchError::TooManyRedirects,
        ureq::Error::ConnectionFailed => FetchError::Connect,
        ureq::Error::Io(e) => match e.kind() {
            io::ErrorKind::ConnectionRefused => FetchError::Connect,
            io::ErrorKind::InvalidData => FetchError::InvalidUtf8,
            io::ErrorKind::UnexpectedEof => FetchError::Truncated,
            _ => FetchError::Other(e.to_string()),
        },
        other => FetchError::Other(other.to_string()),
    }
}

/// The host a URL belongs to for the per-host limit and for robots.txt: `host:port`
/// (`127.0.0.1:40123`; the scheme's own port when the URL names none), or `None` for a URL
/// that does not parse or has no host.
pub fn host_of(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    Some(format!(
        "{}:{}",
        url.host_str()?,
        url.port_or_known_default()?
    ))
}
// End of given.

/// The agent the fetchers share: like exercise 2's (`timeout_global(Some(limits.timeout))`,
/// `http_status_as_error(false)`, 16 idle connections per host), and with
/// `.user_agent(&politeness.user_agent)`, so that every request says who it is from.
///
/// The tests check that the site saw exactly one User-Agent, the configured one.
#[allow(unused_variables)]
pub fn agent(politeness: &Politeness, limits: &Limits) -> Agent {
    todo!("exercise 2's agent, with .user_agent(..)")
}

impl Robots {
    /// The rules for every robot in the text of a robots.txt.
    ///
    /// The file is a list of groups. A group is one or more `User-agent:` lines, then its
    /// rules (`Disallow: /prefix`, and others such as `Allow:` or `Crawl-delay:`, which this
    /// crawler ignores). Only the groups that have a `User-agent: *` line count here; their
    /// `Disallow:` values are collected in file order. Field names are case-insensitive,
    /// whitespace around names and values does not matter, everything after a `#` is a
    /// comment, and an empty `Disallow:` (it allows everything) is left out.
    ///
    /// The tests parse several files: other robots' groups, two `*` groups, comments,
    /// capitals, blank lines, an empty `Disallow:`, `\r\n` line ends.
    #[allow(unused_variables)]
    pub fn parse(text: &str) -> Robots {
        todo!("the Disallow values of the User-agent: * groups, in file order")
    }

    /// Whether a robot may fetch `path` (the URL's path and query, such as `/author/x/` or
    /// `/page/2/?sort=asc`): no `Disallow:` value is a prefix of it. `Disallow: /author/`
    /// disallows `/author/` and everything under it, and allows `/authors/`.
    #[allow(unused_variables)]
    pub fn allows(&self, path: &str) -> bool {
        todo!("no Disallow value is a prefix of the path")
    }
}

/// Fetches every URL of `urls` (on any number of hosts) with `fetchers` threads sharing one
/// [`agent`], politely, and returns one [`Record`] per URL, in any order.
///
/// - **Per host** (as [`host_of`] names it): at most `politeness.per_host` requests in flight
///   at once. A fetcher whose host is full waits (a `Condvar`) for a slot on THAT host; the
///   other hosts' requests go on meanwhile. One limit for all hosts together is wrong: with
///   two hosts and a limit of 2, four requests must be able to run at once.
/// - **robots.txt** (when `politeness.obey_robots`): the first fetcher to meet a host fetches
///   `http://host:port/robots.txt` (in one of the host's slots) before any other request to
///   that host; every other fetcher with a URL of that host waits until it is there. It is
///   fetched once per host. Then a URL whose path (and query) [`Robots::allows`] refuses is
///   not fetched: its record is [`Outcome::Disallowed`]. A robots.txt that cannot be had (a
///   404, or any other failure) allows everything.
/// - A URL is [`Outcome::Page`] with its body's length, or [`Outcome::Failed`]. A URL that
///   [`host_of`] cannot name is `Failed(FetchError::Other(..))`.
///
/// The tests use two sites (two ports: two hosts), URLs of both in turn, 6 fetchers and a
/// limit of 2 per host. Each site holds its first 2 requests in a gate until both are in
/// flight: both gates must open (one limit of 2 for both hosts together cannot do that when
/// the URLs alternate), and no site may ever see more than 2 at once (more than 1 with a
/// limit of 1). Every request carries the User-Agent. With `Disallow: /author/` on one site
/// and no robots.txt (a 404) on the other, and both robots.txt held for a while: nothing but
/// `/robots.txt` reaches either site while they are held, `/robots.txt` is asked for exactly
/// once per site, no `/author/` page is requested on the first site (each is reported
/// `Disallowed`), and everything else, `/authors/` included, is fetched.
#[allow(unused_variables)]
pub fn crawl_polite(
    urls: &[String],
    fetchers: usize,
    politeness: &Politeness,
    limits: &Limits,
) -> Vec<Record> {
    todo!(
        "fetchers, a per-host slot count behind a Mutex and a Condvar, robots.txt first for each host"
    )
}
