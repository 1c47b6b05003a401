//! `mamori-bench hostile [DIR]`: the hostile corpus of `scripts/hostile-corpus.py` (built
//! into DIR when it is not there) against the parsers and the running server.
//!
//! - Each file in a process of its own, read as the command line reads it (a ledger file
//!   checked as `mamori import ledger --dry-run` does, a feed unpacked and parsed as `mamori
//!   feeds import`, a scan as `mamori import nmap`): wall time, peak RSS and the message. The
//!   baseline, in the same run: a real 100-device ledger read the same way.
//! - The server, in a process of its own: every ledger file uploaded to the preview page of
//!   facility A, then four of the slowest at once while a person of facility B opens its
//!   ledger page again and again (latency against the same page with nothing else running),
//!   150 parallel sign-ins from one address, and a connection that sends half a header.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::{Actor, FacilityKind, Membership, NewFacility, Role, Timestamp};
use testkit::http::Client;

const PASSWORD: &str = "Kr4!mqzp-Tokushima";

fn corpus(dir: &Path) -> Vec<std::path::PathBuf> {
    if !dir.join("MANIFEST.tsv").exists() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/hostile-corpus.py");
        let ok = std::process::Command::new("python3")
            .arg(script)
            .arg(dir)
            .status()
            .unwrap()
            .success();
        assert!(ok, "hostile-corpus.py failed");
    }
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("MANIFEST.tsv"))
        .collect();
    files.sort();
    files
}

fn is_ledger(p: &Path) -> bool {
    let n = p.file_name().unwrap().to_string_lossy();
    ["xlsx", "ods", "csv", "xls"]
        .iter()
        .any(|e| n.starts_with(e) || n.ends_with(&format!(".{e}")))
}

/// One file in this process: prints `ms peak_kib outcome`.
pub async fn one(path: &str) {
    let path = Path::new(path);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let lang = text::Lang::Ja;
    let t = Instant::now();
    let outcome = if is_ledger(path) {
        let dir = tempfile::tempdir().unwrap();
        let (s, scope) = crate::hospital(dir.path()).await;
        match ingest::budget::read_path(path, ingest::budget::Budget::DEFAULT.file_bytes) {
            Err(ingest::budget::ReadCapped::Over(e)) => {
                service::messages::over_budget(lang, &e, &name)
            }
            Err(ingest::budget::ReadCapped::Io(e)) => e.to_string(),
            Ok(bytes) => {
                let r = service::ledger_file::import(
                    &s,
                    &scope,
                    &Actor::System("bench".into()),
                    Timestamp::from_unix_millis(0),
                    &name,
                    bytes.into(),
                    true,
                    (),
                )
                .await;
                match r {
                    Ok(i) => format!("read: {} devices", i.summary.added()),
                    Err(service::ledger_file::ImportFailure::File(p)) => {
                        service::messages::file_problem(lang, &p, &name)
                    }
                    Err(service::ledger_file::ImportFailure::Rows(p)) => format!(
                        "{} problems, first: {}",
                        p.len(),
                        p.first()
                            .map(|p| service::messages::ledger_problem(lang, p))
                            .unwrap_or_default()
                    ),
                    Err(service::ledger_file::ImportFailure::Store(e)) => e.to_string(),
                }
            }
        }
    } else {
        let bytes = std::fs::read(path).unwrap();
        if name.starts_with("nmap") {
            match ingest::nmap::parse(&bytes) {
                Ok(s) => format!("read: {} hosts, no entity expanded", s.hosts.len()),
                Err(p) => service::messages::nmap_problem(lang, &p, &name),
            }
        } else {
            match ingest::unpack::unpack(bytes) {
                Err(p) => service::messages::unpack_problem(lang, &p, &name),
                Ok(bytes) => match ingest::kev::parse(&bytes) {
                    Ok(_) => "read as KEV".into(),
                    Err(ingest::kev::KevProblem::NotKev) => match ingest::jvn::parse(&bytes) {
                        Ok(e) => format!("read: {} JVN entries, no entity expanded", e.len()),
                        Err(ingest::jvn::JvnProblem::NotJvn) => "not a feed".into(),
                        Err(p) => service::messages::jvn_problem(lang, &p, &name),
                    },
                    Err(p) => service::messages::kev_problem(lang, &p, &name),
                },
            }
        }
    };
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let outcome: String = outcome.replace('\n', " ").chars().take(110).collect();
    println!("{ms:.0} {} {outcome}", crate::peak_rss_kib());
}

/// A file's line as a child process printed it: (ms, KiB, outcome).
fn child(exe: &Path, mode: &str, file: &str) -> (f64, f64, String) {
    let out = std::process::Command::new(exe)
        .args([mode, file])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let mut parts = line.splitn(3, ' ');
    let ms = parts
        .next()
        .and_then(|x| x.parse().ok())
        .unwrap_or(f64::NAN);
    let kib = parts
        .next()
        .and_then(|x| x.parse().ok())
        .unwrap_or(f64::NAN);
    let rest = parts.next().unwrap_or("").to_string();
    if !out.status.success() {
        return (
            ms,
            kib,
            format!("FAILED: {}", String::from_utf8_lossy(&out.stderr)),
        );
    }
    (ms, kib, rest)
}

pub fn run(dir: &Path) {
    let files = corpus(dir);
    let exe = std::env::current_exe().unwrap();
    let normal = dir.join("baseline-100-devices.xlsx");
    std::fs::write(&normal, crate::workbook(100)).unwrap();
    let (base_ms, base_kib, _) = child(&exe, "hostile-one", &normal.to_string_lossy());
    println!("hostile corpus, each file in a process of its own, read as the command line does");
    println!(
        "baseline: a real 100-device ledger, {base_ms:.0} ms, peak {:.1} MiB",
        base_kib / 1024.0
    );
    println!(
        "{:<32} {:>9} {:>9} {:>9} {:>9}  outcome",
        "file", "bytes", "ms", "MiB", "MiB/base"
    );
    for f in &files {
        let (ms, kib, outcome) = child(&exe, "hostile-one", &f.to_string_lossy());
        println!(
            "{:<32} {:>9} {:>9.0} {:>9.1} {:>9.2}  {outcome}",
            f.file_name().unwrap().to_string_lossy(),
            std::fs::metadata(f).unwrap().len(),
            ms,
            kib / 1024.0,
            kib / base_kib
        );
    }
    let out = std::process::Command::new(&exe)
        .args(["hostile-server", &dir.to_string_lossy()])
        .status()
        .unwrap();
    assert!(out.success());
}

pub async fn user(s: &store::Store, email: &str, facility: domain::FacilityId, role: Role) {
    let hash =
        service::auth::hash_password(PASSWORD, testkit::SeededEntropy::new(3).as_ref()).unwrap();
    let actor = Actor::System("bench".into());
    let now = Timestamp::from_unix_millis(0);
    let u = s
        .add_user(
            &actor,
            &domain::Email::parse(email).unwrap(),
            None,
            &hash,
            now,
        )
        .await
        .unwrap();
    let m = Membership {
        user: u.id,
        facility,
        role,
        vendor_name: None,
        expires_at: None,
    };
    s.set_membership(&actor, &m, now).await.unwrap();
}

pub async fn signed_in(addr: std::net::SocketAddr, email: &str) -> Client {
    let mut c = Client::new(addr);
    let r = c
        .post("/login", &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    c
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Latencies of `n` openings of `path`: (median, slowest) in ms.
async fn latencies(c: &mut Client, path: &str, n: usize) -> (f64, f64) {
    let mut all = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let r = c.get(path).await;
        assert_eq!(r.status, 200);
        all.push(millis(t.elapsed()));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    all.sort_by(f64::total_cmp);
    (all[all.len() / 2], all[all.len() - 1])
}

/// The server part, in this process: prints its figures.
pub async fn server(dir: &Path) {
    let files = corpus(dir);
    let tmp = tempfile::tempdir().unwrap();
    let (s, scope_a) = crate::hospital(tmp.path()).await;
    let actor = Actor::System("bench".into());
    let b = s
        .add_facility(
            &actor,
            NewFacility::new("other", "となり診療所", FacilityKind::Clinic, Some(0), None).unwrap(),
            Timestamp::from_unix_millis(0),
        )
        .await
        .unwrap();
    let scope_b = s
        .scope(&domain::facility::FacilityRef::Id(b.id))
        .await
        .unwrap();
    let normal = crate::workbook(100);
    crate::import(&s, &scope_b, &normal).await;
    user(&s, "staff@a.example", scope_a.facility(), Role::ItStaff).await;
    user(&s, "staff@b.example", b.id, Role::ItStaff).await;
    let addr = serve(&s).await;
    let mut a = signed_in(addr, "staff@a.example").await;
    let mut bc = signed_in(addr, "staff@b.example").await;
    let token = a
        .get(&format!("/f/{}/", scope_a.facility().0))
        .await
        .field("csrf")
        .unwrap();
    let upload = format!("/f/{}/ledger/import", scope_a.facility().0);
    let page_b = format!("/f/{}/ledger", b.id.0);

    println!();
    println!("the upload page of facility A (one server process; RSS = the server's)");
    println!(
        "{:<32} {:>6} {:>9} {:>12}",
        "file", "status", "ms", "peak MiB"
    );
    for f in files.iter().filter(|f| is_ledger(f)) {
        let bytes = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let t = Instant::now();
        let r = a
            .post_file(&upload, &[("csrf", &token)], ("file", &name, &bytes))
            .await;
        println!(
            "{:<32} {:>6} {:>9.0} {:>12.1}",
            name,
            r.status,
            millis(t.elapsed()),
            crate::peak_rss_kib() as f64 / 1024.0
        );
    }

    println!();
    let (idle_p50, idle_max) = latencies(&mut bc, &page_b, 30).await;
    // The slowest of the corpus on the page, four at once from facility A's people (one at
    // a time per facility: the others are told to come back).
    let slow: Vec<_> = [
        "xlsx-many-merges.xlsx",
        "csv-many-rows.csv",
        "xlsx-deflate-bomb.xlsx",
        "xlsx-far-row.xlsx",
    ]
    .iter()
    .map(|n| std::fs::read(dir.join(n)).unwrap())
    .collect();
    let mut tasks = Vec::new();
    let cookie: String = a
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    for bytes in slow {
        let (path, token, cookie) = (upload.clone(), token.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for _ in 0..3 {
                statuses.push(upload_raw(addr, &cookie, &path, &token, &bytes).await);
            }
            statuses
        }));
    }
    let (busy_p50, busy_max) = latencies(&mut bc, &page_b, 30).await;
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.extend(t.await.unwrap());
    }
    println!(
        "facility B's ledger page: idle median {idle_p50:.1} ms (slowest {idle_max:.1}); \
         during 4×3 hostile uploads to A median {busy_p50:.1} ms (slowest {busy_max:.1}), \
         ratio {:.2}; upload answers {statuses:?}",
        busy_p50 / idle_p50
    );

    // 150 sign-ins at once from one address with wrong passwords.
    let before = crate::peak_rss_kib();
    let t = Instant::now();
    let mut tries = Vec::new();
    for i in 0..150 {
        tries.push(tokio::spawn(async move {
            let mut c = Client::new(addr);
            c.post(
                "/login",
                &[
                    ("email", &format!("guess{i}@a.example")),
                    ("password", "wrong"),
                ],
            )
            .await
            .status
        }));
    }
    let mut answers = std::collections::BTreeMap::new();
    for t in tries {
        *answers.entry(t.await.unwrap()).or_insert(0) += 1;
    }
    println!(
        "150 parallel sign-ins from one address: {answers:?} in {:.0} ms; peak RSS {:.1} → {:.1} MiB",
        millis(t.elapsed()),
        before as f64 / 1024.0,
        crate::peak_rss_kib() as f64 / 1024.0
    );

    // Half a header, then silence.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let t = Instant::now();
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut buf)).await;
    println!(
        "a connection that sends half a header: {}",
        match closed {
            Ok(_) => format!(
                "closed by the server after {:.1} s",
                t.elapsed().as_secs_f64()
            ),
            Err(_) => "still open after 60 s".into(),
        }
    );
}

/// Uploads `bytes` as the page's form does, answered early or not: a server that refuses
/// before reading the body (busy) closes the connection while the client still writes, so
/// write errors are expected and the answer is read all the same.
async fn upload_raw(
    addr: std::net::SocketAddr,
    cookie: &str,
    path: &str,
    token: &str,
    bytes: &[u8],
) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let boundary = "----MamoriBench";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Sec-Fetch-Site: same-origin\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return 0;
    };
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&body).await;
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The real clock, for a server that runs as people use it.
/// Mamori's web server over `s` on a free local port, in this process.
pub async fn serve(s: &store::Store) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = web::AppState::new(
        s.clone(),
        Arc::new(WallClock),
        testkit::SeededEntropy::new(9),
        web::Options {
            tls: false,
            op_prefix: "bench".into(),
            evidence_dir: std::env::temp_dir().join("mamori-bench-evidence"),
            unused_days: domain::accounts::UNUSED_DAYS,
        },
    );
    tokio::spawn(web::serve(listener, state, std::future::pending()));
    addr
}

pub struct WallClock;

impl domain::Clock for WallClock {
    fn now(&self) -> Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Timestamp::from_unix_millis(ms)
    }
}
