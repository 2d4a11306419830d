//! Exercise `errors_as_data`: every fault of the fixture site becomes a record, never a panic.
//!
//! The site serves a page for each fault (`test_support::Fault`): 404, 500, a slow answer, a
//! body that drips in, a body shorter than its `Content-Length`, a redirect loop, a PDF, a body
//! three times the limit, invalid UTF-8, and a healthy page full of odd links. Add a port where
//! nothing listens, and the healthy list pages. The limits are tight on purpose: a timeout of
//! 1 s against a slow page that takes 3 s, and a body limit of 1 MiB against a 3 MiB page.

use std::collections::BTreeMap;
use std::time::Duration;

use crawler::errors_as_data::{
    Crawl, FetchError, Limits, Quote, Record, agent, crawl_report, fetch,
};
use test_support::{Fault, Site, SiteConfig, within};

const HANG: &str = "crawl_report did not return: are the parsers still waiting for pages? \
                    Every fetcher must drop its Sender when the URLs run out, also after a \
                    failed fetch; and does every fetch have a timeout (the slow page never \
                    ends otherwise)?";

const LIMITS: Limits = Limits {
    timeout: Duration::from_secs(1),
    max_body: 1024 * 1024,
    max_redirects: 5,
};

fn site() -> Site {
    Site::start(SiteConfig {
        slow: Duration::from_secs(3),
        huge_bytes: 3 * 1024 * 1024,
        ..SiteConfig::default()
    })
}

/// A URL on a port of 127.0.0.1 where nothing listens (it was free a moment ago).
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    format!("http://{}/page/1/", listener.local_addr().unwrap())
}

/// What `fetch` must give for a fault, and what probably went wrong if it did not.
fn expected(fault: Fault) -> (Result<(), FetchError>, &'static str) {
    match fault {
        Fault::NotFound => (
            Err(FetchError::Status(404)),
            "a 404 is an answer, not a page: with `.http_status_as_error(false)` the status \
             comes back in the response, so look at it before the body",
        ),
        Fault::ServerError => (
            Err(FetchError::Status(500)),
            "any status outside 200..=299 is Status(code)",
        ),
        Fault::Slow => (
            Err(FetchError::Timeout),
            "the page answers after 3 s and the limit is 1 s: set \
             `.timeout_global(Some(limits.timeout))` on the agent, and map ureq::Error::Timeout \
             to FetchError::Timeout",
        ),
        Fault::Drip => (
            Err(FetchError::Timeout),
            "the headers come at once but the body takes 3 s: the global timeout covers the \
             body too, and its error comes from read_to_string",
        ),
        Fault::ShortBody => (
            Err(FetchError::Truncated),
            "the connection closes before Content-Length bytes arrived: reading the body fails \
             with an io::Error of kind UnexpectedEof",
        ),
        Fault::RedirectLoop => (
            Err(FetchError::TooManyRedirects),
            "the page redirects for ever: `.max_redirects(limits.max_redirects)` on the agent, \
             and map ureq::Error::TooManyRedirects",
        ),
        Fault::NotHtml => (
            Err(FetchError::NotHtml("application/pdf".to_owned())),
            "look at the Content-Type header before reading the body: a PDF is NotHtml(its \
             content type, the whole header)",
        ),
        Fault::Huge => (
            Err(FetchError::TooLarge),
            "the body is 3 MiB and the limit 1 MiB: read it with \
             `body_mut().with_config().limit(limits.max_body).read_to_string()` (the plain \
             read_to_string allows 10 MiB) and map ureq::Error::BodyExceedsLimit",
        ),
        Fault::InvalidUtf8 => (
            Err(FetchError::InvalidUtf8),
            "the body has bytes that are not UTF-8: `with_config().read_to_string()` fails \
             with an io::Error of kind InvalidData (the plain `read_to_string()` replaces \
             them with U+FFFD instead, and the page looks fine)",
        ),
        Fault::OddLinks => (
            Ok(()),
            "the odd-links page is a healthy HTML page (with no quotes on it)",
        ),
    }
}

/// Whether `got` is the outcome `want` stands for (any page for `Ok`).
fn matches<T>(got: &Result<T, FetchError>, want: &Result<(), FetchError>) -> bool {
    match (got, want) {
        (Ok(_), Ok(())) => true,
        (Err(g), Err(w)) => g == w,
        _ => false,
    }
}

fn fetch_fault(fault: Fault) {
    let (want, why) = expected(fault);
    let got = within("fetch", move || {
        let site = site();
        let url = site.url(fault.path());
        fetch(&agent(&LIMITS), &url, &LIMITS).map(|page| (page.status, page.body.len()))
    });
    assert!(
        matches(&got, &want),
        "fetch({}) gave {got:?}, but it should be {want:?}: {why}",
        fault.path()
    );
}

#[test]
fn a_404_is_status_404() {
    fetch_fault(Fault::NotFound);
}

#[test]
fn a_500_is_status_500() {
    fetch_fault(Fault::ServerError);
}

#[test]
fn a_slow_answer_times_out() {
    fetch_fault(Fault::Slow);
}

#[test]
fn a_body_that_drips_in_times_out() {
    fetch_fault(Fault::Drip);
}

#[test]
fn a_short_body_is_truncated() {
    fetch_fault(Fault::ShortBody);
}

#[test]
fn a_redirect_loop_is_too_many_redirects() {
    fetch_fault(Fault::RedirectLoop);
}

#[test]
fn a_pdf_is_not_html() {
    fetch_fault(Fault::NotHtml);
}

#[test]
fn a_huge_body_is_too_large() {
    fetch_fault(Fault::Huge);
}

#[test]
fn invalid_utf8_is_invalid_utf8() {
    fetch_fault(Fault::InvalidUtf8);
}

#[test]
fn the_odd_links_page_is_a_page() {
    fetch_fault(Fault::OddLinks);
}

#[test]
fn a_port_where_nothing_listens_is_connect() {
    let got = within("fetch", || {
        fetch(&agent(&LIMITS), &dead_url(), &LIMITS).map(|page| page.status)
    });
    assert_eq!(
        got,
        Err(FetchError::Connect),
        "nothing listens there, so the connection is refused: ureq gives an io::Error of \
         kind ConnectionRefused (or ConnectionFailed); that is FetchError::Connect"
    );
}

#[test]
fn a_healthy_page_is_the_page() {
    let (got, url) = within("fetch", || {
        let site = site();
        let url = site.url("/page/2/");
        (fetch(&agent(&LIMITS), &url, &LIMITS), url)
    });
    let page =
        got.unwrap_or_else(|e| panic!("fetch({url}) failed with {e:?}: it is a healthy page"));
    assert_eq!(page.url, url, "the Page keeps the URL it was given");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("class=\"quote\""),
        "the Page holds the body as text: {:?}",
        &page.body[..page.body.len().min(200)]
    );
}

/// Every fault, the list pages and a dead port, in one list with the faults spread out.
fn all_urls(site: &Site, dead: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut pages = site.list_urls().into_iter();
    for fault in Fault::ALL {
        urls.push(site.url(fault.path()));
        urls.extend(pages.next());
    }
    urls.extend(pages);
    urls.push(dead.to_owned());
    urls
}

/// Checks the report: one record per URL, each outcome right, each list page's quotes all
/// there. Returns "where → outcome" lines, sorted by path.
fn check_report(site: &Site, urls: &[String], dead: &str, report: &[Record]) -> Vec<String> {
    let mut by_url: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for record in report {
        by_url.entry(record.url.as_str()).or_default().push(record);
    }
    let twice: Vec<_> = by_url
        .iter()
        .filter(|(_, r)| r.len() > 1)
        .map(|(url, r)| (url, r.len()))
        .collect();
    assert!(
        twice.is_empty(),
        "these URLs have more than one record (URL, records): {twice:?}. One URL, one attempt, \
         one record: a retry must not add a record of its own"
    );
    let missing: Vec<_> = urls
        .iter()
        .filter(|u| !by_url.contains_key(u.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "these URLs have no record: {missing:?}. Does a fetcher stop (return, or panic) at its \
         first error? After a failure it records it and goes on with the next URL"
    );
    assert_eq!(report.len(), urls.len(), "one record per URL and no other");

    let mut expected_quotes: BTreeMap<String, Vec<Quote>> = BTreeMap::new();
    for q in site.expected_quotes() {
        expected_quotes.entry(q.page).or_default().push(Quote {
            text: q.text,
            author: q.author,
            tags: q.tags,
        });
    }
    let mut lines = Vec::new();
    for (url, records) in &by_url {
        let record = records[0];
        let path = if *url == dead {
            "(a port where nothing listens)".to_owned()
        } else {
            url.strip_prefix(&site.base_url()).unwrap().to_owned()
        };
        if let Some(fault) = Fault::ALL.into_iter().find(|f| f.path() == path) {
            let (want, why) = expected(fault);
            assert!(
                matches(&record.outcome, &want),
                "the record for {path} is {:?}, but it should be {want:?}: {why}",
                record.outcome
            );
        } else if *url == dead {
            assert_eq!(
                record.outcome,
                Err(FetchError::Connect),
                "nothing listens on that port"
            );
        } else {
            assert_eq!(
                record.outcome.as_ref(),
                Ok(&expected_quotes[&path]),
                "the list page {path} is healthy: its record holds all its quotes, parsed as in \
                 exercise 1, whatever faults the other URLs have"
            );
        }
        let outcome = match &record.outcome {
            Ok(quotes) => format!("Ok({} quotes)", quotes.len()),
            Err(e) => format!("Err({e:?})"),
        };
        lines.push(format!("{path} → {outcome}"));
    }
    lines.sort();
    lines
}

fn report_with(fetchers: usize) -> Vec<String> {
    within(HANG, move || {
        let site = site();
        let dead = dead_url();
        let urls = all_urls(&site, &dead);
        let report = crawl_report(
            &urls,
            Crawl {
                fetchers,
                parsers: 3,
                capacity: 2,
            },
            &LIMITS,
        );
        check_report(&site, &urls, &dead, &report)
    })
}

#[test]
fn three_fetchers_account_for_every_url_once() {
    let lines = report_with(3);
    insta::assert_snapshot!("report_by_path", lines.join("\n"));
}

#[test]
fn one_fetcher_goes_on_after_every_error() {
    report_with(1);
}

#[test]
fn faults_do_not_stop_the_healthy_pages() {
    // Three times as many faults as fetchers, before any healthy page: fetchers that give up at an
    // error (or panic) are all gone by the time the list pages come.
    let (lines, pages) = within(HANG, || {
        let site = site();
        let dead = dead_url();
        let mut urls: Vec<String> = [
            Fault::NotFound,
            Fault::ServerError,
            Fault::InvalidUtf8,
            Fault::Huge,
            Fault::ShortBody,
        ]
        .into_iter()
        .map(|fault| site.url(fault.path()))
        .collect();
        urls.push(dead.clone());
        urls.extend(site.list_urls());
        let report = crawl_report(
            &urls,
            Crawl {
                fetchers: 2,
                parsers: 2,
                capacity: 1,
            },
            &LIMITS,
        );
        (
            check_report(&site, &urls, &dead, &report),
            site.list_urls().len(),
        )
    });
    let healthy = lines.iter().filter(|l| l.contains("Ok(")).count();
    assert_eq!(healthy, pages, "every list page has its quotes: {lines:#?}");
}
