//! Exercise `thread_pool`: `thread_pool::map` runs jobs on a pool of threads made by hand.
//!
//! The tests are the pools' shared contract (`tests/common/contract.rs`), which
//! `tests/rayon_pool.rs` runs against rayon as well. They never sleep and never time anything:
//! the jobs meet at a gate with a timeout to prove that 5 of them run at once, count themselves
//! with atomics to prove that no more than 5 do, and record the names of the threads they ran on.

mod common;

common::contract::contract_tests!(pools::thread_pool::map);
