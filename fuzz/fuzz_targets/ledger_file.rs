//! Any bytes as a ledger file (CSV in any encoding, or a zip that may be an xlsx/ods): reading
//! and checking must return rows or problems, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["ledger.csv", "ledger.xlsx"] {
        if let Ok(sheets) = mamori_ingest::table::read(data, name) {
            let _ = mamori_ingest::ledger::parse(&sheets);
        }
    }
});
