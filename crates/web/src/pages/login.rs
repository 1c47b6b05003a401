//! Sign-in: password, then (when the user has one) the six-digit code or a recovery code;
//! sign-out. Failures are counted per account and per network address, and every success,
//! failure and lockout is in the audit chain.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Actor, Email, Timestamp};
use serde::Deserialize;

use super::{Frame, render};
use crate::WebError;
use crate::session::{self, Session};
use store::{LockPolicy, SigninFailure};

use crate::{
    ABSOLUTE_TIMEOUT_MS, AppState, IDLE_TIMEOUT_MS, LOCK_AFTER_FAILURES, LOCK_MS, Lang, Page, auth,
};

pub(crate) const LOCK_POLICY: LockPolicy = LockPolicy {
    after_failures: LOCK_AFTER_FAILURES,
    lock_ms: LOCK_MS,
};

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    frame: Frame,
    email: String,
    notice: Option<String>,
    error: Option<String>,
    csrf: String,
}

#[derive(Template)]
#[template(path = "account/login_code.html")]
struct CodePage {
    frame: Frame,
    error: Option<String>,
    csrf: String,
}

#[derive(Deserialize)]
pub struct Notice {
    expired: Option<String>,
    signed_out: Option<String>,
    setup: Option<String>,
}

pub async fn form(
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    Query(q): Query<Notice>,
) -> Response {
    let notice = if q.expired.is_some() {
        Some(lang.t("login-expired"))
    } else if q.signed_out.is_some() {
        Some(lang.t("login-signed-out"))
    } else if q.setup.is_some() {
        Some(lang.t("login-setup-done"))
    } else {
        None
    };
    login_page(lang, StatusCode::OK, "", notice, None, session.as_ref())
}

fn login_page(
    lang: Lang,
    status: StatusCode,
    email: &str,
    notice: Option<String>,
    error: Option<String>,
    session: Option<&Session>,
) -> Response {
    let page = LoginPage {
        frame: Frame::public(lang, "/login"),
        email: email.to_string(),
        notice,
        error,
        csrf: session
            .map(|s| s.row.csrf_token.clone())
            .unwrap_or_default(),
    };
    render(status, page)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<LoginForm>,
) -> Page {
    let session = session.as_ref();
    if f.email.chars().count() > 254 || f.password.chars().count() > 256 {
        let error = Some(lang.t("login-too-long"));
        return Ok(login_page(
            lang,
            StatusCode::BAD_REQUEST,
            "",
            None,
            error,
            session,
        ));
    }
    // Counted before any work: a flood from one address, or tries at one account from one
    // address after a hold began, are refused without a database look-up or a hash, and in
    // the same words whether the account exists or not.
    if !state.may_try(&f.email, peer.ip()) {
        return Ok(login_page(
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            &f.email,
            None,
            Some(lang.t("login-locked")),
            session,
        ));
    }
    let now = state.now();
    let store = state.store();
    // Sign-in is rare and already slow (Argon2): the moment to drop sessions that ran out.
    let idle = Timestamp::from_unix_millis(now.unix_millis() - IDLE_TIMEOUT_MS);
    let old = Timestamp::from_unix_millis(now.unix_millis() - ABSOLUTE_TIMEOUT_MS);
    store.delete_expired_sessions(idle, old).await?;
    let creds = match Email::parse(&f.email) {
        Ok(email) => store.credentials(&email).await?,
        Err(_) => None,
    };
    let hash = creds.as_ref().map_or_else(
        || auth::decoy_hash().to_string(),
        |c| c.password_hash.clone(),
    );
    let password = f.password.clone();
    let Some(turn) = state.hashing_turn().await else {
        let error = Some(lang.t("login-busy"));
        return Ok(login_page(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            &f.email,
            None,
            error,
            session,
        ));
    };
    let matches = tokio::task::spawn_blocking(move || {
        let matches = auth::verify_password(&password, &hash);
        drop(turn);
        matches
    })
    .await
    .unwrap_or(false);
    let locked = creds
        .as_ref()
        .and_then(|c| c.user.locked_until)
        .is_some_and(|until| until > now);
    let user_id = creds.as_ref().map(|c| c.user.id);
    let Some(creds) = creds.filter(|_| matches && !locked) else {
        let reason = if locked { "locked" } else { "password" };
        return Ok(failure(&state, lang, peer, &f.email, user_id, reason, session).await);
    };
    state.tried_well(&f.email, peer.ip());
    let user = creds.user;
    let stage = if user.totp_enrolled {
        "totp"
    } else {
        match second_factor_required(&state, &user).await? {
            true => "enrol",
            false => "complete",
        }
    };
    if stage != "totp" {
        store.record_signin_success(&user, None, stage, now).await?;
    }
    let token = session::start(&state, session, &user, stage).await?;
    let next = match stage {
        "totp" => "/login/code",
        "enrol" => "/account/second-factor",
        _ => "/",
    };
    Ok((
        [(
            header::SET_COOKIE,
            session::session_cookie(&token, state.tls()),
        )],
        Redirect::to(next),
    )
        .into_response())
}

/// Whether any of the user's facilities requires a second factor of them.
pub async fn second_factor_required(
    state: &AppState,
    user: &domain::User,
) -> Result<bool, store::Error> {
    for access in state.store().memberships(user.id).await? {
        if access.membership.role.needs_second_factor() {
            return Ok(true);
        }
        let f = state
            .store()
            .facility(&domain::facility::FacilityRef::Id(
                access.membership.facility,
            ))
            .await?;
        if f.totp_required_for_all {
            return Ok(true);
        }
    }
    Ok(false)
}

async fn failure(
    state: &AppState,
    lang: Lang,
    peer: SocketAddr,
    email: &str,
    user: Option<domain::UserId>,
    reason: &str,
    session: Option<&Session>,
) -> Response {
    let held_until = state.tried_badly(email, peer.ip());
    let actor = Actor::Remote(peer.ip().to_string());
    let shown: String = email.chars().take(254).collect();
    let failure = SigninFailure {
        actor: &actor,
        email: &shown,
        user,
        reason,
        held_until,
    };
    let locked = match state
        .store()
        .record_signin_failure(failure, None, state.now())
        .await
    {
        Ok(l) => l,
        Err(e) => return WebError::internal(e).into_response(),
    };
    // An account locked after wrong codes answers as a wrong password does: the answer
    // never tells an existing account from an unknown one.
    let (status, message) = if locked || held_until.is_some() {
        (StatusCode::TOO_MANY_REQUESTS, lang.t("login-locked"))
    } else {
        (StatusCode::UNAUTHORIZED, lang.t("login-failed"))
    };
    login_page(lang, status, email, None, Some(message), session)
}

pub async fn code_form(
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
) -> Response {
    let csrf = session.map(|s| s.row.csrf_token).unwrap_or_default();
    render(
        StatusCode::OK,
        CodePage {
            frame: Frame::public(lang, "/login/code"),
            error: None,
            csrf,
        },
    )
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn code_submit(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<CodeForm>,
) -> Page {
    let Some(session) = session else {
        return Ok(Redirect::to("/login").into_response());
    };
    let code_page = |status, error: String| {
        let csrf = session.row.csrf_token.clone();
        render(
            status,
            CodePage {
                frame: Frame::public(lang, "/login/code"),
                error: Some(error),
                csrf,
            },
        )
    };
    if f.code.chars().count() > 32 {
        return Ok(code_page(
            StatusCode::BAD_REQUEST,
            lang.t("login-code-format"),
        ));
    }
    let now = state.now();
    let user = session.user.clone();
    let Some(creds) = state.store().credentials(&user.email).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let accepted = if auth::is_recovery_code(&f.code) {
        state
            .store()
            .use_recovery_code(&user, &auth::recovery_digest(&f.code), now)
            .await
    } else {
        let step = creds
            .totp_secret
            .as_deref()
            .and_then(|s| auth::check_code(s, user.email.as_str(), &f.code, now));
        match step {
            Some(step) => {
                state
                    .store()
                    .record_signin_success(&user, Some(step), "code", now)
                    .await
            }
            None => Ok(false),
        }
    };
    if !accepted? {
        let actor = Actor::Remote(peer.ip().to_string());
        state.source_blocked(peer.ip(), true);
        let failure = SigninFailure {
            actor: &actor,
            email: user.email.as_str(),
            user: Some(user.id),
            reason: "code",
            held_until: None,
        };
        let locked = state
            .store()
            .record_signin_failure(failure, Some(LOCK_POLICY), now)
            .await?;
        return Ok(match locked {
            true => {
                let _ = state.store().delete_session(&session.token_hash).await;
                let page = login_page(
                    lang,
                    StatusCode::TOO_MANY_REQUESTS,
                    "",
                    None,
                    Some(lang.t("login-locked")),
                    None,
                );
                (
                    [(header::SET_COOKIE, session::clear_cookie(state.tls()))],
                    page,
                )
                    .into_response()
            }
            false => code_page(StatusCode::UNAUTHORIZED, lang.t("login-code-wrong")),
        });
    }
    let token = session::start(&state, Some(&session), &user, "complete").await?;
    Ok((
        [(
            header::SET_COOKIE,
            session::session_cookie(&token, state.tls()),
        )],
        Redirect::to("/"),
    )
        .into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(session): Extension<Option<Session>>,
) -> Page {
    if let Some(s) = session {
        state.store().delete_session(&s.token_hash).await?;
        state
            .store()
            .record(
                &s.actor(),
                None,
                "signout",
                "user",
                &s.user.id.to_string(),
                serde_json::json!({}),
                state.now(),
            )
            .await?;
    }
    Ok((
        [(header::SET_COOKIE, session::clear_cookie(state.tls()))],
        Redirect::to("/login?signed_out=1"),
    )
        .into_response())
}
