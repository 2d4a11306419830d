//! nextest's configuration for one grading run, as typed values written with `toml`.
//!
//! Every test runs (no fail-fast, no retries), each with a time limit of its own (an override per
//! test, from the reference's time for it), the whole run within the student's budget
//! (`global-timeout`), and the JUnit report keeps the output of failures only: the grader reads
//! the verdicts from it, never from what the tests print.

use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The profile the grader runs.
pub const PROFILE: &str = "grade";

/// Where nextest writes the JUnit report, under the store: `<store>/<profile>/<JUNIT>`.
pub const JUNIT: &str = "junit.xml";

/// A grace period between nextest's SIGTERM to a test that ran too long and its SIGKILL.
const GRACE: Duration = Duration::from_secs(1);

/// How long nextest waits for a finished test's leftover child processes.
const LEAK_TIMEOUT: Duration = Duration::from_millis(500);

/// One test's limit: `filter` is a nextest filterset that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The test's binary id (`package::target`).
    pub binary: String,
    /// The test's name in its binary.
    pub name: String,
    /// How long it may run.
    pub limit: Duration,
}

/// What a run is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunLimits {
    /// The limit of a test that has no [`Limit`] of its own.
    pub default: Duration,
    /// Tests with limits of their own.
    pub tests: Vec<Limit>,
    /// The time all tests may take together; none for the reference.
    pub budget: Option<Duration>,
}

impl RunLimits {
    /// The longest any one test may run.
    pub fn longest(&self) -> Duration {
        self.tests
            .iter()
            .map(|t| t.limit)
            .chain([self.default])
            .max()
            .unwrap_or(self.default)
    }

    /// The limit of one test.
    pub fn of(&self, binary: &str, name: &str) -> Duration {
        self.tests
            .iter()
            .find(|t| t.binary == binary && t.name == name)
            .map_or(self.default, |t| t.limit)
    }
}

#[derive(Serialize)]
struct Config {
    store: Store,
    profile: BTreeMap<&'static str, Profile>,
}

#[derive(Serialize)]
struct Store {
    dir: PathBuf,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Profile {
    fail_fast: bool,
    retries: u32,
    slow_timeout: SlowTimeout,
    #[serde(skip_serializing_if = "Option::is_none")]
    global_timeout: Option<String>,
    leak_timeout: String,
    failure_output: &'static str,
    success_output: &'static str,
    junit: Junit,
    overrides: Vec<Override>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SlowTimeout {
    period: String,
    terminate_after: u32,
    grace_period: String,
}

impl SlowTimeout {
    fn killing_after(limit: Duration) -> SlowTimeout {
        SlowTimeout {
            period: millis(limit),
            terminate_after: 1,
            grace_period: millis(GRACE),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Junit {
    path: &'static str,
    store_success_output: bool,
    store_failure_output: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Override {
    filter: String,
    slow_timeout: SlowTimeout,
}

/// A duration as nextest reads it (`1500ms`).
fn millis(d: Duration) -> String {
    format!("{}ms", d.as_millis().max(1))
}

/// The configuration file's text for a run that keeps its results under `store`.
pub fn config(store: &Path, limits: &RunLimits) -> Result<String> {
    let overrides = limits
        .tests
        .iter()
        .filter(|t| t.limit != limits.default)
        .map(|t| Override {
            filter: format!("binary_id({}) & test(={})", t.binary, t.name),
            slow_timeout: SlowTimeout::killing_after(t.limit),
        })
        .collect();
    let profile = Profile {
        fail_fast: false,
        retries: 0,
        slow_timeout: SlowTimeout::killing_after(limits.default),
        global_timeout: limits.budget.map(millis),
        leak_timeout: millis(LEAK_TIMEOUT),
        failure_output: "never",
        success_output: "never",
        junit: Junit {
            path: JUNIT,
            store_success_output: false,
            store_failure_output: true,
        },
        overrides,
    };
    let config = Config {
        store: Store {
            dir: store.to_owned(),
        },
        profile: BTreeMap::from([(PROFILE, profile)]),
    };
    toml::to_string(&config).context("cannot write nextest's configuration")
}

/// Where the JUnit report of a run with this store is.
pub fn junit_path(store: &Path) -> PathBuf {
    store.join(PROFILE).join(JUNIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_has_a_limit_per_test_and_the_budget() {
        let limits = RunLimits {
            default: Duration::from_secs(15),
            tests: vec![
                Limit {
                    binary: "pools::copy_dir".into(),
                    name: "copies_nested".into(),
                    limit: Duration::from_secs(40),
                },
                Limit {
                    binary: "pools::copy_dir".into(),
                    name: "fast".into(),
                    limit: Duration::from_secs(15),
                },
            ],
            budget: Some(Duration::from_secs(30)),
        };
        let text = config(Path::new("/w/store"), &limits).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let profile = &doc["profile"]["grade"];
        assert_eq!(doc["store"]["dir"].as_str(), Some("/w/store"));
        assert_eq!(profile["global-timeout"].as_str(), Some("30000ms"));
        assert_eq!(profile["slow-timeout"]["period"].as_str(), Some("15000ms"));
        assert_eq!(
            profile["slow-timeout"]["terminate-after"].as_integer(),
            Some(1)
        );
        let overrides = profile["overrides"].as_array().unwrap();
        assert_eq!(overrides.len(), 1, "only limits that differ: {text}");
        assert_eq!(
            overrides[0]["filter"].as_str(),
            Some("binary_id(pools::copy_dir) & test(=copies_nested)")
        );
        assert_eq!(
            overrides[0]["slow-timeout"]["period"].as_str(),
            Some("40000ms")
        );
        assert_eq!(profile["junit"]["path"].as_str(), Some(JUNIT));
        assert_eq!(limits.longest(), Duration::from_secs(40));
        assert_eq!(
            limits.of("pools::copy_dir", "other"),
            Duration::from_secs(15)
        );
    }

    #[test]
    fn the_reference_run_has_no_budget() {
        let limits = RunLimits {
            default: Duration::from_secs(60),
            tests: Vec::new(),
            budget: None,
        };
        let text = config(Path::new("/s"), &limits).unwrap();
        assert!(!text.contains("global-timeout"), "{text}");
    }
}
