// Chapter 1, "The Rust way": a first look at rayon's parallel iterators.

// ANCHOR: par_iter
use rayon::prelude::*;

fn main() {
    // `iter` becomes `par_iter`: rayon cuts the slice into pieces and runs
    // them on its worker threads. `collect` still keeps the original order.
    let words = ["同步", "异步", "并行", "并发"];
    let tagged: Vec<String> = words
        .par_iter()
        .enumerate()
        .map(|(i, w)| format!("{}:{w}", i + 1))
        .collect();
    assert_eq!(tagged, ["1:同步", "2:异步", "3:并行", "4:并发"]);

    // Ranges work too, and so do `sum`, `filter`, `count`, `max` and friends.
    let squares: u64 = (1..=100_000u64).into_par_iter().map(|x| x * x).sum();
    assert_eq!(squares, 333_338_333_350_000);
    println!("{tagged:?} {squares}");
}
// ANCHOR_END: par_iter
