use domain::audit::{BreakKind, GENESIS, to_hex};
use domain::facility::FacilityRef;
use domain::{
    Actor, AssetKind, AuditEntry, AuditKey, AuditRecord, FacilityId, FacilityKind, NewAsset,
    NewFacility, Timestamp,
};
use store::{Access, ChainOf, Chains, Database, Error, SignedCheckpoint, Store};
use testkit::{T0, TestDb, each_backend, exec, open_store};

/// A store whose deployment chain holds the init record and two facility creations (seq 1 to
/// 3), and whose first facility's chain holds five devices (seq 1 to 5).
async fn chain(db: &TestDb) -> (Store, FacilityId, FacilityId) {
    let s = open_store(db).await;
    let mut ids = Vec::new();
    for i in 0..2 {
        let f = NewFacility::new(
            &format!("f{i}"),
            &format!("診療所{i}"),
            FacilityKind::Clinic,
            None,
            None,
        )
        .unwrap();
        ids.push(
            s.add_facility(&Actor::Cli("t".into()), f, T0)
                .await
                .unwrap()
                .id,
        );
    }
    let scope = s.scope(&FacilityRef::Id(ids[0])).await.unwrap();
    for i in 0..5 {
        let a = NewAsset::new(AssetKind::Pc, &format!("端末{i}")).unwrap();
        s.add_asset(&scope, &Actor::Cli("t".into()), a, T0)
            .await
            .unwrap();
    }
    (s, ids[0], ids[1])
}

fn broken_at(report: store::AuditReport) -> (Option<FacilityId>, i64, BreakKind) {
    let b = report.outcome.expect_err("tampering must be detected");
    (b.chain, b.seq, b.kind)
}

async fn verify(s: &Store) -> store::AuditReport {
    s.verify_audit(Chains::All, None).await.unwrap()
}

#[tokio::test]
async fn untouched_chains_verify_each_numbered_from_one() {
    for db in each_backend().await {
        let (s, f, g) = chain(&db).await;
        let r = verify(&s).await;
        assert_eq!(
            (r.checked, r.chains, r.outcome),
            (8, 2, Ok(())),
            "{}",
            db.backend
        );
        let seqs: Vec<i64> = s
            .recent_audit(Some(f), 10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.seq)
            .collect();
        assert_eq!(seqs, [5, 4, 3, 2, 1], "{}", db.backend);
        assert!(s.recent_audit(Some(g), 10).await.unwrap().is_empty());
        let one = s.verify_audit(Chains::One(Some(f)), None).await.unwrap();
        assert_eq!((one.checked, one.outcome), (5, Ok(())), "{}", db.backend);
        assert_eq!(s.facility_audit_summary(f).await.unwrap().0, 5);
    }
}

#[tokio::test]
async fn an_edited_record_is_found_and_its_facility_named() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        exec(
            &db,
            &format!(
                "UPDATE audit_log SET actor = 'cli:someone-else' WHERE chain = {} AND seq = 3",
                f.0
            ),
        )
        .await;
        let r = verify(&s).await;
        assert_eq!(r.broken_facility.as_deref(), Some("診療所0"));
        assert_eq!(
            broken_at(r),
            (Some(f), 3, BreakKind::Altered),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn an_edited_hash_is_found() {
    for db in each_backend().await {
        let (s, _, _) = chain(&db).await;
        exec(
            &db,
            "UPDATE audit_log SET hash = 'zz' WHERE chain = 0 AND seq = 2",
        )
        .await;
        assert_eq!(
            broken_at(verify(&s).await),
            (None, 2, BreakKind::Altered),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_deleted_record_is_found() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        exec(
            &db,
            &format!("DELETE FROM audit_log WHERE chain = {} AND seq = 2", f.0),
        )
        .await;
        assert_eq!(
            broken_at(verify(&s).await),
            (Some(f), 3, BreakKind::Missing { expected: 2 }),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn deleted_newest_records_are_found() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        exec(
            &db,
            &format!("DELETE FROM audit_log WHERE chain = {} AND seq >= 4", f.0),
        )
        .await;
        assert_eq!(
            broken_at(verify(&s).await),
            (Some(f), 4, BreakKind::TailMissing { head_seq: 5 }),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn reordered_records_are_found() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        let c = f.0;
        // Swap the numbers of records 2 and 4, so that reading in order gives 1, 4, 3, 2, 5.
        exec(
            &db,
            &format!("UPDATE audit_log SET seq = -2 WHERE chain = {c} AND seq = 2"),
        )
        .await;
        exec(
            &db,
            &format!("UPDATE audit_log SET seq = 2 WHERE chain = {c} AND seq = 4"),
        )
        .await;
        exec(
            &db,
            &format!("UPDATE audit_log SET seq = 4 WHERE chain = {c} AND seq = -2"),
        )
        .await;
        assert_eq!(
            broken_at(verify(&s).await),
            (Some(f), 2, BreakKind::Altered),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_record_moved_to_another_facility_is_found() {
    for db in each_backend().await {
        let (s, f, g) = chain(&db).await;
        exec(
            &db,
            &format!(
                "UPDATE audit_log SET chain = {}, seq = 1 WHERE chain = {} AND seq = 5",
                g.0, f.0
            ),
        )
        .await;
        exec(
            &db,
            &format!(
                "INSERT INTO audit_chain (chain, seq, hash) SELECT {}, 1, hash FROM audit_log \
                 WHERE chain = {} AND seq = 1",
                g.0, g.0
            ),
        )
        .await;
        let r = verify(&s).await;
        assert!(r.outcome.is_err(), "{}: {r:?}", db.backend);
    }
}

#[tokio::test]
async fn a_missing_head_row_is_found() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        exec(
            &db,
            &format!("DELETE FROM audit_chain WHERE chain = {}", f.0),
        )
        .await;
        assert_eq!(
            broken_at(verify(&s).await),
            (Some(f), 5, BreakKind::HeadMissing),
            "{}",
            db.backend
        );
    }
}

/// Deletes the newest two records of `f`'s chain and rewinds its head to record 3: the
/// chain alone then looks intact.
async fn rewind(db: &TestDb, f: FacilityId) {
    let c = f.0;
    exec(
        db,
        &format!("DELETE FROM audit_log WHERE chain = {c} AND seq >= 4"),
    )
    .await;
    exec(
        db,
        &format!(
            "UPDATE audit_chain SET seq = 3, hash = (SELECT hash FROM audit_log WHERE chain = {c} \
             AND seq = 3) WHERE chain = {c}"
        ),
    )
    .await;
}

#[tokio::test]
async fn a_rewound_chain_is_found_by_the_stored_checkpoint() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        s.checkpoint(T0).await.unwrap();
        assert_eq!(verify(&s).await.outcome, Ok(()), "{}", db.backend);
        rewind(&db, f).await;
        assert_eq!(
            broken_at(verify(&s).await),
            (Some(f), 4, BreakKind::Rewound { checkpoint_seq: 5 }),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_rewound_chain_is_never_signed_by_the_next_checkpoint() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        s.checkpoint(T0).await.unwrap();
        rewind(&db, f).await;
        // The hourly checkpoint finds the rewind against the last one and signs nothing.
        let refused = s.checkpoint(T0).await;
        assert!(
            matches!(&refused, Err(Error::ChainBroken { facility: Some(name), seq: 4 }) if name == "診療所0"),
            "{}: {refused:?}",
            db.backend
        );
        assert!(matches!(
            s.checkpoint_if_changed(T0).await,
            Err(Error::ChainBroken { .. })
        ));
        assert_eq!(
            broken_at(verify(&s).await),
            (Some(f), 4, BreakKind::Rewound { checkpoint_seq: 5 }),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_rewound_chain_is_found_by_a_checkpoint_file_when_the_stored_ones_are_deleted() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        let file = s.checkpoint(T0).await.unwrap().to_json();
        rewind(&db, f).await;
        exec(&db, "DELETE FROM audit_checkpoint").await;
        // Without a checkpoint the rewound chain passes: that is what checkpoints are for.
        assert_eq!(verify(&s).await.outcome, Ok(()), "{}", db.backend);
        let given = SignedCheckpoint::from_json(&file).unwrap();
        let r = s.verify_audit(Chains::All, Some(&given)).await.unwrap();
        assert_eq!(
            broken_at(r),
            (Some(f), 4, BreakKind::Rewound { checkpoint_seq: 5 }),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_chain_deleted_whole_or_emptied_is_found_by_a_checkpoint() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        let given = s.checkpoint(T0).await.unwrap();
        // Every record deleted and the head zeroed.
        exec(&db, &format!("DELETE FROM audit_log WHERE chain = {}", f.0)).await;
        exec(
            &db,
            &format!(
                "UPDATE audit_chain SET seq = 0, hash = '{}' WHERE chain = {}",
                to_hex(&GENESIS),
                f.0
            ),
        )
        .await;
        assert_eq!(
            broken_at(s.verify_audit(Chains::All, Some(&given)).await.unwrap()),
            (Some(f), 1, BreakKind::Rewound { checkpoint_seq: 5 }),
            "{}",
            db.backend
        );
        // And the head row deleted too: the chain is gone but for the checkpoint.
        exec(
            &db,
            &format!("DELETE FROM audit_chain WHERE chain = {}", f.0),
        )
        .await;
        assert_eq!(
            broken_at(s.verify_audit(Chains::All, Some(&given)).await.unwrap()),
            (Some(f), 1, BreakKind::Rewound { checkpoint_seq: 5 }),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_rewound_chain_written_on_since_is_found() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        let given = s.checkpoint(T0).await.unwrap();
        rewind(&db, f).await;
        let scope = s.scope(&FacilityRef::Id(f)).await.unwrap();
        for name in ["新しい端末A", "新しい端末B"] {
            let a = NewAsset::new(AssetKind::Pc, name).unwrap();
            s.add_asset(&scope, &Actor::Cli("t".into()), a, T0)
                .await
                .unwrap();
        }
        assert_eq!(
            broken_at(s.verify_audit(Chains::All, Some(&given)).await.unwrap()),
            (Some(f), 5, BreakKind::NotAsCheckpointed),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn an_edited_or_foreign_checkpoint_is_refused() {
    for db in each_backend().await {
        let (s, _, _) = chain(&db).await;
        let mut given = s.checkpoint(T0).await.unwrap();
        given.checkpoint.heads[0].seq -= 1;
        assert!(
            matches!(
                s.verify_audit(Chains::All, Some(&given)).await,
                Err(Error::ForgedCheckpoint)
            ),
            "{}",
            db.backend
        );
        // Signed by another deployment's key.
        let other = testkit::sqlite();
        let database = Database::connect(&other.url, Access::ReadWrite)
            .await
            .unwrap();
        database.migrate(T0).await.unwrap();
        let o = Store::open(database, AuditKey::from_bytes([9; 32]), T0)
            .await
            .unwrap();
        let foreign = o.checkpoint(T0).await.unwrap();
        assert!(matches!(
            s.verify_audit(Chains::All, Some(&foreign)).await,
            Err(Error::ForgedCheckpoint)
        ));
        assert_eq!(SignedCheckpoint::from_json("{}"), None);
        assert_eq!(
            SignedCheckpoint::from_json(&foreign.to_json()).as_ref(),
            Some(&foreign)
        );
    }
}

#[tokio::test]
async fn writers_of_two_facilities_do_not_wait_for_each_other_on_postgres() {
    let db = testkit::postgres().await;
    let (s, f, g) = chain(&db).await;
    let t = Actor::Cli("t".into());
    // A write of facility f holds its chain's head until it ends.
    let held = s.begin(ChainOf::facility(f), &t, T0).await.unwrap();
    let other = s.record(
        &t,
        Some(g),
        "note",
        "facility",
        "1",
        serde_json::json!({}),
        T0,
    );
    tokio::time::timeout(std::time::Duration::from_secs(10), other)
        .await
        .expect("a write of another facility must not wait")
        .unwrap();
    // A second write of the same facility waits for the first.
    let same = s.record(
        &t,
        Some(f),
        "note",
        "facility",
        "1",
        serde_json::json!({}),
        T0,
    );
    let mut same = Box::pin(same);
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(300), &mut same)
            .await
            .is_err()
    );
    drop(held);
    same.await.unwrap();
    assert_eq!(verify(&s).await.outcome, Ok(()));
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
            broken_at(verify(&s).await),
            (None, 1, BreakKind::Altered),
            "{}",
            db.backend
        );
    }
}

/// Writes a chain in the single layout of before into the old tables, as a deployment of
/// before this change holds it: records of facility `f` and of the deployment, mixed.
async fn single_chain(db: &TestDb, f: FacilityId, tamper: bool) {
    let key = testkit::key();
    let mut prev = GENESIS;
    for seq in 1..=4i64 {
        let entry = AuditEntry {
            facility: (seq % 2 == 0).then_some(f),
            actor: "cli:old".into(),
            action: "asset.create".into(),
            object_kind: "asset".into(),
            object_id: seq.to_string(),
            summary: format!(r#"{{"n":{seq}}}"#),
        };
        let r = AuditRecord::seal_single(&key, seq, Timestamp::from_unix_millis(seq), entry, prev);
        prev = r.hash;
        let summary = if tamper && seq == 3 {
            "{}".to_string()
        } else {
            r.entry.summary.clone()
        };
        exec(
            db,
            &format!(
                "INSERT INTO audit_record (seq, at, facility_id, actor, action, object_kind, \
                 object_id, summary, prev_hash, hash) VALUES ({seq}, {seq}, {}, 'cli:old', \
                 'asset.create', 'asset', '{seq}', '{summary}', '{}', '{}')",
                r.entry
                    .facility
                    .map_or("NULL".to_string(), |f| f.0.to_string()),
                to_hex(&r.prev_hash),
                to_hex(&r.hash)
            ),
        )
        .await;
    }
    exec(
        db,
        &format!(
            "UPDATE audit_head SET seq = 4, hash = '{}' WHERE id = 1",
            to_hex(&prev)
        ),
    )
    .await;
}

async fn reopen(db: &TestDb) -> Store {
    let database = Database::connect(&db.url, Access::ReadWrite).await.unwrap();
    Store::open(database, testkit::key(), T0).await.unwrap()
}

#[tokio::test]
async fn the_single_chain_of_before_is_converted_into_chains() {
    for db in each_backend().await {
        let (s, f, _) = chain(&db).await;
        single_chain(&db, f, false).await;
        // Read only, before conversion: the old chain is verified as it is.
        let database = Database::connect(&db.url, Access::ReadOnly).await.unwrap();
        let ro = Store::open_read_only(database, testkit::key())
            .await
            .unwrap();
        assert_eq!(verify(&ro).await.outcome, Ok(()), "{}", db.backend);
        drop((s, ro));
        let s = reopen(&db).await;
        let r = verify(&s).await;
        assert_eq!(r.outcome, Ok(()), "{}", db.backend);
        // 8 records of before this test's old ones, 4 old ones and the conversion record.
        assert_eq!(r.checked, 8 + 4 + 1, "{}", db.backend);
        let of_f = s.recent_audit(Some(f), 20).await.unwrap();
        assert_eq!(of_f.len(), 7);
        assert_eq!(of_f[0].entry.actor, "cli:old");
        let all = s.recent_audit(None, 50).await.unwrap();
        let converted: Vec<_> = all
            .iter()
            .filter(|r| r.entry.action == "audit.convert")
            .collect();
        assert_eq!(converted.len(), 1);
        assert_eq!((converted[0].chain, converted[0].seq), (None, 6));
        assert!(converted[0].entry.summary.contains(r#""intact":true"#));
        // Opening again converts nothing more.
        let s = reopen(&db).await;
        assert_eq!(verify(&s).await.checked, 13, "{}", db.backend);
    }
}

#[tokio::test]
async fn two_processes_opening_at_once_convert_once() {
    for db in each_backend().await {
        let (_, f, _) = chain(&db).await;
        single_chain(&db, f, false).await;
        let (a, b) = tokio::join!(reopen(&db), reopen(&db));
        drop(b);
        let r = verify(&a).await;
        assert_eq!((r.checked, r.outcome), (13, Ok(())), "{}", db.backend);
        let converted = a
            .recent_audit(None, 50)
            .await
            .unwrap()
            .iter()
            .filter(|r| r.entry.action == "audit.convert")
            .count();
        assert_eq!(converted, 1, "{}", db.backend);
    }
}

/// An old chain edited (one record's summary) or emptied (every record deleted, its head
/// left) before the conversion: every later verification says it was broken then.
#[tokio::test]
async fn a_single_chain_broken_before_its_conversion_stays_broken() {
    for emptied in [false, true] {
        for db in each_backend().await {
            let (_, f, _) = chain(&db).await;
            single_chain(&db, f, !emptied).await;
            if emptied {
                exec(&db, "DELETE FROM audit_record").await;
            }
            let s = reopen(&db).await;
            let (chain, _, kind) = broken_at(verify(&s).await);
            assert_eq!(
                (chain, kind),
                (None, BreakKind::BrokenBeforeConversion),
                "{} emptied={emptied}",
                db.backend
            );
        }
    }
}
