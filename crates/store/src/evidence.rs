//! Evidence documents of a facility (the rows; the files are kept by the service in the
//! evidence folder under their SHA-256). Each upload is in the facility's audit chain.

use domain::checklist::Linked;
use domain::{Actor, Date, Timestamp, UserId};
use serde_json::json;

use crate::row::stored;
use crate::{Error, FacilityScope, Result, Store};

/// A document to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvidence {
    pub topic: String,
    pub vendor: Option<String>,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
}

/// A record of the facility's linked by hand as evidence of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceLink {
    pub number: i64,
    pub topic: String,
    pub object: Linked,
    /// Why it counts, in the person's words.
    pub note: String,
    pub linked_by: Option<UserId>,
    pub linked_at: Timestamp,
}

/// A kept document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub number: i64,
    pub doc: NewEvidence,
    pub uploaded_by: Option<UserId>,
    pub uploaded_at: Timestamp,
    /// Withdrawn as kept by mistake: when, by whom, why. It then counts for nothing.
    pub withdrawn: Option<(Timestamp, Option<UserId>, String)>,
}

impl Store {
    /// Keeps a document's row under the facility's next number and returns it.
    pub async fn add_evidence(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        doc: &NewEvidence,
        now: Timestamp,
    ) -> Result<i64> {
        let mut w = self.begin(scope, actor, now).await?;
        let number = crate::row::next_number(&mut w, "evidence", scope.facility).await?;
        let by = actor.user_id();
        crate::sql::query(
            "INSERT INTO evidence (facility_id, number, topic, vendor, title, file_name, \
             media_type, size, sha256, valid_from, valid_until, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(scope.facility.0)
        .bind(number)
        .bind(&doc.topic)
        .bind(&doc.vendor)
        .bind(&doc.title)
        .bind(&doc.file_name)
        .bind(&doc.media_type)
        .bind(doc.size)
        .bind(&doc.sha256)
        .bind(doc.valid_from.map(|d| d.to_string()))
        .bind(doc.valid_until.map(|d| d.to_string()))
        .bind(by)
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility),
            "evidence.add",
            "evidence",
            number,
            json!({
                "topic": doc.topic,
                "vendor": doc.vendor,
                "title": doc.title,
                "file_name": doc.file_name,
                "sha256": doc.sha256,
                "size": doc.size,
                "valid_from": doc.valid_from.map(|d| d.to_string()),
                "valid_until": doc.valid_until.map(|d| d.to_string()),
            }),
        )
        .await?;
        w.commit().await?;
        Ok(number)
    }

    /// The facility's documents, oldest first.
    pub async fn evidence(&self, scope: &FacilityScope) -> Result<Vec<Evidence>> {
        let rows = crate::sql::query(
            "SELECT number, topic, vendor, title, file_name, media_type, size, sha256, \
             valid_from, valid_until, uploaded_by, uploaded_at, withdrawn_at, withdrawn_by, \
             withdrawn_reason FROM evidence \
             WHERE facility_id = $1 ORDER BY number",
        )
        .bind(scope.facility.0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let number: i64 = r.try_get("number")?;
                let day = |col: &'static str| -> Result<Option<Date>> {
                    let text: Option<String> = r.try_get(col)?;
                    text.map(|t| stored("evidence", col, number, &t, Date::parse(&t)))
                        .transpose()
                };
                Ok(Evidence {
                    number,
                    doc: NewEvidence {
                        topic: r.try_get("topic")?,
                        vendor: r.try_get("vendor")?,
                        title: r.try_get("title")?,
                        file_name: r.try_get("file_name")?,
                        media_type: r.try_get("media_type")?,
                        size: r.try_get("size")?,
                        sha256: r.try_get("sha256")?,
                        valid_from: day("valid_from")?,
                        valid_until: day("valid_until")?,
                    },
                    uploaded_by: r.try_get::<Option<i64>, _>("uploaded_by")?.map(UserId),
                    uploaded_at: Timestamp::from_unix_millis(r.try_get("uploaded_at")?),
                    withdrawn: match r.try_get::<Option<i64>, _>("withdrawn_at")? {
                        Some(at) => Some((
                            Timestamp::from_unix_millis(at),
                            r.try_get::<Option<i64>, _>("withdrawn_by")?.map(UserId),
                            r.try_get::<Option<String>, _>("withdrawn_reason")?
                                .unwrap_or_default(),
                        )),
                        None => None,
                    },
                })
            })
            .collect()
    }

    /// Withdraws a document kept by mistake, with the reason; `false` when the facility has
    /// no such document or it was withdrawn already.
    pub async fn withdraw_evidence(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        number: i64,
        reason: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self.begin(scope, actor, now).await?;
        let done = crate::sql::query(
            "UPDATE evidence SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3 \
             WHERE facility_id = $4 AND number = $5 AND withdrawn_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(actor.user_id())
        .bind(reason)
        .bind(scope.facility.0)
        .bind(number)
        .execute(w.conn())
        .await?
        .rows_affected();
        w.commit_if(
            done,
            Some(scope.facility),
            "evidence.withdraw",
            "evidence",
            number,
            json!({ "reason": reason }),
        )
        .await
    }

    /// Links a record of the facility's (device, way in, finding, kept review) as evidence of
    /// an item, under the facility's next link number. `NotFound` when the record is not the
    /// facility's; `Conflict` when the item already has it.
    pub async fn add_evidence_link(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        (topic, object, note): (&str, Linked, &str),
        now: Timestamp,
    ) -> Result<i64> {
        let mut w = self.begin(scope, actor, now).await?;
        let exists = match object {
            Linked::Device(_) => "SELECT 1 AS one FROM asset WHERE facility_id = $1 AND id = $2",
            Linked::WayIn(_) => {
                "SELECT 1 AS one FROM connection_point WHERE facility_id = $1 AND id = $2"
            }
            Linked::Finding(_) => {
                "SELECT 1 AS one FROM vuln_finding WHERE facility_id = $1 AND id = $2"
            }
            Linked::Review(_) => {
                "SELECT 1 AS one FROM review_record WHERE facility_id = $1 AND number = $2"
            }
        };
        if crate::sql::query(exists)
            .bind(scope.facility.0)
            .bind(object.id())
            .fetch_optional(w.conn())
            .await?
            .is_none()
        {
            return Err(Error::NotFound {
                what: object.kind(),
                key: object.id().to_string(),
            });
        }
        let twice = crate::sql::query(
            "SELECT number FROM evidence_link WHERE facility_id = $1 AND topic = $2 \
             AND object_kind = $3 AND object_id = $4",
        )
        .bind(scope.facility.0)
        .bind(topic)
        .bind(object.kind())
        .bind(object.id())
        .fetch_optional(w.conn())
        .await?;
        if twice.is_some() {
            return Err(Error::Conflict {
                what: "evidence-link",
                key: format!("{topic}:{}:{}", object.kind(), object.id()),
            });
        }
        let number = crate::row::next_number(&mut w, "evidence_link", scope.facility).await?;
        crate::sql::query(
            "INSERT INTO evidence_link (facility_id, number, topic, object_kind, object_id, \
             note, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(scope.facility.0)
        .bind(number)
        .bind(topic)
        .bind(object.kind())
        .bind(object.id())
        .bind(note)
        .bind(actor.user_id())
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility),
            "evidence.link",
            "evidence_link",
            number,
            json!({ "topic": topic, "object_kind": object.kind(), "object_id": object.id(), "note": note }),
        )
        .await?;
        w.commit().await?;
        Ok(number)
    }

    /// Removes a link; `false` when the facility has no link of that number.
    pub async fn remove_evidence_link(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        number: i64,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self.begin(scope, actor, now).await?;
        let gone = crate::sql::query(
            "DELETE FROM evidence_link WHERE facility_id = $1 AND number = $2 \
             RETURNING topic, object_kind, object_id",
        )
        .bind(scope.facility.0)
        .bind(number)
        .fetch_optional(w.conn())
        .await?;
        let Some(gone) = gone else {
            return Ok(false);
        };
        let (topic, kind, id): (String, String, i64) = (
            gone.try_get("topic")?,
            gone.try_get("object_kind")?,
            gone.try_get("object_id")?,
        );
        w.audit(
            Some(scope.facility),
            "evidence.unlink",
            "evidence_link",
            number,
            json!({ "topic": topic, "object_kind": kind, "object_id": id }),
        )
        .await?;
        w.commit().await?;
        Ok(true)
    }

    /// The facility's links, oldest first.
    pub async fn evidence_links(&self, scope: &FacilityScope) -> Result<Vec<EvidenceLink>> {
        let rows = crate::sql::query(
            "SELECT number, topic, object_kind, object_id, note, linked_by, linked_at \
             FROM evidence_link WHERE facility_id = $1 ORDER BY number",
        )
        .bind(scope.facility.0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let number: i64 = r.try_get("number")?;
                let kind: String = r.try_get("object_kind")?;
                let id: i64 = r.try_get("object_id")?;
                Ok(EvidenceLink {
                    number,
                    topic: r.try_get("topic")?,
                    object: stored(
                        "evidence_link",
                        "object_kind",
                        number,
                        &kind,
                        Linked::parse(&kind, id).ok_or(()),
                    )?,
                    note: r.try_get("note")?,
                    linked_by: r.try_get::<Option<i64>, _>("linked_by")?.map(UserId),
                    linked_at: Timestamp::from_unix_millis(r.try_get("linked_at")?),
                })
            })
            .collect()
    }
}
