use calamine::Reader;
use domain::Role;
use testkit::{each_backend, open_store, spawn_app};

use crate::support::{csrf, facility, sign_in, user};

const CSV: &str = "機器名,種別,IPアドレス,導入日\n検査室PC,PC,192.168.10.34,令和5年4月1日\nsakura UTM,UTM,,2024/4/1\n";

#[tokio::test]
async fn upload_preview_then_confirm_in_one_go() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let base = format!("/f/{}/", a.id.0);
        assert_eq!(c.get(&format!("{base}ledger/import")).await.status, 200);

        let preview = c
            .post_file(
                &format!("{base}ledger/import"),
                &[("csrf", &token)],
                ("file", "台帳.csv", CSV.as_bytes()),
            )
            .await;
        assert_eq!(preview.status, 200, "{}: {}", db.backend, preview.body);
        assert!(
            preview.body.contains("追加 1 台、変更 1 台"),
            "{}",
            preview.body
        );
        assert!(preview.body.contains("検査室PC"));
        assert!(
            preview.body.contains("sakura UTM(導入日)"),
            "only the column the file has"
        );
        let scope = s
            .scope(&domain::facility::FacilityRef::Id(a.id))
            .await
            .unwrap();
        assert_eq!(
            s.assets(&scope).await.unwrap().len(),
            2,
            "a preview writes nothing"
        );

        let pending = preview.field("token").unwrap();
        let done = c
            .post(
                &format!("{base}ledger/import/confirm"),
                &[("csrf", &token), ("token", &pending)],
            )
            .await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert!(done.body.contains(r#"id="import-result""#));
        let after = s.assets(&scope).await.unwrap();
        assert_eq!(after.len(), 3);
        let utm = after
            .iter()
            .find(|x| x.details.name == "sakura UTM")
            .unwrap();
        assert_eq!(
            utm.details.vendor.as_deref(),
            Some("保守会社A"),
            "columns the file lacks are kept"
        );
        let again = c
            .post(
                &format!("{base}ledger/import/confirm"),
                &[("csrf", &token), ("token", &pending)],
            )
            .await;
        assert_eq!(again.status, 410, "a confirmation works once");
    }
}

#[tokio::test]
async fn problems_are_listed_and_nothing_is_kept() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "staff@sakura.example", None).await;
    let token = csrf(&mut c, &a).await;
    let path = format!("/f/{}/ledger/import", a.id.0);
    let bad = c
        .post_file(
            &path,
            &[("csrf", &token)],
            (
                "file",
                "台帳.csv",
                "機器名,種別,IPアドレス\n受付PC,PC,192.168.1.300\n".as_bytes(),
            ),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("「台帳.csv」2行目『IPアドレス』"),
        "{}",
        bad.body
    );
    assert!(!bad.body.contains(r#"name="token""#), "nothing to confirm");
    let png = c
        .post_file(
            &path,
            &[("csrf", &token)],
            ("file", "photo.png", b"\x89PNG\r\n\x1a\n\0\0"),
        )
        .await;
    assert!(png.body.contains("表計算のファイル"));
    let no_token = c
        .post_file(&path, &[], ("file", "台帳.csv", CSV.as_bytes()))
        .await;
    assert_eq!(no_token.status, 403, "uploads need the form token too");
}

#[tokio::test]
async fn another_users_pending_file_cannot_be_confirmed() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    user(&s, "one@sakura.example", &a, Role::ItStaff, false).await;
    user(&s, "two@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let mut one = sign_in(&app, "one@sakura.example", None).await;
    let t1 = csrf(&mut one, &a).await;
    let preview = one
        .post_file(
            &format!("/f/{}/ledger/import", a.id.0),
            &[("csrf", &t1)],
            ("file", "台帳.csv", CSV.as_bytes()),
        )
        .await;
    let pending = preview.field("token").unwrap();
    let mut two = sign_in(&app, "two@sakura.example", None).await;
    let t2 = csrf(&mut two, &a).await;
    let r = two
        .post(
            &format!("/f/{}/ledger/import/confirm", a.id.0),
            &[("csrf", &t2), ("token", &pending)],
        )
        .await;
    assert_eq!(r.status, 410, "only its uploader can confirm a file");
}

#[tokio::test]
async fn the_ledger_downloads_as_a_workbook() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    user(&s, "viewer@sakura.example", &a, Role::Viewer, false).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "viewer@sakura.example", None).await;
    let r = c.get(&format!("/f/{}/ledger/export", a.id.0)).await;
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-disposition")
            .unwrap_or_default()
            .contains("filename*=UTF-8''")
    );
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(r.bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["パソコン".to_string(), "UTM".to_string()]
    );
    assert!(book.worksheet_range("UTM").unwrap().get((1, 0)).is_some());
}

#[tokio::test]
async fn a_version_seen_by_a_scan_is_written_only_when_confirmed() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let scope = s
            .scope(&domain::facility::FacilityRef::Id(a.id))
            .await
            .unwrap();
        let assets = s.assets(&scope).await.unwrap();
        let utm = assets
            .iter()
            .find(|x| x.details.name == "sakura UTM")
            .unwrap()
            .id;
        let pc = assets
            .iter()
            .find(|x| x.details.name == "sakura 受付PC")
            .unwrap()
            .id;
        let findings = [
            domain::scan::Finding::VersionSeen {
                asset: utm,
                port: 443,
                product: "FortiOS".into(),
                version: "7.0.12".into(),
            },
            domain::scan::Finding::RiskyService {
                asset: Some(pc),
                ip: None,
                port: 3389,
                service: "rdp",
            },
        ];
        s.record_scan(
            &scope,
            &crate::support::actor(),
            &findings,
            "scan.xml",
            testkit::T0,
        )
        .await
        .unwrap();
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let page = c.get(&format!("/f/{}/ledger", a.id.0)).await;
        assert!(
            page.body.contains("FortiOS 7.0.12") && page.body.contains("リモートデスクトップ(RDP)"),
            "{}",
            db.backend
        );
        let open = s.open_findings(&scope).await.unwrap();
        let r = c
            .post(
                &format!("/f/{}/findings/{}", a.id.0, open[0].id),
                &[("csrf", &token), ("decision", "confirm")],
            )
            .await;
        assert_eq!(r.status, 303);
        let r = c
            .post(
                &format!("/f/{}/findings/{}", a.id.0, open[1].id),
                &[("csrf", &token), ("decision", "dismiss")],
            )
            .await;
        assert_eq!(r.status, 303);
        let after = s.assets(&scope).await.unwrap();
        let utm_after = after.iter().find(|x| x.id == utm).unwrap();
        assert_eq!(utm_after.details.os_version.as_deref(), Some("7.0.12"));
        assert_eq!(utm_after.details.os_name.as_deref(), Some("FortiOS"));
        assert!(s.open_findings(&scope).await.unwrap().is_empty());
        let again = c
            .post(
                &format!("/f/{}/findings/{}", a.id.0, open[0].id),
                &[("csrf", &token), ("decision", "confirm")],
            )
            .await;
        assert_eq!(again.status, 404, "decided once");
        let actions = crate::support::actions(&s, a.id, 5).await;
        assert!(
            actions.contains(&"asset.update".to_string())
                && actions.contains(&"scan.decide".to_string())
        );
    }
}

#[tokio::test]
async fn a_device_is_added_and_corrected_by_hand() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let base = format!("/f/{}/", a.id.0);
        assert_eq!(c.get(&format!("{base}assets/new")).await.status, 200);
        let bad = c
            .post(
                &format!("{base}assets"),
                &[
                    ("csrf", &token),
                    ("name", "検査室PC"),
                    ("kind", "パソコン"),
                    ("ip", "192.168.1.300"),
                    ("acquired-on", "令和1年4月1日"),
                ],
            )
            .await;
        assert_eq!(bad.status, 400, "{}", db.backend);
        assert!(
            bad.body.contains("『IPアドレス』") && bad.body.contains("『導入日』"),
            "{}",
            bad.body
        );
        assert!(
            bad.body.contains(r#"value="192.168.1.300""#),
            "what was typed is kept"
        );
        // Each problem is said beside its field too, and the field is marked.
        assert!(
            bad.body
                .contains(r#"<p class="field-error" id="ip-error">"#)
                && bad.body.contains(r#"aria-describedby="ip-error""#)
                && bad.body.contains(r##"<a href="#ip">"##),
            "{}",
            bad.body
        );
        let ok = c
            .post(
                &format!("{base}assets"),
                &[
                    ("csrf", &token),
                    ("name", "検査室PC"),
                    ("kind", "パソコン"),
                    ("ip", "192.168.1.30"),
                    ("acquired-on", "令和6年4月1日"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let page_path = ok.location_path().unwrap().to_string();
        let edit = c.get(&format!("{page_path}/edit")).await;
        assert!(edit.body.contains(r#"value="2024-04-01""#));
        let saved = c
            .post(
                &page_path,
                &[
                    ("csrf", &token),
                    ("name", "検査室PC"),
                    ("kind", "パソコン"),
                    ("ip", "192.168.1.30"),
                    ("acquired-on", "2024-04-01"),
                    ("location", "2階 検査室"),
                ],
            )
            .await;
        assert_eq!(saved.status, 303);
        let page = c.get(&page_path).await;
        assert!(
            page.body.contains("2階 検査室")
                && page.body.contains("機器の変更")
                && page.body.contains("設置場所"),
            "{}",
            page.body
        );
    }
}

/// A file of ways in goes through the same preview and confirmation as devices.
#[tokio::test]
async fn ways_in_are_previewed_then_added() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "staff@sakura.example", None).await;
    let token = csrf(&mut c, &a).await;
    let csv = "入口の名前,入口の種類,入口の機器,つながっている時間\n保守VPN,事業者のリモート保守(VPN など),sakura UTM,常時接続\n";
    let preview = c
        .post_file(
            &format!("/f/{}/ledger/import", a.id.0),
            &[("csrf", &token)],
            ("file", "入口.csv", csv.as_bytes()),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("院外との接続点: 追加 1 件"),
        "{}",
        preview.body
    );
    let scope = s
        .scope(&domain::facility::FacilityRef::Id(a.id))
        .await
        .unwrap();
    assert!(
        s.connection_points(&scope).await.unwrap().is_empty(),
        "a preview writes nothing"
    );
    let pending = preview.field("token").unwrap();
    let r = c
        .post(
            &format!("/f/{}/ledger/import/confirm", a.id.0),
            &[("csrf", &token), ("token", &pending)],
        )
        .await;
    assert!(r.status == 200 || r.status == 303, "{}", r.body);
    let points = s.connection_points(&scope).await.unwrap();
    assert_eq!(points.len(), 1);
    assert!(
        points[0].details.asset.is_some(),
        "the device found by name"
    );
}
