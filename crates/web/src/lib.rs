//! Mamori's web interface: server-rendered pages (askama) in Japanese first, sign-in with a
//! second factor, roles per facility, and the one home of localised text (`i18n`,
//! `messages`), which the command line uses too.
//!
//! Owns: routing, sessions, access checks, CSRF, security headers, page rendering.
//! Must not: build SQL or decide domain rules; handlers call the store's services, and the
//! role rules are `domain::access`.

pub mod auth;
pub mod i18n;
pub mod ledger_file;
pub mod messages;
mod pages;
pub mod review;
mod routes;
mod security;
mod session;
pub mod vulns;

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use domain::{Clock, Entropy, Timestamp};

pub use axum_server::tls_rustls::RustlsConfig as TlsConfig;
pub use i18n::{Arg, Lang};
pub use routes::{Access, RouteInfo, route_table, router};

/// How long a session may stay unused, and how long it may last at all.
pub const IDLE_TIMEOUT_MS: i64 = 30 * 60 * 1000;
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 60 * 60 * 1000;
/// Failed sign-ins in a row that lock an account, and for how long.
pub const LOCK_AFTER_FAILURES: i64 = 5;
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
    feeds: vulns::FeedCache,
}

impl AppState {
    pub fn new(
        store: store::Store,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        options: Options,
    ) -> Self {
        AppState {
            inner: Arc::new(Inner {
                store,
                clock,
                entropy,
                options,
                next_op: AtomicU64::new(1),
                failures_by_source: Mutex::new(HashMap::new()),
                feeds: vulns::FeedCache::default(),
            }),
        }
    }

    pub fn store(&self) -> &store::Store {
        &self.inner.store
    }

    pub fn feed_cache(&self) -> &vulns::FeedCache {
        &self.inner.feeds
    }

    /// After a change of a facility's ledger or connection points: its findings follow.
    pub async fn ledger_changed(&self, scope: &store::FacilityScope, actor: &domain::Actor) {
        vulns::after_change(
            self.store(),
            scope,
            actor,
            self.now(),
            Some(self.feed_cache()),
        )
        .await;
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

    /// Whether `source` has failed too often recently; optionally counts one more failure.
    fn source_blocked(&self, source: IpAddr, add_failure: bool) -> bool {
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

/// Serves plain HTTP on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
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
    axum_server::tls_rustls::RustlsConfig::from_pem(cert_pem, key_pem).await
}

/// Serves HTTPS on `listener` until `shutdown` completes.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    config: axum_server::tls_rustls::RustlsConfig,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    listener.set_nonblocking(true)?;
    axum_server::from_tcp_rustls(listener, config)?
        .handle(handle)
        .serve(router(state).into_make_service_with_connect_info::<SocketAddr>())
        .await
}
