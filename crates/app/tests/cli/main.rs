//! End-to-end stories that drive the real `mamori` binary, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod audit;
mod backup;
mod bad_input;
mod demo;
mod facility;
mod feeds;
mod ledger;
mod nmap;
mod tls;
mod user;

use std::path::Path;
use std::process::{Command, Output};

/// Runs `mamori` in `dir` with `db`, Japanese output and a key file in `dir`.
pub fn mamori(dir: &Path, db: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = command(dir, db);
    cmd.args(args);
    cmd.output().expect("run mamori")
}

pub fn command(dir: &Path, db: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mamori"));
    cmd.current_dir(dir)
        .env_remove("MAMORI_DATABASE_URL")
        .env_remove("MAMORI_CONFIG")
        .env_remove("MAMORI_BIND")
        .env_remove("MAMORI_CALENDAR")
        .env("MAMORI_LANG", "ja")
        .env("MAMORI_AUDIT_KEY_FILE", dir.join("test.key"));
    if let Some(db) = db {
        cmd.env("MAMORI_DATABASE_URL", db);
    }
    cmd
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Asserts the command failed with exit code `code` and exactly one line on stderr.
pub fn assert_fails(o: &Output, code: i32) -> String {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
    let err = stderr(o);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}
