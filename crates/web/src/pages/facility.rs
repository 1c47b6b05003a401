//! A facility's dashboard (real figures only) and its ledger list.

use askama::Template;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::{Asset, RemoteMaintenance, Role};

use super::{FacilityPage, Frame, render, when};
use crate::session::{FacilityCtx, Session};
use crate::{AppState, Lang};
use crate::{Page, WebError};

/// The frame of a facility page, or the error page to show instead.
pub async fn frame(
    state: &AppState,
    lang: Lang,
    session: &Option<Session>,
    ctx: &FacilityCtx,
    uri: &OriginalUri,
) -> Result<Frame, Response> {
    let Some(session) = session else {
        return Err(super::not_found_page(lang));
    };
    let mut frame = Frame::signed_in(state, lang, session, uri.path(), Some(ctx))
        .await
        .map_err(|e| WebError::internal(e).into_response())?;
    frame.evaluating = state.evaluations().busy(ctx.facility.id);
    frame.done = super::done_message(lang, uri.query());
    Ok(frame)
}

/// The assets this member may see: a vendor sees only the systems it maintains.
pub async fn visible_assets(
    state: &AppState,
    ctx: &FacilityCtx,
) -> Result<Vec<Asset>, store::Error> {
    let assets = state.store().assets(&ctx.scope).await?;
    Ok(match (ctx.membership.role, &ctx.membership.vendor_name) {
        (Role::Vendor, Some(vendor)) => assets
            .into_iter()
            .filter(|a| a.details.vendor.as_deref() == Some(vendor.as_str()))
            .collect(),
        (Role::Vendor, None) => Vec::new(),
        _ => assets,
    })
}

pub struct KindCount {
    pub label: String,
    pub count: usize,
}

/// One of the first things to do, in words, with its link.
pub struct ToDoRow {
    /// Its place in the list, from 1.
    pub number: usize,
    pub what: String,
    pub why: String,
    pub call: String,
    pub href: String,
    /// A hole ransomware gangs use on a device facing the outside.
    pub severe: bool,
}

/// The first things to do, worded and linked (`service::priorities`).
fn to_do_rows(lang: Lang, base: &str, list: &[service::priorities::ToDo]) -> Vec<ToDoRow> {
    use domain::priority::Why;
    list.iter()
        .enumerate()
        .map(|(i, t)| {
            let (what, why, call) = crate::messages::to_do(lang, t);
            let a = &t.action;
            let href = match (&a.why, a.finding, a.asset) {
                (Why::WeakWayIn { point, .. }, _, _) => format!("{base}connections/{}", point.0),
                (Why::Account { .. }, _, _) => format!("{base}accounts#account-problems"),
                (Why::BackupsReachable { .. }, _, Some(asset)) => {
                    format!("{base}backups#system-{}", asset.0)
                }
                (_, Some(f), _) => format!("{base}vulnerabilities/{}", f.0),
                (_, None, Some(asset)) => format!("{base}assets/{}", asset.0),
                _ => format!("{base}vulnerabilities"),
            };
            ToDoRow {
                number: i + 1,
                what,
                why,
                call,
                href,
                severe: matches!(a.why, Why::RansomwareHoleOutside { .. }),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "facility/dashboard.html")]
struct Dashboard {
    frame: Frame,
    name: String,
    kind: String,
    beds: String,
    assets: usize,
    remote: usize,
    by_kind: Vec<KindCount>,
    members: Option<usize>,
    /// For those who may see the accounts: `None` inside when no list was imported, else the
    /// problems to fix now and all problems.
    accounts: Option<Option<(usize, usize)>>,
    /// For those who see the whole facility: systems that keep 3-2-1-1-0, all systems, and
    /// what is wrong in words (every copy reachable, nothing recorded).
    backups: Option<(usize, usize, Vec<String>)>,
    /// For those who see the whole facility: the day of an attack prepared, line by line
    /// (words, in order or not): the contact chart, the last drill, the BCP.
    readiness: Option<Vec<(String, bool)>>,
    /// A real response (not a drill) is open: said first, in words.
    responding: Option<String>,
    audit_count: Option<i64>,
    audit_latest: Option<String>,
    /// Connection points and how many have gaps, for those who may see them.
    connections: Option<(usize, usize)>,
    /// Devices maintained remotely with no way in registered, in words.
    unregistered: Option<String>,
    /// Devices with a finding, for those who may see the vulnerabilities page; `Some(None)`
    /// when no NVD data is imported (nothing can be judged: no number is shown).
    vulns: Option<Option<usize>>,
    /// Devices checked against the records, of the devices shown.
    checked: Option<String>,
    /// How many devices are past their end of support, when any are.
    past_support: Option<String>,
    /// The first three things to do (`None` for those who may not see findings).
    to_do: Option<Vec<ToDoRow>>,
    /// The others, and how many they are in words.
    to_do_rest: Option<(String, Vec<ToDoRow>)>,
    /// Risks accepted for now: (link, what, until when, why).
    accepted: Vec<(String, String)>,
    /// Devices not checked against the records, in words (said when nothing else is to do).
    unchecked: Option<String>,
    /// No vulnerability data yet: an empty list means "cannot tell", not "nothing".
    unjudged: bool,
    /// This fiscal year's checklist: (answered of all, いいえ and the nearest target day,
    /// overdue), for those who may see it.
    checklist: Option<(String, Option<String>, bool)>,
    base: String,
    is_vendor: bool,
}

pub async fn dashboard(page: FacilityPage) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri,
    } = page;
    let frame = frame(&state, lang, &session, &ctx, &uri).await?;
    let result = async {
        let assets = visible_assets(&state, &ctx).await?;
        let role = ctx.membership.role;
        let members = if role.can(domain::Permission::ManageMembers) {
            Some(state.store().members(&ctx.scope).await?.len())
        } else {
            None
        };
        let audit = if role.can(domain::Permission::ViewAudit) {
            Some(
                state
                    .store()
                    .facility_audit_summary(ctx.facility.id)
                    .await?,
            )
        } else {
            None
        };
        let connections = if role.can(domain::Permission::View) {
            let points = state.store().connection_points(&ctx.scope).await?;
            let today = domain::Date::in_japan(state.now());
            let with_gaps = points
                .iter()
                .filter(|p| {
                    let device = p
                        .details
                        .asset
                        .and_then(|id| assets.iter().find(|a| a.id == id));
                    !domain::connection::gaps(&p.details, device.map(|a| &a.details), today)
                        .is_empty()
                })
                .count();
            let unregistered = domain::connection::unregistered_remote(&assets, &points).len();
            Some((points.len(), with_gaps, unregistered))
        } else {
            None
        };
        let vulns = if role.can(domain::Permission::View) {
            crate::vulns::ensure_current(
                state.store(),
                &ctx.scope,
                state.now(),
                Some(state.feed_cache()),
            )
            .await?;
            let judged = state.store().nvd_count().await? > 0;
            let devices = state.store().devices_with_findings(&ctx.scope).await?;
            Some(judged.then_some(devices as usize))
        } else {
            None
        };
        let checked = match vulns {
            Some(Some(_)) => {
                let n = state.store().checked_devices(&ctx.scope).await?;
                Some((
                    lang.tr(
                        "dash-checked",
                        crate::args![checked = n, total = assets.len()],
                    ),
                    assets.len().saturating_sub(usize::try_from(n).unwrap_or(0)),
                ))
            }
            _ => None,
        };
        let to_do = if role.can(domain::Permission::View) {
            Some(
                service::priorities::to_do(
                    state.store(),
                    &ctx.scope,
                    &assets,
                    (
                        role != Role::Vendor,
                        role.can(domain::Permission::ViewAccounts),
                    ),
                    state.now(),
                )
                .await?,
            )
        } else {
            None
        };
        let checklist = if role.can(domain::Permission::View) {
            service::checklist::standing(
                state.store(),
                &ctx.scope,
                domain::Date::in_japan(state.now()),
            )
            .await?
        } else {
            None
        };
        let accounts = if role.can(domain::Permission::ViewAccounts) {
            let view = service::accounts::overview(
                state.store(),
                &ctx.scope,
                domain::Date::in_japan(state.now()),
                state.unused_days(),
            )
            .await?;
            Some((!view.is_empty()).then(|| (view.urgent().count(), view.review.findings.len())))
        } else {
            None
        };
        // The BCP's load joins the backups, the chart and the drills: the backups card and
        // the readiness card read it once.
        let readiness = if role.can(domain::Permission::View) {
            let open = service::incident::responses(state.store(), &ctx.scope)
                .await?
                .0
                .filter(|i| !i.drill);
            Some((
                service::bcp::load(state.store(), &ctx.scope, state.now()).await?,
                open,
            ))
        } else {
            None
        };
        let backups = readiness.as_ref().map(|(b, _)| {
            let view = &b.backups;
            let urgent = view.systems.iter().filter(|s| s.urgent()).count();
            let none = view.systems.iter().filter(|s| s.copies.is_empty()).count();
            (view.kept(), view.systems.len(), (urgent, none))
        });
        Ok::<_, store::Error>((
            assets,
            members,
            audit,
            connections,
            vulns,
            checked,
            to_do,
            (checklist, accounts, backups, readiness),
        ))
    }
    .await;
    let (
        assets,
        members,
        audit,
        connections,
        vulns,
        checked,
        to_do,
        (checklist, accounts, backups, readiness),
    ) = result?;
    let base = format!("/f/{}/", ctx.facility.id.0);
    let accepted: Vec<(String, String)> = to_do
        .as_ref()
        .map(|now| {
            now.accepted
                .iter()
                .map(|a| {
                    (
                        format!("{base}vulnerabilities/{}", a.finding.0),
                        lang.tr(
                            "todo-accepted-line",
                            crate::args![
                                device = a.device.as_str(),
                                cve = a.cve.as_str(),
                                until = text::day(lang, a.until),
                                reason = a.reason.as_str()
                            ],
                        ),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut to_do = to_do.map(|now| to_do_rows(lang, &base, &now.actions));
    let to_do_rest = to_do.as_mut().and_then(|l| {
        let rest = l.split_off(l.len().min(3));
        (!rest.is_empty()).then(|| (lang.tr("todo-rest", crate::args![count = rest.len()]), rest))
    });
    let by_kind = domain::AssetKind::ALL
        .iter()
        .map(|k| KindCount {
            label: lang.t(&format!("asset-kind-{}", k.code())),
            count: assets.iter().filter(|a| a.details.kind == *k).count(),
        })
        .filter(|k| k.count > 0)
        .collect();
    let f = &ctx.facility;
    let page = Dashboard {
        frame,
        name: f.name.clone(),
        kind: lang.t(&format!("facility-kind-{}", f.kind.code())),
        beds: f
            .beds
            .map_or_else(|| lang.t("beds-none"), |b| b.get().to_string()),
        assets: assets.len(),
        remote: assets
            .iter()
            .filter(|a| a.details.remote_maintenance == RemoteMaintenance::Yes)
            .count(),
        by_kind,
        members,
        accounts,
        backups: backups.map(|(kept, all, (urgent, none))| {
            let mut words = Vec::new();
            if urgent > 0 {
                words.push(lang.tr("dash-backups-reachable", crate::args![count = urgent]));
            }
            if none > 0 {
                words.push(lang.tr("dash-backups-none-recorded", crate::args![count = none]));
            }
            (kept, all, words)
        }),
        responding: readiness
            .as_ref()
            .and_then(|(_, open)| open.as_ref())
            .map(|i| {
                lang.tr(
                    "dash-responding",
                    crate::args![
                        started = text::when(lang, i.started_at),
                        done = i.done.len(),
                        steps = domain::incident::PLAYBOOK.len()
                    ],
                )
            }),
        readiness: readiness.map(|(b, _)| {
            let gaps = b.chart.gaps.missing_roles.len() + b.chart.gaps.vendors_without_phone.len();
            let chart = if gaps == 0 {
                (lang.t("dash-ready-chart-ok"), true)
            } else {
                (
                    lang.tr("dash-ready-chart-gaps", crate::args![count = gaps]),
                    false,
                )
            };
            let drill = match b.last_drill {
                Some(t) => (
                    lang.tr(
                        "dash-ready-drill",
                        crate::args![day = text::day(lang, domain::Date::in_japan(t))],
                    ),
                    true,
                ),
                None => (lang.t("dash-ready-no-drill"), false),
            };
            let plan = match &b.text.approval {
                Some(a) if !b.review_due => (
                    lang.tr(
                        "dash-ready-bcp",
                        crate::args![day = text::day(lang, a.review_by())],
                    ),
                    true,
                ),
                _ => (lang.t("dash-ready-no-bcp"), false),
            };
            vec![chart, drill, plan]
        }),
        audit_count: audit.map(|(n, _)| n),
        audit_latest: audit.and_then(|(_, t)| t).map(|t| when(lang, t)),
        connections: connections.map(|(n, gaps, _)| (n, gaps)),
        unregistered: match connections.map_or(0, |(_, _, u)| u) {
            0 => None,
            n => Some(lang.tr("dash-remote-unregistered", crate::args![count = n])),
        },
        vulns,
        checked: checked.as_ref().map(|(text, _)| text.clone()),
        past_support: match crate::vulns::past_support(&assets, domain::Date::in_japan(state.now()))
            .len()
        {
            0 => None,
            n => Some(lang.tr("dash-eos", crate::args![count = n])),
        },
        unjudged: matches!(vulns, Some(None)),
        checklist: checklist.map(|c| {
            let overdue = c.nearest_target.is_some_and(|(_, passed)| passed);
            (
                lang.tr(
                    "dash-checklist-answered",
                    crate::args![
                        round = c.round,
                        answered = c.answered,
                        items = c.items,
                        locked = if c.locked { "yes" } else { "no" }
                    ],
                ),
                (c.no > 0).then(|| {
                    lang.tr(
                        "dash-checklist-no",
                        crate::args![
                            no = c.no,
                            target = c
                                .nearest_target
                                .map(|(d, _)| text::day(lang, d))
                                .unwrap_or_default()
                        ],
                    )
                }),
                overdue,
            )
        }),
        to_do,
        to_do_rest,
        accepted,
        unchecked: match checked.as_ref().map_or(0, |(_, n)| *n) {
            0 => None,
            n => Some(lang.tr("todo-none-unchecked", crate::args![count = n])),
        },
        base,
        is_vendor: ctx.membership.role == Role::Vendor,
    };
    Ok(render(StatusCode::OK, page))
}

pub struct FindingRow {
    pub id: i64,
    pub text: String,
    /// A version the scan saw: confirming writes it into the ledger.
    pub writes: bool,
}

pub struct AssetRow {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub roles: String,
    pub location: String,
    pub ip: String,
    pub product: String,
    pub version: String,
    pub vendor: String,
    pub remote: String,
    pub remote_yes: bool,
}

#[derive(Template)]
#[template(path = "ledger/ledger.html")]
struct Ledger {
    frame: Frame,
    /// A device just retired: what happened and where "undo" posts.
    retired: Option<(String, String)>,
    rows: Vec<AssetRow>,
    kinds: Vec<super::connections::Choice>,
    q: String,
    shown: String,
    findings: Vec<FindingRow>,
    csrf: String,
    is_vendor: bool,
    can_edit: bool,
    can_export: bool,
    base: String,
}

/// The ledger list's filters: a kind, and words searched in every text field.
#[derive(serde::Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    q: String,
    /// A device just retired: the page says so and offers to bring it back.
    #[serde(default)]
    retired: Option<String>,
}

fn matches_filter(a: &Asset, kind: Option<domain::AssetKind>, words: &[String]) -> bool {
    let d = &a.details;
    if kind.is_some_and(|k| d.kind != k) {
        return false;
    }
    let hay = [
        Some(d.name.as_str()),
        d.location.as_deref(),
        d.maker.as_deref(),
        d.model.as_deref(),
        d.os_name.as_deref(),
        d.os_version.as_deref(),
        d.vendor.as_deref(),
        d.serial.as_deref(),
        d.segment.as_deref(),
        d.notes.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase();
    let roles = d.roles.join(" ").to_lowercase();
    let ip = d.ip.map(|i| i.to_string()).unwrap_or_default();
    words
        .iter()
        .all(|w| hay.contains(w) || roles.contains(w) || ip.contains(w))
}

pub async fn ledger(
    page: FacilityPage,
    axum::extract::Query(filter): axum::extract::Query<Filter>,
) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri,
    } = page;
    let frame = frame(&state, lang, &session, &ctx, &uri).await?;
    let assets = visible_assets(&state, &ctx).await?;
    let total = assets.len();
    let kind = domain::AssetKind::parse(&filter.kind).ok();
    let words: Vec<String> = filter
        .q
        .split_whitespace()
        .take(10)
        .map(str::to_lowercase)
        .collect();
    let assets: Vec<Asset> = assets
        .into_iter()
        .filter(|a| matches_filter(a, kind, &words))
        .collect();
    let kinds = domain::AssetKind::ALL
        .iter()
        .map(|k| super::connections::Choice {
            code: k.code().to_string(),
            label: lang.t(&format!("asset-kind-{}", k.code())),
            selected: Some(*k) == kind,
        })
        .collect();
    let shown = lang.tr(
        "ledger-shown",
        crate::args![shown = assets.len(), total = total],
    );
    let retired = match filter
        .retired
        .as_deref()
        .and_then(|r| r.parse::<i64>().ok())
    {
        Some(id) if ctx.membership.role.can(domain::Permission::EditLedger) => state
            .store()
            .retired_asset(&ctx.scope, domain::AssetId(id))
            .await?
            .map(|a| {
                (
                    lang.tr("retired-notice", crate::args![name = a.details.name]),
                    format!("/f/{}/assets/{}/restore", ctx.facility.id.0, id),
                )
            }),
        _ => None,
    };
    let findings = if ctx.membership.role.can(domain::Permission::View) {
        state.store().open_findings(&ctx.scope).await?
    } else {
        Vec::new()
    };
    let name = |id: domain::AssetId| {
        assets
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.0.to_string(), |a| a.details.name.clone())
    };
    let findings = findings
        .iter()
        .map(|f| FindingRow {
            id: f.id,
            text: crate::messages::stored_finding(lang, f, &name),
            writes: f.kind == "version-seen",
        })
        .collect();
    let dash = || lang.t("beds-none");
    let rows = assets
        .into_iter()
        .map(|a| {
            let d = a.details;
            let join = |a: &Option<String>, b: &Option<String>| {
                let s = [a.as_deref(), b.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                if s.is_empty() { dash() } else { s }
            };
            AssetRow {
                href: format!("/f/{}/assets/{}", ctx.facility.id.0, a.id.0),
                kind: lang.t(&format!("asset-kind-{}", d.kind.code())),
                roles: if d.roles.is_empty() {
                    dash()
                } else {
                    d.roles.join("・")
                },
                location: d.location.clone().unwrap_or_else(dash),
                ip: d.ip.map_or_else(dash, |ip| ip.to_string()),
                product: join(&d.maker, &d.model),
                version: join(&d.os_name, &d.os_version),
                vendor: d.vendor.clone().unwrap_or_else(dash),
                remote: lang.t(&format!("remote-{}", d.remote_maintenance.code())),
                remote_yes: d.remote_maintenance == RemoteMaintenance::Yes,
                name: d.name,
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        Ledger {
            retired,
            frame,
            rows,
            kinds,
            q: filter.q.chars().take(100).collect(),
            shown,
            findings,
            csrf: session
                .as_ref()
                .map(|s| s.row.csrf_token.clone())
                .unwrap_or_default(),
            is_vendor: ctx.membership.role == Role::Vendor,
            can_edit: ctx.membership.role.can(domain::Permission::EditLedger),
            can_export: ctx.membership.role.can(domain::Permission::View),
            base: format!("/f/{}/", ctx.facility.id.0),
        },
    ))
}

#[derive(serde::Deserialize)]
pub struct Decision {
    #[serde(default)]
    decision: String,
}

/// A person's decision on a scan finding.
pub async fn decide(
    page: FacilityPage,
    axum::extract::Path((_, id)): axum::extract::Path<(String, String)>,
    axum::extract::Form(d): axum::extract::Form<Decision>,
) -> Page {
    let lang = page.lang;
    let Ok(id) = id.parse::<i64>() else {
        return Ok(super::not_found_page(lang));
    };
    let confirm = match d.decision.as_str() {
        "confirm" => true,
        "dismiss" => false,
        _ => {
            return Ok(super::message_page(
                lang,
                StatusCode::BAD_REQUEST,
                "rule-unknown-choice",
            ));
        }
    };
    let actor = page.actor();
    match page
        .state
        .store()
        .decide_finding(&page.ctx.scope, &actor, id, confirm, page.state.now())
        .await
    {
        Ok(()) => {
            page.state.ledger_changed(&page.ctx.scope, &actor);
            Ok(
                axum::response::Redirect::to(&format!("/f/{}/ledger", page.ctx.facility.id.0))
                    .into_response(),
            )
        }
        Err(store::Error::NotFound { .. }) => Ok(super::not_found_page(lang)),
        Err(e) => Err(e.into()),
    }
}
