//! NVD CVE records and the exact evaluation of their configurations against a device:
//! AND/OR nodes, `negate`, platform CPEs (`vulnerable: false`), start/end bounds, exact
//! versions with the release in `update`. Three honest outcomes: affected, not affected,
//! needs review (version unknown or incomparable, platform unknown).

use crate::version::{Range, Scheme, Update, Version};

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
    /// Every CVSS rating says the attacker must already be on the device or beside it
    /// (attack vector local or physical): a way to take over a device from inside, not
    /// from the internet.
    pub local: bool,
    pub configurations: Vec<Configuration>,
}

/// The device, as CPE names and a version in its vendor's scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub vendor: String,
    pub product: String,
    /// Other CPE names of the same product (NVD renamed Citrix ADC
    /// `application_delivery_controller_firmware` → `netscaler_application_delivery_controller`),
    /// or other products the device's words name fully.
    pub also: Vec<String>,
    /// `None` when the ledger has no version: only what names every version can be decided.
    pub version: Option<String>,
    /// The CPE version that names the release when it is not a number (Windows Server 2012
    /// R2 is `windows_server_2012` version `r2`; Windows 7 is version `-`).
    pub release: Option<String>,
    pub scheme: Scheme,
    /// The hardware, when known (`fortinet`, `fortigate-60f`).
    pub platform: Option<(String, String)>,
    /// The model as hardware names may spell it: its words with a digit and their runs of
    /// two and three, letters and digits only (`NSA 2650` → `nsa2650`), for the platform
    /// conditions of records that name models.
    pub hardware: Vec<String>,
    /// `fips`, `ndcpp`, or `None` for the standard build.
    pub edition: Option<String>,
    /// Evaluate only CVEs known to be exploited (KEV): families with hundreds of CVEs a year
    /// and monthly cumulative updates (Windows), where every CVE would drown the few that
    /// attackers use.
    pub kev_only: bool,
}

/// The hardware names a model may go by (`Target::hardware`).
pub fn hardware_words(model: &str) -> Vec<String> {
    let folded = crate::text::fold(model);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for n in 1..=3 {
        for run in words.windows(n) {
            let joined: String = run.concat();
            if joined.chars().any(|c| c.is_ascii_digit()) && !out.contains(&joined) {
                out.push(joined);
            }
        }
    }
    out
}

impl Target {
    /// A product and version with nothing else known (no hardware, edition or other names).
    pub fn new(vendor: &str, product: &str, version: Option<&str>, scheme: Scheme) -> Target {
        Target {
            vendor: vendor.to_string(),
            product: product.to_string(),
            also: Vec::new(),
            version: version.map(str::to_string),
            release: None,
            scheme,
            platform: None,
            hardware: Vec::new(),
            edition: None,
            kev_only: false,
        }
    }

    /// Whether a CPE vendor and product name the device's product.
    pub fn is_product(&self, vendor: &str, product: &str) -> bool {
        vendor == self.vendor && (product == self.product || self.also.iter().any(|a| a == product))
    }

    /// Every product name the device goes by.
    pub fn products(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.product.as_str()).chain(self.also.iter().map(String::as_str))
    }
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
        if t.platform
            .as_ref()
            .is_some_and(|(vendor, product)| c.vendor == *vendor && c.product == *product)
        {
            return Some(true);
        }
        if c.vendor == t.vendor {
            // A firmware runs on the hardware of its name (`gateway_firmware` on `gateway`).
            if t.products()
                .any(|p| p.strip_suffix("_firmware") == Some(c.product.as_str()))
            {
                return Some(true);
            }
            let hw: String = c
                .product
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            if t.hardware.contains(&hw) {
                return Some(true);
            }
        }
        return (t.platform.is_some() || !t.hardware.is_empty()).then_some(false);
    }
    if !t.is_product(&c.vendor, &c.product) {
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
    if let Some(r) = &t.release
        && c.version != "*"
    {
        // The release is named, not numbered: it and the update decide.
        if c.version != *r {
            return Some(false);
        }
        return match (c.update.as_str(), &have?.update) {
            ("*" | "", _) | (_, Update::Any) => Some(true),
            ("-", u) => Some(*u == Update::Ga),
            (w, Update::Named(h)) => Some(w == h),
            (_, Update::Ga) => Some(false),
            (_, Update::Unknown) => None,
        };
    }
    let exact = !matches!(c.version.as_str(), "*" | "-");
    let bounded = m.start_including.is_some()
        || m.start_excluding.is_some()
        || m.end_including.is_some()
        || m.end_excluding.is_some();
    if !exact && !bounded {
        if t.scheme == Scheme::WindowsBuild && t.release.is_none() {
            // NVD names a Windows 10/11 or Server 2016+ release without the build that
            // fixed it (it gives builds for the others of the same record): the device's
            // build cannot be judged from it.
            return None;
        }
        // Every version of the product (perhaps one update of it: Windows 7 `-` + `sp1`).
        return match c.update.as_str() {
            "*" | "" | "-" => Some(true),
            u => match &have?.update {
                Update::Any => Some(true),
                Update::Named(h) => Some(h == u),
                Update::Ga => Some(false),
                Update::Unknown => None,
            },
        };
    }
    let have = have?;
    if exact {
        // An exact version with its update (Pulse 9.0 + r3.3; ESXi 7.0 + update_3o); a
        // shorter one names a train (Citrix 13.0).
        let want = Version::parse_cpe(t.scheme, &c.version, &c.update)?;
        return have.is(&want);
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
        .any(|m| m.vulnerable && t.is_product(&m.criteria.vendor, &m.criteria.product))
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
