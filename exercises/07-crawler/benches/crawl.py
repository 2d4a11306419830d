"""Chapter 7, "Measure it", the Python side: the notes' crawler, written the notes' way.

Producer threads fetch pages with `requests`, put (url, status, html) into a `queue.Queue(5)`,
and consumer threads take them out and parse them with BeautifulSoup. The consumers end on
sentinels (one `None` each), as Python programs usually do. Run by benches/crawl.rs, which starts
the fixture site; it prints tab-separated lines that the Rust benchmark puts into its tables:

    version <TAB> 3.11.7 <TAB> requests 2.32.5 <TAB> beautifulsoup4 4.13.5
    crawl <TAB> fetchers <TAB> median ms <TAB> quotes found
    parse <TAB> processes <TAB> median ms <TAB> pages parsed <TAB> quotes found
    skipped <TAB> why          (instead of everything else, when a package is missing)

Usage:
    python3 crawl.py crawl URLS_FILE FETCHERS PARSERS RUNS
    python3 crawl.py parse PAGES_DIR PROCESSES REPEAT RUNS   (each page parsed REPEAT times a run)
"""

import multiprocessing
import os
import platform
import queue
import statistics
import sys
import threading
import time

try:
    import bs4
    import requests
except ImportError as missing:
    print(
        f"skipped\t{missing.name} is not installed "
        "(python3 -m pip install -r exercises/07-crawler/benches/requirements.txt)"
    )
    sys.exit(0)


def parse_quotes(html):
    """The quotes on one page, as (text, author, tags): the consumer's work."""
    soup = bs4.BeautifulSoup(html, "html.parser")
    quotes = []
    for div in soup.select("div.quote"):
        text = div.select_one("span.text").get_text().strip("\u201c\u201d")
        author = div.select_one("small.author").get_text()
        tags = [a.get_text() for a in div.select("a.tag")]
        quotes.append((text, author, tags))
    return quotes


def crawl_once(urls, fetchers, parsers):
    """One crawl of `urls`: `fetchers` producer threads, a Queue(5), `parsers` consumers."""
    todo = queue.Queue()
    for url in urls:
        todo.put(url)
    pages = queue.Queue(5)
    found = []
    found_lock = threading.Lock()

    def fetch():
        while True:
            try:
                url = todo.get_nowait()
            except queue.Empty:
                return
            response = requests.get(url, timeout=10)
            pages.put((url, response.status_code, response.text))

    def parse():
        while True:
            page = pages.get()
            if page is None:
                return
            quotes = parse_quotes(page[2])
            with found_lock:
                found.extend(quotes)

    start = time.perf_counter()
    producers = [threading.Thread(target=fetch) for _ in range(fetchers)]
    consumers = [threading.Thread(target=parse) for _ in range(parsers)]
    for t in producers + consumers:
        t.start()
    for t in producers:
        t.join()
    for _ in consumers:
        pages.put(None)
    for t in consumers:
        t.join()
    return time.perf_counter() - start, len(found)


def parse_file(path):
    with open(path, encoding="utf-8") as f:
        return len(parse_quotes(f.read()))


def parse_once(paths, pool, processes):
    """Parses every path: in this process, or spread over `pool` (started beforehand, so that
    starting the processes is not timed)."""
    start = time.perf_counter()
    if pool is None:
        counts = [parse_file(p) for p in paths]
    else:
        counts = pool.map(parse_file, paths, chunksize=max(1, len(paths) // (4 * processes)))
    return time.perf_counter() - start, sum(counts)


def main():
    print(
        f"version\t{platform.python_version()}\trequests {requests.__version__}"
        f"\tbeautifulsoup4 {bs4.__version__}"
    )
    mode = sys.argv[1]
    if mode == "crawl":
        urls_file, fetchers, parsers, runs = sys.argv[2], *(int(a) for a in sys.argv[3:6])
        with open(urls_file, encoding="utf-8") as f:
            urls = f.read().split()
        results = [crawl_once(urls, fetchers, parsers) for _ in range(runs)]
        ms = statistics.median(r[0] for r in results) * 1000
        print(f"crawl\t{fetchers}\t{ms:.1f}\t{results[0][1]}")
    elif mode == "parse":
        pages_dir, processes, repeat, runs = sys.argv[2], *(int(a) for a in sys.argv[3:6])
        paths = sorted(os.path.join(pages_dir, name) for name in os.listdir(pages_dir))
        if processes == 1:
            results = [parse_once(paths * repeat, None, 1) for _ in range(runs)]
        else:
            with multiprocessing.Pool(processes) as pool:
                pool.map(parse_file, paths)  # every worker imports bs4 before the clock starts
                results = [parse_once(paths * repeat, pool, processes) for _ in range(runs)]
        ms = statistics.median(r[0] for r in results) * 1000
        # The quotes of one pass over the pages, to compare with the site's.
        print(f"parse\t{processes}\t{ms:.1f}\t{len(paths)}\t{results[0][1] // repeat}")
    else:
        sys.exit(f"unknown mode {mode!r}: use crawl or parse")


if __name__ == "__main__":
    main()
