//! BCP in the browser's way: a section written and an over-long one refused as typed, a
//! department's paper operation, the director's approval (staff cannot approve), the check
//! sheet and checklist 3-③ following, and the PDF.

use domain::Role;
use testkit::{each_backend, open_store, spawn_app};

use crate::support::{csrf, facility, sign_in, user};

#[tokio::test]
async fn the_director_completes_and_approves_the_bcp() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let (_, secret) = user(&s, "inchou@sakura.example", &a, Role::Director, true).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let base = format!("/f/{}/bcp", a.id.0);

        let page = c.get(&base).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("まだ承認されていません"),
            "{}",
            page.body
        );
        assert!(page.body.contains("5 つの部分のうち 0 つ"));
        assert!(!page.body.contains("bcp/approve"), "staff do not approve");
        let sheet = c.get(&format!("/f/{}/checklist", a.id.0)).await;
        assert!(
            sheet.body.contains("BCP がまだ書かれていません"),
            "3-③ cannot tell yet"
        );

        let long = "あ".repeat(4001);
        let refused = c
            .post(
                &format!("{base}/section"),
                &[("csrf", &token), ("section", "purpose"), ("body", &long)],
            )
            .await;
        assert_eq!(refused.status, 400);
        assert!(refused.body.contains("4000"), "{}", refused.body);
        for code in ["purpose", "keeping", "roles", "escalation", "prevention"] {
            let saved = c
                .post(
                    &format!("{base}/section"),
                    &[
                        ("csrf", &token),
                        ("section", code),
                        ("body", "院長が決めて職員に知らせる"),
                    ],
                )
                .await;
            assert_eq!(saved.status, 303, "{}", saved.body);
        }
        let no_name = c
            .post(
                &format!("{base}/paper"),
                &[("csrf", &token), ("department", ""), ("procedure", "紙")],
            )
            .await;
        assert_eq!(no_name.status, 400);
        assert!(no_name.body.contains(r#"name="procedure""#));
        let paper = c
            .post(
                &format!("{base}/paper"),
                &[
                    ("csrf", &token),
                    ("department", "外来"),
                    ("procedure", "紙カルテで診察し、会計は手書きの領収書"),
                    ("forms", "紙カルテ\n処方箋"),
                ],
            )
            .await;
        assert_eq!(paper.status, 303, "{}", paper.body);
        let denied = c
            .post(
                &format!("{base}/approve"),
                &[("csrf", &token), ("by", "院長")],
            )
            .await;
        assert_eq!(denied.status, 403);

        let mut d = sign_in(&app, "inchou@sakura.example", secret.as_deref()).await;
        let dt = csrf(&mut d, &a).await;
        let blank = d
            .post(
                &format!("{base}/section"),
                &[("csrf", &dt), ("section", "prevention"), ("body", "")],
            )
            .await;
        assert_eq!(blank.status, 303);
        let incomplete = d
            .post(
                &format!("{base}/approve"),
                &[("csrf", &dt), ("by", "院長 山田")],
            )
            .await;
        assert_eq!(incomplete.status, 400);
        assert!(
            incomplete.body.contains("4.2 再発防止"),
            "{}",
            incomplete.body
        );
        let rewritten = d
            .post(
                &format!("{base}/section"),
                &[
                    ("csrf", &dt),
                    ("section", "prevention"),
                    ("body", "院長が決める"),
                ],
            )
            .await;
        assert_eq!(rewritten.status, 303);
        let future = d
            .post(
                &format!("{base}/approve"),
                &[("csrf", &dt), ("by", "院長 山田"), ("on", "2099-01-01")],
            )
            .await;
        assert_eq!(future.status, 400);
        let approved = d
            .post(
                &format!("{base}/approve"),
                &[("csrf", &dt), ("by", "院長 山田")],
            )
            .await;
        assert_eq!(approved.status, 303, "{}", approved.body);
        let page = d.get(&base).await;
        assert!(page.body.contains("院長 山田 が承認"), "{}", page.body);
        assert!(page.body.contains("5 つの部分のうち 5 つ"));
        assert!(page.body.contains("紙カルテ、処方箋"));
        let sheet = d.get(&format!("/f/{}/checklist", a.id.0)).await;
        assert!(
            sheet.body.contains("BCP は 1 年以内に承認され"),
            "3-③ from the BCP"
        );

        // Text changed after the approval needs it again.
        app.clock.advance_ms(60_000);
        let edited = d
            .post(
                &format!("{base}/section"),
                &[
                    ("csrf", &dt),
                    ("section", "purpose"),
                    ("body", "書き直した目的"),
                ],
            )
            .await;
        assert_eq!(edited.status, 303);
        let page = d.get(&base).await;
        assert!(
            page.body.contains("承認のあとで内容が変わりました"),
            "{}",
            page.body
        );
        let sheet = d.get(&format!("/f/{}/checklist", a.id.0)).await;
        assert!(!sheet.body.contains("BCP は 1 年以内に承認され"));
        let printed = d.get(&format!("{base}/print")).await;
        assert_eq!(printed.status, 200);
        assert_eq!(printed.header("content-type"), Some("application/pdf"));
        assert!(printed.bytes.starts_with(b"%PDF-"));
    }
}
