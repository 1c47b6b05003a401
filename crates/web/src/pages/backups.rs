//! バックアップ: each system care depends on with its copies (and whether ransomware on the
//! network could reach them), its restore goals and drills, the 3-2-1-1-0 status in words and
//! what to do; forms to record a copy, a successful backup, the goals and a drill.

use askama::Template;
use axum::extract::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::backup::{CopyId, DrillResult, Goal, Link, Medium, NewCopy, NewDrill, Place, number};
use domain::{AssetId, Date, Field, Permission};
use serde::Deserialize;

use super::connections::Choice;
use super::{FacilityPage, Frame, render};
use crate::{Lang, Page};

pub struct Digit {
    pub digit: &'static str,
    pub kept: bool,
    pub words: String,
}

pub struct ProblemLine {
    pub what: String,
    pub todo: String,
    pub urgent: bool,
}

pub struct CopyLine {
    pub id: i64,
    pub label: String,
    pub place: String,
    pub link: String,
    pub exposure: String,
    pub protected: bool,
    pub schedule: String,
    pub last_success: String,
    pub note: String,
}

pub struct DrillLine {
    pub on: String,
    pub what: String,
    pub result: String,
    pub good: bool,
    pub minutes: String,
    pub verified: String,
    pub evidence: Option<String>,
}

pub struct SystemBlock {
    pub id: i64,
    pub name: String,
    pub href: String,
    pub digits: Vec<Digit>,
    pub goal: String,
    pub rpo: String,
    pub rto: String,
    pub problems: Vec<ProblemLine>,
    pub copies: Vec<CopyLine>,
    pub drills: Vec<DrillLine>,
    pub urgent: bool,
}

#[derive(Template)]
#[template(path = "backups/backups.html")]
struct BackupsPage {
    frame: Frame,
    summary: String,
    urgent: usize,
    all_kept: bool,
    systems: Vec<SystemBlock>,
    devices: Vec<Choice>,
    holders: Vec<Choice>,
    media: Vec<Choice>,
    places: Vec<Choice>,
    links: Vec<Choice>,
    results: Vec<Choice>,
    today: String,
    /// The facility's short name, for the commands shown.
    short: String,
    can_edit: bool,
    base: String,
    csrf: String,
    error: Option<String>,
}

fn choices<T: Copy>(
    lang: Lang,
    all: &[T],
    prefix: &str,
    code: impl Fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            code: code(*v).into(),
            label: lang.t(&format!("{prefix}-{}", code(*v))),
            selected: false,
        })
        .collect()
}

fn hours(lang: Lang, h: Option<u32>) -> String {
    h.map_or_else(
        || lang.t("backups-goal-unset"),
        |h| lang.tr("backups-hours", text::args![hours = u64::from(h)]),
    )
}

async fn build(page: &FacilityPage, error: Option<String>) -> Result<BackupsPage, crate::WebError> {
    let lang = page.lang;
    let store = page.state.store();
    let scope = &page.ctx.scope;
    let today = Date::in_japan(page.state.now());
    let view = service::backup::overview(store, scope, today).await?;
    let assets = store.assets(scope).await?;
    let frame = page.frame().await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    let day = |d: Date| text::day(lang, d);
    let systems: Vec<SystemBlock> = view
        .systems
        .iter()
        .map(|s| {
            let r = s.assessment.rule;
            let digits = [
                ("3", r.three, "three"),
                ("2", r.two, "two"),
                ("1", r.one_off_site, "off-site"),
                ("1", r.one_offline, "offline"),
                ("0", r.zero, "zero"),
            ]
            .into_iter()
            .map(|(digit, kept, code)| Digit {
                digit,
                kept,
                words: lang.t(&format!(
                    "backups-digit-{code}-{}",
                    if kept { "kept" } else { "missing" }
                )),
            })
            .collect();
            let problems = s
                .assessment
                .problems
                .iter()
                .map(|p| {
                    let (what, todo) = service::messages::backup_problem(lang, s, p);
                    ProblemLine {
                        what,
                        todo,
                        urgent: p.urgent(),
                    }
                })
                .collect();
            let copies = s
                .copies
                .iter()
                .map(|c| {
                    let d = &c.copy.details;
                    CopyLine {
                        id: c.copy.id.0,
                        label: service::messages::copy_label(lang, c),
                        place: lang.t(&format!("backup-place-{}", d.place.code())),
                        link: lang.t(&format!("backup-link-{}", d.link.code())),
                        exposure: service::messages::exposure_text(lang, &c.exposure),
                        protected: c.exposure.protected(),
                        schedule: match (d.every_days, d.generations) {
                            (Some(e), Some(g)) => lang.tr(
                                "backups-every-generations",
                                text::args![every = u64::from(e), generations = u64::from(g)],
                            ),
                            (Some(e), None) => {
                                lang.tr("backups-every", text::args![every = u64::from(e)])
                            }
                            (None, Some(g)) => lang.tr(
                                "backups-generations",
                                text::args![generations = u64::from(g)],
                            ),
                            (None, None) => String::new(),
                        },
                        last_success: d
                            .last_success
                            .map_or_else(|| lang.t("backups-unknown"), day),
                        note: d.note.clone().unwrap_or_default(),
                    }
                })
                .collect();
            let drills = s
                .drills
                .iter()
                .rev()
                .map(|d| {
                    let d = &d.details;
                    DrillLine {
                        on: day(d.on),
                        what: d.what.clone(),
                        result: match d.result {
                            Some(r) => lang.t(&format!("drill-result-{}", r.code())),
                            None => lang.t("backups-drill-planned"),
                        },
                        good: d.result == Some(DrillResult::Restored),
                        minutes: d.minutes.map_or_else(String::new, |m| {
                            lang.tr("backups-minutes", text::args![minutes = u64::from(m)])
                        }),
                        verified: if d.verified {
                            lang.t("backups-verified")
                        } else if d.result.is_some() {
                            lang.t("backups-not-verified")
                        } else {
                            String::new()
                        },
                        evidence: d.evidence.map(|n| format!("{base}evidence/{n}")),
                    }
                })
                .collect();
            SystemBlock {
                id: s.asset.0,
                name: s.name.clone(),
                href: format!("{base}assets/{}", s.asset.0),
                digits,
                goal: lang.tr(
                    "backups-goal",
                    text::args![
                        rpo = hours(lang, s.goal.rpo_hours),
                        rto = hours(lang, s.goal.rto_hours)
                    ],
                ),
                rpo: s.goal.rpo_hours.map_or_else(String::new, |h| h.to_string()),
                rto: s.goal.rto_hours.map_or_else(String::new, |h| h.to_string()),
                problems,
                copies,
                drills,
                urgent: s.urgent(),
            }
        })
        .collect();
    let urgent = systems.iter().filter(|s| s.urgent).count();
    let summary = if systems.is_empty() {
        String::new()
    } else {
        lang.tr(
            "backups-summary",
            text::args![kept = view.kept(), systems = systems.len(), urgent = urgent],
        )
    };
    let device = |a: &domain::Asset| Choice {
        code: a.id.0.to_string(),
        label: a.details.name.clone(),
        selected: false,
    };
    Ok(BackupsPage {
        frame,
        summary,
        urgent,
        all_kept: view.kept() == view.systems.len(),
        systems,
        // A copy can be recorded for any device (a レセコン that is a PC as well).
        devices: assets.iter().map(device).collect(),
        holders: assets
            .iter()
            .filter(|a| {
                matches!(
                    a.details.kind,
                    domain::AssetKind::Storage | domain::AssetKind::Server | domain::AssetKind::Pc
                )
            })
            .map(device)
            .collect(),
        media: choices(lang, Medium::ALL, "backup-medium", Medium::code),
        places: choices(lang, Place::ALL, "backup-place", Place::code),
        links: choices(lang, Link::ALL, "backup-link", Link::code),
        results: choices(lang, DrillResult::ALL, "drill-result", DrillResult::code),
        today: today.to_string(),
        short: page.ctx.facility.short_name.as_str().to_string(),
        can_edit: page.ctx.membership.role.can(Permission::EditLedger),
        base,
        csrf: page.csrf(),
        error,
    })
}

pub async fn page(page: FacilityPage) -> Page {
    Ok(render(StatusCode::OK, build(&page, None).await?))
}

/// The page again with what was wrong with the form.
async fn refused(page: &FacilityPage, message: String) -> Page {
    Ok(render(
        StatusCode::BAD_REQUEST,
        build(page, Some(message)).await?,
    ))
}

fn back(page: &FacilityPage, system: i64) -> Response {
    Redirect::to(&format!(
        "/f/{}/backups?done=saved#system-{system}",
        page.ctx.facility.id.0
    ))
    .into_response()
}

/// An id of the form, or none.
fn id(value: &str) -> Option<i64> {
    value.trim().parse().ok()
}

fn yes_no(value: &str) -> Option<bool> {
    match value {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct CopyForm {
    #[serde(default)]
    system: String,
    #[serde(default)]
    medium: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    holder: String,
    #[serde(default)]
    immutable: Option<String>,
    #[serde(default)]
    admin_can_delete: String,
    #[serde(default)]
    every_days: String,
    #[serde(default)]
    generations: String,
    #[serde(default)]
    encrypted: String,
    #[serde(default)]
    last_success: String,
    #[serde(default)]
    note: String,
}

fn read_copy(f: &CopyForm, system: AssetId, today: Date) -> Result<NewCopy, domain::Error> {
    let last_success = Date::parse_field(Field::BackupLastSuccess, &f.last_success)?;
    if let Some(d) = last_success
        && d > today
    {
        return Err(domain::Error::invalid(
            Field::BackupLastSuccess,
            &f.last_success,
            domain::Rule::InTheFuture,
        ));
    }
    Ok(NewCopy {
        system,
        medium: Medium::parse(&f.medium)?,
        place: Place::parse(&f.place)?,
        link: Link::parse(&f.link)?,
        immutable: f.immutable.is_some(),
        admin_can_delete: yes_no(&f.admin_can_delete),
        holder: id(&f.holder).map(AssetId),
        every_days: number(Field::BackupEvery, &f.every_days, 366)?,
        generations: number(Field::BackupGenerations, &f.generations, 10_000)?,
        encrypted: yes_no(&f.encrypted),
        last_success,
        note: domain::text::optional(Field::BackupNote, Some(&f.note), 500)?,
    })
}

pub async fn add_copy(page: FacilityPage, Form(f): Form<CopyForm>) -> Page {
    let lang = page.lang;
    let Some(system) = id(&f.system) else {
        return refused(&page, lang.t("backups-choose-system")).await;
    };
    let today = Date::in_japan(page.state.now());
    let copy = match read_copy(&f, AssetId(system), today) {
        Ok(c) => c,
        Err(e) => return refused(&page, service::messages::domain_error(lang, &e)).await,
    };
    let store = page.state.store();
    match store
        .add_backup_copy(&page.ctx.scope, &page.actor(), page.state.now(), &copy)
        .await
    {
        Ok(_) => Ok(back(&page, system)),
        Err(store::Error::NotFound { .. }) => refused(&page, lang.t("backups-choose-system")).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CopyAction {
    #[serde(default)]
    copy: String,
    #[serde(default)]
    system: String,
    #[serde(default)]
    on: String,
}

pub async fn remove_copy(page: FacilityPage, Form(f): Form<CopyAction>) -> Page {
    let lang = page.lang;
    let (Some(copy), Some(system)) = (id(&f.copy), id(&f.system)) else {
        return refused(&page, lang.t("backups-no-copy")).await;
    };
    match page
        .state
        .store()
        .remove_backup_copy(
            &page.ctx.scope,
            &page.actor(),
            page.state.now(),
            CopyId(copy),
        )
        .await
    {
        Ok(()) => Ok(back(&page, system)),
        Err(store::Error::NotFound { .. }) => refused(&page, lang.t("backups-no-copy")).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn copy_success(page: FacilityPage, Form(f): Form<CopyAction>) -> Page {
    let lang = page.lang;
    let (Some(copy), Some(system)) = (id(&f.copy), id(&f.system)) else {
        return refused(&page, lang.t("backups-no-copy")).await;
    };
    let today = Date::in_japan(page.state.now());
    let on = match Date::parse_field(Field::BackupLastSuccess, &f.on) {
        Ok(Some(d)) if d <= today => d,
        Ok(Some(_)) => {
            let e =
                domain::Error::invalid(Field::BackupLastSuccess, &f.on, domain::Rule::InTheFuture);
            return refused(&page, service::messages::domain_error(lang, &e)).await;
        }
        Ok(None) => today,
        Err(e) => return refused(&page, service::messages::domain_error(lang, &e)).await,
    };
    match page
        .state
        .store()
        .set_backup_success(
            &page.ctx.scope,
            &page.actor(),
            page.state.now(),
            CopyId(copy),
            on,
        )
        .await
    {
        Ok(()) => Ok(back(&page, system)),
        Err(store::Error::NotFound { .. }) => refused(&page, lang.t("backups-no-copy")).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct GoalForm {
    #[serde(default)]
    system: String,
    #[serde(default)]
    rpo: String,
    #[serde(default)]
    rto: String,
}

pub async fn set_goal(page: FacilityPage, Form(f): Form<GoalForm>) -> Page {
    let lang = page.lang;
    let Some(system) = id(&f.system) else {
        return refused(&page, lang.t("backups-choose-system")).await;
    };
    // Up to a year in hours.
    let goal = number(Field::BackupGoal, &f.rpo, 8_784).and_then(|rpo| {
        Ok(Goal {
            rpo_hours: rpo,
            rto_hours: number(Field::BackupGoal, &f.rto, 8_784)?,
        })
    });
    let goal = match goal {
        Ok(g) => g,
        Err(e) => return refused(&page, service::messages::domain_error(lang, &e)).await,
    };
    match page
        .state
        .store()
        .set_backup_goal(
            &page.ctx.scope,
            &page.actor(),
            page.state.now(),
            AssetId(system),
            goal,
        )
        .await
    {
        Ok(()) => Ok(back(&page, system)),
        Err(store::Error::NotFound { .. }) => refused(&page, lang.t("backups-choose-system")).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DrillForm {
    #[serde(default)]
    system: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    what: String,
    /// A result code, or `planned`.
    #[serde(default)]
    result: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    problems: String,
}

fn read_drill(f: &DrillForm, system: AssetId, today: Date) -> Result<NewDrill, domain::Error> {
    let Some(on) = Date::parse_field(Field::DrillDate, &f.on)? else {
        return Err(domain::Error::invalid(
            Field::DrillDate,
            &f.on,
            domain::Rule::Required,
        ));
    };
    let result = match f.result.as_str() {
        "planned" => None,
        code => Some(DrillResult::parse(code)?),
    };
    // A drill done is done by today; a planned one is from today on.
    if result.is_some() && on > today {
        return Err(domain::Error::invalid(
            Field::DrillDate,
            &f.on,
            domain::Rule::InTheFuture,
        ));
    }
    Ok(NewDrill {
        result,
        minutes: number(Field::DrillMinutes, &f.minutes, 60 * 24 * 60)?,
        problems: domain::text::optional(Field::BackupNote, Some(&f.problems), 1000)?,
        ..NewDrill::new(system, on, &f.what)?
    })
}

pub async fn add_drill(page: FacilityPage, Form(f): Form<DrillForm>) -> Page {
    let lang = page.lang;
    let Some(system) = id(&f.system) else {
        return refused(&page, lang.t("backups-choose-system")).await;
    };
    let today = Date::in_japan(page.state.now());
    let drill = match read_drill(&f, AssetId(system), today) {
        Ok(d) => d,
        Err(e) => return refused(&page, service::messages::domain_error(lang, &e)).await,
    };
    match page
        .state
        .store()
        .record_drill(&page.ctx.scope, &page.actor(), page.state.now(), &drill)
        .await
    {
        Ok(_) => Ok(back(&page, system)),
        Err(store::Error::NotFound { .. }) => refused(&page, lang.t("backups-choose-system")).await,
        Err(e) => Err(e.into()),
    }
}
