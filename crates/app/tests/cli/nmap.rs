use crate::{mamori, stderr, stdout};

fn fixture(name: &str) -> String {
    format!(
        "{}/../../testdata/scans/nmap/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[tokio::test]
async fn a_scan_is_compared_with_the_ledger() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        assert!(
            mamori(
                dir,
                Some(&url),
                &["facility", "add", "lab", "--name", "検査センター"]
            )
            .status
            .success()
        );
        std::fs::write(
            dir.join("l.csv"),
            "機器名,種別,IPアドレス\nNAS,NAS,172.28.1.3\n検査PC,PC,172.28.1.50\n",
        )
        .unwrap();
        assert!(
            mamori(
                dir,
                Some(&url),
                &["import", "ledger", "--facility", "lab", "l.csv"]
            )
            .status
            .success()
        );
        let o = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "nmap",
                "--facility",
                "lab",
                &fixture("libnmap_dionaea_sV_O_allports_scripts.xml"),
            ],
        );
        assert!(o.status.success(), "{}: {}", db.backend, stderr(&o));
        let text = stdout(&o);
        assert!(
            text.contains("「NAS」で ファイル共有(SMB) が開いています(ポート 445)"),
            "{text}"
        );
        assert!(
            text.contains("台帳の「検査PC」が調査に応答しませんでした"),
            "{text}"
        );
        assert!(text.contains("版が空です"), "a version to confirm: {text}");
        let v: serde_json::Value = serde_json::from_str(&stdout(&mamori(
            dir,
            Some(&url),
            &["assets", "--facility", "lab", "--format", "json"],
        )))
        .unwrap();
        assert!(
            v[0]["os_version"].is_null(),
            "nothing is written before a person confirms"
        );

        let wide = mamori(
            dir,
            Some(&url),
            &[
                "import",
                "nmap",
                "--facility",
                "lab",
                &fixture("libnmap_full_sudo6_A_os_sv_24.xml"),
            ],
        );
        assert!(
            stdout(&wide).contains("台帳にない機器がネットワークにあります: 192.168.1.1"),
            "{}",
            stdout(&wide)
        );
        assert!(stdout(&wide).contains("リモートデスクトップ(RDP)"));
        assert!(
            mamori(dir, Some(&url), &["audit", "verify"])
                .status
                .success()
        );
    }
}

#[test]
fn what_is_not_an_nmap_file() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    assert!(
        mamori(
            dir,
            Some(&url),
            &["facility", "add", "lab", "--name", "検査センター"]
        )
        .status
        .success()
    );
    std::fs::write(
        dir.join("page.html"),
        "<html><body>not a scan</body></html>",
    )
    .unwrap();
    std::fs::write(
        dir.join("broken.xml"),
        "<nmaprun><host><status state=\"up\"/></hostx>",
    )
    .unwrap();
    for (file, expected) in [("page.html", "nmap の XML"), ("broken.xml", "壊れています")] {
        let o = mamori(
            dir,
            Some(&url),
            &["import", "nmap", "--facility", "lab", file],
        );
        let err = crate::assert_fails(&o, 2);
        assert!(err.contains(expected), "{file}: {err}");
    }
}
