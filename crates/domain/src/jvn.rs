//! JVN iPedia entries (Japan's vulnerability database): Japanese titles and overviews for
//! CVEs, and the products NVD often lacks (NEC Aterm, Buffalo and I-O DATA NAS, …), with
//! the affected versions as JVN writes them — Japanese free text such as
//! 「Ver.1.3.0より前のバージョン（CVE-2025-0355）」 or 「1.05およびそれ以前」.
//!
//! Precedence (vuln-matching.md): NVD configurations decide; a JVN entry decides only the
//! CVEs NVD has no record of for the device's product. A text this module cannot read is
//! "needs review", never "not affected".

use serde::{Deserialize, Serialize};

use std::collections::{HashMap, HashSet};

use crate::asset::{Asset, AssetId};
use crate::finding::{Facts, Kind, Observation};
use crate::kev::KevEntry;
use crate::nvd::{Outcome, Target};
use crate::version::{Scheme, Version};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct JvnEntry {
    /// `JVNDB-2025-001234`.
    pub id: String,
    pub title: String,
    /// Plain text (the HTML JVN escapes is reduced to its words).
    pub overview: String,
    pub cves: Vec<String>,
    pub affected: Vec<Affected>,
    pub cvss: Option<f32>,
    /// `DateLastUpdated` / `modified` as given (ISO 8601): a stored entry is never replaced
    /// by one JVN modified earlier.
    pub modified: String,
    pub link: Option<String>,
    /// CWE numbers JVN relates (`CWE-78`).
    #[serde(default)]
    pub cwes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected {
    /// As JVN names them (日本電気, Aterm GB1200PE ファームウェア).
    pub vendor: String,
    pub product: String,
    /// From the CPE 2.2 name without version (`cpe:/o:nec:aterm_gb1200pe_firmware`).
    pub cpe_vendor: Option<String>,
    pub cpe_product: Option<String>,
    /// `VersionNumber` texts, or OKA's CVE-5 style bounds turned into the same words.
    pub versions: Vec<String>,
}

impl Affected {
    /// Reads `cpe:/o:nec:aterm_gb1200pe_firmware` (2.2 URI) or a 2.3 name.
    pub fn set_cpe(&mut self, cpe: &str) {
        let cpe = cpe.trim();
        let fields: Vec<&str> = if let Some(rest) = cpe.strip_prefix("cpe:/") {
            rest.split(':').collect()
        } else if let Some(rest) = cpe.strip_prefix("cpe:2.3:") {
            rest.split(':').collect()
        } else {
            return;
        };
        if let (Some(v), Some(p)) = (fields.get(1), fields.get(2))
            && !v.is_empty()
            && !p.is_empty()
        {
            self.cpe_vendor = Some(v.to_lowercase());
            self.cpe_product = Some(p.to_lowercase());
        }
    }
}

/// One affected-version text, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    Below(String),
    AtMost(String),
    AtLeast(String),
    Exactly(String),
    /// `from ≤ v < to` or `≤ to` when `inclusive`.
    Between {
        from: String,
        to: String,
        inclusive: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// `None`: the text could not be read.
    pub bound: Option<Bound>,
    /// The CVEs the text is scoped to (「…（CVE-2025-0354, CVE-2025-0356）」); empty: all
    /// of the entry's.
    pub cves: Vec<String>,
}

/// The first version-looking word: starts with a digit, continues with digits, letters,
/// dots and dashes (`1.3.0`, `15.02.24`, `5.8`).
fn version_word(s: &str) -> Option<String> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let word: String = s[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let word = word.trim_end_matches(['.', '-', '_']).to_string();
    (!word.is_empty()).then_some(word)
}

fn cves_in(s: &str) -> Vec<String> {
    s.match_indices("CVE-")
        .map(|(i, _)| {
            s[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|id| id.len() > 9)
        .collect()
}

/// Reads JVN's Japanese (and OKA's) version texts: `未満` / `より前` (<), `以前` / `以下` /
/// `およびそれ以前` (≤), `以降` / `以上` (≥), `から … まで` and `以上 … 未満/以下` (ranges),
/// or a bare version (=). Anything else has no bound.
pub fn constraint(text: &str) -> Constraint {
    let half: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '．' => '.',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    let cves = cves_in(&half);
    // The CVE scope is not part of the version text.
    let body = match half.find("(CVE-") {
        Some(i) => &half[..i],
        None => half.as_str(),
    };
    let body = body.trim();
    // A build in parentheses (「5.8 (Build 1575) 未満」) is not compared: it makes the text
    // unreadable rather than wrong.
    if body.is_empty() || body.contains("Build") || body.contains("build") {
        return Constraint { bound: None, cves };
    }
    let split_at = |word: &str| {
        body.find(word)
            .map(|i| (&body[..i], &body[i + word.len()..]))
    };
    let bound = if let Some((from, rest)) = split_at("以上")
        && let Some(to) = version_word(rest)
        && let Some(f) = version_word(from)
    {
        Some(Bound::Between {
            from: f,
            to,
            inclusive: rest.contains("以下"),
        })
    } else if let Some((from, rest)) = split_at("から")
        && rest.contains("まで")
        && let (Some(f), Some(to)) = (version_word(from), version_word(rest))
    {
        Some(Bound::Between {
            from: f,
            to,
            inclusive: true,
        })
    } else {
        let v = version_word(body);
        let has = |words: &[&str]| words.iter().any(|w| body.contains(w));
        let digits = |t: &str| t.chars().filter(|c| c.is_ascii_digit()).count();
        match v {
            None => None,
            // Another number besides the version (「v6 R4」): not read rather than misread.
            Some(v) if digits(body) != digits(&v) => None,
            Some(v) if has(&["未満", "より前", "より古い"]) => Some(Bound::Below(v)),
            Some(v) if has(&["以前", "以下"]) => Some(Bound::AtMost(v)),
            Some(v) if has(&["以降", "以上"]) => Some(Bound::AtLeast(v)),
            Some(v) if has(&["<="]) => Some(Bound::AtMost(v)),
            Some(v) if has(&["<"]) => Some(Bound::Below(v)),
            Some(v) if has(&[">="]) => Some(Bound::AtLeast(v)),
            // A bare version, with at most a word such as 「バージョン」 or 「Ver.」 around it.
            Some(v) if !has(&["全て", "すべて"]) => Some(Bound::Exactly(v)),
            Some(_) => None,
        }
    };
    Constraint { bound, cves }
}

/// Whether `have` lies in `bound`: `None` when a version cannot be compared.
fn inside(bound: &Bound, have: &Version) -> Option<bool> {
    let v = |t: &str| Version::parse(have.scheme, t);
    let cmp = |t: &str| have.compare(&v(t)?);
    use std::cmp::Ordering::*;
    Some(match bound {
        Bound::Below(t) => cmp(t)? == Less,
        Bound::AtMost(t) => cmp(t)? != Greater,
        Bound::AtLeast(t) => cmp(t)? != Less,
        Bound::Exactly(t) => cmp(t)? == Equal,
        Bound::Between {
            from,
            to,
            inclusive,
        } => {
            let lower = cmp(from)? != Less;
            let upper = match cmp(to)? {
                Less => true,
                Equal => *inclusive,
                Greater => false,
            };
            lower && upper
        }
    })
}

/// Lower case letters and digits only: `GB1200PE` → `gb1200pe`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether an affected item names the device: the device's CPE product (from the alias
/// table), or else its maker as the CPE vendor and its model inside the CPE product
/// as one word of the CPE product (`NEC` + `Aterm GB1200PE` → `nec:aterm_gb1200pe_firmware`;
/// model words of 4 or more letters and digits with a digit, so that `LS` or `Aterm` does not
/// match every product of the maker).
pub fn names(item: &Affected, target: Option<&Target>, maker: &str, model: &str) -> bool {
    let (Some(vendor), Some(product)) = (&item.cpe_vendor, &item.cpe_product) else {
        return false;
    };
    if let Some(t) = target {
        return *vendor == t.vendor && *product == t.product;
    }
    let maker = squash(maker);
    // The model's words that can name one product: 4 or more letters and digits, with a digit.
    let words: Vec<String> = model
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(squash)
        .filter(|w| w.len() >= 4 && w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    !maker.is_empty()
        && squash(vendor) == maker
        && product
            .split(['_', '-'])
            .map(squash)
            .any(|p| words.contains(&p))
}

/// The outcome of one entry for a device, per CVE (or the JVNDB id when it names none):
/// only the items that name the device count.
pub fn evaluate(
    entry: &JvnEntry,
    items: &[&Affected],
    version: Option<&Version>,
) -> Vec<(String, Outcome)> {
    let ids: Vec<String> = if entry.cves.is_empty() {
        vec![entry.id.clone()]
    } else {
        entry.cves.clone()
    };
    ids.into_iter()
        .map(|id| {
            let constraints: Vec<Constraint> = items
                .iter()
                .flat_map(|i| &i.versions)
                .map(|t| constraint(t))
                .filter(|c| c.cves.is_empty() || c.cves.contains(&id))
                .collect();
            let Some(have) = version else {
                return (id, Outcome::NeedsReview);
            };
            if constraints.is_empty() {
                return (id, Outcome::NeedsReview);
            }
            let mut unknown = false;
            for c in &constraints {
                match c.bound.as_ref().and_then(|b| inside(b, have)) {
                    Some(true) => return (id, Outcome::Affected),
                    Some(false) => {}
                    None => unknown = true,
                }
            }
            let outcome = if unknown {
                Outcome::NeedsReview
            } else {
                Outcome::NotAffected
            };
            (id, outcome)
        })
        .collect()
}

/// The device's version for comparing with JVN's texts: in its family's scheme when the
/// alias table names it, else read generically after a word such as `Ver.` (`None` when
/// the ledger has none, or it does not read).
fn device_version(asset: &Asset, target: Option<&Target>) -> Option<Version> {
    let text = asset.details.os_version.as_deref()?;
    match target {
        Some(t) => Version::parse(t.scheme, text),
        None => {
            let from = text.find(|c: char| c.is_ascii_digit())?;
            Version::parse(Scheme::Generic, &text[from..])
        }
    }
}

/// The product (`vendor:product`) of the first JVN affected item that names a device no
/// product was found for, by its maker and model.
pub fn naming(asset: &Asset, entries: &[JvnEntry]) -> Option<String> {
    let d = &asset.details;
    let maker = d.maker.as_deref().unwrap_or_default();
    let model = d.model.as_deref().unwrap_or_default();
    entries
        .iter()
        .flat_map(|e| &e.affected)
        .find(|i| names(i, None, maker, model))
        .and_then(|i| {
            Some(format!(
                "{}:{}",
                i.cpe_vendor.as_ref()?,
                i.cpe_product.as_ref()?
            ))
        })
}

/// Findings from JVN entries: every device an affected item names, per CVE (or JVNDB id),
/// except the CVEs `nvd_decides` (an NVD record names the device's product).
pub fn observations(
    assets: &[Asset],
    identities: &std::collections::BTreeMap<AssetId, crate::identify::Identity>,
    entries: &[JvnEntry],
    nvd_decides: &dyn Fn(&Target, &str) -> bool,
    kev: &HashMap<String, KevEntry>,
    edge: &HashSet<AssetId>,
) -> Vec<Observation> {
    let mut out = Vec::new();
    for asset in assets {
        let d = &asset.details;
        let target = identities
            .get(&asset.id)
            .and_then(|i| i.as_ref().ok())
            .map(|(t, _)| t.clone());
        let maker = d.maker.as_deref().unwrap_or_default();
        let model = d.model.as_deref().unwrap_or_default();
        let version = device_version(asset, target.as_ref());
        for entry in entries {
            let items: Vec<&Affected> = entry
                .affected
                .iter()
                .filter(|i| names(i, target.as_ref(), maker, model))
                .collect();
            if items.is_empty() {
                continue;
            }
            for (id, outcome) in evaluate(entry, &items, version.as_ref()) {
                if outcome == Outcome::NotAffected
                    || target.as_ref().is_some_and(|t| nvd_decides(t, &id))
                {
                    continue;
                }
                let k = kev.get(&id);
                out.push(Observation {
                    asset: asset.id,
                    cve: id,
                    kind: Kind::Vulnerability,
                    facts: Facts {
                        outcome,
                        kev: k.is_some(),
                        ransomware: k.is_some_and(|k| k.ransomware),
                        edge: edge.contains(&asset.id),
                        cvss: entry.cvss,
                    },
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Scheme;

    fn below(v: &str) -> Option<Bound> {
        Some(Bound::Below(v.into()))
    }

    #[test]
    fn a_nas_nvd_does_not_know_is_found_through_jvn() {
        let (entry, _) = aterm();
        let router = |version: &str| Asset {
            id: AssetId(7),
            facility: crate::facility::FacilityId(1),
            details: crate::asset::NewAsset::new(crate::asset::AssetKind::Router, "Wi-Fi ルータ")
                .unwrap()
                .maker_model("NEC", "Aterm GB1200PE")
                .os("", version),
        };
        let none = |_: &Target, _: &str| false;
        let kev = HashMap::new();
        let edge = HashSet::from([AssetId(7)]);
        let none_known = std::collections::BTreeMap::new();
        let found = observations(
            &[router("Ver.1.2.9")],
            &none_known,
            std::slice::from_ref(&entry),
            &none,
            &kev,
            &edge,
        );
        let got: Vec<(&str, Outcome)> = found
            .iter()
            .map(|o| (o.cve.as_str(), o.facts.outcome))
            .collect();
        assert_eq!(
            got,
            [
                ("CVE-2025-0355", Outcome::Affected),
                ("CVE-2025-0356", Outcome::NeedsReview)
            ]
        );
        assert!(found[0].facts.edge);
        let fixed = observations(
            &[router("1.3.0")],
            &none_known,
            &[entry],
            &none,
            &kev,
            &edge,
        );
        assert_eq!(
            fixed.iter().map(|o| o.cve.as_str()).collect::<Vec<_>>(),
            ["CVE-2025-0356"],
            "fixed for 0355; 0356's text cannot be read, so it stays to review"
        );
    }

    #[test]
    fn what_jvn_writes() {
        let c = constraint("Ver.1.3.0より前のバージョン（CVE-2025-0355）");
        assert_eq!(c.bound, below("1.3.0"));
        assert_eq!(c.cves, ["CVE-2025-0355"]);
        let two = constraint("Ver.1.2.2およびそれ以前（CVE-2025-0354, CVE-2025-0356）");
        assert_eq!(two.bound, Some(Bound::AtMost("1.2.2".into())));
        assert_eq!(two.cves, ["CVE-2025-0354", "CVE-2025-0356"]);
        assert_eq!(
            constraint("ファームウェアバージョン 1.05およびそれ以前").bound,
            Some(Bound::AtMost("1.05".into()))
        );
        assert_eq!(constraint("バージョン 1.0.6未満").bound, below("1.0.6"));
        assert_eq!(
            constraint("バージョン 2.1.0以上 2.1.3以下").bound,
            Some(Bound::Between {
                from: "2.1.0".into(),
                to: "2.1.3".into(),
                inclusive: true
            })
        );
        assert_eq!(constraint("8.1").bound, Some(Bound::Exactly("8.1".into())));
        assert_eq!(
            constraint("バージョン 8.1.2").bound,
            Some(Bound::Exactly("8.1.2".into()))
        );
        assert_eq!(constraint("Ｖｅｒ．２．０ 未満").bound, below("2.0"));
        for unreadable in [
            "",
            "for Windows 5.8 (Build 1575) 未満",
            "v6 R4 およびそれ以前のバージョン",
            "全てのバージョン",
        ] {
            assert_eq!(constraint(unreadable).bound, None, "{unreadable}");
        }
    }

    fn aterm() -> (JvnEntry, Affected) {
        let mut item = Affected {
            vendor: "日本電気".into(),
            product: "Aterm GB1200PE ファームウェア".into(),
            cpe_vendor: None,
            cpe_product: None,
            versions: vec![
                "Ver.1.3.0より前のバージョン（CVE-2025-0355）".into(),
                "全てのバージョン（CVE-2025-0356）".into(),
            ],
        };
        item.set_cpe("cpe:/o:nec:aterm_gb1200pe_firmware");
        let entry = JvnEntry {
            id: "JVNDB-2025-001234".into(),
            title: "複数の NEC Aterm シリーズにおける複数の脆弱性".into(),
            overview: String::new(),
            cves: vec!["CVE-2025-0355".into(), "CVE-2025-0356".into()],
            affected: vec![item.clone()],
            cvss: Some(8.8),
            modified: "2025-02-10T12:00+09:00".into(),
            link: None,
            cwes: vec![],
        };
        (entry, item)
    }

    #[test]
    fn a_device_is_named_by_maker_and_model_and_each_cve_reads_its_own_text() {
        let (entry, item) = aterm();
        assert!(names(&item, None, "NEC", "Aterm GB1200PE"));
        assert!(names(&item, None, "nec", "GB1200PE"));
        assert!(!names(&item, None, "NEC", "WX3600HP"));
        assert!(!names(&item, None, "Buffalo", "GB1200PE"));
        assert!(!names(&item, None, "NEC", "GB"), "too short to tell");
        assert!(
            !names(&item, None, "NEC", "GB1200"),
            "another model, even if its name starts the same"
        );
        let v = |t: &str| Version::parse(Scheme::Generic, t);
        let old = v("1.2.9").unwrap();
        assert_eq!(
            evaluate(&entry, &[&item], Some(&old)),
            [
                ("CVE-2025-0355".to_string(), Outcome::Affected),
                ("CVE-2025-0356".to_string(), Outcome::NeedsReview),
            ]
        );
        let new = v("1.3.0").unwrap();
        assert_eq!(
            evaluate(&entry, &[&item], Some(&new))[0].1,
            Outcome::NotAffected
        );
        assert_eq!(
            evaluate(&entry, &[&item], None)[0].1,
            Outcome::NeedsReview,
            "no version in the ledger"
        );
    }
}
