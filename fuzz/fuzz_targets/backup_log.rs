//! Any bytes as a backup job's log (`wbadmin get versions`): its versions are read, oldest
//! first and each once, or the problem is named; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = mamori_ingest::backup_log::wbadmin_versions(data) {
        assert!(!v.is_empty());
        assert!(v.windows(2).all(|w| w[0] < w[1]));
    }
});
