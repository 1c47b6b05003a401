use domain::facility::FacilityRef;
use domain::{Actor, AssetKind, FacilityKind, NewAsset, NewFacility};
use service::jobs::Evaluations;
use store::{FacilityScope, Store};
use testkit::{T0, each_backend, open_store};

fn actor() -> Actor {
    Actor::Cli("t".into())
}

/// A clinic with three devices.
async fn clinic(s: &Store) -> FacilityScope {
    let f = NewFacility::new("c", "診療所", FacilityKind::Clinic, None, None).unwrap();
    let f = s.add_facility(&actor(), f, T0).await.unwrap();
    let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
    for name in ["受付PC", "電子カルテサーバ", "NAS"] {
        let a = NewAsset::new(AssetKind::Pc, name)
            .unwrap()
            .os("Windows 11 Pro", "23H2");
        s.add_asset(&scope, &actor(), a, T0).await.unwrap();
    }
    scope
}

#[tokio::test]
async fn ten_requests_at_once_make_one_run() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let scope = clinic(&s).await;
        let jobs = Evaluations::new(s.clone(), testkit::ManualClock::new(T0));
        assert!(!jobs.busy(scope.facility()));
        for _ in 0..10 {
            jobs.request(scope, actor());
        }
        assert!(jobs.busy(scope.facility()), "{}", db.backend);
        jobs.settled().await;
        assert!(!jobs.busy(scope.facility()));
        assert_eq!(jobs.runs(), 1, "{}", db.backend);
        assert!(s.evaluation_stamp(&scope).await.unwrap().is_some());
        // A change after the run ended runs again.
        jobs.request(scope, actor());
        jobs.settled().await;
        assert_eq!(jobs.runs(), 2, "{}", db.backend);
    }
}

#[tokio::test]
async fn an_older_run_never_wins_over_a_newer_ledger() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let scope = clinic(&s).await;
        let read_at = s.revision(&scope).await.unwrap();
        assert_eq!(read_at, 3, "{}", db.backend);
        // The ledger changes after the run read it.
        let a = NewAsset::new(AssetKind::Pc, "新しい端末").unwrap();
        let added = s.add_asset(&scope, &actor(), a, T0).await.unwrap();
        let versions = [(added.id, "Windows 11 Pro".to_string(), "24H2".to_string())];
        let evaluation = |revision| store::Evaluation {
            observed: Vec::new(),
            versions: &versions,
            feed_stamp: 0,
            rules: "test",
            revision: Some(revision),
        };
        superseded(&s, &scope, evaluation(read_at), db.backend).await;
        assert_eq!(s.evaluation_stamp(&scope).await.unwrap(), None);
        // What the run said of each device is not written either.
        let checks = [(
            added.id,
            domain::identify::Check::not(domain::identify::Reason::NoVersion),
        )];
        let late = s.record_checks(&scope, &checks, Some(read_at)).await;
        assert!(
            matches!(late, Err(store::Error::Superseded)),
            "{}: {late:?}",
            db.backend
        );
        assert!(s.checks(&scope, None).await.unwrap().is_empty());
        let current = s.revision(&scope).await.unwrap();
        s.record_checks(&scope, &checks, Some(current))
            .await
            .unwrap();
        assert_eq!(s.checks(&scope, None).await.unwrap().len(), 1);
        assert_eq!(s.revision(&scope).await.unwrap(), 4, "nothing written");
        let current = s.revision(&scope).await.unwrap();
        let done = s
            .record_evaluation(&scope, &actor(), T0, evaluation(current))
            .await
            .unwrap();
        assert_eq!(done.versions, 1, "{}", db.backend);
        // The same observation again, by a run that read before another change: even the
        // stamp of an unchanged run is not written over the newer state.
        let read_at = s.revision(&scope).await.unwrap();
        let a = NewAsset::new(AssetKind::Pc, "もう一台").unwrap();
        s.add_asset(&scope, &actor(), a, T0).await.unwrap();
        superseded(&s, &scope, evaluation(read_at), db.backend).await;
    }
}

async fn superseded(s: &Store, scope: &FacilityScope, e: store::Evaluation<'_>, backend: &str) {
    let late = s.record_evaluation(scope, &actor(), T0, e).await;
    assert!(
        matches!(late, Err(store::Error::Superseded)),
        "{backend}: {late:?}"
    );
}
