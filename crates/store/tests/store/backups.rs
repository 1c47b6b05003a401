//! Backup copies, goals and drills: stored as given, audited, and kept per facility.

use crate::actor;
use domain::backup::{CopyId, DrillResult, Goal, Link, Medium, NewCopy, NewDrill, Place};
use domain::{AssetKind, Date, NewAsset};
use store::Error;
use testkit::{T0, each_backend, open_store};

#[tokio::test]
async fn copies_goals_and_drills_round_trip_and_stay_in_their_facility() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let scopes = crate::two_facilities(&s).await;
        let scope = &scopes[0];
        let add = |kind, name: &'static str| {
            let s = &s;
            async move {
                s.add_asset(scope, &actor(), NewAsset::new(kind, name).unwrap(), T0)
                    .await
                    .unwrap()
                    .id
            }
        };
        let ehr = add(AssetKind::Server, "電子カルテサーバ").await;
        let nas = add(AssetKind::Storage, "NAS").await;
        let nas_copy = NewCopy {
            system: ehr,
            medium: Medium::Nas,
            place: Place::SameRoom,
            link: Link::Always,
            immutable: false,
            admin_can_delete: Some(true),
            holder: Some(nas),
            every_days: Some(1),
            generations: Some(14),
            encrypted: None,
            last_success: Date::new(2026, 12, 3).ok(),
            note: Some("毎晩 2 時".into()),
        };
        let usb = NewCopy {
            medium: Medium::ExternalDisk,
            place: Place::OnSite,
            link: Link::Offline,
            admin_can_delete: None,
            holder: None,
            every_days: Some(7),
            generations: None,
            encrypted: Some(true),
            last_success: None,
            note: None,
            ..nas_copy.clone()
        };
        let first = s
            .add_backup_copy(scope, &actor(), T0, &nas_copy)
            .await
            .unwrap();
        let second = s.add_backup_copy(scope, &actor(), T0, &usb).await.unwrap();
        let copies = s.backup_copies(scope).await.unwrap();
        assert_eq!(copies.len(), 2, "{}", db.backend);
        assert_eq!((copies[0].id, &copies[0].details), (first, &nas_copy));
        assert_eq!((copies[1].id, &copies[1].details), (second, &usb));
        let day = Date::new(2026, 12, 1).unwrap();
        s.set_backup_success(scope, &actor(), T0, second, day)
            .await
            .unwrap();
        assert_eq!(
            s.backup_copies(scope).await.unwrap()[1]
                .details
                .last_success,
            Some(day)
        );

        // Another facility neither sees nor changes them, nor names this one's devices.
        let other = &scopes[1];
        assert!(s.backup_copies(other).await.unwrap().is_empty());
        assert!(matches!(
            s.remove_backup_copy(other, &actor(), T0, first).await,
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            s.set_backup_success(other, &actor(), T0, first, day).await,
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            s.add_backup_copy(other, &actor(), T0, &nas_copy).await,
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            s.set_backup_goal(other, &actor(), T0, ehr, Goal::default())
                .await,
            Err(Error::NotFound { .. })
        ));

        s.remove_backup_copy(scope, &actor(), T0, first)
            .await
            .unwrap();
        let left: Vec<CopyId> = s
            .backup_copies(scope)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(left, [second]);

        let goal = Goal {
            rpo_hours: Some(24),
            rto_hours: Some(4),
        };
        s.set_backup_goal(scope, &actor(), T0, ehr, goal)
            .await
            .unwrap();
        assert_eq!(s.backup_goals(scope).await.unwrap(), [(ehr, goal)]);
        s.set_backup_goal(scope, &actor(), T0, ehr, Goal::default())
            .await
            .unwrap();
        assert!(s.backup_goals(scope).await.unwrap().is_empty());

        let planned =
            NewDrill::new(ehr, Date::new(2027, 1, 15).unwrap(), "USB ディスクから").unwrap();
        let done = NewDrill {
            result: Some(DrillResult::Restored),
            minutes: Some(95),
            problems: Some("手順書の画面が古い".into()),
            verified: true,
            evidence: Some(3),
            ..NewDrill::new(
                ehr,
                Date::new(2026, 12, 2).unwrap(),
                "USB ディスクから検証用PCへ",
            )
            .unwrap()
        };
        s.record_drill(scope, &actor(), T0, &planned).await.unwrap();
        let id = s.record_drill(scope, &actor(), T0, &done).await.unwrap();
        let drills = s.drills(scope).await.unwrap();
        assert_eq!(drills.len(), 2);
        assert_eq!(
            (drills[0].id, &drills[0].details),
            (id, &done),
            "oldest first"
        );
        assert_eq!(drills[1].details, planned);
        assert!(s.drills(other).await.unwrap().is_empty());

        // Every change is in the facility's audit chain.
        let mut actions: Vec<String> = s
            .recent_audit(Some(scope.facility()), 50)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .filter(|a| a.starts_with("backup."))
            .collect();
        actions.reverse();
        assert_eq!(
            actions,
            [
                "backup.copy_add",
                "backup.copy_add",
                "backup.copy_success",
                "backup.copy_remove",
                "backup.goal",
                "backup.goal",
                "backup.drill",
                "backup.drill"
            ],
            "{}",
            db.backend
        );
    }
}
