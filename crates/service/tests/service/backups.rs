//! A backup job's log recorded against a copy: the newest version wins, never moving the day
//! back; a system with several copies needs the medium named.

use domain::backup::{Link, Medium, NewCopy, Place};
use domain::facility::FacilityRef;
use domain::{Actor, AssetKind, Date, FacilityKind, NewAsset, NewFacility};
use service::backup::{LogProblem, Logged, record_log};
use testkit::{T0, each_backend, open_store};

const LOG: &str = "Backup time: 3/30/2026 2:00 AM\r\nVersion identifier: 03/29/2026-17:00\r\n\
Backup time: 3/31/2026 2:00 AM\r\nVersion identifier: 03/30/2026-17:00\r\n";

#[tokio::test]
async fn the_newest_backup_of_a_log_becomes_the_copys_last_success() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let actor = Actor::Cli("t".into());
        let f = NewFacility::new("c", "診療所", FacilityKind::Clinic, None, None).unwrap();
        let f = s.add_facility(&actor, f, T0).await.unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        let ehr = s
            .add_asset(
                &scope,
                &actor,
                NewAsset::new(AssetKind::Server, "電子カルテサーバ").unwrap(),
                T0,
            )
            .await
            .unwrap()
            .id;
        let versions = ingest::backup_log::wbadmin_versions(LOG.as_bytes()).unwrap();
        assert_eq!(
            record_log(&s, &scope, &actor, T0, (ehr, None), &versions).await,
            Err(LogProblem::NoCopy)
        );
        let usb = NewCopy {
            system: ehr,
            medium: Medium::ExternalDisk,
            place: Place::OnSite,
            link: Link::Offline,
            immutable: false,
            admin_can_delete: None,
            holder: None,
            every_days: Some(1),
            generations: None,
            encrypted: None,
            last_success: Date::new(2026, 3, 1).ok(),
            note: None,
        };
        s.add_backup_copy(&scope, &actor, T0, &usb).await.unwrap();
        let done = record_log(&s, &scope, &actor, T0, (ehr, None), &versions)
            .await
            .unwrap();
        // 17:00 UTC on 30 March is 31 March in Japan.
        let day = Date::new(2026, 3, 31).unwrap();
        assert!(
            matches!(done, Logged::Recorded { day: d, versions: 2, .. } if d == day),
            "{done:?}"
        );
        assert_eq!(
            s.backup_copies(&scope).await.unwrap()[0]
                .details
                .last_success,
            Some(day)
        );
        // The same log again, or an older one, changes nothing.
        let again = record_log(&s, &scope, &actor, T0, (ehr, None), &versions[..1])
            .await
            .unwrap();
        assert!(matches!(again, Logged::NothingNewer { recorded, .. } if recorded == day));
        // A second copy: the medium says which.
        let nas = NewCopy {
            medium: Medium::Nas,
            ..usb
        };
        s.add_backup_copy(&scope, &actor, T0, &nas).await.unwrap();
        assert!(matches!(
            record_log(&s, &scope, &actor, T0, (ehr, None), &versions).await,
            Err(LogProblem::WhichCopy(_))
        ));
        let nas_done = record_log(&s, &scope, &actor, T0, (ehr, Some(Medium::Nas)), &versions)
            .await
            .unwrap();
        assert!(
            matches!(nas_done, Logged::Recorded { .. }),
            "{}",
            db.backend
        );
    }
}
