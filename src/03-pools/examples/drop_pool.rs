// Chapter 3, "The Rust way": dropping a rayon ThreadPool does not wait for spawned jobs.
use std::time::Duration;

// ANCHOR: drop
fn main() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let (go_tx, go_rx) = crossbeam_channel::bounded::<()>(0);
    let (done_tx, done_rx) = crossbeam_channel::bounded(1);

    // A job that cannot finish before we let it.
    pool.spawn(move || {
        go_rx.recv_timeout(Duration::from_secs(10)).unwrap();
        done_tx.send("copied").unwrap();
    });

    // Had `drop` waited for the job, this line would never return:
    // the job is waiting for us.
    drop(pool);

    // The worker is still there, and still finishes the job...
    go_tx.send_timeout((), Duration::from_secs(10)).unwrap();
    assert_eq!(done_rx.recv_timeout(Duration::from_secs(10)), Ok("copied"));
    // ...but only because we waited for its answer. If `main` had returned
    // after `drop(pool)`, the process would have ended, job and all.
    println!("the job finished after the pool was dropped");
}
// ANCHOR_END: drop
