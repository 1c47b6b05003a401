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

#[tokio::test]
async fn the_demo_serves_a_realistic_clinic_and_its_chain_verifies() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        let (running, page_url, _) = start_demo(dir, Some(&url));
        let addr: std::net::SocketAddr = page_url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        let page = testkit::get(addr, "/", &[]).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("まもり内科クリニック"), "{}", db.backend);
        assert!(page.body.contains(r#"<td class="num">19</td>"#), "19 beds");
        assert!(
            page.body.contains(r#"<td class="num">12</td>"#),
            "12 devices in the ledger"
        );
        drop(running);

        let json = mamori(dir, Some(&url), &["facility", "list", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(v[0]["short_name"], "demo");
        assert_eq!(v[0]["assets"], 12);
        let verify = mamori(dir, Some(&url), &["audit", "verify"]);
        assert!(verify.status.success(), "{}", stdout(&verify));
        assert!(
            stdout(&verify).contains("14 件"),
            "init + facility + 12 assets: {}",
            stdout(&verify)
        );

        // A second start reuses the clinic instead of adding another.
        let (_again, _, lines) = start_demo(dir, Some(&url));
        assert!(lines.iter().any(|l| l.contains("前回のデモ")), "{lines:?}");
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
