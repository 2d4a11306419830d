// Chapter 4, "The Rust way": sharing a local with threads, borrowed in a scope or owned by an Arc.
use std::sync::Arc;
use std::thread;

fn main() {
    // ANCHOR: scope
    let songs = vec!["茉莉花", "月亮代表我的心", "甜蜜蜜"];
    let mut lengths = Vec::new();
    thread::scope(|s| {
        let first = s.spawn(|| songs[0].chars().count()); // borrows `songs`
        let rest = s.spawn(|| songs[1..].iter().map(|s| s.chars().count()).sum::<usize>());
        lengths.push(first.join().unwrap());
        lengths.push(rest.join().unwrap());
    }); // every thread spawned in the scope has been joined here
    println!("{songs:?} have {lengths:?} characters"); // `songs` is still ours
    // ANCHOR_END: scope

    // ANCHOR: arc
    let songs = Arc::new(vec!["茉莉花", "月亮代表我的心", "甜蜜蜜"]);
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let songs = Arc::clone(&songs); // one more owner, for this thread
            thread::spawn(move || format!("{} is song {i}", songs[i]))
        })
        .collect();
    for handle in handles {
        println!("{}", handle.join().unwrap());
    }
    println!("{} owner(s) left", Arc::strong_count(&songs));
    // ANCHOR_END: arc
}
