//! What the vulnerability views (page and `mamori vulns`) read: the facility's devices, the
//! stored NVD records parsed again, the KEV catalog and the devices that terminate a
//! connection point. One loader, so the page and the command line cannot disagree.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use domain::kev::KevEntry;
use domain::nvd::NvdCve;
use domain::{Asset, AssetId};
use store::{FacilityScope, Store};

/// The stored NVD records parsed, kept between page views until the next NVD import.
#[derive(Default)]
pub struct NvdCache(Mutex<Option<(i64, Arc<Parsed>)>>);

pub struct Parsed {
    cves: Vec<NvdCve>,
    unreadable: usize,
}

async fn parsed(store: &Store, cache: Option<&NvdCache>) -> Result<Arc<Parsed>, store::Error> {
    let stamp = store.nvd_stamp().await?;
    if let Some(c) = cache
        && let Ok(held) = c.0.lock()
        && let Some((at, p)) = held.as_ref()
        && *at == stamp
    {
        return Ok(p.clone());
    }
    let mut cves = Vec::new();
    let mut unreadable = 0;
    for text in store.nvd_records().await? {
        match ingest::nvd::parse(text.as_bytes()) {
            Ok(mut list) => cves.append(&mut list),
            Err(_) => unreadable += 1,
        }
    }
    let p = Arc::new(Parsed { cves, unreadable });
    if let Some(c) = cache
        && let Ok(mut held) = c.0.lock()
    {
        *held = Some((stamp, p.clone()));
    }
    Ok(p)
}

pub struct Inputs {
    pub assets: Vec<Asset>,
    pub cves: Arc<Parsed>,
    pub kev: HashMap<String, KevEntry>,
    pub edge: HashSet<AssetId>,
}

impl Inputs {
    pub fn cve_count(&self) -> usize {
        self.cves.cves.len()
    }

    /// Stored NVD records this version cannot read (stored by another version): reported,
    /// never silently dropped.
    pub fn unreadable(&self) -> usize {
        self.cves.unreadable
    }
}

impl Inputs {
    pub fn assess(&self) -> domain::exposure::Assessment<'_> {
        let index = domain::exposure::CveIndex::new(&self.cves.cves);
        domain::exposure::assess(&self.assets, &index, &self.kev, &self.edge)
    }
}

/// `assets` are the devices to evaluate, as the caller may show them (a vendor sees only
/// what it maintains); `scope` gives the facility's connection points; `cache` keeps the
/// parsed records between calls (the web server's), or `None` (a one-off command).
pub async fn load(
    store: &Store,
    scope: &FacilityScope,
    assets: Vec<Asset>,
    cache: Option<&NvdCache>,
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
    let cves = parsed(store, cache).await?;
    Ok(Inputs {
        assets,
        cves,
        kev,
        edge,
    })
}
