use domain::Role;
use testkit::{each_backend, open_store, spawn_app};

use crate::support::{csrf, facility, sign_in, user};

#[tokio::test]
async fn staff_record_a_way_in_and_its_gaps_show_in_red() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let base = format!("/f/{}/", a.id.0);
        let empty = c.get(&format!("{base}connections")).await;
        assert!(
            empty.body.contains("入口はまだ登録されていません"),
            "{}",
            db.backend
        );

        let form = c.get(&format!("{base}connections/new")).await;
        assert_eq!(form.status, 200);
        let device = form
            .body
            .split("<option value=\"")
            .nth(2)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let token = csrf(&mut c, &a).await;
        let bad = c
            .post(
                &format!("{base}connections"),
                &[
                    ("csrf", &token),
                    ("name", ""),
                    ("kind", "vendor-remote"),
                    ("availability", "always-on"),
                    ("authentication", "shared-password"),
                    ("source_restriction", "no"),
                    ("credentials_changed_on", "2019/2/30"),
                ],
            )
            .await;
        assert_eq!(bad.status, 400);
        assert!(
            bad.body.contains("『入口の名前』") && bad.body.contains("その日はありません"),
            "both problems at once"
        );
        assert!(
            bad.body.contains(r#"value="shared-password" selected"#),
            "choices are kept"
        );

        let ok = c
            .post(
                &format!("{base}connections"),
                &[
                    ("csrf", &token),
                    ("name", "電子カルテ業者のリモート保守"),
                    ("kind", "vendor-remote"),
                    ("asset", &device),
                    ("vendor", "保守会社A"),
                    ("availability", "always-on"),
                    ("authentication", "shared-password"),
                    ("source_restriction", "no"),
                    ("credentials_changed_on", "平成31年4月1日"),
                    ("segments", "診療系、保守用"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let detail = c.get(ok.location().unwrap()).await;
        assert!(detail.body.contains(r#"<div class="problem" id="gaps">"#));
        for gap in [
            "共有パスワード",
            "接続元の制限なし",
            "常時接続",
            "パスワードを1年以上変えていない",
            "ファームウェアの版が不明",
        ] {
            assert!(detail.body.contains(gap), "{gap}");
        }
        assert!(detail.body.contains("2019年4月1日") && detail.body.contains("診療系・保守用"));
        let list = c.get(&format!("{base}connections")).await;
        assert!(list.body.contains("入口 1 件のうち 1 件に弱点があります"));

        let v = c
            .post(
                &format!("{base}vendors"),
                &[
                    ("csrf", &token),
                    ("name", "保守会社A"),
                    ("phone_24h", "088-000-0000"),
                    ("contract", "年間保守契約"),
                ],
            )
            .await;
        assert_eq!(v.status, 303);
        let list = c.get(&format!("{base}connections")).await;
        assert!(
            list.body.contains("088-000-0000")
                && list.body.contains("年間保守契約")
                && list.body.contains(r#"<td class="num">1</td>"#),
            "its one device"
        );
        let dup = c
            .post(
                &format!("{base}vendors"),
                &[("csrf", &token), ("name", "保守会社A")],
            )
            .await;
        assert_eq!(dup.status, 400);
        assert!(
            dup.body
                .contains("事業者「保守会社A」は既に登録されています")
                && dup.body.contains(&format!("href=\"{base}connections\"")),
            "said in words, with the way back: {}",
            dup.body
        );

        let actions = crate::support::actions(&s, a.id, 5).await;
        assert!(
            actions.contains(&"connection.create".to_string())
                && actions.contains(&"vendor.create".to_string())
        );
    }
}

#[tokio::test]
async fn a_device_of_another_facility_cannot_be_named() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "own", "自院").await;
    let b = facility(&s, "other", "他院").await;
    let other_scope = s
        .scope(&domain::facility::FacilityRef::Id(b.id))
        .await
        .unwrap();
    let foreign = s.assets(&other_scope).await.unwrap()[0].id.0.to_string();
    user(&s, "staff@own.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "staff@own.example", None).await;
    let token = csrf(&mut c, &a).await;
    let r = c
        .post(
            &format!("/f/{}/connections", a.id.0),
            &[
                ("csrf", &token),
                ("name", "VPN"),
                ("kind", "vendor-remote"),
                ("asset", &foreign),
                ("availability", "unknown"),
                ("authentication", "unknown"),
                ("source_restriction", "unknown"),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("この施設の台帳にありません"));
    let own_scope = s
        .scope(&domain::facility::FacilityRef::Id(a.id))
        .await
        .unwrap();
    assert!(s.connection_points(&own_scope).await.unwrap().is_empty());
}

#[tokio::test]
async fn segments_and_the_traffic_between_them() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let base = format!("/f/{}/", a.id.0);
        for (name, zone) in [("診療系", "clinical"), ("保守用", "maintenance")] {
            let r = c
                .post(
                    &format!("{base}segments"),
                    &[("csrf", &token), ("name", name), ("zone", zone)],
                )
                .await;
            assert_eq!(r.status, 303, "{}", db.backend);
        }
        let dup = c
            .post(
                &format!("{base}segments"),
                &[("csrf", &token), ("name", "診療系"), ("zone", "clinical")],
            )
            .await;
        assert_eq!(dup.status, 400);
        let scope = s
            .scope(&domain::facility::FacilityRef::Id(a.id))
            .await
            .unwrap();
        let segs = s.segments(&scope).await.unwrap();
        let (from, to) = (segs[1].id.0.to_string(), segs[0].id.0.to_string());
        let r = c
            .post(
                &format!("{base}segments/flows"),
                &[
                    ("csrf", &token),
                    ("from", &from),
                    ("to", &to),
                    ("note", "保守時のみ"),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let page = c.get(&format!("{base}segments")).await;
        assert!(
            page.body.contains("保守用 → 診療系(保守時のみ)"),
            "{}",
            page.body
        );
        let bad = c
            .post(
                &format!("{base}segments/flows"),
                &[("csrf", &token), ("from", "999999"), ("to", &to)],
            )
            .await;
        assert_eq!(bad.status, 400, "a segment of no facility");
    }
}

#[tokio::test]
async fn a_way_in_is_corrected_and_its_gaps_follow() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let scope = s
            .scope(&domain::facility::FacilityRef::Id(a.id))
            .await
            .unwrap();
        let mut cp = domain::NewConnectionPoint::new(
            "保守VPN",
            domain::connection::ConnectionKind::VendorRemote,
        )
        .unwrap();
        cp.authentication = domain::connection::Authentication::SharedPassword;
        let point = s
            .add_connection_point(&scope, &crate::support::actor(), cp, testkit::T0)
            .await
            .unwrap()
            .id
            .0;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let path = format!("/f/{}/connections/{point}", a.id.0);
        let form = c.get(&format!("{path}/edit")).await;
        assert!(
            form.body.contains(r#"value="shared-password" selected"#),
            "{}",
            db.backend
        );
        let r = c
            .post(
                &path,
                &[
                    ("csrf", &token),
                    ("name", "保守VPN"),
                    ("kind", "vendor-remote"),
                    ("availability", "on-demand"),
                    ("authentication", "two-factor"),
                    ("source_restriction", "yes"),
                    ("credentials_changed_on", "2026/3/1"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let detail = c.get(&path).await;
        assert!(
            !detail.body.contains("共有パスワード")
                && detail.body.contains("ファームウェアの版が不明"),
            "only the unknown device remains"
        );
        let history = s
            .object_history(a.id, "connection_point", &point.to_string())
            .await
            .unwrap();
        assert_eq!(
            history.last().map(|r| r.entry.action.as_str()),
            Some("connection.update")
        );
    }
}
