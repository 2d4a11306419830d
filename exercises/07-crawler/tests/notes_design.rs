//! Exercise `notes_design`: fetchers → one bounded queue → parsers, against the fixture site.
//!
//! The site (`test_support::site`) runs on 127.0.0.1 and counts what the crawler does to it:
//! requests in flight (and the peak), hits per path, client connections, and the arrival of
//! each request. A gate in the site can hold the first `n` requests until `n` are in flight at
//! once, which proves that the fetches overlap. No test sleeps: every wait is on a gate or a
//! channel, with a time limit, so a wrong crawler fails with a message instead of hanging.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use crawler::notes_design::{Crawl, Page, Parsed, Quote, crawl, parse_quotes};
use crossbeam_channel::{Receiver, RecvTimeoutError, bounded};
use test_support::{Deadline, Fault, Gate, Site, SiteConfig, TIMEOUT, within};

const HANG: &str = "crawl did not return: are the parsers still waiting for pages? Every \
                    fetcher must drop its Sender when the URLs run out (and the original \
                    Sender must be gone too), so that the parsers' `for page in rx` ends";

fn site_with(pages: usize) -> SiteConfig {
    SiteConfig {
        pages,
        ..SiteConfig::default()
    }
}

/// The plain parse: your `parse_quotes` on the page's body.
fn plain(page: &Page) -> Vec<Quote> {
    parse_quotes(&page.body)
}

/// The part of `url` after the site's address: "/page/2/" (never the port).
fn path_of<'a>(site: &Site, url: &'a str) -> &'a str {
    url.strip_prefix(&site.base_url())
        .unwrap_or_else(|| panic!("{url} is not on the site"))
}

/// Checks that every URL of `urls` came back exactly once, and nothing else did.
fn assert_each_url_once(urls: &[String], parsed: &[Parsed]) {
    let mut got: BTreeMap<&str, usize> = BTreeMap::new();
    for p in parsed {
        *got.entry(p.url.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = got.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "these URLs came back more than once (URL, times): {twice:?}. Does each URL go to \
         exactly one fetcher, and each page to exactly one parser?"
    );
    let missing: Vec<_> = urls
        .iter()
        .filter(|u| !got.contains_key(u.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "these URLs never came back: {missing:?}. Did a fetcher or a parser stop early, or \
         were its results lost (join every thread and keep what it returns)?"
    );
    assert_eq!(
        parsed.len(),
        urls.len(),
        "one Parsed per URL, and no other: {parsed:#?}"
    );
}

/// Checks that the site served each list page exactly once.
fn assert_each_page_hit_once(site: &Site) {
    let hits = site.hits();
    for url in site.list_urls() {
        let path = path_of(site, &url);
        assert_eq!(
            hits.get(path).copied().unwrap_or(0),
            1,
            "the site served {path} {} times, not once: is each URL fetched by exactly one \
             fetcher, once? (all hits: {hits:?})",
            hits.get(path).copied().unwrap_or(0)
        );
    }
}

/// The quotes the site put on each list page, keyed by path.
fn expected_by_path(site: &Site) -> BTreeMap<String, Vec<Quote>> {
    let mut expected: BTreeMap<String, Vec<Quote>> = site
        .list_urls()
        .iter()
        .map(|url| (path_of(site, url).to_owned(), Vec::new()))
        .collect();
    for q in site.expected_quotes() {
        expected.entry(q.page.clone()).or_default().push(Quote {
            text: q.text,
            author: q.author,
            tags: q.tags,
        });
    }
    expected
}

#[test]
fn the_notes_crawl_finds_every_quote_once() {
    let (by_path, expected) = within(HANG, || {
        let site = Site::start(SiteConfig::default());
        let urls = site.list_urls();
        let parsed = crawl(&urls, Crawl::NOTES, &plain);
        assert_each_url_once(&urls, &parsed);
        assert_each_page_hit_once(&site);
        let by_path: BTreeMap<String, Vec<Quote>> = parsed
            .into_iter()
            .map(|p| {
                assert_eq!(p.status, 200, "{} answered 200", p.url);
                (path_of(&site, &p.url).to_owned(), p.quotes)
            })
            .collect();
        (by_path, expected_by_path(&site))
    });
    for (path, quotes) in &expected {
        assert_eq!(
            by_path.get(path),
            Some(quotes),
            "the quotes parsed from {path} differ from what the site shows: are the curly \
             quotes stripped, and are all the tags there, in page order?"
        );
    }
    let mut lines = Vec::new();
    for (path, quotes) in &by_path {
        for q in quotes {
            lines.push(format!(
                "{path} | {} | {} | {}",
                q.text,
                q.author,
                q.tags.join(", ")
            ));
        }
    }
    insta::assert_snapshot!("quotes_by_path", lines.join("\n"));
}

#[test]
fn parse_quotes_finds_what_the_site_shows() {
    let site = Site::start(site_with(3));
    let expected = expected_by_path(&site);
    let agent = ureq::agent();
    for url in site.list_urls() {
        let body = agent
            .get(&url)
            .call()
            .and_then(|mut r| r.body_mut().read_to_string())
            .unwrap_or_else(|e| panic!("the test could not fetch {url}: {e}"));
        let path = path_of(&site, &url);
        assert_eq!(
            &parse_quotes(&body),
            &expected[path],
            "parse_quotes on {path} found other quotes than the site shows: one Quote per \
             div.quote, the text of its span.text without “ and ”, its small.author, and the \
             text of each a.tag in order"
        );
    }
}

#[test]
fn parse_quotes_decodes_entities_and_accepts_a_page_without_quotes() {
    let html = r#"<html><body>
        <div class="quote"><span class="text">“Fish &amp; chips &lt;3, &quot;said&quot; she”</span>
        <span>by <small class="author">A. N. Other</small> <a href="/author/a/">(about)</a></span>
        <div class="tags">Tags: <a class="tag" href="/tag/x/">x</a> <a class="tag" href="/tag/y-z/">y-z</a></div></div>
        <div class="quote"><span class="text">“No tags”</span>
        <span>by <small class="author">B</small></span><div class="tags">Tags:</div></div>
        </body></html>"#;
    assert_eq!(
        parse_quotes(html),
        vec![
            Quote {
                text: "Fish & chips <3, \"said\" she".into(),
                author: "A. N. Other".into(),
                tags: vec!["x".into(), "y-z".into()],
            },
            Quote {
                text: "No tags".into(),
                author: "B".into(),
                tags: vec![],
            },
        ],
        "use the elements' text() (it decodes &amp; and friends), strip the curly quotes, \
         and let a quote without tags have an empty list"
    );
    assert_eq!(
        parse_quotes("<html><body><p>No quotes here</p></body></html>"),
        vec![],
        "a page without div.quote has no quotes (and that is not an error)"
    );
}

/// `fetchers` fetchers on a site whose gate holds the first `fetchers` requests until that
/// many are in flight together.
fn fetches_overlap(fetchers: usize) {
    let pages = 2 * fetchers + 3;
    let (opened, peak, connections) = within(HANG, move || {
        let site = Site::start(SiteConfig {
            pages,
            gate: Some(fetchers),
            ..SiteConfig::default()
        });
        let urls = site.list_urls();
        let parsed = crawl(
            &urls,
            Crawl {
                fetchers,
                parsers: 3,
                capacity: 5,
            },
            &plain,
        );
        assert_each_url_once(&urls, &parsed);
        assert_each_page_hit_once(&site);
        (
            site.gate_opened(),
            site.peak_in_flight(),
            site.connections(),
        )
    });
    assert!(
        opened,
        "the site's gate waited for {fetchers} requests in flight at once and they never came \
         (peak {peak}): do the {fetchers} fetchers run at the same time? A fetcher must not \
         hold a lock (on the URL list, on the queue, on the agent) while it fetches"
    );
    assert!(
        peak <= fetchers,
        "the site saw {peak} requests at once from {fetchers} fetcher(s): start exactly \
         `crawl.fetchers` fetcher threads (not one per URL), each fetching one page at a time"
    );
    assert!(
        connections <= fetchers,
        "{fetchers} fetcher(s) opened {connections} connections for {pages} pages: share ONE \
         agent (clone it into the fetchers) and keep enough idle connections per host \
         (IDLE_PER_HOST), so that each fetcher reuses its connection instead of opening a new \
         one per request"
    );
}

#[test]
fn one_fetcher() {
    fetches_overlap(1);
}

#[test]
fn three_fetchers_overlap_and_never_exceed_three() {
    fetches_overlap(3);
}

#[test]
fn eight_fetchers_overlap_and_never_exceed_eight() {
    fetches_overlap(8);
}

/// Waits until `n` requests in all have arrived at the site; panics with `why` if they do not.
fn await_arrivals(arrivals: &Receiver<String>, n: usize, deadline: Deadline, why: &str) {
    for k in 1..=n {
        if arrivals.recv_timeout(deadline.remaining()).is_err() {
            panic!("{why} (only {} request(s) arrived)", k - 1);
        }
    }
}

#[test]
fn the_parsers_do_the_parsing_so_the_fetcher_goes_on_meanwhile() {
    // One fetcher, one parser. The first parse waits until the site has seen a second request:
    // the fetcher has put page 1 into the queue and gone on to fetch page 2. A fetcher that
    // parses its own pages (calls `parse` itself) is still inside that first parse, so the
    // second request never comes.
    let failure = within(HANG, || {
        let site = Site::start(site_with(4));
        let arrivals = site.arrivals();
        let first = Mutex::new(true);
        let failure = Mutex::new(None::<String>);
        let urls = site.list_urls();
        let parsed = crawl(
            &urls,
            Crawl {
                fetchers: 1,
                parsers: 1,
                capacity: 5,
            },
            &|page: &Page| {
                if std::mem::take(&mut *first.lock().unwrap()) {
                    let deadline = Deadline::from_now();
                    for _ in 0..2 {
                        if arrivals.recv_timeout(deadline.remaining()).is_err() {
                            *failure.lock().unwrap() = Some(format!(
                                "while the first page was being parsed (on thread {:?}), the \
                                 fetcher sent no further request within {} s: is `parse` \
                                 called by the fetcher itself? The fetcher only fetches and \
                                 puts the Page into the queue; a parser thread takes it out \
                                 and calls `parse`",
                                thread::current().name().unwrap_or("unnamed"),
                                TIMEOUT.as_secs()
                            ));
                            break;
                        }
                    }
                }
                plain(page)
            },
        );
        assert_each_url_once(&urls, &parsed);
        failure.into_inner().unwrap()
    });
    if let Some(failure) = failure {
        panic!("{failure}");
    }
}

#[test]
fn the_parsers_parse_at_the_same_time() {
    // One fetcher and three parsers: each parser's first page waits at a gate for the other
    // two. Three parsers that take turns (or one parser, or parsing in the fetcher) never get
    // three pages into `parse` at once.
    let (opened, seen) = within(HANG, || {
        let site = Site::start(site_with(6));
        let gate = Gate::new(3);
        let seen = Mutex::new(HashSet::new());
        let urls = site.list_urls();
        let parsed = crawl(
            &urls,
            Crawl {
                fetchers: 1,
                parsers: 3,
                capacity: 5,
            },
            &|page: &Page| {
                if seen.lock().unwrap().insert(thread::current().id()) {
                    gate.wait();
                }
                plain(page)
            },
        );
        assert_each_url_once(&urls, &parsed);
        (gate.opened(), seen.into_inner().unwrap().len())
    });
    assert!(
        opened,
        "3 parsers were never inside `parse` at the same time ({seen} thread(s) called it): \
         start `crawl.parsers` parser threads, all taking pages from the one queue, and have \
         them (not the fetchers) call `parse`"
    );
}

/// One fetcher, one parser that is stuck on the first page: the fetcher fills the queue and
/// then must wait, after exactly `1 + capacity + 1` requests.
fn a_stuck_parser_stops_the_fetcher(capacity: usize) {
    let limit = 1 + capacity + 1;
    within(HANG, move || {
        let site = Site::start(site_with(limit + 4));
        let arrivals = site.arrivals();
        let (stuck_tx, stuck) = bounded::<()>(1);
        let (release_tx, release) = bounded::<()>(1);
        let first = Mutex::new(true);
        let urls = site.list_urls();
        thread::scope(|s| {
            let crawling = s.spawn(|| {
                crawl(
                    &urls,
                    Crawl {
                        fetchers: 1,
                        parsers: 1,
                        capacity,
                    },
                    &|page: &Page| {
                        if std::mem::take(&mut *first.lock().unwrap()) {
                            let _ = stuck_tx.send(());
                            // Released by the test below, or after TIMEOUT at the latest.
                            let _ = release.recv_timeout(TIMEOUT);
                        }
                        plain(page)
                    },
                )
            });
            let checks = || {
                stuck.recv_timeout(TIMEOUT).unwrap_or_else(|_| {
                    panic!(
                        "no page reached `parse` within {} s: does a parser take pages out \
                         of the queue and call `parse` on each?",
                        TIMEOUT.as_secs()
                    )
                });
                await_arrivals(
                    &arrivals,
                    limit,
                    Deadline::from_now(),
                    &format!(
                        "with the only parser stuck on page 1, the fetcher should go on until \
                         the queue is full: {capacity} page(s) in the queue and one more in its \
                         hand, {limit} requests in all. Is the queue bounded(crawl.capacity), \
                         and does the fetcher go on fetching while the parser is busy?"
                    ),
                );
                // A correct crawler can never send another request now: its one fetcher is
                // blocked in `send` on a full queue until the parser is released. An
                // unbounded (or larger) queue lets it go on, and its next request arrives
                // within these 300 ms nearly always, since the site answers at once.
                match arrivals.recv_timeout(Duration::from_millis(300)) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(path) => panic!(
                        "with the only parser stuck on page 1 and a queue of {capacity}, the \
                         fetcher still sent request number {} (for {path}): the queue holds \
                         more than {capacity} pages. Use bounded(crawl.capacity), not an \
                         unbounded channel",
                        limit + 1
                    ),
                    Err(RecvTimeoutError::Disconnected) => panic!("the site stopped"),
                }
            };
            // Release the parser whatever happens, so that the crawl ends.
            let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(checks));
            let _ = release_tx.send(());
            let parsed = crawling.join().expect("the crawl does not panic");
            if let Err(panic) = checked {
                std::panic::resume_unwind(panic);
            }
            assert_each_url_once(&urls, &parsed);
        });
    });
}

#[test]
fn a_full_queue_of_two_makes_the_fetcher_wait() {
    a_stuck_parser_stops_the_fetcher(2);
}

#[test]
fn a_queue_of_zero_hands_each_page_over_directly() {
    a_stuck_parser_stops_the_fetcher(0);
}

#[test]
fn eight_fetchers_keep_their_eight_connections_while_they_wait() {
    // Eight fetchers, one parser stuck on its first page, a queue of one: after the gate has
    // seen all eight fetchers' first requests, two of them go on (their pages went into the
    // parser and the queue) and then all eight wait in `send`, with their connections idle in
    // the agent's pool. A pool that keeps fewer idle connections per host than there are
    // fetchers (ureq's default keeps 3) closes the rest, and the fetchers open new ones when
    // they go on; one agent per request opens a new one every time.
    const FETCHERS: usize = 8;
    let waiting = FETCHERS + 1 + 1;
    let (connections, pages) = within(HANG, move || {
        let site = Site::start(SiteConfig {
            pages: 3 * FETCHERS,
            gate: Some(FETCHERS),
            // After the release, the parser lets the waiting fetchers go one at a time. Without
            // a latency much longer than a parse, each fetch would be over before the next
            // fetcher went on, and the 3 connections that ureq's default pool keeps would be
            // enough for them all.
            latency: Duration::from_millis(100),
            ..SiteConfig::default()
        });
        let arrivals = site.arrivals();
        let (stuck_tx, stuck) = bounded::<()>(1);
        let (release_tx, release) = bounded::<()>(1);
        let first = Mutex::new(true);
        let urls = site.list_urls();
        thread::scope(|s| {
            let crawling = s.spawn(|| {
                crawl(
                    &urls,
                    Crawl {
                        fetchers: FETCHERS,
                        parsers: 1,
                        capacity: 1,
                    },
                    &|page: &Page| {
                        if std::mem::take(&mut *first.lock().unwrap()) {
                            let _ = stuck_tx.send(());
                            let _ = release.recv_timeout(TIMEOUT);
                        }
                        plain(page)
                    },
                )
            });
            let checks = || {
                stuck.recv_timeout(TIMEOUT).unwrap_or_else(|_| {
                    panic!(
                        "no page reached `parse` within {} s: does a parser take pages out \
                         of the queue and call `parse` on each? Or did the site's gate of \
                         {FETCHERS} never open (the {FETCHERS} fetchers must fetch at the same \
                         time: no lock held while fetching)?",
                        TIMEOUT.as_secs()
                    )
                });
                await_arrivals(
                    &arrivals,
                    waiting,
                    Deadline::from_now(),
                    &format!(
                        "with the only parser stuck, {FETCHERS} fetchers and a queue of 1 \
                         should send {waiting} requests (one each, then two more for the pages \
                         that went into the parser and the queue) before they all wait"
                    ),
                );
                // As in the stuck-parser tests: a correct crawler sends nothing more now.
                if let Ok(path) = arrivals.recv_timeout(Duration::from_millis(300)) {
                    panic!(
                        "with the only parser stuck and a queue of 1, {FETCHERS} fetchers sent \
                         more than {waiting} requests (the next for {path}): is the queue \
                         bounded(crawl.capacity), and is `parse` called only by the parsers \
                         (a fetcher stuck in `parse` leaves the others room to go on)?"
                    );
                }
            };
            let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(checks));
            let _ = release_tx.send(());
            let parsed = crawling.join().expect("the crawl does not panic");
            if let Err(panic) = checked {
                std::panic::resume_unwind(panic);
            }
            assert_each_url_once(&urls, &parsed);
        });
        (site.connections(), urls.len())
    });
    assert!(
        connections <= FETCHERS,
        "{FETCHERS} fetchers opened {connections} connections for {pages} pages: while they all \
         waited, their idle connections were closed, so they opened new ones afterwards. Share \
         ONE agent, and configure it to keep IDLE_PER_HOST idle connections per host \
         (`max_idle_connections_per_host` and `max_idle_connections`; ureq's default is 3)"
    );
}

#[test]
fn many_pages_come_back_once_each_and_are_fetched_once_each() {
    within(HANG, || {
        let site = Site::start(site_with(40));
        let urls = site.list_urls();
        let parsed = crawl(
            &urls,
            Crawl {
                fetchers: 8,
                parsers: 3,
                capacity: 1,
            },
            &plain,
        );
        assert_each_url_once(&urls, &parsed);
        assert_each_page_hit_once(&site);
        let quotes: usize = parsed.iter().map(|p| p.quotes.len()).sum();
        assert_eq!(
            quotes,
            site.expected_quotes().len(),
            "every quote of every page"
        );
    });
}

#[test]
fn a_404_is_a_page_with_its_status_and_no_answer_is_status_0() {
    let parsed = within(HANG, || {
        let site = Site::start(site_with(1));
        let dead = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            format!("http://{}/page/1/", listener.local_addr().unwrap())
        };
        let urls = vec![
            site.url("/page/1/"),
            site.url("/no-such-page/"),
            dead.clone(),
        ];
        let parsed = crawl(&urls, Crawl::NOTES, &plain);
        assert_each_url_once(&urls, &parsed);
        let mut statuses: Vec<(String, u16, usize)> = parsed
            .into_iter()
            .map(|p| {
                let at = if p.url == dead {
                    "dead port".to_owned()
                } else {
                    path_of(&site, &p.url).to_owned()
                };
                (at, p.status, p.quotes.len())
            })
            .collect();
        statuses.sort();
        statuses
    });
    assert_eq!(
        parsed,
        vec![
            ("/no-such-page/".to_owned(), 404, 0),
            ("/page/1/".to_owned(), 200, 10),
            ("dead port".to_owned(), 0, 0),
        ],
        "a 404 is a response: with `.http_status_as_error(false)` on the agent, `call()` gives \
         it as Ok, with its status; only a request with no response at all (nothing listens) \
         gives status 0"
    );
}

#[test]
fn a_body_cut_short_keeps_its_status_and_gives_an_empty_body() {
    // `/fault/short/` answers 200 with a Content-Length larger than the body it sends, then
    // closes the connection: the response arrived, but its body cannot be read.
    let (parsed, bodies) = within(HANG, || {
        let site = Site::start(site_with(1));
        let urls = vec![site.url("/page/1/"), site.url(Fault::ShortBody.path())];
        let bodies = Mutex::new(BTreeMap::new());
        let parsed = crawl(&urls, Crawl::NOTES, &|page: &Page| {
            bodies
                .lock()
                .unwrap()
                .insert(path_of(&site, &page.url).to_owned(), page.body.len());
            plain(page)
        });
        assert_each_url_once(&urls, &parsed);
        let mut parsed: Vec<(String, u16, usize)> = parsed
            .into_iter()
            .map(|p| (path_of(&site, &p.url).to_owned(), p.status, p.quotes.len()))
            .collect();
        parsed.sort();
        (parsed, bodies.into_inner().unwrap())
    });
    assert_eq!(
        parsed,
        vec![
            ("/fault/short/".to_owned(), 200, 0),
            ("/page/1/".to_owned(), 200, 10),
        ],
        "/fault/short/ answered 200 and then cut its body short: the response arrived, so the \
         Page keeps its status 200 (status 0 is only for a request with no response at all); \
         only the body, which could not be read, is empty"
    );
    assert_eq!(
        bodies.get("/fault/short/"),
        Some(&0),
        "the body of /fault/short/ could not be read (the connection closed early): the Page's \
         body must be empty, not a part of it (bodies' lengths by path: {bodies:?})"
    );
}
