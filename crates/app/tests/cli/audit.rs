use crate::{mamori, stdout};

/// Three facilities added by the CLI: records 1 (the key) to 4 of the deployment's chain.
fn three_facilities(dir: &std::path::Path, url: &str) {
    for short in ["a", "b", "c"] {
        let o = mamori(
            dir,
            Some(url),
            &["facility", "add", short, "--name", "診療所"],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
    }
}

#[tokio::test]
async fn verify_passes_then_fails_after_a_hand_edit() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        three_facilities(dir, &url);
        let ok = mamori(dir, Some(&url), &["audit", "verify"]);
        assert!(
            ok.status.success(),
            "{}: {}",
            db.backend,
            crate::stderr(&ok)
        );
        assert!(stdout(&ok).contains("4 件"), "{}", stdout(&ok));

        testkit::exec(
            &db,
            "UPDATE audit_log SET summary = '{}' WHERE chain = 0 AND seq = 3",
        )
        .await;
        let bad = mamori(dir, Some(&url), &["audit", "verify"]);
        assert_eq!(bad.status.code(), Some(1), "{}", db.backend);
        let text = stdout(&bad);
        assert!(
            text.contains("監査記録 3") && text.contains("書き換え"),
            "{text}"
        );
        assert!(text.contains("2 件は正常"), "{text}");
    }
}

#[tokio::test]
async fn a_checkpoint_file_finds_a_rewound_chain() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        three_facilities(dir, &url);
        let file = dir.join("checkpoint.json");
        let file_arg = file.to_string_lossy().to_string();
        let o = mamori(
            dir,
            Some(&url),
            &["audit", "checkpoint", "--out", &file_arg],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
        assert!(stdout(&o).contains("記録 4 件"), "{}", stdout(&o));
        assert!(stdout(&o).contains("別の場所"), "{}", stdout(&o));
        // The newest record deleted, the head rewound to the one before, and the
        // checkpoints kept in the database deleted too.
        testkit::exec(&db, "DELETE FROM audit_log WHERE chain = 0 AND seq = 4").await;
        testkit::exec(
            &db,
            "UPDATE audit_chain SET seq = 3, hash = (SELECT hash FROM audit_log \
             WHERE chain = 0 AND seq = 3) WHERE chain = 0",
        )
        .await;
        testkit::exec(&db, "DELETE FROM audit_checkpoint").await;
        let alone = mamori(dir, Some(&url), &["audit", "verify"]);
        assert!(alone.status.success(), "{}: {}", db.backend, stdout(&alone));
        let checked = mamori(
            dir,
            Some(&url),
            &["audit", "verify", "--checkpoint", &file_arg],
        );
        assert_eq!(
            checked.status.code(),
            Some(1),
            "{}: {}",
            db.backend,
            stdout(&checked)
        );
        let text = stdout(&checked);
        assert!(
            text.contains("全体(利用者・サインイン・脆弱性情報)の監査ログ")
                && text.contains("記録 4 まで"),
            "{text}"
        );
        // An edited checkpoint file is refused, not trusted.
        let edited = std::fs::read_to_string(&file)
            .unwrap()
            .replace("\"seq\":4", "\"seq\":3");
        std::fs::write(&file, edited).unwrap();
        let forged = mamori(
            dir,
            Some(&url),
            &["audit", "verify", "--checkpoint", &file_arg],
        );
        assert_ne!(forged.status.code(), Some(0));
        assert!(
            crate::stderr(&forged).contains("署名されていません"),
            "{}",
            crate::stderr(&forged)
        );
    }
}

#[tokio::test]
async fn verify_finds_deleted_records() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    for short in ["a", "b"] {
        assert!(
            mamori(dir, Some(&url), &["facility", "add", short, "--name", "x"])
                .status
                .success()
        );
    }
    testkit::exec(&db, "DELETE FROM audit_log WHERE chain = 0 AND seq = 2").await;
    let bad = mamori(dir, Some(&url), &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).contains("監査記録 2〜2 が消えています"),
        "{}",
        stdout(&bad)
    );
}

#[tokio::test]
async fn a_lost_key_is_never_silently_replaced() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    assert!(
        mamori(dir, Some(&url), &["facility", "add", "a", "--name", "x"])
            .status
            .success()
    );
    std::fs::remove_file(dir.join("test.key")).unwrap();
    let o = mamori(dir, Some(&url), &["facility", "add", "b", "--name", "y"]);
    let err = crate::assert_fails(&o, 2);
    assert!(
        err.contains("test.key") && err.contains("新しい鍵は作りません"),
        "{err}"
    );
    assert!(!dir.join("test.key").exists());
}
