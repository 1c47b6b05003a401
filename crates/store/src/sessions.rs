//! Web sessions. A session is operational state, not a fact about the facility, so it is
//! written outside the audit chain; the sign-in and sign-out events that create and end
//! sessions are audited by the services that call these functions.
//!
//! Only the SHA-256 hash of a session token is stored: a copy of the database does not let
//! anyone use a session.

use domain::{Timestamp, UserId};

use crate::Store;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub user: UserId,
    /// `totp` (password accepted, code pending), `enrol` (must set up a second factor) or
    /// `complete`.
    pub stage: String,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
}

impl Store {
    pub async fn create_session(&self, token_hash: &str, row: &SessionRow) -> Result<()> {
        crate::sql::query(
            "INSERT INTO web_session (token_hash, user_id, stage, csrf_token, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(row.user.0)
        .bind(&row.stage)
        .bind(&row.csrf_token)
        .bind(row.created_at.unix_millis())
        .bind(row.last_seen_at.unix_millis())
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let row = crate::sql::query(
            "SELECT user_id, stage, csrf_token, created_at, last_seen_at FROM web_session WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| {
            Ok(SessionRow {
                user: UserId(r.try_get("user_id")?),
                stage: r.try_get("stage")?,
                csrf_token: r.try_get("csrf_token")?,
                created_at: Timestamp::from_unix_millis(r.try_get("created_at")?),
                last_seen_at: Timestamp::from_unix_millis(r.try_get("last_seen_at")?),
            })
        })
        .transpose()
    }

    pub async fn touch_session(&self, token_hash: &str, now: Timestamp) -> Result<()> {
        crate::sql::query("UPDATE web_session SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now.unix_millis())
            .bind(token_hash)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        crate::sql::query("DELETE FROM web_session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// Removes sessions idle since `idle_before` or created before `created_before`.
    pub async fn delete_expired_sessions(
        &self,
        idle_before: Timestamp,
        created_before: Timestamp,
    ) -> Result<u64> {
        Ok(
            crate::sql::query("DELETE FROM web_session WHERE last_seen_at < $1 OR created_at < $2")
                .bind(idle_before.unix_millis())
                .bind(created_before.unix_millis())
                .execute(&self.db.pool)
                .await?
                .rows_affected(),
        )
    }
}

/// A ledger file waiting for its uploader's confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingImport {
    pub file_name: String,
    pub content: Vec<u8>,
}

impl Store {
    /// Keeps an uploaded file until it is confirmed; drops files older than `expired_before`.
    /// Like sessions this is working state, not a fact: the import itself is audited.
    pub async fn save_pending_import(
        &self,
        scope: &crate::FacilityScope,
        user: UserId,
        token_hash: &str,
        file: &PendingImport,
        now: Timestamp,
        expired_before: Timestamp,
    ) -> Result<()> {
        crate::sql::query("DELETE FROM pending_import WHERE created_at < $1")
            .bind(expired_before.unix_millis())
            .execute(&self.db.pool)
            .await?;
        crate::sql::query(
            "INSERT INTO pending_import (token_hash, facility_id, user_id, file_name, content, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(scope.facility().0)
        .bind(user.0)
        .bind(&file.file_name)
        .bind(file.content.clone())
        .bind(now.unix_millis())
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// The pending file, if this user uploaded it to this facility after `not_before`.
    pub async fn pending_import(
        &self,
        scope: &crate::FacilityScope,
        user: UserId,
        token_hash: &str,
        not_before: Timestamp,
    ) -> Result<Option<PendingImport>> {
        let row = crate::sql::query(
            "SELECT file_name, content FROM pending_import WHERE token_hash = $1 AND facility_id = $2 \
             AND user_id = $3 AND created_at >= $4",
        )
        .bind(token_hash)
        .bind(scope.facility().0)
        .bind(user.0)
        .bind(not_before.unix_millis())
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| {
            Ok(PendingImport {
                file_name: r.try_get("file_name")?,
                content: r.try_get("content")?,
            })
        })
        .transpose()
    }

    pub async fn delete_pending_import(&self, token_hash: &str) -> Result<()> {
        crate::sql::query("DELETE FROM pending_import WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }
}
