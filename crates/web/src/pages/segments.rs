//! ネットワーク区分: the facility's network segments, how many devices sit in each, and the
//! traffic allowed between them.

use askama::Template;
use axum::extract::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Permission;
use domain::segment::{Flow, NewSegment, SegmentId, Zone};
use serde::Deserialize;

use super::connections::Choice;
use super::{FacilityPage, Frame, render};
use crate::WebError;
use crate::messages;

pub struct Row {
    pub name: String,
    pub zone: String,
    pub devices: usize,
}

pub struct FlowRow {
    pub from: String,
    pub to: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "ways_in/segments.html")]
struct SegmentsPage {
    frame: Frame,
    rows: Vec<Row>,
    flows: Vec<FlowRow>,
    zones: Vec<Choice>,
    segments: Vec<Choice>,
    can_edit: bool,
    base: String,
    csrf: String,
    error: Option<String>,
}

async fn show(page: &FacilityPage, error: Option<String>, status: StatusCode) -> Response {
    let lang = page.lang;
    let loaded = async {
        let s = page.state.store();
        let scope = &page.ctx.scope;
        Ok::<_, store::Error>((
            s.segments(scope).await?,
            s.flows(scope).await?,
            s.assets(scope).await?,
        ))
    }
    .await;
    let (segments, flows, assets) = match loaded {
        Ok(l) => l,
        Err(e) => return WebError::internal(e).into_response(),
    };
    let frame = match page.frame().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let name = |id: SegmentId| {
        segments
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.details.name.clone())
            .unwrap_or_default()
    };
    let view = SegmentsPage {
        frame,
        rows: segments
            .iter()
            .map(|s| Row {
                name: s.details.name.clone(),
                zone: lang.t(&format!("zone-{}", s.details.zone.code())),
                devices: assets
                    .iter()
                    .filter(|a| a.details.segment.as_deref() == Some(s.details.name.as_str()))
                    .count(),
            })
            .collect(),
        flows: flows
            .iter()
            .map(|f| FlowRow {
                from: name(f.from),
                to: name(f.to),
                note: f.note.clone().unwrap_or_default(),
            })
            .collect(),
        zones: Zone::ALL
            .iter()
            .map(|z| Choice {
                code: z.code().into(),
                label: lang.t(&format!("zone-{}", z.code())),
                selected: false,
            })
            .collect(),
        segments: segments
            .iter()
            .map(|s| Choice {
                code: s.id.0.to_string(),
                label: s.details.name.clone(),
                selected: false,
            })
            .collect(),
        can_edit: page.ctx.membership.role.can(Permission::EditLedger),
        base: format!("/f/{}/", page.ctx.facility.id.0),
        csrf: page.csrf(),
        error,
    };
    render(status, view)
}

pub async fn list(page: FacilityPage) -> Response {
    show(&page, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct SegmentForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    zone: String,
}

pub async fn add(page: FacilityPage, Form(f): Form<SegmentForm>) -> Response {
    let lang = page.lang;
    let new = Zone::parse(&f.zone).and_then(|z| NewSegment::new(&f.name, z));
    let new = match new {
        Ok(n) => n,
        Err(e) => {
            return show(
                &page,
                Some(messages::domain_error(lang, &e)),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    match page
        .state
        .store()
        .add_segment(&page.ctx.scope, &page.actor(), new, page.state.now())
        .await
    {
        Ok(_) => Redirect::to(&format!("/f/{}/segments", page.ctx.facility.id.0)).into_response(),
        Err(e @ store::Error::Conflict { .. }) => {
            show(
                &page,
                Some(messages::store_error(lang, &e, "")),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => WebError::internal(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct FlowForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    note: String,
}

pub async fn add_flow(page: FacilityPage, Form(f): Form<FlowForm>) -> Response {
    let lang = page.lang;
    let (Ok(from), Ok(to)) = (f.from.parse::<i64>(), f.to.parse::<i64>()) else {
        return show(
            &page,
            Some(lang.t("segments-choose-both")),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let note = match domain::text::optional(domain::Field::FlowNote, Some(&f.note), 200) {
        Ok(n) => n,
        Err(e) => {
            return show(
                &page,
                Some(crate::messages::domain_error(lang, &e)),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let flow = Flow {
        from: SegmentId(from),
        to: SegmentId(to),
        note,
    };
    match page
        .state
        .store()
        .add_flow(&page.ctx.scope, &page.actor(), flow, page.state.now())
        .await
    {
        Ok(()) => Redirect::to(&format!("/f/{}/segments", page.ctx.facility.id.0)).into_response(),
        Err(store::Error::NotFound { .. }) => {
            show(
                &page,
                Some(lang.t("segments-choose-both")),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(store::Error::Conflict { .. }) => {
            show(
                &page,
                Some(lang.t("segments-flow-exists")),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => WebError::internal(e).into_response(),
    }
}
