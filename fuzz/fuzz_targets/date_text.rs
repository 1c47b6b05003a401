//! Any text as a date: parsing never panics, and what parses prints and parses back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(date) = mamori_domain::Date::parse(text)
        && (1000..=9999).contains(&date.year())
    {
        assert_eq!(mamori_domain::Date::parse(&date.to_string()), Ok(date));
    }
});
