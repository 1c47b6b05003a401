//! Any text as a backup's record (`sha256sum`'s format): it reads or every bad line is named,
//! never a panic; what reads prints and reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(m) = mamori_domain::backup::Manifest::parse(text)
    {
        assert_eq!(
            mamori_domain::backup::Manifest::parse(&m.to_text()).ok(),
            Some(m)
        );
    }
});
