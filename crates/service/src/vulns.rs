//! The vulnerability service. `reevaluate` evaluates every device of a facility against the
//! stored feeds and keeps the findings (opened, fixed, reopened, with history); every ledger,
//! connection-point and feed change calls it. `view` reads the findings for the page, the
//! device page, the overview and `mamori vulns`, re-evaluating first when the feeds or the
//! matching rules changed since the last run. One service, so the views cannot disagree.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use domain::exposure::CveIndex;
use domain::finding::{Finding, Observation, SeenVersion, Status};
use domain::identify::{Bindings, Catalogue, Check, Reason};
use domain::kev::KevEntry;
use domain::nvd::NvdCve;
use domain::{Actor, Asset, AssetId, Date, Timestamp};
use store::{Evaluated, FacilityScope, Store};

/// The matching rules findings were evaluated with: a new Mamori (a grown alias table)
/// re-evaluates every facility once.
/// The suffix names the identification rules (`domain::identify`), so that a deployment
/// whose devices were never identified that way is evaluated again once.
pub const RULES: &str = concat!(env!("CARGO_PKG_VERSION"), "/identify-1");

/// The feeds as read from the store (NVD records parsed and indexed, KEV by CVE), kept
/// between evaluations until the next feed import.
#[derive(Default)]
pub struct FeedCache(Mutex<Option<(i64, Arc<Feeds>)>>);

impl FeedCache {
    /// The feeds held, when they are those of `stamp` (no feed import since).
    fn held(&self, stamp: i64) -> Option<Arc<Feeds>> {
        let held = self.0.lock().ok()?;
        let (at, f) = held.as_ref()?;
        (*at == stamp).then(|| f.clone())
    }
}

pub struct Feeds {
    cves: Vec<NvdCve>,
    /// CWE numbers by CVE (or JVNDB id), from NVD's `weaknesses` and JVN.
    cwes: HashMap<String, Vec<String>>,
    /// CVEs only reached from the device itself or beside it (`NvdCve::local`).
    local: HashSet<String>,
    index: CveIndex,
    /// The products the NVD records name, for identifying devices.
    catalogue: Catalogue,
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
    if let Some(f) = cache.and_then(|c| c.held(stamp)) {
        return Ok(f);
    }
    let records = store.nvd_records().await?;
    let jvn = store.jvn_entries().await?;
    let kev = kev_by_cve(store).await?;
    let dictionary = store.cpe_products().await?;
    // Parsing every record and indexing them is seconds of CPU for a year of NVD: not on the
    // threads that answer requests.
    let f = tokio::task::spawn_blocking(move || {
        let mut cves = Vec::new();
        let mut unreadable = 0;
        for text in records {
            match ingest::nvd::parse(text.as_bytes()) {
                Ok(mut list) => cves.append(&mut list),
                Err(_) => unreadable += 1,
            }
        }
        let cwes = cwes_of(&cves, &jvn);
        let local = cves
            .iter()
            .filter(|c| c.local)
            .map(|c| c.id.clone())
            .collect();
        let index = CveIndex::new(&cves);
        Arc::new(Feeds {
            catalogue: index
                .catalogue()
                .with_dictionary(dictionary.iter().map(|(v, p)| (v.as_str(), p.as_str()))),
            index,
            cves,
            cwes,
            local,
            jvn,
            kev,
            unreadable,
        })
    })
    .await
    .map_err(|e| store::Error::Database(format!("reading the feeds stopped: {e}")))?;
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
/// device versions are recorded either way. The matching runs on a blocking thread. If the
/// facility changes while it runs, nothing is written and `store::Error::Superseded` says
/// so: the run that follows the change decides.
pub async fn reevaluate(
    store: &Store,
    scope: &FacilityScope,
    actor: &Actor,
    now: Timestamp,
    cache: Option<&FeedCache>,
) -> Result<Evaluated, store::Error> {
    let revision = store.revision(scope).await?;
    let stamp = store.feed_stamp().await?;
    let feeds = feeds(store, stamp, cache).await?;
    let assets = store.assets(scope).await?;
    let bindings = store.product_bindings(scope).await?;
    let software = store.software(scope, None).await?;
    let points = store.connection_points(scope).await?;
    let edge: HashSet<AssetId> = points.iter().filter_map(|p| p.details.asset).collect();
    let today = Date::in_japan(now);
    let input = if feeds.cves.is_empty() {
        Input::WithoutNvd {
            stored: store.findings(scope).await?,
        }
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
            .chain(store.credential_changes(scope).await?);
        for (asset, date) in dates {
            let e = changed.entry(asset).or_insert(date);
            *e = (*e).max(date);
        }
        Input::WithNvd { history, changed }
    };
    let versions: Vec<(AssetId, String, String)> = assets
        .iter()
        .map(|a| {
            let (os, version) = current_version(a);
            (a.id, os, version)
        })
        .filter(|(_, os, version)| !os.is_empty() || !version.is_empty())
        .collect();
    let (observed, checks) = tokio::task::spawn_blocking(move || {
        observe(&feeds, &assets, &software, &bindings, &edge, input)
    })
    .await
    .map_err(|e| store::Error::Database(format!("the evaluation stopped: {e}")))?;
    // The checks first: they write no audit record, so the evaluation's guard below still
    // holds for the same revision.
    store.record_checks(scope, &checks, Some(revision)).await?;
    let done = store
        .record_evaluation(
            scope,
            actor,
            now,
            store::Evaluation {
                observed,
                versions: &versions,
                feed_stamp: stamp,
                rules: RULES,
                revision: Some(revision),
            },
        )
        .await?;
    Ok(done)
}

/// What an evaluation reads from the store besides the devices and the feeds.
enum Input {
    /// No NVD record: the standing findings, of which JVN decides what it speaks of.
    WithoutNvd { stored: Vec<Finding> },
    /// Each device's versions over time and the newest password change per device.
    WithNvd {
        history: HashMap<AssetId, Vec<SeenVersion>>,
        changed: HashMap<AssetId, Date>,
    },
}

/// Findings from the software installed on devices: each program identified like a device
/// (its publisher as the maker) and judged against the records that name it.
fn software_observations(
    feeds: &Feeds,
    assets: &[Asset],
    software: &[(AssetId, domain::software::Installed)],
    edge: &HashSet<AssetId>,
) -> Vec<Observation> {
    let by_id: HashMap<AssetId, &Asset> = assets.iter().map(|a| (a.id, a)).collect();
    let no_bindings = Bindings::new();
    let mut out = Vec::new();
    for (id, item) in software {
        let Some(on) = by_id.get(id) else { continue };
        let device = [item.as_device(on)];
        let identities = domain::identify::identities(&device, &feeds.catalogue, &no_bindings);
        if !matches!(identities.get(id), Some(Ok((t, _))) if t.version.is_some()) {
            continue;
        }
        let assessment = domain::exposure::assess(
            &device,
            &identities,
            &feeds.cves,
            &feeds.index,
            &feeds.kev,
            edge,
        );
        out.extend(assessment.exposures.iter().map(Observation::from_exposure));
    }
    out
}

/// Whether each device was checked: its product, else a JVN entry that names its maker and
/// model, else why not. Without any record every device waits for the feeds.
fn checks_of(
    feeds: &Feeds,
    assets: &[Asset],
    identities: &std::collections::BTreeMap<AssetId, domain::identify::Identity>,
) -> Vec<(AssetId, Check)> {
    let no_feeds = feeds.cves.is_empty() && feeds.jvn.is_empty();
    assets
        .iter()
        .map(|a| {
            let check = match identities.get(&a.id) {
                Some(i) => domain::identify::check_of(i),
                None => Check::not(Reason::UnknownProduct),
            };
            let check = match check {
                Check::NotChecked { reason, .. } if no_feeds && reason != Reason::Cloud => {
                    Check::not(Reason::NoFeeds)
                }
                Check::NotChecked {
                    reason: reason @ (Reason::UnknownProduct | Reason::Ambiguous),
                    candidates,
                } => match domain::jvn::naming(a, &feeds.jvn) {
                    Some(product) => Check::Checked {
                        product,
                        how: domain::identify::How::Jvn,
                    },
                    None => Check::NotChecked { reason, candidates },
                },
                other => other,
            };
            (a.id, check)
        })
        .collect()
}

/// The matching itself (CPU only): every finding the feeds say of the devices, and whether
/// each device was checked.
fn observe(
    feeds: &Feeds,
    assets: &[Asset],
    software: &[(AssetId, domain::software::Installed)],
    bindings: &Bindings,
    edge: &HashSet<AssetId>,
    input: Input,
) -> (Vec<Observation>, Vec<(AssetId, Check)>) {
    let identities = domain::identify::identities(assets, &feeds.catalogue, bindings);
    let checks = checks_of(feeds, assets, &identities);
    let jvn = domain::jvn::observations(
        assets,
        &identities,
        &feeds.jvn,
        &|t, id| feeds.index.names(&feeds.cves, t, id),
        &feeds.kev,
        edge,
    );
    let observed = match input {
        Input::WithoutNvd { stored } => {
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
                    f.kind != domain::finding::Kind::Vulnerability
                        || !jvn_ids.contains(f.cve.as_str())
                })
                .map(|f| Observation {
                    asset: f.asset,
                    cve: f.cve.clone(),
                    kind: f.kind,
                    facts: f.facts,
                })
                .chain(jvn)
                .collect()
        }
        Input::WithNvd { history, changed } => {
            let assessment = domain::exposure::assess(
                assets,
                &identities,
                &feeds.cves,
                &feeds.index,
                &feeds.kev,
                edge,
            );
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
                assets, &history, &leaks, &feeds.kev, edge, &changed,
            ));
            observed.extend(jvn);
            observed.extend(software_observations(feeds, assets, software, edge));
            // One finding a device and CVE, the most urgent, whichever program or firmware
            // brought it.
            observed.sort_by_key(|o| {
                (
                    o.asset,
                    o.cve.clone(),
                    o.kind.code(),
                    std::cmp::Reverse(o.facts.urgency()),
                )
            });
            observed.dedup_by(|b, a| a.asset == b.asset && a.cve == b.cve && a.kind == b.kind);
            observed
        }
    };
    (observed, checks)
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
    /// The findings' CVEs an attacker uses from inside (the device itself or beside it).
    pub local: HashSet<String>,
    /// NVD records and JVN entries stored.
    pub cve_count: i64,
    /// Stored NVD records this version cannot read (known after an evaluation in this process).
    pub unreadable: usize,
    /// Every device the caller may see, in ledger order, with whether the last evaluation
    /// checked it (`Reason::Pending` for a device added since).
    pub checks: Vec<(AssetId, Check)>,
    pub evaluated_at: Option<Timestamp>,
}

impl View {
    /// The devices not checked, with why.
    pub fn not_checked(&self) -> impl Iterator<Item = (AssetId, Reason, &[String])> {
        self.checks.iter().filter_map(|(a, c)| match c {
            Check::NotChecked { reason, candidates } => Some((*a, *reason, candidates.as_slice())),
            Check::Checked { .. } => None,
        })
    }

    /// How many devices were checked, of how many.
    pub fn checked_count(&self) -> (usize, usize) {
        (
            self.checks.iter().filter(|(_, c)| c.is_checked()).count(),
            self.checks.len(),
        )
    }

    pub fn standing(&self, today: Date) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.status(today) != Status::Fixed)
    }
}

/// The state of the facility's findings after `ensure_current`.
pub struct Current {
    /// The feeds as the server holds them, when it holds the current ones (never for a
    /// one-off command, which reads what it shows from the store instead).
    pub feeds: Option<Arc<Feeds>>,
    pub evaluated_at: Option<Timestamp>,
}

/// Evaluates the facility again when the feeds or the rules changed since its last run.
pub async fn ensure_current(
    store: &Store,
    scope: &FacilityScope,
    now: Timestamp,
    cache: Option<&FeedCache>,
) -> Result<Current, store::Error> {
    let stamp = store.feed_stamp().await?;
    let mut evaluated_at = match store.evaluation_stamp(scope).await? {
        Some((s, rules, at)) if s == stamp && rules == RULES => Some(at),
        _ => None,
    };
    if evaluated_at.is_none() {
        let actor = Actor::System("evaluation".into());
        match reevaluate(store, scope, &actor, now, cache).await {
            // Another run wrote first: what it decided stands.
            Ok(_) | Err(store::Error::Superseded) => {}
            Err(e) => return Err(e),
        }
        evaluated_at = Some(now);
    }
    let feeds = cache.and_then(|c| c.held(stamp));
    Ok(Current {
        feeds,
        evaluated_at,
    })
}

/// What the feeds say of the CVEs of `findings`: from the server's feeds when it holds
/// them, else read from the store (KEV and JVN; NVD's CWE numbers only with the feeds).
async fn about(
    store: &Store,
    feeds: Option<&Feeds>,
    findings: &[Finding],
) -> Result<About, store::Error> {
    let wanted: HashSet<&str> = findings.iter().map(|f| f.cve.as_str()).collect();
    let pick = |kev: &HashMap<String, KevEntry>, jvn: &[domain::jvn::JvnEntry]| {
        let mut out = About {
            kev: wanted
                .iter()
                .filter_map(|id| Some((id.to_string(), kev.get(*id)?.clone())))
                .collect(),
            ..About::default()
        };
        for e in jvn {
            for id in e.cves.iter().chain(std::iter::once(&e.id)) {
                if wanted.contains(id.as_str()) {
                    out.jvn
                        .entry(id.clone())
                        .or_insert_with(|| (e.title.clone(), web_link(e.link.clone())));
                }
            }
        }
        out
    };
    Ok(match feeds {
        Some(f) => About {
            cwes: wanted
                .iter()
                .filter_map(|id| Some((id.to_string(), f.cwes.get(*id)?.clone())))
                .collect(),
            local: wanted
                .iter()
                .filter(|id| f.local.contains(**id))
                .map(|id| id.to_string())
                .collect(),
            ..pick(&f.kev, &f.jvn)
        },
        None => pick(&kev_by_cve(store).await?, &store.jvn_entries().await?),
    })
}

#[derive(Default)]
struct About {
    kev: HashMap<String, KevEntry>,
    jvn: HashMap<String, (String, Option<String>)>,
    cwes: HashMap<String, Vec<String>>,
    local: HashSet<String>,
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
    let current = ensure_current(store, scope, now, cache).await?;
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
    // Standing findings most urgent first, then the fixed ones, the latest fix first.
    findings.sort_by_key(|f| {
        let fixed = f.status(today) == Status::Fixed;
        let urgency = (!fixed).then(|| f.facts.urgency());
        (
            fixed,
            std::cmp::Reverse(urgency),
            std::cmp::Reverse(f.closed_at),
            f.asset,
            f.cve.clone(),
        )
    });
    let About {
        kev,
        jvn,
        cwes,
        local,
    } = about(store, current.feeds.as_deref(), &findings).await?;
    Ok(View {
        findings,
        cwes,
        local,
        jvn,
        kev,
        cve_count: store.nvd_count().await?,
        unreadable: current.feeds.as_ref().map_or(0, |f| f.unreadable),
        checks: {
            let mut stored: HashMap<AssetId, Check> =
                store.checks(scope, only).await?.into_iter().collect();
            visible
                .iter()
                .map(|a| {
                    let c = stored
                        .remove(&a.id)
                        .unwrap_or_else(|| Check::not(Reason::Pending));
                    (a.id, c)
                })
                .collect()
        },
        evaluated_at: current.evaluated_at,
    })
}

/// The KEV entry and JVN entry of one CVE (a finding's page), from the server's feeds when
/// it holds the current ones.
pub async fn one_cve(
    store: &Store,
    cache: Option<&FeedCache>,
    cve: &str,
) -> Result<(Option<KevEntry>, Option<domain::jvn::JvnEntry>), store::Error> {
    let stamp = store.feed_stamp().await?;
    let held = cache.and_then(|c| c.held(stamp));
    let in_jvn = |e: &domain::jvn::JvnEntry| e.id == cve || e.cves.iter().any(|c| c == cve);
    Ok(match held {
        Some(f) => (
            f.kev.get(cve).cloned(),
            f.jvn.iter().find(|e| in_jvn(e)).cloned(),
        ),
        None => (
            store.kev_entry(cve).await?,
            store.jvn_entries().await?.into_iter().find(|e| in_jvn(e)),
        ),
    })
}

/// Re-evaluates the facility until a run is not superseded by a change made meanwhile (at
/// most `tries` runs): what a command runs after it changed the ledger or the feeds.
pub async fn reevaluate_settled(
    store: &Store,
    scope: &FacilityScope,
    actor: &Actor,
    now: Timestamp,
    cache: Option<&FeedCache>,
    tries: usize,
) -> Result<Evaluated, store::Error> {
    let mut left = tries.max(1);
    loop {
        left -= 1;
        match reevaluate(store, scope, actor, now, cache).await {
            Err(store::Error::Superseded) if left > 0 => continue,
            other => return other,
        }
    }
}

/// A stored link shown only when it is a web address (the database is not trusted to hold
/// only what the importer let through).
pub fn web_link(link: Option<String>) -> Option<String> {
    link.filter(|l| l.starts_with("https://") || l.starts_with("http://"))
}

/// Why a product cannot be bound to a device's maker and model.
#[derive(Debug)]
pub enum BindError {
    /// The device has neither maker nor model: there is nothing to bind.
    NoMaker,
    /// Neither a candidate was chosen nor a name typed.
    NoneChosen,
    /// The text is not `vendor:product` or a CPE name.
    NotAProduct(String),
    /// No imported record names the product; `near` are close names of the same vendor.
    UnknownProduct {
        product: String,
        near: Vec<String>,
    },
    Store(store::Error),
}

impl From<store::Error> for BindError {
    fn from(e: store::Error) -> Self {
        BindError::Store(e)
    }
}

/// Binds the product a person chose (or typed) to the device's maker and model, after
/// checking that an imported record names it: every device of that maker and model is
/// checked as that product from the next evaluation (the caller requests it). Returns the
/// product bound, `vendor:product`.
pub async fn bind_product(
    store: &Store,
    scope: &FacilityScope,
    actor: &Actor,
    now: Timestamp,
    cache: Option<&FeedCache>,
    asset: &Asset,
    chosen: &str,
) -> Result<String, BindError> {
    let d = &asset.details;
    let maker = d.maker.as_deref().unwrap_or_default().trim();
    let model = d.model.as_deref().unwrap_or_default().trim();
    if maker.is_empty() && model.is_empty() {
        return Err(BindError::NoMaker);
    }
    let chosen = chosen.trim();
    if chosen.is_empty() {
        return Err(BindError::NoneChosen);
    }
    let (vendor, product) = domain::identify::parse_product(chosen)
        .ok_or_else(|| BindError::NotAProduct(chosen.to_string()))?;
    let stamp = store.feed_stamp().await?;
    let feeds = feeds(store, stamp, cache).await?;
    let in_jvn = feeds.jvn.iter().flat_map(|e| &e.affected).any(|i| {
        i.cpe_vendor.as_deref() == Some(vendor.as_str())
            && i.cpe_product.as_deref() == Some(product.as_str())
    });
    if !feeds.catalogue.contains(&vendor, &product) && !in_jvn {
        return Err(BindError::UnknownProduct {
            near: feeds.catalogue.near(&vendor, &product),
            product: format!("{vendor}:{product}"),
        });
    }
    store
        .bind_product(scope, actor, now, maker, model, (&vendor, &product))
        .await?;
    Ok(format!("{vendor}:{product}"))
}

/// The devices past their end of support on `today` (the ledger's date or the bundled
/// table's), the longest past first.
pub fn past_support(assets: &[Asset], today: Date) -> Vec<(&Asset, domain::support::EndOfSupport)> {
    let mut out: Vec<(&Asset, domain::support::EndOfSupport)> = assets
        .iter()
        .filter_map(|a| Some((a, domain::support::past(&a.details, today)?)))
        .collect();
    out.sort_by_key(|(a, e)| (e.ends, a.id));
    out
}

/// Remote-access tools installed on devices that no connection point or remote-maintenance
/// note names: ways in from outside nobody listed.
pub async fn unlisted_tools(
    store: &Store,
    scope: &FacilityScope,
    visible: &[Asset],
) -> Result<Vec<domain::software::UnlistedTool>, store::Error> {
    let ids: HashSet<AssetId> = visible.iter().map(|a| a.id).collect();
    let only = match visible {
        [one] => Some(one.id),
        _ => None,
    };
    let software: Vec<(AssetId, domain::software::Installed)> = store
        .software(scope, only)
        .await?
        .into_iter()
        .filter(|(a, _)| ids.contains(a))
        .collect();
    if software.is_empty() {
        return Ok(Vec::new());
    }
    let points = store.connection_points(scope).await?;
    Ok(domain::software::unlisted_tools(
        visible, &software, &points,
    ))
}
