//! The audit log of a facility, with the verification status of its chain.

use askama::Template;
use axum::http::StatusCode;

use super::{FacilityPage, Frame, render, when};
use crate::Page;

pub struct Row {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
}

#[derive(Template)]
#[template(path = "facility/audit.html")]
struct AuditPage {
    frame: Frame,
    intact: bool,
    status: String,
    rows: Vec<Row>,
}

pub async fn page(page: FacilityPage) -> Page {
    let frame = page.frame().await?;
    let FacilityPage {
        state, lang, ctx, ..
    } = page;
    let (report, records) = tokio::try_join!(
        state
            .store()
            .verify_audit(store::Chains::One(Some(ctx.facility.id)), None),
        state.store().recent_audit(Some(ctx.facility.id), 200)
    )?;
    let (intact, status) = crate::messages::audit_report(lang, &report);
    let rows = records
        .into_iter()
        .map(|r| Row {
            seq: r.seq,
            at: when(lang, r.at),
            action: lang
                .try_t(&format!("action-{}", r.entry.action.replace('.', "-")))
                .unwrap_or_else(|| r.entry.action.clone()),
            actor: r.entry.actor,
            object: format!("{} {}", r.entry.object_kind, r.entry.object_id),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        AuditPage {
            frame,
            intact,
            status,
            rows,
        },
    ))
}
