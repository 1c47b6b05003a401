//! NVD CVE API 2.0 JSON: a bare `cve` object, an API page (`vulnerabilities[].cve`) or a
//! whole-year feed of the same shape. Unknown and new keys are ignored (CVE-2025-5777 has
//! `cvssMetricV40`); optional ones may be missing (CVE-2020-5548 has no `cveTags`).

use domain::nvd::{Configuration, Cpe, CpeMatch, Node, NvdCve, Operator};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NvdProblem {
    NotNvd,
    Json {
        line: usize,
        column: usize,
    },
    /// Record `id` has a CPE name that does not read.
    Cpe {
        id: String,
        criteria: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCve {
    id: String,
    #[serde(default)]
    descriptions: Vec<RawText>,
    #[serde(default)]
    metrics: serde_json::Value,
    #[serde(default)]
    weaknesses: Vec<RawWeakness>,
    #[serde(default)]
    configurations: Vec<RawConfig>,
}

#[derive(Deserialize)]
struct RawWeakness {
    #[serde(default)]
    description: Vec<RawText>,
}

#[derive(Deserialize)]
struct RawText {
    lang: String,
    value: String,
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    negate: bool,
    #[serde(default)]
    nodes: Vec<RawNode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNode {
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    negate: bool,
    #[serde(default)]
    cpe_match: Vec<RawMatch>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMatch {
    vulnerable: bool,
    criteria: String,
    version_start_including: Option<String>,
    version_start_excluding: Option<String>,
    version_end_including: Option<String>,
    version_end_excluding: Option<String>,
}

fn operator(o: &Option<String>) -> Operator {
    if o.as_deref().is_some_and(|o| o.eq_ignore_ascii_case("and")) {
        Operator::And
    } else {
        Operator::Or
    }
}

/// Every rating's `cvssData` (v4.0, v3.1, v3.0, v2).
fn ratings(metrics: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    [
        "cvssMetricV40",
        "cvssMetricV31",
        "cvssMetricV30",
        "cvssMetricV2",
    ]
    .into_iter()
    .filter_map(|k| metrics.get(k)?.as_array())
    .flat_map(|list| list.iter())
    .filter_map(|m| m.get("cvssData"))
}

fn score(metrics: &serde_json::Value) -> Option<f32> {
    ratings(metrics)
        .filter_map(|data| data.get("baseScore")?.as_f64())
        .map(|s| s as f32)
        .reduce(f32::max)
}

/// Whether every rating that names an attack vector says local or physical.
fn local(metrics: &serde_json::Value) -> bool {
    let vectors: Vec<&str> = ratings(metrics)
        .filter_map(|data| {
            data.get("attackVector")
                .or_else(|| data.get("accessVector"))?
                .as_str()
        })
        .collect();
    !vectors.is_empty() && vectors.iter().all(|v| matches!(*v, "LOCAL" | "PHYSICAL"))
}

fn convert(raw: RawCve) -> Result<NvdCve, NvdProblem> {
    let mut configurations = Vec::with_capacity(raw.configurations.len());
    for c in raw.configurations {
        let mut nodes = Vec::with_capacity(c.nodes.len());
        for n in c.nodes {
            let mut matches = Vec::with_capacity(n.cpe_match.len());
            for m in n.cpe_match {
                let criteria = Cpe::parse(&m.criteria).ok_or_else(|| NvdProblem::Cpe {
                    id: raw.id.clone(),
                    criteria: m.criteria.clone(),
                })?;
                matches.push(CpeMatch {
                    vulnerable: m.vulnerable,
                    criteria,
                    start_including: m.version_start_including,
                    start_excluding: m.version_start_excluding,
                    end_including: m.version_end_including,
                    end_excluding: m.version_end_excluding,
                });
            }
            nodes.push(Node {
                operator: operator(&n.operator),
                negate: n.negate,
                matches,
            });
        }
        configurations.push(Configuration {
            operator: operator(&c.operator),
            negate: c.negate,
            nodes,
        });
    }
    let description = raw
        .descriptions
        .iter()
        .find(|d| d.lang == "en")
        .map(|d| d.value.clone())
        .unwrap_or_default();
    let mut cwes: Vec<String> = raw
        .weaknesses
        .iter()
        .flat_map(|w| &w.description)
        .map(|d| d.value.clone())
        .filter(|v| v.starts_with("CWE-"))
        .collect();
    cwes.dedup();
    Ok(NvdCve {
        cvss: score(&raw.metrics),
        local: local(&raw.metrics),
        cwes,
        id: raw.id,
        description,
        configurations,
    })
}

/// Each record with its own JSON text (to store as given, and read again later).
pub fn records(bytes: &[u8]) -> Result<Vec<(NvdCve, String)>, NvdProblem> {
    // A file that does not even open like a JSON object (an HTML page, a CSV) is another
    // kind of file, not a broken NVD one.
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(NvdProblem::NotNvd);
    }
    let value: serde_json::Value = serde_json::from_slice(text).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            NvdProblem::Json {
                line: e.line(),
                column: e.column(),
            }
        } else {
            NvdProblem::NotNvd
        }
    })?;
    let objects: Vec<serde_json::Value> =
        match value.get("vulnerabilities").and_then(|v| v.as_array()) {
            Some(list) => list
                .iter()
                .map(|w| w.get("cve").cloned().ok_or(NvdProblem::NotNvd))
                .collect::<Result<_, _>>()?,
            None if value
                .get("id")
                .and_then(|i| i.as_str())
                .is_some_and(|i| i.starts_with("CVE-")) =>
            {
                vec![value]
            }
            None => return Err(NvdProblem::NotNvd),
        };
    objects
        .into_iter()
        .map(|o| {
            let text = o.to_string();
            let raw: RawCve = serde_json::from_value(o).map_err(|_| NvdProblem::NotNvd)?;
            Ok((convert(raw)?, text))
        })
        .collect()
}

/// The records alone, for reading stored records again and for tests.
pub fn parse(bytes: &[u8]) -> Result<Vec<NvdCve>, NvdProblem> {
    Ok(records(bytes)?.into_iter().map(|(c, _)| c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::nvd::{Outcome, Target, evaluate};
    use domain::version::Scheme;

    fn cve(id: &str) -> NvdCve {
        let bytes = std::fs::read(format!(
            "{}/../../testdata/vuln/nvd/{id}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let mut list = parse(&bytes).unwrap();
        assert_eq!(list.len(), 1);
        list.remove(0)
    }

    fn target(vendor: &str, product: &str, version: Option<&str>, scheme: Scheme) -> Target {
        Target::new(vendor, product, version, scheme)
    }

    fn check(id: &str, vendor: &str, product: &str, scheme: Scheme, cases: &[(&str, Outcome)]) {
        let c = cve(id);
        for (version, expected) in cases {
            let got = evaluate(&c, &target(vendor, product, Some(version), scheme));
            assert_eq!(got, *expected, "{id} {product} {version}");
        }
    }

    use Outcome::*;

    #[test]
    fn fortios_records() {
        let f = Scheme::FortiOs;
        check(
            "CVE-2018-13379",
            "fortinet",
            "fortios",
            f,
            &[
                ("6.0.4", Affected),
                ("6.0.11", NotAffected),
                ("5.6.2", NotAffected),
            ],
        );
        check(
            "CVE-2022-42475",
            "fortinet",
            "fortios",
            f,
            &[
                ("6.0.11", Affected),
                ("5.6.14", Affected),
                ("7.0.9", NotAffected),
            ],
        );
        check(
            "CVE-2023-27997",
            "fortinet",
            "fortios",
            f,
            &[
                ("7.0.11", Affected),
                ("7.0.12", NotAffected),
                ("7.2.4", Affected),
                ("7.2.5", NotAffected),
                ("6.2.13", Affected),
            ],
        );
        check(
            "CVE-2024-21762",
            "fortinet",
            "fortios",
            f,
            &[
                ("7.0.12", Affected),
                ("7.0.14", NotAffected),
                ("6.2.15", Affected),
                ("7.4.3", NotAffected),
            ],
        );
        check(
            "CVE-2024-21762",
            "fortinet",
            "fortiproxy",
            f,
            &[("1.1.6", Affected)],
        );
        check(
            "CVE-2024-21762",
            "fortinet",
            "fortios",
            f,
            &[("v7.0.12,build0523 (GA)", Affected)],
        );
    }

    #[test]
    fn pulse_exact_versions_with_their_release() {
        check(
            "CVE-2019-11510",
            "ivanti",
            "connect_secure",
            Scheme::PulseSecure,
            &[
                ("9.0R3.3", Affected),
                ("9.0R3.4", NotAffected),
                ("8.3R7", Affected),
            ],
        );
    }

    #[test]
    fn citrix_builds_compare_as_numbers() {
        check(
            "CVE-2023-4966",
            "citrix",
            "netscaler_gateway",
            Scheme::NetScaler,
            &[
                ("13.1-48.47", Affected),
                ("13.1-49.15", NotAffected),
                ("14.1-8.50", NotAffected),
                ("14.1-12.35", NotAffected),
            ],
        );
        let c = cve("CVE-2025-5777");
        assert!(c.cvss.is_some(), "cvssMetricV40 read");
        assert!(!c.local, "NetScaler's hole is reached over the network");
        let clfs = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/graded/nvd/CVE-2023-28252.json"
        ))
        .unwrap();
        let clfs = parse(&clfs).unwrap().remove(0);
        assert!(
            clfs.local,
            "Windows CLFS: AV:L, a way to become SYSTEM from inside"
        );
        assert_eq!(cve("CVE-2024-21762").cwes, ["CWE-787"], "weaknesses read");
        assert!(!c.configurations.is_empty());
    }

    #[test]
    fn yamaha_firmware_runs_on_the_hardware_of_its_name() {
        let c = cve("CVE-2020-5548");
        let mut t = target(
            "yamaha",
            "rtx830_firmware",
            Some("15.02.09"),
            Scheme::YamahaRev,
        );
        assert_eq!(
            evaluate(&c, &t),
            Affected,
            "rtx830_firmware runs on the rtx830 the platform condition names"
        );
        t.platform = Some(("yamaha".into(), "rtx1210".into()));
        assert_eq!(evaluate(&c, &t), Affected, "its own name still decides");
        t.platform = Some(("yamaha".into(), "rtx830".into()));
        assert_eq!(evaluate(&c, &t), Affected);
        t.version = Some("15.02.10".into());
        assert_eq!(evaluate(&c, &t), NotAffected);
    }

    #[test]
    fn an_unknown_version_needs_review() {
        let c = cve("CVE-2024-21762");
        assert_eq!(
            evaluate(&c, &target("fortinet", "fortios", None, Scheme::FortiOs)),
            NeedsReview
        );
        assert_eq!(
            evaluate(
                &c,
                &target("fortinet", "fortios", Some("不明"), Scheme::FortiOs)
            ),
            NeedsReview
        );
        assert_eq!(
            evaluate(
                &c,
                &target("cisco", "asa", Some("9.16.4"), Scheme::CiscoAsa)
            ),
            NotAffected,
            "another product"
        );
    }

    #[test]
    fn pages_and_problems() {
        let one = std::fs::read(format!(
            "{}/../../testdata/vuln/nvd/CVE-2018-13379.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let page = format!(
            "{{\"resultsPerPage\":1,\"vulnerabilities\":[{{\"cve\":{}}}]}}",
            String::from_utf8(one).unwrap()
        );
        assert_eq!(parse(page.as_bytes()).unwrap()[0].id, "CVE-2018-13379");
        assert_eq!(parse(b"{\"title\":\"x\"}"), Err(NvdProblem::NotNvd));
        assert!(matches!(
            parse(b"{\"id\": \"CVE-1\", "),
            Err(NvdProblem::Json { .. })
        ));
    }
}
