//! Which ledger devices a set of CVEs touches: every device the alias table names, evaluated
//! against each NVD record, with the KEV facts of the CVE. Pure: the caller loads the data.

use std::collections::{HashMap, HashSet};

use crate::asset::{Asset, AssetId, AssetKind};
use crate::kev::KevEntry;
use crate::nvd::{NvdCve, Outcome, evaluate};

/// One device touched by one CVE.
pub struct Exposure<'a> {
    pub asset: &'a Asset,
    pub cve: &'a NvdCve,
    /// `Affected` or `NeedsReview`; devices out of range are not listed.
    pub outcome: Outcome,
    pub kev: Option<&'a KevEntry>,
    /// The device terminates a connection point (a way in from outside).
    pub edge: bool,
}

impl Exposure<'_> {
    /// A known-exploited hole in a device that faces outside first; then known ransomware
    /// use, known exploitation, facing outside, and the CVSS score.
    fn urgency(&self) -> (bool, bool, bool, bool, i64) {
        (
            self.edge && self.kev.is_some(),
            self.kev.is_some_and(|k| k.ransomware),
            self.kev.is_some(),
            self.edge,
            (self.cve.cvss.unwrap_or(0.0) * 10.0).round() as i64,
        )
    }
}

pub struct Assessment<'a> {
    /// Most urgent first.
    pub exposures: Vec<Exposure<'a>>,
    /// Edge devices (UTM, firewall, VPN, router) that the alias table cannot name: nobody
    /// can say whether they are vulnerable, so the page says so instead of showing nothing.
    pub unmatched: Vec<&'a Asset>,
}

pub fn assess<'a>(
    assets: &'a [Asset],
    cves: &'a [NvdCve],
    kev: &'a HashMap<String, KevEntry>,
    edge: &HashSet<AssetId>,
) -> Assessment<'a> {
    let mut exposures = Vec::new();
    let mut unmatched = Vec::new();
    for asset in assets {
        let Some(target) = crate::cpe_alias::target(&asset.details) else {
            if matches!(
                asset.details.kind,
                AssetKind::Utm | AssetKind::Firewall | AssetKind::VpnAppliance | AssetKind::Router
            ) {
                unmatched.push(asset);
            }
            continue;
        };
        for cve in cves {
            let outcome = evaluate(cve, &target);
            if outcome != Outcome::NotAffected {
                exposures.push(Exposure {
                    asset,
                    cve,
                    outcome,
                    kev: kev.get(&cve.id),
                    edge: edge.contains(&asset.id),
                });
            }
        }
    }
    exposures.sort_by_key(|e| std::cmp::Reverse(e.urgency()));
    Assessment {
        exposures,
        unmatched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::{AssetId, NewAsset};
    use crate::date::Date;
    use crate::facility::FacilityId;
    use crate::nvd::{Configuration, Cpe, CpeMatch, Node, Operator};

    fn asset(id: i64, kind: AssetKind, maker: &str, os: &str, version: &str) -> Asset {
        Asset {
            id: AssetId(id),
            facility: FacilityId(1),
            details: NewAsset::new(kind, &format!("機器{id}"))
                .unwrap()
                .maker_model(maker, "")
                .os(os, version),
        }
    }

    fn cve(id: &str, cpe: &str, end_excluding: &str, cvss: f32) -> NvdCve {
        NvdCve {
            id: id.into(),
            description: String::new(),
            cvss: Some(cvss),
            configurations: vec![Configuration {
                operator: Operator::Or,
                negate: false,
                nodes: vec![Node {
                    operator: Operator::Or,
                    negate: false,
                    matches: vec![CpeMatch {
                        vulnerable: true,
                        criteria: Cpe::parse(cpe).unwrap(),
                        start_including: None,
                        start_excluding: None,
                        end_including: None,
                        end_excluding: Some(end_excluding.into()),
                    }],
                }],
            }],
        }
    }

    #[test]
    fn ransomware_use_outranks_a_higher_score_and_unknown_edge_devices_are_listed() {
        let assets = [
            asset(1, AssetKind::Utm, "Fortinet", "FortiOS", "7.0.12"),
            asset(2, AssetKind::Router, "Buffalo", "", "1.0"),
            asset(3, AssetKind::Pc, "NEC", "", ""),
        ];
        let fortios = "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*";
        let cves = [
            cve("CVE-A", fortios, "7.0.14", 9.8),
            cve("CVE-B", fortios, "7.0.13", 7.5),
            cve("CVE-C", fortios, "7.0.10", 10.0),
        ];
        let kev = HashMap::from([(
            "CVE-B".to_string(),
            KevEntry {
                cve: "CVE-B".into(),
                vendor_project: "Fortinet".into(),
                product: "FortiOS".into(),
                name: String::new(),
                date_added: Date::new(2024, 2, 9).unwrap(),
                description: String::new(),
                required_action: String::new(),
                due_date: None,
                ransomware: true,
                notes: String::new(),
                cwes: vec![],
            },
        )]);
        let a = assess(&assets, &cves, &kev, &HashSet::new());
        let ids: Vec<&str> = a.exposures.iter().map(|e| e.cve.id.as_str()).collect();
        assert_eq!(ids, ["CVE-B", "CVE-A"], "CVE-C was fixed in 7.0.10");
        assert!(a.exposures.iter().all(|e| !e.edge));
        assert!(a.exposures.iter().all(|e| e.outcome == Outcome::Affected));
        let unmatched: Vec<i64> = a.unmatched.iter().map(|x| x.id.0).collect();
        assert_eq!(unmatched, [2], "a PC is not an edge device");
    }

    #[test]
    fn a_known_exploited_hole_facing_outside_comes_first() {
        let assets = [
            asset(1, AssetKind::Utm, "Fortinet", "FortiOS", "7.0.12"),
            asset(2, AssetKind::Utm, "Fortinet", "FortiOS", "7.0.12"),
        ];
        let cves = [cve(
            "CVE-A",
            "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*",
            "7.0.14",
            9.8,
        )];
        let kev = HashMap::new();
        let a = assess(&assets, &cves, &kev, &HashSet::from([AssetId(2)]));
        let order: Vec<(i64, bool)> = a.exposures.iter().map(|e| (e.asset.id.0, e.edge)).collect();
        assert_eq!(order, [(2, true), (1, false)]);
    }
}
