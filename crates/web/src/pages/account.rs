//! Setting up the second factor (RFC 6238 codes): a QR code for the authenticator app, the
//! secret for typing by hand, a first code to confirm, then ten recovery codes shown once.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Frame, error_page, render};
use crate::session::{self, Session};
use crate::{AppState, Lang, auth};

#[derive(Template)]
#[template(path = "account/enrol.html")]
struct EnrolPage {
    frame: Frame,
    enrolled: bool,
    qr_svg: String,
    secret: String,
    error: Option<String>,
    csrf: String,
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
struct RecoveryPage {
    frame: Frame,
    codes: Vec<String>,
}

const PATH: &str = "/account/second-factor";

pub async fn enrol_form(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
) -> Response {
    let Some(session) = session else {
        return super::not_found_page(lang);
    };
    if session.user.totp_enrolled {
        return enrol_page(
            &state,
            lang,
            &session,
            true,
            Vec::new(),
            None,
            StatusCode::OK,
        )
        .await;
    }
    let secret = auth::new_totp_secret(state.entropy().as_ref());
    if let Err(e) = state
        .store()
        .start_totp(&session.user, &secret, state.now())
        .await
    {
        return error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e);
    }
    enrol_page(&state, lang, &session, false, secret, None, StatusCode::OK).await
}

async fn enrol_page(
    state: &AppState,
    lang: Lang,
    session: &Session,
    enrolled: bool,
    secret: Vec<u8>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let account = session.user.email.as_str();
    let qr_svg = auth::otpauth_url(&secret, account)
        .and_then(|u| auth::qr_svg(&u))
        .unwrap_or_default();
    let frame = if session.row.stage == "complete" {
        match Frame::signed_in(state, lang, session, PATH, None).await {
            Ok(f) => f,
            Err(e) => return error_page(state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
        }
    } else {
        Frame::public(lang, PATH)
    };
    let page = EnrolPage {
        frame,
        enrolled,
        qr_svg,
        secret: auth::base32(&secret),
        error,
        csrf: session.row.csrf_token.clone(),
    };
    render(status, page)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn enrol_submit(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    Form(f): Form<CodeForm>,
) -> Response {
    let Some(session) = session else {
        return super::not_found_page(lang);
    };
    let now = state.now();
    let creds = match state.store().credentials(&session.user.email).await {
        Ok(Some(c)) => c,
        Ok(None) => return super::not_found_page(lang),
        Err(e) => return error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let (Some(secret), false) = (creds.totp_secret, session.user.totp_enrolled) else {
        return enrol_page(
            &state,
            lang,
            &session,
            session.user.totp_enrolled,
            Vec::new(),
            None,
            StatusCode::OK,
        )
        .await;
    };
    let Some(step) = auth::check_code(&secret, session.user.email.as_str(), &f.code, now) else {
        let error = Some(lang.t("enrol-code-wrong"));
        return enrol_page(
            &state,
            lang,
            &session,
            false,
            secret,
            error,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let codes = auth::recovery_codes(state.entropy().as_ref());
    let hashes: Vec<String> = codes.iter().map(|c| auth::recovery_digest(c)).collect();
    if let Err(e) = state
        .store()
        .confirm_totp(&session.user, step, &hashes, now)
        .await
    {
        return error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e);
    }
    let mut user = session.user.clone();
    user.totp_enrolled = true;
    let token = match session::start(&state, Some(&session), &user, "complete").await {
        Ok(t) => t,
        Err(e) => return error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let page = RecoveryPage {
        frame: Frame::public(lang, PATH),
        codes,
    };
    let cookie = session::session_cookie(&token, state.tls());
    ([(header::SET_COOKIE, cookie)], render(StatusCode::OK, page)).into_response()
}
