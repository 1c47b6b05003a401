//! NVD CVE records and the exact evaluation of their configurations against a device:
//! AND/OR nodes, `negate`, platform CPEs (`vulnerable: false`), start/end bounds, exact
//! versions with the release in `update`. Three honest outcomes: affected, not affected,
//! needs review (version unknown or incomparable, platform unknown).

use crate::version::{Range, Scheme, Version};

/// A CPE 2.3 name, the components Mamori uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpe {
    pub part: String,
    pub vendor: String,
    pub product: String,
    pub version: String,
    pub update: String,
    pub sw_edition: String,
}

impl Cpe {
    /// `cpe:2.3:o:fortinet:fortios:6.0.4:*:*:*:*:*:*:*`; escaped colons are kept.
    pub fn parse(text: &str) -> Option<Cpe> {
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut escaped = false;
        for c in text.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                ':' if !escaped => fields.push(std::mem::take(&mut cur)),
                c => {
                    cur.push(c);
                    escaped = false;
                }
            }
        }
        fields.push(cur);
        if fields.len() < 7 || fields[0] != "cpe" || fields[1] != "2.3" {
            return None;
        }
        let get = |i: usize| fields.get(i).cloned().unwrap_or_else(|| "*".into());
        Some(Cpe {
            part: get(2),
            vendor: get(3),
            product: get(4),
            version: get(5),
            update: get(6),
            sw_edition: get(9),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpeMatch {
    pub vulnerable: bool,
    pub criteria: Cpe,
    pub start_including: Option<String>,
    pub start_excluding: Option<String>,
    pub end_including: Option<String>,
    pub end_excluding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub operator: Operator,
    pub negate: bool,
    pub matches: Vec<CpeMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configuration {
    pub operator: Operator,
    pub negate: bool,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NvdCve {
    pub id: String,
    pub description: String,
    /// The highest CVSS base score given (v4.0, v3.1, v3.0 or v2, first found).
    pub cvss: Option<f32>,
    /// The CWE numbers of its `weaknesses` (`CWE-787`), for what the hole lets an attacker do.
    pub cwes: Vec<String>,
    pub configurations: Vec<Configuration>,
}

/// The device, as CPE names and a version in its vendor's scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub vendor: String,
    pub product: String,
    /// `None` when the ledger has no version: everything that names the product needs review.
    pub version: Option<String>,
    pub scheme: Scheme,
    /// The hardware, when known (`fortinet`, `fortigate-60f`).
    pub platform: Option<(String, String)>,
    /// `fips`, `ndcpp`, or `None` for the standard build.
    pub edition: Option<String>,
    /// Evaluate only CVEs known to be exploited (KEV): families with hundreds of CVEs a year
    /// and monthly cumulative updates (Windows), where every CVE would drown the few that
    /// attackers use.
    pub kev_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Affected,
    NotAffected,
    NeedsReview,
}

impl Outcome {
    /// The stable name in JSON output; its label is the locale string `vuln-<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Affected => "affected",
            Outcome::NotAffected => "not-affected",
            Outcome::NeedsReview => "needs-review",
        }
    }
}

fn version(scheme: Scheme, text: &Option<String>) -> Option<Option<Version>> {
    match text {
        None => Some(None),
        Some(t) => Version::parse(scheme, t).map(Some),
    }
}

/// One cpeMatch against the target: `Some(true/false)`, or `None` when it cannot tell.
/// `have` is the target's version, parsed once per evaluation (`None`: unknown or unreadable).
fn matches(t: &Target, have: Option<&Version>, m: &CpeMatch) -> Option<bool> {
    let c = &m.criteria;
    if !m.vulnerable {
        // A platform condition: the hardware the software runs on.
        return t
            .platform
            .as_ref()
            .map(|(vendor, product)| c.vendor == *vendor && c.product == *product);
    }
    if c.vendor != t.vendor || c.product != t.product {
        return Some(false);
    }
    if !matches!(c.sw_edition.as_str(), "*" | "-" | "") {
        match &t.edition {
            Some(e) if *e == c.sw_edition => {}
            Some(_) => return Some(false),
            None => return Some(false),
        }
    } else if c.sw_edition == "-" && t.edition.is_some() {
        return Some(false);
    }
    let have = have?;
    if !matches!(c.version.as_str(), "*" | "-") {
        // An exact version, with the release in `update` (Pulse 9.0 + r3.3 → 9.0.r3.3).
        let mut exact = c.version.clone();
        if !matches!(c.update.as_str(), "*" | "-" | "") {
            exact = format!("{exact}.{}", c.update);
        }
        let want = Version::parse(t.scheme, &exact)?;
        return have.compare(&want).map(|o| o == std::cmp::Ordering::Equal);
    }
    let range = Range {
        start_including: version(t.scheme, &m.start_including)?,
        start_excluding: version(t.scheme, &m.start_excluding)?,
        end_including: version(t.scheme, &m.end_including)?,
        end_excluding: version(t.scheme, &m.end_excluding)?,
    };
    range.contains(have)
}

/// Three-valued AND/OR: false beats unknown in AND, true beats unknown in OR.
fn combine(op: Operator, values: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for v in values {
        match (op, v) {
            (Operator::And, Some(false)) => return Some(false),
            (Operator::Or, Some(true)) => return Some(true),
            (_, None) => unknown = true,
            _ => {}
        }
    }
    if unknown {
        None
    } else {
        Some(op == Operator::And)
    }
}

fn negated(negate: bool, v: Option<bool>) -> Option<bool> {
    v.map(|b| b != negate)
}

/// Whether the record names the target's product at all.
fn names_product(cve: &NvdCve, t: &Target) -> bool {
    cve.configurations
        .iter()
        .flat_map(|c| &c.nodes)
        .flat_map(|n| &n.matches)
        .any(|m| m.vulnerable && m.criteria.vendor == t.vendor && m.criteria.product == t.product)
}

pub fn evaluate(cve: &NvdCve, t: &Target) -> Outcome {
    if !names_product(cve, t) {
        return Outcome::NotAffected;
    }
    let have = t
        .version
        .as_deref()
        .and_then(|v| Version::parse(t.scheme, v));
    let result = combine(
        Operator::Or,
        cve.configurations.iter().map(|c| {
            let nodes = c.nodes.iter().map(|n| {
                negated(
                    n.negate,
                    combine(
                        n.operator,
                        n.matches.iter().map(|m| matches(t, have.as_ref(), m)),
                    ),
                )
            });
            negated(c.negate, combine(c.operator, nodes))
        }),
    );
    match result {
        Some(true) => Outcome::Affected,
        Some(false) => Outcome::NotAffected,
        None => Outcome::NeedsReview,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpe_names() {
        let c = Cpe::parse("cpe:2.3:a:ivanti:connect_secure:9.0:r3.3:*:*:*:*:*:*").unwrap();
        assert_eq!(
            (
                c.vendor.as_str(),
                c.product.as_str(),
                c.version.as_str(),
                c.update.as_str()
            ),
            ("ivanti", "connect_secure", "9.0", "r3.3")
        );
        let e = Cpe::parse(r"cpe:2.3:a:x:y\:z:1:*:*:*:fips:*:*:*").unwrap();
        assert_eq!(e.product, "y:z");
        assert_eq!(e.sw_edition, "fips");
        assert!(Cpe::parse("cpe:/o:fortinet:fortios").is_none());
    }

    #[test]
    fn three_valued_logic() {
        assert_eq!(combine(Operator::And, [Some(true), None].into_iter()), None);
        assert_eq!(
            combine(Operator::And, [Some(false), None].into_iter()),
            Some(false)
        );
        assert_eq!(
            combine(Operator::Or, [Some(true), None].into_iter()),
            Some(true)
        );
        assert_eq!(combine(Operator::Or, [Some(false), None].into_iter()), None);
        assert_eq!(negated(true, Some(true)), Some(false));
    }
}
