// Chapter 1, "The Rust way": more threads than cores.
// The OS makes them concurrent; the cores make them parallel.
use std::collections::HashSet;
use std::sync::Barrier;
use std::thread;

// ANCHOR: eight
fn main() {
    const THREADS: usize = 8;
    // A gate that opens only when all eight threads stand at it.
    let gate = Barrier::new(THREADS);

    let ids: Vec<_> = thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    gate.wait();
                    thread::current().id()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    // Getting here proves that all eight were under way at once,
    // whatever the number of cores.
    let distinct: HashSet<_> = ids.into_iter().collect();
    assert_eq!(distinct.len(), THREADS);
    println!("{THREADS} threads met at the gate");
}
// ANCHOR_END: eight
