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
