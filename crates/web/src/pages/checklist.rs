//! 厚生労働省のチェックリスト: each item with Mamori's view from the records, the rows it rests
//! on, and what counts as evidence; printable with blank columns for the answer, the day
//! checked and the target day (see `crate::checklist`).

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use domain::Date;
use domain::checklist::Subject;
use serde::Deserialize;

use super::{FacilityPage, Frame, render};
use crate::Page;
use crate::args;

struct Row {
    id: String,
    number: String,
    text: String,
    /// 文言未確認 and why, when the sentence is not the confirmed official one.
    unconfirmed: Option<String>,
    targets: String,
    vendor_only: bool,
    answer_code: &'static str,
    answer: String,
    reason: String,
    /// (words, link)
    evidence: Vec<(String, Option<String>)>,
    needed: String,
    gate: bool,
}

#[derive(Template)]
#[template(path = "facility/checklist.html")]
struct ChecklistPage {
    frame: Frame,
    title: String,
    source: String,
    counts: String,
    versions: Vec<(String, String, bool)>,
    rows: Vec<Row>,
    gated_out: bool,
    any_unconfirmed: bool,
    handwrite_hint: String,
    printed: String,
}

#[derive(Deserialize)]
pub struct Which {
    version: Option<String>,
}

pub async fn page(page: FacilityPage, Query(q): Query<Which>) -> Page {
    let lang = page.lang;
    let now = page.state.now();
    let today = Date::in_japan(now);
    let wanted = q
        .version
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let Some(version) = crate::checklist::version(wanted, today) else {
        return Ok(super::not_found_page(lang));
    };
    let assets = super::facility::visible_assets(&page.state, &page.ctx).await?;
    let sheet = crate::checklist::evaluate(
        page.state.store(),
        &page.ctx.scope,
        &assets,
        version,
        now,
        Some(page.state.feed_cache()),
    )
    .await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    let href = |s: Subject| match s {
        Subject::Device(a) => format!("{base}assets/{}", a.0),
        Subject::WayIn(p) => format!("{base}connections/{}", p.0),
        Subject::Finding(f) => format!("{base}vulnerabilities/{}", f.0),
    };
    let rows = sheet
        .lines
        .iter()
        .map(|l| {
            let wording = l.item.wording.code();
            Row {
                id: format!("item-{}", l.item.topic.replace('_', "-")),
                number: l.item.number.clone(),
                text: crate::checklist::wording(lang, &l.item).to_string(),
                unconfirmed: (l.item.wording != domain::checklist::Wording::Confirmed)
                    .then(|| lang.t(&format!("checklist-wording-{wording}"))),
                targets: l
                    .item
                    .targets
                    .iter()
                    .map(|t| lang.t(&format!("checklist-target-{}", t.code())))
                    .collect::<Vec<_>>()
                    .join("、"),
                vendor_only: l.item.vendor_contract_only,
                answer_code: l.proposal.answer.code(),
                answer: crate::checklist::answer(lang, &l.proposal.answer),
                reason: crate::checklist::reason(lang, &l.proposal),
                evidence: l
                    .proposal
                    .evidence
                    .iter()
                    .map(|e| {
                        (
                            format!("{}: {}", e.name, crate::checklist::evidence(lang, e)),
                            Some(href(e.what)),
                        )
                    })
                    .collect(),
                needed: crate::checklist::evidence_needed(lang, &l.item).to_string(),
                gate: l.item.gate,
            }
        })
        .collect::<Vec<_>>();
    let [yes, no, confirm, cannot] = sheet.counts();
    let view = ChecklistPage {
        frame: page.frame().await?,
        title: sheet.title(lang).to_string(),
        source: sheet.version.source.clone(),
        counts: lang.tr(
            "checklist-counts",
            args![yes = yes, no = no, confirm = confirm, cannot = cannot],
        ),
        versions: domain::checklist::versions()
            .into_iter()
            .map(|v| {
                let chosen = v.key == sheet.version.key;
                let title = match lang {
                    text::Lang::Ja => v.title_ja,
                    text::Lang::En => v.title_en,
                };
                (v.key, title, chosen)
            })
            .collect(),
        any_unconfirmed: rows.iter().any(|r| r.unconfirmed.is_some()),
        rows,
        gated_out: sheet.gated_out(),
        handwrite_hint: lang.tr(
            "checklist-handwrite-hint",
            args![year = fiscal_name(lang, sheet.version.fiscal_year)],
        ),
        printed: lang.tr("checklist-printed", args![when = super::when(lang, now)]),
    };
    Ok(render(StatusCode::OK, view))
}

/// 令和8 / 2026: the fiscal year as the sheet names it.
fn fiscal_name(lang: text::Lang, year: i32) -> String {
    match (lang, Date::new(year, 4, 1).ok().and_then(|d| d.era())) {
        (text::Lang::Ja, Some((era, y))) => format!("{era}{y}"),
        _ => year.to_string(),
    }
}
