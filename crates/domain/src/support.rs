//! End of support: the day after which a device's maker ships no more security updates. From
//! the ledger's own date (サポート終了日), else from the bundled table of common operating
//! systems and firmware (`data/end_of_support.tsv`, each line with its source).

use std::sync::OnceLock;

use crate::asset::NewAsset;
use crate::date::Date;
use crate::text::{fold, words};

/// Where a device's end of support comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The date written in the ledger.
    Ledger,
    /// A line of the bundled table: the family it names and the maker's page.
    Table { family: String, source: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndOfSupport {
    pub ends: Date,
    pub source: Source,
}

struct Line {
    family: String,
    words: Vec<String>,
    unless: Vec<String>,
    release: Option<String>,
    ends: Date,
    source: String,
}

const TABLE: &str = include_str!("../data/end_of_support.tsv");

/// The table's lines, or the first line that does not read (a test reads every line).
fn parse(text: &str) -> Result<Vec<Line>, usize> {
    let list = |s: &str| -> Vec<String> {
        if s == "-" {
            Vec::new()
        } else {
            s.split(',').map(|w| fold(w.trim())).collect()
        }
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            let [family, words, unless, release, ends, source] = f.as_slice() else {
                return Err(i + 1);
            };
            Ok(Line {
                family: family.to_string(),
                words: list(words),
                unless: list(unless),
                release: (*release != "-").then(|| fold(release)),
                ends: Date::parse(ends).map_err(|_| i + 1)?,
                source: source.to_string(),
            })
        })
        .collect()
}

fn table() -> &'static [Line] {
    static LINES: OnceLock<Vec<Line>> = OnceLock::new();
    LINES.get_or_init(|| parse(TABLE).unwrap_or_default())
}

/// The Windows release (`23h2`) a text names, or its build stands for.
fn windows_release(text: &str, version: &str) -> Option<String> {
    if let Some(w) = words(text).find(|w| {
        let b = w.as_bytes();
        b.len() == 4 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b'h'
    }) {
        return Some(w.to_string());
    }
    let build = crate::version::Version::parse(crate::version::Scheme::WindowsBuild, version)?;
    let b = match build.parts.get(2) {
        Some(crate::version::Part::Num(b)) => *b,
        _ => return None,
    };
    let r = match b {
        19044 | 22000 => "21h2",
        19045 | 22621 => "22h2",
        22631 => "23h2",
        26100 => "24h2",
        _ => return None,
    };
    Some(r.to_string())
}

/// The leading numbers of a version (`7.0.3 build-21930508` → 7, 0, 3).
fn leading_numbers(version: &str) -> Vec<u64> {
    let start = version.find(|c: char| c.is_ascii_digit());
    let Some(start) = start else {
        return Vec::new();
    };
    version[start..]
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()
        .unwrap_or_default()
        .split('.')
        .map_while(|p| p.parse().ok())
        .collect()
}

fn release_matches(release: &str, text: &str, version: &str) -> bool {
    if release.len() == 4 && release.as_bytes()[2] == b'h' {
        return windows_release(text, version).as_deref() == Some(release);
    }
    let want: Vec<u64> = release.split('.').map_while(|p| p.parse().ok()).collect();
    let have = leading_numbers(version);
    !want.is_empty() && have.len() >= want.len() && have[..want.len()] == want[..]
}

/// A device's end of support: the ledger's date, else the table's first line that names it.
pub fn of(d: &NewAsset) -> Option<EndOfSupport> {
    if let Some(ends) = d.end_of_support {
        return Some(EndOfSupport {
            ends,
            source: Source::Ledger,
        });
    }
    let version = d.os_version.as_deref().unwrap_or_default();
    let text = fold(
        &[
            d.os_name.as_deref(),
            d.model.as_deref(),
            d.os_version.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" "),
    );
    table()
        .iter()
        .find(|l| {
            l.words.iter().all(|w| text.contains(w.as_str()))
                && !l.unless.iter().any(|w| text.contains(w.as_str()))
                && l.release
                    .as_deref()
                    .is_none_or(|r| release_matches(r, &text, version))
        })
        .map(|l| EndOfSupport {
            ends: l.ends,
            source: Source::Table {
                family: l.family.clone(),
                source: l.source.clone(),
            },
        })
}

/// The end of support when it has passed by `today`.
pub fn past(d: &NewAsset, today: Date) -> Option<EndOfSupport> {
    of(d).filter(|e| e.ends < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::AssetKind;

    fn os(name: &str, version: &str) -> NewAsset {
        NewAsset::new(AssetKind::Pc, "x").unwrap().os(name, version)
    }

    fn ends(d: &NewAsset) -> Option<String> {
        of(d).map(|e| e.ends.to_string())
    }

    #[test]
    fn every_line_of_the_table_reads() {
        let lines = parse(TABLE).unwrap();
        assert!(lines.len() >= 25);
        assert!(lines.iter().all(|l| l.source.starts_with("https://")));
        assert_eq!(parse("a\tb\n").err(), Some(1));
    }

    #[test]
    fn families_and_releases() {
        let d = |s: &str| Some(s.to_string());
        assert_eq!(ends(&os("Windows 10 Pro", "22H2")), d("2025-10-14"));
        assert_eq!(
            ends(&os("Windows 10 IoT Enterprise LTSC", "2019")),
            d("2029-01-09")
        );
        assert_eq!(ends(&os("Windows 11 Pro", "23H2")), d("2025-11-11"));
        assert_eq!(
            ends(&os("Windows 11 Pro", "OS ビルド 22631.3880")),
            d("2025-11-11")
        );
        assert_eq!(ends(&os("Windows 11 Enterprise", "22H2")), d("2025-10-14"));
        assert_eq!(
            ends(&os("Windows 11 Pro", "")),
            None,
            "no release: not guessed"
        );
        assert_eq!(
            ends(&os("Windows Server 2012 R2 Standard", "")),
            d("2023-10-10")
        );
        assert_eq!(ends(&os("VMware ESXi", "7.0 Update 3o")), d("2025-10-02"));
        assert_eq!(ends(&os("ESXi", "6.7.0 build-17700523")), d("2022-10-15"));
        assert_eq!(ends(&os("ESXi", "8.0.2")), None);
        assert_eq!(ends(&os("Ubuntu", "22.04 LTS")), None);
        assert_eq!(ends(&os("ＣｅｎｔＯＳ", "7.9.2009")), d("2024-06-30"));
        let mut own = os("Windows 10 Pro", "22H2");
        own.end_of_support = Date::new(2030, 1, 1).ok();
        assert_eq!(of(&own).map(|e| e.source), Some(Source::Ledger));
        let today = Date::new(2026, 12, 3).unwrap();
        assert!(past(&os("Windows 10 Pro", "22H2"), today).is_some());
        assert!(past(&os("Windows Server 2019", ""), today).is_none());
    }
}
