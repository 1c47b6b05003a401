use domain::facility::FacilityRef;
use domain::{
    Actor, AssetKind, FacilityKind, NewAsset, NewFacility, NewRegion, Prefecture, ShortName,
};
use store::Error;
use testkit::{T0, each_backend, exec, open_store};

fn actor() -> Actor {
    Actor::Cli("tester".into())
}

fn clinic(short: &str) -> NewFacility {
    NewFacility::new(
        short,
        "医療法人 テスト会 テスト内科クリニック",
        FacilityKind::Clinic,
        Some(19),
        Prefecture::parse("徳島県").ok(),
    )
    .unwrap()
}

#[tokio::test]
async fn facilities_round_trip_with_japanese_text() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = s
            .add_facility(&actor(), clinic("tokushima-a"), T0)
            .await
            .unwrap();
        let h = NewFacility::new(
            "core",
            "県立中央病院",
            FacilityKind::Hospital,
            Some(460),
            None,
        )
        .unwrap();
        let b = s.add_facility(&actor(), h, T0).await.unwrap();
        let all = s.facilities().await.unwrap();
        assert_eq!(all, vec![a.clone(), b.clone()], "{}", db.backend);
        let short = FacilityRef::Short(ShortName::parse("tokushima-a").unwrap());
        assert_eq!(s.facility(&short).await.unwrap(), a);
        assert_eq!(s.facility(&FacilityRef::Id(b.id)).await.unwrap(), b);
        let missing = s.facility(&FacilityRef::Id(domain::FacilityId(9999))).await;
        assert!(matches!(
            missing,
            Err(Error::NotFound {
                what: "facility",
                ..
            })
        ));
    }
}

#[tokio::test]
async fn short_names_are_unique_and_nothing_is_half_written() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        s.add_facility(&actor(), clinic("dup"), T0).await.unwrap();
        let before = s.recent_audit(None, 100).await.unwrap().len();
        let err = s
            .add_facility(&actor(), clinic("dup"), T0)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Conflict {
                    what: "facility",
                    ..
                }
            ),
            "{}: {err:?}",
            db.backend
        );
        assert_eq!(s.facilities().await.unwrap().len(), 1);
        assert_eq!(
            s.recent_audit(None, 100).await.unwrap().len(),
            before,
            "no audit record for a failed write"
        );
        assert_eq!(
            s.verify_audit(store::Chains::All, None)
                .await
                .unwrap()
                .outcome,
            Ok(())
        );
    }
}

#[tokio::test]
async fn every_write_leaves_an_audit_record_in_its_facility() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let f = s
            .add_facility(&actor(), clinic("audited"), T0)
            .await
            .unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        let asset = NewAsset::new(AssetKind::VpnAppliance, "保守用VPN")
            .unwrap()
            .ip("192.168.1.1")
            .unwrap();
        s.add_asset(&scope, &actor(), asset, T0).await.unwrap();
        let records = s.recent_audit(Some(f.id), 10).await.unwrap();
        let actions: Vec<&str> = records.iter().map(|r| r.entry.action.as_str()).collect();
        // The facility's own chain; its creation is an event of the deployment's chain.
        assert_eq!(actions, ["asset.create"], "{}", db.backend);
        assert!(records.iter().all(|r| r.entry.actor == "cli:tester"));
        assert!(records[0].entry.summary.contains("保守用VPN"));
        assert_eq!((records[0].chain, records[0].seq), (Some(f.id), 1));
        // The deployment's first record is the key fingerprint; it belongs to no facility.
        let all = s.recent_audit(None, 10).await.unwrap();
        let created = all.iter().find(|r| r.entry.action == "facility.create");
        assert_eq!(
            created.map(|r| (r.chain, r.entry.facility)),
            Some((None, Some(f.id)))
        );
        assert_eq!(
            all.last().map(|r| r.entry.action.as_str()),
            Some("deployment.init")
        );
    }
}

#[tokio::test]
async fn a_scope_sees_only_its_own_facility() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = s
            .add_facility(&actor(), clinic("clinic-a"), T0)
            .await
            .unwrap();
        let b = s
            .add_facility(&actor(), clinic("clinic-b"), T0)
            .await
            .unwrap();
        let sa = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let sb = s.scope(&FacilityRef::Id(b.id)).await.unwrap();
        let nas = NewAsset::new(AssetKind::Storage, "NAS")
            .unwrap()
            .role("バックアップ");
        let added = s.add_asset(&sa, &actor(), nas, T0).await.unwrap();
        assert_eq!(s.assets(&sa).await.unwrap(), vec![added], "{}", db.backend);
        assert!(s.assets(&sb).await.unwrap().is_empty());
        let counts: Vec<i64> = s
            .facility_summaries()
            .await
            .unwrap()
            .iter()
            .map(|x| x.assets)
            .collect();
        assert_eq!(counts, [1, 0]);
    }
}

#[tokio::test]
async fn regions_group_clinics_around_a_core_hospital() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let core = NewFacility::new(
            "core",
            "県立中央病院",
            FacilityKind::Hospital,
            Some(460),
            None,
        )
        .unwrap();
        let core = s.add_facility(&actor(), core, T0).await.unwrap();
        let region = s
            .add_region(
                &actor(),
                NewRegion::new("東部医療圏", Some(core.id)).unwrap(),
                T0,
            )
            .await
            .unwrap();
        let member = s
            .add_facility(&actor(), clinic("member").in_region(region.id), T0)
            .await
            .unwrap();
        assert_eq!(member.region, Some(region.id));
        s.join_region(&actor(), core.id, region.id, T0)
            .await
            .unwrap();
        let all = s.facilities().await.unwrap();
        assert!(
            all.iter().all(|f| f.region == Some(region.id)),
            "{}",
            db.backend
        );
        assert_eq!(s.regions().await.unwrap(), vec![region]);
        let dup = s
            .add_region(&actor(), NewRegion::new("東部医療圏", None).unwrap(), T0)
            .await;
        assert!(matches!(dup, Err(Error::Conflict { what: "region", .. })));
    }
}

#[tokio::test]
async fn a_hand_edited_value_is_reported_not_guessed() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        s.add_facility(&actor(), clinic("edited"), T0)
            .await
            .unwrap();
        exec(
            &db,
            "UPDATE facility SET beds = 99 WHERE short_name = 'edited'",
        )
        .await;
        let err = s.facilities().await.unwrap_err();
        assert!(
            matches!(&err, Error::Corrupt { table: "facility", column: "beds", value, .. } if value == "99"),
            "{}: {err:?}",
            db.backend
        );
    }
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let mut tasks = Vec::new();
        for i in 0..16 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                s.add_facility(&actor(), clinic(&format!("c{i}")), T0).await
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.unwrap().unwrap().id);
        }
        // Then writers of four facilities at once, four each.
        let mut tasks = Vec::new();
        for i in 0..16 {
            let s = s.clone();
            let f = ids[i % 4];
            tasks.push(tokio::spawn(async move {
                let scope = s.scope(&FacilityRef::Id(f)).await?;
                let a = NewAsset::new(AssetKind::Pc, &format!("端末{i}"))?;
                s.add_asset(&scope, &actor(), a, T0).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let report = s.verify_audit(store::Chains::All, None).await.unwrap();
        assert_eq!(report.outcome, Ok(()), "{}", db.backend);
        assert_eq!((report.checked, report.chains), (17 + 16, 5));
        for f in &ids[..4] {
            let seqs: Vec<i64> = s
                .recent_audit(Some(*f), 10)
                .await
                .unwrap()
                .iter()
                .map(|r| r.seq)
                .collect();
            assert_eq!(seqs, [4, 3, 2, 1], "{}", db.backend);
        }
    }
}

#[tokio::test]
async fn expired_sessions_are_removed() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let email = domain::Email::parse("a@b.example").unwrap();
        let u = s
            .add_user(&actor(), &email, None, "hash", T0)
            .await
            .unwrap();
        let at = |ms: i64| domain::Timestamp::from_unix_millis(T0.unix_millis() + ms);
        let row = |created: i64, seen: i64| store::SessionRow {
            user: u.id,
            stage: "complete".into(),
            csrf_token: "c".into(),
            created_at: at(created),
            last_seen_at: at(seen),
        };
        s.create_session("fresh", &row(0, 100)).await.unwrap();
        s.create_session("idle", &row(0, 0)).await.unwrap();
        s.create_session("old", &row(-1000, 100)).await.unwrap();
        let removed = s.delete_expired_sessions(at(50), at(-500)).await.unwrap();
        assert_eq!(removed, 2, "{}", db.backend);
        assert!(s.session("fresh").await.unwrap().is_some());
        assert!(s.session("idle").await.unwrap().is_none());
    }
}

/// A ledger file with devices, ways in and vendors: one transaction; the way in finds the
/// device the same file adds; the same file again changes nothing.
#[tokio::test]
async fn a_ledger_import_carries_ways_in_and_vendors() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let f = s
            .add_facility(&actor(), clinic("ledger"), T0)
            .await
            .unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        let utm = NewAsset::new(AssetKind::Utm, "FortiGate").unwrap();
        let mut vpn = domain::NewConnectionPoint::new(
            "保守VPN",
            domain::connection::ConnectionKind::VendorRemote,
        )
        .unwrap();
        vpn.vendor = Some("保守会社A".into());
        let points = [store::PointImport {
            point: vpn.clone(),
            device: Some("FortiGate".into()),
            line: 2,
        }];
        let mut vendor = domain::NewVendor::new("保守会社A").unwrap();
        vendor.phone_24h = Some("088-000-0000".into());
        let vendors = [vendor.clone()];
        let assets = [utm];
        let request = store::LedgerImport {
            assets: &assets,
            lines: &[2],
            columns: &[vec![]],
            source: "台帳.xlsx",
            dry_run: false,
            points: &points,
            vendors: &vendors,
        };
        let plan = s
            .import_ledger(&scope, &actor(), &request, T0)
            .await
            .unwrap();
        assert_eq!(
            (plan.points.added, plan.vendors.added),
            (1, 1),
            "{}",
            db.backend
        );
        let device = s.assets(&scope).await.unwrap()[0].id;
        let stored = s.connection_points(&scope).await.unwrap();
        assert_eq!(stored[0].details.asset, Some(device), "found by its name");
        assert_eq!(s.vendors(&scope).await.unwrap()[0].details, vendor);
        let again = s
            .import_ledger(&scope, &actor(), &request, T0)
            .await
            .unwrap();
        assert_eq!(
            (
                again.points.unchanged,
                again.vendors.unchanged,
                again.unchanged()
            ),
            (1, 1, 1)
        );
        vendor.phone_24h = Some("088-111-1111".into());
        let changed = [vendor];
        let request = store::LedgerImport {
            vendors: &changed,
            ..request
        };
        let plan = s
            .import_ledger(&scope, &actor(), &request, T0)
            .await
            .unwrap();
        assert_eq!(plan.vendors.changed, 1);
        let missing = [store::PointImport {
            point: vpn,
            device: Some("ない機器".into()),
            line: 3,
        }];
        let request = store::LedgerImport {
            points: &missing,
            ..request
        };
        match s.import_ledger(&scope, &actor(), &request, T0).await {
            Err(Error::LedgerConflicts(c)) => assert_eq!(
                c,
                [(
                    String::new(),
                    domain::ledger::Conflict::PointDevice {
                        line: 3,
                        name: "ない機器".into(),
                        found: 0
                    }
                )]
            ),
            other => panic!("{other:?}"),
        }
        assert!(
            s.verify_audit(store::Chains::All, None)
                .await
                .unwrap()
                .outcome
                .is_ok()
        );
    }
}

/// An import of more rows than one batch (and than a page of `Store::assets`): written batch by batch while the file is read,
/// matched again row for row on the second import (across batch boundaries), and nothing
/// at all when the session is dropped half-way (the file turned out to have a problem).
#[tokio::test]
async fn a_long_ledger_is_written_batch_by_batch_and_matched_again() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let f = s.add_facility(&actor(), clinic("long"), T0).await.unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        let assets: Vec<NewAsset> = (0..2100)
            .map(|i| {
                let mut a = NewAsset::new(AssetKind::Pc, &format!("端末{i:03}"))
                    .unwrap()
                    .ip(&format!(
                        "10.{}.{}.{}",
                        i / 62500,
                        i / 250 % 250,
                        i % 250 + 1
                    ))
                    .unwrap();
                a.serial = (i % 2 == 0).then(|| format!("SN{i:05}"));
                a
            })
            .collect();
        let lines: Vec<usize> = (2..2102).collect();
        let columns = vec![vec![]; 2100];
        let request = store::LedgerImport {
            assets: &assets,
            lines: &lines,
            columns: &columns,
            source: "台帳.xlsx",
            dry_run: false,
            points: &[],
            vendors: &[],
        };

        // Dropped after two batches: nothing written, the chain intact.
        let mut session = s
            .begin_ledger_import(&scope, &actor(), T0, false)
            .await
            .unwrap();
        let rows: Vec<domain::ledger::Row> = assets
            .iter()
            .enumerate()
            .map(|(i, a)| domain::ledger::Row {
                sheet: "台帳".into(),
                line: i + 2,
                asset: a.clone(),
                columns: std::sync::Arc::from([]),
            })
            .collect();
        session.rows(rows[..256].to_vec()).await.unwrap();
        session.rows(rows[256..512].to_vec()).await.unwrap();
        drop(session);
        assert!(s.assets(&scope).await.unwrap().is_empty(), "{}", db.backend);

        let first = s
            .import_ledger(&scope, &actor(), &request, T0)
            .await
            .unwrap();
        assert_eq!(first.added(), 2100, "{}", db.backend);
        assert_eq!(first.shown.len(), domain::ledger::SHOWN_ROWS);
        assert_eq!(first.not_shown(), 1600);
        // Read back page by page (2,048 a page).
        assert_eq!(
            s.assets(&scope).await.unwrap().len(),
            2100,
            "{}",
            db.backend
        );
        let again = s
            .import_ledger(&scope, &actor(), &request, T0)
            .await
            .unwrap();
        assert_eq!(
            (again.added(), again.changed(), again.unchanged()),
            (0, 0, 2100),
            "{}",
            db.backend
        );
        let mut edited = assets.clone();
        edited[255].location = Some("2階".into());
        edited[256].location = Some("3階".into());
        edited[2099].maker = Some("NEC".into());
        let request = store::LedgerImport {
            assets: &edited,
            dry_run: true,
            ..request
        };
        let dry = s
            .import_ledger(&scope, &actor(), &request, T0)
            .await
            .unwrap();
        assert_eq!((dry.changed(), dry.unchanged()), (3, 2097));
        assert_eq!(
            dry.shown,
            vec![
                ("端末255".to_string(), Some(vec!["location"])),
                ("端末256".to_string(), Some(vec!["location"])),
                ("端末2099".to_string(), Some(vec!["maker"])),
            ]
        );
        let stored = s.assets(&scope).await.unwrap();
        assert!(
            stored.iter().all(|a| a.details.location.is_none()),
            "dry run"
        );
        assert!(
            s.verify_audit(store::Chains::All, None)
                .await
                .unwrap()
                .outcome
                .is_ok()
        );
    }
}

/// A dry run (the preview of a file) does not hold the chain's lock: other writes go on
/// while it reads, and the chain stays whole.
#[tokio::test]
async fn a_dry_run_lets_other_writers_go_on() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let f = s.add_facility(&actor(), clinic("dry"), T0).await.unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        let mut session = s
            .begin_ledger_import(&scope, &actor(), T0, true)
            .await
            .unwrap();
        let row = domain::ledger::Row {
            sheet: "台帳".into(),
            line: 2,
            asset: NewAsset::new(AssetKind::Pc, "受付PC").unwrap(),
            columns: std::sync::Arc::from([]),
        };
        session.rows(vec![row]).await.unwrap();
        let someone = actor();
        let other = s.record(
            &someone,
            Some(f.id),
            "test.other",
            "facility",
            "1",
            serde_json::json!({}),
            T0,
        );
        tokio::time::timeout(std::time::Duration::from_secs(3), other)
            .await
            .unwrap_or_else(|_| panic!("{}: the dry run blocked a writer", db.backend))
            .unwrap();
        let summary = session.finish("台帳.xlsx", &[], &[]).await.unwrap();
        assert_eq!(summary.added(), 1);
        assert!(s.assets(&scope).await.unwrap().is_empty());
        assert!(
            s.verify_audit(store::Chains::All, None)
                .await
                .unwrap()
                .outcome
                .is_ok()
        );
    }
}
