//! Monthly reviews as signed off (月次点検の記録): numbered per facility from 1, written once
//! and never changed, each in the facility's audit chain.

use crate::sql::Row;
use domain::{Actor, Date, Timestamp};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::row::stored;
use crate::{FacilityScope, Result, Store};

/// A review to keep: the period, who reviewed it, a note and the review as it read (`body`,
/// JSON written by the service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub since: Date,
    pub reviewed_on: Date,
    pub reviewer: String,
    pub note: String,
    pub body: String,
}

/// A kept review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReview {
    pub number: i64,
    pub review: NewReview,
    /// The signed-in person who kept it (none from the command line).
    pub saved_by: Option<domain::UserId>,
    pub saved_at: Timestamp,
}

/// The columns [`decode`] reads.
macro_rules! select {
    ($body:literal, $rest:literal) => {
        concat!(
            "SELECT number, since, reviewed_on, reviewer, note, ",
            $body,
            " AS body, saved_by, saved_at FROM review_record WHERE facility_id = $1 ",
            $rest
        )
    };
}

fn decode(r: &Row) -> Result<SavedReview> {
    let number: i64 = r.try_get("number")?;
    let day = |col: &'static str| -> Result<Date> {
        let text: String = r.try_get(col)?;
        stored("review_record", col, number, &text, Date::parse(&text))
    };
    Ok(SavedReview {
        number,
        review: NewReview {
            since: day("since")?,
            reviewed_on: day("reviewed_on")?,
            reviewer: r.try_get("reviewer")?,
            note: r.try_get("note")?,
            body: r.try_get("body")?,
        },
        saved_by: r.try_get::<Option<i64>, _>("saved_by")?.map(domain::UserId),
        saved_at: Timestamp::from_unix_millis(r.try_get("saved_at")?),
    })
}

impl Store {
    /// Keeps a review as number `expected` (the number the person saw on the button; the
    /// facility's chain head is held, so two reviews kept at once get consecutive numbers).
    /// `Conflict` when that number is taken already (a second click, or someone else kept one
    /// meanwhile): nothing is written. The audit record holds the digests of the note and of
    /// the body, so a kept review changed in the database afterwards fails to match it.
    pub async fn save_review(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        review: &NewReview,
        expected: i64,
        now: Timestamp,
    ) -> Result<i64> {
        let mut w = self.begin(scope, actor, now).await?;
        let number = crate::row::next_number(&mut w, "review_record", scope.facility).await?;
        if number != expected {
            return Err(crate::Error::Conflict {
                what: "review",
                key: expected.to_string(),
            });
        }
        let saved_by = actor.user_id();
        crate::sql::query(
            "INSERT INTO review_record (facility_id, number, since, reviewed_on, reviewer, note, \
             body, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(scope.facility.0)
        .bind(number)
        .bind(review.since.to_string())
        .bind(review.reviewed_on.to_string())
        .bind(&review.reviewer)
        .bind(&review.note)
        .bind(&review.body)
        .bind(saved_by)
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility),
            "review.save",
            "review",
            number,
            json!({
                "since": review.since.to_string(),
                "reviewed_on": review.reviewed_on.to_string(),
                "reviewer": review.reviewer,
                "note_sha256": domain::audit::to_hex(&Sha256::digest(review.note.as_bytes())),
                "body_sha256": domain::audit::to_hex(&Sha256::digest(review.body.as_bytes())),
            }),
        )
        .await?;
        w.commit().await?;
        Ok(number)
    }

    /// The facility's kept reviews, the newest first, without their bodies (empty).
    pub async fn saved_reviews(&self, scope: &FacilityScope) -> Result<Vec<SavedReview>> {
        crate::sql::query(select!("''", "ORDER BY number DESC"))
            .bind(scope.facility.0)
            .fetch_all(&self.db.pool)
            .await?
            .iter()
            .map(decode)
            .collect()
    }

    /// One kept review by its number.
    pub async fn saved_review(
        &self,
        scope: &FacilityScope,
        number: i64,
    ) -> Result<Option<SavedReview>> {
        crate::sql::query(select!("body", "AND number = $2"))
            .bind(scope.facility.0)
            .bind(number)
            .fetch_optional(&self.db.pool)
            .await?
            .as_ref()
            .map(decode)
            .transpose()
    }
}
