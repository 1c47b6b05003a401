//! `mamori-bench vulns`: re-evaluation of a facility against an NVD-sized corpus, and the NVD
//! import rate. The corpus is generated from the shapes of the real records (one to three
//! nodes, one to five CPE matches with version bounds, a few platform conditions), with a
//! long tail of products and the products Mamori maps getting their real share.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use domain::exposure::{CveIndex, assess};
use domain::nvd::{Configuration, Cpe, CpeMatch, Node, NvdCve, Operator};
use domain::{Asset, AssetId, AssetKind, NewAsset};

/// Products the alias table maps: (CPE vendor, product, maker, OS as a ledger writes them,
/// version pattern where `{}` is a number that varies between devices).
const MAPPED: [(&str, &str, &str, &str, &str); 6] = [
    ("fortinet", "fortios", "Fortinet", "FortiOS", "7.0.{}"),
    (
        "ivanti",
        "connect_secure",
        "Pulse Secure",
        "Pulse Connect Secure",
        "9.1R{}",
    ),
    (
        "citrix",
        "netscaler_gateway",
        "Citrix",
        "NetScaler Gateway",
        "13.1-{}.15",
    ),
    (
        "sonicwall",
        "sonicos",
        "SonicWall",
        "SonicOS",
        "7.0.{}-5035",
    ),
    (
        "paloaltonetworks",
        "pan-os",
        "Palo Alto",
        "PAN-OS",
        "10.2.{}",
    ),
    ("vmware", "esxi", "VMware", "ESXi", "7.0.{}"),
];

/// A small deterministic generator, so every run measures the same corpus.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cpe(part: &str, vendor: &str, product: &str) -> Cpe {
    Cpe::parse(&format!(
        "cpe:2.3:{part}:{vendor}:{product}:*:*:*:*:*:*:*:*"
    ))
    .unwrap()
}

pub fn corpus(n: usize) -> Vec<NvdCve> {
    let mut r = Lcg(n as u64);
    (0..n)
        .map(|i| {
            let nodes = (0..1 + r.below(3))
                .map(|_| Node {
                    operator: Operator::Or,
                    negate: false,
                    matches: (0..1 + r.below(5))
                        .map(|_| {
                            // One record in 150 is about a mapped product (FortiOS has some
                            // 2,000 of NVD's 300,000).
                            let (vendor, product) = if r.below(150) == 0 {
                                let m = MAPPED[r.below(MAPPED.len() as u64) as usize];
                                (m.0.to_string(), m.1.to_string())
                            } else {
                                let v = r.below(20_000);
                                (format!("vendor{v}"), format!("product{}", r.below(8)))
                            };
                            let major = r.below(12);
                            CpeMatch {
                                vulnerable: true,
                                criteria: cpe("o", &vendor, &product),
                                start_including: Some(format!("{major}.0.0")),
                                start_excluding: None,
                                end_including: None,
                                end_excluding: Some(format!(
                                    "{major}.{}.{}",
                                    r.below(6),
                                    r.below(20)
                                )),
                            }
                        })
                        .collect(),
                })
                .collect();
            NvdCve {
                cwes: Vec::new(),
                local: false,
                id: format!("CVE-{}-{:05}", 1999 + i % 27, i),
                description: String::new(),
                cvss: Some((r.below(100) as f32) / 10.0),
                configurations: vec![Configuration {
                    operator: Operator::Or,
                    negate: false,
                    nodes,
                }],
            }
        })
        .collect()
}

/// A facility's devices: one in ten is an edge or server product the alias table maps (20
/// versions of each, so 120 distinct targets), the rest PCs that no NVD product names.
pub fn assets(n: usize) -> Vec<Asset> {
    (0..n)
        .map(|i| {
            let details = if i % 10 == 0 {
                let m = MAPPED[(i / 10) % MAPPED.len()];
                NewAsset::new(AssetKind::Utm, &format!("機器{i}"))
                    .unwrap()
                    .maker_model(m.2, "")
                    .os(m.3, &m.4.replace("{}", &((i / 60) % 20).to_string()))
            } else {
                NewAsset::new(AssetKind::Pc, &format!("端末{i}"))
                    .unwrap()
                    .maker_model("NEC", "Mate")
                    .os("Windows 11 Pro", "23H2")
            };
            Asset {
                id: AssetId(i as i64),
                facility: domain::FacilityId(1),
                details,
            }
        })
        .collect()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

pub fn run(asset_sizes: &[usize], cve_sizes: &[usize]) {
    println!("vulnerability re-evaluation, same run; baseline: one pass reading every CPE match");
    println!(
        "{:>8} {:>8} {:>10} {:>10} {:>10} {:>9} {:>10} {:>8}",
        "cves", "assets", "scan ms", "index ms", "assess ms", "ratio", "findings", "per asset"
    );
    let kev = HashMap::new();
    let edge = HashSet::new();
    for &c in cve_sizes {
        let cves = corpus(c);
        let t = Instant::now();
        let matches: usize = cves
            .iter()
            .flat_map(|c| &c.configurations)
            .flat_map(|c| &c.nodes)
            .map(|n| {
                n.matches
                    .iter()
                    .filter(|m| m.criteria.vendor == "fortinet")
                    .count()
            })
            .sum();
        let scan = ms(t);
        std::hint::black_box(matches);
        let t = Instant::now();
        let index = CveIndex::new(&cves);
        let catalogue = index.catalogue();
        let built = ms(t);
        for &a in asset_sizes {
            let list = assets(a);
            let t = Instant::now();
            // Identifying every device is part of the work.
            let ids = domain::identify::identities(&list, &catalogue, &Default::default());
            let found = assess(&list, &ids, &cves, &index, &kev, &edge)
                .exposures
                .len();
            let took = ms(t);
            println!(
                "{c:>8} {a:>8} {scan:>10.1} {built:>10.1} {took:>10.1} {:>8.2}x {found:>10} {:>7.2}us",
                took / scan,
                took * 1000.0 / a as f64
            );
        }
    }
}

/// NVD import rate: Mamori's reading of an API page (parse, convert, keep each record's text)
/// against `serde_json` alone parsing the same bytes.
pub fn import_rate(records: usize) {
    let one: serde_json::Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../testdata/vuln/nvd/CVE-2024-21762.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let list: Vec<serde_json::Value> = (0..records)
        .map(|i| {
            let mut c = one.clone();
            c["id"] = serde_json::Value::String(format!("CVE-2024-{i:06}"));
            serde_json::json!({ "cve": c })
        })
        .collect();
    let page = serde_json::to_vec(&serde_json::json!({ "vulnerabilities": list })).unwrap();
    let t = Instant::now();
    let v: serde_json::Value = serde_json::from_slice(&page).unwrap();
    let base = ms(t);
    std::hint::black_box(v);
    let t = Instant::now();
    let parsed = ingest::nvd::records(&page).unwrap();
    let took = ms(t);
    println!(
        "NVD read: {records} records, {:.1} MiB; serde_json alone {base:.1} ms, Mamori {took:.1} ms ({:.2}x), {:.0} records/s",
        page.len() as f64 / 1048576.0,
        took / base,
        parsed.len() as f64 / (took / 1000.0)
    );
}

/// Re-evaluation with the findings kept (SQLite): the facility's devices imported, then the
/// assessment and `Store::record_evaluation` three times — every finding new, nothing
/// changed, and one in ten of the mapped devices updated (its findings fixed). Baseline: the same scan of
/// every CPE match as `run`.
pub async fn findings(devices: usize, cve_count: usize) {
    let cves = corpus(cve_count);
    let t = Instant::now();
    let scanned: usize = cves
        .iter()
        .flat_map(|c| &c.configurations)
        .flat_map(|c| &c.nodes)
        .map(|n| n.matches.len())
        .sum();
    let scan = ms(t);
    std::hint::black_box(scanned);
    let index = CveIndex::new(&cves);
    let dir = tempfile::tempdir().unwrap();
    let (s, scope) = crate::hospital(dir.path()).await;
    let list: Vec<NewAsset> = assets(devices).into_iter().map(|a| a.details).collect();
    let lines: Vec<usize> = (0..devices).collect();
    let columns = vec![Vec::new(); devices];
    let actor = domain::Actor::System("bench".into());
    let at = |n: i64| domain::Timestamp::from_unix_millis(1_775_001_600_000 + n * 86_400_000);
    let request = store::LedgerImport {
        assets: &list,
        lines: &lines,
        columns: &columns,
        source: "bench",
        dry_run: false,
        points: &[],
        vendors: &[],
    };
    s.import_ledger(&scope, &actor, &request, at(0))
        .await
        .unwrap();
    let kev = HashMap::new();
    let edge = HashSet::new();
    println!(
        "findings kept: {devices} devices, {cve_count} CVEs; baseline scan {scan:.1} ms (same run)"
    );
    println!(
        "{:>26} {:>10} {:>10} {:>10} {:>8} {:>9} {:>9}",
        "run", "assess ms", "record ms", "total ms", "ratio", "opened", "closed"
    );
    for (step, label) in [
        (0, "first (all new)"),
        (1, "again (no change)"),
        (2, "1 in 10 edge updated"),
    ] {
        let mut stored = s.assets(&scope).await.unwrap();
        if step == 2 {
            // One in ten of the mapped devices (every tenth device is one).
            for a in stored.iter_mut().filter(|a| (a.id.0 - 1) % 100 == 0) {
                a.details.os_version = Some("99.0.0".into());
            }
        }
        let t = Instant::now();
        let ids = domain::identify::identities(&stored, &index.catalogue(), &Default::default());
        let observed: Vec<domain::finding::Observation> =
            assess(&stored, &ids, &cves, &index, &kev, &edge)
                .exposures
                .iter()
                .map(domain::finding::Observation::from_exposure)
                .collect();
        let assessed = ms(t);
        let versions: Vec<(AssetId, String, String)> = stored
            .iter()
            .map(|a| {
                (
                    a.id,
                    a.details.os_name.clone().unwrap_or_default(),
                    a.details.os_version.clone().unwrap_or_default(),
                )
            })
            .collect();
        let t = Instant::now();
        let done = s
            .record_evaluation(
                &scope,
                &actor,
                at(step + 1),
                store::Evaluation {
                    observed,
                    versions: &versions,
                    feed_stamp: 1,
                    rules: "bench",
                    revision: None,
                },
            )
            .await
            .unwrap();
        let recorded = ms(t);
        let total = assessed + recorded;
        println!(
            "{label:>26} {assessed:>10.1} {recorded:>10.1} {total:>10.1} {:>7.1}x {:>9} {:>9}",
            total / scan,
            done.opened + done.reopened,
            done.closed
        );
    }
}
