use std::io::Write;
use std::process::Stdio;

use crate::{assert_fails, command, mamori, stdout};

fn add_with_stdin(
    dir: &std::path::Path,
    db: &str,
    args: &[&str],
    input: &str,
) -> std::process::Output {
    let mut cmd = command(dir, Some(db));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn users_are_added_with_a_given_or_generated_password_and_listed() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        assert!(
            mamori(
                dir,
                Some(&url),
                &[
                    "facility",
                    "add",
                    "sakura",
                    "--name",
                    "さくら内科クリニック"
                ]
            )
            .status
            .success()
        );
        assert!(
            mamori(
                dir,
                Some(&url),
                &["facility", "add", "momiji", "--name", "もみじ眼科"]
            )
            .status
            .success()
        );

        let given = add_with_stdin(
            dir,
            &url,
            &[
                "user",
                "add",
                "--facility",
                "sakura",
                "--role",
                "director",
                "--email",
                "Inchou@Sakura.example",
            ],
            "Kr4!mqzp-2026\n",
        );
        assert!(
            given.status.success(),
            "{}: {}",
            db.backend,
            crate::stderr(&given)
        );
        assert!(
            !stdout(&given).contains("初期パスワード"),
            "a given password is not printed"
        );

        let generated = add_with_stdin(
            dir,
            &url,
            &[
                "user",
                "add",
                "--facility",
                "sakura",
                "--role",
                "it_staff",
                "--email",
                "staff@sakura.example",
            ],
            "",
        );
        assert!(generated.status.success(), "{}", crate::stderr(&generated));
        let line = stdout(&generated)
            .lines()
            .find(|l| l.contains("初期パスワード"))
            .unwrap()
            .to_string();
        let password = line.rsplit(": ").next().unwrap();
        assert_eq!(domain::access::check_password(password, &[]), Ok(()));

        // The same person in a second facility: a membership, not a new user.
        let again = mamori(
            dir,
            Some(&url),
            &[
                "user",
                "add",
                "--facility",
                "momiji",
                "--role",
                "viewer",
                "--email",
                "staff@sakura.example",
            ],
        );
        assert!(
            stdout(&again).contains("既存の利用者"),
            "{}",
            stdout(&again)
        );

        let json = mamori(dir, Some(&url), &["user", "list", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(v[0]["email"], "inchou@sakura.example");
        assert_eq!(v[0]["facilities"][0]["role"], "director");
        assert_eq!(v[1]["facilities"].as_array().map(Vec::len), Some(2));
        let table = stdout(&mamori(dir, Some(&url), &["user", "list"]));
        assert!(
            table.contains("sakura:担当者") && table.contains("momiji:閲覧者"),
            "{table}"
        );
    }
}

#[test]
fn weak_passwords_and_bad_fields_are_refused() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    assert!(
        mamori(
            dir,
            Some(&url),
            &[
                "facility",
                "add",
                "sakura",
                "--name",
                "さくら内科クリニック"
            ]
        )
        .status
        .success()
    );
    let base = [
        "user",
        "add",
        "--facility",
        "sakura",
        "--role",
        "director",
        "--email",
        "a@sakura.example",
    ];
    for (input, expected) in [
        ("password\n", "よく使われて"),
        ("short1!\n", "8文字以上"),
        ("sakura-2026-secret\n", "施設の名前"),
    ] {
        let o = add_with_stdin(dir, &url, &base, input);
        let err = assert_fails(&o, 2);
        assert!(err.contains(expected), "{input}: {err}");
    }
    let o = mamori(
        dir,
        Some(&url),
        &[
            "user",
            "add",
            "--facility",
            "sakura",
            "--role",
            "owner",
            "--email",
            "a@sakura.example",
        ],
    );
    assert!(assert_fails(&o, 2).contains("『役割』"));
    let o = mamori(
        dir,
        Some(&url),
        &[
            "user",
            "add",
            "--facility",
            "sakura",
            "--role",
            "vendor",
            "--email",
            "v@vendor.example",
        ],
    );
    assert!(assert_fails(&o, 2).contains("--vendor"));
    let o = mamori(
        dir,
        Some(&url),
        &[
            "user",
            "add",
            "--facility",
            "nowhere",
            "--role",
            "viewer",
            "--email",
            "v@x.example",
        ],
    );
    assert!(assert_fails(&o, 2).contains("nowhere"));
    let list = mamori(dir, Some(&url), &["user", "list", "--format", "json"]);
    assert_eq!(stdout(&list).trim(), "[]", "nothing was added");
}
