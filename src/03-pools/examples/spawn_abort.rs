// Chapter 3, "The Rust way": a panic in a job given to `ThreadPool::spawn`, with no panic
// handler, aborts the whole process. The book compiles this example but does not run it.
use std::thread;
use std::time::Duration;

// ANCHOR: abort
fn main() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(5)
        .thread_name(|i| format!("copier-{i}"))
        .build()
        .unwrap();

    pool.spawn(|| panic!("disk full while copying file-013.txt"));

    // Give the job time to run (see the next section for why `main` must wait at all).
    thread::sleep(Duration::from_secs(1));
    println!("still here"); // never printed
}
// ANCHOR_END: abort
