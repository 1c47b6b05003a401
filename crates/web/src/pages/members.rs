//! The facility's Mamori users: who has which role, advisor consent (granted and withdrawn
//! by the director), and whether every user must use a second factor.

use askama::Template;
use axum::extract::{Form, OriginalUri, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::{Email, Role, UserId};
use serde::Deserialize;

use super::{FacilityPage, Frame, render};
use crate::session::{FacilityCtx, Session};
use crate::{AppState, Lang, Page, WebError, auth};

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
    /// The one-time set-up link of a person just added, shown once.
    setup_link: Option<String>,
    /// The roles the director may give here (value, words).
    roles: Vec<(String, String)>,
}

/// What the page says above the list.
enum Said {
    Nothing,
    Error(String),
    Notice(String),
    /// A person was added: what to say, and the one-time link to hand them.
    Added(String, String),
}

async fn members_page(
    state: &AppState,
    lang: Lang,
    session: &Option<Session>,
    ctx: &FacilityCtx,
    uri: &OriginalUri,
    said: Said,
    status: StatusCode,
) -> Page {
    let frame = super::facility::frame(state, lang, session, ctx, uri).await?;
    let me = session.as_ref().map(|s| s.user.id);
    let members = state.store().members(&ctx.scope).await?;
    let now = state.now();
    let invited = state
        .store()
        .facility_invitations(&ctx.scope, now)
        .await?
        .into_iter()
        .map(|i| (i.email, super::when(lang, i.created_at)))
        .collect();
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
        setup_link: match &said {
            Said::Added(_, link) => Some(link.clone()),
            _ => None,
        },
        notice: match said {
            Said::Notice(n) | Said::Added(n, _) => Some(n),
            _ => None,
        },
        invited,
        roles: ADDABLE
            .iter()
            .map(|r| (r.code().to_string(), lang.t(&format!("role-{}", r.code()))))
            .collect(),
    };
    Ok(render(status, page))
}

pub async fn page(page: FacilityPage) -> Page {
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

pub async fn grant_advisor(page: FacilityPage, Form(f): Form<GrantForm>) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri,
    } = page;
    let Some(s) = &session else {
        return Ok(super::not_found_page(lang));
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
    state
        .store()
        .invite_advisor(&s.actor(), &ctx.scope, s.user.id, &email, state.now())
        .await?;
    Ok(Redirect::to(&format!("{back}?invited=1")).into_response())
}

/// The roles a director gives to people of the facility from this page (advisors are invited,
/// not added).
const ADDABLE: [Role; 4] = [Role::ItStaff, Role::Viewer, Role::Vendor, Role::Director];

/// How long a set-up link works.
const SETUP_DAYS: i64 = 7;

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    vendor: String,
}

/// Adds a person to the facility: a new account gets a one-time link to set its own password
/// (no password is shown or sent); an existing account only gets the role here.
pub async fn add_member(
    page: FacilityPage,
    headers: axum::http::HeaderMap,
    Form(f): Form<AddForm>,
) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri,
    } = page;
    let Some(s) = &session else {
        return Ok(super::not_found_page(lang));
    };
    let said = |said: Said, status| {
        let (state, session, ctx, uri) = (state.clone(), session.clone(), ctx.clone(), uri.clone());
        async move { members_page(&state, lang, &session, &ctx, &uri, said, status).await }
    };
    let refuse = |text: String| said(Said::Error(text), StatusCode::BAD_REQUEST);
    let Ok(email) = Email::parse(&f.email) else {
        return refuse(lang.t("members-email-invalid")).await;
    };
    let Some(role) = ADDABLE.into_iter().find(|r| r.code() == f.role) else {
        return refuse(lang.t("members-role-choose")).await;
    };
    let vendor = f.vendor.trim();
    if role == Role::Vendor && vendor.is_empty() {
        return refuse(lang.t("members-vendor-required")).await;
    }
    let name = f.name.trim();
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return refuse(lang.t("members-name-invalid")).await;
    }
    let now = state.now();
    let store = state.store();
    let existing = store.user_by_email(&email).await?;
    let created = existing.is_none();
    let user = match existing {
        Some(u) => u,
        None => {
            // An account nobody can sign in to until its owner sets a password by the link.
            let unusable = auth::token(state.entropy().as_ref());
            let hash = auth::hash_password(&unusable, state.entropy().as_ref())
                .map_err(WebError::internal)?;
            let display = (!name.is_empty()).then_some(name);
            store
                .add_user(&s.actor(), &email, display, &hash, now)
                .await?
        }
    };
    let m = domain::Membership {
        user: user.id,
        facility: ctx.facility.id,
        role,
        vendor_name: (role == Role::Vendor).then(|| vendor.to_string()),
        expires_at: None,
    };
    store.set_membership(&s.actor(), &m, now).await?;
    if !created {
        return said(
            Said::Notice(lang.tr(
                "members-added-existing",
                crate::args![email = email.as_str()],
            )),
            StatusCode::OK,
        )
        .await;
    }
    let token = auth::token(state.entropy().as_ref());
    let expires = domain::Timestamp::from_unix_millis(now.unix_millis() + SETUP_DAYS * 86_400_000);
    store
        .create_setup_link(
            &ctx.scope,
            &s.actor(),
            user.id,
            &auth::digest(&token),
            expires,
            now,
        )
        .await?;
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = if state.tls() { "https" } else { "http" };
    let link = format!("{scheme}://{host}/setup/{token}");
    said(
        Said::Added(
            lang.tr(
                "members-added",
                crate::args![email = email.as_str(), days = SETUP_DAYS],
            ),
            link,
        ),
        StatusCode::OK,
    )
    .await
}

pub async fn remove(page: FacilityPage, Path((_, user)): Path<(String, String)>) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri: _,
    } = page;
    let Some(s) = &session else {
        return Ok(super::not_found_page(lang));
    };
    let Ok(user) = user.parse::<i64>().map(UserId) else {
        return Ok(super::not_found_page(lang));
    };
    if user == s.user.id {
        return Ok(super::message_page(
            lang,
            StatusCode::BAD_REQUEST,
            "members-not-self",
        ));
    }
    match state
        .store()
        .remove_membership(&s.actor(), &ctx.scope, user, state.now())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/f/{}/members", ctx.facility.id.0)).into_response()),
        Err(store::Error::NotFound { .. }) => Ok(super::not_found_page(lang)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PolicyForm {
    required: Option<String>,
}

pub async fn second_factor_policy(page: FacilityPage, Form(f): Form<PolicyForm>) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri: _,
    } = page;
    let Some(s) = &session else {
        return Ok(super::not_found_page(lang));
    };
    let required = f.required.is_some();
    state
        .store()
        .set_totp_required_for_all(&ctx.scope, &s.actor(), required, state.now())
        .await?;
    Ok(Redirect::to(&format!("/f/{}/members", ctx.facility.id.0)).into_response())
}

/// The director withdraws an invitation not yet accepted.
pub async fn withdraw_invitation(page: FacilityPage, Form(f): Form<GrantForm>) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        ..
    } = page;
    let Some(s) = &session else {
        return Ok(super::not_found_page(lang));
    };
    state
        .store()
        .withdraw_invitation(&s.actor(), &ctx.scope, f.email.trim(), state.now())
        .await?;
    Ok(Redirect::to(&format!("/f/{}/members", ctx.facility.id.0)).into_response())
}
