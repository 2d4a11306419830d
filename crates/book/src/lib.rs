//! `course book`: builds the book with mdBook's own library and serves it on 127.0.0.1.
//!
//! mdbook-driver is the code behind the `mdbook` command, so the book built here is the book a
//! stock `mdbook build` makes, with no separate install. Its warnings arrive through `tracing`;
//! they are collected so that a test can insist on none. After mdBook's build, [`search`] adds
//! the book's Chinese to the search index, which mdBook leaves out.

use anyhow::{Context, Result, anyhow};
use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;
use mdbook_driver::builtin_renderers::MarkdownRenderer;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use tiny_http::{Header, Response, Server, StatusCode};
use tracing::field::{Field, Visit};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};

pub mod search;

/// The port `course book` serves on unless told otherwise.
pub const DEFAULT_PORT: u16 = 3000;

/// What a build produced.
#[derive(Debug, Clone)]
pub struct Built {
    /// The folder holding `index.html`.
    pub dir: PathBuf,
    /// Every warning mdBook gave, one per entry.
    pub warnings: Vec<String>,
}

/// A page of the book after mdBook's preprocessors ran (`{{#include}}` and friends expanded).
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's path relative to the book's `src/`.
    pub path: PathBuf,
    /// Its Markdown.
    pub content: String,
}

/// Builds the book at `repo` (the folder with `book.toml`) into `dest`, or into the folder
/// book.toml names (`book/`).
pub fn build(repo: &Path, dest: Option<&Path>) -> Result<Built> {
    let (result, warnings) = collect_warnings(|| -> Result<PathBuf> {
        let mut book = load(repo)?;
        if let Some(dest) = dest {
            book.config.build.build_dir = dest.to_owned();
        }
        let dir = book.root.join(&book.config.build.build_dir);
        book.build()
            .map_err(|err| anyhow!("{err:#}"))
            .with_context(|| format!("building the book in {} failed", repo.display()))?;
        search::index_chinese(&dir)?;
        Ok(dir)
    });
    Ok(Built {
        dir: result?,
        warnings,
    })
}

/// The book's pages after preprocessing, in SUMMARY.md order, and mdBook's warnings.
pub fn pages(repo: &Path) -> Result<(Vec<Page>, Vec<String>)> {
    let (result, warnings) = collect_warnings(|| -> Result<Vec<Page>> {
        let book = load(repo)?;
        let (book, _) = book
            .preprocess_book(&MarkdownRenderer::new())
            .map_err(|err| anyhow!("{err:#}"))
            .with_context(|| format!("preprocessing the book in {} failed", repo.display()))?;
        Ok(book
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(ch) => ch.path.as_ref().map(|p| Page {
                    path: p.clone(),
                    content: ch.content.clone(),
                }),
                _ => None,
            })
            .collect())
    });
    Ok((result?, warnings))
}

fn load(repo: &Path) -> Result<MDBook> {
    let config = repo.join("book.toml");
    if !config.is_file() {
        anyhow::bail!(
            "{}: not found; run `cargo course book` inside the course repository",
            config.display()
        );
    }
    MDBook::load(repo)
        .map_err(|err| anyhow!("{err:#}"))
        .with_context(|| {
            format!(
                "cannot load the book from {}; check book.toml and src/SUMMARY.md",
                repo.display()
            )
        })
}

/// Runs `f` while collecting every WARN or ERROR event that mdBook logs.
fn collect_warnings<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let sink = Arc::new(Mutex::new(Vec::new()));
    let subscriber = tracing_subscriber::registry().with(WarningSink(Arc::clone(&sink)));
    let value = tracing::subscriber::with_default(subscriber, f);
    let warnings = std::mem::take(&mut *sink.lock().unwrap_or_else(|p| p.into_inner()));
    (value, warnings)
}

struct WarningSink(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> Layer<S> for WarningSink {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: LayerContext<'_, S>) {
        if *event.metadata().level() > tracing::Level::WARN {
            return;
        }
        let mut text = String::new();
        event.record(&mut MessageVisitor(&mut text));
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(text);
    }
}

struct MessageVisitor<'a>(&'a mut String);

impl Visit for MessageVisitor<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        } else {
            self.0.push_str(&format!("{}={value:?}", field.name()));
        }
    }
}

/// Opens the server on 127.0.0.1:`port` (0 picks a free port).
pub fn bind(port: u16) -> Result<Server> {
    Server::http(("127.0.0.1", port)).map_err(|err| {
        let in_use = err
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::AddrInUse);
        if in_use {
            anyhow!(
                "127.0.0.1:{port} is taken (is the book already being served?); pick another port with `cargo course book --port {}`",
                port.wrapping_add(1).max(1024)
            )
        } else {
            anyhow!("cannot listen on 127.0.0.1:{port}: {err}; try another port with --port")
        }
    })
}

/// The URL a server answers on.
pub fn url(server: &Server) -> String {
    match server.server_addr().to_ip() {
        Some(addr) => format!("http://{addr}/"),
        None => "the server's address".to_owned(),
    }
}

/// Serves the files under `root` until the server is unblocked.
pub fn serve(server: &Server, root: &Path) {
    for request in server.incoming_requests() {
        let (status, body, mime) = respond(root, request.url());
        let header = Header::from_bytes(&b"Content-Type"[..], mime.as_bytes())
            .expect("static header is valid");
        // A client that hangs up early is not the server's problem.
        let _ = request.respond(
            Response::from_data(body)
                .with_status_code(StatusCode(status))
                .with_header(header),
        );
    }
}

/// The status, body and content type for a request path.
fn respond(root: &Path, url: &str) -> (u16, Vec<u8>, &'static str) {
    let not_found = || {
        let body =
            std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"404 Not Found".to_vec());
        (404, body, "text/html; charset=utf-8")
    };
    let Some(file) = resolve(root, url) else {
        return not_found();
    };
    match std::fs::read(&file) {
        Ok(body) => (200, body, mime(&file)),
        Err(_) => not_found(),
    }
}

/// Maps a URL path to a file under `root`, refusing anything that would leave it.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut file = root.to_owned();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn mime(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" | "rs" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_inside_the_root() {
        let root = Path::new("/srv/book");
        assert_eq!(
            resolve(root, "/a/b.html?x=1"),
            Some(PathBuf::from("/srv/book/a/b.html"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(
            resolve(root, "/caf%C3%A9.html"),
            Some(PathBuf::from("/srv/book/café.html"))
        );
    }
}
