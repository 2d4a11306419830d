//! Exercise `chunked_copy`: `copy_chunked` is the notes' 1024-byte copy loop, and `copy_file`
//! uses it to copy one file safely.
//!
//! Real files rarely show the hard cases, so most tests feed `copy_chunked` readers made for
//! them: one that hands out a few bytes per read, one that is interrupted, one that has more
//! data after its end, one that fails halfway.

use std::fs;
use std::io::{self, Cursor, ErrorKind, Read, Write};
use std::os::unix::fs::symlink;

use pools::chunked_copy::{CHUNK, copy_chunked, copy_file};
use test_support::{sample_bytes, within};

/// The sizes around one chunk, and a few chunks.
const SIZES: [usize; 6] = [0, 1, 1023, 1024, 1025, 5000];

/// A reader that hands out at most `max` bytes per read, and records the size of every buffer
/// it is given.
struct Trickle {
    data: Cursor<Vec<u8>>,
    max: usize,
    buffers: Vec<usize>,
}

impl Trickle {
    fn new(data: Vec<u8>, max: usize) -> Self {
        Trickle {
            data: Cursor::new(data),
            max,
            buffers: Vec::new(),
        }
    }
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.buffers.push(buf.len());
        let len = buf.len().min(self.max);
        self.data.read(&mut buf[..len])
    }
}

/// A reader whose reads number `interrupt_at` (counting from 0) fail with `Interrupted`.
struct Interrupted {
    data: Cursor<Vec<u8>>,
    calls: usize,
    interrupt_at: Vec<usize>,
}

impl Read for Interrupted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let call = self.calls;
        self.calls += 1;
        if self.interrupt_at.contains(&call) {
            return Err(io::Error::from(ErrorKind::Interrupted));
        }
        self.data.read(buf)
    }
}

/// A reader that gives `before`, then one empty read (the end), then `after`, as a stream that
/// grows while it is read can do. The copy must stop at the first empty read.
struct MoreAfterTheEnd {
    parts: Vec<Vec<u8>>,
}

impl Read for MoreAfterTheEnd {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.parts.is_empty() {
            return Ok(0);
        }
        let part = self.parts.remove(0);
        let len = part.len().min(buf.len());
        buf[..len].copy_from_slice(&part[..len]);
        Ok(len)
    }
}

/// A reader that gives its bytes, then fails once with an error that is not `Interrupted`, and
/// then says it is at the end. A copy that retried the error would end without one, at once,
/// rather than loop.
struct FailsAfter {
    data: Cursor<Vec<u8>>,
    failed: bool,
}

impl Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.data.read(buf)? {
            0 if !self.failed => {
                self.failed = true;
                Err(io::Error::other("the disk is on fire"))
            }
            read => Ok(read),
        }
    }
}

/// A writer that keeps what it is given, taking at most `max` bytes per `write` (as a pipe or a
/// socket may), and can be told to fail after `fail_after` bytes.
struct Sink {
    bytes: Vec<u8>,
    max: usize,
    fail_after: Option<usize>,
}

impl Sink {
    fn new(max: usize) -> Self {
        Sink {
            bytes: Vec::new(),
            max,
            fail_after: None,
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self
            .fail_after
            .is_some_and(|limit| self.bytes.len() >= limit)
        {
            return Err(io::Error::other("the destination is full"));
        }
        let len = buf.len().min(self.max);
        self.bytes.extend_from_slice(&buf[..len]);
        Ok(len)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn copies_inputs_of_every_size() {
    for len in SIZES {
        let data = sample_bytes(len as u64, len);
        let mut out = Vec::new();
        let copied = copy_chunked(&mut Cursor::new(data.clone()), &mut out, CHUNK)
            .unwrap_or_else(|e| panic!("copying {len} bytes failed: {e}"));
        assert_eq!(
            copied, len as u64,
            "copying {len} bytes should return {len}"
        );
        assert!(
            out == data,
            "copying {len} bytes gave {} bytes that differ from the input",
            out.len()
        );
    }
}

#[test]
fn reads_into_a_buffer_of_the_chunk_size() {
    for chunk in [1, 7, CHUNK] {
        let mut reader = Trickle::new(sample_bytes(3, 3000), usize::MAX);
        copy_chunked(&mut reader, &mut Vec::new(), chunk).expect("the copy works");
        assert!(
            !reader.buffers.is_empty() && reader.buffers.iter().all(|&len| len == chunk),
            "with chunk = {chunk}, every read should get a buffer of {chunk} bytes, as the notes' \
             fp1.read(1024) does; the buffers had these sizes: {:?}",
            reader.buffers
        );
    }
}

#[test]
fn writes_only_the_bytes_each_read_returned() {
    // A read may return fewer bytes than the buffer holds; the rest of the buffer is stale.
    for len in SIZES {
        let data = sample_bytes(len as u64, len);
        let mut reader = Trickle::new(data.clone(), 3);
        let mut out = Vec::new();
        let copied = copy_chunked(&mut reader, &mut out, CHUNK).expect("the copy works");
        assert_eq!(
            (copied, out.len()),
            (len as u64, len),
            "the reader hands out at most 3 bytes per read: write (and count) only the bytes \
             each read returned, `&buffer[..read]`, not the whole buffer"
        );
        assert!(
            out == data,
            "the copy of {len} bytes differs from the input"
        );
    }
}

#[test]
fn writes_everything_even_when_a_write_takes_only_part() {
    let data = sample_bytes(9, 5000);
    let mut sink = Sink::new(100);
    let copied = copy_chunked(&mut Cursor::new(data.clone()), &mut sink, CHUNK).expect("copy");
    assert_eq!(copied, 5000);
    assert!(
        sink.bytes == data,
        "the writer takes at most 100 bytes per `write`, and {} of 5000 bytes arrived: use \
         `write_all`, which keeps writing until everything is out",
        sink.bytes.len()
    );
}

#[test]
fn retries_an_interrupted_read() {
    let data = sample_bytes(5, 2500);
    let mut reader = Interrupted {
        data: Cursor::new(data.clone()),
        calls: 0,
        interrupt_at: vec![0, 2],
    };
    let mut out = Vec::new();
    let copied = copy_chunked(&mut reader, &mut out, CHUNK).unwrap_or_else(|e| {
        panic!(
            "the copy failed with `{e}`: a read that fails with ErrorKind::Interrupted read \
             nothing, so just read again"
        )
    });
    assert_eq!(copied, 2500);
    assert!(
        out == data,
        "after the interruptions, the copy differs from the input"
    );
}

#[test]
fn stops_at_the_first_empty_read() {
    let mut reader = MoreAfterTheEnd {
        parts: vec![
            b"first part".to_vec(),
            Vec::new(),
            b"after the end".to_vec(),
        ],
    };
    let mut out = Vec::new();
    let copied = copy_chunked(&mut reader, &mut out, CHUNK).expect("the copy works");
    assert_eq!(
        (copied, String::from_utf8_lossy(&out).as_ref()),
        (10, "first part"),
        "a read of 0 bytes means the end of the input: stop there"
    );
}

#[test]
fn an_empty_input_writes_nothing() {
    let mut reader = Trickle::new(Vec::new(), usize::MAX);
    let mut sink = Sink::new(usize::MAX);
    let copied = copy_chunked(&mut reader, &mut sink, CHUNK).expect("the copy works");
    assert_eq!(copied, 0, "an empty input copies 0 bytes");
    assert!(sink.bytes.is_empty(), "nothing should be written");
    assert_eq!(
        reader.buffers.len(),
        1,
        "one read, which returns 0, is enough to know the input is empty"
    );
}

#[test]
fn a_zero_chunk_is_treated_as_one() {
    let data = sample_bytes(1, 300);
    let mut out = Vec::new();
    let copied = copy_chunked(&mut Cursor::new(data.clone()), &mut out, 0).expect("copy");
    assert_eq!(
        copied, 300,
        "a buffer of 0 bytes makes every read return 0, which looks like the end: treat a chunk \
         of 0 as 1"
    );
    assert!(out == data);
}

#[test]
fn passes_read_and_write_errors_on() {
    let mut reader = FailsAfter {
        data: Cursor::new(sample_bytes(2, 2000)),
        failed: false,
    };
    let error = copy_chunked(&mut reader, &mut Vec::new(), CHUNK)
        .expect_err("the reader fails after 2000 bytes, so the copy must fail");
    assert_eq!(
        error.to_string(),
        "the disk is on fire",
        "return the reader's own error"
    );

    let mut sink = Sink::new(usize::MAX);
    sink.fail_after = Some(1024);
    let error = copy_chunked(&mut Cursor::new(sample_bytes(3, 5000)), &mut sink, CHUNK)
        .expect_err("the writer fails after 1024 bytes, so the copy must fail");
    assert_eq!(
        error.to_string(),
        "the destination is full",
        "return the writer's own error"
    );
}

#[test]
fn copy_file_copies_every_size() {
    let temp = tempfile::tempdir().unwrap();
    for len in SIZES {
        let src = temp.path().join(format!("in-{len}"));
        let dst = temp.path().join(format!("out-{len}"));
        let data = sample_bytes(len as u64, len);
        fs::write(&src, &data).unwrap();
        let copied = copy_file(&src, &dst).unwrap_or_else(|e| panic!("copy of {len} bytes: {e}"));
        assert_eq!(copied, len as u64, "copy_file returns the bytes copied");
        assert!(
            fs::read(&dst).unwrap() == data,
            "the copy of a {len}-byte file differs from it"
        );
    }
}

#[test]
fn copy_file_never_overwrites() {
    let temp = tempfile::tempdir().unwrap();
    let (src, dst) = (temp.path().join("src"), temp.path().join("dst"));
    fs::write(&src, "new content").unwrap();
    fs::write(&dst, "keep me").unwrap();
    let error = copy_file(&src, &dst).expect_err("the destination exists, so the copy must fail");
    assert_eq!(
        error.kind(),
        ErrorKind::AlreadyExists,
        "open the destination with OpenOptions::create_new, which fails if it exists"
    );
    assert!(
        error.to_string().contains(&dst.display().to_string()),
        "the error should name the destination, so that the reader knows which side failed \
         (keep the kind: io::Error::new(e.kind(), format!(..))); it says `{error}`"
    );
    assert_eq!(
        fs::read_to_string(&dst).unwrap(),
        "keep me",
        "the existing file must be left as it was"
    );
}

#[test]
fn copy_file_reports_a_missing_source_and_creates_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let dst = temp.path().join("dst");
    let src = temp.path().join("missing");
    let error = copy_file(&src, &dst).expect_err("no source file");
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert!(
        error.to_string().contains(&src.display().to_string()),
        "the error should name the source that cannot be opened (keep the kind: \
         io::Error::new(e.kind(), format!(..))); it says `{error}`"
    );
    assert!(
        !dst.exists(),
        "when the source cannot be opened, no destination file should appear"
    );
}

#[test]
fn copy_file_reports_a_dangling_symlink() {
    let temp = tempfile::tempdir().unwrap();
    let (src, dst) = (temp.path().join("link"), temp.path().join("dst"));
    symlink(temp.path().join("nowhere"), &src).unwrap();
    let error = copy_file(&src, &dst).expect_err("the link points nowhere");
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert!(
        error.to_string().contains(&src.display().to_string()),
        "the error should name the link that cannot be opened; it says `{error}`"
    );
    assert!(!dst.exists(), "no destination file should appear");
}

#[test]
fn copy_file_removes_a_half_made_copy() {
    // A folder can be opened like a file, but reading it fails: the copy fails after the
    // destination was created.
    let temp = tempfile::tempdir().unwrap();
    let (src, dst) = (temp.path().join("folder"), temp.path().join("dst"));
    fs::create_dir(&src).unwrap();
    // Reading a folder fails every time: a copy that retried that error would never end.
    let (from, to) = (src.clone(), dst.clone());
    let error = within(
        "copy_file of a folder (a copy that retries every error never ends)",
        move || copy_file(&from, &to),
    )
    .expect_err("a folder cannot be copied as a file");
    assert!(
        !dst.exists(),
        "the copy failed, so the destination file must be removed: a half-made copy would look \
         like a good one"
    );
    // What reading a folder gives (`IsADirectory` on Linux): the copy's error keeps that kind.
    let read_error = fs::File::open(&src)
        .and_then(|mut folder| folder.read(&mut [0; 1]))
        .expect_err("reading a folder fails");
    let message = error.to_string();
    assert!(
        error.kind() == read_error.kind()
            && message.contains(&src.display().to_string())
            && message.contains(&dst.display().to_string()),
        "an error during the copy may come from either side, so it names both files, such as \
         `cannot copy SRC to DST: ...`, and keeps the kind of the error it wraps ({:?}); it \
         says `{message}` ({:?})",
        read_error.kind(),
        error.kind()
    );
}
