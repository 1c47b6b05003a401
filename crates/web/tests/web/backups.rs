//! バックアップ in the browser's way: copies recorded with the network overruling the form,
//! a drill and goals recorded, bad numbers refused naming the field, another facility's
//! devices out of reach, and a viewer who may look but not change.

use domain::facility::FacilityRef;
use domain::{AssetKind, Role};
use testkit::{T0, each_backend, open_store, spawn_app};

use crate::support::{csrf, facility, sign_in, user};

async fn send(
    c: &mut testkit::http::Client,
    path: &str,
    fields: &[(&str, String)],
) -> testkit::http::Response {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post(path, &refs).await
}

#[tokio::test]
async fn copies_drills_and_goals_are_recorded_and_judged() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        let b = facility(&s, "momo", "もも").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        user(&s, "viewer@sakura.example", &a, Role::Viewer, false).await;
        let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let other = s.scope(&FacilityRef::Id(b.id)).await.unwrap();
        let actor = domain::Actor::Cli("t".into());
        let add = |scope: &store::FacilityScope, kind, name: &str, segment: &str| {
            let s = s.clone();
            let scope = *scope;
            let actor = actor.clone();
            let asset = domain::NewAsset::new(kind, name).unwrap().segment(segment);
            async move { s.add_asset(&scope, &actor, asset, T0).await.unwrap().id }
        };
        let ehr = add(&scope, AssetKind::Server, "電子カルテサーバ", "診療系").await;
        let nas = add(&scope, AssetKind::Storage, "NAS", "診療系").await;
        let theirs = add(&other, AssetKind::Server, "もものサーバ", "診療系").await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let base = format!("/f/{}/backups", a.id.0);

        let page = c.get(&base).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("電子カルテサーバ"), "{}", page.body);
        assert!(page.body.contains("バックアップが記録されていません"));

        // The form says 切り離して保管, but the ledger has the NAS in the EHR's segment.
        let (ehr_id, nas_id) = (ehr.0.to_string(), nas.0.to_string());
        let copy = |medium: &'static str, holder: String, every: &'static str| {
            vec![
                ("csrf", token.clone()),
                ("system", ehr_id.clone()),
                ("medium", medium.to_string()),
                ("holder", holder),
                ("place", "on-site".to_string()),
                ("link", "offline".to_string()),
                ("every_days", every.to_string()),
                ("last_success", "2026-03-30".to_string()),
            ]
        };
        let done = send(
            &mut c,
            &format!("{base}/copies"),
            &(copy("nas", nas_id.clone(), "1")),
        )
        .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let page = c.get(&base).await;
        assert!(
            page.body
                .contains("このシステムと同じネットワーク区分「診療系」にあり"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("1 件のコピーがすべてネットワークから届きます")
        );
        let home = c.get(&format!("/f/{}/", a.id.0)).await;
        assert!(
            home.body.contains("ネットワークから切り離して保管する"),
            "in 今すぐやること: {}",
            home.body
        );

        let checklist = c.get(&format!("/f/{}/checklist", a.id.0)).await;
        assert!(
            checklist
                .body
                .contains(&format!("backups#system-{}", ehr.0)),
            "3-② links the system while it has gaps"
        );
        // A number that is not one is refused naming the field, and nothing is kept.
        let bad = send(
            &mut c,
            &format!("{base}/copies"),
            &(copy("external-disk", String::new(), "毎週")),
        )
        .await;
        assert_eq!(bad.status, 400, "{}", bad.body);
        assert!(bad.body.contains("取得の間隔(日)"), "{}", bad.body);
        // Shown again in the system's card: open, every problem, what was typed kept, and a
        // language switch that comes back to the page (not to the address the form posted to).
        assert!(
            bad.body.contains(r#"<details class="backup-form" open>"#),
            "{}",
            bad.body
        );
        assert!(bad.body.contains(r#"value="毎週""#), "{}", bad.body);
        assert!(
            bad.body
                .contains(r#"<option value="external-disk" selected>"#)
        );
        assert!(!bad.body.contains("backups%2Fcopies"), "{}", bad.body);
        let many = send(
            &mut c,
            &format!("{base}/copies"),
            &[
                ("csrf", token.clone()),
                ("system", ehr_id.clone()),
                ("medium", "nas".into()),
                ("place", String::new()),
                ("link", "offline".into()),
                ("every_days", "毎週".into()),
                ("generations", "三".into()),
            ],
        )
        .await;
        assert_eq!(many.status, 400);
        for name in ["保管場所", "取得の間隔(日)", "世代数"] {
            assert!(many.body.contains(name), "names {name}: {}", many.body);
        }
        assert_eq!(s.backup_copies(&scope).await.unwrap().len(), 1);
        let usb = send(
            &mut c,
            &format!("{base}/copies"),
            &(copy("external-disk", String::new(), "7")),
        )
        .await;
        assert_eq!(usb.status, 303, "{}", usb.body);
        let page = c.get(&base).await;
        assert!(
            !page.body.contains("1 件のコピーがすべて"),
            "a copy kept apart now"
        );
        assert!(page.body.contains("ネットワークから切り離して保管"));

        // Another facility's device is neither a system nor a holder here.
        let mut theirs_form = copy("nas", String::new(), "1");
        theirs_form[1].1 = theirs.0.to_string();
        let refused = send(&mut c, &format!("{base}/copies"), &theirs_form).await;
        assert_eq!(refused.status, 400);
        let mut held = copy("nas", theirs.0.to_string(), "1");
        held[1].1 = ehr_id.clone();
        assert_eq!(
            send(&mut c, &format!("{base}/copies"), &held).await.status,
            400
        );
        assert_eq!(s.backup_copies(&scope).await.unwrap().len(), 2);
        assert!(s.backup_copies(&other).await.unwrap().is_empty());

        // A drill in the future cannot have a result; planned it can.
        let drill = |on: &str, result: &str| {
            vec![
                ("csrf", token.clone()),
                ("system", ehr_id.clone()),
                ("on", on.to_string()),
                ("what", "USB ディスクから検証用 PC へ".to_string()),
                ("result", result.to_string()),
                ("minutes", "95".to_string()),
            ]
        };
        let future = send(
            &mut c,
            &format!("{base}/drills"),
            &drill("2099-01-01", "restored"),
        )
        .await;
        assert_eq!(future.status, 400, "{}", future.body);
        let planned = send(
            &mut c,
            &format!("{base}/drills"),
            &drill("2099-01-01", "planned"),
        )
        .await;
        assert_eq!(planned.status, 303, "{}", planned.body);
        let now = domain::Date::in_japan(T0).to_string();
        let done = send(&mut c, &format!("{base}/drills"), &drill(&now, "restored")).await;
        assert_eq!(done.status, 303, "{}", done.body);
        let goal = send(
            &mut c,
            &format!("{base}/goal"),
            &[
                ("csrf", token.clone()),
                ("system", ehr_id.clone()),
                ("rpo", "24".into()),
                ("rto", "1".into()),
            ],
        )
        .await;
        assert_eq!(goal.status, 303, "{}", goal.body);
        let page = c.get(&base).await;
        assert!(
            page.body
                .contains("最後の復元に 95 分かかり、目標(RTO)の 1 時間を超えています"),
            "{}",
            page.body
        );
        assert!(page.body.contains("予定"));
        let checklist = c.get(&format!("/f/{}/checklist", a.id.0)).await;
        assert!(
            checklist.body.contains("1 年以内の復元訓練でエラーなし")
                || checklist
                    .body
                    .contains("1 年以内の復元訓練で戻せることを確かめています"),
            "3-② answered はい from the data: {}",
            checklist.body
        );

        // A viewer reads the page without the forms and cannot post.
        let mut v = sign_in(&app, "viewer@sakura.example", None).await;
        let vtoken = csrf(&mut v, &a).await;
        let page = v.get(&base).await;
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("backups/copies\""),
            "no forms for a viewer"
        );
        let mut attempt = copy("nas", String::new(), "1");
        attempt[0].1 = vtoken;
        assert_eq!(
            send(&mut v, &format!("{base}/copies"), &attempt)
                .await
                .status,
            403
        );
    }
}
