//! The vulnerabilities of a facility: the devices to act on first, each with what it means
//! and whom to call, from the KEV and NVD files imported into this deployment.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::exposure::Exposure;
use domain::nvd::Outcome;

use super::{FacilityPage, Frame, error_page, render};
use crate::Lang;

pub struct Row {
    pub href: String,
    pub asset: String,
    pub cve: String,
    pub affected: bool,
    pub outcome: String,
    pub edge: bool,
    pub kev: Option<String>,
    pub ransomware: bool,
    pub cvss: String,
    pub todo: String,
    pub required_action: String,
}

/// One row a finding, as the facility page and the device page show it.
pub fn rows(lang: Lang, base: &str, exposures: &[Exposure<'_>]) -> Vec<Row> {
    exposures
        .iter()
        .map(|e| {
            let d = &e.asset.details;
            let vendor = d
                .vendor
                .clone()
                .unwrap_or_else(|| lang.t("vuln-vendor-unknown"));
            let affected = e.outcome == Outcome::Affected;
            let todo = if affected {
                lang.tr("vuln-do-affected", crate::args![vendor = &vendor])
            } else {
                lang.tr("vuln-do-review", crate::args![vendor = &vendor])
            };
            Row {
                href: format!("{base}assets/{}", e.asset.id.0),
                asset: d.name.clone(),
                cve: e.cve.id.clone(),
                affected,
                outcome: lang.t(&format!("vuln-{}", e.outcome.code())),
                edge: e.edge,
                kev: e.kev.map(|k| match k.due_date {
                    Some(due) => lang.tr(
                        "vuln-kev-dates",
                        crate::args![added = k.date_added.to_string(), due = due.to_string()],
                    ),
                    None => k.date_added.to_string(),
                }),
                ransomware: e.kev.is_some_and(|k| k.ransomware),
                cvss: e.cve.cvss.map_or_else(String::new, |s| format!("{s:.1}")),
                todo,
                required_action: e.kev.map(|k| k.required_action.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "vulns.html")]
struct VulnsPage {
    frame: Frame,
    feeds_missing: bool,
    summary: String,
    problem: bool,
    rows: Vec<Row>,
    unmatched: Vec<String>,
    unreadable: Option<String>,
}

pub async fn page(page: FacilityPage) -> Response {
    let frame = match page.frame().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let FacilityPage {
        state, lang, ctx, ..
    } = page;
    let loaded = async {
        let assets = state.store().assets(&ctx.scope).await?;
        crate::vulns::load(state.store(), &ctx.scope, assets, Some(state.feed_cache())).await
    };
    let inputs = match loaded.await {
        Ok(i) => i,
        Err(e) => return error_page(&state, lang, StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let assessment = inputs.assess();
    let base = format!("/f/{}/", ctx.facility.id.0);
    let rows = rows(lang, &base, &assessment.exposures);
    let affected = rows.iter().filter(|r| r.affected).count();
    let review = rows.len() - affected;
    let mut devices: Vec<&str> = rows.iter().map(|r| r.href.as_str()).collect();
    devices.sort_unstable();
    devices.dedup();
    let summary = if rows.is_empty() {
        lang.tr("vuln-none", crate::args![cves = inputs.cve_count()])
    } else {
        lang.tr(
            "vuln-summary",
            crate::args![
                devices = devices.len(),
                affected = affected,
                review = review
            ],
        )
    };
    render(
        StatusCode::OK,
        VulnsPage {
            frame,
            feeds_missing: inputs.cve_count() == 0,
            problem: !rows.is_empty(),
            summary,
            rows,
            unmatched: assessment
                .unmatched
                .iter()
                .map(|a| lang.tr("vuln-unmatched", crate::args![name = &a.details.name]))
                .collect(),
            unreadable: (inputs.unreadable() > 0)
                .then(|| lang.tr("vuln-unreadable", crate::args![count = inputs.unreadable()])),
        },
    )
}
