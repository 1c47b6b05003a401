//! JVN iPedia data as MyJVN gives it (vuln-matching.md §1.4): the HND detail document
//! (VULDEF 3.2 XML, `getVulnDetailInfo`), the HND overview / RSS feed (JVNRSS 3.2, RDF), and
//! the OKA overview feed (JSON, `myjvn_feed_1.0`). Unknown elements and keys are ignored;
//! an entry without its JVNDB id is refused by number.

use domain::jvn::{Affected, JvnEntry};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JvnProblem {
    /// Not a JVN document at all.
    NotJvn,
    /// XML broken at this byte.
    Xml { position: u64 },
    /// JSON that does not read, with serde's line and column.
    Json { line: usize, column: usize },
    /// Entry number `index` (1-based) lacks `field` or has it wrong.
    Entry { index: usize, field: &'static str },
    /// Over the parsers' budget (nesting too deep).
    Budget(crate::budget::Exceeded),
}

/// Reads any of the three formats.
pub fn parse(bytes: &[u8]) -> Result<Vec<JvnEntry>, JvnProblem> {
    let text = std::str::from_utf8(bytes).map_err(|e| JvnProblem::Xml {
        position: e.valid_up_to() as u64,
    })?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with('{') {
        crate::budget::xml_depth(text.as_bytes(), &crate::budget::Budget::FEED)
            .map_err(JvnProblem::Budget)?;
    }
    if text.starts_with('{') {
        return oka(text);
    }
    if text.starts_with('<') {
        return xml(text);
    }
    Err(JvnProblem::NotJvn)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The words of an HTML fragment (JVN escapes HTML inside `Overview`).
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[derive(Default)]
struct Building {
    entry: JvnEntry,
    item: Option<Affected>,
}

/// The higher of two scores (JVN may give v2 and v3).
fn higher(a: Option<f32>, b: Option<f32>) -> Option<f32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

fn push_cve(entry: &mut JvnEntry, id: &str) {
    let id = id.trim();
    if id.starts_with("CVE-") && !entry.cves.iter().any(|c| c == id) {
        entry.cves.push(id.to_string());
    }
}

/// Only a web address is kept as a link (never `javascript:` or another scheme from a file).
fn web_link(link: Option<String>) -> Option<String> {
    link.filter(|l| l.starts_with("https://") || l.starts_with("http://"))
}

fn finish(b: Building, out: &mut Vec<JvnEntry>) -> Result<(), JvnProblem> {
    let index = out.len() + 1;
    let mut e = b.entry;
    e.link = web_link(e.link.take());
    if !e.id.starts_with("JVNDB-") {
        return Err(JvnProblem::Entry { index, field: "id" });
    }
    out.push(e);
    Ok(())
}

/// VULDEF 3.2 (`VULDEF-Document` → `Vulinfo`) or JVNRSS 3.2 (`rdf:RDF` → `item`).
fn xml(text: &str) -> Result<Vec<JvnEntry>, JvnProblem> {
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    let mut root: Option<String> = None;
    let mut path: Vec<String> = Vec::new();
    let mut buf = String::new();
    let mut cur: Option<Building> = None;
    loop {
        let event = reader.read_event().map_err(|_| JvnProblem::Xml {
            position: reader.error_position(),
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().as_ref().to_string();
                if root.is_none() {
                    if name != "VULDEF-Document" && name != "RDF" {
                        return Err(JvnProblem::NotJvn);
                    }
                    root = Some(name.clone());
                }
                buf.clear();
                match name.as_str() {
                    "Vulinfo" | "item" => cur = Some(Building::default()),
                    "AffectedItem" => {
                        if let Some(b) = cur.as_mut() {
                            b.item = Some(Affected {
                                vendor: String::new(),
                                product: String::new(),
                                cpe_vendor: None,
                                cpe_product: None,
                                versions: Vec::new(),
                            });
                        }
                    }
                    // JVNRSS: <sec:references source="NVD" id="CVE-…">, <sec:cvss score="7.5">,
                    // <sec:cpe vendor="…" product="…">cpe:/…</sec:cpe>.
                    "references" => {
                        if let (Some(b), Some(id)) = (cur.as_mut(), attr(e, "id")) {
                            push_cve(&mut b.entry, &id);
                        }
                    }
                    "cvss" | "Cvss" => {
                        if let (Some(b), Some(s)) = (cur.as_mut(), attr(e, "score")) {
                            let score = s.parse::<f32>().ok();
                            b.entry.cvss = higher(b.entry.cvss, score);
                        }
                    }
                    "cpe" => {
                        if let Some(b) = cur.as_mut() {
                            b.item = Some(Affected {
                                vendor: attr(e, "vendor").unwrap_or_default(),
                                product: attr(e, "product").unwrap_or_default(),
                                cpe_vendor: None,
                                cpe_product: None,
                                versions: Vec::new(),
                            });
                        }
                    }
                    _ => {}
                }
                if (name == "item" || name == "Vulinfo")
                    && let (Some(b), Some(about)) = (cur.as_mut(), attr(e, "about"))
                {
                    b.entry.link = Some(about);
                }
                if !empty {
                    path.push(name);
                } else if name == "cpe"
                    && let Some(b) = cur.as_mut()
                {
                    // A <sec:cpe/> without a name names nothing.
                    b.item = None;
                }
            }
            Event::Text(t) => buf.push_str(&t.xml10_content()),
            Event::CData(t) => buf.push_str(t.as_ref()),
            Event::GeneralRef(r) => {
                if let Some(c) = entity(&r.xml10_content()) {
                    buf.push(c);
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_string();
                path.pop();
                let parent = path.last().map(String::as_str).unwrap_or_default();
                let value = buf.trim().to_string();
                buf.clear();
                let Some(b) = cur.as_mut() else {
                    continue;
                };
                match (parent, name.as_str()) {
                    ("Vulinfo", "VulinfoID") | (_, "identifier") => b.entry.id = value,
                    ("VulinfoData", "Title") | ("item", "title") => b.entry.title = value,
                    ("VulinfoDescription", "Overview") | ("item", "description") => {
                        b.entry.overview = plain(&value)
                    }
                    ("RelatedItem", "VulinfoID") => {
                        if value.starts_with("CWE-") {
                            if !b.entry.cwes.contains(&value) {
                                b.entry.cwes.push(value);
                            }
                        } else {
                            push_cve(&mut b.entry, &value);
                        }
                    }
                    (_, "DateLastUpdated") | (_, "modified") => b.entry.modified = value,
                    (_, "issued") | (_, "DateFirstPublished") if b.entry.modified.is_empty() => {
                        b.entry.modified = value
                    }
                    ("Cvss", "Base") => {
                        let score = value.parse::<f32>().ok();
                        b.entry.cvss = higher(b.entry.cvss, score);
                    }
                    ("item", "link") => b.entry.link = Some(value),
                    ("AffectedItem", "Name") => {
                        if let Some(i) = b.item.as_mut() {
                            i.vendor = value;
                        }
                    }
                    ("AffectedItem", "ProductName") => {
                        if let Some(i) = b.item.as_mut() {
                            i.product = value;
                        }
                    }
                    ("AffectedItem", "Cpe") => {
                        if let Some(i) = b.item.as_mut() {
                            i.set_cpe(&value);
                        }
                    }
                    ("AffectedItem", "VersionNumber") => {
                        if let Some(i) = b.item.as_mut()
                            && !value.is_empty()
                        {
                            i.versions.push(value);
                        }
                    }
                    (_, "cpe") => {
                        if let Some(mut i) = b.item.take() {
                            i.set_cpe(&value);
                            b.entry.affected.push(i);
                        }
                    }
                    (_, "AffectedItem") => {
                        if let Some(i) = b.item.take() {
                            b.entry.affected.push(i);
                        }
                    }
                    (_, "Vulinfo") | (_, "item") => {
                        if let Some(b) = cur.take() {
                            finish(b, &mut out)?;
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => {
                if !path.is_empty() {
                    // Cut short: the last entry would be lost without a word.
                    return Err(JvnProblem::Xml {
                        position: text.len() as u64,
                    });
                }
                break;
            }
            _ => {}
        }
    }
    if root.is_none() {
        return Err(JvnProblem::NotJvn);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct OkaFeed {
    feed: OkaBody,
}

#[derive(Deserialize)]
struct OkaBody {
    #[serde(default)]
    entry: Vec<OkaEntry>,
}

#[derive(Deserialize)]
struct OkaEntry {
    #[serde(default)]
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    link: Option<serde_json::Value>,
    #[serde(default)]
    modified: String,
    #[serde(default)]
    created: String,
    #[serde(default)]
    references: Vec<serde_json::Value>,
    #[serde(default)]
    products: Vec<OkaProduct>,
    #[serde(default)]
    metrics: Vec<serde_json::Value>,
    #[serde(default)]
    cwes: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct OkaProduct {
    #[serde(default)]
    vname: String,
    #[serde(default)]
    pname: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    product_ids: Option<OkaIds>,
}

#[derive(Deserialize)]
struct OkaIds {
    #[serde(default)]
    cpe: Option<String>,
}

/// Every string inside a JSON value (references carry the CVE id under varying keys).
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// OKA's range strings (`<2.0`, `>=2.9|<=4.1`) in the words `jvn::constraint` reads; a
/// strict lower bound (`>1.0`) stays as given and reads as "needs review".
fn oka_range(v: &str) -> String {
    let parts: Vec<&str> = v.split('|').map(str::trim).collect();
    let word = |p: &str| -> Option<String> {
        if let Some(x) = p.strip_prefix("<=") {
            Some(format!("{x}以下"))
        } else if let Some(x) = p.strip_prefix('<') {
            Some(format!("{x}未満"))
        } else if let Some(x) = p.strip_prefix(">=") {
            Some(format!("{x}以上"))
        } else if p.starts_with('>') {
            None
        } else {
            Some(p.to_string())
        }
    };
    match parts.as_slice() {
        [one] => word(one).unwrap_or_else(|| v.to_string()),
        [low, high] if low.starts_with(">=") && high.starts_with('<') => {
            match (word(low), word(high)) {
                (Some(l), Some(h)) => format!("{l} {h}"),
                _ => v.to_string(),
            }
        }
        _ => v.to_string(),
    }
}

fn oka(text: &str) -> Result<Vec<JvnEntry>, JvnProblem> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| JvnProblem::Json {
        line: e.line(),
        column: e.column(),
    })?;
    if value.get("feed").is_none() {
        return Err(JvnProblem::NotJvn);
    }
    let feed: OkaFeed = serde_json::from_value(value).map_err(|_| JvnProblem::NotJvn)?;
    let mut out = Vec::new();
    for (i, e) in feed.feed.entry.into_iter().enumerate() {
        if !e.id.starts_with("JVNDB-") {
            return Err(JvnProblem::Entry {
                index: i + 1,
                field: "id",
            });
        }
        let mut entry = JvnEntry {
            id: e.id,
            title: e.title,
            overview: plain(&e.summary),
            modified: if e.modified.is_empty() {
                e.created
            } else {
                e.modified
            },
            link: e.link.as_ref().and_then(|l| {
                let mut s = Vec::new();
                strings(l, &mut s);
                web_link(s.into_iter().find(|x| x.starts_with("http")))
            }),
            ..JvnEntry::default()
        };
        let mut cwes = Vec::new();
        e.cwes.iter().for_each(|c| strings(c, &mut cwes));
        entry.cwes = cwes.into_iter().filter(|c| c.starts_with("CWE-")).collect();
        let mut refs = Vec::new();
        e.references.iter().for_each(|r| strings(r, &mut refs));
        for r in refs {
            let id = r.rsplit('/').next().unwrap_or(&r);
            push_cve(&mut entry, id);
        }
        for m in &e.metrics {
            let mut found = Vec::new();
            numbers(m, &mut found);
            entry.cvss = higher(entry.cvss, found.into_iter().reduce(f32::max));
        }
        for p in e.products {
            let mut item = Affected {
                vendor: p.vname,
                product: p.pname,
                cpe_vendor: None,
                cpe_product: None,
                versions: p.version.iter().map(|v| oka_range(v)).collect(),
            };
            if let Some(cpe) = p.product_ids.and_then(|i| i.cpe) {
                item.set_cpe(&cpe);
            }
            entry.affected.push(item);
        }
        out.push(entry);
    }
    Ok(out)
}

/// `baseScore` values inside an OKA metric.
fn numbers(v: &serde_json::Value, out: &mut Vec<f32>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                if k == "baseScore"
                    && let Some(n) = x.as_f64()
                {
                    out.push(n as f32);
                } else {
                    numbers(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| numbers(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../testdata/vuln/jvn/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn vuldef_detail_with_japanese_versions_and_escaped_html() {
        let list = parse(&fixture("vuldef-aterm.xml")).unwrap();
        assert_eq!(list.len(), 1);
        let e = &list[0];
        assert_eq!(e.id, "JVNDB-2025-001234");
        assert!(e.title.contains("Aterm"));
        assert!(
            !e.overview.contains('<') && e.overview.contains("認証"),
            "{}",
            e.overview
        );
        assert_eq!(e.cves, ["CVE-2025-0354", "CVE-2025-0355", "CVE-2025-0356"]);
        assert_eq!(e.cvss, Some(8.8));
        assert_eq!(e.cwes, ["CWE-78"], "a related CWE is not a CVE");
        assert_eq!(e.modified, "2025-02-14T15:30+09:00");
        let a = &e.affected[0];
        assert_eq!(a.vendor, "日本電気");
        assert_eq!(a.cpe_vendor.as_deref(), Some("nec"));
        assert_eq!(a.cpe_product.as_deref(), Some("aterm_gb1200pe_firmware"));
        assert_eq!(
            a.versions,
            [
                "Ver.1.3.0より前のバージョン（CVE-2025-0355）",
                "Ver.1.2.2およびそれ以前（CVE-2025-0354, CVE-2025-0356）"
            ]
        );
        assert!(
            e.affected[1].versions.is_empty(),
            "an empty <VersionNumber />"
        );
    }

    #[test]
    fn jvnrss_overview_and_oka_feed() {
        let rss = parse(&fixture("jvnrss.rdf")).unwrap();
        assert_eq!(rss.len(), 2);
        assert_eq!(rss[0].id, "JVNDB-2023-028579");
        assert_eq!(rss[0].cves, ["CVE-2023-29001"]);
        assert_eq!(rss[0].modified, "2025-04-11T23:52+09:00");
        assert_eq!(
            rss[0].affected[0].cpe_product.as_deref(),
            Some("contiki-ng")
        );
        assert_eq!(rss[0].cvss, Some(7.5));
        let oka = parse(&fixture("oka-feed.json")).unwrap();
        assert_eq!(oka.len(), 1);
        assert_eq!(oka[0].cves, ["CVE-2024-12345"]);
        assert_eq!(oka[0].affected[0].versions, ["2.9以上 4.1以下"]);
        assert_eq!(oka[0].affected[0].cpe_vendor.as_deref(), Some("buffalo"));
        assert_eq!(oka[0].cwes, ["CWE-78"]);
    }

    #[test]
    fn a_link_that_is_not_a_web_address_is_dropped() {
        let xml = br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:sec="http://jvn.jp/rss/mod_sec/3.0/"><item rdf:about="javascript:alert(1)"><title>x</title><sec:identifier>JVNDB-2025-000001</sec:identifier></item></rdf:RDF>"#;
        let list = parse(xml).unwrap();
        assert_eq!(list[0].link, None);
    }

    #[test]
    fn what_is_not_jvn_says_so() {
        assert_eq!(parse(b"hello"), Err(JvnProblem::NotJvn));
        assert_eq!(parse(b"<nmaprun></nmaprun>"), Err(JvnProblem::NotJvn));
        assert_eq!(
            parse(br#"{"vulnerabilities": []}"#),
            Err(JvnProblem::NotJvn)
        );
        assert!(
            matches!(
                parse(b"<VULDEF-Document><Vulinfo><VulinfoID>JVNDB-2025-000001</VulinfoID>"),
                Err(JvnProblem::Xml { .. })
            ),
            "a cut file is refused, not read short"
        );
        let no_id = br#"<VULDEF-Document><Vulinfo><VulinfoData><Title>x</Title></VulinfoData></Vulinfo></VULDEF-Document>"#;
        assert_eq!(
            parse(no_id),
            Err(JvnProblem::Entry {
                index: 1,
                field: "id"
            })
        );
    }
}
