//! Any bytes as NVD's CPE dictionary (a JSON page, or a tar or zip of pages, plain or
//! packed): a dictionary or a problem, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if mamori_ingest::cpe::is_dictionary(data) {
        let _ = mamori_ingest::cpe::parse(data);
    }
    let _ = mamori_ingest::cpe::parse(data);
});
