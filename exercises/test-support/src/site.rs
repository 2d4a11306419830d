//! A fixture website for the crawler chapter: [`Site`].
//!
//! No test touches the internet. Each test starts its own site on a free port of 127.0.0.1,
//! serving pages generated from a [`SiteConfig`] by a seeded generator, so the same config
//! always gives the same bytes and the test knows the ground truth
//! ([`Site::expected_quotes`], [`Site::reachable_paths`]). Latency is a server-side sleep (the
//! simulated network), and each [`Fault`] lives at its own path.
//!
//! The site counts what it serves (requests in flight and their peak, hits per path,
//! connections, User-Agents) and can hold requests at a [`Gate`](crate::Gate), so that a test
//! asserts bounds ("never more than 3 fetches at once", "the fetches overlapped") instead of
//! measuring time.

mod content;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

use crate::Gate;
use content::{Content, Reply};

/// What the site looks like and how it misbehaves. `SiteConfig::default()` is a healthy site.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// List pages `/page/1/` ..= `/page/{pages}/`. Default 5.
    pub pages: usize,
    /// Quotes on each list page. Default 10.
    pub quotes_per_page: usize,
    /// Waited (server side, a sleep: this is the simulated network) before every response.
    /// Default zero.
    pub latency: Duration,
    /// Link every fault page from the home page `/`, so that a recursive crawl meets them.
    /// Default false (they exist anyway and can be requested directly).
    pub link_faults: bool,
    /// The body of `/robots.txt`; `None` means `/robots.txt` is a 404. Default `None`.
    pub robots_txt: Option<String>,
    /// `Some(n)`: each of the first `n` requests waits in a [`Gate`] of `n` parties until `n`
    /// requests are in flight at once, and then they all go on; requests after the first `n`
    /// pass straight through. If the gate times out ([`TIMEOUT`](crate::TIMEOUT)), the waiting
    /// requests get a 503 and [`Site::gate_opened`] stays false. Default `None`.
    pub gate: Option<usize>,
    /// How long `/fault/slow/` waits before it answers, and how long `/fault/drip/` takes to
    /// drip its body (in 10 pieces). Default 2 s.
    pub slow: Duration,
    /// Size of `/fault/huge/`'s body (valid HTML, padded). Default 3 MiB.
    pub huge_bytes: usize,
    /// At most this many requests are served at once; more wait (not yet counted in flight)
    /// for one to finish. Each connection has its own thread, so an idle kept-alive connection
    /// never blocks another. Default 32.
    pub threads: usize,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            pages: 5,
            quotes_per_page: 10,
            latency: Duration::ZERO,
            link_faults: false,
            robots_txt: None,
            gate: None,
            slow: Duration::from_secs(2),
            huge_bytes: 3 << 20,
            threads: 32,
        }
    }
}

/// One quote as a list page shows it: the ground truth a parser must find.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ListedQuote {
    /// The list page's path, e.g. "/page/2/" (never the port).
    pub page: String,
    /// The quote's text without the curly quotes around it (entities decoded).
    pub text: String,
    /// The author's name as shown (entities decoded).
    pub author: String,
    /// The tags in page order.
    pub tags: Vec<String>,
}

/// The faults, each at its own path ([`Fault::path`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// `/fault/404/`: status 404, small HTML body.
    NotFound,
    /// `/fault/500/`: status 500, small HTML body.
    ServerError,
    /// `/fault/slow/`: a normal page, but only after [`SiteConfig::slow`].
    Slow,
    /// `/fault/drip/`: 200, headers at once, the body in 10 pieces over [`SiteConfig::slow`].
    Drip,
    /// `/fault/short/`: Content-Length says more bytes than are sent, then the connection
    /// closes.
    ShortBody,
    /// `/fault/redirect-loop/`: 302 to `/fault/redirect-loop/back/`, which is a 302 back.
    RedirectLoop,
    /// `/fault/not-html/`: 200, `Content-Type: application/pdf`, a binary body.
    NotHtml,
    /// `/fault/huge/`: 200 text/html, [`SiteConfig::huge_bytes`] long.
    Huge,
    /// `/fault/bad-utf8/`: 200 `text/html; charset=utf-8` with invalid UTF-8 bytes in it.
    InvalidUtf8,
    /// `/odd-links/`: a healthy 200 HTML page full of odd links, for a link normaliser.
    OddLinks,
}

impl Fault {
    /// Every fault, in declaration order.
    pub const ALL: [Fault; 10] = [
        Fault::NotFound,
        Fault::ServerError,
        Fault::Slow,
        Fault::Drip,
        Fault::ShortBody,
        Fault::RedirectLoop,
        Fault::NotHtml,
        Fault::Huge,
        Fault::InvalidUtf8,
        Fault::OddLinks,
    ];

    /// The path the fault is served at, such as `/fault/404/`.
    pub fn path(self) -> &'static str {
        match self {
            Fault::NotFound => "/fault/404/",
            Fault::ServerError => "/fault/500/",
            Fault::Slow => "/fault/slow/",
            Fault::Drip => "/fault/drip/",
            Fault::ShortBody => "/fault/short/",
            Fault::RedirectLoop => "/fault/redirect-loop/",
            Fault::NotHtml => "/fault/not-html/",
            Fault::Huge => "/fault/huge/",
            Fault::InvalidUtf8 => "/fault/bad-utf8/",
            Fault::OddLinks => "/odd-links/",
        }
    }

    /// The status the fault's first response has (200 for the ones that fail in the body).
    pub fn status(self) -> u16 {
        match self {
            Fault::NotFound => 404,
            Fault::ServerError => 500,
            Fault::RedirectLoop => 302,
            _ => 200,
        }
    }
}

/// A running fixture site on 127.0.0.1. Dropping it stops the server threads.
pub struct Site {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

struct Shared {
    content: Content,
    gate: Option<(usize, Gate)>,
    /// Tickets for the gate: the first `n` requests wait in it.
    tickets: AtomicUsize,
    state: Mutex<State>,
    /// Signalled when a hold is released or the site closes.
    released: Condvar,
    /// Signalled when a serving slot (`SiteConfig::threads`) frees up or the site closes.
    slots: Condvar,
}

#[derive(Default)]
struct State {
    in_flight: usize,
    peak: usize,
    /// Requests being served (holding one of `SiteConfig::threads` slots).
    serving: usize,
    requests: usize,
    hits: BTreeMap<String, usize>,
    peers: HashSet<SocketAddr>,
    user_agents: BTreeSet<String>,
    subscribers: Vec<Sender<String>>,
    held: Vec<String>,
    closing: bool,
    /// The open connections (to shut them down on drop) and their threads.
    open: HashMap<u64, TcpStream>,
    next_id: u64,
    connection_threads: Vec<JoinHandle<()>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Site {
    /// Starts the site on 127.0.0.1:0 (a free port).
    ///
    /// # Panics
    ///
    /// Only if the machine cannot open a loopback socket (see [`Site::try_start`]). The server
    /// threads stop when the `Site` is dropped.
    pub fn start(config: SiteConfig) -> Site {
        Site::try_start(config)
            .unwrap_or_else(|e| panic!("cannot start the site on 127.0.0.1: {e}"))
    }

    /// [`Site::start`], but an error instead of a panic if the socket or a thread cannot be
    /// made (for programs such as the chapter's `site` example).
    pub fn try_start(config: SiteConfig) -> io::Result<Site> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            gate: config.gate.map(|n| (n, Gate::new(n))),
            content: Content::new(&config),
            tickets: AtomicUsize::new(0),
            state: Mutex::new(State::default()),
            released: Condvar::new(),
            slots: Condvar::new(),
        });
        let accepting = Arc::clone(&shared);
        let accept = thread::Builder::new()
            .name("site-accept".into())
            .spawn(move || accept_loop(&listener, &accepting))?;
        Ok(Site {
            addr,
            shared,
            accept: Some(accept),
        })
    }

    /// The config the site was started with.
    pub fn config(&self) -> &SiteConfig {
        &self.shared.content.config
    }

    /// The socket address, such as `127.0.0.1:40123`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// "http://127.0.0.1:PORT" (no slash at the end).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `base_url() + path`; `path` starts with '/'.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// The list pages' full URLs, in order: `url("/page/1/") ..= url("/page/{pages}/")`.
    pub fn list_urls(&self) -> Vec<String> {
        (1..=self.config().pages)
            .map(|n| self.url(&format!("/page/{n}/")))
            .collect()
    }

    /// Every quote on every list page, in page order then on-page order.
    pub fn expected_quotes(&self) -> Vec<ListedQuote> {
        self.shared.content.listed()
    }

    /// Every path a complete recursive crawl from "/" reaches by following same-site links
    /// (fragments dropped, queries kept), sorted. Includes the fault paths when `link_faults`,
    /// and the paths of broken links (they answer 404). Excludes `/robots.txt`, and
    /// `/fault/redirect-loop/back/` (only a redirect leads there, no link).
    pub fn reachable_paths(&self) -> BTreeSet<String> {
        self.shared.content.reachable(self.addr)
    }

    /// Requests being served right now.
    pub fn in_flight(&self) -> usize {
        self.shared.lock().in_flight
    }

    /// The most requests there ever were in flight at once.
    pub fn peak_in_flight(&self) -> usize {
        self.shared.lock().peak
    }

    /// Requests received so far (all paths).
    pub fn requests(&self) -> usize {
        self.shared.lock().requests
    }

    /// How many times each path (with its query, if any) was requested.
    pub fn hits(&self) -> BTreeMap<String, usize> {
        self.shared.lock().hits.clone()
    }

    /// How many distinct client connections (remote socket addresses) have sent requests.
    pub fn connections(&self) -> usize {
        self.shared.lock().peers.len()
    }

    /// The distinct User-Agent headers seen ("" for a request without one).
    pub fn user_agents(&self) -> BTreeSet<String> {
        self.shared.lock().user_agents.clone()
    }

    /// Whether the gate ([`SiteConfig::gate`]) opened: that many requests were in flight
    /// together. False when there is no gate.
    pub fn gate_opened(&self) -> bool {
        self.shared
            .gate
            .as_ref()
            .is_some_and(|(_, gate)| gate.opened())
    }

    /// A crossbeam channel that receives each request's path (with query) when it arrives,
    /// before the latency, hold or gate. Every receiver from this gets every later arrival.
    pub fn arrivals(&self) -> Receiver<String> {
        let (sender, receiver) = crossbeam_channel::unbounded();
        self.shared.lock().subscribers.push(sender);
        receiver
    }

    /// Holds every request whose path starts with `prefix` (before answering) until
    /// `release(prefix)` is called or the site is dropped.
    pub fn hold(&self, prefix: &str) {
        self.shared.lock().held.push(prefix.to_string());
    }

    /// Lets the requests held by `hold(prefix)` (and later ones with that prefix) go on.
    pub fn release(&self, prefix: &str) {
        let mut state = self.shared.lock();
        state.held.retain(|p| p != prefix);
        self.shared.released.notify_all();
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.released.notify_all();
        self.shared.slots.notify_all();
        // Wake the accept loop so that it sees `closing` and ends.
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        // No connection is added after `closing`; end the open ones and wait for their threads.
        let (open, threads) = {
            let mut state = self.shared.lock();
            (
                std::mem::take(&mut state.open),
                std::mem::take(&mut state.connection_threads),
            )
        };
        for stream in open.values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        for thread in threads {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let mut state = shared.lock();
        if state.closing {
            return;
        }
        let Ok(registered) = stream.try_clone() else {
            continue;
        };
        let id = state.next_id;
        state.next_id += 1;
        state.open.insert(id, registered);
        state.connection_threads.retain(|t| !t.is_finished());
        let serving = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name(format!("site-conn-{id}"))
            .spawn(move || {
                serve_connection(stream, &serving);
                serving.lock().open.remove(&id);
            });
        match spawned {
            Ok(thread) => state.connection_threads.push(thread),
            Err(_) => {
                state.open.remove(&id);
            }
        }
    }
}

/// One request as the site needs it: the method, the request target (path and query, as
/// sent), the User-Agent, and whether the client wants the connection kept open.
struct Incoming {
    method: String,
    target: String,
    user_agent: String,
    keep_alive: bool,
}

/// How many pieces `/fault/drip/` sends its body in.
const DRIP_PIECES: usize = 10;

/// The longest request head (request line and headers) the site reads.
const MAX_HEAD: u64 = 16 * 1024;

/// Reads one request head (and skips its body, if it has one). `Ok(None)`: the client closed
/// the connection between requests; `Err`: the connection broke or the request was malformed.
fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Incoming>> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let mut limited = reader.by_ref().take(MAX_HEAD);
    let mut line = String::new();
    // The request line (empty lines before it are allowed, RFC 9112 section 2.2).
    loop {
        line.clear();
        if limited.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    let (method, mut target, version) =
        (method.to_string(), target.to_string(), version.to_string());
    if !version.starts_with("HTTP/1.") {
        return Err(bad("not HTTP/1.x"));
    }
    // The absolute form (`GET http://host/path`) names the same resource as `/path`.
    if let Some(rest) = target.strip_prefix("http://") {
        target = rest
            .find('/')
            .map_or("/".to_string(), |at| rest[at..].to_string());
    }
    let mut user_agent = String::new();
    let mut connection = String::new();
    let mut body_length = 0u64;
    loop {
        line.clear();
        if limited.read_line(&mut line)? == 0 {
            return Err(bad("the request head ended early"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err(bad("malformed header"));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("user-agent") {
            user_agent = value.to_string();
        } else if name.eq_ignore_ascii_case("connection") {
            connection = value.to_ascii_lowercase();
        } else if name.eq_ignore_ascii_case("content-length") {
            body_length = value.parse().map_err(|_| bad("bad Content-Length"))?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(bad(
                "request bodies with Transfer-Encoding are not supported",
            ));
        }
    }
    // A crawler sends no bodies, but skip one if it comes, so the next request is found.
    io::copy(&mut reader.by_ref().take(body_length), &mut io::sink())?;
    let keep_alive = if version == "HTTP/1.0" {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    Ok(Some(Incoming {
        method,
        target,
        user_agent,
        keep_alive,
    }))
}

/// Serves one connection's requests one after the other (keep-alive) until the client closes
/// it, asks to close it, a reply closes it, or the site is dropped.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let Ok(peer) = stream.peer_addr() else { return };
    // Every response is written as two pieces (see `write_counted`): without this, Nagle's
    // algorithm and the client's delayed ACK would add ~40 ms to each of them.
    let _ = stream.set_nodelay(true);
    // A client that stops reading must not block a server thread forever.
    let _ = stream.set_write_timeout(Some(crate::TIMEOUT));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let incoming = match read_request(&mut reader) {
            Ok(Some(incoming)) => incoming,
            Ok(None) => break,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                let body = b"<!DOCTYPE html>\n<html><body><h1>400 Bad Request</h1></body></html>\n";
                let mut bytes = head(400, &[("Content-Type", content::HTML)], body.len(), true);
                bytes.extend_from_slice(body);
                let _ = writer.write_all(&bytes);
                break;
            }
            Err(_) => break,
        };
        let keep_open = incoming.keep_alive;
        let closes = handle(incoming, &mut writer, shared, peer);
        if !keep_open || closes || shared.lock().closing {
            break;
        }
    }
    let _ = writer.shutdown(Shutdown::Write);
}

/// Counts one request in flight until [`InFlight::finish`] (or until it is dropped, if the
/// response failed on the way).
struct InFlight<'a> {
    shared: &'a Shared,
    done: bool,
}

impl InFlight<'_> {
    fn finish(&mut self) {
        if !self.done {
            self.done = true;
            self.shared.lock().in_flight -= 1;
        }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Serves one request; says whether the connection must close afterwards.
fn handle(incoming: Incoming, writer: &mut TcpStream, shared: &Shared, peer: SocketAddr) -> bool {
    let path = incoming.target;
    // At most `threads` requests are served at once; the others wait here, not yet counted.
    {
        let state = shared.lock();
        let mut state = shared
            .slots
            .wait_while(state, |s| {
                !s.closing && s.serving >= shared.content.config.threads.max(1)
            })
            .unwrap_or_else(PoisonError::into_inner);
        state.serving += 1;
    }
    let _slot = Slot(shared);
    let mut counted = {
        let mut state = shared.lock();
        state.in_flight += 1;
        state.peak = state.peak.max(state.in_flight);
        state.requests += 1;
        *state.hits.entry(path.clone()).or_default() += 1;
        state.peers.insert(peer);
        state.user_agents.insert(incoming.user_agent);
        state
            .subscribers
            .retain(|subscriber| subscriber.send(path.clone()).is_ok());
        InFlight {
            shared,
            done: false,
        }
    };
    let opened = match &shared.gate {
        Some((n, gate)) if shared.tickets.fetch_add(1, Ordering::SeqCst) < *n => gate.wait(),
        _ => true,
    };
    let reply = if opened {
        wait_while_held(shared, &path);
        let latency = shared.content.config.latency;
        if !latency.is_zero() {
            sleep_unless_closing(shared, latency);
        }
        shared.content.route(&path)
    } else {
        Reply::Full {
            status: 503,
            content_type: content::HTML,
            body: b"<!DOCTYPE html>\n<html><body><h1>503: the site's gate timed out</h1></body></html>\n"
                .to_vec(),
        }
    };
    let closes = matches!(reply, Reply::Short { .. });
    let head_only = incoming.method == "HEAD";
    // An error means the client went away: the request is over either way.
    let sent = send(writer, reply, head_only, shared, &mut counted);
    closes || sent.is_err()
}

/// One of the `SiteConfig::threads` serving slots, given back on drop.
struct Slot<'a>(&'a Shared);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.lock().serving -= 1;
        self.0.slots.notify_one();
    }
}

fn wait_while_held(shared: &Shared, path: &str) {
    let state = shared.lock();
    let _state = shared
        .released
        .wait_while(state, |s| {
            !s.closing
                && s.held
                    .iter()
                    .any(|prefix| path.starts_with(prefix.as_str()))
        })
        .unwrap_or_else(PoisonError::into_inner);
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

fn head(status: u16, headers: &[(&str, &str)], content_length: usize, close: bool) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nServer: test-support site\r\n",
        reason(status)
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {content_length}\r\n"));
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// Writes `bytes`, but counts the request as finished just before its last byte goes out: the
/// client cannot have the whole response (and send its next request) before the site has
/// counted this one as done, so the peak never counts one client twice.
fn write_counted(
    writer: &mut dyn Write,
    bytes: &[u8],
    counted: &mut InFlight<'_>,
) -> io::Result<()> {
    let (most, last) = bytes.split_at(bytes.len().saturating_sub(1));
    writer.write_all(most)?;
    writer.flush()?;
    counted.finish();
    writer.write_all(last)?;
    writer.flush()
}

fn send(
    writer: &mut TcpStream,
    reply: Reply,
    head_only: bool,
    shared: &Shared,
    counted: &mut InFlight<'_>,
) -> io::Result<()> {
    let (status, headers, body): (u16, Vec<(&str, &str)>, Vec<u8>) = match reply {
        Reply::Full {
            status,
            content_type,
            body,
        } => (status, vec![("Content-Type", content_type)], body),
        Reply::Redirect { location } => (
            302,
            vec![("Content-Type", content::HTML), ("Location", location)],
            format!(
                "<!DOCTYPE html>\n<html><body><p>Moved to <a href=\"{location}\">{location}</a>.</p></body></html>\n"
            )
            .into_bytes(),
        ),
        Reply::Slow(inner) => {
            sleep_unless_closing(shared, shared.content.config.slow);
            return send(writer, *inner, head_only, shared, counted);
        }
        Reply::Drip { body } => {
            let bytes = head(200, &[("Content-Type", content::HTML)], body.len(), false);
            if head_only {
                return write_counted(writer, &bytes, counted);
            }
            writer.write_all(&bytes)?;
            writer.flush()?;
            // Exactly `DRIP_PIECES` pieces, each after a pause: `slow` in all.
            let pause = shared.content.config.slow / DRIP_PIECES as u32;
            let piece = |i: usize| &body[i * body.len() / DRIP_PIECES..(i + 1) * body.len() / DRIP_PIECES];
            for i in 0..DRIP_PIECES - 1 {
                sleep_unless_closing(shared, pause);
                writer.write_all(piece(i))?;
                writer.flush()?;
            }
            sleep_unless_closing(shared, pause);
            return write_counted(writer, piece(DRIP_PIECES - 1), counted);
        }
        Reply::Short { body, claimed } => {
            let mut bytes = head(200, &[("Content-Type", content::HTML)], claimed, true);
            if !head_only {
                bytes.extend_from_slice(&body);
            }
            // The caller closes the connection after this reply: the client sees it end early.
            return write_counted(writer, &bytes, counted);
        }
    };
    let mut bytes = head(status, &headers, body.len(), false);
    if !head_only {
        bytes.extend_from_slice(&body);
    }
    write_counted(writer, &bytes, counted)
}

/// Sleeps for `duration`, or less if the site is being dropped.
fn sleep_unless_closing(shared: &Shared, duration: Duration) {
    let state = shared.lock();
    let _ = shared
        .released
        .wait_timeout_while(state, duration, |s| !s.closing)
        .unwrap_or_else(PoisonError::into_inner);
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::time::Instant;

    use super::*;
    use crate::{Deadline, TIMEOUT};

    /// An agent that follows no redirects, reports every status as a response, and gives up
    /// after TIMEOUT, so no test hangs.
    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into()
    }

    struct Got {
        status: u16,
        content_type: String,
        headers: http_headers::Headers,
        body: Vec<u8>,
    }

    mod http_headers {
        pub type Headers = Vec<(String, String)>;
    }

    impl Got {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }

        fn text(&self) -> &str {
            std::str::from_utf8(&self.body).expect("a UTF-8 body")
        }
    }

    fn get_with(agent: &ureq::Agent, url: &str) -> Got {
        let mut response = agent
            .get(url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap_or_else(|e| panic!("GET {url}: reading the body: {e}"));
        Got {
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
            headers,
            body,
        }
    }

    fn get(site: &Site, path: &str) -> Got {
        get_with(&agent(), &site.url(path))
    }

    fn small() -> SiteConfig {
        SiteConfig {
            slow: Duration::from_millis(300),
            huge_bytes: 100_000,
            ..SiteConfig::default()
        }
    }

    const HTML: &str = "text/html; charset=utf-8";

    #[test]
    fn healthy_pages_answer_html() {
        let site = Site::start(SiteConfig::default());
        let agent = agent();
        let mut paths = vec![
            "/".to_string(),
            "/authors/".into(),
            "/tags/".into(),
            "/odd-links/".into(),
        ];
        paths.extend((1..=5).map(|n| format!("/page/{n}/")));
        paths.extend(
            content::AUTHORS
                .iter()
                .map(|a| format!("/author/{}/", content::slug(a))),
        );
        paths.extend(content::TAGS.iter().map(|t| format!("/tag/{t}/")));
        for path in &paths {
            let got = get_with(&agent, &site.url(path));
            assert_eq!(got.status, 200, "{path}");
            assert_eq!(got.content_type, HTML, "{path}");
            let text = got.text();
            assert!(
                text.starts_with("<!DOCTYPE html>") && text.ends_with("</html>\n"),
                "{path}"
            );
        }
        for path in [
            "/page/0/",
            "/page/6/",
            "/page/01/",
            "/nope",
            "/author/nobody/",
            "/tag/x/",
        ] {
            let got = get_with(&agent, &site.url(path));
            assert_eq!(
                (got.status, got.content_type.as_str()),
                (404, HTML),
                "{path}"
            );
        }
        // The query is ignored when routing.
        assert_eq!(
            get_with(&agent, &site.url("/page/2/?sort=asc")).body,
            get_with(&agent, &site.url("/page/2/")).body
        );
        // One agent, one connection at a time: keep-alive reuses it.
        assert_eq!(site.connections(), 1);
        assert_eq!(site.requests(), paths.len() + 8);
    }

    #[test]
    fn list_pages_show_the_expected_quotes_with_entities_and_a_pager() {
        let site = Site::start(SiteConfig::default());
        let quotes = site.expected_quotes();
        assert_eq!(quotes.len(), 50);
        let authors: BTreeSet<_> = quotes.iter().map(|q| q.author.as_str()).collect();
        let tags: BTreeSet<_> = quotes
            .iter()
            .flat_map(|q| q.tags.iter().map(String::as_str))
            .collect();
        assert_eq!(authors.len(), content::AUTHORS.len());
        assert_eq!(tags.len(), content::TAGS.len());
        assert!(quotes.iter().all(|q| (1..=3).contains(&q.tags.len())));
        for c in ['&', '<', '\'', '"'] {
            assert!(
                quotes.iter().any(|q| q.text.contains(c)),
                "no quote has {c}"
            );
        }
        assert!(authors.iter().any(|a| a.contains('\'')));
        for (n, url) in site.list_urls().iter().enumerate() {
            let n = n + 1;
            let page = format!("/page/{n}/");
            assert_eq!(*url, site.url(&page));
            let got = get_with(&agent(), url);
            let html = got.text();
            let on_page: Vec<_> = quotes.iter().filter(|q| q.page == page).collect();
            assert_eq!(on_page.len(), 10);
            assert_eq!(html.matches("<div class=\"quote\">").count(), 10);
            let mut at = 0;
            for q in on_page {
                let shown = format!(
                    "<span class=\"text\">\u{201c}{}\u{201d}</span> <span>by <small class=\"author\">{}</small>",
                    content::escape(&q.text),
                    content::escape(&q.author)
                );
                let found = html[at..]
                    .find(&shown)
                    .unwrap_or_else(|| panic!("{page}: {shown}"));
                at += found;
                let tags_html: String = q
                    .tags
                    .iter()
                    .map(|t| format!(" <a class=\"tag\" href=\"/tag/{t}/\">{t}</a>"))
                    .collect();
                assert!(html[at..].contains(&format!("Tags:{tags_html}</div>")));
            }
            assert!(!html.contains('\'') || !html.contains("class=\"text\">\u{201c}It's"));
            assert_eq!(html.contains("<li class=\"previous\">"), n > 1, "{page}");
            assert_eq!(html.contains("<li class=\"next\">"), n < 5, "{page}");
            if n < 5 {
                assert!(html.contains(&format!("<a href=\"/page/{}/\">Next \u{2192}</a>", n + 1)));
            }
        }
        let all: String = (1..=5)
            .map(|n| get(&site, &format!("/page/{n}/")).text().to_string())
            .collect();
        for entity in ["&amp;", "&lt;", "&#39;", "&quot;"] {
            assert!(all.contains(entity), "no {entity} on the list pages");
        }
    }

    #[test]
    fn author_tag_and_index_pages_link_as_specified() {
        let site = Site::start(SiteConfig::default());
        let author = get(&site, "/author/ines-olarkin/");
        assert!(
            author
                .text()
                .contains("<h3 class=\"author-title\">Ines O&#39;Larkin</h3>")
        );
        assert!(author.text().contains("class=\"author-born-date\""));
        assert!(content::hrefs(author.text()).contains(&"/".to_string()));
        let authors = content::hrefs(get(&site, "/authors/").text());
        for name in content::AUTHORS {
            assert!(authors.contains(&format!("/author/{}/", content::slug(name))));
        }
        let tags = content::hrefs(get(&site, "/tags/").text());
        let quotes = site.expected_quotes();
        for tag in content::TAGS {
            assert!(tags.contains(&format!("/tag/{tag}/")));
            let page = get(&site, &format!("/tag/{tag}/"));
            let expected = quotes
                .iter()
                .filter(|q| q.tags.iter().any(|t| t == tag))
                .count();
            assert_eq!(
                page.text().matches("<div class=\"quote\">").count(),
                expected,
                "{tag}"
            );
            assert!(content::hrefs(page.text()).contains(&"/".to_string()));
        }
        let home = content::hrefs(get(&site, "/").text());
        for path in ["/page/1/", "/authors/", "/tags/", "/odd-links/"] {
            assert!(home.contains(&path.to_string()), "{path}");
        }
        assert!(!home.iter().any(|h| h.starts_with("/fault/")));
        let faulty = Site::start(SiteConfig {
            link_faults: true,
            ..SiteConfig::default()
        });
        let home = content::hrefs(get(&faulty, "/").text());
        for fault in Fault::ALL {
            assert!(home.contains(&fault.path().to_string()), "{fault:?}");
        }
    }

    #[test]
    fn robots_txt_is_a_404_unless_configured() {
        let site = Site::start(SiteConfig::default());
        assert_eq!(get(&site, "/robots.txt").status, 404);
        let site = Site::start(SiteConfig {
            robots_txt: Some("User-agent: *\nDisallow: /tag/\n".into()),
            ..SiteConfig::default()
        });
        let got = get(&site, "/robots.txt");
        assert_eq!(got.status, 200);
        assert_eq!(got.content_type, "text/plain; charset=utf-8");
        assert_eq!(got.text(), "User-agent: *\nDisallow: /tag/\n");
    }

    #[test]
    fn error_statuses_and_odd_content() {
        let site = Site::start(small());
        for (fault, status) in [(Fault::NotFound, 404), (Fault::ServerError, 500)] {
            let got = get(&site, fault.path());
            assert_eq!((got.status, got.content_type.as_str()), (status, HTML));
            assert_eq!(fault.status(), status);
            assert!(got.text().contains(&status.to_string()));
        }
        let pdf = get(&site, Fault::NotHtml.path());
        assert_eq!(
            (pdf.status, pdf.content_type.as_str()),
            (200, "application/pdf")
        );
        assert!(pdf.body.starts_with(b"%PDF-") && std::str::from_utf8(&pdf.body).is_err());
        let huge = get(&site, Fault::Huge.path());
        assert_eq!((huge.status, huge.content_type.as_str()), (200, HTML));
        assert_eq!(huge.body.len(), 100_000);
        assert_eq!(huge.header("content-length"), Some("100000"));
        assert!(huge.text().starts_with("<!DOCTYPE html>") && huge.text().ends_with("</html>\n"));
        let bad = get(&site, Fault::InvalidUtf8.path());
        assert_eq!((bad.status, bad.content_type.as_str()), (200, HTML));
        assert!(std::str::from_utf8(&bad.body).is_err());
        assert!(bad.body.starts_with(b"<!DOCTYPE html>"));
    }

    #[test]
    fn the_default_huge_page_is_three_mebibytes() {
        let site = Site::start(SiteConfig::default());
        let huge = get(&site, Fault::Huge.path());
        assert_eq!(huge.body.len(), 3 << 20);
        assert!(std::str::from_utf8(&huge.body).is_ok());
    }

    #[test]
    fn the_redirect_loop_loops() {
        let site = Site::start(small());
        let first = get(&site, "/fault/redirect-loop/");
        assert_eq!(first.status, 302);
        assert_eq!(first.header("location"), Some("/fault/redirect-loop/back/"));
        let back = get(&site, "/fault/redirect-loop/back/");
        assert_eq!(back.status, 302);
        assert_eq!(back.header("location"), Some("/fault/redirect-loop/"));
        // A client that follows redirects gives up.
        let following: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .max_redirects(5)
            .build()
            .into();
        let result = following.get(&site.url(Fault::RedirectLoop.path())).call();
        assert!(
            matches!(result, Err(ureq::Error::TooManyRedirects)),
            "{result:?}"
        );
        assert!(site.hits()["/fault/redirect-loop/back/"] >= 3);
    }

    #[test]
    fn the_slow_page_waits_before_it_answers() {
        let site = Site::start(small());
        let started = Instant::now();
        let got = get(&site, Fault::Slow.path());
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!((got.status, got.content_type.as_str()), (200, HTML));
        assert!(got.text().ends_with("</html>\n"));
    }

    #[test]
    fn the_drip_sends_headers_at_once_and_the_body_in_pieces() {
        let site = Site::start(SiteConfig {
            slow: Duration::from_secs(1),
            ..SiteConfig::default()
        });
        let agent = agent();
        let started = Instant::now();
        let mut response = agent.get(&site.url(Fault::Drip.path())).call().unwrap();
        // The headers came before any of the body: the request is still being served.
        assert_eq!(site.in_flight(), 1);
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["content-type"], HTML);
        let length: usize = response.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let mut reader = response.body_mut().as_reader();
        let mut buf = vec![0u8; length + 1];
        let first = reader.read(&mut buf).unwrap();
        // The first piece comes 100 ms after the headers and the last 900 ms after that, so
        // the first read cannot get the whole body.
        assert!(first > 0 && first < length, "{first} of {length} bytes");
        let mut body = buf[..first].to_vec();
        let mut reads = 1;
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            reads += 1;
            body.extend_from_slice(&buf[..n]);
        }
        assert!(reads >= 2);
        assert_eq!(body.len(), length);
        assert!(std::str::from_utf8(&body).unwrap().ends_with("</html>\n"));
        assert!(started.elapsed() >= Duration::from_secs(1));
        assert_eq!(site.in_flight(), 0);
    }

    #[test]
    fn the_short_body_ends_early_and_closes_the_connection() {
        let site = Site::start(small());
        let agent = agent();
        let started = Instant::now();
        let mut response = agent
            .get(&site.url(Fault::ShortBody.path()))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let claimed: usize = response.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let mut body = Vec::new();
        let error = response
            .body_mut()
            .as_reader()
            .read_to_end(&mut body)
            .expect_err("a short body is an error");
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof, "{error}");
        assert!(
            !body.is_empty() && body.len() < claimed,
            "{} of {claimed}",
            body.len()
        );
        // It ended because the connection closed, not because the client timed out.
        assert!(started.elapsed() < TIMEOUT / 2);
        // The same agent goes on working, on a new connection.
        assert_eq!(get_with(&agent, &site.url("/")).status, 200);
        assert_eq!(site.connections(), 2);
    }

    #[test]
    fn the_short_body_seen_on_the_wire() {
        let site = Site::start(small());
        let mut stream = TcpStream::connect(site.addr()).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream
            .write_all(b"GET /fault/short/ HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .expect("the server closes the connection");
        let raw = String::from_utf8(raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let claimed: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(body.len() < claimed);
    }

    #[test]
    fn odd_links_are_all_there() {
        let site = Site::start(SiteConfig::default());
        let got = get(&site, Fault::OddLinks.path());
        assert_eq!((got.status, got.content_type.as_str()), (200, HTML));
        let links = content::hrefs(got.text());
        for href in [
            "../page/2/",
            "/page/1/#top",
            "/page/2/?sort=asc",
            "mailto:someone@example.invalid",
            "javascript:void(0)",
            "http://other.invalid/",
            "//other.invalid/x",
            "/no-such-page/",
        ] {
            assert!(links.iter().any(|l| l == href), "{href}");
        }
        assert!(links.iter().filter(|l| *l == "/page/1/").count() >= 2);
        assert!(got.text().contains("<a>no href at all</a>"));
        assert_eq!(get(&site, "/no-such-page/").status, 404);
    }

    #[test]
    fn reachable_paths_follow_the_generated_links() {
        let site = Site::start(SiteConfig::default());
        let paths = site.reachable_paths();
        let mut expected: BTreeSet<String> = [
            "/",
            "/authors/",
            "/tags/",
            "/odd-links/",
            "/no-such-page/",
            "/page/2/?sort=asc",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        expected.extend((1..=5).map(|n| format!("/page/{n}/")));
        expected.extend(
            content::AUTHORS
                .iter()
                .map(|a| format!("/author/{}/", content::slug(a))),
        );
        expected.extend(content::TAGS.iter().map(|t| format!("/tag/{t}/")));
        assert_eq!(paths, expected);
        // Every one of them answers: 200, except the broken link.
        let agent = agent();
        for path in &paths {
            let status = get_with(&agent, &site.url(path)).status;
            assert_eq!(
                status,
                if path == "/no-such-page/" { 404 } else { 200 },
                "{path}"
            );
        }
        let faulty = Site::start(SiteConfig {
            link_faults: true,
            ..SiteConfig::default()
        });
        let with_faults = faulty.reachable_paths();
        let faults: BTreeSet<String> = Fault::ALL.iter().map(|f| f.path().to_string()).collect();
        assert_eq!(
            with_faults,
            expected.union(&faults).cloned().collect::<BTreeSet<_>>()
        );
        assert!(!with_faults.contains("/robots.txt"));
        assert!(!with_faults.contains("/fault/redirect-loop/back/"));
    }

    #[test]
    fn two_sites_with_the_same_config_serve_the_same_bytes() {
        let config = SiteConfig {
            pages: 3,
            quotes_per_page: 7,
            link_faults: true,
            huge_bytes: 10_000,
            slow: Duration::from_millis(10),
            ..SiteConfig::default()
        };
        let (one, two) = (Site::start(config.clone()), Site::start(config));
        assert_ne!(one.addr(), two.addr());
        assert_eq!(one.expected_quotes(), two.expected_quotes());
        assert_eq!(one.reachable_paths(), two.reachable_paths());
        let paths: Vec<String> = one
            .reachable_paths()
            .into_iter()
            .filter(|p| p != Fault::ShortBody.path())
            .collect();
        let (a1, a2) = (agent(), agent());
        for path in &paths {
            let (x, y) = (get_with(&a1, &one.url(path)), get_with(&a2, &two.url(path)));
            assert_eq!((x.status, x.body), (y.status, y.body), "{path}");
        }
        // And a different config gives different quotes.
        let other = Site::start(SiteConfig {
            pages: 3,
            quotes_per_page: 8,
            ..SiteConfig::default()
        });
        assert_ne!(other.expected_quotes(), one.expected_quotes());
    }

    /// `n` clients, each with its own agent, fetch `path` at the same time.
    fn fetch_together(site: &Site, n: usize, path: &str) -> Vec<u16> {
        let url = site.url(path);
        let clients: Vec<_> = (0..n)
            .map(|_| {
                let url = url.clone();
                thread::spawn(move || get_with(&agent(), &url).status)
            })
            .collect();
        clients.into_iter().map(|c| c.join().unwrap()).collect()
    }

    #[test]
    fn the_gate_holds_requests_until_all_are_in_flight() {
        let site = Site::start(SiteConfig {
            gate: Some(4),
            ..SiteConfig::default()
        });
        assert!(!site.gate_opened());
        assert_eq!(fetch_together(&site, 4, "/page/1/"), [200; 4]);
        assert!(site.gate_opened());
        assert_eq!(site.peak_in_flight(), 4);
        assert_eq!(site.in_flight(), 0);
        assert_eq!(site.requests(), 4);
        assert_eq!(site.hits()["/page/1/"], 4);
        assert_eq!(site.connections(), 4);
        // Later requests pass straight through, one at a time.
        let agent = agent();
        for _ in 0..3 {
            assert_eq!(get_with(&agent, &site.url("/page/2/")).status, 200);
        }
        assert_eq!(site.peak_in_flight(), 4);
        assert_eq!(site.requests(), 7);
        assert_eq!(site.connections(), 5);
        assert_eq!(site.user_agents().len(), 1);
    }

    #[test]
    fn a_gate_that_never_fills_answers_503() {
        let site = Site::start(SiteConfig {
            gate: Some(3),
            ..SiteConfig::default()
        });
        let started = Instant::now();
        // The clients must wait longer than the gate (TIMEOUT), or they would give up first.
        let patient = || -> ureq::Agent {
            ureq::Agent::config_builder()
                .timeout_global(Some(TIMEOUT * 2))
                .http_status_as_error(false)
                .build()
                .into()
        };
        let url = site.url("/");
        let clients: Vec<_> = (0..2)
            .map(|_| {
                let (url, agent) = (url.clone(), patient());
                thread::spawn(move || get_with(&agent, &url).status)
            })
            .collect();
        let statuses: Vec<u16> = clients.into_iter().map(|c| c.join().unwrap()).collect();
        assert_eq!(statuses, [503, 503]);
        assert!(started.elapsed() >= TIMEOUT);
        assert!(!site.gate_opened());
        assert_eq!(site.peak_in_flight(), 2);
        // The third ticket finds the gate broken and is answered at once.
        assert_eq!(get(&site, "/").status, 503);
        assert_eq!(get(&site, "/").status, 200);
    }

    #[test]
    fn sequential_requests_on_one_connection_never_overlap() {
        // The response's last byte goes out only after the request stopped counting, so a client
        // that sends its next request when the previous response is complete is never counted
        // twice, however fast it is.
        let site = Site::start(SiteConfig::default());
        let agent = agent();
        for _ in 0..200 {
            get_with(&agent, &site.url("/tags/"));
            assert_eq!(site.in_flight(), 0);
        }
        assert_eq!(site.peak_in_flight(), 1);
        assert_eq!(site.connections(), 1);
    }

    #[test]
    fn the_peak_is_bounded_by_the_clients() {
        let site = Site::start(SiteConfig {
            latency: Duration::from_millis(2),
            ..SiteConfig::default()
        });
        let url = site.url("/page/3/");
        let clients: Vec<_> = (0..3)
            .map(|_| {
                let url = url.clone();
                thread::spawn(move || {
                    let agent = agent();
                    for _ in 0..30 {
                        assert_eq!(get_with(&agent, &url).status, 200);
                    }
                })
            })
            .collect();
        for client in clients {
            client.join().unwrap();
        }
        assert!(site.peak_in_flight() <= 3, "{}", site.peak_in_flight());
        assert_eq!(site.requests(), 90);
        assert_eq!(site.connections(), 3);
        assert_eq!(site.in_flight(), 0);
    }

    #[test]
    fn threads_bound_the_requests_served_at_once() {
        let site = Site::start(SiteConfig {
            threads: 2,
            ..SiteConfig::default()
        });
        site.hold("/page/");
        let arrivals = site.arrivals();
        let waiting = {
            let url = site.url("/page/1/");
            (0..3)
                .map(|_| {
                    let url = url.clone();
                    thread::spawn(move || get_with(&agent(), &url).status)
                })
                .collect::<Vec<_>>()
        };
        let deadline = Deadline::from_now();
        for _ in 0..2 {
            arrivals
                .recv_timeout(deadline.remaining())
                .expect("two requests are served");
        }
        assert_eq!(site.in_flight(), 2);
        site.release("/page/");
        for client in waiting {
            assert_eq!(client.join().unwrap(), 200);
        }
        assert_eq!(site.peak_in_flight(), 2);
        assert_eq!(site.requests(), 3);
    }

    #[test]
    fn hold_keeps_matching_requests_until_release() {
        let site = Site::start(SiteConfig::default());
        let arrivals = site.arrivals();
        site.hold("/page/3/");
        let url = site.url("/page/3/");
        let held = thread::spawn(move || get_with(&agent(), &url).status);
        let deadline = Deadline::from_now();
        assert_eq!(
            arrivals.recv_timeout(deadline.remaining()).unwrap(),
            "/page/3/"
        );
        // Other paths are not held.
        assert_eq!(get(&site, "/page/2/").status, 200);
        assert_eq!(
            arrivals.recv_timeout(deadline.remaining()).unwrap(),
            "/page/2/"
        );
        assert_eq!(site.in_flight(), 1);
        assert!(!held.is_finished());
        site.release("/page/3/");
        assert_eq!(held.join().unwrap(), 200);
        assert_eq!(site.in_flight(), 0);
        // Released for good.
        assert_eq!(get(&site, "/page/3/").status, 200);
    }

    #[test]
    fn dropping_the_site_lets_held_requests_go() {
        let site = Site::start(SiteConfig::default());
        let arrivals = site.arrivals();
        site.hold("/");
        let url = site.url("/page/1/");
        let held = thread::spawn(move || agent().get(&url).call().map(|r| r.status().as_u16()));
        arrivals.recv_timeout(TIMEOUT).unwrap();
        let started = Instant::now();
        drop(site);
        assert!(started.elapsed() < TIMEOUT);
        // Answered or cut off; either way the client is not left waiting.
        let _ = held.join().unwrap();
    }

    #[test]
    fn arrivals_fan_out_to_every_subscriber() {
        let site = Site::start(SiteConfig::default());
        let early = site.arrivals();
        get(&site, "/");
        let late = site.arrivals();
        get(&site, "/page/2/?sort=asc");
        let dropped = site.arrivals();
        drop(dropped);
        get(&site, "/tags/");
        let deadline = Deadline::from_now();
        let take = |rx: &Receiver<String>, n: usize| -> Vec<String> {
            (0..n)
                .map(|_| rx.recv_timeout(deadline.remaining()).unwrap())
                .collect()
        };
        assert_eq!(take(&early, 3), ["/", "/page/2/?sort=asc", "/tags/"]);
        assert_eq!(take(&late, 2), ["/page/2/?sort=asc", "/tags/"]);
        assert!(early.try_recv().is_err() && late.try_recv().is_err());
        assert_eq!(site.hits()["/page/2/?sort=asc"], 1);
        assert!(!site.hits().contains_key("/page/2/"));
    }

    #[test]
    fn user_agents_and_connections_are_recorded() {
        let site = Site::start(SiteConfig::default());
        let named: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .user_agent("course-crawler/0.1")
            .build()
            .into();
        for path in ["/", "/tags/"] {
            // Reading the body to its end gives the connection back to the agent's pool.
            let mut response = named.get(&site.url(path)).call().unwrap();
            response.body_mut().read_to_vec().unwrap();
        }
        // A raw request without a User-Agent, HTTP/1.0, so the server closes the connection.
        let mut stream = TcpStream::connect(site.addr()).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.write_all(b"GET /authors/ HTTP/1.0\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        assert!(raw.starts_with(b"HTTP/1.1 200 OK\r\n"));
        let agents = site.user_agents();
        assert!(
            agents.contains("course-crawler/0.1") && agents.contains(""),
            "{agents:?}"
        );
        assert_eq!(site.connections(), 2);
        // A malformed request gets a 400 and the connection closes.
        let mut stream = TcpStream::connect(site.addr()).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.write_all(b"nonsense\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        assert!(raw.starts_with(b"HTTP/1.1 400 "));
        assert_eq!(site.requests(), 3);
    }

    #[test]
    fn head_requests_get_headers_only() {
        let site = Site::start(SiteConfig::default());
        let mut stream = TcpStream::connect(site.addr()).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream
            .write_all(b"HEAD /page/1/ HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8(raw).unwrap();
        assert!(raw.ends_with("\r\n\r\n"), "{raw}");
        assert!(raw.contains("Content-Type: text/html; charset=utf-8\r\n"));
    }
}
