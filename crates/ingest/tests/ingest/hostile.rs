//! Every file of the hostile corpus (`scripts/hostile-corpus.py`: zip bombs, absurd cell
//! references, declared counts that lie, repeated ODS rows, deep XML, million-column CSV,
//! truncated archives…) is refused by its parser with a problem that says what went over
//! which limit — never a crash, never an import. Peak memory and time per file are measured
//! by `mamori-bench hostile` in processes of their own.

use std::path::{Path, PathBuf};
use std::process::Command;

use ingest::budget::{Exceeded, Meter};
use ingest::table::FileProblem;

/// The corpus, built once per version of the script (≈ 25 s) under cargo's temporary
/// directory for integration tests.
pub fn corpus() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("scripts/hostile-corpus.py");
    let text = std::fs::read(&script).unwrap();
    let stamp = format!(
        "{:x}",
        text.len() as u64 * 31 + text.iter().map(|&b| b as u64).sum::<u64>()
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{stamp}"));
    if !dir.join("MANIFEST.tsv").exists() {
        let status = Command::new("python3")
            .arg(&script)
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "hostile-corpus.py failed");
    }
    dir
}

fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no {prefix} files in the corpus");
    out
}

struct Discard;

impl ingest::table::RowSink for Discard {
    fn sheet(&mut self, _: &str) {}
    fn row(&mut self, _: usize, _: Vec<ingest::table::Cell>) {}
    fn end_sheet(&mut self) {}
}

fn read_sheet(path: &Path) -> Result<(), FileProblem> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    ingest::table::stream(&bytes, &name, &mut Meter::standard(), &mut Discard)
}

#[test]
fn hostile_workbooks_are_refused_for_what_they_are() {
    let dir = corpus();
    type Expected = fn(&FileProblem) -> bool;
    let expect: &[(&str, Expected)] = &[
        ("xlsx-shared-strings-count", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Declared { .. }))
        }),
        ("xlsx-absurd-column", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Column { .. }))
        }),
        ("xlsx-far-row", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Row { .. }))
        }),
        ("xlsx-deflate-bomb", |p| {
            matches!(
                p,
                FileProblem::Budget(Exceeded::Unpacked { .. } | Exceeded::Ratio { .. })
            )
        }),
        ("xlsx-lying-size", |p| {
            matches!(p, FileProblem::Workbook { .. })
        }),
        ("xlsx-deep-xml", |p| {
            matches!(
                p,
                FileProblem::Budget(Exceeded::Depth { .. } | Exceeded::Ratio { .. })
            )
        }),
        ("xlsx-many-cells", |p| {
            matches!(
                p,
                FileProblem::Budget(Exceeded::Cells { .. } | Exceeded::Ratio { .. })
            )
        }),
        ("xlsx-many-entries", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Entries { .. }))
        }),
        ("xlsx-truncated", |p| {
            matches!(
                p,
                FileProblem::NotASpreadsheet | FileProblem::Workbook { .. }
            )
        }),
        ("xlsx-huge-string", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Ratio { .. }))
        }),
        ("xlsx-styles-bomb", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Ratio { .. }))
        }),
        ("ods-repeated-rows", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Cells { .. }))
        }),
        ("ods-repeated-columns", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Cells { .. }))
        }),
        ("ods-deep-xml", |p| {
            matches!(
                p,
                FileProblem::Budget(Exceeded::Depth { .. } | Exceeded::Ratio { .. })
            )
        }),
        ("xls-dimensions", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Declared { .. }))
        }),
        ("csv-million-columns", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Column { .. }))
        }),
        ("csv-binary", |p| matches!(p, FileProblem::NotASpreadsheet)),
        ("xls-sparse-cells", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Declared { .. }))
        }),
        ("xls-mini-stream", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Declared { .. }))
        }),
        ("xls-many-boundsheets", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Declared { .. }))
        }),
        ("ods-many-tables", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Cells { .. }))
        }),
        ("ods-escaped-repeat", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Cells { .. }))
        }),
        ("ods-truncated-content", |p| {
            matches!(p, FileProblem::Workbook { .. })
        }),
        ("xlsx-sharedstrings-case", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Declared { .. }))
        }),
        ("xlsx-decoy-shared-strings", |p| {
            matches!(p, FileProblem::Budget(Exceeded::Declared { .. }))
        }),
        ("xlsb-workbook", |p| matches!(p, FileProblem::Xlsb)),
    ];
    for (name, ok) in expect {
        let path = files(&dir, name).remove(0);
        let got = read_sheet(&path);
        assert!(
            got.as_ref().is_err_and(ok),
            "{name}: refused for another reason or read: {got:?}"
        );
    }
}

#[test]
fn a_reader_that_fails_inside_refuses_the_file() {
    // Found by fuzzing: calamine indexes a name record of this .xls without checking it.
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/hostile/fuzz-xls-lbl-panic.xls");
    assert_eq!(read_sheet(&path), Err(FileProblem::ReaderFailed));
}

#[test]
fn files_that_merely_look_odd_are_read_within_the_budget() {
    let dir = corpus();
    // A merge over the whole sheet, 200,000 small merges and a real .xls: read, bounded.
    for name in ["xlsx-huge-merge", "xlsx-many-merges", "xls-valid"] {
        let path = files(&dir, name).remove(0);
        assert_eq!(read_sheet(&path), Ok(()), "{name}");
    }
}

#[test]
fn ledgers_with_endless_bad_rows_stop_at_the_problem_budget() {
    let dir = corpus();
    for name in ["csv-many-rows", "csv-huge-field", "csv-unclosed-quote"] {
        let path = files(&dir, name).remove(0);
        let bytes = std::fs::read(&path).unwrap();
        let read = ingest::ledger::read_file(
            &bytes,
            name,
            &|id: &str| vec![id.to_string()],
            &mut Meter::standard(),
            |_| panic!("{name}: no row of a wrong file is handed on"),
        );
        match read {
            Err(ingest::ledger::Unreadable::Rows(p)) => {
                assert!(
                    p.len() <= ingest::budget::Budget::DEFAULT.problems + 1,
                    "{name}"
                )
            }
            Err(ingest::ledger::Unreadable::File(_)) => {}
            Ok(_) => panic!("{name} was read as a ledger"),
        }
    }
}

#[test]
fn hostile_feeds_and_scans_are_refused() {
    let dir = corpus();
    for path in files(&dir, "nvd-") {
        let bytes = std::fs::read(&path).unwrap();
        let got = ingest::unpack::unpack(bytes).map(|b| b.len());
        assert!(
            matches!(got, Err(ingest::unpack::UnpackProblem::Ratio { .. })),
            "{path:?}: {got:?}"
        );
    }
    let kev = std::fs::read(files(&dir, "kev-deep").remove(0)).unwrap();
    assert!(ingest::kev::parse(&kev).is_err());
    let deep = std::fs::read(files(&dir, "nmap-deep").remove(0)).unwrap();
    assert!(matches!(
        ingest::nmap::parse(&deep),
        Err(ingest::nmap::NmapProblem::Budget(Exceeded::Depth { .. }))
    ));
    // Entities declared in a DOCTYPE are never expanded: the billion laughs stay ten.
    let laughs = std::fs::read(files(&dir, "nmap-billion-laughs").remove(0)).unwrap();
    if let Ok(scan) = ingest::nmap::parse(&laughs) {
        assert!(scan.hosts.len() <= 1 && format!("{scan:?}").len() < 10_000);
    }
    let jvn = std::fs::read(files(&dir, "jvn-").remove(0)).unwrap();
    if let Ok(entries) = ingest::jvn::parse(&jvn) {
        assert!(format!("{entries:?}").len() < 10_000);
    }
}
