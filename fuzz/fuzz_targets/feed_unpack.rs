//! Any bytes as a feed file (plain, gzip or xz): unpacking within a small budget must give
//! bytes no larger than the budget, or a problem — never a panic, a hang or an allocation
//! past the budget.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::budget::Budget;

fuzz_target!(|data: &[u8]| {
    let budget = Budget {
        unpacked_bytes: 1 << 20,
        ratio: 100,
        ..Budget::FEED
    };
    if let Ok(out) = mamori_ingest::unpack::unpack_within(data.to_vec(), &budget) {
        assert!(out.len() as u64 <= budget.unpacked_bytes.max(data.len() as u64));
    }
});
