use domain::audit::BreakKind;
use domain::{Actor, AuditKey, FacilityKind, NewFacility};
use store::{Access, Database, Error, Store};
use testkit::{T0, TestDb, each_backend, exec, open_store};

/// A store with the init record and four facility records: seq 1 to 5.
async fn chain(db: &TestDb) -> Store {
    let s = open_store(db).await;
    for i in 0..4 {
        let f =
            NewFacility::new(&format!("f{i}"), "診療所", FacilityKind::Clinic, None, None).unwrap();
        s.add_facility(&Actor::Cli("t".into()), f, T0)
            .await
            .unwrap();
    }
    s
}

fn broken_at(report: store::AuditReport) -> (i64, BreakKind) {
    let b = report.outcome.expect_err("tampering must be detected");
    (b.seq, b.kind)
}

#[tokio::test]
async fn an_untouched_chain_verifies() {
    for db in each_backend().await {
        let s = chain(&db).await;
        let r = s.verify_audit().await.unwrap();
        assert_eq!(
            (r.checked, r.head_seq, r.outcome),
            (5, 5, Ok(())),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn an_edited_record_is_found() {
    for db in each_backend().await {
        let s = chain(&db).await;
        exec(
            &db,
            "UPDATE audit_record SET actor = 'cli:someone-else' WHERE seq = 3",
        )
        .await;
        assert_eq!(
            broken_at(s.verify_audit().await.unwrap()),
            (3, BreakKind::Altered),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn an_edited_hash_is_found() {
    for db in each_backend().await {
        let s = chain(&db).await;
        exec(&db, "UPDATE audit_record SET hash = 'zz' WHERE seq = 2").await;
        assert_eq!(
            broken_at(s.verify_audit().await.unwrap()),
            (2, BreakKind::Altered),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_deleted_record_is_found() {
    for db in each_backend().await {
        let s = chain(&db).await;
        exec(&db, "DELETE FROM audit_record WHERE seq = 2").await;
        let found = broken_at(s.verify_audit().await.unwrap());
        assert_eq!(
            found,
            (3, BreakKind::Missing { expected: 2 }),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn deleted_newest_records_are_found() {
    for db in each_backend().await {
        let s = chain(&db).await;
        exec(&db, "DELETE FROM audit_record WHERE seq >= 4").await;
        let found = broken_at(s.verify_audit().await.unwrap());
        assert_eq!(
            found,
            (4, BreakKind::TailMissing { head_seq: 5 }),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn reordered_records_are_found() {
    for db in each_backend().await {
        let s = chain(&db).await;
        // Swap the numbers of records 2 and 4, so that reading in order gives 1, 4, 3, 2, 5.
        exec(&db, "UPDATE audit_record SET seq = -2 WHERE seq = 2").await;
        exec(&db, "UPDATE audit_record SET seq = 2 WHERE seq = 4").await;
        exec(&db, "UPDATE audit_record SET seq = 4 WHERE seq = -2").await;
        assert_eq!(
            broken_at(s.verify_audit().await.unwrap()),
            (2, BreakKind::Altered),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_different_key_is_refused_before_any_check() {
    for db in each_backend().await {
        chain(&db).await;
        let database = Database::connect(&db.url, Access::ReadOnly).await.unwrap();
        let other = AuditKey::from_bytes([1; 32]);
        let err = Store::open_read_only(database, other).await.unwrap_err();
        assert!(
            matches!(err, Error::WrongAuditKey { .. }),
            "{}: {err:?}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_removed_deployment_row_is_tampering_too() {
    for db in each_backend().await {
        chain(&db).await;
        exec(&db, "DELETE FROM deployment").await;
        // Without the fingerprint a checker can only use a stand-in key: record 1 then fails.
        let database = Database::connect(&db.url, Access::ReadOnly).await.unwrap();
        let s = Store::open_read_only(database, AuditKey::from_bytes([0; 32]))
            .await
            .unwrap();
        assert_eq!(
            broken_at(s.verify_audit().await.unwrap()),
            (1, BreakKind::Altered),
            "{}",
            db.backend
        );
    }
}
