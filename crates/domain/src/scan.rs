//! What a network scan shows next to the ledger: devices nobody listed, listed devices that
//! did not answer, versions the scan saw where the ledger has none (to be confirmed by a
//! person, never written silently), and services that let ransomware spread.

use std::collections::HashSet;
use std::net::IpAddr;

use crate::asset::{Asset, AssetId, MacAddress};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPort {
    pub protocol: String,
    pub port: u16,
    pub service: Option<String>,
    pub product: Option<String>,
    pub version: Option<String>,
    pub cpes: Vec<String>,
}

/// A host that answered the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanHost {
    pub ip: Option<IpAddr>,
    pub mac: Option<MacAddress>,
    pub mac_vendor: Option<String>,
    pub names: Vec<String>,
    pub open_ports: Vec<OpenPort>,
    pub os_guess: Option<String>,
}

impl ScanHost {
    /// How a person recognises it: IP, names, MAC maker.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(ip) = self.ip {
            parts.push(ip.to_string());
        }
        parts.extend(self.names.iter().cloned());
        if let Some(v) = &self.mac_vendor {
            parts.push(v.clone());
        }
        parts.join(" ")
    }
}

/// Ports whose exposure lets an attacker move inside or take over: RDP, SMB, telnet, VNC,
/// SQL Server.
pub const RISKY_PORTS: [(u16, &str); 5] = [
    (3389, "rdp"),
    (445, "smb"),
    (23, "telnet"),
    (5900, "vnc"),
    (1433, "mssql"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// On the network, not in the ledger.
    Unknown { host: ScanHost },
    /// In the ledger, inside the scanned range, but did not answer.
    NotSeen { asset: AssetId },
    /// The scan saw a product and version where the ledger has no version.
    VersionSeen {
        asset: AssetId,
        port: u16,
        product: String,
        version: String,
    },
    /// A service worth a look (RDP, SMB, …) open on a device.
    RiskyService {
        asset: Option<AssetId>,
        ip: Option<IpAddr>,
        port: u16,
        service: &'static str,
    },
}

impl Finding {
    pub fn code(&self) -> &'static str {
        match self {
            Finding::Unknown { .. } => "unknown-host",
            Finding::NotSeen { .. } => "not-seen",
            Finding::VersionSeen { .. } => "version-seen",
            Finding::RiskyService { .. } => "risky-service",
        }
    }
}

fn same_slash_24(a: IpAddr, b: IpAddr) -> bool {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => a.octets()[..3] == b.octets()[..3],
        _ => false,
    }
}

/// Compares the hosts that were up with the ledger. A ledger device is matched by MAC
/// address when both have one, else by IP address. A device counts as not seen only when the
/// scan covered its address (listed it, or scanned its /24).
pub fn review(assets: &[Asset], hosts: &[ScanHost], scanned: &[IpAddr]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut matched: HashSet<AssetId> = HashSet::new();
    for h in hosts {
        let found = assets
            .iter()
            .find(|a| h.mac.is_some() && a.details.mac == h.mac)
            .or_else(|| {
                assets
                    .iter()
                    .find(|a| h.ip.is_some() && a.details.ip == h.ip)
            });
        match found {
            None => out.push(Finding::Unknown { host: h.clone() }),
            Some(a) => {
                matched.insert(a.id);
                if a.details.os_version.is_none()
                    && let Some(p) = h
                        .open_ports
                        .iter()
                        .find(|p| p.product.is_some() && p.version.is_some())
                {
                    out.push(Finding::VersionSeen {
                        asset: a.id,
                        port: p.port,
                        product: p.product.clone().unwrap_or_default(),
                        version: p.version.clone().unwrap_or_default(),
                    });
                }
            }
        }
        for p in &h.open_ports {
            if let Some((_, service)) = RISKY_PORTS.iter().find(|(port, _)| *port == p.port) {
                out.push(Finding::RiskyService {
                    asset: found.map(|a| a.id),
                    ip: h.ip,
                    port: p.port,
                    service,
                });
            }
        }
    }
    let up: Vec<IpAddr> = hosts.iter().filter_map(|h| h.ip).collect();
    for a in assets {
        let Some(ip) = a.details.ip else { continue };
        let covered = scanned.contains(&ip) || up.iter().any(|u| same_slash_24(*u, ip));
        if covered && !matched.contains(&a.id) {
            out.push(Finding::NotSeen { asset: a.id });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::{AssetKind, NewAsset};
    use crate::facility::FacilityId;

    fn asset(id: i64, name: &str, ip: &str) -> Asset {
        Asset {
            id: AssetId(id),
            facility: FacilityId(1),
            details: NewAsset::new(AssetKind::Pc, name).unwrap().ip(ip).unwrap(),
        }
    }

    fn host(ip: &str, ports: &[(u16, Option<&str>, Option<&str>)]) -> ScanHost {
        ScanHost {
            ip: ip.parse().ok(),
            mac: None,
            mac_vendor: None,
            names: vec![],
            open_ports: ports
                .iter()
                .map(|(p, prod, ver)| OpenPort {
                    protocol: "tcp".into(),
                    port: *p,
                    service: None,
                    product: prod.map(str::to_string),
                    version: ver.map(str::to_string),
                    cpes: vec![],
                })
                .collect(),
            os_guess: None,
        }
    }

    #[test]
    fn unknown_not_seen_versions_and_risky_services() {
        let assets = vec![
            asset(1, "電子カルテ", "192.168.10.10"),
            asset(2, "NAS", "192.168.10.50"),
            asset(3, "他拠点", "10.0.0.5"),
        ];
        let hosts = vec![
            host(
                "192.168.10.10",
                &[
                    (3389, None, None),
                    (80, Some("Microsoft IIS httpd"), Some("10.0")),
                ],
            ),
            host("192.168.10.99", &[(445, None, None)]),
        ];
        let f = review(&assets, &hosts, &[]);
        assert!(f.contains(&Finding::VersionSeen {
            asset: AssetId(1),
            port: 80,
            product: "Microsoft IIS httpd".into(),
            version: "10.0".into()
        }));
        assert!(f.contains(&Finding::RiskyService {
            asset: Some(AssetId(1)),
            ip: "192.168.10.10".parse().ok(),
            port: 3389,
            service: "rdp"
        }));
        assert!(f.iter().any(
            |x| matches!(x, Finding::Unknown { host } if host.ip == "192.168.10.99".parse().ok())
        ));
        assert!(
            f.contains(&Finding::NotSeen { asset: AssetId(2) }),
            "same /24, silent"
        );
        assert!(
            !f.contains(&Finding::NotSeen { asset: AssetId(3) }),
            "outside what was scanned"
        );
    }
}
