//! アカウントと権限 in the browser's way: the roster and a PC's captured `net` output uploaded,
//! shown before anything is kept, confirmed once; a bad roster refused whole with its rows.

use domain::Role;
use domain::facility::FacilityRef;
use testkit::{each_backend, open_store, spawn_app};

use crate::support::{csrf, facility, sign_in, user};

const ROSTER: &str = "職員番号,氏名,職種,退職日,アカウント\n\
001,山田 太郎,医師,,yamada\n\
002,山崎 一郎,医事,2025/3/31,yamazaki\n";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../testdata/accounts/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[tokio::test]
async fn roster_and_a_pcs_accounts_are_previewed_then_kept() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "staff@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let mut c = sign_in(&app, "staff@sakura.example", None).await;
        let token = csrf(&mut c, &a).await;
        let base = format!("/f/{}/", a.id.0);
        let scope = s.scope(&FacilityRef::Id(a.id)).await.unwrap();
        let empty = c.get(&format!("{base}accounts")).await;
        assert_eq!(empty.status, 200);
        assert!(empty.body.contains(r#"id="accounts-empty""#));

        // A roster with one person twice is refused whole, naming the rows.
        let dup = format!("{ROSTER}003,山田 太郎,看護師,,\n").replace("003,", "001,");
        let refused = c
            .post_file(
                &format!("{base}accounts/upload"),
                &[("csrf", &token), ("what", "roster")],
                ("file", "名簿.csv", dup.as_bytes()),
            )
            .await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(
            refused.body.contains("2 行目と 4 行目は同じ人です"),
            "{}",
            refused.body
        );

        let preview = c
            .post_file(
                &format!("{base}accounts/upload"),
                &[("csrf", &token), ("what", "roster")],
                ("file", "名簿.csv", ROSTER.as_bytes()),
            )
            .await;
        assert_eq!(preview.status, 200, "{}: {}", db.backend, preview.body);
        assert!(preview.body.contains("職員名簿 2 人を読み取りました"));
        assert!(preview.body.contains("山崎 一郎"));
        assert!(
            s.roster(&scope).await.unwrap().is_empty(),
            "a preview keeps nothing"
        );
        let pending = preview.field("token").unwrap();
        let done = c
            .post(
                &format!("{base}accounts/confirm"),
                &[("csrf", &token), ("token", &pending)],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(s.roster(&scope).await.unwrap().len(), 2);
        let again = c
            .post(
                &format!("{base}accounts/confirm"),
                &[("csrf", &token), ("token", &pending)],
            )
            .await;
        assert_eq!(again.status, 410, "a confirmation works once");

        // `net user` and the administrators in one Shift_JIS file, as cmd writes them.
        let pc = s
            .assets(&scope)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.details.name == "sakura 受付PC")
            .unwrap();
        let mut both = fixture("net_user_ja.txt");
        both.extend(fixture("localgroup_admins_ja.txt"));
        let system = format!("device:{}", pc.id.0);
        let preview = c
            .post_file(
                &format!("{base}accounts/upload"),
                &[("csrf", &token), ("what", "accounts"), ("system", &system)],
                ("file", "受付PC.txt", &both),
            )
            .await;
        assert_eq!(preview.status, 200, "{}", preview.body);
        assert!(
            preview.body.contains("「sakura 受付PC」のアカウント"),
            "{}",
            preview.body
        );
        assert!(s.system_accounts(&scope).await.unwrap().is_empty());
        let pending = preview.field("token").unwrap();
        let done = c
            .post(
                &format!("{base}accounts/confirm"),
                &[("csrf", &token), ("token", &pending)],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let page = c.get(done.location().unwrap()).await;
        assert!(page.body.contains("アカウント一覧を取り込みました"));
        assert!(
            page.body.contains(r#"id="account-problems""#),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("「sakura 受付PC」の「yamazaki」は"),
            "the leaver"
        );
        assert!(!s.system_accounts(&scope).await.unwrap().is_empty());

        // What a person knows: yamada's default password, kept and audited.
        let declared = c
            .post(
                &format!("{base}accounts/declare"),
                &[
                    ("csrf", &token),
                    ("system", &system),
                    ("account", "yamada"),
                    ("holder", "person"),
                    ("person", "山田 太郎"),
                    ("two_factor", ""),
                    ("default_password", "on"),
                ],
            )
            .await;
        assert_eq!(declared.status, 303, "{}", declared.body);
        let page = c.get(&format!("{base}accounts")).await;
        assert!(
            page.body
                .contains("「sakura 受付PC」の「yamada」は初期パスワードのままです"),
            "{}",
            page.body
        );
        let stranger = c
            .post(
                &format!("{base}accounts/declare"),
                &[
                    ("csrf", &token),
                    ("system", &system),
                    ("account", "yamada"),
                    ("person", "知らない人"),
                ],
            )
            .await;
        assert_eq!(stranger.status, 400);
        assert!(stranger.body.contains("職員名簿にいません"));
        // The roster edited by hand: a person added, another's leave date set.
        let added = c
            .post(
                &format!("{base}accounts/staff"),
                &[
                    ("csrf", &token),
                    ("name", "佐藤 花子"),
                    ("job", "看護師"),
                    ("logins", "sato"),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{}", added.body);
        let twice = c
            .post(
                &format!("{base}accounts/staff"),
                &[("csrf", &token), ("name", "佐藤 花子"), ("job", "看護師")],
            )
            .await;
        assert_eq!(twice.status, 400);
        assert!(twice.body.contains("もう職員名簿にいます"));
        let rows = s.roster_rows(&scope).await.unwrap();
        let yamada = rows.iter().find(|(_, m)| m.name == "山田 太郎").unwrap().0;
        let left = c
            .post(
                &format!("{base}accounts/staff/left"),
                &[
                    ("csrf", &token),
                    ("staff", &yamada.to_string()),
                    ("left", "2020-01-01"),
                ],
            )
            .await;
        assert_eq!(left.status, 303, "{}", left.body);
        let page = c.get(&format!("{base}accounts")).await;
        assert!(
            page.body.contains("2020年1月1日に退職した山田 太郎さん"),
            "{}",
            page.body
        );
        let bad = c
            .post(
                &format!("{base}accounts/staff/left"),
                &[
                    ("csrf", &token),
                    ("staff", &yamada.to_string()),
                    ("left", "昨日"),
                ],
            )
            .await;
        assert_eq!(bad.status, 400);
        // A system of another kind than offered is refused.
        let wrong = c
            .post_file(
                &format!("{base}accounts/upload"),
                &[
                    ("csrf", &token),
                    ("what", "accounts"),
                    ("system", "device:999"),
                ],
                ("file", "受付PC.txt", &both),
            )
            .await;
        assert_eq!(wrong.status, 400);
        assert!(
            wrong
                .body
                .contains("アカウントのあるシステムを選んでください")
        );
    }
}
