// Chapter 3, "The Rust way": the notes' copy loop, with its open `if xxx: break` filled in.
use std::io::{self, Read, Write};

// ANCHOR: loop
/// Copies everything `from` can give into `to`, 1024 bytes at a time,
/// and returns how many bytes it copied.
fn copy_in_chunks(from: &mut impl Read, to: &mut impl Write) -> io::Result<u64> {
    let mut buf = [0u8; 1024];
    let mut total = 0;
    loop {
        // `read` fills *some* of the buffer and says how much: `n` may be
        // anything from 1 to 1024, whatever is left in the file.
        let n = from.read(&mut buf)?;
        if n == 0 {
            break; // 0 bytes: end of file. This is the notes' `if xxx`.
        }
        // Write the n bytes that were read, not the whole buffer.
        // `write_all` keeps writing until all of them are out.
        to.write_all(&buf[..n])?;
        total += n as u64;
    }
    Ok(total)
}
// ANCHOR_END: loop

// ANCHOR: trickle
/// A reader that hands out at most 3 bytes per `read`, as a pipe or a
/// socket may do. Files on disk rarely do, but `Read` allows it.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.len().min(buf.len()).min(3);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fn main() -> io::Result<()> {
    let text = "一个进程，没有充分利用电脑的性能是不行的".repeat(100);

    // Short reads everywhere, and the copy is still exact.
    let mut copy = Vec::new();
    let copied = copy_in_chunks(&mut Trickle(text.as_bytes()), &mut copy)?;
    assert_eq!(copied, text.len() as u64);
    assert_eq!(copy, text.as_bytes());

    // The standard library's loop does the same (and retries interrupted reads).
    let mut again = Vec::new();
    let copied = io::copy(&mut Trickle(text.as_bytes()), &mut again)?;
    assert_eq!(copied, text.len() as u64);
    assert_eq!(again, copy);

    // An empty input: the first `read` returns 0.
    assert_eq!(copy_in_chunks(&mut io::empty(), &mut io::sink())?, 0);
    println!("copied {copied} bytes, 3 at a time");
    Ok(())
}
// ANCHOR_END: trickle
