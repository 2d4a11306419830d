//! What the chapters' benchmarks share besides the machine: the median they report, and the
//! way their `main` ends.

use std::process::ExitCode;
use std::time::Duration;

/// The middle one of `times` once sorted (of an even number, the upper of the two middle ones).
///
/// # Panics
///
/// If `times` is empty: a benchmark always times at least one run.
pub fn median(mut times: Vec<Duration>) -> Duration {
    assert!(!times.is_empty(), "a median of no runs");
    times.sort();
    times[times.len() / 2]
}

/// A benchmark's exit status: success, or the error printed on stderr and a failure.
pub fn exit_status(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_of_the_sorted_times() {
        let ms = |n| Duration::from_millis(n);
        assert_eq!(median(vec![ms(9), ms(1), ms(5)]), ms(5));
        assert_eq!(median(vec![ms(4), ms(1), ms(3), ms(2)]), ms(3));
        assert_eq!(median(vec![ms(7)]), ms(7));
    }
}
