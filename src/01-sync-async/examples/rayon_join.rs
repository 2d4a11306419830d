// Chapter 1, "The Rust way": `rayon::join`, divide and conquer.

// ANCHOR: join
/// Adds up the squares of `xs`, cutting the work in two halves
/// that rayon may run in parallel.
fn sum_of_squares(xs: &[u64]) -> u64 {
    // Small pieces are not worth cutting: just do them.
    if xs.len() <= 4096 {
        return xs.iter().map(|x| x * x).sum();
    }
    let (left, right) = xs.split_at(xs.len() / 2);
    let (a, b) = rayon::join(|| sum_of_squares(left), || sum_of_squares(right));
    a + b
}

fn main() {
    let xs: Vec<u64> = (1..=100_000).collect();
    let total = sum_of_squares(&xs);

    let one_by_one: u64 = xs.iter().map(|x| x * x).sum();
    assert_eq!(total, one_by_one);
    println!("sum of squares up to 100 000: {total}");
}
// ANCHOR_END: join
