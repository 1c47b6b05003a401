//! Firmware and software versions as devices and feeds write them, per vendor, and an order
//! over them that says "cannot tell" rather than guess. A version that cannot be compared
//! must surface as 要確認 (needs review), never as "not affected".

use std::cmp::Ordering;

/// One run of a version: digits compare as numbers, letters as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    Num(u64),
    Alpha(String),
}

/// How a vendor writes versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `v7.0.12,build0523 (GA)`, `FortiGate-61F v7.6.0,build3401,240724 (GA.F)`, `7.0.12`: the
    /// three-part version; the build is not in NVD and is ignored.
    FortiOs,
    /// `9.16(4)42` as `9.16.4.42`.
    CiscoAsa,
    /// `9.1R18.2`; NVD writes it as version `9.1` with update `r18.2`.
    PulseSecure,
    /// `13.1-49.15`, `NS13.1: Build 49.15.nc`: train and build, compared as numbers.
    NetScaler,
    /// `7.0.1-5035`, `6.5.4.15-116n`.
    SonicOs,
    /// `Rev.15.02.24`.
    YamahaRev,
    /// Windows builds: `10.0.17763.5458`, `17763.5458`, `OS ビルド 19045.4170` (always read
    /// as `10.0.<build>.<revision>`, as NVD writes them). A release name such as `23H2` is
    /// not a build and does not parse.
    WindowsBuild,
    /// `Ver.10.8.21`, `10.8.21` (NEC UNIVERGE IX).
    NecIx,
    /// Anything else: runs of digits and letters.
    Generic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub parts: Vec<Part>,
    pub scheme: Scheme,
    /// As written, for evidence.
    pub raw: String,
}

/// Digits and letters in runs; everything else separates.
fn runs(s: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    let flush = |cur: &mut String, digits: bool, out: &mut Vec<Part>| {
        if cur.is_empty() {
            return;
        }
        let part = if digits {
            cur.parse::<u64>()
                .map(Part::Num)
                .unwrap_or_else(|_| Part::Alpha(cur.clone()))
        } else {
            Part::Alpha(cur.to_ascii_lowercase())
        };
        out.push(part);
        cur.clear();
    };
    for c in s.chars() {
        if c.is_ascii_digit() || c.is_ascii_alphabetic() {
            let d = c.is_ascii_digit();
            if !cur.is_empty() && d != digits {
                flush(&mut cur, digits, &mut out);
            }
            digits = d;
            cur.push(c);
        } else {
            flush(&mut cur, digits, &mut out);
        }
    }
    flush(&mut cur, digits, &mut out);
    out
}

/// The first `N.N(.N…)` in `s`, as numbers.
/// `10.0.17763.5458` or `17763.5458` → [10, 0, 17763, 5458]; a build number has 5 digits.
fn windows_build(s: &str) -> Option<Vec<Part>> {
    let nums: Vec<u64> = dotted(s)?
        .into_iter()
        .filter_map(|p| match p {
            Part::Num(n) => Some(n),
            Part::Alpha(_) => None,
        })
        .collect();
    let (build, revision) = match nums.as_slice() {
        [10, 0, b, r] => (*b, *r),
        [b, r] => (*b, *r),
        _ => return None,
    };
    (10_000..100_000).contains(&build).then(|| {
        [10, 0, build, revision]
            .into_iter()
            .map(Part::Num)
            .collect()
    })
}

/// Windows' CPE product from the edition written in the ledger and the build.
pub fn windows_product(text: &str, build: &Version) -> Option<String> {
    let b = match build.parts.get(2) {
        Some(Part::Num(b)) => *b,
        _ => return None,
    };
    if text.contains("server") {
        let year = ["2016", "2019", "2022", "2025"]
            .into_iter()
            .find(|y| text.contains(y))?;
        let expected = match year {
            "2016" => 14393,
            "2019" => 17763,
            "2022" => 20348,
            _ => 26100,
        };
        return (b == expected).then(|| format!("windows_server_{year}"));
    }
    let release = |list: &[(u64, &'static str)]| -> Option<&'static str> {
        list.iter().find(|(n, _)| *n == b).map(|(_, r)| *r)
    };
    if text.contains("windows 11") {
        let r = release(&[
            (22000, "21h2"),
            (22621, "22h2"),
            (22631, "23h2"),
            (26100, "24h2"),
        ])?;
        return Some(format!("windows_11_{r}"));
    }
    if text.contains("windows 10") {
        let r = release(&[
            (10240, "1507"),
            (14393, "1607"),
            (17763, "1809"),
            (19044, "21h2"),
            (19045, "22h2"),
        ])?;
        return Some(format!("windows_10_{r}"));
    }
    None
}

fn dotted(s: &str) -> Option<Vec<Part>> {
    let bytes = s.as_bytes();
    for start in 0..bytes.len() {
        if !bytes[start].is_ascii_digit() || (start > 0 && bytes[start - 1].is_ascii_digit()) {
            continue;
        }
        let end = s[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(s.len(), |e| start + e);
        let candidate = s[start..end].trim_end_matches('.');
        if candidate.contains('.') {
            return Some(
                candidate
                    .split('.')
                    .filter_map(|p| p.parse::<u64>().ok())
                    .map(Part::Num)
                    .collect(),
            );
        }
    }
    None
}

impl Version {
    pub fn parse(scheme: Scheme, text: &str) -> Option<Version> {
        let raw = text.trim().to_string();
        let lower = raw.to_ascii_lowercase();
        let parts = match scheme {
            Scheme::FortiOs => {
                // Skip a model prefix such as "FortiGate-61F": take the part after " v" if any.
                let after = lower.rsplit_once(" v").map_or(lower.as_str(), |(_, v)| v);
                let version = after.split(',').next().unwrap_or(after);
                dotted(version.trim_start_matches('v'))?
            }
            Scheme::CiscoAsa => runs(&lower)
                .into_iter()
                .filter(|p| matches!(p, Part::Num(_)))
                .collect(),
            Scheme::PulseSecure => runs(&lower),
            Scheme::NetScaler => runs(lower.trim_start_matches("ns"))
                .into_iter()
                .filter(|p| !matches!(p, Part::Alpha(a) if a == "build" || a == "nc"))
                .collect(),
            Scheme::SonicOs | Scheme::Generic => runs(&lower),
            Scheme::WindowsBuild => windows_build(&lower)?,
            Scheme::NecIx => dotted(lower.trim_start_matches("ver").trim_start_matches('.'))?,
            Scheme::YamahaRev => runs(lower.trim_start_matches("rev")),
        };
        if parts.is_empty() || !matches!(parts.first(), Some(Part::Num(_))) {
            return None;
        }
        Some(Version { parts, scheme, raw })
    }

    /// Compares two versions of one scheme: `None` when they cannot be told apart honestly
    /// (different schemes, a number where the other has letters).
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        if self.scheme != other.scheme {
            return None;
        }
        let len = self.parts.len().max(other.parts.len());
        for i in 0..len {
            let a = self.parts.get(i);
            let b = other.parts.get(i);
            let ord = match (a, b) {
                (Some(Part::Num(x)), Some(Part::Num(y))) => x.cmp(y),
                (Some(Part::Alpha(x)), Some(Part::Alpha(y))) => x.cmp(y),
                // A missing part counts as zero: 7.0 = 7.0.0.
                (Some(Part::Num(x)), None) => x.cmp(&0),
                (None, Some(Part::Num(y))) => 0.cmp(y),
                _ => return None,
            };
            if ord != Ordering::Equal {
                return Some(ord);
            }
        }
        Some(Ordering::Equal)
    }
}

/// NVD's bounds of a range; any may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Range {
    pub start_including: Option<Version>,
    pub start_excluding: Option<Version>,
    pub end_including: Option<Version>,
    pub end_excluding: Option<Version>,
}

impl Range {
    /// Whether `v` lies in the range: `None` when a bound cannot be compared with it.
    pub fn contains(&self, v: &Version) -> Option<bool> {
        let checks = [
            (
                &self.start_including,
                [Ordering::Greater, Ordering::Equal].as_slice(),
            ),
            (&self.start_excluding, [Ordering::Greater].as_slice()),
            (
                &self.end_including,
                [Ordering::Less, Ordering::Equal].as_slice(),
            ),
            (&self.end_excluding, [Ordering::Less].as_slice()),
        ];
        let mut inside = true;
        for (bound, allowed) in checks {
            if let Some(b) = bound {
                let ord = v.compare(b)?;
                inside &= allowed.contains(&ord);
            }
        }
        Some(inside)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_builds_read_with_or_without_the_10_0_prefix_and_release_names_do_not() {
        let v = |t: &str| Version::parse(Scheme::WindowsBuild, t);
        assert_eq!(
            v("10.0.17763.5458"),
            v("17763.5458").map(|mut x| {
                x.raw = "10.0.17763.5458".into();
                x
            })
        );
        let fixed = v("10.0.17763.6414").unwrap();
        assert_eq!(
            v("OS ビルド 17763.5458").unwrap().compare(&fixed),
            Some(Ordering::Less)
        );
        for text in ["23H2", "1809", "Windows Server 2019", ""] {
            assert_eq!(v(text), None, "{text}");
        }
    }
    use proptest::prelude::*;

    fn v(s: Scheme, t: &str) -> Version {
        Version::parse(s, t).unwrap_or_else(|| panic!("{t}"))
    }

    fn range(s: Scheme, si: Option<&str>, ee: Option<&str>, ei: Option<&str>) -> Range {
        Range {
            start_including: si.map(|x| v(s, x)),
            start_excluding: None,
            end_including: ei.map(|x| v(s, x)),
            end_excluding: ee.map(|x| v(s, x)),
        }
    }

    #[test]
    fn what_fortigates_print() {
        let a = v(Scheme::FortiOs, "v7.0.12,build0523 (GA)");
        assert_eq!(a.parts, vec![Part::Num(7), Part::Num(0), Part::Num(12)]);
        assert_eq!(
            v(
                Scheme::FortiOs,
                "FortiGate-61F v7.6.0,build3401,240724 (GA.F)"
            )
            .parts,
            vec![Part::Num(7), Part::Num(6), Part::Num(0)]
        );
        assert_eq!(
            a.compare(&v(Scheme::FortiOs, "7.0.12")),
            Some(Ordering::Equal)
        );
        assert_eq!(Version::parse(Scheme::FortiOs, "不明"), None);
    }

    #[test]
    fn the_reference_vectors() {
        let f = Scheme::FortiOs;
        // CVE-2018-13379: 6.0.0 ≤ v < 6.0.5; 5.6.3 ≤ v < 5.6.8.
        let r60 = range(f, Some("6.0.0"), Some("6.0.5"), None);
        let r56 = range(f, Some("5.6.3"), Some("5.6.8"), None);
        assert_eq!(r60.contains(&v(f, "6.0.4")), Some(true));
        assert_eq!(r60.contains(&v(f, "6.0.11")), Some(false));
        assert_eq!(r56.contains(&v(f, "5.6.2")), Some(false));
        // CVE-2022-42475 uses versionEndIncluding on old trains: 5.6.0 ≤ v ≤ 5.6.14.
        assert_eq!(
            range(f, Some("5.6.0"), None, Some("5.6.14")).contains(&v(f, "5.6.14")),
            Some(true)
        );
        // CVE-2023-4966: a build compared as numbers, 13.1-0 ≤ v < 13.1-49.15; 14.1 train.
        let n = Scheme::NetScaler;
        let r131 = range(n, Some("13.1"), Some("13.1-49.15"), None);
        assert_eq!(r131.contains(&v(n, "13.1-48.47")), Some(true));
        assert_eq!(r131.contains(&v(n, "13.1-49.15")), Some(false));
        let r141 = range(n, Some("14.1"), Some("14.1-8.50"), None);
        assert_eq!(
            r141.contains(&v(n, "14.1-12.35")),
            Some(false),
            "12.35 is after 8.50, not before"
        );
        assert_eq!(
            v(n, "NS13.1: Build 49.15.nc").parts,
            v(n, "13.1-49.15").parts
        );
        // CVE-2019-11510: NVD's 9.0 + update r3.3 folds to 9.0.r3.3.
        let p = Scheme::PulseSecure;
        assert_eq!(
            v(p, "9.0R3.3").compare(&v(p, "9.0.r3.3")),
            Some(Ordering::Equal)
        );
        assert_eq!(
            v(p, "9.0R3.3").compare(&v(p, "9.0R3.4")),
            Some(Ordering::Less)
        );
        // YAMAHA: Rev.15.02.09 and earlier.
        let y = Scheme::YamahaRev;
        assert_eq!(
            range(y, None, None, Some("15.02.09")).contains(&v(y, "Rev.15.02.09")),
            Some(true)
        );
        assert_eq!(
            range(y, None, None, Some("15.02.09")).contains(&v(y, "Rev.15.02.10")),
            Some(false)
        );
        // Cisco ASA: 9.16(4)42 is 9.16.4.42.
        assert_eq!(
            v(Scheme::CiscoAsa, "9.16(4)42").compare(&v(Scheme::CiscoAsa, "9.16.4.42")),
            Some(Ordering::Equal)
        );
        // SonicOS letter suffixes stay comparable with each other.
        let s = Scheme::SonicOs;
        assert_eq!(
            v(s, "6.5.4.15-116n").compare(&v(s, "6.5.4.15.116n")),
            Some(Ordering::Equal)
        );
    }

    #[test]
    fn what_cannot_be_told_apart_says_so() {
        let g = Scheme::Generic;
        assert_eq!(
            v(g, "1.2a").compare(&v(g, "1.2.3")),
            None,
            "letters against a number"
        );
        assert_eq!(
            v(Scheme::FortiOs, "7.0.1").compare(&v(g, "7.0.1")),
            None,
            "two schemes"
        );
        let r = range(g, Some("1.0"), None, Some("1.5"));
        assert_eq!(r.contains(&v(g, "1.beta")), None);
    }

    proptest! {
        #[test]
        fn numeric_versions_order_like_their_numbers(a in proptest::collection::vec(0u64..50, 1..5), b in proptest::collection::vec(0u64..50, 1..5)) {
            let text = |x: &[u64]| x.iter().map(u64::to_string).collect::<Vec<_>>().join(".");
            let va = v(Scheme::Generic, &text(&a));
            let vb = v(Scheme::Generic, &text(&b));
            let pad = |x: &[u64]| { let mut x = x.to_vec(); while x.last() == Some(&0) && x.len() > 1 { x.pop(); } x };
            // Lexicographic order of the zero-trimmed numbers is version order.
            prop_assert_eq!(va.compare(&vb), Some(pad(&a).cmp(&pad(&b))));
            prop_assert_eq!(va.compare(&vb).map(Ordering::reverse), vb.compare(&va));
        }
    }
}
