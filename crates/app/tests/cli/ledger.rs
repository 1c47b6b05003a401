//! Ledger files in and out, as a clinic's Excel and CSV files come.

use std::path::Path;

use crate::{assert_fails, mamori, stderr, stdout};

pub const LEDGER: &str = "\
さくら内科クリニック 機器台帳,,,,,,,,,,,,
令和6年4月1日現在,,,,,,,,,,,,
ホスト名,分類,設置場所,IPアドレス,MACアドレス,メーカー／製造元,型番,OS/ファームウェア,Ver,シリアル番号,保守会社,リモート保守,導入日,サポート終了日,用途,担当者メモ,備考
電子カルテサーバ,サーバー,サーバ室,192.168.10.10,00-1a-2b-3c-4d-5e,富士通,TX1320 M5,Windows Server 2019,1809,SN-001,さくらメディカル,あり,令和2年4月1日,2029/1/9,電子カルテ・バックアップ,パスワードは業者と共用,\"二行の
備考\"
受付PC,PC,受付,192.168.10.31,,NEC,Mate,Windows 11 Pro,23H2,SN-002,さくらメディカル,なし,2023/10/1,,レセコン,,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"
FortiGate,UTM,サーバ室,192.168.10.1,,Fortinet,FortiGate-60F,FortiOS,\"v7.0.12,build0523 (GA)\",FGT60F-XYZ,さくらメディカル,○,R3.7.1,,リモート保守,,
";

pub fn setup(dir: &Path, url: &str) {
    let o = mamori(
        dir,
        Some(url),
        &[
            "facility",
            "add",
            "sakura",
            "--name",
            "さくら内科クリニック",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn assets(dir: &Path, url: &str) -> serde_json::Value {
    let o = mamori(
        dir,
        Some(url),
        &["assets", "--facility", "sakura", "--format", "json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

pub fn write_sjis(path: &Path, text: &str) {
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad);
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test]
async fn a_shift_jis_ledger_imports_updates_and_round_trips() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        setup(dir, &url);
        write_sjis(&dir.join("台帳.csv"), LEDGER);

        let dry = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "ledger",
                "--facility",
                "sakura",
                "台帳.csv",
                "--dry-run",
            ],
        );
        assert!(dry.status.success(), "{}: {}", db.backend, stderr(&dry));
        assert!(stdout(&dry).contains("追加 3 台") && stdout(&dry).contains("--dry-run"));
        assert_eq!(
            assets(dir, &url).as_array().map(Vec::len),
            Some(0),
            "a dry run writes nothing"
        );

        let o = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", "台帳.csv"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("担当者メモ"),
            "the unknown column is reported"
        );
        let v = assets(dir, &url);
        assert_eq!(v[0]["kind"], "server");
        assert_eq!(v[0]["mac"], "00:1A:2B:3C:4D:5E");
        assert_eq!(v[0]["acquired_on"], "2020-04-01");
        assert_eq!(v[0]["end_of_support"], "2029-01-09");
        assert_eq!(
            v[0]["roles"],
            serde_json::json!(["電子カルテ", "バックアップ"])
        );
        assert_eq!(
            v[0]["notes"],
            "二行の\n備考\n担当者メモ: パスワードは業者と共用"
        );
        assert_eq!(v[1]["notes"], "=HYPERLINK(\"http://evil.example\",\"x\")");
        assert_eq!(v[2]["os_version"], "v7.0.12,build0523 (GA)");
        assert_eq!(v[2]["remote_maintenance"], "yes");
        assert_eq!(v[2]["acquired_on"], "2021-07-01");

        // The same file again changes nothing; a corrected version changes one device.
        let again = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", "台帳.csv"],
        );
        assert!(
            stdout(&again).contains("変更なし 3 台"),
            "{}",
            stdout(&again)
        );
        write_sjis(&dir.join("台帳.csv"), &LEDGER.replace("23H2", "24H2"));
        let changed = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", "台帳.csv"],
        );
        assert!(
            stdout(&changed).contains("変更: 受付PC(バージョン)"),
            "{}",
            stdout(&changed)
        );

        // Export, then import the export: nothing changes.
        let before = assets(dir, &url);
        let e = mamori(
            dir,
            Some(&url),
            &["export", "ledger", "--facility", "sakura", "ledger.xlsx"],
        );
        assert!(e.status.success(), "{}", stderr(&e));
        let back = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", "ledger.xlsx"],
        );
        assert!(back.status.success(), "{}", stderr(&back));
        assert!(
            stdout(&back).contains("追加 0 台、変更 0 台、変更なし 3 台"),
            "{}",
            stdout(&back)
        );
        assert_eq!(assets(dir, &url), before);

        let verify = mamori(dir, Some(&url), &["audit", "verify"]);
        assert!(verify.status.success(), "every import is in the chain");
    }
}

#[tokio::test]
async fn a_file_with_problems_changes_nothing_and_names_each_one() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        setup(dir, &url);
        let bad = LEDGER
            .replace("192.168.10.31", "192.168.1.300")
            .replace("2023/10/1", "令和1年4月1日")
            .replace("FGT60F-XYZ", "SN-001");
        write_sjis(&dir.join("bad.csv"), &bad);
        let before = stdout(&mamori(dir, Some(&url), &["audit", "verify"]));
        let o = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", "bad.csv"],
        );
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(
            err.contains("「bad.csv」5行目『IPアドレス』: 「192.168.1.300」"),
            "{err}"
        );
        assert!(err.contains("「bad.csv」5行目『導入日』"), "{err}");
        assert!(
            err.contains("「bad.csv」6行目『シリアル番号』") && err.contains("4 行目と同じ"),
            "{err}"
        );
        assert!(
            err.contains("3 件の問題があるため、何も取り込んでいません"),
            "{err}"
        );
        assert_eq!(
            assets(dir, &url).as_array().map(Vec::len),
            Some(0),
            "{}",
            db.backend
        );
        assert_eq!(
            stdout(&mamori(dir, Some(&url), &["audit", "verify"])),
            before,
            "not even an audit record"
        );
    }
}

#[test]
fn an_excel_ledger_with_title_rows_and_merged_cells() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    setup(dir, &url);
    let mut book = rust_xlsxwriter::Workbook::new();
    let guide = book.add_worksheet();
    guide.set_name("記入例").unwrap();
    guide.write_string(0, 0, "この台帳の書き方").unwrap();
    let ws = book.add_worksheet();
    ws.set_name("パソコン").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        4,
        "機器台帳(令和6年度)",
        &rust_xlsxwriter::Format::new(),
    )
    .unwrap();
    for (c, h) in ["機器名", "設置場所", "IPアドレス", "導入日", "製造番号"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/mm/dd");
    for r in 0..3u32 {
        ws.write_string(3 + r, 0, format!("診察室{} PC", r + 1))
            .unwrap();
        ws.write_string(3 + r, 2, format!("192.168.10.{}", 32 + r))
            .unwrap();
        ws.write_datetime_with_format(
            3 + r,
            3,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 4, 1).unwrap(),
            &date,
        )
        .unwrap();
        ws.write_number(3 + r, 4, 100_200.0 + f64::from(r)).unwrap();
    }
    ws.merge_range(3, 1, 5, 1, "1階 診察室", &rust_xlsxwriter::Format::new())
        .unwrap();
    book.save(dir.join("台帳.xlsx")).unwrap();
    let o = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "sakura", "台帳.xlsx"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("記入例"),
        "the guide sheet is reported as skipped"
    );
    let v = assets(dir, &url);
    assert_eq!(v.as_array().map(Vec::len), Some(3));
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|a| a["location"] == "1階 診察室" && a["kind"] == "pc")
    );
    assert_eq!(v[2]["serial"], "100202");
    assert_eq!(v[0]["acquired_on"], "2024-04-01");
}

#[test]
fn files_that_are_not_ledgers() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    setup(dir, &url);
    std::fs::write(dir.join("photo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(dir.join("sales.csv"), "日付,売上\n2024/4/1,100\n").unwrap();
    let big = std::fs::File::create(dir.join("huge.csv")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    for (file, expected) in [
        ("photo.png", "表計算のファイル"),
        ("sales.csv", "見出しの行が見つかりません"),
        ("huge.csv", "大きすぎます"),
        ("missing.csv", "読めません"),
    ] {
        let o = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", file],
        );
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert!(stderr(&o).contains(expected), "{file}: {}", stderr(&o));
    }
    std::fs::write(dir.join("ok.csv"), "機器名,種別\n受付PC,PC\n").unwrap();
    let o = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "nowhere", "ok.csv"],
    );
    assert_fails(&o, 2);
    assert_eq!(assets(dir, &url).as_array().map(Vec::len), Some(0));
}
