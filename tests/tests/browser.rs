//! The built book in a real browser: headless Chromium opens every page in the sidebar, at a
//! desktop width and a phone width, and `tests/browser/check.js`, loaded first on each page,
//! reports what it found:
//!
//! - no console errors, and no script, style sheet or image that failed to load;
//! - every image loaded;
//! - nothing is wider than the content column (code blocks and diagrams scroll inside a box
//!   that fits), and the page itself does not scroll sideways;
//! - the text in each diagram is drawn at 10 px or more;
//! - search finds English and Chinese terms.
//!
//! Without Chromium the test says that it did not run and how to install it; under `CI=true` that
//! is a failure.

use course_core::layout::repo_root;
use course_testkit::{self as common, Tool};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The widths the pages are checked at: a desktop and a phone.
const WIDTHS: [u32; 2] = [1280, 375];

/// About the narrowest window headless Chromium makes.
const MIN_WINDOW: u32 = 600;

/// What `check.js` reports for a page.
#[derive(Debug, Default)]
struct Report {
    errors: Vec<String>,
    wide: Vec<String>,
    small: Vec<String>,
    images: Vec<String>,
    results: Vec<String>,
}

/// The book, built and served on 127.0.0.1 with `check.js` loaded first on every page.
struct Served {
    _dir: tempfile::TempDir,
    url: String,
    server: Arc<tiny_http::Server>,
    serving: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(serving) = self.serving.take() {
            let _ = serving.join();
        }
    }
}

fn serve_book() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let built = course_book::build(&repo_root(), Some(dir.path())).expect("the book builds");
    for (from, to) in [
        ("check.js", "course-check.js"),
        ("frame.html", "course-frame.html"),
    ] {
        let text = std::fs::read_to_string(repo_root().join("tests/browser").join(from)).unwrap();
        std::fs::write(built.dir.join(to), text).unwrap();
    }
    let mut pages = Vec::new();
    html_files(&built.dir, &mut pages);
    for page in pages {
        if page.ends_with("course-frame.html") {
            continue;
        }
        let html = std::fs::read_to_string(&page).unwrap();
        let html = html.replacen(
            "<head>",
            "<head><script src=\"/course-check.js\"></script>",
            1,
        );
        std::fs::write(&page, html).unwrap();
    }
    let server = Arc::new(course_book::bind(0).unwrap());
    let url = course_book::url(&server);
    let serving = {
        let (server, root) = (Arc::clone(&server), built.dir.clone());
        std::thread::spawn(move || course_book::serve(&server, &root))
    };
    Served {
        _dir: dir,
        url,
        server,
        serving: Some(serving),
    }
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// Opens the page at `path` (with its query) in headless Chromium at `width` px, waits for it to
/// settle, and returns `check.js`'s report. Below the narrowest window a headless browser makes,
/// the page is opened in `frame.html`, a frame of that width.
fn open(served: &Served, path: &str, width: u32) -> Report {
    let url = if width < MIN_WINDOW {
        format!(
            "{}course-frame.html?width={width}&page={}",
            served.url,
            encode(&format!("/{path}"))
        )
    } else {
        format!("{}{path}", served.url)
    };
    let url = url.as_str();
    let window = width.max(MIN_WINDOW);
    // A browser that never settles is killed. On a loaded machine that can happen to a page
    // that is fine, so a killed browser gets one more try before the page counts as broken.
    let output = (0..2)
        .map(|_| chromium(url, window))
        .find(|out| out.status.code().is_some())
        .unwrap_or_else(|| panic!("{url} at {width} px: Chromium was killed after 120 s, twice"));
    let dom = String::from_utf8_lossy(&output.stdout);
    let Some(start) = dom.find("<pre id=\"course-check\" hidden=\"\">") else {
        panic!(
            "{url} at {width} px: no report from check.js (chromium: {}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .rev()
                .take(10)
                .collect::<Vec<_>>()
                .join("\n")
        );
    };
    let rest = &dom[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</pre>").unwrap()];
    let value: serde_json::Value = serde_json::from_str(&unescape_html(json))
        .unwrap_or_else(|e| panic!("{url}: the report is not JSON ({e}): {json}"));
    let list = |key: &str| -> Vec<String> {
        value[key]
            .as_array()
            .unwrap_or_else(|| panic!("{url}: no `{key}` in the report"))
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    };
    Report {
        errors: list("errors"),
        wide: list("wide"),
        small: list("small"),
        images: list("images"),
        results: list("results"),
    }
}

/// Runs headless Chromium on `url` in a window `window` px wide, and returns what it printed: the
/// page's DOM once it settled.
fn chromium(url: &str, window: u32) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    // coreutils' `timeout` bounds a browser that never settles.
    Command::new("timeout")
        .args([
            "-s",
            "KILL",
            "120",
            "chromium",
            "--headless",
            "--no-sandbox",
        ])
        .args([
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--disable-dev-shm-usage",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .args([
            "--disable-extensions",
            "--disable-sync",
            "--no-default-browser-check",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={window},900"))
        .arg("--virtual-time-budget=15000")
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium starts")
}

/// The text of an HTML text node as `--dump-dom` writes it.
fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Percent-encodes a search term for a URL.
fn encode(term: &str) -> String {
    term.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn every_page_loads_cleanly_and_fits_and_search_finds_chinese() {
    if !common::require(
        "every_page_loads_cleanly_and_fits_and_search_finds_chinese",
        &[Tool::Chromium],
    ) {
        return;
    }
    let served = serve_book();
    let (pages, _) = course_book::pages(&repo_root()).expect("the book's pages");
    assert!(pages.len() >= 5, "the sidebar lists {} pages", pages.len());

    let mut problems = Vec::new();
    for page in &pages {
        let path = page.path.with_extension("html");
        for width in WIDTHS {
            let report = open(&served, &path.display().to_string(), width);
            let at = format!("{} at {width} px", path.display());
            problems.extend(report.errors.iter().map(|e| format!("{at}: console: {e}")));
            problems.extend(
                report
                    .images
                    .iter()
                    .map(|i| format!("{at}: image not loaded: {i}")),
            );
            problems.extend(report.wide.iter().map(|w| format!("{at}: too wide: {w}")));
            problems.extend(
                report
                    .small
                    .iter()
                    .map(|s| format!("{at}: small text: {s}")),
            );
        }
    }

    for term in ["Mutex", "rayon", "进程", "线程", "线程池"] {
        let report = open(
            &served,
            &format!("index.html?search={}", encode(term)),
            WIDTHS[0],
        );
        if report.results.is_empty() {
            problems.push(format!("searching for {term} finds nothing"));
        }
        problems.extend(
            report
                .errors
                .iter()
                .map(|e| format!("search {term}: console: {e}")),
        );
    }
    assert!(
        problems.is_empty(),
        "{} problems in the browser:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
