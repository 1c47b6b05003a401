//! Mamori's web interface: server-rendered pages (askama) in Japanese first, sign-in with a
//! second factor, roles per facility, and the one home of localised text (`i18n`,
//! `messages`), which the command line uses too.
//!
//! Owns: routing, sessions, access checks, CSRF, security headers, page rendering.
//! Must not: build SQL or decide domain rules; handlers call the store's services, and the
//! role rules are `domain::access`.

mod error;
mod pages;
mod routes;
mod security;
mod session;

// The use cases and words the pages render live in `service` and `text`.
pub(crate) use service::{
    auth, checklist, evidence, ledger_file, messages, review, software, vulns,
};
pub(crate) use text::args;

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use domain::{Clock, Entropy, Timestamp};

pub use axum_server::tls_rustls::RustlsConfig as TlsConfig;
pub use error::{Page, WebError};
pub use pages::TERMS;
pub use routes::{Access, RouteInfo, route_table, router};
pub use text::{Arg, Lang};

/// How long a session may stay unused, and how long it may last at all.
pub const IDLE_TIMEOUT_MS: i64 = 30 * 60 * 1000;
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 60 * 60 * 1000;
/// Failed sign-ins in a row, for one account from one network address, that hold that pair
/// back; the first hold lasts `FIRST_LOCK_MS` and each next one twice as long, up to
/// `LOCK_MS`. Unknown addresses behave exactly like known ones.
pub const LOCK_AFTER_FAILURES: i64 = 5;
pub const FIRST_LOCK_MS: i64 = 60 * 1000;
pub const LOCK_MS: i64 = 15 * 60 * 1000;
/// Failed sign-ins from one network address within `SOURCE_WINDOW_MS` before it is refused.
pub const SOURCE_FAILURE_LIMIT: usize = 20;
pub const SOURCE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Settings of the web layer that the binary decides.
#[derive(Debug, Clone)]
pub struct Options {
    /// Served over TLS: cookies get `Secure`.
    pub tls: bool,
    /// Makes operation ids unique across restarts (the binary passes random hex).
    pub op_prefix: String,
    /// Where uploaded evidence files are kept (one folder per facility).
    pub evidence_dir: std::path::PathBuf,
    /// Days without a sign-in after which an account of a facility's system counts as unused.
    pub unused_days: i64,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: store::Store,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    options: Options,
    next_op: AtomicU64,
    failures_by_source: Mutex<HashMap<IpAddr, Vec<Timestamp>>>,
    /// Failures and holds per (account as typed, address).
    holds: Mutex<HashMap<(String, IpAddr), Hold>>,
    /// Password hashes at once: one per core, so a flood of sign-ins cannot hold more
    /// than that many Argon2 buffers (19 MiB each) or starve the other requests.
    hashing: Arc<tokio::sync::Semaphore>,
    /// Ledger imports at once in the deployment, and the facilities importing now.
    imports: Arc<tokio::sync::Semaphore>,
    importing: Arc<Mutex<std::collections::HashSet<i64>>>,
    evaluations: service::jobs::Evaluations,
}

/// Failed sign-ins of one account from one address.
#[derive(Debug, Default, Clone, Copy)]
struct Hold {
    failures: i64,
    holds: u32,
    until: i64,
}

/// Ledger imports running at once in one deployment (reading is one core each).
pub const IMPORTS_AT_ONCE: usize = 2;
/// How long a request waits for its turn to hash a password or import before it is told
/// to try again.
pub const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl AppState {
    pub fn new(
        store: store::Store,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        options: Options,
    ) -> Self {
        let evaluations = service::jobs::Evaluations::new(store.clone(), clock.clone());
        AppState {
            inner: Arc::new(Inner {
                store,
                clock,
                entropy,
                options,
                next_op: AtomicU64::new(1),
                failures_by_source: Mutex::new(HashMap::new()),
                holds: Mutex::new(HashMap::new()),
                hashing: Arc::new(tokio::sync::Semaphore::new(
                    std::thread::available_parallelism().map_or(2, |n| n.get()),
                )),
                imports: Arc::new(tokio::sync::Semaphore::new(IMPORTS_AT_ONCE)),
                importing: Arc::new(Mutex::new(std::collections::HashSet::new())),
                evaluations,
            }),
        }
    }

    pub fn store(&self) -> &store::Store {
        &self.inner.store
    }

    pub fn feed_cache(&self) -> &vulns::FeedCache {
        self.inner.evaluations.cache()
    }

    /// Where uploaded evidence files are kept.
    pub fn evidence_dir(&self) -> &std::path::Path {
        &self.inner.options.evidence_dir
    }

    pub fn unused_days(&self) -> i64 {
        self.inner.options.unused_days
    }

    /// The background jobs that evaluate findings again.
    pub fn evaluations(&self) -> &service::jobs::Evaluations {
        &self.inner.evaluations
    }

    /// After a change of a facility's ledger or connection points: its findings follow, in a
    /// background job (the page answers at once and says 「判定中」 meanwhile).
    pub fn ledger_changed(&self, scope: &store::FacilityScope, actor: &domain::Actor) {
        self.inner.evaluations.request(*scope, actor.clone());
    }

    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    pub fn entropy(&self) -> Arc<dyn Entropy> {
        self.inner.entropy.clone()
    }

    pub fn tls(&self) -> bool {
        self.inner.options.tls
    }

    /// A new id for an error a person may report, also written to the server log.
    pub fn operation_id(&self) -> String {
        let n = self.inner.next_op.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n:04}", self.inner.options.op_prefix)
    }

    /// Waits for a turn to hash a password (at most `QUEUE_WAIT`); `None`: too busy now.
    /// The turn goes with the hashing (into its thread), so a client that leaves does not
    /// free it while the hash still runs.
    pub async fn hashing_turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        tokio::time::timeout(QUEUE_WAIT, self.inner.hashing.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
    }

    /// A turn to import a ledger for `facility`: `Err(true)` when this facility is importing
    /// already, `Err(false)` when the deployment's imports are all busy for `QUEUE_WAIT`.
    pub async fn import_turn(&self, facility: i64) -> Result<ImportTurn, bool> {
        {
            let Ok(mut set) = self.inner.importing.lock() else {
                return Err(false);
            };
            if !set.insert(facility) {
                return Err(true);
            }
        }
        let mut turn = ImportTurn {
            importing: self.inner.importing.clone(),
            facility,
            _permit: None,
        };
        match tokio::time::timeout(QUEUE_WAIT, self.inner.imports.clone().acquire_owned()).await {
            Ok(Ok(permit)) => {
                turn._permit = Some(permit);
                Ok(turn)
            }
            _ => Err(false),
        }
    }

    /// Whether `email` may try a password from `source` now; counts the try against the
    /// address before any hashing, so a flood is refused without work.
    fn may_try(&self, email: &str, source: IpAddr) -> bool {
        let source = source_key(source);
        if self.source_blocked(source, false) {
            return false;
        }
        self.source_blocked(source, true);
        let now = self.now().unix_millis();
        let Ok(holds) = self.inner.holds.lock() else {
            return false;
        };
        holds
            .get(&(hold_key(email), source))
            .is_none_or(|h| h.until <= now)
    }

    /// After a right password: the try does not count against the address.
    fn tried_well(&self, email: &str, source: IpAddr) {
        let source = source_key(source);
        if let Ok(mut map) = self.inner.failures_by_source.lock()
            && let Some(list) = map.get_mut(&source)
        {
            list.pop();
        }
        if let Ok(mut holds) = self.inner.holds.lock() {
            holds.remove(&(hold_key(email), source));
        }
    }

    /// After a wrong password: `Some(until)` when this failure starts a hold.
    fn tried_badly(&self, email: &str, source: IpAddr) -> Option<Timestamp> {
        let source = source_key(source);
        let now = self.now().unix_millis();
        let mut holds = self.inner.holds.lock().ok()?;
        // Old entries go when the map grows (a flood of made-up addresses).
        if holds.len() > 10_000 {
            holds.retain(|_, h| h.until > now - LOCK_MS);
        }
        let h = holds.entry((hold_key(email), source)).or_default();
        h.failures += 1;
        if h.failures < LOCK_AFTER_FAILURES {
            return None;
        }
        h.failures = 0;
        let ms = (FIRST_LOCK_MS << h.holds.min(8)).min(LOCK_MS);
        h.holds += 1;
        h.until = now + ms;
        Some(Timestamp::from_unix_millis(h.until))
    }

    /// Whether `source` has failed too often recently; optionally counts one more failure.
    fn source_blocked(&self, source: IpAddr, add_failure: bool) -> bool {
        let source = source_key(source);
        let now = self.now();
        let Ok(mut map) = self.inner.failures_by_source.lock() else {
            return false;
        };
        let list = map.entry(source).or_default();
        list.retain(|t| now.unix_millis() - t.unix_millis() < SOURCE_WINDOW_MS);
        if add_failure {
            list.push(now);
        }
        let blocked = list.len() >= SOURCE_FAILURE_LIMIT;
        if list.is_empty() {
            map.remove(&source);
        }
        blocked
    }
}

/// The address a limit counts: an IPv6 address by its /64 (one home or office network
/// holds a whole /64, and an attacker rotates addresses inside it freely).
fn source_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(std::net::Ipv6Addr::from(bits))
        }
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The account part of a hold's key: the address as typed, in one case.
fn hold_key(email: &str) -> String {
    email
        .trim()
        .chars()
        .take(254)
        .collect::<String>()
        .to_lowercase()
}

/// A running import's place: the facility is free again when it is dropped. It moves with
/// the reading into its thread, so that a client that leaves frees it only when the reading
/// has stopped.
pub struct ImportTurn {
    importing: Arc<Mutex<std::collections::HashSet<i64>>>,
    facility: i64,
    _permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Drop for ImportTurn {
    fn drop(&mut self) {
        if let Ok(mut set) = self.importing.lock() {
            set.remove(&self.facility);
        }
    }
}

/// How long a client may take to send a request's headers, and to send the next piece of
/// its body: a connection that sends half a request is closed, not kept for ever.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
pub const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The protocol settings both servers share: HTTP/1.1 only (its header read timeout has no
/// HTTP/2 counterpart, and pages gain nothing from HTTP/2 on a hospital's network) with the
/// header read timeout.
fn configure<A: axum_server::accept::Accept<tokio::net::TcpStream, axum::Router>>(
    server: &mut axum_server::Server<std::net::SocketAddr, A>,
) {
    let builder = server.http_builder();
    *builder = builder.clone().http1_only();
    builder
        .http1()
        .header_read_timeout(Some(HEADER_READ_TIMEOUT));
}

/// Ends `handle`'s server when `shutdown` completes (open requests get 5 s).
fn stop_on(
    handle: &axum_server::Handle<SocketAddr>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
}

/// Serves plain HTTP on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::new();
    stop_on(&handle, shutdown);
    let mut server = axum_server::from_tcp(listener.into_std()?)?.handle(handle);
    configure(&mut server);
    server
        .serve(router(state).into_make_service_with_connect_info::<SocketAddr>())
        .await
}

/// The TLS set-up from a PEM certificate chain and private key; fails on files that are
/// not a matching pair.
pub async fn tls_config(
    cert_pem: Vec<u8>,
    key_pem: Vec<u8>,
) -> std::io::Result<axum_server::tls_rustls::RustlsConfig> {
    // One crypto provider for the whole process: ring (aws-lc-rs is not built).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem(cert_pem, key_pem).await?;
    // HTTP/1.1 only, as the server speaks (see `configure`).
    let mut inner = (*config.get_inner()).clone();
    inner.alpn_protocols = vec![b"http/1.1".to_vec()];
    config.reload_from_config(Arc::new(inner));
    Ok(config)
}

/// Serves HTTPS on `listener` until `shutdown` completes.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    config: axum_server::tls_rustls::RustlsConfig,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::new();
    stop_on(&handle, shutdown);
    listener.set_nonblocking(true)?;
    let mut server = axum_server::from_tcp_rustls(listener, config)?.handle(handle);
    configure(&mut server);
    server
        .serve(router(state).into_make_service_with_connect_info::<SocketAddr>())
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_its_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(source_key(a), source_key(b));
        assert_ne!(source_key(a), source_key(c));
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(source_key(mapped), v4);
        assert_eq!(source_key(v4), v4);
    }
}
