//! The vulnerability service. `reevaluate` evaluates every device of a facility against the
//! stored feeds and keeps the findings (opened, fixed, reopened, with history); every ledger,
//! connection-point and feed change calls it. `view` reads the findings for the page, the
//! device page, the overview and `mamori vulns`, re-evaluating first when the feeds or the
//! matching rules changed since the last run. One service, so the views cannot disagree.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use domain::exposure::CveIndex;
use domain::finding::{Finding, Observation, SeenVersion, Status};
use domain::kev::KevEntry;
use domain::nvd::NvdCve;
use domain::{Actor, Asset, AssetId, Date, Timestamp};
use store::{Evaluated, FacilityScope, Store};

/// The matching rules findings were evaluated with: a new Mamori (a grown alias table)
/// re-evaluates every facility once.
pub const RULES: &str = env!("CARGO_PKG_VERSION");

/// The feeds as read from the store (NVD records parsed and indexed, KEV by CVE), kept
/// between evaluations until the next feed import.
#[derive(Default)]
pub struct FeedCache(Mutex<Option<(i64, Arc<Feeds>)>>);

pub struct Feeds {
    cves: Vec<NvdCve>,
    /// CWE numbers by CVE (or JVNDB id), from NVD's `weaknesses` and JVN.
    cwes: HashMap<String, Vec<String>>,
    index: CveIndex,
    jvn: Vec<domain::jvn::JvnEntry>,
    pub kev: HashMap<String, KevEntry>,
    /// Stored NVD records this version cannot read (stored by another version).
    pub unreadable: usize,
}

impl Feeds {
    pub fn cve_count(&self) -> usize {
        self.cves.len()
    }
}

async fn feeds(
    store: &Store,
    stamp: i64,
    cache: Option<&FeedCache>,
) -> Result<Arc<Feeds>, store::Error> {
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
    let jvn = store.jvn_entries().await?;
    let cwes = cwes_of(&cves, &jvn);
    let f = Arc::new(Feeds {
        index: CveIndex::new(&cves),
        cves,
        cwes,
        jvn,
        kev: kev_by_cve(store).await?,
        unreadable,
    });
    if let Some(c) = cache
        && let Ok(mut held) = c.0.lock()
    {
        *held = Some((stamp, f.clone()));
    }
    Ok(f)
}

fn cwes_of(cves: &[NvdCve], jvn: &[domain::jvn::JvnEntry]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for c in cves.iter().filter(|c| !c.cwes.is_empty()) {
        out.insert(c.id.clone(), c.cwes.clone());
    }
    for e in jvn.iter().filter(|e| !e.cwes.is_empty()) {
        for id in e.cves.iter().chain(std::iter::once(&e.id)) {
            out.entry(id.clone()).or_insert_with(|| e.cwes.clone());
        }
    }
    out
}

async fn kev_by_cve(store: &Store) -> Result<HashMap<String, KevEntry>, store::Error> {
    Ok(store
        .kev_entries()
        .await?
        .into_iter()
        .map(|e| (e.cve.clone(), e))
        .collect())
}

fn current_version(a: &Asset) -> (String, String) {
    (
        a.details.os_name.clone().unwrap_or_default(),
        a.details.os_version.clone().unwrap_or_default(),
    )
}

/// Evaluates every device of the facility and reconciles the stored findings with what it
/// observed: NVD records first, JVN entries for the CVEs no NVD record names the device's
/// product in, and the credential-leak rule. Without readable NVD records the NVD findings
/// cannot be judged, so standing findings stay as they are (never "fixed" for lack of data);
/// device versions are recorded either way.
pub async fn reevaluate(
    store: &Store,
    scope: &FacilityScope,
    actor: &Actor,
    now: Timestamp,
    cache: Option<&FeedCache>,
) -> Result<Evaluated, store::Error> {
    let stamp = store.feed_stamp().await?;
    let feeds = feeds(store, stamp, cache).await?;
    let assets = store.assets(scope).await?;
    let points = store.connection_points(scope).await?;
    let stored = store.findings(scope).await?;
    let edge: HashSet<AssetId> = points.iter().filter_map(|p| p.details.asset).collect();
    let today = Date::in_japan(now);
    let jvn = domain::jvn::observations(
        &assets,
        &feeds.jvn,
        &|t, id| feeds.index.names(&feeds.cves, &t.vendor, &t.product, id),
        &feeds.kev,
        &edge,
    );
    let observed = if feeds.cves.is_empty() {
        // Without NVD, what JVN speaks of is decided by JVN; the rest stays as it stands.
        let jvn_ids: HashSet<&str> = feeds
            .jvn
            .iter()
            .flat_map(|e| e.cves.iter().chain(std::iter::once(&e.id)))
            .map(String::as_str)
            .collect();
        stored
            .iter()
            .filter(|f| f.closed_at.is_none())
            .filter(|f| {
                f.kind != domain::finding::Kind::Vulnerability || !jvn_ids.contains(f.cve.as_str())
            })
            .map(|f| Observation {
                asset: f.asset,
                cve: f.cve.clone(),
                kind: f.kind,
                facts: f.facts,
            })
            .chain(jvn)
            .collect()
    } else {
        let mut history = store.version_history(scope, today).await?;
        for a in &assets {
            let (os, version) = current_version(a);
            let list = history.entry(a.id).or_default();
            if !list.iter().any(|v| v.os == os && v.version == version) {
                list.push(SeenVersion {
                    os,
                    version,
                    first_seen: today,
                    last_seen: today,
                });
            }
        }
        // The newest day passwords were changed, per device: on the connection points it
        // terminates, or recorded on its credentials findings.
        let mut changed: HashMap<AssetId, Date> = HashMap::new();
        let dates = points
            .iter()
            .filter_map(|p| Some((p.details.asset?, p.details.credentials_changed_on?)))
            .chain(
                stored
                    .iter()
                    .filter_map(|f| Some((f.asset, f.credentials_changed?))),
            );
        for (asset, date) in dates {
            let e = changed.entry(asset).or_insert(date);
            *e = (*e).max(date);
        }
        let assessment =
            domain::exposure::assess(&assets, &feeds.cves, &feeds.index, &feeds.kev, &edge);
        let mut observed: Vec<Observation> = assessment
            .exposures
            .iter()
            .map(Observation::from_exposure)
            .collect();
        let leaks: Vec<&NvdCve> = feeds
            .cves
            .iter()
            .filter(|c| domain::finding::leaks_credentials(&c.id))
            .collect();
        observed.extend(domain::finding::credential_observations(
            &assets, &history, &leaks, &feeds.kev, &edge, &changed,
        ));
        observed.extend(jvn);
        observed
    };
    let versions: Vec<(AssetId, String, String)> = assets
        .iter()
        .map(|a| {
            let (os, version) = current_version(a);
            (a.id, os, version)
        })
        .filter(|(_, os, version)| !os.is_empty() || !version.is_empty())
        .collect();
    store
        .record_evaluation(
            scope,
            actor,
            now,
            store::Evaluation {
                observed,
                versions: &versions,
                feed_stamp: stamp,
                rules: RULES,
            },
        )
        .await
}

/// What the vulnerability views show of a facility.
pub struct View {
    /// Findings of the devices the caller may see: standing ones most urgent first, then
    /// the fixed ones, newest first.
    pub findings: Vec<Finding>,
    pub kev: HashMap<String, KevEntry>,
    /// The Japanese title and link JVN iPedia gives a CVE (or a JVNDB id).
    pub jvn: HashMap<String, (String, Option<String>)>,
    /// CWE numbers of the findings' CVEs that KEV does not list (NVD, JVN), when the feeds are
    /// held in memory (the web server).
    pub cwes: HashMap<String, Vec<String>>,
    /// NVD records and JVN entries stored.
    pub cve_count: i64,
    /// Stored NVD records this version cannot read (known after an evaluation in this process).
    pub unreadable: usize,
    /// Edge devices the alias table cannot name: nobody can say whether they are vulnerable.
    pub unmatched: Vec<(AssetId, domain::exposure::Unmatched)>,
    pub evaluated_at: Option<Timestamp>,
}

impl View {
    pub fn standing(&self, today: Date) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.status(today) != Status::Fixed)
    }
}

/// Evaluates the facility again when the feeds or the rules changed since its last run;
/// returns the feed stamp.
pub async fn ensure_current(
    store: &Store,
    scope: &FacilityScope,
    now: Timestamp,
    cache: Option<&FeedCache>,
) -> Result<i64, store::Error> {
    let stamp = store.feed_stamp().await?;
    let current = store.evaluation_stamp(scope).await?;
    if current
        .as_ref()
        .is_none_or(|(s, rules, _)| *s != stamp || rules != RULES)
    {
        reevaluate(
            store,
            scope,
            &Actor::System("evaluation".into()),
            now,
            cache,
        )
        .await?;
    }
    Ok(stamp)
}

/// The findings of `visible` (the devices the caller may see; a vendor sees what it
/// maintains), evaluated again first when the feeds or the rules changed since the last run.
pub async fn view(
    store: &Store,
    scope: &FacilityScope,
    visible: &[Asset],
    now: Timestamp,
    cache: Option<&FeedCache>,
) -> Result<View, store::Error> {
    let stamp = ensure_current(store, scope, now, cache).await?;
    let mut unreadable = 0;
    let mut all_cwes = None;
    if let Some(c) = cache
        && let Ok(held) = c.0.lock()
        && let Some((at, f)) = held.as_ref()
        && *at == stamp
    {
        unreadable = f.unreadable;
        all_cwes = Some(f.clone());
    }
    let ids: HashSet<AssetId> = visible.iter().map(|a| a.id).collect();
    // One device (its page) reads its own findings only.
    let only = match visible {
        [one] => Some(one.id),
        _ => None,
    };
    let mut findings: Vec<Finding> = store
        .findings_of(scope, only)
        .await?
        .into_iter()
        .filter(|f| ids.contains(&f.asset))
        .collect();
    let today = Date::in_japan(now);
    findings.sort_by_key(|f| {
        let fixed = f.status(today) == Status::Fixed;
        (
            fixed,
            std::cmp::Reverse(if fixed {
                (false, false, false, false, false, 0)
            } else {
                f.facts.urgency()
            }),
            std::cmp::Reverse(f.closed_at.map(|t| t.unix_millis())),
            f.asset,
            f.cve.clone(),
        )
    });
    let mut jvn = HashMap::new();
    for e in store.jvn_entries().await? {
        for id in e.cves.iter().chain(std::iter::once(&e.id)) {
            jvn.entry(id.clone())
                .or_insert_with(|| (e.title.clone(), web_link(e.link.clone())));
        }
    }
    let cwes = all_cwes.map_or_else(HashMap::new, |f| {
        findings
            .iter()
            .filter_map(|x| Some((x.cve.clone(), f.cwes.get(&x.cve)?.clone())))
            .collect()
    });
    Ok(View {
        findings,
        cwes,
        jvn,
        kev: kev_by_cve(store).await?,
        cve_count: store.nvd_count().await?,
        unreadable,
        unmatched: domain::exposure::unmatched(visible)
            .into_iter()
            .map(|(a, why)| (a.id, why))
            .collect(),
        evaluated_at: store.evaluation_stamp(scope).await?.map(|(_, _, at)| at),
    })
}

/// After a change of the ledger or the connection points: re-evaluates the facility. The
/// change itself is already saved, so a failure does not undo it: it is logged, and the
/// findings are marked stale so that the next view evaluates them again.
pub async fn after_change(
    store: &Store,
    scope: &FacilityScope,
    actor: &Actor,
    now: Timestamp,
    cache: Option<&FeedCache>,
) {
    if let Err(e) = reevaluate(store, scope, actor, now, cache).await {
        tracing::error!(error = %e, facility = scope.facility().0, "re-evaluation failed");
        if let Err(e) = store.forget_evaluation(scope).await {
            tracing::error!(error = %e, "could not mark the findings stale");
        }
    }
}

/// A stored link shown only when it is a web address (the database is not trusted to hold
/// only what the importer let through).
pub fn web_link(link: Option<String>) -> Option<String> {
    link.filter(|l| l.starts_with("https://") || l.starts_with("http://"))
}
