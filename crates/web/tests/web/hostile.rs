//! Hostile clients: uploads refused before their body is read, files over the parsers'
//! budget refused with what went over, redirects that stay on this site, and sign-in holds
//! that neither tell accounts apart nor let an outsider keep a director out.

use domain::Role;
use testkit::{each_backend, open_store, spawn_app};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{One, PASSWORD, facility, signed_in_one, user};

/// A raw request from the loopback address `source`, answered and closed.
async fn raw_from(addr: std::net::SocketAddr, source: [u8; 4], request: &[u8]) -> String {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(std::net::SocketAddr::from((source, 0)))
        .unwrap();
    let mut stream = socket.connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        stream.read_to_end(&mut out),
    )
    .await;
    String::from_utf8_lossy(&out).into_owned()
}

fn login_request(email: &str, password: &str) -> Vec<u8> {
    let body = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        password.replace('!', "%21")
    );
    format!(
        "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nSec-Fetch-Site: same-origin\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn status(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_hold_on_one_address_neither_names_accounts_nor_keeps_the_director_out() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let a = facility(&s, "sakura", "さくら").await;
        user(&s, "inchou@sakura.example", &a, Role::ItStaff, false).await;
        let app = spawn_app(s.clone()).await;
        let outsider = [127, 0, 0, 2];
        let mut answers = Vec::new();
        for email in ["inchou@sakura.example", "nobody@sakura.example"] {
            let mut statuses = Vec::new();
            for _ in 0..web::LOCK_AFTER_FAILURES + 1 {
                let r = raw_from(app.addr, outsider, &login_request(email, "wrong")).await;
                statuses.push(status(&r));
            }
            answers.push(statuses);
        }
        assert_eq!(
            answers[0], answers[1],
            "{}: known and unknown accounts answer alike",
            db.backend
        );
        assert_eq!(answers[0].last(), Some(&429), "{answers:?}");
        // The director, from her own desk, is not kept out by the outsider's tries.
        let own = raw_from(
            app.addr,
            [127, 0, 0, 1],
            &login_request("inchou@sakura.example", PASSWORD),
        )
        .await;
        assert_eq!(status(&own), 303, "{own}");
        // The hold ends, and grows with every new hold.
        app.clock.advance_ms(web::FIRST_LOCK_MS + 1000);
        let again = raw_from(
            app.addr,
            outsider,
            &login_request("inchou@sakura.example", PASSWORD),
        )
        .await;
        assert_eq!(status(&again), 303, "the hold has ended");
    }
}

#[tokio::test]
async fn an_upload_without_the_right_is_refused_before_its_body_is_read() {
    let One {
        app,
        facility: a,
        client: c,
        token,
        _db,
    } = signed_in_one(Role::Viewer).await;
    let cookie: String = c
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    // A body of 30 MB is announced and never sent: the answer must come anyway.
    let head = format!(
        "POST /f/{}/ledger/import HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Sec-Fetch-Site: same-origin\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 30000000\r\n\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n",
        a.id.0
    );
    let r = raw_from(app.addr, [127, 0, 0, 1], head.as_bytes()).await;
    assert_eq!(status(&r), 403, "{r}");
}

#[tokio::test]
async fn a_file_over_the_budget_is_refused_for_what_went_over() {
    let One {
        facility: a,
        client: mut c,
        token,
        app: _app,
        _db,
    } = signed_in_one(Role::ItStaff).await;
    let mut wide = "機器名,".to_string();
    wide.push_str(&"x,".repeat(20_000));
    wide.push_str("\n受付PC\n");
    let r = c
        .post_file(
            &format!("/f/{}/ledger/import", a.id.0),
            &[("csrf", &token)],
            ("file", "wide.csv", wide.as_bytes()),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("16,384 列まで"), "{}", r.body);
    assert!(r.body.len() < 20_000, "the page does not echo the file");
}

#[tokio::test]
async fn back_stays_on_this_site() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let app = spawn_app(s.clone()).await;
    let mut c = testkit::http::Client::new(app.addr);
    for (back, to) in [
        ("/f/1/ledger", "/f/1/ledger"),
        ("/%09/evil.example", "/"),
        ("//evil.example", "/"),
        ("/%0a", "/"),
        ("/%5Cevil.example", "/"),
        ("https://evil.example/", "/"),
    ] {
        let r = c.get(&format!("/lang/en?back={back}")).await;
        assert_eq!(r.status, 303, "{back}");
        assert_eq!(r.location(), Some(to), "{back}");
    }
}

#[tokio::test]
async fn control_characters_are_refused_in_forms() {
    let One {
        facility: a,
        client: mut c,
        token,
        app: _app,
        _db,
    } = signed_in_one(Role::ItStaff).await;
    let r = c
        .post(
            &format!("/f/{}/assets", a.id.0),
            &[
                ("csrf", &token),
                ("name", "受付\u{1b}]0;pwned\u{7}"),
                ("kind", "pc"),
            ],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("制御文字"), "{}", r.body);
    assert!(
        r.body.contains("\\u{1b}"),
        "the message names the character"
    );
}

#[tokio::test]
async fn imports_wait_their_turn_per_facility_and_deployment() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let state = web::AppState::new(
        s,
        testkit::ManualClock::new(testkit::T0),
        testkit::SeededEntropy::new(1),
        web::Options {
            tls: false,
            op_prefix: "t".into(),
            evidence_dir: std::env::temp_dir().join("mamori-hostile-evidence"),
            unused_days: domain::accounts::UNUSED_DAYS,
        },
    );
    let first = state.import_turn(1).await.unwrap();
    assert_eq!(
        state.import_turn(1).await.err(),
        Some(true),
        "one import per facility"
    );
    let second = state.import_turn(2).await.unwrap();
    assert_eq!(
        web::IMPORTS_AT_ONCE,
        2,
        "a third facility now waits up to QUEUE_WAIT"
    );
    drop((first, second));
    assert!(state.import_turn(1).await.is_ok(), "free again");
}
