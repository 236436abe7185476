//! Long runs of the model-based property test: libFuzzer's inputs are replayed as pool
//! operations (init geometry, alloc, free, misuse) and checked against the reference model.
//! `make fuzz` runs it for a bounded time; `cargo +nightly fuzz run pool_ops` without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rtt_mempool::pool::model::run(data);
});
