// Given by the course, whole: use it as it is (the grader always uses the course's copy).
//! `crawler`: your crawler of exercise 5 (`stopping::crawl_until`) as a program a person can
//! point at a site, with a progress bar, a summary, a report file and an exit status a script
//! can test. Because it follows links on the same host only and reports every page that failed
//! with the pages that link to it, it is also a link checker: the course checks its own book
//! with it.
//!
//! ```text
//! cargo run -p crawler --example site              # in one terminal: the fixture site
//! cargo run -p crawler --release -- http://127.0.0.1:8000/ --max-pages 100 --out report.jsonl
//! ```
//!
//! This file is given: you do not need to change it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use crawler::stopping::{Crawl, FetchError, Limits, Report, Stopped, Visit, crawl_until};
use crossbeam_channel::bounded;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use url::Url;

/// Exit status when the crawl ran and found no broken link.
const CLEAN: u8 = 0;
/// Exit status when some page could not be fetched (a broken link).
const BROKEN: u8 = 1;
/// Exit status for bad arguments, and for a report file that could not be written.
const TROUBLE: u8 = 2;

const AFTER_HELP: &str = "\
The report (--out) has one JSON line for every page the crawl tried, and one for every link it
found and did not follow (only when it stopped early):
  {\"url\": ..., \"depth\": 1, \"links\": [...]}        a page it read
  {\"url\": ..., \"depth\": 2, \"error\": \"status 404\"}  a page it could not fetch
  {\"url\": ..., \"never_fetched\": true}              a link it did not follow

A page that is not HTML (an image, a PDF), not UTF-8 or over --max-body is there, so the link
to it is not broken; its own links are not followed. Every other failure is a broken link, and
is listed with the pages that link to it.

Stop early with --max-pages or --max-time, or press Enter: the pages in flight finish, and the
report says what was never fetched.

Exit status: 0 no broken link, 1 broken links, 2 bad arguments or a report that could not be
written. The crawler speaks plain http (this course builds ureq without TLS).";

const ABOUT: &str = "\
Crawls a site from one page, following its links on the same host and port: fetching threads
and parsing threads, joined by a bounded queue. Then it prints a summary of the pages, links
and errors, and lists the broken links.";

/// The command line.
#[derive(Debug, Parser)]
#[command(name = "crawler", about = ABOUT, after_help = AFTER_HELP)]
struct Args {
    /// The page to start from, for example http://127.0.0.1:8000/
    url: String,
    /// Threads that fetch pages
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=256))]
    fetchers: u16,
    /// Threads that parse pages
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=256))]
    parsers: u16,
    /// How many fetched pages the queue between them holds
    #[arg(long, default_value_t = 5)]
    queue: usize,
    /// Stop once this many pages are done (the pages in flight then still finish)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_pages: Option<u64>,
    /// Stop after this many seconds
    #[arg(long, value_name = "SECONDS")]
    max_time: Option<u64>,
    /// Give up on one request after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// The longest page read, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=1024))]
    max_body: u64,
    /// Write the report here, one JSON line per page
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// No progress bar
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            eprintln!("crawler: {message}");
            ExitCode::from(TROUBLE)
        }
    }
}

/// The report file, written a line at a time as the crawl goes, so that a crawl that is
/// stopped or dies keeps what it did. The first error stops the writing (and the crawl).
struct ReportFile {
    path: PathBuf,
    out: BufWriter<File>,
    lines: u64,
    error: Option<io::Error>,
}

impl ReportFile {
    fn create(path: &Path) -> Result<ReportFile, String> {
        let file = File::create(path).map_err(|e| {
            format!(
                "cannot create the report {}: {e}. Does its folder exist, and may you write there?",
                path.display()
            )
        })?;
        Ok(ReportFile {
            path: path.to_owned(),
            out: BufWriter::new(file),
            lines: 0,
            error: None,
        })
    }

    /// Writes one line; says whether the file is still fine.
    fn line(&mut self, value: &serde_json::Value) -> bool {
        if self.error.is_none() {
            let written = serde_json::to_writer(&mut self.out, value)
                .map_err(io::Error::from)
                .and_then(|()| self.out.write_all(b"\n"));
            match written {
                Ok(()) => self.lines += 1,
                Err(e) => self.error = Some(e),
            }
        }
        self.error.is_none()
    }

    fn finish(mut self) -> Result<(PathBuf, u64), String> {
        if self.error.is_none() {
            self.error = self.out.flush().err();
        }
        match self.error {
            None => Ok((self.path, self.lines)),
            Some(e) => Err(format!(
                "could not write the report {} after {} lines: {e}. The summary above is \
                 complete; free some space (or pick another --out) and crawl again",
                self.path.display(),
                self.lines
            )),
        }
    }
}

fn visit_line(visit: &Visit) -> serde_json::Value {
    match &visit.outcome {
        Ok(links) => json!({ "url": visit.url, "depth": visit.depth, "links": links }),
        Err(error) => json!({ "url": visit.url, "depth": visit.depth, "error": error.to_string() }),
    }
}

/// A page that is not HTML, not UTF-8 or too long to read exists: the link to it works.
fn is_broken(error: &FetchError) -> bool {
    !matches!(
        error,
        FetchError::NotHtml(_) | FetchError::InvalidUtf8 | FetchError::TooLarge
    )
}

/// The summary's name for an error: one line per kind, so statuses by code and
/// `Other` errors all together.
fn kind(error: &FetchError) -> String {
    match error {
        FetchError::NotHtml(_) => "not HTML".to_owned(),
        FetchError::Other(_) => "other".to_owned(),
        error => error.to_string(),
    }
}

fn run(args: &Args) -> Result<u8, String> {
    let start = Url::parse(&args.url).map_err(|e| {
        format!(
            "{:?} is not a URL ({e}): give one like http://127.0.0.1:8000/",
            args.url
        )
    })?;
    match start.scheme() {
        "http" => {}
        "https" => {
            return Err(format!(
                "{start} is https, and this crawler speaks plain http only (the course builds \
                 ureq without TLS): crawl a site served on http://, such as one on 127.0.0.1"
            ));
        }
        other => {
            return Err(format!(
                "{start} is a {other}: URL, not a web page: give an http:// URL"
            ));
        }
    }
    let crawl = Crawl {
        fetchers: args.fetchers.into(),
        parsers: args.parsers.into(),
        capacity: args.queue,
    };
    let limits = Limits {
        timeout: Duration::from_secs(args.timeout),
        max_body: args.max_body * 1024 * 1024,
    };
    let began = Instant::now();
    // Without --max-time, a year: a crawl that long has been stopped by other means.
    let allowed = args
        .max_time
        .map_or(Duration::from_secs(365 * 24 * 3600), Duration::from_secs);
    let deadline = began
        .checked_add(allowed)
        .ok_or_else(|| format!("--max-time {} is too far off", allowed.as_secs()))?;
    let mut report_file = args.out.as_deref().map(ReportFile::create).transpose()?;

    // One stop channel for every reason to stop: --max-pages and a full disk (from on_visit),
    // and Enter. Its one slot keeps the first; the crawl needs to hear only one.
    let (stop_tx, stop_rx) = bounded::<()>(1);
    let enter = Arc::new(AtomicBool::new(false));
    // A bar where a person watches (stderr is a terminal); a line every 10 s elsewhere (a log).
    let watched = io::stderr().is_terminal() && !args.quiet;
    let enter_stops = watched && io::stdin().is_terminal();
    if enter_stops {
        let (stop_tx, enter) = (stop_tx.clone(), Arc::clone(&enter));
        // Reads one line and sends the stop. It blocks on stdin until then, so it is not
        // joined: the program ends without it.
        thread::spawn(move || {
            if io::stdin()
                .read_line(&mut String::new())
                .is_ok_and(|n| n > 0)
            {
                enter.store(true, Ordering::SeqCst);
                let _ = stop_tx.try_send(());
            }
        });
    }

    let bar = if watched {
        ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} pages  {msg}",
        )
        .expect("the template is valid")
        .progress_chars("#>-"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    let hint = if enter_stops {
        "  (press Enter to stop)"
    } else {
        ""
    };
    bar.set_message(hint);
    let mut logged = Instant::now();

    let mut known: HashSet<String> = HashSet::from([String::from(start.clone())]);
    let (mut done, mut failed) = (0u64, 0u64);
    let mut reached_max = false;
    let mut on_visit = |visit: &Visit| {
        done += 1;
        match &visit.outcome {
            Ok(links) => known.extend(links.iter().cloned()),
            Err(error) if is_broken(error) => failed += 1,
            Err(_) => {}
        }
        if let Some(file) = report_file.as_mut()
            && !file.line(&visit_line(visit))
        {
            let _ = stop_tx.try_send(());
        }
        if args.max_pages == Some(done) {
            reached_max = true;
            let _ = stop_tx.try_send(());
        }
        bar.set_length(known.len() as u64);
        bar.set_position(done);
        bar.set_message(format!("{failed} broken{hint}"));
        if !watched && !args.quiet && logged.elapsed() >= Duration::from_secs(10) {
            logged = Instant::now();
            eprintln!(
                "crawler: {done} pages done of {} known, {failed} broken, after {:.0} s",
                known.len(),
                began.elapsed().as_secs_f64()
            );
        }
    };
    let report = crawl_until(
        start.as_str(),
        crawl,
        &limits,
        &stop_rx,
        deadline,
        &mut on_visit,
    );
    let elapsed = began.elapsed();
    bar.finish_and_clear();

    for url in &report.never_fetched {
        if let Some(file) = report_file.as_mut() {
            file.line(&json!({ "url": url, "never_fetched": true }));
        }
    }
    let why = match report.stopped {
        None => None,
        Some(Stopped::Deadline) => Some(format!("at --max-time {} s", allowed.as_secs())),
        Some(Stopped::Signal) if reached_max => Some(format!(
            "after --max-pages {}",
            args.max_pages.unwrap_or_default()
        )),
        Some(Stopped::Signal) if enter.load(Ordering::SeqCst) => Some("on Enter".to_owned()),
        Some(Stopped::Signal) => Some("because the report could not be written".to_owned()),
    };
    let broken = summarise(&start, args, &report, elapsed, why.as_deref());
    if let Some(file) = report_file {
        let (path, lines) = file.finish()?;
        println!("  report    {} ({lines} lines)", path.display());
    }
    print_broken(&report, &broken);
    Ok(if broken.is_empty() { CLEAN } else { BROKEN })
}

/// `1 fetcher`, `3 fetchers`.
fn count(n: u64, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Prints the summary; returns the broken pages.
fn summarise<'r>(
    start: &Url,
    args: &Args,
    report: &'r Report,
    elapsed: Duration,
    why: Option<&str>,
) -> Vec<&'r Visit> {
    let (mut links, mut distinct) = (0usize, HashSet::new());
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut broken = Vec::new();
    for visit in &report.done {
        match &visit.outcome {
            Ok(found) => {
                links += found.len();
                distinct.extend(found.iter());
            }
            Err(error) => {
                *kinds.entry(kind(error)).or_default() += 1;
                if is_broken(error) {
                    broken.push(visit);
                }
            }
        }
    }
    let read = report.done.iter().filter(|v| v.outcome.is_ok()).count();
    let seconds = elapsed.as_secs_f64();
    println!(
        "Crawled {start} in {seconds:.2} s with {} and {}{}",
        count(args.fetchers.into(), "fetcher"),
        count(args.parsers.into(), "parser"),
        why.map(|why| format!(", stopped {why}"))
            .unwrap_or_default()
    );
    // A rate over less than a second says more about the clock than about the crawl.
    let rate = if seconds >= 1.0 {
        format!(", {:.0} a second", report.done.len() as f64 / seconds)
    } else {
        String::new()
    };
    println!(
        "  pages     {} tried ({read} read, {} failed){rate}; {} never fetched",
        report.done.len(),
        report.done.len() - read,
        report.never_fetched.len()
    );
    println!(
        "  links     {links} found on the pages read, {} distinct (same site only)",
        distinct.len()
    );
    if kinds.is_empty() {
        println!("  errors    none");
    } else {
        // A few kinds to a line, so that the summary stays narrow.
        let list: Vec<String> = kinds
            .iter()
            .map(|(kind, n)| format!("{kind}: {n}"))
            .collect();
        for (i, line) in list.chunks(3).enumerate() {
            let label = if i == 0 { "errors" } else { "" };
            println!("  {label:<9} {}", line.join(", "));
        }
    }
    broken
}

/// Lists the broken pages, each with (up to three of) the pages that link to it.
fn print_broken(report: &Report, broken: &[&Visit]) {
    if broken.is_empty() {
        return;
    }
    let mut linked_from: HashMap<&str, Vec<&str>> = HashMap::new();
    for visit in &report.done {
        for link in visit.outcome.iter().flatten() {
            linked_from.entry(link).or_default().push(&visit.url);
        }
    }
    println!("\nBroken links ({}):", broken.len());
    let mut broken = broken.to_vec();
    broken.sort_by(|a, b| a.url.cmp(&b.url));
    for visit in broken {
        let error = visit
            .outcome
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default();
        println!("  {}  ({error})", visit.url);
        let mut from = linked_from
            .get(visit.url.as_str())
            .cloned()
            .unwrap_or_default();
        from.sort_unstable();
        match from.len() {
            0 => println!("      the start page"),
            n => {
                for page in from.iter().take(3) {
                    println!("      linked from {page}");
                }
                if n > 3 {
                    println!("      and {} more pages", n - 3);
                }
            }
        }
    }
}
