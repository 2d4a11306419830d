"""Chapter 6, "Measure it", the Python side: MESSAGES integers through queue.Queue(5).

One producer thread puts 0..MESSAGES, one consumer thread gets them and adds them up (the sum is
checked). Run by benches/channels.rs when python3 is on PATH; it prints tab-separated lines
that the Rust benchmark puts into its table:

    version <TAB> 3.11.7
    row <TAB> variant <TAB> median ms

Usage: python3 channels.py MESSAGES RUNS
"""

import platform
import queue
import statistics
import sys
import threading
import time


def once(maxsize, messages):
    q = queue.Queue(maxsize)
    total = 0

    def produce():
        for i in range(messages):
            q.put(i)

    def consume():
        nonlocal total
        for _ in range(messages):
            total += q.get()

    threads = [threading.Thread(target=produce), threading.Thread(target=consume)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    assert total == messages * (messages - 1) // 2, total
    return elapsed


def main():
    messages, runs = (int(arg) for arg in sys.argv[1:3])
    print(f"version\t{platform.python_version()}")
    variants = [("`queue.Queue(5)`", 5), ("`queue.Queue()` (no limit)", 0)]
    times = {name: [] for name, _ in variants}
    for _ in range(runs):
        for name, maxsize in variants:
            times[name].append(once(maxsize, messages))
    for name, _ in variants:
        print(f"row\t{name}\t{statistics.median(times[name]) * 1000:.1f}")


if __name__ == "__main__":
    main()
