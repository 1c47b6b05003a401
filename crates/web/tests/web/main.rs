//! Web stories against the real server on a free port, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use domain::facility::FacilityRef;
use domain::{Actor, AssetKind, FacilityKind, NewAsset, NewFacility};
use testkit::{T0, each_backend, get, open_store, spawn_app};

#[tokio::test]
async fn the_home_page_lists_facilities_from_the_database_in_japanese() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let app = spawn_app(s.clone()).await;
        let empty = get(app.addr, "/", &[]).await;
        assert_eq!(empty.status, 200);
        assert!(
            empty.body.contains("施設はまだ登録されていません"),
            "{}",
            db.backend
        );
        assert!(empty.body.contains(r#"<html lang="ja">"#));

        let f = NewFacility::new(
            "sakura",
            "さくら<内科>クリニック",
            FacilityKind::Clinic,
            Some(19),
            None,
        )
        .unwrap();
        let f = s
            .add_facility(&Actor::Cli("t".into()), f, T0)
            .await
            .unwrap();
        let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
        for name in ["受付PC", "NAS"] {
            let a = NewAsset::new(AssetKind::Pc, name).unwrap();
            s.add_asset(&scope, &Actor::Cli("t".into()), a, T0)
                .await
                .unwrap();
        }
        let page = get(app.addr, "/", &[]).await;
        assert!(
            page.body.contains("さくら&#60;内科&#62;クリニック")
                || page.body.contains("さくら&lt;内科&gt;クリニック"),
            "escaped: {}",
            page.body
        );
        assert!(page.body.contains("診療所"));
        assert!(
            page.body.contains(r#"<td class="num">2</td>"#),
            "asset count from the database"
        );
        assert!(page.body.contains("1 施設"));
    }
}

#[tokio::test]
async fn english_on_request() {
    let db = testkit::sqlite();
    let app = spawn_app(open_store(&db).await).await;
    let by_header = get(app.addr, "/", &[("Accept-Language", "en-US,en;q=0.9")]).await;
    assert!(by_header.body.contains("Registered facilities"));
    assert!(by_header.body.contains(r#"<html lang="en">"#));
    let by_query = get(app.addr, "/?lang=en", &[]).await;
    assert!(by_query.body.contains("0 facilities"));
    let back = get(app.addr, "/?lang=ja", &[("Accept-Language", "en")]).await;
    assert!(back.body.contains("登録されている施設"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let db = testkit::sqlite();
    let app = spawn_app(open_store(&db).await).await;
    for path in ["/", "/no/such/page", "/healthz"] {
        let r = get(app.addr, path, &[]).await;
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    }
}

#[tokio::test]
async fn unknown_pages_say_so_in_japanese() {
    let db = testkit::sqlite();
    let app = spawn_app(open_store(&db).await).await;
    let r = get(app.addr, "/facilities/999", &[]).await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("ページが見つかりません"));
}

#[tokio::test]
async fn the_stylesheet_is_served_and_cached() {
    let db = testkit::sqlite();
    let app = spawn_app(open_store(&db).await).await;
    let page = get(app.addr, "/", &[]).await;
    let href = page
        .body
        .split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    assert!(href.starts_with("/static/mamori-"));
    let css = get(app.addr, href, &[]).await;
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .unwrap_or_default()
            .starts_with("text/css")
    );
    assert!(
        css.header("cache-control")
            .unwrap_or_default()
            .contains("immutable")
    );
}
