use crate::{assert_fails, mamori, stdout};

fn kev(name: &str) -> String {
    format!(
        "{}/../../testdata/vuln/kev/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[tokio::test]
async fn kev_updates_show_what_changed_and_never_roll_back() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        let first = mamori(
            dir,
            Some(&url),
            &[
                "feeds",
                "import",
                &kev("known_exploited_vulnerabilities.2025-01-24.json"),
            ],
        );
        assert!(
            first.status.success(),
            "{}: {}",
            db.backend,
            crate::stderr(&first)
        );
        assert!(
            stdout(&first).contains("追加 1252 件"),
            "{}",
            stdout(&first)
        );
        let newer = mamori(
            dir,
            Some(&url),
            &[
                "feeds",
                "import",
                &kev("known_exploited_vulnerabilities.json"),
            ],
        );
        let text = stdout(&newer);
        assert!(
            text.contains("追加 152 件、変更 49 件、変更なし 1203 件"),
            "{text}"
        );
        assert!(
            text.contains("ランサムウェアでの悪用が確認された脆弱性 48 件"),
            "35 flipped to Known + 13 new with Known: {text}"
        );
        assert!(text.contains("CVE-2025-5777"));
        let older = mamori(
            dir,
            Some(&url),
            &[
                "feeds",
                "import",
                &kev("known_exploited_vulnerabilities.2025-01-24.json"),
            ],
        );
        assert!(
            stdout(&older).contains("より古いので何も変えていません"),
            "{}",
            stdout(&older)
        );
        let csv = mamori(
            dir,
            Some(&url),
            &[
                "feeds",
                "import",
                &kev("known_exploited_vulnerabilities.csv"),
            ],
        );
        assert!(
            stdout(&csv).contains("変更なし 1404 件"),
            "the CSV says what the JSON says: {}",
            stdout(&csv)
        );
        assert!(
            mamori(dir, Some(&url), &["audit", "verify"])
                .status
                .success()
        );
    }
}

#[test]
fn a_bad_feed_file_changes_nothing() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    std::fs::write(dir.join("bad.json"), r#"{"vulnerabilities": [{"cveID": "CVE-2024-0001", "dateAdded": "2024-01-01"}, {"cveID": "CVE-2024-0002", "dateAdded": "yesterday"}]}"#).unwrap();
    std::fs::write(dir.join("page.html"), "<html></html>").unwrap();
    let o = mamori(dir, Some(&url), &["feeds", "import", "bad.json"]);
    let err = assert_fails(&o, 2);
    assert!(
        err.contains("2 件目") && err.contains("dateAdded") && err.contains("yesterday"),
        "{err}"
    );
    let o = mamori(dir, Some(&url), &["feeds", "import", "page.html"]);
    assert!(assert_fails(&o, 2).contains("KEV"));
    assert!(
        !dir.join("mamori.db").exists(),
        "files are checked before the database is opened"
    );
}

fn nvd(name: &str) -> String {
    format!(
        "{}/../../testdata/vuln/nvd/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[tokio::test]
async fn a_ledger_fortigate_is_found_affected_by_a_known_exploited_cve() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        crate::ledger::setup(dir, &url);
        crate::ledger::write_sjis(&dir.join("台帳.csv"), crate::ledger::LEDGER);
        let o = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", "台帳.csv"],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
        for file in [
            kev("known_exploited_vulnerabilities.json"),
            nvd("CVE-2024-21762.json"),
            nvd("CVE-2022-42475.json"),
            nvd("CVE-2019-11510.json"),
        ] {
            let o = mamori(dir, Some(&url), &["feeds", "import", &file]);
            assert!(o.status.success(), "{file}: {}", crate::stderr(&o));
        }
        let o = mamori(
            dir,
            Some(&url),
            &["vulns", "--facility", "sakura", "--format", "json"],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let rows = v["findings"].as_array().unwrap();
        let cves: Vec<&str> = rows.iter().filter_map(|r| r["cve"].as_str()).collect();
        // Every device is named, checked or not with why.
        let states: Vec<(&str, &str, &str)> = v["devices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["name"].as_str().unwrap_or_default(),
                    d["state"].as_str().unwrap_or_default(),
                    d["reason"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            states,
            [
                ("電子カルテサーバ", "not-checked", "unreadable-version"),
                ("受付PC", "not-checked", "unreadable-version"),
                ("FortiGate", "checked-with-findings", ""),
            ],
            "{v}"
        );
        assert_eq!(
            (v["checked"].as_i64(), v["devices_total"].as_i64()),
            (Some(1), Some(3))
        );
        // FortiOS 7.0.12 is inside CVE-2024-21762's 7.0.0–7.0.13 range and past the fix of
        // CVE-2022-42475 (7.0.9); the Pulse Secure CVE is another product.
        assert_eq!(cves, ["CVE-2024-21762"], "{v}");
        assert_eq!(rows[0]["asset_name"], "FortiGate");
        assert_eq!(rows[0]["outcome"], "affected");
        assert_eq!(rows[0]["kev"], true);
        let table = mamori(dir, Some(&url), &["vulns", "--facility", "sakura"]);
        assert!(
            stdout(&table).contains("CVE-2024-21762"),
            "{}",
            stdout(&table)
        );
    }
}

#[test]
fn nvd_files_come_plain_gzip_or_xz_and_a_cut_archive_changes_nothing() {
    use std::io::Write;
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    let json = std::fs::read(nvd("CVE-2023-4966.json")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json).unwrap();
    let gz = gz.finish().unwrap();
    std::fs::write(dir.join("CVE-2023-4966.json.gz"), &gz).unwrap();
    let mut w =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(6)).unwrap();
    w.write_all(&json).unwrap();
    let xz = w.finish().unwrap();
    std::fs::write(dir.join("CVE-2023.json.xz"), &xz).unwrap();
    std::fs::write(dir.join("cut.json.gz"), &gz[..gz.len() / 2]).unwrap();

    let cut = mamori(dir, Some(&url), &["feeds", "import", "cut.json.gz"]);
    let err = assert_fails(&cut, 2);
    assert!(err.contains("cut.json.gz") && err.contains("gzip"), "{err}");
    assert!(
        !dir.join("mamori.db").exists(),
        "refused before the database"
    );

    let o = mamori(
        dir,
        Some(&url),
        &["feeds", "import", "CVE-2023-4966.json.gz"],
    );
    assert!(stdout(&o).contains("追加 1 件"), "{}", crate::stderr(&o));
    let o = mamori(dir, Some(&url), &["feeds", "import", "CVE-2023.json.xz"]);
    assert!(
        stdout(&o).contains("変更なし 1 件"),
        "{}",
        crate::stderr(&o)
    );
}

/// The Handa / Osaka story: a FortiGate on a version that leaked VPN credentials
/// (CVE-2018-13379) is updated. The vulnerability is fixed, the need to change the passwords
/// stays; re-evaluation after each ledger and feed import keeps the findings and their state.
#[test]
fn findings_follow_the_ledger_and_a_leak_outlives_the_fix() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    crate::ledger::setup(dir, &url);
    let ledger =
        |version: &str| crate::ledger::LEDGER.replace("\"v7.0.12,build0523 (GA)\"", version);
    crate::ledger::write_sjis(&dir.join("台帳.csv"), &ledger("6.0.4"));
    let o = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "sakura", "台帳.csv"],
    );
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let o = mamori(
        dir,
        Some(&url),
        &[
            "feeds",
            "import",
            &kev("known_exploited_vulnerabilities.json"),
            &nvd("CVE-2018-13379.json"),
            &nvd("CVE-2024-21762.json"),
        ],
    );
    assert!(o.status.success(), "{}", crate::stderr(&o));
    assert!(
        stdout(&o).contains("新たに 3 件"),
        "two holes and the passwords to change: {}",
        stdout(&o)
    );
    let findings = || {
        let o = mamori(
            dir,
            Some(&url),
            &["vulns", "--facility", "sakura", "--format", "json"],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let mut rows: Vec<(String, String, String)> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
                (s("cve"), s("kind"), s("status"))
            })
            .collect();
        rows.sort();
        rows
    };
    let row = |cve: &str, kind: &str, status: &str| {
        (cve.to_string(), kind.to_string(), status.to_string())
    };
    assert_eq!(
        findings(),
        [
            row("CVE-2018-13379", "credentials", "open"),
            row("CVE-2018-13379", "vulnerability", "open"),
            row("CVE-2024-21762", "vulnerability", "open"),
        ],
        "6.0.4 is inside 6.0.0–<6.0.5 (CVE-2018-13379) and 6.0.0–<6.0.18 (CVE-2024-21762)"
    );
    // The vendor updates the FortiGate to 6.0.11 and the ledger says so.
    crate::ledger::write_sjis(&dir.join("台帳.csv"), &ledger("6.0.11"));
    let o = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "sakura", "台帳.csv"],
    );
    assert!(o.status.success(), "{}", crate::stderr(&o));
    assert!(stdout(&o).contains("修正を確認 1 件"), "{}", stdout(&o));
    assert_eq!(
        findings(),
        [
            row("CVE-2018-13379", "credentials", "open"),
            row("CVE-2018-13379", "vulnerability", "fixed"),
            row("CVE-2024-21762", "vulnerability", "open"),
        ],
        "patched is not safe: the leaked passwords must still be changed, and 6.0.11 (Osaka's \
         version) has a newer hole"
    );
    let table = mamori(dir, Some(&url), &["vulns", "--facility", "sakura"]);
    assert!(
        stdout(&table).contains("パスワードとセッションの変更が必要")
            && stdout(&table).contains("修正済み")
            && stdout(&table).contains("Windows のビルド番号")
            && stdout(&table).contains("台帳の 3 台のうち 1 台を脆弱性情報と照合しました")
            && stdout(&table)
                .split("照合できていない機器")
                .nth(1)
                .is_some_and(|rest| rest.contains("受付PC") && rest.contains("電子カルテサーバ")),
        "{}",
        stdout(&table)
    );
    // Another import of the same ledger changes nothing.
    let o = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "sakura", "台帳.csv"],
    );
    assert!(
        stdout(&o).contains("新たに 0 件、修正を確認 0 件"),
        "{}",
        stdout(&o)
    );
    // The monthly review says the same, for the printout and for scripts.
    let o = mamori(
        dir,
        Some(&url),
        &[
            "review",
            "--facility",
            "sakura",
            "--since",
            "令和3年1月1日",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let count = |k: &str| r[k].as_array().map_or(0, Vec::len);
    assert_eq!(r["since"], "2021-01-01");
    assert_eq!(
        (
            count("kev_hits"),
            count("opened"),
            count("closed"),
            count("added")
        ),
        (2, 3, 1, 3),
        "{r}"
    );
    // Events as fields, not sentences: what happened, to which device, which CVE, when.
    let hit = &r["kev_hits"][0];
    assert_eq!(hit["what"], "kev_hit", "{r}");
    assert!(
        hit["cve"].as_str().is_some_and(|c| c.starts_with("CVE-")),
        "{r}"
    );
    assert!(hit["kev_added"].as_str().is_some() && hit["status"].as_str().is_some());
    assert!(hit["name"].as_str().is_some() && hit["asset"].as_i64().is_some());
    let fixed = &r["closed"][0];
    assert_eq!(
        (&fixed["what"], &fixed["kind"]),
        (&"fixed".into(), &"vulnerability".into())
    );
    assert!(
        fixed["at"].as_str().is_some_and(|t| t.ends_with("+09:00")),
        "{r}"
    );
    assert_eq!(r["added"][0]["what"], "added");
    // Windows 11 Pro 23H2 left support on 2025-11-11 (Microsoft's lifecycle page); the server
    // runs until the ledger's own date.
    let past = &r["past_support"][0];
    assert_eq!(
        (&past["name"], &past["what"], &past["ended"]),
        (
            &"受付PC".into(),
            &"past_end_of_support".into(),
            &"2025-11-11".into()
        ),
        "{r}"
    );
    assert!(
        past["source"]
            .as_str()
            .is_some_and(|s| s.contains("microsoft.com"))
    );
    assert_eq!(count("past_support"), 1, "{r}");
    assert!(!r.to_string().contains("\"detail\""), "{r}");
    let text = mamori(dir, Some(&url), &["review", "--facility", "sakura"]);
    assert!(
        stdout(&text).contains("■ 修正を確認した所見(1)") && stdout(&text).contains("FortiGate"),
        "{}",
        stdout(&text)
    );
    let bad = mamori(
        dir,
        Some(&url),
        &["review", "--facility", "sakura", "--since", "2026/13/1"],
    );
    let err = assert_fails(&bad, 2);
    assert!(err.contains("--since「2026/13/1」"), "{err}");
    // Kept from the command line: numbered, refused without a reviewer's name.
    let kept = mamori(
        dir,
        Some(&url),
        &[
            "review",
            "--facility",
            "sakura",
            "--keep",
            "事務長",
            "--note",
            "業者に連絡済み",
        ],
    );
    assert!(
        stdout(&kept).contains("第1回の点検として記録しました"),
        "{}{}",
        stdout(&kept),
        crate::stderr(&kept)
    );
    let json = mamori(
        dir,
        Some(&url),
        &[
            "review",
            "--facility",
            "sakura",
            "--keep",
            "事務長",
            "--format",
            "json",
        ],
    );
    let r: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(r["kept_as"], 2, "{r}");
    // The MHLW checklist from the same records: the shared password of the way in is a No
    // of 2-⑧, with the way in named; an unknown version is refused with the known ones.
    let sheet = mamori(
        dir,
        Some(&url),
        &["checklist", "--facility", "sakura", "--format", "json"],
    );
    assert!(sheet.status.success(), "{}", crate::stderr(&sheet));
    let c: serde_json::Value = serde_json::from_str(&stdout(&sheet)).unwrap();
    let item = |topic: &str| {
        c["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["topic"] == topic)
            .cloned()
            .unwrap()
    };
    assert_eq!(item("patches")["proposal"], "no", "{c}");
    assert!(
        item("patches")["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["subject"] == "finding" && e["name"] == "FortiGate"),
        "{c}"
    );
    assert_eq!(
        item("security_officer")["proposal"],
        "no",
        "no officer recorded"
    );
    assert_eq!(item("usb_restriction")["proposal"], "cannot-tell");
    let r7 = mamori(
        dir,
        Some(&url),
        &["checklist", "--facility", "sakura", "--version", "r7"],
    );
    assert!(
        stdout(&r7).contains("令和7年度版") && stdout(&r7).contains("■ 2-⑥"),
        "{}",
        stdout(&r7)
    );
    let by_year = mamori(
        dir,
        Some(&url),
        &["checklist", "--facility", "sakura", "--fiscal-year", "2025"],
    );
    assert!(
        stdout(&by_year).contains("令和7年度版"),
        "{}",
        stdout(&by_year)
    );
    let no_year = mamori(
        dir,
        Some(&url),
        &["checklist", "--facility", "sakura", "--fiscal-year", "2019"],
    );
    assert!(assert_fails(&no_year, 2).contains("2019"));
    // `checklist evaluate` is the same evaluation by its name in the MHLW workflow.
    let evaluated = mamori(
        dir,
        Some(&url),
        &[
            "checklist",
            "evaluate",
            "--facility",
            "sakura",
            "--fiscal-year",
            "2026",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&evaluated)).unwrap();
    assert_eq!(v["version"], "r8");
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["proposal"].is_string())
    );
    // Year over year: nothing answered either year yet; every item of 令和8年度 matched to
    // 令和7年度's by topic.
    let compared = mamori(
        dir,
        Some(&url),
        &[
            "checklist",
            "compare",
            "--facility",
            "sakura",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&compared)).unwrap();
    assert_eq!(
        (&v["from"]["version"], &v["to"]["version"]),
        (&serde_json::json!("r7"), &serde_json::json!("r8"))
    );
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["movement"] == "not-answered-then"),
        "{v}"
    );
    let table = mamori(
        dir,
        Some(&url),
        &["checklist", "compare", "--facility", "sakura"],
    );
    assert!(
        stdout(&table).contains("2025 年度のチェックリストには回答が記録されていないため"),
        "{}",
        stdout(&table)
    );
    let too_early = mamori(
        dir,
        Some(&url),
        &[
            "checklist",
            "compare",
            "--facility",
            "sakura",
            "--from",
            "2019",
        ],
    );
    assert!(assert_fails(&too_early, 2).contains("2019"));
    let xlsx = mamori(
        dir,
        Some(&url),
        &[
            "checklist",
            "--facility",
            "sakura",
            "--out",
            "checklist.xlsx",
        ],
    );
    assert!(
        stdout(&xlsx).contains("checklist.xlsx"),
        "{}",
        crate::stderr(&xlsx)
    );
    let bytes = std::fs::read(dir.join("checklist.xlsx")).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx (zip) file");
    // The printed sheet: a PDF, whatever the name given ends with.
    let pdf = mamori(
        dir,
        Some(&url),
        &[
            "checklist",
            "print",
            "--facility",
            "sakura",
            "--fiscal-year",
            "2026",
            "--out",
            "検査用",
        ],
    );
    assert!(pdf.status.success(), "{}", crate::stderr(&pdf));
    let bytes = std::fs::read(dir.join("検査用.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert!(bytes.len() > 20_000, "with its font: {} bytes", bytes.len());
    let unknown = mamori(
        dir,
        Some(&url),
        &["checklist", "--facility", "sakura", "--version", "r1"],
    );
    let err = assert_fails(&unknown, 2);
    assert!(err.contains("r7, r8"), "{err}");
    // 和暦 when the deployment asks for it (the review's first line names its period).
    let wareki = crate::command(dir, Some(&url))
        .env("MAMORI_CALENDAR", "wareki")
        .args(["review", "--facility", "sakura", "--since", "2021-01-01"])
        .output()
        .unwrap();
    assert!(
        stdout(&wareki).contains("令和3年1月1日 から 令和"),
        "{}{}",
        stdout(&wareki),
        crate::stderr(&wareki)
    );
    assert!(
        stdout(&text).contains("から 20"),
        "西暦 by default: {}",
        stdout(&text)
    );
    let nobody = mamori(
        dir,
        Some(&url),
        &["review", "--facility", "sakura", "--keep", " "],
    );
    let err = assert_fails(&nobody, 2);
    assert!(err.contains("点検者"), "{err}");
}

fn jvn(name: &str) -> String {
    format!(
        "{}/../../testdata/vuln/jvn/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A Wi-Fi router NVD has no configuration for is found through JVN iPedia's Japanese
/// version text, per CVE; JVN's Japanese title comes with it; a cut file changes nothing.
#[test]
fn jvn_ipedia_in_its_three_shapes_finds_what_nvd_does_not_know() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    crate::ledger::setup(dir, &url);
    let ledger = format!(
        "{}Wi-Fiルータ,ルーター,事務室,192.168.10.2,,NEC,Aterm GB1200PE,,Ver.1.2.9,AT-1,さくらメディカル,なし,2023/4/1,,,,\n",
        crate::ledger::LEDGER
    );
    crate::ledger::write_sjis(&dir.join("台帳.csv"), &ledger);
    let o = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "sakura", "台帳.csv"],
    );
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let cut = std::fs::read(jvn("vuldef-aterm.xml")).unwrap();
    std::fs::write(dir.join("cut.xml"), &cut[..cut.len() / 2]).unwrap();
    let refused = mamori(dir, Some(&url), &["feeds", "import", "cut.xml"]);
    let err = assert_fails(&refused, 2);
    assert!(err.contains("cut.xml") && err.contains("JVN"), "{err}");
    let o = mamori(
        dir,
        Some(&url),
        &[
            "feeds",
            "import",
            &jvn("vuldef-aterm.xml"),
            &jvn("jvnrss.rdf"),
            &jvn("oka-feed.json"),
        ],
    );
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("vuldef-aterm.xml(JVN iPedia): 追加 1 件")
            && out.contains("jvnrss.rdf(JVN iPedia): 追加 2 件")
            && out.contains("oka-feed.json(JVN iPedia): 追加 1 件"),
        "{out}"
    );
    let o = mamori(
        dir,
        Some(&url),
        &["vulns", "--facility", "sakura", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["cve"].as_str().unwrap_or_default(),
                r["outcome"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("CVE-2025-0355", "affected")],
        "1.2.9 is before 1.3.0 (CVE-2025-0355) and after 1.2.2 (CVE-2025-0354, -0356): {v}"
    );
    // Again: nothing changes.
    let o = mamori(
        dir,
        Some(&url),
        &["feeds", "import", &jvn("vuldef-aterm.xml")],
    );
    assert!(stdout(&o).contains("変更なし 1 件"), "{}", stdout(&o));
    // The firmware is updated: fixed, though no NVD record was ever imported.
    crate::ledger::write_sjis(
        &dir.join("台帳.csv"),
        &ledger.replace("Ver.1.2.9", "Ver.1.3.0"),
    );
    let o = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "sakura", "台帳.csv"],
    );
    assert!(stdout(&o).contains("修正を確認 1 件"), "{}", stdout(&o));
}

/// NVD's CPE dictionary given as a file identifies a NAS no imported record names; a person
/// chooses a product for a device from the command line and takes the choice back.
#[tokio::test]
async fn the_cpe_dictionary_and_product_choices_from_the_command_line() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        crate::ledger::setup(dir, &url);
        let ledger = format!(
            "{}バックアップNAS,NAS,サーバ室,192.168.10.20,,Synology,DS920+,DSM,7.1.1-42962,SN-NAS,さくらメディカル,なし,2022/4/1,,バックアップ,,\n",
            crate::ledger::LEDGER
        );
        crate::ledger::write_sjis(&dir.join("台帳.csv"), &ledger);
        let o = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", "台帳.csv"],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
        let o = mamori(
            dir,
            Some(&url),
            &["feeds", "import", &nvd("CVE-2024-21762.json")],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
        let device = |name: &str| {
            let o = mamori(
                dir,
                Some(&url),
                &["vulns", "--facility", "sakura", "--format", "json"],
            );
            assert!(o.status.success(), "{}", crate::stderr(&o));
            let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            v["devices"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["name"] == name)
                .cloned()
                .unwrap()
        };
        let nas = device("バックアップNAS");
        assert_eq!(nas["state"], "not-checked", "{nas}");
        assert_eq!(nas["reason"], "unknown-product");

        let sample = format!(
            "{}/../../testdata/vuln/cpe/nvdcpe-2.0-chunk-sample.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let o = mamori(dir, Some(&url), &["feeds", "import", &sample]);
        assert!(o.status.success(), "{}", crate::stderr(&o));
        assert!(
            stdout(&o).contains("名前 12 件を読み、製品 7 件を取り込みました(前回 0 件)"),
            "{}",
            stdout(&o)
        );
        let nas = device("バックアップNAS");
        assert_eq!(nas["state"], "checked-none-found", "{nas}");
        assert_eq!(nas["product"], "synology:diskstation_manager");
        assert_eq!(nas["identified_by"], "dictionary");

        // The EHR server (富士通 TX1320 M5, Windows) is Windows; choose a product for the
        // receipt PC's maker and model instead: refused when no record or dictionary names it.
        let products = |args: &[&str]| {
            let mut all = vec!["products", args[0], "--facility", "sakura"];
            all.extend_from_slice(&args[1..]);
            mamori(dir, Some(&url), &all)
        };
        let o = products(&["bind", "--device", "受付PC", "synology:photostation"]);
        let err = assert_fails(&o, 2);
        assert!(err.contains("synology:photo_station"), "{err}");
        let o = products(&[
            "bind",
            "--device",
            "バックアップNAS",
            "cpe:2.3:a:synology:surveillance_station",
        ]);
        assert!(o.status.success(), "{}", crate::stderr(&o));
        assert!(
            stdout(&o)
                .contains("「Synology DS920+」を synology:surveillance_station として照合します"),
            "{}",
            stdout(&o)
        );
        let o = products(&["list", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["bindings"][0]["product"], "synology:surveillance_station");
        assert_eq!(v["bindings"][0]["maker"], "Synology");
        assert_eq!(device("バックアップNAS")["identified_by"], "binding");
        let o = products(&["unbind", "--device", "バックアップNAS"]);
        assert!(o.status.success(), "{}", crate::stderr(&o));
        assert_eq!(device("バックアップNAS")["identified_by"], "dictionary");
        let err = assert_fails(&products(&["unbind", "--device", "バックアップNAS"]), 2);
        assert!(err.contains("製品が指定されていません"), "{err}");
        let err = assert_fails(
            &products(&["bind", "--device", "どこにもない", "qnap:qts"]),
            2,
        );
        assert!(err.contains("機器「どこにもない」はありません"), "{err}");
        let o = products(&["list"]);
        assert!(
            stdout(&o).contains("製品を指定したメーカー・機種はありません"),
            "{}",
            stdout(&o)
        );
        let o = mamori(dir, Some(&url), &["audit", "verify"]);
        assert!(o.status.success(), "{}", crate::stderr(&o));
    }
}

/// An administrator replaces the shipped 令和8年度 wording with the official one: the
/// differences are shown first and nothing changes until `--yes`; a bad file is refused by
/// name; the sheet then reads with the new wording.
#[test]
fn a_checklist_version_is_imported_after_its_differences_are_shown() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    crate::ledger::setup(dir, &url);
    let list = mamori(dir, Some(&url), &["checklist", "versions"]);
    assert!(
        stdout(&list).contains("r7")
            && stdout(&list).contains("r8")
            && stdout(&list).contains("r8v")
            && stdout(&list).contains("事業者確認用")
            && stdout(&list).contains("Mamori に同梱"),
        "{}{}",
        stdout(&list),
        crate::stderr(&list)
    );
    let shipped = include_str!("../../../domain/data/checklist/r8.toml");
    let official = shipped.replacen(
        "ja = \"接続元制限を実施している。\"\nen = \"Connections are allowed only from known sources.\"\ntargets = [\"network\"]\nwording = \"earlier\"",
        "ja = \"ネットワーク機器で接続元制限を実施している。\"\nen = \"Connections are allowed only from known sources.\"\ntargets = [\"network\"]\nwording = \"confirmed\"",
        1,
    );
    assert_ne!(official, shipped, "the test edits one item");
    std::fs::write(dir.join("r8-official.toml"), &official).unwrap();
    let dry = mamori(
        dir,
        Some(&url),
        &["checklist", "import-version", "r8-official.toml"],
    );
    assert!(dry.status.success(), "{}", crate::stderr(&dry));
    assert!(
        stdout(&dry).contains("2-⑬ の文言が変わる(文言の確認状況: 公式の文言)")
            && stdout(&dry).contains("まだ取り込んでいません"),
        "{}",
        stdout(&dry)
    );
    let sheet = || {
        let o = mamori(
            dir,
            Some(&url),
            &["checklist", "--facility", "sakura", "--version", "r8"],
        );
        stdout(&o)
    };
    assert!(
        !sheet().contains("ネットワーク機器で接続元制限"),
        "a dry run changes nothing"
    );
    let applied = mamori(
        dir,
        Some(&url),
        &["checklist", "import-version", "r8-official.toml", "--yes"],
    );
    assert!(
        stdout(&applied).contains("取り込みました"),
        "{}",
        stdout(&applied)
    );
    assert!(sheet().contains("■ 2-⑬ ネットワーク機器で接続元制限を実施している。"));
    let list = mamori(dir, Some(&url), &["checklist", "versions"]);
    assert!(stdout(&list).contains("取り込み"), "{}", stdout(&list));
    std::fs::write(
        dir.join("broken.toml"),
        "key = \"r9\"\n[[item]]\ntopic = 1\n",
    )
    .unwrap();
    let broken = mamori(
        dir,
        Some(&url),
        &["checklist", "import-version", "broken.toml"],
    );
    let err = assert_fails(&broken, 2);
    assert!(err.contains("broken.toml"), "{err}");
    let no_facility = mamori(dir, Some(&url), &["checklist"]);
    assert!(assert_fails(&no_facility, 2).contains("--facility"));
}

/// The official workbook's layout as far as it is known: a title, the gate question, section
/// headings, items numbered ① in one column with the sentence and 対象 beside them, and the
/// answer boxes after them.
fn official_workbook(path: &std::path::Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let use_sheet = book.add_worksheet();
    use_sheet.set_name("使い方").unwrap();
    use_sheet
        .write_string(0, 0, "このチェックリストは立入検査時に確認します。")
        .unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("医療機関・薬局確認用").unwrap();
    let rows: &[&[&str]] = &[
        &["医療機関・薬局におけるサイバーセキュリティ対策チェックリスト"],
        &["", "チェック項目", "対象", "1回目", "確認日", "目標日"],
        &[
            "医療情報システムの有無",
            "医療情報システムを導入、運用している。",
            "",
            "はい・いいえ",
        ],
        &["1 体制構築"],
        &[
            "①",
            "医療情報システム安全管理責任者を設置している。",
            "",
            "はい・いいえ",
        ],
        &["2 医療情報システムの管理・運用"],
        &[
            "①",
            "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
            "医療情報システム全般",
            "はい・いいえ",
        ],
        &[
            "②",
            "保守委託先との責任分界を文書で取り決めている。",
            "医療情報システム全般",
            "はい・いいえ",
        ],
        &[
            "③",
            "リモートメンテナンス(保守)を利用している機器の有無を事業者に確認した。",
            "医療情報システム全般",
            "はい・いいえ",
        ],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

#[test]
fn the_official_workbook_replaces_a_versions_wording() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    crate::ledger::setup(dir, &url);
    official_workbook(&dir.join("001716187.xlsx"));
    let dry = mamori(
        dir,
        Some(&url),
        &[
            "checklist",
            "import-version",
            "001716187.xlsx",
            "--version",
            "r8",
            "--out",
            "r8-official.toml",
        ],
    );
    let out = stdout(&dry);
    assert!(dry.status.success(), "{}", crate::stderr(&dry));
    assert!(
        out.contains("「医療機関・薬局確認用」から 5 項目を読みました")
            && out.contains("2-② を追加(item_2_2)")
            && out.contains("番号が 2-② から 2-③ に変わる(remote_maintenance)")
            && out.contains("版のファイルを r8-official.toml に書き出しました")
            && out.contains("2-⑬ を削除")
            && out.contains("まだ取り込んでいません"),
        "{out}"
    );
    // The version file made from it reads back, every sentence confirmed.
    let made = std::fs::read_to_string(dir.join("r8-official.toml")).unwrap();
    assert!(
        made.contains(
            "title_ja = \"医療機関・薬局におけるサイバーセキュリティ対策チェックリスト\""
        ) && !made.contains("wording = \"earlier\""),
        "{made}"
    );
    let applied = mamori(
        dir,
        Some(&url),
        &["checklist", "import-version", "001716187.xlsx", "--yes"],
    );
    assert!(
        stdout(&applied).contains("取り込みました"),
        "{}",
        stdout(&applied)
    );
    let sheet = mamori(
        dir,
        Some(&url),
        &["checklist", "--facility", "sakura", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&sheet)).unwrap();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    let remote = items
        .iter()
        .find(|i| i["topic"] == "remote_maintenance")
        .unwrap();
    assert_eq!(
        (&remote["number"], &remote["wording"]),
        (&serde_json::json!("2-③"), &serde_json::json!("confirmed"))
    );
    assert_ne!(
        remote["proposal"], "cannot-tell",
        "the rule came along: {remote}"
    );
    // The sheet saved from Excel as CSV (Shift_JIS) reads too.
    let csv = "医療機関・薬局におけるサイバーセキュリティ対策チェックリスト\r\n1 体制構築\r\n①,医療情報システム安全管理責任者を設置している。\r\n";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(csv);
    std::fs::write(dir.join("r8.csv"), &sjis).unwrap();
    let from_csv = mamori(dir, Some(&url), &["checklist", "import-version", "r8.csv"]);
    assert!(from_csv.status.success(), "{}", crate::stderr(&from_csv));
    assert!(
        stdout(&from_csv).contains("1 項目を読みました"),
        "{}",
        stdout(&from_csv)
    );
    // Last year's workbook does not replace this year's version.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, (a, b)) in [
        (
            "令和7年度版 医療機関におけるサイバーセキュリティ対策チェックリスト",
            "",
        ),
        ("1 体制構築", ""),
        ("①", "医療情報システム安全管理責任者を設置している。"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(r as u32, 0, *a).unwrap();
        if !b.is_empty() {
            ws.write_string(r as u32, 1, *b).unwrap();
        }
    }
    book.save(dir.join("r7.xlsx")).unwrap();
    let old = mamori(
        dir,
        Some(&url),
        &["checklist", "import-version", "r7.xlsx", "--version", "r8"],
    );
    assert!(assert_fails(&old, 2).contains("2025 年度のチェックリストです"));
    // A workbook that is not the checklist is refused, saying what to give.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(0, 0, "機器名")
        .unwrap()
        .write_string(1, 0, "受付PC")
        .unwrap();
    book.save(dir.join("台帳.xlsx")).unwrap();
    let wrong = mamori(
        dir,
        Some(&url),
        &["checklist", "import-version", "台帳.xlsx"],
    );
    assert!(assert_fails(&wrong, 2).contains("項目が見つかりません"));
    std::fs::write(dir.join("broken.xlsx"), b"PK\x03\x04 not a workbook").unwrap();
    let broken = mamori(
        dir,
        Some(&url),
        &["checklist", "import-version", "broken.xlsx"],
    );
    assert!(assert_fails(&broken, 2).contains("broken.xlsx"));
}
