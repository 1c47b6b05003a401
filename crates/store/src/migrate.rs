//! Schema migrations: plain SQL files in two lock-step folders, `migrations/sqlite` and
//! `migrations/postgres`, embedded in the binary. Each version exists in both folders (the
//! `migration!` macro fails to compile otherwise, and a test checks that no file is left
//! unlisted). Applied migrations are recorded with a SHA-256 checksum, so an edited migration
//! is refused: never edit one, add a new one.
//!
//! This module holds the only backend-specific SQL of the store: catalog look-ups and the
//! PostgreSQL advisory lock that stops two processes migrating at once.

use sha2::{Digest, Sha256};

use crate::db::{Backend, Database};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

impl Migration {
    fn sql(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }

    fn checksum(&self, backend: Backend) -> String {
        domain::audit::to_hex(&Sha256::digest(self.sql(backend).as_bytes()))
    }
}

macro_rules! migration {
    ($version:literal, $file:literal) => {
        Migration {
            version: $version,
            name: $file,
            sqlite: include_str!(concat!("../migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $file, ".sql")),
        }
    };
}

/// Every migration, oldest first. To add one, add a file to both folders and a line here.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_accounts"),
    migration!(3, "0003_ledger"),
    migration!(4, "0004_connections"),
    migration!(5, "0005_pending_import"),
    migration!(6, "0006_scan_findings"),
    migration!(7, "0007_segments"),
    migration!(8, "0008_asset_retired"),
    migration!(9, "0009_kev"),
    migration!(10, "0010_nvd"),
    migration!(11, "0011_findings"),
    migration!(12, "0012_jvn"),
    migration!(13, "0013_finding_run_observed"),
    migration!(14, "0014_asset_name_index"),
    migration!(15, "0015_advisor_invitation"),
    migration!(16, "0016_audit_chain_per_facility"),
    migration!(17, "0017_asset_facility_id_index"),
    migration!(18, "0018_device_check"),
    migration!(19, "0019_asset_software"),
    migration!(20, "0020_cpe_product"),
    migration!(21, "0021_setup_link"),
    migration!(22, "0022_review_record"),
    migration!(23, "0023_totp_pending"),
    migration!(24, "0024_checklist_answer"),
    migration!(25, "0025_security_officer"),
    migration!(26, "0026_evidence"),
    migration!(27, "0027_checklist_version"),
    migration!(28, "0028_accounts"),
    migration!(29, "0029_system_policy"),
    migration!(30, "0030_account_expires"),
    migration!(31, "0031_backups"),
    migration!(32, "0032_incident"),
    migration!(33, "0033_bcp"),
    migration!(34, "0034_checklist_round_record"),
    migration!(35, "0035_evidence_link"),
    migration!(36, "0036_vendor_answer"),
    migration!(37, "0037_evidence_withdrawn"),
    migration!(38, "0038_asset_lookup_indexes"),
];

/// The newest schema version this program knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// What `migrate --check` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    pub current: i64,
    pub pending: Vec<(i64, &'static str)>,
}

const LEDGER_DDL: &str = "CREATE TABLE IF NOT EXISTS mamori_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)";

impl Database {
    /// Reads which migrations are applied, without changing anything. Fails when the database
    /// is newer than this program or an applied migration was edited.
    pub async fn migration_status(&self) -> Result<MigrationStatus> {
        let mut conn = self.pool.acquire().await?;
        status(&mut conn, self.backend()).await
    }

    /// Applies every pending migration, each in its own transaction.
    pub async fn migrate(&self, now: domain::Timestamp) -> Result<MigrationStatus> {
        let backend = self.backend();
        let mut tx = self.pool.begin().await?;
        if backend == Backend::Postgres {
            // Serialises concurrent `mamori migrate` runs against one PostgreSQL database.
            crate::sql::raw(&mut tx, "SELECT pg_advisory_xact_lock(7235001)").await?;
        }
        crate::sql::raw(&mut tx, LEDGER_DDL).await?;
        let before = status(&mut tx, backend).await?;
        for (version, _) in &before.pending {
            let Some(m) = MIGRATIONS.iter().find(|m| m.version == *version) else {
                continue;
            };
            crate::sql::raw(&mut tx, m.sql(backend)).await?;
            crate::sql::query(
                "INSERT INTO mamori_migrations (version, name, checksum, applied_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(m.checksum(backend))
            .bind(now.unix_millis())
            .execute(&mut tx)
            .await?;
            tracing::info!(version = m.version, name = m.name, "migration applied");
        }
        tx.commit().await?;
        Ok(before)
    }

    /// Fails unless every migration is applied: the check every command makes before it
    /// touches data.
    pub async fn require_migrated(&self) -> Result<()> {
        let s = self.migration_status().await?;
        if s.pending.is_empty() {
            Ok(())
        } else {
            Err(Error::NotMigrated {
                pending: s.pending.iter().map(|(v, _)| *v).collect(),
            })
        }
    }
}

async fn status(conn: &mut crate::sql::Conn, backend: Backend) -> Result<MigrationStatus> {
    let exists_sql = match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' \
             AND name = 'mamori_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM pg_tables \
             WHERE schemaname = current_schema() AND tablename = 'mamori_migrations'"
        }
    };
    let exists: i64 = crate::sql::query(exists_sql)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    let mut applied: Vec<(i64, String)> = Vec::new();
    if exists > 0 {
        for row in
            crate::sql::query("SELECT version, checksum FROM mamori_migrations ORDER BY version")
                .fetch_all(&mut *conn)
                .await?
        {
            applied.push((row.try_get("version")?, row.try_get("checksum")?));
        }
    }
    let current = applied.last().map_or(0, |(v, _)| *v);
    if current > latest_version() {
        return Err(Error::NewerSchema {
            found: current,
            known: latest_version(),
        });
    }
    for (version, checksum) in &applied {
        match MIGRATIONS.iter().find(|m| m.version == *version) {
            Some(m) if m.checksum(backend) == *checksum => {}
            _ => return Err(Error::MigrationEdited { version: *version }),
        }
    }
    let pending = MIGRATIONS
        .iter()
        .filter(|m| !applied.iter().any(|(v, _)| *v == m.version))
        .map(|m| (m.version, m.name))
        .collect();
    Ok(MigrationStatus { current, pending })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn files(dir: &str) -> BTreeSet<String> {
        let path = format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_dir(path)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn both_folders_hold_exactly_the_listed_migrations() {
        let listed: BTreeSet<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{}.sql", m.name))
            .collect();
        assert_eq!(files("sqlite"), listed);
        assert_eq!(files("postgres"), listed);
    }

    #[test]
    fn versions_increase_and_match_file_numbers() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert!(
                m.name.starts_with(&format!("{:04}_", m.version)),
                "{}",
                m.name
            );
        }
    }
}
