//! Exercise `per_thread`: `thread_local!`, a counter of which every thread has its own copy.

use std::cell::Cell;
use std::thread;

thread_local! {
    static TICKS: Cell<u32> = const { Cell::new(0) };
}

/// Counts one call on the calling thread and returns how many calls this thread has made.
pub fn tick() -> u32 {
    TICKS.with(|ticks| {
        let now = ticks.get() + 1;
        ticks.set(now);
        now
    })
}

/// Starts `threads` threads at once; each calls [`tick`] `ticks` times, calling
/// `after_tick(seen)` after each, and returns what its ticks returned.
pub fn ticks_on_threads(
    threads: usize,
    ticks: u32,
    after_tick: impl Fn(u32) + Sync,
) -> Vec<Vec<u32>> {
    let after_tick = &after_tick;
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    (0..ticks)
                        .map(|_| {
                            let seen = tick();
                            after_tick(seen);
                            seen
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
            })
            .collect()
    })
}
