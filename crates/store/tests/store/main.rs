//! Store stories, each run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

extern crate mamori_store as store;

mod accounts;
mod audit_chain;
mod backups;
mod checklist;
mod facilities;
mod feeds;
mod findings;
mod migrations;
mod secrets;
