//! A write transaction that cannot commit without its audit record.
//!
//! `Store::begin` locks the audit chain's head row first, so on both backends writers are
//! serialised and the chain order is the commit order. Each service appends one record per
//! change through [`Write::audit`]; [`Write::commit`] refuses a transaction that recorded
//! nothing.

use domain::audit::{Hash, hash_from_hex, to_hex};
use domain::{AuditEntry, AuditKey, AuditRecord, FacilityId, Timestamp};
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::Store;
use crate::error::{Error, Result};

pub struct Write<'s> {
    tx: Transaction<'static, Any>,
    backend: crate::Backend,
    key: &'s AuditKey,
    actor: String,
    now: Timestamp,
    head_seq: i64,
    head_hash: Hash,
    appended: usize,
    /// Sealed records not yet inserted: written in batches, and always before commit.
    pending: Vec<AuditRecord>,
    /// Begun by `begin_dry`: never commits.
    dry: bool,
}

/// Rows a batched statement writes at most. Large statements are cheap only with anonymous
/// `?` parameters on SQLite: sqlx-sqlite looks every parameter up by its name, and SQLite finds
/// a named parameter by scanning the statement's list of names, so `$N` parameters cost the
/// square of their number (measured: 8 rows of 22 `$N` parameters 0.59 s, 200 rows 1.7 s for
/// 10,000 devices). `Write::values` writes `?` for SQLite and `$N` for PostgreSQL. 512 rows
/// (at most 23 columns: under SQLite's 32,766 parameters) were a little faster than 256 for a
/// ledger import and no faster at 1,024.
pub(crate) const BATCH_ROWS: usize = 512;

impl Store {
    /// Starts a write by `actor` at `now`.
    pub async fn begin(&self, actor: &domain::Actor, now: Timestamp) -> Result<Write<'_>> {
        self.begin_with(actor, now, true).await
    }

    /// A transaction that only reads and plans (a dry run): it does not lock the chain's
    /// head, so other writers go on meanwhile, and it can never commit.
    pub(crate) async fn begin_dry(
        &self,
        actor: &domain::Actor,
        now: Timestamp,
    ) -> Result<Write<'_>> {
        self.begin_with(actor, now, false).await
    }

    async fn begin_with(
        &self,
        actor: &domain::Actor,
        now: Timestamp,
        lock: bool,
    ) -> Result<Write<'_>> {
        let mut tx = self.db.pool.begin().await?;
        let sql = if lock {
            "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash"
        } else {
            "SELECT seq, hash FROM audit_head WHERE id = 1"
        };
        let row = sqlx::query(sql).fetch_one(&mut *tx).await?;
        let head_seq: i64 = row.try_get(0)?;
        let hash_text: String = row.try_get(1)?;
        let head_hash = hash_from_hex(&hash_text).ok_or_else(|| Error::Corrupt {
            table: "audit_head",
            column: "hash",
            id: "1".into(),
            value: hash_text.clone(),
        })?;
        Ok(Write {
            tx,
            backend: self.db.backend(),
            key: &self.key,
            actor: actor.label(),
            now,
            head_seq,
            head_hash,
            appended: 0,
            pending: Vec::new(),
            dry: !lock,
        })
    }
}

impl Write<'_> {
    /// The connection to run this write's statements on.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub(crate) fn backend(&self) -> crate::Backend {
        self.backend
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.now
    }

    /// `(…), (…)`: the VALUES of `rows` rows of `cols` parameters, numbered from 1 — plain `?`
    /// on SQLite (bound in order; see `BATCH_ROWS`), `$N` on PostgreSQL.
    pub(crate) fn values(&self, rows: usize, cols: usize) -> String {
        values_from(self.backend, 0, rows, cols)
    }

    /// Like `values`, numbered after the first `before` parameters of the statement.
    pub(crate) fn values_from(&self, before: usize, rows: usize, cols: usize) -> String {
        values_from(self.backend, before, rows, cols)
    }

    /// The label of who writes (as the audit record stores it).
    pub(crate) fn actor(&self) -> &str {
        &self.actor
    }

    /// Appends the audit record of one change made in this transaction.
    pub(crate) async fn audit(
        &mut self,
        facility: Option<FacilityId>,
        action: &str,
        object_kind: &str,
        object_id: impl ToString,
        summary: serde_json::Value,
    ) -> Result<()> {
        self.audit_text(
            facility,
            action,
            object_kind,
            object_id,
            summary.to_string(),
        )
        .await
    }

    /// Like `audit`, with the summary already written as JSON text.
    pub(crate) async fn audit_text(
        &mut self,
        facility: Option<FacilityId>,
        action: &str,
        object_kind: &str,
        object_id: impl ToString,
        summary: String,
    ) -> Result<()> {
        self.seal_text(facility, action, object_kind, object_id, summary);
        if self.pending.len() >= BATCH_ROWS {
            self.flush().await?;
        }
        Ok(())
    }

    /// Seals the audit record of one change and keeps it for the next `flush` (the commit
    /// flushes too), so that a caller can do other work while records are written.
    pub(crate) fn seal_text(
        &mut self,
        facility: Option<FacilityId>,
        action: &str,
        object_kind: &str,
        object_id: impl ToString,
        summary: String,
    ) {
        let entry = AuditEntry {
            facility,
            actor: self.actor.clone(),
            action: action.to_string(),
            object_kind: object_kind.to_string(),
            object_id: object_id.to_string(),
            summary,
        };
        let seq = self.head_seq + 1;
        let record = AuditRecord::seal(self.key, seq, self.now, entry, self.head_hash);
        self.head_seq = seq;
        self.head_hash = record.hash;
        self.appended += 1;
        self.pending.push(record);
    }

    /// Writes the sealed records, `BATCH_ROWS` a statement.
    pub(crate) async fn flush(&mut self) -> Result<()> {
        while !self.pending.is_empty() {
            let rest = self.pending.split_off(self.pending.len().min(BATCH_ROWS));
            let records = std::mem::replace(&mut self.pending, rest);
            insert_records(&mut self.tx, self.backend, records).await?;
        }
        Ok(())
    }

    pub async fn commit(mut self) -> Result<()> {
        if self.appended == 0 || self.dry {
            return Err(Error::Unaudited);
        }
        self.flush().await?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(self.head_seq)
            .bind(to_hex(&self.head_hash))
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(())
    }
}

fn values_from(backend: crate::Backend, before: usize, rows: usize, cols: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(rows * cols * 4 + rows * 4);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 1..=cols {
            if c > 1 {
                out.push_str(", ");
            }
            match backend {
                crate::Backend::Sqlite => out.push('?'),
                crate::Backend::Postgres => {
                    let _ = write!(out, "${}", before + r * cols + c);
                }
            }
        }
        out.push(')');
    }
    out
}

async fn insert_records(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    records: Vec<AuditRecord>,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO audit_record \
         (seq, at, facility_id, actor, action, object_kind, object_id, summary, prev_hash, hash) \
         VALUES {}",
        values_from(backend, 0, records.len(), 10)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for r in records {
        q = q
            .bind(r.seq)
            .bind(r.at.unix_millis())
            .bind(r.entry.facility.map(|f| f.0))
            .bind(r.entry.actor)
            .bind(r.entry.action)
            .bind(r.entry.object_kind)
            .bind(r.entry.object_id)
            .bind(r.entry.summary)
            .bind(to_hex(&r.prev_hash))
            .bind(to_hex(&r.hash));
    }
    q.execute(conn).await?;
    Ok(())
}

impl Store {
    /// Records an event that changes no other table (a sign-out, say) in the audit chain.
    #[allow(clippy::too_many_arguments)]
    pub async fn record(
        &self,
        actor: &domain::Actor,
        facility: Option<FacilityId>,
        action: &str,
        object_kind: &str,
        object_id: &str,
        summary: serde_json::Value,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(actor, now).await?;
        w.audit(facility, action, object_kind, object_id, summary)
            .await?;
        w.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_for_each_backend() {
        assert_eq!(
            values_from(crate::Backend::Sqlite, 0, 2, 2),
            "(?, ?), (?, ?)"
        );
        assert_eq!(
            values_from(crate::Backend::Postgres, 1, 2, 2),
            "($2, $3), ($4, $5)"
        );
        assert_eq!(values_from(crate::Backend::Postgres, 0, 1, 1), "($1)");
    }
}
