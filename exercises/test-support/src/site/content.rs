//! The site's pages: generated from the config by a small seeded generator, so that two sites
//! with the same config serve the same bytes, and so that the tests can know the ground truth
//! (`Site::expected_quotes`, `Site::reachable_paths`) without hand-written lists.

use std::fmt::Write as _;

use super::{Fault, ListedQuote, SiteConfig};

/// Invented people (no real quotes site's authors): the name as shown and its URL slug.
pub(super) const AUTHORS: [&str; 8] = [
    "Ada Wrenfield",
    "Bram Oakhollow",
    "Celia Dunmore-Pike",
    "Dov Kestrel",
    "Esme Tallowby",
    "Farid Lanternwick",
    "Greta Saltmarsh",
    "Ines O'Larkin",
];

pub(super) const TAGS: [&str; 8] = [
    "time", "work", "friends", "rain", "books", "courage", "tea", "silence",
];

const SUBJECTS: [&str; 12] = [
    "a quiet kettle",
    "the late train",
    "every unread book",
    "an honest map",
    "the second draft",
    "a borrowed umbrella",
    "the smallest lamp",
    "a patient river",
    "the last biscuit",
    "an open window",
    "the old bicycle",
    "a folded letter",
];

const VERBS: [&str; 10] = [
    "teaches",
    "outlasts",
    "forgives",
    "remembers",
    "finds",
    "keeps",
    "measures",
    "mends",
    "answers",
    "waits for",
];

const OBJECTS: [&str; 10] = [
    "the people who hurry",
    "most of our plans",
    "a Tuesday",
    "the stubborn ones",
    "what the clock forgets",
    "the rain on the roof",
    "a friend who is late",
    "the work nobody sees",
    "every lost glove",
    "the courage to start",
];

/// Sentence shapes; several have `&`, `<`, `'` or `"` so that the HTML has entities to decode.
const SHAPES: [&str; 10] = [
    "{S} {V} {O}.",
    "If {s} {v} {o}, so can you.",
    "Bread & butter, {s} & {o}: that is enough.",
    "It's not that {s} {v} {o}; it's that we don't look.",
    "Ask for \"more time\" and {s} {v} {o}.",
    "Patience < panic, and {s} {v} {o}.",
    "Nobody said \"easy\", but {s} {v} {o}.",
    "{S} {v} {o} & never asks why.",
    "Some days {s} {v} {o}, and that's fine.",
    "One cup < two cups < {o}.",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const PLACES: [&str; 8] = [
    "Low Wickham",
    "Port Averly",
    "Saltcombe",
    "New Tessel",
    "Brindlemoor",
    "Kestwick",
    "Harrowgate-on-Lune",
    "Mirefield",
];

/// splitmix64: tiny, good enough, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The lowercase, dash-separated form of a name: "Ines O'Larkin" -> "ines-olarkin".
pub(super) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c == ' ' || c == '-') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out
}

/// Escapes text for HTML content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One generated quote, with indexes into AUTHORS and TAGS.
#[derive(Debug, Clone)]
pub(super) struct Quote {
    pub(super) page: usize,
    pub(super) text: String,
    pub(super) author: usize,
    pub(super) tags: Vec<usize>,
}

/// Everything the site serves, generated once from the config.
#[derive(Debug, Clone)]
pub(super) struct Content {
    pub(super) config: SiteConfig,
    pub(super) quotes: Vec<Quote>,
    born: Vec<String>,
    about: Vec<String>,
}

/// What a path answers. The server turns it into bytes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reply {
    /// A complete response with a correct Content-Length.
    Full {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// 302 to `location`.
    Redirect { location: &'static str },
    /// The page after `SiteConfig::slow`.
    Slow(Box<Reply>),
    /// 200 text/html whose body is written in 10 pieces over `SiteConfig::slow`.
    Drip { body: Vec<u8> },
    /// 200 text/html, Content-Length `claimed`, but only `body` is sent; then the connection
    /// closes.
    Short { body: Vec<u8>, claimed: usize },
}

pub(super) const HTML: &str = "text/html; charset=utf-8";

impl Reply {
    fn html(status: u16, body: String) -> Reply {
        Reply::Full {
            status,
            content_type: HTML,
            body: body.into_bytes(),
        }
    }
}

fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         </head>\n<body>\n<div class=\"container\">\n{body}</div>\n</body>\n</html>\n",
        escape(title)
    )
}

impl Content {
    pub(super) fn new(config: &SiteConfig) -> Content {
        let mut rng = Rng::new(0x5EED_C0DE_0007);
        let total = config.pages * config.quotes_per_page;
        let mut quotes = Vec::with_capacity(total);
        for k in 0..total {
            let shape = SHAPES[k % SHAPES.len()];
            let subject = rng.pick(&SUBJECTS);
            let verb = rng.pick(&VERBS);
            let object = rng.pick(&OBJECTS);
            let text = shape
                .replace("{S}", &capitalise(subject))
                .replace("{s}", subject)
                .replace("{V}", verb)
                .replace("{v}", verb)
                .replace("{O}", object)
                .replace("{o}", object);
            // The first eight quotes cover every author and every tag, so a site with at
            // least eight quotes shows them all; later ones are random.
            let author = if k < AUTHORS.len() {
                (k * 3) % AUTHORS.len()
            } else {
                rng.below(AUTHORS.len())
            };
            let mut tags = vec![if k < TAGS.len() {
                k
            } else {
                rng.below(TAGS.len())
            }];
            for _ in 0..rng.below(3) {
                let tag = rng.below(TAGS.len());
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            quotes.push(Quote {
                page: k / config.quotes_per_page.max(1) + 1,
                text,
                author,
                tags,
            });
        }
        let born = (0..AUTHORS.len())
            .map(|_| {
                format!(
                    "{} {}, {}",
                    rng.pick(&MONTHS),
                    rng.below(28) + 1,
                    1850 + rng.below(120)
                )
            })
            .collect();
        let about = (0..AUTHORS.len())
            .map(|a| {
                format!(
                    "{} grew up in {} and wrote about {} & {}. Friends said they \"never once \
                     arrived on time\", which they didn't deny.",
                    AUTHORS[a],
                    rng.pick(&PLACES),
                    TAGS[rng.below(TAGS.len())],
                    TAGS[rng.below(TAGS.len())],
                )
            })
            .collect();
        Content {
            config: config.clone(),
            quotes,
            born,
            about,
        }
    }

    pub(super) fn listed(&self) -> Vec<ListedQuote> {
        self.quotes
            .iter()
            .map(|q| ListedQuote {
                page: format!("/page/{}/", q.page),
                text: q.text.clone(),
                author: AUTHORS[q.author].to_string(),
                tags: q.tags.iter().map(|&t| TAGS[t].to_string()).collect(),
            })
            .collect()
    }

    fn quote_html(q: &Quote, out: &mut String) {
        let name = AUTHORS[q.author];
        let _ = write!(
            out,
            "<div class=\"quote\"><span class=\"text\">\u{201c}{}\u{201d}</span> <span>by \
             <small class=\"author\">{}</small>\n<a href=\"/author/{}/\">(about)</a></span> \
             <div class=\"tags\">Tags:",
            escape(&q.text),
            escape(name),
            slug(name)
        );
        for &t in &q.tags {
            let _ = write!(out, " <a class=\"tag\" href=\"/tag/{0}/\">{0}</a>", TAGS[t]);
        }
        out.push_str("</div></div>\n");
    }

    fn home(&self) -> String {
        let mut body = String::from(
            "<h1><a href=\"/\">Quotes to Crawl</a></h1>\n\
             <p>Invented quotes by invented people, for the course's crawler.</p>\n<ul>\n\
             <li><a href=\"/page/1/\">The quotes</a></li>\n\
             <li><a href=\"/authors/\">Authors</a></li>\n\
             <li><a href=\"/tags/\">Tags</a></li>\n\
             <li><a href=\"/odd-links/\">Odd links</a></li>\n</ul>\n",
        );
        if self.config.link_faults {
            body.push_str("<h2>Faults</h2>\n<ul class=\"faults\">\n");
            for fault in Fault::ALL {
                if fault != Fault::OddLinks {
                    let _ = writeln!(body, "<li><a href=\"{0}\">{0}</a></li>", fault.path());
                }
            }
            body.push_str("</ul>\n");
        }
        document("Quotes to Crawl", &body)
    }

    fn list_page(&self, n: usize) -> String {
        let mut body = format!("<h1><a href=\"/\">Quotes to Crawl</a></h1>\n<h2>Page {n}</h2>\n");
        for q in self.quotes.iter().filter(|q| q.page == n) {
            Self::quote_html(q, &mut body);
        }
        body.push_str("<nav>\n<ul class=\"pager\">\n");
        if n > 1 {
            let _ = writeln!(
                body,
                "<li class=\"previous\"><a href=\"/page/{}/\">\u{2190} Previous</a></li>",
                n - 1
            );
        }
        if n < self.config.pages {
            let _ = writeln!(
                body,
                "<li class=\"next\"><a href=\"/page/{}/\">Next \u{2192}</a></li>",
                n + 1
            );
        }
        body.push_str("</ul>\n</nav>\n");
        document(&format!("Quotes to Crawl: page {n}"), &body)
    }

    fn author_page(&self, a: usize) -> String {
        let body = format!(
            "<h3 class=\"author-title\">{}</h3>\n<p><strong>Born:</strong> <span \
             class=\"author-born-date\">{}</span></p>\n<div class=\"author-description\">{}</div>\n\
             <p><a href=\"/\">Home</a></p>\n",
            escape(AUTHORS[a]),
            self.born[a],
            escape(&self.about[a])
        );
        document(AUTHORS[a], &body)
    }

    fn authors(&self) -> String {
        let mut body = String::from("<h1><a href=\"/\">Quotes to Crawl</a></h1>\n<ul>\n");
        for name in AUTHORS {
            let _ = writeln!(
                body,
                "<li><a href=\"/author/{}/\">{}</a></li>",
                slug(name),
                escape(name)
            );
        }
        body.push_str("</ul>\n");
        document("Authors", &body)
    }

    fn tags(&self) -> String {
        let mut body = String::from("<h1><a href=\"/\">Quotes to Crawl</a></h1>\n<ul>\n");
        for tag in TAGS {
            let _ = writeln!(
                body,
                "<li><a class=\"tag\" href=\"/tag/{0}/\">{0}</a></li>",
                tag
            );
        }
        body.push_str("</ul>\n");
        document("Tags", &body)
    }

    fn tag_page(&self, t: usize) -> String {
        let mut body = format!(
            "<h1><a href=\"/\">Quotes to Crawl</a></h1>\n<h2>Tagged {}</h2>\n",
            TAGS[t]
        );
        for q in self.quotes.iter().filter(|q| q.tags.contains(&t)) {
            Self::quote_html(q, &mut body);
        }
        body.push_str("<p><a href=\"/\">Home</a></p>\n");
        document(&format!("Tagged {}", TAGS[t]), &body)
    }

    fn odd_links(&self) -> String {
        let body = "<h1 id=\"top\"><a href=\"/\">Quotes to Crawl</a></h1>\n\
             <p>Links that a link normaliser must handle. Resolved against this page \
             (<code>/odd-links/</code>).</p>\n<ul>\n\
             <li><a href=\"../page/2/\">relative, up one level</a></li>\n\
             <li><a href=\"./../authors/\">relative with a dot</a></li>\n\
             <li><a href=\"/page/1/../3/\">a .. inside an absolute path</a></li>\n\
             <li><a href=\"/page/1/#top\">a fragment</a></li>\n\
             <li><a href=\"#top\">a fragment on this page</a></li>\n\
             <li><a href=\"/page/2/?sort=asc\">a query string</a></li>\n\
             <li><a href=\"/page/2/?sort=asc#top\">a query string and a fragment</a></li>\n\
             <li><a href=\"mailto:someone@example.invalid\">mailto</a></li>\n\
             <li><a href=\"javascript:void(0)\">javascript</a></li>\n\
             <li><a href=\"http://other.invalid/\">another host</a></li>\n\
             <li><a href=\"//other.invalid/x\">protocol-relative, another host</a></li>\n\
             <li><a href=\"ftp://other.invalid/file\">another scheme</a></li>\n\
             <li><a href=\"/page/1/\">a duplicate</a> and <a href=\"/page/1/\">again</a></li>\n\
             <li><a href=\"/tags/\">the tags</a> and <a href=\"../tags/\">the tags, relative</a></li>\n\
             <li><a>no href at all</a> <a name=\"anchor\">a named anchor</a></li>\n\
             <li><a href=\"/no-such-page/\">a broken link (404)</a></li>\n\
             <li><a href=\"/odd-links/\">this page itself</a></li>\n</ul>\n";
        document("Odd links", body)
    }

    fn not_found(&self) -> Reply {
        Reply::html(
            404,
            document(
                "Not found",
                "<h1>404 Not Found</h1>\n<p>There is no page here.</p>\n",
            ),
        )
    }

    /// What `path_and_query` answers. The query is ignored when routing (so
    /// `/page/2/?sort=asc` is page 2).
    pub(super) fn route(&self, path_and_query: &str) -> Reply {
        let path = path_and_query
            .split(['?', '#'])
            .next()
            .unwrap_or(path_and_query);
        match path {
            "/" => return Reply::html(200, self.home()),
            "/authors/" => return Reply::html(200, self.authors()),
            "/tags/" => return Reply::html(200, self.tags()),
            "/robots.txt" => {
                return match &self.config.robots_txt {
                    Some(text) => Reply::Full {
                        status: 200,
                        content_type: "text/plain; charset=utf-8",
                        body: text.clone().into_bytes(),
                    },
                    None => self.not_found(),
                };
            }
            _ => {}
        }
        if let Some(fault) = Fault::ALL.into_iter().find(|f| f.path() == path) {
            return self.fault(fault);
        }
        if path == "/fault/redirect-loop/back/" {
            return Reply::Redirect {
                location: Fault::RedirectLoop.path(),
            };
        }
        // "/page/2/" but not "/page/02/" or "/page/+2/": one spelling per page.
        if let Some(n) = inner(path, "/page/")
            && let Ok(number) = n.parse::<usize>()
            && number.to_string() == n
            && (1..=self.config.pages).contains(&number)
        {
            return Reply::html(200, self.list_page(number));
        }
        if let Some(s) = inner(path, "/author/")
            && let Some(a) = AUTHORS.iter().position(|name| slug(name) == s)
        {
            return Reply::html(200, self.author_page(a));
        }
        if let Some(t) = inner(path, "/tag/")
            && let Some(t) = TAGS.iter().position(|&tag| tag == t)
        {
            return Reply::html(200, self.tag_page(t));
        }
        self.not_found()
    }

    fn fault(&self, fault: Fault) -> Reply {
        match fault {
            Fault::NotFound => self.not_found(),
            Fault::ServerError => Reply::html(
                500,
                document(
                    "Server error",
                    "<h1>500 Internal Server Error</h1>\n<p>Something broke (on purpose).</p>\n",
                ),
            ),
            Fault::Slow => Reply::Slow(Box::new(Reply::html(
                200,
                document(
                    "A slow page",
                    "<h1>A slow page</h1>\n<p>This page took its time.</p>\n",
                ),
            ))),
            Fault::Drip => Reply::Drip {
                body: document(
                    "A dripping page",
                    &format!(
                        "<h1>A dripping page</h1>\n{}",
                        "<p>This body arrives a piece at a time.</p>\n".repeat(10)
                    ),
                )
                .into_bytes(),
            },
            Fault::ShortBody => {
                let body = document(
                    "A short body",
                    &format!(
                        "<h1>A short body</h1>\n{}",
                        "<p>The server promised more bytes than this.</p>\n".repeat(10)
                    ),
                )
                .into_bytes();
                let sent = body.len() / 2;
                Reply::Short {
                    claimed: body.len(),
                    body: body[..sent].to_vec(),
                }
            }
            Fault::RedirectLoop => Reply::Redirect {
                location: "/fault/redirect-loop/back/",
            },
            Fault::NotHtml => {
                // The start of a PDF file, then bytes that are not text.
                let mut body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
                body.extend((0..=255u8).cycle().take(2048));
                Reply::Full {
                    status: 200,
                    content_type: "application/pdf",
                    body,
                }
            }
            Fault::Huge => {
                let head = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                            <title>A huge page</title>\n</head>\n<body>\n<h1>A huge page</h1>\n<!-- ";
                let tail = " -->\n<p>The end.</p>\n</body>\n</html>\n";
                let pad = self
                    .config
                    .huge_bytes
                    .saturating_sub(head.len() + tail.len());
                let mut body = String::with_capacity(self.config.huge_bytes);
                body.push_str(head);
                body.extend(std::iter::repeat_n('.', pad));
                body.push_str(tail);
                Reply::Full {
                    status: 200,
                    content_type: HTML,
                    body: body.into_bytes(),
                }
            }
            Fault::InvalidUtf8 => {
                let mut body =
                    b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                    <title>Bad bytes</title>\n</head>\n<body>\n<p>These bytes are not UTF-8: "
                        .to_vec();
                body.extend_from_slice(b"\xff\xfe\xc3\x28 \xa0\xa1 \xed\xa0\x80");
                body.extend_from_slice(b"</p>\n</body>\n</html>\n");
                Reply::Full {
                    status: 200,
                    content_type: HTML,
                    body,
                }
            }
            Fault::OddLinks => Reply::html(200, self.odd_links()),
        }
    }
}

/// `/page/7/` with prefix `/page/` -> `Some("7")`: one segment between the prefix and the final
/// slash.
fn inner<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?.strip_suffix('/')?;
    (!rest.is_empty() && !rest.contains('/')).then_some(rest)
}

/// The `href` values of the `<a>` tags in HTML this module wrote (always `href="..."`), with
/// the entities `escape` makes decoded.
pub(super) fn hrefs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[..end];
        rest = &rest[end..];
        if !tag.starts_with([' ', '\n']) {
            continue;
        }
        if let Some(at) = tag.find(" href=\"") {
            let value = &tag[at + 7..];
            if let Some(close) = value.find('"') {
                out.push(unescape(&value[..close]));
            }
        }
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

impl Content {
    /// Walks the generated pages from "/" the way a careful crawler does: links resolved
    /// against the page's URL, http(s) on the same host and port only, the fragment dropped,
    /// the query kept; only 200 HTML pages are read for more links.
    pub(super) fn reachable(
        &self,
        addr: std::net::SocketAddr,
    ) -> std::collections::BTreeSet<String> {
        use std::collections::BTreeSet;
        let base = url::Url::parse(&format!("http://{addr}/")).expect("the site's URL parses");
        let mut seen = BTreeSet::from(["/".to_string()]);
        let mut todo = vec!["/".to_string()];
        while let Some(path) = todo.pop() {
            let Reply::Full {
                status: 200,
                content_type: HTML,
                body,
            } = self.route(&path)
            else {
                continue;
            };
            let page = base.join(&path).expect("a site path joins");
            // A careful crawler reports a body that is not UTF-8 and reads no links from it.
            let Ok(html) = String::from_utf8(body) else {
                continue;
            };
            for href in hrefs(&html) {
                let Ok(mut link) = page.join(&href) else {
                    continue;
                };
                if !matches!(link.scheme(), "http" | "https")
                    || link.host_str() != base.host_str()
                    || link.port_or_known_default() != base.port_or_known_default()
                {
                    continue;
                }
                link.set_fragment(None);
                let mut found = link.path().to_string();
                if let Some(query) = link.query() {
                    found.push('?');
                    found.push_str(query);
                }
                if seen.insert(found.clone()) {
                    todo.push(found);
                }
            }
        }
        seen
    }
}
