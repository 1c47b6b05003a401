//! The KEV catalog as CISA publishes it: JSON (`catalogVersion`, `vulnerabilities[]`) or CSV
//! (the same columns, `cwes` as one comma-separated string). Unknown keys are ignored;
//! missing optional ones are empty.

use domain::Date;
use domain::kev::{KevCatalog, KevEntry};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KevProblem {
    /// Not KEV JSON or CSV at all.
    NotKev,
    /// JSON that does not read, with serde's line and column.
    Json { line: usize, column: usize },
    /// Entry number `index` (1-based) or CSV line has a bad `field`.
    Entry {
        index: usize,
        field: &'static str,
        value: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonCatalog {
    catalog_version: Option<String>,
    vulnerabilities: Vec<JsonEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
    #[serde(default)]
    vendor_project: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    vulnerability_name: String,
    date_added: String,
    #[serde(default)]
    short_description: String,
    #[serde(default)]
    required_action: String,
    #[serde(default)]
    due_date: Option<String>,
    #[serde(default)]
    known_ransomware_campaign_use: Option<String>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    cwes: Vec<String>,
}

struct Raw<'a> {
    cve: &'a str,
    vendor_project: &'a str,
    product: &'a str,
    name: &'a str,
    date_added: &'a str,
    description: &'a str,
    required_action: &'a str,
    due_date: Option<&'a str>,
    ransomware: Option<&'a str>,
    notes: &'a str,
    cwes: Vec<String>,
}

fn entry(index: usize, r: Raw<'_>) -> Result<KevEntry, KevProblem> {
    let bad = |field: &'static str, value: &str| KevProblem::Entry {
        index,
        field,
        value: value.to_string(),
    };
    let cve = r.cve.trim();
    if !cve.starts_with("CVE-") || cve.len() < 9 {
        return Err(bad("cveID", cve));
    }
    let date_added = Date::parse(r.date_added).map_err(|_| bad("dateAdded", r.date_added))?;
    let due_date = match r.due_date.map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => Some(Date::parse(d).map_err(|_| bad("dueDate", d))?),
    };
    Ok(KevEntry {
        cve: cve.to_string(),
        vendor_project: r.vendor_project.trim().to_string(),
        product: r.product.trim().to_string(),
        name: r.name.trim().to_string(),
        date_added,
        description: r.description.trim().to_string(),
        required_action: r.required_action.trim().to_string(),
        due_date,
        ransomware: r
            .ransomware
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("known")),
        notes: r.notes.trim().to_string(),
        cwes: r.cwes,
    })
}

pub fn parse(bytes: &[u8]) -> Result<KevCatalog, KevProblem> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| KevProblem::NotKev)?;
    let start = text.trim_start();
    if start.starts_with('{') {
        return parse_json(text);
    }
    if start.starts_with("cveID,") {
        return parse_csv(text);
    }
    Err(KevProblem::NotKev)
}

fn parse_json(text: &str) -> Result<KevCatalog, KevProblem> {
    let c: JsonCatalog = serde_json::from_str(text).map_err(|e| {
        if e.is_data() && !text.contains("\"vulnerabilities\"") {
            KevProblem::NotKev
        } else {
            KevProblem::Json {
                line: e.line(),
                column: e.column(),
            }
        }
    })?;
    let mut entries = Vec::with_capacity(c.vulnerabilities.len());
    for (i, v) in c.vulnerabilities.iter().enumerate() {
        entries.push(entry(
            i + 1,
            Raw {
                cve: &v.cve_id,
                vendor_project: &v.vendor_project,
                product: &v.product,
                name: &v.vulnerability_name,
                date_added: &v.date_added,
                description: &v.short_description,
                required_action: &v.required_action,
                due_date: v.due_date.as_deref(),
                ransomware: v.known_ransomware_campaign_use.as_deref(),
                notes: &v.notes,
                cwes: v.cwes.clone(),
            },
        )?);
    }
    let version = c.catalog_version.unwrap_or_else(|| newest(&entries));
    Ok(KevCatalog { version, entries })
}

fn newest(entries: &[KevEntry]) -> String {
    entries
        .iter()
        .map(|e| e.date_added)
        .max()
        .map(|d| format!("{:04}.{:02}.{:02}", d.year(), d.month(), d.day()))
        .unwrap_or_default()
}

fn parse_csv(text: &str) -> Result<KevCatalog, KevProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| KevProblem::NotKev)?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(cve), Some(added)) = (col("cveID"), col("dateAdded")) else {
        return Err(KevProblem::NotKev);
    };
    let idx = |name: &str| col(name);
    let mut entries = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|_| KevProblem::Entry {
            index: line,
            field: "row",
            value: String::new(),
        })?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
        let cwes = get(idx("cwes"))
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        entries.push(entry(
            line,
            Raw {
                cve: get(Some(cve)),
                vendor_project: get(idx("vendorProject")),
                product: get(idx("product")),
                name: get(idx("vulnerabilityName")),
                date_added: get(Some(added)),
                description: get(idx("shortDescription")),
                required_action: get(idx("requiredAction")),
                due_date: Some(get(idx("dueDate"))),
                ransomware: Some(get(idx("knownRansomwareCampaignUse"))),
                notes: get(idx("notes")),
                cwes,
            },
        )?);
    }
    let version = newest(&entries);
    Ok(KevCatalog { version, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../testdata/vuln/kev/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn json_and_csv_say_the_same() {
        let json = parse(&fixture("known_exploited_vulnerabilities.json")).unwrap();
        let csv = parse(&fixture("known_exploited_vulnerabilities.csv")).unwrap();
        assert_eq!(json.version, "2025.08.25");
        assert_eq!(json.entries.len(), 1404);
        assert_eq!(json.entries.iter().filter(|e| e.ransomware).count(), 293);
        assert_eq!(csv.entries.len(), 1404);
        assert_eq!(csv.version, "2025.08.25", "the newest dateAdded");
        let j = json
            .entries
            .iter()
            .find(|e| e.cve == "CVE-2025-48384")
            .unwrap();
        let c = csv
            .entries
            .iter()
            .find(|e| e.cve == "CVE-2025-48384")
            .unwrap();
        assert_eq!(j, c);
        assert_eq!(c.cwes, vec!["CWE-59".to_string(), "CWE-436".to_string()]);
    }

    #[test]
    fn the_january_catalog_diffs_as_cisa_changed_it() {
        let old = parse(&fixture("known_exploited_vulnerabilities.2025-01-24.json")).unwrap();
        let new = parse(&fixture("known_exploited_vulnerabilities.json")).unwrap();
        let d = domain::kev::diff(&old.entries, &new.entries);
        assert_eq!(d.added.len(), 152);
        assert_eq!(d.changed.len(), 49);
        let flipped: Vec<&String> = d
            .now_ransomware
            .iter()
            .filter(|c| !d.added.contains(c))
            .collect();
        assert_eq!(flipped.len(), 35);
        assert!(
            flipped.iter().any(|c| *c == "CVE-2022-42475")
                && flipped.iter().any(|c| *c == "CVE-2024-21762")
        );
    }

    #[test]
    fn what_is_not_kev() {
        assert_eq!(parse(b"<html/>"), Err(KevProblem::NotKev));
        assert_eq!(parse(b"{\"hello\": 1}"), Err(KevProblem::NotKev));
        assert!(matches!(
            parse(b"{\"vulnerabilities\": [ {\"cveID\": 5} ]}"),
            Err(KevProblem::Json { .. })
        ));
        let bad = br#"{"vulnerabilities": [{"cveID": "CVE-2024-1", "dateAdded": "2024-13-01"}]}"#;
        assert!(matches!(
            parse(bad),
            Err(KevProblem::Entry {
                index: 1,
                field: "cveID",
                ..
            }) | Err(KevProblem::Entry {
                index: 1,
                field: "dateAdded",
                ..
            })
        ));
    }
}
