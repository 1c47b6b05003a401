//! Vulnerability findings kept over time: a device × CVE that an evaluation found affected or
//! could not judge, with a status a person can see change. Re-evaluation after every ledger
//! or feed change reconciles what it observes with what is stored (`reconcile`): new findings
//! open, findings no longer observed are fixed, fixed ones that come back reopen.
//!
//! The credential-leak rule (`credential_observations`): a device that ever ran a version
//! affected by a CVE that leaks passwords or sessions keeps a finding until passwords and
//! sessions were changed after the last day it ran such a version — patching alone does not
//! undo a leak (Handa 2021, Osaka 2022).

use std::collections::{HashMap, HashSet};

use crate::asset::{Asset, AssetId};
use crate::date::Date;
use crate::exposure::Exposure;
use crate::kev::KevEntry;
use crate::nvd::{NvdCve, Outcome, evaluate};
use crate::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FindingId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The device runs a version the CVE affects (or nobody can tell).
    Vulnerability,
    /// The device ran a version that leaked credentials or sessions: change them.
    Credentials,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Vulnerability => "vulnerability",
            Kind::Credentials => "credentials",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        [Kind::Vulnerability, Kind::Credentials]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// CVEs whose exploitation hands attackers passwords or live sessions, so that a patched
/// device stays open to whoever took them. Each basis is in its KEV / NVD description.
/// Data, so that experts can extend it.
pub const CREDENTIAL_LEAKS: &[(&str, &str)] = &[
    (
        "CVE-2018-13379",
        "FortiOS SSL VPN path traversal: reads the file holding VPN users' credentials",
    ),
    (
        "CVE-2019-11510",
        "Pulse Connect Secure arbitrary file read: reads cached passwords and sessions",
    ),
    (
        "CVE-2023-4966",
        "Citrix Bleed: leaks session tokens from memory; sessions survive the patch",
    ),
    (
        "CVE-2025-5777",
        "Citrix Bleed 2: leaks session tokens from memory; sessions survive the patch",
    ),
];

pub fn leaks_credentials(cve: &str) -> bool {
    CREDENTIAL_LEAKS.iter().any(|(id, _)| *id == cve)
}

/// What a hole lets an attacker do, in words a clinic director can act on; from the CWE
/// numbers the KEV entry gives (the locale string is `vuln-harm-<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Harm {
    /// Passwords or live sessions leak (the credential-leak list).
    Credentials,
    /// Code or commands run on the device: it can be taken over.
    Takeover,
    /// The same, by someone already inside (the device itself or beside it): how an
    /// intruder becomes administrator and spreads.
    TakeoverInside,
    /// Files or memory can be read (settings, passwords).
    ReadsData,
    /// Sign-in or permission checks can be skipped.
    BypassesSignIn,
    Unknown,
}

/// CWE groups, most serious first: the first group a CWE of the entry falls in decides.
const HARMS: &[(Harm, &[&str])] = &[
    (
        Harm::Takeover,
        &[
            "CWE-78", "CWE-77", "CWE-94", "CWE-787", "CWE-122", "CWE-121", "CWE-120", "CWE-119",
            "CWE-416", "CWE-502", "CWE-843", "CWE-190", "CWE-197", "CWE-434", "CWE-74", "CWE-917",
            "CWE-89",
        ],
    ),
    (
        Harm::BypassesSignIn,
        &[
            "CWE-287", "CWE-306", "CWE-288", "CWE-284", "CWE-863", "CWE-862", "CWE-264", "CWE-269",
            "CWE-798", "CWE-640",
        ],
    ),
    (
        Harm::ReadsData,
        &[
            "CWE-22", "CWE-23", "CWE-200", "CWE-125", "CWE-59", "CWE-918", "CWE-611",
        ],
    ),
];

impl Harm {
    /// What the hole lets an attacker do, from its CWE numbers; `local` when every rating
    /// says the attacker must already be inside (`NvdCve::local`).
    pub fn of(cve: &str, cwes: &[String], local: bool) -> Harm {
        if leaks_credentials(cve) {
            return Harm::Credentials;
        }
        match HARMS
            .iter()
            .find(|(_, group)| cwes.iter().any(|c| group.contains(&c.as_str())))
            .map_or(Harm::Unknown, |(h, _)| *h)
        {
            Harm::Takeover if local => Harm::TakeoverInside,
            h => h,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Harm::Credentials => "credentials",
            Harm::TakeoverInside => "takeover-inside",
            Harm::Takeover => "takeover",
            Harm::ReadsData => "reads",
            Harm::BypassesSignIn => "bypass",
            Harm::Unknown => "unknown",
        }
    }

    pub const ALL: [Harm; 5] = [
        Harm::Credentials,
        Harm::Takeover,
        Harm::ReadsData,
        Harm::BypassesSignIn,
        Harm::Unknown,
    ];
}

/// What one evaluation saw of a device × CVE.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Facts {
    /// `Affected` or `NeedsReview`.
    pub outcome: Outcome,
    pub kev: bool,
    pub ransomware: bool,
    /// The device terminates a connection point.
    pub edge: bool,
    pub cvss: Option<f32>,
}

impl Facts {
    fn of(outcome: Outcome, cve: &NvdCve, kev: Option<&KevEntry>, edge: bool) -> Facts {
        Facts {
            outcome,
            kev: kev.is_some(),
            ransomware: kev.is_some_and(|k| k.ransomware),
            edge,
            cvss: cve.cvss,
        }
    }

    /// Equal for storage (the score is kept in tenths).
    fn same(&self, other: &Facts) -> bool {
        let tenths = |s: Option<f32>| s.map(|x| (x * 10.0).round() as i64);
        self.outcome == other.outcome
            && self.kev == other.kev
            && self.ransomware == other.ransomware
            && self.edge == other.edge
            && tenths(self.cvss) == tenths(other.cvss)
    }

    /// Most urgent first, in the order `exposure` uses.
    pub fn urgency(&self) -> (bool, bool, bool, bool, bool, i64) {
        (
            self.outcome == Outcome::Affected,
            self.edge && self.kev,
            self.ransomware,
            self.kev,
            self.edge,
            (self.cvss.unwrap_or(0.0) * 10.0).round() as i64,
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub asset: AssetId,
    pub cve: String,
    pub kind: Kind,
    pub facts: Facts,
}

impl Observation {
    pub fn from_exposure(e: &Exposure<'_>) -> Observation {
        Observation {
            asset: e.asset.id,
            cve: e.cve.id.clone(),
            kind: Kind::Vulnerability,
            facts: Facts::of(e.outcome, e.cve, e.kev, e.edge),
        }
    }
}

/// A person's decision to live with a finding for a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub reason: String,
    /// Who accepted (the actor's label).
    pub by: String,
    /// Last day the acceptance holds; the finding is open again the day after.
    pub until: Date,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub id: FindingId,
    pub asset: AssetId,
    pub cve: String,
    pub kind: Kind,
    pub facts: Facts,
    pub opened_at: Timestamp,
    /// When re-evaluation no longer observed it (fixed); `None` while it stands.
    pub closed_at: Option<Timestamp>,
    pub acceptance: Option<Acceptance>,
    /// For a credentials finding: the day a person recorded changing passwords and sessions.
    pub credentials_changed: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Open,
    NeedsReview,
    /// Risk accepted, until the acceptance's last day.
    Accepted,
    Fixed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Open,
        Status::NeedsReview,
        Status::Accepted,
        Status::Fixed,
    ];

    /// The stable name in JSON and in locale ids (`finding-status-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::NeedsReview => "needs-review",
            Status::Accepted => "accepted",
            Status::Fixed => "fixed",
        }
    }
}

impl Finding {
    pub fn status(&self, today: Date) -> Status {
        if self.closed_at.is_some() {
            Status::Fixed
        } else if self.acceptance.as_ref().is_some_and(|a| a.until >= today) {
            Status::Accepted
        } else if self.facts.outcome == Outcome::NeedsReview {
            Status::NeedsReview
        } else {
            Status::Open
        }
    }
}

/// What happened to a finding (its history), as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    Opened,
    Fixed,
    Reopened,
    /// Affected ↔ needs review.
    Outcome,
    Accepted,
    Withdrawn,
    CredentialsChanged,
}

impl Event {
    pub const ALL: [Event; 7] = [
        Event::Opened,
        Event::Fixed,
        Event::Reopened,
        Event::Outcome,
        Event::Accepted,
        Event::Withdrawn,
        Event::CredentialsChanged,
    ];

    /// The stable name in storage and in locale ids (`finding-event-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Event::Opened => "opened",
            Event::Fixed => "fixed",
            Event::Reopened => "reopened",
            Event::Outcome => "outcome",
            Event::Accepted => "accepted",
            Event::Withdrawn => "withdrawn",
            Event::CredentialsChanged => "credentials-changed",
        }
    }

    pub fn parse(code: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// What re-evaluation changes in the stored findings.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    pub open: Vec<Observation>,
    /// Fixed findings observed again (their acceptance no longer holds).
    pub reopen: Vec<(FindingId, Facts)>,
    pub close: Vec<FindingId>,
    /// Standing findings whose facts changed; `true` when the outcome did.
    pub update: Vec<(FindingId, Facts, bool)>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
            && self.reopen.is_empty()
            && self.close.is_empty()
            && self.update.is_empty()
    }
}

/// Compares what an evaluation of the whole facility observed with the stored findings.
pub fn reconcile(stored: &[Finding], observed: Vec<Observation>) -> Plan {
    let by_key: HashMap<(AssetId, &str, Kind), &Finding> = stored
        .iter()
        .map(|f| ((f.asset, f.cve.as_str(), f.kind), f))
        .collect();
    let mut plan = Plan::default();
    let mut seen: HashSet<FindingId> = HashSet::new();
    let mut new: HashSet<(AssetId, String, Kind)> = HashSet::new();
    for o in observed {
        match by_key.get(&(o.asset, o.cve.as_str(), o.kind)) {
            None => {
                if new.insert((o.asset, o.cve.clone(), o.kind)) {
                    plan.open.push(o);
                }
            }
            Some(f) => {
                if !seen.insert(f.id) {
                    continue;
                }
                if f.closed_at.is_some() {
                    plan.reopen.push((f.id, o.facts));
                } else if !f.facts.same(&o.facts) {
                    plan.update
                        .push((f.id, o.facts, f.facts.outcome != o.facts.outcome));
                }
            }
        }
    }
    plan.close = stored
        .iter()
        .filter(|f| f.closed_at.is_none() && !seen.contains(&f.id))
        .map(|f| f.id)
        .collect();
    plan
}

/// A fingerprint of an evaluation's observations and device versions, independent of their
/// order: two evaluations with the same fingerprint lead to the same stored findings.
pub fn fingerprint(observed: &[Observation], versions: &[(AssetId, String, String)]) -> String {
    use sha2::{Digest, Sha256};
    let mut lines: Vec<String> = observed
        .iter()
        .map(|o| {
            let f = &o.facts;
            format!(
                "o\t{}\t{}\t{}\t{}\t{}{}{}\t{:?}",
                o.asset.0,
                o.cve,
                o.kind.code(),
                f.outcome.code(),
                u8::from(f.kev),
                u8::from(f.ransomware),
                u8::from(f.edge),
                f.cvss.map(|x| (x * 10.0).round() as i64)
            )
        })
        .chain(
            versions
                .iter()
                .map(|(a, os, v)| format!("v\t{}\t{os}\t{v}", a.0)),
        )
        .collect();
    lines.sort_unstable();
    let mut h = Sha256::new();
    for l in &lines {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One OS / firmware version a device was seen with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenVersion {
    pub os: String,
    pub version: String,
    pub first_seen: Date,
    pub last_seen: Date,
}

/// Credentials findings of the facility. `history` holds every version each device was seen
/// with (its current one included); `changed` the newest day passwords and sessions were
/// changed for each device (on its connection points or recorded on its finding).
pub fn credential_observations(
    assets: &[Asset],
    history: &HashMap<AssetId, Vec<SeenVersion>>,
    cves: &[&NvdCve],
    kev: &HashMap<String, KevEntry>,
    edge: &HashSet<AssetId>,
    changed: &HashMap<AssetId, Date>,
) -> Vec<Observation> {
    let leaks: Vec<&NvdCve> = cves
        .iter()
        .copied()
        .filter(|c| leaks_credentials(&c.id))
        .collect();
    let mut out = Vec::new();
    if leaks.is_empty() {
        return out;
    }
    for asset in assets {
        let Some(current) = crate::cpe_alias::target(&asset.details) else {
            continue;
        };
        let past: Vec<(crate::nvd::Target, Date)> = history
            .get(&asset.id)
            .into_iter()
            .flatten()
            .filter_map(|v| {
                let mut d = asset.details.clone();
                d.os_name = (!v.os.is_empty()).then(|| v.os.clone());
                d.os_version = (!v.version.is_empty()).then(|| v.version.clone());
                crate::cpe_alias::target(&d).map(|t| (t, v.last_seen))
            })
            .collect();
        for cve in &leaks {
            let now = evaluate(cve, &current);
            // The last day it ran an affected version (or one nobody can judge).
            let mut affected_until: Option<Date> = None;
            let mut review_until: Option<Date> = None;
            for (t, last) in &past {
                match evaluate(cve, t) {
                    Outcome::Affected => affected_until = affected_until.max(Some(*last)),
                    Outcome::NeedsReview => review_until = review_until.max(Some(*last)),
                    Outcome::NotAffected => {}
                }
            }
            let outcome = match (now, affected_until, review_until) {
                (Outcome::Affected, _, _) => Some(Outcome::Affected),
                (_, Some(until), _) => changed
                    .get(&asset.id)
                    .is_none_or(|c| *c < until)
                    .then_some(Outcome::Affected),
                (Outcome::NeedsReview, None, _) => Some(Outcome::NeedsReview),
                (_, None, Some(until)) => changed
                    .get(&asset.id)
                    .is_none_or(|c| *c < until)
                    .then_some(Outcome::NeedsReview),
                (_, None, None) => None,
            };
            if let Some(outcome) = outcome {
                let kev = kev.get(&cve.id);
                out.push(Observation {
                    asset: asset.id,
                    cve: cve.id.clone(),
                    kind: Kind::Credentials,
                    facts: Facts::of(outcome, cve, kev, edge.contains(&asset.id)),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::{AssetKind, NewAsset};
    use crate::facility::FacilityId;
    use crate::nvd::{Configuration, Cpe, CpeMatch, Node, Operator};

    fn facts(outcome: Outcome) -> Facts {
        Facts {
            outcome,
            kev: true,
            ransomware: false,
            edge: false,
            cvss: Some(9.8),
        }
    }

    fn stored(id: i64, asset: i64, cve: &str, closed: bool) -> Finding {
        Finding {
            id: FindingId(id),
            asset: AssetId(asset),
            cve: cve.into(),
            kind: Kind::Vulnerability,
            facts: facts(Outcome::Affected),
            opened_at: Timestamp::from_unix_millis(0),
            closed_at: closed.then(|| Timestamp::from_unix_millis(1)),
            acceptance: None,
            credentials_changed: None,
        }
    }

    fn seen(asset: i64, cve: &str, outcome: Outcome) -> Observation {
        Observation {
            asset: AssetId(asset),
            cve: cve.into(),
            kind: Kind::Vulnerability,
            facts: facts(outcome),
        }
    }

    #[test]
    fn reconcile_opens_new_closes_fixed_reopens_returning_and_updates_changed() {
        let stored = [
            stored(1, 1, "CVE-A", false),
            stored(2, 1, "CVE-B", false),
            stored(3, 2, "CVE-A", true),
            stored(4, 2, "CVE-C", false),
        ];
        let plan = reconcile(
            &stored,
            vec![
                seen(1, "CVE-A", Outcome::Affected),
                seen(2, "CVE-A", Outcome::Affected),
                seen(2, "CVE-C", Outcome::NeedsReview),
                seen(3, "CVE-A", Outcome::Affected),
            ],
        );
        assert_eq!(plan.open, [seen(3, "CVE-A", Outcome::Affected)]);
        assert_eq!(plan.close, [FindingId(2)]);
        assert_eq!(plan.reopen, [(FindingId(3), facts(Outcome::Affected))]);
        assert_eq!(
            plan.update,
            [(FindingId(4), facts(Outcome::NeedsReview), true)]
        );
        let again = reconcile(&stored[..1], vec![seen(1, "CVE-A", Outcome::Affected)]);
        assert!(again.is_empty(), "nothing changed, nothing to do");
    }

    #[test]
    fn the_fingerprint_ignores_order_and_sees_every_fact() {
        let a = seen(1, "CVE-A", Outcome::Affected);
        let b = seen(2, "CVE-B", Outcome::NeedsReview);
        let v = [(AssetId(1), "FortiOS".to_string(), "7.0.12".to_string())];
        let one = fingerprint(&[a.clone(), b.clone()], &v);
        assert_eq!(one, fingerprint(&[b.clone(), a.clone()], &v));
        let mut c = a.clone();
        c.facts.edge = true;
        assert_ne!(one, fingerprint(&[c, b.clone()], &v));
        assert_ne!(one, fingerprint(&[a, b], &[]));
    }

    #[test]
    fn status_follows_closure_acceptance_and_outcome() {
        let today = Date::new(2026, 12, 1).unwrap();
        let mut f = stored(1, 1, "CVE-A", false);
        assert_eq!(f.status(today), Status::Open);
        f.facts.outcome = Outcome::NeedsReview;
        assert_eq!(f.status(today), Status::NeedsReview);
        f.acceptance = Some(Acceptance {
            reason: "更新は来月の保守で".into(),
            by: "director".into(),
            until: today,
        });
        assert_eq!(f.status(today), Status::Accepted);
        assert_eq!(
            f.status(Date::new(2026, 12, 2).unwrap()),
            Status::NeedsReview,
            "an acceptance ends after its last day"
        );
        f.closed_at = Some(Timestamp::from_unix_millis(5));
        assert_eq!(f.status(today), Status::Fixed);
    }

    fn fortigate(version: &str) -> Asset {
        Asset {
            id: AssetId(1),
            facility: FacilityId(1),
            details: NewAsset::new(AssetKind::Utm, "FortiGate")
                .unwrap()
                .maker_model("Fortinet", "FortiGate 60E")
                .os("FortiOS", version),
        }
    }

    fn leak() -> NvdCve {
        NvdCve {
            cwes: Vec::new(),
            local: false,
            id: "CVE-2018-13379".into(),
            description: String::new(),
            cvss: Some(9.8),
            configurations: vec![Configuration {
                operator: Operator::Or,
                negate: false,
                nodes: vec![Node {
                    operator: Operator::Or,
                    negate: false,
                    matches: vec![CpeMatch {
                        vulnerable: true,
                        criteria: Cpe::parse("cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*").unwrap(),
                        start_including: Some("6.0.0".into()),
                        start_excluding: None,
                        end_including: None,
                        end_excluding: Some("6.0.5".into()),
                    }],
                }],
            }],
        }
    }

    fn d(m: u8, day: u8) -> Date {
        Date::new(2026, m, day).unwrap()
    }

    #[test]
    fn a_patched_device_that_ran_a_leaking_version_keeps_a_finding_until_credentials_change() {
        let cve = leak();
        let cves = [&cve];
        let history = HashMap::from([(
            AssetId(1),
            vec![
                SeenVersion {
                    os: "FortiOS".into(),
                    version: "6.0.4".into(),
                    first_seen: d(1, 10),
                    last_seen: d(3, 1),
                },
                SeenVersion {
                    os: "FortiOS".into(),
                    version: "6.0.11".into(),
                    first_seen: d(3, 2),
                    last_seen: d(6, 1),
                },
            ],
        )]);
        let kev = HashMap::new();
        let edge = HashSet::new();
        let patched = [fortigate("6.0.11")];
        let run = |changed: &HashMap<AssetId, Date>| {
            credential_observations(&patched, &history, &cves, &kev, &edge, changed)
        };
        let open = run(&HashMap::new());
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].kind, Kind::Credentials);
        assert_eq!(open[0].facts.outcome, Outcome::Affected);
        assert_eq!(
            run(&HashMap::from([(AssetId(1), d(2, 20))])).len(),
            1,
            "a change before the fix does not count"
        );
        assert!(run(&HashMap::from([(AssetId(1), d(3, 1))])).is_empty());
        // Still on the leaking version: changing passwords does not close it.
        let unpatched = [fortigate("6.0.4")];
        let still = credential_observations(
            &unpatched,
            &history,
            &cves,
            &kev,
            &edge,
            &HashMap::from([(AssetId(1), d(6, 1))]),
        );
        assert_eq!(still.len(), 1);
        // A device that never ran a leaking version has nothing to change.
        let clean = HashMap::from([(
            AssetId(1),
            vec![SeenVersion {
                os: "FortiOS".into(),
                version: "6.0.11".into(),
                first_seen: d(1, 1),
                last_seen: d(6, 1),
            }],
        )]);
        assert!(
            credential_observations(&patched, &clean, &cves, &kev, &edge, &HashMap::new())
                .is_empty()
        );
    }

    #[test]
    fn harm_comes_from_the_cwes_and_leaks_come_first() {
        let cwe = |c: &str| vec![c.to_string()];
        assert_eq!(
            Harm::of("CVE-2024-21762", &cwe("CWE-787"), false),
            Harm::Takeover
        );
        assert_eq!(
            Harm::of("CVE-2018-13379", &cwe("CWE-22"), false),
            Harm::Credentials
        );
        assert_eq!(Harm::of("CVE-X", &cwe("CWE-22"), false), Harm::ReadsData);
        assert_eq!(
            Harm::of("CVE-X", &cwe("CWE-306"), false),
            Harm::BypassesSignIn
        );
        assert_eq!(Harm::of("CVE-X", &[], false), Harm::Unknown);
        assert_eq!(
            Harm::of("CVE-2023-28252", &cwe("CWE-787"), true),
            Harm::TakeoverInside
        );
    }

    #[test]
    fn every_leak_names_a_cve_and_event_codes_read_back() {
        assert!(
            CREDENTIAL_LEAKS
                .iter()
                .all(|(id, why)| id.starts_with("CVE-") && !why.is_empty())
        );
        for e in Event::ALL {
            assert_eq!(Event::parse(e.code()), Some(e));
        }
        for k in [Kind::Vulnerability, Kind::Credentials] {
            assert_eq!(Kind::parse(k.code()), Some(k));
        }
    }
}
