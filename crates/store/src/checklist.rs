//! The MHLW checklist as the facility answers it: rounds of a version and every answer given,
//! each in the facility's audit chain. A locked round takes no more answers.

use domain::checklist::{Given, Recorded};
use domain::{Actor, Date, Timestamp, UserId};
use serde_json::json;

use crate::row::stored;
use crate::{Error, FacilityScope, Result, Store};

/// A round of a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub number: i64,
    pub started_at: Timestamp,
    pub locked_at: Option<Timestamp>,
    pub locked_by: Option<UserId>,
    /// The version file the round was signed off on (rounds signed before it was kept: none).
    pub locked_version: Option<String>,
}

/// An answer as stored: the item, what was answered, by whom and when, and what Mamori
/// proposed then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    pub topic: String,
    pub seq: i64,
    pub recorded: Recorded,
    pub proposal: String,
    pub answered_by: Option<UserId>,
    pub answered_at: Timestamp,
    /// The round this answer was carried over from (none: given in its own round).
    pub carried_from: Option<i64>,
}

/// One item of a vendor's sheet as the vendor answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorGiven {
    pub topic: String,
    pub given: Given,
    /// The date on the vendor's sheet.
    pub sheet_on: Date,
    pub comment: String,
}

/// A vendor's newest answer to an item, with who recorded it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorAnswer {
    pub vendor: String,
    pub vendor_key: String,
    pub given: VendorGiven,
    pub recorded_by: Option<UserId>,
    pub recorded_at: Timestamp,
}

/// What an answer is given to: a version's round and an item.
pub struct Where<'a> {
    pub version: &'a str,
    pub round: i64,
    pub topic: &'a str,
}

fn locked(round: i64) -> Error {
    Error::Conflict {
        what: "checklist-round",
        key: round.to_string(),
    }
}

impl Store {
    /// The version's rounds, the newest first.
    pub async fn checklist_rounds(
        &self,
        scope: &FacilityScope,
        version: &str,
    ) -> Result<Vec<Round>> {
        crate::sql::query(
            "SELECT round, started_at, locked_at, locked_by, locked_version FROM checklist_round \
             WHERE facility_id = $1 AND version = $2 ORDER BY round DESC",
        )
        .bind(scope.facility.0)
        .bind(version)
        .fetch_all(&self.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Round {
                number: r.try_get("round")?,
                started_at: Timestamp::from_unix_millis(r.try_get("started_at")?),
                locked_at: r
                    .try_get::<Option<i64>, _>("locked_at")?
                    .map(Timestamp::from_unix_millis),
                locked_by: r.try_get::<Option<i64>, _>("locked_by")?.map(UserId),
                locked_version: r.try_get("locked_version")?,
            })
        })
        .collect()
    }

    /// Every answer given in a round, oldest first (the newest per item is its answer).
    pub async fn checklist_answers(
        &self,
        scope: &FacilityScope,
        version: &str,
        round: i64,
    ) -> Result<Vec<StoredAnswer>> {
        let rows = crate::sql::query(
            "SELECT topic, seq, answer, checked_on, target_on, comment, proposal, answered_by, \
             answered_at, carried_from FROM checklist_answer WHERE facility_id = $1 \
             AND version = $2 \
             AND round = $3 ORDER BY topic, seq",
        )
        .bind(scope.facility.0)
        .bind(version)
        .bind(round)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let seq: i64 = r.try_get("seq")?;
                let answer: String = r.try_get("answer")?;
                let checked: String = r.try_get("checked_on")?;
                let target: Option<String> = r.try_get("target_on")?;
                Ok(StoredAnswer {
                    topic: r.try_get("topic")?,
                    seq,
                    recorded: Recorded {
                        given: stored(
                            "checklist_answer",
                            "answer",
                            seq,
                            &answer,
                            Given::parse(&answer).ok_or(()),
                        )?,
                        checked_on: stored(
                            "checklist_answer",
                            "checked_on",
                            seq,
                            &checked,
                            Date::parse(&checked),
                        )?,
                        target_on: match target {
                            Some(t) => Some(stored(
                                "checklist_answer",
                                "target_on",
                                seq,
                                &t,
                                Date::parse(&t),
                            )?),
                            None => None,
                        },
                        comment: r.try_get("comment")?,
                    },
                    proposal: r.try_get("proposal")?,
                    answered_by: r.try_get::<Option<i64>, _>("answered_by")?.map(UserId),
                    answered_at: Timestamp::from_unix_millis(r.try_get("answered_at")?),
                    carried_from: r.try_get("carried_from")?,
                })
            })
            .collect()
    }

    /// Records an answer (round 1 starts with the first answer). `Conflict` when the round is
    /// locked, or is not the version's newest.
    pub async fn record_checklist_answer(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        at: Where<'_>,
        recorded: &Recorded,
        proposal: &str,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let newest = crate::sql::query(
            "SELECT round, locked_at FROM checklist_round WHERE facility_id = $1 AND version = $2 \
             ORDER BY round DESC LIMIT 1",
        )
        .bind(scope.facility.0)
        .bind(at.version)
        .fetch_optional(w.conn())
        .await?;
        match newest {
            None if at.round == 1 => {
                crate::sql::query(
                    "INSERT INTO checklist_round (facility_id, version, round, started_at) \
                     VALUES ($1, $2, 1, $3)",
                )
                .bind(scope.facility.0)
                .bind(at.version)
                .bind(now.unix_millis())
                .execute(w.conn())
                .await?;
            }
            Some(r)
                if r.try_get::<i64, _>("round")? == at.round
                    && r.try_get::<Option<i64>, _>("locked_at")?.is_none() => {}
            _ => return Err(locked(at.round)),
        }
        let last: Option<i64> = crate::sql::query(
            "SELECT MAX(seq) AS last FROM checklist_answer WHERE facility_id = $1 \
             AND version = $2 AND round = $3 AND topic = $4",
        )
        .bind(scope.facility.0)
        .bind(at.version)
        .bind(at.round)
        .bind(at.topic)
        .fetch_one(w.conn())
        .await?
        .try_get("last")?;
        let seq = last.unwrap_or(0) + 1;
        crate::sql::query(
            "INSERT INTO checklist_answer (facility_id, version, round, topic, seq, answer, \
             checked_on, target_on, comment, proposal, answered_by, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(scope.facility.0)
        .bind(at.version)
        .bind(at.round)
        .bind(at.topic)
        .bind(seq)
        .bind(recorded.given.code())
        .bind(recorded.checked_on.to_string())
        .bind(recorded.target_on.map(|d| d.to_string()))
        .bind(&recorded.comment)
        .bind(proposal)
        .bind(actor.user_id())
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility),
            "checklist.answer",
            "checklist_item",
            format!("{}:{}:{}", at.version, at.round, at.topic),
            json!({
                "version": at.version,
                "round": at.round,
                "topic": at.topic,
                "answer": recorded.given.code(),
                "checked_on": recorded.checked_on.to_string(),
                "target_on": recorded.target_on.map(|d| d.to_string()),
                "comment": recorded.comment,
                "proposal": proposal,
            }),
        )
        .await?;
        w.commit().await
    }

    /// The director signs the round off: it takes no more answers. `false` when it was
    /// locked already or does not exist.
    pub async fn lock_checklist_round(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        // The version's key, its version file and that file's SHA-256.
        (version, body, digest): (&str, &str, &str),
        round: i64,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self.begin(scope, actor, now).await?;
        let done = crate::sql::query(
            "UPDATE checklist_round SET locked_at = $1, locked_by = $2, locked_version = $6 \
             WHERE facility_id = $3 AND version = $4 AND round = $5 AND locked_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(actor.user_id())
        .bind(scope.facility.0)
        .bind(version)
        .bind(round)
        .bind(body)
        .execute(w.conn())
        .await?
        .rows_affected();
        w.commit_if(
            done,
            Some(scope.facility),
            "checklist.lock",
            "checklist_round",
            format!("{version}:{round}"),
            json!({ "version": version, "round": round, "version_sha256": digest }),
        )
        .await
    }

    /// Starts the next round from the last one's answers (each carried over as its first
    /// answer). `Conflict` while the last round is not locked; returns the new round.
    pub async fn start_checklist_round(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        version: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let mut w = self.begin(scope, actor, now).await?;
        let last = crate::sql::query(
            "SELECT round, locked_at FROM checklist_round WHERE facility_id = $1 AND version = $2 \
             ORDER BY round DESC LIMIT 1",
        )
        .bind(scope.facility.0)
        .bind(version)
        .fetch_optional(w.conn())
        .await?;
        let Some(last) = last else {
            return Err(locked(1));
        };
        let previous: i64 = last.try_get("round")?;
        if last.try_get::<Option<i64>, _>("locked_at")?.is_none() {
            return Err(locked(previous));
        }
        let next = previous + 1;
        crate::sql::query(
            "INSERT INTO checklist_round (facility_id, version, round, started_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(scope.facility.0)
        .bind(version)
        .bind(next)
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        // Each item's newest answer of the last round becomes the first of the new one.
        let carried = crate::sql::query(
            "INSERT INTO checklist_answer (facility_id, version, round, topic, seq, answer, \
             checked_on, target_on, comment, proposal, answered_by, answered_at, carried_from) \
             SELECT a.facility_id, a.version, $1, a.topic, 1, a.answer, a.checked_on, \
             a.target_on, a.comment, a.proposal, a.answered_by, a.answered_at, $4 \
             FROM checklist_answer a WHERE a.facility_id = $2 AND a.version = $3 \
             AND a.round = $4 AND a.seq = (SELECT MAX(b.seq) FROM checklist_answer b \
             WHERE b.facility_id = a.facility_id AND b.version = a.version \
             AND b.round = a.round AND b.topic = a.topic)",
        )
        .bind(next)
        .bind(scope.facility.0)
        .bind(version)
        .bind(previous)
        .execute(w.conn())
        .await?
        .rows_affected();
        w.audit(
            Some(scope.facility),
            "checklist.round",
            "checklist_round",
            format!("{version}:{next}"),
            json!({ "version": version, "round": next, "carried": carried }),
        )
        .await?;
        w.commit().await?;
        Ok(next)
    }
}

/// The facility's 医療情報システム安全管理責任者 as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub name: String,
    pub appointed_on: Option<Date>,
    pub recorded_at: Timestamp,
}

impl Store {
    pub async fn security_officer(&self, scope: &FacilityScope) -> Result<Option<Officer>> {
        let row = crate::sql::query(
            "SELECT name, appointed_on, recorded_at FROM security_officer WHERE facility_id = $1",
        )
        .bind(scope.facility.0)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let day: Option<String> = r.try_get("appointed_on")?;
        Ok(Some(Officer {
            name: r.try_get("name")?,
            appointed_on: match day {
                Some(d) => Some(stored(
                    "security_officer",
                    "appointed_on",
                    scope.facility.0,
                    &d,
                    Date::parse(&d),
                )?),
                None => None,
            },
            recorded_at: Timestamp::from_unix_millis(r.try_get("recorded_at")?),
        }))
    }

    /// Records (or replaces) the facility's security officer, audited.
    pub async fn set_security_officer(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        name: &str,
        appointed_on: Option<Date>,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        crate::sql::query("DELETE FROM security_officer WHERE facility_id = $1")
            .bind(scope.facility.0)
            .execute(w.conn())
            .await?;
        crate::sql::query(
            "INSERT INTO security_officer (facility_id, name, appointed_on, recorded_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(scope.facility.0)
        .bind(name)
        .bind(appointed_on.map(|d| d.to_string()))
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility),
            "facility.officer",
            "facility",
            scope.facility.0,
            json!({ "name": name, "appointed_on": appointed_on.map(|d| d.to_string()) }),
        )
        .await?;
        w.commit().await
    }
}

impl Store {
    /// Checklist version files an administrator imported: (key, text).
    pub async fn imported_checklist_versions(&self) -> Result<Vec<(String, String)>> {
        crate::sql::query("SELECT key, body FROM checklist_version ORDER BY key")
            .fetch_all(&self.db.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("key")?, r.try_get("body")?)))
            .collect()
    }

    /// Keeps an imported version file (replacing an earlier import of the key), audited in the
    /// deployment's chain with the file's digest.
    pub async fn import_checklist_version(
        &self,
        actor: &Actor,
        key: &str,
        body: &str,
        sha256: &str,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, actor, now).await?;
        crate::sql::query("DELETE FROM checklist_version WHERE key = $1")
            .bind(key)
            .execute(w.conn())
            .await?;
        crate::sql::query(
            "INSERT INTO checklist_version (key, body, imported_at) VALUES ($1, $2, $3)",
        )
        .bind(key)
        .bind(body)
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            None,
            "checklist.version",
            "checklist_version",
            key,
            json!({ "key": key, "sha256": sha256 }),
        )
        .await?;
        w.commit().await
    }

    /// Records a vendor's answers to its 事業者確認用 sheet (each item's newest answer is its
    /// answer; earlier ones stay), in one write audited once.
    pub async fn record_vendor_answers(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        (version, vendor, vendor_key): (&str, &str, &str),
        answers: &[VendorGiven],
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        for a in answers {
            let last: Option<i64> = crate::sql::query(
                "SELECT MAX(seq) AS last FROM vendor_answer WHERE facility_id = $1 \
                 AND version = $2 AND vendor_key = $3 AND topic = $4",
            )
            .bind(scope.facility.0)
            .bind(version)
            .bind(vendor_key)
            .bind(&a.topic)
            .fetch_one(w.conn())
            .await?
            .try_get("last")?;
            crate::sql::query(
                "INSERT INTO vendor_answer (facility_id, version, vendor_key, vendor, topic, seq, \
                 answer, sheet_on, comment, source, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'facility', $10, $11)",
            )
            .bind(scope.facility.0)
            .bind(version)
            .bind(vendor_key)
            .bind(vendor)
            .bind(&a.topic)
            .bind(last.unwrap_or(0) + 1)
            .bind(a.given.code())
            .bind(a.sheet_on.to_string())
            .bind(&a.comment)
            .bind(actor.user_id())
            .bind(now.unix_millis())
            .execute(w.conn())
            .await?;
        }
        w.audit(
            Some(scope.facility),
            "checklist.vendor_answers",
            "vendor_sheet",
            format!("{version}:{vendor_key}"),
            json!({
                "version": version,
                "vendor": vendor,
                "answers": answers.iter().map(|a| json!({
                    "topic": a.topic,
                    "answer": a.given.code(),
                    "sheet_on": a.sheet_on.to_string(),
                    "comment": a.comment,
                })).collect::<Vec<_>>(),
            }),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Every vendor's newest answer to each item of a vendor sheet version.
    pub async fn vendor_answers(
        &self,
        scope: &FacilityScope,
        version: &str,
    ) -> Result<Vec<VendorAnswer>> {
        let rows = crate::sql::query(
            "SELECT a.vendor_key, a.vendor, a.topic, a.seq, a.answer, a.sheet_on, a.comment, \
             a.recorded_by, a.recorded_at FROM vendor_answer a WHERE a.facility_id = $1 \
             AND a.version = $2 AND a.seq = (SELECT MAX(b.seq) FROM vendor_answer b \
             WHERE b.facility_id = a.facility_id AND b.version = a.version \
             AND b.vendor_key = a.vendor_key AND b.topic = a.topic) \
             ORDER BY a.vendor_key, a.topic",
        )
        .bind(scope.facility.0)
        .bind(version)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let key: String = r.try_get("vendor_key")?;
                let seq: i64 = r.try_get("seq")?;
                let answer: String = r.try_get("answer")?;
                let day: String = r.try_get("sheet_on")?;
                Ok(VendorAnswer {
                    vendor: r.try_get("vendor")?,
                    vendor_key: key,
                    given: VendorGiven {
                        topic: r.try_get("topic")?,
                        given: stored(
                            "vendor_answer",
                            "answer",
                            seq,
                            &answer,
                            Given::parse(&answer).ok_or(()),
                        )?,
                        sheet_on: stored(
                            "vendor_answer",
                            "sheet_on",
                            seq,
                            &day,
                            Date::parse(&day),
                        )?,
                        comment: r.try_get("comment")?,
                    },
                    recorded_by: r.try_get::<Option<i64>, _>("recorded_by")?.map(UserId),
                    recorded_at: Timestamp::from_unix_millis(r.try_get("recorded_at")?),
                })
            })
            .collect()
    }
}
