//! The chapter's fixture site, for crawling by hand: the same site the tests start.
//!
//! ```text
//! cargo run -p crawler --example site
//! cargo run -p crawler --example site -- --latency-ms 50 --pages 10 --faults
//! ```
//!
//! It prints the address and what is there, then serves until you press Enter (or close its
//! input, or press Ctrl-C).

use std::io::BufRead;
use std::process::ExitCode;
use std::time::Duration;

use test_support::{Fault, Site, SiteConfig};

const USAGE: &str = "\
usage: cargo run -p crawler --example site [-- OPTIONS]

Serves the chapter's fixture site (invented quotes, authors and tags) on 127.0.0.1, on a free
port, until you press Enter.

options:
  --latency-ms N        wait N ms before every response (the simulated network; default 0)
  --pages N             list pages /page/1/ ..= /page/N/ (default 5, at least 1)
  --quotes-per-page N   quotes on each list page (default 10, at least 1)
  --slow-ms N           how long /fault/slow/ waits and /fault/drip/ drips (default 2000)
  --faults              link every fault page from the home page, so a recursive crawl meets them
                        (without it they exist anyway, at the paths listed)
  --robots-txt TEXT     serve TEXT as /robots.txt (default: /robots.txt is a 404)
  -h, --help            show this help";

fn main() -> ExitCode {
    let config = match parse(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let site = match Site::try_start(config.clone()) {
        Ok(site) => site,
        Err(e) => {
            eprintln!("error: cannot start the site on 127.0.0.1: {e}");
            return ExitCode::FAILURE;
        }
    };
    describe(&site, &config);
    // Serve until Enter or the end of input; Ctrl-C ends the process too.
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    println!(
        "served {} requests on {} connections; stopping",
        site.requests(),
        site.connections()
    );
    ExitCode::SUCCESS
}

/// The config the flags ask for; `Ok(None)` for `--help`.
fn parse(args: impl Iterator<Item = String>) -> Result<Option<SiteConfig>, String> {
    let mut config = SiteConfig::default();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs {what}"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--faults" => config.link_faults = true,
            "--latency-ms" => {
                config.latency =
                    Duration::from_millis(number(&flag, &value("a number of milliseconds")?, 0)?)
            }
            "--slow-ms" => {
                config.slow =
                    Duration::from_millis(number(&flag, &value("a number of milliseconds")?, 0)?)
            }
            "--pages" => config.pages = count(&flag, &value("a number of pages")?)?,
            "--quotes-per-page" => {
                config.quotes_per_page = count(&flag, &value("a number of quotes")?)?
            }
            "--robots-txt" => {
                config.robots_txt = Some(value("the text of robots.txt")?.replace("\\n", "\n"))
            }
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other => {
                return Err(format!(
                    "unexpected argument `{other}` (the site takes only options)"
                ));
            }
        }
    }
    Ok(Some(config))
}

fn number(flag: &str, text: &str, min: u64) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if n >= min => Ok(n),
        Ok(_) => Err(format!("{flag} must be at least {min}, not {text}")),
        Err(_) => Err(format!("{flag} takes a whole number, not `{text}`")),
    }
}

fn count(flag: &str, text: &str) -> Result<usize, String> {
    let n = number(flag, text, 1)?;
    if n > 10_000 {
        return Err(format!("{flag} must be at most 10000, not {n}"));
    }
    Ok(n as usize)
}

fn describe(site: &Site, config: &SiteConfig) {
    let base = site.base_url();
    let row = |path: &str, what: &str| println!("  {base}{path:<24} {what}");
    println!("The fixture site is at {base}/");
    println!();
    row("/", "the home page (links to the rest)");
    row(
        &format!("/page/1/ .. /page/{}/", config.pages),
        &format!(
            "{} list pages, {} quotes each",
            config.pages, config.quotes_per_page
        ),
    );
    row("/authors/", "every author; /author/SLUG/ for each");
    row("/tags/", "every tag; /tag/TAG/ for each");
    row("/odd-links/", "links that test a link normaliser");
    match &config.robots_txt {
        Some(_) => row("/robots.txt", "served"),
        None => row("/robots.txt", "a 404 (use --robots-txt to serve one)"),
    }
    println!();
    println!(
        "Faults ({}):",
        if config.link_faults {
            "linked from the home page"
        } else {
            "not linked; request them directly, or use --faults"
        }
    );
    for fault in Fault::ALL {
        if fault != Fault::OddLinks {
            row(fault.path(), &what(fault, config));
        }
    }
    println!();
    println!(
        "Latency {} ms per response; {} paths reachable from /. Press Enter to stop.",
        config.latency.as_millis(),
        site.reachable_paths().len()
    );
}

fn what(fault: Fault, config: &SiteConfig) -> String {
    let slow = config.slow.as_millis();
    match fault {
        Fault::NotFound => "404".into(),
        Fault::ServerError => "500".into(),
        Fault::Slow => format!("a normal page after {slow} ms"),
        Fault::Drip => format!("200, the body in 10 pieces over {slow} ms"),
        Fault::ShortBody => {
            "Content-Length says more than is sent, then the connection closes".into()
        }
        Fault::RedirectLoop => "302 -> /fault/redirect-loop/back/ -> 302 back, forever".into(),
        Fault::NotHtml => "200, application/pdf".into(),
        Fault::Huge => format!("200 HTML, {} bytes", config.huge_bytes),
        Fault::InvalidUtf8 => "200 HTML with invalid UTF-8".into(),
        Fault::OddLinks => "odd links".into(),
    }
}
