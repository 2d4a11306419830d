//! Exercise `polite`: a per-host limit, a User-Agent, and robots.txt, checked by two fixture
//! sites on two ports of 127.0.0.1 (two hosts, for the crawler).

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crawler::polite::{Limits, Outcome, Politeness, Record, Robots, crawl_polite};
use crossbeam_channel::select;
use test_support::{Site, SiteConfig, TIMEOUT};

const HANG: &str = "crawl_polite did not return. Is a fetcher waiting for a slot that is never \
                    given back (every fetch, robots.txt too, must give its slot back and \
                    notify the waiters, also when it fails)? Or waiting for a robots.txt that \
                    nobody fetches?";

const UA: &str = "course-crawler/0.7 (+https://example.invalid/course)";

const LIMITS: Limits = Limits {
    // Longer than the site's gate (TIMEOUT), so that a crawl that never fills a gate fails
    // with the gate's message, not with a timed-out request.
    timeout: Duration::from_secs(15),
    max_body: 1024 * 1024,
};

fn politeness(per_host: usize, obey_robots: bool) -> Politeness {
    Politeness {
        user_agent: UA.to_owned(),
        per_host,
        obey_robots,
    }
}

/// Starts the crawl on its own thread; [`finish`] waits for it.
fn start(urls: Vec<String>, fetchers: usize, politeness: Politeness) -> Crawling {
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = tx.send(crawl_polite(&urls, fetchers, &politeness, &LIMITS));
    });
    (rx, worker)
}

type Crawling = (mpsc::Receiver<Vec<Record>>, thread::JoinHandle<()>);

/// Waits at most TIMEOUT for the crawl (a panic in it is passed on).
fn finish((rx, worker): Crawling) -> Vec<Record> {
    match rx.recv_timeout(TIMEOUT + Duration::from_secs(2)) {
        Ok(report) => report,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{HANG}"),
    }
}

fn run(urls: Vec<String>, fetchers: usize, politeness: Politeness) -> Vec<Record> {
    finish(start(urls, fetchers, politeness))
}

/// The list pages and the author pages of both sites, one of each site in turn.
fn interleaved(a: &Site, b: &Site) -> Vec<String> {
    let urls = |site: &Site| -> Vec<String> {
        let mut urls = site.list_urls();
        urls.extend(
            site.reachable_paths()
                .into_iter()
                .filter(|p| p.starts_with("/author/"))
                .map(|p| site.url(&p)),
        );
        urls
    };
    let (a, b) = (urls(a), urls(b));
    a.into_iter().zip(b).flat_map(|(x, y)| [x, y]).collect()
}

/// The report keyed by URL; fails on a URL reported twice or missing.
fn by_url(urls: &[String], report: Vec<Record>) -> BTreeMap<String, Outcome> {
    let mut map = BTreeMap::new();
    for record in report {
        if let Some(first) = map.insert(record.url.clone(), record.outcome.clone()) {
            panic!(
                "{} is in the report twice ({first:?}, {:?})",
                record.url, record.outcome
            );
        }
    }
    let missing: Vec<_> = urls.iter().filter(|u| !map.contains_key(*u)).collect();
    assert!(
        missing.is_empty(),
        "no record for {missing:?}: every URL given must have one"
    );
    assert_eq!(
        map.len(),
        urls.len(),
        "records for URLs that were not given"
    );
    map
}

#[test]
fn robots_parse_keeps_the_disallow_prefixes_for_every_robot() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "User-agent: *\nDisallow: /author/\n",
            &["/author/"],
            "the simplest file",
        ),
        ("", &[], "an empty file allows everything"),
        (
            "User-agent: OtherBot\nDisallow: /\n\nUser-agent: *\nDisallow: /tag/\n",
            &["/tag/"],
            "another robot's group does not apply",
        ),
        (
            "User-agent: *\nDisallow: /a/\n\nUser-agent: OtherBot\nDisallow: /b/\n\nUser-agent: *\nDisallow: /c/\n",
            &["/a/", "/c/"],
            "every `*` group counts; the group after a rule starts afresh",
        ),
        (
            "User-agent: OtherBot\nUser-agent: *\nDisallow: /x/\n",
            &["/x/"],
            "a group with two User-agent lines, one of them `*`",
        ),
        (
            "user-AGENT:*\r\n  DISALLOW :  /page/  # no list pages\r\n# Disallow: /tags/\r\n",
            &["/page/"],
            "capitals, spaces, comments and \\r\\n",
        ),
        (
            "User-agent: *\nDisallow:\nAllow: /page/\nCrawl-delay: 1\n",
            &[],
            "an empty Disallow allows everything; other rules are ignored",
        ),
    ];
    for &(text, want, what) in cases {
        let got = Robots::parse(text);
        assert_eq!(got.disallow, want, "{what}: Robots::parse({text:?})");
    }
    let robots = Robots::parse("User-agent: *\nDisallow: /author/\nDisallow: /fault/\n");
    for (path, allowed) in [
        ("/author/ada-wrenfield/", false),
        ("/author/", false),
        ("/authors/", true),
        ("/fault/404/", false),
        ("/page/1/", true),
        ("/", true),
    ] {
        assert_eq!(
            robots.allows(path),
            allowed,
            "allows({path:?}) with Disallow: /author/ and /fault/: a Disallow value is a \
             PREFIX of the paths it disallows (compare with starts_with, not ==)"
        );
    }
}

#[test]
fn two_requests_per_host_on_two_hosts_at_once_and_never_more() {
    // The latency keeps each request in flight for a while, so that a crawler without the
    // limit has a third request in flight before the first two are answered.
    let config = SiteConfig {
        gate: Some(2),
        latency: Duration::from_millis(20),
        ..SiteConfig::default()
    };
    let (a, b) = (Site::start(config.clone()), Site::start(config));
    let urls = interleaved(&a, &b);
    let report = run(urls.clone(), 6, politeness(2, false));
    for (name, site) in [("first", &a), ("second", &b)] {
        assert!(
            site.gate_opened(),
            "the {name} site never had 2 requests in flight together (its gate of 2 timed \
             out): the limit is per host. With one limit for all hosts, or fetchers that take \
             turns, two requests on different hosts use it up and each host waits for a second \
             one that never comes"
        );
        assert!(
            site.peak_in_flight() <= 2,
            "the {name} site had {} requests in flight at once, with a limit of 2 per host: \
             does every fetcher take a slot of its URL's host before it fetches, and wait \
             while the host has none free?",
            site.peak_in_flight()
        );
    }
    let report = by_url(&urls, report);
    let failed: Vec<_> = report
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Page(_)))
        .collect();
    assert!(
        failed.is_empty(),
        "every page should have been fetched: {failed:?}"
    );
    for (name, site) in [("first", &a), ("second", &b)] {
        assert_eq!(
            site.user_agents().into_iter().collect::<Vec<_>>(),
            [UA],
            "the {name} site saw these User-Agents: set it on the agent with \
             `.user_agent(..)`"
        );
    }
}

#[test]
fn one_request_per_host_is_one_at_a_time() {
    let (a, b) = (
        Site::start(SiteConfig::default()),
        Site::start(SiteConfig::default()),
    );
    let urls = interleaved(&a, &b);
    let report = run(urls.clone(), 4, politeness(1, true));
    by_url(&urls, report);
    for site in [&a, &b] {
        assert_eq!(
            site.peak_in_flight(),
            1,
            "a limit of 1 per host: never two requests at once on one site"
        );
    }
}

#[test]
fn robots_txt_first_once_per_host_and_obeyed() {
    let a = Site::start(SiteConfig {
        robots_txt: Some("User-agent: *\nDisallow: /author/\n".into()),
        latency: Duration::from_millis(20),
        ..SiteConfig::default()
    });
    // The second site has no robots.txt (a 404): everything is allowed there.
    let b = Site::start(SiteConfig {
        latency: Duration::from_millis(20),
        ..SiteConfig::default()
    });
    let (arrivals_a, arrivals_b) = (a.arrivals(), b.arrivals());
    let mut urls = interleaved(&a, &b);
    urls.push(a.url("/authors/"));
    // Both robots.txt are held: while they are, a polite crawler sends nothing else at all.
    a.hold("/robots.txt");
    b.hold("/robots.txt");
    let crawling = start(urls.clone(), 6, politeness(3, true));
    let mut early = Vec::new();
    for (name, site, arrivals) in [("first", &a, &arrivals_a), ("second", &b, &arrivals_b)] {
        match arrivals.recv_timeout(TIMEOUT) {
            Ok(path) => early.push((name, path)),
            Err(_) => {
                a.release("/robots.txt");
                b.release("/robots.txt");
                panic!(
                    "no request at all reached the {name} site ({})",
                    site.base_url()
                );
            }
        }
    }
    // A correct crawler sends no other request while both robots.txt are held, so this wait
    // never fails it; one that does not wait for robots.txt sends its next request at once.
    select! {
        recv(arrivals_a) -> path => early.push(("first", path.unwrap_or_default())),
        recv(arrivals_b) -> path => early.push(("second", path.unwrap_or_default())),
        default(Duration::from_millis(300)) => {}
    }
    a.release("/robots.txt");
    b.release("/robots.txt");
    let report = by_url(&urls, finish(crawling));
    assert!(
        early.iter().all(|(_, path)| path == "/robots.txt"),
        "the first requests (site, path): {early:?}. While a host's robots.txt is being \
         fetched, nothing else may be asked of that host: robots.txt first, then the pages \
         it allows. The other fetchers wait for it"
    );

    for (name, site) in [("first", &a), ("second", &b)] {
        let robots = site.hits().get("/robots.txt").copied().unwrap_or(0);
        assert_eq!(
            robots, 1,
            "the {name} site was asked for /robots.txt {robots} times: once per host, kept \
             for every later URL of that host (also when it is a 404)"
        );
    }
    let authors_requested: Vec<_> = a
        .hits()
        .into_keys()
        .filter(|p| p.starts_with("/author/"))
        .collect();
    assert!(
        authors_requested.is_empty(),
        "robots.txt says `Disallow: /author/`, yet these were requested: {authors_requested:?}"
    );
    for (url, outcome) in &report {
        let path = url
            .strip_prefix(&a.base_url())
            .or_else(|| url.strip_prefix(&b.base_url()))
            .unwrap();
        let on_a = url.starts_with(&a.base_url());
        let want_disallowed = on_a && path.starts_with("/author/");
        if want_disallowed {
            assert_eq!(
                outcome,
                &Outcome::Disallowed,
                "{path} on the first site is disallowed by its robots.txt: report it as \
                 Disallowed (not dropped, not fetched)"
            );
        } else {
            assert!(
                matches!(outcome, Outcome::Page(_)),
                "{path} on the {} site is allowed (Disallow: /author/ is a prefix of \
                 /author/x/, not of /authors/; a missing robots.txt allows everything) and \
                 must be fetched: got {outcome:?}",
                if on_a { "first" } else { "second" }
            );
        }
    }
    for (name, site) in [("first", &a), ("second", &b)] {
        assert_eq!(
            site.user_agents().into_iter().collect::<Vec<_>>(),
            [UA],
            "the {name} site saw these User-Agents (robots.txt must be asked for with the \
             same agent)"
        );
    }
}
