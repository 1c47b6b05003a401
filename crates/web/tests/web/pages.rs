use domain::Role;
use domain::facility::FacilityRef;
use testkit::{each_backend, get, open_store, spawn_app};

use crate::support::{facility, sign_in, user};

#[tokio::test]
async fn the_dashboard_shows_real_figures_and_the_areas() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら<内科>クリニック").await;
        let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
        let home = c.get("/").await;
        assert_eq!(
            home.location(),
            Some(format!("/f/{}/", a.id.0).as_str()),
            "one facility: straight there"
        );
        let page = c.get(&format!("/f/{}/", a.id.0)).await;
        assert_eq!(page.status, 200, "{}", db.backend);
        assert!(
            page.body.contains("さくら&#60;内科&#62;クリニック")
                || page.body.contains("さくら&lt;内科&gt;クリニック"),
            "escaped"
        );
        assert!(
            page.body
                .contains(r#"<p class="big" id="asset-count">2</p>"#),
            "asset count from the database"
        );
        assert!(
            page.body.contains(r#"id="remote-count">1</p>"#),
            "one device with remote maintenance"
        );
        for label in [
            "台帳",
            "院外から入れる入口",
            "脆弱性",
            "チェックリスト",
            "アカウント",
            "ログ",
            "バックアップ",
            "初動対応・連絡体制図",
            "監査ログ",
        ] {
            assert!(page.body.contains(label), "menu has {label}");
        }
        let bcp = c.get(&format!("/f/{}/bcp", a.id.0)).await;
        assert!(
            bcp.body.contains("サイバー攻撃を想定した事業継続計画"),
            "built now"
        );
        let backups = c.get(&format!("/f/{}/backups", a.id.0)).await;
        assert!(
            backups.body.contains("バックアップと復元訓練"),
            "built now: {}",
            backups.body
        );
        let area = c.get(&format!("/f/{}/logs", a.id.0)).await;
        assert!(area.body.contains("この画面はまだできていません"));
        let accounts = c.get(&format!("/f/{}/accounts", a.id.0)).await;
        assert!(
            accounts
                .body
                .contains("まだアカウントの一覧が取り込まれていません"),
            "built now, empty until lists are imported"
        );
        let checklist = c.get(&format!("/f/{}/checklist", a.id.0)).await;
        assert!(checklist.body.contains("Mamori の見立て"), "built now");
        let vulns = c.get(&format!("/f/{}/vulnerabilities", a.id.0)).await;
        assert!(
            vulns.body.contains("判定できません") && !vulns.body.contains("id=\"vulns\""),
            "no feed: it says it cannot judge, and shows no table: {}",
            vulns.body
        );
        let ledger = c.get(&format!("/f/{}/ledger", a.id.0)).await;
        assert!(ledger.body.contains("sakura UTM") && ledger.body.contains("保守会社A"));
        let audit = c.get(&format!("/f/{}/audit", a.id.0)).await;
        assert!(
            audit.body.contains("改ざんは見つかりませんでした"),
            "{}",
            audit.body
        );
        assert!(audit.body.contains("機器の登録") && audit.body.contains("サインイン"));
    }
}

#[tokio::test]
async fn the_audit_page_shows_a_broken_chain() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
    testkit::exec(
        &db,
        &format!(
            "UPDATE audit_log SET actor = 'cli:mallory' WHERE chain = {} AND seq = 1",
            a.id.0
        ),
    )
    .await;
    let audit = c.get(&format!("/f/{}/audit", a.id.0)).await;
    assert!(audit.body.contains(r#"class="status problem""#));
    assert!(
        audit
            .body
            .contains("施設「さくら」の監査ログ: 監査記録 1 の内容が、記録したときと違います"),
        "{}",
        audit.body
    );
}

#[tokio::test]
async fn language_switch_comes_back_to_the_page() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
    let path = format!("/f/{}/ledger", a.id.0);
    let r = c.get(&format!("/lang/en?back={path}")).await;
    assert_eq!(r.location(), Some(path.as_str()));
    let page = c.get(&path).await;
    assert!(page.body.contains(r#"<html lang="en">"#) && page.body.contains("Ledger (devices)"));
    let r = c.get("/lang/ja?back=//evil.example/").await;
    assert_eq!(r.location(), Some("/"), "never back to another site");
    let by_header = get(app.addr, "/login", &[("Accept-Language", "en-US,en;q=0.9")]).await;
    assert!(by_header.body.contains("Sign in"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let db = testkit::sqlite();
    let app = spawn_app(open_store(&db).await).await;
    for path in ["/", "/login", "/no/such/page", "/healthz"] {
        let r = get(app.addr, path, &[]).await;
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    }
}

#[tokio::test]
async fn unknown_pages_say_so_in_japanese() {
    let db = testkit::sqlite();
    let app = spawn_app(open_store(&db).await).await;
    let r = get(app.addr, "/no/such/page", &[]).await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("ページが見つかりません"));
}

#[tokio::test]
async fn the_stylesheet_is_served_and_cached() {
    let db = testkit::sqlite();
    let app = spawn_app(open_store(&db).await).await;
    let page = get(app.addr, "/login", &[]).await;
    let href = page
        .body
        .split("stylesheet\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    assert!(href.starts_with("/static/mamori-"));
    let css = get(app.addr, href, &[]).await;
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .unwrap_or_default()
            .starts_with("text/css")
    );
    assert!(
        css.header("cache-control")
            .unwrap_or_default()
            .contains("immutable")
    );
}

#[tokio::test]
async fn a_device_page_shows_its_facts_and_history() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
        let ledger = c.get(&format!("/f/{}/ledger", a.id.0)).await;
        let href = ledger
            .body
            .split("href=\"/f/")
            .find(|p| p.contains("/assets/") && !p.contains("/assets/new"))
            .map(|p| format!("/f/{}", p.split('"').next().unwrap()))
            .unwrap();
        let page = c.get(&href).await;
        assert_eq!(page.status, 200, "{}", db.backend);
        assert!(
            page.body.contains("保守会社A") && page.body.contains("機器の登録"),
            "facts and the creation in the history"
        );
        let other = c.get(&format!("/f/{}/assets/999999", a.id.0)).await;
        assert_eq!(other.status, 404);
    }
}

#[tokio::test]
async fn the_monthly_review_shows_changes_since_a_day() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    app.clock.advance_ms(2 * 86_400_000);
    let mut c = sign_in(&app, "staff@sakura.example", None).await;
    let page = c.get(&format!("/f/{}/review", a.id.0)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("2026-03-03"),
        "a month before today (T0 + 2 days): {}",
        page.body
    );
    assert!(
        page.body.contains("追加された機器(2)"),
        "the two devices of the set-up"
    );
    assert!(page.body.contains("版を30日以上確認していない機器(2)"));
    assert!(
        page.body.contains("脆弱性情報(NVD)が取り込まれていない"),
        "no feed: it says the vulnerability part cannot be judged"
    );
    assert!(
        page.body.contains("点検者") && page.body.contains("確認印"),
        "a sign-off block to print: {}",
        page.body
    );
    assert!(page.body.contains("弱点のある院外からの入口(0)"));
    // 「今日確認した」 for one device, then for the rest.
    let token = crate::support::csrf(&mut c, &a).await;
    let one = s
        .assets(&s.scope(&FacilityRef::Id(a.id)).await.unwrap())
        .await
        .unwrap()[0]
        .id;
    let r = c
        .post(
            &format!("/f/{}/assets/{}/checked", a.id.0, one.0),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = c.get(r.location().unwrap()).await;
    assert!(
        page.body.contains("版を30日以上確認していない機器(1)")
            && page.body.contains("保存しました"),
        "{}",
        page.body
    );
    let r = c
        .post(
            &format!("/f/{}/review/checked", a.id.0),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = c.get(r.location().unwrap()).await;
    assert!(
        page.body.contains("版を30日以上確認していない機器(0)"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("変更された機器(0)"),
        "「今日確認した」 is not a change of the device: {}",
        page.body
    );
    let later = c.get(&format!("/f/{}/review?since=2026/4/2", a.id.0)).await;
    assert!(later.body.contains("追加された機器(0)"));
    let bad = c
        .get(&format!("/f/{}/review?since=2026/13/40", a.id.0))
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("『この日から』「2026/13/40」") && bad.body.contains("追加された機器(2)"),
        "the field and the value are named, and the last month is shown: {}",
        bad.body
    );
}

#[tokio::test]
async fn a_monthly_review_is_kept_numbered_and_prints_again_as_it_was() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        user(&s, "viewer@sakura.example", &a, Role::Viewer, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let base = format!("/f/{}/", a.id.0);
        let token = crate::support::csrf(&mut c, &a).await;
        let page = c.get(&format!("{base}review")).await;
        assert!(
            page.body.contains("第1回の点検として記録する")
                && page.body.contains("これまでの点検の記録(0)"),
            "{}: {}",
            db.backend,
            page.body
        );
        // Nobody named as reviewer: refused beside the field, nothing kept.
        let since = page.field("since").unwrap();
        let refused = c
            .post(
                &format!("{base}reviews"),
                &[
                    ("csrf", &token),
                    ("since", &since),
                    ("number", "1"),
                    ("reviewer", "  "),
                    ("note", "メモ"),
                ],
            )
            .await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(
            refused.body.contains(r#"id="keep-reviewer-problem""#)
                && refused.body.contains("点検者")
                && refused.body.contains(">メモ</textarea>"),
            "the problem beside the field, the note kept: {}",
            refused.body
        );
        let kept = c
            .post(
                &format!("{base}reviews"),
                &[
                    ("csrf", &token),
                    ("since", &since),
                    ("number", "1"),
                    ("reviewer", "事務長 山田"),
                    ("note", "FortiGate の更新を業者に依頼した"),
                ],
            )
            .await;
        assert_eq!(kept.status, 303, "{}", kept.body);
        assert_eq!(
            kept.location(),
            Some(format!("{base}reviews/1?done=review-kept").as_str())
        );
        let one = c.get(kept.location().unwrap()).await;
        assert!(
            one.body.contains("第1回 月次点検")
                && one.body.contains("点検を記録しました")
                && one
                    .body
                    .contains(r#"<td id="kept-reviewer">事務長 山田</td>"#)
                && one.body.contains("FortiGate の更新を業者に依頼した")
                && one.body.contains("追加された機器(2)"),
            "{}",
            one.body
        );
        // The ledger changes afterwards: the kept review still reads as it was.
        let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let device = s.assets(&scope).await.unwrap()[0].id;
        let r = c
            .post(
                &format!("{base}assets/{}/retire", device.0),
                &[("csrf", &token)],
            )
            .await;
        assert_eq!(r.status, 303);
        let again = c.get(&format!("{base}reviews/1")).await;
        assert!(
            again.body.contains("追加された機器(2)") && !again.body.contains("撤去された機器(1)")
        );
        let today = c.get(&format!("{base}review")).await;
        assert!(today.body.contains("撤去された機器(1)") && today.body.contains("第2回"));
        assert!(
            today.body.contains("今日すでに第1回として記録しています"),
            "a second keep the same day is asked about: {}",
            today.body
        );
        // A second click on the same button keeps nothing more and says why.
        let twice = c
            .post(
                &format!("{base}reviews"),
                &[
                    ("csrf", &token),
                    ("since", &since),
                    ("number", "1"),
                    ("reviewer", "事務長 山田"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(twice.status, 400, "{}", twice.body);
        assert!(
            twice.body.contains("第1回の点検はもう記録されています"),
            "{}",
            twice.body
        );
        let second = c
            .post(
                &format!("{base}reviews"),
                &[
                    ("csrf", &token),
                    ("since", &since),
                    ("number", "2"),
                    ("reviewer", "事務長 山田"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(
            second.location(),
            Some(format!("{base}reviews/2?done=review-kept").as_str())
        );
        let list = c.get(&format!("{base}reviews")).await;
        assert!(
            list.body.find("第2回").unwrap() < list.body.find("第1回").unwrap()
                && list.body.contains("事務長 山田"),
            "the newest first: {}",
            list.body
        );
        assert_eq!(c.get(&format!("{base}reviews/3")).await.status, 404);
        assert_eq!(c.get(&format!("{base}reviews/x")).await.status, 404);
        // In the audit log by name, linked to the record.
        let audit = c.get(&format!("{base}audit")).await;
        assert!(
            audit.body.contains("月次点検の記録")
                && audit.body.contains(&format!(r#"href="{base}reviews/2""#)),
            "{}",
            audit.body
        );
        // A viewer reads and prints the records but cannot keep one.
        let mut v = sign_in(&app, "viewer@sakura.example", None).await;
        let vp = v.get(&format!("{base}review")).await;
        assert!(!vp.body.contains("keep-form") && vp.body.contains("これまでの点検の記録(2)"));
        assert_eq!(v.get(&format!("{base}reviews/1")).await.status, 200);
        let vt = crate::support::csrf(&mut v, &a).await;
        let denied = v
            .post(
                &format!("{base}reviews"),
                &[
                    ("csrf", &vt),
                    ("since", &since),
                    ("number", "3"),
                    ("reviewer", "x"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(denied.status, 403, "{}", db.backend);
        assert_eq!(s.saved_reviews(&scope).await.unwrap().len(), 2);
        // The audit record holds the digest of what was kept.
        let record = s
            .recent_audit(Some(a.id), 50)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.entry.action == "review.save")
            .unwrap();
        assert!(
            record.entry.summary.contains("body_sha256"),
            "{}",
            record.entry.summary
        );
        // In English, the same record in English words.
        let switched = c.get(&format!("/lang/en?back={base}reviews/1")).await;
        let en = c.get(switched.location().unwrap()).await;
        assert!(
            en.body.contains("Devices added (2)") || en.body.contains("Devices added(2)"),
            "{}",
            en.body
        );
    }
}

/// The MHLW checklist answered from the records: each item's view with the rows it rests on
/// (linked), the unconfirmed wording marked, the version chosen by fiscal year or by hand.
#[tokio::test]
async fn the_checklist_is_answered_from_the_records_with_its_evidence() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "viewer@sakura.example", &a, Role::Viewer, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "viewer@sakura.example", None).await;
        let base = format!("/f/{}/", a.id.0);
        let page = c.get(&format!("{base}checklist")).await;
        assert_eq!(page.status, 200, "{}: {}", db.backend, page.body);
        // T0 (2026-04-01) is in 令和8年度: its version, every wording marked as not confirmed
        // (the official workbook is named).
        assert!(page.body.contains("令和8年度版"), "{}", page.body);
        assert!(page.body.contains("001716187.xlsx"));
        let row = |body: &str, id: &str| {
            body.split(&format!("id=\"item-{id}\""))
                .nth(1)
                .and_then(|r| r.split("</tr>").next())
                .unwrap_or_default()
                .to_string()
        };
        let ledger = row(&page.body, "ledger");
        assert!(
            ledger.contains("proposal no") && ledger.contains("版を最後に確認した日"),
            "no version checked in the set-up: {ledger}"
        );
        assert!(ledger.contains("文言未確認"), "{ledger}");
        let remote = row(&page.body, "remote-maintenance");
        assert!(
            remote.contains("proposal no") && remote.contains(&format!("href=\"{base}assets/")),
            "the device without a registered way in, linked: {remote}"
        );
        let patches = row(&page.body, "patches");
        assert!(patches.contains("判断できません"), "no NVD data: {patches}");
        assert!(row(&page.body, "two-factor").contains("文言未確認"));
        assert!(page.body.contains("checklist-printed"));
        // 令和7年度版 by hand: 2-①'s wording is the confirmed official one.
        let r7 = c.get(&format!("{base}checklist?version=r7")).await;
        assert!(
            r7.body.contains("令和7年度版") && !row(&r7.body, "ledger").contains("文言未確認"),
            "{}",
            r7.body
        );
        assert_eq!(
            c.get(&format!("{base}checklist?version=r99")).await.status,
            404
        );
        // In English.
        let switched = c.get(&format!("/lang/en?back={base}checklist")).await;
        let en = c.get(switched.location().unwrap()).await;
        assert!(
            en.body.contains("Mamori&#39;s view")
                || en.body.contains("Mamori's view")
                || en.body.contains("Mamori&#x27;s view"),
            "{}",
            en.body
        );
    }
}

/// Form fields built with owned values, as the client takes them.
fn refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, x)| (*k, x.as_str())).collect()
}

/// Answers recorded per item (refused by field when incomplete), seen by every member, signed
/// off by the director, and carried into the next round.
#[tokio::test]
async fn checklist_answers_are_recorded_signed_off_and_carried_over() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
        user(&s, "viewer@sakura.example", &a, Role::Viewer, false).await;
        let app = spawn_app(s.clone()).await;
        let base = format!("/f/{}/", a.id.0);
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = crate::support::csrf(&mut c, &a).await;
        let page = c.get(&format!("{base}checklist")).await;
        assert!(
            page.body.contains("第1回") && page.body.contains("回答する"),
            "{}",
            page.body
        );
        let post = |answer: &'static str, target: &'static str| {
            vec![
                ("csrf", token.clone()),
                ("version", "r8".to_string()),
                ("round", "1".to_string()),
                ("topic", "ledger".to_string()),
                ("answer", answer.to_string()),
                ("checked_on", "2026-04-01".to_string()),
                ("target_on", target.to_string()),
                ("comment", "版の確認日を入れる".to_string()),
            ]
        };
        // Fiscal 2025 has ended (the tests' today is 2026-04-01): its sheet is read-only and
        // an answer posted to it anyway is refused by name.
        let r7 = c.get(&format!("{base}checklist?version=r7")).await;
        assert!(!r7.body.contains("checklist/answer\""), "no answer form");
        let mut late = post("yes", "");
        late.iter_mut()
            .filter(|(k, _)| *k == "version")
            .for_each(|(_, v)| *v = "r7".to_string());
        let late = c
            .post(&format!("{base}checklist/answer"), &refs(&late))
            .await;
        assert_eq!(late.status, 400, "{}", late.body);
        assert!(late.body.contains("年度が終わったため"), "{}", late.body);
        let no_target = post("no", "");
        let refused = c
            .post(&format!("{base}checklist/answer"), &refs(&no_target))
            .await;
        assert_eq!(refused.status, 400, "{}: {}", db.backend, refused.body);
        assert!(
            refused.body.contains("id=\"item-ledger-problems\"") && refused.body.contains("目標日"),
            "the problem beside the item's form: {}",
            refused.body
        );
        // はい where Mamori found いいえ (the ledger lacks versions) needs the reason.
        let mut silent = post("yes", "");
        silent
            .iter_mut()
            .filter(|(k, _)| *k == "comment")
            .for_each(|(_, v)| v.clear());
        let refused = c
            .post(&format!("{base}checklist/answer"), &refs(&silent))
            .await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(
            refused.body.contains("Mamori の見立てと違う回答です"),
            "{}",
            refused.body
        );
        let outside = post("no", "2027-04-01");
        let refused = c
            .post(&format!("{base}checklist/answer"), &refs(&outside))
            .await;
        assert!(refused.body.contains("2027年3月31日"), "{}", refused.body);
        let ok = post("no", "2026-09-30");
        let saved = c.post(&format!("{base}checklist/answer"), &refs(&ok)).await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert!(saved.location().unwrap().contains("#item-ledger"));
        let page = c.get(saved.location().unwrap()).await;
        let row = page
            .body
            .split("id=\"item-ledger\"")
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap();
        assert!(
            row.contains("<strong>いいえ</strong>")
                && row.contains("2026年9月30日")
                && row.contains("版の確認日を入れる"),
            "{row}"
        );
        assert!(
            !page.body.contains("id=\"year-over-year\""),
            "last year unanswered"
        );
        // Last year's sheet (r7, answered then) against this year's, item by item.
        let scope = s
            .scope(&domain::facility::FacilityRef::Id(a.id))
            .await
            .unwrap();
        for (topic, given) in [
            ("ledger", domain::checklist::Given::Yes),
            ("patches", domain::checklist::Given::Yes),
        ] {
            let recorded = domain::checklist::Recorded {
                given,
                checked_on: domain::Date::new(2025, 10, 1).unwrap(),
                target_on: None,
                comment: String::new(),
            };
            let at = store::Where {
                version: "r7",
                round: 1,
                topic,
            };
            s.record_checklist_answer(
                &scope,
                &domain::Actor::Cli("t".into()),
                at,
                &recorded,
                "yes",
                testkit::T0,
            )
            .await
            .unwrap();
        }
        let page = c.get(&format!("{base}checklist")).await;
        let compared = page
            .body
            .split("id=\"year-over-year\"")
            .nth(1)
            .unwrap()
            .split("</section>")
            .next()
            .unwrap();
        assert!(
            compared.contains("令和7年度 → 令和8年度")
                && compared.contains("movement-worsened")
                && compared.contains("はい → いいえ(後退)")
                && compared.contains("今年度はまだ回答していません"),
            "{compared}"
        );
        // The overview says where the checklist stands.
        let overview = c.get(&base).await;
        assert!(
            overview.body.contains("19 項目のうち 1 項目に回答")
                && overview.body.contains("いちばん近い目標日 2026年9月30日"),
            "{}",
            overview.body
        );
        let export = c
            .get(&format!("{base}checklist/export?version=r8&round=1"))
            .await;
        assert_eq!(export.status, 200);
        assert!(export.bytes.starts_with(b"PK"), "an xlsx file");
        let printed = c
            .get(&format!("{base}checklist/print?version=r8&round=1"))
            .await;
        assert_eq!(printed.status, 200);
        assert_eq!(printed.header("content-type"), Some("application/pdf"));
        assert!(printed.bytes.starts_with(b"%PDF-"), "a PDF");
        // A viewer reads the answers but has no form.
        let mut v = sign_in(&app, "viewer@sakura.example", None).await;
        let vp = v.get(&format!("{base}checklist")).await;
        assert!(vp.body.contains("2026年9月30日") && !vp.body.contains("checklist/answer"));
        // The director signs the round off; it takes no more answers; the next round starts
        // from its answers.
        let mut d = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
        let dt = crate::support::csrf(&mut d, &a).await;
        let dp = d.get(&format!("{base}checklist")).await;
        assert!(dp.body.contains("この回を確定する"), "{}", dp.body);
        // 1-①: the director records the security officer; a blank name is refused by name.
        let blank = d
            .post(
                &format!("{base}checklist/officer"),
                &[
                    ("csrf", dt.as_str()),
                    ("version", "r8"),
                    ("name", " "),
                    ("appointed_on", ""),
                ],
            )
            .await;
        assert_eq!(blank.status, 400);
        assert!(
            blank.body.contains("安全管理責任者の氏名"),
            "{}",
            blank.body
        );
        let named = d
            .post(
                &format!("{base}checklist/officer"),
                &[
                    ("csrf", dt.as_str()),
                    ("version", "r8"),
                    ("name", "事務長 佐藤"),
                    ("appointed_on", "令和8年4月1日"),
                ],
            )
            .await;
        assert_eq!(named.status, 303, "{}", named.body);
        let dp = d.get(&format!("{base}checklist")).await;
        let officer = dp
            .body
            .split("id=\"item-security-officer\"")
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap();
        assert!(
            officer.contains("<strong>はい</strong>")
                && officer.contains("事務長 佐藤")
                && officer.contains("2026年4月1日 任命"),
            "{officer}"
        );
        let locked = d
            .post(
                &format!("{base}checklist/lock"),
                &[("csrf", dt.as_str()), ("version", "r8"), ("round", "1")],
            )
            .await;
        assert_eq!(locked.status, 303, "{}", locked.body);
        let after = c.post(&format!("{base}checklist/answer"), &refs(&ok)).await;
        assert_eq!(after.status, 400, "{}", after.body);
        assert!(after.body.contains("確定済み"), "{}", after.body);
        let denied = c
            .post(
                &format!("{base}checklist/round"),
                &[("csrf", token.as_str()), ("version", "r8")],
            )
            .await;
        assert_eq!(denied.status, 403, "staff cannot start a round");
        let next = d
            .post(
                &format!("{base}checklist/round"),
                &[("csrf", dt.as_str()), ("version", "r8")],
            )
            .await;
        assert_eq!(next.status, 303, "{}", next.body);
        let round2 = d.get(next.location().unwrap()).await;
        assert!(
            round2.body.contains("第2回")
                && round2.body.contains("2026年9月30日")
                && round2.body.contains("第1回の回答を引き継いだもの"),
            "carried over, and said so: {}",
            round2.body
        );
        // New wording imported after the sign-off: round 1 keeps what was signed, round 2
        // reads the new.
        let shipped = include_str!("../../../domain/data/checklist/r8.toml");
        let official = shipped.replacen(
            "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
            "サーバ、端末PC、ネットワーク機器の台帳を作り、管理している。",
            1,
        );
        assert_ne!(official, shipped);
        service::checklist::import_version(
            &s,
            &domain::Actor::Cli("t".into()),
            &official,
            true,
            testkit::T0,
        )
        .await
        .unwrap()
        .unwrap();
        let round1 = d.get(&format!("{base}checklist?version=r8&round=1")).await;
        assert!(round1.body.contains("確定しました") && !round1.body.contains("checklist/answer"));
        let ledger_row = |body: &str| {
            body.split("id=\"item-ledger\"")
                .nth(1)
                .and_then(|r| r.split("</tr>").next())
                .unwrap_or_default()
                .to_string()
        };
        let signed = ledger_row(&round1.body);
        assert!(
            signed.contains("台帳管理を行っている") && !signed.contains("台帳を作り"),
            "signed-off wording kept: {signed}"
        );
        let round2 = d.get(&format!("{base}checklist?version=r8&round=2")).await;
        assert!(ledger_row(&round2.body).contains("台帳を作り、管理している"));
        // Answered again in round 2: the carried answer is listed below the new one.
        let mut again = post("yes", "");
        again.iter_mut().for_each(|(k, v)| match *k {
            "csrf" => *v = dt.clone(),
            "round" => *v = "2".to_string(),
            _ => {}
        });
        let saved = d
            .post(&format!("{base}checklist/answer"), &refs(&again))
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        let row = ledger_row(
            &d.get(&format!("{base}checklist?version=r8&round=2"))
                .await
                .body,
        );
        assert!(
            row.contains("<strong>はい</strong>")
                && row.contains("この回のこれまでの回答(1 件)")
                && row.contains(
                    "いいえ ・ 確認日 2026年4月1日 ・ 目標日 2026年9月30日 ・ 「版の確認日を入れる」"
                ),
            "{row}"
        );
        assert_eq!(
            d.get(&format!("{base}checklist?version=r8&round=3"))
                .await
                .status,
            404
        );
        let audit = d.get(&format!("{base}audit")).await;
        assert!(
            audit.body.contains("チェックリストの回答") && audit.body.contains("2-①"),
            "{}",
            audit.body
        );
    }
}

/// Mamori's own records linked as an item's evidence by hand: chosen from the facility's,
/// listed with their page and note, refused twice or from another facility, removable.
#[tokio::test]
async fn records_are_linked_as_an_items_evidence() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        let b = facility(&s, "momiji", "もみじ").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        user(&s, "viewer@sakura.example", &a, Role::Viewer, false).await;
        let actor = domain::Actor::Cli("t".into());
        let pc = domain::NewAsset::new(domain::AssetKind::Pc, "受付PC").unwrap();
        let scope_a = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let scope_b = s.scope(&FacilityRef::Id(b.id)).await.unwrap();
        let mine = s
            .add_asset(&scope_a, &actor, pc.clone(), testkit::T0)
            .await
            .unwrap()
            .id;
        let theirs = s
            .add_asset(&scope_b, &actor, pc, testkit::T0)
            .await
            .unwrap()
            .id;
        let app = spawn_app(s.clone()).await;
        let base = format!("/f/{}/", a.id.0);
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = crate::support::csrf(&mut c, &a).await;
        let page = c.get(&format!("{base}checklist")).await;
        assert!(
            page.body.contains(&format!(
                "<option value=\"asset:{}\">受付PC</option>",
                mine.0
            )),
            "{}",
            page.body
        );
        let link = |record: String| {
            vec![
                ("csrf", token.clone()),
                ("version", "r8".to_string()),
                ("topic", "ledger".to_string()),
                ("record", record),
                ("note", "台帳の 1 行目".to_string()),
            ]
        };
        let done = c
            .post(
                &format!("{base}checklist/link"),
                &refs(&link(format!("asset:{}", mine.0))),
            )
            .await;
        assert_eq!(done.status, 303, "{}: {}", db.backend, done.body);
        let row = |body: &str| {
            body.split("id=\"item-ledger\"")
                .nth(1)
                .and_then(|r| r.split("</tr>").next())
                .unwrap_or_default()
                .to_string()
        };
        let after = c.get(done.location().unwrap()).await;
        let r = row(&after.body);
        assert!(
            r.contains(&format!(
                "href=\"{base}assets/{}\">機器「受付PC」</a>: 台帳の 1 行目",
                mine.0
            )),
            "{r}"
        );
        let twice = c
            .post(
                &format!("{base}checklist/link"),
                &refs(&link(format!("asset:{}", mine.0))),
            )
            .await;
        assert_eq!(twice.status, 400);
        assert!(twice.body.contains("すでに入っています"), "{}", twice.body);
        for wrong in [
            format!("asset:{}", theirs.0),
            "asset:x".to_string(),
            String::new(),
        ] {
            let refused = c
                .post(
                    &format!("{base}checklist/link"),
                    &refs(&link(wrong.clone())),
                )
                .await;
            assert_eq!(refused.status, 400, "{wrong}: {}", refused.body);
            assert!(
                refused.body.contains("根拠にする Mamori の記録"),
                "{}",
                refused.body
            );
        }
        assert!(after.body.contains("根拠に加えました"));
        let printed = c.get(&format!("{base}checklist/print?version=r8")).await;
        assert_eq!(printed.status, 200);
        // A viewer reads it, with no form to change it.
        let mut v = sign_in(&app, "viewer@sakura.example", None).await;
        let vp = v.get(&format!("{base}checklist")).await;
        assert!(row(&vp.body).contains("機器「受付PC」") && !vp.body.contains("checklist/unlink"));
        let denied = v
            .post(
                &format!("{base}checklist/unlink"),
                &[("csrf", token.as_str()), ("version", "r8"), ("number", "1")],
            )
            .await;
        assert_ne!(denied.status, 303);
        let gone = c
            .post(
                &format!("{base}checklist/unlink"),
                &[
                    ("csrf", token.as_str()),
                    ("version", "r8"),
                    ("topic", "ledger"),
                    ("number", "1"),
                ],
            )
            .await;
        assert_eq!(gone.status, 303, "{}", gone.body);
        let after = c.get(gone.location().unwrap()).await;
        assert!(!row(&after.body).contains("機器「受付PC」</a>"));
        assert!(after.body.contains("根拠から外しました"), "{}", after.body);
    }
}

/// A vendor's returned 事業者確認用 answers recorded item by item: summarised per vendor, its
/// はい to remote maintenance confirming 2-②, bad dates and unknown vendors refused by field.
#[tokio::test]
async fn a_vendors_returned_sheet_is_recorded_item_by_item() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let actor = domain::Actor::Cli("t".into());
        let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let ehr = domain::NewAsset {
            vendor: Some("ABCメディカル".into()),
            remote_maintenance: domain::RemoteMaintenance::Yes,
            ..domain::NewAsset::new(domain::AssetKind::Server, "電子カルテ").unwrap()
        };
        let ehr = s
            .add_asset(&scope, &actor, ehr, testkit::T0)
            .await
            .unwrap()
            .id;
        let vpn = domain::NewConnectionPoint {
            asset: Some(ehr),
            vendor: Some("ABCメディカル".into()),
            ..domain::NewConnectionPoint::new(
                "保守VPN",
                domain::connection::ConnectionKind::VendorRemote,
            )
            .unwrap()
        };
        s.add_connection_point(&scope, &actor, vpn, testkit::T0)
            .await
            .unwrap();
        let app = spawn_app(s.clone()).await;
        let base = format!("/f/{}/", a.id.0);
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = crate::support::csrf(&mut c, &a).await;
        let remote = |body: &str| {
            body.split("id=\"item-remote-maintenance\"")
                .nth(1)
                .and_then(|r| r.split("</tr>").next())
                .unwrap_or_default()
                .to_string()
        };
        let page = c.get(&format!("{base}checklist")).await;
        // The helper's facility has a remotely maintained UTM without a way in: 2-② stays いいえ
        // whatever the vendor says; the vendor's own row changes.
        assert!(
            remote(&page.body).contains("ABCメディカル: 確かめた記録がありません"),
            "{}",
            remote(&page.body)
        );
        assert!(page.body.contains("name=\"answer-remote_maintenance\""));
        let post = |vendor: &str, day: &str| {
            vec![
                ("csrf", token.clone()),
                ("version", "r8".to_string()),
                ("vendor", vendor.to_string()),
                ("sheet_on", day.to_string()),
                ("answer-remote_maintenance", "yes".to_string()),
                ("answer-two_factor", "no".to_string()),
                ("comment-two_factor", "令和9年度に導入予定".to_string()),
                ("answer-ledger", String::new()),
            ]
        };
        let done = c
            .post(
                &format!("{base}checklist/vendor"),
                &refs(&post("ＡＢＣメディカル", "2026-03-20")),
            )
            .await;
        assert_eq!(done.status, 303, "{}: {}", db.backend, done.body);
        let page = c.get(done.location().unwrap()).await;
        let sheets = page
            .body
            .split("id=\"vendor-sheet-list\"")
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap()
            .to_string();
        assert!(
            sheets.contains("はい 1 ・ いいえ 1 ・ 対象外 0 ・ 未記録 12(記入日 2026年3月20日)")
                && sheets.contains("令和9年度に導入予定"),
            "{sheets}"
        );
        let r = remote(&page.body);
        assert!(
            r.contains("ABCメディカル: 事業者確認用チェックリストで「はい」と回答")
                && !r.contains("ABCメディカル: 確かめた記録がありません"),
            "{r}"
        );
        for (vendor, day, words) in [
            ("ABCメディカル", "2099-01-01", "事業者の記入日"),
            ("ABCメディカル", "", "事業者の記入日"),
            ("知らない会社", "2026-03-20", "知らない会社"),
        ] {
            let refused = c
                .post(
                    &format!("{base}checklist/vendor"),
                    &refs(&post(vendor, day)),
                )
                .await;
            assert_eq!(refused.status, 400, "{vendor} {day}");
            assert!(refused.body.contains(words), "{}", refused.body);
        }
    }
}

/// Evidence documents for an item: checked by content, kept with their digest and validity,
/// counted by the 2-③ rule per vendor, served only to their facility and only unchanged.
#[tokio::test]
async fn evidence_documents_are_kept_checked_and_served_only_as_kept() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        let b = facility(&s, "momiji", "もみじ").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        user(&s, "staff@momiji.example", &b, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let base = format!("/f/{}/", a.id.0);
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = crate::support::csrf(&mut c, &a).await;
        let row = |body: &str| {
            body.split("id=\"item-mds-sds\"")
                .nth(1)
                .and_then(|r| r.split("</tr>").next())
                .unwrap_or_default()
                .to_string()
        };
        let before = c.get(&format!("{base}checklist")).await;
        assert!(
            row(&before.body).contains("proposal no") && row(&before.body).contains("保守会社A"),
            "{}",
            row(&before.body)
        );
        let upload =
            |title: &'static str, vendor: &'static str, from: &'static str, until: &'static str| {
                vec![
                    ("csrf", token.clone()),
                    ("version", "r8".to_string()),
                    ("topic", "mds_sds".to_string()),
                    ("title", title.to_string()),
                    ("vendor", vendor.to_string()),
                    ("valid_from", from.to_string()),
                    ("valid_until", until.to_string()),
                ]
            };
        let exe = upload("MDS", "保守会社A", "", "");
        let refused = c
            .post_file(
                &format!("{base}checklist/evidence"),
                &refs(&exe),
                ("file", "setup.exe", b"MZ\x90\x00"),
            )
            .await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(
            refused.body.contains("「setup.exe」は PDF"),
            "{}",
            refused.body
        );
        let backwards = upload("MDS", "保守会社A", "2026-04-01", "2026-03-01");
        let refused = c
            .post_file(
                &format!("{base}checklist/evidence"),
                &refs(&backwards),
                ("file", "mds.pdf", b"%PDF-1.7 A"),
            )
            .await;
        assert!(
            refused.body.contains("有効期限が、有効になった日より前"),
            "{}",
            refused.body
        );
        let pdf: &[u8] = b"%PDF-1.7 the MDS of A";
        // A's name typed full-width still counts as A's.
        for (vendor, file, until) in [
            ("保守会社Ａ", pdf, "2027-03-31"),
            ("保守会社B", b"%PDF-1.7 B".as_slice(), "2026-03-31"),
        ] {
            let f = upload("MDS/SDS", vendor, "2025-04-01", until);
            let kept = c
                .post_file(
                    &format!("{base}checklist/evidence"),
                    &refs(&f),
                    ("file", "mds.pdf", file),
                )
                .await;
            assert_eq!(kept.status, 303, "{}: {}", db.backend, kept.body);
        }
        // B's document ended before today (T0 = 2026-04-01): still いいえ, shown in yellow.
        let after = c.get(&format!("{base}checklist")).await;
        let r = row(&after.body);
        assert!(
            r.contains("proposal no")
                && r.contains("class=\"stale\"")
                && r.contains("書類あり: MDS/SDS"),
            "{r}"
        );
        // The vendor sheets: one returned, one still to come.
        let returned = vec![
            ("csrf", token.clone()),
            ("version", "r8".to_string()),
            ("topic", "vendor_sheet".to_string()),
            ("vendor", "保守会社A".to_string()),
            ("title", "事業者確認用チェックリスト".to_string()),
        ];
        let kept = c
            .post_file(
                &format!("{base}checklist/evidence"),
                &refs(&returned),
                ("file", "vendor.pdf", b"%PDF-1.7 sheet of A"),
            )
            .await;
        assert_eq!(kept.status, 303, "{}", kept.body);
        let page = c.get(&format!("{base}checklist")).await;
        let sheets = page
            .body
            .split("id=\"vendor-sheet-list\"")
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap();
        let row_of = |v: &str| {
            let from = sheets.find(v).unwrap();
            sheets[from..].split("</tr>").next().unwrap().to_string()
        };
        let (a_row, b_row) = (row_of("保守会社A"), row_of("保守会社B"));
        assert!(
            a_row.contains("vendor.pdf") && !a_row.contains("まだ返ってきていません"),
            "{a_row}"
        );
        assert!(b_row.contains("まだ返ってきていません"), "{b_row}");
        // Served as kept, to this facility only.
        let got = c.get(&format!("{base}evidence/1")).await;
        assert_eq!(got.status, 200);
        assert_eq!(got.bytes, pdf);
        assert_eq!(got.header("content-type"), Some("application/pdf"));
        assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
        // The other facility cannot withdraw it.
        let mut other = sign_in(&app, "staff@momiji.example", None).await;
        let other_token = crate::support::csrf(&mut other, &b).await;
        let withdraw = |token: &str, reason: &str| {
            vec![
                ("csrf", token.to_string()),
                ("version", "r8".to_string()),
                ("topic", "mds_sds".to_string()),
                ("number", "1".to_string()),
                ("reason", reason.to_string()),
            ]
        };
        let theirs = other
            .post(
                &format!("/f/{}/checklist/withdraw", b.id.0),
                &refs(&withdraw(&other_token, "間違い")),
            )
            .await;
        assert_eq!(theirs.status, 303, "nothing of theirs to withdraw");
        assert!(row(&c.get(&format!("{base}checklist")).await.body).contains(">MDS"));
        assert_eq!(other.get(&format!("{base}evidence/1")).await.status, 404);
        assert_eq!(
            other.get(&format!("/f/{}/evidence/1", b.id.0)).await.status,
            404,
            "the other facility has no document 1"
        );
        // A file changed on disk after it was kept is never served.
        let digest = {
            use sha2::Digest;
            sha2::Sha256::digest(pdf)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let path = app
            .state()
            .evidence_dir()
            .join(a.id.0.to_string())
            .join(&digest);
        std::fs::write(&path, b"%PDF-1.7 something else").unwrap();
        let changed = c.get(&format!("{base}evidence/1")).await;
        assert_eq!(changed.status, 500, "{}", changed.body);
        assert!(!changed.bytes.starts_with(b"%PDF"));
        // Keeping the right document again repairs the file.
        let again = upload("MDS/SDS", "保守会社A", "2025-04-01", "2027-03-31");
        let kept = c
            .post_file(
                &format!("{base}checklist/evidence"),
                &refs(&again),
                ("file", "mds.pdf", pdf),
            )
            .await;
        assert_eq!(kept.status, 303);
        assert_eq!(c.get(&format!("{base}evidence/1")).await.bytes, pdf);
        // Withdrawn as kept by mistake: a reason is required; then it is no longer listed nor
        // counted, and the audit log says so.
        let listed = |body: &str| body.matches("/evidence/1\"").count();
        let before = listed(&c.get(&format!("{base}checklist")).await.body);
        assert!(before > 0);
        let no_reason = c
            .post(
                &format!("{base}checklist/withdraw"),
                &refs(&withdraw(&token, " ")),
            )
            .await;
        assert_eq!(no_reason.status, 400);
        assert!(
            no_reason.body.contains("取り消す理由"),
            "{}",
            no_reason.body
        );
        let done = c
            .post(
                &format!("{base}checklist/withdraw"),
                &refs(&withdraw(&token, "別の業者の書類だった")),
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let after = c.get(done.location().unwrap()).await;
        assert_eq!(listed(&after.body), 0, "no longer listed");
        assert!(after.body.contains("書類を取り消しました"));
        let audit = c.get(&format!("{base}audit")).await;
        assert!(audit.body.contains("根拠資料の取り消し"), "{}", audit.body);
    }
}

#[tokio::test]
async fn the_ledger_filters_by_kind_and_words() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "staff@sakura.example", None).await;
    let base = format!("/f/{}/ledger", a.id.0);
    let all = c.get(&base).await;
    assert!(all.body.contains("2 台のうち 2 台を表示"));
    let utm = c.get(&format!("{base}?kind=utm")).await;
    assert!(utm.body.contains("sakura UTM") && !utm.body.contains("sakura 受付PC"));
    let words = c
        .get(&format!(
            "{base}?q=%E5%8F%97%E4%BB%98+%E4%BF%9D%E5%AE%88%E4%BC%9A%E7%A4%BEb"
        ))
        .await;
    assert!(
        words.body.contains("sakura 受付PC") && words.body.contains("2 台のうち 1 台を表示"),
        "受付 保守会社b"
    );
    let none = c.get(&format!("{base}?kind=pacs")).await;
    assert!(none.body.contains("2 台のうち 0 台を表示"));
}

#[tokio::test]
async fn a_retired_device_leaves_the_ledger_and_shows_as_removed() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let scope = s
            .scope(&domain::facility::FacilityRef::Id(a.id))
            .await
            .unwrap();
        let pc = s
            .assets(&scope)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.details.name.contains("受付PC"))
            .unwrap();
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = crate::support::csrf(&mut c, &a).await;
        // One click never removes: the device page leads to a page that says what happens.
        let device = c.get(&format!("/f/{}/assets/{}", a.id.0, pc.id.0)).await;
        assert!(
            !device.body.contains("/retire\" method"),
            "no one-click form"
        );
        let confirm = c
            .get(&format!("/f/{}/assets/{}/retire", a.id.0, pc.id.0))
            .await;
        assert!(
            confirm.body.contains("元に戻す") && confirm.body.contains("受付PC"),
            "{}",
            confirm.body
        );
        assert_eq!(s.assets(&scope).await.unwrap().len(), 2, "nothing done yet");
        let r = c
            .post(
                &format!("/f/{}/assets/{}/retire", a.id.0, pc.id.0),
                &[("csrf", &token)],
            )
            .await;
        assert_eq!(r.status, 303, "{}", db.backend);
        assert_eq!(s.assets(&scope).await.unwrap().len(), 1);
        let ledger = c.get(r.location().unwrap()).await;
        assert!(
            ledger
                .body
                .contains("「sakura 受付PC」を台帳から外しました")
                && ledger.body.contains("元に戻す"),
            "{}",
            ledger.body
        );
        // Undo, then take it out again: both in the history.
        let undo = c
            .post(
                &format!("/f/{}/assets/{}/restore", a.id.0, pc.id.0),
                &[("csrf", &token)],
            )
            .await;
        assert_eq!(undo.status, 303);
        let back = c.get(undo.location().unwrap()).await;
        assert!(back.body.contains("台帳に戻しました"), "{}", back.body);
        assert_eq!(s.assets(&scope).await.unwrap().len(), 2);
        let again = c
            .post(
                &format!("/f/{}/assets/{}/restore", a.id.0, pc.id.0),
                &[("csrf", &token)],
            )
            .await;
        assert_eq!(again.status, 303, "already back: its page, nothing changed");
        assert_eq!(
            again.location(),
            Some(format!("/f/{}/assets/{}", a.id.0, pc.id.0).as_str())
        );
        let r = c
            .post(
                &format!("/f/{}/assets/{}/retire", a.id.0, pc.id.0),
                &[("csrf", &token)],
            )
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(s.assets(&scope).await.unwrap().len(), 1);
        assert_eq!(
            c.get(&format!("/f/{}/assets/{}", a.id.0, pc.id.0))
                .await
                .status,
            404
        );
        let changes = c.get(&format!("/f/{}/review", a.id.0)).await;
        assert!(
            // Taken out, brought back, taken out again: each is in the month's changes.
            changes.body.contains("撤去された機器(2)")
                && changes.body.contains("追加された機器(1)")
                && changes.body.contains("sakura 受付PC"),
            "{}",
            changes.body
        );
        let history = s
            .object_history(a.id, "asset", &pc.id.0.to_string())
            .await
            .unwrap();
        assert_eq!(
            history.last().map(|r| r.entry.action.as_str()),
            Some("asset.retire")
        );
    }
}

/// While the facility's findings are evaluated again in the background, every page of the
/// facility says so (「判定中」) instead of waiting; afterwards it does not. PostgreSQL, where
/// the evaluation can be held back by holding the facility's audit chain.
#[tokio::test]
async fn pages_say_evaluating_while_the_job_runs() {
    let db = testkit::postgres().await;
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    let scope = s
        .scope(&domain::facility::FacilityRef::Id(a.id))
        .await
        .unwrap();
    let pc = domain::NewAsset::new(domain::AssetKind::Pc, "受付PC")
        .unwrap()
        .os("Windows 11 Pro", "23H2");
    s.add_asset(&scope, &domain::Actor::Cli("t".into()), pc, testkit::T0)
        .await
        .unwrap();
    let (_, secret) = user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "staff@sakura.example", secret.as_deref()).await;
    let home = format!("/f/{}/", a.id.0);
    assert!(!c.get(&home).await.body.contains(r#"id="evaluating""#));
    // A device added: the next evaluation has something to write (an unchanged one would
    // only note the time, holding nothing).
    let t = domain::Actor::Cli("t".into());
    let nas = domain::NewAsset::new(domain::AssetKind::Storage, "NAS")
        .unwrap()
        .os("DSM", "7.2");
    s.add_asset(&scope, &t, nas, testkit::T0).await.unwrap();
    let held = s
        .begin(store::ChainOf::facility(a.id), &t, testkit::T0)
        .await
        .unwrap();
    app.state().ledger_changed(&scope, &t);
    let page = c.get(&home).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"id="evaluating""#), "{}", page.body);
    assert!(page.body.contains("判定中です"));
    drop(held);
    app.settled().await;
    assert!(!c.get(&home).await.body.contains(r#"id="evaluating""#));
}

/// A handler's `?` on a store error answers with the error page in the reader's language and
/// an operation id to report; the detail stays in the server log.
#[tokio::test]
async fn a_failing_store_shows_the_error_page_with_an_operation_id() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        let (_, secret) = user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", secret.as_deref()).await;
        testkit::exec(&db, "DROP TABLE audit_log").await;
        let r = c.get(&format!("/f/{}/audit", a.id.0)).await;
        assert_eq!(r.status, 500, "{}", db.backend);
        assert!(
            r.body.contains("操作ID test-"),
            "{}: {}",
            db.backend,
            r.body
        );
        assert!(
            !r.body.contains("audit_log"),
            "no database detail: {}",
            r.body
        );
    }
}

/// The audit page an inspector reads: actions in words, people by name and role, devices by
/// name with a link, the facility's sign-ins (failed ones too), filters by action and day.
#[tokio::test]
async fn the_audit_page_reads_in_words() {
    let mut one = crate::support::signed_in_one(Role::ItStaff).await;
    let base = format!("/f/{}/", one.facility.id.0);
    // A wrong password first (recorded in the deployment's chain).
    let mut stranger = testkit::http::Client::new(one.app.addr);
    let form = stranger.get("/login").await;
    let token = form.field("csrf").unwrap_or_default();
    stranger
        .post(
            "/login",
            &[
                ("csrf", &token),
                ("email", "staff@sakura.example"),
                ("password", "wrong-password-1"),
            ],
        )
        .await;
    let added = one
        .client
        .post(
            &format!("{base}assets"),
            &[
                ("csrf", &one.token),
                ("name", "検査室PC"),
                ("kind", "パソコン"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let device = added.location_path().unwrap().to_string();
    let page = one.client.get(&format!("{base}audit")).await;
    assert_eq!(page.status, 200);
    for text in [
        "機器の登録",
        &format!("href=\"{device}\">検査室PC</a>"),
        "staff@sakura.example(担当者)",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    // Sign-ins (kept for the whole deployment) only for those who manage the people here.
    assert!(!page.body.contains("パスワードが違う"), "{}", page.body);
    let (_, secret) = crate::support::user(
        &one.app.store,
        "inchou@sakura.example",
        &one.facility,
        Role::Director,
        true,
    )
    .await;
    let mut director =
        crate::support::sign_in(&one.app, "inchou@sakura.example", secret.as_deref()).await;
    let theirs = director.get(&format!("{base}audit")).await;
    let signins = theirs
        .body
        .split("id=\"audit-signins\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        signins.contains("パスワードが違う") && signins.contains("staff@sakura.example(担当者)"),
        "{}",
        theirs.body
    );
    // Codes stay in the filters' values only, never in what a person reads.
    let shown: String = page
        .body
        .split("value=\"")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once('"').map_or("", |(_, rest)| rest)
            }
        })
        .collect();
    for raw in ["asset.create", "user:", "signin.", "system:"] {
        assert!(!shown.contains(raw), "{raw} shown: {shown}");
    }
    let only = one
        .client
        .get(&format!("{base}audit?what=asset.create&from=2000-01-01"))
        .await;
    let table = only.body.split("id=\"audit\"").nth(1).unwrap_or_default();
    let table = table.split("</table>").next().unwrap_or_default();
    // The two devices the test facility starts with, and the one added here.
    assert_eq!(table.matches("<tr><td").count(), 3, "{}", only.body);
    assert!(!table.contains("メンバー"), "{table}");
    let none = one
        .client
        .get(&format!("{base}audit?from=2999-01-01"))
        .await;
    assert!(none.body.contains("件のうち 0 件を表示"), "{}", none.body);
}

/// Every action the store writes to the audit log has words in both languages.
#[test]
fn every_audit_action_has_words() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut actions = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(format!("{root}/crates/store/src")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split('"').skip(1).step_by(2) {
            let mut pieces = part.splitn(2, '.');
            let (Some(area), Some(rest)) = (pieces.next(), pieces.next()) else {
                continue;
            };
            let areas = [
                "accounts",
                "advisor",
                "asset",
                "audit",
                "backup",
                "bcp",
                "checklist",
                "connection",
                "contact",
                "deployment",
                "evidence",
                "facility",
                "feed",
                "finding",
                "incident",
                "ledger",
                "membership",
                "product",
                "region",
                "review",
                "scan",
                "segment",
                "signin",
                "staff",
                "totp",
                "user",
                "vendor",
            ];
            if areas.contains(&area)
                && !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                actions.insert(part.to_string());
            }
        }
    }
    assert!(actions.len() > 30, "{actions:?}");
    for lang in ["ja", "en"] {
        let ftl = std::fs::read_to_string(format!("{root}/locales/{lang}/main.ftl")).unwrap();
        for a in &actions {
            let key = format!("\naction-{} =", a.replace('.', "-"));
            assert!(ftl.contains(&key), "{lang}: no words for {a}");
        }
    }
}

/// The glossary is open to everyone and explains every word it lists, in both languages.
#[tokio::test]
async fn the_glossary_explains_its_words() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let app = spawn_app(s).await;
    for (lang, word) in [("ja", "攻撃に使われている"), ("en", "used in real attacks")] {
        let page = get(app.addr, "/terms", &[("accept-language", lang)]).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(word), "{lang}: {}", page.body);
        for id in web::TERMS {
            assert!(page.body.contains(&format!("<dt id=\"{id}\">")), "{id}");
        }
        assert!(
            !page.body.contains("term-"),
            "a word without text: {}",
            page.body
        );
    }
}
