//! A gate for processes: [`Gate`](crate::Gate), but over TCP on 127.0.0.1.
//!
//! Atomics and barriers live in one process's memory, so they cannot count child processes.
//! A socket can. Each job that wants to be counted connects to the gate and holds its connection
//! for as long as it runs; the gate counts the open connections.
//!
//! The protocol, one byte at a time, as the crates' worker roles speak it:
//!
//! 1. The job connects and reads one byte. The gate sends `g` ("go") once `parties` connections
//!    are open at the same time, and at once to every connection after that. If that does not
//!    happen within [`TIMEOUT`](crate::TIMEOUT), the gate breaks: it closes every connection,
//!    so each waiting job reads end-of-file instead of `g` and can fail.
//! 2. When the job is done it writes `d` and reads one byte. The gate counts the connection as
//!    closed and then answers `a`, so a worker cannot start its next job (and connect again)
//!    before the gate has counted the last one as finished. That makes [`NetGate::peak`] exact.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

use crate::TIMEOUT;

/// A cross-process gate that opens when `parties` connections are open at once.
///
/// It also records the most connections that were ever open at once ([`NetGate::peak`]), which
/// proves an upper bound on how many jobs ran at the same time. Dropping it closes everything.
pub struct NetGate {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

struct Shared {
    parties: usize,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    open: usize,
    peak: usize,
    total: usize,
    opened: bool,
    broken: bool,
    closing: bool,
    /// Connections waiting for `g`.
    waiting: Vec<TcpStream>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl NetGate {
    /// Starts a gate for `parties` connections on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// If it cannot listen on 127.0.0.1.
    pub fn start(parties: usize) -> NetGate {
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen on 127.0.0.1");
        let addr = listener.local_addr().expect("the listener's address");
        let shared = Arc::new(Shared {
            parties,
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let accepting = Arc::clone(&shared);
        thread::spawn(move || accept_loop(&listener, &accepting));
        let timing = Arc::clone(&shared);
        thread::spawn(move || break_on_timeout(&timing));
        NetGate { addr, shared }
    }

    /// The address to give the jobs, such as `127.0.0.1:40123`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until the gate opens or breaks, and says whether it opened.
    pub fn wait_opened(&self) -> bool {
        let state = self.shared.lock();
        let state = self
            .shared
            .changed
            .wait_while(state, |s| !s.opened && !s.broken)
            .unwrap_or_else(PoisonError::into_inner);
        state.opened
    }

    /// Whether `parties` connections were ever open at once.
    pub fn opened(&self) -> bool {
        self.shared.lock().opened
    }

    /// The most connections that were open at the same time so far.
    pub fn peak(&self) -> usize {
        self.shared.lock().peak
    }

    /// How many connections have been made so far.
    pub fn total(&self) -> usize {
        self.shared.lock().total
    }
}

impl Drop for NetGate {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.closing = true;
        for stream in state.waiting.drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        self.shared.changed.notify_all();
        drop(state);
        // Wake the accept loop so that it sees `closing` and ends.
        let _ = TcpStream::connect(self.addr);
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let mut state = shared.lock();
        if state.closing {
            return;
        }
        state.total += 1;
        state.open += 1;
        state.peak = state.peak.max(state.open);
        let counted = stream.try_clone().ok();
        if state.opened {
            let _ = stream.write_all(b"g");
        } else if state.broken {
            let _ = stream.shutdown(Shutdown::Both);
        } else {
            state.waiting.push(stream);
            if state.open >= shared.parties {
                state.opened = true;
                for mut waiting in state.waiting.drain(..) {
                    let _ = waiting.write_all(b"g");
                }
                shared.changed.notify_all();
            }
        }
        drop(state);
        let shared = Arc::clone(shared);
        if let Some(stream) = counted {
            thread::spawn(move || count_until_done(stream, &shared));
        }
    }
}

/// Reads the job's `d` (or the end of the connection), counts the connection as closed, then
/// answers `a`.
fn count_until_done(mut stream: TcpStream, shared: &Shared) {
    let mut byte = [0u8; 1];
    let said_done = matches!(stream.read(&mut byte), Ok(1) if byte[0] == b'd');
    shared.lock().open -= 1;
    if said_done {
        let _ = stream.write_all(b"a");
    }
}

fn break_on_timeout(shared: &Shared) {
    let state = shared.lock();
    let (mut state, _) = shared
        .changed
        .wait_timeout_while(state, TIMEOUT, |s| !s.opened && !s.closing)
        .unwrap_or_else(PoisonError::into_inner);
    if !state.opened && !state.closing {
        state.broken = true;
        for stream in state.waiting.drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        shared.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The job's side of the protocol, as the crates' worker roles implement it.
    fn job(addr: SocketAddr) -> bool {
        let mut stream = TcpStream::connect(addr).unwrap();
        let mut byte = [0u8; 1];
        if stream.read(&mut byte).unwrap_or(0) != 1 || byte[0] != b'g' {
            return false;
        }
        stream.write_all(b"d").unwrap();
        stream.read_exact(&mut byte).unwrap();
        byte[0] == b'a'
    }

    #[test]
    fn opens_when_all_parties_are_connected_and_counts_the_peak() {
        let gate = NetGate::start(3);
        let addr = gate.addr();
        let jobs: Vec<_> = (0..3).map(|_| thread::spawn(move || job(addr))).collect();
        assert!(gate.wait_opened());
        for job in jobs {
            assert!(job.join().unwrap());
        }
        // Later jobs pass at once, one at a time, so the peak stays at 3.
        assert!(job(addr));
        assert!(job(addr));
        assert_eq!(gate.peak(), 3);
        assert_eq!(gate.total(), 5);
    }
}
