//! Which product a ledger device is, and why a device cannot be checked. In order: a product
//! a person bound to the device's maker and model; the hand-kept families (`cpe_alias`);
//! the products the imported NVD records name (the catalogue), reached through the maker
//! (Japanese names mapped as data) and the model and OS words. A match that is not certain
//! is never used: the device is "not checked" with the candidate products, for a person to
//! confirm once. Every device ends as checked or as not checked with a reason.

use std::collections::{BTreeMap, HashMap};

use crate::asset::{Asset, AssetId, AssetKind, NewAsset};
use crate::nvd::Target;
use crate::text::{fold, words};
use crate::version::{Scheme, Version};

/// Why a device is not checked: each has its one thing to do (locale `check-reason-{code}`,
/// `check-todo-{code}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// A cloud service: its provider runs and updates it.
    Cloud,
    /// Neither maker, model nor OS is written.
    NoProduct,
    /// No imported record names a product of this maker and model.
    UnknownProduct,
    /// Several products could be meant: a person chooses.
    Ambiguous,
    /// The product is known, its version is not written.
    NoVersion,
    /// The version is written in a way that cannot be compared (Windows `23H2` is a release,
    /// not a build).
    UnreadableVersion,
    /// The family needs the model number (YAMAHA RTX, NEC IX) and none is written.
    NoModel,
    /// A general-purpose OS (Ubuntu, Red Hat, …) is updated package by package: its release
    /// says nothing about which holes are closed.
    PackageOs,
    /// No vulnerability records are imported yet.
    NoFeeds,
    /// Added or changed since the last evaluation, which will decide in a moment (never
    /// stored).
    Pending,
}

impl Reason {
    pub const ALL: [Reason; 10] = [
        Self::Cloud,
        Self::NoProduct,
        Self::UnknownProduct,
        Self::Ambiguous,
        Self::NoVersion,
        Self::UnreadableVersion,
        Self::NoModel,
        Self::PackageOs,
        Self::NoFeeds,
        Self::Pending,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Cloud => "cloud",
            Self::NoProduct => "no-product",
            Self::UnknownProduct => "unknown-product",
            Self::Ambiguous => "ambiguous",
            Self::NoVersion => "no-version",
            Self::UnreadableVersion => "unreadable-version",
            Self::NoModel => "no-model",
            Self::PackageOs => "package-os",
            Self::NoFeeds => "no-feeds",
            Self::Pending => "pending",
        }
    }

    pub fn parse(code: &str) -> Option<Reason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// How a checked device's product was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum How {
    /// A family of the hand-kept table.
    Family,
    /// A person bound the maker and model to the product.
    Binding,
    /// The maker and the model or OS words name exactly one product of the records.
    Catalogue,
    /// A JVN entry names the maker and model.
    Jvn,
    /// The maker and words name a product of NVD's CPE dictionary that no imported record
    /// names: checked, and nothing can be found until a record names it.
    Dictionary,
}

impl How {
    pub fn code(self) -> &'static str {
        match self {
            Self::Family => "family",
            Self::Binding => "binding",
            Self::Catalogue => "catalogue",
            Self::Jvn => "jvn",
            Self::Dictionary => "dictionary",
        }
    }

    pub fn parse(code: &str) -> Option<How> {
        [
            Self::Family,
            Self::Binding,
            Self::Catalogue,
            Self::Jvn,
            Self::Dictionary,
        ]
        .into_iter()
        .find(|h| h.code() == code)
    }
}

/// Whether a device was checked, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Check {
    /// Evaluated against every record that names `product` (`vendor:product`).
    Checked { product: String, how: How },
    /// Not evaluated; `candidates` are products (`vendor:product`) a person may choose from.
    NotChecked {
        reason: Reason,
        candidates: Vec<String>,
    },
}

impl Check {
    pub fn not(reason: Reason) -> Check {
        Check::NotChecked {
            reason,
            candidates: Vec::new(),
        }
    }

    pub fn is_checked(&self) -> bool {
        matches!(self, Check::Checked { .. })
    }
}

/// The products the imported records name, per vendor, and those of NVD's official CPE
/// dictionary when one was imported (asked only when the records name none of the maker's
/// products fully).
#[derive(Debug, Default, Clone)]
pub struct Catalogue {
    by_vendor: HashMap<String, Vec<String>>,
    dictionary: HashMap<String, Vec<String>>,
    /// Vendor names by their letters and digits (`simple-help` under `simplehelp`).
    by_plain: HashMap<String, Vec<String>>,
}

fn plain(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

fn grouped<'a>(
    products: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> HashMap<String, Vec<String>> {
    let mut by_vendor: HashMap<String, Vec<String>> = HashMap::new();
    for (v, p) in products {
        by_vendor
            .entry(v.to_string())
            .or_default()
            .push(p.to_string());
    }
    for list in by_vendor.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    by_vendor
}

impl Catalogue {
    pub fn new<'a>(products: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut c = Catalogue {
            by_vendor: grouped(products),
            ..Catalogue::default()
        };
        c.index();
        c
    }

    /// The catalogue with the dictionary's products beside the records'.
    pub fn with_dictionary<'a>(
        mut self,
        products: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        self.dictionary = grouped(products);
        self.index();
        self
    }

    fn index(&mut self) {
        let mut by_plain: HashMap<String, Vec<String>> = HashMap::new();
        for v in self.by_vendor.keys().chain(self.dictionary.keys()) {
            let list = by_plain.entry(plain(v)).or_default();
            if !list.contains(v) {
                list.push(v.clone());
            }
        }
        for list in by_plain.values_mut() {
            list.sort_unstable();
        }
        self.by_plain = by_plain;
    }

    pub fn is_empty(&self) -> bool {
        self.by_vendor.is_empty() && self.dictionary.is_empty()
    }

    /// Products the dictionary holds.
    pub fn dictionary_len(&self) -> usize {
        self.dictionary.values().map(Vec::len).sum()
    }

    pub fn contains(&self, vendor: &str, product: &str) -> bool {
        let has = |m: &HashMap<String, Vec<String>>| {
            m.get(vendor)
                .is_some_and(|l| l.binary_search_by(|p| p.as_str().cmp(product)).is_ok())
        };
        has(&self.by_vendor) || has(&self.dictionary)
    }

    pub fn has_vendor(&self, vendor: &str) -> bool {
        self.by_vendor.contains_key(vendor) || self.dictionary.contains_key(vendor)
    }

    /// Products of `vendor` whose name is close to `product` (for a message on a typo):
    /// the records' first, then the dictionary's.
    pub fn near(&self, vendor: &str, product: &str) -> Vec<String> {
        let want: Vec<&str> = product.split(['_', '-']).collect();
        let squashed = plain(product);
        let mut out: Vec<String> = Vec::new();
        for m in [&self.by_vendor, &self.dictionary] {
            for p in m.get(vendor).into_iter().flatten() {
                let name = format!("{vendor}:{p}");
                // A word in common, or the same letters written with or without `_`
                // (`photostation` for `photo_station`).
                let close = p.split(['_', '-']).any(|t| want.contains(&t)) || {
                    let q = plain(p);
                    squashed.len() >= 4
                        && q.len() >= 4
                        && (q.contains(&squashed) || squashed.contains(&q))
                };
                if close && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out.truncate(5);
        out
    }
}

/// A maker and model as a binding's key: folded, letters and digits only.
pub fn binding_key(maker: &str, model: &str) -> (String, String) {
    let squash = |s: &str| -> String { fold(s).chars().filter(|c| c.is_alphanumeric()).collect() };
    (squash(maker), squash(model))
}

/// Products a person bound to a maker and model (`binding_key`), `vendor:product`.
pub type Bindings = HashMap<(String, String), (String, String)>;

/// A product name as a person types it: `vendor:product`, or a CPE 2.3 name.
pub fn parse_product(text: &str) -> Option<(String, String)> {
    let t = text.trim().to_lowercase();
    if t.starts_with("cpe:2.3:") {
        // Written short (`cpe:2.3:a:synology:surveillance_station`): the rest is any.
        let fields = t.split(':').count();
        let full = format!("{t}{}", ":*".repeat(13usize.saturating_sub(fields)));
        let c = crate::nvd::Cpe::parse(&full)?;
        return valid(&c.vendor, &c.product).then_some((c.vendor, c.product));
    }
    // CPE 2.2 (`cpe:/o:qnap:qts:5.1.0`), as older tools print it.
    if let Some(rest) = t.strip_prefix("cpe:/") {
        let mut f = rest.split(':').skip(1);
        let (v, p) = (f.next()?, f.next()?);
        return valid(v, p).then(|| (v.to_string(), p.to_string()));
    }
    let (v, p) = t.split_once(':')?;
    valid(v, p).then(|| (v.to_string(), p.to_string()))
}

fn valid(vendor: &str, product: &str) -> bool {
    let ok = |s: &str| {
        !s.is_empty()
            && s != "*"
            && s.len() <= 100
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '\\' | '&'))
    };
    ok(vendor) && ok(product)
}

/// Makers as clinics write them → the CPE vendor. Data: extend freely.
const MAKERS: &[(&str, &[&str])] = &[
    ("fortinet", &["フォーティネット"]),
    ("yamaha", &["ヤマハ"]),
    ("nec", &["日本電気", "エヌイーシー", "nec"]),
    ("buffalo", &["バッファロー", "メルコ"]),
    ("fujitsu", &["富士通"]),
    ("canon", &["キヤノン", "キャノン", "キヤノンメディカル"]),
    ("ricoh", &["リコー"]),
    ("sharp", &["シャープ"]),
    ("kyocera", &["京セラ"]),
    ("konicaminolta", &["コニカミノルタ", "konica minolta"]),
    (
        "fujifilm",
        &["富士フイルム", "富士フィルム", "富士ゼロックス"],
    ),
    ("brother", &["ブラザー"]),
    ("epson", &["エプソン", "セイコーエプソン"]),
    ("panasonic", &["パナソニック"]),
    ("toshiba", &["東芝"]),
    ("hitachi", &["日立", "日立製作所"]),
    ("allied_telesis", &["アライドテレシス", "allied telesis"]),
    (
        "iodata",
        &[
            "アイ・オー・データ",
            "アイオーデータ",
            "i-o data",
            "io data",
        ],
    ),
    ("elecom", &["エレコム"]),
    ("qnap", &["キューナップ"]),
    ("synology", &["シノロジー"]),
    ("cisco", &["シスコ"]),
    (
        "paloaltonetworks",
        &[
            "パロアルトネットワークス",
            "パロアルト",
            "palo alto",
            "palo alto networks",
        ],
    ),
    ("sonicwall", &["ソニックウォール"]),
    ("microsoft", &["マイクロソフト"]),
    ("vmware", &["ヴイエムウェア", "broadcom", "ブロードコム"]),
    ("citrix", &["シトリックス"]),
    (
        "ivanti",
        &["アイバンティ", "pulse secure", "パルスセキュア"],
    ),
    ("sophos", &["ソフォス"]),
    ("zyxel", &["ザイクセル"]),
    ("tp-link", &["ティーピーリンク", "tp-link", "tplink"]),
    ("draytek", &["ドレイテック"]),
    (
        "arraynetworks",
        &["アレイネットワークス", "array networks", "アレイ"],
    ),
    ("f5", &["f5 networks", "エフファイブ"]),
    (
        "checkpoint",
        &["チェック・ポイント", "チェックポイント", "check point"],
    ),
    ("veeam", &["ヴィーム"]),
    ("connectwise", &["コネクトワイズ"]),
    ("teamviewer", &["チームビューワー", "チームビューアー"]),
    ("progress", &["プログレス", "progress software"]),
    ("juniper", &["ジュニパー", "juniper networks"]),
    ("dell", &["デル"]),
    ("lenovo", &["レノボ"]),
    ("hp", &["日本hp", "ヒューレット・パッカード"]),
    ("apple", &["アップル"]),
    ("omron", &["オムロン"]),
    (
        "siemens",
        &["シーメンス", "siemens healthineers", "シーメンスヘルスケア"],
    ),
    ("philips", &["フィリップス"]),
    ("gehealthcare", &["ge healthcare", "geヘルスケア", "ge"]),
    ("shimadzu", &["島津製作所", "島津"]),
    ("olympus", &["オリンパス"]),
    ("nihon_kohden", &["日本光電"]),
    ("terumo", &["テルモ"]),
    ("watchguard", &["ウォッチガード"]),
    ("netgear", &["ネットギア"]),
    ("furukawa_electric", &["古河電工", "古河電気工業"]),
    ("oracle", &["オラクル"]),
];

/// Words of a company name that are not its name.
const COMPANY_WORDS: &[&str] = &[
    "株式会社",
    "(株)",
    "（株）",
    "inc.",
    "inc",
    "co.,ltd.",
    "co., ltd.",
    "co.ltd",
    "ltd.",
    "ltd",
    "corporation",
    "corp.",
    "japan",
    "ジャパン",
    "日本",
];

/// The CPE vendors a maker may be, best first: the table's, then the maker's own name with
/// company words removed (spaces dropped, or as `_`).
pub fn vendors_of(maker: &str) -> Vec<String> {
    let folded = fold(maker);
    let mut name = folded.trim().to_string();
    for w in COMPANY_WORDS {
        name = name.replace(w, " ");
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let squash = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let key = squash(&name);
    let mut out = Vec::new();
    if key.is_empty() {
        return out;
    }
    for (vendor, names) in MAKERS {
        if squash(vendor) == key || names.iter().any(|n| squash(&fold(n)) == key) {
            out.push(vendor.to_string());
        }
    }
    if name.is_ascii() {
        let first = name
            .split_whitespace()
            .next()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
            .unwrap_or_default();
        for v in [
            key.clone(),
            name.replace(' ', "_"),
            name.replace(' ', "-"),
            first,
        ] {
            if !v.is_empty() && !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// General-purpose operating systems, updated package by package.
const PACKAGE_OSES: &[&str] = &[
    "ubuntu",
    "debian",
    "red hat",
    "redhat",
    "rhel",
    "centos",
    "rocky",
    "almalinux",
    "suse",
    "oracle linux",
];

/// Device words that name a product otherwise than its CPE name does.
const PRODUCT_WORDS: &[(&str, &str)] = &[
    ("dsm", "diskstation_manager"),
    ("srm", "router_manager"),
    ("quts", "quts_hero"),
    ("vcenter", "vcenter_server"),
    ("exchange", "exchange_server"),
    ("ftd", "firepower_threat_defense"),
    ("ems", "enterprise_management_server"),
    ("gaia", "quantum_security_gateway"),
];

/// Colour suffixes of model names (Buffalo's `-BK`, `-WH`).
const COLOURS: &[&str] = &["bk", "wh", "bl", "rd", "sv"];

/// Parts of a CPE product name that say nothing about which product it is.
const GENERIC: &[&str] = &[
    "firmware",
    "software",
    "server",
    "os",
    "system",
    "appliance",
];

/// What the catalogue says a device's words name.
struct Named {
    /// The fully named products (best first), `(vendor, product)`.
    full: Vec<(String, String)>,
    /// Partly named ones, `vendor:product`.
    partial: Vec<String>,
    /// Whether the full ones come from the CPE dictionary (no record names them).
    from_dictionary: bool,
}

/// The products of the catalogue the device's maker and words can mean: the records' first;
/// the dictionary's only when the records name none of the maker's products fully.
fn candidates(d: &NewAsset, catalogue: &Catalogue) -> Named {
    let text = fold(
        &[d.model.as_deref(), d.os_name.as_deref()]
            .into_iter()
            .flatten()
            .map(without_notes)
            .collect::<Vec<_>>()
            .join(" "),
    );
    // Compared without hyphens: `WSR1166DHP` is `wsr-1166dhp`.
    let squash = |s: &str| s.replace('-', "");
    let mut have: Vec<String> = words(&text).map(squash).collect();
    for (word, product) in PRODUCT_WORDS {
        if have.iter().any(|w| w == word) {
            have.extend(product.split('_').map(squash));
        }
    }
    // The maker as the records spell it (`simplehelp` is `simple-help`); else a word of the
    // product that is a vendor of the records (`TeamViewer` by a maker written in katakana).
    let mut vendors = vendors_of(d.maker.as_deref().unwrap_or_default());
    let spelt: Vec<String> = vendors
        .iter()
        .flat_map(|v| {
            catalogue
                .by_plain
                .get(&plain(v))
                .into_iter()
                .flatten()
                .filter(|k| *k != v)
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    vendors.extend(spelt);
    if !vendors.iter().any(|v| catalogue.by_vendor.contains_key(v)) {
        vendors.extend(
            words(&text)
                .map(plain)
                .filter(|w| w.len() >= 4 && catalogue.by_vendor.contains_key(w)),
        );
    }
    let search = |vendor: &str, products: &[String], skip: &[String]| {
        let mut full: Vec<(usize, String, String)> = Vec::new();
        let mut partial = Vec::new();
        for p in products {
            if skip.binary_search(p).is_ok() {
                continue;
            }
            // `veeam_backup_&_replication`: words of letters and digits only.
            let tokens: Vec<&str> = p
                .split('_')
                .filter(|t| t.chars().any(char::is_alphanumeric) && !GENERIC.contains(t))
                .collect();
            if tokens.is_empty() {
                continue;
            }
            // A colour suffix of the product name is not written in ledgers
            // (`wsr-2533dhpl2-bk` is the WSR-2533DHPL2 in black).
            let named = |t: &&&str| {
                let t = squash(t);
                have.contains(&t)
                    || COLOURS.iter().any(|c| {
                        t.strip_suffix(c)
                            .is_some_and(|base| base.len() >= 6 && have.iter().any(|h| h == base))
                    })
            };
            let found = tokens.iter().filter(named).count();
            if found == tokens.len() {
                full.push((tokens.len(), vendor.to_string(), p.clone()));
            } else if found > 0 {
                partial.push(format!("{vendor}:{p}"));
            }
        }
        full.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        (
            full.into_iter().map(|(_, v, p)| (v, p)).collect::<Vec<_>>(),
            partial,
        )
    };
    let none: Vec<String> = Vec::new();
    // The first vendor name the records know is the maker, else the first the dictionary
    // knows.
    let known = |m: &HashMap<String, Vec<String>>| vendors.iter().find(|v| m.contains_key(*v));
    let Some(vendor) = known(&catalogue.by_vendor)
        .or_else(|| known(&catalogue.dictionary))
        .cloned()
    else {
        return Named {
            full: Vec::new(),
            partial: Vec::new(),
            from_dictionary: false,
        };
    };
    let recorded = catalogue.by_vendor.get(&vendor).unwrap_or(&none);
    let (full, mut partial) = search(&vendor, recorded, &[]);
    if !full.is_empty() {
        partial.truncate(8);
        return Named {
            full,
            partial,
            from_dictionary: false,
        };
    }
    let listed = catalogue.dictionary.get(&vendor).unwrap_or(&none);
    let (full, more) = search(&vendor, listed, recorded);
    partial.extend(more);
    partial.truncate(8);
    Named {
        from_dictionary: !full.is_empty(),
        full,
        partial,
    }
}

/// A ledger's note in brackets is not the product's name: `SMA 500v (ESXi 上の仮想アプライアンス)`
/// is an SMA 500v, not ESXi.
pub fn without_notes(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The scheme a product's versions are written in: a family's, else runs of digits and
/// letters.
fn scheme_of(vendor: &str, product: &str) -> Scheme {
    crate::cpe_alias::scheme_of(vendor, product).unwrap_or(Scheme::Generic)
}

/// The target for products the catalogue or a person named: the first is the product, the
/// others what the device's words name as fully. A firmware product (`rtx1210_firmware`)
/// runs on the hardware of its name (`rtx1210`), as NVD's platform conditions say. The
/// version may be missing: only what names every version can then be decided.
fn target_for(d: &NewAsset, vendor: &str, products: &[String]) -> Result<Target, Reason> {
    let product = products.first().cloned().unwrap_or_default();
    let scheme = scheme_of(vendor, &product);
    let version = d
        .os_version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    if let Some(v) = version
        && Version::parse(scheme, v).is_none()
    {
        return Err(Reason::UnreadableVersion);
    }
    let platform = product
        .strip_suffix("_firmware")
        .map(|hw| (vendor.to_string(), hw.to_string()));
    Ok(Target {
        vendor: vendor.to_string(),
        also: products.iter().skip(1).cloned().collect(),
        product,
        version: version.map(str::to_string),
        release: None,
        scheme,
        platform,
        hardware: crate::nvd::hardware_words(d.model.as_deref().unwrap_or_default()),
        edition: None,
        kev_only: false,
    })
}

/// The product of one device, or why it has none.
pub fn identify(d: &NewAsset, catalogue: &Catalogue, bindings: &Bindings) -> Identity {
    let none = |r: Reason| (r, Vec::new());
    if d.kind == AssetKind::Cloud {
        return Err(none(Reason::Cloud));
    }
    let maker = d.maker.as_deref().unwrap_or_default();
    let model = d.model.as_deref().unwrap_or_default();
    if let Some((vendor, product)) = bindings.get(&binding_key(maker, model)) {
        return target_for(d, vendor, std::slice::from_ref(product))
            .map(|t| (t, How::Binding))
            .map_err(none);
    }
    match crate::cpe_alias::family_target(d) {
        Some(Ok(t)) => return Ok((t, How::Family)),
        Some(Err(r)) => return Err(none(r)),
        None => {}
    }
    let blank = |s: Option<&String>| s.is_none_or(|v| v.trim().is_empty());
    if blank(d.maker.as_ref()) && blank(d.model.as_ref()) && blank(d.os_name.as_ref()) {
        return Err(none(Reason::NoProduct));
    }
    let os = fold(d.os_name.as_deref().unwrap_or_default());
    // An appliance's firmware may be built on Linux (`DrayOS (Linux)`); a server or PC that
    // runs a distribution is updated package by package.
    if matches!(d.kind, AssetKind::Server | AssetKind::Pc | AssetKind::Other)
        && PACKAGE_OSES.iter().any(|w| os.contains(w))
    {
        return Err(none(Reason::PackageOs));
    }
    let Named {
        full,
        partial,
        from_dictionary,
    } = candidates(d, catalogue);
    let how = if from_dictionary {
        How::Dictionary
    } else {
        How::Catalogue
    };
    match full.as_slice() {
        [] => Err((Reason::UnknownProduct, partial)),
        // Every product the words name fully (`QTS / QuTS hero`): the device is checked as
        // each; more than three is no identification.
        [(vendor, _), ..] if full.len() <= 3 => {
            let products: Vec<String> = full.iter().map(|(_, p)| p.clone()).collect();
            target_for(d, vendor, &products)
                .map(|t| (t, how))
                .map_err(none)
        }
        [..] => Err((
            Reason::Ambiguous,
            full.iter().map(|(v, p)| format!("{v}:{p}")).collect(),
        )),
    }
}

/// A device's product and how it was found, or why it has none and the candidates.
pub type Identity = Result<(Target, How), (Reason, Vec<String>)>;

/// What the identity says of the device being checked.
pub fn check_of(identity: &Identity) -> Check {
    match identity {
        // A product without its version: only what names every version was decided.
        Ok((t, _)) if t.version.is_none() => Check::not(Reason::NoVersion),
        Ok((t, how)) => Check::Checked {
            product: t
                .products()
                .map(|p| format!("{}:{p}", t.vendor))
                .collect::<Vec<_>>()
                .join(" "),
            how: *how,
        },
        Err((reason, candidates)) => Check::NotChecked {
            reason: *reason,
            candidates: candidates.clone(),
        },
    }
}

/// Every device's product or reason, by device.
pub fn identities(
    assets: &[Asset],
    catalogue: &Catalogue,
    bindings: &Bindings,
) -> BTreeMap<AssetId, Identity> {
    assets
        .iter()
        .map(|a| (a.id, identify(&a.details, catalogue, bindings)))
        .collect()
}

/// What a network device does: the kind the ledger gives, else the role its maker and model
/// have (a FortiGate is a UTM, an RTX a router); `None` when nobody can tell.
pub fn role(d: &NewAsset) -> Option<AssetKind> {
    if d.kind != AssetKind::NetworkDevice {
        return Some(d.kind);
    }
    let text = fold(
        &[d.maker.as_deref(), d.model.as_deref(), d.os_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
    );
    let w: Vec<&str> = words(&text).collect();
    ROLES
        .iter()
        .find(|(_, names)| {
            names.iter().any(|n| {
                if n.contains(' ') || !n.is_ascii() {
                    text.contains(n)
                } else {
                    w.iter().any(|x| x.starts_with(n))
                }
            })
        })
        .map(|(k, _)| *k)
}

/// Model and product words that say a network device's role. Data: extend freely.
const ROLES: &[(AssetKind, &[&str])] = &[
    (
        AssetKind::Utm,
        &[
            "fortigate",
            "fortiwifi",
            "fortios",
            "sophos",
            "watchguard",
            "firebox",
            "zywall",
            "usg",
            "utm",
        ],
    ),
    (
        AssetKind::Firewall,
        &[
            "sonicwall",
            "sonicos",
            "pa-",
            "pan-os",
            "asa",
            "firepower",
            "ftd",
            "srx",
            "check point",
            "checkpoint",
            "ファイアウォール",
            "firewall",
        ],
    ),
    (
        AssetKind::VpnAppliance,
        &[
            "pulse",
            "connect secure",
            "ivanti",
            "arrayag",
            "array ag",
            "netscaler",
            "citrix",
            "big-ip",
            "ssl-vpn",
            "vpn",
        ],
    ),
    (
        AssetKind::Router,
        &[
            "rtx",
            "nvr",
            "univerge",
            "ix2",
            "ix3",
            "vigor",
            "archer",
            "isr",
            "aterm",
            "si-r",
            "fitelnet",
            "wxr",
            "wsr",
            "whr",
            "router",
            "ルータ",
        ],
    ),
    (
        AssetKind::Switch,
        &[
            "catalyst",
            "centrecom",
            "apresia",
            "swx",
            "bs-gs",
            "switch",
            "スイッチ",
            "ハブ",
        ],
    ),
    (
        AssetKind::WifiAp,
        &[
            "wapm",
            "wlx",
            "aironet",
            "unifi",
            "access point",
            "アクセスポイント",
        ],
    ),
];

/// Devices that may face the outside: UTMs, firewalls, VPN appliances and routers, and the
/// network devices whose role nobody can tell.
pub fn may_face_outside(d: &NewAsset) -> bool {
    match role(d) {
        Some(k) => matches!(
            k,
            AssetKind::Utm | AssetKind::Firewall | AssetKind::VpnAppliance | AssetKind::Router
        ),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(kind: AssetKind, maker: &str, model: &str, os: &str, version: &str) -> NewAsset {
        NewAsset::new(kind, "x")
            .unwrap()
            .maker_model(maker, model)
            .os(os, version)
    }

    fn catalogue() -> Catalogue {
        Catalogue::new([
            ("qnap", "qts"),
            ("qnap", "quts_hero"),
            ("qnap", "photo_station"),
            ("synology", "diskstation_manager"),
            ("synology", "router_manager"),
            ("microsoft", "exchange_server"),
            ("vmware", "esxi"),
            ("buffalo", "wsr-1166dhp_firmware"),
            ("buffalo", "wsr-2533dhp_firmware"),
            ("zyxel", "usg_flex_100_firmware"),
            ("zyxel", "usg_flex_200_firmware"),
        ])
    }

    #[test]
    fn the_dictionary_is_asked_only_when_no_record_names_the_product() {
        let c =
            Catalogue::new([("qnap", "qts"), ("yamaha", "rtx1210_firmware")]).with_dictionary([
                ("synology", "diskstation_manager"),
                ("synology", "surveillance_station"),
                ("qnap", "qts_hero_firmware"),
                ("qnap", "qts"),
            ]);
        let b = Bindings::new();
        let (t, how) = identify(
            &device(
                AssetKind::Storage,
                "シノロジー",
                "DS920+",
                "DSM",
                "7.1.1-42962",
            ),
            &c,
            &b,
        )
        .unwrap();
        assert_eq!(
            (t.vendor.as_str(), t.product.as_str(), how),
            ("synology", "diskstation_manager", How::Dictionary)
        );
        // The records name QTS fully: a dictionary product with more words does not win.
        let (t, how) = identify(
            &device(
                AssetKind::Storage,
                "QNAP",
                "TS-453D QTS hero firmware",
                "QTS",
                "5.1.0",
            ),
            &c,
            &b,
        )
        .unwrap();
        assert_eq!((t.product.as_str(), how), ("qts", How::Catalogue));
        // Only partly named: candidates from both, nothing guessed.
        let Err((reason, candidates)) = identify(
            &device(AssetKind::Storage, "Synology", "Surveillance", "", "9.1"),
            &c,
            &b,
        ) else {
            panic!("identified")
        };
        assert_eq!(reason, Reason::UnknownProduct);
        assert_eq!(candidates, ["synology:surveillance_station"]);
        assert!(c.contains("synology", "surveillance_station"));
        assert_eq!(
            c.near("qnap", "qts_hero"),
            ["qnap:qts", "qnap:qts_hero_firmware"]
        );
        assert_eq!(c.dictionary_len(), 4);
    }

    #[test]
    fn makers_in_japanese_and_english() {
        assert_eq!(vendors_of("バッファロー")[0], "buffalo");
        assert_eq!(vendors_of("株式会社バッファロー")[0], "buffalo");
        assert_eq!(vendors_of("ＱＮＡＰ")[0], "qnap");
        assert_eq!(vendors_of("Palo Alto Networks")[0], "paloaltonetworks");
        assert_eq!(vendors_of("Synology Inc.")[0], "synology");
        assert!(vendors_of("").is_empty());
        assert!(vendors_of("謎の会社").is_empty());
    }

    #[test]
    fn products_from_the_records() {
        let c = catalogue();
        let b = Bindings::new();
        let id = |d: NewAsset| identify(&d, &c, &b);
        let (t, how) = id(device(
            AssetKind::Storage,
            "QNAP",
            "TS-453D",
            "QTS",
            "5.1.0.2444 build 20230629",
        ))
        .unwrap();
        assert_eq!(
            (t.vendor.as_str(), t.product.as_str(), how),
            ("qnap", "qts", How::Catalogue)
        );
        let (t, _) = id(device(
            AssetKind::Storage,
            "Synology",
            "DS920+",
            "DSM",
            "7.1.1-42962 Update 6",
        ))
        .unwrap();
        assert_eq!(t.product, "diskstation_manager");
        let (t, _) = id(device(
            AssetKind::Router,
            "バッファロー",
            "WSR-1166DHP",
            "",
            "1.15",
        ))
        .unwrap();
        assert_eq!(t.product, "wsr-1166dhp_firmware");
        let (t, _) = id(device(
            AssetKind::Server,
            "Microsoft",
            "",
            "Exchange Server 2019",
            "15.2.1118.40",
        ))
        .unwrap();
        assert_eq!(t.product, "exchange_server");
        // Two products named as fully: checked as both.
        let (t, _) = id(device(
            AssetKind::Storage,
            "QNAP",
            "TS-h973AX",
            "QTS / QuTS hero",
            "5.1.0",
        ))
        .unwrap();
        assert_eq!(
            (t.product.as_str(), t.also.as_slice()),
            ("quts_hero", ["qts".to_string()].as_slice())
        );
        let e = id(device(
            AssetKind::Modality,
            "GE Healthcare",
            "LOGIQ e",
            "",
            "R7",
        ))
        .unwrap_err();
        assert_eq!(e.0, Reason::UnknownProduct);
        let nas = id(device(AssetKind::Storage, "QNAP", "TS-453D", "QTS", ""));
        assert_eq!(check_of(&nas), Check::not(Reason::NoVersion));
        let e = id(device(AssetKind::Pc, "", "", "", "")).unwrap_err();
        assert_eq!(e.0, Reason::NoProduct);
        let e = id(device(
            AssetKind::Server,
            "NEC",
            "Express5800/T110k",
            "Ubuntu",
            "22.04 LTS",
        ))
        .unwrap_err();
        assert_eq!(e.0, Reason::PackageOs);
        let e = id(device(AssetKind::Cloud, "A社", "Web予約", "", "")).unwrap_err();
        assert_eq!(e.0, Reason::Cloud);
        let e = id(device(
            AssetKind::Firewall,
            "Zyxel",
            "USG FLEX",
            "",
            "V5.36",
        ))
        .unwrap_err();
        assert_eq!(
            e.0,
            Reason::UnknownProduct,
            "the model number is missing: partly named only"
        );
        assert_eq!(e.1.len(), 2);
    }

    #[test]
    fn a_binding_decides() {
        let c = catalogue();
        let mut b = Bindings::new();
        b.insert(
            binding_key("GE Healthcare", "LOGIQ e"),
            ("gehealthcare".into(), "logiq_e".into()),
        );
        let (t, how) = identify(
            &device(
                AssetKind::Modality,
                "ＧＥ Healthcare",
                "LOGIQ  e",
                "",
                "R7.0.2",
            ),
            &c,
            &b,
        )
        .unwrap();
        assert_eq!((t.product.as_str(), how), ("logiq_e", How::Binding));
    }

    #[test]
    fn typed_products() {
        assert_eq!(
            parse_product("cpe:2.3:o:qnap:qts:*:*:*:*:*:*:*:*"),
            Some(("qnap".into(), "qts".into()))
        );
        assert_eq!(
            parse_product(" QNAP:QTS "),
            Some(("qnap".into(), "qts".into()))
        );
        for short in [
            "cpe:2.3:o:qnap:qts",
            "cpe:/o:qnap:qts:5.1.0",
            "CPE:/o:QNAP:QTS",
        ] {
            assert_eq!(
                parse_product(short),
                Some(("qnap".into(), "qts".into())),
                "{short}"
            );
        }
        for bad in [
            "qts",
            "qnap:",
            ":qts",
            "qnap:q ts",
            "cpe:2.3:o:qnap",
            "a:*",
            "cpe:/o:qnap",
        ] {
            assert_eq!(parse_product(bad), None, "{bad}");
        }
    }

    #[test]
    fn network_roles() {
        let nd = |maker: &str, model: &str| device(AssetKind::NetworkDevice, maker, model, "", "");
        assert_eq!(role(&nd("Fortinet", "FortiGate-60F")), Some(AssetKind::Utm));
        assert_eq!(role(&nd("ヤマハ", "RTX1210")), Some(AssetKind::Router));
        assert_eq!(role(&nd("NEC", "UNIVERGE IX2106")), Some(AssetKind::Router));
        assert_eq!(role(&nd("Cisco", "ASA 5506-X")), Some(AssetKind::Firewall));
        assert_eq!(
            role(&nd("アライドテレシス", "CentreCOM GS910")),
            Some(AssetKind::Switch)
        );
        assert_eq!(role(&nd("謎", "X-100")), None);
        assert!(may_face_outside(&nd("謎", "X-100")));
        assert!(!may_face_outside(&nd(
            "アライドテレシス",
            "CentreCOM GS910"
        )));
        assert_eq!(
            role(&device(AssetKind::Pc, "", "", "", "")),
            Some(AssetKind::Pc)
        );
    }
}
