//! Chapter 7, "Measure it": where a crawler's time goes, beside the notes' Python crawler in the
//! same run.
//!
//! In `exercises/` it runs on your own code (`notes_design::crawl` and `parse_quotes`); at the
//! repository's root it runs on the reference solution, which is what the book's tables show:
//!
//! ```text
//! cargo bench -p crawler --bench crawl
//! ```
//!
//! 1. **Waiting on the network.** The fixture site serves [`PAGES`] list pages with [`LATENCY`]
//!    before every response. The crawl fetches them all with 1, 3 and 8 fetchers (3 parsers, a
//!    queue of 5), in [`RUNS`] rounds, and compares the median with the lower bound
//!    `pages × latency / fetchers`: no crawler with that many fetchers can be faster.
//! 2. **Working the CPU.** The same pages, saved to a temporary folder, are parsed again and
//!    again: on one thread, and spread over every core.
//!
//! When `python3` with `requests` and `beautifulsoup4` is on PATH (`pip install -r
//! exercises/07-crawler/benches/requirements.txt`), `benches/crawl.py` does both jobs the
//! notes' way against the same site and the same files, and its rows join the tables.

use std::path::Path;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use crawler::notes_design::{Crawl, Page, crawl, parse_quotes};
use test_support::bench::{self, median};
use test_support::{Site, SiteConfig, machine, run_python_script};

/// The latency-bound crawl: 48 pages at 50 ms each.
const PAGES: usize = 48;
const LATENCY: Duration = Duration::from_millis(50);
const FETCHERS: [usize; 3] = [1, 3, 8];
const RUNS: usize = 3;
/// How many times each saved page is parsed in the CPU-bound part, on each side.
const PARSE_REPEAT: usize = 20;
const PYTHON_PARSE_REPEAT: usize = 2;

fn main() -> ExitCode {
    bench::exit_status(run())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run() -> Result<(), String> {
    let site = Site::try_start(SiteConfig {
        pages: PAGES,
        latency: LATENCY,
        ..SiteConfig::default()
    })
    .map_err(|e| format!("cannot start the fixture site on 127.0.0.1: {e}"))?;
    let urls = site.list_urls();
    let expected = site.expected_quotes().len();
    let cores = thread::available_parallelism().map_or(1, |n| n.get());

    println!("## Chapter 7: where a crawler's time goes");
    println!();
    println!("- machine: {}", machine());
    println!(
        "- `cargo bench -p crawler --bench crawl`: release build; the fixture site on 127.0.0.1 \
         with {PAGES} list pages and {} ms of latency per response",
        LATENCY.as_millis()
    );

    // 1. The latency-bound crawl, in rounds.
    let parse = |page: &Page| parse_quotes(&page.body);
    let mut times = vec![Vec::new(); FETCHERS.len()];
    for round in 0..=RUNS {
        for (i, &fetchers) in FETCHERS.iter().enumerate() {
            let start = Instant::now();
            let parsed = crawl(
                &urls,
                Crawl {
                    fetchers,
                    parsers: 3,
                    capacity: 5,
                },
                &parse,
            );
            let elapsed = start.elapsed();
            let found: usize = parsed.iter().map(|p| p.quotes.len()).sum();
            if parsed.len() != PAGES || found != expected {
                return Err(format!(
                    "the crawl with {fetchers} fetcher(s) returned {} pages and {found} quotes, \
                     not {PAGES} and {expected}",
                    parsed.len()
                ));
            }
            if round > 0 {
                times[i].push(elapsed);
            }
        }
    }

    // The Python crawler against the same site, if it can run.
    let urls_file = tempfile::NamedTempFile::new().map_err(|e| format!("a temp file: {e}"))?;
    std::fs::write(urls_file.path(), urls.join("\n"))
        .map_err(|e| format!("cannot write {}: {e}", urls_file.path().display()))?;
    let mut python_version = None;
    let mut skipped = None;
    let mut python_crawl = Vec::new();
    for &fetchers in &FETCHERS {
        let args = [
            "crawl".to_owned(),
            urls_file.path().display().to_string(),
            fetchers.to_string(),
            "3".to_owned(),
            RUNS.to_string(),
        ];
        match python(&args, &mut python_version)? {
            Ok(lines) => python_crawl.push(row(&lines, "crawl", fetchers, expected)?),
            Err(why) => {
                skipped = Some(why);
                break;
            }
        }
    }

    println!();
    println!(
        "### Waiting on the network: {PAGES} pages, 3 parsers, a queue of 5, median of {RUNS}"
    );
    println!();
    println!("| crawler | fetchers | median | lower bound | of the bound |");
    println!("|---|---:|---:|---:|---:|");
    for (i, &fetchers) in FETCHERS.iter().enumerate() {
        let bound = LATENCY * PAGES as u32 / fetchers as u32;
        let took = median(times[i].clone());
        println!(
            "| Rust (`notes_design::crawl`) | {fetchers} | {:.0} ms | {:.0} ms | {:.0}% |",
            ms(took),
            ms(bound),
            100.0 * bound.as_secs_f64() / took.as_secs_f64()
        );
    }
    for (&fetchers, took) in FETCHERS.iter().zip(&python_crawl) {
        let bound = LATENCY * PAGES as u32 / fetchers as u32;
        println!(
            "| Python (threads, `Queue(5)`, requests) | {fetchers} | {took:.0} ms | {:.0} ms | \
             {:.0}% |",
            ms(bound),
            100.0 * ms(bound) / took
        );
    }

    // 2. The CPU-bound part: the same pages, parsed from files.
    let dir = tempfile::tempdir().map_err(|e| format!("a temp folder: {e}"))?;
    let bodies = save_pages(&site, dir.path())?;
    let rust_single = time_parse(&bodies, 1, expected)?;
    let rust_all = time_parse(&bodies, cores, expected)?;
    let mut python_parse = Vec::new();
    if skipped.is_none() {
        for processes in [1, cores] {
            let args = [
                "parse".to_owned(),
                dir.path().display().to_string(),
                processes.to_string(),
                PYTHON_PARSE_REPEAT.to_string(),
                RUNS.to_string(),
            ];
            match python(&args, &mut python_version)? {
                Ok(lines) => {
                    python_parse.push(row(&lines, "parse", processes, expected)?);
                }
                Err(why) => {
                    skipped = Some(why);
                    break;
                }
            }
        }
    }

    println!();
    println!(
        "### Working the CPU: parsing the {PAGES} saved pages, median of {RUNS} (Rust parses \
         each page {PARSE_REPEAT} times per run, Python {PYTHON_PARSE_REPEAT} times)"
    );
    println!();
    println!("| parser | threads or processes | per page | pages per second |");
    println!("|---|---:|---:|---:|");
    let per_page = |total_ms: f64, repeat: usize| total_ms / (PAGES * repeat) as f64;
    let rows = [
        (
            "Rust `scraper`, one thread",
            1,
            per_page(rust_single, PARSE_REPEAT),
        ),
        (
            "Rust `scraper`, a thread per core",
            cores,
            per_page(rust_all, PARSE_REPEAT),
        ),
    ];
    for (name, n, page_ms) in rows {
        println!(
            "| {name} | {n} | {:.1} µs | {:.0} |",
            page_ms * 1000.0,
            1000.0 / page_ms
        );
    }
    let labels = ["one process", "a process per core (`multiprocessing.Pool`)"];
    for ((label, n), total) in labels.iter().zip([1, cores]).zip(&python_parse) {
        let page_ms = per_page(*total, PYTHON_PARSE_REPEAT);
        println!(
            "| Python BeautifulSoup (`html.parser`), {label} | {n} | {:.1} µs | {:.0} |",
            page_ms * 1000.0,
            1000.0 / page_ms
        );
    }
    if let [single, _] = python_parse[..] {
        println!();
        println!(
            "Rust's parser on one thread is {:.0}× Python's in one process.",
            per_page(single, PYTHON_PARSE_REPEAT) / per_page(rust_single, PARSE_REPEAT)
        );
    }
    println!();
    match (python_version, skipped) {
        (_, Some(why)) => println!("Python skipped: {why}"),
        (Some(version), None) => println!("- Python: {version}"),
        (None, None) => {}
    }
    Ok(())
}

/// Runs benches/crawl.py with `args`: its output lines, or why Python was skipped.
fn python(
    args: &[String],
    version: &mut Option<String>,
) -> Result<Result<Vec<String>, String>, String> {
    let out = match run_python_script(env!("CARGO_MANIFEST_DIR"), "07-crawler", "crawl.py", args)? {
        Ok(out) => out,
        Err(why) => return Ok(Err(why)),
    };
    let lines: Vec<String> = out.lines().map(str::to_owned).collect();
    if let Some(why) = lines.iter().find_map(|l| l.strip_prefix("skipped\t")) {
        return Ok(Err(why.to_owned()));
    }
    if let Some(v) = lines.iter().find_map(|l| l.strip_prefix("version\t")) {
        *version = Some(v.replace('\t', ", "));
    }
    Ok(Ok(lines))
}

/// The median in ms from crawl.py's `kind <TAB> n <TAB> ms <TAB> ...` line, checking the quotes.
fn row(lines: &[String], kind: &str, n: usize, expected: usize) -> Result<f64, String> {
    let line = lines
        .iter()
        .find(|l| l.starts_with(&format!("{kind}\t{n}\t")))
        .ok_or_else(|| format!("crawl.py printed no {kind} line for {n}: {lines:?}"))?;
    let fields: Vec<&str> = line.split('\t').collect();
    let quotes: usize = fields
        .last()
        .and_then(|f| f.parse().ok())
        .ok_or_else(|| format!("crawl.py's line is malformed: {line}"))?;
    if quotes != expected {
        return Err(format!(
            "the Python {kind} with {n} found {quotes} quotes, not {expected}"
        ));
    }
    fields[2]
        .parse()
        .map_err(|_| format!("crawl.py's line is malformed: {line}"))
}

/// Fetches every list page once (no latency counts here) and saves it as `page-NN.html`.
fn save_pages(site: &Site, dir: &Path) -> Result<Vec<String>, String> {
    let agent = ureq::Agent::new_with_defaults();
    let mut bodies = Vec::new();
    for (i, url) in site.list_urls().iter().enumerate() {
        let body = agent
            .get(url)
            .call()
            .and_then(|mut r| r.body_mut().read_to_string())
            .map_err(|e| format!("cannot fetch {url}: {e}"))?;
        let file = dir.join(format!("page-{i:02}.html"));
        std::fs::write(&file, &body)
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        bodies.push(body);
    }
    Ok(bodies)
}

/// The median total time in ms to parse every body `PARSE_REPEAT` times on `threads` threads.
fn time_parse(bodies: &[String], threads: usize, expected: usize) -> Result<f64, String> {
    let mut times = Vec::new();
    for round in 0..=RUNS {
        let start = Instant::now();
        let found: usize = thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    s.spawn(move || {
                        (0..PARSE_REPEAT)
                            .flat_map(|_| bodies.iter())
                            .skip(t)
                            .step_by(threads)
                            .map(|body| parse_quotes(body).len())
                            .sum::<usize>()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
        });
        let elapsed = start.elapsed();
        if found != expected * PARSE_REPEAT {
            return Err(format!(
                "parsing found {found} quotes, not {}",
                expected * PARSE_REPEAT
            ));
        }
        if round > 0 {
            times.push(elapsed);
        }
    }
    Ok(ms(median(times)))
}
