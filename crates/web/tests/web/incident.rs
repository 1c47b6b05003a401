//! 初動対応と連絡体制図 in the browser's way: a contact refused with every problem and what
//! was typed, the chart's gaps named, a drill ticked step by step with time and who, the
//! drawer copy printed, and a viewer who reads without forms.

use domain::Role;
use testkit::{each_backend, open_store, spawn_app};

use crate::support::{csrf, facility, sign_in, user};

#[tokio::test]
async fn a_chart_is_kept_and_a_drill_is_ticked_and_printed() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        user(&s, "viewer@sakura.example", &a, Role::Viewer, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let base = format!("/f/{}/incident", a.id.0);

        let page = c.get(&base).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("LAN ケーブルを抜く"), "{}", page.body);
        assert!(page.body.contains("院長が記録されていません"));

        let bad = c
            .post(
                &format!("{base}/contacts"),
                &[
                    ("csrf", &token),
                    ("role", "police"),
                    ("name", ""),
                    ("phone", "けいさつ"),
                    ("note", "サイバー犯罪相談窓口"),
                ],
            )
            .await;
        assert_eq!(bad.status, 400, "{}", bad.body);
        assert!(bad.body.contains("名前・部署") && bad.body.contains("電話番号"));
        assert!(
            bad.body.contains(r#"value="サイバー犯罪相談窓口""#),
            "kept as typed"
        );
        assert!(
            s.contacts(
                &s.scope(&domain::facility::FacilityRef::Id(a.id))
                    .await
                    .unwrap()
            )
            .await
            .unwrap()
            .is_empty()
        );
        for (role, name, phone) in [
            ("director", "院長 山田", "０９０ー１１１１ー２２２２"),
            ("mhlw", "医療情報担当参事官室", "03-0000-0000"),
            ("police", "徳島県警察", "088-000-0000"),
            ("prefecture", "徳島県 医療政策課", "088-000-0001"),
        ] {
            let done = c
                .post(
                    &format!("{base}/contacts"),
                    &[
                        ("csrf", &token),
                        ("role", role),
                        ("name", name),
                        ("phone", phone),
                    ],
                )
                .await;
            assert_eq!(done.status, 303, "{}", done.body);
        }
        let page = c.get(&base).await;
        assert!(
            page.body.contains("090-1111-2222"),
            "full-width digits folded"
        );
        // The ledger's vendors count: without a 24-hour number each is a gap.
        assert!(!page.body.contains("が記録されていません"), "{}", page.body);
        assert!(
            page.body
                .contains("保守業者「保守会社A」の 24 時間の連絡先がありません")
        );
        for vendor in ["保守会社A", "保守会社B"] {
            let added = c
                .post(
                    &format!("/f/{}/vendors", a.id.0),
                    &[
                        ("csrf", &token),
                        ("name", vendor),
                        ("phone_24h", "0120-000-000"),
                    ],
                )
                .await;
            assert_eq!(added.status, 303, "{}", added.body);
        }
        let page = c.get(&base).await;
        assert!(!page.body.contains("id=\"contact-gaps\""), "{}", page.body);
        let checklist = c.get(&format!("/f/{}/checklist", a.id.0)).await;
        assert!(
            checklist
                .body
                .contains("連絡体制図に、院長、厚生労働省、警察"),
            "3-① from the chart"
        );

        let started = c
            .post(
                &format!("{base}/start"),
                &[("csrf", &token), ("kind", "drill")],
            )
            .await;
        assert_eq!(started.status, 303);
        let again = c
            .post(
                &format!("{base}/start"),
                &[("csrf", &token), ("kind", "drill")],
            )
            .await;
        assert_eq!(again.status, 400, "one drill at a time");
        let page = c.get(&base).await;
        let incident = page
            .body
            .split(r#"name="incident" value=""#)
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_string();
        let tick = c
            .post(
                &format!("{base}/tick"),
                &[
                    ("csrf", &token),
                    ("incident", &incident),
                    ("step", "unplug"),
                    ("note", "受付PC"),
                ],
            )
            .await;
        assert_eq!(tick.status, 303, "{}", tick.body);
        let page = c.get(&base).await;
        assert!(page.body.contains("✓"), "{}", page.body);
        assert!(page.body.contains("staff@sakura.example"), "who ticked");
        let unknown = c
            .post(
                &format!("{base}/tick"),
                &[("csrf", &token), ("incident", &incident), ("step", "dance")],
            )
            .await;
        assert_eq!(unknown.status, 400);

        let printed = c.get(&format!("{base}/print")).await;
        assert_eq!(printed.status, 200);
        assert_eq!(printed.header("content-type"), Some("application/pdf"));
        assert!(printed.bytes.starts_with(b"%PDF-"));

        let closed = c
            .post(
                &format!("{base}/close"),
                &[("csrf", &token), ("incident", &incident)],
            )
            .await;
        assert_eq!(closed.status, 303);
        let page = c.get(&base).await;
        assert!(page.body.contains("past-responses"), "{}", page.body);

        // A real response is said first on the overview, until it ends.
        let real = c
            .post(
                &format!("{base}/start"),
                &[("csrf", &token), ("kind", "real")],
            )
            .await;
        assert_eq!(real.status, 303);
        let home = c.get(&format!("/f/{}/", a.id.0)).await;
        assert!(home.body.contains("id=\"responding\""), "{}", home.body);
        let mut v = sign_in(&app, "viewer@sakura.example", None).await;
        let vtoken = csrf(&mut v, &a).await;
        let seen = v.get(&base).await;
        assert_eq!(seen.status, 200);
        assert!(
            !seen.body.contains("incident/start"),
            "no forms for a viewer"
        );
        let refused = v
            .post(
                &format!("{base}/start"),
                &[("csrf", &vtoken), ("kind", "drill")],
            )
            .await;
        assert_eq!(refused.status, 403);
    }
}
