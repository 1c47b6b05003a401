//! Which ledger devices a set of CVEs touches: every device the alias table names, evaluated
//! against each NVD record, with the KEV facts of the CVE. Pure: the caller loads the data.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::asset::{Asset, AssetId};
use crate::identify::Identity;
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
}

/// The CVEs by the (vendor, product) their vulnerable CPEs name. A record that names no
/// product of a device can only be "not affected" for it (`nvd::evaluate`), so a device is
/// evaluated against its candidates alone: the cost follows the candidates, not the corpus.
/// Holds positions in the slice it was built from (owned, so a server can keep it with the
/// records until the next feed import).
pub struct CveIndex {
    /// vendor → product → positions of the records.
    by_product: HashMap<String, HashMap<String, Vec<u32>>>,
    /// Records NVD has not analysed yet (no configurations): only KEV's vendor and product
    /// can say whom they concern.
    unanalysed: Vec<u32>,
    len: usize,
}

impl CveIndex {
    pub fn new(cves: &[NvdCve]) -> Self {
        let mut by_product: HashMap<String, HashMap<String, Vec<u32>>> = HashMap::new();
        let mut unanalysed = Vec::new();
        for (i, cve) in cves.iter().enumerate() {
            if cve.configurations.is_empty() {
                unanalysed.push(i as u32);
            }
            let mut named: Vec<(&str, &str)> = cve
                .configurations
                .iter()
                .flat_map(|c| &c.nodes)
                .flat_map(|n| &n.matches)
                .filter(|m| m.vulnerable)
                .map(|m| (m.criteria.vendor.as_str(), m.criteria.product.as_str()))
                .collect();
            named.sort_unstable();
            named.dedup();
            for (vendor, product) in named {
                by_product
                    .entry(vendor.to_string())
                    .or_default()
                    .entry(product.to_string())
                    .or_default()
                    .push(i as u32);
            }
        }
        CveIndex {
            by_product,
            unanalysed,
            len: cves.len(),
        }
    }

    fn candidates<'a>(&self, cves: &'a [NvdCve], vendor: &str, product: &str) -> Vec<&'a NvdCve> {
        if cves.len() != self.len {
            // Not the slice the index was built from: fall back to every record (correct,
            // only slower).
            return cves.iter().collect();
        }
        self.by_product
            .get(vendor)
            .and_then(|p| p.get(product))
            .into_iter()
            .flatten()
            .chain(&self.unanalysed)
            .filter_map(|&i| cves.get(i as usize))
            .collect()
    }
}

impl CveIndex {
    /// The products the records name, for identifying devices.
    pub fn catalogue(&self) -> crate::identify::Catalogue {
        crate::identify::Catalogue::new(
            self.by_product
                .iter()
                .flat_map(|(v, products)| products.keys().map(move |p| (v.as_str(), p.as_str()))),
        )
    }

    /// Whether an NVD record of `cves` (the slice the index was built from) names the
    /// product with a vulnerable CPE: then NVD decides that CVE for the device.
    pub fn names(&self, cves: &[NvdCve], t: &crate::nvd::Target, id: &str) -> bool {
        t.products().any(|p| {
            self.candidates(cves, &t.vendor, p)
                .iter()
                .any(|c| c.id == id)
        })
    }
}

/// Whether KEV's vendor and product name the target (`SonicWall` `SonicOS` is
/// `sonicwall:sonicos`).
fn kev_names(k: &KevEntry, t: &crate::nvd::Target) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let product = squash(&k.product);
    squash(&k.vendor_project) == squash(&t.vendor)
        && product.len() >= 3
        && t.products().any(|p| {
            let p = squash(p.trim_end_matches("_firmware"));
            p == product || (p.len() >= 3 && (product.contains(&p) || p.contains(&product)))
        })
}

/// The outcome of one record for a device: NVD's configurations decide; a record NVD has not
/// analysed yet (no configurations) that KEV says concerns the product needs review (a
/// fresh known-exploited hole must not pass unseen while NVD catches up).
pub fn outcome(cve: &NvdCve, t: &crate::nvd::Target, kev: Option<&KevEntry>) -> Outcome {
    if cve.configurations.is_empty() {
        return if kev.is_some_and(|k| kev_names(k, t)) {
            Outcome::NeedsReview
        } else {
            Outcome::NotAffected
        };
    }
    evaluate(cve, t)
}

/// `index` must have been built from `cves`; `identities` says each device's product
/// (`identify::identities`): a device without one is not evaluated.
pub fn assess<'a>(
    assets: &'a [Asset],
    identities: &BTreeMap<AssetId, Identity>,
    cves: &'a [NvdCve],
    index: &CveIndex,
    kev: &'a HashMap<String, KevEntry>,
    edge: &HashSet<AssetId>,
) -> Assessment<'a> {
    let mut exposures = Vec::new();
    let mut seen: HashMap<crate::nvd::Target, Vec<(&NvdCve, Outcome)>> = HashMap::new();
    for asset in assets {
        let Some(Ok((target, _))) = identities.get(&asset.id) else {
            continue;
        };
        // Identical devices (the same product, version and hardware) share one evaluation.
        let hits = seen.entry(target.clone()).or_insert_with_key(|t| {
            let mut list: Vec<&NvdCve> = t
                .products()
                .flat_map(|p| index.candidates(cves, &t.vendor, p))
                .collect();
            list.sort_by(|a, b| a.id.cmp(&b.id));
            list.dedup_by(|a, b| a.id == b.id);
            list.into_iter()
                .filter(|cve| !t.kev_only || kev.contains_key(&cve.id))
                .map(|cve| (cve, outcome(cve, t, kev.get(&cve.id))))
                // Without a version only what names every version is decided; the rest
                // waits for the version (the device is listed as not checked).
                .filter(|(_, o)| match t.version {
                    Some(_) => *o != Outcome::NotAffected,
                    None => *o == Outcome::Affected,
                })
                .collect()
        });
        for &(cve, outcome) in hits.iter() {
            exposures.push(Exposure {
                asset,
                cve,
                outcome,
                kev: kev.get(&cve.id),
                edge: edge.contains(&asset.id),
            });
        }
    }
    exposures.sort_by_key(|e| std::cmp::Reverse(e.urgency()));
    Assessment { exposures }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::{AssetId, AssetKind, NewAsset};
    use crate::date::Date;
    use crate::facility::FacilityId;
    use crate::nvd::{Configuration, Cpe, CpeMatch, Node, Operator};

    fn ids(assets: &[Asset], cves: &[NvdCve]) -> BTreeMap<AssetId, Identity> {
        let catalogue = CveIndex::new(cves).catalogue();
        crate::identify::identities(assets, &catalogue, &Default::default())
    }

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
            cwes: Vec::new(),
            local: false,
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
        let a = assess(
            &assets,
            &ids(&assets, &cves),
            &cves,
            &CveIndex::new(&cves),
            &kev,
            &HashSet::new(),
        );
        let found: Vec<&str> = a.exposures.iter().map(|e| e.cve.id.as_str()).collect();
        assert_eq!(found, ["CVE-B", "CVE-A"], "CVE-C was fixed in 7.0.10");
        assert!(a.exposures.iter().all(|e| !e.edge));
        assert!(a.exposures.iter().all(|e| e.outcome == Outcome::Affected));
        let not: Vec<(i64, crate::identify::Reason)> = ids(&assets, &cves)
            .iter()
            .filter_map(|(id, i)| Some((id.0, i.as_ref().err()?.0)))
            .collect();
        use crate::identify::Reason::UnknownProduct;
        assert_eq!(
            not,
            [(2, UnknownProduct), (3, UnknownProduct)],
            "named as not checked"
        );
    }

    #[test]
    fn windows_is_matched_against_known_exploited_cves_only() {
        let assets = [asset(
            1,
            AssetKind::Server,
            "富士通",
            "Windows Server 2019 Standard",
            "10.0.17763.5458",
        )];
        let product = "cpe:2.3:o:microsoft:windows_server_2019:*:*:*:*:*:*:*:*";
        let cves = [
            cve("CVE-KEV", product, "10.0.17763.6414", 7.8),
            cve("CVE-OTHER", product, "10.0.17763.6414", 8.8),
        ];
        let entry = KevEntry {
            cve: "CVE-KEV".into(),
            vendor_project: "Microsoft".into(),
            product: "Windows".into(),
            name: String::new(),
            date_added: Date::new(2024, 10, 8).unwrap(),
            description: String::new(),
            required_action: String::new(),
            due_date: None,
            ransomware: false,
            notes: String::new(),
            cwes: vec![],
        };
        let kev = HashMap::from([("CVE-KEV".to_string(), entry)]);
        let a = assess(
            &assets,
            &ids(&assets, &cves),
            &cves,
            &CveIndex::new(&cves),
            &kev,
            &HashSet::new(),
        );
        let ids: Vec<&str> = a.exposures.iter().map(|e| e.cve.id.as_str()).collect();
        assert_eq!(ids, ["CVE-KEV"]);
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
        let a = assess(
            &assets,
            &ids(&assets, &cves),
            &cves,
            &CveIndex::new(&cves),
            &kev,
            &HashSet::from([AssetId(2)]),
        );
        let order: Vec<(i64, bool)> = a.exposures.iter().map(|e| (e.asset.id.0, e.edge)).collect();
        assert_eq!(order, [(2, true), (1, false)]);
    }

    #[test]
    fn the_index_finds_exactly_what_evaluating_every_record_finds() {
        let assets = [
            asset(1, AssetKind::Utm, "Fortinet", "FortiOS", "7.0.12"),
            asset(
                2,
                AssetKind::VpnAppliance,
                "Pulse Secure",
                "Pulse Connect Secure",
                "",
            ),
            asset(3, AssetKind::Utm, "Fortinet", "FortiOS", ""),
        ];
        let cves = [
            cve(
                "CVE-A",
                "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*",
                "7.0.14",
                9.8,
            ),
            cve(
                "CVE-B",
                "cpe:2.3:a:ivanti:connect_secure:*:*:*:*:*:*:*:*",
                "9.1",
                10.0,
            ),
            cve(
                "CVE-C",
                "cpe:2.3:a:fortinet:fortiproxy:*:*:*:*:*:*:*:*",
                "7.0.14",
                9.8,
            ),
        ];
        let kev = HashMap::new();
        let a = assess(
            &assets,
            &ids(&assets, &cves),
            &cves,
            &CveIndex::new(&cves),
            &kev,
            &HashSet::new(),
        );
        let mut found: Vec<(i64, &str)> = a
            .exposures
            .iter()
            .map(|e| (e.asset.id.0, e.cve.id.as_str()))
            .collect();
        found.sort_unstable();
        let mut every = Vec::new();
        for x in &assets {
            let Some(t) = crate::cpe_alias::target(&x.details) else {
                continue;
            };
            for c in &cves {
                // Without a version only what names every version is decided.
                let listed = match (evaluate(c, &t), &t.version) {
                    (Outcome::Affected, _) => true,
                    (_, None) => false,
                    (o, Some(_)) => o != Outcome::NotAffected,
                };
                if listed {
                    every.push((x.id.0, c.id.as_str()));
                }
            }
        }
        every.sort_unstable();
        assert_eq!(found, every);
        assert!(
            !found.contains(&(3, "CVE-A")),
            "no version: not checked (the device is listed with what to write), no finding"
        );
    }
}
