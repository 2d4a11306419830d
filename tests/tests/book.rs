//! The book builds without warnings, has a page for every chapter, its links resolve, the
//! exercise files it names exist, and `course book` serves it over HTTP.

use course_core::layout::{Course, repo_root};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

fn build() -> (tempfile::TempDir, PathBuf) {
    let dest = tempfile::tempdir().unwrap();
    let built = course_book::build(&repo_root(), Some(dest.path())).expect("the book builds");
    assert!(
        built.warnings.is_empty(),
        "mdBook warned:\n{}",
        built.warnings.join("\n")
    );
    let dir = built.dir.clone();
    (dest, dir)
}

#[test]
fn the_book_builds_without_warnings_with_a_page_per_chapter() {
    let (_keep, dir) = build();
    assert!(dir.join("index.html").is_file());
    let course = Course::open_repo(&repo_root()).unwrap();
    for chapter in &course.manifest.chapters {
        let page = dir.join(Path::new(&chapter.page).with_extension("html"));
        let html =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(
            html.contains(&chapter.title),
            "{} does not show its title",
            page.display()
        );
    }
}

/// The `href`s of the `<a>` tags inside `<main>` of a built page. HTML shown as code is
/// escaped (`&lt;a href=..`), so a link in an example is not taken for one of the book's.
fn links(html: &str) -> Vec<String> {
    let main = html
        .split("<main>")
        .nth(1)
        .and_then(|m| m.split("</main>").next())
        .unwrap_or("");
    main.split("<a ")
        .skip(1)
        .filter_map(|tag| tag.split('>').next())
        .filter_map(|tag| tag.split("href=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let (_keep, dir) = build();
    let mut pages = Vec::new();
    html_files(&dir, &mut pages);
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        for link in links(&html) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            checked += 1;
            let Ok(text) = std::fs::read_to_string(&target) else {
                broken.push(format!("{}: {link} (no such file)", page.display()));
                continue;
            };
            if !anchor.is_empty() && !text.contains(&format!("id=\"{anchor}\"")) {
                broken.push(format!("{}: {link} (no such anchor)", page.display()));
            }
        }
    }
    assert!(
        checked > 10,
        "only {checked} links were found: is the link scan still right?"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_exercise_path_the_book_names_exists() {
    let repo = repo_root();
    let mut named = Vec::new();
    for page in std::fs::read_dir(repo.join("src")).unwrap().flatten() {
        let mut stack = vec![page.path()];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .flatten()
                        .map(|e| e.path()),
                );
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices("exercises/") {
                    let rest = &text[i..];
                    let end = rest
                        .find(|c: char| c.is_whitespace() || "`)]\"',".contains(c))
                        .unwrap_or(rest.len());
                    let mentioned = rest[..end].trim_end_matches(['.', ':']);
                    if mentioned.len() > "exercises/".len() {
                        named.push((path.clone(), mentioned.to_owned()));
                    }
                }
            }
        }
    }
    assert!(
        !named.is_empty(),
        "the book names no exercise files: is the scan still right?"
    );
    let missing: Vec<String> = named
        .iter()
        .filter(|(_, p)| !repo.join(p).exists())
        .map(|(page, p)| format!("{} names {p}", page.display()))
        .collect();
    assert!(
        missing.is_empty(),
        "the book names files that do not exist:\n{}",
        missing.join("\n")
    );
}

fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn the_book_is_served_over_http_and_nothing_outside_it() {
    let (_keep, dir) = build();
    let server = Arc::new(course_book::bind(0).unwrap());
    let url = course_book::url(&server);
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let serving = {
        let server = Arc::clone(&server);
        std::thread::spawn(move || course_book::serve(&server, &dir))
    };

    let index = get(&addr, "/");
    assert!(
        index.starts_with("HTTP/1.1 200"),
        "{}",
        &index[..index.len().min(200)]
    );
    assert!(
        index.contains("Content-Type: text/html"),
        "{}",
        &index[..index.len().min(400)]
    );
    assert!(index.contains("Multitasking in Rust"));

    let chapter = get(&addr, "/01-sync-async/index.html");
    assert!(chapter.starts_with("HTTP/1.1 200"));
    let svg = get(&addr, "/01-sync-async/images/sync.svg");
    assert!(
        svg.contains("image/svg+xml"),
        "{}",
        &svg[..svg.len().min(300)]
    );

    assert!(get(&addr, "/no-such-page.html").starts_with("HTTP/1.1 404"));
    assert!(get(&addr, "/../Cargo.toml").starts_with("HTTP/1.1 404"));

    server.unblock();
    serving.join().unwrap();
}

/// Each ` ```rust ` block of the preprocessed book: its page, its info string and its code
/// (hidden `# ` lines included, as the playground would get them).
fn rust_blocks() -> Vec<(PathBuf, String, String)> {
    let (pages, _) = course_book::pages(&repo_root()).expect("the book preprocesses");
    let mut blocks = Vec::new();
    for page in pages {
        let mut lines = page.content.lines();
        while let Some(line) = lines.next() {
            // A fence may be indented (inside a list) and longer than three backticks; the
            // block ends at a fence as long.
            let indented = line.trim_start();
            let fence: String = indented.chars().take_while(|&c| c == '`').collect();
            let Some(info) = indented
                .strip_prefix(fence.as_str())
                .filter(|_| fence.len() >= 3)
                .and_then(|rest| rest.strip_prefix("rust"))
            else {
                continue;
            };
            let code: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != fence).collect();
            blocks.push((page.path.clone(), info.to_owned(), code.join("\n")));
        }
    }
    blocks
}

#[test]
fn only_blocks_that_can_run_on_the_playground_show_a_run_button() {
    // What the Rust playground cannot do: start processes (this program again, or another),
    // touch files, read the arguments and environment a run on a machine is given, or reach a
    // server; and crates it does not offer (scraper).
    const NEEDS_A_MACHINE: [&str; 12] = [
        "ureq::",
        "127.0.0.1",
        "scraper::",
        "current_exe",
        "Command::new",
        "File::",
        "fs::",
        "mkfifo",
        "temp_dir",
        "tempfile",
        "env::var",
        "env::args",
    ];
    let blocks = rust_blocks();
    assert!(blocks.len() > 20, "only {} rust blocks found", blocks.len());
    let mut wrong = Vec::new();
    for (page, info, code) in &blocks {
        let no_button = ["noplayground", "ignore"]
            .iter()
            .any(|flag| info.split(',').any(|f| f.trim() == *flag));
        let needs: Vec<&str> = NEEDS_A_MACHINE
            .iter()
            .copied()
            .filter(|n| code.contains(n))
            .collect();
        if !needs.is_empty() && !no_button {
            let first = code.lines().find(|l| !l.starts_with('#')).unwrap_or("");
            wrong.push(format!(
                "{}: ```rust{info} uses {needs:?}, which cannot work on the playground: add \
                 `noplayground` ({first})",
                page.display()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The `#`-headings of a Markdown page, outside code blocks: (level, text).
fn headings(markdown: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let ticks: String = trimmed.chars().take_while(|&c| c == '`').collect();
        if ticks.len() >= 3 {
            match &fence {
                Some(open) if trimmed.trim_end() == open.as_str() => fence = None,
                None => fence = Some(ticks),
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let level = line.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&level) && line[level..].starts_with(' ') {
            out.push((level, line[level..].trim().to_owned()));
        }
    }
    out
}

#[test]
fn every_chapter_has_the_four_parts_and_its_differences_in_the_same_place() {
    const PARTS: [&str; 4] = ["From the notes", "The Rust way", "Exercises", "Measure it"];
    const DIFFERS: &str = "Where Rust differs from the notes";
    let repo = repo_root();
    let course = Course::open_repo(&repo).unwrap();
    let mut wrong = Vec::new();
    for chapter in &course.manifest.chapters {
        let path = repo.join("src").join(&chapter.page);
        let Ok(text) = std::fs::read_to_string(&path) else {
            wrong.push(format!("{}: cannot read the page", path.display()));
            continue;
        };
        let found = headings(&text);
        let parts: Vec<&str> = found
            .iter()
            .filter(|(level, _)| *level == 2)
            .map(|(_, text)| text.as_str())
            .collect();
        if parts != PARTS {
            wrong.push(format!(
                "{}: its ## parts are {parts:?}; every chapter has {PARTS:?}, in that order",
                path.display()
            ));
            continue;
        }
        // The last ### of "The Rust way" sums up how Rust differs from the notes.
        let rust_way = found
            .iter()
            .skip_while(|(level, text)| !(*level == 2 && text == "The Rust way"))
            .skip(1)
            .take_while(|(level, _)| *level > 2)
            .filter(|(level, _)| *level == 3)
            .last();
        if rust_way.map(|(_, text)| text.as_str()) != Some(DIFFERS) {
            wrong.push(format!(
                "{}: the last ### of \"The Rust way\" is {:?}, not \"{DIFFERS}\"",
                path.display(),
                rust_way.map(|(_, text)| text.as_str())
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The text of the heading whose id is `id` in a built page, written back as the Markdown wrote
/// it: `<code>` as backticks, other tags dropped, entities and mdBook's typographic quotes undone.
/// `None` if no heading (`<h1>` to `<h6>`) has that id.
fn heading_text(html: &str, id: &str) -> Option<String> {
    let attribute = format!(" id=\"{id}\"");
    let at = html.match_indices(&attribute).map(|(i, _)| i).find(|&i| {
        let tag = html[..i].rsplit('<').next().unwrap_or("");
        tag.len() == 2 && tag.starts_with('h') && tag[1..].parse::<u8>().is_ok_and(|l| l <= 6)
    })?;
    let tag = html[..at].rsplit('<').next()?;
    let body = at + html[at..].find('>')? + 1;
    let inner = &html[body..body + html[body..].find(&format!("</{tag}>"))?];
    let inner = inner.replace("<code>", "`").replace("</code>", "`");
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
            .replace(['‘', '’'], "'")
            .replace(['“', '”'], "\""),
    )
}

#[test]
fn every_hint_ends_with_the_book_section_that_teaches_it() {
    let (_keep, dir) = build();
    let course = Course::open_repo(&repo_root()).unwrap();
    let manifest = "exercises/course.toml";
    let mut wrong = Vec::new();
    let mut checked = 0;
    for chapter in &course.manifest.chapters {
        let page = Path::new(&chapter.page)
            .with_extension("html")
            .to_string_lossy()
            .replace('\\', "/");
        let html = std::fs::read_to_string(dir.join(&page))
            .unwrap_or_else(|e| panic!("{page} was not built: {e}"));
        for exercise in &chapter.exercises {
            let id = &exercise.id;
            checked += 1;
            let last = exercise.hint.trim_end().lines().last().unwrap_or("");
            let form = format!(
                "`Read: {page}#<anchor> (\"<heading>\")`, naming the section of the chapter's \
                 page that teaches what `{id}` needs (`cargo course book --build` writes the \
                 page to book/{page}; its headings' ids are the `id=\"..\"` of its <h2>/<h3>)"
            );
            let Some((target, heading)) = last
                .strip_prefix("Read: ")
                .and_then(|rest| rest.strip_suffix("\")"))
                .and_then(|rest| rest.split_once(" (\""))
            else {
                wrong.push(format!(
                    "`{id}` in {manifest}: the hint's last line is {last:?}; end the hint \
                     with a line {form}"
                ));
                continue;
            };
            let Some((file, anchor)) = target.split_once('#').filter(|(_, a)| !a.is_empty()) else {
                wrong.push(format!(
                    "`{id}` in {manifest}: the Read line names {target:?}, with no #anchor; \
                     write it as {form}"
                ));
                continue;
            };
            if file != page {
                wrong.push(format!(
                    "`{id}` in {manifest}: the Read line names {file}, but `{id}` belongs to \
                     chapter {}, whose page is {page}: point it at a section of {page}",
                    chapter.id
                ));
                continue;
            }
            let Some(actual) = heading_text(&html, anchor) else {
                wrong.push(format!(
                    "`{id}` in {manifest}: {page} has no heading with id=\"{anchor}\" (was the \
                     heading {heading:?} renamed or removed?); find the section in \
                     src/{} and use the id mdBook gives it in book/{page}",
                    chapter.page
                ));
                continue;
            };
            if actual != heading {
                wrong.push(format!(
                    "`{id}` in {manifest}: the heading #{anchor} of {page} reads {actual:?}, but \
                     the Read line says {heading:?}: copy the heading's text as the page's \
                     Markdown writes it"
                ));
            } else if actual.starts_with(|c: char| c.is_ascii_digit())
                && actual.contains(&format!("`{id}`"))
            {
                wrong.push(format!(
                    "`{id}` in {manifest}: the Read line points at the exercise's own section \
                     {heading:?}, which the learner has read already; point it at the section \
                     of \"The Rust way\" that teaches what the exercise needs"
                ));
            }
        }
    }
    assert!(
        checked > 0,
        "no exercises found in {manifest}: is the scan still right?"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
