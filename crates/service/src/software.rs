//! Importing the software installed on a device (its uninstall list or `winget list`): read
//! whole, checked, then the device's list replaced in one audited transaction. The caller
//! asks for a re-evaluation afterwards.

use domain::{Actor, Asset, Timestamp};
use ingest::software::{SoftwareList, SoftwareProblem};
use store::{FacilityScope, Store};

#[derive(Debug)]
pub enum ImportError {
    Read(SoftwareProblem),
    Store(store::Error),
}

impl From<store::Error> for ImportError {
    fn from(e: store::Error) -> Self {
        ImportError::Store(e)
    }
}

/// What an import read (and, unless `dry_run`, stored).
#[derive(Debug)]
pub struct Imported {
    pub list: SoftwareList,
    /// Remote-access tools among the programs (TeamViewer, AnyDesk, …).
    pub remote_tools: Vec<&'static str>,
}

pub async fn import(
    store: &Store,
    scope: &FacilityScope,
    actor: &Actor,
    now: Timestamp,
    asset: &Asset,
    (bytes, file_name): (&[u8], &str),
    dry_run: bool,
) -> Result<Imported, ImportError> {
    let list = ingest::software::parse(bytes, file_name).map_err(ImportError::Read)?;
    let mut remote_tools: Vec<&'static str> = list
        .items
        .iter()
        .filter_map(|i| domain::software::remote_tool(&i.name))
        .collect();
    remote_tools.dedup();
    if !dry_run {
        store
            .replace_software(scope, actor, now, asset.id, &list.items, file_name)
            .await?;
    }
    Ok(Imported { list, remote_tools })
}
