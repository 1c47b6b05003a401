//! Connection points (院外との接続点): every way in from outside — a vendor's
//! remote-maintenance VPN, a site-to-site line to a supplier such as a food-service company,
//! 遠隔読影, the cloud EHR line, オンライン資格確認, the internet breakout, Wi-Fi — and the
//! gaps that made the Osaka and Tokushima attacks possible.

use crate::asset::{AssetId, NewAsset};
use crate::date::Date;
use crate::error::{Error, Field, Result, Rule};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnectionPointId(pub i64);

/// Declares a closed set of codes: `code()`, `parse()` and `ALL`, for stored values and forms.
macro_rules! codes {
    ($(#[$m:meta])* $name:ident, $field:expr, $rule:expr, { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored and accepted on the command line; the locale id of its
            /// label is the type's prefix and this code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(input: &str) -> Result<Self> {
                let s = input.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code().eq_ignore_ascii_case(s))
                    .ok_or_else(|| Error::invalid($field, input, $rule))
            }
        }
    };
}

codes!(
    /// What the connection is for.
    ConnectionKind, Field::ConnectionKind, Rule::UnknownChoice, {
        VendorRemote => "vendor-remote",
        SiteToSite => "site-to-site",
        RemoteReading => "remote-reading",
        CloudEhr => "cloud-ehr",
        OnlineEligibility => "online-eligibility",
        Internet => "internet",
        WiFi => "wifi",
        Other => "other",
    }
);

codes!(
    /// Whether the line is open all the time or only when someone opens it.
    Availability, Field::Availability, Rule::UnknownChoice, {
        AlwaysOn => "always-on",
        OnDemand => "on-demand",
        Unknown => "unknown",
    }
);

codes!(
    /// How the other side proves who it is.
    Authentication, Field::Authentication, Rule::UnknownChoice, {
        SharedPassword => "shared-password",
        PersonalPassword => "personal-password",
        TwoFactor => "two-factor",
        Certificate => "certificate",
        Unknown => "unknown",
    }
);

codes!(
    /// Whether only known source addresses may connect (接続元制限).
    SourceRestriction, Field::SourceRestriction, Rule::UnknownChoice, {
        Yes => "yes",
        No => "no",
        Unknown => "unknown",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConnectionPoint {
    pub name: String,
    pub kind: ConnectionKind,
    /// The device that terminates the line (the VPN appliance, the UTM, the router).
    pub asset: Option<AssetId>,
    /// The company on the other side, by name as in the vendor list.
    pub vendor: Option<String>,
    pub availability: Availability,
    pub authentication: Authentication,
    pub source_restriction: SourceRestriction,
    /// The allowed source addresses, when restricted.
    pub sources: Option<String>,
    /// Segments reachable through it, by name.
    pub reachable_segments: Vec<String>,
    pub credentials_changed_on: Option<Date>,
    pub last_used_on: Option<Date>,
    /// Contract and 責任分界 (who answers for what).
    pub contract_notes: Option<String>,
    pub notes: Option<String>,
}

/// Segment names as people list them: 「診療系、保守用」, 「診療系・保守用」, `a, b`, `a/b`.
pub fn segments_from(text: &str) -> Vec<String> {
    text.split(['、', ',', '・', '/'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl NewConnectionPoint {
    pub fn new(name: &str, kind: ConnectionKind) -> Result<Self> {
        Ok(NewConnectionPoint {
            name: text::required(Field::ConnectionName, name, 200)?,
            kind,
            asset: None,
            vendor: None,
            availability: Availability::Unknown,
            authentication: Authentication::Unknown,
            source_restriction: SourceRestriction::Unknown,
            sources: None,
            reachable_segments: Vec::new(),
            credentials_changed_on: None,
            last_used_on: None,
            contract_notes: None,
            notes: None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionPoint {
    pub id: ConnectionPointId,
    pub details: NewConnectionPoint,
}

/// A weakness of a connection point, worst first in [`gaps`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gap {
    /// Shared password: nobody knows who connected (the Osaka entry).
    SharedPassword,
    /// Open from anywhere on the internet.
    NoSourceRestriction,
    /// Open all the time, not only for a maintenance window.
    AlwaysOn,
    /// Credentials unchanged for over a year, or never recorded as changed.
    OldCredentials,
    /// The terminating device's firmware version is not known (or no device is recorded).
    UnknownFirmware,
    /// How it authenticates, whether it is restricted or always on is not known.
    Unknown,
}

impl Gap {
    pub fn code(self) -> &'static str {
        match self {
            Gap::SharedPassword => "shared-password",
            Gap::NoSourceRestriction => "no-source-restriction",
            Gap::AlwaysOn => "always-on",
            Gap::OldCredentials => "old-credentials",
            Gap::UnknownFirmware => "unknown-firmware",
            Gap::Unknown => "unknown",
        }
    }
}

/// Devices the ledger says are maintained remotely (リモート保守: あり) on which no way in
/// ends: the vendor reaches them somehow, and nobody registered how.
pub fn unregistered_remote<'a>(
    assets: &'a [crate::Asset],
    points: &[ConnectionPoint],
) -> Vec<&'a crate::Asset> {
    assets
        .iter()
        .filter(|a| {
            a.details.remote_maintenance == crate::RemoteMaintenance::Yes
                && !points.iter().any(|p| p.details.asset == Some(a.id))
        })
        .collect()
}

/// The gaps of `cp` on `today`, given the device that terminates it.
pub fn gaps(cp: &NewConnectionPoint, terminating: Option<&NewAsset>, today: Date) -> Vec<Gap> {
    let mut out = Vec::new();
    if cp.authentication == Authentication::SharedPassword {
        out.push(Gap::SharedPassword);
    }
    if cp.source_restriction == SourceRestriction::No {
        out.push(Gap::NoSourceRestriction);
    }
    // Maintenance and supplier lines should open only for a job; the EHR cloud line, the
    // eligibility line and the internet breakout are on by design.
    let should_close = matches!(
        cp.kind,
        ConnectionKind::VendorRemote
            | ConnectionKind::SiteToSite
            | ConnectionKind::RemoteReading
            | ConnectionKind::Other
    );
    if cp.availability == Availability::AlwaysOn && should_close {
        out.push(Gap::AlwaysOn);
    }
    let stale = cp
        .credentials_changed_on
        .is_none_or(|d| today.days() - d.days() > 365);
    if stale && cp.authentication != Authentication::Certificate {
        out.push(Gap::OldCredentials);
    }
    if terminating.is_none_or(|a| a.os_version.is_none()) {
        out.push(Gap::UnknownFirmware);
    }
    let unknown = cp.authentication == Authentication::Unknown
        || cp.source_restriction == SourceRestriction::Unknown
        || cp.availability == Availability::Unknown;
    if unknown {
        out.push(Gap::Unknown);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::AssetKind;

    fn today() -> Date {
        Date::new(2026, 12, 1).unwrap()
    }

    #[test]
    fn the_osaka_vpn_has_every_gap() {
        let mut cp = NewConnectionPoint::new("給食事業者VPN", ConnectionKind::SiteToSite).unwrap();
        cp.availability = Availability::AlwaysOn;
        cp.authentication = Authentication::SharedPassword;
        cp.source_restriction = SourceRestriction::No;
        cp.credentials_changed_on = Date::new(2019, 4, 1).ok();
        let vpn = NewAsset::new(AssetKind::VpnAppliance, "FortiGate").unwrap();
        assert_eq!(
            gaps(&cp, Some(&vpn), today()),
            vec![
                Gap::SharedPassword,
                Gap::NoSourceRestriction,
                Gap::AlwaysOn,
                Gap::OldCredentials,
                Gap::UnknownFirmware
            ]
        );
    }

    #[test]
    fn a_well_kept_line_has_none() {
        let mut cp =
            NewConnectionPoint::new("電子カルテ保守", ConnectionKind::VendorRemote).unwrap();
        cp.availability = Availability::OnDemand;
        cp.authentication = Authentication::TwoFactor;
        cp.source_restriction = SourceRestriction::Yes;
        cp.credentials_changed_on = Date::new(2026, 6, 1).ok();
        let vpn = NewAsset::new(AssetKind::Utm, "UTM")
            .unwrap()
            .os("FortiOS", "7.4.8");
        assert!(gaps(&cp, Some(&vpn), today()).is_empty());
        cp.credentials_changed_on = Date::new(2025, 11, 30).ok();
        assert_eq!(
            gaps(&cp, Some(&vpn), today()),
            vec![Gap::OldCredentials],
            "366 days"
        );
    }

    #[test]
    fn lines_that_are_on_by_design() {
        let mut cp =
            NewConnectionPoint::new("オンライン資格確認", ConnectionKind::OnlineEligibility)
                .unwrap();
        cp.availability = Availability::AlwaysOn;
        cp.authentication = Authentication::Certificate;
        cp.source_restriction = SourceRestriction::Yes;
        let terminal = NewAsset::new(AssetKind::Pc, "端末")
            .unwrap()
            .os("Windows 11 Pro", "23H2");
        assert!(gaps(&cp, Some(&terminal), today()).is_empty());
    }

    #[test]
    fn what_is_not_known_is_a_gap() {
        let cp = NewConnectionPoint::new("不明な回線", ConnectionKind::Other).unwrap();
        let g = gaps(&cp, None, today());
        assert!(
            g.contains(&Gap::Unknown)
                && g.contains(&Gap::UnknownFirmware)
                && g.contains(&Gap::OldCredentials)
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in ConnectionKind::ALL {
            assert_eq!(ConnectionKind::parse(k.code()), Ok(*k));
        }
        assert!(Authentication::parse("password123").is_err());
    }
}
