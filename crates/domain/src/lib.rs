//! Mamori's domain: the pure model of a facility's security facts and the rules over them.
//!
//! Owns: facilities and regions, assets, actors, the audit hash chain, validation rules.
//! Must not: do I/O of any kind (no files, no network, no database, no clock). Time, keys and
//! ids come in as parameters so that every rule is a deterministic function that tests can pin.

pub mod access;
pub mod accounts;
pub mod actor;
pub mod asset;
pub mod audit;
pub mod backup;
pub mod bcp;
pub mod checklist;
pub mod connection;
pub mod cpe_alias;
pub mod date;
pub mod error;
pub mod exposure;
pub mod facility;
pub mod finding;
pub mod identify;
pub mod incident;
pub mod jvn;
pub mod kev;
pub mod ledger;
pub mod nvd;
pub mod prefecture;
pub mod priority;
pub mod region;
pub mod scan;
pub mod segment;
pub mod software;
pub mod support;
pub mod text;
pub mod timestamp;
pub mod user;
pub mod vendor;
pub mod version;

pub use access::{Permission, Role};
pub use actor::Actor;
pub use asset::{Asset, AssetId, AssetKind, MacAddress, NewAsset, RemoteMaintenance};
pub use audit::{
    AuditEntry, AuditKey, AuditRecord, Chain, ChainBreak, ChainHead, ChainVerifier, Checkpoint,
};
pub use connection::{ConnectionPoint, ConnectionPointId, NewConnectionPoint};
pub use date::{Date, DateProblem};
pub use error::{Error, Field, Rule};
pub use facility::{Beds, Facility, FacilityId, FacilityKind, NewFacility, ShortName};
pub use prefecture::Prefecture;
pub use region::{NewRegion, Region, RegionId};
pub use timestamp::{Clock, Entropy, Timestamp};
pub use user::{Email, Membership, User, UserId};
pub use vendor::{NewVendor, Vendor, VendorId};
