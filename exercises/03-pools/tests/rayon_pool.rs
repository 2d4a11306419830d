//! Exercise `rayon_pool`: the same contract as the hand-made pool, kept by rayon twice over.
//!
//! `rayon_pool::map` (`install` and a parallel iterator, like Python's `Pool.map`) and
//! `rayon_pool::map_with_scope` (`scope` and one `spawn` per job, like `apply_async`, `close`
//! and `join`) each run the pools' shared contract from `tests/common/contract.rs`: the tests
//! are named `install::...` and `scope::...`.

mod common;

mod install {
    crate::common::contract::contract_tests!(pools::rayon_pool::map);
}

mod scope {
    crate::common::contract::contract_tests!(pools::rayon_pool::map_with_scope);
}
