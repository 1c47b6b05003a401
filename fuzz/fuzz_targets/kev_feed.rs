//! Any bytes as a KEV catalog (JSON or CSV).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = mamori_ingest::kev::parse(data);
});
