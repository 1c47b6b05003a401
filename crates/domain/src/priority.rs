//! What to fix first (今すぐやること): every standing problem of a facility that a person can
//! act on, one per device or way in, ranked the way the incident reports rank them — a hole
//! ransomware gangs use on a device that faces the outside first (Handa, Osaka), then leaked
//! passwords, then a way in anybody can try (shared password, open to the whole internet),
//! then outward devices past their end of support, ways in nobody registered, and holes
//! inside. The overview shows the first three; the pages behind hold the rest.

use std::collections::HashMap;

use crate::connection::{ConnectionPoint, Gap};
use crate::finding::{Finding, FindingId, Kind, Status};
use crate::nvd::Outcome;
use crate::software::UnlistedTool;
use crate::{Asset, AssetId, ConnectionPointId, Date};

/// Why something is to be done, worst first (the order of the variants is the rank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// A known-exploited hole that ransomware gangs use, on a device facing the outside.
    RansomwareHoleOutside { cve: String, more: usize },
    /// A known-exploited hole on a device facing the outside.
    KnownHoleOutside { cve: String, more: usize },
    /// The device ran a version that leaked passwords: they must change.
    LeakedPasswords { cve: String },
    /// A way in with a shared password or open to the whole internet.
    WeakWayIn {
        point: ConnectionPointId,
        name: String,
        gaps: Vec<Gap>,
    },
    /// A device facing the outside past its end of support: no more fixes.
    PastSupportOutside { ends: Date },
    /// Remote maintenance is written in the ledger, but no way in is registered.
    UnregisteredRemote,
    /// A remote-access program nobody registered as a way in.
    UnlistedRemoteTool { tool: String },
    /// A known-exploited hole on a device inside.
    KnownHoleInside {
        cve: String,
        ransomware: bool,
        more: usize,
    },
    /// An account that opens a door today: a leaver's still enabled, a vendor in Domain
    /// Admins, a default password, no second factor from outside.
    Account {
        account: String,
        system: String,
        problem: crate::accounts::Problem,
    },
    /// Every backup copy of a system can be reached from the network: ransomware encrypts
    /// them with the system (Osaka 2022), and the data is lost for good.
    BackupsReachable { copies: usize },
}

/// One thing to do, about one device (and the way in, when it is about one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub why: Why,
    pub asset: Option<AssetId>,
    /// The finding behind it, when it is one.
    pub finding: Option<FindingId>,
    /// Who maintains the device or the way in (the ledger's 保守業者 or the point's vendor).
    pub vendor: Option<String>,
}

/// What the ranking reads.
pub struct Inputs<'a> {
    pub assets: &'a [Asset],
    /// The facility's findings (fixed and accepted ones are left out here).
    pub findings: &'a [Finding],
    /// Every way in with its weaknesses today.
    pub ways_in: &'a [(&'a ConnectionPoint, Vec<Gap>)],
    pub unlisted_tools: &'a [UnlistedTool],
    /// The account problems of the facility (only the urgent ones become actions).
    pub accounts: &'a [crate::accounts::AccountFinding],
    /// The backup problems of each system (only the urgent ones become actions).
    pub backups: &'a [(AssetId, crate::backup::Problem)],
    pub today: Date,
}

/// Whether a device faces the outside: a way in ends on it, or it is of a kind that does
/// (a UTM, a firewall, a VPN appliance, a router, a network device whose role is unknown).
fn outside(asset: &Asset, ends_way_in: bool) -> bool {
    ends_way_in || crate::identify::may_face_outside(&asset.details)
}

/// Every action, worst first.
pub fn rank(i: &Inputs<'_>) -> Vec<Action> {
    let by_id: HashMap<AssetId, &Asset> = i.assets.iter().map(|a| (a.id, a)).collect();
    let ends_way_in = |id: AssetId| i.ways_in.iter().any(|(p, _)| p.details.asset == Some(id));
    let vendor_of = |id: AssetId| by_id.get(&id).and_then(|a| a.details.vendor.clone());
    let mut out: Vec<Action> = Vec::new();

    // Holes: one action per device and kind, the worst hole of the device named.
    let mut holes: HashMap<(AssetId, bool), Vec<&Finding>> = HashMap::new();
    for f in i.findings.iter().filter(|f| f.kind == Kind::Vulnerability) {
        if !matches!(f.status(i.today), Status::Open | Status::NeedsReview) || !f.facts.kev {
            continue;
        }
        let Some(a) = by_id.get(&f.asset) else {
            continue;
        };
        let out_side = f.facts.edge || outside(a, ends_way_in(a.id));
        holes.entry((a.id, out_side)).or_default().push(f);
    }
    for ((asset, out_side), mut list) in holes {
        // Ransomware first, then what the record says is affected, then the newest CVE.
        list.sort_by(|a, b| {
            b.facts
                .ransomware
                .cmp(&a.facts.ransomware)
                .then_with(|| {
                    let affected = |f: &Finding| f.facts.outcome == Outcome::Affected;
                    affected(b).cmp(&affected(a))
                })
                .then_with(|| cve_order(&b.cve).cmp(&cve_order(&a.cve)))
        });
        let worst = list[0];
        let more = list.len() - 1;
        let why = match (out_side, worst.facts.ransomware) {
            (true, true) => Why::RansomwareHoleOutside {
                cve: worst.cve.clone(),
                more,
            },
            (true, false) => Why::KnownHoleOutside {
                cve: worst.cve.clone(),
                more,
            },
            (false, ransomware) => Why::KnownHoleInside {
                cve: worst.cve.clone(),
                ransomware,
                more,
            },
        };
        out.push(Action {
            why,
            asset: Some(asset),
            finding: Some(worst.id),
            vendor: vendor_of(asset),
        });
    }

    for f in i.findings.iter().filter(|f| f.kind == Kind::Credentials) {
        if f.status(i.today) != Status::Open || !by_id.contains_key(&f.asset) {
            continue;
        }
        out.push(Action {
            why: Why::LeakedPasswords { cve: f.cve.clone() },
            asset: Some(f.asset),
            finding: Some(f.id),
            vendor: vendor_of(f.asset),
        });
    }

    for (p, gaps) in i.ways_in {
        let bad: Vec<Gap> = gaps
            .iter()
            .copied()
            .filter(|g| matches!(g, Gap::SharedPassword | Gap::NoSourceRestriction))
            .collect();
        if bad.is_empty() {
            continue;
        }
        out.push(Action {
            why: Why::WeakWayIn {
                point: p.id,
                name: p.details.name.clone(),
                gaps: bad,
            },
            asset: p.details.asset,
            finding: None,
            vendor: p
                .details
                .vendor
                .clone()
                .or_else(|| p.details.asset.and_then(vendor_of)),
        });
    }

    for a in i.assets {
        if let Some(e) = crate::support::past(&a.details, i.today)
            && outside(a, ends_way_in(a.id))
        {
            out.push(Action {
                why: Why::PastSupportOutside { ends: e.ends },
                asset: Some(a.id),
                finding: None,
                vendor: a.details.vendor.clone(),
            });
        }
    }
    let points: Vec<ConnectionPoint> = i.ways_in.iter().map(|(p, _)| (*p).clone()).collect();
    for a in crate::connection::unregistered_remote(i.assets, &points) {
        out.push(Action {
            why: Why::UnregisteredRemote,
            asset: Some(a.id),
            finding: None,
            vendor: a.details.vendor.clone(),
        });
    }

    for t in i.unlisted_tools {
        out.push(Action {
            why: Why::UnlistedRemoteTool {
                tool: t.tool.to_string(),
            },
            asset: Some(t.asset),
            finding: None,
            vendor: vendor_of(t.asset),
        });
    }

    for f in i.accounts.iter().filter(|f| f.problem.urgent()) {
        use crate::accounts::{Problem, SystemRef};
        let (asset, point) = match f.system {
            SystemRef::Device(id) => (Some(AssetId(id)), None),
            SystemRef::WayIn(id) => (
                i.ways_in
                    .iter()
                    .find(|(p, _)| p.id.0 == id)
                    .and_then(|(p, _)| p.details.asset),
                i.ways_in
                    .iter()
                    .find(|(p, _)| p.id.0 == id)
                    .map(|(p, _)| *p),
            ),
        };
        // The vendor answers for its own accounts and for the ways in it runs; a leaver's
        // account is the facility's own work.
        let vendor = match f.problem {
            Problem::Leaver { .. } => None,
            _ => point
                .and_then(|p| p.details.vendor.clone())
                .or_else(|| asset.and_then(vendor_of)),
        };
        out.push(Action {
            why: Why::Account {
                account: f.account.clone(),
                system: f.system_name.clone(),
                problem: f.problem.clone(),
            },
            asset,
            finding: None,
            vendor,
        });
    }

    for (system, p) in i.backups.iter().filter(|(_, p)| p.urgent()) {
        if let crate::backup::Problem::AllReachable { copies } = p
            && by_id.contains_key(system)
        {
            out.push(Action {
                why: Why::BackupsReachable { copies: *copies },
                asset: Some(*system),
                finding: None,
                vendor: vendor_of(*system),
            });
        }
    }

    let name = |a: &Action| {
        a.asset
            .and_then(|id| by_id.get(&id))
            .map(|a| a.details.name.clone())
    };
    out.sort_by(|a, b| {
        rank_of(&a.why)
            .cmp(&rank_of(&b.why))
            .then_with(|| name(a).cmp(&name(b)))
            .then_with(|| a.asset.cmp(&b.asset))
            .then_with(|| a.finding.cmp(&b.finding))
    });
    out
}

/// A CVE id as numbers (CVE-2024-10000 is newer than CVE-2024-9999).
fn cve_order(id: &str) -> (u32, u64) {
    let mut parts = id.split('-').skip(1);
    let year = parts.next().and_then(|y| y.parse().ok()).unwrap_or(0);
    let number = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    (year, number)
}

/// The rank of a reason: the order of `Why`'s variants, holes with ransomware inside before
/// other holes inside.
fn rank_of(w: &Why) -> u8 {
    match w {
        Why::RansomwareHoleOutside { .. } => 0,
        Why::KnownHoleOutside { .. } => 1,
        Why::LeakedPasswords { .. } => 2,
        Why::WeakWayIn { .. } => 3,
        Why::PastSupportOutside { .. } => 4,
        Why::KnownHoleInside {
            ransomware: true, ..
        } => 5,
        Why::BackupsReachable { .. } => 5,
        Why::Account {
            problem: crate::accounts::Problem::NoTwoFactor { .. },
            ..
        } => 6,
        Why::Account { .. } => 3,
        Why::UnregisteredRemote => 6,
        Why::UnlistedRemoteTool { .. } => 7,
        Why::KnownHoleInside { .. } => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::{ConnectionKind, NewConnectionPoint};
    use crate::finding::Facts;
    use crate::{AssetKind, NewAsset, RemoteMaintenance, Timestamp};

    fn asset(id: i64, kind: AssetKind, name: &str) -> Asset {
        Asset {
            id: AssetId(id),
            facility: crate::FacilityId(1),
            details: NewAsset::new(kind, name)
                .unwrap()
                .vendor("さくらメディカル", RemoteMaintenance::No),
        }
    }

    fn finding(id: i64, asset: i64, cve: &str, ransomware: bool, edge: bool) -> Finding {
        Finding {
            id: FindingId(id),
            asset: AssetId(asset),
            cve: cve.into(),
            kind: Kind::Vulnerability,
            facts: Facts {
                outcome: Outcome::Affected,
                kev: true,
                ransomware,
                edge,
                cvss: Some(9.8),
            },
            opened_at: Timestamp::from_unix_millis(0),
            closed_at: None,
            acceptance: None,
            credentials_changed: None,
        }
    }

    #[test]
    fn a_ransomware_hole_on_the_way_in_comes_first_then_the_weak_way_in() {
        let today = Date::parse("2026-12-04").unwrap();
        let mut fg = asset(1, AssetKind::Utm, "FortiGate");
        fg.details.remote_maintenance = RemoteMaintenance::Yes;
        let mut ehr = asset(2, AssetKind::Server, "電子カルテサーバ");
        ehr.details.remote_maintenance = RemoteMaintenance::Yes;
        let pc = asset(3, AssetKind::Pc, "受付PC");
        let assets = [fg, ehr, pc];
        let mut vpn =
            NewConnectionPoint::new("保守用SSL-VPN", ConnectionKind::VendorRemote).unwrap();
        vpn.asset = Some(AssetId(1));
        let point = ConnectionPoint {
            id: ConnectionPointId(7),
            details: vpn,
        };
        let ways = [(&point, vec![Gap::SharedPassword, Gap::AlwaysOn])];
        let mut accepted = finding(12, 3, "CVE-2024-0003", true, false);
        accepted.acceptance = Some(crate::finding::Acceptance {
            reason: "業者が来週更新".into(),
            by: "院長".into(),
            until: Date::parse("2026-12-31").unwrap(),
        });
        let findings = [
            finding(10, 2, "CVE-2023-0001", false, false),
            finding(11, 1, "CVE-2024-21762", true, false),
            finding(13, 1, "CVE-2022-42475", true, true),
            accepted,
        ];
        let tools = [UnlistedTool {
            asset: AssetId(3),
            tool: "TeamViewer",
            program: "TeamViewer 15".into(),
        }];
        use crate::accounts::{AccountFinding, Problem, SystemRef};
        let leaver = Problem::Leaver {
            person: "鈴木 一郎".into(),
            left: Date::parse("2026-03-31").unwrap(),
            known: true,
        };
        let accounts = [
            AccountFinding {
                system: SystemRef::WayIn(7),
                system_name: "保守用SSL-VPN".into(),
                account: "hoshu".into(),
                problem: Problem::NoTwoFactor { recorded: true },
            },
            AccountFinding {
                system: SystemRef::Device(3),
                system_name: "受付PC".into(),
                account: "suzuki".into(),
                problem: leaver.clone(),
            },
            AccountFinding {
                system: SystemRef::Device(3),
                system_name: "受付PC".into(),
                account: "nurse".into(),
                problem: Problem::Shared,
            },
        ];
        let actions = rank(&Inputs {
            assets: &assets,
            findings: &findings,
            ways_in: &ways,
            unlisted_tools: &tools,
            accounts: &accounts,
            backups: &[],
            today,
        });
        let whys: Vec<&Why> = actions.iter().map(|a| &a.why).collect();
        assert_eq!(
            whys,
            [
                &Why::RansomwareHoleOutside {
                    cve: "CVE-2024-21762".into(),
                    more: 1
                },
                &Why::WeakWayIn {
                    point: ConnectionPointId(7),
                    name: "保守用SSL-VPN".into(),
                    gaps: vec![Gap::SharedPassword]
                },
                &Why::Account {
                    account: "suzuki".into(),
                    system: "受付PC".into(),
                    problem: leaver,
                },
                &Why::Account {
                    account: "hoshu".into(),
                    system: "保守用SSL-VPN".into(),
                    problem: Problem::NoTwoFactor { recorded: true },
                },
                &Why::UnregisteredRemote,
                &Why::UnlistedRemoteTool {
                    tool: "TeamViewer".into()
                },
                &Why::KnownHoleInside {
                    cve: "CVE-2023-0001".into(),
                    ransomware: false,
                    more: 0
                },
            ],
            "the accepted risk on 受付PC is not an action; the FortiGate's two holes are one; \
             a shared ID is not urgent"
        );
        let hoshu = actions
            .iter()
            .find(|a| matches!(&a.why, Why::Account { account, .. } if account == "hoshu"))
            .unwrap();
        assert_eq!(hoshu.asset, Some(AssetId(1)), "the way in's device");
        assert_eq!(hoshu.vendor.as_deref(), Some("さくらメディカル"));
        let suzuki = actions
            .iter()
            .find(|a| matches!(&a.why, Why::Account { account, .. } if account == "suzuki"))
            .unwrap();
        assert_eq!(suzuki.vendor, None, "the facility's own work");
        assert_eq!(actions[0].asset, Some(AssetId(1)));
        assert_eq!(actions[0].vendor.as_deref(), Some("さくらメディカル"));
        assert_eq!(
            actions[4].asset,
            Some(AssetId(2)),
            "remote maintenance, no way in"
        );
    }
}
