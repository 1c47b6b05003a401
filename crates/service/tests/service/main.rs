//! The use cases as pages, commands and jobs run them, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

extern crate mamori_service as service;

mod backups;
mod checklist;
mod checks;
mod graded;
mod jobs;
