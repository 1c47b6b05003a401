//! 今すぐやること: the facility's problems a person can act on, worst first
//! (`domain::priority`), each with the device, the way in, the company to call and its
//! 24-hour number. The overview shows the first three; `mamori todo` prints them all.

use std::collections::HashMap;

use domain::priority::{Action, Inputs, rank};
use domain::{Asset, Date, Timestamp};
use store::{FacilityScope, Store};

/// One thing to do, with what a page or a command needs to say it.
pub struct ToDo {
    pub action: Action,
    /// The device's name, when it is about one.
    pub device: Option<String>,
    /// The company to call and its 24-hour number (when the vendor list has it).
    pub call: Option<(String, Option<String>)>,
}

/// A risk a person accepted for a time: not an action until its last day, but never out of
/// sight.
pub struct Accepted {
    pub finding: domain::finding::FindingId,
    pub device: String,
    pub cve: String,
    pub reason: String,
    pub until: Date,
}

/// What the overview says first: the actions, worst first, and the risks accepted for now.
pub struct Now {
    pub actions: Vec<ToDo>,
    pub accepted: Vec<Accepted>,
}

/// Every action on the devices the caller may see (`visible`), worst first; ways in that
/// end on no device of the ledger only when the caller sees the whole facility (`whole`: not
/// a vendor). The findings are those of the last evaluation (`vulns::ensure_current` first
/// when they must be fresh).
pub async fn to_do(
    store: &Store,
    scope: &FacilityScope,
    visible: &[Asset],
    (whole, accounts): (bool, bool),
    now: Timestamp,
) -> Result<Now, store::Error> {
    let today = Date::in_japan(now);
    let ids: std::collections::HashSet<domain::AssetId> = visible.iter().map(|a| a.id).collect();
    let findings: Vec<domain::finding::Finding> = store
        .urgent_findings(scope)
        .await?
        .into_iter()
        .filter(|f| ids.contains(&f.asset))
        .collect();
    let points = store.connection_points(scope).await?;
    // A vendor sees the ways in of the devices it maintains.
    let points: Vec<domain::ConnectionPoint> = points
        .into_iter()
        .filter(|p| p.details.asset.map_or(whole, |a| ids.contains(&a)))
        .collect();
    let ways: Vec<(&domain::ConnectionPoint, Vec<domain::connection::Gap>)> =
        crate::connections::ways_in(&points, visible, today)
            .into_iter()
            .map(|w| (w.point, w.gaps))
            .collect();
    let tools = crate::vulns::unlisted_tools(store, scope, visible).await?;
    let vendors: HashMap<String, Option<String>> = store
        .vendors(scope)
        .await?
        .into_iter()
        .map(|v| (v.details.name, v.details.phone_24h))
        .collect();
    let names: HashMap<domain::AssetId, &str> = visible
        .iter()
        .map(|a| (a.id, a.details.name.as_str()))
        .collect();
    let accepted = findings
        .iter()
        .filter(|f| f.status(today) == domain::finding::Status::Accepted)
        .filter_map(|f| {
            let a = f.acceptance.as_ref()?;
            Some(Accepted {
                finding: f.id,
                device: names.get(&f.asset)?.to_string(),
                cve: f.cve.clone(),
                reason: a.reason.clone(),
                until: a.until,
            })
        })
        .collect();
    // Account problems name the facility's staff accounts: only for those who may see the
    // accounts (`accounts`: the director and IT staff), never a vendor or an advisor.
    let accounts = if accounts {
        crate::accounts::overview(store, scope, today, domain::accounts::UNUSED_DAYS)
            .await?
            .review
            .findings
    } else {
        Vec::new()
    };
    // Backups of the devices the caller sees (a vendor: those it maintains).
    let backups: Vec<(domain::AssetId, domain::backup::Problem)> =
        crate::backup::overview(store, scope, today)
            .await?
            .systems
            .into_iter()
            .filter(|s| ids.contains(&s.asset))
            .flat_map(|s| {
                let id = s.asset;
                s.assessment.problems.into_iter().map(move |p| (id, p))
            })
            .collect();
    let actions = rank(&Inputs {
        assets: visible,
        findings: &findings,
        ways_in: &ways,
        unlisted_tools: &tools,
        accounts: &accounts,
        backups: &backups,
        today,
    })
    .into_iter()
    .map(|action| ToDo {
        device: action
            .asset
            .and_then(|a| names.get(&a))
            .map(|n| n.to_string()),
        call: action.vendor.as_ref().map(|v| {
            let phone = vendors.get(v).cloned().flatten();
            (v.clone(), phone)
        }),
        action,
    })
    .collect();
    Ok(Now { actions, accepted })
}
