//! The facility's Mamori users: who has which role, advisor consent (granted and withdrawn
//! by the director), and whether every user must use a second factor.

use askama::Template;
use axum::extract::{Form, OriginalUri, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Email, Role, UserId};
use serde::Deserialize;

use super::{FacilityPage, Frame, error_page, render};
use crate::session::{FacilityCtx, Session};
use crate::{AppState, Lang};

pub struct MemberRow {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub second_factor: bool,
    pub locked: bool,
    pub is_self: bool,
    pub is_advisor: bool,
}

#[derive(Template)]
#[template(path = "account/members.html")]
struct MembersPage {
    frame: Frame,
    rows: Vec<MemberRow>,
    base: String,
    csrf: String,
    totp_for_all: bool,
    error: Option<String>,
    notice: Option<String>,
    /// Invitations not yet accepted: address and when.
    invited: Vec<(String, String)>,
}

/// What the page says above the list.
enum Said {
    Nothing,
    Error(String),
    Notice(String),
}

async fn members_page(
    state: &AppState,
    lang: Lang,
    session: &Option<Session>,
    ctx: &FacilityCtx,
    uri: &OriginalUri,
    said: Said,
    status: StatusCode,
) -> Response {
    let frame = match super::facility::frame(state, lang, session, ctx, uri).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let me = session.as_ref().map(|s| s.user.id);
    let members = match state.store().members(&ctx.scope).await {
        Ok(m) => m,
        Err(e) => return error_page(state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let now = state.now();
    let invited = match state.store().facility_invitations(&ctx.scope, now).await {
        Ok(list) => list
            .into_iter()
            .map(|i| (i.email, super::when(lang, i.created_at)))
            .collect(),
        Err(e) => return error_page(state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let rows = members
        .into_iter()
        .map(|(u, m)| MemberRow {
            id: u.id.0,
            email: u.email.to_string(),
            role: lang.t(&format!("role-{}", m.role.code())),
            second_factor: u.totp_enrolled,
            locked: u.locked_until.is_some_and(|t| t > now),
            is_self: Some(u.id) == me,
            is_advisor: m.role == Role::Advisor,
        })
        .collect();
    let page = MembersPage {
        frame,
        rows,
        base: format!("/f/{}/", ctx.facility.id.0),
        csrf: session
            .as_ref()
            .map(|s| s.row.csrf_token.clone())
            .unwrap_or_default(),
        totp_for_all: ctx.facility.totp_required_for_all,
        error: match &said {
            Said::Error(e) => Some(e.clone()),
            _ => None,
        },
        notice: match said {
            Said::Notice(n) => Some(n),
            _ => None,
        },
        invited,
    };
    render(status, page)
}

pub async fn page(page: FacilityPage) -> Response {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri,
    } = page;
    let said = if uri.0.query().is_some_and(|q| q.contains("invited=1")) {
        Said::Notice(lang.t("members-invited"))
    } else {
        Said::Nothing
    };
    members_page(&state, lang, &session, &ctx, &uri, said, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    email: String,
}

pub async fn grant_advisor(page: FacilityPage, Form(f): Form<GrantForm>) -> Response {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri,
    } = page;
    let Some(s) = &session else {
        return super::not_found_page(lang);
    };
    let back = format!("/f/{}/members", ctx.facility.id.0);
    let refuse = |id: &str| {
        let uri = OriginalUri(back.parse().unwrap_or_default());
        let msg = lang.t(id);
        let (state, session, ctx) = (state.clone(), session.clone(), ctx.clone());
        async move {
            members_page(
                &state,
                lang,
                &session,
                &ctx,
                &uri,
                Said::Error(msg),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    };
    let _ = uri;
    let Ok(email) = Email::parse(&f.email) else {
        return refuse("members-email-invalid").await;
    };
    // The same answer whether or not the address has an account (and whatever facility
    // it belongs to): access begins only when its owner, signed in, accepts.
    match state
        .store()
        .invite_advisor(&s.actor(), &ctx.scope, s.user.id, &email, state.now())
        .await
    {
        Ok(()) => Redirect::to(&format!("{back}?invited=1")).into_response(),
        Err(e) => error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

pub async fn remove(page: FacilityPage, Path((_, user)): Path<(String, String)>) -> Response {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri: _,
    } = page;
    let Some(s) = &session else {
        return super::not_found_page(lang);
    };
    let Ok(user) = user.parse::<i64>().map(UserId) else {
        return super::not_found_page(lang);
    };
    if user == s.user.id {
        return super::message_page(lang, StatusCode::BAD_REQUEST, "members-not-self");
    }
    match state
        .store()
        .remove_membership(&s.actor(), &ctx.scope, user, state.now())
        .await
    {
        Ok(()) => Redirect::to(&format!("/f/{}/members", ctx.facility.id.0)).into_response(),
        Err(store::Error::NotFound { .. }) => super::not_found_page(lang),
        Err(e) => error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

#[derive(Deserialize)]
pub struct PolicyForm {
    required: Option<String>,
}

pub async fn second_factor_policy(page: FacilityPage, Form(f): Form<PolicyForm>) -> Response {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri: _,
    } = page;
    let Some(s) = &session else {
        return super::not_found_page(lang);
    };
    let required = f.required.is_some();
    match state
        .store()
        .set_totp_required_for_all(&ctx.scope, &s.actor(), required, state.now())
        .await
    {
        Ok(()) => Redirect::to(&format!("/f/{}/members", ctx.facility.id.0)).into_response(),
        Err(e) => error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// The director withdraws an invitation not yet accepted.
pub async fn withdraw_invitation(page: FacilityPage, Form(f): Form<GrantForm>) -> Response {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        ..
    } = page;
    let Some(s) = &session else {
        return super::not_found_page(lang);
    };
    match state
        .store()
        .withdraw_invitation(&s.actor(), &ctx.scope, f.email.trim(), state.now())
        .await
    {
        Ok(_) => Redirect::to(&format!("/f/{}/members", ctx.facility.id.0)).into_response(),
        Err(e) => error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}
