//! The use cases of Mamori, between the adapters (`store`, `ingest`, `report`, `text`) and the
//! front ends (`web`, `app`): what a page, a command or a background job runs is written once
//! here and returns plain structs that each front end renders in its own way.
//!
//! Owns: accounts and rights (`accounts`), the ledger import pipeline (`ledger_file`), the vulnerability feeds and the
//! re-evaluation of findings (`vulns`), the monthly review (`review`), passwords, second
//! factors and tokens (`auth`), backups (`backup`), the contact chart and the first-response
//! playbook (`incident`), and the messages that explain the adapters' errors to people
//! (`messages`).
//! Must not: know about HTTP, HTML or the terminal.

pub mod accounts;
pub mod auth;
pub mod backup;
pub mod bcp;
pub mod checklist;
pub mod connections;
pub mod evidence;
pub mod incident;
pub mod jobs;
pub mod ledger_file;
pub mod messages;
pub mod priorities;
pub mod review;
pub mod software;
pub mod vulns;

/// A laid-out document (the front ends answer or write its PDF).
pub use print::{PrintError, Rendered};
