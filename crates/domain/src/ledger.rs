//! The ledger (台帳) as a file: the columns Mamori reads and writes, the words clinics use for
//! kinds and yes/no, and the plan of an import (what is added, changed, left alone). The
//! readers in `ingest` and the writer in `report` share these, so that what Mamori writes it
//! reads back unchanged.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::asset::{Asset, AssetId, AssetKind, NewAsset, RemoteMaintenance};
use crate::date::Date;

/// A column of the ledger file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Kind,
    Roles,
    Location,
    Segment,
    Ip,
    Mac,
    Maker,
    Model,
    Os,
    Version,
    Serial,
    Department,
    Vendor,
    Remote,
    RemoteMethod,
    AcquiredOn,
    EndOfSupport,
    VersionCheckedOn,
    Notes,
}

/// Every column in the order the export writes them: the header it writes first, then the
/// other headers clinics write for the same thing (compared after [`normalise_header`]).
pub const COLUMNS: [(Column, &[&str]); 20] = [
    (
        Column::Name,
        &[
            "機器名",
            "ホスト名",
            "名称",
            "機器名称",
            "端末名",
            "コンピュータ名",
            "name",
            "hostname",
            "devicename",
            "device",
        ],
    ),
    (
        Column::Kind,
        &[
            "種別",
            "分類",
            "機器種別",
            "種類",
            "kind",
            "type",
            "category",
        ],
    ),
    (
        Column::Roles,
        &[
            "用途",
            "役割",
            "用途・役割",
            "システム",
            "業務",
            "role",
            "roles",
            "purpose",
        ],
    ),
    (
        Column::Location,
        &["設置場所", "場所", "設置場所・部屋", "location"],
    ),
    (
        Column::Segment,
        &[
            "ネットワーク区分",
            "ネットワーク",
            "セグメント",
            "segment",
            "network",
        ],
    ),
    (Column::Ip, &["IPアドレス", "IP", "ipaddress", "ip address"]),
    (
        Column::Mac,
        &["MACアドレス", "MAC", "macaddress", "mac address"],
    ),
    (
        Column::Maker,
        &[
            "メーカー",
            "製造元",
            "メーカー名",
            "製造者",
            "maker",
            "manufacturer",
        ],
    ),
    (
        Column::Model,
        &[
            "機種",
            "型番",
            "モデル",
            "型式",
            "機種名",
            "機種・型番",
            "model",
        ],
    ),
    (
        Column::Os,
        &[
            "OS・ファームウェア",
            "OS",
            "ファームウェア",
            "OS/ファームウェア",
            "firmware",
            "os/firmware",
            "operating system",
        ],
    ),
    (
        Column::Version,
        &[
            "バージョン",
            "Ver",
            "Ver.",
            "ファームウェアバージョン",
            "OSバージョン",
            "version",
        ],
    ),
    (
        Column::Serial,
        &[
            "シリアル番号",
            "製造番号",
            "シリアル",
            "S/N",
            "serial",
            "serial number",
            "serialno",
        ],
    ),
    (
        Column::Department,
        &[
            "管理部署",
            "所管部署",
            "担当部署",
            "部署",
            "department",
            "owner department",
        ],
    ),
    (
        Column::Vendor,
        &[
            "保守業者",
            "保守会社",
            "保守事業者",
            "保守ベンダー",
            "保守担当業者",
            "vendor",
            "maintenance vendor",
        ],
    ),
    (
        Column::Remote,
        &[
            "リモート保守",
            "リモートメンテナンス",
            "遠隔保守",
            "リモート保守の有無",
            "remote maintenance",
            "remote",
        ],
    ),
    (
        Column::RemoteMethod,
        &[
            "リモート保守の方法",
            "接続方法",
            "保守回線",
            "remote method",
        ],
    ),
    (
        Column::AcquiredOn,
        &[
            "導入日",
            "導入年月日",
            "購入日",
            "設置日",
            "acquired",
            "acquired on",
            "purchase date",
        ],
    ),
    (
        Column::EndOfSupport,
        &[
            "サポート終了日",
            "保守期限",
            "サポート期限",
            "EOL",
            "end of support",
        ],
    ),
    (
        Column::VersionCheckedOn,
        &[
            "バージョン確認日",
            "最終確認日",
            "確認日",
            "version checked",
            "version checked on",
        ],
    ),
    (
        Column::Notes,
        &["備考", "メモ", "コメント", "notes", "remarks", "memo"],
    ),
];

/// How a device field holds its value. A field of free text or a date is handled the same
/// way by every adapter (stored, imported, exported, compared, audited, shown on the form)
/// from its line in [`FIELDS`] alone; a field with a type of its own is handled by its column.
#[derive(Clone, Copy)]
pub enum Slot {
    Text(
        fn(&NewAsset) -> &Option<String>,
        fn(&mut NewAsset) -> &mut Option<String>,
    ),
    Date(
        fn(&NewAsset) -> &Option<Date>,
        fn(&mut NewAsset) -> &mut Option<Date>,
    ),
    /// The name, kind, roles, addresses and remote maintenance.
    Own,
}

/// A fact of a device: its name (the database column, and the word audit records and
/// `changed_fields` use), the ledger column that fills it, and where its value lives.
#[derive(Clone, Copy)]
pub struct DeviceField {
    pub name: &'static str,
    pub column: Column,
    pub slot: Slot,
}

macro_rules! device_fields {
    ($($column:ident $name:ident $slot:ident),* $(,)?) => {
        /// Every fact of a device, once, in the order audit records list changed fields. **A new device
        /// field of text or a date is one line here** (with its `Column`, its header in
        /// [`COLUMNS`], a migration on each backend and a `column-…` label in each locale).
        pub const FIELDS: &[DeviceField] = &[$(DeviceField {
            name: stringify!($name),
            column: Column::$column,
            slot: device_fields!(@slot $slot $name),
        }),*];
    };
    (@slot text $f:ident) => { Slot::Text(|a| &a.$f, |a| &mut a.$f) };
    (@slot date $f:ident) => { Slot::Date(|a| &a.$f, |a| &mut a.$f) };
    (@slot own $f:ident) => { Slot::Own };
}

device_fields!(
    Kind kind own,
    Name name own,
    Roles roles own,
    Location location text,
    Segment segment text,
    Ip ip own,
    Mac mac own,
    Maker maker text,
    Model model text,
    Os os_name text,
    Version os_version text,
    Serial serial text,
    Department owner_department text,
    Vendor vendor text,
    Remote remote_maintenance own,
    RemoteMethod remote_method text,
    AcquiredOn acquired_on date,
    EndOfSupport end_of_support date,
    VersionCheckedOn version_checked_on date,
    Notes notes text,
);

impl DeviceField {
    /// The field a column fills.
    pub fn of(column: Column) -> Option<&'static DeviceField> {
        FIELDS.iter().find(|f| f.column == column)
    }

    /// Whether two descriptions of a device agree on this field.
    pub fn same(&self, a: &NewAsset, b: &NewAsset) -> bool {
        match self.slot {
            Slot::Text(get, _) => get(a) == get(b),
            Slot::Date(get, _) => get(a) == get(b),
            Slot::Own => match self.column {
                Column::Kind => a.kind == b.kind,
                Column::Name => a.name == b.name,
                Column::Roles => a.roles == b.roles,
                Column::Ip => a.ip == b.ip,
                Column::Mac => a.mac == b.mac,
                Column::Remote => a.remote_maintenance == b.remote_maintenance,
                _ => true,
            },
        }
    }

    /// Sets this field of `out` to `from`'s.
    pub fn copy(&self, out: &mut NewAsset, from: &NewAsset) {
        match self.slot {
            Slot::Text(get, set) => get(from).clone_into(set(out)),
            Slot::Date(get, set) => *set(out) = *get(from),
            Slot::Own => match self.column {
                Column::Kind => out.kind = from.kind,
                Column::Name => from.name.clone_into(&mut out.name),
                Column::Roles => from.roles.clone_into(&mut out.roles),
                Column::Ip => out.ip = from.ip,
                Column::Mac => out.mac = from.mac,
                Column::Remote => out.remote_maintenance = from.remote_maintenance,
                _ => {}
            },
        }
    }
}

/// A device's value in one column of the ledger, as the export and the device form write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(Date),
}

impl Cell {
    /// The cell as text (a date as `YYYY-MM-DD`).
    pub fn into_text(self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t,
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// What `a` holds in column `col`, in the ledger's words (kind and remote maintenance as the
/// export writes them, roles joined with ・).
pub fn cell(a: &NewAsset, col: Column) -> Cell {
    let text = |v: &Option<String>| v.clone().map_or(Cell::Empty, Cell::Text);
    match DeviceField::of(col).map(|f| f.slot) {
        Some(Slot::Text(get, _)) => text(get(a)),
        Some(Slot::Date(get, _)) => get(a).map_or(Cell::Empty, Cell::Date),
        _ => match col {
            Column::Name => Cell::Text(a.name.clone()),
            Column::Kind => Cell::Text(kind_word(a.kind).to_string()),
            Column::Roles if a.roles.is_empty() => Cell::Empty,
            Column::Roles => Cell::Text(a.roles.join("・")),
            Column::Ip => a.ip.map_or(Cell::Empty, |ip| Cell::Text(ip.to_string())),
            Column::Mac => a.mac.map_or(Cell::Empty, |m| Cell::Text(m.to_string())),
            Column::Remote => Cell::Text(remote_word(a.remote_maintenance).to_string()),
            _ => Cell::Empty,
        },
    }
}

impl Column {
    /// The device's field this column fills (as `changed_fields` and audit records name it).
    pub fn field(self) -> &'static str {
        DeviceField::of(self).map_or("", |f| f.name)
    }

    /// The column of a device field named as `field` gives it.
    pub fn of_field(field: &str) -> Option<Column> {
        FIELDS.iter().find(|f| f.name == field).map(|f| f.column)
    }

    /// A stable code: form field names and the locale id `column-{code}` of its label.
    pub fn code(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Kind => "kind",
            Column::Roles => "roles",
            Column::Location => "location",
            Column::Segment => "segment",
            Column::Ip => "ip",
            Column::Mac => "mac",
            Column::Maker => "maker",
            Column::Model => "model",
            Column::Os => "os",
            Column::Version => "version",
            Column::Serial => "serial",
            Column::Department => "department",
            Column::Vendor => "vendor",
            Column::Remote => "remote",
            Column::RemoteMethod => "remote-method",
            Column::AcquiredOn => "acquired-on",
            Column::EndOfSupport => "end-of-support",
            Column::VersionCheckedOn => "version-checked-on",
            Column::Notes => "notes",
        }
    }

    /// The header the export writes.
    pub fn header(self) -> &'static str {
        COLUMNS
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, names)| names[0])
    }
}

/// Full-width letters, digits and symbols to half-width, spaces dropped, lower case, and a
/// trailing note in brackets removed: `ＩＰアドレス（固定）` reads as `ipアドレス`.
pub fn normalise_header(s: &str) -> String {
    let half: String = s
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '　' => ' ',
            c => c,
        })
        .collect();
    let cut = half
        .find(['(', '（', '※', '*'])
        .map_or(half.as_str(), |i| &half[..i]);
    cut.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// The column a header names, if any.
pub fn column_for(header: &str) -> Option<Column> {
    let h = normalise_header(header);
    if h.is_empty() {
        return None;
    }
    let find = |h: &str| {
        COLUMNS
            .iter()
            .find(|(_, names)| names.iter().any(|n| normalise_header(n) == h))
            .map(|(c, _)| *c)
    };
    // `メーカー/製造元` names one column twice: the first part that is known decides.
    find(&h).or_else(|| h.split(['/', '・']).find_map(find))
}

/// The words for each kind: the first is the export's sheet and cell text. The checklist's
/// 対象 words (サーバ, 端末PC, ネットワーク機器) and the words clinics write, Japanese and
/// English; each kind's label in both locales reads back too. Compared folded (full-width to
/// half-width, lower case) and without spaces.
pub const KIND_WORDS: [(AssetKind, &[&str]); 17] = [
    (
        AssetKind::Server,
        &[
            "サーバ",
            "サーバー",
            "server",
            "サーバ機",
            "サーバー機",
            "物理サーバ",
            "仮想サーバ",
            "サーバ機器",
        ],
    ),
    (
        AssetKind::Pc,
        &[
            "パソコン",
            "PC",
            "端末",
            "端末PC",
            "PC端末",
            "端末パソコン",
            "クライアント",
            "クライアントPC",
            "クライアント端末",
            "ノートPC",
            "デスクトップPC",
            "ノートパソコン",
            "デスクトップパソコン",
            "業務端末",
            "電子カルテ端末",
            "タブレット",
            "workstation",
            "desktop",
            "laptop",
            "client",
            "terminal",
        ],
    ),
    (
        AssetKind::Router,
        &[
            "ルータ",
            "ルーター",
            "router",
            "ブロードバンドルータ",
            "ブロードバンドルーター",
            "無線LANルータ",
            "無線LANルーター",
            "Wi-Fiルータ",
            "Wi-Fiルーター",
        ],
    ),
    (AssetKind::Utm, &["UTM", "UTM装置", "統合脅威管理"]),
    (
        AssetKind::Firewall,
        &[
            "ファイアウォール",
            "ファイヤーウォール",
            "ファイアーウォール",
            "ファイヤウォール",
            "FW",
            "firewall",
        ],
    ),
    (
        AssetKind::VpnAppliance,
        &[
            "VPN装置",
            "VPN",
            "VPNルータ",
            "VPNルーター",
            "VPN機器",
            "SSL-VPN装置",
            "リモートアクセス装置",
            "vpn appliance",
            "vpn gateway",
        ],
    ),
    (
        AssetKind::Switch,
        &[
            "スイッチ",
            "ハブ",
            "HUB",
            "L2スイッチ",
            "L3スイッチ",
            "スイッチングハブ",
            "ネットワークスイッチ",
            "switch",
        ],
    ),
    (
        AssetKind::WifiAp,
        &[
            "無線LANアクセスポイント",
            "無線LAN",
            "Wi-Fi",
            "WiFi",
            "アクセスポイント",
            "AP",
            "無線AP",
            "無線アクセスポイント",
            "access point",
            "Wi-Fi access point",
            "wireless access point",
        ],
    ),
    (
        AssetKind::NetworkDevice,
        &[
            "ネットワーク機器",
            "NW機器",
            "ネットワーク装置",
            "ネットワーク関連機器",
            "通信機器",
            "ネットワーク",
            "network device",
            "network equipment",
            "network",
        ],
    ),
    (
        AssetKind::Printer,
        &[
            "複合機・プリンタ",
            "複合機",
            "プリンタ",
            "プリンター",
            "コピー機",
            "MFP",
            "printer",
            "Printer / multifunction printer",
            "multifunction printer",
        ],
    ),
    (
        AssetKind::Modality,
        &[
            "医療機器(撮影・検査)",
            "モダリティ",
            "撮影装置",
            "検査装置",
            "画像診断装置",
            "放射線機器",
            "modality",
            "Medical device (imaging, testing)",
        ],
    ),
    (AssetKind::Pacs, &["PACS", "医用画像管理システム"]),
    (
        AssetKind::LabAnalyser,
        &[
            "検体検査装置",
            "分析装置",
            "検体検査",
            "臨床検査機器",
            "lab analyser",
            "lab analyzer",
        ],
    ),
    (
        AssetKind::MedicalOther,
        &[
            "その他の医療機器",
            "医療機器",
            "医用機器",
            "medical device",
            "Other medical device",
        ],
    ),
    (
        AssetKind::Storage,
        &[
            "NAS・ストレージ",
            "NAS",
            "ストレージ",
            "storage",
            "NAS / storage",
            "外付けHDD",
            "バックアップ装置",
            "テープ装置",
        ],
    ),
    (
        AssetKind::Cloud,
        &[
            "クラウドサービス",
            "クラウド",
            "cloud",
            "cloud service",
            "SaaS",
        ],
    ),
    (AssetKind::Other, &["その他", "other"]),
];

/// A kind word as compared: folded, without spaces.
fn kind_key(s: &str) -> String {
    crate::text::fold(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

fn kind_of_key(key: &str) -> Option<AssetKind> {
    if key.is_empty() {
        return None;
    }
    KIND_WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| kind_key(w) == key))
        .map(|(k, _)| *k)
        .or_else(|| AssetKind::parse(key).ok())
}

/// The kind a cell or sheet name means: a word above or a kind code. A word with a note in
/// brackets reads as the bracket when that is a kind (`ネットワーク機器(ルータ)` is a router),
/// else as the word before it (`サーバ(物理)`).
pub fn kind_for(text: &str) -> Option<AssetKind> {
    let key = kind_key(text);
    kind_of_key(&key).or_else(|| {
        let (before, rest) = key.split_once('(')?;
        let inner = rest.split(')').next().unwrap_or_default();
        kind_of_key(inner).or_else(|| kind_of_key(before))
    })
}

/// The words a ledger may use for a kind, one per kind (for the message that refuses one).
pub fn kind_words() -> impl Iterator<Item = &'static str> {
    KIND_WORDS.iter().map(|(_, w)| w[0])
}

pub fn kind_word(kind: AssetKind) -> &'static str {
    KIND_WORDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, w)| w[0])
}

/// あり/なし/不明 and the marks clinics use for them.
pub fn remote_for(text: &str) -> Option<RemoteMaintenance> {
    match normalise_header(text).as_str() {
        "あり" | "有" | "有り" | "yes" | "y" | "○" | "〇" | "●" | "する" => {
            Some(RemoteMaintenance::Yes)
        }
        "なし" | "無" | "無し" | "no" | "n" | "×" | "✕" | "-" | "しない" => {
            Some(RemoteMaintenance::No)
        }
        "不明" | "?" | "？" | "unknown" | "" => Some(RemoteMaintenance::Unknown),
        _ => None,
    }
}

pub fn remote_word(r: RemoteMaintenance) -> &'static str {
    match r {
        RemoteMaintenance::Yes => "あり",
        RemoteMaintenance::No => "なし",
        RemoteMaintenance::Unknown => "不明",
    }
}

/// Where an incoming row goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Add,
    /// Same device, other facts: the names of the fields that change.
    Change {
        id: AssetId,
        fields: Vec<&'static str>,
    },
    Unchanged {
        id: AssetId,
    },
}

/// Why the rows cannot be imported as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Two rows carry the same serial number.
    DuplicateSerial {
        serial: String,
        first: usize,
        second: usize,
    },
    /// Two rows match the same device already in the ledger.
    SameDevice { first: usize, second: usize },
    /// A connection point (at `line` of its sheet) names a device that is not in the ledger
    /// (`found` 0) or that several devices are called (`found` > 1).
    PointDevice {
        line: usize,
        name: String,
        found: usize,
    },
}

/// How many of a kind of row an import adds, changes and leaves as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// The device a connection point of the file names, once the file's devices are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceRef {
    None,
    Existing(AssetId),
    /// The device of this row of the plan (added by the import).
    Row(usize),
}

/// A row of a ledger file that became a device description.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The sheet it is on (shared by the sheet's rows).
    pub sheet: std::sync::Arc<str>,
    /// 1-based, as the spreadsheet shows it.
    pub line: usize,
    pub asset: NewAsset,
    /// The columns its sheet has (empty: all): on re-import, the others keep their values.
    pub columns: std::sync::Arc<[Column]>,
}

/// What matching needs of a device already in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub id: AssetId,
    pub name: String,
    pub ip: Option<IpAddr>,
    pub serial: Option<String>,
}

impl Key {
    pub fn of(a: &Asset) -> Key {
        Key {
            id: a.id,
            name: a.details.name.clone(),
            ip: a.details.ip,
            serial: a.details.serial.clone(),
        }
    }
}

type NameIp = (Box<str>, Option<IpAddr>);

/// Devices of the ledger that incoming rows may be: all of them, or (during an import) those
/// that share a serial number or a name with a batch of rows, in id order.
#[derive(Debug, Default)]
pub struct Candidates {
    ids: Vec<AssetId>,
    by_serial: HashMap<Box<str>, usize>,
    /// By name and IP: the first device, and the first without a serial number.
    by_name_ip: HashMap<NameIp, (usize, Option<usize>)>,
}

impl Candidates {
    /// `keys` in id order (the first device of a key is the one matched).
    pub fn new(keys: impl IntoIterator<Item = Key>) -> Candidates {
        let mut c = Candidates::default();
        for k in keys {
            let i = c.ids.len();
            let entry = c
                .by_name_ip
                .entry((k.name.into(), k.ip))
                .or_insert((i, None));
            match k.serial {
                Some(serial) => {
                    c.by_serial.entry(serial.into()).or_insert(i);
                }
                None => {
                    entry.1.get_or_insert(i);
                }
            }
            c.ids.push(k.id);
        }
        c
    }

    /// By serial number when both have one, else by name and IP address.
    fn find(&self, new: &NewAsset) -> Option<AssetId> {
        let key: NameIp = (new.name.as_str().into(), new.ip);
        let found = match new.serial.as_deref() {
            Some(serial) => self.by_serial.get(serial).copied().or_else(|| {
                self.by_name_ip
                    .get(&key)
                    .and_then(|(_, no_serial)| *no_serial)
            }),
            None => self.by_name_ip.get(&key).map(|(first, _)| *first),
        };
        found.and_then(|i| self.ids.get(i)).copied()
    }
}

/// Finds the ledger's device for each incoming row, one row at a time (an import reads its
/// file while it writes): by serial number when both have one, else by name and IP address,
/// among the `Candidates` of the row's batch. It holds the serial numbers seen and the
/// devices matched (to refuse a second row for either), never the ledger or the rows.
#[derive(Debug, Default)]
pub struct Matcher {
    ledger: usize,
    serial_seen: HashMap<String, usize>,
    /// Devices matched so far, with the line that matched them.
    matched: HashMap<AssetId, usize>,
}

impl Matcher {
    /// For a ledger of `ledger` devices.
    pub fn new(ledger: usize) -> Matcher {
        Matcher {
            ledger,
            ..Matcher::default()
        }
    }

    /// The ledger's device `new` (at `line` of the file) describes, `None` for a new one; a
    /// conflict when an earlier row had its serial number or matched the same device.
    pub fn find(
        &mut self,
        new: &NewAsset,
        line: usize,
        candidates: &Candidates,
    ) -> Result<Option<AssetId>, Conflict> {
        if let Some(serial) = new.serial.as_deref() {
            if let Some(first) = self.serial_seen.get(serial) {
                return Err(Conflict::DuplicateSerial {
                    serial: serial.to_string(),
                    first: *first,
                    second: line,
                });
            }
            self.serial_seen.insert(serial.to_string(), line);
        }
        let Some(id) = candidates.find(new) else {
            return Ok(None);
        };
        if let Some(first) = self.matched.get(&id) {
            return Err(Conflict::SameDevice {
                first: *first,
                second: line,
            });
        }
        self.matched.insert(id, line);
        Ok(Some(id))
    }

    /// Devices of the ledger no row has matched (so far): the file leaves them alone.
    pub fn left_alone(&self) -> usize {
        self.ledger.saturating_sub(self.matched.len())
    }
}

/// What a matched row does to its device: the step, and the device as it will be (columns
/// the file lacks keep the ledger's values).
pub fn step(existing: &Asset, new: &NewAsset, present: &[Column]) -> (Step, NewAsset) {
    let merged = merge(&existing.details, new, present);
    let fields = changed_fields(&existing.details, &merged);
    let step = if fields.is_empty() {
        Step::Unchanged { id: existing.id }
    } else {
        Step::Change {
            id: existing.id,
            fields,
        }
    };
    (step, merged)
}

/// Finds each connection point's device by name among the ledger as it will be after the
/// import: `named` are the file's devices (with their final names) and the devices the file
/// leaves alone. `points` are `(line, device name)`.
pub fn resolve_devices(
    named: &[(&str, DeviceRef)],
    points: &[(usize, Option<&str>)],
) -> std::result::Result<Vec<DeviceRef>, Vec<Conflict>> {
    let mut out = Vec::new();
    let mut conflicts = Vec::new();
    for (line, name) in points {
        let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
            out.push(DeviceRef::None);
            continue;
        };
        let hits: Vec<DeviceRef> = named
            .iter()
            .filter(|(n, _)| n.trim() == name)
            .map(|(_, r)| *r)
            .collect();
        match hits.as_slice() {
            [one] => out.push(*one),
            _ => conflicts.push(Conflict::PointDevice {
                line: *line,
                name: name.to_string(),
                found: hits.len(),
            }),
        }
    }
    if conflicts.is_empty() {
        Ok(out)
    } else {
        Err(conflicts)
    }
}

/// Rows an import's summary lists by name; the counts cover them all.
pub const SHOWN_ROWS: usize = 500;

/// What an import did (or, in a dry run, would do): counts, and the first rows that add or
/// change a device for a person to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub devices: Counts,
    pub left_alone: usize,
    /// At most `SHOWN_ROWS`, in file order: a device's name and, for a change, its fields.
    pub shown: Vec<(String, Option<Vec<&'static str>>)>,
    /// The file's connection points and vendors (by name).
    pub points: Counts,
    pub vendors: Counts,
}

impl Summary {
    pub fn added(&self) -> usize {
        self.devices.added
    }

    pub fn changed(&self) -> usize {
        self.devices.changed
    }

    pub fn unchanged(&self) -> usize {
        self.devices.unchanged
    }

    /// Counts a row's step and lists it while the list is short.
    pub fn count(&mut self, step: &Step, name: &str) {
        let shown = match step {
            Step::Add => {
                self.devices.added += 1;
                None
            }
            Step::Change { fields, .. } => {
                self.devices.changed += 1;
                Some(fields.clone())
            }
            Step::Unchanged { .. } => {
                self.devices.unchanged += 1;
                return;
            }
        };
        if self.shown.len() < SHOWN_ROWS {
            self.shown.push((name.to_string(), shown));
        }
    }

    /// Rows that add or change a device beyond those listed.
    pub fn not_shown(&self) -> usize {
        (self.devices.added + self.devices.changed).saturating_sub(self.shown.len())
    }
}

/// `incoming` with the fields of columns the file does not have taken from `existing`: a
/// file listing only names and IP addresses must not wipe the rest of the ledger.
pub fn merge(existing: &NewAsset, incoming: &NewAsset, present: &[Column]) -> NewAsset {
    if present.is_empty() {
        return incoming.clone();
    }
    let mut out = incoming.clone();
    for f in FIELDS.iter().filter(|f| !present.contains(&f.column)) {
        f.copy(&mut out, existing);
    }
    out
}

/// The fields in which two descriptions of a device differ.
pub fn changed_fields(a: &NewAsset, b: &NewAsset) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter(|f| !f.same(a, b))
        .map(|f| f.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_fills_one_field_and_back() {
        for (c, _) in COLUMNS {
            let f = DeviceField::of(c).unwrap();
            assert_eq!(Column::of_field(f.name), Some(c));
        }
        assert_eq!(FIELDS.len(), COLUMNS.len());
        let mut names: Vec<_> = FIELDS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
        // Each field is compared and copied: a device differing in every field differs in
        // each, and copying every field makes the two the same.
        let a = NewAsset::new(AssetKind::Server, "A").unwrap();
        let mut b = NewAsset::new(AssetKind::Router, "B")
            .unwrap()
            .role("PACS")
            .ip("10.0.0.1")
            .unwrap();
        let d = Date::parse("2026-04-01").unwrap();
        for f in FIELDS {
            match f.slot {
                Slot::Text(_, set) => *set(&mut b) = Some(f.name.to_string()),
                Slot::Date(_, set) => *set(&mut b) = Some(d),
                Slot::Own => {}
            }
        }
        b.mac = Some(crate::MacAddress::parse("00:11:22:33:44:55").unwrap());
        b.remote_maintenance = RemoteMaintenance::Yes;
        assert_eq!(changed_fields(&a, &b).len(), FIELDS.len());
        assert_eq!(merge(&b, &a, &[Column::Name]).name, "A");
        let mut c = a.clone();
        for f in FIELDS {
            f.copy(&mut c, &b);
        }
        assert_eq!(c, b);
        // Changed fields are listed in the ledger's order of columns (kind before name).
        let fields = changed_fields(&a, &b);
        assert_eq!(&fields[..4], ["kind", "name", "roles", "location"]);
        assert_eq!(fields.last(), Some(&"notes"));
    }

    // The whole-file form of an import, made of the pieces the store uses batch by batch
    // (`Candidates`, `Matcher`, `step`): the matching rules, tested without a database.
    /// What a whole file does, row by row (in the order of `incoming`), and how many devices of
    /// the ledger the file does not mention (they are left alone, never deleted).
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Plan {
        steps: Vec<Step>,
        /// What each row's device will be: the file's values, and for columns the file does not
        /// have, the values already in the ledger.
        assets: Vec<NewAsset>,
        left_alone: usize,
    }

    impl Plan {
        pub fn added(&self) -> usize {
            self.steps.iter().filter(|s| matches!(s, Step::Add)).count()
        }

        pub fn changed(&self) -> usize {
            self.steps
                .iter()
                .filter(|s| matches!(s, Step::Change { .. }))
                .count()
        }

        pub fn unchanged(&self) -> usize {
            self.steps
                .iter()
                .filter(|s| matches!(s, Step::Unchanged { .. }))
                .count()
        }
    }

    /// Matches each incoming row with the ledger (see `Matcher`) in one go: `rows[i]` is the
    /// file's row number of `incoming[i]`, for conflicts.
    fn plan(
        existing: &[Asset],
        incoming: &[NewAsset],
        rows: &[usize],
        columns: &[Vec<Column>],
    ) -> Result<Plan, Vec<Conflict>> {
        let candidates = Candidates::new(existing.iter().map(Key::of));
        let mut matcher = Matcher::new(existing.len());
        let by_id: HashMap<AssetId, &Asset> = existing.iter().map(|a| (a.id, a)).collect();
        let mut conflicts = Vec::new();
        let mut steps = Vec::with_capacity(incoming.len());
        let mut assets = Vec::with_capacity(incoming.len());
        for (i, new) in incoming.iter().enumerate() {
            let line = rows.get(i).copied().unwrap_or(i + 1);
            let present = columns.get(i).map_or(&[][..], Vec::as_slice);
            match matcher.find(new, line, &candidates) {
                Err(c) => conflicts.push(c),
                Ok(found) => {
                    let (s, a) = match found.and_then(|id| by_id.get(&id)) {
                        None => (Step::Add, new.clone()),
                        Some(old) => step(old, new, present),
                    };
                    steps.push(s);
                    assets.push(a);
                }
            }
        }
        if !conflicts.is_empty() {
            return Err(conflicts);
        }
        Ok(Plan {
            steps,
            assets,
            left_alone: matcher.left_alone(),
        })
    }

    use crate::facility::FacilityId;

    fn asset(id: i64, name: &str, ip: &str, serial: Option<&str>) -> Asset {
        let mut d = NewAsset::new(AssetKind::Pc, name).unwrap().ip(ip).unwrap();
        d.serial = serial.map(str::to_string);
        Asset {
            id: AssetId(id),
            facility: FacilityId(1),
            details: d,
        }
    }

    #[test]
    fn headers_clinics_write() {
        for (h, c) in [
            ("機器名", Column::Name),
            ("ホスト名", Column::Name),
            ("ＩＰアドレス（固定）", Column::Ip),
            ("IP Address", Column::Ip),
            ("メーカー／製造元", Column::Maker),
            ("製造元", Column::Maker),
            ("Ver.", Column::Version),
            ("ＯＳ/ファームウェア", Column::Os),
            ("シリアル番号 ※必須", Column::Serial),
            ("保守会社", Column::Vendor),
            ("リモートメンテナンス", Column::Remote),
            ("導入日", Column::AcquiredOn),
            ("サポート終了日", Column::EndOfSupport),
            ("備考", Column::Notes),
        ] {
            assert_eq!(column_for(h), Some(c), "{h}");
        }
        assert_eq!(column_for("担当者の好きな色"), None);
        assert_eq!(column_for(""), None);
        for (c, names) in COLUMNS {
            assert_eq!(column_for(names[0]), Some(c), "export header reads back");
        }
    }

    #[test]
    fn kinds_and_marks() {
        assert_eq!(kind_for("サーバー"), Some(AssetKind::Server));
        assert_eq!(kind_for("ＰＣ"), Some(AssetKind::Pc));
        assert_eq!(kind_for("vpn-appliance"), Some(AssetKind::VpnAppliance));
        assert_eq!(kind_for("トースター"), None);
        for (word, kind) in [
            ("端末PC", AssetKind::Pc),
            ("端末ＰＣ", AssetKind::Pc),
            ("ネットワーク機器", AssetKind::NetworkDevice),
            ("ＮＷ機器", AssetKind::NetworkDevice),
            ("医療機器", AssetKind::MedicalOther),
            ("医療機器（撮影・検査）", AssetKind::Modality),
            ("ネットワーク機器(ルーター)", AssetKind::Router),
            ("サーバ(物理)", AssetKind::Server),
            ("複合機", AssetKind::Printer),
            ("ファイヤーウォール", AssetKind::Firewall),
            ("Network Device", AssetKind::NetworkDevice),
            ("network-device", AssetKind::NetworkDevice),
        ] {
            assert_eq!(kind_for(word), Some(kind), "{word}");
        }
        for k in AssetKind::ALL {
            assert_eq!(kind_for(kind_word(k)), Some(k));
        }
        assert_eq!(remote_for("○"), Some(RemoteMaintenance::Yes));
        assert_eq!(remote_for("無"), Some(RemoteMaintenance::No));
        assert_eq!(remote_for(""), Some(RemoteMaintenance::Unknown));
        assert_eq!(remote_for("たぶん"), None);
    }

    #[test]
    fn every_changed_field_has_its_column() {
        let a = NewAsset::new(AssetKind::Pc, "a").unwrap();
        let mut b = NewAsset::new(AssetKind::Server, "b").unwrap();
        b.roles = vec!["x".into()];
        for f in [
            &mut b.location,
            &mut b.segment,
            &mut b.maker,
            &mut b.model,
            &mut b.os_name,
            &mut b.os_version,
            &mut b.serial,
            &mut b.owner_department,
            &mut b.vendor,
            &mut b.remote_method,
            &mut b.notes,
        ] {
            *f = Some("x".into());
        }
        b = b.ip("10.0.0.1").unwrap();
        b.mac = Some(crate::MacAddress::parse("00:11:22:33:44:55").unwrap());
        b.remote_maintenance = RemoteMaintenance::Yes;
        let d = crate::Date::new(2024, 4, 1).unwrap();
        (b.acquired_on, b.end_of_support, b.version_checked_on) = (Some(d), Some(d), Some(d));
        let fields = changed_fields(&a, &b);
        assert_eq!(fields.len(), 20, "{fields:?}");
        for f in fields {
            assert_eq!(Column::of_field(f).map(Column::field), Some(f));
        }
    }

    #[test]
    fn plan_matches_by_serial_then_name_and_ip() {
        let existing = vec![
            asset(1, "受付PC", "192.168.1.10", Some("SN1")),
            asset(2, "診察室PC", "192.168.1.11", None),
            asset(3, "NAS", "192.168.1.50", None),
        ];
        let renamed = asset(0, "受付PC(新)", "192.168.1.10", Some("SN1")).details;
        let same = asset(0, "診察室PC", "192.168.1.11", None).details;
        let new = asset(0, "検査室PC", "192.168.1.12", None).details;
        let p = plan(&existing, &[renamed, same, new], &[2, 3, 4], &[]).unwrap();
        assert_eq!(
            p.steps[0],
            Step::Change {
                id: AssetId(1),
                fields: vec!["name"]
            }
        );
        assert_eq!(p.steps[1], Step::Unchanged { id: AssetId(2) });
        assert_eq!(p.steps[2], Step::Add);
        assert_eq!(
            (p.added(), p.changed(), p.unchanged(), p.left_alone),
            (1, 1, 1, 1)
        );
    }

    #[test]
    fn a_serial_matches_before_a_name() {
        let existing = vec![
            asset(1, "PC", "10.0.0.1", Some("SN-A")),
            asset(2, "PC", "10.0.0.1", None),
        ];
        let with_other_serial = asset(0, "PC", "10.0.0.1", Some("SN-B")).details;
        let p = plan(&existing, &[with_other_serial], &[2], &[]).unwrap();
        assert_eq!(
            p.steps[0],
            Step::Change {
                id: AssetId(2),
                fields: vec!["serial"]
            },
            "the one without a serial"
        );
        let no_serial = asset(0, "PC", "10.0.0.1", None).details;
        let p = plan(&existing, &[no_serial], &[2], &[]).unwrap();
        assert!(
            matches!(p.steps[0], Step::Change { id: AssetId(1), .. }),
            "first by name and IP"
        );
    }

    #[test]
    fn columns_the_file_lacks_keep_their_values() {
        let mut full = asset(1, "受付PC", "192.168.1.10", None);
        full.details.maker = Some("NEC".into());
        full.details.location = Some("受付".into());
        let mut partial = NewAsset::new(AssetKind::Pc, "受付PC")
            .unwrap()
            .ip("192.168.1.10")
            .unwrap();
        partial.location = Some("受付カウンター".into());
        let present = vec![vec![
            Column::Name,
            Column::Ip,
            Column::Location,
            Column::Kind,
        ]];
        let p = plan(&[full], &[partial], &[2], &present).unwrap();
        assert_eq!(
            p.steps[0],
            Step::Change {
                id: AssetId(1),
                fields: vec!["location"]
            }
        );
        assert_eq!(p.assets[0].maker.as_deref(), Some("NEC"), "not wiped");
    }

    #[test]
    fn conflicts_name_both_rows() {
        let a = asset(0, "A", "10.0.0.1", Some("SN9")).details;
        let b = asset(0, "B", "10.0.0.2", Some("SN9")).details;
        assert_eq!(
            plan(&[], &[a, b], &[5, 9], &[]),
            Err(vec![Conflict::DuplicateSerial {
                serial: "SN9".into(),
                first: 5,
                second: 9
            }])
        );
        let existing = vec![asset(1, "A", "10.0.0.1", None)];
        let twice = asset(0, "A", "10.0.0.1", None).details;
        assert_eq!(
            plan(&existing, &[twice.clone(), twice], &[2, 3], &[]),
            Err(vec![Conflict::SameDevice {
                first: 2,
                second: 3
            }])
        );
    }
}
