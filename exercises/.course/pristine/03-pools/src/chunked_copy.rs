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

use std::io::{self, Read, Write};
use std::path::Path;

/// The notes' chunk size: `fp1.read(1024)`.
pub const CHUNK: usize = 1024;

/// Copies everything from `from` to `to`, reading at most `chunk` bytes at a time, and returns
/// the number of bytes copied.
///
/// Make a buffer of `chunk` bytes (`vec![0; chunk]`) and loop:
///
/// - `from.read(&mut buffer)` returns how many bytes it put at the start of the buffer;
/// - `Ok(0)` means the end of the input: return the total;
/// - `Ok(n)`: write exactly `&buffer[..n]` with `to.write_all` (a plain `write` may take only
///   part of it), add `n` to the total, and read again;
/// - `Err(e)` with `e.kind() == ErrorKind::Interrupted`: nothing was read; read again;
/// - any other error: return it (`?` does that).
///
/// A `chunk` of 0 is treated as 1: a buffer of 0 bytes would make every read return 0, which
/// looks like the end.
///
/// The tests (`tests/chunked_copy.rs`) check that:
///
/// - inputs of 0, 1, 1023, 1024, 1025 and 5000 bytes arrive intact, and the count is returned;
/// - every read is given a buffer of exactly `chunk` bytes (`chunk` 0 counts as 1);
/// - short reads (a reader that hands out 3 bytes at a time) and short writes (a writer that
///   takes 100 bytes at a time) still copy every byte, and nothing else;
/// - an `Interrupted` read is retried, and the copy stops at the first read of 0 bytes even if
///   the reader has more to give afterwards;
/// - an empty input takes one read and writes nothing;
/// - a read error or a write error is returned as it is.
#[allow(unused_variables)]
pub fn copy_chunked(from: &mut impl Read, to: &mut impl Write, chunk: usize) -> io::Result<u64> {
    todo!("read into a buffer of `chunk` bytes until a read returns 0, writing what each read gave")
}

/// Copies the file `src` to `dst` with [`copy_chunked`] in chunks of [`CHUNK`] bytes, and returns
/// the number of bytes copied.
///
/// - Open `src` with `File::open`.
/// - Create `dst` with `OpenOptions::new().write(true).create_new(true).open(dst)`:
///   `create_new` fails with `ErrorKind::AlreadyExists` if `dst` is there already, so an existing
///   file is never overwritten.
/// - If the copy fails after `dst` was created, remove `dst` (`std::fs::remove_file`) and return
///   the copy's error: a half-written file must not be left behind looking like a good copy.
/// - Every error names the file it is about, and keeps the kind of the error it wraps. When
///   `src` cannot be opened, return
///   `io::Error::new(e.kind(), format!("cannot open {}: {e}", src.display()))`; when `dst`
///   cannot be created, the same with `cannot create` and `dst`. An error during the copy may
///   come from reading `src` or from writing `dst`, so it names both:
///   `format!("cannot copy {} to {}: {e}", src.display(), dst.display())`. An error without a
///   path leaves the reader guessing which file failed.
///
/// The tests (`tests/chunked_copy.rs`) check the copied bytes for several sizes; that an
/// existing destination is refused and left unchanged, with an error that names it; that a
/// missing source or a symbolic link to nothing gives `ErrorKind::NotFound`, with an error that
/// names it, and creates no destination; and that copying a folder (which opens like a file but
/// cannot be read) fails with an error of the same kind as the failed read that names both
/// files, and leaves no destination behind.
#[allow(unused_variables)]
pub fn copy_file(src: &Path, dst: &Path) -> io::Result<u64> {
    todo!("open src, create dst with create_new, copy_chunked, remove dst if the copy failed")
}
