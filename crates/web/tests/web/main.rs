//! Web stories against the real server on a free port, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

extern crate mamori_web as web;

mod accounts;
mod backups;
mod bcp;
mod connections;
mod findings;
mod hostile;
mod incident;
mod isolation;
mod ledger;
mod pages;
mod signin;
mod support;
