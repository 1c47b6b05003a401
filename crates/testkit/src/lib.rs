//! Test support: throwaway databases on both backends, a running app on port 0, a tiny HTTP
//! client, and raw SQL for tampering tests. A dev-dependency only; it may panic, since a
//! failed set-up is a failed test.
//!
//! PostgreSQL tests never skip: `MAMORI_TEST_PG_URL` (set by `scripts/test`, which starts a
//! throwaway cluster) must name a server, or every test that asks for PostgreSQL fails.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

pub mod http;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use domain::{AuditKey, Clock, Entropy, Timestamp};
use sqlx::Executor;
use store::{Access, Database, DatabaseUrl, Store};

pub use http::{Response, get};

/// 2026-04-01 09:00 in Japan: the fixed "now" of tests.
pub const T0: Timestamp = Timestamp::from_unix_millis(1_775_001_600_000);

/// The audit key of every test database.
pub fn key() -> AuditKey {
    AuditKey::from_bytes([42; 32])
}

/// A fresh, empty database, removed when dropped (SQLite) or left in the throwaway cluster
/// (PostgreSQL, which `scripts/test` deletes whole).
pub struct TestDb {
    pub url: DatabaseUrl,
    pub backend: &'static str,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    /// The URL with its password, to hand to the `mamori` binary.
    pub fn url_text(&self) -> String {
        match &self.url {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(u) => u.clone(),
        }
    }
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary directory");
    TestDb {
        url: DatabaseUrl::sqlite(dir.path().join("mamori.db")),
        backend: "sqlite",
        dir,
    }
}

pub const PG_ENV: &str = "MAMORI_TEST_PG_URL";

/// A new database in the test cluster named by `MAMORI_TEST_PG_URL`
/// (`postgres://USER@HOST:PORT`, without a database name).
pub async fn postgres() -> TestDb {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let base = std::env::var(PG_ENV).unwrap_or_else(|_| {
        panic!("{PG_ENV} is not set: run ./scripts/test, which starts a throwaway PostgreSQL")
    });
    let base = base.trim_end_matches('/').to_string();
    let name = format!(
        "mamori_t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&format!("{base}/postgres"))
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {base}: {e}"));
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name}"
        )))
        .await
        .unwrap();
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    TestDb {
        url: DatabaseUrl::parse(&format!("{base}/{name}")).unwrap(),
        backend: "postgres",
        dir: tempfile::tempdir().expect("temporary directory"),
    }
}

/// One fresh database on each backend: tests loop over these so every story runs on both.
pub async fn each_backend() -> [TestDb; 2] {
    [sqlite(), postgres().await]
}

/// A migrated store over `db`, keyed with [`key`].
pub async fn open_store(db: &TestDb) -> Store {
    let database = Database::connect(&db.url, Access::ReadWrite).await.unwrap();
    database.migrate(T0).await.unwrap();
    Store::open(database, key(), T0).await.unwrap()
}

/// Runs raw SQL against the database behind the store's back, as an attacker with database
/// access would.
pub async fn exec(db: &TestDb, sql: &str) -> u64 {
    use sqlx::Connection as _;
    let url = connect_url(db);
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    let done = match &db.url {
        DatabaseUrl::Sqlite(_) => {
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            conn.execute(sql).await.map(|d| d.rows_affected())
        }
        DatabaseUrl::Postgres(_) => {
            let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
            conn.execute(sql).await.map(|d| d.rows_affected())
        }
    };
    done.unwrap_or_else(|e| panic!("{e}"))
}

fn connect_url(db: &TestDb) -> String {
    match &db.url {
        DatabaseUrl::Sqlite(p) => format!("sqlite://{}?mode=rw", p.display()),
        DatabaseUrl::Postgres(u) => u.clone(),
    }
}

/// A clock that tests set and move forward.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(t: Timestamp) -> Arc<Self> {
        Arc::new(ManualClock(AtomicI64::new(t.unix_millis())))
    }

    pub fn now_ts(&self) -> Timestamp {
        self.now()
    }

    pub fn advance_ms(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(self.0.load(Ordering::SeqCst))
    }
}

/// Deterministic randomness (SplitMix64): the same test makes the same tokens.
#[derive(Debug)]
pub struct SeededEntropy(Mutex<u64>);

impl SeededEntropy {
    pub fn new(seed: u64) -> Arc<Self> {
        Arc::new(SeededEntropy(Mutex::new(seed)))
    }
}

impl Entropy for SeededEntropy {
    fn fill(&self, buf: &mut [u8]) {
        let mut state = self.0.lock().unwrap();
        for chunk in buf.chunks_mut(8) {
            *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = *state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}

/// The web application serving `store` on 127.0.0.1 at a free port, until dropped.
pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub clock: Arc<ManualClock>,
    pub entropy: Arc<SeededEntropy>,
    state: web::AppState,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestApp {
    /// A browser-like client of this app (keeps cookies, does not follow redirects).
    pub fn client(&self) -> http::Client {
        http::Client::new(self.addr)
    }

    /// The server's state (its background jobs).
    pub fn state(&self) -> &web::AppState {
        &self.state
    }

    /// Waits until the background evaluations of findings that changes started have ended.
    pub async fn settled(&self) {
        self.state.evaluations().settled().await;
    }
}

static NEXT_APP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub async fn spawn_app(store: Store) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let clock = ManualClock::new(T0);
    let entropy = SeededEntropy::new(7);
    // Each app keeps its evidence files in a folder of its own, removed with the process's
    // temporary files.
    let evidence_dir = std::env::temp_dir().join(format!(
        "mamori-evidence-{}-{}",
        std::process::id(),
        NEXT_APP.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let options = web::Options {
        tls: false,
        op_prefix: "test".into(),
        evidence_dir,
        unused_days: domain::accounts::UNUSED_DAYS,
    };
    let state = web::AppState::new(store.clone(), clock.clone(), entropy.clone(), options);
    let handle = state.clone();
    let task = tokio::spawn(async move {
        web::serve(listener, state, std::future::pending())
            .await
            .unwrap();
    });
    TestApp {
        addr,
        store,
        clock,
        entropy,
        state: handle,
        task,
    }
}

/// Decodes the base32 key a person types into an authenticator app (spaces ignored).
pub fn base32_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => continue,
        };
        buf = (buf << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}
