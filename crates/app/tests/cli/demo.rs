use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::{command, mamori, stdout};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `mamori demo` on a free port and returns it with the URL it printed.
fn start_demo(dir: &std::path::Path, db: Option<&str>) -> (Running, String, Vec<String>) {
    let mut cmd = command(dir, db);
    cmd.args(["demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    let mut url = None;
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        if let Some(start) = line.find("http://") {
            let rest = &line[start..];
            url = Some(
                rest.split(|c: char| c.is_whitespace() || c == '(' || c == '\u{ff08}')
                    .next()
                    .unwrap()
                    .to_string(),
            );
            lines.push(line);
            break;
        }
        lines.push(line);
    }
    (Running(child), url.expect("demo printed its URL"), lines)
}

fn after<'a>(lines: &'a [String], marker: &str) -> &'a str {
    let line = lines
        .iter()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("{marker} in {lines:?}"));
    line.split(marker).nth(1).unwrap().trim()
}

#[allow(clippy::disallowed_methods)] // The demo runs on the real clock; so must its codes.
fn real_now() -> domain::Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    domain::Timestamp::from_unix_millis(ms as i64)
}

#[tokio::test]
async fn the_demo_serves_a_realistic_clinic_and_its_chain_verifies() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        let (running, page_url, lines) = start_demo(dir, Some(&url));
        let addr: std::net::SocketAddr = page_url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        let signin = after(&lines, "メールアドレス ");
        let email = signin.split_whitespace().next().unwrap();
        let password = after(&lines, "パスワード ");
        let secret = testkit::base32_decode(after(&lines, "): "));
        assert_eq!(
            testkit::get(addr, "/", &[]).await.location(),
            Some("/login"),
            "{}",
            db.backend
        );

        let mut c = testkit::http::Client::new(addr);
        let r = c
            .post("/login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            r.location(),
            Some("/login/code"),
            "{}: {}",
            db.backend,
            r.body
        );
        let token = c.get("/login/code").await.field("csrf").unwrap();
        let code = service::auth::code_at(&secret, email, real_now()).unwrap();
        assert_eq!(
            c.post("/login/code", &[("csrf", &token), ("code", &code)])
                .await
                .location(),
            Some("/")
        );
        let home = c.get("/").await;
        let dashboard = home.location().unwrap().to_string();
        let page = c.get(&dashboard).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("まもり内科クリニック"), "{}", db.backend);
        assert!(
            page.body.contains(r#"id="asset-count">12</p>"#),
            "12 devices in the ledger"
        );
        drop(running);

        let json = mamori(dir, Some(&url), &["facility", "list", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(v[0]["short_name"], "demo");
        assert_eq!(v[0]["beds"], 19);
        assert_eq!(v[0]["assets"], 12);
        let verify = mamori(dir, Some(&url), &["audit", "verify"]);
        assert!(verify.status.success(), "{}", stdout(&verify));

        // A second start reuses the clinic and prints the same sign-in.
        let (_again, _, lines) = start_demo(dir, Some(&url));
        assert!(lines.iter().any(|l| l.contains("前回のデモ")), "{lines:?}");
        assert_eq!(testkit::base32_decode(after(&lines, "): ")), secret);
        let json = mamori(dir, Some(&url), &["facility", "list", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(v.as_array().map(Vec::len), Some(1));
    }
}

#[test]
fn the_demo_keeps_its_own_files_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(dir.path(), None);
    cmd.env_remove("MAMORI_AUDIT_KEY_FILE");
    cmd.args(["demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = Running(cmd.spawn().unwrap());
    let out = child.0.stdout.take().unwrap();
    let first = BufReader::new(out)
        .lines()
        .find(|l| l.as_ref().is_ok_and(|l| l.contains("http://")));
    assert!(first.is_some());
    drop(child);
    assert!(dir.path().join("mamori-demo.db").exists());
    assert!(dir.path().join("mamori-demo.key").exists());
    assert!(!dir.path().join("mamori.db").exists());
}

/// The demo clinic's workbook, exported and imported again, changes nothing — its ways in
/// and vendors included; a CSV of ways in alone adds one, and names a bad choice and an
/// unknown device by row and column.
#[test]
fn the_exported_ways_in_and_vendors_read_back() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    let (running, _, _) = start_demo(dir, Some(&url));
    drop(running);
    let e = mamori(
        dir,
        Some(&url),
        &["export", "ledger", "--facility", "demo", "demo.xlsx"],
    );
    assert!(e.status.success(), "{}", crate::stderr(&e));
    let back = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "demo", "demo.xlsx"],
    );
    assert!(back.status.success(), "{}", crate::stderr(&back));
    let out = stdout(&back);
    assert!(
        out.contains("追加 0 台、変更 0 台、変更なし 12 台")
            && out.contains("院外との接続点: 追加 0 件、変更 0 件、変更なし 2 件")
            && out.contains("事業者: 追加 0 件、変更 0 件")
            && !out.contains("見出しがないので読みませんでした"),
        "{out}"
    );
    let header = "入口の名前,入口の種類,入口の機器,保守業者,つながっている時間,本人確認の方法,接続元の制限,パスワードや証明書を最後に変えた日\n";
    std::fs::write(
        dir.join("入口.csv"),
        format!(
            "{header}給食業者の回線,取引先との回線(給食・検査会社など),FortiGate(院内の出入口),株式会社みなと給食,常時接続,共有のパスワード,なし(どこからでもつながる),2024/4/1\n"
        ),
    )
    .unwrap();
    let added = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "demo", "入口.csv"],
    );
    assert!(added.status.success(), "{}", crate::stderr(&added));
    assert!(
        stdout(&added).contains("院外との接続点: 追加 1 件"),
        "{}",
        stdout(&added)
    );
    let listed = mamori(
        dir,
        Some(&url),
        &["connections", "--facility", "demo", "--format", "json"],
    );
    assert!(
        stdout(&listed).contains("給食業者の回線"),
        "{}",
        stdout(&listed)
    );
    std::fs::write(
        dir.join("bad.csv"),
        format!("{header}X,謎の回線,,,,,,\nY,その他,ない機器,,,,,\n"),
    )
    .unwrap();
    let bad = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "demo", "bad.csv"],
    );
    assert_eq!(bad.status.code(), Some(2));
    let err = crate::stderr(&bad);
    assert!(
        err.contains("2行目『入口の種類』") && err.contains("謎の回線"),
        "{err}"
    );
    std::fs::write(
        dir.join("device.csv"),
        format!("{header}Y,その他,ない機器,,,,,\n"),
    )
    .unwrap();
    let unknown = mamori(
        dir,
        Some(&url),
        &["import", "ledger", "--facility", "demo", "device.csv"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    let err = crate::stderr(&unknown);
    assert!(
        err.contains("2行目『入口の機器』")
            && err.contains("「ない機器」という機器が台帳にありません"),
        "{err}"
    );
}
