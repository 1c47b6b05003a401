use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{assert_fails, command, mamori};

struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn https(addr: &str, cert_der: &[u8], request: &str) -> String {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(cert_der.to_vec()))
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).to_string()
}

#[tokio::test]
async fn serves_https_with_secure_cookies() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let url = db.url_text();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    std::fs::write(dir.join("cert.pem"), certified.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), certified.signing_key.serialize_pem()).unwrap();
    assert!(
        mamori(
            dir,
            Some(&url),
            &["facility", "add", "sakura", "--name", "さくら"]
        )
        .status
        .success()
    );
    let mut add = command(dir, Some(&url));
    add.args([
        "user",
        "add",
        "--facility",
        "sakura",
        "--role",
        "it_staff",
        "--email",
        "staff@sakura.example",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::null());
    let mut child = add.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Kr4!mqzp-Tokushima\n")
        .unwrap();
    assert!(child.wait().unwrap().success());

    let mut serve = command(dir, Some(&url));
    serve
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--tls-cert",
            "cert.pem",
            "--tls-key",
            "key.pem",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut running = Running(serve.spawn().unwrap());
    let out = running.0.stdout.take().unwrap();
    let line = BufReader::new(out)
        .lines()
        .map(Result::unwrap)
        .find(|l| l.contains("https://"))
        .unwrap();
    let addr = line
        .split("https://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();

    let page = https(
        &addr,
        certified.cert.der(),
        "GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("サインイン"));
    assert!(
        page.to_ascii_lowercase()
            .contains("strict-transport-security: max-age=31536000"),
        "HSTS under TLS: {page}"
    );

    let body = "email=staff%40sakura.example&password=Kr4%21mqzp-Tokushima";
    let post = format!(
        "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nSec-Fetch-Site: same-origin\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let signed_in = https(&addr, certified.cert.der(), &post).await;
    assert!(signed_in.starts_with("HTTP/1.1 303"), "{signed_in}");
    let cookie = signed_in
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: __host-mamori_session=")
        })
        .unwrap();
    assert!(
        cookie.contains("Secure")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/")
            && !cookie.contains("Domain"),
        "{cookie}"
    );
}

#[test]
fn a_bad_key_file_is_named() {
    let db = testkit::sqlite();
    let dir = db.dir.path();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    std::fs::write(dir.join("cert.pem"), certified.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), "not a key").unwrap();
    let o = mamori(
        dir,
        Some(&db.url_text()),
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--tls-cert",
            "cert.pem",
            "--tls-key",
            "key.pem",
        ],
    );
    assert!(assert_fails(&o, 2).contains("TLS"));
    assert!(
        !dir.join("mamori.db").exists(),
        "checked before the database is touched"
    );
    let o = mamori(
        dir,
        Some(&db.url_text()),
        &["serve", "--bind", "127.0.0.1:0", "--tls-cert", "cert.pem"],
    );
    assert!(assert_fails(&o, 2).contains("tls_key_file"));
}
