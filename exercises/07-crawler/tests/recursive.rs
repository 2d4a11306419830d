//! Exercise `recursive`: a crawl that starts from one page, follows links, visits every page
//! once, and ends, on a site full of cycles (every author and tag page links back home).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crawler::recursive::{Crawl, FetchError, Limits, Visit, crawl, normalise};
use test_support::{Deadline, Site, SiteConfig, TIMEOUT};
use url::Url;

const HANG: &str = "the crawl did not end. Does the coordinator count every URL it sends \
                    and take one off for every message a parser sends back? A parser must send \
                    ONE message for every page, also for a page that failed (a 404, a \
                    timeout...): one that sends nothing leaves the count of pages in flight \
                    above 0 for ever. And once the count is 0, the coordinator must drop the \
                    URL Sender: the fetchers wait on it, the parsers wait on the fetchers";

const LIMITS: Limits = Limits {
    max_depth: usize::MAX,
    max_pages: 10_000,
    timeout: Duration::from_secs(1),
    max_body: 1024 * 1024,
};

const MANY: Crawl = Crawl {
    fetchers: 4,
    parsers: 8,
    capacity: 2,
};

/// The site with its fault pages linked from `/`: the slow page answers after 3 s (the
/// timeout is 1 s), the huge one is 3 MiB (the limit is 1 MiB).
fn faulty_site() -> Site {
    Site::start(SiteConfig {
        link_faults: true,
        slow: Duration::from_secs(3),
        ..SiteConfig::default()
    })
}

/// Runs the crawl on its own thread and waits for it, at most TIMEOUT: a crawl that never
/// ends fails with HANG instead of hanging the test. A panic in the crawl is passed on.
fn run(start: String, how: Crawl, limits: Limits) -> Vec<Visit> {
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = tx.send(crawl(&start, how, &limits));
    });
    match rx.recv_timeout(TIMEOUT) {
        Ok(report) => report,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{HANG} (no report after {} s)", TIMEOUT.as_secs())
        }
    }
}

/// The report keyed by path (never the port). Fails on a URL of another host or port, and on
/// a URL reported twice.
fn by_path(site: &Site, report: &[Visit]) -> BTreeMap<String, Visit> {
    let mut paths = BTreeMap::new();
    for visit in report {
        let path = visit
            .url
            .strip_prefix(&site.base_url())
            .unwrap_or_else(|| {
                panic!(
                    "the crawl visited {}, which is not on the site ({}): follow only links to \
                     the same host and port",
                    visit.url,
                    site.base_url()
                )
            })
            .to_owned();
        if let Some(first) = paths.insert(path.clone(), visit.clone()) {
            panic!(
                "{path} is in the report twice ({first:?} and {visit:?}): the visited set must \
                 let every URL through once"
            );
        }
    }
    paths
}

/// Paths the site answers for with redirects, which ureq follows (so they are hit more than
/// once however careful the crawl is).
fn redirects(path: &str) -> bool {
    path.starts_with("/fault/redirect-loop/")
}

/// Checks that the site saw one request for every path (but the redirects); `note` is added
/// to the message.
fn assert_each_requested_once(site: &Site, note: &str) {
    let twice: Vec<_> = site
        .hits()
        .into_iter()
        .filter(|(path, n)| *n != 1 && !redirects(path))
        .collect();
    assert!(
        twice.is_empty(),
        "these paths were requested more than once (path, requests): {twice:?}. Two parsers \
         (or two fetchers) found the same new link at the same time and both let it through: \
         the check `is it new?` and the insert into the visited set must be one step, done by \
         one owner (the coordinator: `if visited.insert(url) {{ send it }}`). Or the same page \
         came in twice under two URLs: drop the fragment (`#top`){note}"
    );
}

/// Checks that the report has every reachable page.
fn assert_all_reachable(site: &Site, report: &[Visit]) {
    let visited: BTreeSet<String> = by_path(site, report).into_keys().collect();
    let reachable = site.reachable_paths();
    let missing: Vec<_> = reachable.difference(&visited).collect();
    assert!(
        missing.is_empty(),
        "the crawl returned with {} of the {} reachable pages (missing: {missing:?}): did it \
         return while pages were still in flight? An empty queue says nothing about the pages \
         in a fetcher's or a parser's hands: only the count of pages in flight knows",
        reachable.len() - missing.len(),
        reachable.len()
    );
}

#[test]
fn normalise_resolves_links_like_a_browser_and_keeps_only_this_site() {
    let base = Url::parse("http://127.0.0.1:8080/odd-links/").unwrap();
    let table: &[(&str, Option<&str>, &str)] = &[
        (
            "../page/2/",
            Some("http://127.0.0.1:8080/page/2/"),
            "relative, up one level",
        ),
        (
            "./../authors/",
            Some("http://127.0.0.1:8080/authors/"),
            "relative with a dot",
        ),
        (
            "page/2/",
            Some("http://127.0.0.1:8080/odd-links/page/2/"),
            "relative, one down",
        ),
        (
            "/page/1/../3/",
            Some("http://127.0.0.1:8080/page/3/"),
            "`..` inside a path",
        ),
        (
            "/page/1/#top",
            Some("http://127.0.0.1:8080/page/1/"),
            "a fragment is dropped",
        ),
        (
            "#top",
            Some("http://127.0.0.1:8080/odd-links/"),
            "a fragment on this page",
        ),
        (
            "",
            Some("http://127.0.0.1:8080/odd-links/"),
            "an empty href is this page",
        ),
        (
            "/page/2/?sort=asc",
            Some("http://127.0.0.1:8080/page/2/?sort=asc"),
            "a query is kept",
        ),
        (
            "/page/2/?sort=asc#top",
            Some("http://127.0.0.1:8080/page/2/?sort=asc"),
            "query kept, fragment dropped",
        ),
        (
            "?sort=desc",
            Some("http://127.0.0.1:8080/odd-links/?sort=desc"),
            "a query alone",
        ),
        (
            "http://127.0.0.1:8080/tags/",
            Some("http://127.0.0.1:8080/tags/"),
            "absolute, this site",
        ),
        (
            "HTTP://127.0.0.1:8080/tags/",
            Some("http://127.0.0.1:8080/tags/"),
            "scheme in capitals",
        ),
        (
            "http://127.0.0.1:9090/tags/",
            None,
            "the same host on another port is another site",
        ),
        ("http://localhost:8080/tags/", None, "another host name"),
        ("http://other.invalid/", None, "another host"),
        ("//other.invalid/x", None, "protocol-relative, another host"),
        (
            "//127.0.0.1:8080/x",
            Some("http://127.0.0.1:8080/x"),
            "protocol-relative, this site",
        ),
        (
            "https://127.0.0.1:8080/tags/",
            Some("https://127.0.0.1:8080/tags/"),
            "https, same host and port",
        ),
        ("ftp://127.0.0.1:8080/file", None, "another scheme"),
        ("mailto:someone@example.invalid", None, "mailto"),
        ("javascript:void(0)", None, "javascript"),
        ("http://[::1", None, "an href that does not parse"),
    ];
    let mut wrong = Vec::new();
    for &(href, want, what) in table {
        let got = normalise(&base, href).map(String::from);
        if got.as_deref() != want {
            wrong.push(format!(
                "  {what}: normalise(.., {href:?}) = {got:?}, want {want:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "normalise against {base}:\n{}\n(resolve with base.join(href); keep http and https on \
         the same host and port (port_or_known_default) only; drop the fragment, keep the \
         query)",
        wrong.join("\n")
    );
    let default_port = Url::parse("http://example.invalid/a/").unwrap();
    assert_eq!(
        normalise(&default_port, "http://example.invalid:80/b").map(String::from),
        Some("http://example.invalid/b".to_owned()),
        "port 80 is http's own port, so http://example.invalid:80/ is the same site as \
         http://example.invalid/: compare port_or_known_default(), not port()"
    );
}

#[test]
fn visits_every_reachable_page_exactly_once_and_ends_despite_the_cycles() {
    let site = Site::start(SiteConfig {
        pages: 12,
        ..SiteConfig::default()
    });
    let report = run(site.url("/"), MANY, LIMITS);
    let visited: BTreeSet<String> = by_path(&site, &report).into_keys().collect();
    let reachable = site.reachable_paths();
    assert_eq!(
        visited,
        reachable,
        "the crawl must visit exactly the pages that links lead to. Missing: {:?}; extra: \
         {:?}",
        reachable.difference(&visited).collect::<Vec<_>>(),
        visited.difference(&reachable).collect::<Vec<_>>()
    );
    assert_each_requested_once(&site, "");
}

/// `Site::base_url()` has no slash at the end ("http://127.0.0.1:40123"); the home page's
/// links to itself come back from `normalise` with one ("http://127.0.0.1:40123/"). Both are
/// the page "/": a crawl that keeps the start as given, and puts only that string into its
/// visited set, fetches it twice.
#[test]
fn a_start_url_without_its_slash_is_still_fetched_once() {
    let site = Site::start(SiteConfig::default());
    let start = site.base_url();
    assert!(
        !start.ends_with('/'),
        "the test needs a start without a slash"
    );
    let report = run(
        start.clone(),
        MANY,
        Limits {
            max_depth: 1,
            ..LIMITS
        },
    );
    let home = site.hits().get("/").copied().unwrap_or(0);
    assert_eq!(
        home, 1,
        "the crawl started from {start} (no slash at the end), and the site served \"/\" {home} \
         times. The home page links to {start}/, the same page: put the start into the visited \
         set (and into its Visit) the way `normalise` writes URLs, parsed and written back \
         (`String::from(Url::parse(start)?)`), so that links back to it are recognised"
    );
    let visits = by_path(&site, &report);
    assert!(
        matches!(visits.get("/"), Some(Visit { depth: 0, .. })) && !visits.contains_key(""),
        "the start's Visit must have the start URL parsed and written back ({start}/, depth 0), \
         not as given ({start}); the report by path: {:?}",
        visits.keys().collect::<Vec<_>>()
    );
}

/// Many parsers, many pages that all link to the same authors and tags, and no latency. A
/// stress test only: parsers that share a visited set and check and insert in two steps
/// (two lock calls) slip a link through twice only rarely, since the window is a few
/// instructions wide, so this test catches that race by chance (in 60 runs of one such crawler,
/// never; a reviewer's caught it 2 times in 9). The held-page
/// test below catches the wider window (a URL marked visited only when its page comes back)
/// every time; the design (one owner of the set, `insert` as the check) closes both.
#[test]
fn many_parsers_finding_the_same_links_at_once_fetch_each_page_once() {
    let site = Site::start(SiteConfig {
        pages: 30,
        ..SiteConfig::default()
    });
    let how = Crawl {
        fetchers: 8,
        parsers: 8,
        capacity: 8,
    };
    let report = run(site.url("/"), how, LIMITS);
    assert_each_requested_once(
        &site,
        ". This failure may not repeat: if it appeared once, your visited set has a race \
         (a check and an insert in two steps), even if the next run passes",
    );
    assert_eq!(
        by_path(&site, &report).len(),
        site.reachable_paths().len(),
        "every reachable page must be visited"
    );
}

/// `/page/2/` is linked from `/page/1/`, `/odd-links/` and `/page/3/`. It is held, so the first
/// fetch of it stays in flight while the crawl finds the other two links to it: a crawl that
/// marks a URL as visited only when its fetch is done (or that checks in the fetchers) lets
/// them through, and the site sees `/page/2/` again.
#[test]
fn a_page_found_again_while_it_is_being_fetched_is_not_fetched_again() {
    let site = Site::start(SiteConfig::default());
    let held = "/page/2/";
    site.hold(held);
    let arrivals = site.arrivals();
    let start = site.url("/");
    let (tx, returned) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(crawl(&start, MANY, &LIMITS));
    });
    // Every page but the held one can be reached without it; wait for all of them and for the
    // held one.
    let mut waiting_for = site.reachable_paths();
    let deadline = Deadline::from_now();
    let mut held_arrivals = 0;
    while !waiting_for.is_empty() {
        let Ok(path) = arrivals.recv_timeout(deadline.remaining()) else {
            site.release(held);
            panic!("these pages were never requested: {waiting_for:?} (while {held} was held)");
        };
        held_arrivals += usize::from(path == held);
        waiting_for.remove(&path);
    }
    // A correct crawl never asks for it again, so this wait never fails a correct crawl; a
    // crawl that lets the other links through sends them to fetchers that are idle now, and
    // they ask within milliseconds.
    while held_arrivals < 2 {
        match arrivals.recv_timeout(Duration::from_millis(300)) {
            Ok(path) => held_arrivals += usize::from(path == held),
            Err(_) => break,
        }
    }
    site.release(held);
    assert_eq!(
        held_arrivals, 1,
        "{held} was asked for {held_arrivals} times while its first fetch was still in \
         flight. A URL is visited from the moment the coordinator first sends it, not when its \
         page comes back: insert it into the visited set then, and send only what \
         `insert` says is new"
    );
    let report = returned.recv_timeout(TIMEOUT).expect(HANG);
    assert_all_reachable(&site, &report);
    assert_each_requested_once(&site, "");
}

#[test]
fn every_fault_page_is_a_visit_and_the_crawl_still_ends() {
    let site = faulty_site();
    let report = run(site.url("/"), MANY, LIMITS);
    let visits = by_path(&site, &report);
    let visited: BTreeSet<String> = visits.keys().cloned().collect();
    assert_eq!(
        visited,
        site.reachable_paths(),
        "with the fault pages linked from /, every one of them must be in the report (as an \
         error), once"
    );
    let outcome = |path: &str| visits[path].outcome.clone();
    assert_eq!(outcome("/fault/404/"), Err(FetchError::Status(404)));
    assert_eq!(outcome("/no-such-page/"), Err(FetchError::Status(404)));
    assert_eq!(outcome("/fault/500/"), Err(FetchError::Status(500)));
    assert_eq!(outcome("/fault/slow/"), Err(FetchError::Timeout));
    assert_eq!(outcome("/fault/huge/"), Err(FetchError::TooLarge));
    assert_each_requested_once(&site, "");
}

/// The held page is fetched early (it is linked from `/`), and every other page can be reached
/// without it. While it is held, the URL queue is empty and every other page is done: only the
/// count of pages in flight says that the crawl is not over.
#[test]
fn does_not_end_while_a_page_is_still_in_flight() {
    let site = Site::start(SiteConfig::default());
    let held = "/page/1/";
    site.hold(held);
    let arrivals = site.arrivals();
    let (tx, returned) = mpsc::channel();
    let start = site.url("/");
    let worker = thread::spawn(move || {
        let _ = tx.send(crawl(&start, MANY, &LIMITS));
    });

    // Wait until every reachable page has been asked for (the held one too): then only the
    // held page, and perhaps the parsing of the last few, is left.
    let mut waiting_for = site.reachable_paths();
    let deadline = Deadline::from_now();
    while !waiting_for.is_empty() {
        match arrivals.recv_timeout(deadline.remaining()) {
            Ok(path) => {
                waiting_for.remove(&path);
            }
            Err(_) => {
                site.release(held);
                panic!(
                    "these pages were never requested: {waiting_for:?} (while {held} was held; \
                     every other page can be reached without it). Did the crawl end early, or \
                     does it wait for {held} before it sends other URLs?"
                );
            }
        }
    }
    // A correct crawl cannot return now, however long we wait, so this wait never fails a
    // correct crawl. A crawl that ends on an empty URL queue returns as soon as its parsers
    // finish the last pages (a few milliseconds), so 300 ms catches it nearly always.
    let early = returned.recv_timeout(Duration::from_millis(300));
    site.release(held);
    if let Ok(report) = early {
        panic!(
            "the crawl returned while {held} was still being fetched (report: {} visits, \
             without {held}). An empty URL queue does not mean the end: a page may still be \
             in a fetcher's hands or in the queue, and bring new links. End when the count of \
             pages in flight is 0",
            report.len()
        );
    }
    let report = match returned.recv_timeout(TIMEOUT) {
        Ok(report) => report,
        Err(_) => {
            if worker.is_finished() {
                let _ = worker.join();
            }
            panic!("{HANG} (after {held} was released)")
        }
    };
    let visits = by_path(&site, &report);
    assert!(
        matches!(visits.get(held), Some(Visit { outcome: Ok(_), .. })),
        "{held} was held, then released: it must be in the report as a page, got {:?}",
        visits.get(held)
    );
    assert_all_reachable(&site, &report);
}

#[test]
fn max_depth_0_is_the_start_page_and_1_adds_only_its_links() {
    let site = Site::start(SiteConfig::default());
    let only_start = run(
        site.url("/"),
        MANY,
        Limits {
            max_depth: 0,
            ..LIMITS
        },
    );
    let visits = by_path(&site, &only_start);
    assert_eq!(
        visits.keys().collect::<Vec<_>>(),
        ["/"],
        "max_depth 0: the start page only"
    );
    assert_eq!(
        site.requests(),
        1,
        "max_depth 0: one request, for the start page"
    );

    let site = Site::start(SiteConfig::default());
    let report = run(
        site.url("/"),
        MANY,
        Limits {
            max_depth: 1,
            ..LIMITS
        },
    );
    // The home page links to itself, the first list page, the authors, the tags and the odd
    // links page.
    let depths: BTreeMap<String, usize> = by_path(&site, &report)
        .into_iter()
        .map(|(path, visit)| (path, visit.depth))
        .collect();
    let want: BTreeMap<String, usize> = [
        ("/", 0),
        ("/authors/", 1),
        ("/odd-links/", 1),
        ("/page/1/", 1),
        ("/tags/", 1),
    ]
    .into_iter()
    .map(|(p, d)| (p.to_owned(), d))
    .collect();
    assert_eq!(
        depths, want,
        "max_depth 1: the start page (depth 0) and the pages it links to (depth 1), nothing \
         further: links found on a page at depth max_depth are not followed"
    );
    let requested: BTreeSet<String> = site.hits().into_keys().collect();
    assert_eq!(
        requested,
        want.into_keys().collect(),
        "max_depth 1: the site saw requests for other pages"
    );
}

#[test]
fn max_pages_fetches_exactly_that_many_pages() {
    for max_pages in [1, 7, 20] {
        let site = Site::start(SiteConfig::default());
        let report = run(
            site.url("/"),
            MANY,
            Limits {
                max_pages,
                ..LIMITS
            },
        );
        let visits = by_path(&site, &report);
        assert_eq!(
            visits.len(),
            max_pages,
            "max_pages {max_pages}: the report must have exactly {max_pages} visits (the site \
             has {} pages)",
            site.reachable_paths().len()
        );
        assert_eq!(
            site.requests(),
            max_pages,
            "max_pages {max_pages}: the site must see exactly {max_pages} requests. Count the \
             URLs when the coordinator sends them, not when their visits come back (by then \
             more are on their way)"
        );
        assert!(
            visits.contains_key("/"),
            "the start page is always visited first"
        );
    }
}

/// With 1 fetcher and 1 parser every queue is first in, first out, so the crawl is a
/// breadth-first walk and the depths are the shortest ones: the whole report is the same on
/// every run.
#[test]
fn the_report_by_path() {
    let site = faulty_site();
    let one = Crawl {
        fetchers: 1,
        parsers: 1,
        capacity: 1,
    };
    let report = by_path(&site, &run(site.url("/"), one, LIMITS));
    let lines: Vec<String> = report
        .iter()
        .map(|(path, visit)| {
            let outcome = match &visit.outcome {
                Ok(links) => format!("{links} links"),
                Err(e) => format!("error: {e}"),
            };
            format!("{path} | depth {} | {outcome}", visit.depth)
        })
        .collect();
    insta::assert_snapshot!("report_by_path", lines.join("\n"));
}

/// The same pages and outcomes as the snapshot with many threads (the depths may differ: with
/// several fetchers a page may first be found along a longer path). A test of its own, so that
/// neither crawl of the fault pages (each slow page costs a fetcher its timeout) makes one test
/// long.
#[test]
fn many_threads_find_the_same_pages_with_the_same_outcomes() {
    let site = faulty_site();
    let many = by_path(&site, &run(site.url("/"), MANY, LIMITS));
    let outcomes: BTreeMap<String, String> = many
        .iter()
        .map(|(path, visit)| {
            let outcome = match &visit.outcome {
                Ok(links) => format!("{links} links"),
                Err(e) => format!("error: {e}"),
            };
            (path.clone(), outcome)
        })
        .collect();
    let snapshot = include_str!("snapshots/recursive__report_by_path.snap");
    let expected: BTreeMap<String, String> = snapshot
        .lines()
        .filter_map(|line| {
            let mut parts = line.split(" | ");
            let (path, _depth, outcome) = (parts.next()?, parts.next()?, parts.next()?);
            path.starts_with('/')
                .then(|| (path.to_owned(), outcome.to_owned()))
        })
        .collect();
    assert!(
        !expected.is_empty(),
        "the snapshot has lines of the form `path | depth | outcome`"
    );
    assert_eq!(
        outcomes, expected,
        "4 fetchers and 8 parsers must find the same pages, with the same outcomes, as 1 fetcher \
         and 1 parser in the snapshot (left: 4 and 8, right: the snapshot)"
    );
}
