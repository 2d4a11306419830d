// Chapter 1, "The Rust way": `std::thread::scope` lets threads borrow locals.

// ANCHOR: sum
use std::thread;

fn main() {
    let numbers: Vec<u64> = (1..=1000).collect();
    let (low, high) = numbers.split_at(numbers.len() / 2);

    // The two threads borrow `low` and `high`, slices of a local vector.
    // No `move`, no cloning, no `Arc`: the scope guarantees that both
    // threads are finished before `numbers` can go away.
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(|| low.iter().sum::<u64>());
        let b = s.spawn(|| high.iter().sum::<u64>());
        (a.join().unwrap(), b.join().unwrap())
    });

    assert_eq!(a + b, 500_500);
    println!("{a} + {b} = {}", a + b);
}
// ANCHOR_END: sum
