//! What the vulnerability views (page and `mamori vulns`) read: the facility's devices, the
//! stored NVD records parsed again, the KEV catalog and the devices that terminate a
//! connection point. One loader, so the page and the command line cannot disagree.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use domain::kev::KevEntry;
use domain::nvd::NvdCve;
use domain::{Asset, AssetId};
use store::{FacilityScope, Store};

/// The feeds as read from the store (NVD records parsed, KEV by CVE), kept between page
/// views until the next feed import.
#[derive(Default)]
pub struct FeedCache(Mutex<Option<(i64, Arc<Feeds>)>>);

pub struct Feeds {
    cves: Vec<NvdCve>,
    kev: HashMap<String, KevEntry>,
    /// Stored NVD records this version cannot read (stored by another version).
    unreadable: usize,
}

async fn feeds(store: &Store, cache: Option<&FeedCache>) -> Result<Arc<Feeds>, store::Error> {
    let stamp = store.feed_stamp().await?;
    if let Some(c) = cache
        && let Ok(held) = c.0.lock()
        && let Some((at, f)) = held.as_ref()
        && *at == stamp
    {
        return Ok(f.clone());
    }
    let mut cves = Vec::new();
    let mut unreadable = 0;
    for text in store.nvd_records().await? {
        match ingest::nvd::parse(text.as_bytes()) {
            Ok(mut list) => cves.append(&mut list),
            Err(_) => unreadable += 1,
        }
    }
    let kev = store
        .kev_entries()
        .await?
        .into_iter()
        .map(|e| (e.cve.clone(), e))
        .collect();
    let f = Arc::new(Feeds {
        cves,
        kev,
        unreadable,
    });
    if let Some(c) = cache
        && let Ok(mut held) = c.0.lock()
    {
        *held = Some((stamp, f.clone()));
    }
    Ok(f)
}

pub struct Inputs {
    pub assets: Vec<Asset>,
    pub feeds: Arc<Feeds>,
    pub edge: HashSet<AssetId>,
}

impl Inputs {
    pub fn cve_count(&self) -> usize {
        self.feeds.cves.len()
    }

    /// Stored NVD records this version cannot read: reported, never silently dropped.
    pub fn unreadable(&self) -> usize {
        self.feeds.unreadable
    }

    pub fn assess(&self) -> domain::exposure::Assessment<'_> {
        let index = domain::exposure::CveIndex::new(&self.feeds.cves);
        domain::exposure::assess(&self.assets, &index, &self.feeds.kev, &self.edge)
    }
}

/// `assets` are the devices to evaluate, as the caller may show them (a vendor sees only
/// what it maintains); `scope` gives the facility's connection points; `cache` keeps the
/// feeds between calls (the web server's), or `None` (a one-off command).
pub async fn load(
    store: &Store,
    scope: &FacilityScope,
    assets: Vec<Asset>,
    cache: Option<&FeedCache>,
) -> Result<Inputs, store::Error> {
    let edge = store
        .connection_points(scope)
        .await?
        .into_iter()
        .filter_map(|p| p.details.asset)
        .collect();
    Ok(Inputs {
        assets,
        feeds: feeds(store, cache).await?,
        edge,
    })
}
