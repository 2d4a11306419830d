//! Exercise `stopping`: a crawl that stops on a signal or at a deadline, finishes what is in
//! flight, reports what it never fetched, and leaves no thread behind.
//!
//! To stop the crawl at a moment the test chooses, the site holds requests
//! (`Site::hold`): every fetcher is then stuck inside a request, and the coordinator is
//! waiting for the parsers. That is exactly when a crawler that only looks at the stop
//! channel between two pages cannot see it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crawler::stopping::{Crawl, Limits, Report, Stopped, Visit, crawl_until};
use crossbeam_channel::{Receiver, Sender, bounded};
use test_support::{Deadline, Site, SiteConfig, TIMEOUT};

const HANG: &str = "crawl_until did not return. After the stop, does the coordinator still \
                    count the pages in flight down to 0 (one message from a parser for every \
                    page, and minus one for every URL it takes back from the URL channel), and \
                    then drop the URL Sender?";

const TWO: Crawl = Crawl {
    fetchers: 2,
    parsers: 2,
    capacity: 2,
};

/// Everything but the home page: the home page's four links are all held.
const HELD: [&str; 4] = ["/page/", "/author", "/tag", "/odd-links/"];

fn hold_all_but_home(site: &Site) {
    for prefix in HELD {
        site.hold(prefix);
    }
}

fn release_all(site: &Site) {
    for prefix in HELD {
        site.release(prefix);
    }
}

type Crawling = (mpsc::Receiver<Report>, thread::JoinHandle<()>);

fn start(site: &Site, limits: Limits, stop: Receiver<()>, deadline: Instant) -> Crawling {
    let (tx, rx) = mpsc::channel();
    let url = site.url("/");
    let worker = thread::spawn(move || {
        let _ = tx.send(crawl_until(&url, TWO, &limits, &stop, deadline));
    });
    (rx, worker)
}

fn finish((rx, worker): Crawling, site: &Site) -> Report {
    match rx.recv_timeout(TIMEOUT) {
        Ok(report) => report,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            release_all(site);
            panic!("{HANG}")
        }
    }
}

/// Waits for `n` requests to arrive, and returns their paths.
fn wait_for(arrivals: &Receiver<String>, n: usize, site: &Site, what: &str) -> Vec<String> {
    let deadline = Deadline::from_now();
    let mut paths = Vec::new();
    while paths.len() < n {
        match arrivals.recv_timeout(deadline.remaining()) {
            Ok(path) => paths.push(path),
            Err(_) => {
                release_all(site);
                panic!("only these requests arrived: {paths:?}; waited for {n} ({what})");
            }
        }
    }
    paths
}

/// The report's URLs by path (never the port); fails on a URL that is twice in `done`, or in
/// both `done` and `never_fetched`, or twice in `never_fetched`.
fn check_accounts(site: &Site, report: &Report) -> (BTreeMap<String, Visit>, BTreeSet<String>) {
    let path = |url: &str| -> String {
        url.strip_prefix(&site.base_url())
            .unwrap_or_else(|| panic!("{url} is not on the site"))
            .to_owned()
    };
    let mut done = BTreeMap::new();
    for visit in &report.done {
        if let Some(first) = done.insert(path(&visit.url), visit.clone()) {
            panic!("{} is in `done` twice: {first:?} and {visit:?}", visit.url);
        }
    }
    let mut never = BTreeSet::new();
    for url in &report.never_fetched {
        let p = path(url);
        assert!(
            !done.contains_key(&p),
            "{p} is in both `done` and `never_fetched`"
        );
        assert!(never.insert(p.clone()), "{p} is in `never_fetched` twice");
    }
    // Everything the crawl learned of: the start and every link of every page it read.
    let mut learned = BTreeSet::from(["/".to_owned()]);
    for visit in done.values() {
        for link in visit.outcome.iter().flatten() {
            learned.insert(path(link));
        }
    }
    let accounted: BTreeSet<String> = done.keys().cloned().chain(never.clone()).collect();
    assert_eq!(
        accounted,
        learned,
        "`done` and `never_fetched` together must hold every URL the crawl learned of (the \
         start and the links of the pages in `done`). Learned but lost: {:?}; reported but \
         never learned: {:?}. The URLs still in the URL channel when the crawl stopped, and \
         the links found on the pages that were in flight, belong in `never_fetched`",
        learned.difference(&accounted).collect::<Vec<_>>(),
        accounted.difference(&learned).collect::<Vec<_>>()
    );
    (done, never)
}

/// After the call has returned, no request may reach the site: every thread must have been
/// joined. A correct crawl cannot send one however long we wait, so this never fails it; a
/// crawl that left a fetcher running with URLs to go sends the next one within milliseconds,
/// so 300 ms catches it nearly always. (The receiver is new: it sees only later requests.)
fn assert_no_requests_after_return(site: &Site) {
    let later = site.arrivals().recv_timeout(Duration::from_millis(300));
    assert!(
        later.is_err(),
        "a request reached the site after crawl_until returned: {later:?}. Every fetcher \
         must have ended (joined) before the call returns: thread::scope does that"
    );
}

#[test]
fn a_stop_while_every_fetcher_is_busy_finishes_them_and_reports_the_rest() {
    let site = Site::start(SiteConfig::default());
    hold_all_but_home(&site);
    let arrivals = site.arrivals();
    let (stop_tx, stop_rx): (Sender<()>, _) = bounded(0);
    let limits = Limits {
        timeout: TIMEOUT,
        ..Limits::default()
    };
    let far = Instant::now() + 10 * TIMEOUT;
    let crawling = start(&site, limits, stop_rx, far);
    // The home page, then one held page for each of the 2 fetchers.
    let first = wait_for(
        &arrivals,
        3,
        &site,
        "the home page and one held page per fetcher",
    );
    // The stop channel has no room (bounded(0)): this send returns when the coordinator takes
    // the message, which a correct one does at once, since it waits on the stop channel. The
    // held fetches last 10 s (the fetch timeout), so a coordinator that only looks at the
    // stop channel after a page comes back is still blocked when this gives up.
    let taken = stop_tx.send_timeout((), TIMEOUT / 2);
    let requests_at_stop = first.len() + arrivals.try_iter().count();
    release_all(&site);
    assert!(
        taken.is_ok(),
        "the coordinator did not take the stop message within {} s, while both fetchers were \
         stuck in a request and it was waiting for the parsers. It must wait on the stop \
         channel and on the parsers' channel at once: select! {{ recv(parsed) -> .. , \
         recv(stop) -> .. }}",
        (TIMEOUT / 2).as_secs()
    );
    let report = finish(crawling, &site);
    let requests_after_stop = site.requests() - requests_at_stop;
    assert_no_requests_after_return(&site);

    assert_eq!(
        report.stopped,
        Some(Stopped::Signal),
        "the crawl was stopped by the signal"
    );
    assert!(
        requests_after_stop <= TWO.fetchers,
        "{requests_after_stop} requests arrived after the stop, with {} fetchers: no new \
         fetch may start once the stop is seen. Take the URLs that are still in the URL \
         channel back (try_recv) and report them as never fetched",
        TWO.fetchers
    );
    let (done, never) = check_accounts(&site, &report);
    for path in &first[1..] {
        assert!(
            matches!(done.get(path), Some(Visit { outcome: Ok(_), .. })),
            "{path} was in flight when the stop came: it must be finished, parsed and saved \
             in `done` (with its links), got {:?}",
            done.get(path)
        );
    }
    assert!(
        !never.is_empty(),
        "the home page has 4 links and only 2 were fetched before the stop: the others \
         belong in `never_fetched`"
    );
}

#[test]
fn a_dropped_stop_sender_is_not_a_stop() {
    let site = Site::start(SiteConfig::default());
    let (stop_tx, stop_rx) = bounded::<()>(0);
    drop(stop_tx);
    let limits = Limits::default();
    let report = finish(
        start(&site, limits, stop_rx, Instant::now() + 10 * TIMEOUT),
        &site,
    );
    assert_eq!(
        report.stopped, None,
        "nobody sent a stop: the Sender was dropped, which closes the channel. A closed stop \
         channel is not a stop (recv gives Err, not Ok): go on without it"
    );
    let (done, never) = check_accounts(&site, &report);
    assert!(
        never.is_empty(),
        "a crawl that was not stopped fetches everything: {never:?}"
    );
    assert_eq!(
        done.keys().cloned().collect::<BTreeSet<_>>(),
        site.reachable_paths(),
        "a crawl that was not stopped visits every reachable page"
    );
}

#[test]
fn a_deadline_that_has_passed_fetches_nothing() {
    let site = Site::start(SiteConfig::default());
    let (_stop_tx, stop_rx) = bounded::<()>(0);
    let report = finish(
        start(&site, Limits::default(), stop_rx, Instant::now()),
        &site,
    );
    assert_eq!(report.stopped, Some(Stopped::Deadline));
    assert!(
        report.done.is_empty() && site.requests() == 0,
        "the deadline had passed before the crawl began, yet it fetched {:?}: check the \
         deadline before the first send",
        report.done
    );
    assert_eq!(
        report.never_fetched,
        [site.url("/")],
        "the start URL was known and never fetched"
    );
    assert_no_requests_after_return(&site);
}

#[test]
fn a_deadline_while_every_fetcher_is_busy_starts_no_new_fetch() {
    let site = Site::start(SiteConfig::default());
    hold_all_but_home(&site);
    let arrivals = site.arrivals();
    let (_stop_tx, stop_rx) = bounded::<()>(0);
    let limits = Limits {
        timeout: TIMEOUT,
        ..Limits::default()
    };
    let deadline = Instant::now() + Duration::from_millis(300);
    let crawling = start(&site, limits, stop_rx, deadline);
    let first = wait_for(
        &arrivals,
        3,
        &site,
        "the home page and one held page per fetcher",
    );
    // The deadline passes while both fetchers are stuck in a held request and the coordinator
    // waits for the parsers. Give the coordinator a whole second after it to take the queued
    // URLs back (it needs microseconds), then let the held requests go: a crawl that looks at
    // the deadline only when a page comes back has its fetchers take the next queued URLs
    // before its coordinator hears of the page (a parser must parse it first).
    let _ = crossbeam_channel::at(deadline + Duration::from_secs(1)).recv();
    let before_release = first.len() + arrivals.try_iter().count();
    release_all(&site);
    let report = finish(crawling, &site);
    let after_release = site.requests() - before_release;
    assert_no_requests_after_return(&site);

    assert_eq!(report.stopped, Some(Stopped::Deadline));
    assert_eq!(
        after_release, 0,
        "{after_release} requests started after the deadline. It passed while both fetchers \
         were stuck in a request and the coordinator was waiting for the parsers: the \
         coordinator must wait for the deadline at the same time (select! with \
         recv(crossbeam_channel::at(deadline)), or default(timeout)), take the queued URLs \
         back at once, and send no more"
    );
    let (done, never) = check_accounts(&site, &report);
    for path in &first[1..] {
        assert!(
            matches!(done.get(path), Some(Visit { outcome: Ok(_), .. })),
            "{path} was in flight at the deadline: it must be finished and in `done` with its \
             links, got {:?}",
            done.get(path)
        );
    }
    assert!(
        !never.is_empty(),
        "the home page's other links were never fetched"
    );
}
