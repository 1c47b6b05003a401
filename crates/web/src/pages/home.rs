//! The start page after sign-in: straight to the one facility, or a choice of several.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Frame, error_page, render};
use crate::session::Session;
use crate::{AppState, Lang};

pub struct Choice {
    pub href: String,
    pub name: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    frame: Frame,
    choices: Vec<Choice>,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Extension(session): Extension<Option<Session>>,
) -> Response {
    let Some(session) = session else {
        return Redirect::to("/login").into_response();
    };
    let now = state.now();
    let access = match state.store().memberships(session.user.id).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let choices: Vec<Choice> = access
        .into_iter()
        .filter(|a| a.membership.active_at(now))
        .map(|a| Choice {
            href: format!("/f/{}/", a.membership.facility.0),
            name: a.name,
            role: lang.t(&format!("role-{}", a.membership.role.code())),
        })
        .collect();
    if let [only] = choices.as_slice() {
        return Redirect::to(&only.href).into_response();
    }
    match Frame::signed_in(&state, lang, &session, "/", None).await {
        Ok(frame) => render(StatusCode::OK, HomePage { frame, choices }),
        Err(e) => error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}
