//! Checklist answers: rounds, history, the lock, and a new round carrying the answers over.

use domain::checklist::{Given, Recorded};
use domain::facility::FacilityRef;
use domain::{Actor, Date, FacilityKind, NewFacility};
use store::{Error, Where};
use testkit::{T0, each_backend, open_store};

fn actor() -> Actor {
    Actor::Cli("tester".into())
}

fn answer(given: Given, target: Option<Date>) -> Recorded {
    Recorded {
        given,
        checked_on: Date::new(2026, 4, 1).unwrap(),
        target_on: target,
        comment: "業者に確認".into(),
    }
}

#[tokio::test]
async fn answers_are_kept_with_their_history_and_a_locked_round_takes_no_more() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let f = NewFacility::new("sakura", "さくら", FacilityKind::Clinic, None, None).unwrap();
        let f = s.add_facility(&actor(), f, T0).await.unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        let at = |round, topic| Where {
            version: "r8",
            round,
            topic,
        };
        let target = Date::new(2027, 3, 31).ok();
        s.record_checklist_answer(
            &scope,
            &actor(),
            at(1, "ledger"),
            &answer(Given::No, target),
            "no",
            T0,
        )
        .await
        .unwrap();
        s.record_checklist_answer(
            &scope,
            &actor(),
            at(1, "ledger"),
            &answer(Given::Yes, None),
            "no",
            T0,
        )
        .await
        .unwrap();
        s.record_checklist_answer(
            &scope,
            &actor(),
            at(1, "bcp"),
            &answer(Given::No, target),
            "cannot-tell",
            T0,
        )
        .await
        .unwrap();
        let all = s.checklist_answers(&scope, "r8", 1).await.unwrap();
        assert_eq!(all.len(), 3, "{}", db.backend);
        let ledger: Vec<_> = all.iter().filter(|a| a.topic == "ledger").collect();
        assert_eq!((ledger[0].seq, ledger[1].seq), (1, 2));
        assert_eq!(ledger[1].recorded.given, Given::Yes);
        assert_eq!(
            all.iter()
                .find(|a| a.topic == "bcp")
                .unwrap()
                .recorded
                .target_on,
            target
        );
        // Round 2 cannot be answered before it starts, nor started before round 1 is locked.
        assert!(matches!(
            s.record_checklist_answer(
                &scope,
                &actor(),
                at(2, "ledger"),
                &answer(Given::Yes, None),
                "no",
                T0
            )
            .await,
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(
            s.start_checklist_round(&scope, &actor(), "r8", T0).await,
            Err(Error::Conflict { .. })
        ));
        assert!(
            s.lock_checklist_round(&scope, &actor(), ("r8", "key = \"r8\"", "ab12"), 1, T0)
                .await
                .unwrap()
        );
        assert!(
            !s.lock_checklist_round(&scope, &actor(), ("r8", "key = \"r8\"", "ab12"), 1, T0)
                .await
                .unwrap()
        );
        assert!(matches!(
            s.record_checklist_answer(
                &scope,
                &actor(),
                at(1, "ledger"),
                &answer(Given::No, target),
                "no",
                T0
            )
            .await,
            Err(Error::Conflict { .. })
        ));
        assert_eq!(
            s.start_checklist_round(&scope, &actor(), "r8", T0)
                .await
                .unwrap(),
            2
        );
        let carried = s.checklist_answers(&scope, "r8", 2).await.unwrap();
        assert_eq!(
            carried.len(),
            2,
            "the newest answer of each item: {carried:?}"
        );
        assert!(
            carried
                .iter()
                .all(|a| a.seq == 1 && a.carried_from == Some(1))
        );
        assert_eq!(
            carried
                .iter()
                .find(|a| a.topic == "ledger")
                .unwrap()
                .recorded
                .given,
            Given::Yes
        );
        let rounds = s.checklist_rounds(&scope, "r8").await.unwrap();
        assert_eq!(rounds.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 1]);
        assert!(rounds[1].locked_at.is_some() && rounds[0].locked_at.is_none());
        assert_eq!(rounds[1].locked_version.as_deref(), Some("key = \"r8\""));
        assert_eq!(rounds[0].locked_version, None);
        // Every step is in the facility's audit chain.
        let actions: Vec<String> = s
            .recent_audit(Some(f.id), 20)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        for a in ["checklist.answer", "checklist.lock", "checklist.round"] {
            assert!(actions.contains(&a.to_string()), "{a}: {actions:?}");
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

#[tokio::test]
async fn records_are_linked_as_evidence_only_within_their_facility() {
    use domain::checklist::Linked;
    use domain::{AssetKind, NewAsset};
    for db in each_backend().await {
        let s = open_store(&db).await;
        let mut scopes = Vec::new();
        for key in ["sakura", "momiji"] {
            let f = NewFacility::new(key, key, FacilityKind::Clinic, None, None).unwrap();
            let f = s.add_facility(&actor(), f, T0).await.unwrap();
            scopes.push(s.scope(&FacilityRef::Id(f.id)).await.unwrap());
        }
        let (a, b) = (&scopes[0], &scopes[1]);
        let pc = NewAsset::new(AssetKind::Pc, "受付PC").unwrap();
        let mine = s.add_asset(a, &actor(), pc.clone(), T0).await.unwrap().id;
        let theirs = s.add_asset(b, &actor(), pc, T0).await.unwrap().id;
        let n = s
            .add_evidence_link(
                a,
                &actor(),
                ("ledger", Linked::Device(mine), "台帳の行"),
                T0,
            )
            .await
            .unwrap();
        assert_eq!(n, 1, "{}", db.backend);
        assert!(matches!(
            s.add_evidence_link(a, &actor(), ("ledger", Linked::Device(mine), ""), T0)
                .await,
            Err(Error::Conflict { .. })
        ));
        // Another facility's device, a review never kept: not this facility's records.
        for other in [Linked::Device(theirs), Linked::Review(7)] {
            assert!(matches!(
                s.add_evidence_link(a, &actor(), ("ledger", other, ""), T0)
                    .await,
                Err(Error::NotFound { .. })
            ));
        }
        let links = s.evidence_links(a).await.unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(
            (
                links[0].topic.as_str(),
                links[0].object,
                links[0].note.as_str()
            ),
            ("ledger", Linked::Device(mine), "台帳の行")
        );
        assert!(s.evidence_links(b).await.unwrap().is_empty());
        assert!(!s.remove_evidence_link(b, &actor(), 1, T0).await.unwrap());
        assert!(s.remove_evidence_link(a, &actor(), 1, T0).await.unwrap());
        assert!(s.evidence_links(a).await.unwrap().is_empty());
        let actions: Vec<String> = s
            .recent_audit(Some(a.facility()), 10)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        assert!(
            actions.contains(&"evidence.link".to_string())
                && actions.contains(&"evidence.unlink".to_string()),
            "{actions:?}"
        );
    }
}
