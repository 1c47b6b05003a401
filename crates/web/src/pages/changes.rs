//! 先月からの変化: what the ledger gained and what changed since a date (a month ago unless
//! asked), and the devices whose version nobody checked for over 30 days — the monthly look
//! the Osaka report asks for.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use domain::{Date, Timestamp};
use serde::Deserialize;

use super::{FacilityPage, Frame, error_page, render, when};
use crate::args;

pub struct Line {
    pub href: String,
    pub name: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    frame: Frame,
    since: String,
    added: Vec<Line>,
    changed: Vec<Line>,
    unchecked: Vec<Line>,
    removed: Vec<Line>,
    lead: String,
}

#[derive(Deserialize)]
pub struct Since {
    since: Option<String>,
}

/// Midnight in Japan at the start of `d`.
fn start_of(d: Date) -> Timestamp {
    Timestamp::from_unix_millis((d.days() * 86_400 - 9 * 3600) * 1000)
}

pub async fn page(page: FacilityPage, Query(q): Query<Since>) -> Response {
    let lang = page.lang;
    let today = Date::in_japan(page.state.now());
    let month_ago = {
        let (y, m) = if today.month() == 1 {
            (today.year() - 1, 12)
        } else {
            (today.year(), today.month() - 1)
        };
        (1..=today.day())
            .rev()
            .find_map(|d| Date::new(y, m, d).ok())
            .unwrap_or(today)
    };
    let since = q
        .since
        .as_deref()
        .and_then(|s| Date::parse(s).ok())
        .unwrap_or(month_ago);
    let loaded = async {
        let assets = super::facility::visible_assets(&page.state, &page.ctx).await?;
        let records = page
            .state
            .store()
            .facility_audit_since(
                page.ctx.facility.id,
                &["asset.create", "asset.update", "asset.retire"],
                start_of(since),
            )
            .await?;
        Ok::<_, store::Error>((assets, records))
    }
    .await;
    let (assets, records) = match loaded {
        Ok(l) => l,
        Err(e) => return error_page(&page.state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    let line_for = |id: &str, detail: String| {
        let asset = assets.iter().find(|a| a.id.0.to_string() == id)?;
        Some(Line {
            href: format!("{base}assets/{id}"),
            name: asset.details.name.clone(),
            detail,
        })
    };
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut removed = Vec::new();
    for r in &records {
        let summary: serde_json::Value = serde_json::from_str(&r.entry.summary).unwrap_or_default();
        let at = when(lang, r.at);
        match r.entry.action.as_str() {
            "asset.create" => added.extend(line_for(&r.entry.object_id, at)),
            "asset.retire" => removed.push(Line {
                href: String::new(),
                name: summary["before"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                detail: at,
            }),
            _ => {
                let fields = summary["fields"]
                    .as_array()
                    .map(|f| {
                        f.iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                changed.extend(line_for(&r.entry.object_id, format!("{at}({fields})")));
            }
        }
    }
    let unchecked = assets
        .iter()
        .filter(|a| {
            a.details
                .version_checked_on
                .is_none_or(|d| today.days() - d.days() > 30)
        })
        .map(|a| Line {
            href: format!("{base}assets/{}", a.id.0),
            name: a.details.name.clone(),
            detail: a
                .details
                .version_checked_on
                .map_or_else(|| lang.t("changes-never-checked"), |d| d.to_string()),
        })
        .collect();
    let frame = match page.frame().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let lead = lang.tr("changes-lead", args![since = since.to_string()]);
    render(
        StatusCode::OK,
        ChangesPage {
            frame,
            since: since.to_string(),
            added,
            changed,
            unchecked,
            removed,
            lead,
        },
    )
}
