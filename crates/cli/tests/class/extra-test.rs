#[test]
fn secret_split_has_the_asked_parts() {
    assert_eq!(sync_async::primes::split(10, 3).len(), 3, "SECRET-EXPECTATION");
}
