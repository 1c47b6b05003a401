//! Software installed on a device (from the Windows uninstall list or `winget list`): each
//! item judged like firmware, and remote-access tools found as ways in from outside that
//! nobody listed.

use crate::asset::{Asset, AssetId, AssetKind, NewAsset};
use crate::connection::ConnectionPoint;
use crate::error::{Field, Result};
use crate::text::{self, fold};

/// One installed program as the device lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Installed {
    pub name: String,
    pub version: Option<String>,
    pub publisher: Option<String>,
}

impl Installed {
    const MAX: usize = 200;

    pub fn new(name: &str, version: Option<&str>, publisher: Option<&str>) -> Result<Self> {
        Ok(Installed {
            name: text::required(Field::SoftwareName, name, Self::MAX)?,
            version: text::optional(Field::SoftwareVersion, version, Self::MAX)?,
            publisher: text::optional(Field::SoftwarePublisher, publisher, Self::MAX)?,
        })
    }

    /// The program as a device of its own for identifying its product: its publisher as the
    /// maker, its name as the OS, its version.
    pub fn as_device(&self, on: &Asset) -> Asset {
        let mut d = NewAsset {
            kind: AssetKind::Other,
            ..on.details.clone()
        };
        d.maker = self.publisher.clone();
        d.model = None;
        d.os_name = Some(self.name.clone());
        d.os_version = self.version.clone();
        d.end_of_support = None;
        Asset {
            id: on.id,
            facility: on.facility,
            details: d,
        }
    }
}

/// Remote-access tools: whoever has their account reaches the device from outside. Data:
/// extend freely (the words as their names appear in the uninstall list).
const REMOTE_TOOLS: &[(&str, &[&str])] = &[
    ("TeamViewer", &["teamviewer"]),
    ("AnyDesk", &["anydesk"]),
    ("ScreenConnect", &["screenconnect", "connectwise control"]),
    ("Splashtop", &["splashtop"]),
    (
        "Chrome Remote Desktop",
        &["chrome remote desktop", "chrome リモート デスクトップ"],
    ),
    ("LogMeIn", &["logmein"]),
    ("GoTo Resolve", &["goto resolve", "gotoassist"]),
    ("RustDesk", &["rustdesk"]),
    ("VNC", &["realvnc", "tightvnc", "ultravnc", "vnc server"]),
    ("Zoho Assist", &["zoho assist"]),
    ("SimpleHelp", &["simplehelp"]),
    ("Atera", &["atera"]),
    ("Radmin", &["radmin"]),
    ("BeyondTrust Remote Support", &["beyondtrust", "bomgar"]),
    ("Remote Utilities", &["remote utilities"]),
    ("ISL Light", &["isl light", "isl online"]),
    ("RemoteView", &["remoteview", "rsupport"]),
    ("DWService", &["dwservice", "dwagent"]),
    ("MeshCentral", &["meshagent", "meshcentral"]),
];

/// The remote-access tool a program is, if it is one.
pub fn remote_tool(name: &str) -> Option<&'static str> {
    let n = fold(name);
    REMOTE_TOOLS
        .iter()
        .find(|(_, words)| words.iter().any(|w| n.contains(w)))
        .map(|(tool, _)| *tool)
}

/// A remote-access tool on a device that no connection point or remote-maintenance note of
/// the device names: a way in from outside nobody listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlistedTool {
    pub asset: AssetId,
    pub tool: &'static str,
    /// The program as installed (name and version).
    pub program: String,
}

pub fn unlisted_tools(
    assets: &[Asset],
    software: &[(AssetId, Installed)],
    points: &[ConnectionPoint],
) -> Vec<UnlistedTool> {
    let mut out: Vec<UnlistedTool> = Vec::new();
    for (asset, item) in software {
        let Some(tool) = remote_tool(&item.name) else {
            continue;
        };
        let words: Vec<&str> = REMOTE_TOOLS
            .iter()
            .find(|(t, _)| *t == tool)
            .map(|(t, w)| {
                let mut all = w.to_vec();
                all.push(t);
                all
            })
            .unwrap_or_default();
        let says = |text: Option<&str>| {
            let t = fold(text.unwrap_or_default());
            words.iter().any(|w| t.contains(&fold(w)))
        };
        let device = assets.iter().find(|a| a.id == *asset);
        let in_ledger = device.is_some_and(|a| {
            says(a.details.remote_method.as_deref()) || says(a.details.notes.as_deref())
        });
        let in_points = points.iter().any(|p| {
            p.details.asset == Some(*asset)
                && (says(Some(&p.details.name)) || says(p.details.notes.as_deref()))
        });
        if in_ledger || in_points || out.iter().any(|u| u.asset == *asset && u.tool == tool) {
            continue;
        }
        out.push(UnlistedTool {
            asset: *asset,
            tool,
            program: match &item.version {
                Some(v) => format!("{} {v}", item.name),
                None => item.name.clone(),
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::{ConnectionKind, ConnectionPointId, NewConnectionPoint};
    use crate::facility::FacilityId;

    fn pc(id: i64) -> Asset {
        Asset {
            id: AssetId(id),
            facility: FacilityId(1),
            details: NewAsset::new(AssetKind::Pc, &format!("PC{id}")).unwrap(),
        }
    }

    #[test]
    fn tools_by_their_names() {
        assert_eq!(remote_tool("TeamViewer 15"), Some("TeamViewer"));
        assert_eq!(remote_tool("ＡｎｙＤｅｓｋ"), Some("AnyDesk"));
        assert_eq!(
            remote_tool("ScreenConnect Client (a1b2c3)"),
            Some("ScreenConnect")
        );
        assert_eq!(remote_tool("Microsoft Edge"), None);
    }

    #[test]
    fn a_tool_nobody_listed_is_a_way_in() {
        let assets = [pc(1), pc(2)];
        let sw = vec![
            (
                AssetId(1),
                Installed::new("TeamViewer", Some("15.51.5"), Some("TeamViewer")).unwrap(),
            ),
            (
                AssetId(2),
                Installed::new("AnyDesk", Some("8.0.8"), Some("AnyDesk Software GmbH")).unwrap(),
            ),
            (
                AssetId(2),
                Installed::new("Google Chrome", Some("120"), None).unwrap(),
            ),
        ];
        let mut point =
            NewConnectionPoint::new("業者の AnyDesk 保守", ConnectionKind::VendorRemote).unwrap();
        point.asset = Some(AssetId(2));
        let points = [ConnectionPoint {
            id: ConnectionPointId(1),
            details: point,
        }];
        let found = unlisted_tools(&assets, &sw, &points);
        assert_eq!(
            found,
            [UnlistedTool {
                asset: AssetId(1),
                tool: "TeamViewer",
                program: "TeamViewer 15.51.5".into()
            }]
        );
    }
}
