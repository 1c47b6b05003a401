//! The graded corpus (`testdata/graded/`): real NVD records of known-exploited products that
//! clinics own, and devices as their own screens print them, each with the verdict the record
//! gives, checked by hand. Mamori must call no vulnerable device safe and be right on at least
//! 90 % of them.

use std::collections::BTreeMap;

use domain::NewAsset;
use domain::exposure::CveIndex;
use domain::identify::Bindings;
use domain::nvd::{NvdCve, Outcome};

struct Case {
    id: String,
    kind: String,
    maker: String,
    model: String,
    os_name: String,
    os_version: String,
    cve: String,
    expected: String,
    cpe: Option<String>,
}

fn cases(set: &std::path::Path) -> Vec<Case> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(set.join("cases.json")).unwrap()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            Case {
                id: s("id"),
                kind: s("kind"),
                maker: s("maker"),
                model: s("model"),
                os_name: s("os_name"),
                os_version: s("os_version"),
                cve: s("cve"),
                expected: s("expected"),
                cpe: c["cpe"].as_str().map(str::to_string),
            }
        })
        .collect()
}

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/graded")
}

/// The records of both sets: a deployment's catalogue holds every product NVD names.
fn records() -> Vec<NvdCve> {
    let mut out = Vec::new();
    for folder in [dir().join("nvd"), dir().join("holdout/nvd")] {
        for e in std::fs::read_dir(folder).unwrap() {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            out.extend(ingest::nvd::parse(&bytes).unwrap());
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// What Mamori says of one case: the record's outcome for the device it identified, or
/// `not-checked:<reason>`.
fn verdict(
    case: &Case,
    cves: &[NvdCve],
    catalogue: &domain::identify::Catalogue,
    kev: &std::collections::HashMap<String, domain::kev::KevEntry>,
) -> String {
    let kind = domain::ledger::kind_for(&case.kind)
        .unwrap_or_else(|| panic!("{}: kind {}", case.id, case.kind));
    let d = NewAsset::new(kind, &case.id)
        .unwrap()
        .maker_model(&case.maker, &case.model)
        .os(&case.os_name, &case.os_version);
    match domain::identify::identify(&d, catalogue, &Bindings::new()) {
        Err((reason, _)) => format!("not-checked:{}", reason.code()),
        Ok((target, _)) => {
            let cve = cves.iter().find(|c| c.id == case.cve).unwrap();
            if target.kev_only && !kev.contains_key(&cve.id) {
                return "not_affected (not known-exploited)".into();
            }
            match (
                domain::exposure::outcome(cve, &target, kev.get(&cve.id)),
                &target.version,
            ) {
                (Outcome::Affected, _) => "affected",
                // Without a version the rest waits for it: listed as not checked.
                (_, None) => "not-checked:no-version",
                (Outcome::NotAffected, _) => "not_affected",
                (Outcome::NeedsReview, _) => "needs_review",
            }
            .to_string()
        }
    }
}

/// The figures of one set.
struct Grade {
    cases: usize,
    right: usize,
    called_safe: Vec<String>,
}

impl Grade {
    fn share(&self) -> f64 {
        self.right as f64 / self.cases as f64
    }
}

fn grade(set: &std::path::Path) -> Grade {
    let cases = cases(set);
    let cves = records();
    let catalogue = CveIndex::new(&cves).catalogue();
    let kev_file = dir().join("../vuln/kev/known_exploited_vulnerabilities.json");
    let kev: std::collections::HashMap<String, domain::kev::KevEntry> =
        ingest::kev::parse(&std::fs::read(kev_file).unwrap())
            .unwrap()
            .entries
            .into_iter()
            .map(|e| (e.cve.clone(), e))
            .collect();
    let mut right = 0;
    let mut undecided = 0;
    let mut unknown = 0;
    let mut called_safe = Vec::new();
    let mut wrong = Vec::new();
    let mut by_family: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for case in &cases {
        let got = verdict(case, &cves, &catalogue, &kev);
        let family = case.cpe.clone().unwrap_or_else(|| "(other product)".into());
        let e = by_family.entry(family).or_default();
        e.1 += 1;
        // "Needs review" and "not checked: write the version / model" are the same verdict
        // in other words (cannot decide, a person acts); a device whose product no record
        // names cannot be identified from the records: "not checked", never "safe".
        let same_undecided = case.expected == "needs_review"
            && matches!(
                got.as_str(),
                "not-checked:no-version"
                    | "not-checked:unreadable-version"
                    | "not-checked:no-model"
                    | "not-checked:unknown-product"
                    | "not-checked:ambiguous"
            );
        let unnamed = case.expected == "not_affected"
            && got == "not-checked:unknown-product"
            && case.cpe.as_deref().is_none_or(|c| {
                let (v, p) = c.split_once(':').unwrap_or((c, ""));
                !catalogue.contains(v, &p.replace('\\', ""))
            });
        if got == case.expected || same_undecided || unnamed {
            right += 1;
            undecided += usize::from(same_undecided);
            unknown += usize::from(unnamed);
            e.0 += 1;
        } else {
            if case.expected == "affected" && got == "not_affected" {
                called_safe.push(case.id.clone());
            }
            wrong.push(format!(
                "{}: expected {}, got {got}",
                case.id, case.expected
            ));
        }
    }
    let share = right as f64 / cases.len() as f64;
    println!(
        "{}: {right} of {} right ({:.1} %; {undecided} of them undecided as \"not checked\", {unknown} not checked because no record names the product), {} wrong, {} vulnerable called safe",
        set.display(),
        cases.len(),
        share * 100.0,
        wrong.len(),
        called_safe.len()
    );
    for (f, (r, n)) in &by_family {
        println!("  {f}: {r}/{n}");
    }
    for w in &wrong {
        println!("  WRONG {w}");
    }
    Grade {
        cases: cases.len(),
        right,
        called_safe,
    }
}

#[test]
fn the_graded_corpus() {
    let g = grade(&dir());
    assert!(g.cases >= 150 && records().len() >= 40);
    assert!(
        g.called_safe.is_empty(),
        "vulnerable devices called safe: {:?}",
        g.called_safe
    );
    assert!(g.share() >= 0.9, "{} of {} right", g.right, g.cases);
}

/// Cases built apart from the matcher, after it was written (`holdout/README.md`): graded by
/// the same thresholds, never tuned to.
#[test]
fn the_held_out_cases() {
    let g = grade(&dir().join("holdout"));
    assert!(g.cases >= 60);
    assert!(
        g.called_safe.is_empty(),
        "vulnerable devices called safe: {:?}",
        g.called_safe
    );
    assert!(g.share() >= 0.9, "{} of {} right", g.right, g.cases);
}
