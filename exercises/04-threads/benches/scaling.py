"""Chapter 4, "Measure it", the Python side: the same CPU-bound work on 1 up to N threads.

The Rust benchmark (benches/scaling.rs) runs this script with `python3` and prints its numbers
next to its own; it can also be run alone:

    python3 exercises/04-threads/benches/scaling.py UNITS ROUNDS MAX_THREADS RUNS

Each of UNITS work units is ROUNDS steps of the same xorshift generator as `threads::spin`, in the
same 64-bit arithmetic, so the checksum must equal Rust's for the same ROUNDS. The units are split
into contiguous chunks, one per thread, as `map_chunks` splits them. CPython's global interpreter
lock (GIL) lets one thread run Python code at a time, so more threads do not make this faster.

Output, one item per line: `python VERSION`, then `threads T SECONDS CHECKSUM` for every thread
count (the median of RUNS runs, interleaved in rounds), then `spawn MICROSECONDS` (the median cost
of starting and joining a thread that does nothing).
"""

import platform
import statistics
import sys
import threading
import time

MASK = (1 << 64) - 1


def spin(rounds):
    x = 0x9E3779B97F4A7C15
    for i in range(rounds):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        x = (x + i) & MASK
    return x


def chunks(items, parts):
    size, extra = divmod(len(items), parts)
    start = 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        yield items[start:end]
        start = end


def run(units, threads):
    results = [0] * threads

    def work(slot, chunk):
        total = 0
        for rounds in chunk:
            total = (total + spin(rounds)) & MASK
        results[slot] = total

    workers = [
        threading.Thread(target=work, args=(slot, chunk), name=f"spinner-{slot}")
        for slot, chunk in enumerate(chunks(units, threads))
    ]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return sum(results) & MASK


def spawn_cost(samples):
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        t = threading.Thread(target=lambda: None)
        t.start()
        t.join()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    units_count, rounds, max_threads, runs = (int(arg) for arg in sys.argv[1:5])
    units = [rounds] * units_count
    counts = list(range(1, max_threads + 1))
    print(f"python {platform.python_version()}", flush=True)
    run(units, 1)  # warm up
    times = {t: [] for t in counts}
    checksums = {}
    for _ in range(runs):
        for t in counts:
            start = time.perf_counter()
            checksums[t] = run(units, t)
            times[t].append(time.perf_counter() - start)
    for t in counts:
        print(f"threads {t} {statistics.median(times[t]):.6f} {checksums[t]}")
    print(f"spawn {spawn_cost(2000) * 1e6:.2f}")


if __name__ == "__main__":
    main()
