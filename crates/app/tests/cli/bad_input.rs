//! Each bad input exits non-zero with one line that says what to do, and changes nothing.

use crate::{assert_fails, mamori, stdout};

#[test]
fn a_bad_database_url() {
    let dir = tempfile::tempdir().unwrap();
    let o = mamori(
        dir.path(),
        Some("mysql://localhost/x"),
        &["facility", "list"],
    );
    let err = assert_fails(&o, 2);
    assert!(
        err.contains("mysql://localhost/x") && err.contains("sqlite://"),
        "{err}"
    );
}

#[test]
fn an_unreachable_postgres_names_the_server_but_not_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let o = mamori(
        dir.path(),
        Some("postgres://mamori:s3cret@127.0.0.1:1/mamori"),
        &["migrate"],
    );
    let err = assert_fails(&o, 2);
    assert!(
        err.contains("127.0.0.1:1") && err.contains("PostgreSQL"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn an_unknown_config_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mamori.toml"),
        "version = 1\ndatabse_url = \"sqlite://x.db\"\n",
    )
    .unwrap();
    let o = mamori(dir.path(), None, &["migrate"]);
    let err = assert_fails(&o, 2);
    assert!(
        err.contains("databse_url") && err.contains("mamori.toml"),
        "{err}"
    );
    assert!(!dir.path().join("x.db").exists() && !dir.path().join("mamori.db").exists());
}

#[tokio::test]
async fn a_database_from_a_newer_mamori() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        assert!(
            mamori(dir, Some(&url), &["facility", "add", "a", "--name", "x"])
                .status
                .success()
        );
        testkit::exec(&db, "INSERT INTO mamori_migrations (version, name, checksum, applied_at) VALUES (99, '0099_future', 'x', 0)").await;
        for args in [
            &["facility", "add", "b", "--name", "y"][..],
            &["migrate"],
            &["migrate", "--check"],
            &["facility", "list"],
        ] {
            let o = mamori(dir, Some(&url), args);
            let err = assert_fails(&o, 2);
            assert!(err.contains("新しい版"), "{}: {args:?}: {err}", db.backend);
        }
        testkit::exec(&db, "DELETE FROM mamori_migrations WHERE version = 99").await;
        let list = mamori(dir, Some(&url), &["facility", "list", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
        assert_eq!(v.as_array().map(Vec::len), Some(1), "nothing was added");
    }
}

#[test]
fn invalid_facility_fields_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["facility", "add", "Sakura Clinic", "--name", "x"],
            "『略称』",
        ),
        (&["facility", "add", "a", "--name", " "], "『正式名称』"),
        (
            &["facility", "add", "a", "--name", "x", "--beds", "25"],
            "『病床数』",
        ),
        (
            &["facility", "add", "a", "--name", "x", "--beds", "多い"],
            "数字で",
        ),
        (
            &[
                "facility",
                "add",
                "a",
                "--name",
                "x",
                "--prefecture",
                "東京府",
            ],
            "『都道府県』",
        ),
    ];
    for (args, expected) in cases {
        let o = mamori(dir.path(), None, args);
        let err = assert_fails(&o, 2);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    assert!(
        !dir.path().join("mamori.db").exists(),
        "validation happens before the database is touched"
    );
}

#[test]
fn migrate_check_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = mamori(dir.path(), None, &["migrate", "--check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("0001_foundation"));
    assert!(!dir.path().join("mamori.db").exists());
    let m = mamori(dir.path(), None, &["migrate"]);
    assert!(m.status.success(), "{}", crate::stderr(&m));
    let again = mamori(dir.path(), None, &["migrate", "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn config_example_is_a_valid_config() {
    let dir = tempfile::tempdir().unwrap();
    let o = mamori(dir.path(), None, &["config", "example"]);
    assert!(o.status.success());
    std::fs::write(dir.path().join("mamori.toml"), &o.stdout).unwrap();
    let m = mamori(dir.path(), None, &["migrate"]);
    assert!(m.status.success(), "{}", crate::stderr(&m));
    assert!(dir.path().join("mamori.db").exists());
}
