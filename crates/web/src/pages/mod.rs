//! Pages, one module per area. Each page is an askama template struct plus its handlers;
//! every template extends `base.html`, which draws the frame from [`Frame`].

pub mod account;
pub mod areas;
pub mod asset;
pub mod asset_form;
pub mod audit;
pub mod backups;
pub mod bcp;
pub mod checklist;
pub mod connections;
pub mod facility;
pub mod home;
pub mod incident;
pub mod ledger_import;
pub mod login;
pub mod members;
pub mod review;
pub mod segments;
pub mod system_accounts;
pub mod vulns;

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Permission;
use serde::Deserialize;

use crate::session::{FacilityCtx, LANG_COOKIE, Session};
use crate::{AppState, Lang};

pub const STYLESHEET_PATH: &str = concat!("/static/mamori-", env!("CARGO_PKG_VERSION"), ".css");
const STYLESHEET: &str = include_str!("../../static/mamori.css");
/// The largest form a page accepts; longer requests get 413.
pub const FORM_LIMIT: usize = 64 * 1024;
/// The largest upload (a ledger file and the form around it).
pub const UPLOAD_LIMIT: usize = ingest::table::MAX_BYTES + 64 * 1024;

/// The areas of a facility, in menu order: path under `/f/{id}/`, label id, permission.
/// Areas not built yet (logs, the BCP) are not in the menu: the overview lists them as
/// coming, without links.
const AREAS: [(&str, &str, Permission); 13] = [
    ("", "nav-dashboard", Permission::ViewMaintained),
    ("ledger", "nav-ledger", Permission::ViewMaintained),
    ("connections", "nav-connections", Permission::View),
    ("segments", "nav-segments", Permission::View),
    ("vulnerabilities", "nav-vulnerabilities", Permission::View),
    ("accounts", "nav-accounts", Permission::ViewAccounts),
    ("backups", "nav-backups", Permission::View),
    ("incident", "nav-incident", Permission::View),
    ("bcp", "nav-bcp-page", Permission::View),
    ("review", "nav-review", Permission::View),
    ("checklist", "nav-checklist", Permission::View),
    ("audit", "nav-audit", Permission::ViewAudit),
    ("members", "nav-members", Permission::ManageMembers),
];

pub struct NavItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct Switch {
    pub href: String,
    pub name: String,
    pub current: bool,
}

/// What every page template needs: the language, who is signed in, and the menus.
pub struct Frame {
    pub lang: Lang,
    pub stylesheet: &'static str,
    pub version: &'static str,
    /// The path of this page, so that the language switch comes back to it.
    pub path: String,
    pub email: Option<String>,
    pub csrf: Option<String>,
    pub facility_name: Option<String>,
    pub role: Option<String>,
    pub nav: Vec<NavItem>,
    pub switch: Vec<Switch>,
    /// The facility's findings are being evaluated again (a background job).
    pub evaluating: bool,
    /// What the last action did, said once after it (`?done=saved` after a save).
    pub done: Option<String>,
}

/// The actions whose success a page says after the redirect (`?done=CODE`), each worded as
/// `done-CODE` in the locale files. Anything else in the address is ignored.
const DONE: &[&str] = &[
    "saved",
    "added",
    "restored",
    "product-bound",
    "product-unbound",
    "recorded",
    "removed",
    "contact-added",
    "review-kept",
    "checklist-locked",
    "checklist-round",
    "roster-imported",
    "accounts-imported",
    "linked",
    "unlinked",
    "withdrawn",
];

/// The success message of `?done=CODE` in a page's query.
pub fn done_message(lang: Lang, query: Option<&str>) -> Option<String> {
    let code = query?.split('&').find_map(|kv| kv.strip_prefix("done="))?;
    DONE.contains(&code)
        .then(|| lang.t(&format!("done-{code}")))
}

impl Frame {
    pub fn public(lang: Lang, path: &str) -> Self {
        Frame {
            lang,
            stylesheet: STYLESHEET_PATH,
            version: env!("CARGO_PKG_VERSION"),
            path: path.to_string(),
            email: None,
            csrf: None,
            facility_name: None,
            role: None,
            nav: Vec::new(),
            switch: Vec::new(),
            evaluating: false,
            done: None,
        }
    }

    /// The frame of a signed-in page; with `facility`, the facility's menu too.
    pub async fn signed_in(
        state: &AppState,
        lang: Lang,
        session: &Session,
        path: &str,
        facility: Option<&FacilityCtx>,
    ) -> Result<Self, store::Error> {
        let mut f = Frame::public(lang, path);
        f.email = Some(session.user.email.to_string());
        f.csrf = Some(session.row.csrf_token.clone());
        let now = state.now();
        let current = facility.map(|c| c.facility.id);
        f.switch = state
            .store()
            .memberships(session.user.id)
            .await?
            .into_iter()
            .filter(|a| a.membership.active_at(now))
            .map(|a| Switch {
                href: format!("/f/{}/", a.membership.facility.0),
                name: a.name,
                current: Some(a.membership.facility) == current,
            })
            .collect();
        if let Some(c) = facility {
            let base = format!("/f/{}/", c.facility.id.0);
            f.facility_name = Some(c.facility.name.clone());
            f.role = Some(lang.t(&format!("role-{}", c.membership.role.code())));
            f.nav = AREAS
                .iter()
                .filter(|(_, _, p)| c.membership.role.can(*p))
                .map(|(sub, label, _)| {
                    let href = format!("{base}{sub}");
                    NavItem {
                        current: path == href,
                        href,
                        label: lang.t(label),
                    }
                })
                .collect();
        }
        Ok(f)
    }

    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    /// The glossary's address for a word (`/terms#kev`).
    pub fn term(&self, id: &str) -> String {
        format!("/terms#{id}")
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

    /// The language switch link, which comes back to this page.
    pub fn lang_href(&self) -> String {
        let back: String = form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
        format!("/lang/{}?back={back}", self.other_lang().code())
    }
}

/// Everything a facility page's handler needs, taken from what the session guard put on the
/// request: one extractor instead of five in every handler.
pub struct FacilityPage {
    pub state: AppState,
    pub lang: Lang,
    pub session: Option<Session>,
    pub ctx: FacilityCtx,
    pub uri: OriginalUri,
}

impl FacilityPage {
    /// The signed-in person's form token, for the page's forms.
    pub fn csrf(&self) -> String {
        self.session
            .as_ref()
            .map(|s| s.row.csrf_token.clone())
            .unwrap_or_default()
    }

    /// The frame (menu, facility switcher) every facility page draws around its content.
    pub async fn frame(&self) -> Result<Frame, Response> {
        facility::frame(&self.state, self.lang, &self.session, &self.ctx, &self.uri).await
    }

    /// Who acts: the signed-in user (a guarded facility page always has one).
    pub fn actor(&self) -> domain::Actor {
        crate::session::actor_of(&self.session)
    }
}

impl axum::extract::FromRequestParts<AppState> for FacilityPage {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let session = parts.extensions.get::<Option<Session>>().cloned().flatten();
        // Only routes behind a facility guard have a context; any other use is a routing bug
        // and answers like a page that does not exist.
        let Some(ctx) = parts.extensions.get::<FacilityCtx>().cloned() else {
            return Err(not_found_page(lang));
        };
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .cloned()
            .unwrap_or_else(|| OriginalUri(parts.uri.clone()));
        Ok(FacilityPage {
            state: state.clone(),
            lang,
            session,
            ctx,
            uri,
        })
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    frame: Frame,
    message: String,
    /// The page to go back to and fix what was refused (else only the start page).
    back: Option<String>,
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
        MessagePage {
            frame: Frame::public(lang, "/"),
            message,
            back: None,
        },
    )
}

/// A page that only says one thing (`id` from the locale files) with a status.
pub fn message_page(lang: Lang, status: StatusCode, id: &str) -> Response {
    render(
        status,
        MessagePage {
            frame: Frame::public(lang, "/"),
            message: lang.t(id),
            back: None,
        },
    )
}

/// A page that says `message` (already worded) with a status.
pub fn text_page(lang: Lang, status: StatusCode, message: String) -> Response {
    render(
        status,
        MessagePage {
            frame: Frame::public(lang, "/"),
            message,
            back: None,
        },
    )
}

/// A refusal with the way back to the page where it can be put right.
pub fn refused_page(lang: Lang, message: String, back: String) -> Response {
    render(
        StatusCode::BAD_REQUEST,
        MessagePage {
            frame: Frame::public(lang, "/"),
            message,
            back: Some(back),
        },
    )
}

/// A text field of a multipart form, read a piece at a time and refused as soon as it passes
/// `max` bytes (a form's words are short; the body limit is for the file beside them).
pub(super) async fn capped_text(
    mut field: axum::extract::multipart::Field<'_>,
    max: usize,
) -> Option<String> {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() <= max => {
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            // Too long, or the upload broke off.
            _ => return None,
        }
    }
    String::from_utf8(bytes).ok()
}

pub fn not_found_page(lang: Lang) -> Response {
    message_page(lang, StatusCode::NOT_FOUND, "page-not-found")
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
    not_found_page(crate::session::lang(&headers))
}

/// The words of the glossary, in page order: each `term-ID` and `term-ID-text` in the locale
/// files, reached at `/terms#ID` from wherever the word is used.
pub const TERMS: &[&str] = &[
    "ransomware",
    "vulnerability",
    "cve",
    "kev",
    "cvss",
    "nvd",
    "jvn",
    "cpe",
    "way-in",
    "vpn",
    "utm",
    "source-restriction",
    "shared-password",
    "second-factor",
    "firmware",
    "end-of-support",
    "nas",
    "pacs",
    "ehr",
    "mds2",
    "checked",
    "finding",
    "accept-risk",
    "audit-log",
    "segment",
    "domain-admins",
    "shared-id",
    "builtin-account",
    "staff-roster",
    "rule-3-2-1-1-0",
    "immutable",
    "rpo-rto",
];

#[derive(Template)]
#[template(path = "account/terms.html")]
struct TermsPage {
    frame: Frame,
    /// (anchor, word, explanation)
    terms: Vec<(&'static str, String, String)>,
}

/// 用語の説明: every word the pages use that a director may not know, in one or two plain
/// sentences. Open to everyone (the sign-in page links it too).
pub async fn terms(headers: HeaderMap, uri: OriginalUri) -> Response {
    let lang = crate::session::lang(&headers);
    let page = TermsPage {
        frame: Frame::public(lang, uri.path()),
        terms: TERMS
            .iter()
            .map(|id| {
                (
                    *id,
                    lang.t(&format!("term-{id}")),
                    lang.t(&format!("term-{id}-text")),
                )
            })
            .collect(),
    };
    render(StatusCode::OK, page)
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

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// Only a path on this site is a place to go back to: it begins with one `/`, and holds
/// printable ASCII only (browsers drop tabs and line breaks, so `/\t/evil.example` would be
/// `//evil.example`, another site; a line break would break the header). Anything else: `/`.
pub fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(b)
            if b.starts_with('/')
                && !b.starts_with("//")
                && !b.contains('\\')
                && b.bytes().all(|c| c.is_ascii_graphic()) =>
        {
            b.to_string()
        }
        _ => "/".to_string(),
    }
}

pub async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Back>,
) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return not_found_page(Lang::default());
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{}",
        lang.code(),
        crate::session::secure_attr(state.tls())
    );
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&safe_back(q.back.as_deref())),
    )
        .into_response()
}

/// Formats a time for people: `2026年4月1日 09:00` in Japanese, `2026-04-01 09:00` in English,
/// always Japan time.
pub use text::when;

/// Lays a document out off the request's thread (Typst takes a fraction of a second of CPU)
/// and answers it as a PDF the browser shows, named `name`.
pub async fn pdf(
    lang: Lang,
    name: String,
    layout: impl FnOnce() -> Result<service::Rendered, service::PrintError> + Send + 'static,
) -> crate::Page {
    let rendered = match tokio::task::spawn_blocking(layout)
        .await
        .map_err(|e| crate::WebError::failed(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    {
        Ok(r) => r,
        Err(service::PrintError::Disabled) => {
            return Ok(text_page(
                lang,
                StatusCode::NOT_IMPLEMENTED,
                lang.t("error-print-disabled"),
            ));
        }
        Err(e) => {
            return Err(crate::WebError::failed(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.to_string(),
            ));
        }
    };
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        rendered.pdf,
    )
        .into_response())
}
