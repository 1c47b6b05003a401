//! The staff roster and account inventories: replaced whole, declarations kept, tenants apart.

use crate::actor;
use domain::accounts::{Holder, StaffMember, SystemAccount, SystemRef};
use domain::{AssetKind, Date, NewAsset};
use store::Error;
use testkit::{T0, each_backend, open_store};

#[tokio::test]
async fn roster_and_inventories_are_replaced_whole_and_declarations_stay() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let scopes = crate::two_facilities(&s).await;
        let scope = &scopes[0];
        let mut yamada = StaffMember::new(Some("001"), "山田 太郎", "医師", Some("内科")).unwrap();
        yamada.logins = vec!["yamada".into(), "t.yamada".into()];
        let mut suzuki = StaffMember::new(None, "鈴木 一郎", "医事課", None).unwrap();
        suzuki.left = Date::new(2026, 3, 31).ok();
        let r = s
            .replace_roster(
                scope,
                &actor(),
                T0,
                &[yamada.clone(), suzuki.clone()],
                "r.csv",
            )
            .await
            .unwrap();
        assert_eq!((r.before, r.after), (0, 2));
        assert_eq!(
            s.roster(scope).await.unwrap(),
            [yamada.clone(), suzuki.clone()]
        );
        let r = s
            .replace_roster(scope, &actor(), T0, std::slice::from_ref(&suzuki), "r2.csv")
            .await
            .unwrap();
        assert_eq!((r.before, r.after), (2, 1), "{}", db.backend);
        assert!(s.roster(&scopes[1]).await.unwrap().is_empty());
        // One person added by hand, another's leave date set; the same person twice refused.
        let new = StaffMember::new(None, "高橋 美咲", "看護師", None).unwrap();
        s.add_staff(scope, &actor(), T0, &new).await.unwrap();
        assert!(matches!(
            s.add_staff(scope, &actor(), T0, &new).await,
            Err(Error::Conflict { .. })
        ));
        let rows = s.roster_rows(scope).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].1.name, "高橋 美咲", "at the end");
        let left = Date::new(2026, 11, 30).ok();
        s.set_staff_left(scope, &actor(), T0, rows[1].0, left)
            .await
            .unwrap();
        assert_eq!(s.roster(scope).await.unwrap()[1].left, left);
        assert!(matches!(
            s.set_staff_left(&scopes[1], &actor(), T0, rows[1].0, None)
                .await,
            Err(Error::NotFound { .. })
        ));

        let pc = s
            .add_asset(
                scope,
                &actor(),
                NewAsset::new(AssetKind::Pc, "受付PC").unwrap(),
                T0,
            )
            .await
            .unwrap();
        let system = SystemRef::Device(pc.id.0);
        let maint = SystemAccount {
            holder: Some(Holder::Vendor),
            default_password: true,
            admin: true,
            enabled: Some(true),
            last_logon: Date::new(2026, 11, 1).ok(),
            ..SystemAccount::named("maint").unwrap()
        };
        s.replace_accounts(
            scope,
            &actor(),
            T0,
            system,
            std::slice::from_ref(&maint),
            Some(&domain::accounts::PasswordPolicy {
                min_length: 8,
                max_age_days: None,
                lockout_threshold: Some(10),
            }),
            "a.csv",
        )
        .await
        .unwrap();
        assert_eq!(
            s.system_policies(scope).await.unwrap(),
            [(
                system,
                domain::accounts::PasswordPolicy {
                    min_length: 8,
                    max_age_days: None,
                    lockout_threshold: Some(10),
                }
            )]
        );
        assert_eq!(
            s.system_accounts(scope).await.unwrap(),
            [(system, maint.clone())]
        );
        // `net user` lists names only: the declaration stays, the rest is what it said.
        let again = SystemAccount::named("maint").unwrap();
        let r = s
            .replace_accounts(scope, &actor(), T0, system, &[again], None, "users.txt")
            .await
            .unwrap();
        assert_eq!((r.before, r.after), (1, 1));
        assert_eq!(
            s.system_policies(scope).await.unwrap().len(),
            1,
            "settings stay when a list brings none"
        );
        let (_, kept) = &s.system_accounts(scope).await.unwrap()[0];
        assert_eq!(kept.holder, Some(Holder::Vendor));
        assert!(kept.default_password);
        assert!(!kept.admin, "not what the new list said");
        // A declaration by a person, kept in the audit chain; an unknown account is refused.
        let d = domain::accounts::Declaration {
            holder: Some(Holder::Shared),
            person: None,
            two_factor: Some(true),
            default_password: false,
            reused_password: true,
        };
        s.declare_account(scope, &actor(), T0, system, "maint", &d)
            .await
            .unwrap();
        let (_, kept) = &s.system_accounts(scope).await.unwrap()[0];
        assert_eq!(
            (
                kept.holder,
                kept.two_factor,
                kept.default_password,
                kept.reused_password
            ),
            (Some(Holder::Shared), Some(true), false, true)
        );
        assert!(matches!(
            s.declare_account(scope, &actor(), T0, system, "nobody", &d)
                .await,
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            s.declare_account(&scopes[1], &actor(), T0, system, "maint", &d)
                .await,
            Err(Error::NotFound { .. })
        ));
        // Another facility's device is not this facility's system.
        let err = s
            .replace_accounts(&scopes[1], &actor(), T0, system, &[maint], None, "a.csv")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
        assert!(s.system_accounts(&scopes[1]).await.unwrap().is_empty());
        let log = s.recent_audit(Some(scope.facility()), 20).await.unwrap();
        assert!(log.iter().any(|r| r.entry.action == "accounts.import"));
        assert!(log.iter().any(|r| r.entry.action == "staff.import"));
        assert!(log.iter().any(|r| r.entry.action == "accounts.declare"));
        assert!(log.iter().any(|r| r.entry.action == "staff.add"));
        assert!(log.iter().any(|r| r.entry.action == "staff.left"));
    }
}
