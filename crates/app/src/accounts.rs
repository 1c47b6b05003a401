//! `mamori import roster`, `mamori import accounts` and `mamori accounts`: the staff roster,
//! each system's accounts, and what is wrong with them.

use std::process::ExitCode;

use anyhow::Result;
use domain::Clock;
use store::Store;
use text::{Lang, args};

use crate::cli::Format;
use crate::commands::cli_actor;
use crate::config::Config;
use crate::failure::{self, Failure};
use crate::ledger::{Read, scope_of};
use crate::output::{say, table};

pub async fn import_roster(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    read: Read,
    dry_run: bool,
) -> Result<ExitCode> {
    let scope = scope_of(lang, cfg, store, facility).await?;
    let url = cfg.database_url.redacted();
    let done = service::accounts::import_roster(
        store,
        &scope,
        &cli_actor(),
        clock.now(),
        (&read.bytes, &read.file),
        dry_run,
    )
    .await
    .map_err(|e| Failure(service::messages::accounts_problem(lang, &e, &url)))?;
    let id = if dry_run {
        "roster-dry-run"
    } else {
        "roster-imported"
    };
    say!(
        "{}",
        lang.tr(id, args![count = done.people, left = done.left])
    );
    Ok(ExitCode::SUCCESS)
}

pub struct AccountsRequest<'a> {
    pub facility: &'a str,
    pub system: &'a str,
    pub format: Option<ingest::accounts::Format>,
    pub dry_run: bool,
}

pub async fn import_accounts(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    req: AccountsRequest<'_>,
    files: Vec<Read>,
) -> Result<ExitCode> {
    let scope = scope_of(lang, cfg, store, req.facility).await?;
    let url = cfg.database_url.redacted();
    let problem = |e: service::accounts::ImportError| {
        Failure(service::messages::accounts_problem(lang, &e, &url))
    };
    let system = service::accounts::find_system(store, &scope, req.system)
        .await
        .map_err(problem)?;
    let given: Vec<(&[u8], &str)> = files
        .iter()
        .map(|r| (&r.bytes[..], r.file.as_str()))
        .collect();
    let done = service::accounts::import_accounts(
        store,
        &scope,
        &cli_actor(),
        clock.now(),
        &system,
        &given,
        req.format,
        req.dry_run,
    )
    .await
    .map_err(problem)?;
    let admins = done
        .read
        .accounts
        .iter()
        .filter(|l| l.account.admin || l.account.domain_admin)
        .count();
    let formats: Vec<&str> = done.read.formats.iter().map(|f| f.code()).collect();
    let a = args![
        system = system.name.as_str(),
        count = done.read.accounts.len(),
        admins = admins,
        formats = formats.join(", ")
    ];
    say!(
        "{}",
        lang.tr(
            if req.dry_run {
                "accounts-dry-run"
            } else {
                "accounts-imported"
            },
            a
        )
    );
    if !done.read.admins_listed && !done.read.accounts.iter().any(|l| l.account.admin) {
        say!("{}", lang.t("accounts-no-admin-list"));
    }
    if let Some(c) = &done.other_computer {
        say!(
            "{}",
            lang.tr(
                "accounts-other-computer",
                args![computer = c.as_str(), system = system.name.as_str()]
            )
        );
    }
    if !done.dropped.is_empty() {
        say!(
            "{}",
            lang.tr(
                "accounts-dropped",
                args![count = done.dropped.len(), names = done.dropped.join(", ")]
            )
        );
    }
    if done.read.member_of_unreadable {
        say!("{}", lang.t("accounts-member-of-unreadable"));
    }
    if !done.unknown.is_empty() {
        say!(
            "{}",
            lang.tr(
                "accounts-unknown-holders",
                args![names = done.unknown.join(", ")]
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn list(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    format: Format,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let today = domain::Date::in_japan(clock.now());
    let view = service::accounts::overview(store, &scope, today, cfg.unused_days)
        .await
        .map_err(&fail)?;
    match format {
        Format::Json => {
            store
                .record_accounts_export(&scope, &cli_actor(), clock.now(), view.review.accounts)
                .await
                .map_err(&fail)?;
            let findings: Vec<serde_json::Value> = view
                .review
                .findings
                .iter()
                .map(|f| {
                    let (kind, id) = f.system.code();
                    let (what, todo) = service::messages::account_problem(lang, f);
                    serde_json::json!({
                        "problem": f.problem.code(),
                        "urgent": f.problem.urgent(),
                        "system": {"kind": kind, "id": id, "name": f.system_name},
                        "account": f.account,
                        "what": what,
                        "todo": todo,
                    })
                })
                .collect();
            let people: Vec<serde_json::Value> = view
                .review
                .people
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name, "job": p.job, "left": p.left,
                        "accounts": p.accounts, "systems": p.systems, "admin": p.admin,
                    })
                })
                .collect();
            let out = serde_json::json!({
                "today": view.today,
                "unused_days": view.unused_days,
                "roster": view.roster.len(),
                "accounts": view.review.accounts,
                "systems": view.systems,
                "people": people,
                "findings": findings,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Table => {
            if view.is_empty() {
                say!("{}", lang.t("accounts-none-yet"));
                return Ok(ExitCode::SUCCESS);
            }
            let header: Vec<String> = [
                "accounts-col-system",
                "accounts-col-accounts",
                "accounts-col-admins",
            ]
            .iter()
            .map(|id| lang.t(id))
            .collect();
            let rows: Vec<Vec<String>> = view
                .systems
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.enabled.to_string(),
                        lang.tr(
                            "accounts-admin-share",
                            args![
                                admins = s.admins,
                                users = s.users,
                                percent = s.admin_percent
                            ],
                        ),
                    ]
                })
                .collect();
            print!("{}", table(&header, &rows));
            say!();
            if view.review.findings.is_empty() {
                say!("{}", lang.t("accounts-no-findings"));
            }
            for f in &view.review.findings {
                let (what, todo) = service::messages::account_problem(lang, f);
                say!("- {what}\n  → {todo}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
