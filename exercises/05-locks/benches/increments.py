"""Chapter 5, "Measure it", the Python side: the notes' shared counter with threads.

Run by benches/increments.rs when python3 is on PATH; it prints tab-separated lines that the
Rust benchmark puts into its table:

    version <TAB> 3.11.7
    row <TAB> variant <TAB> total <TAB> median ms

Usage: python3 increments.py THREADS PER_THREAD RUNS
"""

import platform
import sys
import threading
import time

count = 0


def locked(lock, per_thread):
    """The notes' way: acquire, change the global, release, for every increment."""
    global count
    for _ in range(per_thread):
        lock.acquire()
        count += 1
        lock.release()


def with_block(lock, per_thread):
    """The same lock, taken with a `with` block (released even if the body raises)."""
    global count
    for _ in range(per_thread):
        with lock:
            count += 1


def unlocked(lock, per_thread):
    """No lock at all: `count += 1` is a read, an add and a write."""
    global count
    for _ in range(per_thread):
        count += 1


def run(work, threads, per_thread):
    global count
    count = 0
    lock = threading.Lock()
    workers = [threading.Thread(target=work, args=(lock, per_thread)) for _ in range(threads)]
    start = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return count, time.perf_counter() - start


def main():
    threads, per_thread, runs = (int(arg) for arg in sys.argv[1:4])
    print(f"version\t{platform.python_version()}")
    variants = [
        ("Python `lock.acquire()` / `release()` per increment", locked),
        ("Python `with lock:` per increment", with_block),
        ("Python, no lock", unlocked),
    ]
    times = {name: [] for name, _ in variants}
    totals = {name: [] for name, _ in variants}
    # Rounds, one run of each variant per round, as on the Rust side.
    for _ in range(runs):
        for name, work in variants:
            total, seconds = run(work, threads, per_thread)
            times[name].append(seconds)
            totals[name].append(total)
    for name, _ in variants:
        median = sorted(times[name])[len(times[name]) // 2]
        # The smallest total of the runs: lost updates show as less than threads * per_thread.
        print(f"row\t{name}\t{min(totals[name])}\t{median * 1000:.1f}")


if __name__ == "__main__":
    main()
