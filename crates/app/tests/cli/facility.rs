use crate::{mamori, stdout};

#[tokio::test]
async fn add_then_list_as_table_and_json() {
    for db in testkit::each_backend().await {
        let dir = db.dir.path();
        let url = db.url_text();
        let add = mamori(
            dir,
            Some(&url),
            &[
                "facility",
                "add",
                "sakura",
                "--name",
                "医療法人さくら会 さくら内科クリニック",
                "--kind",
                "診療所",
                "--beds",
                "19",
                "--prefecture",
                "徳島県",
            ],
        );
        assert!(
            add.status.success(),
            "{}: {}",
            db.backend,
            crate::stderr(&add)
        );
        assert!(stdout(&add).contains("さくら内科クリニック"));
        let add2 = mamori(
            dir,
            Some(&url),
            &[
                "facility",
                "add",
                "chuo",
                "--name",
                "県立中央病院",
                "--kind",
                "hospital",
                "--beds",
                "460",
            ],
        );
        assert!(add2.status.success());

        let table = mamori(dir, Some(&url), &["facility", "list"]);
        let text = stdout(&table);
        assert!(
            text.contains("sakura") && text.contains("診療所") && text.contains("徳島県"),
            "{text}"
        );
        assert!(text.contains("病院"));

        let json = mamori(dir, Some(&url), &["facility", "list", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(v[0]["short_name"], "sakura");
        assert_eq!(v[0]["kind"], "clinic");
        assert_eq!(v[0]["beds"], 19);
        assert_eq!(v[0]["prefecture"], 36);
        assert_eq!(v[1]["beds"], 460);
        assert_eq!(v.as_array().map(Vec::len), Some(2));
    }
}

#[tokio::test]
async fn english_output_on_request() {
    let db = testkit::sqlite();
    assert!(
        mamori(db.dir.path(), Some(&db.url_text()), &["migrate"])
            .status
            .success()
    );
    let mut cmd = crate::command(db.dir.path(), Some(&db.url_text()));
    cmd.env("MAMORI_LANG", "en").args(["facility", "list"]);
    let o = cmd.output().unwrap();
    assert!(
        stdout(&o).contains("No facility is registered yet"),
        "{}",
        stdout(&o)
    );
}
