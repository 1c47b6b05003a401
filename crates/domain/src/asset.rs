//! Assets of the ledger (台帳): servers, PCs, network and medical devices, storage and cloud
//! services. This is the first slice of the ledger; import, segments and connection points
//! build on it.

use std::net::IpAddr;

use crate::date::Date;
use crate::error::{Error, Field, Result, Rule};
use crate::facility::FacilityId;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct AssetId(pub i64);

/// What a device is. Network devices are split by role because a VPN appliance or UTM that
/// faces the internet is where the attacks on Japanese hospitals came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssetKind {
    Server,
    Pc,
    Router,
    Utm,
    Firewall,
    VpnAppliance,
    Switch,
    WifiAp,
    /// A network device whose role the ledger does not say (the checklist's ネットワーク機器):
    /// its role comes from maker and model where the product is known (`network_role`).
    NetworkDevice,
    /// A multifunction printer or printer (複合機).
    Printer,
    Modality,
    Pacs,
    LabAnalyser,
    MedicalOther,
    Storage,
    Cloud,
    Other,
}

impl AssetKind {
    pub const ALL: [AssetKind; 17] = [
        Self::Server,
        Self::Pc,
        Self::Router,
        Self::Utm,
        Self::Firewall,
        Self::VpnAppliance,
        Self::Switch,
        Self::WifiAp,
        Self::NetworkDevice,
        Self::Printer,
        Self::Modality,
        Self::Pacs,
        Self::LabAnalyser,
        Self::MedicalOther,
        Self::Storage,
        Self::Cloud,
        Self::Other,
    ];

    /// Stable code stored in the database; the locale id of its label is `asset-kind-{code}`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Server => "server",
            Self::Pc => "pc",
            Self::Router => "router",
            Self::Utm => "utm",
            Self::Firewall => "firewall",
            Self::VpnAppliance => "vpn-appliance",
            Self::Switch => "switch",
            Self::WifiAp => "wifi-ap",
            Self::NetworkDevice => "network-device",
            Self::Printer => "printer",
            Self::Modality => "modality",
            Self::Pacs => "pacs",
            Self::LabAnalyser => "lab-analyser",
            Self::MedicalOther => "medical-other",
            Self::Storage => "storage",
            Self::Cloud => "cloud",
            Self::Other => "other",
        }
    }

    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| Error::invalid(Field::AssetKind, input, Rule::UnknownAssetKind))
    }
}

/// Whether a vendor can reach the device from outside for maintenance (リモート保守).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RemoteMaintenance {
    Yes,
    No,
    Unknown,
}

impl RemoteMaintenance {
    pub fn code(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(input: &str) -> Result<Self> {
        match input.trim() {
            "yes" | "あり" | "有" => Ok(Self::Yes),
            "no" | "なし" | "無" => Ok(Self::No),
            "unknown" | "不明" | "" => Ok(Self::Unknown),
            _ => Err(Error::invalid(
                Field::RemoteMaintenance,
                input,
                Rule::UnknownRemoteMaintenance,
            )),
        }
    }
}

/// A MAC address, kept as `AA:BB:CC:DD:EE:FF` whatever separators it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacAddress([u8; 6]);

impl MacAddress {
    /// Accepts `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff` and `aabbccddeeff`.
    pub fn parse(input: &str) -> Result<Self> {
        let hex: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ':' | '-' | '.'))
            .collect();
        let bad = || Error::invalid(Field::MacAddress, input, Rule::NotAMacAddress);
        if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut out = [0u8; 6];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(hex.get(i * 2..i * 2 + 2).ok_or_else(bad)?, 16)
                .map_err(|_| bad())?;
        }
        Ok(MacAddress(out))
    }
}

impl std::fmt::Display for MacAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|b| format!("{b:02X}")).collect();
        f.write_str(&parts.join(":"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub id: AssetId,
    pub facility: FacilityId,
    pub details: NewAsset,
}

/// The facts a person records about a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAsset {
    pub kind: AssetKind,
    pub name: String,
    /// What the device is for: 電子カルテ, レセコン, PACS, バックアップ, …
    pub roles: Vec<String>,
    pub location: Option<String>,
    pub ip: Option<IpAddr>,
    pub maker: Option<String>,
    pub model: Option<String>,
    /// Operating system or firmware name and version as written on the device.
    pub os_name: Option<String>,
    pub os_version: Option<String>,
    /// The company that maintains it (保守業者).
    pub vendor: Option<String>,
    pub remote_maintenance: RemoteMaintenance,
    /// How the vendor gets in (e.g. "UTM の SSL-VPN", "TeamViewer").
    pub remote_method: Option<String>,
    pub mac: Option<MacAddress>,
    pub serial: Option<String>,
    /// The network segment the device sits in (診療系, 業務系, …), by name.
    pub segment: Option<String>,
    pub owner_department: Option<String>,
    pub acquired_on: Option<Date>,
    pub end_of_support: Option<Date>,
    /// When someone last checked the version against the maker's updates.
    pub version_checked_on: Option<Date>,
    pub notes: Option<String>,
}

impl NewAsset {
    const TEXT_MAX: usize = 200;
    const NOTES_MAX: usize = 2000;

    pub fn new(kind: AssetKind, name: &str) -> Result<Self> {
        Ok(NewAsset::bare(
            kind,
            text::required(Field::AssetName, name, Self::TEXT_MAX)?,
        ))
    }

    /// A device of `kind` named `name` (taken as it is: read back from storage) with nothing
    /// else known.
    pub fn bare(kind: AssetKind, name: String) -> Self {
        NewAsset {
            kind,
            name,
            roles: Vec::new(),
            location: None,
            ip: None,
            maker: None,
            model: None,
            os_name: None,
            os_version: None,
            vendor: None,
            remote_maintenance: RemoteMaintenance::Unknown,
            remote_method: None,
            mac: None,
            serial: None,
            segment: None,
            owner_department: None,
            acquired_on: None,
            end_of_support: None,
            version_checked_on: None,
            notes: None,
        }
    }

    pub fn role(mut self, role: &str) -> Self {
        let role = role.trim();
        if !role.is_empty() && !self.roles.iter().any(|r| r == role) {
            self.roles.push(role.to_string());
        }
        self
    }

    pub fn ip(mut self, ip: &str) -> Result<Self> {
        let parsed = ip
            .trim()
            .parse::<IpAddr>()
            .map_err(|_| Error::invalid(Field::IpAddress, ip, Rule::NotAnIpAddress))?;
        self.ip = Some(parsed);
        Ok(self)
    }

    fn text(value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        (!v.is_empty()).then(|| v.chars().take(max).collect())
    }

    pub fn location(mut self, v: &str) -> Self {
        self.location = Self::text(v, Self::TEXT_MAX);
        self
    }

    pub fn maker_model(mut self, maker: &str, model: &str) -> Self {
        self.maker = Self::text(maker, Self::TEXT_MAX);
        self.model = Self::text(model, Self::TEXT_MAX);
        self
    }

    pub fn os(mut self, name: &str, version: &str) -> Self {
        self.os_name = Self::text(name, Self::TEXT_MAX);
        self.os_version = Self::text(version, Self::TEXT_MAX);
        self
    }

    pub fn vendor(mut self, v: &str, remote: RemoteMaintenance) -> Self {
        self.vendor = Self::text(v, Self::TEXT_MAX);
        self.remote_maintenance = remote;
        self
    }

    pub fn serial(mut self, v: &str) -> Self {
        self.serial = Self::text(v, Self::TEXT_MAX);
        self
    }

    pub fn segment(mut self, v: &str) -> Self {
        self.segment = Self::text(v, Self::TEXT_MAX);
        self
    }

    pub fn notes(mut self, v: &str) -> Self {
        self.notes = Self::text(v, Self::NOTES_MAX);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_ip() {
        let a = NewAsset::new(AssetKind::Pc, "受付PC").and_then(|a| a.ip("192.168.1.300"));
        assert_eq!(
            a,
            Err(Error::invalid(
                Field::IpAddress,
                "192.168.1.300",
                Rule::NotAnIpAddress
            ))
        );
    }

    #[test]
    fn mac_addresses() {
        for s in [
            "00:1a:2b:3c:4d:5e",
            "00-1A-2B-3C-4D-5E",
            "001a.2b3c.4d5e",
            "001A2B3C4D5E",
        ] {
            assert_eq!(
                MacAddress::parse(s).map(|m| m.to_string()),
                Ok("00:1A:2B:3C:4D:5E".into()),
                "{s}"
            );
        }
        for bad in [
            "",
            "00:1a:2b:3c:4d",
            "00:1a:2b:3c:4d:5g",
            "00:1a:2b:3c:4d:5e:6f",
        ] {
            assert!(MacAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in AssetKind::ALL {
            assert_eq!(AssetKind::parse(k.code()), Ok(k));
        }
        assert!(AssetKind::parse("toaster").is_err());
    }

    #[test]
    fn roles_are_deduplicated() {
        let a = NewAsset::new(AssetKind::Server, "電子カルテサーバ")
            .map(|a| a.role("電子カルテ").role("電子カルテ").role(" "));
        assert_eq!(a.map(|a| a.roles), Ok(vec!["電子カルテ".to_string()]));
    }
}
