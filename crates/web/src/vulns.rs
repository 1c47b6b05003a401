//! What the vulnerability views (page and `mamori vulns`) read: the facility's devices, the
//! stored NVD records parsed again, the KEV catalog and the devices that terminate a
//! connection point. One loader, so the page and the command line cannot disagree.

use std::collections::{HashMap, HashSet};

use domain::kev::KevEntry;
use domain::nvd::NvdCve;
use domain::{Asset, AssetId};
use store::{FacilityScope, Store};

pub struct Inputs {
    pub assets: Vec<Asset>,
    pub cves: Vec<NvdCve>,
    pub kev: HashMap<String, KevEntry>,
    pub edge: HashSet<AssetId>,
    /// Stored NVD records this version cannot read (stored by another version): reported,
    /// never silently dropped.
    pub unreadable: usize,
}

impl Inputs {
    pub fn assess(&self) -> domain::exposure::Assessment<'_> {
        let index = domain::exposure::CveIndex::new(&self.cves);
        domain::exposure::assess(&self.assets, &index, &self.kev, &self.edge)
    }
}

/// `assets` are the devices to evaluate, as the caller may show them (a vendor sees only
/// what it maintains); `scope` gives the facility's connection points.
pub async fn load(
    store: &Store,
    scope: &FacilityScope,
    assets: Vec<Asset>,
) -> Result<Inputs, store::Error> {
    let edge = store
        .connection_points(scope)
        .await?
        .into_iter()
        .filter_map(|p| p.details.asset)
        .collect();
    let kev = store
        .kev_entries()
        .await?
        .into_iter()
        .map(|e| (e.cve.clone(), e))
        .collect();
    let mut cves = Vec::new();
    let mut unreadable = 0;
    for text in store.nvd_records().await? {
        match ingest::nvd::parse(text.as_bytes()) {
            Ok(mut list) => cves.append(&mut list),
            Err(_) => unreadable += 1,
        }
    }
    Ok(Inputs {
        assets,
        cves,
        kev,
        edge,
        unreadable,
    })
}
