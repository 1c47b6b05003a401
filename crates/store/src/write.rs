//! A write transaction that cannot commit without its audit record.
//!
//! `Store::begin` locks the head row of the chain it writes to first (a facility's, or the
//! deployment's), so writers of one facility are serialised and its chain order is the commit
//! order, while writers of other facilities go on. Each service appends one record per change
//! through [`Write::audit`]; [`Write::commit`] refuses a transaction that recorded nothing.

use crate::sql::{Conn, Row};
use domain::audit::{Chain, GENESIS, Hash, chain_number, hash_from_hex, to_hex};
use domain::{AuditEntry, AuditKey, AuditRecord, FacilityId, Timestamp};

use crate::Store;
use crate::error::{Error, Result};

pub struct Write<'s> {
    tx: Conn,
    backend: crate::Backend,
    key: &'s AuditKey,
    actor: String,
    now: Timestamp,
    chain: Chain,
    head_seq: i64,
    head_hash: Hash,
    appended: usize,
    /// A record of another facility was given to this facility's chain: never commits.
    misfiled: Option<FacilityId>,
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

impl From<&crate::FacilityScope> for ChainOf {
    fn from(scope: &crate::FacilityScope) -> Self {
        ChainOf(Some(scope.facility()))
    }
}

/// Which chain a write locks and appends to (see [`Store::begin`]): a facility's, or the
/// deployment's (`None`: users, sign-ins, feeds, regions, new facilities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainOf(pub Chain);

impl ChainOf {
    /// The deployment's own chain.
    pub const DEPLOYMENT: ChainOf = ChainOf(None);

    pub fn facility(f: FacilityId) -> Self {
        ChainOf(Some(f))
    }
}

impl Store {
    /// The facility's revision: the number of the newest record of its audit chain, which
    /// every change of the facility advances.
    pub async fn revision(&self, scope: &crate::FacilityScope) -> Result<i64> {
        let row = crate::sql::query("SELECT seq FROM audit_chain WHERE chain = $1")
            .bind(scope.facility().0)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(|r| r.try_get("seq")).transpose()?.unwrap_or(0))
    }

    /// Starts a write by `actor` at `now` that appends to `chain`, whose head it locks.
    pub async fn begin(
        &self,
        chain: impl Into<ChainOf>,
        actor: &domain::Actor,
        now: Timestamp,
    ) -> Result<Write<'_>> {
        self.begin_with(chain.into().0, actor, now, true).await
    }

    /// A transaction that only reads and plans (a dry run): it does not lock the chain's
    /// head, so other writers go on meanwhile, and it can never commit.
    pub(crate) async fn begin_dry(
        &self,
        chain: impl Into<ChainOf>,
        actor: &domain::Actor,
        now: Timestamp,
    ) -> Result<Write<'_>> {
        self.begin_with(chain.into().0, actor, now, false).await
    }

    async fn begin_with(
        &self,
        chain: Chain,
        actor: &domain::Actor,
        now: Timestamp,
        lock: bool,
    ) -> Result<Write<'_>> {
        let mut tx = self.db.pool.begin().await?;
        let number = chain_number(chain);
        let head = if lock {
            lock_head(&mut tx, number).await?
        } else {
            crate::sql::query("SELECT seq, hash FROM audit_chain WHERE chain = $1")
                .bind(number)
                .fetch_optional(&mut tx)
                .await?
                .map(|row| Ok::<_, Error>((row.try_get("seq")?, row.try_get("hash")?)))
                .transpose()?
        };
        let (head_seq, hash_text): (i64, String) = head.unwrap_or((0, to_hex(&GENESIS)));
        let head_hash = hash_from_hex(&hash_text).ok_or_else(|| Error::Corrupt {
            table: "audit_chain",
            column: "hash",
            id: number.to_string(),
            value: hash_text.clone(),
        })?;
        Ok(Write {
            tx,
            backend: self.db.backend(),
            key: &self.key,
            actor: actor.label(),
            now,
            chain,
            head_seq,
            head_hash,
            appended: 0,
            misfiled: None,
            pending: Vec::new(),
            dry: !lock,
        })
    }
}

/// Locks the head row of chain `number` for the rest of the transaction, creating it (empty)
/// the first time the chain is written to.
async fn lock_head(tx: &mut Conn, number: i64) -> Result<Option<(i64, String)>> {
    const LOCK: &str = "UPDATE audit_chain SET seq = seq WHERE chain = $1 RETURNING seq, hash";
    let read =
        |row: Row| -> Result<(i64, String)> { Ok((row.try_get("seq")?, row.try_get("hash")?)) };
    if let Some(row) = crate::sql::query(LOCK)
        .bind(number)
        .fetch_optional(&mut *tx)
        .await?
    {
        return read(row).map(Some);
    }
    crate::sql::query("INSERT INTO audit_chain (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING")
        .bind(number)
        .bind(to_hex(&GENESIS))
        .execute(&mut *tx)
        .await?;
    let row = crate::sql::query(LOCK)
        .bind(number)
        .fetch_one(&mut *tx)
        .await?;
    read(row).map(Some)
}

impl Write<'_> {
    /// The connection to run this write's statements on.
    pub(crate) fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }

    pub(crate) fn backend(&self) -> crate::Backend {
        self.backend
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.now
    }

    /// The number of the newest record of this write's chain (its own records included).
    pub(crate) fn head_seq(&self) -> i64 {
        self.head_seq
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

    /// Ends a write whose one change touched `changed` rows: when it touched none, nothing
    /// is written and the answer is `false`; else the change's audit record is appended and
    /// the write commits (`true`).
    pub(crate) async fn commit_if(
        mut self,
        changed: u64,
        facility: Option<FacilityId>,
        action: &str,
        object_kind: &str,
        object_id: impl ToString,
        summary: serde_json::Value,
    ) -> Result<bool> {
        if changed == 0 {
            return Ok(false);
        }
        self.audit(facility, action, object_kind, object_id, summary)
            .await?;
        self.commit().await?;
        Ok(true)
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
        if let Some(chain) = self.chain
            && facility != Some(chain)
        {
            self.misfiled = Some(chain);
        }
        let entry = AuditEntry {
            facility,
            actor: self.actor.clone(),
            action: action.to_string(),
            object_kind: object_kind.to_string(),
            object_id: object_id.to_string(),
            summary,
        };
        let seq = self.head_seq + 1;
        let record = AuditRecord::seal(self.key, self.chain, seq, self.now, entry, self.head_hash);
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
        if let Some(chain) = self.misfiled {
            return Err(Error::Database(format!(
                "a record of another facility was written to the audit chain of facility {}",
                chain.0
            )));
        }
        self.flush().await?;
        crate::sql::query("UPDATE audit_chain SET seq = $1, hash = $2 WHERE chain = $3")
            .bind(self.head_seq)
            .bind(to_hex(&self.head_hash))
            .bind(chain_number(self.chain))
            .execute(&mut self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn values_from(
    backend: crate::Backend,
    before: usize,
    rows: usize,
    cols: usize,
) -> String {
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
    conn: &mut Conn,
    backend: crate::Backend,
    records: Vec<AuditRecord>,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO audit_log (chain, seq, at, facility_id, actor, action, object_kind, \
         object_id, summary, prev_hash, hash) VALUES {}",
        values_from(backend, 0, records.len(), 11)
    );
    let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
    for r in records {
        q = q
            .bind(chain_number(r.chain))
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

/// Seals the records of the single chain of before again, chain by chain, after whatever
/// each chain holds already; empties the old tables; appends the conversion's record to the
/// deployment's chain. One transaction that first locks the deployment chain's head (a row
/// that always exists) and only then reads the old chain: of two processes opening the
/// database at once, the second finds nothing left and converts nothing.
pub(crate) async fn convert(db: &crate::Database, key: &AuditKey, now: Timestamp) -> Result<()> {
    let mut tx = db.pool.begin().await?;
    lock_head(&mut tx, 0).await?;
    let Some(single) = crate::audit::read_single_chain(&mut tx).await? else {
        tx.commit().await?;
        return Ok(());
    };
    let (by_chain, summary) = crate::audit::plan_conversion(key, single);
    let backend = db.backend();
    let append =
        async |tx: &mut Conn, number: i64, entries: Vec<(Timestamp, AuditEntry)>| -> Result<()> {
            let (mut seq, hash) = lock_head(tx, number)
                .await?
                .unwrap_or((0, to_hex(&GENESIS)));
            let mut prev = hash_from_hex(&hash).ok_or_else(|| Error::Corrupt {
                table: "audit_chain",
                column: "hash",
                id: number.to_string(),
                value: hash.clone(),
            })?;
            let chain = domain::audit::chain_of(number);
            let mut sealed = Vec::with_capacity(entries.len().min(BATCH_ROWS));
            for (at, entry) in entries {
                seq += 1;
                let r = AuditRecord::seal(key, chain, seq, at, entry, prev);
                prev = r.hash;
                sealed.push(r);
                if sealed.len() == BATCH_ROWS {
                    insert_records(tx, backend, std::mem::take(&mut sealed)).await?;
                }
            }
            if !sealed.is_empty() {
                insert_records(tx, backend, sealed).await?;
            }
            crate::sql::query("UPDATE audit_chain SET seq = $1, hash = $2 WHERE chain = $3")
                .bind(seq)
                .bind(to_hex(&prev))
                .bind(number)
                .execute(&mut *tx)
                .await?;
            Ok(())
        };
    for (number, records) in by_chain {
        let entries = records.into_iter().map(|r| (r.at, r.entry)).collect();
        append(&mut tx, number, entries).await?;
    }
    crate::sql::query("DELETE FROM audit_record")
        .execute(&mut tx)
        .await?;
    crate::sql::query("UPDATE audit_head SET seq = 0, hash = $1 WHERE id = 1")
        .bind(to_hex(&GENESIS))
        .execute(&mut tx)
        .await?;
    let record = AuditEntry {
        facility: None,
        actor: domain::Actor::System("audit-convert".into()).label(),
        action: "audit.convert".into(),
        object_kind: "deployment".into(),
        object_id: "1".into(),
        summary: summary.to_string(),
    };
    append(&mut tx, 0, vec![(now, record)]).await?;
    tx.commit().await?;
    Ok(())
}

impl Store {
    /// Records an event that changes no other table (a sign-out, say) in the audit chain of
    /// `facility` (the deployment's when `None`).
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
        let mut w = self.begin(ChainOf(facility), actor, now).await?;
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
