//! Exercise `chunked_copy`: the notes' copy loop, one chunk of 1024 bytes at a time.
//!
//! The notes copy a file like this:
//!
//! ```text
//! while 1:
//!     content = fp1.read(1024)
//!     fp2.write(content)
//!     if ...: break
//! ```
//!
//! Rust's `Read::read` works the same way, with three details the loop has to get right: a read
//! may hand back *fewer* bytes than the buffer holds (so write only what it returned), a read of
//! 0 bytes means the end of the input, and a read may fail with `ErrorKind::Interrupted`, which
//! means "nothing happened, try again". `std::io::copy` does all of this for you; here you write
//! it yourself, because every pool in this chapter runs this loop as its job.

use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::path::Path;

/// The notes' chunk size: `fp1.read(1024)`.
pub const CHUNK: usize = 1024;

/// Copies everything from `from` to `to`, reading at most `chunk` bytes at a time, and returns
/// the number of bytes copied. A `chunk` of 0 is treated as 1.
pub fn copy_chunked(from: &mut impl Read, to: &mut impl Write, chunk: usize) -> io::Result<u64> {
    // A buffer of 0 bytes would make every read return 0, which looks like the end of the input.
    let mut buffer = vec![0; chunk.max(1)];
    let mut copied = 0;
    loop {
        let read = match from.read(&mut buffer) {
            // 0 bytes: the end of the input (the notes' `if ...: break`).
            Ok(0) => return Ok(copied),
            Ok(read) => read,
            // A signal arrived before anything was read: nothing happened, so ask again.
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        // Only the first `read` bytes are new; the rest of the buffer is left over from before.
        // `write_all` keeps writing until all of them are out (a single `write` may take less).
        to.write_all(&buffer[..read])?;
        copied += read as u64;
    }
}

/// Copies the file `src` to `dst` with [`copy_chunked`] in chunks of [`CHUNK`] bytes, and returns
/// the number of bytes copied. It never overwrites: if `dst` exists, that is an error
/// (`ErrorKind::AlreadyExists`). If the copy fails after `dst` was created, `dst` is removed, so
/// no half-written file is left behind. Every error names the file it is about (an error during
/// the copy names both), and keeps the original error's kind.
pub fn copy_file(src: &Path, dst: &Path) -> io::Result<u64> {
    let mut from = File::open(src).map_err(|e| context(e, "cannot open", src))?;
    // `create_new` creates the file and fails if it is already there, in one step, so no other
    // process can slip a file in between a check and the creation.
    let mut to = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dst)
        .map_err(|e| context(e, "cannot create", dst))?;
    match copy_chunked(&mut from, &mut to, CHUNK) {
        Ok(copied) => Ok(copied),
        Err(error) => {
            drop(to);
            // The file is ours (create_new made it), so removing it cannot destroy anything
            // else. If even that fails, the copy's own error is the one to report.
            let _ = fs::remove_file(dst);
            let what = format!("cannot copy {} to", src.display());
            Err(context(error, &what, dst))
        }
    }
}

/// `error` with a message that says what failed on which file, such as
/// `cannot open /tmp/x: No such file or directory (os error 2)`, and the same kind.
fn context(error: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{what} {}: {error}", path.display()))
}
