//! The contact chart and responses: kept in order, one open response at a time, a step
//! ticked once, and nothing reached from another facility.

use crate::actor;
use domain::Timestamp;
use domain::incident::{ContactRole, NewContact};
use store::Error;
use testkit::{T0, each_backend, open_store};

#[tokio::test]
async fn contacts_and_a_drill_are_kept_in_order_and_per_facility() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let scopes = crate::two_facilities(&s).await;
        let (scope, other) = (&scopes[0], &scopes[1]);
        let director =
            NewContact::new(ContactRole::Director, "院長 山田", Some("090-1111-2222")).unwrap();
        let police = NewContact {
            after_hours: Some("110".into()),
            note: Some("サイバー犯罪相談窓口".into()),
            ..NewContact::new(ContactRole::Police, "徳島県警察", Some("088-622-1111")).unwrap()
        };
        let first = s.add_contact(scope, &actor(), T0, &director).await.unwrap();
        s.add_contact(scope, &actor(), T0, &police).await.unwrap();
        let chart = s.contacts(scope).await.unwrap();
        assert_eq!(chart.len(), 2, "{}", db.backend);
        assert_eq!((chart[0].id, &chart[0].details), (first, &director));
        assert_eq!(chart[1].details, police);
        assert!(s.contacts(other).await.unwrap().is_empty());
        assert!(matches!(
            s.remove_contact(other, &actor(), T0, first).await,
            Err(Error::NotFound { .. })
        ));
        s.remove_contact(scope, &actor(), T0, first).await.unwrap();
        assert_eq!(s.contacts(scope).await.unwrap().len(), 1);

        let drill = s.start_incident(scope, &actor(), T0, true).await.unwrap();
        assert!(matches!(
            s.start_incident(scope, &actor(), T0, true).await,
            Err(Error::Conflict { .. })
        ));
        let later = Timestamp::from_unix_millis(T0.unix_millis() + 60_000);
        s.tick_step(scope, &actor(), T0, drill, ("unplug", None))
            .await
            .unwrap();
        s.tick_step(scope, &actor(), later, drill, ("tell", Some("院長に電話")))
            .await
            .unwrap();
        assert!(matches!(
            s.tick_step(scope, &actor(), later, drill, ("unplug", None))
                .await,
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(
            s.tick_step(other, &actor(), later, drill, ("paper", None))
                .await,
            Err(Error::NotFound { .. })
        ));
        s.close_incident(scope, &actor(), later, drill)
            .await
            .unwrap();
        assert!(matches!(
            s.tick_step(scope, &actor(), later, drill, ("paper", None))
                .await,
            Err(Error::NotFound { .. })
        ));
        let runs = s.incidents(scope).await.unwrap();
        assert_eq!(runs.len(), 1);
        assert!(runs[0].drill && runs[0].closed_at == Some(later));
        let steps: Vec<(&str, Option<&str>)> = runs[0]
            .done
            .iter()
            .map(|d| (d.step.as_str(), d.note.as_deref()))
            .collect();
        assert_eq!(steps, [("unplug", None), ("tell", Some("院長に電話"))]);
        assert_eq!(runs[0].done[0].by, "cli:tester");
        assert!(s.incidents(other).await.unwrap().is_empty());
        // A new response may start once the last is closed.
        // A new response may start once the last is closed; a real one ends an open drill,
        // and nothing starts over an open real response.
        s.start_incident(scope, &actor(), later, true)
            .await
            .unwrap();
        s.start_incident(scope, &actor(), later, false)
            .await
            .unwrap();
        let runs = s.incidents(scope).await.unwrap();
        assert_eq!(runs.iter().filter(|r| r.closed_at.is_none()).count(), 1);
        assert!(runs.iter().any(|r| !r.drill && r.closed_at.is_none()));
        for drill in [true, false] {
            assert!(matches!(
                s.start_incident(scope, &actor(), later, drill).await,
                Err(Error::Conflict { .. })
            ));
        }
    }
}

#[tokio::test]
async fn the_bcp_text_paper_plans_and_approvals_are_kept_per_facility() {
    use domain::bcp::{Approval, PaperPlan, Section};
    for db in each_backend().await {
        let s = open_store(&db).await;
        let [scope, other] = crate::two_facilities(&s).await;
        let today = domain::Date::new(2026, 12, 4).unwrap();
        s.set_bcp_section(&scope, &actor(), T0, Section::Purpose, "診療を続けるため")
            .await
            .unwrap();
        s.set_bcp_section(&scope, &actor(), T0, Section::Prevention, "院長が決める")
            .await
            .unwrap();
        s.set_bcp_section(&scope, &actor(), T0, Section::Prevention, "")
            .await
            .unwrap();
        let plan = PaperPlan::new("外来", "紙カルテで診る", "紙カルテ\n処方箋").unwrap();
        let id = s.add_paper_plan(&scope, &actor(), T0, &plan).await.unwrap();
        for on in [(2025, 4, 1), (2026, 4, 1)] {
            let a = Approval::new(
                "院長 山田",
                domain::Date::new(on.0, on.1, on.2).unwrap(),
                today,
            )
            .unwrap();
            s.approve_bcp(&scope, &actor(), T0, &a).await.unwrap();
        }
        let text = s.bcp_text(&scope).await.unwrap();
        assert_eq!(
            text.sections,
            [(Section::Purpose, "診療を続けるため".to_string())],
            "{}",
            db.backend
        );
        assert_eq!(text.paper, [(id, plan)]);
        assert_eq!(
            text.approval.map(|a| a.on),
            domain::Date::new(2026, 4, 1).ok(),
            "the newest approval"
        );
        assert_eq!(s.bcp_text(&other).await.unwrap(), store::BcpText::default());
        assert!(matches!(
            s.remove_paper_plan(&other, &actor(), T0, id).await,
            Err(Error::NotFound { .. })
        ));
        s.remove_paper_plan(&scope, &actor(), T0, id).await.unwrap();
        assert!(s.bcp_text(&scope).await.unwrap().paper.is_empty());
    }
}
