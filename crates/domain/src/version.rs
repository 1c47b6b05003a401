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
    /// VMware ESXi: `7.0 Update 3o`, `7.0U3o`, `ESXi 8.0 Update 3c`, `VMware ESXi 7.0.3
    /// build-21930508`; NVD writes the update in its own component (`update_3o`).
    Esxi,
    /// VMware vCenter Server: `7.0 U1a`, `6.7 Update 3l` (NVD: `update1a`, or a letter).
    VCenter,
    /// Microsoft Exchange Server: `Exchange Server 2019 CU12`, or a build `15.2.1118.40`
    /// (read as its release and cumulative update; NVD: `2019` + `cumulative_update_12`).
    Exchange,
    /// PAN-OS: `10.2.9-h1` (NVD: `10.2.9` + `h1`; no hotfix is `-`).
    PanOs,
    /// Anything else: the leading dotted numbers (`Rel.AG.9.4.0.481` → 9.4.0.481,
    /// `V5.21(ABUI.1)` → 5.21), a numeric build after `-` (`7.1.1-42962`), and a suffix as
    /// the update (`1.4.4_Beta` → beta, `16.12.10a` → a).
    Generic,
}

/// The release component of a version, where NVD writes one (`update` in the CPE name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Update {
    /// The scheme has none: any update of a CPE name matches.
    Any,
    /// The scheme has one but the text does not say it.
    Unknown,
    /// The plain release (`-` in NVD).
    Ga,
    /// A named one, lower case (`update_3o`, `cumulative_update_12`, `h1`, `r3.3`, `beta`).
    Named(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub parts: Vec<Part>,
    pub scheme: Scheme,
    /// As written, for evidence.
    pub raw: String,
    pub update: Update,
}

/// The text from its first digit (`Rev.14.01.33` → `14.01.33`).
fn from_digit(s: &str) -> Option<&str> {
    s.find(|c: char| c.is_ascii_digit()).map(|i| &s[i..])
}

/// Leading `N.N.N` numbers and the rest.
fn leading(s: &str) -> (Vec<u64>, &str) {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let nums: Vec<u64> = s[..end].split('.').map_while(|p| p.parse().ok()).collect();
    (nums, &s[end..])
}

fn nums(list: Vec<u64>) -> Vec<Part> {
    list.into_iter().map(Part::Num).collect()
}

/// Words that mark a release before the plain one.
fn pre_release(u: &str) -> bool {
    ["alpha", "beta", "rc", "pre", "dev"]
        .iter()
        .any(|w| u.starts_with(w))
}

/// See `Scheme::Generic`.
fn generic(lower: &str) -> Option<(Vec<Part>, Update)> {
    let s = from_digit(lower)?;
    let core_end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '(' | ','))
        .unwrap_or(s.len());
    let (core, after) = s.split_at(core_end);
    let (mut list, mut rest) = leading(core);
    if list.is_empty() {
        return None;
    }
    // A build after `-` or `_`: `7.1.1-42962`, `10.2.0.2-20sv`.
    while let Some(r) = rest.strip_prefix(['-', '_'])
        && r.starts_with(|c: char| c.is_ascii_digit())
    {
        let (more, r2) = leading(r);
        list.extend(more);
        rest = r2;
    }
    let suffix = rest.trim_matches(|c: char| matches!(c, '-' | '_' | '.'));
    let update = if !suffix.is_empty() {
        Update::Named(suffix.to_string())
    } else {
        // A patch written after a space: `11.0.1.1261 P20220302`.
        match after.split_whitespace().next() {
            Some(w)
                if w.chars().all(|c| c.is_ascii_alphanumeric())
                    && w.starts_with(|c: char| c.is_ascii_alphabetic())
                    && w.chars().any(|c| c.is_ascii_digit()) =>
            {
                Update::Named(w.to_string())
            }
            _ => Update::Ga,
        }
    };
    Some((nums(list), update))
}

/// `update 3o`, `update_3o`, `u3o` in an ESXi or vCenter text: the number and letter.
fn vmware_update(s: &str) -> Option<String> {
    let i = s.find("update").map(|i| i + "update".len()).or_else(|| {
        // `7.0u3o`, `7.0 u3o`
        let b = s.as_bytes();
        (0..b.len())
            .find(|&i| {
                b[i] == b'u'
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                    && (i == 0 || b[i - 1].is_ascii_digit() || b[i - 1] == b' ')
            })
            .map(|i| i + 1)
    })?;
    let tail = s[i..].trim_start_matches([' ', '_']);
    let word: String = tail
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    word.starts_with(|c: char| c.is_ascii_digit())
        .then_some(word)
}

fn vmware(lower: &str, underscore: bool) -> Option<(Vec<Part>, Update)> {
    let s = from_digit(lower)?;
    let (mut list, rest) = leading(s);
    if let [n @ 10..=99] = list.as_slice() {
        // The image name `ESXi70U3o`: 7.0 Update 3o.
        list = vec![n / 10, n % 10];
    }
    if list.is_empty() {
        return None;
    }
    if underscore && vmware_update(rest).is_none() && list.len() >= 3 {
        // `7.0.3 build-21930508`: Update 3, its letter unknown.
        let u = list.get(2).copied().unwrap_or_default();
        let base = list.iter().take(2).copied().collect();
        return Some((nums(base), Update::Named(format!("update_{u}*"))));
    }
    let update = match vmware_update(rest) {
        Some(u) if underscore => Update::Named(format!("update_{u}")),
        Some(u) => Update::Named(format!("update{u}")),
        None => {
            // A letter right after the version (`8.0b`, `6.5 a`), or nothing said.
            let letter = rest.trim_start();
            match letter.as_bytes() {
                [c] if c.is_ascii_lowercase() => Update::Named((*c as char).to_string()),
                [c, b' ', ..] if c.is_ascii_lowercase() => Update::Named((*c as char).to_string()),
                _ => Update::Unknown,
            }
        }
    };
    Some((nums(list), update))
}

/// Exchange Server's release and cumulative update, from the text or its build number
/// (Microsoft's "Exchange Server build numbers": the third part names the CU).
fn exchange(lower: &str) -> Option<(Vec<Part>, Update)> {
    /// Minor version, release year, and (build, cumulative update) pairs.
    type Cus = &'static [(u64, u64, &'static [(u64, u64)])];
    const CUS: Cus = &[
        (0, 2013, &[(1395, 21), (1473, 22), (1497, 23)]),
        (
            1,
            2016,
            &[
                (1415, 8),
                (1466, 9),
                (1531, 10),
                (1591, 11),
                (1713, 12),
                (1779, 13),
                (1847, 14),
                (1913, 15),
                (1979, 16),
                (2044, 17),
                (2106, 18),
                (2176, 19),
                (2242, 20),
                (2308, 21),
                (2375, 22),
                (2507, 23),
            ],
        ),
        (
            2,
            2019,
            &[
                (330, 1),
                (397, 2),
                (464, 3),
                (529, 4),
                (595, 5),
                (659, 6),
                (721, 7),
                (792, 8),
                (858, 9),
                (922, 10),
                (986, 11),
                (1118, 12),
                (1258, 13),
                (1544, 14),
                (1748, 15),
            ],
        ),
    ];
    let cu_word = |s: &str| -> Option<u64> {
        let i = s
            .find("cumulative_update_")
            .map(|i| i + "cumulative_update_".len())
            .or_else(|| s.find("cu").map(|i| i + 2))?;
        let d: String = s[i..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        d.parse().ok()
    };
    let year = ["2010", "2013", "2016", "2019"]
        .into_iter()
        .find(|y| lower.contains(y))
        .and_then(|y| y.parse::<u64>().ok());
    if let Some(pos) = lower.find("15.") {
        let (b, _) = leading(&lower[pos..]);
        if let [15, minor, build, ..] = b.as_slice()
            && let Some((_, y, list)) = CUS.iter().find(|(m, ..)| m == minor)
        {
            let update = list
                .iter()
                .find(|(n, _)| n == build)
                .map_or(Update::Unknown, |(_, cu)| {
                    Update::Named(format!("cumulative_update_{cu}"))
                });
            return Some((vec![Part::Num(*y)], update));
        }
    }
    let year = year?;
    // Exchange 2010 names service packs (`sp3`), later releases cumulative updates.
    let sp = lower
        .find("sp")
        .and_then(|i| lower[i + 2..].chars().next().filter(char::is_ascii_digit))
        .filter(|_| year == 2010);
    let update = match sp {
        Some(n) => Update::Named(format!("sp{n}")),
        None => cu_word(lower).map_or(Update::Unknown, |cu| {
            Update::Named(format!("cumulative_update_{cu}"))
        }),
    };
    Some((vec![Part::Num(year)], update))
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

/// Builds of Windows before 10 (NT 6.x) that name a release, and its service pack.
const LEGACY: &[(u64, u64, u64, Option<&str>)] = &[
    (6001, 6, 0, Some("sp1")),
    (6002, 6, 0, Some("sp2")),
    (6003, 6, 0, Some("sp2")),
    (7600, 6, 1, None),
    (7601, 6, 1, Some("sp1")),
    (9200, 6, 2, None),
    (9600, 6, 3, None),
];

/// The first `N.N(.N…)` in `s`, as numbers.
/// `10.0.17763.5458` or `17763.5458` → [10, 0, 17763, 5458]; a build number has 5 digits.
/// Before Windows 10: `6.1.7601`, `バージョン 6.1 (ビルド 7601: Service Pack 1)` → [6, 1,
/// 7601, 0] with its service pack as the update.
fn windows_build(s: &str) -> Option<(Vec<Part>, Update)> {
    let nums: Vec<u64> = dotted(s)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p {
            Part::Num(n) => Some(n),
            Part::Alpha(_) => None,
        })
        .collect();
    let modern = match nums.as_slice() {
        [10, 0, b, r] => Some((*b, *r)),
        [b, r] => Some((*b, *r)),
        _ => None,
    };
    if let Some((build, revision)) = modern
        && (10_000..100_000).contains(&build)
    {
        return Some((nums_of(&[10, 0, build, revision]), Update::Any));
    }
    // A legacy build anywhere in the text.
    let found = s
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse::<u64>().ok())
        .find_map(|n| LEGACY.iter().find(|(b, ..)| *b == n))?;
    let (build, major, minor, sp) = *found;
    let update = sp.map_or(Update::Ga, |p| Update::Named(p.to_string()));
    Some((nums_of(&[major, minor, build, 0]), update))
}

fn nums_of(list: &[u64]) -> Vec<Part> {
    list.iter().copied().map(Part::Num).collect()
}

/// Windows' CPE product from the edition written in the ledger and the build, and for the
/// releases before Windows 10 the CPE version that names them (`-`, or `r2` for Server 2008
/// R2 and 2012 R2).
pub fn windows_product(text: &str, build: &Version) -> Option<(String, Option<String>)> {
    let b = match build.parts.get(2) {
        Some(Part::Num(b)) => *b,
        _ => return None,
    };
    let r2 = text.contains("r2");
    let legacy =
        |product: &str, release: &str| Some((product.to_string(), Some(release.to_string())));
    if b < 10_000 {
        return match b {
            7600 | 7601 if text.contains("server 2008") && r2 => {
                legacy("windows_server_2008", "r2")
            }
            7600 | 7601 if text.contains("windows 7") => legacy("windows_7", "-"),
            6001..=6003 if text.contains("server 2008") && !r2 => {
                legacy("windows_server_2008", "-")
            }
            9600 if text.contains("server 2012") && r2 => legacy("windows_server_2012", "r2"),
            9200 if text.contains("server 2012") && !r2 => legacy("windows_server_2012", "-"),
            9600 if text.contains("windows 8.1") => legacy("windows_8.1", "-"),
            _ => None,
        };
    }
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
        return (b == expected).then(|| (format!("windows_server_{year}"), None));
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
            (26200, "25h2"),
        ])?;
        return Some((format!("windows_11_{r}"), None));
    }
    if text.contains("windows 10") {
        let r = release(&[
            (10240, "1507"),
            (10586, "1511"),
            (14393, "1607"),
            (15063, "1703"),
            (16299, "1709"),
            (17134, "1803"),
            (17763, "1809"),
            (18362, "1903"),
            (18363, "1909"),
            (19041, "2004"),
            (19042, "20h2"),
            (19043, "21h1"),
            (19044, "21h2"),
            (19045, "22h2"),
        ])?;
        return Some((format!("windows_10_{r}"), None));
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
        let lower = crate::text::fold(&raw);
        let mut update = Update::Any;
        let parts = match scheme {
            Scheme::FortiOs => {
                // Skip a model prefix such as "FortiGate-61F": take the part after " v" if any.
                let after = lower.rsplit_once(" v").map_or(lower.as_str(), |(_, v)| v);
                let version = after.split(',').next().unwrap_or(after);
                dotted(version.trim_start_matches('v'))?
            }
            Scheme::CiscoAsa => runs(from_digit(&lower)?)
                .into_iter()
                .filter(|p| matches!(p, Part::Num(_)))
                .collect(),
            Scheme::PulseSecure => {
                // `9.1R18.2`: 9.1 with release r18.2.
                let s = from_digit(&lower)?;
                let (list, rest) = leading(s);
                let rest = rest.trim_start_matches(['.', '-', ' ']);
                update = if rest.starts_with('r') {
                    Update::Named(rest.split_whitespace().next().unwrap_or(rest).to_string())
                } else {
                    Update::Unknown
                };
                nums(list)
            }
            Scheme::NetScaler => runs(from_digit(lower.trim_start_matches("ns"))?)
                .into_iter()
                .filter(|p| !matches!(p, Part::Alpha(a) if a == "build" || a == "nc"))
                .collect(),
            Scheme::SonicOs => runs(from_digit(&lower)?),
            Scheme::Generic => {
                let (p, u) = generic(&lower)?;
                update = u;
                p
            }
            Scheme::PanOs => {
                let s = from_digit(&lower)?;
                let (list, rest) = leading(s);
                update = match rest.trim_start_matches(['-', ' ']) {
                    h if h.starts_with('h') && h[1..].starts_with(|c: char| c.is_ascii_digit()) => {
                        Update::Named(h.chars().take_while(char::is_ascii_alphanumeric).collect())
                    }
                    "" => Update::Ga,
                    _ => Update::Unknown,
                };
                nums(list)
            }
            Scheme::Esxi | Scheme::VCenter => {
                let (p, u) = vmware(&lower, scheme == Scheme::Esxi)?;
                update = u;
                p
            }
            Scheme::Exchange => {
                let (p, u) = exchange(&lower)?;
                update = u;
                p
            }
            Scheme::WindowsBuild => {
                let (p, u) = windows_build(&lower)?;
                update = u;
                p
            }
            Scheme::NecIx => dotted(lower.trim_start_matches("ver").trim_start_matches('.'))?,
            Scheme::YamahaRev => runs(from_digit(&lower)?),
        };
        if parts.is_empty() || !matches!(parts.first(), Some(Part::Num(_))) {
            return None;
        }
        Some(Version {
            parts,
            scheme,
            raw,
            update,
        })
    }

    /// A record's version and update (CPE `version` and `update` components).
    pub fn parse_cpe(scheme: Scheme, version: &str, update: &str) -> Option<Version> {
        let mut v = Version::parse(scheme, version)?;
        v.update = match update {
            "*" | "" => Update::Any,
            "-" => Update::Ga,
            u => Update::Named(u.to_lowercase()),
        };
        Some(v)
    }

    /// The orderings the versions a device may run have against a record's `bound`: the
    /// lowest and the highest. A device written as a train (`7.0` against `7.0.14`) may run
    /// any 7.0.x: from below the bound to above it. `None` when they cannot be compared.
    pub fn against(&self, bound: &Version) -> Option<(Ordering, Ordering)> {
        if self.scheme != bound.scheme {
            return None;
        }
        let n = self.parts.len();
        // Only a short version is a train (`7.0`, `10.2`); `6.6.0` is 6.6.0.0.
        if n <= 2 && bound.parts.len() > n && self.parts[..] == bound.parts[..n] {
            let mut low = self.parts.clone();
            low.resize(bound.parts.len(), Part::Num(0));
            let lo = Version {
                parts: low,
                ..self.clone()
            }
            .compare(bound)?;
            return Some((lo, Ordering::Greater));
        }
        let ord = self.compare(bound)?;
        if ord != Ordering::Equal {
            return Some((ord, ord));
        }
        // The same numbers: the releases decide where both say one.
        let by_update = match (&self.update, &bound.update) {
            (Update::Named(a), Update::Named(b)) => {
                self.update_order(a, b).unwrap_or(Ordering::Equal)
            }
            (Update::Named(a), Update::Ga) if pre_release(a) => Ordering::Less,
            (Update::Ga, Update::Named(b)) if pre_release(b) => Ordering::Greater,
            (Update::Named(_), Update::Ga) => Ordering::Greater,
            (Update::Ga, Update::Named(_)) => Ordering::Less,
            _ => Ordering::Equal,
        };
        Some((by_update, by_update))
    }

    /// Whether the device is the record's exact version (a shorter record version names a
    /// train: `13.0` is every 13.0 build) and update. `None`: cannot tell.
    pub fn is(&self, want: &Version) -> Option<bool> {
        if self.scheme != want.scheme {
            return None;
        }
        let n = want.parts.len();
        // `4.3.6` + `-` is that release alone, not its later builds (`4.3.6.1620`).
        if want.update == Update::Ga && self.parts.iter().skip(n).any(|p| *p != Part::Num(0)) {
            return Some(false);
        }
        let base = if n <= self.parts.len() {
            Version {
                parts: self.parts[..n].to_vec(),
                ..self.clone()
            }
            .compare(want)?
                == Ordering::Equal
        } else if self.parts[..] == want.parts[..self.parts.len()] {
            // `10.2.1` against the exact build `10.2.1.1-19sv`: which build it runs is not said.
            return None;
        } else {
            false
        };
        if !base {
            return Some(false);
        }
        match (&want.update, &self.update) {
            (Update::Any, _) | (_, Update::Any) => Some(true),
            (_, Update::Unknown) => None,
            (Update::Ga, have) => Some(*have == Update::Ga),
            // An update whose letter is unknown (`update_3*`): another number is not it.
            (Update::Named(w), Update::Named(h)) if h.ends_with('*') => {
                let prefix = h.trim_end_matches('*');
                let rest = w.strip_prefix(prefix);
                match rest {
                    Some(r) if r.is_empty() || r.chars().all(|c| c.is_ascii_alphabetic()) => None,
                    _ => Some(false),
                }
            }
            (Update::Named(w), Update::Named(h)) => {
                Some(w == h || self.update_order(w, h) == Some(Ordering::Equal))
            }
            (Update::Named(_), _) => Some(false),
            (Update::Unknown, _) => None,
        }
    }

    /// Two update names of this scheme compared as runs of digits and letters (`3o` against
    /// `3p`, `r2` against `r10`).
    fn update_order(&self, a: &str, b: &str) -> Option<Ordering> {
        let as_version = |u: &str| Version {
            parts: runs(u),
            update: Update::Any,
            ..self.clone()
        };
        as_version(a).compare(&as_version(b))
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
        let mut unknown = false;
        for (bound, allowed) in checks {
            if let Some(b) = bound {
                let (lo, hi) = v.against(b)?;
                let span: Vec<Ordering> = [Ordering::Less, Ordering::Equal, Ordering::Greater]
                    .into_iter()
                    .filter(|o| *o >= lo && *o <= hi)
                    .collect();
                if span.iter().all(|o| allowed.contains(o)) {
                    continue;
                }
                if span.iter().any(|o| allowed.contains(o)) {
                    unknown = true;
                } else {
                    return Some(false);
                }
            }
        }
        (!unknown).then_some(true)
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
            v(p, "9.0R3.3").against(&v(p, "9.0R3.4")),
            Some((Ordering::Less, Ordering::Less)),
            "the same release train: the R releases decide"
        );
        assert_eq!(
            v(p, "22.7R2.6").against(&v(p, "22.7")),
            Some((Ordering::Equal, Ordering::Equal)),
            "22.7R2.6 is of the 22.7 train, not before it"
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
    fn notations_of_each_family() {
        let g = Scheme::Generic;
        let parts = |s: Scheme, t: &str| v(s, t).parts;
        let n = |x: &[u64]| x.iter().copied().map(Part::Num).collect::<Vec<_>>();
        assert_eq!(parts(g, "Rel.AG.9.4.0.481"), n(&[9, 4, 0, 481]));
        assert_eq!(parts(g, "V5.21(ABUI.1)"), n(&[5, 21]));
        assert_eq!(parts(g, "SFOS 18.5.3 MR-3-Build408"), n(&[18, 5, 3]));
        assert_eq!(
            parts(g, "1.1.3 Build 20221230 rel.62306(5553)"),
            n(&[1, 1, 3])
        );
        assert_eq!(parts(g, "7.1.1-42962 Update 6"), n(&[7, 1, 1, 42962]));
        assert_eq!(v(g, "1.4.4_Beta").update, Update::Named("beta".into()));
        assert_eq!(
            v(g, "11.0.1.1261 P20220302").update,
            Update::Named("p20220302".into())
        );
        assert_eq!(
            parts(Scheme::YamahaRev, "Ｒｅｖ．１４．０１．２８"),
            n(&[14, 1, 28])
        );
        let e = Scheme::Esxi;
        assert_eq!(
            v(e, "7.0 Update 3o").update,
            Update::Named("update_3o".into())
        );
        assert_eq!(
            v(e, "ESXi70U3o-24585291").update,
            Update::Named("update_3o".into())
        );
        assert_eq!(v(e, "ESXi70U3o-24585291").parts, n(&[7, 0]));
        assert_eq!(v(e, "7.0U3o").update, Update::Named("update_3o".into()));
        assert_eq!(
            v(e, "VMware ESXi 8.0.3 build-24022510").update,
            Update::Named("update_3*".into())
        );
        let want = Version::parse_cpe(e, "8.0", "update_2c").unwrap();
        assert_eq!(v(e, "8.0.3 build-24022510").is(&want), Some(false));
        let want = Version::parse_cpe(e, "8.0", "update_3c").unwrap();
        assert_eq!(
            v(e, "8.0.3 build-24022510").is(&want),
            None,
            "which letter of Update 3"
        );
        assert_eq!(
            v(Scheme::VCenter, "7.0 U1a").update,
            Update::Named("update1a".into())
        );
        let x = Scheme::Exchange;
        assert_eq!(v(x, "Exchange Server 2019 CU12").parts, n(&[2019]));
        assert_eq!(
            v(x, "15.2.792.10 (2019 CU8 Mar21SU)").update,
            Update::Named("cumulative_update_8".into())
        );
        assert_eq!(
            v(x, "Exchange 2010 SP3").update,
            Update::Named("sp3".into())
        );
        let p = Scheme::PanOs;
        assert_eq!(v(p, "10.2.9-h1").update, Update::Named("h1".into()));
        assert_eq!(v(p, "10.2.9").update, Update::Ga);
        assert_eq!(
            v(p, "10.2").is(&Version::parse_cpe(p, "10.2.0", "-").unwrap()),
            None,
            "a train against one release"
        );
        let w = Scheme::WindowsBuild;
        assert_eq!(
            v(w, "バージョン 6.1 (ビルド 7601: Service Pack 1)").update,
            Update::Named("sp1".into())
        );
        assert_eq!(parts(w, "6.3.9600"), n(&[6, 3, 9600, 0]));
        // `4.3.6` + `-` is that release only; `13.0` + `*` is the whole train.
        let q = Version::parse_cpe(g, "4.3.6", "-").unwrap();
        assert_eq!(v(g, "4.3.6.1620 build 20210322").is(&q), Some(false));
        let t = Version::parse_cpe(Scheme::NetScaler, "13.0", "*").unwrap();
        assert_eq!(
            v(Scheme::NetScaler, "NS13.0: Build 47.22.nc").is(&t),
            Some(true)
        );
    }

    #[test]
    fn what_cannot_be_told_apart_says_so() {
        let g = Scheme::Generic;
        assert_eq!(
            v(g, "7.0").against(&v(g, "7.0.14")),
            Some((Ordering::Less, Ordering::Greater)),
            "a train may run any of its releases"
        );
        assert_eq!(
            range(g, Some("7.0.0"), Some("7.0.14"), None).contains(&v(g, "7.0")),
            None
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
