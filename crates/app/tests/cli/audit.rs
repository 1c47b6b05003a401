use crate::{mamori, stdout};

#[tokio::test]
async fn verify_passes_then_fails_after_a_hand_edit() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        for short in ["a", "b", "c"] {
            let o = mamori(
                dir,
                Some(&url),
                &["facility", "add", short, "--name", "診療所"],
            );
            assert!(o.status.success(), "{}", crate::stderr(&o));
        }
        let ok = mamori(dir, Some(&url), &["audit", "verify"]);
        assert!(
            ok.status.success(),
            "{}: {}",
            db.backend,
            crate::stderr(&ok)
        );
        assert!(stdout(&ok).contains("4 件"), "{}", stdout(&ok));

        testkit::exec(&db, "UPDATE audit_record SET summary = '{}' WHERE seq = 3").await;
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
    testkit::exec(&db, "DELETE FROM audit_record WHERE seq = 2").await;
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
