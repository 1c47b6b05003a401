//! CISA's Known Exploited Vulnerabilities catalog: what attackers are known to use, and
//! which of it ransomware gangs use. Stored once per deployment; a newer catalog changes
//! entries, an older one never rolls them back.

use std::collections::HashMap;

use crate::date::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevEntry {
    pub cve: String,
    pub vendor_project: String,
    pub product: String,
    pub name: String,
    pub date_added: Date,
    pub description: String,
    pub required_action: String,
    pub due_date: Option<Date>,
    /// `knownRansomwareCampaignUse` is "Known".
    pub ransomware: bool,
    pub notes: String,
    pub cwes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevCatalog {
    /// `catalogVersion` (e.g. 2025.08.25), or for a CSV the newest `dateAdded`.
    pub version: String,
    pub entries: Vec<KevEntry>,
}

/// What a catalog changes against the stored one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KevDiff {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: usize,
    /// Entries whose ransomware use turned to Known.
    pub now_ransomware: Vec<String>,
}

/// Compares `incoming` with the stored entries (by CVE id).
pub fn diff(stored: &[KevEntry], incoming: &[KevEntry]) -> KevDiff {
    let by_cve: HashMap<&str, &KevEntry> = stored.iter().map(|e| (e.cve.as_str(), e)).collect();
    let mut d = KevDiff::default();
    for e in incoming {
        match by_cve.get(e.cve.as_str()) {
            None => {
                d.added.push(e.cve.clone());
                if e.ransomware {
                    d.now_ransomware.push(e.cve.clone());
                }
            }
            Some(old) if *old == e => d.unchanged += 1,
            Some(old) => {
                d.changed.push(e.cve.clone());
                if e.ransomware && !old.ransomware {
                    d.now_ransomware.push(e.cve.clone());
                }
            }
        }
    }
    d
}

/// Catalog versions compare as their digits (2025.08.25 > 2025.01.24).
pub fn newer(a: &str, b: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    digits(a) > digits(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(cve: &str, ransomware: bool) -> KevEntry {
        KevEntry {
            cve: cve.into(),
            vendor_project: "Fortinet".into(),
            product: "FortiOS".into(),
            name: "x".into(),
            date_added: Date::new(2024, 2, 9).unwrap(),
            description: String::new(),
            required_action: String::new(),
            due_date: None,
            ransomware,
            notes: String::new(),
            cwes: vec![],
        }
    }

    #[test]
    fn added_changed_and_turned_ransomware() {
        let stored = vec![e("CVE-2024-21762", false), e("CVE-2018-13379", true)];
        let incoming = vec![
            e("CVE-2024-21762", true),
            e("CVE-2018-13379", true),
            e("CVE-2025-5777", false),
        ];
        let d = diff(&stored, &incoming);
        assert_eq!(d.added, vec!["CVE-2025-5777"]);
        assert_eq!(d.changed, vec!["CVE-2024-21762"]);
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.now_ransomware, vec!["CVE-2024-21762"]);
        assert!(newer("2025.08.25", "2025.01.24") && !newer("2025.01.24", "2025.08.25"));
    }
}
