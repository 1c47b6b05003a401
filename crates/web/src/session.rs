//! Sessions and the access check in front of every route.
//!
//! The session cookie holds a random token; the database holds only its hash. A session is
//! `totp` (password accepted, code due), `enrol` (must set up a second factor) or
//! `complete`. The guard loads it, ends it when idle or too old, checks the form token of
//! every POST, and for facility routes checks the role in the facility of the path. A
//! facility the user cannot see answers 404 whether or not it exists.

use axum::RequestPartsExt;
use axum::body::{Body, to_bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::facility::FacilityRef;
use domain::{Facility, FacilityId, Membership, Timestamp, User};
use futures_util::StreamExt;
use store::{FacilityScope, SessionRow};

use crate::pages::{self, FORM_LIMIT};
use crate::routes::Access;
use crate::{ABSOLUTE_TIMEOUT_MS, AppState, IDLE_TIMEOUT_MS, Lang, auth};

pub const COOKIE: &str = "mamori_session";
/// The session cookie's name over TLS: a `__Host-` cookie is only taken from a secure origin,
/// for this host and path `/`, so a neighbour on the network cannot plant one.
pub const SECURE_COOKIE: &str = "__Host-mamori_session";
pub const LANG_COOKIE: &str = "mamori_lang";

/// The signed-in (or signing-in) person of a request.
#[derive(Clone)]
pub struct Session {
    pub token_hash: String,
    pub row: SessionRow,
    pub user: User,
}

/// Who acts in a request: the signed-in user, or the web server itself (a public page).
pub fn actor_of(session: &Option<Session>) -> domain::Actor {
    session
        .as_ref()
        .map_or(domain::Actor::System("web".into()), Session::actor)
}

impl Session {
    /// The signed-in user as the audit records name who acted.
    pub fn actor(&self) -> domain::Actor {
        domain::Actor::User {
            id: self.user.id.0,
            email: self.user.email.to_string(),
        }
    }
}

/// The facility of a facility route, as the current user may see it.
#[derive(Clone)]
pub struct FacilityCtx {
    pub facility: Facility,
    pub scope: FacilityScope,
    pub membership: Membership,
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The page language: the user's choice (cookie), then the browser's, then Japanese.
pub fn lang(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// The session cookie's name: `__Host-` over TLS.
pub fn cookie_name(tls: bool) -> &'static str {
    if tls { SECURE_COOKIE } else { COOKIE }
}

/// `; Secure` over TLS: every cookie Mamori sets carries it there.
pub fn secure_attr(tls: bool) -> &'static str {
    if tls { "; Secure" } else { "" }
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, tls: bool) -> String {
    let (name, secure) = (cookie_name(tls), secure_attr(tls));
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// The `Set-Cookie` value that ends it.
pub fn clear_cookie(tls: bool) -> String {
    let (name, secure) = (cookie_name(tls), secure_attr(tls));
    format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// Starts a session at `stage` for `user` and returns the cookie token. Any session the
/// browser had is ended first, so a session id never survives a change of privilege.
pub async fn start(
    state: &AppState,
    old: Option<&Session>,
    user: &User,
    stage: &str,
) -> Result<String, store::Error> {
    if let Some(old) = old {
        state.store().delete_session(&old.token_hash).await?;
    }
    let entropy = state.entropy();
    let token = auth::token(entropy.as_ref());
    let now = state.now();
    let row = SessionRow {
        user: user.id,
        stage: stage.to_string(),
        csrf_token: auth::token(entropy.as_ref()),
        created_at: now,
        last_seen_at: now,
    };
    state
        .store()
        .create_session(&auth::digest(&token), &row)
        .await?;
    Ok(token)
}

fn expired(row: &SessionRow, now: Timestamp) -> bool {
    now.unix_millis() - row.last_seen_at.unix_millis() > IDLE_TIMEOUT_MS
        || now.unix_millis() - row.created_at.unix_millis() > ABSOLUTE_TIMEOUT_MS
}

/// Whether the request carried a session cookie that has just run out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Found {
    None,
    Expired,
}

async fn load(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Result<Session, Found>, store::Error> {
    let name = cookie_name(state.tls());
    let Some(token) = cookie(headers, name).filter(|t| !t.is_empty()) else {
        return Ok(Err(Found::None));
    };
    let hash = auth::digest(&token);
    let Some(row) = state.store().session(&hash).await? else {
        return Ok(Err(Found::Expired));
    };
    if expired(&row, state.now()) {
        state.store().delete_session(&hash).await?;
        return Ok(Err(Found::Expired));
    }
    let user = state.store().user(row.user).await?;
    Ok(Ok(Session {
        token_hash: hash,
        row,
        user,
    }))
}

fn to_login(found: Found) -> Response {
    match found {
        Found::Expired => Redirect::to("/login?expired=1").into_response(),
        Found::None => Redirect::to("/login").into_response(),
    }
}

pub async fn guard(
    State(state): State<AppState>,
    access: Access,
    req: Request,
    next: Next,
) -> Response {
    let lang = lang(req.headers());
    let loaded = match load(&state, req.headers()).await {
        Ok(l) => l,
        Err(e) => return pages::error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let session = match (access, loaded) {
        (Access::Public, Ok(s)) => Some(s),
        (Access::Public, Err(_)) => None,
        (_, Err(found)) => return to_login(found),
        (Access::Pending, Ok(s)) if s.row.stage == "totp" => Some(s),
        (Access::Pending, Ok(_)) => return Redirect::to("/").into_response(),
        (Access::Enrol, Ok(s)) if s.row.stage != "totp" => Some(s),
        (_, Ok(s)) if s.row.stage == "totp" => return Redirect::to("/login/code").into_response(),
        (_, Ok(s)) if s.row.stage == "enrol" => {
            return Redirect::to("/account/second-factor").into_response();
        }
        (_, Ok(s)) => Some(s),
    };
    let (mut parts, body) = req.into_parts();
    // Who may use the route is settled before any of the body is read.
    if let Access::Facility(permission) = access {
        let Some(s) = &session else {
            return Redirect::to("/login").into_response();
        };
        let id = match parts
            .extract::<Path<std::collections::HashMap<String, String>>>()
            .await
        {
            Ok(Path(p)) => p.get("facility").and_then(|f| f.parse::<i64>().ok()),
            Err(_) => None,
        };
        let Some(id) = id else {
            return pages::not_found_page(lang);
        };
        let now = state.now();
        let ctx = match state
            .store()
            .scope_for(s.user.id, FacilityId(id), now)
            .await
        {
            Ok(Some((scope, membership))) => match state
                .store()
                .facility(&FacilityRef::Id(FacilityId(id)))
                .await
            {
                Ok(facility) => FacilityCtx {
                    facility,
                    scope,
                    membership,
                },
                Err(e) => {
                    return pages::error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e);
                }
            },
            Ok(None) => return pages::not_found_page(lang),
            Err(e) => {
                return pages::error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e);
            }
        };
        if !ctx.membership.role.can(permission) {
            return pages::message_page(lang, StatusCode::FORBIDDEN, "error-forbidden");
        }
        parts.extensions.insert(ctx);
    }
    let mut body = body;
    if parts.method == Method::POST
        && let Some(s) = &session
    {
        let from_header = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (given, checked) = match multipart_boundary(&parts.headers) {
            // An upload: only its head is read here (the form puts the token first); the
            // rest streams to the handler after the token matched.
            Some(b) => {
                let (head, rest) = match read_head(body, FORM_LIMIT).await {
                    Ok(h) => h,
                    Err(()) => {
                        return pages::message_page(
                            lang,
                            StatusCode::BAD_REQUEST,
                            "error-form-token",
                        );
                    }
                };
                let given = from_header.or_else(|| multipart_text_field(&head, &b, "csrf"));
                let stream = futures_util::stream::iter([Ok::<_, axum::Error>(head)])
                    .chain(rest.into_data_stream());
                (given, Body::from_stream(stream))
            }
            None => {
                let bytes = match to_bytes(body, FORM_LIMIT).await {
                    Ok(b) => b,
                    Err(_) => {
                        return pages::message_page(
                            lang,
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "error-too-large",
                        );
                    }
                };
                let given = from_header.or_else(|| {
                    form_urlencoded::parse(&bytes)
                        .find(|(k, _)| k == "csrf")
                        .map(|(_, v)| v.into_owned())
                });
                (given, Body::from(bytes))
            }
        };
        if !auth::same(&given.unwrap_or_default(), &s.row.csrf_token) {
            return pages::message_page(lang, StatusCode::FORBIDDEN, "error-form-token");
        }
        body = checked;
    }
    if let Some(s) = &session
        && let Err(e) = state
            .store()
            .touch_session(&s.token_hash, state.now())
            .await
    {
        return pages::error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e);
    }
    parts.extensions.insert(session);
    parts.extensions.insert(lang);
    let res = next.run(Request::from_parts(parts, body)).await;
    // A handler's `WebError`: the error page, in the reader's language.
    match res.extensions().get::<crate::error::Failed>() {
        Some(failed) => pages::error_page(&state, lang, res.status(), &failed.0),
        None => res,
    }
}

/// The first `limit` bytes of a body (fewer when it is shorter), and the body left after them.
async fn read_head(body: Body, limit: usize) -> Result<(axum::body::Bytes, Body), ()> {
    let mut stream = body.into_data_stream();
    let mut head = Vec::new();
    while head.len() < limit {
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(()),
            None => break,
        }
    }
    Ok((head.into(), Body::from_stream(stream)))
}

/// The boundary of a `multipart/form-data` body, if this is one.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !ct.to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    ct.split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
        .next()
}

/// The value of a small text field of a multipart body (the form token), found without
/// parsing the file parts.
fn multipart_text_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let start = body
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())?;
    let rest = &body[start..];
    let value_start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let rest = &rest[value_start..];
    let end_marker = format!("\r\n--{boundary}");
    let end = rest
        .windows(end_marker.len())
        .position(|w| w == end_marker.as_bytes())?;
    std::str::from_utf8(&rest[..end])
        .ok()
        .map(|v| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_token_of_a_multipart_body() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx,y\r\n--XyZ--\r\n";
        assert_eq!(
            multipart_text_field(body, "XyZ", "csrf").as_deref(),
            Some("abc123")
        );
        assert_eq!(multipart_text_field(body, "XyZ", "missing"), None);
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=----WebKitFormBoundaryQ"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            multipart_boundary(&h).as_deref(),
            Some("----WebKitFormBoundaryQ")
        );
    }
}
