//! Opening the store with the deployment's audit key, verifying the audit chains (one per
//! facility and one for the deployment), signed checkpoints of their heads, and converting
//! the single chain of before.

use std::collections::BTreeMap;

use crate::sql::Row;
use domain::audit::{
    BreakKind, Chain, ChainHead, GENESIS, Hash, chain_number, chain_of, hash_from_hex, to_hex,
};
use domain::{
    Actor, AuditEntry, AuditKey, AuditRecord, ChainBreak, ChainVerifier, Checkpoint, FacilityId,
    Timestamp,
};
use serde_json::json;

use crate::Store;
use crate::db::Database;
use crate::error::{Error, Result};

/// The result of walking the chains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Records that verified before the end or the first break.
    pub checked: u64,
    /// How many chains were walked.
    pub chains: u64,
    /// The signed checkpoint the chains were checked against, if any: when it was taken.
    pub checkpoint: Option<Timestamp>,
    /// The name of the facility whose chain is broken (`None`: the deployment's chain).
    pub broken_facility: Option<String>,
    pub outcome: std::result::Result<(), ChainBreak>,
}

/// Which chains to verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chains {
    All,
    One(Chain),
}

/// A checkpoint with its ed25519 signature, as stored and as written to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    pub checkpoint: Checkpoint,
    pub public_key: Vec<u8>,
    pub signature: Vec<u8>,
}

const CHECKPOINT_FORMAT: &str = "mamori-audit-checkpoint/1";

impl SignedCheckpoint {
    /// The file form: JSON a person can read, with every hash and key in hexadecimal.
    pub fn to_json(&self) -> String {
        let heads: Vec<_> = self
            .checkpoint
            .heads
            .iter()
            .map(|h| json!({ "chain": chain_number(h.chain), "seq": h.seq, "hash": to_hex(&h.hash) }))
            .collect();
        json!({
            "format": CHECKPOINT_FORMAT,
            "deployment": self.checkpoint.deployment,
            "at": self.checkpoint.at.unix_millis(),
            "heads": heads,
            "public_key": to_hex(&self.public_key),
            "signature": to_hex(&self.signature),
        })
        .to_string()
    }

    /// Reads the file form; `None` when it is not one (the caller says which file).
    pub fn from_json(text: &str) -> Option<SignedCheckpoint> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        if v.get("format")?.as_str()? != CHECKPOINT_FORMAT {
            return None;
        }
        let heads = v
            .get("heads")?
            .as_array()?
            .iter()
            .map(|h| {
                Some(ChainHead {
                    chain: chain_of(h.get("chain")?.as_i64()?),
                    seq: h.get("seq")?.as_i64()?,
                    hash: hash_from_hex(h.get("hash")?.as_str()?)?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(SignedCheckpoint {
            checkpoint: Checkpoint {
                deployment: v.get("deployment")?.as_str()?.to_string(),
                at: Timestamp::from_unix_millis(v.get("at")?.as_i64()?),
                heads,
            },
            public_key: domain::audit::from_hex(v.get("public_key")?.as_str()?)?,
            signature: domain::audit::from_hex(v.get("signature")?.as_str()?)?,
        })
    }
}

/// The deployment's checkpoint key: an ed25519 key derived from the audit key file, so it
/// lives outside the database as that file does.
fn checkpoint_key(key: &AuditKey) -> Result<ring::signature::Ed25519KeyPair> {
    ring::signature::Ed25519KeyPair::from_seed_unchecked(&key.derive("audit-checkpoint-ed25519"))
        .map_err(|e| Error::Database(format!("checkpoint key: {e}")))
}

impl Database {
    /// The fingerprint of the audit key this deployment was created with, if any.
    pub async fn audit_key_fingerprint(&self) -> Result<Option<String>> {
        let row = crate::sql::query("SELECT audit_key_fingerprint FROM deployment WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| r.try_get("audit_key_fingerprint"))
            .transpose()?)
    }
}

const RECORD_COLUMNS: &str = "chain, seq, at, facility_id, actor, action, object_kind, \
    object_id, summary, prev_hash, hash";

impl Store {
    /// Opens the repository for reading and writing. On a new deployment this records the
    /// key's fingerprint as the chain's first record; afterwards any other key is refused.
    pub async fn open(db: Database, key: AuditKey, now: Timestamp) -> Result<Store> {
        let store = Store::open_read_only(db, key).await?;
        if store.db.audit_key_fingerprint().await?.is_none() {
            let mut w = store
                .begin(
                    crate::ChainOf::DEPLOYMENT,
                    &Actor::System("init".into()),
                    now,
                )
                .await?;
            let inserted = crate::sql::query(
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
        store.convert_single_chain(now).await?;
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

    /// Walks every record of every chain (or of one), in pages, and checks each against its
    /// chain and its chain's head; then against a signed checkpoint: `checkpoint` if given,
    /// else the newest one stored. A checkpoint not signed by this deployment's key is
    /// refused.
    pub async fn verify_audit(
        &self,
        which: Chains,
        checkpoint: Option<&SignedCheckpoint>,
    ) -> Result<AuditReport> {
        let stored;
        let checkpoint = match checkpoint {
            Some(c) => Some(c),
            None => {
                stored = self.newest_checkpoint().await?;
                stored.as_ref()
            }
        };
        if let Some(c) = checkpoint {
            self.check_signature(c)?;
        }
        let checkpoint = checkpoint.map(|c| &c.checkpoint);
        let mut report = AuditReport {
            checked: 0,
            chains: 0,
            checkpoint: checkpoint.map(|c| c.at),
            broken_facility: None,
            outcome: Ok(()),
        };
        if which == Chains::All
            && let Err(b) = self.verify_single_chain(&mut report.checked).await?
        {
            report.outcome = Err(b);
            return Ok(report);
        }
        // Heads of the chains to walk; chains a checkpoint saw are walked even when their
        // head row and every record are gone.
        let mut heads: BTreeMap<i64, Option<(i64, Hash)>> = BTreeMap::new();
        let rows = match which {
            Chains::All => {
                crate::sql::query("SELECT chain, seq, hash FROM audit_chain ORDER BY chain")
                    .fetch_all(&self.db.pool)
                    .await?
            }
            Chains::One(c) => {
                crate::sql::query("SELECT chain, seq, hash FROM audit_chain WHERE chain = $1")
                    .bind(chain_number(c))
                    .fetch_all(&self.db.pool)
                    .await?
            }
        };
        for row in rows {
            let chain: i64 = row.try_get("chain")?;
            let hash: String = row.try_get("hash")?;
            // An unreadable head hash never matches a record's.
            let hash = hash_from_hex(&hash).unwrap_or([0xff; 32]);
            heads.insert(chain, Some((row.try_get("seq")?, hash)));
        }
        if let Some(c) = checkpoint {
            for h in &c.heads {
                if which == Chains::All || which == Chains::One(h.chain) {
                    heads.entry(chain_number(h.chain)).or_insert(None);
                }
            }
        }
        // Chains with records but no head row.
        let with_records: Vec<i64> = match which {
            Chains::All => crate::sql::query("SELECT DISTINCT chain FROM audit_log")
                .fetch_all(&self.db.pool)
                .await?
                .iter()
                .map(|r| r.try_get("chain"))
                .collect::<std::result::Result<_, _>>()?,
            Chains::One(_) => Vec::new(),
        };
        for chain in with_records {
            heads.entry(chain).or_insert(None);
        }
        if let Chains::One(c) = which {
            // No head row: fine for a chain never written to, a break if it has records.
            heads.entry(chain_number(c)).or_insert(None);
        }
        for (number, head) in heads {
            let chain = chain_of(number);
            report.chains += 1;
            let seen = checkpoint.and_then(|c| c.head(chain));
            let outcome = self
                .verify_chain(chain, head, seen, &mut report.checked)
                .await?;
            if let Err(b) = outcome {
                report.broken_facility = match chain {
                    None => None,
                    Some(f) => Some(self.facility_label(f).await?),
                };
                report.outcome = Err(b);
                return Ok(report);
            }
        }
        Ok(report)
    }

    /// One chain, record by record; `head` is its head row (`None`: the row is gone).
    async fn verify_chain(
        &self,
        chain: Chain,
        head: Option<(i64, Hash)>,
        seen: Option<&ChainHead>,
        checked: &mut u64,
    ) -> Result<std::result::Result<(), ChainBreak>> {
        const PAGE: i64 = 1000;
        let number = chain_number(chain);
        let mut verifier = ChainVerifier::new(&self.key, chain).against(seen);
        let mut after = 0i64;
        loop {
            let rows = crate::sql::query(sqlx::AssertSqlSafe(format!(
                "SELECT {RECORD_COLUMNS} FROM audit_log WHERE chain = $1 AND seq > $2 \
                 ORDER BY seq LIMIT $3"
            )))
            .bind(number)
            .bind(after)
            .bind(PAGE)
            .fetch_all(&self.db.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("seq")?;
            for row in &rows {
                let seq: i64 = row.try_get("seq")?;
                let Some(record) = decode_record(row)? else {
                    return Ok(Err(ChainBreak {
                        chain,
                        seq,
                        kind: BreakKind::Altered,
                    }));
                };
                if let Err(b) = verifier.check(&record) {
                    return Ok(Err(b));
                }
                if record.entry.action == "audit.convert" && !converted_intact(&record) {
                    return Ok(Err(ChainBreak {
                        chain,
                        seq,
                        kind: BreakKind::BrokenBeforeConversion,
                    }));
                }
                *checked += 1;
            }
        }
        let (last, _) = verifier.head();
        let Some((head_seq, head_hash)) = head else {
            if last > 0 {
                return Ok(Err(ChainBreak {
                    chain,
                    seq: last,
                    kind: BreakKind::HeadMissing,
                }));
            }
            // Neither head nor records: only a checkpoint knew the chain.
            return Ok(verifier.finish(0, &GENESIS).map(|_| ()));
        };
        Ok(verifier.finish(head_seq, &head_hash).map(|_| ()))
    }

    /// The single chain of before, when it has not been converted yet (a read-only open).
    async fn verify_single_chain(
        &self,
        checked: &mut u64,
    ) -> Result<std::result::Result<(), ChainBreak>> {
        let mut conn = self.db.pool.acquire().await?;
        let Some((records, head)) = read_single_chain(&mut conn).await? else {
            return Ok(Ok(()));
        };
        drop(conn);
        let mut verifier = ChainVerifier::single(&self.key);
        for r in &records {
            match r {
                Ok(record) => {
                    if let Err(b) = verifier.check(record) {
                        return Ok(Err(b));
                    }
                }
                Err(seq) => {
                    return Ok(Err(ChainBreak {
                        chain: None,
                        seq: *seq,
                        kind: BreakKind::Altered,
                    }));
                }
            }
            *checked += 1;
        }
        let (seq, hash) = head;
        Ok(verifier.finish(seq, &hash).map(|_| ()))
    }

    /// Converts the single chain of before into chains per facility, in one transaction:
    /// verified with the key, each record sealed again into its facility's chain (the
    /// deployment's for the others), the old tables emptied, and a record of the conversion
    /// (how many records, the old head, whether the old chain was intact) appended to the
    /// deployment's chain. A chain broken before is converted all the same — the clinic must
    /// go on working — but its conversion record makes every later verification fail there.
    async fn convert_single_chain(&self, now: Timestamp) -> Result<()> {
        // The usual case, without a transaction: nothing left to convert.
        let mut conn = self.db.pool.acquire().await?;
        if read_single_chain(&mut conn).await?.is_none() {
            return Ok(());
        }
        drop(conn);
        crate::write::convert(&self.db, &self.key, now).await
    }

    /// Signs the heads of every chain with the deployment's checkpoint key, keeps the
    /// checkpoint in the database and returns it (to be written to a file kept elsewhere).
    /// Every chain is verified first, against the newest checkpoint kept: a chain whose newest
    /// records were deleted and its head rewound is never signed as it is now
    /// (`Error::ChainBroken`), or the next verification would pass.
    pub async fn checkpoint(&self, now: Timestamp) -> Result<SignedCheckpoint> {
        let report = self.verify_audit(Chains::All, None).await?;
        if let Err(b) = report.outcome {
            return Err(Error::ChainBroken {
                facility: report.broken_facility,
                seq: b.seq,
            });
        }
        let rows = crate::sql::query("SELECT chain, seq, hash FROM audit_chain ORDER BY chain")
            .fetch_all(&self.db.pool)
            .await?;
        let mut heads = Vec::with_capacity(rows.len());
        for row in rows {
            let number: i64 = row.try_get("chain")?;
            let text: String = row.try_get("hash")?;
            let hash = hash_from_hex(&text).ok_or_else(|| Error::Corrupt {
                table: "audit_chain",
                column: "hash",
                id: number.to_string(),
                value: text.clone(),
            })?;
            heads.push(ChainHead {
                chain: chain_of(number),
                seq: row.try_get("seq")?,
                hash,
            });
        }
        let checkpoint = Checkpoint {
            deployment: self.key.fingerprint(),
            at: now,
            heads,
        };
        let pair = checkpoint_key(&self.key)?;
        let signature = pair.sign(&checkpoint.signed_bytes()).as_ref().to_vec();
        let signed = SignedCheckpoint {
            public_key: ring::signature::KeyPair::public_key(&pair)
                .as_ref()
                .to_vec(),
            checkpoint,
            signature,
        };
        crate::sql::query("INSERT INTO audit_checkpoint (at, body, signature) VALUES ($1, $2, $3)")
            .bind(now.unix_millis())
            .bind(signed.to_json())
            .bind(to_hex(&signed.signature))
            .execute(&self.db.pool)
            .await?;
        Ok(signed)
    }

    /// Takes a checkpoint when a chain has grown since the newest one (the server does this
    /// every hour); `None` when nothing was written since.
    pub async fn checkpoint_if_changed(&self, now: Timestamp) -> Result<Option<SignedCheckpoint>> {
        let rows = crate::sql::query("SELECT chain, seq FROM audit_chain ORDER BY chain")
            .fetch_all(&self.db.pool)
            .await?;
        let mut heads = Vec::with_capacity(rows.len());
        for row in rows {
            heads.push((
                chain_of(row.try_get("chain")?),
                row.try_get::<i64, _>("seq")?,
            ));
        }
        let unchanged = self.newest_checkpoint().await?.is_some_and(|c| {
            let mut seen: Vec<(Chain, i64)> = c
                .checkpoint
                .heads
                .iter()
                .map(|h| (h.chain, h.seq))
                .collect();
            seen.sort_by_key(|(c, _)| chain_number(*c));
            seen == heads
        });
        if unchanged {
            return Ok(None);
        }
        self.checkpoint(now).await.map(Some)
    }

    /// The newest checkpoint kept in the database, if any.
    pub async fn newest_checkpoint(&self) -> Result<Option<SignedCheckpoint>> {
        let row = crate::sql::query(
            "SELECT id, body FROM audit_checkpoint ORDER BY at DESC, id DESC LIMIT 1",
        )
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let body: String = row.try_get("body")?;
        SignedCheckpoint::from_json(&body)
            .map(Some)
            .ok_or_else(|| Error::Corrupt {
                table: "audit_checkpoint",
                column: "body",
                id: row
                    .try_get::<i64, _>("id")
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                value: body.chars().take(80).collect(),
            })
    }

    /// Refuses a checkpoint not signed by this deployment's key (or of another deployment).
    fn check_signature(&self, c: &SignedCheckpoint) -> Result<()> {
        let pair = checkpoint_key(&self.key)?;
        let ours = ring::signature::KeyPair::public_key(&pair).as_ref();
        let valid = c.checkpoint.deployment == self.key.fingerprint()
            && c.public_key == ours
            && ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, ours)
                .verify(&c.checkpoint.signed_bytes(), &c.signature)
                .is_ok();
        if valid {
            Ok(())
        } else {
            Err(Error::ForgedCheckpoint)
        }
    }

    async fn facility_label(&self, f: FacilityId) -> Result<String> {
        let row = crate::sql::query("SELECT name FROM facility WHERE id = $1")
            .bind(f.0)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get("name")?,
            None => format!("#{}", f.0),
        })
    }

    /// The newest audit records of one facility's chain (or of every chain, newest first),
    /// newest first.
    pub async fn recent_audit(
        &self,
        facility: Option<FacilityId>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>> {
        let rows = match facility {
            Some(f) => {
                crate::sql::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {RECORD_COLUMNS} FROM audit_log WHERE chain = $1 \
                     ORDER BY seq DESC LIMIT $2"
                )))
                .bind(f.0)
                .bind(limit)
                .fetch_all(&self.db.pool)
                .await?
            }
            None => {
                crate::sql::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {RECORD_COLUMNS} FROM audit_log \
                     ORDER BY at DESC, chain DESC, seq DESC LIMIT $1"
                )))
                .bind(limit)
                .fetch_all(&self.db.pool)
                .await?
            }
        };
        decode_all(&rows)
    }

    /// How many audit records a facility's chain has, and when the newest was written.
    pub async fn facility_audit_summary(
        &self,
        facility: FacilityId,
    ) -> Result<(i64, Option<Timestamp>)> {
        let row = crate::sql::query(
            "SELECT h.seq AS seq, (SELECT at FROM audit_log l WHERE l.chain = h.chain \
             AND l.seq = h.seq) AS at FROM audit_chain h WHERE h.chain = $1",
        )
        .bind(facility.0)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else { return Ok((0, None)) };
        Ok((
            row.try_get("seq")?,
            row.try_get::<Option<i64>, _>("at")?
                .map(Timestamp::from_unix_millis),
        ))
    }

    /// The audit records of one object of a facility (e.g. an asset's history), oldest first.
    pub async fn object_history(
        &self,
        facility: FacilityId,
        object_kind: &str,
        object_id: &str,
    ) -> Result<Vec<AuditRecord>> {
        let rows = crate::sql::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM audit_log \
             WHERE chain = $1 AND object_kind = $2 AND object_id = $3 ORDER BY seq"
        )))
        .bind(facility.0)
        .bind(object_kind)
        .bind(object_id)
        .fetch_all(&self.db.pool)
        .await?;
        decode_all(&rows)
    }

    /// The newest sign-in records (successes, failures, holds, recovery codes) of the given
    /// users, newest first: they are in the deployment's chain, and a facility's audit page
    /// shows those of its own people.
    pub async fn signins_of(
        &self,
        users: &[domain::UserId],
        limit: i64,
    ) -> Result<Vec<AuditRecord>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = users.iter().map(|u| u.0.to_string()).collect();
        let placeholders = crate::write::values_from(self.db.backend(), 0, 1, ids.len());
        // The limit is a number of this program's, written into the statement: SQLite numbers
        // `?` before `$n`, so the two kinds are not mixed.
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM audit_log WHERE chain = 0 AND object_kind = 'user' \
             AND action IN ('signin.success', 'signin.failure', 'signin.lockout', 'signin.recovery_code') \
             AND object_id IN {placeholders} ORDER BY at DESC, seq DESC LIMIT {}",
            limit.max(0)
        );
        let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
        for id in &ids {
            q = q.bind(id.as_str());
        }
        decode_all(&q.fetch_all(&self.db.pool).await?)
    }

    /// A facility's audit records with one of `actions`, written at or after `since`, oldest
    /// first (for "what changed since last month").
    pub async fn facility_audit_since(
        &self,
        facility: FacilityId,
        actions: &[&str],
        since: Timestamp,
    ) -> Result<Vec<AuditRecord>> {
        let rows = crate::sql::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM audit_log WHERE chain = $1 AND at >= $2 ORDER BY seq"
        )))
        .bind(facility.0)
        .bind(since.unix_millis())
        .fetch_all(&self.db.pool)
        .await?;
        Ok(decode_all(&rows)?
            .into_iter()
            .filter(|r| actions.contains(&r.entry.action.as_str()))
            .collect())
    }
}

/// Every record of the single chain of before, in order (`Err(seq)` for a record whose
/// stored hash is not a hash), with its head; `None` when it holds no record and its head is
/// at the start.
pub(crate) async fn read_single_chain(conn: &mut crate::sql::Conn) -> Result<Option<SingleChain>> {
    let count: i64 = crate::sql::query("SELECT count(*) AS n FROM audit_record")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    let head = crate::sql::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    let head = match head {
        Some(row) => {
            let hash: String = row.try_get("hash")?;
            (
                row.try_get::<i64, _>("seq")?,
                hash_from_hex(&hash).unwrap_or([0xff; 32]),
            )
        }
        None => (0, GENESIS),
    };
    if count == 0 && head == (0, GENESIS) {
        return Ok(None);
    }
    let rows = crate::sql::query(
        "SELECT seq, at, facility_id, actor, action, object_kind, object_id, summary, \
         prev_hash, hash FROM audit_record ORDER BY seq",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        let seq: i64 = row.try_get("seq")?;
        records.push(decode_single(row)?.ok_or(seq));
    }
    Ok(Some((records, head)))
}

/// How the single chain of before is converted: its records by the chain each goes to, and
/// the conversion's own record (how many, the old head, whether the old chain was intact).
pub(crate) fn plan_conversion(
    key: &AuditKey,
    (records, (head_seq, head_hash)): SingleChain,
) -> (BTreeMap<i64, Vec<AuditRecord>>, serde_json::Value) {
    let mut verifier = ChainVerifier::single(key);
    let mut broken = None;
    let mut by_chain: BTreeMap<i64, Vec<AuditRecord>> = BTreeMap::new();
    for r in records {
        match r {
            Ok(record) => {
                if broken.is_none()
                    && let Err(b) = verifier.check(&record)
                {
                    broken = Some(b);
                }
                by_chain
                    .entry(record.entry.facility.map_or(0, |f| f.0))
                    .or_default()
                    .push(record);
            }
            Err(seq) => {
                broken.get_or_insert(ChainBreak {
                    chain: None,
                    seq,
                    kind: BreakKind::Altered,
                });
            }
        }
    }
    if broken.is_none()
        && let Err(b) = verifier.finish(head_seq, &head_hash)
    {
        broken = Some(b);
    }
    let count: usize = by_chain.values().map(Vec::len).sum();
    let summary = json!({
        "records": count,
        "old_head": { "seq": head_seq, "hash": to_hex(&head_hash) },
        "intact": broken.is_none(),
        "broken_at": broken.map(|b| b.seq),
    });
    (by_chain, summary)
}

type SingleChain = (Vec<std::result::Result<AuditRecord, i64>>, (i64, Hash));

/// Whether a conversion record says the single chain of before was intact.
fn converted_intact(record: &AuditRecord) -> bool {
    serde_json::from_str::<serde_json::Value>(&record.entry.summary)
        .ok()
        .and_then(|v| v.get("intact").and_then(serde_json::Value::as_bool))
        .unwrap_or(false)
}

fn decode_all(rows: &[Row]) -> Result<Vec<AuditRecord>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(r) = decode_record(row)? {
            out.push(r);
        }
    }
    Ok(out)
}

/// `None` when a stored hash is not 64 hexadecimal digits: that record has been tampered with.
fn decode_record(row: &Row) -> Result<Option<AuditRecord>> {
    let Some(mut record) = decode_single(row)? else {
        return Ok(None);
    };
    record.chain = chain_of(row.try_get("chain")?);
    Ok(Some(record))
}

/// A record without its chain (the single chain of before has none).
fn decode_single(row: &Row) -> Result<Option<AuditRecord>> {
    let prev: String = row.try_get("prev_hash")?;
    let hash: String = row.try_get("hash")?;
    let (Some(prev_hash), Some(hash)) = (hash_from_hex(&prev), hash_from_hex(&hash)) else {
        return Ok(None);
    };
    Ok(Some(AuditRecord {
        chain: None,
        seq: row.try_get("seq")?,
        at: Timestamp::from_unix_millis(row.try_get("at")?),
        entry: AuditEntry {
            facility: row
                .try_get::<Option<i64>, _>("facility_id")?
                .map(FacilityId),
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            object_kind: row.try_get("object_kind")?,
            object_id: row.try_get("object_id")?,
            summary: row.try_get("summary")?,
        },
        prev_hash,
        hash,
    }))
}
