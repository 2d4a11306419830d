//! Every limit the grader applies, named in one place (time, resources, submission sizes,
//! feedback), and the rules that derive a limit from the reference solution.
//!
//! In a concurrency course the commonest wrong answer is a deadlock, so a submission whose code
//! hangs in every function is the normal case to plan for, not an accident. Three rules keep it
//! from costing the class hours:
//!
//! - **A test's limit comes from the reference's own time** for that test
//!   ([`test_limit`]): twenty times as long, and never under [`MIN_TEST_LIMIT`], which stays
//!   above the tests' own deadlines (their 10 s gates and `within`), so a student whose code
//!   waits for itself reads the test's teaching message, not a bare timeout.
//! - **A student has a budget for all their tests together** ([`budget`]). When it runs out,
//!   nextest stops (its `global-timeout`), and the tests left are failed with the reason "not
//!   run: the submission used up its time".
//! - **Blocked tests do not hold a core.** A deadlocked test sleeps, so a student's tests run
//!   [`TEST_THREADS_PER_CORE`] to a core ([`test_threads`]): the waiting overlaps.

use std::time::Duration;

/// The shortest limit a test gets: above the tests' own 10 s deadlines.
pub const MIN_TEST_LIMIT: Duration = Duration::from_secs(15);

/// A test may take this many times as long as it took on the reference solution.
pub const REFERENCE_FACTOR: u32 = 20;

/// The limit of each test while the reference solution itself is graded (it has no reference
/// time yet); a test of the reference that needs longer is a broken test.
pub const REFERENCE_TEST_LIMIT: Duration = Duration::from_secs(60);

/// The smallest budget a student's whole test run gets.
pub const MIN_BUDGET: Duration = Duration::from_secs(30);

/// A student's whole test run may take this many times as long as the reference's.
pub const BUDGET_FACTOR: u32 = 5;

/// How long one student's build may take.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(600);

/// Test processes per core and student slot: most of a hanging test's time is spent waiting.
pub const TEST_THREADS_PER_CORE: usize = 4;

/// How much of a failure message feedback keeps: its first and last lines, ...
pub const MESSAGE_HEAD_LINES: usize = 8;
/// ... (the last ones) ...
pub const MESSAGE_TAIL_LINES: usize = 4;
/// ... each cut to this many characters ...
pub const MESSAGE_LINE_CHARS: usize = 240;
/// ... and at most this many bytes in all.
pub const MESSAGE_BYTES: usize = 3 * 1024;

/// Processes and threads one student's user id may have at once.
pub const PROCESSES: u64 = 512;
/// Address space of one test or build process, in bytes.
pub const MEMORY_BYTES: u64 = 4 << 30;
/// The largest file one process may write, in bytes.
pub const FILE_BYTES: u64 = 256 << 20;
/// The size of each test's private `/tmp`, in bytes.
pub const TMP_BYTES: u64 = 512 << 20;
/// Output kept from one test process, in bytes; the rest is cut off.
pub const OUTPUT_BYTES: u64 = 256 << 10;

/// The largest `.rs` file of a submission that is taken.
pub const SOURCE_FILE_BYTES: u64 = 1 << 20;
/// The most Rust source, uncompressed, one submission may hold.
pub const SOURCE_BYTES: u64 = 8 << 20;
/// The most `.rs` files one submission may hold.
pub const SOURCE_FILES: usize = 2000;
/// The largest archive accepted, compressed.
pub const ARCHIVE_BYTES: u64 = 64 << 20;

/// The first user id given to students' code; slot `k` runs as `UID_BASE + k`.
pub const UID_BASE: u32 = 61_000;

/// The most students graded at once.
pub const MAX_JOBS: usize = 64;

/// The limit for one test that took `reference` on the reference solution, unless the instructor
/// fixed one with `--timeout`.
pub fn test_limit(reference: Duration, fixed: Option<Duration>) -> Duration {
    fixed.unwrap_or_else(|| (reference * REFERENCE_FACTOR).max(MIN_TEST_LIMIT))
}

/// The time a student's tests may take together, from the reference's whole run.
pub fn budget(reference_run: Duration) -> Duration {
    (reference_run * BUDGET_FACTOR).max(MIN_BUDGET)
}

/// Test processes one student runs at once, with `jobs` students graded side by side on `cores`.
pub fn test_threads(cores: usize, jobs: usize) -> usize {
    (cores * TEST_THREADS_PER_CORE).div_ceil(jobs.max(1)).max(1)
}

/// A failure message cut down for feedback: the first [`MESSAGE_HEAD_LINES`] and the last
/// [`MESSAGE_TAIL_LINES`] lines, each at most [`MESSAGE_LINE_CHARS`] characters, at most
/// [`MESSAGE_BYTES`] in all, with a line that says how much was left out.
pub fn clip(message: &str) -> String {
    let lines: Vec<&str> = message.lines().collect();
    let cut_line = |l: &str| -> (String, bool) {
        match l.char_indices().nth(MESSAGE_LINE_CHARS) {
            Some((at, _)) => (format!("{} [...]", &l[..at]), true),
            None => (l.to_owned(), false),
        }
    };
    let keep = MESSAGE_HEAD_LINES + MESSAGE_TAIL_LINES;
    let (head, tail): (&[&str], &[&str]) = if lines.len() > keep {
        (
            &lines[..MESSAGE_HEAD_LINES],
            &lines[lines.len() - MESSAGE_TAIL_LINES..],
        )
    } else {
        (&lines, &[])
    };
    let mut out = String::new();
    let mut shortened = false;
    for l in head {
        let (l, cut) = cut_line(l);
        shortened |= cut;
        push_within(&mut out, &l, &mut shortened);
    }
    if !tail.is_empty() {
        let left_out = lines.len() - keep;
        push_within(
            &mut out,
            &format!("[... {left_out} lines left out ...]"),
            &mut shortened,
        );
        for l in tail {
            let (l, cut) = cut_line(l);
            shortened |= cut;
            push_within(&mut out, &l, &mut shortened);
        }
    }
    if shortened || !tail.is_empty() {
        out.push_str(&format!(
            "\n[the message was {} bytes in {} lines; feedback keeps at most {MESSAGE_BYTES}]",
            message.len(),
            lines.len()
        ));
    }
    out
}

/// Appends `line` if it fits in [`MESSAGE_BYTES`]; notes that it did not.
fn push_within(out: &mut String, line: &str, shortened: &mut bool) {
    if out.len() + line.len() + 1 > MESSAGE_BYTES {
        *shortened = true;
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_limit_is_twenty_times_the_reference_and_at_least_the_floor() {
        let ms = Duration::from_millis;
        assert_eq!(test_limit(ms(10), None), MIN_TEST_LIMIT);
        assert_eq!(test_limit(ms(2_000), None), Duration::from_secs(40));
        assert_eq!(
            test_limit(ms(2_000), Some(Duration::from_secs(3))),
            Duration::from_secs(3),
            "--timeout wins"
        );
        assert!(
            MIN_TEST_LIMIT > Duration::from_secs(10),
            "above the tests' own deadlines"
        );
    }

    #[test]
    fn the_budget_and_the_threads_scale() {
        assert_eq!(budget(Duration::from_secs(1)), MIN_BUDGET);
        assert_eq!(budget(Duration::from_secs(20)), Duration::from_secs(100));
        assert_eq!(test_threads(2, 2), 4);
        assert_eq!(test_threads(2, 1), 8);
        assert_eq!(test_threads(1, 64), 1);
    }

    #[test]
    fn a_short_message_is_kept_whole() {
        let m = "thread 't' panicked at tests/x.rs:3:5:\nassertion failed";
        assert_eq!(clip(m), m);
    }

    #[test]
    fn a_flood_keeps_its_first_and_last_lines_and_says_what_was_cut() {
        let lines: Vec<String> = (0..10_000).map(|i| format!("line {i}")).collect();
        let clipped = clip(&lines.join("\n"));
        assert!(clipped.len() <= MESSAGE_BYTES + 200, "{}", clipped.len());
        assert!(clipped.starts_with("line 0\nline 1\n"));
        assert!(clipped.contains("line 9999"), "the last line is kept");
        assert!(clipped.contains("9988 lines left out"), "{clipped}");
        assert!(clipped.contains("bytes in 10000 lines"), "{clipped}");

        let one_long_line = "x".repeat(1 << 20);
        let clipped = clip(&one_long_line);
        assert!(clipped.len() < 400, "{}", clipped.len());
        assert!(clipped.contains("1048576 bytes in 1 lines"), "{clipped}");
    }
}
