//! The staff roster and the account inventories of the facility's systems. An import replaces
//! the roster, or one system's inventory, whole, in one transaction with its audit record;
//! what a person declared of an account stays when the next inventory names it again.

use crate::sql::Row;
use domain::accounts::{
    Holder, PasswordPolicy, StaffMember, SystemAccount, SystemRef, keep_declared,
};
use domain::{Actor, Date, Timestamp};
use serde_json::json;

use crate::error::Error;
use crate::row::stored;
use crate::{FacilityScope, Result, Store};

const ACCOUNT_COLUMNS: &str = "id, asset_id, connection_id, name, full_name, description, \
     holder, person, admin, domain_admin, role, enabled, last_logon, password_set, two_factor, \
     default_password, reused_password, expires";

/// Rows before and after an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    pub before: usize,
    pub after: usize,
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}

fn maybe(b: Option<bool>) -> Option<i64> {
    b.map(i64::from)
}

fn day_text(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl Store {
    /// Replaces the facility's roster with `people` (in their order).
    pub async fn replace_roster(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        people: &[StaffMember],
        source: &str,
    ) -> Result<Replaced> {
        let mut w = self.begin(scope, actor, now).await?;
        let before: i64 =
            crate::sql::query("SELECT COUNT(*) AS n FROM staff WHERE facility_id = $1")
                .bind(scope.facility().0)
                .fetch_one(w.conn())
                .await?
                .try_get("n")?;
        crate::sql::query("DELETE FROM staff WHERE facility_id = $1")
            .bind(scope.facility().0)
            .execute(w.conn())
            .await?;
        for (n, chunk) in people.chunks(crate::write::BATCH_ROWS).enumerate() {
            let sql = format!(
                "INSERT INTO staff (facility_id, position, staff_no, name, job, department, \
                 started, left_on, logins) VALUES {}",
                w.values(chunk.len(), 9)
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
            for (i, m) in chunk.iter().enumerate() {
                let position = (n * crate::write::BATCH_ROWS + i) as i64;
                q = q
                    .bind(scope.facility().0)
                    .bind(position)
                    .bind(m.staff_no.clone())
                    .bind(m.name.clone())
                    .bind(m.job.clone())
                    .bind(m.department.clone())
                    .bind(day_text(m.started))
                    .bind(day_text(m.left))
                    .bind(m.logins.join(" "));
            }
            q.execute(w.conn()).await?;
        }
        let left = people.iter().filter(|m| m.left.is_some()).count();
        w.audit(
            Some(scope.facility()),
            "staff.import",
            "facility",
            scope.facility().0,
            json!({"before": before, "after": people.len(), "left": left, "source": source}),
        )
        .await?;
        w.commit().await?;
        Ok(Replaced {
            before: usize::try_from(before).unwrap_or(0),
            after: people.len(),
        })
    }

    pub async fn roster(&self, scope: &FacilityScope) -> Result<Vec<StaffMember>> {
        Ok(self
            .roster_rows(scope)
            .await?
            .into_iter()
            .map(|(_, m)| m)
            .collect())
    }

    /// Adds one person at the end of the roster; one who cannot be told from someone on it
    /// (same staff number, or same name without numbers) is refused.
    pub async fn add_staff(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        m: &StaffMember,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let rows = crate::sql::query("SELECT staff_no, name FROM staff WHERE facility_id = $1")
            .bind(scope.facility().0)
            .fetch_all(w.conn())
            .await?;
        for r in &rows {
            let no: Option<String> = r.try_get("staff_no")?;
            let name: String = r.try_get("name")?;
            let other = StaffMember {
                staff_no: no,
                name,
                ..m.clone()
            };
            if domain::accounts::duplicate(&[other, m.clone()]).is_some() {
                return Err(Error::Conflict {
                    what: "staff",
                    key: m.name.clone(),
                });
            }
        }
        let position = crate::row::next_position(&mut w, "staff", scope.facility()).await?;
        crate::sql::query(
            "INSERT INTO staff (facility_id, position, staff_no, name, job, department, \
             started, left_on, logins) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(scope.facility().0)
        .bind(position)
        .bind(m.staff_no.clone())
        .bind(m.name.clone())
        .bind(m.job.clone())
        .bind(m.department.clone())
        .bind(day_text(m.started))
        .bind(day_text(m.left))
        .bind(m.logins.join(" "))
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility()),
            "staff.add",
            "facility",
            scope.facility().0,
            // The audit log is read by more roles than the roster: no name in it.
            json!({"job": m.job, "logins": m.logins.len()}),
        )
        .await?;
        w.commit().await
    }

    /// Sets (or clears) the leave date of one person of the roster.
    pub async fn set_staff_left(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        staff: i64,
        left: Option<Date>,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed =
            crate::sql::query("UPDATE staff SET left_on = $1 WHERE facility_id = $2 AND id = $3")
                .bind(day_text(left))
                .bind(scope.facility().0)
                .bind(staff)
                .execute(w.conn())
                .await?
                .rows_affected();
        crate::row::touched(changed, "staff", staff)?;
        w.audit(
            Some(scope.facility()),
            "staff.left",
            "staff",
            staff,
            json!({"left": day_text(left)}),
        )
        .await?;
        w.commit().await
    }

    /// The roster with each person's id (for editing), in the roster's order.
    pub async fn roster_rows(&self, scope: &FacilityScope) -> Result<Vec<(i64, StaffMember)>> {
        let rows = crate::sql::query(
            "SELECT id, staff_no, name, job, department, started, left_on, logins FROM staff \
             WHERE facility_id = $1 ORDER BY position",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let day = |col: &'static str| -> Result<Option<Date>> {
                    let text: Option<String> = r.try_get(col)?;
                    text.map(|t| stored("staff", col, id, &t, Date::parse(&t)))
                        .transpose()
                };
                let logins: String = r.try_get("logins")?;
                Ok((
                    id,
                    StaffMember {
                        staff_no: r.try_get("staff_no")?,
                        name: r.try_get("name")?,
                        job: r.try_get("job")?,
                        department: r.try_get("department")?,
                        started: day("started")?,
                        left: day("left_on")?,
                        logins: logins.split_whitespace().map(str::to_string).collect(),
                    },
                ))
            })
            .collect()
    }

    /// Replaces one system's inventory; declarations of accounts it names again are kept.
    /// `policy`, when given, replaces the system's password settings (else they stay).
    #[allow(clippy::too_many_arguments)]
    pub async fn replace_accounts(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        system: SystemRef,
        accounts: &[SystemAccount],
        policy: Option<&PasswordPolicy>,
        source: &str,
    ) -> Result<Replaced> {
        let mut w = self.begin(scope, actor, now).await?;
        let (asset, connection) = match system {
            SystemRef::Device(id) => (Some(id), None),
            SystemRef::WayIn(id) => (None, Some(id)),
        };
        let (table, id) = match system {
            SystemRef::Device(id) => ("asset", id),
            SystemRef::WayIn(id) => ("connection_point", id),
        };
        let exists = crate::sql::query(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {table} WHERE facility_id = $1 AND id = $2"
        )))
        .bind(scope.facility().0)
        .bind(id)
        .fetch_optional(w.conn())
        .await?;
        if exists.is_none() {
            return Err(Error::NotFound {
                what: table,
                key: id.to_string(),
            });
        }
        let old = read_accounts(
            crate::sql::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ACCOUNT_COLUMNS} FROM system_account WHERE facility_id = $1 \
                 AND COALESCE(asset_id, 0) = $2 AND COALESCE(connection_id, 0) = $3"
            )))
            .bind(scope.facility().0)
            .bind(asset.unwrap_or(0))
            .bind(connection.unwrap_or(0))
            .fetch_all(w.conn())
            .await?,
        )?;
        let old: Vec<SystemAccount> = old.into_iter().map(|(_, a)| a).collect();
        let mut new = accounts.to_vec();
        keep_declared(&old, &mut new);
        crate::sql::query(
            "DELETE FROM system_account WHERE facility_id = $1 \
             AND COALESCE(asset_id, 0) = $2 AND COALESCE(connection_id, 0) = $3",
        )
        .bind(scope.facility().0)
        .bind(asset.unwrap_or(0))
        .bind(connection.unwrap_or(0))
        .execute(w.conn())
        .await?;
        for chunk in new.chunks(crate::write::BATCH_ROWS) {
            let sql = format!(
                "INSERT INTO system_account (facility_id, asset_id, connection_id, name, \
                 full_name, description, holder, person, admin, domain_admin, role, enabled, \
                 last_logon, password_set, two_factor, default_password, reused_password, \
                 source, expires) VALUES {}",
                w.values(chunk.len(), 19)
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
            for a in chunk {
                q = q
                    .bind(scope.facility().0)
                    .bind(asset)
                    .bind(connection)
                    .bind(a.name.clone())
                    .bind(a.full_name.clone())
                    .bind(a.description.clone())
                    .bind(a.holder.map(|h| h.code()))
                    .bind(a.person.clone())
                    .bind(flag(a.admin))
                    .bind(flag(a.domain_admin))
                    .bind(a.role.clone())
                    .bind(maybe(a.enabled))
                    .bind(day_text(a.last_logon))
                    .bind(day_text(a.password_set))
                    .bind(maybe(a.two_factor))
                    .bind(flag(a.default_password))
                    .bind(flag(a.reused_password))
                    .bind(source.to_string())
                    .bind(day_text(a.expires));
            }
            q.execute(w.conn()).await?;
        }
        if let Some(p) = policy {
            crate::sql::query(
                "DELETE FROM system_policy WHERE facility_id = $1 AND asset_id = $2 \
                 AND connection_id = $3",
            )
            .bind(scope.facility().0)
            .bind(asset.unwrap_or(0))
            .bind(connection.unwrap_or(0))
            .execute(w.conn())
            .await?;
            crate::sql::query(
                "INSERT INTO system_policy (facility_id, asset_id, connection_id, min_length, \
                 max_age_days, lockout_threshold, source) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(scope.facility().0)
            .bind(asset.unwrap_or(0))
            .bind(connection.unwrap_or(0))
            .bind(i64::from(p.min_length))
            .bind(p.max_age_days.map(i64::from))
            .bind(p.lockout_threshold.map(i64::from))
            .bind(source.to_string())
            .execute(w.conn())
            .await?;
        }
        let (kind, target) = audit_object(system);
        w.audit(
            Some(scope.facility()),
            "accounts.import",
            kind,
            target,
            json!({
                "before": old.len(),
                "after": new.len(),
                "admins": new.iter().filter(|a| a.admin || a.domain_admin).count(),
                "policy": policy.map(|p| json!({
                    "min_length": p.min_length,
                    "max_age_days": p.max_age_days,
                    "lockout_threshold": p.lockout_threshold,
                })),
                "source": source,
            }),
        )
        .await?;
        w.commit().await?;
        Ok(Replaced {
            before: old.len(),
            after: new.len(),
        })
    }

    /// Records what a person declared of one account (named as its inventory names it).
    pub async fn declare_account(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        system: SystemRef,
        name: &str,
        d: &domain::accounts::Declaration,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let (asset, connection) = match system {
            SystemRef::Device(id) => (id, 0),
            SystemRef::WayIn(id) => (0, id),
        };
        let changed = crate::sql::query(
            "UPDATE system_account SET holder = $1, person = $2, two_factor = $3, \
             default_password = $4, reused_password = $5 WHERE facility_id = $6 \
             AND COALESCE(asset_id, 0) = $7 AND COALESCE(connection_id, 0) = $8 AND name = $9",
        )
        .bind(d.holder.map(|h| h.code()))
        .bind(d.person.clone())
        .bind(maybe(d.two_factor))
        .bind(flag(d.default_password))
        .bind(flag(d.reused_password))
        .bind(scope.facility().0)
        .bind(asset)
        .bind(connection)
        .bind(name)
        .execute(w.conn())
        .await?
        .rows_affected();
        crate::row::touched(changed, "system_account", name)?;
        let (kind, target) = audit_object(system);
        w.audit(
            Some(scope.facility()),
            "accounts.declare",
            kind,
            target,
            json!({
                "account": name,
                "holder": d.holder.map(|h| h.code()),
                "person_set": d.person.is_some(),
                "two_factor": d.two_factor,
                "default_password": d.default_password,
                "reused_password": d.reused_password,
            }),
        )
        .await?;
        w.commit().await
    }

    /// Notes in the audit chain that the facility's accounts left Mamori (a JSON export
    /// holds staff names).
    pub async fn record_accounts_export(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        accounts: usize,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        w.audit(
            Some(scope.facility()),
            "accounts.export",
            "facility",
            scope.facility().0,
            json!({"accounts": accounts}),
        )
        .await?;
        w.commit().await
    }

    /// The password settings of the facility's systems that have them.
    pub async fn system_policies(
        &self,
        scope: &FacilityScope,
    ) -> Result<Vec<(SystemRef, PasswordPolicy)>> {
        let rows = crate::sql::query(
            "SELECT asset_id, connection_id, min_length, max_age_days, lockout_threshold \
             FROM system_policy WHERE facility_id = $1",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let asset: i64 = r.try_get("asset_id")?;
                let connection: i64 = r.try_get("connection_id")?;
                let system = if asset != 0 {
                    SystemRef::Device(asset)
                } else {
                    SystemRef::WayIn(connection)
                };
                let count = |col: &'static str, v: i64| {
                    stored(
                        "system_policy",
                        col,
                        asset.max(connection),
                        v,
                        u32::try_from(v),
                    )
                };
                let min: i64 = r.try_get("min_length")?;
                let age: Option<i64> = r.try_get("max_age_days")?;
                let lock: Option<i64> = r.try_get("lockout_threshold")?;
                Ok((
                    system,
                    PasswordPolicy {
                        min_length: count("min_length", min)?,
                        max_age_days: age.map(|v| count("max_age_days", v)).transpose()?,
                        lockout_threshold: lock
                            .map(|v| count("lockout_threshold", v))
                            .transpose()?,
                    },
                ))
            })
            .collect()
    }

    /// Every inventoried account of the facility, by system and name.
    pub async fn system_accounts(
        &self,
        scope: &FacilityScope,
    ) -> Result<Vec<(SystemRef, SystemAccount)>> {
        let rows = crate::sql::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM system_account WHERE facility_id = $1 \
             ORDER BY CASE WHEN asset_id IS NULL THEN 1 ELSE 0 END, asset_id, connection_id, id"
        )))
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        read_accounts(rows)
    }
}

/// The audit log's object of a system: the device or the way in, as the other records name them.
fn audit_object(system: SystemRef) -> (&'static str, i64) {
    match system {
        SystemRef::Device(id) => ("asset", id),
        SystemRef::WayIn(id) => ("connection_point", id),
    }
}

fn read_accounts(rows: Vec<Row>) -> Result<Vec<(SystemRef, SystemAccount)>> {
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let asset: Option<i64> = r.try_get("asset_id")?;
            let connection: Option<i64> = r.try_get("connection_id")?;
            let system = match (asset, connection) {
                (Some(a), _) => SystemRef::Device(a),
                (None, Some(c)) => SystemRef::WayIn(c),
                (None, None) => {
                    return Err(Error::Corrupt {
                        table: "system_account",
                        column: "asset_id",
                        id: id.to_string(),
                        value: "NULL".into(),
                    });
                }
            };
            let day = |col: &'static str| -> Result<Option<Date>> {
                let text: Option<String> = r.try_get(col)?;
                text.map(|t| stored("system_account", col, id, &t, Date::parse(&t)))
                    .transpose()
            };
            let holder: Option<String> = r.try_get("holder")?;
            let holder = holder
                .map(|h| {
                    let parsed = Holder::from_code(&h).ok_or(());
                    stored("system_account", "holder", id, &h, parsed)
                })
                .transpose()?;
            let yes = |col: &'static str| -> Result<bool> { Ok(r.try_get::<i64, _>(col)? != 0) };
            let maybe = |col: &'static str| -> Result<Option<bool>> {
                Ok(r.try_get::<Option<i64>, _>(col)?.map(|v| v != 0))
            };
            Ok((
                system,
                SystemAccount {
                    name: r.try_get("name")?,
                    full_name: r.try_get("full_name")?,
                    description: r.try_get("description")?,
                    holder,
                    person: r.try_get("person")?,
                    admin: yes("admin")?,
                    domain_admin: yes("domain_admin")?,
                    role: r.try_get("role")?,
                    enabled: maybe("enabled")?,
                    last_logon: day("last_logon")?,
                    password_set: day("password_set")?,
                    two_factor: maybe("two_factor")?,
                    default_password: yes("default_password")?,
                    reused_password: yes("reused_password")?,
                    expires: day("expires")?,
                },
            ))
        })
        .collect()
}
