//! Any bytes as a ledger file (CSV in any encoding, or a zip that may be an xlsx/ods): reading
//! and checking — devices, ways in and vendors — must return rows or problems, never panic or
//! hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The Japanese labels the ways-in and vendor sheets are recognised by (a fixed sample of
/// the locale's; the fuzzer only needs some words to match).
fn words(id: &str) -> Vec<String> {
    let w = match id {
        "field-connection-name" => "入口の名前",
        "field-connection-kind" => "入口の種類",
        "conn-device" => "入口の機器",
        "field-vendor-name" => "事業者名",
        "vendor-phone" => "夜間・休日の連絡先",
        "conn-kind-other" => "その他",
        "availability-always-on" => "常時接続",
        _ => id,
    };
    vec![w.to_string()]
}

fuzz_target!(|data: &[u8]| {
    // A panic inside a workbook reader is caught and refused by `table::stream`; without a
    // quiet hook libFuzzer's own would abort at the panic, before it is caught. A panic that
    // escapes the parser still fails the run.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    for name in ["ledger.csv", "ledger.xlsx"] {
        // As an import reads it (streamed), and as whole sheets: the same devices.
        let mut streamed = Vec::new();
        let read = mamori_ingest::ledger::read_file(data, name, &words, &mut mamori_ingest::budget::Meter::standard(), |b| streamed.extend(b));
        if let Ok(sheets) = mamori_ingest::table::read(data, name) {
            let whole = mamori_ingest::ledger::parse_with(&sheets, &words);
            if let (Ok(_), Ok(w)) = (&read, &whole) {
                assert_eq!(streamed, w.rows, "streamed and whole reads differ");
            }
        }
    }
});
