// Chapter 1, "The Rust way": scoped threads may even borrow mutably,
// as long as no two of them borrow the same thing.
use std::thread;

// ANCHOR: fill
fn main() {
    let mut slots = [0u32; 4];

    thread::scope(|s| {
        // Each thread gets `&mut` to its own slot: disjoint borrows.
        for (i, slot) in slots.iter_mut().enumerate() {
            s.spawn(move || *slot = (i as u32 + 1) * 10);
        }
        // No `join` here: the scope joins every thread before it returns.
    });

    assert_eq!(slots, [10, 20, 30, 40]);
    println!("{slots:?}");
}
// ANCHOR_END: fill
