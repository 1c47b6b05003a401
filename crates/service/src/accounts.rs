//! Accounts and rights: the staff roster and each system's account inventory imported (read
//! whole, checked, stored in one audited transaction or not at all), and the review of every
//! account against the roster that the page, `mamori accounts` and the checklist share.

use domain::accounts::{self, Holder, Inventory, Review, StaffMember, SystemAccount, SystemRef};
use domain::{Actor, Asset, ConnectionPoint, Date, RemoteMaintenance, Timestamp};
use ingest::accounts::{Format, Listed, Problem, Read, RosterProblem};
use store::{FacilityScope, Replaced, Store};

#[derive(Debug)]
pub enum ImportError {
    Roster(RosterProblem),
    Accounts(Problem),
    /// No device or way in of that name (or several devices of it).
    NoSuchSystem {
        name: String,
        ambiguous: bool,
    },
    /// The template names a person who is not on the roster.
    NotOnRoster {
        file: String,
        line: usize,
        person: String,
    },
    Store(store::Error),
}

impl From<store::Error> for ImportError {
    fn from(e: store::Error) -> Self {
        ImportError::Store(e)
    }
}

/// What a roster import read (and, unless a dry run, stored).
#[derive(Debug)]
pub struct RosterImported {
    pub people: usize,
    /// People with a leave date.
    pub left: usize,
    pub replaced: Option<Replaced>,
}

pub async fn import_roster(
    store: &Store,
    scope: &FacilityScope,
    actor: &Actor,
    now: Timestamp,
    (bytes, file_name): (&[u8], &str),
    dry_run: bool,
) -> Result<RosterImported, ImportError> {
    let roster = ingest::accounts::roster(bytes, file_name).map_err(ImportError::Roster)?;
    let people: Vec<StaffMember> = roster.people.into_iter().map(|(_, m)| m).collect();
    let left = people.iter().filter(|m| m.left.is_some()).count();
    let replaced = if dry_run {
        None
    } else {
        Some(
            store
                .replace_roster(scope, actor, now, &people, file_name)
                .await?,
        )
    };
    Ok(RosterImported {
        people: people.len(),
        left,
        replaced,
    })
}

/// A system of the facility: a device or a way in, with the name people call it.
#[derive(Debug, Clone)]
pub struct System {
    pub system: SystemRef,
    pub name: String,
    /// A way in from outside.
    pub way_in: bool,
    /// A device the vendor maintains from outside.
    pub remote_maintained: bool,
}

fn systems(assets: &[Asset], points: &[ConnectionPoint]) -> Vec<System> {
    let mut out: Vec<System> = assets
        .iter()
        .map(|a| System {
            system: SystemRef::Device(a.id.0),
            name: a.details.name.clone(),
            way_in: false,
            remote_maintained: a.details.remote_maintenance == RemoteMaintenance::Yes,
        })
        .collect();
    out.extend(points.iter().map(|p| System {
        system: SystemRef::WayIn(p.id.0),
        name: p.details.name.clone(),
        way_in: true,
        remote_maintained: false,
    }));
    out
}

/// Every system of the facility whose accounts can be imported: devices, then ways in.
pub async fn all_systems(
    store: &Store,
    scope: &FacilityScope,
) -> Result<Vec<System>, store::Error> {
    Ok(systems(
        &store.assets(scope).await?,
        &store.connection_points(scope).await?,
    ))
}

/// The device or way in a person names (its name as in the ledger, any width or case).
pub async fn find_system(
    store: &Store,
    scope: &FacilityScope,
    name: &str,
) -> Result<System, ImportError> {
    let all = systems(
        &store.assets(scope).await?,
        &store.connection_points(scope).await?,
    );
    domain::text::find_named(&all, name, |s| &s.name)
        .cloned()
        .map_err(|m| ImportError::NoSuchSystem {
            name: name.to_string(),
            ambiguous: m == domain::text::NoMatch::Many,
        })
}

/// What an account import read (and, unless a dry run, stored).
#[derive(Debug)]
pub struct AccountsImported {
    pub system: System,
    pub read: Read,
    pub replaced: Option<Replaced>,
    /// Accounts whose owner nobody can tell yet (not on the roster, no kind).
    pub unknown: Vec<String>,
    /// Accounts the system has now that the new list does not name: they go.
    pub dropped: Vec<String>,
    /// The computer the file names when it is not the system chosen (a file of another PC?).
    pub other_computer: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub async fn import_accounts(
    store: &Store,
    scope: &FacilityScope,
    actor: &Actor,
    now: Timestamp,
    system: &System,
    files: &[(&[u8], &str)],
    format: Option<Format>,
    dry_run: bool,
) -> Result<AccountsImported, ImportError> {
    let read = ingest::accounts::read(files, format).map_err(ImportError::Accounts)?;
    let roster = store.roster(scope).await?;
    for Listed {
        file,
        line,
        account,
    } in &read.accounts
    {
        if let Some(person) = &account.person
            && accounts::owner(account, &roster).is_none()
        {
            return Err(ImportError::NotOnRoster {
                file: file.clone(),
                line: *line,
                person: person.clone(),
            });
        }
    }
    let list: Vec<SystemAccount> = read.accounts.iter().map(|l| l.account.clone()).collect();
    let dropped = store
        .system_accounts(scope)
        .await?
        .into_iter()
        .filter(|(s, a)| {
            *s == system.system && !list.iter().any(|n| n.name.eq_ignore_ascii_case(&a.name))
        })
        .map(|(_, a)| a.name)
        .collect();
    // `\\PC01` and a system called 受付PC: the name in the file appears nowhere in the
    // system's name (its ledger name, say), so a person should look twice.
    let other_computer = read
        .computer
        .clone()
        .filter(|c| !domain::text::fold(&system.name).contains(&domain::text::fold(c)));
    let unknown = list
        .iter()
        .filter(|a| a.maybe_enabled() && accounts::holder(a, &roster) == Holder::Unknown)
        .map(|a| a.name.clone())
        .collect();
    let source = files.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ");
    let replaced = if dry_run {
        None
    } else {
        Some(
            store
                .replace_accounts(
                    scope,
                    actor,
                    now,
                    system.system,
                    &list,
                    read.policy.as_ref(),
                    &source,
                )
                .await?,
        )
    };
    Ok(AccountsImported {
        system: system.clone(),
        read,
        replaced,
        unknown,
        dropped,
        other_computer,
    })
}

/// One account as the page and the command show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AccountRow {
    pub name: String,
    pub holder: &'static str,
    /// Whose a person (or the file) said it is; `None`: worked out by Mamori.
    pub declared_holder: Option<&'static str>,
    /// The roster person's name, when known.
    pub person: Option<String>,
    pub admin: bool,
    pub domain_admin: bool,
    pub enabled: Option<bool>,
    pub last_logon: Option<Date>,
    pub two_factor: Option<bool>,
    pub default_password: bool,
    pub reused_password: bool,
    /// The problem codes of this account, worst first.
    pub problems: Vec<&'static str>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SystemRow {
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
    pub way_in: bool,
    pub accounts: Vec<AccountRow>,
    pub enabled: usize,
    pub admins: usize,
    pub users: usize,
    /// Percent of users with administrator rights (0 when there are none).
    pub admin_percent: usize,
    pub too_many_admins: bool,
    /// The password settings, when imported.
    pub policy: Option<domain::accounts::PasswordPolicy>,
}

/// The facility's accounts with their findings: what the page, the command (table and JSON)
/// and the checklist rules read.
#[derive(Debug, Clone)]
pub struct Overview {
    pub today: Date,
    pub unused_days: i64,
    pub roster: Vec<StaffMember>,
    pub review: Review,
    pub systems: Vec<SystemRow>,
}

impl Overview {
    /// Whether anything was imported at all (else the checks have nothing to say).
    pub fn is_empty(&self) -> bool {
        self.review.accounts == 0
    }

    pub fn urgent(&self) -> impl Iterator<Item = &accounts::AccountFinding> {
        self.review.findings.iter().filter(|f| f.problem.urgent())
    }
}

pub async fn overview(
    store: &Store,
    scope: &FacilityScope,
    today: Date,
    unused_days: i64,
) -> Result<Overview, store::Error> {
    let roster = store.roster(scope).await?;
    let all = systems(
        &store.assets(scope).await?,
        &store.connection_points(scope).await?,
    );
    let stored = store.system_accounts(scope).await?;
    let policies = store.system_policies(scope).await?;
    let mut inventories: Vec<Inventory> = Vec::new();
    for (system, account) in stored {
        match inventories.iter_mut().find(|i| i.system == system) {
            Some(inv) => inv.accounts.push(account),
            None => {
                // A retired device keeps its inventory out of the review.
                let Some(s) = all.iter().find(|s| s.system == system) else {
                    continue;
                };
                inventories.push(Inventory {
                    system,
                    name: s.name.clone(),
                    way_in: s.way_in,
                    remote_maintained: s.remote_maintained,
                    accounts: vec![account],
                    policy: policies.iter().find(|(s, _)| *s == system).map(|(_, p)| *p),
                });
            }
        }
    }
    let review = accounts::review(&roster, &inventories, today, unused_days);
    let systems = inventories
        .iter()
        .zip(&review.systems)
        .map(|(inv, sum)| {
            let (kind, id) = inv.system.code();
            SystemRow {
                kind,
                id,
                name: inv.name.clone(),
                way_in: inv.way_in,
                accounts: inv
                    .accounts
                    .iter()
                    .map(|a| AccountRow {
                        name: a.name.clone(),
                        holder: accounts::holder(a, &roster).code(),
                        declared_holder: a.holder.map(|h| h.code()),
                        person: accounts::owner(a, &roster).map(|m| m.name.clone()),
                        admin: a.admin,
                        domain_admin: a.domain_admin,
                        enabled: a.enabled,
                        last_logon: a.last_logon,
                        two_factor: a.two_factor,
                        default_password: a.default_password,
                        reused_password: a.reused_password,
                        problems: review
                            .findings
                            .iter()
                            .filter(|f| f.system == inv.system && f.account == a.name)
                            .map(|f| f.problem.code())
                            .collect(),
                    })
                    .collect(),
                enabled: sum.enabled,
                admins: sum.admins,
                users: sum.users,
                admin_percent: (sum.admins * 100 + sum.users / 2)
                    .checked_div(sum.users)
                    .unwrap_or(0),
                too_many_admins: sum.too_many_admins,
                policy: inv.policy,
            }
        })
        .collect();
    Ok(Overview {
        today,
        unused_days,
        roster,
        review,
        systems,
    })
}
