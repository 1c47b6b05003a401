//! Opening the store with the deployment's audit key, and verifying the audit chain.

use domain::Timestamp;
use domain::audit::{BreakKind, hash_from_hex};
use domain::{Actor, AuditEntry, AuditKey, AuditRecord, ChainBreak, ChainVerifier, FacilityId};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::db::Database;
use crate::error::{Error, Result};

/// The result of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Records that verified before the end or the first break.
    pub checked: u64,
    /// The number of the newest record according to the chain head.
    pub head_seq: i64,
    pub outcome: std::result::Result<(), ChainBreak>,
}

impl Database {
    /// The fingerprint of the audit key this deployment was created with, if any.
    pub async fn audit_key_fingerprint(&self) -> Result<Option<String>> {
        let row = sqlx::query("SELECT audit_key_fingerprint FROM deployment WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
}

impl Store {
    /// Opens the repository for reading and writing. On a new deployment this records the
    /// key's fingerprint as the chain's first record; afterwards any other key is refused.
    pub async fn open(db: Database, key: AuditKey, now: Timestamp) -> Result<Store> {
        let store = Store::open_read_only(db, key).await?;
        if store.db.audit_key_fingerprint().await?.is_none() {
            let mut w = store.begin(&Actor::System("init".into()), now).await?;
            let inserted = sqlx::query(
                "INSERT INTO deployment (id, audit_key_fingerprint, created_at) VALUES (1, $1, $2) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(store.key.fingerprint())
            .bind(now.unix_millis())
            .execute(w.conn())
            .await?
            .rows_affected();
            if inserted == 1 {
                let summary =
                    json!({ "after": { "audit_key_fingerprint": store.key.fingerprint() } });
                w.audit(None, "deployment.init", "deployment", 1, summary)
                    .await?;
                w.commit().await?;
            }
            // Another process initialised the deployment first: check its key against ours.
            store.check_key().await?;
        }
        store.seal_plain_secrets(now).await?;
        Ok(store)
    }

    /// Opens the repository without ever writing (for `audit verify` and other checks).
    pub async fn open_read_only(db: Database, key: AuditKey) -> Result<Store> {
        db.require_migrated().await?;
        let store = Store { db, key };
        store.check_key().await?;
        Ok(store)
    }

    async fn check_key(&self) -> Result<()> {
        match self.db.audit_key_fingerprint().await? {
            Some(expected) if expected != self.key.fingerprint() => Err(Error::WrongAuditKey {
                expected,
                given: self.key.fingerprint(),
            }),
            _ => Ok(()),
        }
    }

    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Walks every audit record in order, in pages, and checks each against the chain.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        const PAGE: i64 = 1000;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.db.pool)
            .await?;
        let head_seq: i64 = head.try_get(0)?;
        let head_hash_text: String = head.try_get(1)?;
        let mut verifier = ChainVerifier::new(&self.key);
        let mut checked = 0u64;
        let mut after = 0i64;
        let fail = |checked, b| AuditReport {
            checked,
            head_seq,
            outcome: Err(b),
        };
        loop {
            let rows = sqlx::query(
                "SELECT seq, at, facility_id, actor, action, object_kind, object_id, summary, \
                 prev_hash, hash FROM audit_record WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(after)
            .bind(PAGE)
            .fetch_all(&self.db.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get(0)?;
            for row in &rows {
                let seq: i64 = row.try_get(0)?;
                let Some(record) = decode_record(row)? else {
                    return Ok(fail(
                        checked,
                        ChainBreak {
                            seq,
                            kind: BreakKind::Altered,
                        },
                    ));
                };
                if let Err(b) = verifier.check(&record) {
                    return Ok(fail(checked, b));
                }
                checked += 1;
            }
        }
        let head_hash = hash_from_hex(&head_hash_text).unwrap_or([0xff; 32]);
        Ok(match verifier.finish(head_seq, &head_hash) {
            Ok(_) => AuditReport {
                checked,
                head_seq,
                outcome: Ok(()),
            },
            Err(b) => fail(checked, b),
        })
    }

    /// The newest audit records, optionally of one facility, newest first.
    pub async fn recent_audit(
        &self,
        facility: Option<FacilityId>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT seq, at, facility_id, actor, action, object_kind, object_id, summary, \
             prev_hash, hash FROM audit_record \
             WHERE ($1 IS NULL OR facility_id = $1) ORDER BY seq DESC LIMIT $2",
        )
        .bind(facility.map(|f| f.0))
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(r) = decode_record(row)? {
                out.push(r);
            }
        }
        Ok(out)
    }
}

/// `None` when a stored hash is not 64 hexadecimal digits: that record has been tampered with.
fn decode_record(row: &AnyRow) -> Result<Option<AuditRecord>> {
    let prev: String = row.try_get(8)?;
    let hash: String = row.try_get(9)?;
    let (Some(prev_hash), Some(hash)) = (hash_from_hex(&prev), hash_from_hex(&hash)) else {
        return Ok(None);
    };
    Ok(Some(AuditRecord {
        seq: row.try_get(0)?,
        at: Timestamp::from_unix_millis(row.try_get(1)?),
        entry: AuditEntry {
            facility: row.try_get::<Option<i64>, _>(2)?.map(FacilityId),
            actor: row.try_get(3)?,
            action: row.try_get(4)?,
            object_kind: row.try_get(5)?,
            object_id: row.try_get(6)?,
            summary: row.try_get(7)?,
        },
        prev_hash,
        hash,
    }))
}

impl Store {
    /// How many audit records a facility has, and when the newest was written.
    pub async fn facility_audit_summary(
        &self,
        facility: FacilityId,
    ) -> Result<(i64, Option<Timestamp>)> {
        let row = sqlx::query("SELECT COUNT(*), MAX(at) FROM audit_record WHERE facility_id = $1")
            .bind(facility.0)
            .fetch_one(&self.db.pool)
            .await?;
        Ok((
            row.try_get(0)?,
            row.try_get::<Option<i64>, _>(1)?
                .map(Timestamp::from_unix_millis),
        ))
    }
}

impl Store {
    /// The audit records of one object of a facility (e.g. an asset's history), oldest first.
    pub async fn object_history(
        &self,
        facility: FacilityId,
        object_kind: &str,
        object_id: &str,
    ) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT seq, at, facility_id, actor, action, object_kind, object_id, summary, \
             prev_hash, hash FROM audit_record \
             WHERE facility_id = $1 AND object_kind = $2 AND object_id = $3 ORDER BY seq",
        )
        .bind(facility.0)
        .bind(object_kind)
        .bind(object_id)
        .fetch_all(&self.db.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(r) = decode_record(row)? {
                out.push(r);
            }
        }
        Ok(out)
    }
}

impl Store {
    /// A facility's audit records with one of `actions`, written at or after `since`, oldest
    /// first (for "what changed since last month").
    pub async fn facility_audit_since(
        &self,
        facility: FacilityId,
        actions: &[&str],
        since: Timestamp,
    ) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT seq, at, facility_id, actor, action, object_kind, object_id, summary, \
             prev_hash, hash FROM audit_record WHERE facility_id = $1 AND at >= $2 ORDER BY seq",
        )
        .bind(facility.0)
        .bind(since.unix_millis())
        .fetch_all(&self.db.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            if let Some(r) = decode_record(row)?
                && actions.contains(&r.entry.action.as_str())
            {
                out.push(r);
            }
        }
        Ok(out)
    }
}
