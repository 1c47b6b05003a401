//! Storage of Mamori's facts in SQLite (the embedded default) or PostgreSQL (regional
//! deployments), behind one repository API.
//!
//! Owns: connections, migrations, tenant scoping, the audit chain's append and verification.
//! Must not: decide domain rules (they live in `domain`) or format text for people.
//!
//! One code path serves both backends: sqlx's `Any` driver with portable SQL (`$1`
//! placeholders, `RETURNING`, BIGINT epoch-millisecond times, TEXT elsewhere). The few
//! statements that must differ (catalog queries, locks) are in `migrate.rs` and say so.
//! Rows are read by column name (`row.try_get("name")`), never by position: a query whose
//! columns move cannot fill the wrong field.
//! Every write goes through [`Write`], which appends its audit record in the same transaction.

mod accounts;
mod asset;
mod audit;
mod backups;
mod bcp;
mod checklist;
mod checks;
mod connection;
mod db;
mod error;
mod evidence;
mod facility;
mod feeds;
mod findings;
mod incident;
mod invitations;
mod migrate;
mod region;
mod reviews;
mod row;
mod scan;
mod sealed;
mod segment;
mod sessions;
mod sql;
mod users;
mod write;

pub use accounts::Replaced;
pub use asset::{LedgerImport, LedgerSession, PointImport, device_json};
pub use audit::{AuditReport, Chains, SignedCheckpoint};
pub use bcp::BcpText;
pub use checklist::{Officer, Round, StoredAnswer, VendorAnswer, VendorGiven, Where};
pub use checks::ProductBinding;
pub use db::{Access, Backend, Database, DatabaseUrl};
pub use error::{Error, Result, UrlProblem};
pub use evidence::{Evidence, EvidenceLink, NewEvidence};
pub use facility::FacilitySummary;
pub use feeds::{CpeProduct, KevImport, NvdImport};
pub use findings::{Evaluated, Evaluation, FindingEvent};
pub use invitations::{INVITATION_MS, Invitation};
pub use migrate::{MIGRATIONS, Migration, MigrationStatus};
pub use reviews::{NewReview, SavedReview};
pub use scan::StoredFinding;
pub use sessions::{PendingImport, SessionRow};
pub use users::{Credentials, FacilityAccess, LockPolicy, SigninFailure};
pub use write::{ChainOf, Write};

use domain::{AuditKey, FacilityId};

/// The facility a query runs in. Only the store makes one (after checking the facility
/// exists, and later that the caller may act in it), so no query can forget its tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacilityScope {
    facility: FacilityId,
}

impl FacilityScope {
    pub fn facility(&self) -> FacilityId {
        self.facility
    }
}

/// A migrated database together with the deployment's audit key: the repository API.
#[derive(Debug, Clone)]
pub struct Store {
    db: Database,
    key: AuditKey,
}
