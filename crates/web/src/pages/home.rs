//! The start page after sign-in: straight to the one facility, or a choice of several.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};

use super::{Frame, render};
use crate::session::Session;
use crate::{AppState, Lang, Page};
use domain::Role;

pub struct Choice {
    pub href: String,
    pub name: String,
    pub role: String,
}

/// An invitation to advise a facility, waiting for this person's answer.
pub struct Invited {
    pub id: i64,
    pub facility: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "facility/home.html")]
struct HomePage {
    frame: Frame,
    choices: Vec<Choice>,
    invitations: Vec<Invited>,
    csrf: String,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
) -> Page {
    let Some(session) = session else {
        return Ok(Redirect::to("/login").into_response());
    };
    let now = state.now();
    let access = state.store().memberships(session.user.id).await?;
    let choices: Vec<Choice> = access
        .into_iter()
        .filter(|a| a.membership.active_at(now))
        .map(|a| Choice {
            href: format!("/f/{}/", a.membership.facility.0),
            name: a.name,
            role: lang.t(&format!("role-{}", a.membership.role.code())),
        })
        .collect();
    let invitations: Vec<Invited> = state
        .store()
        .invitations_for(&session.user, now)
        .await?
        .into_iter()
        .map(|i| Invited {
            id: i.id,
            facility: i.facility_name,
            when: super::when(lang, i.created_at),
        })
        .collect();
    if let ([only], true) = (choices.as_slice(), invitations.is_empty()) {
        return Ok(Redirect::to(&only.href).into_response());
    }
    let csrf = session.row.csrf_token.clone();
    let frame = Frame::signed_in(&state, lang, &session, "/", None).await?;
    Ok(render(
        StatusCode::OK,
        HomePage {
            frame,
            choices,
            invitations,
            csrf,
        },
    ))
}

/// The signed-in person accepts an invitation addressed to them; any other id is a 404.
pub async fn accept(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Page {
    let Some(session) = session else {
        return Ok(Redirect::to("/login").into_response());
    };
    let Some(facility) = state
        .store()
        .accept_invitation(&session.user, id, state.now())
        .await?
    else {
        return Ok(super::not_found_page(lang));
    };
    if session.user.totp_enrolled || !Role::Advisor.needs_second_factor() {
        return Ok(Redirect::to(&format!("/f/{}/", facility.0)).into_response());
    }
    // An advisor signs in with a second factor: a person without one sets it up first, in
    // a new session (as at sign-in).
    let token = crate::session::start(&state, Some(&session), &session.user, "enrol").await?;
    Ok((
        [(
            axum::http::header::SET_COOKIE,
            crate::session::session_cookie(&token, state.tls()),
        )],
        Redirect::to("/account/second-factor"),
    )
        .into_response())
}
