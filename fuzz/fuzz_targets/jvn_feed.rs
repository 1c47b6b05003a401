//! Any bytes as a JVN iPedia file (VULDEF or JVNRSS XML, OKA JSON), and every affected
//! version text read as a constraint.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = mamori_ingest::jvn::parse(data) {
        for e in &entries {
            for a in &e.affected {
                for v in &a.versions {
                    let _ = mamori_domain::jvn::constraint(v);
                }
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = mamori_domain::jvn::constraint(text);
    }
});
