//! Backups as the page, `mamori backups` and the checklist see them: every system care
//! depends on (servers, PACS and cloud services of the ledger, and any device someone
//! recorded a copy of) with its copies, where each copy's device sits on the network, the
//! restore goals, the drills and the 3-2-1-1-0 judgement (`domain::backup`).
//!
//! `hashing` takes and checks a backup directory's manifest.

mod hashing;

pub use hashing::*;

use std::collections::{HashMap, HashSet};

use domain::backup::{Assessment, Copy, CopyId, Drill, Goal, Network, assess, needs_backup};
use domain::{Asset, AssetId, Date};
use store::{FacilityScope, Store};

/// One copy with the names a person reads.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyRow {
    #[serde(flatten)]
    pub copy: Copy,
    /// The ledger's name of the device holding it, when it is one.
    pub holder_name: Option<String>,
    pub exposure: domain::backup::Exposure,
}

/// One system's backups.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SystemBackups {
    pub asset: AssetId,
    pub name: String,
    pub kind: &'static str,
    pub segment: Option<String>,
    pub goal: Goal,
    pub copies: Vec<CopyRow>,
    /// Planned and done, oldest first.
    pub drills: Vec<Drill>,
    pub assessment: Assessment,
}

impl SystemBackups {
    pub fn urgent(&self) -> bool {
        self.assessment.problems.iter().any(|p| p.urgent())
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Overview {
    pub today: Date,
    pub systems: Vec<SystemBackups>,
}

impl Overview {
    /// Systems that keep all five digits of 3-2-1-1-0.
    pub fn kept(&self) -> usize {
        self.systems
            .iter()
            .filter(|s| s.assessment.rule.all())
            .count()
    }

    pub fn find(&self, asset: AssetId) -> Option<&SystemBackups> {
        self.systems.iter().find(|s| s.asset == asset)
    }
}

/// Joins the facility's devices, segments, copies, goals and drills and judges each system.
pub fn build(
    assets: &[Asset],
    flows: &[(String, String)],
    copies: Vec<Copy>,
    goals: &[(AssetId, Goal)],
    drills: Vec<Drill>,
    today: Date,
) -> Overview {
    let by_id: HashMap<AssetId, &Asset> = assets.iter().map(|a| (a.id, a)).collect();
    let with_copies: HashSet<AssetId> = copies.iter().map(|c| c.details.system).collect();
    let flow = |a: &str, b: &str| {
        flows
            .iter()
            .any(|(f, t)| (f == a && t == b) || (f == b && t == a))
    };
    let systems = assets
        .iter()
        .filter(|a| needs_backup(a.details.kind) || with_copies.contains(&a.id))
        .map(|a| {
            let mine: Vec<&Copy> = copies.iter().filter(|c| c.details.system == a.id).collect();
            let holders: Vec<Option<&Asset>> = mine
                .iter()
                .map(|c| c.details.holder.and_then(|h| by_id.get(&h).copied()))
                .collect();
            let judged: Vec<(Copy, Network<'_>)> = mine
                .iter()
                .zip(&holders)
                .map(|(c, holder)| {
                    let system = a.details.segment.as_deref();
                    let holder = holder.and_then(|h| h.details.segment.as_deref());
                    let net = Network {
                        system,
                        holder,
                        flow: matches!((system, holder), (Some(s), Some(h)) if flow(s, h)),
                    };
                    ((*c).clone(), net)
                })
                .collect();
            let goal = goals
                .iter()
                .find(|(id, _)| *id == a.id)
                .map(|(_, g)| *g)
                .unwrap_or_default();
            let drills: Vec<Drill> = drills
                .iter()
                .filter(|d| d.details.system == a.id)
                .cloned()
                .collect();
            let assessment = assess(&judged, &drills, goal, today);
            let copies = mine
                .iter()
                .zip(&holders)
                .zip(&assessment.exposures)
                .map(|((c, holder), (_, exposure))| CopyRow {
                    copy: (*c).clone(),
                    holder_name: holder.map(|h| h.details.name.clone()),
                    exposure: exposure.clone(),
                })
                .collect();
            SystemBackups {
                asset: a.id,
                name: a.details.name.clone(),
                kind: a.details.kind.code(),
                segment: a.details.segment.clone(),
                goal,
                copies,
                drills,
                assessment,
            }
        })
        .collect();
    Overview { today, systems }
}

/// The facility's backups judged on `today`.
pub async fn overview(
    store: &Store,
    scope: &FacilityScope,
    today: Date,
) -> Result<Overview, store::Error> {
    let assets = store.assets(scope).await?;
    let segments = store.segments(scope).await?;
    let name = |id| {
        segments
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.details.name.clone())
    };
    let flows: Vec<(String, String)> = store
        .flows(scope)
        .await?
        .into_iter()
        .filter_map(|f| Some((name(f.from)?, name(f.to)?)))
        .collect();
    Ok(build(
        &assets,
        &flows,
        store.backup_copies(scope).await?,
        &store.backup_goals(scope).await?,
        store.drills(scope).await?,
        today,
    ))
}

/// Finds a system by its ledger name (as a person types it on the command line).
pub fn find_device<'a>(
    assets: &'a [Asset],
    name: &str,
) -> Result<&'a Asset, domain::text::NoMatch> {
    domain::text::find_named(assets, name, |a| &a.details.name)
}

/// What a backup job's log told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logged {
    /// The copy's last success moved to this day.
    Recorded {
        copy: CopyId,
        day: Date,
        versions: usize,
    },
    /// The log's newest backup is not newer than the day recorded.
    NothingNewer { copy: CopyId, recorded: Date },
}

/// Why a log could not be recorded against a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogProblem {
    /// The system has no copy (of that medium).
    NoCopy,
    /// Several copies could be meant: give the medium.
    WhichCopy(Vec<domain::backup::Medium>),
    Store(String),
}

/// Records the newest backup a job's log lists as its copy's last success (never moving it
/// back). The copy is the system's only one, or its only one on `medium`.
pub async fn record_log(
    store: &Store,
    scope: &FacilityScope,
    actor: &domain::Actor,
    now: domain::Timestamp,
    (system, medium): (AssetId, Option<domain::backup::Medium>),
    versions: &[domain::Timestamp],
) -> Result<Logged, LogProblem> {
    let fail = |e: store::Error| LogProblem::Store(e.to_string());
    let copies: Vec<Copy> = store
        .backup_copies(scope)
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|c| c.details.system == system)
        .filter(|c| medium.is_none_or(|m| c.details.medium == m))
        .collect();
    let copy = match copies.as_slice() {
        [] => return Err(LogProblem::NoCopy),
        [one] => one,
        many => {
            return Err(LogProblem::WhichCopy(
                many.iter().map(|c| c.details.medium).collect(),
            ));
        }
    };
    let Some(newest) = versions.iter().max() else {
        return Err(LogProblem::NoCopy);
    };
    let day = Date::in_japan(*newest);
    if let Some(recorded) = copy.details.last_success
        && recorded >= day
    {
        return Ok(Logged::NothingNewer {
            copy: copy.id,
            recorded,
        });
    }
    store
        .set_backup_success(scope, actor, now, copy.id, day)
        .await
        .map_err(fail)?;
    Ok(Logged::Recorded {
        copy: copy.id,
        day,
        versions: versions.len(),
    })
}
