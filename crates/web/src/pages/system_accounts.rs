//! アカウントと権限: the accounts of the facility's own systems (PCs, the domain, the VPN)
//! checked against the staff roster, with what to do about each problem and how to bring the
//! lists. Not Mamori's users (those are on 利用者の管理).

use askama::Template;
use axum::http::StatusCode;
use domain::Date;

use super::{FacilityPage, Frame, render};
use crate::Page;

pub struct Problem {
    pub what: String,
    pub todo: String,
    pub urgent: bool,
}

pub struct AccountLine {
    pub name: String,
    pub holder: String,
    pub person: String,
    pub admin: String,
    pub enabled: String,
    pub last_logon: String,
    pub two_factor: String,
    pub flagged: bool,
}

pub struct SystemBlock {
    pub href: String,
    pub name: String,
    pub share: String,
    pub too_many_admins: bool,
    pub accounts: Vec<AccountLine>,
}

pub struct PersonLine {
    pub name: String,
    pub job: String,
    pub summary: String,
    pub left: String,
}

#[derive(Template)]
#[template(path = "system_accounts/accounts.html")]
struct AccountsPage {
    frame: Frame,
    empty: bool,
    summary: String,
    urgent: usize,
    problems: Vec<Problem>,
    systems: Vec<SystemBlock>,
    people: Vec<PersonLine>,
    roster_size: usize,
    facility_short: String,
}

pub async fn page(page: FacilityPage) -> Page {
    let frame = page.frame().await?;
    let FacilityPage {
        state, lang, ctx, ..
    } = page;
    let today = Date::in_japan(state.now());
    let view =
        service::accounts::overview(state.store(), &ctx.scope, today, state.unused_days()).await?;
    let base = format!("/f/{}/", ctx.facility.id.0);
    let yes_no = |b: Option<bool>| match b {
        Some(true) => lang.t("yes"),
        Some(false) => lang.t("no"),
        None => lang.t("accounts-unknown"),
    };
    let problems: Vec<Problem> = view
        .review
        .findings
        .iter()
        .map(|f| {
            let (what, todo) = service::messages::account_problem(lang, f);
            Problem {
                what,
                todo,
                urgent: f.problem.urgent(),
            }
        })
        .collect();
    let urgent = problems.iter().filter(|p| p.urgent).count();
    let systems = view
        .systems
        .iter()
        .map(|s| SystemBlock {
            href: match s.kind {
                "way_in" => format!("{base}connections/{}", s.id),
                _ => format!("{base}assets/{}", s.id),
            },
            name: s.name.clone(),
            share: lang.tr(
                "accounts-admin-share",
                crate::args![
                    admins = s.admins,
                    users = s.users,
                    percent = s.admin_percent
                ],
            ),
            too_many_admins: s.too_many_admins,
            accounts: s
                .accounts
                .iter()
                .map(|a| AccountLine {
                    name: a.name.clone(),
                    holder: lang.t(&format!("account-holder-{}", a.holder)),
                    person: a.person.clone().unwrap_or_default(),
                    admin: if a.domain_admin {
                        lang.t("accounts-domain-admin")
                    } else {
                        yes_no(Some(a.admin))
                    },
                    enabled: yes_no(a.enabled),
                    last_logon: a
                        .last_logon
                        .map_or_else(|| lang.t("accounts-unknown"), |d| text::day(lang, d)),
                    two_factor: yes_no(a.two_factor),
                    flagged: !a.problems.is_empty(),
                })
                .collect(),
        })
        .collect();
    let people = view
        .review
        .people
        .iter()
        .map(|p| PersonLine {
            name: p.name.clone(),
            job: p.job.clone(),
            summary: lang.tr(
                "accounts-person-summary",
                crate::args![accounts = p.accounts, systems = p.systems, admin = p.admin],
            ),
            left: p.left.map(|d| text::day(lang, d)).unwrap_or_default(),
        })
        .collect();
    let summary = lang.tr(
        "accounts-summary",
        crate::args![
            accounts = view.review.accounts,
            systems = view.systems.len(),
            roster = view.roster.len(),
            urgent = urgent,
            other = problems.len() - urgent
        ],
    );
    Ok(render(
        StatusCode::OK,
        AccountsPage {
            frame,
            empty: view.is_empty(),
            summary,
            urgent,
            problems,
            systems,
            people,
            roster_size: view.roster.len(),
            facility_short: ctx.facility.short_name.as_str().to_string(),
        },
    ))
}
