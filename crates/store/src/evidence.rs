//! Evidence documents of a facility (the rows; the files are kept by the service in the
//! evidence folder under their SHA-256). Each upload is in the facility's audit chain.

use domain::{Actor, Date, Timestamp, UserId};
use serde_json::json;
use sqlx::Row;

use crate::row::stored;
use crate::{FacilityScope, Result, Store};

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

/// A kept document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub number: i64,
    pub doc: NewEvidence,
    pub uploaded_by: Option<UserId>,
    pub uploaded_at: Timestamp,
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
        let last: Option<i64> =
            sqlx::query("SELECT MAX(number) AS last FROM evidence WHERE facility_id = $1")
                .bind(scope.facility.0)
                .fetch_one(w.conn())
                .await?
                .try_get("last")?;
        let number = last.unwrap_or(0) + 1;
        let by = actor.user_id();
        sqlx::query(
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
        let rows = sqlx::query(
            "SELECT number, topic, vendor, title, file_name, media_type, size, sha256, \
             valid_from, valid_until, uploaded_by, uploaded_at FROM evidence \
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
                })
            })
            .collect()
    }
}
