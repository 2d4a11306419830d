//! Reads nextest's JUnit report: one `<testcase>` per test, keyed by test binary and name.
//!
//! nextest runs each test in its own process and judges it by how that process ended, so the
//! report says what the *runner* saw. A test that prints "test result: ok" and then fails still
//! fails here.

use super::limits;
use anyhow::{Context, Result};
use course_core::runner::Outcome;
use quick_xml::events::{BytesStart, Event};
use std::time::Duration;

/// One `<testcase>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The test binary's id: `package::target` for an integration test.
    pub binary: String,
    /// The test's name inside the binary.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// nextest's one-line reason for a failure (`test failure with exit code 101`, ...).
    pub kind: String,
    /// What the test printed (stdout and stderr), when it failed.
    pub output: String,
    /// How long it ran.
    pub time: Duration,
}

impl Case {
    /// Whether nextest stopped the test from outside (SIGTERM), as it does to the tests still
    /// running when the whole run's time is up.
    pub fn stopped(&self) -> bool {
        self.outcome == Outcome::Crashed
            && (self.kind.contains("SIGTERM") || self.kind.contains("signal 15"))
    }

    /// The message a student sees: the test's own failure text, cut down to a few KiB
    /// ([`limits::clip`]), with a plain reason for timeouts and faked exits. `limit` is the
    /// test's time limit.
    pub fn message(&self, limit: Duration) -> String {
        match self.outcome {
            Outcome::Passed => String::new(),
            Outcome::TimedOut => format!(
                "did not finish within its limit of {} s (an endless loop, or a deadlock: is something waiting for itself?)",
                limit.as_secs()
            ),
            Outcome::Ignored => "marked #[ignore], so it never ran".to_owned(),
            _ if self
                .kind
                .contains(&format!("exit code {}", super::sandbox::EARLY_EXIT)) =>
            {
                "the test process ended itself with status 0 before the test finished \
                 (std::process::exit inside the code under test?): that is a failure"
                    .to_owned()
            }
            _ => {
                let text = failure_text(&self.output, &self.name);
                limits::clip(if text.is_empty() { &self.kind } else { &text })
            }
        }
    }
}

/// The part of a failed test's output that explains the failure: from the panic on (or the last
/// 12 lines when nothing panicked), without libtest's framing. [`Case::message`] cuts it down.
pub fn failure_text(output: &str, name: &str) -> String {
    let framing = |l: &str| {
        let t = l.trim();
        t.is_empty()
            || t.starts_with("running ")
            || t == "failures:"
            || t == name
            || t.starts_with("test result:")
            || (t.starts_with("test ") && (t.ends_with("... FAILED") || t.ends_with("... ok")))
            || t.starts_with("note: run with `RUST_BACKTRACE=1`")
            || (t.starts_with("---- ") && t.ends_with(" stdout ----"))
    };
    let lines: Vec<&str> = output.lines().filter(|l| !framing(l)).collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("thread '") && l.contains("panicked at"))
        .unwrap_or(lines.len().saturating_sub(12));
    lines[start..].join("\n").trim().to_owned()
}

/// Parses a JUnit report written by nextest.
pub fn parse(xml: &str) -> Result<Vec<Case>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases = Vec::new();
    let mut current: Option<Case> = None;
    // The element whose text we are collecting: failure/error text or system-out/err.
    let mut collecting = false;
    loop {
        let event = reader.read_event().with_context(|| {
            format!(
                "the JUnit report is not valid XML at byte {}",
                reader.buffer_position()
            )
        })?;
        let (element, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = element {
            if e.name().as_ref() == b"testcase" {
                let case = Case {
                    binary: attr(e, b"classname")?,
                    name: attr(e, b"name")?,
                    outcome: Outcome::Passed,
                    kind: String::new(),
                    output: String::new(),
                    time: Duration::from_secs_f64(
                        attr(e, b"time")?.parse::<f64>().unwrap_or(0.0).max(0.0),
                    ),
                };
                if empty {
                    cases.push(case);
                } else {
                    current = Some(case);
                }
            } else if let Some(case) = current.as_mut() {
                match e.name().as_ref() {
                    b"failure" | b"error" => {
                        let kind = attr(e, b"type")?;
                        let message = attr(e, b"message")?;
                        case.outcome = outcome_of(&format!("{kind} {message}"));
                        case.kind = if message.is_empty() { kind } else { message };
                        collecting = !empty;
                    }
                    b"skipped" => case.outcome = Outcome::Ignored,
                    b"system-out" | b"system-err" => collecting = !empty,
                    _ => {}
                }
            }
            continue;
        }
        match event {
            Event::Text(t) if collecting => {
                if let Some(case) = current.as_mut() {
                    case.output.push_str(&t.decode().unwrap_or_default());
                }
            }
            Event::GeneralRef(r) if collecting => {
                if let Some(case) = current.as_mut() {
                    let text = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => match r.decode().unwrap_or_default().as_ref() {
                            "lt" => "<".to_owned(),
                            "gt" => ">".to_owned(),
                            "amp" => "&".to_owned(),
                            "quot" => "\"".to_owned(),
                            "apos" => "'".to_owned(),
                            other => format!("&{other};"),
                        },
                    };
                    case.output.push_str(&text);
                }
            }
            Event::CData(t) if collecting => {
                if let Some(case) = current.as_mut() {
                    case.output.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"testcase" => cases.extend(current.take()),
                _ => {
                    if collecting {
                        if let Some(case) = current.as_mut()
                            && !case.output.ends_with('\n')
                            && !case.output.is_empty()
                        {
                            case.output.push('\n');
                        }
                        collecting = false;
                    }
                }
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(cases)
}

/// A failure's outcome from nextest's words for it.
fn outcome_of(words: &str) -> Outcome {
    let words = words.to_lowercase();
    if words.contains("timeout") || words.contains("timed out") {
        Outcome::TimedOut
    } else if words.contains("signal")
        || words.contains("abort")
        || words.contains(&format!("exit code {}", super::sandbox::EARLY_EXIT))
    {
        Outcome::Crashed
    } else {
        Outcome::Failed
    }
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Result<String> {
    for a in e.attributes() {
        let a = a.context("a malformed attribute in the JUnit report")?;
        if a.key.as_ref() == name {
            return Ok(a
                .unescape_value()
                .context("a malformed attribute value in the JUnit report")?
                .into_owned());
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_passes_failures_timeouts_and_skips() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="nextest-run" tests="4" failures="2" errors="0">
  <testsuite name="pools::copy_dir" tests="4" disabled="0" errors="0" failures="2">
    <testcase name="copies" classname="pools::copy_dir" timestamp="x" time="0.1">
    </testcase>
    <testcase name="fails" classname="pools::copy_dir" time="0.1">
      <failure type="test failure with exit code 101">thread 'fails' panicked</failure>
      <system-out>
running 1 test
test fails ... FAILED

failures:

---- fails stdout ----

thread 'fails' panicked at src/lib.rs:1:1:
not yet implemented
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

failures:
    fails

test result: FAILED. 0 passed; 1 failed
</system-out>
    </testcase>
    <testcase name="hangs" classname="pools::copy_dir" time="5">
      <failure type="test timeout"/>
    </testcase>
    <testcase name="cheats" classname="pools::copy_dir" time="0.1">
      <failure type="test failure with exit code 97"/>
    </testcase>
    <testcase name="later" classname="pools::copy_dir" time="0"><skipped/></testcase>
  </testsuite>
</testsuites>"#;
        let cases = parse(xml).unwrap();
        let got: Vec<(&str, Outcome)> =
            cases.iter().map(|c| (c.name.as_str(), c.outcome)).collect();
        assert_eq!(
            got,
            [
                ("copies", Outcome::Passed),
                ("fails", Outcome::Failed),
                ("hangs", Outcome::TimedOut),
                ("cheats", Outcome::Crashed),
                ("later", Outcome::Ignored),
            ]
        );
        assert!(cases.iter().all(|c| c.binary == "pools::copy_dir"));
        let t = Duration::from_secs(5);
        assert_eq!(
            cases[1].message(t),
            "thread 'fails' panicked at src/lib.rs:1:1:\nnot yet implemented"
        );
        assert!(cases[2].message(t).contains("limit of 5 s"));
        assert!(cases[3].message(t).contains("std::process::exit"));
    }
}
