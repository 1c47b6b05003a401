//! Two fiscal years' checklists compared item by item, on each year's newest round.

use domain::checklist::{Given, Movement, Recorded};
use domain::facility::FacilityRef;
use domain::{Actor, Date, FacilityKind, NewFacility};
use service::checklist::year_over_year;
use store::Where;
use testkit::{T0, each_backend, open_store};

#[tokio::test]
async fn last_years_answers_compare_with_this_years_by_topic() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let actor = Actor::Cli("t".into());
        let f = NewFacility::new("c", "診療所", FacilityKind::Clinic, None, None).unwrap();
        let f = s.add_facility(&actor, f, T0).await.unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        let answer = |version: &'static str, topic: &'static str, given: Given| {
            let (s, scope, actor) = (&s, &scope, &actor);
            async move {
                let recorded = Recorded {
                    given,
                    checked_on: Date::new(2025, 10, 1).unwrap(),
                    target_on: (given == Given::No).then(|| Date::new(2026, 3, 1).unwrap()),
                    comment: String::new(),
                };
                let at = Where {
                    version,
                    round: 1,
                    topic,
                };
                s.record_checklist_answer(scope, actor, at, &recorded, "confirm", T0)
                    .await
                    .unwrap();
            }
        };
        // Nothing answered either year: every item "not answered then".
        let empty = year_over_year(&s, &scope, 2025, 2026)
            .await
            .unwrap()
            .unwrap();
        assert!(!empty.answered_then(), "{}", db.backend);
        answer("r7", "ledger", Given::No).await;
        answer("r7", "patches", Given::Yes).await;
        answer("r7", "mds_sds", Given::Yes).await;
        answer("r8", "ledger", Given::Yes).await;
        answer("r8", "mds_sds", Given::No).await;
        // The last answer given counts: ledger was いいえ, then はい.
        answer("r8", "patches", Given::No).await;
        answer("r8", "patches", Given::Yes).await;
        let y = year_over_year(&s, &scope, 2025, 2026)
            .await
            .unwrap()
            .unwrap();
        assert!(y.answered_then());
        assert_eq!((y.then.0.key.as_str(), y.now.0.key.as_str()), ("r7", "r8"));
        let of = |topic: &str| y.changes.iter().find(|c| c.topic == topic).unwrap();
        assert_eq!(of("ledger").movement, Movement::Improved, "{}", db.backend);
        assert_eq!(of("mds_sds").movement, Movement::Worsened);
        assert_eq!(of("patches").movement, Movement::Unchanged);
        assert_eq!(of("bcp").movement, Movement::NotAnsweredThen);
        let json = y.to_json();
        assert_eq!(json["from"]["fiscal_year"], 2025);
        let ledger = json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["topic"] == "ledger")
            .unwrap();
        assert_eq!(
            (&ledger["then"], &ledger["now"], &ledger["movement"]),
            (
                &serde_json::json!("no"),
                &serde_json::json!("yes"),
                &serde_json::json!("improved")
            )
        );
        // 令和6年度 → 令和7年度: the five items R7 added are new, the rest match by topic.
        let r6 = year_over_year(&s, &scope, 2024, 2025)
            .await
            .unwrap()
            .unwrap();
        let new: Vec<&str> = r6
            .changes
            .iter()
            .filter(|c| c.movement == Movement::NewItem)
            .map(|c| c.topic.as_str())
            .collect();
        assert_eq!(new.len(), 5, "{new:?}");
        assert!(new.contains(&"two_factor") && new.contains(&"password_reuse"));
        // A year no version is for is named.
        assert_eq!(
            year_over_year(&s, &scope, 2019, 2026).await.unwrap().err(),
            Some(2019)
        );
    }
}

#[tokio::test]
async fn an_imported_version_that_no_longer_reads_is_named_not_used() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let actor = Actor::Cli("t".into());
        s.import_checklist_version(&actor, "r8", "key = \"r8\"\n[[item]]\n", "00", T0)
            .await
            .unwrap();
        let bad = service::checklist::unreadable_versions(&s).await.unwrap();
        assert_eq!(bad.len(), 1, "{}", db.backend);
        assert_eq!(bad[0].0, "r8");
        // The shipped 令和8年度版 stands in for it.
        let all = service::checklist::versions(&s).await.unwrap();
        assert!(all.iter().any(|(v, imported)| v.key == "r8" && !imported));
    }
}
