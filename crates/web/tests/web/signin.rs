use domain::Role;
use testkit::{each_backend, open_store, spawn_app};

use crate::support::{PASSWORD, csrf, facility, sign_in, user};

#[tokio::test]
async fn password_then_code_and_every_step_is_audited() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
        let secret = secret.unwrap();
        let app = spawn_app(s.clone()).await;
        let mut c = app.client();

        let wrong = c
            .post(
                "/login",
                &[("email", "inchou@sakura.example"), ("password", "nope")],
            )
            .await;
        assert_eq!(wrong.status, 401, "{}", db.backend);
        assert!(wrong.body.contains("メールアドレスかパスワードが違います"));
        let unknown = c
            .post(
                "/login",
                &[("email", "nobody@sakura.example"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(unknown.status, 401);
        assert_eq!(
            unknown.body.replace("nobody", "inchou"),
            wrong.body,
            "an unknown account looks the same"
        );

        let r = c
            .post(
                "/login",
                &[("email", "inchou@sakura.example"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.location(), Some("/login/code"));
        let blocked = c.get(&format!("/f/{}/", a.id.0)).await;
        assert_eq!(
            blocked.location(),
            Some("/login/code"),
            "no page before the code"
        );
        let page = c.get("/login/code").await;
        let token = page.field("csrf").unwrap();
        let bad = c
            .post("/login/code", &[("csrf", &token), ("code", "000000")])
            .await;
        assert_eq!(bad.status, 401);
        let code =
            service::auth::code_at(&secret, "inchou@sakura.example", app.clock.now_ts()).unwrap();
        let ok = c
            .post("/login/code", &[("csrf", &token), ("code", &code)])
            .await;
        assert_eq!(ok.location(), Some("/"));
        assert_eq!(c.get(&format!("/f/{}/", a.id.0)).await.status, 200);

        // The same code again, from another browser, is refused: a code works once.
        let mut other = app.client();
        other
            .post(
                "/login",
                &[("email", "inchou@sakura.example"), ("password", PASSWORD)],
            )
            .await;
        let t = other.get("/login/code").await.field("csrf").unwrap();
        let replay = other
            .post("/login/code", &[("csrf", &t), ("code", &code)])
            .await;
        assert_eq!(replay.status, 401, "replayed code");

        let actions: Vec<String> = s
            .recent_audit(None, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        for a in ["signin.failure", "signin.success"] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        assert_eq!(
            actions.iter().filter(|x| *x == "signin.failure").count(),
            4,
            "wrong password, unknown, wrong code, replay"
        );
        assert_eq!(
            s.verify_audit(store::Chains::All, None)
                .await
                .unwrap()
                .outcome,
            Ok(())
        );
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_and_say_so() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = app.client();
        for i in 1..=web::LOCK_AFTER_FAILURES {
            let r = c
                .post(
                    "/login",
                    &[("email", "staff@sakura.example"), ("password", "wrong")],
                )
                .await;
            let expected = if i < web::LOCK_AFTER_FAILURES {
                401
            } else {
                429
            };
            assert_eq!(r.status, expected, "attempt {i} ({})", db.backend);
        }
        let right = c
            .post(
                "/login",
                &[("email", "staff@sakura.example"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(right.status, 429, "locked even with the right password");
        assert!(right.body.contains("しばらくサインインできません"));
        let actions: Vec<String> = s
            .recent_audit(None, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        assert!(actions.iter().any(|x| x == "signin.lockout"));
        app.clock.advance_ms(web::LOCK_MS + 1000);
        let later = c
            .post(
                "/login",
                &[("email", "staff@sakura.example"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(later.location(), Some("/"), "unlocked after the lock time");
    }
}

#[tokio::test]
async fn one_source_failing_often_is_refused() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let app = spawn_app(s.clone()).await;
    let mut c = app.client();
    for i in 0..web::SOURCE_FAILURE_LIMIT {
        let r = c
            .post(
                "/login",
                &[("email", &format!("guess{i}@x.example")), ("password", "x")],
            )
            .await;
        assert_eq!(r.status, 401, "{i}");
    }
    let r = c
        .post("/login", &[("email", "guess@x.example"), ("password", "x")])
        .await;
    assert_eq!(r.status, 429);
}

#[tokio::test]
async fn a_director_without_a_second_factor_must_set_one_up() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "new@sakura.example", &a, Role::Director, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = app.client();
        let r = c
            .post(
                "/login",
                &[("email", "new@sakura.example"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.location(), Some("/account/second-factor"));
        assert_eq!(
            c.get(&format!("/f/{}/", a.id.0)).await.location(),
            Some("/account/second-factor")
        );
        let page = c.get("/account/second-factor").await;
        assert!(page.body.contains("<svg"), "QR code");
        let typed: String = page
            .body
            .split(r#"<code id="secret">"#)
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .replace(' ', "");
        let secret = testkit::base32_decode(&typed);
        let token = page.field("csrf").unwrap();
        let wrong = c
            .post(
                "/account/second-factor",
                &[("csrf", &token), ("code", "123456")],
            )
            .await;
        assert_eq!(wrong.status, 400, "{}", db.backend);
        let code =
            service::auth::code_at(&secret, "new@sakura.example", app.clock.now_ts()).unwrap();
        let done = c
            .post(
                "/account/second-factor",
                &[("csrf", &token), ("code", &code)],
            )
            .await;
        assert_eq!(done.status, 200);
        let codes: Vec<String> = done
            .body
            .split("<li><code>")
            .skip(1)
            .map(|s| s.split('<').next().unwrap().to_string())
            .collect();
        assert_eq!(codes.len(), 10, "ten recovery codes shown once");
        assert_eq!(
            c.get(&format!("/f/{}/", a.id.0)).await.status,
            200,
            "signed in"
        );

        // Next time: password, then a recovery code works once.
        let mut d = app.client();
        d.post(
            "/login",
            &[("email", "new@sakura.example"), ("password", PASSWORD)],
        )
        .await;
        let t = d.get("/login/code").await.field("csrf").unwrap();
        assert_eq!(
            d.post("/login/code", &[("csrf", &t), ("code", &codes[0])])
                .await
                .location(),
            Some("/")
        );
        let mut e = app.client();
        e.post(
            "/login",
            &[("email", "new@sakura.example"), ("password", PASSWORD)],
        )
        .await;
        let t = e.get("/login/code").await.field("csrf").unwrap();
        assert_eq!(
            e.post("/login/code", &[("csrf", &t), ("code", &codes[0])])
                .await
                .status,
            401,
            "used code"
        );
    }
}

#[tokio::test]
async fn staff_sign_in_with_a_password_unless_the_facility_requires_more() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
    user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    sign_in(&app, "staff@sakura.example", None).await;
    let mut director = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
    let token = csrf(&mut director, &a).await;
    let r = director
        .post(
            &format!("/f/{}/settings/second-factor", a.id.0),
            &[("csrf", &token), ("required", "on")],
        )
        .await;
    assert_eq!(r.status, 303);
    let mut staff = app.client();
    let r = staff
        .post(
            "/login",
            &[("email", "staff@sakura.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        r.location(),
        Some("/account/second-factor"),
        "now required of everyone"
    );
}

#[tokio::test]
async fn sessions_end_when_idle_and_on_sign_out() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let cookie = c.cookies.get("mamori_session").cloned().unwrap();
        app.clock.advance_ms(web::IDLE_TIMEOUT_MS + 1);
        let r = c.get(&format!("/f/{}/", a.id.0)).await;
        assert_eq!(r.location(), Some("/login?expired=1"), "{}", db.backend);
        let login = c.get("/login?expired=1").await;
        assert!(login.body.contains("サインインが切れました"));

        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        assert_ne!(
            c.cookies.get("mamori_session"),
            Some(&cookie),
            "a new session id"
        );
        let token = csrf(&mut c, &a).await;
        let out = c.post("/logout", &[("csrf", &token)]).await;
        assert_eq!(out.location(), Some("/login?signed_out=1"));
        assert!(!c.cookies.contains_key("mamori_session"));
        let actions: Vec<String> = s
            .recent_audit(None, 5)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        assert_eq!(actions[0], "signout");
    }
}

#[tokio::test]
async fn a_session_lasts_at_most_its_absolute_time() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "staff@sakura.example", None).await;
    let step = web::IDLE_TIMEOUT_MS - 60_000;
    let mut elapsed = 0;
    while elapsed <= web::ABSOLUTE_TIMEOUT_MS {
        assert_eq!(
            c.get(&format!("/f/{}/", a.id.0)).await.status,
            200,
            "after {elapsed} ms"
        );
        app.clock.advance_ms(step);
        elapsed += step;
    }
    assert_eq!(
        c.get(&format!("/f/{}/", a.id.0)).await.location(),
        Some("/login?expired=1")
    );
}

#[tokio::test]
async fn forms_need_their_token_and_this_site() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
    let path = format!("/f/{}/settings/second-factor", a.id.0);
    let before = s.recent_audit(None, 1000).await.unwrap().len();
    let no_token = c.post(&path, &[("required", "on")]).await;
    assert_eq!(no_token.status, 403);
    assert!(no_token.body.contains("フォームの有効期限が切れたか"));
    let wrong = c.post(&path, &[("csrf", "0000"), ("required", "on")]).await;
    assert_eq!(wrong.status, 403);
    let token = csrf(&mut c, &a).await;
    let cross = c
        .post_with(
            &path,
            &[("csrf", &token), ("required", "on")],
            &[("Sec-Fetch-Site", "cross-site")],
        )
        .await;
    assert_eq!(cross.status, 403, "another site's form");
    let foreign_origin = c
        .post_with(
            &path,
            &[("csrf", &token)],
            &[("Origin", "http://evil.example")],
        )
        .await;
    assert_eq!(foreign_origin.status, 403);
    assert_eq!(
        s.recent_audit(None, 1000).await.unwrap().len(),
        before,
        "nothing changed"
    );
    let ok = c.post(&path, &[("csrf", &token), ("required", "on")]).await;
    assert_eq!(ok.status, 303);
}

#[tokio::test]
async fn over_long_input_is_refused_clearly() {
    let db = testkit::sqlite();
    let app = spawn_app(open_store(&db).await).await;
    let mut c = app.client();
    let long = "a".repeat(300);
    let r = c
        .post(
            "/login",
            &[("email", &format!("{long}@x.example")), ("password", "x")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("254"));
    let huge = "a".repeat(100 * 1024);
    let r = c
        .post("/login", &[("email", "a@x.example"), ("password", &huge)])
        .await;
    assert_eq!(r.status, 413);
}

#[tokio::test]
async fn advisors_see_a_facility_only_while_it_consents() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let core = facility(&s, "core", "県立中央病院").await;
        let clinic = facility(&s, "sakura", "さくら").await;
        let (advisor, adv_secret) =
            user(&s, "advisor@core.example", &core, Role::Advisor, true).await;
        let (_, dir_secret) =
            user(&s, "inchou@sakura.example", &clinic, Role::Director, true).await;
        let app = spawn_app(s.clone()).await;
        let mut adv = sign_in(&app, "advisor@core.example", adv_secret.as_deref()).await;
        let clinic_page = format!("/f/{}/", clinic.id.0);
        assert_eq!(
            adv.get(&clinic_page).await.status,
            404,
            "{}: no consent yet",
            db.backend
        );

        let mut dir = sign_in(&app, "inchou@sakura.example", dir_secret.as_deref()).await;
        let token = csrf(&mut dir, &clinic).await;
        // Known and unknown addresses get the same answer: the form tells nobody who has
        // an account.
        let path = format!("/f/{}/members/advisors", clinic.id.0);
        let unknown = dir
            .post(&path, &[("csrf", &token), ("email", "nobody@x.example")])
            .await;
        let known = dir
            .post(
                &path,
                &[("csrf", &token), ("email", "advisor@core.example")],
            )
            .await;
        assert_eq!((unknown.status, known.status), (303, 303));
        assert_eq!(unknown.location(), known.location());
        assert_eq!(
            adv.get(&clinic_page).await.status,
            404,
            "{}: invited, not yet accepted",
            db.backend
        );
        let members = dir.get(&format!("/f/{}/members", clinic.id.0)).await;
        assert!(
            members.body.contains("advisor@core.example")
                && members.body.contains("nobody@x.example")
        );

        // The invitation shows on the advisor's start page; only its addressee can accept.
        let home = adv.get("/").await;
        assert!(home.body.contains("招待を受ける"), "{}", home.body);
        let id: i64 = home
            .body
            .split("/invitations/")
            .nth(1)
            .and_then(|t| t.split('/').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        let dir_token = token.clone();
        let stolen = dir
            .post(
                &format!("/invitations/{id}/accept"),
                &[("csrf", &dir_token)],
            )
            .await;
        assert_eq!(
            stolen.status, 404,
            "the director cannot accept for the advisor"
        );
        let adv_token = home
            .body
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|t| t.split('"').next())
            .unwrap()
            .to_string();
        let r = adv
            .post(
                &format!("/invitations/{id}/accept"),
                &[("csrf", &adv_token)],
            )
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(adv.get(&clinic_page).await.status, 200, "consent given");
        assert_eq!(
            adv.get(&format!("/f/{}/members", clinic.id.0)).await.status,
            403,
            "advisors read, not manage"
        );

        let r = dir
            .post(
                &format!("/f/{}/members/{}/remove", clinic.id.0, advisor.id.0),
                &[("csrf", &token)],
            )
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(adv.get(&clinic_page).await.status, 404, "consent withdrawn");
        let actions = crate::support::actions(&s, clinic.id, 20).await;
        assert!(
            actions.contains(&"advisor.grant".to_string())
                && actions.contains(&"advisor.revoke".to_string()),
            "{actions:?}"
        );
    }
}

#[tokio::test]
async fn a_vendor_sees_only_the_systems_it_maintains() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let a = facility(&s, "sakura", "さくら").await;
    let (_, secret) = user(&s, "hoshu@vendor-a.example", &a, Role::Vendor, true).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "hoshu@vendor-a.example", secret.as_deref()).await;
    let ledger = c.get(&format!("/f/{}/ledger", a.id.0)).await;
    assert_eq!(ledger.status, 200);
    assert!(
        ledger.body.contains("sakura UTM"),
        "maintained by 保守会社A"
    );
    assert!(
        !ledger.body.contains("sakura 受付PC"),
        "maintained by someone else"
    );
    let dash = c.get(&format!("/f/{}/", a.id.0)).await;
    assert!(dash.body.contains(r#"id="asset-count">1</p>"#));
    assert_eq!(c.get(&format!("/f/{}/audit", a.id.0)).await.status, 403);
    let scope = s
        .scope(&domain::facility::FacilityRef::Id(a.id))
        .await
        .unwrap();
    for asset in s.assets(&scope).await.unwrap() {
        let page = c.get(&format!("/f/{}/assets/{}", a.id.0, asset.id.0)).await;
        let expected = if asset.details.name.contains("UTM") {
            200
        } else {
            404
        };
        assert_eq!(page.status, expected, "{}", asset.details.name);
    }
}

/// A person's own page: change the password (current one first, twice the new one, the
/// checklist's rule; other sign-ins end), see how many recovery codes are left and make new
/// ones (the old ones stop working). Every step in the audit log.
#[tokio::test]
async fn a_person_changes_their_password_and_renews_recovery_codes() {
    for db in testkit::each_backend().await {
        let s = testkit::open_store(&db).await;
        let a = crate::support::facility(&s, "sakura", "さくら").await;
        let (_, secret) = crate::support::user(
            &s,
            "inchou@sakura.example",
            &a,
            domain::Role::Director,
            true,
        )
        .await;
        let app = testkit::spawn_app(s.clone()).await;
        let mut c = crate::support::sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
        app.clock.advance_ms(60_000);
        let mut other =
            crate::support::sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
        let page = c.get("/account").await;
        assert_eq!(page.status, 200, "{}", db.backend);
        assert!(page.body.contains("残っている予備コード"), "{}", page.body);
        let token = page.field("csrf").unwrap();
        let left = |body: &str| {
            body.split("id=\"account-codes-left\">")
                .nth(1)
                .and_then(|r| r.split(['<', ' ']).next())
                .and_then(|n| n.parse::<i64>().ok())
        };
        // The test user was set up without recovery codes: none left, and the page says so.
        assert_eq!(left(&page.body), None, "{}", page.body);
        assert!(
            page.body
                .contains("ありません。「予備コードを作り直す」で作ってください")
        );

        let wrong = c
            .post(
                "/account/password",
                &[
                    ("csrf", &token),
                    ("current", "not-my-password"),
                    ("new", "Sakura-Naika-2026!x"),
                    ("again", "Sakura-Naika-2026!x"),
                ],
            )
            .await;
        assert_eq!(wrong.status, 400);
        assert!(wrong.body.contains("いまのパスワードが違います"));
        let weak = c
            .post(
                "/account/password",
                &[
                    ("csrf", &token),
                    ("current", crate::support::PASSWORD),
                    ("new", "password"),
                    ("again", "password"),
                ],
            )
            .await;
        assert_eq!(weak.status, 400, "{}", weak.body);
        let ok = c
            .post(
                "/account/password",
                &[
                    ("csrf", &token),
                    ("current", crate::support::PASSWORD),
                    ("new", "Hoshi-no-Mori-7%kuma"),
                    ("again", "Hoshi-no-Mori-7%kuma"),
                ],
            )
            .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert!(ok.body.contains("パスワードを変えました"));
        // The other browser was signed out; this one goes on.
        assert_eq!(
            other.get("/account").await.location(),
            Some("/login?expired=1")
        );
        assert_eq!(c.get("/account").await.status, 200);

        // New codes take the phone's code too: a session and a password are not enough.
        let no_code = c
            .post(
                "/account/recovery-codes",
                &[("csrf", &token), ("current", "Hoshi-no-Mori-7%kuma")],
            )
            .await;
        assert_eq!(no_code.status, 400, "{}", no_code.body);
        assert!(
            no_code.body.contains("コードが違います"),
            "{}",
            no_code.body
        );
        app.clock.advance_ms(60_000);
        let phone = service::auth::code_at(
            secret.as_deref().unwrap(),
            "inchou@sakura.example",
            app.clock.now_ts(),
        )
        .unwrap();
        let renewed = c
            .post(
                "/account/recovery-codes",
                &[
                    ("csrf", &token),
                    ("current", "Hoshi-no-Mori-7%kuma"),
                    ("code", &phone),
                ],
            )
            .await;
        assert_eq!(renewed.status, 200, "{}", renewed.body);
        assert!(renewed.body.contains("予備コードを作り直しました"));
        assert_eq!(renewed.body.matches("<li><code>").count(), 10);
        let page = c.get("/account").await;
        assert_eq!(left(&page.body), Some(10));

        let actions: Vec<String> = s
            .recent_audit(None, 20)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        assert!(
            actions.contains(&"user.password".to_string())
                && actions.contains(&"totp.recovery_codes".to_string()),
            "{actions:?}"
        );
        // A session left open is no way to guess the password: wrong guesses count like
        // failed sign-ins, and the hold ends this session.
        let mut ended = false;
        for _ in 0..8 {
            let r = c
                .post(
                    "/account/recovery-codes",
                    &[("csrf", &token), ("current", "guess-guess-guess")],
                )
                .await;
            if r.location() == Some("/login?expired=1") {
                ended = true;
                break;
            }
            assert_eq!(r.status, 400, "{}", r.body);
        }
        assert!(ended, "{}", db.backend);
        assert!(
            c.get("/account")
                .await
                .location()
                .is_some_and(|l| l.starts_with("/login"))
        );
    }
}

/// A new phone: password and a code from the current phone (or a recovery code) first; the
/// old phone goes on working until the new phone's first code is confirmed, then never again;
/// new recovery codes come with it and the person's other sessions end.
#[tokio::test]
async fn moving_to_a_new_phone_needs_both_factors_and_retires_the_old_one() {
    for db in testkit::each_backend().await {
        let s = testkit::open_store(&db).await;
        let a = crate::support::facility(&s, "sakura", "さくら").await;
        let email = "inchou@sakura.example";
        let (user, secret) =
            crate::support::user(&s, email, &a, domain::Role::Director, true).await;
        let old = secret.unwrap();
        let app = testkit::spawn_app(s.clone()).await;
        let mut c = crate::support::sign_in(&app, email, Some(&old)).await;
        app.clock.advance_ms(60_000);
        let mut other = crate::support::sign_in(&app, email, Some(&old)).await;
        let page = c.get("/account").await;
        assert!(
            page.body.contains("スマートフォンを替える"),
            "{}",
            page.body
        );
        let token = page.field("csrf").unwrap();
        let again = "/account/second-factor/again";
        let pw = crate::support::PASSWORD;
        let wrong = c
            .post(
                again,
                &[("csrf", &token), ("current", pw), ("code", "000000")],
            )
            .await;
        assert_eq!(wrong.status, 400, "{}", db.backend);
        assert!(wrong.body.contains("コードが違います"), "{}", wrong.body);
        app.clock.advance_ms(60_000);
        let code = service::auth::code_at(&old, email, app.clock.now_ts()).unwrap();
        let no_password = c
            .post(
                again,
                &[("csrf", &token), ("current", "nope"), ("code", &code)],
            )
            .await;
        assert!(no_password.body.contains("いまのパスワードが違います"));
        let started = c
            .post(again, &[("csrf", &token), ("current", pw), ("code", &code)])
            .await;
        assert_eq!(started.status, 200, "{}", started.body);
        assert!(
            started.body.contains("<svg")
                && started
                    .body
                    .contains(r#"action="/account/second-factor/new-phone""#),
            "a QR code for the new phone: {}",
            started.body
        );
        // The same code again is refused: a code works once.
        let replay = c
            .post(again, &[("csrf", &token), ("current", pw), ("code", &code)])
            .await;
        assert!(replay.body.contains("コードが違います"), "{}", replay.body);
        let new = s
            .pending_totp(user.id, app.clock.now_ts())
            .await
            .unwrap()
            .unwrap();
        assert_ne!(new, old);
        // Not confirmed yet: the old phone still signs in.
        app.clock.advance_ms(60_000);
        let mut meanwhile = app.client();
        meanwhile
            .post("/login", &[("email", email), ("password", pw)])
            .await;
        let form = meanwhile.get("/login/code").await;
        let csrf = form.field("csrf").unwrap();
        let still = service::auth::code_at(&old, email, app.clock.now_ts()).unwrap();
        let r = meanwhile
            .post("/login/code", &[("csrf", &csrf), ("code", &still)])
            .await;
        assert_eq!(
            r.status, 303,
            "the old phone works until the new one is confirmed"
        );
        // A wrong first code of the new phone: asked again, nothing changes.
        let bad = c
            .post(
                "/account/second-factor/new-phone",
                &[("csrf", &token), ("code", "123456")],
            )
            .await;
        assert_eq!(bad.status, 400, "{}", bad.body);
        assert!(
            !bad.body.contains("<svg") && bad.body.contains("id=\"secret-hidden\""),
            "the key is not shown again after a wrong code: {}",
            bad.body
        );
        app.clock.advance_ms(60_000);
        let first = service::auth::code_at(&new, email, app.clock.now_ts()).unwrap();
        let confirmed = c
            .post(
                "/account/second-factor/new-phone",
                &[("csrf", &token), ("code", &first)],
            )
            .await;
        assert_eq!(confirmed.status, 200, "{}", confirmed.body);
        assert!(
            confirmed
                .body
                .contains("新しいスマートフォンを登録しました")
        );
        assert_eq!(
            confirmed.body.matches("<li><code>").count(),
            10,
            "new recovery codes"
        );
        assert!(
            s.pending_totp(user.id, app.clock.now_ts())
                .await
                .unwrap()
                .is_none()
        );
        // A reload of a form's address goes back to the account page, not a blank 405.
        for path in ["/account/second-factor/new-phone", "/account/password"] {
            assert_eq!(c.get(path).await.location(), Some("/account"), "{path}");
        }
        // The other sessions ended; this one goes on.
        assert_eq!(
            other.get("/account").await.location(),
            Some("/login?expired=1")
        );
        assert_eq!(c.get("/account").await.status, 200);
        // Signing in again: the old phone's code is refused, the new one's works.
        let mut fresh = app.client();
        fresh
            .post("/login", &[("email", email), ("password", pw)])
            .await;
        let form = fresh.get("/login/code").await;
        let csrf = form.field("csrf").unwrap();
        app.clock.advance_ms(60_000);
        let stale = service::auth::code_at(&old, email, app.clock.now_ts()).unwrap();
        let refused = fresh
            .post("/login/code", &[("csrf", &csrf), ("code", &stale)])
            .await;
        assert_eq!(refused.status, 401, "{}", refused.body);
        let good = service::auth::code_at(&new, email, app.clock.now_ts()).unwrap();
        let signed_in = fresh
            .post("/login/code", &[("csrf", &csrf), ("code", &good)])
            .await;
        assert_eq!(signed_in.status, 303, "{}", signed_in.body);
        // With a recovery code instead of the phone (the phone is lost).
        let recovery = confirmed
            .body
            .split("<li><code>")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_string();
        let by_recovery = c
            .post(
                again,
                &[("csrf", &token), ("current", pw), ("code", &recovery)],
            )
            .await;
        assert_eq!(by_recovery.status, 200, "{}", by_recovery.body);
        assert!(
            s.pending_totp(user.id, app.clock.now_ts())
                .await
                .unwrap()
                .is_some()
        );
        // 「やめる」 forgets the waiting key; a key left waiting expires after ten minutes.
        let cancelled = c
            .post("/account/second-factor/cancel", &[("csrf", &token)])
            .await;
        assert!(
            cancelled.body.contains("登録をやめました"),
            "{}",
            cancelled.body
        );
        assert!(
            s.pending_totp(user.id, app.clock.now_ts())
                .await
                .unwrap()
                .is_none()
        );
        let used_twice = c
            .post(
                again,
                &[("csrf", &token), ("current", pw), ("code", &recovery)],
            )
            .await;
        assert!(used_twice.body.contains("コードが違います"));
        let actions: Vec<String> = s
            .recent_audit(None, 40)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        for action in ["totp.check", "totp.replace_start", "totp.replace"] {
            assert!(
                actions.contains(&action.to_string()),
                "{action}: {actions:?}"
            );
        }
    }
}

/// The director adds a person from the members page: no password on screen, a link that
/// works once with which the person sets their own; an existing account only gets the role.
#[tokio::test]
async fn the_director_adds_a_person_who_sets_their_own_password() {
    for db in testkit::each_backend().await {
        let s = testkit::open_store(&db).await;
        let a = crate::support::facility(&s, "sakura", "さくら").await;
        let (_, secret) = crate::support::user(
            &s,
            "inchou@sakura.example",
            &a,
            domain::Role::Director,
            true,
        )
        .await;
        crate::support::user(&s, "other@sakura.example", &a, domain::Role::Viewer, false).await;
        let app = testkit::spawn_app(s.clone()).await;
        let mut c = crate::support::sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
        let token = crate::support::csrf(&mut c, &a).await;
        let add = format!("/f/{}/members/add", a.id.0);
        let no_vendor = c
            .post(
                &add,
                &[
                    ("csrf", &token),
                    ("email", "vendor@x.example"),
                    ("role", "vendor"),
                ],
            )
            .await;
        assert_eq!(no_vendor.status, 400, "{}", db.backend);
        assert!(no_vendor.body.contains("保守業者"));
        let added = c
            .post(
                &add,
                &[
                    ("csrf", &token),
                    ("email", "kango@sakura.example"),
                    ("name", "看護師長 山田"),
                    ("role", "viewer"),
                ],
            )
            .await;
        assert_eq!(added.status, 200, "{}", added.body);
        let link = added
            .body
            .split("<code id=\"setup-link\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_string();
        let path = format!("/setup/{}", link.rsplit('/').next().unwrap());
        assert!(
            link.starts_with("http://") && link.ends_with(&path),
            "{link}"
        );
        let mut person = testkit::http::Client::new(app.addr);
        let form = person.get(&path).await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("kango@sakura.example"));
        let differ = person
            .post(
                &path,
                &[("new", "Hoshi-no-Mori-7%kuma"), ("again", "other")],
            )
            .await;
        assert_eq!(differ.status, 400);
        let weak = person
            .post(&path, &[("new", "password"), ("again", "password")])
            .await;
        assert_eq!(weak.status, 400);
        let done = person
            .post(
                &path,
                &[
                    ("new", "Hoshi-no-Mori-7%kuma"),
                    ("again", "Hoshi-no-Mori-7%kuma"),
                ],
            )
            .await;
        assert_eq!(done.location(), Some("/login?setup=1"), "{}", done.body);
        assert_eq!(person.get(&path).await.status, 404, "the link works once");
        // The person signs in with the password they chose.
        let login = person.get("/login").await;
        let csrf = login.field("csrf").unwrap_or_default();
        let r = person
            .post(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("email", "kango@sakura.example"),
                    ("password", "Hoshi-no-Mori-7%kuma"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_ne!(r.location(), Some("/login"));
        // An existing account: the role only, no link.
        let existing = c
            .post(
                &add,
                &[
                    ("csrf", &token),
                    ("email", "other@sakura.example"),
                    ("role", "it_staff"),
                ],
            )
            .await;
        assert_eq!(existing.status, 200);
        assert!(existing.body.contains("既に Mamori を使っている"));
        assert!(!existing.body.contains("setup-link"));
        let actions = crate::support::actions(&s, a.id, 20).await;
        assert!(
            actions.contains(&"user.setup_link".to_string()),
            "{actions:?}"
        );
    }
}
