//! Pages, one module per area. Each page is an askama template struct plus its handler.

pub mod home;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::AppState;
use crate::i18n::Lang;

pub const STYLESHEET_PATH: &str = concat!("/static/mamori-", env!("CARGO_PKG_VERSION"), ".css");
const STYLESHEET: &str = include_str!("../../static/mamori.css");

/// What every page template needs: the language and the links of the frame.
pub struct Frame {
    pub lang: Lang,
    pub stylesheet: &'static str,
    pub version: &'static str,
}

impl Frame {
    pub fn new(lang: Lang) -> Self {
        Frame {
            lang,
            stylesheet: STYLESHEET_PATH,
            version: env!("CARGO_PKG_VERSION"),
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    pub fn footer(&self) -> String {
        self.lang
            .tr("page-footer", crate::args![version = self.version])
    }

    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

/// The page language: `?lang=` wins, then the browser's `Accept-Language`, then Japanese.
pub fn page_lang(query_lang: Option<&str>, headers: &HeaderMap) -> Lang {
    query_lang
        .and_then(Lang::parse)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    message: String,
}

/// A page that failed: the person sees a plain message and an operation id, the log gets
/// the details under the same id.
pub fn error_page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    detail: &dyn std::fmt::Display,
) -> Response {
    let id = state.operation_id();
    tracing::error!(operation_id = %id, %status, error = %detail, "request failed");
    let message = lang.tr("page-error", crate::args![id = id]);
    render(
        status,
        ErrorPage {
            frame: Frame::new(lang),
            message,
        },
    )
}

pub fn render(status: StatusCode, page: impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

pub async fn not_found(headers: HeaderMap) -> Response {
    let lang = page_lang(None, &headers);
    let page = ErrorPage {
        frame: Frame::new(lang),
        message: lang.t("page-not-found"),
    };
    render(StatusCode::NOT_FOUND, page)
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().database().migration_status().await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => error_page(&state, Lang::default(), StatusCode::SERVICE_UNAVAILABLE, &e),
    }
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLESHEET,
    )
        .into_response()
}
