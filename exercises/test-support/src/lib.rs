//! Helpers that the chapters' official tests share.
//!
//! Concurrency tests here never sleep to let something happen. They make things happen in an
//! order with gates, channels and atomics, and every wait has a timeout ([`TIMEOUT`]): a wrong
//! implementation (one that runs jobs one by one where they should run together, or one that
//! deadlocks) fails with a message after ten seconds ([`within`] allows a whole call
//! [`WITHIN_GRACE`] more, so that the wait inside it speaks first) instead of hanging the test run.
//!
//! - [`Gate`]: threads in one process wait until `n` of them are there.
//! - [`NetGate`]: the same for *processes*, over a socket on 127.0.0.1.
//! - [`output_within`] and [`within`]: run a command or a closure with a time limit.
//! - [`checksum`], [`listing`] and [`sample_bytes`]: make test files and describe folders.
//! - [`cpu_model`]: the machine a benchmark ran on, for its report; [`bench`]: the median and
//!   the exit status the benchmarks share.
//! - [`Site`]: a deterministic fixture website on 127.0.0.1 for the crawler, with faults, a gate
//!   and counters.
//!
//! You do not need to change anything here; reading it is a good way to see how the tests work.

use std::time::Duration;

pub mod bench;
mod files;
mod gate;
mod machine;
mod net_gate;
mod run;
mod site;

pub use files::{checksum, listing, sample_bytes};
pub use gate::{Deadline, Gate};
pub use machine::{cpu_model, machine, run_python_script};
pub use net_gate::NetGate;
pub use run::{CALLER, WITHIN_GRACE, output_within, within};
pub use site::{Fault, ListedQuote, Site, SiteConfig};

/// How long a test waits for other threads or processes before it gives up and fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);
