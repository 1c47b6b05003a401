//! 初動対応と連絡体制図: the contact chart (with the vendors' 24-hour numbers from the vendor
//! list and what it still lacks), the first-response playbook ticked step by step during a
//! drill or a real response, and the drawer copy to print.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::incident::{ContactId, ContactRole, IncidentId, NewContact, PLAYBOOK, find_step};
use domain::{Field, Permission};

use super::connections::Choice;
use super::{FacilityPage, Frame, render};
use crate::{Lang, Page};

pub struct ContactLine {
    pub id: Option<i64>,
    pub who: String,
    pub name: String,
    pub phone: String,
    pub missing_phone: bool,
    pub after_hours: String,
    pub note: String,
}

pub struct GroupBlock {
    pub title: String,
    pub rows: Vec<ContactLine>,
}

pub struct StepLine {
    pub number: usize,
    pub code: &'static str,
    pub phase: String,
    pub new_phase: bool,
    pub who: String,
    pub what: String,
    pub why: String,
    pub calls: String,
    pub done: Option<String>,
}

pub struct PastLine {
    pub started: String,
    pub ended: String,
    pub kind: String,
    pub steps: usize,
    /// Each step done, in words: when, what, who, the note.
    pub done: Vec<String>,
}

#[derive(Template)]
#[template(path = "incident/incident.html")]
struct IncidentPage {
    frame: Frame,
    groups: Vec<GroupBlock>,
    gaps: Vec<String>,
    roles: Vec<Choice>,
    /// The open response: (id, drill or real in words, started).
    open: Option<(i64, String, String)>,
    open_is_drill: bool,
    total_steps: usize,
    steps: Vec<StepLine>,
    past: Vec<PastLine>,
    can_edit: bool,
    base: String,
    csrf: String,
    problems: Vec<String>,
    typed: HashMap<String, String>,
}

impl IncidentPage {
    fn typed(&self, name: &str) -> &str {
        self.typed.get(name).map_or("", String::as_str)
    }
}

async fn build(
    page: &FacilityPage,
    problems: Vec<String>,
    typed: HashMap<String, String>,
) -> Result<IncidentPage, crate::WebError> {
    let lang = page.lang;
    let store = page.state.store();
    let scope = &page.ctx.scope;
    let chart = service::incident::chart(store, scope).await?;
    let (open, past) = service::incident::responses(store, scope).await?;
    let mut frame = page.frame().await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    frame.path = format!("{base}incident");
    let when = |t: domain::Timestamp| text::when(lang, t);
    let no_number = lang.t("contacts-no-number-short");
    let groups = [
        domain::incident::Group::Inside,
        domain::incident::Group::Vendors,
        domain::incident::Group::Report,
        domain::incident::Group::Support,
    ]
    .into_iter()
    .map(|g| {
        let mut rows: Vec<ContactLine> = chart
            .contacts
            .iter()
            .filter(|c| c.details.role.group() == g)
            .map(|c| ContactLine {
                id: Some(c.id.0),
                who: service::incident::role_label(lang, c.details.role),
                name: c.details.name.clone(),
                phone: c.details.phone.clone().unwrap_or_else(|| no_number.clone()),
                missing_phone: c.details.phone.is_none(),
                after_hours: c.details.after_hours.clone().unwrap_or_default(),
                note: c.details.note.clone().unwrap_or_default(),
            })
            .collect();
        if g == domain::incident::Group::Vendors {
            rows.extend(chart.vendors.iter().map(|(name, phone)| {
                ContactLine {
                    id: None,
                    who: service::incident::role_label(lang, ContactRole::Vendor),
                    name: name.clone(),
                    phone: phone
                        .clone()
                        .unwrap_or_else(|| lang.t("contacts-vendor-no-number")),
                    missing_phone: phone.is_none(),
                    after_hours: String::new(),
                    note: String::new(),
                }
            }));
        }
        GroupBlock {
            title: lang.t(&format!(
                "contacts-group-{}",
                service::incident::group_code(g)
            )),
            rows,
        }
    })
    .collect();
    let mut gaps: Vec<String> = chart
        .gaps
        .missing_roles
        .iter()
        .map(|r| {
            lang.tr(
                "contacts-gap-role",
                text::args![
                    role = service::incident::role_label(lang, *r),
                    hint = lang.t(&format!("contact-hint-{}", r.code()))
                ],
            )
        })
        .collect();
    gaps.extend(
        chart
            .gaps
            .without_phone
            .iter()
            .map(|n| lang.tr("contacts-gap-phone", text::args![name = n.as_str()])),
    );
    gaps.extend(
        chart
            .gaps
            .vendors_without_phone
            .iter()
            .map(|n| lang.tr("contacts-gap-vendor", text::args![name = n.as_str()])),
    );
    let mut last_phase = None;
    let steps = PLAYBOOK
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (what, why) = service::incident::step_words(lang, s);
            let new_phase = last_phase != Some(s.phase);
            last_phase = Some(s.phase);
            StepLine {
                number: i + 1,
                code: s.code,
                phase: lang.t(&format!("playbook-phase-{}", s.phase.code())),
                new_phase,
                who: service::incident::role_label(lang, s.who),
                what,
                why,
                calls: chart
                    .calls(lang, s)
                    .into_iter()
                    .map(|(who, name, phone)| match phone {
                        Some(p) => format!("{who} {name} {p}"),
                        None => format!("{who} {name}"),
                    })
                    .collect::<Vec<_>>()
                    .join(" / "),
                done: open.as_ref().and_then(|o| {
                    o.done.iter().find(|d| d.step == s.code).map(|d| {
                        let done = lang.tr(
                            "playbook-done",
                            text::args![at = when(d.at), by = service::incident::who(&d.by)],
                        );
                        match &d.note {
                            Some(n) => format!("{done} — {n}"),
                            None => done,
                        }
                    })
                }),
            }
        })
        .collect();
    let kind = |drill: bool| {
        lang.t(if drill {
            "playbook-kind-drill"
        } else {
            "playbook-kind-real"
        })
    };
    Ok(IncidentPage {
        frame,
        groups,
        gaps,
        roles: ContactRole::ALL
            .iter()
            .filter(|r| **r != ContactRole::Vendor)
            .map(|r| Choice {
                code: r.code().into(),
                label: service::incident::role_label(lang, *r),
                selected: false,
            })
            .collect(),
        open: open
            .as_ref()
            .map(|o| (o.id.0, kind(o.drill), when(o.started_at))),
        open_is_drill: open.as_ref().is_some_and(|o| o.drill),
        total_steps: PLAYBOOK.len(),
        steps,
        past: past
            .iter()
            .map(|p| PastLine {
                started: when(p.started_at),
                ended: p.closed_at.map(when).unwrap_or_default(),
                kind: kind(p.drill),
                steps: p.done.len(),
                done: p
                    .done
                    .iter()
                    .map(|d| {
                        let what = find_step(&d.step).map_or_else(
                            || d.step.clone(),
                            |s| service::incident::step_words(lang, s).0,
                        );
                        let by = service::incident::who(&d.by);
                        match &d.note {
                            Some(n) => format!("{} {what} — {by}({n})", when(d.at)),
                            None => format!("{} {what} — {by}", when(d.at)),
                        }
                    })
                    .collect(),
            })
            .collect(),
        can_edit: page.ctx.membership.role.can(Permission::EditLedger),
        base,
        csrf: page.csrf(),
        problems,
        typed,
    })
}

pub async fn page(page: FacilityPage) -> Page {
    Ok(render(
        StatusCode::OK,
        build(&page, Vec::new(), HashMap::new()).await?,
    ))
}

async fn refused(
    page: &FacilityPage,
    problems: Vec<String>,
    typed: HashMap<String, String>,
) -> Page {
    Ok(render(
        StatusCode::BAD_REQUEST,
        build(page, problems, typed).await?,
    ))
}

fn back(page: &FacilityPage, done: &str, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/f/{}/incident?done={done}#{anchor}",
        page.ctx.facility.id.0
    ))
    .into_response()
}

fn field<'a>(f: &'a HashMap<String, String>, name: &str) -> &'a str {
    f.get(name).map_or("", String::as_str)
}

fn read_contact(f: &HashMap<String, String>) -> Result<NewContact, Vec<domain::Error>> {
    let mut p = Vec::new();
    let role = ContactRole::parse(field(f, "role"))
        .map_err(|e| p.push(e))
        .ok();
    let name = domain::text::required(Field::ContactName, field(f, "name"), 100)
        .map_err(|e| p.push(e))
        .ok();
    let phone = domain::incident::phone_number(Some(field(f, "phone")))
        .map_err(|e| p.push(e))
        .ok();
    let after_hours = domain::incident::phone_number(Some(field(f, "after_hours")))
        .map_err(|e| p.push(e))
        .ok();
    let note = domain::text::optional(Field::ContactNote, Some(field(f, "note")), 200)
        .map_err(|e| p.push(e))
        .ok();
    match (role, name, phone, after_hours, note) {
        (Some(role), Some(name), Some(phone), Some(after_hours), Some(note)) if p.is_empty() => {
            Ok(NewContact {
                role,
                name,
                phone,
                after_hours,
                note,
            })
        }
        _ => Err(p),
    }
}

fn messages(lang: Lang, problems: &[domain::Error]) -> Vec<String> {
    problems
        .iter()
        .map(|e| service::messages::domain_error(lang, e))
        .collect()
}

pub async fn add_contact(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let contact = match read_contact(&f) {
        Ok(c) => c,
        Err(p) => return refused(&page, messages(page.lang, &p), f).await,
    };
    page.state
        .store()
        .add_contact(&page.ctx.scope, &page.actor(), page.state.now(), &contact)
        .await?;
    Ok(back(&page, "contact-added", "contacts"))
}

pub async fn remove_contact(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let Some(id) = field(&f, "contact").parse().ok().map(ContactId) else {
        return refused(&page, vec![lang.t("contacts-not-found")], HashMap::new()).await;
    };
    match page
        .state
        .store()
        .remove_contact(&page.ctx.scope, &page.actor(), page.state.now(), id)
        .await
    {
        Ok(()) => Ok(back(&page, "removed", "contacts")),
        Err(store::Error::NotFound { .. }) => {
            refused(&page, vec![lang.t("contacts-not-found")], HashMap::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn start(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let drill = match field(&f, "kind") {
        "drill" => true,
        "real" => false,
        _ => return refused(&page, vec![lang.t("playbook-choose-kind")], HashMap::new()).await,
    };
    match page
        .state
        .store()
        .start_incident(&page.ctx.scope, &page.actor(), page.state.now(), drill)
        .await
    {
        Ok(_) => Ok(back(&page, "recorded", "playbook")),
        Err(store::Error::Conflict { .. }) => {
            refused(&page, vec![lang.t("playbook-already-open")], HashMap::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn tick(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let (Some(incident), Some(step)) = (
        field(&f, "incident").parse().ok().map(IncidentId),
        find_step(field(&f, "step")),
    ) else {
        return refused(&page, vec![lang.t("playbook-no-open")], HashMap::new()).await;
    };
    let note = match domain::text::optional(Field::ContactNote, Some(field(&f, "note")), 200) {
        Ok(n) => n,
        Err(e) => return refused(&page, messages(lang, &[e]), HashMap::new()).await,
    };
    match page
        .state
        .store()
        .tick_step(
            &page.ctx.scope,
            &page.actor(),
            page.state.now(),
            incident,
            (step.code, note.as_deref()),
        )
        .await
    {
        Ok(()) => Ok(back(&page, "recorded", &format!("step-{}", step.code))),
        // Ticked already (another person was quicker): the page shows when.
        Err(store::Error::Conflict { .. }) => {
            Ok(back(&page, "recorded", &format!("step-{}", step.code)))
        }
        Err(store::Error::NotFound { .. }) => {
            refused(&page, vec![lang.t("playbook-no-open")], HashMap::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn close(page: FacilityPage, Form(f): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let Some(incident) = field(&f, "incident").parse().ok().map(IncidentId) else {
        return refused(&page, vec![lang.t("playbook-no-open")], HashMap::new()).await;
    };
    match page
        .state
        .store()
        .close_incident(&page.ctx.scope, &page.actor(), page.state.now(), incident)
        .await
    {
        Ok(()) => Ok(back(&page, "saved", "playbook")),
        Err(store::Error::NotFound { .. }) => {
            refused(&page, vec![lang.t("playbook-no-open")], HashMap::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The drawer copy as a PDF, laid out off the request's thread.
pub async fn print(page: FacilityPage) -> Page {
    let lang = page.lang;
    let data = service::incident::drawer(
        page.state.store(),
        &page.ctx.scope,
        lang,
        &page.ctx.facility.name,
        page.state.now(),
    )
    .await?;
    let name = format!("playbook_{}.pdf", page.ctx.facility.short_name);
    super::pdf(page.lang, name, move || {
        service::incident::render_drawer(&data)
    })
    .await
}
