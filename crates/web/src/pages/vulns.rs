//! The vulnerabilities of a facility: the devices to act on first, each with what the hole
//! lets an attacker do, what to do and whom to call; one page per finding with its history,
//! where the director can accept a risk for a time and staff record changed passwords.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::finding::{Finding, FindingId, Harm, Kind, Status};
use domain::kev::KevEntry;
use domain::{Asset, Date, Permission};
use serde::Deserialize;

use super::{FacilityPage, Frame, render, when};
use crate::Lang;
use crate::vulns::View;
use crate::{Page, WebError};

pub struct Row {
    pub href: String,
    pub asset_href: String,
    pub asset: String,
    pub cve: String,
    pub credentials: bool,
    /// `finding-status-<code>` and whether it calls for action.
    pub status: String,
    pub urgent: bool,
    pub edge: bool,
    pub kev: Option<String>,
    pub ransomware: bool,
    pub cvss: String,
    pub harm: String,
    pub todo: String,
    pub required_action: String,
    /// CISA's required action in the reader's words (the original stays beside it).
    pub required_action_words: String,
    pub closed: String,
    /// JVN iPedia's Japanese title, and its page.
    pub jvn: Option<(String, Option<String>)>,
}

/// A device the last evaluation did not check, with why and what to do.
pub struct Unchecked {
    pub href: String,
    pub name: String,
    /// It may face the outside (UTM, VPN, router, or a network device of unknown role).
    pub outside: bool,
    pub reason: String,
    pub todo: String,
    pub candidates: Vec<String>,
}

/// The devices of `view` not checked: those that may face the outside first.
pub fn unchecked(
    lang: Lang,
    base: &str,
    view: &crate::vulns::View,
    assets: &[domain::Asset],
) -> Vec<Unchecked> {
    let mut out: Vec<Unchecked> = view
        .not_checked()
        .filter_map(|(id, reason, candidates)| {
            let a = assets.iter().find(|a| a.id == id)?;
            Some(Unchecked {
                href: format!("{base}assets/{}", id.0),
                name: a.details.name.clone(),
                outside: domain::identify::may_face_outside(&a.details),
                reason: crate::messages::check_reason(lang, reason),
                todo: crate::messages::check_todo(lang, reason, &a.details),
                candidates: candidates.to_vec(),
            })
        })
        .collect();
    out.sort_by_key(|u| !u.outside);
    out
}

/// A device past its end of support.
pub struct PastSupport {
    pub href: String,
    pub name: String,
    pub text: String,
    /// The maker's page the date comes from (none for the ledger's own date).
    pub source: Option<String>,
}

pub fn past_support(
    lang: Lang,
    base: &str,
    assets: &[domain::Asset],
    today: Date,
) -> Vec<PastSupport> {
    crate::vulns::past_support(assets, today)
        .into_iter()
        .map(|(a, e)| PastSupport {
            href: format!("{base}assets/{}", a.id.0),
            name: a.details.name.clone(),
            text: crate::messages::support_text(lang, &e, today),
            source: match e.source {
                domain::support::Source::Table { source, .. } => {
                    crate::vulns::web_link(source.split_whitespace().next().map(str::to_string))
                }
                domain::support::Source::Ledger => None,
            },
        })
        .collect()
}

/// 「12 台のうち 10 台を照合しました」.
pub fn coverage(lang: Lang, view: &crate::vulns::View) -> String {
    let (checked, total) = view.checked_count();
    if checked == total {
        lang.tr("check-coverage-all", crate::args![total = total])
    } else {
        lang.tr(
            "check-coverage",
            crate::args![
                total = total,
                checked = checked,
                unchecked = total - checked
            ],
        )
    }
}

/// When CISA listed it, and (on the finding's page) its due date said for what it is: the
/// US federal agencies' deadline, not the clinic's.
fn kev_dates(lang: Lang, k: &KevEntry, long: bool) -> String {
    let added = text::day(lang, k.date_added);
    match k.due_date {
        Some(due) if long => lang.tr(
            "vuln-kev-dates",
            crate::args![added = added, due = text::day(lang, due)],
        ),
        _ => added,
    }
}

/// What the feeds say of a finding's CVE: its KEV entry, JVN's title, and CWE numbers KEV
/// does not give.
struct Known<'a> {
    kev: Option<&'a KevEntry>,
    jvn: Option<&'a (String, Option<String>)>,
    cwes: &'a [String],
    /// The hole is used from inside (the device itself or beside it).
    local: bool,
}

fn row(
    lang: Lang,
    base: &str,
    f: &Finding,
    asset: Option<&Asset>,
    known: Known<'_>,
    today: Date,
    long: bool,
) -> Row {
    let vendor = asset
        .and_then(|a| a.details.vendor.clone())
        .unwrap_or_else(|| lang.t("vuln-vendor-unknown"));
    let status = f.status(today);
    let todo_id = match (f.kind, f.facts.outcome) {
        _ if status == Status::Fixed => "vuln-do-fixed",
        (Kind::Credentials, _) => "vuln-do-credentials",
        (Kind::Vulnerability, domain::nvd::Outcome::Affected) => "vuln-do-affected",
        (Kind::Vulnerability, _) => "vuln-do-review",
    };
    let Known {
        kev,
        jvn,
        cwes,
        local,
    } = known;
    let cwes = match kev.map(|k| k.cwes.as_slice()) {
        Some(list) if !list.is_empty() => list,
        _ => cwes,
    };
    Row {
        href: format!("{base}vulnerabilities/{}", f.id.0),
        asset_href: format!("{base}assets/{}", f.asset.0),
        asset: asset.map_or_else(String::new, |a| a.details.name.clone()),
        cve: f.cve.clone(),
        credentials: f.kind == Kind::Credentials,
        status: lang.t(&format!("finding-status-{}", status.code())),
        // A hole attackers use that nobody could rule out is as urgent as a known one.
        urgent: status == Status::Open || (status == Status::NeedsReview && f.facts.kev),
        edge: f.facts.edge,
        kev: kev.map(|k| kev_dates(lang, k, long)),
        ransomware: f.facts.ransomware,
        cvss: f.facts.cvss.map_or_else(String::new, |s| format!("{s:.1}")),
        harm: lang.t(&format!(
            "vuln-harm-{}",
            Harm::of(&f.cve, cwes, local).code()
        )),
        todo: lang.tr(todo_id, crate::args![vendor = &vendor]),
        required_action: kev.map(|k| k.required_action.clone()).unwrap_or_default(),
        required_action_words: kev
            .map(|k| crate::messages::kev_action(lang, &k.required_action))
            .unwrap_or_default(),
        closed: f.closed_at.map_or_else(String::new, |t| when(lang, t)),
        jvn: jvn.cloned(),
    }
}

/// The rows of a view: standing findings, then fixed ones.
pub fn rows(lang: Lang, base: &str, view: &View, assets: &[Asset], today: Date) -> Vec<Row> {
    let by_id: HashMap<_, _> = assets.iter().map(|a| (a.id, a)).collect();
    view.findings
        .iter()
        .map(|f| {
            let known = Known {
                kev: view.kev.get(&f.cve),
                jvn: view.jvn.get(&f.cve),
                cwes: view.cwes.get(&f.cve).map_or(&[][..], Vec::as_slice),
                local: view.local.contains(&f.cve),
            };
            row(
                lang,
                base,
                f,
                by_id.get(&f.asset).copied(),
                known,
                today,
                false,
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "vulns/vulns.html")]
struct VulnsPage {
    frame: Frame,
    feeds_missing: bool,
    summary: String,
    problem: bool,
    rows: Vec<Row>,
    fixed: Vec<Row>,
    coverage: String,
    unchecked: Vec<Unchecked>,
    past_support: Vec<PastSupport>,
    /// Remote-access tools nobody registered: the device page and what was found.
    unlisted_tools: Vec<(String, String)>,
    unreadable: Option<String>,
    evaluated: Option<String>,
}

pub async fn page(page: FacilityPage) -> Page {
    let frame = page.frame().await?;
    let FacilityPage {
        state, lang, ctx, ..
    } = page;
    let now = state.now();
    let loaded = async {
        let assets = state.store().assets(&ctx.scope).await?;
        let view = crate::vulns::view(
            state.store(),
            &ctx.scope,
            &assets,
            now,
            Some(state.feed_cache()),
        )
        .await?;
        Ok::<_, store::Error>((assets, view))
    };
    let (assets, view) = loaded.await?;
    let tools = crate::vulns::unlisted_tools(state.store(), &ctx.scope, &assets).await?;
    let today = Date::in_japan(now);
    let base = format!("/f/{}/", ctx.facility.id.0);
    let (fixed, rows): (Vec<Row>, Vec<Row>) = rows(lang, &base, &view, &assets, today)
        .into_iter()
        .partition(|r| !r.closed.is_empty());
    let standing: Vec<&Finding> = view.standing(today).collect();
    let open = standing
        .iter()
        .filter(|f| f.status(today) == Status::Open)
        .count();
    let mut devices: Vec<_> = standing.iter().map(|f| f.asset).collect();
    devices.sort_unstable();
    devices.dedup();
    let summary = if rows.is_empty() {
        lang.tr("vuln-none", crate::args![cves = view.cve_count])
    } else {
        lang.tr(
            "vuln-summary",
            crate::args![
                devices = devices.len(),
                affected = open,
                review = standing.len() - open
            ],
        )
    };
    Ok(render(
        StatusCode::OK,
        VulnsPage {
            frame,
            feeds_missing: view.cve_count == 0,
            problem: !rows.is_empty(),
            summary,
            rows,
            fixed,
            coverage: coverage(lang, &view),
            unchecked: unchecked(lang, &base, &view, &assets),
            past_support: past_support(lang, &base, &assets, today),
            unlisted_tools: tools
                .into_iter()
                .filter_map(|u| {
                    let a = assets.iter().find(|a| a.id == u.asset)?;
                    Some((
                        format!("{base}assets/{}#software", a.id.0),
                        lang.tr(
                            "unlisted-tool",
                            crate::args![device = &a.details.name, program = u.program],
                        ),
                    ))
                })
                .collect(),
            unreadable: (view.unreadable > 0)
                .then(|| lang.tr("vuln-unreadable", crate::args![count = view.unreadable])),
            evaluated: view.evaluated_at.map(|t| {
                lang.tr(
                    "vuln-evaluated-at",
                    crate::args![when = when(lang, t), cves = view.cve_count],
                )
            }),
        },
    ))
}

pub struct HistoryLine {
    pub at: String,
    pub who: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "vulns/finding.html")]
struct FindingPage {
    frame: Frame,
    base: String,
    row: Row,
    outcome: String,
    opened: String,
    acceptance: Option<String>,
    credentials_changed: Option<String>,
    description: String,
    /// Who maintains the device, with the 24-hour number.
    maintainer: Option<String>,
    jvn_overview: String,
    history: Vec<HistoryLine>,
    can_accept: bool,
    can_withdraw: bool,
    can_record: bool,
    errors: Vec<String>,
    reason: String,
    until: String,
    date: String,
}

/// What a person typed into one of the finding's forms (kept when it is refused).
#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    date: String,
}

fn parse_id(text: &str) -> Option<FindingId> {
    text.parse().ok().map(FindingId)
}

async fn finding_page(
    page: &FacilityPage,
    id: FindingId,
    form: DecisionForm,
    errors: Vec<String>,
) -> Response {
    let lang = page.lang;
    let (state, ctx) = (&page.state, &page.ctx);
    let loaded = async {
        let Some(f) = state.store().finding(&ctx.scope, id).await? else {
            return Ok(None);
        };
        let asset = state.store().asset(&ctx.scope, f.asset).await?;
        let (kev, jvn) =
            crate::vulns::one_cve(state.store(), Some(state.feed_cache()), &f.cve).await?;
        let events = state
            .store()
            .finding_events(&ctx.scope, Some(id), domain::Timestamp::from_unix_millis(0))
            .await?;
        let nvd = state
            .store()
            .nvd_record(&f.cve)
            .await?
            .and_then(|t| ingest::nvd::parse(t.as_bytes()).ok())
            .and_then(|l| l.into_iter().next());
        let (description, nvd_cwes, local) =
            nvd.map_or_else(Default::default, |c| (c.description, c.cwes, c.local));
        // Whom to call about it, with the number answered at night.
        let maintainer = match &asset {
            Some(a) => service::connections::maintainer(state.store(), &ctx.scope, lang, a).await?,
            None => None,
        };
        Ok::<_, store::Error>(Some((
            (f, asset, kev, events, (description, nvd_cwes, local), jvn),
            maintainer,
        )))
    };
    let ((f, asset, kev, events, (description, nvd_cwes, local), jvn), maintainer) =
        match loaded.await {
            Ok(Some(l)) => l,
            Ok(None) => return super::not_found_page(lang),
            Err(e) => return WebError::internal(e).into_response(),
        };
    let frame = match page.frame().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let today = Date::in_japan(state.now());
    let base = format!("/f/{}/", ctx.facility.id.0);
    let role = ctx.membership.role;
    let status = f.status(today);
    let history = events
        .iter()
        .map(|e| {
            let detail = &e.detail;
            let s = |k: &str| detail[k].as_str().unwrap_or_default().to_string();
            let what = match e.event {
                domain::finding::Event::Accepted => lang.tr(
                    "finding-event-accepted",
                    crate::args![reason = s("reason"), until = s("until")],
                ),
                domain::finding::Event::CredentialsChanged => lang.tr(
                    "finding-event-credentials-changed",
                    crate::args![date = s("date")],
                ),
                domain::finding::Event::Opened
                | domain::finding::Event::Reopened
                | domain::finding::Event::Outcome => lang.tr(
                    &format!("finding-event-{}", e.event.code()),
                    crate::args![outcome = lang.t(&format!("vuln-{}", s("outcome")))],
                ),
                other => lang.t(&format!("finding-event-{}", other.code())),
            };
            HistoryLine {
                at: when(lang, e.at),
                who: e.actor.clone(),
                what,
            }
        })
        .collect();
    let status_code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(
        status_code,
        FindingPage {
            frame,
            outcome: lang.t(&format!("vuln-{}", f.facts.outcome.code())),
            opened: when(lang, f.opened_at),
            acceptance: f.acceptance.as_ref().map(|a| {
                lang.tr(
                    "finding-accepted-by",
                    crate::args![
                        reason = &a.reason,
                        by = &a.by,
                        until = text::day(lang, a.until)
                    ],
                )
            }),
            credentials_changed: f.credentials_changed.map(|d| text::day(lang, d)),
            description,
            maintainer,
            history,
            can_accept: role.can(Permission::AcceptRisk) && status != Status::Fixed,
            can_withdraw: role.can(Permission::AcceptRisk) && f.acceptance.is_some(),
            can_record: role.can(Permission::EditLedger)
                && f.kind == Kind::Credentials
                && status != Status::Fixed,
            jvn_overview: jvn.as_ref().map(|e| e.overview.clone()).unwrap_or_default(),
            row: {
                let cwes = if nvd_cwes.is_empty() {
                    jvn.as_ref().map(|e| e.cwes.clone()).unwrap_or_default()
                } else {
                    nvd_cwes
                };
                let jvn = jvn.map(|e| (e.title, crate::vulns::web_link(e.link)));
                let known = Known {
                    kev: kev.as_ref(),
                    jvn: jvn.as_ref(),
                    cwes: &cwes,
                    local,
                };
                row(lang, &base, &f, asset.as_ref(), known, today, true)
            },
            base,
            errors,
            reason: form.reason,
            until: form.until,
            date: form.date,
        },
    )
}

pub async fn detail(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let Some(id) = parse_id(&id) else {
        return Ok(super::not_found_page(page.lang));
    };
    Ok(finding_page(&page, id, DecisionForm::default(), Vec::new()).await)
}

/// The longest a risk may be accepted for before someone must decide again.
const MAX_ACCEPT_DAYS: i64 = 366;

/// 「リスクを受け入れる」: a reason and a last day, at most a year ahead.
pub async fn accept(
    page: FacilityPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return super::not_found_page(page.lang);
    };
    let lang = page.lang;
    let today = Date::in_japan(page.state.now());
    let mut errors = Vec::new();
    let reason = form.reason.trim().to_string();
    if reason.is_empty() {
        errors.push(lang.t("finding-reason-missing"));
    } else if reason.chars().count() > 1000 {
        errors.push(lang.t("finding-reason-long"));
    }
    let until = match Date::parse(form.until.trim()) {
        Ok(d) if d < today => {
            errors.push(lang.t("finding-until-past"));
            None
        }
        Ok(d) if d.days() - today.days() > MAX_ACCEPT_DAYS => {
            errors.push(lang.t("finding-until-far"));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(lang.tr(
                "finding-until-invalid",
                crate::args![value = form.until.trim()],
            ));
            None
        }
    };
    let (Some(until), true) = (until, errors.is_empty()) else {
        return finding_page(&page, id, form, errors).await;
    };
    let done = page
        .state
        .store()
        .accept_risk(
            &page.ctx.scope,
            &page.actor(),
            id,
            &reason,
            until,
            page.state.now(),
        )
        .await;
    decided(&page, id, done).await
}

pub async fn withdraw(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let Some(id) = parse_id(&id) else {
        return Ok(super::not_found_page(page.lang));
    };
    let done = page
        .state
        .store()
        .withdraw_acceptance(&page.ctx.scope, &page.actor(), id, page.state.now())
        .await;
    Ok(decided(&page, id, done).await)
}

/// 「パスワードとセッションを変更した」: the day it was done (not in the future); the finding
/// closes at once when that is after the device last ran a leaking version.
pub async fn credentials(
    page: FacilityPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return super::not_found_page(page.lang);
    };
    let lang = page.lang;
    let today = Date::in_japan(page.state.now());
    let date = match Date::parse(form.date.trim()) {
        Ok(d) if d > today => Err(lang.t("finding-date-future")),
        Ok(d) => Ok(d),
        Err(_) => Err(lang.tr(
            "finding-date-invalid",
            crate::args![value = form.date.trim()],
        )),
    };
    let date = match date {
        Ok(d) => d,
        Err(e) => return finding_page(&page, id, form, vec![e]).await,
    };
    let done = page
        .state
        .store()
        .record_credential_change(&page.ctx.scope, &page.actor(), id, date, page.state.now())
        .await;
    if matches!(done, Ok(true)) {
        page.state.ledger_changed(&page.ctx.scope, &page.actor());
    }
    decided(&page, id, done).await
}

/// After a decision: back to the finding. `Ok(false)` (nothing changed) is "no such finding"
/// when the facility has none with that id, else nothing to change (e.g. no acceptance to
/// withdraw, or the finding was fixed meanwhile): the page shows how it stands.
async fn decided(page: &FacilityPage, id: FindingId, done: Result<bool, store::Error>) -> Response {
    let back = || {
        Redirect::to(&format!(
            "/f/{}/vulnerabilities/{}?done=recorded",
            page.ctx.facility.id.0, id.0
        ))
        .into_response()
    };
    let fail = |e: &store::Error| WebError::internal(e).into_response();
    match done {
        Ok(true) => back(),
        Ok(false) => match page.state.store().finding(&page.ctx.scope, id).await {
            Ok(Some(_)) => back(),
            Ok(None) => super::not_found_page(page.lang),
            Err(e) => fail(&e),
        },
        Err(e) => fail(&e),
    }
}
