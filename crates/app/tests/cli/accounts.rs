//! Accounts and rights from the command line: the roster and captured account lists (Japanese
//! Windows in Shift_JIS, PowerShell, Active Directory, FortiGate) imported, checked against
//! each other, answered in the checklist; bad files refused whole, naming row and column.

use std::path::Path;

use crate::{assert_fails, mamori, stdout};

const ROSTER: &str = "\
職員番号,氏名,職種,部署,入職日,退職日,アカウント
001,山田 太郎,医師,内科,2010/4/1,,yamada
002,佐藤 花子,看護師,外来,2015/4/1,,sato
003,山崎 一郎,医事,受付,2012/4/1,2025/3/31,yamazaki
004,伊藤 健,システム担当,事務,2018/4/1,,ito
";

fn fixture(dir: &Path, name: &str) {
    let from = format!(
        "{}/../../testdata/accounts/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::copy(&from, dir.join(name)).unwrap();
}

fn accounts(dir: &Path, url: &str) -> serde_json::Value {
    let o = mamori(
        dir,
        Some(url),
        &["accounts", "--facility", "sakura", "--format", "json"],
    );
    assert!(o.status.success(), "{}", crate::stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn has(v: &serde_json::Value, account: &str, problem: &str) -> bool {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["account"] == account && f["problem"] == problem)
}

#[tokio::test]
async fn captured_lists_are_checked_against_the_roster_and_answer_the_checklist() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        crate::ledger::setup(dir, &url);
        crate::ledger::write_sjis(&dir.join("台帳.csv"), crate::ledger::LEDGER);
        let o = mamori(
            dir,
            Some(&url),
            &["import", "ledger", "--facility", "sakura", "台帳.csv"],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
        let none = mamori(dir, Some(&url), &["accounts", "--facility", "sakura"]);
        assert!(stdout(&none).contains("まだアカウント一覧が取り込まれていません"));

        crate::ledger::write_sjis(&dir.join("職員名簿.csv"), ROSTER);
        let o = mamori(
            dir,
            Some(&url),
            &["import", "roster", "--facility", "sakura", "職員名簿.csv"],
        );
        assert!(o.status.success(), "{}", crate::stderr(&o));
        assert!(stdout(&o).contains("職員名簿 4 人を取り込みました(うち退職日のある人 1 人)"));

        for f in [
            "net_user_ja.txt",
            "localgroup_admins_ja.txt",
            "net_user_name_ja.txt",
            "get_aduser_ja_memberof_joined.csv",
            "fortigate_show_user_local.txt",
        ] {
            fixture(dir, f);
        }
        // A dry run reads and says, and keeps nothing.
        let dry = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "accounts",
                "--facility",
                "sakura",
                "--system",
                "受付PC",
                "net_user_ja.txt",
                "localgroup_admins_ja.txt",
                "--dry-run",
            ],
        );
        assert!(dry.status.success(), "{}", crate::stderr(&dry));
        assert!(stdout(&dry).contains("確認のみ"), "{}", stdout(&dry));
        assert_eq!(accounts(dir, &url)["accounts"], 0);

        let pc = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "accounts",
                "--facility",
                "sakura",
                "--system",
                "受付ＰＣ",
                "net_user_ja.txt",
                "localgroup_admins_ja.txt",
                "net_user_name_ja.txt",
            ],
        );
        assert!(pc.status.success(), "{}", crate::stderr(&pc));
        assert!(
            stdout(&pc).contains("「受付PC」のアカウント") && stdout(&pc).contains("net-user"),
            "{}",
            stdout(&pc)
        );
        for (system, file) in [
            ("電子カルテサーバ", "get_aduser_ja_memberof_joined.csv"),
            ("FortiGate", "fortigate_show_user_local.txt"),
        ] {
            let o = mamori(
                dir,
                Some(&url),
                &[
                    "import",
                    "accounts",
                    "--facility",
                    "sakura",
                    "--system",
                    system,
                    file,
                ],
            );
            assert!(o.status.success(), "{file}: {}", crate::stderr(&o));
        }
        let v = accounts(dir, &url);
        assert_eq!(v["roster"], 4, "{v}");
        assert!(has(&v, "vendor01", "vendor-domain-admin"), "{v}");
        assert!(has(&v, "nurse", "shared"), "{v}");
        assert!(has(&v, "yamada", "admin-without-need"), "{v}");
        assert!(has(&v, "yamazaki", "leaver"), "{v}");
        let pc = v["systems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "受付PC")
            .unwrap();
        assert!(pc["admins"].as_u64().unwrap() >= 2, "{pc}");
        let table = mamori(dir, Some(&url), &["accounts", "--facility", "sakura"]);
        assert!(
            stdout(&table).contains("受付PC") && stdout(&table).contains("→"),
            "{}",
            stdout(&table)
        );

        // The checklist's 2-④ and 2-⑤ answer from the same data, naming the accounts.
        let sheet = mamori(
            dir,
            Some(&url),
            &["checklist", "--facility", "sakura", "--format", "json"],
        );
        assert!(sheet.status.success(), "{}", crate::stderr(&sheet));
        let c: serde_json::Value = serde_json::from_str(&stdout(&sheet)).unwrap();
        let item = |topic: &str| {
            c["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["topic"] == topic)
                .cloned()
                .unwrap()
        };
        for topic in ["access_rights", "unused_accounts"] {
            let i = item(topic);
            assert_eq!(i["proposal"], "no", "{topic}: {i}");
            assert!(
                i["evidence"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["subject"] == "account"),
                "{topic}: {i}"
            );
        }
    }
}

#[tokio::test]
async fn bad_rosters_and_lists_change_nothing_and_say_where() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        crate::ledger::setup(dir, &url);
        crate::ledger::write_sjis(&dir.join("台帳.csv"), crate::ledger::LEDGER);
        assert!(
            mamori(
                dir,
                Some(&url),
                &["import", "ledger", "--facility", "sakura", "台帳.csv"],
            )
            .status
            .success()
        );
        let dup = "職員番号,氏名,職種\n1,山田,医師\n2,佐藤,看護師\n1,田中,事務\n";
        crate::ledger::write_sjis(&dir.join("dup.csv"), dup);
        let o = mamori(
            dir,
            Some(&url),
            &["import", "roster", "--facility", "sakura", "dup.csv"],
        );
        let err = assert_fails(&o, 2);
        assert!(err.contains("2 行目と 4 行目は同じ人です"), "{err}");
        let bad_date = "氏名,職種,退職日\n山田,医師,昨日\n";
        std::fs::write(dir.join("date.csv"), bad_date).unwrap();
        let o = mamori(
            dir,
            Some(&url),
            &["import", "roster", "--facility", "sakura", "date.csv"],
        );
        let err = assert_fails(&o, 2);
        assert!(err.contains("2 行目「退職日」"), "{err}");
        assert_eq!(accounts(dir, &url)["roster"], 0, "nothing imported");

        let template =
            "アカウント名,職員,管理者権限\nehr01,山田 太郎,はい\nehr02,知らない人,いいえ\n";
        std::fs::write(dir.join("ehr.csv"), template).unwrap();
        let o = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "accounts",
                "--facility",
                "sakura",
                "--system",
                "電子カルテサーバ",
                "ehr.csv",
            ],
        );
        let err = assert_fails(&o, 2);
        assert!(
            err.contains("「ehr.csv」の 2 行目: 「山田 太郎」は職員名簿にいません"),
            "{err}"
        );
        std::fs::write(dir.join("hello.txt"), "hello\n").unwrap();
        let o = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "accounts",
                "--facility",
                "sakura",
                "--system",
                "受付PC",
                "hello.txt",
            ],
        );
        let err = assert_fails(&o, 2);
        assert!(err.contains("アカウントの一覧として読めません"), "{err}");
        let o = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "accounts",
                "--facility",
                "sakura",
                "--system",
                "ない機器",
                "hello.txt",
            ],
        );
        let err = assert_fails(&o, 2);
        assert!(
            err.contains("「ない機器」という機器も外部接続もありません"),
            "{err}"
        );
        let flag = "アカウント名,管理者権限\nx,たぶん\n";
        std::fs::write(dir.join("flag.csv"), flag).unwrap();
        let o = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "accounts",
                "--facility",
                "sakura",
                "--system",
                "受付PC",
                "flag.csv",
            ],
        );
        let err = assert_fails(&o, 2);
        assert!(err.contains("「flag.csv」の 2 行目「管理者権限」"), "{err}");
        assert_eq!(accounts(dir, &url)["accounts"], 0, "nothing imported");
    }
}
