//! Setting up the second factor (RFC 6238 codes): a QR code for the authenticator app, the
//! secret for typing by hand, a first code to confirm, then ten recovery codes shown once.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Frame, render};
use crate::WebError;
use crate::session::{self, Session};
use crate::{AppState, Lang, auth};

#[derive(Template)]
#[template(path = "account/enrol.html")]
struct EnrolPage {
    frame: Frame,
    enrolled: bool,
    /// Where the first code goes: a first set-up, or a new phone replacing the old one.
    action: &'static str,
    new_phone: bool,
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
    /// What was done, said above the codes.
    said: &'static str,
}

const PATH: &str = "/account/second-factor";
/// A new phone's first code.
const NEW_PHONE: &str = "/account/second-factor/new-phone";

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
        return WebError::internal(e).into_response();
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
    let frame = if session.row.stage == "complete" {
        match Frame::signed_in(state, lang, session, PATH, None).await {
            Ok(f) => f,
            Err(e) => return WebError::internal(e).into_response(),
        }
    } else {
        Frame::public(lang, PATH)
    };
    render(
        status,
        EnrolPage::new(frame, session, enrolled, false, &secret, error),
    )
}

impl EnrolPage {
    /// The set-up page (a first phone, or `new_phone`); the key and its QR code only when
    /// one is given (none once enrolled, none again after a wrong code on a new phone).
    fn new(
        frame: Frame,
        session: &Session,
        enrolled: bool,
        new_phone: bool,
        secret: &[u8],
        error: Option<String>,
    ) -> EnrolPage {
        let shown = !secret.is_empty();
        EnrolPage {
            frame,
            enrolled,
            action: if new_phone { NEW_PHONE } else { PATH },
            new_phone,
            qr_svg: shown
                .then(|| auth::otpauth_url(secret, session.user.email.as_str()))
                .flatten()
                .and_then(|u| auth::qr_svg(&u))
                .unwrap_or_default(),
            secret: if shown {
                auth::base32(secret)
            } else {
                String::new()
            },
            error,
            csrf: session.row.csrf_token.clone(),
        }
    }
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
        Err(e) => return WebError::internal(e).into_response(),
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
        return WebError::internal(e).into_response();
    }
    let mut user = session.user.clone();
    user.totp_enrolled = true;
    let token = match session::start(&state, Some(&session), &user, "complete").await {
        Ok(t) => t,
        Err(e) => return WebError::internal(e).into_response(),
    };
    let page = RecoveryPage {
        frame: Frame::public(lang, PATH),
        codes,
        said: "enrol-done",
    };
    let cookie = session::session_cookie(&token, state.tls());
    ([(header::SET_COOKIE, cookie)], render(StatusCode::OK, page)).into_response()
}

#[derive(Template)]
#[template(path = "account/account.html")]
struct AccountPage {
    frame: Frame,
    email: String,
    name: String,
    /// Facilities and roles, in words.
    facilities: Vec<String>,
    enrolled: bool,
    codes_left: i64,
    errors: Vec<String>,
    done: Option<String>,
    csrf: String,
}

const ACCOUNT: &str = "/account";

async fn account_page(
    state: &AppState,
    lang: Lang,
    session: &Session,
    errors: Vec<String>,
    done: Option<String>,
) -> Response {
    let loaded = async {
        let frame = Frame::signed_in(state, lang, session, ACCOUNT, None).await?;
        let access = state.store().memberships(session.user.id).await?;
        let left = state.store().recovery_codes_left(session.user.id).await?;
        Ok::<_, store::Error>((frame, access, left))
    };
    let (frame, access, codes_left) = match loaded.await {
        Ok(l) => l,
        Err(e) => return WebError::internal(e).into_response(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = AccountPage {
        frame,
        email: session.user.email.to_string(),
        name: session.user.display_name.clone().unwrap_or_default(),
        facilities: access
            .iter()
            .map(|a| {
                format!(
                    "{}({})",
                    a.name,
                    lang.t(&format!("role-{}", a.membership.role.code()))
                )
            })
            .collect(),
        enrolled: session.user.totp_enrolled,
        codes_left,
        errors,
        done,
        csrf: session.row.csrf_token.clone(),
    };
    render(status, page)
}

/// The signed-in person's own page: who they are, where, and what they can change.
pub async fn account(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
) -> Response {
    let Some(session) = session else {
        return super::not_found_page(lang);
    };
    account_page(&state, lang, &session, Vec::new(), None).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

/// Whether `password` is the person's current one (Argon2 off the request threads). A wrong
/// one counts like a failed sign-in: after as many, the account is held and this session ends
/// (`Err` is then the sign-in page), so a session left open is no way to guess the password.
async fn is_current(
    state: &AppState,
    session: &Session,
    password: String,
) -> Result<bool, Response> {
    let now = state.now();
    let creds = match state.store().credentials(&session.user.email).await {
        Ok(Some(c)) => c,
        Ok(None) => return Ok(false),
        Err(e) => {
            return Err(WebError::internal(e).into_response());
        }
    };
    let held = creds.user.locked_until.is_some_and(|t| t > now);
    let hash = creds.password_hash.clone();
    let right = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| WebError::internal(e).into_response())?;
    if right && !held {
        return Ok(true);
    }
    failed(state, session, "account-password", held).await
}

/// Counts a wrong password or code given on the account page like a failed sign-in. `false`
/// while the account is not held; once it is, this session ends (`Err` is then the sign-in
/// page).
async fn failed(
    state: &AppState,
    session: &Session,
    reason: &str,
    held: bool,
) -> Result<bool, Response> {
    let actor = session.actor();
    let failure = store::SigninFailure {
        actor: &actor,
        email: session.user.email.as_str(),
        user: Some(session.user.id),
        reason,
        held_until: None,
    };
    match state
        .store()
        .record_signin_failure(failure, Some(super::login::LOCK_POLICY), state.now())
        .await
    {
        Ok(false) if !held => Ok(false),
        Ok(_) => {
            let _ = state.store().delete_session(&session.token_hash).await;
            Err((
                [(header::SET_COOKIE, session::clear_cookie(state.tls()))],
                axum::response::Redirect::to("/login?expired=1"),
            )
                .into_response())
        }
        Err(e) => Err(WebError::internal(e).into_response()),
    }
}

/// Changes one's own password: the current one first, the new one twice, the checklist's
/// rule; the person's other sessions end.
pub async fn change_password(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    Form(f): Form<PasswordForm>,
) -> Response {
    let Some(session) = session else {
        return super::not_found_page(lang);
    };
    match is_current(&state, &session, f.current.clone()).await {
        Ok(true) => {}
        Ok(false) => {
            return account_page(
                &state,
                lang,
                &session,
                vec![lang.t("account-current-wrong")],
                None,
            )
            .await;
        }
        Err(r) => return r,
    }
    if f.new != f.again {
        return account_page(
            &state,
            lang,
            &session,
            vec![lang.t("account-new-differ")],
            None,
        )
        .await;
    }
    let names: Vec<String> = match state.store().memberships(session.user.id).await {
        Ok(list) => list
            .into_iter()
            .flat_map(|a| [a.short_name, a.name])
            .collect(),
        Err(e) => return WebError::internal(e).into_response(),
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    if let Err(e) = domain::access::check_password(&f.new, &names) {
        return account_page(
            &state,
            lang,
            &session,
            vec![crate::messages::domain_error(lang, &e)],
            None,
        )
        .await;
    }
    let hash = match hash_off_thread(&state, f.new).await {
        Ok(h) => h,
        Err(e) => return WebError::internal(e).into_response(),
    };
    if let Err(e) = state
        .store()
        .change_password(&session.user, &hash, Some(&session.token_hash), state.now())
        .await
    {
        return WebError::internal(e).into_response();
    }
    account_page(
        &state,
        lang,
        &session,
        Vec::new(),
        Some(lang.t("account-password-changed")),
    )
    .await
}

/// The password and a second-factor code, for a change of the second factor itself.
#[derive(Deserialize)]
pub struct FactorsForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    code: String,
}

/// New recovery codes (the old ones stop working), shown once; the password first.
pub async fn renew_recovery_codes(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    Form(f): Form<FactorsForm>,
) -> Response {
    let Some(session) = session else {
        return super::not_found_page(lang);
    };
    if !session.user.totp_enrolled {
        return account_page(
            &state,
            lang,
            &session,
            vec![lang.t("account-no-factor")],
            None,
        )
        .await;
    }
    match both_factors(&state, &session, f.current, &f.code, "recovery-codes").await {
        Ok(None) => {}
        Ok(Some(refused)) => {
            return account_page(&state, lang, &session, vec![lang.t(refused)], None).await;
        }
        Err(r) => return r,
    }
    let codes = auth::recovery_codes(state.entropy().as_ref());
    let hashes: Vec<String> = codes.iter().map(|c| auth::recovery_digest(c)).collect();
    if let Err(e) = state
        .store()
        .replace_recovery_codes(&session.user, &hashes, state.now())
        .await
    {
        return WebError::internal(e).into_response();
    }
    let frame = match Frame::signed_in(&state, lang, &session, ACCOUNT, None).await {
        Ok(f) => f,
        Err(e) => return WebError::internal(e).into_response(),
    };
    render(
        StatusCode::OK,
        RecoveryPage {
            frame,
            codes,
            said: "account-codes-renewed",
        },
    )
}

#[derive(Template)]
#[template(path = "account/setup.html")]
struct SetupPage {
    frame: Frame,
    email: String,
    errors: Vec<String>,
}

async fn setup_page(state: &AppState, lang: Lang, token: &str, errors: Vec<String>) -> Response {
    let user = match state
        .store()
        .setup_link_user(&auth::digest(token), state.now())
        .await
    {
        Ok(Some(u)) => u,
        Ok(None) => return super::message_page(lang, StatusCode::NOT_FOUND, "setup-link-gone"),
        Err(e) => return WebError::internal(e).into_response(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(
        status,
        SetupPage {
            frame: Frame::public(lang, "/setup"),
            email: user.email.to_string(),
            errors,
        },
    )
}

/// The one-time link a director handed over: the person sets their own password.
pub async fn setup_form(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    setup_page(&state, lang, &token, Vec::new()).await
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

pub async fn setup_submit(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    axum::extract::Path(token): axum::extract::Path<String>,
    Form(f): Form<SetupForm>,
) -> Response {
    let digest = auth::digest(&token);
    let user = match state.store().setup_link_user(&digest, state.now()).await {
        Ok(Some(u)) => u,
        Ok(None) => return super::message_page(lang, StatusCode::NOT_FOUND, "setup-link-gone"),
        Err(e) => return WebError::internal(e).into_response(),
    };
    if f.new != f.again {
        return setup_page(&state, lang, &token, vec![lang.t("account-new-differ")]).await;
    }
    let names: Vec<String> = match state.store().memberships(user.id).await {
        Ok(list) => list
            .into_iter()
            .flat_map(|a| [a.short_name, a.name])
            .collect(),
        Err(e) => return WebError::internal(e).into_response(),
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    if let Err(e) = domain::access::check_password(&f.new, &names) {
        let text = crate::messages::domain_error(lang, &e);
        return setup_page(&state, lang, &token, vec![text]).await;
    }
    let hash = match auth::hash_password(&f.new, state.entropy().as_ref()) {
        Ok(h) => h,
        Err(e) => return WebError::internal(e).into_response(),
    };
    match state
        .store()
        .complete_setup(&digest, &hash, state.now())
        .await
    {
        Ok(true) => axum::response::Redirect::to("/login?setup=1").into_response(),
        Ok(false) => super::message_page(lang, StatusCode::NOT_FOUND, "setup-link-gone"),
        Err(e) => WebError::internal(e).into_response(),
    }
}

/// Hashes a new password on a blocking thread (Argon2 takes the better part of a second).
async fn hash_off_thread(state: &AppState, password: String) -> Result<String, String> {
    let entropy = state.entropy().clone();
    tokio::task::spawn_blocking(move || auth::hash_password(&password, entropy.as_ref()))
        .await
        .map_err(|e| e.to_string())?
}

/// The password and a second-factor code (the phone's, or an unused recovery code), for a
/// change of the second factor itself: a session and a password alone must not be enough to
/// take it over. `Some(message id)` when refused; wrong ones count like failed sign-ins.
async fn both_factors(
    state: &AppState,
    session: &Session,
    password: String,
    code: &str,
    purpose: &str,
) -> Result<Option<&'static str>, Response> {
    if !session.user.totp_enrolled {
        return Ok(Some("account-no-factor"));
    }
    if !is_current(state, session, password).await? {
        return Ok(Some("account-current-wrong"));
    }
    let now = state.now();
    let user = &session.user;
    let code = code.trim();
    let accepted = if code.is_empty() || code.chars().count() > 32 {
        Ok(false)
    } else if auth::is_recovery_code(code) {
        state
            .store()
            .use_recovery_code(user, &auth::recovery_digest(code), now)
            .await
    } else {
        let secret = match state.store().credentials(&user.email).await {
            Ok(c) => c.and_then(|c| c.totp_secret),
            Err(e) => {
                return Err(WebError::internal(e).into_response());
            }
        };
        match secret.and_then(|s| auth::check_code(&s, user.email.as_str(), code, now)) {
            Some(step) => state.store().use_totp_step(user, step, purpose, now).await,
            None => Ok(false),
        }
    };
    match accepted {
        Ok(true) => Ok(None),
        Ok(false) => {
            failed(state, session, "account-code", false).await?;
            Ok(Some("account-phone-code-wrong"))
        }
        Err(e) => Err(WebError::internal(e).into_response()),
    }
}

/// A new phone: the password and a code from the old phone (or a recovery code) first; then
/// a new key is shown. The old phone keeps working until the new one's first code is
/// confirmed (`new_phone`); then it stops, new recovery codes are shown and the person's
/// other sessions end.
pub async fn reenrol(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    Form(f): Form<FactorsForm>,
) -> Response {
    let Some(session) = session else {
        return super::not_found_page(lang);
    };
    match both_factors(&state, &session, f.current, &f.code, "new-phone").await {
        Ok(None) => {}
        Ok(Some(refused)) => {
            return account_page(&state, lang, &session, vec![lang.t(refused)], None).await;
        }
        Err(r) => return r,
    }
    let secret = auth::new_totp_secret(state.entropy().as_ref());
    if let Err(e) = state
        .store()
        .start_totp_replacement(&session.user, &secret, state.now())
        .await
    {
        return WebError::internal(e).into_response();
    }
    new_phone_page(&state, lang, &session, secret, None, StatusCode::OK).await
}

async fn new_phone_page(
    state: &AppState,
    lang: Lang,
    session: &Session,
    secret: Vec<u8>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let frame = match Frame::signed_in(state, lang, session, ACCOUNT, None).await {
        Ok(f) => f,
        Err(e) => return WebError::internal(e).into_response(),
    };
    // Shown once, when the change starts (an empty key: not again after a wrong code).
    render(
        status,
        EnrolPage::new(frame, session, false, true, &secret, error),
    )
}

/// The new phone's first code: it replaces the old phone from now on.
pub async fn new_phone(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    Form(f): Form<CodeForm>,
) -> Response {
    let Some(session) = session else {
        return super::not_found_page(lang);
    };
    let now = state.now();
    let pending = match state.store().pending_totp(session.user.id, now).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            return account_page(
                &state,
                lang,
                &session,
                vec![lang.t("account-phone-expired")],
                None,
            )
            .await;
        }
        Err(e) => return WebError::internal(e).into_response(),
    };
    let Some(step) = auth::check_code(&pending, session.user.email.as_str(), &f.code, now) else {
        // A wrong code counts like a failed sign-in, and the key is never shown again: a
        // session alone must not be enough to read it.
        if let Err(r) = failed(&state, &session, "account-code", false).await {
            return r;
        }
        let error = Some(lang.t("enrol-code-wrong"));
        return new_phone_page(
            &state,
            lang,
            &session,
            Vec::new(),
            error,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let codes = auth::recovery_codes(state.entropy().as_ref());
    let hashes: Vec<String> = codes.iter().map(|c| auth::recovery_digest(c)).collect();
    match state
        .store()
        .confirm_totp_replacement(&session.user, step, &hashes, &session.token_hash, now)
        .await
    {
        Ok(true) => {}
        Ok(false) => return account_page(&state, lang, &session, Vec::new(), None).await,
        Err(e) => return WebError::internal(e).into_response(),
    }
    let frame = match Frame::signed_in(&state, lang, &session, ACCOUNT, None).await {
        Ok(f) => f,
        Err(e) => return WebError::internal(e).into_response(),
    };
    render(
        StatusCode::OK,
        RecoveryPage {
            frame,
            codes,
            said: "account-phone-replaced",
        },
    )
}

/// The account forms' addresses opened directly (a reload, a typed address): back to the
/// account page instead of a blank "method not allowed".
pub async fn to_account() -> axum::response::Redirect {
    axum::response::Redirect::to(ACCOUNT)
}

/// 「やめる」 on the new-phone page: the waiting key is forgotten; the old phone goes on.
pub async fn cancel_new_phone(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
) -> Response {
    let Some(session) = session else {
        return super::not_found_page(lang);
    };
    if let Err(e) = state
        .store()
        .cancel_totp_replacement(&session.user, state.now())
        .await
    {
        return WebError::internal(e).into_response();
    }
    account_page(
        &state,
        lang,
        &session,
        Vec::new(),
        Some(lang.t("account-phone-cancelled")),
    )
    .await
}
