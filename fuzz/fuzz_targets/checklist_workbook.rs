//! Any bytes as the MHLW checklist workbook (a CSV or a zip that may be an xlsx): its items
//! are read and matched to the shipped 令和8年度版, or the problem is named; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A panic inside a workbook reader is caught and refused by `table::stream`; without a
    // quiet hook libFuzzer's own would abort at the panic, before it is caught.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let base = mamori_domain::checklist::versions().pop();
    for name in ["checklist.csv", "checklist.xlsx"] {
        if let (Ok(read), Some(base)) = (mamori_ingest::checklist_sheet::read(data, name, false), &base) {
            assert!(!read.items.is_empty());
            if let Ok(v) = mamori_domain::checklist::workbook::from_sheet(
                base,
                read.title.as_deref(),
                &read.items,
            ) {
                assert_eq!(v.items.len(), read.items.len());
            }
        }
    }
});
