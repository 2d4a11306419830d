//! Exercise `notes_design`: the notes' crawler, exactly.
//!
//! ```text
//! for page in lt:
//!     # build the URL
//!     send the request, get the response   (threads for it: the producers)
//!     parse the response, save the content (threads for it: the consumers)
//! ```
//!
//! The fetchers are the producers: they take URLs, fetch them with one shared
//! [`ureq::Agent`], and put each [`Page`] into one `bounded(capacity)` queue. The parsers are
//! the consumers: they take pages out of the queue and pick the quotes out of them. Neither
//! side knows the other; each deals only with the queue.
//!
//! Only plain `String`s cross from thread to thread: a parsed `scraper::Html` document is not
//! `Send` (it shares its strings without atomic counts), so it is made, used and dropped inside
//! the parser that needs it.

use std::time::Duration;

use ureq::Agent;

// Given by the course, down to the end-of-given line: keep it as it is.
/// A fetched page: what a fetcher puts into the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The URL it was fetched from, as the fetcher was given it.
    pub url: String,
    /// The response's status code (200, 404, ...), or 0 if there was no response at all.
    pub status: u16,
    /// The response's body as text (empty if it could not be read).
    pub body: String,
}

/// One quote from a list page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quote {
    /// The text, without the curly quotes (“ ”) around it, HTML entities decoded.
    pub text: String,
    /// The author's name as shown.
    pub author: String,
    /// The tags, in page order.
    pub tags: Vec<String>,
}

/// What the parsers made of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The page's URL, as the crawl was given it.
    pub url: String,
    /// The page's status code (0 if there was no response).
    pub status: u16,
    /// The quotes on it, in page order.
    pub quotes: Vec<Quote>,
}

/// How many threads work on each side of the queue, and how many pages the queue holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crawl {
    /// Producer threads: each takes a URL, fetches it, puts the page into the queue.
    pub fetchers: usize,
    /// Consumer threads: each takes a page out of the queue and parses it.
    pub parsers: usize,
    /// How many pages the queue holds (`bounded(capacity)`).
    pub capacity: usize,
}

impl Crawl {
    /// The notes' numbers: 3 fetching threads, 3 parsing threads, and chapter 6's `Queue(5)`.
    pub const NOTES: Crawl = Crawl {
        fetchers: 3,
        parsers: 3,
        capacity: 5,
    };
}

/// How long one request may take in all: connecting, sending, waiting and reading the body.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How many idle connections the agent keeps open to one host, ready for the next request:
/// at least as many as there are fetchers, so that every fetcher finds its connection again.
pub const IDLE_PER_HOST: usize = 16;
// End of given.

/// The one agent that all fetchers share (clone it: the clones share one connection pool).
///
/// Build it with `Agent::config_builder()`:
/// - `.timeout_global(Some(REQUEST_TIMEOUT))`, so that no request waits for ever;
/// - `.http_status_as_error(false)`, so that a 404 is a response with a status, not an `Err`;
/// - `.max_idle_connections_per_host(IDLE_PER_HOST)` (and `.max_idle_connections(..)` at least
///   as large), so that every fetcher's connection is kept open for its next request (the
///   default keeps 3);
///
/// then `.build().into()`.
///
/// The tests check, through the crawl, that a 404 comes back as a page with status 404, and
/// that 8 fetchers open at most 8 connections to the site however many pages they fetch.
pub fn agent() -> Agent {
    todo!("Agent::config_builder() with the settings above, then .build().into()")
}

/// The quotes on a list page, in page order.
///
/// Each quote is a `div.quote`; inside it, `span.text` holds the text between curly quotes
/// (“...”: strip them), `small.author` the author, and each `a.tag` one tag. Use
/// `Html::parse_document` and `Selector::parse` (a `Selector` is made once and used for every
/// quote), `element.select(&selector)` to look inside one quote, and `element.text()` for its
/// text (entities such as `&amp;` are decoded already). A page without quotes has none: that is
/// not an error.
///
/// The tests compare the quotes of every list page with what the site put there
/// (`Site::expected_quotes`), including texts with `&`, `<` and quotes in them.
#[allow(unused_variables)]
pub fn parse_quotes(html: &str) -> Vec<Quote> {
    todo!("Html::parse_document, a Selector for div.quote and one for each part inside it")
}

/// Crawls `urls`: `crawl.fetchers` fetcher threads and `crawl.parsers` parser threads around
/// one `bounded(crawl.capacity)` queue of [`Page`]s, and returns one [`Parsed`] per URL, in any
/// order.
///
/// - The fetchers share one [`agent`] (clones of it) and take the URLs from one shared source
///   (a channel that holds them all is the simplest), each URL by exactly one fetcher. A fetcher
///   holds no lock while it fetches: the fetches overlap. It reads the body as text and puts
///   `Page { url, status, body }` into the queue. If the body cannot be read (it is cut short,
///   say), the status stays and the body is empty; a request that fails without a response (no
///   connection, a timeout) gives status 0 and an empty body.
/// - The parsers take pages out of the queue and call `parse(&page)` on each (the tests pass
///   a `parse` that calls your [`parse_quotes`] and watches the threads), making a [`Parsed`].
///   Parsing happens only here: a fetcher that parsed its own pages could not fetch meanwhile.
/// - Nothing ends the crawl but the channels: when every URL is taken and every fetcher has
///   dropped its `Sender`, the parsers' loops end. No sentinel, every thread joined.
///
/// The tests check: each URL comes back exactly once and each page is requested once; with
/// `fetchers` fetchers the site sees `fetchers` requests at once (a gate in the site waits for
/// them) and never more; the first `parse` can wait until the fetcher has sent another request;
/// `parsers` parsers parse at the same time; with one parser stuck, the fetcher stops after
/// `1 + capacity + 1` requests (one page being parsed, `capacity` in the queue, one in its hand:
/// the queue is bounded), and 8 fetchers after `8 + 1 + capacity`; the fetchers reuse their
/// connections (one shared agent, not one per request), also after they all waited at a full
/// queue; a URL that answers 404 gives a page with status 404, one whose body is cut short
/// status 200 and an empty body, one where nothing listens status 0; and the quotes, keyed by
/// path, match a snapshot.
#[allow(unused_variables)]
pub fn crawl(
    urls: &[String],
    crawl: Crawl,
    parse: &(dyn Fn(&Page) -> Vec<Quote> + Sync),
) -> Vec<Parsed> {
    todo!(
        "a channel of URLs, fetcher threads sharing one agent, one bounded(capacity) queue of Pages, parser threads calling parse"
    )
}
