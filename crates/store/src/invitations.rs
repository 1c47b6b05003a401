//! Invitations of regional advisors: a director names an e-mail address; access begins only
//! when the person with that address, signed in, accepts. Nothing here says whether the
//! address has an account, so the director's form cannot be used to learn who uses Mamori.

use domain::{Actor, Email, FacilityId, Membership, Role, Timestamp, User};
use serde_json::json;

use crate::{FacilityScope, Result, Store};

/// How long an invitation waits for its answer.
pub const INVITATION_MS: i64 = 14 * 24 * 60 * 60 * 1000;

/// An invitation waiting for the invited person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub facility: FacilityId,
    pub facility_name: String,
    pub email: String,
    pub created_at: Timestamp,
}

/// Whose invitations.
enum Of<'a> {
    Facility(i64),
    Email(&'a str),
}

impl Store {
    /// Invites `email` to advise the facility of `scope` (again: the invitation is renewed).
    pub async fn invite_advisor(
        &self,
        actor: &Actor,
        scope: &FacilityScope,
        invited_by: domain::UserId,
        email: &Email,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        crate::sql::query(
            "INSERT INTO advisor_invitation (facility_id, email, invited_by, created_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (facility_id, email) DO UPDATE SET invited_by = excluded.invited_by, \
             created_at = excluded.created_at, accepted_at = NULL",
        )
        .bind(scope.facility.0)
        .bind(email.as_str())
        .bind(invited_by.0)
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility),
            "advisor.invite",
            "invitation",
            email.as_str(),
            json!({ "email": email.as_str() }),
        )
        .await?;
        w.commit().await
    }

    /// Withdraws the open invitation of `email` to the facility of `scope`; `false` when there
    /// was none.
    pub async fn withdraw_invitation(
        &self,
        actor: &Actor,
        scope: &FacilityScope,
        email: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self.begin(scope, actor, now).await?;
        let gone = crate::sql::query(
            "DELETE FROM advisor_invitation WHERE facility_id = $1 AND email = $2 \
             AND accepted_at IS NULL",
        )
        .bind(scope.facility.0)
        .bind(email)
        .execute(w.conn())
        .await?
        .rows_affected();
        w.commit_if(
            gone,
            Some(scope.facility),
            "advisor.invite.withdraw",
            "invitation",
            email,
            json!({ "email": email }),
        )
        .await
    }

    /// The open invitations of a facility (for its members page).
    pub async fn facility_invitations(
        &self,
        scope: &FacilityScope,
        now: Timestamp,
    ) -> Result<Vec<Invitation>> {
        self.invitations(Of::Facility(scope.facility.0), now).await
    }

    /// The open invitations addressed to `user`.
    pub async fn invitations_for(&self, user: &User, now: Timestamp) -> Result<Vec<Invitation>> {
        self.invitations(Of::Email(user.email.as_str()), now).await
    }

    async fn invitations(&self, of: Of<'_>, now: Timestamp) -> Result<Vec<Invitation>> {
        let filter = match of {
            Of::Facility(_) => "i.facility_id = $1",
            Of::Email(_) => "i.email = $1",
        };
        let sql = format!(
            "SELECT i.id, i.facility_id, f.name, i.email, i.created_at \
             FROM advisor_invitation i JOIN facility f ON f.id = i.facility_id \
             WHERE {filter} AND i.accepted_at IS NULL AND i.created_at > $2 \
             ORDER BY i.created_at, i.id"
        );
        let query = crate::sql::query(sqlx::AssertSqlSafe(sql));
        let query = match of {
            Of::Facility(id) => query.bind(id),
            Of::Email(email) => query.bind(email),
        };
        let rows = query
            .bind(now.unix_millis() - INVITATION_MS)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Invitation {
                    id: r.try_get("id")?,
                    facility: FacilityId(r.try_get("facility_id")?),
                    facility_name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    created_at: Timestamp::from_unix_millis(r.try_get("created_at")?),
                })
            })
            .collect()
    }

    /// `user` accepts invitation `id`: it must be addressed to them and still open. Returns
    /// the facility they now advise, or `None` (no such open invitation for them).
    pub async fn accept_invitation(
        &self,
        user: &User,
        id: i64,
        now: Timestamp,
    ) -> Result<Option<FacilityId>> {
        let actor = Actor::User {
            id: user.id.0,
            email: user.email.to_string(),
        };
        // The facility's chain records the acceptance: which facility, the invitation says.
        let Some(facility) = crate::sql::query(
            "SELECT facility_id FROM advisor_invitation WHERE id = $1 AND email = $2",
        )
        .bind(id)
        .bind(user.email.as_str())
        .fetch_optional(&self.db.pool)
        .await?
        .map(|row| row.try_get::<i64, _>("facility_id"))
        .transpose()?
        .map(FacilityId) else {
            return Ok(None);
        };
        let mut w = self
            .begin(crate::ChainOf::facility(facility), &actor, now)
            .await?;
        // Only while the person who invited may still grant advisors there.
        let granting: Vec<String> = Role::ALL
            .iter()
            .filter(|r| r.can(domain::Permission::GrantAdvisor))
            .map(|r| format!("'{}'", r.code()))
            .collect();
        let sql = format!(
            "UPDATE advisor_invitation SET accepted_at = $1 \
             WHERE id = $2 AND email = $3 AND accepted_at IS NULL AND created_at > $4 \
             AND facility_id = $5 \
             AND EXISTS (SELECT 1 FROM membership m WHERE m.user_id = advisor_invitation.invited_by \
             AND m.facility_id = advisor_invitation.facility_id AND m.role IN ({}) \
             AND (m.expires_at IS NULL OR m.expires_at > $1)) \
             RETURNING facility_id",
            granting.join(", ")
        );
        let row = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(now.unix_millis())
            .bind(id)
            .bind(user.email.as_str())
            .bind(now.unix_millis() - INVITATION_MS)
            .bind(facility.0)
            .fetch_optional(w.conn())
            .await?;
        if row.is_none() {
            return Ok(None);
        }
        // A member already (in another role) keeps that role: an invitation adds, never demotes.
        let existing = crate::sql::query(
            "SELECT role FROM membership WHERE user_id = $1 AND facility_id = $2",
        )
        .bind(user.id.0)
        .bind(facility.0)
        .fetch_optional(w.conn())
        .await?;
        if existing.is_none() {
            let m = Membership {
                user: user.id,
                facility,
                role: Role::Advisor,
                vendor_name: None,
                expires_at: None,
            };
            crate::sql::query(
                "INSERT INTO membership (user_id, facility_id, role, vendor_name, expires_at, created_at) \
                 VALUES ($1, $2, $3, NULL, NULL, $4)",
            )
            .bind(m.user.0)
            .bind(m.facility.0)
            .bind(m.role.code())
            .bind(now.unix_millis())
            .execute(w.conn())
            .await?;
            w.audit(
                Some(facility),
                "advisor.grant",
                "user",
                user.id,
                json!({ "before": null, "after": { "role": "advisor" }, "invitation": id }),
            )
            .await?;
        } else {
            w.audit(
                Some(facility),
                "advisor.accept",
                "user",
                user.id,
                json!({ "invitation": id, "already_member": true }),
            )
            .await?;
        }
        w.commit().await?;
        Ok(Some(facility))
    }
}
