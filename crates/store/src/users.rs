//! Mamori users, their memberships in facilities, sign-in bookkeeping and second factors.
//! Password hashing and code checking happen in the web adapter; this module stores results.

use crate::sql::Row;
use domain::{Actor, Email, FacilityId, Membership, Role, Timestamp, User, UserId};
use serde_json::json;

use crate::error::{Error, Result};
use crate::row::{conflict, stored};
use crate::{FacilityScope, Store};

/// What the second-factor secrets are sealed for (`crate::sealed`).
const TOTP_PURPOSE: &str = "totp-secret";

/// How long a new phone's key waits for its first code (then the change starts again).
pub const PENDING_TOTP_MS: i64 = 10 * 60 * 1000;

const USER_COLUMNS: &str = "id, email, display_name, totp_confirmed_at, locked_until";

/// What sign-in needs to know about a user; never shown to anyone.
#[derive(Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// The second factor's secret, confirmed or still being enrolled.
    pub totp_secret: Option<Vec<u8>>,
    pub totp_last_step: Option<u64>,
    pub failed_signins: i64,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("failed_signins", &self.failed_signins)
            .finish_non_exhaustive()
    }
}

/// A failed sign-in attempt: by whom (network address), for which e-mail (and user, when the
/// address belongs to one), and why (`password`, `code`, `locked`).
#[derive(Debug, Clone, Copy)]
pub struct SigninFailure<'a> {
    pub actor: &'a Actor,
    pub email: &'a str,
    pub user: Option<UserId>,
    pub reason: &'a str,
    /// When this failure started a hold of further tries (kept by the caller).
    pub held_until: Option<Timestamp>,
}

/// After how many failures in a row an account is locked, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct LockPolicy {
    pub after_failures: i64,
    pub lock_ms: i64,
}

/// A facility a user belongs to, with its name for menus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilityAccess {
    pub membership: Membership,
    pub short_name: String,
    pub name: String,
}

impl Store {
    pub async fn add_user(
        &self,
        actor: &Actor,
        email: &Email,
        display_name: Option<&str>,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<User> {
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, actor, now).await?;
        let row = crate::sql::query(
            "INSERT INTO app_user (email, display_name, password_hash, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(email.as_str())
        .bind(display_name)
        .bind(password_hash)
        .bind(now.unix_millis())
        .fetch_one(w.conn())
        .await
        .map_err(|e| conflict(e, "user", email.as_str()))?;
        let id = UserId(row.try_get("id")?);
        let summary = json!({ "after": { "email": email.as_str(), "display_name": display_name } });
        w.audit(None, "user.create", "user", id, summary).await?;
        w.commit().await?;
        Ok(User {
            id,
            email: email.clone(),
            display_name: display_name.map(str::to_string),
            totp_enrolled: false,
            locked_until: None,
        })
    }

    pub async fn user(&self, id: UserId) -> Result<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE id = $1");
        match crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.db.pool)
            .await?
        {
            Some(row) => decode_user(&row),
            None => Err(Error::NotFound {
                what: "user",
                key: id.to_string(),
            }),
        }
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE email = $1");
        let row = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(email.as_str())
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(decode_user).transpose()
    }

    /// Seals the second-factor secrets that an older Mamori stored plain (once, at start).
    pub(crate) async fn seal_plain_secrets(&self, now: Timestamp) -> Result<()> {
        let rows =
            crate::sql::query("SELECT id, totp_secret FROM app_user WHERE totp_secret IS NOT NULL")
                .fetch_all(&self.db.pool)
                .await?;
        let mut plain = Vec::new();
        for row in rows {
            let (id, text): (i64, String) = (row.try_get("id")?, row.try_get("totp_secret")?);
            let Some(secret) = crate::sealed::plain(&text) else {
                continue;
            };
            let secret = stored("app_user", "totp_secret", id, "****", secret.ok_or(()))?;
            let sealed = crate::sealed::seal(&self.key, TOTP_PURPOSE, id, &secret)
                .ok_or_else(|| Error::Database("sealing the second-factor secret failed".into()))?;
            plain.push((id, sealed));
        }
        if plain.is_empty() {
            return Ok(());
        }
        let mut w = self
            .begin(
                crate::ChainOf::DEPLOYMENT,
                &Actor::System("seal".into()),
                now,
            )
            .await?;
        for (id, sealed) in &plain {
            crate::sql::query("UPDATE app_user SET totp_secret = $1 WHERE id = $2")
                .bind(sealed)
                .bind(id)
                .execute(w.conn())
                .await?;
        }
        w.audit(
            None,
            "totp.sealed",
            "deployment",
            1,
            json!({ "users": plain.len() }),
        )
        .await?;
        w.commit().await
    }

    pub async fn credentials(&self, email: &Email) -> Result<Option<Credentials>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, password_hash, totp_secret, totp_last_step, failed_signins \
             FROM app_user WHERE email = $1"
        );
        let Some(row) = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(email.as_str())
            .fetch_optional(&self.db.pool)
            .await?
        else {
            return Ok(None);
        };
        let user = decode_user(&row)?;
        let secret: Option<String> = row.try_get("totp_secret")?;
        let totp_secret = match secret {
            None => None,
            Some(text) => Some(stored(
                "app_user",
                "totp_secret",
                user.id.0,
                "****",
                crate::sealed::open(&self.key, TOTP_PURPOSE, user.id.0, &text).ok_or(()),
            )?),
        };
        Ok(Some(Credentials {
            user,
            password_hash: row.try_get("password_hash")?,
            totp_secret,
            totp_last_step: row
                .try_get::<Option<i64>, _>("totp_last_step")?
                .map(|s| s.max(0) as u64),
            failed_signins: row.try_get("failed_signins")?,
        }))
    }

    /// Every user with their memberships, for `mamori user list`.
    pub async fn users(&self) -> Result<Vec<(User, Vec<FacilityAccess>)>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user ORDER BY id");
        let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.db.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let user = decode_user(row)?;
            let access = self.memberships(user.id).await?;
            out.push((user, access));
        }
        Ok(out)
    }

    /// Gives `user` a role in a facility (or changes it). Giving the advisor role is the
    /// facility's consent and is recorded as such.
    pub async fn set_membership(
        &self,
        actor: &Actor,
        m: &Membership,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self
            .begin(crate::ChainOf::facility(m.facility), actor, now)
            .await?;
        let before = membership_row(w.conn(), m.user, m.facility).await?;
        crate::sql::query(
            "INSERT INTO membership (user_id, facility_id, role, vendor_name, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id, facility_id) DO UPDATE SET role = excluded.role, \
             vendor_name = excluded.vendor_name, expires_at = excluded.expires_at",
        )
        .bind(m.user.0)
        .bind(m.facility.0)
        .bind(m.role.code())
        .bind(&m.vendor_name)
        .bind(m.expires_at.map(Timestamp::unix_millis))
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        let action = if m.role == Role::Advisor {
            "advisor.grant"
        } else {
            "membership.set"
        };
        let summary = json!({
            "before": before.as_ref().map(describe_membership),
            "after": describe_membership(m),
        });
        w.audit(Some(m.facility), action, "user", m.user, summary)
            .await?;
        w.commit().await
    }

    /// Withdraws a user's access to a facility.
    pub async fn remove_membership(
        &self,
        actor: &Actor,
        scope: &FacilityScope,
        user: UserId,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let Some(before) = membership_row(w.conn(), user, scope.facility).await? else {
            return Err(Error::NotFound {
                what: "membership",
                key: user.to_string(),
            });
        };
        crate::sql::query("DELETE FROM membership WHERE user_id = $1 AND facility_id = $2")
            .bind(user.0)
            .bind(scope.facility.0)
            .execute(w.conn())
            .await?;
        let action = if before.role == Role::Advisor {
            "advisor.revoke"
        } else {
            "membership.remove"
        };
        let summary = json!({ "before": describe_membership(&before), "after": null });
        w.audit(Some(scope.facility), action, "user", user, summary)
            .await?;
        w.commit().await
    }

    /// The facilities a user belongs to (expired memberships included, marked by date).
    pub async fn memberships(&self, user: UserId) -> Result<Vec<FacilityAccess>> {
        let rows = crate::sql::query(
            "SELECT m.user_id, m.facility_id, m.role, m.vendor_name, m.expires_at, f.short_name, f.name \
             FROM membership m JOIN facility f ON f.id = m.facility_id \
             WHERE m.user_id = $1 ORDER BY f.id",
        )
        .bind(user.0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FacilityAccess {
                    membership: decode_membership(r)?,
                    short_name: r.try_get("short_name")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// The scope of `facility` for `user`, if the user holds an active membership there.
    /// Whether the facility exists is not told apart from whether the user may see it.
    pub async fn scope_for(
        &self,
        user: UserId,
        facility: FacilityId,
        now: Timestamp,
    ) -> Result<Option<(FacilityScope, Membership)>> {
        let mut conn = self.db.pool.acquire().await?;
        let m = membership_row(&mut conn, user, facility).await?;
        Ok(m.filter(|m| m.active_at(now))
            .map(|m| (FacilityScope { facility }, m)))
    }

    /// The facility's users and their roles.
    pub async fn members(&self, scope: &FacilityScope) -> Result<Vec<(User, Membership)>> {
        let rows = crate::sql::query(
            "SELECT u.id, u.email, u.display_name, u.totp_confirmed_at, u.locked_until, \
             m.user_id, m.facility_id, m.role, m.vendor_name, m.expires_at \
             FROM membership m JOIN app_user u ON u.id = m.user_id \
             WHERE m.facility_id = $1 ORDER BY u.id",
        )
        .bind(scope.facility.0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let user = decode_user(r)?;
                let role: String = r.try_get("role")?;
                let m = Membership {
                    user: user.id,
                    facility: scope.facility,
                    role: stored("membership", "role", user.id.0, &role, Role::parse(&role))?,
                    vendor_name: r.try_get("vendor_name")?,
                    expires_at: r
                        .try_get::<Option<i64>, _>("expires_at")?
                        .map(Timestamp::from_unix_millis),
                };
                Ok((user, m))
            })
            .collect()
    }

    /// Records a failed sign-in. With a `policy`, failures are counted on the account and
    /// after `limit` in a row it is locked until `now + lock_ms` (wrong codes after a right
    /// password); without one, the caller holds back tries in memory and says in
    /// `held_until` when this failure started a hold. Returns whether the account was locked.
    pub async fn record_signin_failure(
        &self,
        f: SigninFailure<'_>,
        policy: Option<LockPolicy>,
        now: Timestamp,
    ) -> Result<bool> {
        let SigninFailure {
            actor,
            email,
            user,
            reason,
            held_until,
        } = f;
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, actor, now).await?;
        let mut locked = false;
        let mut until = held_until.map(|t| t.unix_millis());
        if let (
            Some(id),
            Some(LockPolicy {
                after_failures: limit,
                lock_ms,
            }),
        ) = (user, policy)
        {
            let failed: i64 = crate::sql::query(
                "UPDATE app_user SET failed_signins = failed_signins + 1 WHERE id = $1 RETURNING failed_signins",
            )
            .bind(id.0)
            .fetch_one(w.conn())
            .await?
            .try_get("failed_signins")?;
            if failed >= limit {
                crate::sql::query(
                    "UPDATE app_user SET locked_until = $1, failed_signins = 0 WHERE id = $2",
                )
                .bind(now.unix_millis() + lock_ms)
                .bind(id.0)
                .execute(w.conn())
                .await?;
                locked = true;
                until = Some(now.unix_millis() + lock_ms);
            }
        }
        let object = user.map_or_else(|| email.to_string(), |u| u.to_string());
        w.audit(
            None,
            "signin.failure",
            "user",
            &object,
            json!({ "email": email, "reason": reason }),
        )
        .await?;
        if let Some(until) = until {
            w.audit(
                None,
                "signin.lockout",
                "user",
                &object,
                json!({ "email": email, "locked_until": until }),
            )
            .await?;
        }
        w.commit().await?;
        Ok(locked)
    }

    /// Records a successful sign-in step and clears the failure count. When a TOTP step was
    /// used, it is accepted only if newer than the last one (a code works once).
    pub async fn record_signin_success(
        &self,
        user: &User,
        totp_step: Option<u64>,
        stage: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        if let Some(step) = totp_step
            && !newer_step(&mut w, user, step).await?
        {
            return Ok(false);
        }
        crate::sql::query(
            "UPDATE app_user SET failed_signins = 0, locked_until = NULL WHERE id = $1",
        )
        .bind(user.id.0)
        .execute(w.conn())
        .await?;
        w.audit(
            None,
            "signin.success",
            "user",
            user.id,
            json!({ "stage": stage }),
        )
        .await?;
        w.commit().await?;
        Ok(true)
    }

    /// Uses one recovery code, if it exists and is unused.
    pub async fn use_recovery_code(
        &self,
        user: &User,
        code_hash: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        let used = crate::sql::query(
            "UPDATE recovery_code SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(user.id.0)
        .bind(code_hash)
        .execute(w.conn())
        .await?
        .rows_affected();
        if used == 0 {
            return Ok(false);
        }
        let left: i64 = crate::sql::query(
            "SELECT COUNT(*) AS n FROM recovery_code WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user.id.0)
        .fetch_one(w.conn())
        .await?
        .try_get("n")?;
        crate::sql::query(
            "UPDATE app_user SET failed_signins = 0, locked_until = NULL WHERE id = $1",
        )
        .bind(user.id.0)
        .execute(w.conn())
        .await?;
        w.audit(
            None,
            "signin.recovery_code",
            "user",
            user.id,
            json!({ "codes_left": left }),
        )
        .await?;
        w.commit().await?;
        Ok(true)
    }

    /// Stores a new, unconfirmed second-factor secret (enrolment started).
    pub async fn start_totp(&self, user: &User, secret: &[u8], now: Timestamp) -> Result<()> {
        let actor = Actor::User {
            id: user.id.0,
            email: user.email.to_string(),
        };
        let sealed = crate::sealed::seal(&self.key, TOTP_PURPOSE, user.id.0, secret)
            .ok_or_else(|| Error::Database("sealing the second-factor secret failed".into()))?;
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, &actor, now).await?;
        crate::sql::query("UPDATE app_user SET totp_secret = $1, totp_confirmed_at = NULL, totp_last_step = NULL WHERE id = $2")
            .bind(sealed)
            .bind(user.id.0)
            .execute(w.conn())
            .await?;
        w.audit(None, "totp.start", "user", user.id, json!({}))
            .await?;
        w.commit().await
    }

    /// Confirms enrolment with the step of the first good code, and replaces the recovery
    /// codes with the given hashes.
    pub async fn confirm_totp(
        &self,
        user: &User,
        step: u64,
        recovery_hashes: &[String],
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        crate::sql::query(
            "UPDATE app_user SET totp_confirmed_at = $1, totp_last_step = $2 WHERE id = $3",
        )
        .bind(now.unix_millis())
        .bind(i64::try_from(step).unwrap_or(i64::MAX))
        .bind(user.id.0)
        .execute(w.conn())
        .await?;
        write_recovery_codes(&mut w, user.id, recovery_hashes).await?;
        w.audit(
            None,
            "totp.enrol",
            "user",
            user.id,
            json!({ "recovery_codes": recovery_hashes.len() }),
        )
        .await?;
        w.commit().await
    }
}

impl Store {
    /// How many of the user's recovery codes are still unused.
    pub async fn recovery_codes_left(&self, user: UserId) -> Result<i64> {
        Ok(crate::sql::query(
            "SELECT COUNT(*) AS n FROM recovery_code WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(&self.db.pool)
        .await?
        .try_get("n")?)
    }

    /// Replaces the user's recovery codes with new ones (the old ones stop working), audited.
    pub async fn replace_recovery_codes(
        &self,
        user: &User,
        hashes: &[String],
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        write_recovery_codes(&mut w, user.id, hashes).await?;
        w.audit(
            None,
            "totp.recovery_codes",
            "user",
            user.id,
            json!({ "recovery_codes": hashes.len() }),
        )
        .await?;
        w.commit().await
    }

    /// The user's own change of password (the hash of the new one), audited; the user's
    /// other sessions end.
    pub async fn change_password(
        &self,
        user: &User,
        hash: &str,
        keep_session: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        crate::sql::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.id.0)
            .execute(w.conn())
            .await?;
        let ended = match keep_session {
            Some(keep) => {
                crate::sql::query("DELETE FROM web_session WHERE user_id = $1 AND token_hash <> $2")
                    .bind(user.id.0)
                    .bind(keep)
                    .execute(w.conn())
                    .await?
                    .rows_affected()
            }
            None => 0,
        };
        w.audit(
            None,
            "user.password",
            "user",
            user.id,
            json!({ "other_sessions_ended": ended }),
        )
        .await?;
        w.commit().await
    }
}

impl Store {
    /// Accepts a code of the person's current phone once (its step must be newer than the
    /// last used), for a change on their own account page; audited as what it was for.
    pub async fn use_totp_step(
        &self,
        user: &User,
        step: u64,
        purpose: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        if !newer_step(&mut w, user, step).await? {
            return Ok(false);
        }
        w.audit(
            None,
            "totp.check",
            "user",
            user.id,
            json!({ "for": purpose }),
        )
        .await?;
        w.commit().await?;
        Ok(true)
    }

    /// Keeps a new phone's secret beside the current one (which goes on working) until
    /// [`Store::confirm_totp_replacement`].
    pub async fn start_totp_replacement(
        &self,
        user: &User,
        secret: &[u8],
        now: Timestamp,
    ) -> Result<()> {
        let sealed = crate::sealed::seal(&self.key, TOTP_PURPOSE, user.id.0, secret)
            .ok_or_else(|| Error::Database("sealing the second-factor secret failed".into()))?;
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        crate::sql::query(
            "UPDATE app_user SET totp_pending = $1, totp_pending_at = $2 WHERE id = $3",
        )
        .bind(sealed)
        .bind(now.unix_millis())
        .bind(user.id.0)
        .execute(w.conn())
        .await?;
        w.audit(None, "totp.replace_start", "user", user.id, json!({}))
            .await?;
        w.commit().await
    }

    /// The new phone's secret waiting for its first code, while it is younger than
    /// [`PENDING_TOTP_MS`].
    pub async fn pending_totp(
        &self,
        user: domain::UserId,
        now: Timestamp,
    ) -> Result<Option<Vec<u8>>> {
        let text: Option<String> = crate::sql::query(
            "SELECT totp_pending FROM app_user WHERE id = $1 AND totp_pending_at > $2",
        )
        .bind(user.0)
        .bind(now.unix_millis() - PENDING_TOTP_MS)
        .fetch_optional(&self.db.pool)
        .await?
        .map(|r| r.try_get("totp_pending"))
        .transpose()?
        .flatten();
        text.map(|t| {
            stored(
                "app_user",
                "totp_pending",
                user.0,
                "****",
                crate::sealed::open(&self.key, TOTP_PURPOSE, user.0, &t).ok_or(()),
            )
        })
        .transpose()
    }

    /// Forgets a new phone that was not confirmed (「やめる」). `false` when none was waiting.
    pub async fn cancel_totp_replacement(&self, user: &User, now: Timestamp) -> Result<bool> {
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        let gone = crate::sql::query(
            "UPDATE app_user SET totp_pending = NULL, totp_pending_at = NULL \
             WHERE id = $1 AND totp_pending IS NOT NULL",
        )
        .bind(user.id.0)
        .execute(w.conn())
        .await?
        .rows_affected();
        w.commit_if(
            gone,
            None,
            "totp.replace_cancel",
            "user",
            user.id,
            json!({}),
        )
        .await
    }

    /// The new phone replaces the old one (its first code's step accepted), with new recovery
    /// codes; the person's other sessions end. `false` when no new phone was waiting.
    pub async fn confirm_totp_replacement(
        &self,
        user: &User,
        step: u64,
        recovery_hashes: &[String],
        keep_session: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(user), now)
            .await?;
        let moved = crate::sql::query(
            "UPDATE app_user SET totp_secret = totp_pending, totp_pending = NULL, \
             totp_pending_at = NULL, totp_confirmed_at = $1, totp_last_step = $2 \
             WHERE id = $3 AND totp_pending IS NOT NULL AND totp_pending_at > $4",
        )
        .bind(now.unix_millis())
        .bind(i64::try_from(step).unwrap_or(i64::MAX))
        .bind(user.id.0)
        .bind(now.unix_millis() - PENDING_TOTP_MS)
        .execute(w.conn())
        .await?
        .rows_affected();
        if moved == 0 {
            return Ok(false);
        }
        write_recovery_codes(&mut w, user.id, recovery_hashes).await?;
        let ended =
            crate::sql::query("DELETE FROM web_session WHERE user_id = $1 AND token_hash <> $2")
                .bind(user.id.0)
                .bind(keep_session)
                .execute(w.conn())
                .await?
                .rows_affected();
        w.audit(
            None,
            "totp.replace",
            "user",
            user.id,
            json!({ "recovery_codes": recovery_hashes.len(), "other_sessions_ended": ended }),
        )
        .await?;
        w.commit().await?;
        Ok(true)
    }
}

impl Store {
    /// Keeps the digest of a one-time set-up link for `user` (added by a facility's director),
    /// audited in the facility's chain.
    pub async fn create_setup_link(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        user: UserId,
        token_hash: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        crate::sql::query(
            "INSERT INTO setup_link (token_hash, user_id, facility_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(scope.facility.0)
        .bind(now.unix_millis())
        .bind(expires_at.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility),
            "user.setup_link",
            "user",
            user,
            json!({ "expires_at": expires_at.unix_millis() }),
        )
        .await?;
        w.commit().await
    }

    /// The person a set-up link is for, while it is unused and not expired.
    pub async fn setup_link_user(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>> {
        let row = crate::sql::query(
            "SELECT user_id FROM setup_link WHERE token_hash = $1 AND used_at IS NULL \
             AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now.unix_millis())
        .fetch_optional(&self.db.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.user(UserId(r.try_get("user_id")?)).await?)),
            None => Ok(None),
        }
    }

    /// Uses a set-up link once: the person's password becomes `password_hash`. `false` when
    /// the link is used, expired or unknown (nothing changes).
    pub async fn complete_setup(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let Some(user) = self.setup_link_user(token_hash, now).await? else {
            return Ok(false);
        };
        let mut w = self
            .begin(crate::ChainOf::DEPLOYMENT, &acting_self(&user), now)
            .await?;
        let used = crate::sql::query(
            "UPDATE setup_link SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
             AND expires_at > $1",
        )
        .bind(now.unix_millis())
        .bind(token_hash)
        .execute(w.conn())
        .await?
        .rows_affected();
        if used == 0 {
            return Ok(false);
        }
        crate::sql::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user.id.0)
            .execute(w.conn())
            .await?;
        w.audit(None, "user.setup", "user", user.id, json!({}))
            .await?;
        w.commit().await?;
        Ok(true)
    }
}

/// Takes `step` as the user's last used code step if it is newer than the last one (a code
/// works once); `false` otherwise.
async fn newer_step(w: &mut crate::Write<'_>, user: &User, step: u64) -> Result<bool> {
    Ok(crate::sql::query(
        "UPDATE app_user SET totp_last_step = $1 WHERE id = $2 \
         AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(i64::try_from(step).unwrap_or(i64::MAX))
    .bind(user.id.0)
    .execute(w.conn())
    .await?
    .rows_affected()
        > 0)
}

/// A user acting on their own account.
fn acting_self(user: &User) -> Actor {
    Actor::User {
        id: user.id.0,
        email: user.email.to_string(),
    }
}

/// Replaces a user's recovery codes inside a write (the caller audits).
async fn write_recovery_codes(
    w: &mut crate::Write<'_>,
    user: UserId,
    hashes: &[String],
) -> Result<()> {
    crate::sql::query("DELETE FROM recovery_code WHERE user_id = $1")
        .bind(user.0)
        .execute(w.conn())
        .await?;
    for h in hashes {
        crate::sql::query("INSERT INTO recovery_code (user_id, code_hash) VALUES ($1, $2)")
            .bind(user.0)
            .bind(h)
            .execute(w.conn())
            .await?;
    }
    Ok(())
}

async fn membership_row(
    conn: &mut crate::sql::Conn,
    user: UserId,
    facility: FacilityId,
) -> Result<Option<Membership>> {
    let row = crate::sql::query(
        "SELECT user_id, facility_id, role, vendor_name, expires_at FROM membership \
         WHERE user_id = $1 AND facility_id = $2",
    )
    .bind(user.0)
    .bind(facility.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(decode_membership).transpose()
}

fn describe_membership(m: &Membership) -> serde_json::Value {
    json!({
        "role": m.role.code(),
        "vendor_name": m.vendor_name,
        "expires_at": m.expires_at.map(Timestamp::unix_millis),
    })
}

fn decode_user(row: &Row) -> Result<User> {
    let id: i64 = row.try_get("id")?;
    let email: String = row.try_get("email")?;
    Ok(User {
        id: UserId(id),
        email: stored("app_user", "email", id, &email, Email::parse(&email))?,
        display_name: row.try_get("display_name")?,
        totp_enrolled: row
            .try_get::<Option<i64>, _>("totp_confirmed_at")?
            .is_some(),
        locked_until: row
            .try_get::<Option<i64>, _>("locked_until")?
            .map(Timestamp::from_unix_millis),
    })
}

fn decode_membership(row: &Row) -> Result<Membership> {
    let user: i64 = row.try_get("user_id")?;
    let role: String = row.try_get("role")?;
    Ok(Membership {
        user: UserId(user),
        facility: FacilityId(row.try_get("facility_id")?),
        role: stored("membership", "role", user, &role, Role::parse(&role))?,
        vendor_name: row.try_get("vendor_name")?,
        expires_at: row
            .try_get::<Option<i64>, _>("expires_at")?
            .map(Timestamp::from_unix_millis),
    })
}
