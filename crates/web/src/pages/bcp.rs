//! BCP: the cyber-attack business continuity plan after the MHLW ひな形: the parts the
//! director writes (sections, each department's paper operation, the approval) beside what
//! the records already say, the MHLW 確認表 answered, and the PDF.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::bcp::{Approval, CheckState, PaperPlan, SECTION_MAX, Section};
use domain::{Date, Field, Permission};

use super::{FacilityPage, Frame, render};
use crate::Page;

pub struct SectionBlock {
    pub code: &'static str,
    pub title: String,
    pub hint: String,
    pub body: String,
}

pub struct PaperLine {
    pub id: i64,
    pub department: String,
    pub procedure: String,
    pub forms: String,
}

pub struct CheckLine {
    pub number: &'static str,
    pub text: String,
    pub state: String,
    pub ready: bool,
}

pub struct SystemLine {
    pub name: String,
    pub rto: String,
}

#[derive(Template)]
#[template(path = "bcp/bcp.html")]
struct BcpPage {
    frame: Frame,
    approval: String,
    review_due: bool,
    written: String,
    sections: Vec<SectionBlock>,
    paper: Vec<PaperLine>,
    checks: Vec<CheckLine>,
    officer: String,
    devices: String,
    systems: Vec<SystemLine>,
    contacts: String,
    today: String,
    can_edit: bool,
    /// Only the director approves.
    can_approve: bool,
    base: String,
    csrf: String,
    /// A refused form: which (`section-CODE`, `paper`, `approve`), its problems, as typed.
    refused: Option<(String, Vec<String>, HashMap<String, String>)>,
}

impl BcpPage {
    fn problems_of(&self, form: &str) -> Option<&[String]> {
        self.refused
            .as_ref()
            .filter(|(f, _, _)| f == form)
            .map(|(_, p, _)| p.as_slice())
    }

    fn typed(&self, form: &str, name: &str) -> Option<&str> {
        self.refused
            .as_ref()
            .filter(|(f, _, _)| f == form)
            .and_then(|(_, _, t)| t.get(name))
            .map(String::as_str)
    }
}

async fn build(
    page: &FacilityPage,
    refused: Option<(String, Vec<String>, HashMap<String, String>)>,
) -> Result<BcpPage, crate::WebError> {
    let lang = page.lang;
    let b = service::bcp::load(page.state.store(), &page.ctx.scope, page.state.now()).await?;
    let mut frame = page.frame().await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    frame.path = format!("{base}bcp");
    let day = |d: Date| text::day(lang, d);
    let hours = |h: Option<u32>| {
        h.map_or_else(
            || lang.t("backups-goal-unset"),
            |h| lang.tr("backups-hours", text::args![hours = u64::from(h)]),
        )
    };
    Ok(BcpPage {
        frame,
        approval: match &b.text.approval {
            Some(_) if b.changed_since_approval => lang.t("bcp-changed-since-approval"),
            Some(a) => lang.tr(
                "bcp-approved",
                text::args![
                    by = a.by.as_str(),
                    on = day(a.on),
                    review = day(a.review_by())
                ],
            ),
            None => lang.t("bcp-not-approved"),
        },
        review_due: b.review_due,
        written: lang.tr(
            "bcp-written-count",
            text::args![written = Section::ALL.len() - b.unwritten.len()],
        ),
        sections: Section::ALL
            .iter()
            .map(|s| SectionBlock {
                code: s.code(),
                title: lang.t(&format!("bcp-section-{}", s.code())),
                hint: lang.t(&format!("bcp-section-{}-hint", s.code())),
                body: b.section(*s).to_string(),
            })
            .collect(),
        paper: b
            .text
            .paper
            .iter()
            .map(|(id, p)| PaperLine {
                id: *id,
                department: p.department.clone(),
                procedure: p.procedure.clone(),
                forms: p.forms.join("、"),
            })
            .collect(),
        checks: b
            .checks
            .iter()
            .map(|c| CheckLine {
                number: c.number,
                text: lang.t(&format!("bcp-check-{}", c.code)),
                state: service::bcp::state_words(lang, c.state),
                ready: matches!(c.state, CheckState::Ready | CheckState::Stated),
            })
            .collect(),
        officer: b
            .officer
            .clone()
            .unwrap_or_else(|| lang.t("bcp-no-officer")),
        devices: lang.tr("bcp-devices-count", text::args![count = b.devices]),
        systems: service::bcp::recovery_order(&b.backups)
            .into_iter()
            .map(|s| SystemLine {
                name: s.name.clone(),
                rto: hours(s.goal.rto_hours),
            })
            .collect(),
        contacts: lang.tr(
            "bcp-contacts-count",
            text::args![count = b.chart.contacts.len() + b.chart.vendors.len()],
        ),
        today: b.today.to_string(),
        can_edit: page.ctx.membership.role.can(Permission::EditLedger),
        can_approve: page.ctx.membership.role.can(Permission::ChangeSettings),
        base,
        csrf: page.csrf(),
        refused,
    })
}

pub async fn page(page: FacilityPage) -> Page {
    Ok(render(StatusCode::OK, build(&page, None).await?))
}

async fn refused(
    page: &FacilityPage,
    form: String,
    problems: &[domain::Error],
    typed: HashMap<String, String>,
) -> Page {
    let messages = problems
        .iter()
        .map(|e| service::messages::domain_error(page.lang, e))
        .collect();
    Ok(render(
        StatusCode::BAD_REQUEST,
        build(page, Some((form, messages, typed))).await?,
    ))
}

fn back(page: &FacilityPage, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/f/{}/bcp?done=saved#{anchor}",
        page.ctx.facility.id.0
    ))
    .into_response()
}

fn field<'a>(f: &'a HashMap<String, String>, name: &str) -> &'a str {
    f.get(name).map_or("", String::as_str)
}

pub async fn save_section(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let section = match Section::parse(field(&f, "section")) {
        Ok(s) => s,
        Err(e) => return refused(&page, String::new(), &[e], f).await,
    };
    let body = match domain::text::optional(Field::BcpSection, Some(field(&f, "body")), SECTION_MAX)
    {
        Ok(b) => b.unwrap_or_default(),
        Err(e) => return refused(&page, format!("section-{}", section.code()), &[e], f).await,
    };
    page.state
        .store()
        .set_bcp_section(
            &page.ctx.scope,
            &page.actor(),
            page.state.now(),
            section,
            &body,
        )
        .await?;
    Ok(back(&page, &format!("section-{}", section.code())))
}

pub async fn add_paper(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let plan = match PaperPlan::new(
        field(&f, "department"),
        field(&f, "procedure"),
        field(&f, "forms"),
    ) {
        Ok(p) => p,
        Err(e) => return refused(&page, "paper".into(), &[e], f).await,
    };
    page.state
        .store()
        .add_paper_plan(&page.ctx.scope, &page.actor(), page.state.now(), &plan)
        .await?;
    Ok(back(&page, "paper"))
}

pub async fn remove_paper(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let Ok(id) = field(&f, "plan").parse::<i64>() else {
        return Ok(back(&page, "paper"));
    };
    match page
        .state
        .store()
        .remove_paper_plan(&page.ctx.scope, &page.actor(), page.state.now(), id)
        .await
    {
        // Removed now, or by someone else before: the page shows what is left either way.
        Ok(()) | Err(store::Error::NotFound { .. }) => Ok(back(&page, "paper")),
        Err(e) => Err(e.into()),
    }
}

pub async fn approve(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let today = Date::in_japan(page.state.now());
    // Nothing half-written is approved: the printout would say 承認 above 未記入.
    let b = service::bcp::load(page.state.store(), &page.ctx.scope, page.state.now()).await?;
    if !b.unwritten.is_empty() || b.text.paper.is_empty() {
        let mut missing: Vec<String> = b
            .unwritten
            .iter()
            .map(|s| lang.t(&format!("bcp-section-{}", s.code())))
            .collect();
        if b.text.paper.is_empty() {
            missing.push(lang.t("bcp-paper"));
        }
        let message = lang.tr(
            "bcp-approve-incomplete",
            text::args![parts = missing.join("、")],
        );
        return Ok(render(
            StatusCode::BAD_REQUEST,
            build(&page, Some(("approve".into(), vec![message], f))).await?,
        ));
    }
    let on = match Date::parse_field(Field::BcpApprovedOn, field(&f, "on")) {
        Ok(Some(d)) => d,
        Ok(None) => today,
        Err(e) => return refused(&page, "approve".into(), &[e], f).await,
    };
    let approval = match Approval::new(field(&f, "by"), on, today) {
        Ok(a) => a,
        Err(e) => return refused(&page, "approve".into(), &[e], f).await,
    };
    page.state
        .store()
        .approve_bcp(&page.ctx.scope, &page.actor(), page.state.now(), &approval)
        .await?;
    Ok(back(&page, "approval"))
}

/// The BCP as a PDF, laid out off the request's thread.
pub async fn print(page: FacilityPage) -> Page {
    let lang = page.lang;
    let b = service::bcp::load(page.state.store(), &page.ctx.scope, page.state.now()).await?;
    let data = service::bcp::pdf_data(lang, &page.ctx.facility.name, &b);
    let name = format!("bcp_{}.pdf", page.ctx.facility.short_name);
    super::pdf(page.lang, name, move || service::bcp::render(&data)).await
}
