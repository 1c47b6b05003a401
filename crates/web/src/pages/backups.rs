//! バックアップ: each system care depends on with its copies (and whether ransomware on the
//! network could reach them), its restore goals and drills, the 3-2-1-1-0 status in words and
//! what to do; forms to record a copy, a successful backup, the goals and a drill.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::backup::{CopyId, DrillResult, Goal, Link, Medium, NewCopy, NewDrill, Place, number};
use domain::{AssetId, Date, Field, Permission};

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
    pub problems: String,
}

/// A refused form, shown again as typed with its problems.
pub struct Refill {
    /// The system whose card holds the form (-1: the form at the end of the page).
    pub system: i64,
    /// `copy`, `other`, `success`, `drill` or `goal`.
    pub form: &'static str,
    pub messages: Vec<String>,
    pub typed: HashMap<String, String>,
}

pub struct SystemBlock {
    pub id: i64,
    /// Said in the card after a change (the page's own message is above the fold).
    pub done: Option<String>,
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
    refill: Option<Refill>,
}

impl BackupsPage {
    /// The refused form's problems, when it belongs to this system's card.
    fn problems_of(&self, system: &i64) -> Option<&[String]> {
        self.refill
            .as_ref()
            .filter(|r| r.system == *system)
            .map(|r| r.messages.as_slice())
    }

    /// Whether `form` of `system` is the one refused (open it).
    fn open(&self, system: &i64, form: &str) -> bool {
        self.refill
            .as_ref()
            .is_some_and(|r| r.system == *system && r.form == form)
    }

    /// What was typed into `name` of the refused `form` of `system` (empty otherwise).
    fn typed(&self, system: &i64, form: &str, name: &str) -> &str {
        match &self.refill {
            Some(r) if r.system == *system && r.form == form => {
                r.typed.get(name).map_or("", String::as_str)
            }
            _ => "",
        }
    }

    /// Whether the refused form is `form`, whichever system it named.
    fn refused_form(&self, form: &str) -> bool {
        self.refill.as_ref().is_some_and(|r| r.form == form)
    }

    fn chosen(&self, system: &i64, form: &str, name: &str, code: &str) -> bool {
        self.typed(system, form, name) == code
    }
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

async fn build(
    page: &FacilityPage,
    refill: Option<Refill>,
) -> Result<BackupsPage, crate::WebError> {
    let lang = page.lang;
    let store = page.state.store();
    let scope = &page.ctx.scope;
    let today = Date::in_japan(page.state.now());
    let view = service::backup::overview(store, scope, today).await?;
    let assets = store.assets(scope).await?;
    let mut frame = page.frame().await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    // A refused form answers its POST address: the language switch comes back to the page.
    frame.path = format!("{base}backups");
    // After a change, the card of its system says so.
    let query = page.uri.0.query();
    let done_at: Option<i64> = query
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("at=")))
        .and_then(|v| v.parse().ok());
    let done = super::done_message(lang, query);
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
                            None if d.on < today => lang.t("backups-drill-overdue"),
                            None => lang.t("backups-drill-planned"),
                        },
                        problems: d.problems.clone().unwrap_or_default(),
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
                done: done.clone().filter(|_| done_at == Some(s.asset.0)),
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
        refill,
    })
}

pub async fn page(page: FacilityPage) -> Page {
    Ok(render(StatusCode::OK, build(&page, None).await?))
}

/// The page again, the refused form open in its system's card with what was typed and
/// every problem of it.
async fn refused(page: &FacilityPage, refill: Refill) -> Page {
    Ok(render(
        StatusCode::BAD_REQUEST,
        build(page, Some(refill)).await?,
    ))
}

fn back(page: &FacilityPage, system: i64, done: &str) -> Response {
    Redirect::to(&format!(
        "/f/{}/backups?done={done}&at={system}#system-{system}",
        page.ctx.facility.id.0
    ))
    .into_response()
}

/// A form as typed.
type Typed = HashMap<String, String>;

fn field<'a>(f: &'a Typed, name: &str) -> &'a str {
    f.get(name).map_or("", String::as_str)
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

/// Keeps the value of a check, gathering its problem.
fn check<T>(problems: &mut Vec<domain::Error>, r: Result<T, domain::Error>) -> Option<T> {
    r.map_err(|e| problems.push(e)).ok()
}

fn refill(
    lang: Lang,
    system: i64,
    form: &'static str,
    typed: Typed,
    problems: &[domain::Error],
) -> Refill {
    Refill {
        system,
        form,
        messages: problems
            .iter()
            .map(|e| service::messages::domain_error(lang, e))
            .collect(),
        typed,
    }
}

fn read_copy(f: &Typed, system: AssetId, today: Date) -> Result<NewCopy, Vec<domain::Error>> {
    let mut p = Vec::new();
    let medium = check(&mut p, Medium::parse(field(f, "medium")));
    let place = check(&mut p, Place::parse(field(f, "place")));
    let link = check(&mut p, Link::parse(field(f, "link")));
    let every_days = check(
        &mut p,
        number(Field::BackupEvery, field(f, "every_days"), 366),
    );
    let generations = check(
        &mut p,
        number(Field::BackupGenerations, field(f, "generations"), 10_000),
    );
    let last = field(f, "last_success");
    let last_success = check(&mut p, past_day(Field::BackupLastSuccess, last, today));
    let note = check(
        &mut p,
        domain::text::optional(Field::BackupNote, Some(field(f, "note")), 500),
    );
    match (
        medium,
        place,
        link,
        every_days,
        generations,
        last_success,
        note,
    ) {
        (
            Some(medium),
            Some(place),
            Some(link),
            Some(every_days),
            Some(generations),
            Some(last_success),
            Some(note),
        ) if p.is_empty() => Ok(NewCopy {
            system,
            medium,
            place,
            link,
            immutable: f.contains_key("immutable"),
            admin_can_delete: yes_no(field(f, "admin_can_delete")),
            holder: id(field(f, "holder")).map(AssetId),
            every_days,
            generations,
            encrypted: yes_no(field(f, "encrypted")),
            last_success,
            note,
        }),
        _ => Err(p),
    }
}

/// A day typed in a form that must not be after today (none when empty).
fn past_day(field: Field, typed: &str, today: Date) -> Result<Option<Date>, domain::Error> {
    match Date::parse_field(field, typed)? {
        Some(d) if d > today => Err(domain::Error::invalid(
            field,
            typed,
            domain::Rule::InTheFuture,
        )),
        d => Ok(d),
    }
}

pub async fn add_copy(page: FacilityPage, Form(f): Form<Typed>) -> Page {
    let lang = page.lang;
    // The form under a system's card names it; the form at the end of the page chooses it.
    let form = if f.contains_key("other") {
        "other"
    } else {
        "copy"
    };
    let Some(system) = id(field(&f, "system")) else {
        let e = domain::Error::invalid(Field::AssetName, "", domain::Rule::Required);
        return refused(&page, refill(lang, -1, "other", f, &[e])).await;
    };
    let today = Date::in_japan(page.state.now());
    let copy = match read_copy(&f, AssetId(system), today) {
        Ok(c) => c,
        Err(p) => return refused(&page, refill(lang, system, form, f, &p)).await,
    };
    let store = page.state.store();
    match store
        .add_backup_copy(&page.ctx.scope, &page.actor(), page.state.now(), &copy)
        .await
    {
        Ok(_) => Ok(back(&page, system, "saved")),
        Err(store::Error::NotFound { .. }) => {
            let mut r = refill(lang, system, form, f, &[]);
            r.messages.push(lang.t("backups-choose-system"));
            refused(&page, r).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A form about one copy, with a one-line problem.
async fn copy_problem(page: &FacilityPage, system: i64, f: Typed, id: &str) -> Page {
    let mut r = refill(page.lang, system, "success", f, &[]);
    r.messages.push(page.lang.t(id));
    refused(page, r).await
}

pub async fn remove_copy(page: FacilityPage, Form(f): Form<Typed>) -> Page {
    let system = id(field(&f, "system")).unwrap_or(-1);
    let Some(copy) = id(field(&f, "copy")) else {
        return copy_problem(&page, system, f, "backups-no-copy").await;
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
        Ok(()) => Ok(back(&page, system, "removed")),
        Err(store::Error::NotFound { .. }) => {
            copy_problem(&page, system, f, "backups-no-copy").await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn copy_success(page: FacilityPage, Form(f): Form<Typed>) -> Page {
    let lang = page.lang;
    let system = id(field(&f, "system")).unwrap_or(-1);
    let Some(copy) = id(field(&f, "copy")) else {
        return copy_problem(&page, system, f, "backups-no-copy").await;
    };
    let today = Date::in_japan(page.state.now());
    let on = match past_day(Field::BackupLastSuccess, field(&f, "on"), today) {
        Ok(Some(d)) => d,
        Ok(None) => today,
        Err(e) => return refused(&page, refill(lang, system, "success", f, &[e])).await,
    };
    let store = page.state.store();
    // A day older than the one recorded would hide a newer success.
    let recorded = store
        .backup_copies(&page.ctx.scope)
        .await?
        .into_iter()
        .find(|c| c.id == CopyId(copy))
        .and_then(|c| c.details.last_success);
    if let Some(last) = recorded
        && on < last
    {
        let mut r = refill(lang, system, "success", f, &[]);
        r.messages.push(lang.tr(
            "backups-success-older",
            text::args![date = text::day(lang, last)],
        ));
        return refused(&page, r).await;
    }
    match store
        .set_backup_success(
            &page.ctx.scope,
            &page.actor(),
            page.state.now(),
            CopyId(copy),
            on,
        )
        .await
    {
        Ok(()) => Ok(back(&page, system, "recorded")),
        Err(store::Error::NotFound { .. }) => {
            copy_problem(&page, system, f, "backups-no-copy").await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_goal(page: FacilityPage, Form(f): Form<Typed>) -> Page {
    let lang = page.lang;
    let Some(system) = id(field(&f, "system")) else {
        return copy_problem(&page, -1, f, "backups-choose-system").await;
    };
    // Up to a year in hours.
    let mut p = Vec::new();
    let rpo = check(&mut p, number(Field::BackupRpo, field(&f, "rpo"), 8_784));
    let rto = check(&mut p, number(Field::BackupRto, field(&f, "rto"), 8_784));
    let (Some(rpo_hours), Some(rto_hours)) = (rpo, rto) else {
        return refused(&page, refill(lang, system, "goal", f, &p)).await;
    };
    let goal = Goal {
        rpo_hours,
        rto_hours,
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
        Ok(()) => Ok(back(&page, system, "saved")),
        Err(store::Error::NotFound { .. }) => {
            copy_problem(&page, -1, f, "backups-choose-system").await
        }
        Err(e) => Err(e.into()),
    }
}

fn read_drill(f: &Typed, system: AssetId, today: Date) -> Result<NewDrill, Vec<domain::Error>> {
    let mut p = Vec::new();
    let typed_on = field(f, "on");
    let on = match Date::parse_field(Field::DrillDate, typed_on) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            p.push(domain::Error::invalid(
                Field::DrillDate,
                typed_on,
                domain::Rule::Required,
            ));
            None
        }
        Err(e) => {
            p.push(e);
            None
        }
    };
    let result = match field(f, "result") {
        "planned" => Some(None),
        code => check(&mut p, DrillResult::parse(code).map(Some)),
    };
    // A drill done is done by today; a planned one may lie ahead.
    if let (Some(on), Some(Some(_))) = (on, result)
        && on > today
    {
        p.push(domain::Error::invalid(
            Field::DrillDate,
            typed_on,
            domain::Rule::DoneInTheFuture,
        ));
    }
    let minutes = check(
        &mut p,
        number(Field::DrillMinutes, field(f, "minutes"), 60 * 24 * 60),
    );
    let problems = check(
        &mut p,
        domain::text::optional(Field::DrillProblems, Some(field(f, "problems")), 1000),
    );
    let drill = on.map(|on| NewDrill::new(system, on, field(f, "what")));
    let drill = match drill {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            p.push(e);
            None
        }
        None => check(&mut p, NewDrill::new(system, today, field(f, "what"))).and(None),
    };
    match (drill, result, minutes, problems) {
        (Some(d), Some(result), Some(minutes), Some(problems)) if p.is_empty() => Ok(NewDrill {
            result,
            minutes,
            problems,
            ..d
        }),
        _ => Err(p),
    }
}

pub async fn add_drill(page: FacilityPage, Form(f): Form<Typed>) -> Page {
    let lang = page.lang;
    let Some(system) = id(field(&f, "system")) else {
        return copy_problem(&page, -1, f, "backups-choose-system").await;
    };
    let today = Date::in_japan(page.state.now());
    let drill = match read_drill(&f, AssetId(system), today) {
        Ok(d) => d,
        Err(p) => return refused(&page, refill(lang, system, "drill", f, &p)).await,
    };
    match page
        .state
        .store()
        .record_drill(&page.ctx.scope, &page.actor(), page.state.now(), &drill)
        .await
    {
        Ok(_) => Ok(back(&page, system, "recorded")),
        Err(store::Error::NotFound { .. }) => {
            copy_problem(&page, -1, f, "backups-choose-system").await
        }
        Err(e) => Err(e.into()),
    }
}
