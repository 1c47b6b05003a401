//! Findings kept by re-evaluation: opened, fixed, reopened, with history; a run that
//! observes what the last one did writes nothing; decisions of people are recorded.

use domain::facility::FacilityRef;
use domain::finding::{Event, Facts, Kind, Observation, Status};
use domain::nvd::Outcome;
use domain::{Actor, AssetKind, FacilityKind, NewAsset, NewFacility, Timestamp};
use testkit::{T0, each_backend, open_store};

fn actor() -> Actor {
    Actor::Cli("tester".into())
}

fn seen(asset: domain::AssetId, cve: &str) -> Observation {
    Observation {
        asset,
        cve: cve.into(),
        kind: Kind::Vulnerability,
        facts: Facts {
            outcome: Outcome::Affected,
            kev: true,
            ransomware: false,
            edge: true,
            cvss: Some(9.8),
        },
    }
}

fn at(days: i64) -> Timestamp {
    Timestamp::from_unix_millis(T0.unix_millis() + days * 86_400_000)
}

#[tokio::test]
async fn findings_open_close_reopen_and_keep_their_history() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let f = NewFacility::new("f", "テスト診療所", FacilityKind::Clinic, Some(0), None).unwrap();
        let f = s.add_facility(&actor(), f, T0).await.unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        let utm = NewAsset::new(AssetKind::Utm, "UTM").unwrap();
        let utm = s.add_asset(&scope, &actor(), utm, T0).await.unwrap().id;
        let run = |observed: Vec<Observation>, day: i64| {
            let s = s.clone();
            async move {
                s.record_evaluation(
                    &scope,
                    &actor(),
                    at(day),
                    store::Evaluation {
                        observed,
                        versions: &[],
                        feed_stamp: 1,
                        rules: "test",
                        revision: None,
                    },
                )
                .await
                .unwrap()
            }
        };
        let first = run(vec![seen(utm, "CVE-A"), seen(utm, "CVE-B")], 1).await;
        assert_eq!(first.opened, 2, "{}", db.backend);
        let records = s.recent_audit(None, 100).await.unwrap().len();
        let same = run(vec![seen(utm, "CVE-B"), seen(utm, "CVE-A")], 2).await;
        assert_eq!(same, store::Evaluated::default());
        assert_eq!(
            s.recent_audit(None, 100).await.unwrap().len(),
            records,
            "the same observations: no record, nothing written"
        );
        let fixed = run(vec![seen(utm, "CVE-B")], 3).await;
        assert_eq!(fixed.closed, 1);
        let back = run(vec![seen(utm, "CVE-A"), seen(utm, "CVE-B")], 4).await;
        assert_eq!(back.reopened, 1);
        let list = s.findings(&scope).await.unwrap();
        let a = list.iter().find(|x| x.cve == "CVE-A").unwrap();
        let history: Vec<Event> = s
            .finding_events(&scope, Some(a.id), Timestamp::from_unix_millis(0))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect();
        assert_eq!(history, [Event::Opened, Event::Fixed, Event::Reopened]);

        // A person's decisions: accepted until a day, withdrawn; only standing findings.
        let until = domain::Date::in_japan(at(30));
        assert!(
            s.accept_risk(&scope, &actor(), a.id, "来月の保守で更新", until, at(5))
                .await
                .unwrap()
        );
        let a = s.finding(&scope, a.id).await.unwrap().unwrap();
        assert_eq!(a.status(domain::Date::in_japan(at(5))), Status::Accepted);
        assert_eq!(a.status(domain::Date::in_japan(at(31))), Status::Open);
        assert!(
            s.withdraw_acceptance(&scope, &actor(), a.id, at(6))
                .await
                .unwrap()
        );
        assert!(
            !s.withdraw_acceptance(&scope, &actor(), a.id, at(6))
                .await
                .unwrap(),
            "nothing left to withdraw"
        );
        assert!(
            !s.record_credential_change(&scope, &actor(), a.id, until, at(6))
                .await
                .unwrap(),
            "only a credentials finding takes a password change"
        );
        // Marked stale: the next run reads everything again (and finds nothing to change).
        s.forget_evaluation(&scope).await.unwrap();
        assert_eq!(s.evaluation_stamp(&scope).await.unwrap(), None);
        let again = run(vec![seen(utm, "CVE-A"), seen(utm, "CVE-B")], 7).await;
        assert_eq!(again, store::Evaluated::default());
        assert!(s.evaluation_stamp(&scope).await.unwrap().is_some());
        assert!(
            s.verify_audit(store::Chains::All, None)
                .await
                .unwrap()
                .outcome
                .is_ok()
        );
    }
}
