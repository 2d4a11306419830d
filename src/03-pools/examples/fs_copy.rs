// Chapter 3, "The Rust way": the standard library's two ways to copy a file.
use std::fs::{self, File};
use std::hash::{BuildHasher, RandomState};
use std::io;

fn main() -> io::Result<()> {
    let unique = RandomState::new().hash_one(std::process::id());
    let dir = std::env::temp_dir().join(format!("pools-book-fs-copy-{unique:x}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir)?;
    let (src, a, b) = (dir.join("src.txt"), dir.join("a.txt"), dir.join("b.txt"));
    fs::write(&src, "进程池 ".repeat(1000))?;

    // ANCHOR: copy
    // The notes' function, whole: open both files, copy, close (at the end of the scope).
    let bytes = io::copy(&mut File::open(&src)?, &mut File::create(&a)?)?;

    // Or leave it all to the standard library, and to the operating system.
    let same = fs::copy(&src, &b)?;

    assert_eq!(bytes, same);
    assert_eq!(fs::read(&a)?, fs::read(&b)?);
    // ANCHOR_END: copy

    fs::remove_dir_all(&dir)?;
    println!("{bytes} bytes, twice");
    Ok(())
}
