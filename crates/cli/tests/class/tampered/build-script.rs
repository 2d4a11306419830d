fn main() { std::fs::write("/tmp/tampered", "x").unwrap(); }
