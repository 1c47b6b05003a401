//! The MHLW 「サイバーセキュリティ対策チェックリスト」 as data, and the answers Mamori can
//! propose from what it knows.
//!
//! Each version is a TOML file (`data/checklist/*.toml`, the format below); adding a fiscal
//! year is a new file plus a test. A file holds `key`, `title_ja`, `title_en`, `fiscal_year`
//! (the year the 年度 starts: 2026 = 令和8年度, 2026-04-01 … 2027-03-31), `source`, and
//! `[[item]]` tables with: `topic` (a stable key: numbers move between versions), `number`
//! (as printed, 「2-①」), `section`, `gate` (the 医療情報システムの有無 question), `ja`, `en`,
//! `targets` (`all`, `server`, `pc`, `network`), `wording` (how sure the sentence is, see
//! [`Wording`]), `vendor_contract_only`, `rule` (what Mamori evaluates, see [`Rule`]),
//! `evidence_ja` / `evidence_en` (what counts as evidence).
//!
//! [`propose`] answers an item from the ledger, the ways in and the findings: はい or いいえ
//! with the rows it rests on, "a person must confirm", or "Mamori cannot tell" (no data).

pub mod workbook;

use serde::{Deserialize, Serialize};

use crate::connection::{Authentication, ConnectionPoint, SourceRestriction};
use crate::finding::{Finding, Kind, Status};
use crate::{Asset, AssetId, AssetKind, Date, RemoteMaintenance};

/// The topic under which a vendor's returned 事業者確認用 sheet is kept: it answers the
/// vendor's side of every item (2-② and 2-③ among them).
pub const VENDOR_SHEET: &str = "vendor_sheet";

/// The versions Mamori knows, oldest first.
const FILES: [&str; 3] = [
    include_str!("../data/checklist/r6.toml"),
    include_str!("../data/checklist/r7.toml"),
    include_str!("../data/checklist/r8.toml"),
];

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub key: String,
    /// Whose sheet: the facility's (医療機関確認用) or the one vendors return (事業者確認用).
    #[serde(default, skip_serializing_if = "SheetKind::is_facility")]
    pub sheet: SheetKind,
    pub title_ja: String,
    pub title_en: String,
    pub fiscal_year: i32,
    pub source: String,
    #[serde(rename = "item")]
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub topic: String,
    pub number: String,
    pub section: u8,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gate: bool,
    pub ja: String,
    pub en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    pub wording: Wording,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub vendor_contract_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    pub evidence_ja: String,
    pub evidence_en: String,
}

/// Whose sheet a version is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SheetKind {
    /// 医療機関確認用 (医療機関・薬局確認用): the facility answers it.
    #[default]
    Facility,
    /// 事業者確認用: each vendor with a contract answers it and returns it to the facility.
    Vendor,
}

impl SheetKind {
    pub fn is_facility(&self) -> bool {
        *self == SheetKind::Facility
    }
}

/// What an item is asked of (the sheet's 対象).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// 医療情報システム全般
    All,
    Server,
    Pc,
    Network,
}

impl Target {
    pub fn code(self) -> &'static str {
        match self {
            Target::All => "all",
            Target::Server => "server",
            Target::Pc => "pc",
            Target::Network => "network",
        }
    }
}

/// How sure the item's sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Wording {
    /// As printed on the official sheet.
    Confirmed,
    /// Only the start of the sentence is confirmed.
    Partial,
    /// The wording of an earlier version; this version's is not confirmed.
    Earlier,
    /// No source for the sentence.
    NotConfirmed,
}

impl Wording {
    pub fn code(self) -> &'static str {
        match self {
            Wording::Confirmed => "confirmed",
            Wording::Partial => "partial",
            Wording::Earlier => "earlier",
            Wording::NotConfirmed => "not-confirmed",
        }
    }
}

/// What Mamori evaluates for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    HasSystems,
    SecurityOfficer,
    MdsSds,
    LedgerComplete,
    RemoteMaintenance,
    Patches,
    PasswordRule,
    PasswordReuse,
    TwoFactor,
    UnneededSoftware,
    SourceRestriction,
    /// 2-④: administrators only where the job needs them, no shared IDs.
    AccessRights,
    /// 2-⑤: no account of a leaver, none unused, none whose owner nobody knows.
    UnusedAccounts,
    /// 3-②: every system backed up, one copy out of the network's reach, a restore tried
    /// within a year.
    Backups,
    /// 3-①: the contact chart names the director, MHLW, the police and the prefecture, and
    /// every vendor has a 24-hour number.
    ContactChart,
    /// 3-③: a cyber-attack BCP approved within a year, every section written, paper
    /// operation planned.
    Bcp,
}

/// What 3-③ reads of the BCP.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BcpStanding {
    /// Anything was written or approved.
    pub recorded: bool,
    pub approved_in_time: bool,
    /// Codes of the sections not written yet.
    pub unwritten: Vec<&'static str>,
    pub paper_plans: usize,
}

/// A version file that does not read, with what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct VersionProblem(pub String);

/// Reads a version file (as shipped, or given by an administrator).
pub fn parse(text: &str) -> Result<Version, VersionProblem> {
    let v: Version = toml::from_str(text).map_err(|e| VersionProblem(e.to_string()))?;
    if v.items.is_empty() {
        return Err(VersionProblem("no [[item]]".into()));
    }
    // Keys and topics go into addresses and file names: letters, digits, - and _ only.
    let plain = |s: &str| {
        !s.is_empty()
            && s.len() <= 40
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    if !plain(&v.key) {
        return Err(VersionProblem(format!(
            "key {:?}: use a-z, 0-9, - and _",
            v.key
        )));
    }
    if !v.source.starts_with("https://") {
        return Err(VersionProblem(format!(
            "source {:?}: an https:// address",
            v.source
        )));
    }
    let mut topics = std::collections::HashSet::new();
    for i in &v.items {
        if !plain(&i.topic) {
            return Err(VersionProblem(format!(
                "topic {:?}: use a-z, 0-9, - and _",
                i.topic
            )));
        }
        if !topics.insert(i.topic.as_str()) {
            return Err(VersionProblem(format!("topic {} twice", i.topic)));
        }
    }
    if !(2000..=2100).contains(&v.fiscal_year) {
        return Err(VersionProblem(format!("fiscal_year {}", v.fiscal_year)));
    }
    Ok(v)
}

/// Every version of the facility's sheet shipped with Mamori, oldest first.
pub fn versions() -> Vec<Version> {
    // The shipped files are checked by a test; one that failed to read would be left out.
    FILES.iter().filter_map(|f| parse(f).ok()).collect()
}

/// The vendor sheets (事業者確認用) shipped with Mamori, oldest first.
const VENDOR_FILES: [&str; 2] = [
    include_str!("../data/checklist/r7-vendor.toml"),
    include_str!("../data/checklist/r8-vendor.toml"),
];

/// Every version of the vendor sheet shipped with Mamori, oldest first.
pub fn vendor_versions() -> Vec<Version> {
    VENDOR_FILES.iter().filter_map(|f| parse(f).ok()).collect()
}

/// How one version differs from another, item by item (by topic: numbers move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added {
        number: String,
        topic: String,
    },
    Removed {
        number: String,
        topic: String,
    },
    Renumbered {
        topic: String,
        from: String,
        to: String,
    },
    /// The Japanese sentence changed (and how sure it is now).
    Reworded {
        number: String,
        wording: Wording,
    },
    /// Only how sure the sentence is changed (e.g. confirmed from the official workbook).
    Confirmed {
        number: String,
        wording: Wording,
    },
    /// Something else of the item changed: its English, 対象, gate, rule or evidence text.
    Other {
        number: String,
    },
    /// The version's titles or fiscal year changed.
    Version,
}

/// What changes from `old` to `new`.
pub fn diff(old: &Version, new: &Version) -> Vec<Change> {
    let mut out = Vec::new();
    if (&old.title_ja, &old.title_en, old.fiscal_year, &old.source)
        != (&new.title_ja, &new.title_en, new.fiscal_year, &new.source)
    {
        out.push(Change::Version);
    }
    for n in &new.items {
        match old.items.iter().find(|o| o.topic == n.topic) {
            None => out.push(Change::Added {
                number: n.number.clone(),
                topic: n.topic.clone(),
            }),
            Some(o) => {
                if o.number != n.number {
                    out.push(Change::Renumbered {
                        topic: n.topic.clone(),
                        from: o.number.clone(),
                        to: n.number.clone(),
                    });
                }
                if (
                    &o.en,
                    &o.targets,
                    o.gate,
                    o.rule,
                    o.vendor_contract_only,
                    &o.evidence_ja,
                    &o.evidence_en,
                    o.section,
                ) != (
                    &n.en,
                    &n.targets,
                    n.gate,
                    n.rule,
                    n.vendor_contract_only,
                    &n.evidence_ja,
                    &n.evidence_en,
                    n.section,
                ) {
                    out.push(Change::Other {
                        number: n.number.clone(),
                    });
                }
                if o.ja != n.ja {
                    out.push(Change::Reworded {
                        number: n.number.clone(),
                        wording: n.wording,
                    });
                } else if o.wording != n.wording {
                    out.push(Change::Confirmed {
                        number: n.number.clone(),
                        wording: n.wording,
                    });
                }
            }
        }
    }
    for o in &old.items {
        if !new.items.iter().any(|n| n.topic == o.topic) {
            out.push(Change::Removed {
                number: o.number.clone(),
                topic: o.topic.clone(),
            });
        }
    }
    out
}

/// The fiscal year (年度) a day falls in: April to March.
pub fn fiscal_year(d: Date) -> i32 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// The version for a day: the newest whose fiscal year has begun.
pub fn version_for(versions: &[Version], today: Date) -> Option<&Version> {
    let fy = fiscal_year(today);
    versions
        .iter()
        .filter(|v| v.fiscal_year <= fy)
        .max_by_key(|v| v.fiscal_year)
        .or_else(|| versions.first())
}

/// What Mamori proposes for an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// はい: the data shows it.
    Yes,
    /// いいえ: the rows show what is missing.
    No,
    /// The data is consistent with はい, but only a person can say (e.g. the vendor was asked).
    Confirm,
    /// Mamori has no data for this item: a person answers.
    CannotTell,
}

impl Answer {
    pub fn code(&self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Confirm => "confirm",
            Answer::CannotTell => "cannot-tell",
        }
    }
}

/// A row an answer rests on: a device, a way in or a finding, and what about it (a code
/// the reader's language words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub what: Subject,
    pub name: String,
    /// Why this row counts: a code such as `missing-version` or `shared-password`.
    pub why: &'static str,
    /// Details for the words (the missing fields, the CVE).
    pub detail: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The security officer the facility recorded (no page of its own).
    Officer,
    /// A vendor named in the ledger (by name).
    Vendor,
    /// An evidence document, by its number in the facility.
    Document(i64),
    Device(AssetId),
    WayIn(crate::ConnectionPointId),
    Finding(crate::finding::FindingId),
    /// An account of one of the facility's systems (on the accounts page).
    Account(crate::accounts::SystemRef),
    /// A system's backups (on the backups page).
    Backup(AssetId),
    /// The contact chart (on the first-response page).
    Chart,
    /// The BCP (on its page).
    Bcp,
    /// A kept monthly review, by its number in the facility.
    Review(i64),
}

/// A record of Mamori's a person links as evidence of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Linked {
    Device(AssetId),
    WayIn(crate::ConnectionPointId),
    Finding(crate::finding::FindingId),
    /// A kept monthly review, by its number.
    Review(i64),
}

impl Linked {
    /// The kind as stored and posted: `asset`, `connection_point`, `finding`, `review`.
    pub fn kind(self) -> &'static str {
        match self {
            Linked::Device(_) => "asset",
            Linked::WayIn(_) => "connection_point",
            Linked::Finding(_) => "finding",
            Linked::Review(_) => "review",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Linked::Device(a) => a.0,
            Linked::WayIn(p) => p.0,
            Linked::Finding(f) => f.0,
            Linked::Review(n) => n,
        }
    }

    /// `asset:12` as a form posts it (and as the store keeps kind and id).
    pub fn parse(kind: &str, id: i64) -> Option<Linked> {
        Some(match kind {
            "asset" => Linked::Device(AssetId(id)),
            "connection_point" => Linked::WayIn(crate::ConnectionPointId(id)),
            "finding" => Linked::Finding(crate::finding::FindingId(id)),
            "review" => Linked::Review(id),
            _ => return None,
        })
    }

    /// The row it is on a sheet.
    pub fn subject(self) -> Subject {
        match self {
            Linked::Device(a) => Subject::Device(a),
            Linked::WayIn(p) => Subject::WayIn(p),
            Linked::Finding(f) => Subject::Finding(f),
            Linked::Review(n) => Subject::Review(n),
        }
    }
}

/// A proposal: the answer, why (a code), and the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub answer: Answer,
    /// A code the reader's language words: `ledger-complete`, `ledger-gaps`, …
    pub reason: &'static str,
    pub evidence: Vec<Evidence>,
}

/// What the facility's data says, for the rules.
pub struct Facts<'a> {
    pub today: Date,
    pub assets: &'a [Asset],
    pub points: &'a [ConnectionPoint],
    /// Findings of the facility (open and closed).
    pub findings: &'a [Finding],
    /// Whether any NVD data was imported (without it, patches cannot be judged).
    pub vulnerability_data: bool,
    /// Devices that could not be checked against the vulnerability data.
    pub unchecked: &'a [AssetId],
    /// Devices past their end of support.
    pub past_support: &'a [AssetId],
    /// Devices with remote-control software nobody registered.
    pub unregistered_tools: &'a [(AssetId, String)],
    /// How many days a version check stays fresh (the monthly review's period).
    pub check_days: i64,
    /// The 医療情報システム安全管理責任者 the facility recorded, and since when.
    pub officer: Option<(&'a str, Option<Date>)>,
    /// Evidence documents: (number, item topic, vendor, title, valid today).
    pub documents: &'a [(i64, String, Option<String>, String, bool)],
    /// The accounts checked against the roster; `None` when no inventory was imported.
    pub accounts: Option<&'a crate::accounts::Review>,
    /// Each system that needs backups, by name, with its backups judged.
    pub backups: &'a [(AssetId, &'a str, &'a crate::backup::Assessment)],
    /// What the contact chart lacks; `None` when nobody recorded a contact yet.
    pub chart: Option<&'a crate::incident::ChartGaps>,
    pub bcp: Option<&'a BcpStanding>,
    /// What vendors answered on their returned 事業者確認用 sheets: (vendor, topic, answer).
    pub vendor_said: &'a [(String, String, Given)],
}

/// Whether a device is a server, a PC or a network device (what 2-① and the BCP 確認表 1-1
/// ask about).
pub fn counted(kind: AssetKind) -> bool {
    use AssetKind as K;
    matches!(
        kind,
        K::Server
            | K::Pc
            | K::Router
            | K::Utm
            | K::Firewall
            | K::VpnAppliance
            | K::Switch
            | K::WifiAp
            | K::NetworkDevice
    )
}

fn device(a: &Asset, why: &'static str, detail: Vec<String>) -> Evidence {
    Evidence {
        what: Subject::Device(a.id),
        name: a.details.name.clone(),
        why,
        detail,
    }
}

fn way_in(p: &ConnectionPoint, why: &'static str) -> Evidence {
    Evidence {
        what: Subject::WayIn(p.id),
        name: p.details.name.clone(),
        why,
        detail: Vec::new(),
    }
}

/// The account problems of `facts` that `keep` picks, as evidence rows.
fn account_rows(
    facts: &Facts<'_>,
    keep: impl Fn(&crate::accounts::Problem) -> bool,
) -> Vec<Evidence> {
    facts
        .accounts
        .map(|r| {
            r.findings
                .iter()
                .filter(|f| keep(&f.problem))
                .map(|f| Evidence {
                    what: Subject::Account(f.system),
                    name: if f.account.is_empty() {
                        f.system_name.clone()
                    } else {
                        format!("{}: {}", f.system_name, f.account)
                    },
                    why: f.problem.code(),
                    detail: Vec::new(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A valid document kept under one of `topics` from `vendor` (names as people type them:
/// full-width, spacing and case do not matter).
fn vendor_document<'f>(
    facts: &'f Facts<'_>,
    topics: &[&str],
    vendor: &str,
) -> Option<&'f (i64, String, Option<String>, String, bool)> {
    facts.documents.iter().find(|(_, topic, v, _, valid)| {
        *valid
            && topics.contains(&topic.as_str())
            && v.as_deref().is_some_and(|v| same_vendor(v, vendor))
    })
}

/// Whether two vendor names are one vendor as people type them: full-width, spacing and
/// case do not matter (「ＡＢＣ メディカル」 is 「ABCメディカル」).
pub fn same_vendor(a: &str, b: &str) -> bool {
    vendor_key(a) == vendor_key(b)
}

/// A vendor's name as compared: sort by it before folding repeats with [`same_vendor`].
pub fn vendor_key(s: &str) -> String {
    crate::text::fold(s).split_whitespace().collect()
}

/// 2-②'s vendors: every vendor with a way in for remote maintenance or named on a remotely
/// maintained device, split into those whose confirmation is kept (a document of the item
/// or their returned 事業者確認用 sheet) and those whose is not; a remote-maintenance way in
/// without a vendor is a row of the second.
fn remote_vendors(item: &Item, facts: &Facts<'_>) -> (Vec<Evidence>, Vec<Evidence>) {
    let mut vendors: Vec<&str> = facts
        .points
        .iter()
        .filter(|p| p.details.kind == crate::connection::ConnectionKind::VendorRemote)
        .filter_map(|p| p.details.vendor.as_deref())
        .chain(
            facts
                .assets
                .iter()
                .filter(|a| a.details.remote_maintenance == RemoteMaintenance::Yes)
                .filter_map(|a| a.details.vendor.as_deref()),
        )
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    vendors.sort_by_cached_key(|v| vendor_key(v));
    vendors.dedup_by(|a, b| same_vendor(a, b));
    let mut confirmed = Vec::new();
    let mut unconfirmed: Vec<Evidence> = facts
        .points
        .iter()
        .filter(|p| p.details.kind == crate::connection::ConnectionKind::VendorRemote)
        .filter(|p| {
            p.details
                .vendor
                .as_deref()
                .is_none_or(|v| v.trim().is_empty())
        })
        .map(|p| way_in(p, "way-in-no-vendor"))
        .collect();
    let said = |vendor: &str| {
        facts
            .vendor_said
            .iter()
            .find(|(v, t, _)| same_vendor(v, vendor) && *t == item.topic)
            .map(|(_, _, g)| *g)
    };
    let answered_yes = |vendor: &str| said(vendor) == Some(Given::Yes);
    for v in vendors {
        // The vendor's own いいえ on its sheet outweighs any document kept for it.
        if said(v) == Some(Given::No) {
            unconfirmed.push(Evidence {
                what: Subject::Vendor,
                name: v.to_string(),
                why: "vendor-answered-no",
                detail: Vec::new(),
            });
            continue;
        }
        match vendor_document(facts, &[item.topic.as_str(), VENDOR_SHEET], v) {
            Some((n, _, _, title, _)) => confirmed.push(Evidence {
                what: Subject::Document(*n),
                name: v.to_string(),
                why: "vendor-confirmed",
                detail: vec![title.clone()],
            }),
            None if answered_yes(v) => confirmed.push(Evidence {
                what: Subject::Vendor,
                name: v.to_string(),
                why: "vendor-answered-yes",
                detail: Vec::new(),
            }),
            None => unconfirmed.push(Evidence {
                what: Subject::Vendor,
                name: v.to_string(),
                why: "vendor-unconfirmed",
                detail: Vec::new(),
            }),
        }
    }
    (confirmed, unconfirmed)
}

fn proposal(answer: Answer, reason: &'static str, evidence: Vec<Evidence>) -> Proposal {
    Proposal {
        answer,
        reason,
        evidence,
    }
}

/// Mamori's answer to `item` from `facts`; an item without a rule cannot be told.
pub fn propose(item: &Item, facts: &Facts<'_>) -> Proposal {
    let Some(rule) = item.rule else {
        return proposal(Answer::CannotTell, "no-data", Vec::new());
    };
    let name = |id: AssetId| {
        facts
            .assets
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.details.name.clone())
            .unwrap_or_default()
    };
    match rule {
        Rule::HasSystems => {
            if facts.assets.is_empty() {
                proposal(Answer::Confirm, "no-devices", Vec::new())
            } else {
                proposal(Answer::Yes, "has-devices", Vec::new())
            }
        }
        Rule::SecurityOfficer => match facts.officer {
            Some((name, since)) => proposal(
                Answer::Yes,
                "officer-recorded",
                vec![Evidence {
                    what: Subject::Officer,
                    name: name.to_string(),
                    why: "officer",
                    detail: since.map(|d| d.to_string()).into_iter().collect(),
                }],
            ),
            None => proposal(Answer::No, "officer-missing", Vec::new()),
        },
        Rule::MdsSds => {
            let mut vendors: Vec<&str> = facts
                .assets
                .iter()
                .filter_map(|a| a.details.vendor.as_deref())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            vendors.sort_unstable();
            vendors.dedup();
            if vendors.is_empty() {
                return proposal(Answer::Confirm, "no-vendors", Vec::new());
            }
            let mut rows = Vec::new();
            let mut missing = 0;
            for v in vendors {
                match vendor_document(facts, &[item.topic.as_str()], v) {
                    Some((n, _, _, title, _)) => rows.push(Evidence {
                        what: Subject::Document(*n),
                        name: v.to_string(),
                        why: "document-held",
                        detail: vec![title.clone()],
                    }),
                    None => {
                        missing += 1;
                        rows.push(Evidence {
                            what: Subject::Vendor,
                            name: v.to_string(),
                            why: "document-missing",
                            detail: Vec::new(),
                        });
                    }
                }
            }
            if missing == 0 {
                proposal(Answer::Yes, "documents-held", rows)
            } else {
                proposal(Answer::No, "documents-missing", rows)
            }
        }
        Rule::LedgerComplete => {
            let listed: Vec<&Asset> = facts
                .assets
                .iter()
                .filter(|a| counted(a.details.kind))
                .collect();
            if listed.is_empty() {
                return proposal(Answer::No, "ledger-empty", Vec::new());
            }
            let gaps: Vec<Evidence> = listed
                .iter()
                .filter_map(|a| {
                    let d = &a.details;
                    let blank =
                        |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
                    let mut missing = Vec::new();
                    if blank(&d.maker) {
                        missing.push("maker".to_string());
                    }
                    if blank(&d.model) {
                        missing.push("model".to_string());
                    }
                    if blank(&d.os_version) {
                        missing.push("os_version".to_string());
                    }
                    if blank(&d.location) {
                        missing.push("location".to_string());
                    }
                    if d.version_checked_on
                        .is_none_or(|c| facts.today.days() - c.days() > facts.check_days)
                    {
                        missing.push("version_checked_on".to_string());
                    }
                    (!missing.is_empty()).then(|| device(a, "ledger-missing", missing))
                })
                .collect();
            if gaps.is_empty() {
                proposal(Answer::Yes, "ledger-complete", Vec::new())
            } else {
                proposal(Answer::No, "ledger-gaps", gaps)
            }
        }
        Rule::RemoteMaintenance => {
            let (confirmed, unconfirmed) = remote_vendors(item, facts);
            let unknown: Vec<Evidence> = facts
                .assets
                .iter()
                .filter(|a| a.details.remote_maintenance == RemoteMaintenance::Unknown)
                .map(|a| device(a, "remote-unknown", Vec::new()))
                .collect();
            let unregistered: Vec<Evidence> =
                crate::connection::unregistered_remote(facts.assets, facts.points)
                    .into_iter()
                    .map(|a| device(a, "remote-unregistered", Vec::new()))
                    .collect();
            if !unknown.is_empty() || !unregistered.is_empty() {
                proposal(
                    Answer::No,
                    "remote-gaps",
                    unregistered
                        .into_iter()
                        .chain(unknown)
                        .chain(unconfirmed)
                        .chain(confirmed)
                        .collect(),
                )
            } else if !unconfirmed.is_empty() {
                proposal(
                    Answer::No,
                    "remote-unconfirmed",
                    unconfirmed.into_iter().chain(confirmed).collect(),
                )
            } else if !confirmed.is_empty() {
                proposal(Answer::Yes, "remote-confirmed", confirmed)
            } else {
                proposal(Answer::Confirm, "remote-all-registered", Vec::new())
            }
        }
        Rule::Patches => {
            if !facts.vulnerability_data {
                return proposal(Answer::CannotTell, "no-vulnerability-data", Vec::new());
            }
            let mut rows: Vec<Evidence> = facts
                .findings
                .iter()
                .filter(|f| f.kind == Kind::Vulnerability)
                .filter(|f| matches!(f.status(facts.today), Status::Open | Status::NeedsReview))
                .map(|f| Evidence {
                    what: Subject::Finding(f.id),
                    name: name(f.asset),
                    why: "open-vulnerability",
                    detail: vec![f.cve.clone()],
                })
                .collect();
            rows.extend(facts.past_support.iter().filter_map(|id| {
                facts
                    .assets
                    .iter()
                    .find(|a| a.id == *id)
                    .map(|a| device(a, "past-support", Vec::new()))
            }));
            if !rows.is_empty() {
                return proposal(Answer::No, "patches-missing", rows);
            }
            let unchecked: Vec<Evidence> = facts
                .unchecked
                .iter()
                .filter_map(|id| facts.assets.iter().find(|a| a.id == *id))
                .map(|a| device(a, "not-checked", Vec::new()))
                .collect();
            if unchecked.is_empty() {
                proposal(Answer::Yes, "patches-applied", Vec::new())
            } else {
                proposal(Answer::Confirm, "patches-partly-checked", unchecked)
            }
        }
        Rule::PasswordRule => {
            let stale: Vec<Evidence> = facts
                .points
                .iter()
                .filter(|p| p.details.authentication != Authentication::Certificate)
                .filter(|p| {
                    p.details
                        .credentials_changed_on
                        .is_none_or(|c| facts.today.days() - c.days() > 365)
                })
                .map(|p| way_in(p, "old-credentials"))
                .chain(account_rows(facts, |p| {
                    use crate::accounts::Problem as P;
                    matches!(
                        p,
                        P::ShortPasswords { .. } | P::NoLockout | P::NeitherLongNorChanged { .. }
                    )
                }))
                .collect();
            if stale.is_empty() {
                proposal(Answer::Confirm, "password-rule-ways-in-fine", Vec::new())
            } else {
                proposal(Answer::No, "password-rule-old", stale)
            }
        }
        Rule::PasswordReuse => {
            let shared: Vec<Evidence> = facts
                .points
                .iter()
                .filter(|p| p.details.authentication == Authentication::SharedPassword)
                .map(|p| way_in(p, "shared-password"))
                .chain(account_rows(facts, |p| {
                    use crate::accounts::Problem as P;
                    matches!(p, P::ReusedPassword | P::DefaultPassword)
                }))
                .collect();
            if shared.is_empty() {
                proposal(Answer::Confirm, "no-shared-password", Vec::new())
            } else {
                proposal(Answer::No, "shared-passwords", shared)
            }
        }
        Rule::TwoFactor => {
            // A way in whose every account has a second factor (its list says so, or a person
            // recorded it on the accounts page) counts as two-factor whatever its own field says.
            let all_accounts_two_factor = |p: &ConnectionPoint| {
                facts.accounts.is_some_and(|r| {
                    r.systems.iter().any(|s| {
                        s.system == crate::accounts::SystemRef::WayIn(p.id.0) && s.all_two_factor
                    })
                })
            };
            let single: Vec<Evidence> = facts
                .points
                .iter()
                .filter(|p| {
                    !matches!(
                        p.details.authentication,
                        Authentication::TwoFactor | Authentication::Certificate
                    ) && !all_accounts_two_factor(p)
                })
                .map(|p| way_in(p, "single-factor"))
                .chain(account_rows(facts, |p| {
                    matches!(p, crate::accounts::Problem::NoTwoFactor { .. })
                }))
                .collect();
            if single.is_empty() {
                proposal(Answer::Confirm, "ways-in-two-factor", Vec::new())
            } else {
                proposal(Answer::No, "ways-in-single-factor", single)
            }
        }
        Rule::AccessRights => {
            let Some(review) = facts.accounts else {
                return proposal(Answer::CannotTell, "no-account-data", Vec::new());
            };
            // No administrator anywhere means no list said who is one, not that nobody is.
            if review.systems.iter().all(|s| s.admins == 0) {
                return proposal(Answer::CannotTell, "no-admin-data", Vec::new());
            }
            let rows: Vec<Evidence> = review
                .systems
                .iter()
                .filter(|s| s.too_many_admins)
                .map(|s| Evidence {
                    what: Subject::Account(s.system),
                    name: s.name.clone(),
                    why: "too-many-admins",
                    detail: vec![format!("{}/{}", s.admins, s.users)],
                })
                .chain(account_rows(facts, |p| {
                    use crate::accounts::Problem as P;
                    matches!(
                        p,
                        P::AdminWithoutNeed { .. } | P::VendorDomainAdmin | P::Shared
                    )
                }))
                .collect();
            if rows.is_empty() {
                proposal(Answer::Confirm, "access-rights-fine", Vec::new())
            } else {
                proposal(Answer::No, "access-rights-gaps", rows)
            }
        }
        Rule::UnusedAccounts => {
            if facts.accounts.is_none() {
                return proposal(Answer::CannotTell, "no-account-data", Vec::new());
            }
            let mut rows = account_rows(facts, |p| {
                use crate::accounts::Problem as P;
                matches!(
                    p,
                    P::Leaver { .. }
                        | P::UsedAfterLeaving { .. }
                        | P::Unused { .. }
                        | P::UnknownHolder
                )
            });
            // One account once: a leaver's that is also unused is listed as the leaver's.
            let mut seen = std::collections::HashSet::new();
            rows.retain(|e| seen.insert(e.name.clone()));
            if rows.is_empty() {
                proposal(Answer::Confirm, "no-accounts-to-remove", Vec::new())
            } else {
                proposal(Answer::No, "accounts-to-remove", rows)
            }
        }
        Rule::Bcp => {
            let Some(b) = facts.bcp.filter(|b| b.recorded) else {
                return proposal(Answer::CannotTell, "no-bcp", Vec::new());
            };
            let row = |name: &str, why: &'static str| Evidence {
                what: Subject::Bcp,
                name: name.to_string(),
                why,
                detail: Vec::new(),
            };
            let mut rows: Vec<Evidence> = Vec::new();
            if !b.approved_in_time {
                rows.push(row("BCP", "bcp-not-approved"));
            }
            rows.extend(b.unwritten.iter().map(|s| row(s, "bcp-unwritten")));
            if b.paper_plans == 0 {
                rows.push(row("BCP", "bcp-no-paper"));
            }
            if rows.is_empty() {
                proposal(Answer::Confirm, "bcp-ready", Vec::new())
            } else {
                proposal(Answer::No, "bcp-gaps", rows)
            }
        }
        Rule::ContactChart => {
            let Some(gaps) = facts.chart else {
                return proposal(Answer::CannotTell, "no-contact-chart", Vec::new());
            };
            let row = |name: String, why: &'static str| Evidence {
                what: Subject::Chart,
                name,
                why,
                detail: Vec::new(),
            };
            let rows: Vec<Evidence> = gaps
                .missing_roles
                .iter()
                .map(|r| row(r.code().to_string(), "contact-missing"))
                .chain(
                    gaps.vendors_without_phone
                        .iter()
                        .map(|v| row(v.clone(), "vendor-no-24h")),
                )
                .collect();
            if rows.is_empty() {
                proposal(Answer::Confirm, "contact-chart-complete", Vec::new())
            } else {
                proposal(Answer::No, "contact-chart-gaps", rows)
            }
        }
        Rule::Backups => {
            use crate::backup::Problem as P;
            if facts.backups.is_empty() {
                return proposal(Answer::CannotTell, "no-backup-systems", Vec::new());
            }
            if facts
                .backups
                .iter()
                .all(|(_, _, a)| a.problems.contains(&P::NoCopies))
            {
                return proposal(Answer::CannotTell, "no-backup-data", Vec::new());
            }
            // What 3-② asks: a backup of each system, that survives (one copy the network
            // cannot reach), taken on schedule, and a restore procedure that was tried.
            let rows: Vec<Evidence> = facts
                .backups
                .iter()
                .flat_map(|(id, name, a)| {
                    a.problems
                        .iter()
                        .filter(|p| {
                            matches!(
                                p,
                                P::NoCopies
                                    | P::AllReachable { .. }
                                    | P::Stale { .. }
                                    | P::NoDrill { .. }
                                    | P::DrillFailed { .. }
                            )
                        })
                        .map(|p| Evidence {
                            what: Subject::Backup(*id),
                            name: name.to_string(),
                            why: p.code(),
                            detail: Vec::new(),
                        })
                })
                .collect();
            if rows.is_empty() {
                proposal(Answer::Confirm, "backups-fine", Vec::new())
            } else {
                proposal(Answer::No, "backup-gaps", rows)
            }
        }
        Rule::UnneededSoftware => {
            if facts.unregistered_tools.is_empty() {
                return proposal(Answer::CannotTell, "no-data", Vec::new());
            }
            let rows = facts
                .unregistered_tools
                .iter()
                .filter_map(|(id, tool)| {
                    facts
                        .assets
                        .iter()
                        .find(|a| a.id == *id)
                        .map(|a| device(a, "unregistered-tool", vec![tool.clone()]))
                })
                .collect();
            proposal(Answer::No, "unregistered-tools", rows)
        }
        Rule::SourceRestriction => {
            if facts.points.is_empty() {
                return proposal(Answer::CannotTell, "no-ways-in", Vec::new());
            }
            let open: Vec<Evidence> = facts
                .points
                .iter()
                .filter(|p| p.details.source_restriction != SourceRestriction::Yes)
                .map(|p| {
                    way_in(
                        p,
                        if p.details.source_restriction == SourceRestriction::No {
                            "no-source-restriction"
                        } else {
                            "source-restriction-unknown"
                        },
                    )
                })
                .collect();
            if open.is_empty() {
                proposal(Answer::Yes, "all-restricted", Vec::new())
            } else {
                proposal(Answer::No, "not-restricted", open)
            }
        }
    }
}

/// A person's answer to an item (はい / いいえ / 対象外).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    Yes,
    No,
    NotApplicable,
}

impl Given {
    pub const ALL: [Given; 3] = [Given::Yes, Given::No, Given::NotApplicable];

    pub fn code(self) -> &'static str {
        match self {
            Given::Yes => "yes",
            Given::No => "no",
            Given::NotApplicable => "not-applicable",
        }
    }

    pub fn parse(code: &str) -> Option<Given> {
        Given::ALL.into_iter().find(|g| g.code() == code.trim())
    }
}

/// An answer as recorded: what, the day checked (確認日), for いいえ the target day (目標日,
/// inside the version's fiscal year) and a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub given: Given,
    pub checked_on: Date,
    pub target_on: Option<Date>,
    pub comment: String,
}

/// The longest comment an answer takes.
pub const COMMENT_MAX: usize = 1000;

/// Checks an answer as typed: the answer one of the three, the day checked a real day not
/// after today, a target day for いいえ inside the fiscal year (none otherwise), the comment
/// bounded. Every problem names its field.
pub fn record(
    version: &Version,
    today: Date,
    given: &str,
    checked_on: &str,
    target_on: &str,
    comment: &str,
) -> Result<Recorded, Vec<crate::Error>> {
    use crate::error::{Error, Field, Rule};
    let mut problems = Vec::new();
    let parsed = Given::parse(given);
    if parsed.is_none() {
        problems.push(Error::invalid(
            Field::ChecklistAnswer,
            given,
            Rule::UnknownChoice,
        ));
    }
    let day = Date::parse_field;
    let checked = match day(Field::ChecklistCheckedOn, checked_on) {
        Ok(Some(d)) if d > today => {
            problems.push(Error::invalid(
                Field::ChecklistCheckedOn,
                d,
                Rule::InTheFuture,
            ));
            None
        }
        Ok(Some(d)) if Date::new(version.fiscal_year - 1, 4, 1).is_ok_and(|since| d < since) => {
            // A check from before the previous fiscal year says nothing about this one.
            let since = Date::new(version.fiscal_year - 1, 4, 1).unwrap_or(d);
            problems.push(Error::invalid(
                Field::ChecklistCheckedOn,
                d,
                Rule::TooLongAgo { since },
            ));
            None
        }
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            problems.push(Error::invalid(
                Field::ChecklistCheckedOn,
                "",
                Rule::Required,
            ));
            None
        }
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let target = match day(Field::ChecklistTargetOn, target_on) {
        Ok(t) => t,
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let year = version.fiscal_year;
    match (parsed, target) {
        (Some(Given::No), None)
            if !problems.iter().any(|e| {
                matches!(
                    e,
                    Error::Invalid {
                        field: Field::ChecklistTargetOn,
                        ..
                    }
                )
            }) =>
        {
            problems.push(Error::invalid(Field::ChecklistTargetOn, "", Rule::Required));
        }
        (Some(Given::No), Some(t)) if checked.is_some_and(|c| t < c) => {
            problems.push(Error::invalid(
                Field::ChecklistTargetOn,
                t,
                Rule::BeforeCheckedOn,
            ));
        }
        (Some(Given::No), Some(t)) if fiscal_year(t) != year => {
            problems.push(Error::invalid(
                Field::ChecklistTargetOn,
                t,
                Rule::OutsideFiscalYear { year },
            ));
        }
        _ => {}
    }
    let comment = match crate::text::optional(Field::ChecklistComment, Some(comment), COMMENT_MAX) {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            problems.push(e);
            String::new()
        }
    };
    match (parsed, checked) {
        (Some(given), Some(checked_on)) if problems.is_empty() => Ok(Recorded {
            given,
            checked_on,
            // A target day belongs to いいえ only.
            target_on: target.filter(|_| given == Given::No),
            comment,
        }),
        _ => Err(problems),
    }
}

/// How an item's answer moved from one fiscal year's sheet to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// いいえ then, はい now.
    Improved,
    /// はい then, いいえ now.
    Worsened,
    /// Answered both years, the same way.
    Unchanged,
    /// Answered both years, differently otherwise (対象外 involved).
    Changed,
    /// Answered last year, not yet this year.
    NotYetAnswered,
    /// Not answered last year.
    NotAnsweredThen,
    /// An item this year's sheet added.
    NewItem,
    /// An item of last year's sheet this year's no longer has.
    Dropped,
}

impl Movement {
    pub fn code(self) -> &'static str {
        match self {
            Movement::Improved => "improved",
            Movement::Worsened => "worsened",
            Movement::Unchanged => "unchanged",
            Movement::Changed => "changed",
            Movement::NotYetAnswered => "not-yet-answered",
            Movement::NotAnsweredThen => "not-answered-then",
            Movement::NewItem => "new-item",
            Movement::Dropped => "dropped",
        }
    }
}

/// One item of a year-over-year comparison, matched by topic (numbers move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearChange {
    pub topic: String,
    pub number_then: Option<String>,
    pub number_now: Option<String>,
    /// The sentence as this year's sheet prints it (last year's for a dropped item).
    pub ja: String,
    pub then: Option<Given>,
    pub now: Option<Given>,
    pub movement: Movement,
}

impl YearChange {
    /// The item's number as both sheets print it: 「2-①」, or 「2-⑩ → 2-⑪」 when it moved.
    pub fn number(&self) -> String {
        match (&self.number_then, &self.number_now) {
            (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
            (_, Some(b)) => b.clone(),
            (Some(a), None) => a.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Compares two fiscal years' sheets and their answers (topic → the answer in force), in
/// this year's order, then the dropped items. The gate question is left out.
pub fn compare(
    then: (&Version, &std::collections::HashMap<String, Given>),
    now: (&Version, &std::collections::HashMap<String, Given>),
) -> Vec<YearChange> {
    let (old, old_given) = then;
    let (new, new_given) = now;
    let mut out: Vec<YearChange> = new
        .items
        .iter()
        .filter(|i| !i.gate)
        .map(|n| {
            let before = old.items.iter().find(|o| o.topic == n.topic);
            let was = old_given.get(&n.topic).copied();
            let is = new_given.get(&n.topic).copied();
            let movement = match (before, was, is) {
                (None, ..) => Movement::NewItem,
                (Some(_), None, _) => Movement::NotAnsweredThen,
                (Some(_), Some(_), None) => Movement::NotYetAnswered,
                (Some(_), Some(a), Some(b)) if a == b => Movement::Unchanged,
                (Some(_), Some(Given::No), Some(Given::Yes)) => Movement::Improved,
                (Some(_), Some(Given::Yes), Some(Given::No)) => Movement::Worsened,
                (Some(_), Some(_), Some(_)) => Movement::Changed,
            };
            YearChange {
                topic: n.topic.clone(),
                number_then: before.map(|o| o.number.clone()),
                number_now: Some(n.number.clone()),
                ja: n.ja.clone(),
                then: was,
                now: is,
                movement,
            }
        })
        .collect();
    out.extend(
        old.items
            .iter()
            .filter(|o| !o.gate && !new.items.iter().any(|n| n.topic == o.topic))
            .map(|o| YearChange {
                topic: o.topic.clone(),
                number_then: Some(o.number.clone()),
                number_now: None,
                ja: o.ja.clone(),
                then: old_given.get(&o.topic).copied(),
                now: None,
                movement: Movement::Dropped,
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Facts with nothing recorded, for one rule's test to fill in.
    fn nothing(today: Date) -> Facts<'static> {
        Facts {
            today,
            assets: &[],
            points: &[],
            findings: &[],
            vulnerability_data: false,
            unchecked: &[],
            past_support: &[],
            unregistered_tools: &[],
            check_days: 30,
            officer: None,
            documents: &[],
            accounts: None,
            backups: &[],
            chart: None,
            bcp: None,
            vendor_said: &[],
        }
    }

    #[test]
    fn the_contact_chart_answers_3_1() {
        use crate::incident::{ChartGaps, ContactRole};
        let r8 = parse(FILES[2]).unwrap();
        let item = r8
            .items
            .iter()
            .find(|i| i.topic == "contact_chart")
            .unwrap();
        assert_eq!(item.rule, Some(Rule::ContactChart));
        let ask = |chart: Option<&ChartGaps>| {
            let facts = Facts {
                chart,
                ..nothing(Date::new(2026, 12, 4).unwrap())
            };
            propose(item, &facts)
        };
        assert_eq!(ask(None).answer, Answer::CannotTell);
        assert_eq!(ask(Some(&ChartGaps::default())).answer, Answer::Confirm);
        let gaps = ChartGaps {
            missing_roles: vec![ContactRole::Police],
            without_phone: vec!["院長".into()],
            vendors_without_phone: vec!["A社".into()],
        };
        let p = ask(Some(&gaps));
        assert_eq!(p.answer, Answer::No);
        let rows: Vec<(&str, &str)> = p
            .evidence
            .iter()
            .map(|e| (e.name.as_str(), e.why))
            .collect();
        assert_eq!(
            rows,
            [("police", "contact-missing"), ("A社", "vendor-no-24h")]
        );
    }

    #[test]
    fn backups_answer_3_2_from_copies_and_drills() {
        use crate::backup::{
            Copy, CopyId, Drill, DrillId, DrillResult, Goal, Link, Medium, Network, NewCopy,
            NewDrill, Place, assess,
        };
        let r8 = parse(FILES[2]).unwrap();
        let item = r8
            .items
            .iter()
            .find(|i| i.topic == "backup_restore")
            .unwrap();
        assert_eq!(item.rule, Some(Rule::Backups));
        let today = Date::new(2026, 12, 4).unwrap();
        let ask = |judged: &[(AssetId, &str, &crate::backup::Assessment)]| {
            let facts = Facts {
                backups: judged,
                ..nothing(today)
            };
            propose(item, &facts)
        };
        assert_eq!(ask(&[]).answer, Answer::CannotTell);
        let none = assess(&[], &[], Goal::default(), today);
        assert_eq!(
            ask(&[(AssetId(1), "電子カルテ", &none)]).reason,
            "no-backup-data"
        );
        let copy = |id, link| Copy {
            id: CopyId(id),
            details: NewCopy {
                system: AssetId(1),
                medium: Medium::ExternalDisk,
                place: Place::OffSite,
                link,
                immutable: false,
                admin_can_delete: None,
                holder: None,
                every_days: Some(1),
                generations: None,
                encrypted: None,
                last_success: Some(today),
                note: None,
            },
        };
        let drill = Drill {
            id: DrillId(1),
            details: NewDrill {
                result: Some(DrillResult::Restored),
                ..NewDrill::new(AssetId(1), Date::new(2026, 6, 1).unwrap(), "戻した").unwrap()
            },
        };
        // Only a share the network reaches, no drill: いいえ, with both reasons and the
        // system with nothing recorded.
        let reachable = assess(
            &[(copy(1, Link::Always), Network::default())],
            &[],
            Goal::default(),
            today,
        );
        let p = ask(&[
            (AssetId(1), "電子カルテ", &reachable),
            (AssetId(2), "レセコン", &none),
        ]);
        assert_eq!((p.answer, p.reason), (Answer::No, "backup-gaps"));
        let whys: Vec<(&str, &str)> = p
            .evidence
            .iter()
            .map(|e| (e.name.as_str(), e.why))
            .collect();
        assert_eq!(
            whys,
            [
                ("電子カルテ", "all-reachable"),
                ("電子カルテ", "no-drill"),
                ("レセコン", "no-copies"),
                ("レセコン", "no-drill")
            ]
        );
        assert_eq!(p.evidence[0].what, Subject::Backup(AssetId(1)));
        // A copy kept apart and a drill that worked: はい (the other gaps, such as one
        // medium, do not decide 3-②).
        let fine = assess(
            &[(copy(1, Link::Offline), Network::default())],
            &[drill],
            Goal::default(),
            today,
        );
        let p = ask(&[(AssetId(1), "電子カルテ", &fine)]);
        assert_eq!(p.reason, "backups-fine", "{p:?}");
        assert_eq!(p.answer, Answer::Confirm);
    }

    #[test]
    fn a_way_in_whose_accounts_all_have_a_second_factor_counts_as_two_factor() {
        use crate::accounts::{self, Inventory, SystemAccount, SystemRef};
        let r8 = parse(FILES[2]).unwrap();
        let item = r8.items.iter().find(|i| i.topic == "two_factor").unwrap();
        let today = Date::new(2026, 12, 4).unwrap();
        let point = ConnectionPoint {
            id: crate::ConnectionPointId(7),
            details: crate::NewConnectionPoint::new(
                "保守VPN",
                crate::connection::ConnectionKind::VendorRemote,
            )
            .unwrap(),
        };
        let answer = |two_factor: Option<bool>| {
            let inv = Inventory {
                system: SystemRef::WayIn(7),
                name: "保守VPN".into(),
                way_in: true,
                remote_maintained: false,
                accounts: vec![SystemAccount {
                    enabled: Some(true),
                    two_factor,
                    ..SystemAccount::named("hoshu").unwrap()
                }],
                policy: None,
            };
            let review = accounts::review(&[], &[inv], today, 90);
            let facts = Facts {
                points: std::slice::from_ref(&point),
                accounts: Some(&review),
                ..nothing(today)
            };
            propose(item, &facts).answer
        };
        assert_eq!(
            answer(Some(true)),
            Answer::Confirm,
            "recorded on the accounts page"
        );
        assert_eq!(answer(None), Answer::No, "nobody said");
    }

    #[test]
    fn remote_maintenance_asks_for_each_vendors_confirmation() {
        let r8 = parse(FILES[2]).unwrap();
        let item = r8
            .items
            .iter()
            .find(|i| i.topic == "remote_maintenance")
            .unwrap();
        let today = Date::new(2026, 12, 4).unwrap();
        let way_in = |id: i64, vendor: Option<&str>| ConnectionPoint {
            id: crate::ConnectionPointId(id),
            details: crate::NewConnectionPoint {
                vendor: vendor.map(str::to_string),
                ..crate::NewConnectionPoint::new(
                    "保守VPN",
                    crate::connection::ConnectionKind::VendorRemote,
                )
                .unwrap()
            },
        };
        let points = [way_in(1, Some("ＡＢＣメディカル")), way_in(2, None)];
        let sheet = |topic: &str, vendor: &str, valid: bool| {
            (
                4,
                topic.to_string(),
                Some(vendor.to_string()),
                "事業者確認用".to_string(),
                valid,
            )
        };
        let ask = |points: &[ConnectionPoint],
                   docs: &[(i64, String, Option<String>, String, bool)]| {
            propose(
                item,
                &Facts {
                    points,
                    documents: docs,
                    ..nothing(today)
                },
            )
        };
        let p = ask(&points[..1], &[]);
        assert_eq!(
            (p.answer.clone(), p.reason),
            (Answer::No, "remote-unconfirmed")
        );
        assert_eq!(p.evidence[0].why, "vendor-unconfirmed");
        assert_eq!(p.evidence[0].name, "ＡＢＣメディカル");
        // The vendor's returned sheet counts, typed with half-width letters; an expired one
        // does not; a document of another item does not.
        let p = ask(&points[..1], &[sheet(VENDOR_SHEET, "ABC メディカル", true)]);
        assert_eq!(
            (p.answer.clone(), p.reason),
            (Answer::Yes, "remote-confirmed")
        );
        assert_eq!(p.evidence[0].what, Subject::Document(4));
        let p = ask(&points[..1], &[sheet(VENDOR_SHEET, "ABCメディカル", false)]);
        assert_eq!(p.answer, Answer::No);
        let p = ask(&points[..1], &[sheet("mds_sds", "ABCメディカル", true)]);
        assert_eq!(p.answer, Answer::No);
        let p = ask(
            &points[..1],
            &[sheet("remote_maintenance", "ABCメディカル", true)],
        );
        assert_eq!(p.answer, Answer::Yes);
        // A maintenance way in without a vendor cannot be confirmed by anyone.
        let p = ask(&points, &[sheet(VENDOR_SHEET, "ABCメディカル", true)]);
        assert_eq!(p.answer, Answer::No);
        assert_eq!(p.evidence[0].why, "way-in-no-vendor");
        // Nothing maintained remotely: a person says the vendors were asked.
        assert_eq!(ask(&[], &[]).answer, Answer::Confirm);
        // The vendor's はい to the item on its returned sheet, as the facility recorded it.
        let said = [(
            "ABCメディカル".to_string(),
            "remote_maintenance".to_string(),
            Given::Yes,
        )];
        let p = propose(
            item,
            &Facts {
                points: &points[..1],
                vendor_said: &said,
                ..nothing(today)
            },
        );
        assert_eq!(
            (p.answer.clone(), p.evidence[0].why),
            (Answer::Yes, "vendor-answered-yes")
        );
        // Its いいえ outweighs the sheet kept for it.
        let said = [(
            "ABCメディカル".to_string(),
            "remote_maintenance".to_string(),
            Given::No,
        )];
        let docs = [sheet(VENDOR_SHEET, "ABCメディカル", true)];
        let p = propose(
            item,
            &Facts {
                points: &points[..1],
                documents: &docs,
                vendor_said: &said,
                ..nothing(today)
            },
        );
        assert_eq!(
            (p.answer.clone(), p.evidence[0].why),
            (Answer::No, "vendor-answered-no")
        );
    }

    #[test]
    fn every_shipped_version_reads_and_keeps_the_topics() {
        assert_eq!(versions().len(), FILES.len());
        for f in FILES {
            let v = parse(f).unwrap();
            assert!(v.items.iter().filter(|i| i.gate).count() == 1, "{}", v.key);
            for i in &v.items {
                assert!(
                    !i.ja.trim().is_empty() && !i.en.trim().is_empty(),
                    "{}",
                    i.topic
                );
                assert!(!i.evidence_ja.trim().is_empty(), "{}", i.topic);
            }
        }
        let all = versions();
        let topics = |v: &Version| v.items.iter().map(|i| i.topic.clone()).collect::<Vec<_>>();
        assert_eq!(topics(&all[1]), topics(&all[2]), "R8 keeps R7's topics");
        // Every R6 item compares with its R7 successor: the same topics, R7 adding five.
        let r7 = topics(&all[1]);
        assert!(topics(&all[0]).iter().all(|t| r7.contains(t)));
        assert_eq!(r7.len() - all[0].items.len(), 5, "five new items in R7");
        // 令和8年度's wording is not confirmed anywhere until the official workbook is read.
        assert!(all[2].items.iter().all(|i| i.wording != Wording::Confirmed));
    }

    #[test]
    fn a_version_file_with_problems_is_refused_by_name() {
        assert!(parse("key = 1").is_err());
        let key = FILES[2].replace("key = \"r8\"", "key = \"r8&x\"");
        assert!(parse(&key).unwrap_err().0.contains("key"));
        let link = FILES[2].replace("source = \"https://", "source = \"javascript://");
        assert!(parse(&link).unwrap_err().0.contains("source"));
        let topic = FILES[2].replace("topic = \"ledger\"", "topic = \"ledger#1\"");
        assert!(parse(&topic).unwrap_err().0.contains("topic"));
        let rule = FILES[2].replacen("rule = \"ledger-complete\"", "rule = \"patches\"", 1);
        let changes = diff(&parse(FILES[2]).unwrap(), &parse(&rule).unwrap());
        assert!(
            changes.contains(&Change::Other {
                number: "2-①".into()
            }),
            "{changes:?}"
        );
        let year = FILES[2].replace("fiscal_year = 2026", "fiscal_year = 2027");
        assert!(diff(&parse(FILES[2]).unwrap(), &parse(&year).unwrap()).contains(&Change::Version));
        let twice = FILES[1].to_string()
            + "\n[[item]]\ntopic = \"ledger\"\nnumber = \"9\"\nsection = 2\nja = \"x\"\nen = \"x\"\nwording = \"confirmed\"\nevidence_ja = \"x\"\nevidence_en = \"x\"\n";
        assert_eq!(parse(&twice).unwrap_err().0, "topic ledger twice");
        let typo = FILES[1].replace("wording = \"confirmed\"", "wording = \"sure\"");
        assert!(parse(&typo).unwrap_err().0.contains("sure"));
    }

    #[test]
    fn an_answer_is_checked_field_by_field() {
        let r8 = versions().into_iter().find(|v| v.key == "r8").unwrap();
        let today = Date::new(2026, 12, 4).unwrap();
        let ok = record(
            &r8,
            today,
            "no",
            "令和8年12月1日",
            "2027/3/31",
            " 業者に依頼 ",
        )
        .unwrap();
        assert_eq!(ok.given, Given::No);
        assert_eq!(ok.target_on, Date::new(2027, 3, 31).ok());
        assert_eq!(ok.comment, "業者に依頼");
        let yes = record(&r8, today, "yes", "2026-12-04", "2027-01-01", "").unwrap();
        assert_eq!(yes.target_on, None, "a target day belongs to いいえ only");
        let fields = |r: Result<Recorded, Vec<crate::Error>>| -> Vec<&'static str> {
            r.unwrap_err()
                .iter()
                .map(|crate::Error::Invalid { field, .. }| field.id())
                .collect()
        };
        assert_eq!(
            fields(record(&r8, today, "no", "2026-12-01", "", "")),
            ["field-checklist-target-on"]
        );
        assert_eq!(
            fields(record(&r8, today, "no", "2026-12-01", "2027-04-01", "")),
            ["field-checklist-target-on"],
            "after 令和8年度"
        );
        assert_eq!(
            fields(record(&r8, today, "maybe", "2026-12-05", "", "")),
            ["field-checklist-answer", "field-checklist-checked-on"]
        );
        assert_eq!(
            fields(record(&r8, today, "yes", "", "", "\u{1b}[2J")),
            ["field-checklist-checked-on", "field-checklist-comment"]
        );
        assert_eq!(
            fields(record(&r8, today, "no", "2026-12-01", "2027-13-01", "")),
            ["field-checklist-target-on"]
        );
        assert_eq!(
            fields(record(&r8, today, "no", "2026-12-01", "2026-11-01", "")),
            ["field-checklist-target-on"],
            "a target before the day checked"
        );
        assert_eq!(
            fields(record(&r8, today, "yes", "2019-04-01", "", "")),
            ["field-checklist-checked-on"],
            "a check from years ago says nothing of this year"
        );
        assert!(
            record(&r8, today, "yes", "2025-04-01", "", "").is_ok(),
            "the fiscal year before counts"
        );
    }

    #[test]
    fn a_new_wording_shows_as_a_difference_by_topic() {
        let r8 = parse(FILES[2]).unwrap();
        assert!(diff(&r8, &r8).is_empty());
        let official = FILES[2]
            .replacen("wording = \"earlier\"", "wording = \"confirmed\"", 1)
            .replace(
                "ja = \"接続元制限を実施している。\"",
                "ja = \"接続元を制限している。\"",
            )
            .replace("number = \"2-⑬\"", "number = \"2-⑭\"");
        let new = parse(&official).unwrap();
        let changes = diff(&r8, &new);
        assert!(changes.contains(&Change::Renumbered {
            topic: "source_restriction".into(),
            from: "2-⑬".into(),
            to: "2-⑭".into()
        }));
        assert!(
            changes
                .iter()
                .any(|c| matches!(c, Change::Reworded { number, .. } if number == "2-⑭"))
        );
        assert!(changes.iter().any(|c| matches!(
            c,
            Change::Confirmed {
                wording: Wording::Confirmed,
                ..
            }
        )));
        let fewer =
            parse(&FILES[2].replace("topic = \"usb_restriction\"", "topic = \"usb\"")).unwrap();
        let changes = diff(&r8, &fewer);
        assert!(
            changes
                .iter()
                .any(|c| matches!(c, Change::Removed { topic, .. } if topic == "usb_restriction"))
        );
        assert!(
            changes
                .iter()
                .any(|c| matches!(c, Change::Added { topic, .. } if topic == "usb"))
        );
    }

    #[test]
    fn two_years_compare_by_topic_not_number() {
        let r7 = parse(FILES[1]).unwrap();
        let mut r8 = parse(FILES[2]).unwrap();
        // This year's sheet moves an item, adds one and drops one.
        r8.items.retain(|i| i.topic != "security_officer");
        let mut added = r8.items[1].clone();
        added.topic = "new_thing".into();
        added.number = "2-⑭".into();
        r8.items.push(added);
        r8.items
            .iter_mut()
            .find(|i| i.topic == "ledger")
            .unwrap()
            .number = "2-②".into();
        let given = |pairs: &[(&str, Given)]| {
            pairs
                .iter()
                .map(|(t, g)| (t.to_string(), *g))
                .collect::<std::collections::HashMap<_, _>>()
        };
        let then = given(&[
            ("has_systems", Given::Yes),
            ("ledger", Given::No),
            ("mds_sds", Given::Yes),
            ("patches", Given::Yes),
            ("two_factor", Given::No),
            ("security_officer", Given::Yes),
        ]);
        let now = given(&[
            ("has_systems", Given::Yes),
            ("ledger", Given::Yes),
            ("mds_sds", Given::No),
            ("patches", Given::Yes),
            ("two_factor", Given::NotApplicable),
            ("new_thing", Given::Yes),
        ]);
        let out = compare((&r7, &then), (&r8, &now));
        let of = |topic: &str| out.iter().find(|c| c.topic == topic).unwrap();
        assert!(
            out.iter().all(|c| c.topic != "has_systems"),
            "gate left out"
        );
        let ledger = of("ledger");
        assert_eq!(ledger.movement, Movement::Improved);
        assert_eq!(
            (ledger.number_then.as_deref(), ledger.number_now.as_deref()),
            (Some("2-①"), Some("2-②"))
        );
        assert_eq!(of("mds_sds").movement, Movement::Worsened);
        assert_eq!(of("patches").movement, Movement::Unchanged);
        assert_eq!(of("two_factor").movement, Movement::Changed);
        assert_eq!(of("new_thing").movement, Movement::NewItem);
        assert_eq!(of("access_log").movement, Movement::NotAnsweredThen);
        assert_eq!(of("security_officer").movement, Movement::Dropped);
        assert_eq!(out.last().unwrap().topic, "security_officer");
        let then_only = compare((&r7, &then), (&r8, &given(&[])));
        let p = then_only.iter().find(|c| c.topic == "patches").unwrap();
        assert_eq!(p.movement, Movement::NotYetAnswered);
    }

    #[test]
    fn the_vendor_sheets_read_and_share_the_facility_topics() {
        assert_eq!(vendor_versions().len(), VENDOR_FILES.len());
        for (v, year) in vendor_versions().iter().zip([2025, 2026]) {
            assert_eq!((v.sheet, v.fiscal_year), (SheetKind::Vendor, year));
            let facility = versions()
                .into_iter()
                .find(|f| f.fiscal_year == year)
                .unwrap();
            assert!(v.items.iter().all(|i| {
                !i.gate
                    && i.rule.is_none()
                    && i.section <= 2
                    && facility.items.iter().any(|f| f.topic == i.topic)
            }));
            // Only the MDS/SDS sentence is known from MHLW material (令和5年度版).
            assert!(v.items.iter().all(|i| i.wording != Wording::Confirmed));
        }
        assert!(versions().iter().all(|v| v.sheet == SheetKind::Facility));
    }

    #[test]
    fn the_version_follows_the_fiscal_year() {
        let all = versions();
        let d = |y, m, dd| Date::new(y, m, dd).unwrap();
        assert_eq!(fiscal_year(d(2027, 3, 31)), 2026);
        assert_eq!(fiscal_year(d(2026, 4, 1)), 2026);
        assert_eq!(version_for(&all, d(2026, 3, 31)).unwrap().key, "r7");
        assert_eq!(version_for(&all, d(2026, 12, 4)).unwrap().key, "r8");
        assert_eq!(version_for(&all, d(2030, 1, 1)).unwrap().key, "r8");
        assert_eq!(version_for(&all, d(2025, 3, 31)).unwrap().key, "r6");
        assert_eq!(version_for(&all, d(2020, 1, 1)).unwrap().key, "r6");
    }
}
