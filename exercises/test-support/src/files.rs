//! Test files and folder listings for snapshots.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The 64-bit FNV-1a hash of `bytes`: a checksum that is the same on every machine and every
/// Rust version (unlike `DefaultHasher`), so it can go into a committed snapshot.
pub fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// One line per file in `dir` (not recursive), sorted by name: `name length checksum`.
///
/// A snapshot of this listing proves every file arrived, byte for byte, whatever order the
/// workers wrote them in. Subfolders are listed as `name/`.
///
/// # Panics
///
/// If `dir` cannot be read; this is for tests, where that is a failure anyway.
pub fn listing(dir: &Path) -> String {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .collect();
    entries.sort();
    let mut out = String::new();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            writeln!(out, "{name}/").unwrap();
        } else {
            let bytes =
                fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            writeln!(out, "{name} {} {:016x}", bytes.len(), checksum(&bytes)).unwrap();
        }
    }
    out
}

/// `len` bytes that look random but are the same for the same `seed` on every run (xorshift64).
pub fn sample_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_fnv1a() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(checksum(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(checksum(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn sample_bytes_repeat_for_a_seed_and_differ_between_seeds() {
        assert_eq!(sample_bytes(7, 100), sample_bytes(7, 100));
        assert_ne!(sample_bytes(7, 100), sample_bytes(8, 100));
        assert_eq!(sample_bytes(7, 0), Vec::<u8>::new());
    }
}
