//! Mamori's web interface: server-rendered pages (askama) in Japanese first, and later a
//! JSON API. Also the one home of localised text (`i18n`, `messages`), which the command
//! line uses too.
//!
//! Owns: routing, request parsing, page rendering, security headers, language choice.
//! Must not: build SQL or decide domain rules; handlers call the store's services.

pub mod i18n;
pub mod messages;
mod pages;
mod security;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::routing::get;

pub use i18n::{Arg, Lang};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: store::Store,
    ops: OperationIds,
}

impl AppState {
    /// `op_prefix` makes operation ids unique across restarts (the binary passes random
    /// hex); ids then count up within the process.
    pub fn new(store: store::Store, op_prefix: String) -> Self {
        AppState {
            inner: Arc::new(Inner {
                store,
                ops: OperationIds {
                    prefix: op_prefix,
                    next: AtomicU64::new(1),
                },
            }),
        }
    }

    pub fn store(&self) -> &store::Store {
        &self.inner.store
    }

    /// A new id for an error a person may report, also written to the server log.
    pub fn operation_id(&self) -> String {
        self.inner.ops.next()
    }
}

struct OperationIds {
    prefix: String,
    next: AtomicU64,
}

impl OperationIds {
    fn next(&self) -> String {
        format!(
            "{}-{:04}",
            self.prefix,
            self.next.fetch_add(1, Ordering::Relaxed)
        )
    }
}

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::page))
        .route("/healthz", get(pages::healthz))
        .route(pages::STYLESHEET_PATH, get(pages::stylesheet))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
