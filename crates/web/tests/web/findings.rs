//! Vulnerability findings through the pages: found after a feed import, fixed when the
//! ledger's version is corrected, a leak that outlives the fix until passwords are changed,
//! and a director accepting a risk for a time (with every refusal naming its field).

use domain::facility::FacilityRef;
use domain::{AssetKind, Clock, NewAsset, Role};
use testkit::{each_backend, open_store, spawn_app};

use crate::support::{actor, csrf, facility, sign_in, user};

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../testdata/vuln/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn feeds(s: &store::Store) {
    let kev = ingest::kev::parse(&data("kev/known_exploited_vulnerabilities.json")).unwrap();
    s.import_kev(&actor(), &kev, "kev.json", testkit::T0)
        .await
        .unwrap();
    for f in ["CVE-2018-13379.json", "CVE-2024-21762.json"] {
        let records: Vec<(String, String)> = ingest::nvd::records(&data(&format!("nvd/{f}")))
            .unwrap()
            .into_iter()
            .map(|(c, raw)| (c.id, raw))
            .collect();
        s.import_nvd(&actor(), &records, f, testkit::T0)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_leak_outlives_the_fix_until_passwords_change_and_a_risk_is_accepted_for_a_time() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let fg = NewAsset::new(AssetKind::Utm, "FortiGate")
            .unwrap()
            .maker_model("Fortinet", "FortiGate-60E")
            .os("FortiOS", "6.0.4")
            .vendor("さくらメディカル", domain::RemoteMaintenance::Yes);
        let fg = s
            .add_asset(&scope, &actor(), fg, testkit::T0)
            .await
            .unwrap();
        feeds(&s).await;
        let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let base = format!("/f/{}/", a.id.0);

        // Staff: the first view after the feed import evaluates the facility.
        let mut staff = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut staff, &a).await;
        let page = staff.get(&format!("{base}vulnerabilities")).await;
        assert_eq!(page.status, 200, "{}", db.backend);
        for text in [
            "CVE-2018-13379",
            "CVE-2024-21762",
            "パスワードとセッションの変更が必要",
            "未対応",
            "乗っ取り",
            "さくらメディカル に連絡",
        ] {
            assert!(page.body.contains(text), "{text}: {}", page.body);
        }
        // The overview says what to do first, on which device, and why.
        let overview = staff.get(&base).await;
        let to_do = overview
            .body
            .split("id=\"to-do\"")
            .nth(1)
            .unwrap_or_default();
        let first = to_do.find("「FortiGate」を今日のうちに修正版へ更新");
        let leak = to_do.find("「FortiGate」を通るパスワード");
        assert!(
            first.is_some() && leak.is_some() && first < leak,
            "{}: {}",
            db.backend,
            overview.body
        );
        assert!(to_do.contains("ランサムウェア") && to_do.contains("さくらメディカル"));
        let found = s.findings(&scope).await.unwrap();
        assert_eq!(found.len(), 3, "{found:?}");
        let leak = found
            .iter()
            .find(|f| f.kind == domain::finding::Kind::Credentials)
            .unwrap()
            .id;
        let hole = found.iter().find(|f| f.cve == "CVE-2024-21762").unwrap().id;

        // The vendor updated to 6.0.18: both holes fixed, the passwords still to change.
        let saved = staff
            .post(
                &format!("{base}assets/{}", fg.id.0),
                &[
                    ("csrf", &token),
                    ("name", "FortiGate"),
                    ("kind", "UTM"),
                    ("maker", "Fortinet"),
                    ("model", "FortiGate-60E"),
                    ("os", "FortiOS"),
                    ("version", "6.0.18"),
                    ("vendor", "さくらメディカル"),
                    ("remote", "あり"),
                ],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        app.settled().await;
        let statuses = |list: &[domain::finding::Finding]| {
            let mut v: Vec<(String, &str, &str)> = list
                .iter()
                .map(|f| {
                    (
                        f.cve.clone(),
                        f.kind.code(),
                        f.status(domain::Date::in_japan(app.clock.now())).code(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        let after = s.findings(&scope).await.unwrap();
        assert_eq!(
            statuses(&after),
            [
                ("CVE-2018-13379".into(), "credentials", "open"),
                ("CVE-2018-13379".into(), "vulnerability", "fixed"),
                ("CVE-2024-21762".into(), "vulnerability", "fixed"),
            ],
            "{}",
            db.backend
        );
        let detail = staff
            .get(&format!("{base}vulnerabilities/{}", hole.0))
            .await;
        assert!(
            detail.body.contains("見つかりました") && detail.body.contains("修正を確認しました"),
            "history: {}",
            detail.body
        );

        // Recording a change: a date in the future or not a date is refused by name.
        let leak_path = format!("{base}vulnerabilities/{}", leak.0);
        let future = staff
            .post(
                &format!("{leak_path}/credentials"),
                &[("csrf", &token), ("date", "2099-01-01")],
            )
            .await;
        assert_eq!(future.status, 400);
        assert!(future.body.contains("『変更した日』"), "{}", future.body);
        let garbage = staff
            .post(
                &format!("{leak_path}/credentials"),
                &[("csrf", &token), ("date", "きのう")],
            )
            .await;
        assert_eq!(garbage.status, 400);
        assert!(
            garbage.body.contains("「きのう」"),
            "what was typed is named: {}",
            garbage.body
        );
        let today = domain::Date::in_japan(app.clock.now()).to_string();
        let done = staff
            .post(
                &format!("{leak_path}/credentials"),
                &[("csrf", &token), ("date", &today)],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        app.settled().await;
        let closed = s.finding(&scope, leak).await.unwrap().unwrap();
        assert!(closed.closed_at.is_some(), "changed after the fix: closed");
        // The monthly review lists what was found and fixed, and the KEV entries since 2021.
        let review = staff.get(&format!("{base}review?since=2021-01-01")).await;
        assert_eq!(review.status, 200);
        for text in [
            "新たに KEV に載り、台帳の機器が該当する脆弱性(2)",
            "新たに見つかった脆弱性の所見(3)",
            "修正を確認した所見(3)",
            "CVE-2018-13379(パスワードとセッションの変更が必要)",
        ] {
            assert!(review.body.contains(text), "{text}: {}", review.body);
        }
        // Staff may not accept risks.
        let refused = staff
            .post(
                &format!("{base}vulnerabilities/{}/accept", hole.0),
                &[("csrf", &token), ("reason", "x"), ("until", &today)],
            )
            .await;
        assert_eq!(refused.status, 403);

        // A downgrade (a restored old configuration) reopens the fixed hole; the director
        // accepts it for a month, after refusals that name the field.
        let mut director = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
        let director_token = csrf(&mut director, &a).await;
        let form = [
            ("csrf", director_token.as_str()),
            ("name", "FortiGate"),
            ("kind", "UTM"),
            ("maker", "Fortinet"),
            ("model", "FortiGate-60E"),
            ("os", "FortiOS"),
            ("version", "6.0.11"),
        ];
        let r = director
            .post(&format!("{base}assets/{}", fg.id.0), &form)
            .await;
        assert_eq!(r.status, 303);
        app.settled().await;
        let reopened = s.finding(&scope, hole).await.unwrap().unwrap();
        assert!(reopened.closed_at.is_none(), "reopened");
        let hole_path = format!("{base}vulnerabilities/{}", hole.0);
        let bad = director
            .post(
                &format!("{hole_path}/accept"),
                &[
                    ("csrf", &director_token),
                    ("reason", "  "),
                    ("until", "2030-01-01"),
                ],
            )
            .await;
        assert_eq!(bad.status, 400);
        assert!(
            bad.body.contains("『理由』") && bad.body.contains("『見直す期限』"),
            "{}",
            bad.body
        );
        let until = domain::Date::from_days(domain::Date::in_japan(app.clock.now()).days() + 30)
            .to_string();
        let ok = director
            .post(
                &format!("{hole_path}/accept"),
                &[
                    ("csrf", &director_token),
                    (
                        "reason",
                        "更新は来月の定期保守で。それまで SSL-VPN を止める",
                    ),
                    ("until", &until),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let page = director.get(&hole_path).await;
        assert!(
            page.body.contains("リスク受け入れ中") && page.body.contains("SSL-VPN を止める"),
            "{}",
            page.body
        );
        // The monthly review lists it first among what is still open, with the reason.
        let review = director.get(&format!("{base}review")).await;
        let standing = review
            .body
            .split("id=\"standing\"")
            .nth(1)
            .unwrap_or_default();
        assert!(
            standing.contains("CVE-2024-21762")
                && standing.contains("リスクを受け入れ中: 更新は来月の定期保守で"),
            "{}",
            review.body
        );
        // After the last day it is open again, without anyone doing anything.
        app.clock.advance_ms(31 * 86_400_000);
        let f = s.finding(&scope, hole).await.unwrap().unwrap();
        assert_eq!(
            f.status(domain::Date::in_japan(app.clock.now())),
            domain::finding::Status::Open
        );
    }
}

/// The change of passwords is usually recorded where the VPN is described: the connection
/// point the device terminates. A date before the fix does not close the finding; one after
/// does, through the connection point's own form.
#[tokio::test]
async fn a_password_change_on_the_connection_point_closes_the_leak_finding() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
    let fg = NewAsset::new(AssetKind::Utm, "FortiGate")
        .unwrap()
        .maker_model("Fortinet", "FortiGate-60E")
        .os("FortiOS", "6.0.4");
    let fg = s
        .add_asset(&scope, &actor(), fg, testkit::T0)
        .await
        .unwrap();
    feeds(&s).await;
    user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let base = format!("/f/{}/", a.id.0);
    let mut staff = sign_in(&app, "staff@sakura.example", None).await;
    let token = csrf(&mut staff, &a).await;
    let device = fg.id.0.to_string();
    let point = |changed: &'static str| {
        vec![
            ("name", "保守VPN"),
            ("kind", "vendor-remote"),
            ("availability", "always-on"),
            ("authentication", "shared-password"),
            ("source_restriction", "no"),
            ("credentials_changed_on", changed),
        ]
    };
    let mut form: Vec<(&str, &str)> = vec![("csrf", &token), ("asset", &device)];
    form.extend(point("2020/1/1"));
    let r = staff.post(&format!("{base}connections"), &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    app.settled().await;
    let point_path = r.location().unwrap().to_string();
    // The vendor updates the FortiGate past every hole.
    let saved = staff
        .post(
            &format!("{base}assets/{}", fg.id.0),
            &[
                ("csrf", &token),
                ("name", "FortiGate"),
                ("kind", "UTM"),
                ("maker", "Fortinet"),
                ("model", "FortiGate-60E"),
                ("os", "FortiOS"),
                ("version", "6.0.18"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    app.settled().await;
    let standing = |list: Vec<domain::finding::Finding>| -> Vec<(String, &'static str)> {
        list.into_iter()
            .filter(|f| f.closed_at.is_none())
            .map(|f| (f.cve, f.kind.code()))
            .collect()
    };
    assert_eq!(
        standing(s.findings(&scope).await.unwrap()),
        [("CVE-2018-13379".to_string(), "credentials")],
        "changed in 2020, before the fix: still to do"
    );
    let page = staff.get(&point_path).await;
    assert!(
        page.body.contains("id=\"leaks\"") && page.body.contains("CVE-2018-13379"),
        "the connection point says what is still to do: {}",
        page.body
    );
    let today = domain::Date::in_japan(app.clock.now()).to_string();
    let mut form: Vec<(&str, &str)> = vec![("csrf", &token), ("asset", &device)];
    form.extend(point("2020/1/1"));
    form.retain(|(k, _)| *k != "credentials_changed_on");
    form.push(("credentials_changed_on", &today));
    let r = staff.post(&point_path, &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    app.settled().await;
    assert!(
        standing(s.findings(&scope).await.unwrap()).is_empty(),
        "changed today, after the fix: closed"
    );
    assert!(!staff.get(&point_path).await.body.contains("id=\"leaks\""));
}

/// A router only JVN knows: found through JVN's Japanese version text, shown with JVN's
/// Japanese title on the list and on its page.
#[tokio::test]
async fn a_jvn_finding_shows_its_japanese_title() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
    let router = NewAsset::new(AssetKind::Router, "Wi-Fi ルータ")
        .unwrap()
        .maker_model("NEC", "Aterm GB1200PE")
        .os("", "Ver.1.2.9");
    s.add_asset(&scope, &actor(), router, testkit::T0)
        .await
        .unwrap();
    let entries = ingest::jvn::parse(&data("jvn/vuldef-aterm.xml")).unwrap();
    s.import_jvn(&actor(), &entries, "vuldef-aterm.xml", testkit::T0)
        .await
        .unwrap();
    user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "staff@sakura.example", None).await;
    let page = c.get(&format!("/f/{}/vulnerabilities", a.id.0)).await;
    assert!(
        page.body.contains("CVE-2025-0355")
            && page
                .body
                .contains("NEC 製 Aterm シリーズにおける複数の脆弱性")
            && page.body.contains("乗っ取り"),
        "JVN's title, and CWE-78 from JVN as what an attacker can do: {}",
        page.body
    );
    let id = s.findings(&scope).await.unwrap()[0].id;
    let detail = c
        .get(&format!("/f/{}/vulnerabilities/{}", a.id.0, id.0))
        .await;
    assert!(
        detail.body.contains("id=\"finding-jvn\"") && !detail.body.contains("jvndb.jvn.jp"),
        "the title, without a link the file did not give: {}",
        detail.body
    );
}

/// A NAS whose product no record names is identified from NVD's CPE dictionary; a person
/// chooses another product for its maker and model on the device page, then takes the choice
/// back; a product nobody names is refused with the close names.
#[tokio::test]
async fn a_product_chosen_on_the_device_page_and_taken_back() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let nas = NewAsset::new(AssetKind::Storage, "バックアップNAS")
            .unwrap()
            .maker_model("Synology", "DS920+")
            .os("DSM", "7.1.1-42962");
        let nas = s
            .add_asset(&scope, &actor(), nas, testkit::T0)
            .await
            .unwrap();
        feeds(&s).await;
        let d = ingest::cpe::parse(&data("cpe/nvdcpe-2.0-chunk-sample.json")).unwrap();
        let products: Vec<store::CpeProduct> = d
            .products
            .into_iter()
            .map(|((v, p), x)| (v, p, x.part, x.title))
            .collect();
        s.import_cpe_dictionary(&actor(), &products, "cpe.json", &d.version, testkit::T0)
            .await
            .unwrap();
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut staff = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut staff, &a).await;
        let page_of = format!("/f/{}/assets/{}", a.id.0, nas.id.0);
        let page = staff.get(&page_of).await;
        assert!(
            page.body.contains("synology:diskstation_manager")
                && page.body.contains("NVD の CPE 辞書で特定"),
            "{}: {}",
            db.backend,
            page.body
        );
        assert!(!page.body.contains("unbind-product"));

        let post = format!("{page_of}/product");
        let refused = staff
            .post(
                &post,
                &[("csrf", &token), ("typed", "synology:photostation")],
            )
            .await;
        assert_eq!(refused.status, 400);
        assert!(
            refused.body.contains("synology:photo_station"),
            "{}",
            refused.body
        );
        let bound = staff
            .post(
                &post,
                &[
                    ("csrf", &token),
                    ("typed", "cpe:2.3:a:synology:surveillance_station"),
                ],
            )
            .await;
        assert_eq!(bound.status, 303, "{}", bound.body);
        // The evaluation runs off the request: wait until the page says it is done.
        let page = crate::support::once_it_says(&mut staff, &page_of, "人が確認した製品").await;
        assert!(
            page.body.contains("synology:surveillance_station")
                && page.body.contains("人が確認した製品")
                && page.body.contains("unbind-product"),
            "{}",
            page.body
        );
        let gone = staff
            .post(&post, &[("csrf", &token), ("unbind", "1")])
            .await;
        assert_eq!(gone.status, 303, "{}", gone.body);
        let page =
            crate::support::once_it_says(&mut staff, &page_of, "NVD の CPE 辞書で特定").await;
        assert!(
            page.body.contains("synology:diskstation_manager"),
            "{}",
            page.body
        );
        let actions = crate::support::actions(&s, a.id, 20).await;
        assert!(
            actions.contains(&"product.bind".to_string())
                && actions.contains(&"product.unbind".to_string()),
            "{actions:?}"
        );
    }
}

/// The overview as a director first sees it, in Japanese and in English: the whole content,
/// kept as a reviewed snapshot (`tests/web/snapshots/`), the same on both backends. A change
/// of wording or order shows up as a diff to look at, not as a silent change.
#[tokio::test]
async fn the_overview_reads_as_reviewed_in_japanese_and_english() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら内科クリニック").await;
        let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let fg = NewAsset::new(AssetKind::Utm, "FortiGate(院内の出入口)")
            .unwrap()
            .maker_model("Fortinet", "FortiGate-60E")
            .os("FortiOS", "6.0.4")
            .vendor("さくらメディカル", domain::RemoteMaintenance::Yes);
        s.add_asset(&scope, &actor(), fg, testkit::T0)
            .await
            .unwrap();
        feeds(&s).await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let base = format!("/f/{}/", a.id.0);
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        // The first view after the feed import evaluates the facility.
        assert_eq!(c.get(&format!("{base}vulnerabilities")).await.status, 200);
        let main = |body: &str| {
            let start = body.find("<main").unwrap();
            let end = body.find("</main>").unwrap() + "</main>".len();
            let mut text = body[start..end].to_string();
            // The form token differs per session.
            while let Some(i) = text.find("name=\"csrf\" value=\"") {
                let from = i + "name=\"csrf\" value=\"".len();
                let to = from + text[from..].find('"').unwrap();
                text.replace_range(i..to, "name=\"csrf\" value=\"[token]");
            }
            text.replace(&base, "/f/[facility]/")
        };
        let ja = c.get(&base).await;
        assert_eq!(ja.status, 200, "{}", db.backend);
        insta::assert_snapshot!("overview_ja", main(&ja.body));
        let switched = c.get(&format!("/lang/en?back={base}")).await;
        let en = c.get(switched.location().unwrap()).await;
        insta::assert_snapshot!("overview_en", main(&en.body));
    }
}
