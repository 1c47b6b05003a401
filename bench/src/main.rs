//! Benchmarks whose figures are ratios against a baseline measured in the same run.
//!
//! `mamori-bench ledger [SIZES]` (release build): for each size, a ledger workbook of that
//! many devices is generated; the baseline is calamine alone reading every cell; the
//! measured path is Mamori's whole import (read, recognise columns, validate every row, plan
//! against the ledger, write every device and its audit record in one SQLite transaction),
//! then a re-import of the same file (all unchanged). Each size runs in its own process so
//! that its peak RSS (VmHWM) is its own.
#![allow(clippy::disallowed_methods)] // Reading the clock is what a benchmark is for.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)] // A tool, not a library.

use std::time::Instant;

mod concurrency;
mod hash;
mod hostile;
mod rows;
mod vulns;

use calamine::Reader;
use domain::{Actor, FacilityKind, NewFacility, Timestamp};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn workbook(rows: usize) -> Vec<u8> {
    workbook_from(0, rows)
}

/// Devices `start .. start + rows` (names and serial numbers follow the number).
fn workbook_from(start: usize, rows: usize) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("機器台帳").unwrap();
    ws.write_string(0, 0, "さくら病院 機器台帳").unwrap();
    let headers = [
        "機器名",
        "種別",
        "設置場所",
        "IPアドレス",
        "MACアドレス",
        "メーカー",
        "型番",
        "OS",
        "バージョン",
        "シリアル番号",
        "保守業者",
        "リモート保守",
        "導入日",
        "備考",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let kinds = ["サーバ", "パソコン", "UTM", "NAS", "PACS", "スイッチ"];
    let date = Format::new().set_num_format("yyyy/mm/dd");
    for (n, i) in (start..start + rows).enumerate() {
        let r = n as u32 + 3;
        ws.write_string(r, 0, format!("端末{i:06}")).unwrap();
        ws.write_string(r, 1, kinds[i % kinds.len()]).unwrap();
        ws.write_string(r, 2, format!("{}階 {}号室", i % 9 + 1, i % 40 + 1))
            .unwrap();
        ws.write_string(
            r,
            3,
            format!("10.{}.{}.{}", i / 65536 % 256, i / 256 % 256, i % 256),
        )
        .unwrap();
        ws.write_string(
            r,
            4,
            format!(
                "00:1a:2b:{:02x}:{:02x}:{:02x}",
                i / 65536 % 256,
                i / 256 % 256,
                i % 256
            ),
        )
        .unwrap();
        ws.write_string(r, 5, "富士通").unwrap();
        ws.write_string(r, 6, "ESPRIMO D7012/K").unwrap();
        ws.write_string(r, 7, "Windows 11 Pro").unwrap();
        ws.write_string(r, 8, "23H2").unwrap();
        ws.write_string(r, 9, format!("SN{i:08}")).unwrap();
        ws.write_string(r, 10, "株式会社さくらメディカルシステム")
            .unwrap();
        ws.write_string(r, 11, if i % 3 == 0 { "あり" } else { "なし" })
            .unwrap();
        ws.write_datetime_with_format(
            r,
            12,
            ExcelDateTime::from_ymd(2020 + (i % 6) as u16, (i % 12) as u8 + 1, 1).unwrap(),
            &date,
        )
        .unwrap();
        ws.write_string(r, 13, "").unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn calamine_read(bytes: &[u8]) -> usize {
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut cells = 0;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        cells += range.used_cells().count();
    }
    cells
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// The whole import, as `mamori import ledger` runs it.
async fn import(
    store: &store::Store,
    scope: &store::FacilityScope,
    bytes: &[u8],
) -> domain::ledger::Summary {
    let imported = service::ledger_file::import(
        store,
        scope,
        &Actor::System("bench".into()),
        Timestamp::from_unix_millis(0),
        "ledger.xlsx",
        bytes.into(),
        false,
        (),
    )
    .await;
    match imported {
        Ok(i) => i.summary,
        Err(e) => panic!("import failed: {e:?}"),
    }
}

/// Which database a benchmark writes to: `sqlite` (a file in a temporary directory) or
/// `postgres` (a new database in the cluster `MAMORI_TEST_PG_URL` names, as the tests use).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn parse(s: Option<&str>) -> Vec<Backend> {
        match s {
            Some("sqlite") => vec![Backend::Sqlite],
            Some("postgres") => vec![Backend::Postgres],
            Some("both") | None => vec![Backend::Sqlite, Backend::Postgres],
            Some(other) => panic!("unknown backend {other}: sqlite, postgres or both"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A migrated store on `backend` with one hospital in it; the returned guard keeps a SQLite
/// file's directory.
pub async fn hospital_on(
    backend: Backend,
) -> (store::Store, store::FacilityScope, testkit::TestDb) {
    let db = match backend {
        Backend::Sqlite => testkit::sqlite(),
        Backend::Postgres => testkit::postgres().await,
    };
    let (s, scope) = hospital_at(&db.url).await;
    (s, scope, db)
}

/// A migrated SQLite store in `dir` with one hospital in it.
pub async fn hospital(dir: &std::path::Path) -> (store::Store, store::FacilityScope) {
    hospital_at(&store::DatabaseUrl::sqlite(dir.join("bench.db"))).await
}

async fn hospital_at(url: &store::DatabaseUrl) -> (store::Store, store::FacilityScope) {
    let db = store::Database::connect(url, store::Access::ReadWrite)
        .await
        .unwrap();
    db.migrate(Timestamp::from_unix_millis(0)).await.unwrap();
    let s = store::Store::open(
        db,
        domain::AuditKey::from_bytes([1; 32]),
        Timestamp::from_unix_millis(0),
    )
    .await
    .unwrap();
    let f = NewFacility::new(
        "bench",
        "ベンチ病院",
        FacilityKind::Hospital,
        Some(400),
        None,
    )
    .unwrap();
    let f = s
        .add_facility(
            &Actor::System("bench".into()),
            f,
            Timestamp::from_unix_millis(0),
        )
        .await
        .unwrap();
    let scope = s
        .scope(&domain::facility::FacilityRef::Id(f.id))
        .await
        .unwrap();
    (s, scope)
}

/// One size, in this process: prints `rows read_ms import_ms reimport_ms peak_kib parse_ms`.
/// The middle of three timings, in ms.
fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

async fn one(path: &str, backend: Backend) {
    let bytes = std::fs::read(path).unwrap();
    let mut stores = Vec::new();
    for _ in 0..3 {
        stores.push(hospital_on(backend).await);
    }

    // The imports first, so that the peak memory read after them is theirs alone. Each
    // figure is the middle of three: three empty ledgers, then the same file three times
    // again into the last; then reading alone three times, and calamine three times.
    let mut rows = 0;
    let mut times = Vec::new();
    for (s, scope, _) in &stores {
        let t = Instant::now();
        rows = import(s, scope, &bytes).await.added();
        times.push(since(t));
    }
    let first = median(times);
    let (s, scope, _) = stores.last().unwrap();
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        assert_eq!(import(s, scope, &bytes).await.unchanged(), rows);
        times.push(since(t));
    }
    let again = median(times);

    // Reading and checking alone (what the import does on its reading thread).
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut read_rows = 0;
        ingest::ledger::read_file(
            &bytes,
            "ledger.xlsx",
            &service::ledger_file::labels,
            &mut ingest::budget::Meter::standard(),
            |b| read_rows += b.len(),
        )
        .unwrap();
        times.push(since(t));
        assert_eq!(read_rows, rows);
    }
    let parse = median(times);
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        assert!(calamine_read(&bytes) >= rows * 13);
        times.push(since(t));
    }
    let read = median(times);
    println!("{rows} {read} {first} {again} {parse}");
}

/// Imports of new devices one after the other into one facility: each row's time is that of
/// its own file, whatever the ledger holds before it.
async fn growth(backend: Backend, sizes: &[usize]) {
    let (s, scope, _db) = hospital_on(backend).await;
    let mut start = 0;
    println!(
        "{:>10} {:>10} {:>10} {:>12}",
        "ledger", "file", "ms", "µs per row"
    );
    for &n in sizes {
        let bytes = workbook_from(start, n);
        let t = Instant::now();
        assert_eq!(import(&s, &scope, &bytes).await.added(), n);
        let ms = since(t);
        println!(
            "{start:>10} {n:>10} {ms:>10.0} {:>12.1}",
            ms * 1000.0 / n as f64
        );
        start += n;
    }
}

/// Peak memory of one import and a re-import of the file, in a process of their own.
async fn memory(path: &str, backend: Backend) {
    let bytes = std::fs::read(path).unwrap();
    let (s, scope, _db) = hospital_on(backend).await;
    let rows = import(&s, &scope, &bytes).await.added();
    let first = peak_rss_kib();
    assert_eq!(import(&s, &scope, &bytes).await.unchanged(), rows);
    println!("{rows} {} {first}", peak_rss_kib());
}

/// Where an import's time goes, stage by stage, for one size.
async fn stages(rows: usize) {
    let bytes = workbook(rows);
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    calamine_read(&bytes);
    println!("calamine read      {:>8.1} ms", ms(t));
    let t = Instant::now();
    let sheets = ingest::table::read(&bytes, "ledger.xlsx").unwrap();
    println!("table::read        {:>8.1} ms", ms(t));
    let t = Instant::now();
    let parsed = ingest::ledger::parse(&sheets).unwrap();
    println!("ledger::parse      {:>8.1} ms", ms(t));
    drop((sheets, parsed));
    let t = Instant::now();
    let mut n = 0;
    ingest::ledger::read_file(
        &bytes,
        "ledger.xlsx",
        &service::ledger_file::labels,
        &mut ingest::budget::Meter::standard(),
        |b| n += b.len(),
    )
    .unwrap();
    println!("read_file (stream) {:>8.1} ms ({n} rows)", ms(t));
    let dir = tempfile::tempdir().unwrap();
    let (s, scope) = hospital(dir.path()).await;
    let t = Instant::now();
    let summary = import(&s, &scope, &bytes).await;
    println!(
        "whole import       {:>8.1} ms ({} added)",
        ms(t),
        summary.added()
    );
    let t = Instant::now();
    let existing = s.assets(&scope).await.unwrap();
    println!(
        "read the ledger    {:>8.1} ms ({} devices)",
        ms(t),
        existing.len()
    );
    let t = Instant::now();
    let summary = import(&s, &scope, &bytes).await;
    println!(
        "whole re-import    {:>8.1} ms ({} unchanged, {} added, {} changed)",
        ms(t),
        summary.unchanged(),
        summary.added(),
        summary.changed()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match args.get(1).map(String::as_str) {
        Some("hash") => hash::run(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1024)),
        Some("read-only") => {
            // Peak memory of the baseline alone: reading the workbook file with calamine.
            let bytes = std::fs::read(args.get(2).unwrap()).unwrap();
            let cells = calamine_read(&bytes);
            println!("{} {cells} {}", bytes.len(), peak_rss_kib());
        }
        Some("stages") => {
            let rows = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10_000);
            runtime.block_on(stages(rows));
        }
        Some("write") => {
            // A generated ledger workbook of N rows, to try by hand.
            let rows = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000);
            std::fs::write(args.get(3).unwrap(), workbook(rows)).unwrap();
        }
        Some("read-stream") => {
            // Peak memory of Mamori's reading alone: the file streamed, every row checked.
            let bytes = std::fs::read(args.get(2).unwrap()).unwrap();
            let mut rows = 0;
            ingest::ledger::read_file(
                &bytes,
                "ledger.xlsx",
                &service::ledger_file::labels,
                &mut ingest::budget::Meter::standard(),
                |b| rows += b.len(),
            )
            .unwrap();
            println!("{rows} {}", peak_rss_kib());
        }
        Some("one") => runtime.block_on(one(
            args.get(2).unwrap(),
            Backend::parse(args.get(3).map(String::as_str))[0],
        )),
        Some("growth") => {
            // Does an import grow with the file or with the ledger? FIRST new devices into an
            // empty facility, then NEXT more new devices into the same facility.
            let backend = Backend::parse(args.get(2).map(String::as_str))[0];
            let sizes: Vec<usize> = args
                .get(3)
                .map_or("5000,10000", String::as_str)
                .split(',')
                .filter_map(|n| n.parse().ok())
                .collect();
            runtime.block_on(growth(backend, &sizes));
        }
        Some("hostile") => {
            let dir = args.get(2).map_or_else(
                || std::env::temp_dir().join("mamori-hostile"),
                std::path::PathBuf::from,
            );
            hostile::run(&dir);
        }
        Some("hostile-one") => runtime.block_on(hostile::one(args.get(2).unwrap())),
        Some("hostile-server") => {
            // Several threads: the server, the uploads and the person of facility B.
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(hostile::server(std::path::Path::new(args.get(2).unwrap())));
        }
        Some("concurrency") => {
            // The server, the import and facility B's person on several threads.
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            let rows = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(100_000);
            println!(
                "{:>9} {:>8} {:>10} {:>12} {:>10} {:>8} {:>8}",
                "backend", "rows", "import ms", "B idle ms", "B busy ms", "visits", "ratio"
            );
            for backend in Backend::parse(args.get(2).map(String::as_str)) {
                rt.block_on(concurrency::run(backend, rows));
            }
        }
        Some("rows") => {
            let n = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(100_000);
            println!(
                "reading {n} devices and {n} findings back, same run: the native driver into \
                 tuples (the floor), sqlx's Any driver into the same tuples, Mamori's store; \
                 ratios against the floor"
            );
            println!(
                "{:>9} {:>8} {:>9} {:>9} {:>8} {:>9} {:>8} {:>9} {:>9} {:>8} {:>9} {:>8}",
                "backend",
                "rows",
                "nat dev",
                "Any dev",
                "ratio",
                "store dev",
                "ratio",
                "nat find",
                "Any find",
                "ratio",
                "store fnd",
                "ratio"
            );
            for backend in Backend::parse(args.get(2).map(String::as_str)) {
                runtime.block_on(rows::run(backend, n));
            }
        }
        Some("memory") => runtime.block_on(memory(
            args.get(2).unwrap(),
            Backend::parse(args.get(3).map(String::as_str))[0],
        )),
        Some("ledger") => {
            let sizes: Vec<usize> = args.get(2).map_or_else(
                || vec![1_000, 10_000, 100_000],
                |s| s.split(',').filter_map(|n| n.parse().ok()).collect(),
            );
            let backends = Backend::parse(args.get(3).map(String::as_str));
            println!("ledger import: whole import vs calamine reading the same workbook, same run");
            println!(
                "{:>9} {:>8} {:>12} {:>10} {:>8} {:>12} {:>8} {:>14} {:>8} {:>14} {:>12} {:>8}",
                "backend",
                "rows",
                "calamine ms",
                "read ms",
                "ratio",
                "import ms",
                "ratio",
                "re-import ms",
                "ratio",
                "calamine MiB",
                "import MiB",
                "ratio"
            );
            let dir = tempfile::tempdir().unwrap();
            for n in sizes {
                // Generated here, once: the children only read it, so that their peak memory
                // is the reading's, not the generator's.
                let file = dir.path().join(format!("ledger-{n}.xlsx"));
                std::fs::write(&file, workbook(n)).unwrap();
                let file = file.to_string_lossy().into_owned();
                let exe = std::env::current_exe().unwrap();
                let base = std::process::Command::new(&exe)
                    .args(["read-only", &file])
                    .output()
                    .unwrap();
                let base_kib: f64 = String::from_utf8_lossy(&base.stdout)
                    .split_whitespace()
                    .nth(2)
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0.0);
                for backend in &backends {
                    let out = std::process::Command::new(&exe)
                        .args(["one", &file, backend.name()])
                        .output()
                        .unwrap();
                    let line = String::from_utf8_lossy(&out.stdout);
                    let f: Vec<f64> = line
                        .split_whitespace()
                        .filter_map(|x| x.parse().ok())
                        .collect();
                    let mem = std::process::Command::new(&exe)
                        .args(["memory", &file, backend.name()])
                        .output()
                        .unwrap();
                    let kib: f64 = String::from_utf8_lossy(&mem.stdout)
                        .split_whitespace()
                        .nth(1)
                        .and_then(|x| x.parse().ok())
                        .unwrap_or(0.0);
                    let [_, read, first, again, parse] = f.as_slice() else {
                        println!("{n}: failed: {}", String::from_utf8_lossy(&out.stderr));
                        continue;
                    };
                    println!(
                        "{:>9} {n:>8} {read:>12.1} {parse:>10.1} {:>7.2}x {first:>12.1} {:>7.2}x {again:>14.1} {:>7.2}x {:>14.1} {:>12.1} {:>7.2}x",
                        backend.name(),
                        parse / read,
                        first / read,
                        again / read,
                        base_kib / 1024.0,
                        kib / 1024.0,
                        kib / base_kib.max(1.0)
                    );
                }
            }
        }
        Some("vulns") => {
            vulns::run(&[1_000, 10_000, 100_000], &[30_000, 300_000]);
            vulns::import_rate(20_000);
        }
        Some("findings") => {
            let devices = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10_000);
            let cves = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(300_000);
            runtime.block_on(vulns::findings(devices, cves));
        }
        _ => println!(
            "usage: mamori-bench ledger [1000,10000,100000] [sqlite|postgres|both] | growth sqlite|postgres [5000,10000] | concurrency [sqlite|postgres|both] [ROWS] | rows [sqlite|postgres|both] [ROWS] | stages [ROWS] | write ROWS FILE | memory FILE | read-stream FILE | vulns | findings [DEVICES] [CVES]"
        ),
    }
}
