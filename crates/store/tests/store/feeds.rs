use domain::Actor;
use testkit::{T0, each_backend, open_store};

fn record(id: &str, modified: &str, description: &str) -> (String, String) {
    let json = serde_json::json!({
        "id": id,
        "lastModified": modified,
        "descriptions": [{ "lang": "en", "value": description }],
    });
    (id.to_string(), json.to_string())
}

#[tokio::test]
async fn nvd_records_are_counted_and_never_rolled_back() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let actor = Actor::Cli("tester".into());
        let first = [
            record("CVE-2024-21762", "2024-02-10T00:00:00.000", "first"),
            record("CVE-2022-42475", "2023-01-01T00:00:00.000", "old"),
        ];
        let before = s.feed_stamp().await.unwrap();
        let r = s.import_nvd(&actor, &first, "a.json", T0).await.unwrap();
        assert_eq!((r.added, r.changed, r.unchanged, r.older), (2, 0, 0, 0));
        let after = s.feed_stamp().await.unwrap();
        assert!(
            after > before,
            "an import moves the stamp that caches follow"
        );

        let next = [
            record("CVE-2024-21762", "2024-02-10T00:00:00.000", "first"),
            record("CVE-2022-42475", "2025-10-24T12:54:44.420", "revised"),
        ];
        let r = s.import_nvd(&actor, &next, "b.json", T0).await.unwrap();
        assert_eq!((r.added, r.changed, r.unchanged, r.older), (0, 1, 1, 0));

        let r = s
            .import_nvd(&actor, &first[1..], "a.json", T0)
            .await
            .unwrap();
        assert_eq!((r.added, r.changed, r.unchanged, r.older), (0, 0, 0, 1));
        let stored = s.nvd_records().await.unwrap();
        assert_eq!(stored.len(), 2, "{}", db.backend);
        assert!(
            stored.iter().any(|t| t.contains("revised")),
            "{}: the later revision stays",
            db.backend
        );
        let actions: Vec<String> = s
            .recent_audit(None, 3)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        assert_eq!(actions, ["feed.import"; 3]);
        assert!(
            s.verify_audit(store::Chains::All, None)
                .await
                .unwrap()
                .outcome
                .is_ok()
        );
    }
}

#[tokio::test]
async fn jvn_entries_are_kept_as_read_and_never_rolled_back() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let actor = Actor::Cli("tester".into());
        let entry = |modified: &str, title: &str| domain::jvn::JvnEntry {
            id: "JVNDB-2025-001234".into(),
            title: title.into(),
            modified: modified.into(),
            cves: vec!["CVE-2025-0355".into()],
            ..Default::default()
        };
        let newer = entry("2025-02-14T15:30+09:00", "改訂版");
        let r = s
            .import_jvn(&actor, std::slice::from_ref(&newer), "a.xml", T0)
            .await
            .unwrap();
        assert_eq!((r.added, r.changed, r.unchanged, r.older), (1, 0, 0, 0));
        let again = s
            .import_jvn(&actor, std::slice::from_ref(&newer), "a.xml", T0)
            .await
            .unwrap();
        assert_eq!(again.unchanged, 1);
        let old = s
            .import_jvn(
                &actor,
                &[entry("2025-02-10T12:00+09:00", "初版")],
                "old.xml",
                T0,
            )
            .await
            .unwrap();
        assert_eq!(old.older, 1, "{}", db.backend);
        assert_eq!(s.jvn_entries().await.unwrap(), [newer]);
    }
}
