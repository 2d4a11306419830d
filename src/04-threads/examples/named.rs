// Chapter 4, "The Rust way": the notes' `Thread(target, name, args)`, `start` and `join`, with a
// named thread whose `join` hands back the thread's result.
use std::io;
use std::thread;

// ANCHOR: notes
fn sing(song: &str, times: u32) -> usize {
    let me = thread::current();
    let name = me.name().unwrap_or("(unnamed)");
    for i in 1..=times {
        println!("{name} sings {song} {i}");
    }
    song.chars().count() * times as usize
}

fn main() -> io::Result<()> {
    let song = String::from("茉莉花");
    // Thread(target=sing, name="singer", args=(song, 2)), and start()
    let singer = thread::Builder::new()
        .name("singer".to_owned())
        .spawn(move || sing(&song, 2))?; // an io::Error if the OS cannot start a thread

    // join(), which also returns what `sing` returned (or Err if it panicked)
    let sung = singer.join().expect("the singer panicked");
    let me = thread::current();
    println!(
        "{} joined singer, who sang {sung} characters",
        me.name().unwrap()
    );
    Ok(())
}
// ANCHOR_END: notes
