//! `mamori user add` and `mamori user list`.

use crate::output::say;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use anyhow::Result;
use domain::facility::FacilityRef;
use domain::{Clock, Email, Membership, Role};
use store::Store;
use text::{Lang, args};

use crate::cli::Format;
use crate::commands::cli_actor;
use crate::config::Config;
use crate::failure::{self, Failure};
use crate::{keys, output};

pub struct AddUser<'a> {
    pub facility: &'a str,
    pub role: &'a str,
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub vendor: Option<&'a str>,
}

/// The password from standard input (its first line), unless that is a terminal or empty.
fn password_from_stdin(lang: Lang) -> Result<Option<String>, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut text = String::new();
    stdin
        .lock()
        .take(4096)
        .read_to_string(&mut text)
        .map_err(|e| Failure(lang.tr("error-password-stdin", args![detail = e.to_string()])))?;
    let first = text.lines().next().unwrap_or("").to_string();
    Ok((!first.is_empty()).then_some(first))
}

pub async fn add(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    req: AddUser<'_>,
) -> Result<ExitCode> {
    let invalid = |e: domain::Error| Failure(service::messages::domain_error(lang, &e));
    let fail = failure::store(lang, &cfg.database_url);
    let role = Role::parse(req.role).map_err(invalid)?;
    let email = Email::parse(req.email).map_err(invalid)?;
    let vendor_name = req
        .vendor
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    if role == Role::Vendor && vendor_name.is_none() {
        return Err(Failure(lang.t("error-vendor-name")).into());
    }
    let facility_ref = FacilityRef::parse(req.facility).map_err(invalid)?;
    let facility = store.facility(&facility_ref).await.map_err(&fail)?;
    let actor = cli_actor();
    let role_label = lang.t(&format!("role-{}", role.code()));
    let existing = store.user_by_email(&email).await.map_err(&fail)?;
    let user = match existing {
        Some(u) => {
            say!(
                "{}",
                lang.tr(
                    "user-membership-added",
                    args![
                        email = email.to_string(),
                        facility = &facility.name,
                        role = &role_label
                    ]
                )
            );
            u
        }
        None => {
            let given = password_from_stdin(lang)?;
            let generated = given.is_none();
            let password =
                given.unwrap_or_else(|| service::auth::generated_password(&keys::OsEntropy));
            domain::access::check_password(
                &password,
                &[facility.short_name.as_str(), &facility.name],
            )
            .map_err(invalid)?;
            let hash =
                service::auth::hash_password(&password, &keys::OsEntropy).map_err(Failure)?;
            let u = store
                .add_user(&actor, &email, req.name, &hash, clock.now())
                .await
                .map_err(&fail)?;
            say!(
                "{}",
                lang.tr(
                    "user-added",
                    args![
                        email = email.to_string(),
                        facility = &facility.name,
                        role = &role_label
                    ]
                )
            );
            if generated {
                say!(
                    "{}",
                    lang.tr("user-password-generated", args![password = password])
                );
            }
            u
        }
    };
    let m = Membership {
        user: user.id,
        facility: facility.id,
        role,
        vendor_name,
        expires_at: None,
    };
    store
        .set_membership(&actor, &m, clock.now())
        .await
        .map_err(&fail)?;
    Ok(ExitCode::SUCCESS)
}

pub async fn list(lang: Lang, cfg: &Config, store: &Store, format: Format) -> Result<ExitCode> {
    let users = store
        .users()
        .await
        .map_err(failure::store(lang, &cfg.database_url))?;
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = users
                .iter()
                .map(|(u, access)| {
                    serde_json::json!({
                        "id": u.id.0,
                        "email": u.email.as_str(),
                        "display_name": u.display_name,
                        "second_factor": u.totp_enrolled,
                        "locked_until": u.locked_until.map(|t| t.unix_millis()),
                        "facilities": access.iter().map(|a| serde_json::json!({
                            "id": a.membership.facility.0,
                            "short_name": a.short_name,
                            "role": a.membership.role.code(),
                            "vendor_name": a.membership.vendor_name,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items)?);
        }
        Format::Table if users.is_empty() => say!("{}", lang.t("user-none")),
        Format::Table => {
            let header: Vec<String> =
                ["col-id", "col-email", "col-second-factor", "col-facilities"]
                    .iter()
                    .map(|id| lang.t(id))
                    .collect();
            let rows: Vec<Vec<String>> = users
                .iter()
                .map(|(u, access)| {
                    let facilities = access
                        .iter()
                        .map(|a| {
                            format!(
                                "{}:{}",
                                a.short_name,
                                lang.t(&format!("role-{}", a.membership.role.code()))
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    vec![
                        u.id.0.to_string(),
                        u.email.to_string(),
                        lang.t(if u.totp_enrolled { "yes" } else { "no" }),
                        facilities,
                    ]
                })
                .collect();
            print!("{}", output::table(&header, &rows));
        }
    }
    Ok(ExitCode::SUCCESS)
}
