//! Any bytes as a device's software list (an uninstall-list CSV in UTF-8, UTF-16 or
//! Shift_JIS, or `winget list` text): a list or a problem naming the line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = mamori_ingest::software::parse(data, "software.csv");
    let _ = mamori_ingest::software::parse(data, "winget.txt");
});
