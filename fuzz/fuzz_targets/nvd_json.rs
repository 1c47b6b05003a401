//! Any bytes as NVD CVE API 2.0 JSON; what parses is evaluated against a FortiOS device.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_domain::nvd::{Target, evaluate};
use mamori_domain::version::Scheme;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = mamori_ingest::nvd::parse(data) {
        let t = Target::new("fortinet", "fortios", Some("7.0.12"), Scheme::FortiOs);
        for cve in &list {
            let _ = evaluate(cve, &t);
        }
    }
});
