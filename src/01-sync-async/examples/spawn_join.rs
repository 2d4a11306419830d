// Chapter 1, "The Rust way": `std::thread::spawn` and `join`.
// The notes' "sing and dance" as two OS threads.

// ANCHOR: spawn
use std::thread;

fn sing(song: &str) -> String {
    format!("sang {song}")
}

fn dance(steps: u32) -> String {
    format!("danced {steps} steps")
}

fn main() {
    let song = String::from("茉莉花");

    // Each call starts an OS thread at once and returns a handle to it.
    // `move` hands `song` to the first thread: that thread owns it now.
    let singer = thread::spawn(move || sing(&song));
    let dancer = thread::spawn(|| dance(8));

    // Both threads run on their own. `join` waits for one to finish
    // and hands back what its closure returned.
    let sang = singer.join().expect("the singer panicked");
    let danced = dancer.join().expect("the dancer panicked");

    assert_eq!(sang, "sang 茉莉花");
    println!("{sang}, {danced}");
}
// ANCHOR_END: spawn
