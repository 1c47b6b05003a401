//! `mamori backup manifest|verify`: a backup folder recorded when taken and compared later,
//! with every changed, missing and added file named; the record reads like `sha256sum`'s.

use crate::{mamori, stderr, stdout};

#[test]
fn a_backup_is_recorded_then_every_change_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = d.join("backup");
    std::fs::create_dir_all(data.join("db")).unwrap();
    std::fs::write(data.join("db/ehr.bak"), b"abc").unwrap();
    std::fs::write(data.join("log.txt"), b"").unwrap();
    let o = mamori(
        d,
        None,
        &["backup", "manifest", "backup", "--out", "record.txt"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 個のファイル"), "{}", stdout(&o));
    let record = std::fs::read_to_string(d.join("record.txt")).unwrap();
    assert_eq!(
        record,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  db/ehr.bak\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  log.txt\n",
        "sha256sum's format"
    );
    let ok = mamori(
        d,
        None,
        &["backup", "verify", "backup", "--manifest", "record.txt"],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("すべてが、バックアップを取ったときの記録と一致しました"));

    // Ransomware's work: one file encrypted, one deleted, a note left.
    std::fs::write(data.join("db/ehr.bak"), b"\x8f\x1e\x02").unwrap();
    std::fs::remove_file(data.join("log.txt")).unwrap();
    std::fs::write(data.join("README_RESTORE.txt"), b"pay").unwrap();
    let bad = mamori(
        d,
        None,
        &["backup", "verify", "backup", "--manifest", "record.txt"],
    );
    assert_eq!(bad.status.code(), Some(1));
    let err = stderr(&bad);
    for want in [
        "中身が変わっています: db/ehr.bak",
        "なくなっています: log.txt",
        "記録にないファイルがあります: README_RESTORE.txt",
        "一致 0、変わった 1、ない 1、増えた 1",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }

    // A record kept inside the folder is not part of what it records.
    std::fs::create_dir_all(d.join("nas")).unwrap();
    std::fs::write(d.join("nas/a.bak"), b"a").unwrap();
    let o = mamori(
        d,
        None,
        &["backup", "manifest", "nas", "--out", "nas/record.txt"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mamori(
        d,
        None,
        &["backup", "verify", "nas", "--manifest", "nas/record.txt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    std::fs::write(d.join("broken.txt"), "not a record\n").unwrap();
    let o = mamori(
        d,
        None,
        &["backup", "verify", "backup", "--manifest", "broken.txt"],
    );
    let err = crate::assert_fails(&o, 2);
    assert!(err.contains("1 行目"), "{err}");
    let o = mamori(
        d,
        None,
        &["backup", "manifest", "nothing", "--out", "x.txt"],
    );
    let err = crate::assert_fails(&o, 2);
    assert!(err.contains("フォルダではありません"), "{err}");
}

#[tokio::test]
async fn a_verification_is_kept_as_evidence_of_the_backup_item() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        crate::ledger::setup(dir, &url);
        std::fs::create_dir_all(dir.join("nas")).unwrap();
        std::fs::write(dir.join("nas/ehr.bak"), b"abc").unwrap();
        let o = mamori(
            dir,
            Some(&url),
            &["backup", "manifest", "nas", "--out", "r.txt"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let o = mamori(
            dir,
            Some(&url),
            &[
                "backup",
                "verify",
                "nas",
                "--manifest",
                "r.txt",
                "--facility",
                "sakura",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("根拠資料(第 1 号)"), "{}", stdout(&o));
        let sheet = mamori(
            dir,
            Some(&url),
            &["checklist", "--facility", "sakura", "--format", "json"],
        );
        let c: serde_json::Value = serde_json::from_str(&stdout(&sheet)).unwrap();
        let item = c["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["topic"] == "backup_restore")
            .cloned()
            .unwrap();
        let docs = item["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 1, "{item}");
        assert!(
            docs[0]["title"]
                .as_str()
                .unwrap()
                .contains("一致 1 件、不一致 0 件"),
            "{item}"
        );
        assert_eq!(docs[0]["media_type"], "text/plain; charset=utf-8");
    }
}

#[tokio::test]
async fn a_verification_of_a_system_is_recorded_as_its_restore_drill() {
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
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::create_dir_all(dir.join("restored")).unwrap();
        std::fs::write(dir.join("restored/ehr.bak"), b"abc").unwrap();
        let o = mamori(
            dir,
            Some(&url),
            &["backup", "manifest", "restored", "--out", "r.txt"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let verify = |system: &str| {
            mamori(
                dir,
                Some(&url),
                &[
                    "backup",
                    "verify",
                    "restored",
                    "--manifest",
                    "r.txt",
                    "--facility",
                    "sakura",
                    "--system",
                    system,
                    "--minutes",
                    "45",
                ],
            )
        };
        // A system the ledger does not have is said before anything is hashed or kept.
        let o = verify("電子カルテ");
        let err = crate::assert_fails(&o, 2);
        assert!(
            err.contains("「電子カルテ」という機器がありません"),
            "{err}"
        );
        let o = verify("電子カルテサーバ");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("復元訓練として記録しました"),
            "{}",
            stdout(&o)
        );
        std::fs::write(dir.join("restored/ehr.bak"), b"encrypted").unwrap();
        let o = verify("電子カルテサーバ");
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

        let o = mamori(
            dir,
            Some(&url),
            &["backups", "--facility", "sakura", "--format", "json"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let ehr = v["systems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "電子カルテサーバ")
            .cloned()
            .unwrap();
        let drills = ehr["drills"].as_array().unwrap();
        assert_eq!(drills.len(), 2, "{ehr}");
        assert_eq!(drills[0]["details"]["result"], "restored");
        assert_eq!(drills[0]["details"]["minutes"], 45);
        assert_eq!(drills[0]["details"]["verified"], true);
        assert_eq!(drills[0]["details"]["evidence"], 1);
        assert_eq!(drills[1]["details"]["result"], "failed");
        assert_eq!(drills[1]["details"]["evidence"], 2);
        let codes: Vec<&str> = ehr["assessment"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["no-copies", "drill-failed", "no-goal"], "{ehr}");
        assert_eq!(ehr["assessment"]["rule"]["zero"], false);

        let o = mamori(dir, Some(&url), &["backups", "--facility", "sakura"]);
        let out = stdout(&o);
        assert!(out.contains("電子カルテサーバ"), "{out}");
        assert!(out.contains("×-×-×-×-×"), "{out}");
        assert!(out.contains("復元訓練の結果:「復元できなかった」"), "{out}");
        assert!(out.contains("バックアップが記録されていません"), "{out}");

        // A backup job's log: read, but there is no copy to record it against yet; a file
        // that is not one is named.
        std::fs::write(
            dir.join("versions.txt"),
            "Backup time: 3/31/2026 2:00 AM\r\nVersion identifier: 03/30/2026-17:00\r\n",
        )
        .unwrap();
        let log = |file: &str| {
            mamori(
                dir,
                Some(&url),
                &[
                    "backup",
                    "log",
                    file,
                    "--facility",
                    "sakura",
                    "--system",
                    "電子カルテサーバ",
                ],
            )
        };
        let err = crate::assert_fails(&log("versions.txt"), 2);
        assert!(err.contains("コピーが記録されていません"), "{err}");
        let err = crate::assert_fails(&log("r.txt"), 2);
        assert!(err.contains("バージョン識別子"), "{err}");
    }
}

#[tokio::test]
async fn the_drawer_copy_prints_as_a_pdf() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        crate::ledger::setup(dir, &url);
        let o = mamori(
            dir,
            Some(&url),
            &[
                "playbook",
                "print",
                "--facility",
                "sakura",
                "--out",
                "引き出し",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("引き出し.pdf"), "{}", stdout(&o));
        let bytes = std::fs::read(dir.join("引き出し.pdf")).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let o = mamori(
            dir,
            Some(&url),
            &[
                "playbook",
                "print",
                "--facility",
                "nowhere",
                "--out",
                "x.pdf",
            ],
        );
        crate::assert_fails(&o, 2);
        let o = mamori(
            dir,
            Some(&url),
            &["bcp", "print", "--facility", "sakura", "--out", "bcp.pdf"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            std::fs::read(dir.join("bcp.pdf"))
                .unwrap()
                .starts_with(b"%PDF-")
        );
    }
}
