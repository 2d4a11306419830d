//! Exercise `stopping`: a crawl that stops on a signal or at a deadline, finishes what is in
//! flight, reports what it never fetched, and leaves no thread behind.
//!
//! To stop the crawl at a moment the test chooses, the site holds requests
//! (`Site::hold`): every fetcher is then stuck inside a request, and the coordinator is
//! waiting for the parsers. That is exactly when a crawler that only looks at the stop
//! channel between two pages cannot see it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crawler::stopping::{Crawl, Limits, Report, Stopped, Visit, crawl_until};
use crossbeam_channel::{Receiver, Sender, bounded};
use test_support::{Deadline, Fault, Site, SiteConfig, TIMEOUT, output_within};

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

/// A crawl running on a thread of its own; its `on_visit` sends each visit to `visits`.
struct Crawling {
    report: mpsc::Receiver<Report>,
    worker: thread::JoinHandle<()>,
    visits: mpsc::Receiver<Visit>,
}

fn start(site: &Site, limits: Limits, stop: Receiver<()>, deadline: Instant) -> Crawling {
    let (report_tx, report) = mpsc::channel();
    let (visit_tx, visits) = mpsc::channel();
    let url = site.url("/");
    let worker = thread::spawn(move || {
        let mut on_visit = |visit: &Visit| {
            let _ = visit_tx.send(visit.clone());
        };
        let _ = report_tx.send(crawl_until(
            &url,
            TWO,
            &limits,
            &stop,
            deadline,
            &mut on_visit,
        ));
    });
    Crawling {
        report,
        worker,
        visits,
    }
}

/// Waits for the crawl's report, and checks that `on_visit` saw exactly the visits in `done`
/// (`seen`: those the test took from `visits` already).
fn finish(crawling: Crawling, mut seen: Vec<Visit>, site: &Site) -> Report {
    let report = match crawling.report.recv_timeout(TIMEOUT) {
        Ok(report) => report,
        Err(mpsc::RecvTimeoutError::Disconnected) => match crawling.worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            release_all(site);
            panic!("{HANG}")
        }
    };
    seen.extend(crawling.visits.try_iter());
    let key = |visit: &Visit| format!("{visit:?}");
    let mut seen: Vec<String> = seen.iter().map(key).collect();
    let mut done: Vec<String> = report.done.iter().map(key).collect();
    seen.sort();
    done.sort();
    assert_eq!(
        seen, done,
        "on_visit must be called once for every visit the crawl saves in `done`, with that \
         visit, before crawl_until returns (left: what on_visit saw, right: `done`)"
    );
    report
}

/// The report's visit of `path`, if it has one.
fn visit_of<'r>(site: &Site, report: &'r Report, path: &str) -> Option<&'r Visit> {
    report.done.iter().find(|visit| visit.url == site.url(path))
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
    if taken.is_err() {
        release_all(&site);
    }
    assert!(
        taken.is_ok(),
        "the coordinator did not take the stop message within {} s, while both fetchers were \
         stuck in a request and it was waiting for the parsers. It must wait on the stop \
         channel and on the parsers' channel at once: select! {{ recv(parsed) -> .. , \
         recv(stop) -> .. }}",
        (TIMEOUT / 2).as_secs()
    );
    // The home page was parsed before its links went out, so its visit is saved by now.
    let home = crawling.visits.recv_timeout(TIMEOUT / 2);
    let home_seen = matches!(&home, Ok(visit) if visit.url == site.url("/"));
    // Both fetchers are stuck in a held request, so nobody can take a queued URL now; the
    // coordinator has a whole second to take them back (it needs microseconds). Only then are
    // the held pages let go: a coordinator that left the URLs queued has its fetchers take
    // them next.
    let _ = crossbeam_channel::after(Duration::from_secs(1)).recv();
    let requests_at_stop = first.len() + arrivals.try_iter().count();
    release_all(&site);
    assert!(
        home_seen,
        "while the held pages were still in flight, on_visit had not been called with the \
         home page's visit (it got {home:?}). Call it as each visit is saved, not once the \
         crawl is over: a progress bar that moves only at the end is no progress bar"
    );
    let report = finish(crawling, home.into_iter().collect(), &site);
    let requests_after_stop = site.requests() - requests_at_stop;
    assert_no_requests_after_return(&site);

    assert_eq!(
        report.stopped,
        Some(Stopped::Signal),
        "the crawl was stopped by the signal"
    );
    for path in &first[1..] {
        let visit = visit_of(&site, &report, path);
        assert!(
            matches!(visit, Some(Visit { outcome: Ok(_), .. })),
            "{path} was in flight when the stop came: it must be finished, parsed and saved \
             in `done` (with its links), got {visit:?}. After the stop, keep receiving the \
             parsers' messages until the count of pages in flight is 0"
        );
    }
    assert_eq!(
        requests_after_stop, 0,
        "{requests_after_stop} requests arrived after the stop. Both fetchers were stuck in a \
         request when it came, so every other URL was still in the URL channel: the \
         coordinator must take them back at once (try_recv on a Receiver it kept) and report \
         them as never fetched, or the fetchers take them as soon as they are free"
    );
    let (_, never) = check_accounts(&site, &report);
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
        Vec::new(),
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

/// A crawl that sends the start URL before it looks at the deadline, and then takes it back,
/// fails this only if a fetcher took the URL first: usually, but not every time. A crawl that
/// checks the deadline first passes every time.
#[test]
fn a_deadline_that_has_passed_fetches_nothing() {
    let site = Site::start(SiteConfig::default());
    let (_stop_tx, stop_rx) = bounded::<()>(0);
    let report = finish(
        start(&site, Limits::default(), stop_rx, Instant::now()),
        Vec::new(),
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
    let report = finish(crawling, Vec::new(), &site);
    let after_release = site.requests() - before_release;
    assert_no_requests_after_return(&site);

    assert_eq!(report.stopped, Some(Stopped::Deadline));
    for path in &first[1..] {
        let visit = visit_of(&site, &report, path);
        assert!(
            matches!(visit, Some(Visit { outcome: Ok(_), .. })),
            "{path} was in flight at the deadline: it must be finished and in `done` with its \
             links, got {visit:?}"
        );
    }
    assert_eq!(
        after_release, 0,
        "{after_release} requests started after the deadline. It passed while both fetchers \
         were stuck in a request, so the other URLs were still in the URL channel: the \
         coordinator must take them back at once (try_recv) and send no more. (If it did: \
         did it see the deadline while it waited? select! with \
         recv(crossbeam_channel::at(deadline)), or default(timeout))"
    );
    let (_, never) = check_accounts(&site, &report);
    assert!(
        !never.is_empty(),
        "the home page's other links were never fetched"
    );
}

// The crawler program (`src/main.rs`, given) runs your `crawl_until`: these tests run it as a
// person would, against the fixture site.

const CRAWLER: &str = env!("CARGO_BIN_EXE_crawler");

/// The report's lines, each parsed, keyed by path; fails on a line that is not JSON, a URL
/// that is not on the site, or a URL on two lines.
fn report_lines(site: &Site, file: &Path) -> BTreeMap<String, serde_json::Value> {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("no report {file:?}: {e}"));
    let mut lines = BTreeMap::new();
    for line in text.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?} is not JSON: {e}"));
        let url = value["url"]
            .as_str()
            .unwrap_or_else(|| panic!("no url in {line}"));
        let path = url
            .strip_prefix(&site.base_url())
            .unwrap_or_else(|| panic!("{url} is not on the site"));
        if let Some(first) = lines.insert(path.to_owned(), value.clone()) {
            panic!("{path} is in the report twice: {first} and {value}");
        }
    }
    lines
}

#[test]
fn the_program_reports_every_page_and_lists_the_broken_links() {
    let site = Site::start(SiteConfig {
        link_faults: true,
        slow: Duration::from_millis(100),
        ..SiteConfig::default()
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("report.jsonl");
    // --max-body 1 (MiB): the site's huge page (3 MiB) is not read, which would take seconds
    // in a debug build, and a page over the limit is not broken either.
    let run = output_within(
        Command::new(CRAWLER)
            .arg(site.url("/"))
            .args(["--max-body", "1", "--out"])
            .arg(&out),
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr),
    );
    assert_eq!(
        run.status.code(),
        Some(1),
        "the site has broken links, so the crawler exits with 1.\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let lines = report_lines(&site, &out);
    assert_eq!(
        lines.keys().cloned().collect::<BTreeSet<_>>(),
        site.reachable_paths(),
        "the report has one line for every page (the program writes one for every visit \
         on_visit hands it)\nstdout:\n{stdout}"
    );
    // Each broken page is listed with the page that links to it; a PDF is not broken.
    let home = site.url("/");
    for fault in [Fault::NotFound, Fault::ServerError, Fault::RedirectLoop] {
        let listed = format!("  {}  (", site.url(fault.path()));
        let listing = stdout.split_once(&listed).map(|(_, rest)| rest);
        assert!(
            listing.is_some_and(
                |rest| rest.lines().nth(1) == Some(&*format!("      linked from {home}"))
            ),
            "the broken link {} is not listed as linked from the home page:\n{stdout}",
            fault.path()
        );
    }
    for fault in [Fault::NotHtml, Fault::Huge] {
        assert!(
            !stdout.contains(&format!("  {}  (", site.url(fault.path()))),
            "a PDF, or a page over --max-body, is reached, not broken:\n{stdout}"
        );
    }
    assert!(
        stdout.contains(&format!("{} tried", site.reachable_paths().len())),
        "the summary counts every page tried:\n{stdout}"
    );
}

#[test]
fn the_program_stops_after_max_pages_and_reports_the_rest() {
    let site = Site::start(SiteConfig::default());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("report.jsonl");
    let run = output_within(
        Command::new(CRAWLER)
            .arg(site.url("/"))
            .args([
                "--max-pages",
                "3",
                "--fetchers",
                "1",
                "--parsers",
                "1",
                "--queue",
                "1",
            ])
            .arg("--out")
            .arg(&out),
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        matches!(run.status.code(), Some(0 | 1)),
        "{run:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("stopped after --max-pages 3"),
        "the crawl stops at the third page (the program sends the stop from on_visit): \
         {stdout}"
    );
    let lines = report_lines(&site, &out);
    let tried = lines
        .values()
        .filter(|line| line.get("depth").is_some())
        .count();
    let never = lines
        .values()
        .filter(|line| line["never_fetched"] == true)
        .count();
    // When the third visit is saved, more pages may be on their way: being fetched or parsed,
    // or parsed and waiting for the coordinator. Those are finished, not thrown away, so the
    // report may have more than 3; but the crawl stops long before the site's end.
    assert!(
        tried >= 3 && tried < site.reachable_paths().len(),
        "stopped at the third page, the crawl must have done at least 3 pages and not all {} \
         of them, but the report has {tried}:\n{stdout}",
        site.reachable_paths().len()
    );
    assert!(
        never > 0 && tried + never == lines.len(),
        "the links found and not followed are in the report as never fetched:\n{lines:#?}"
    );
    assert_eq!(
        site.requests(),
        tried,
        "one request per page done: the pages the stop left are never fetched"
    );
}

/// A report that cannot be written is an error that names the file, before the crawl starts
/// (a folder that does not exist) or as soon as a write fails (a full disk: `/dev/full`).
#[test]
fn the_program_names_a_report_it_cannot_write() {
    let site = Site::start(SiteConfig::default());
    let missing = Path::new("/no/such/folder/report.jsonl");
    let run = output_within(
        Command::new(CRAWLER)
            .arg(site.url("/"))
            .arg("--out")
            .arg(missing),
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/no/such/folder/report.jsonl"), "{stderr}");
    assert_eq!(
        site.requests(),
        0,
        "nothing is crawled without a place to put it"
    );

    let full = Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let run = output_within(
        Command::new(CRAWLER)
            .arg(site.url("/"))
            .arg("--out")
            .arg(full),
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr),
    );
    assert_eq!(run.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("could not write the report /dev/full"),
        "{stderr}"
    );
    assert!(
        stdout.starts_with("Crawled "),
        "the summary is printed even when the report is lost:\n{stdout}"
    );
}
