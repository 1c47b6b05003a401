//! The facility's backup copies, restore goals and restore drills (`domain::backup`). Each
//! change is one audited transaction; a copy or drill names a device of the same facility.

use domain::backup::{
    Copy, CopyId, Drill, DrillId, DrillResult, Goal, Link, Medium, NewCopy, NewDrill, Place,
};
use domain::{Actor, AssetId, Date, Timestamp};
use serde_json::json;

use crate::error::Error;
use crate::row::stored;
use crate::write::Write;
use crate::{FacilityScope, Result, Store};

const COPY_COLUMNS: &str = "id, asset_id, medium, place, link, immutable, admin_can_delete, \
     holder_id, every_days, generations, encrypted, last_success, note";

const DRILL_COLUMNS: &str =
    "id, asset_id, drill_on, what, result, minutes, problems, verified, evidence_number";

fn maybe(b: Option<bool>) -> Option<i64> {
    b.map(i64::from)
}

fn count(n: Option<u32>) -> Option<i64> {
    n.map(i64::from)
}

/// Refuses a device that is not the facility's.
async fn own_device(w: &mut Write<'_>, scope: &FacilityScope, id: AssetId) -> Result<()> {
    let found = crate::sql::query("SELECT id FROM asset WHERE facility_id = $1 AND id = $2")
        .bind(scope.facility().0)
        .bind(id.0)
        .fetch_optional(w.conn())
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(Error::NotFound {
            what: "asset",
            key: id.0.to_string(),
        }),
    }
}

impl Store {
    pub async fn add_backup_copy(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        c: &NewCopy,
    ) -> Result<CopyId> {
        let mut w = self.begin(scope, actor, now).await?;
        own_device(&mut w, scope, c.system).await?;
        if let Some(h) = c.holder {
            own_device(&mut w, scope, h).await?;
        }
        let id: i64 = crate::sql::query(
            "INSERT INTO backup_copy (facility_id, asset_id, medium, place, link, immutable, \
             admin_can_delete, holder_id, every_days, generations, encrypted, last_success, \
             note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(scope.facility().0)
        .bind(c.system.0)
        .bind(c.medium.code())
        .bind(c.place.code())
        .bind(c.link.code())
        .bind(i64::from(c.immutable))
        .bind(maybe(c.admin_can_delete))
        .bind(c.holder.map(|h| h.0))
        .bind(count(c.every_days))
        .bind(count(c.generations))
        .bind(maybe(c.encrypted))
        .bind(c.last_success.map(|d| d.to_string()))
        .bind(c.note.clone())
        .fetch_one(w.conn())
        .await?
        .try_get("id")?;
        w.audit(
            Some(scope.facility()),
            "backup.copy_add",
            "asset",
            c.system.0,
            json!({"copy": id, "medium": c.medium.code(), "place": c.place.code(),
                   "link": c.link.code(), "immutable": c.immutable}),
        )
        .await?;
        w.commit().await?;
        Ok(CopyId(id))
    }

    /// Records a copy's last successful backup.
    pub async fn set_backup_success(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        copy: CopyId,
        on: Date,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed = crate::sql::query(
            "UPDATE backup_copy SET last_success = $1 WHERE facility_id = $2 AND id = $3",
        )
        .bind(on.to_string())
        .bind(scope.facility().0)
        .bind(copy.0)
        .execute(w.conn())
        .await?
        .rows_affected();
        crate::row::touched(changed, "backup copy", copy.0)?;
        w.audit(
            Some(scope.facility()),
            "backup.copy_success",
            "backup_copy",
            copy.0,
            json!({"on": on.to_string()}),
        )
        .await?;
        w.commit().await
    }

    pub async fn remove_backup_copy(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        copy: CopyId,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed =
            crate::sql::query("DELETE FROM backup_copy WHERE facility_id = $1 AND id = $2")
                .bind(scope.facility().0)
                .bind(copy.0)
                .execute(w.conn())
                .await?
                .rows_affected();
        crate::row::touched(changed, "backup copy", copy.0)?;
        w.audit(
            Some(scope.facility()),
            "backup.copy_remove",
            "backup_copy",
            copy.0,
            json!({}),
        )
        .await?;
        w.commit().await
    }

    /// Every copy of the facility, by system and in the order they were added.
    pub async fn backup_copies(&self, scope: &FacilityScope) -> Result<Vec<Copy>> {
        let rows = crate::sql::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COPY_COLUMNS} FROM backup_copy WHERE facility_id = $1 \
             ORDER BY asset_id, id"
        )))
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let code = |col: &'static str| -> Result<String> { Ok(r.try_get(col)?) };
                let flag = |col: &'static str| -> Result<Option<bool>> {
                    Ok(r.try_get::<Option<i64>, _>(col)?.map(|v| v != 0))
                };
                let number = |col: &'static str| -> Result<Option<u32>> {
                    let v: Option<i64> = r.try_get(col)?;
                    v.map(|v| stored("backup_copy", col, id, v, u32::try_from(v)))
                        .transpose()
                };
                let medium = code("medium")?;
                let place = code("place")?;
                let link = code("link")?;
                let last: Option<String> = r.try_get("last_success")?;
                Ok(Copy {
                    id: CopyId(id),
                    details: NewCopy {
                        system: AssetId(r.try_get("asset_id")?),
                        medium: stored(
                            "backup_copy",
                            "medium",
                            id,
                            &medium,
                            Medium::parse(&medium),
                        )?,
                        place: stored("backup_copy", "place", id, &place, Place::parse(&place))?,
                        link: stored("backup_copy", "link", id, &link, Link::parse(&link))?,
                        immutable: r.try_get::<i64, _>("immutable")? != 0,
                        admin_can_delete: flag("admin_can_delete")?,
                        holder: r.try_get::<Option<i64>, _>("holder_id")?.map(AssetId),
                        every_days: number("every_days")?,
                        generations: number("generations")?,
                        encrypted: flag("encrypted")?,
                        last_success: last
                            .map(|t| stored("backup_copy", "last_success", id, &t, Date::parse(&t)))
                            .transpose()?,
                        note: r.try_get("note")?,
                    },
                })
            })
            .collect()
    }

    /// Sets a system's restore goals (both `None` clears them).
    pub async fn set_backup_goal(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        system: AssetId,
        goal: Goal,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        own_device(&mut w, scope, system).await?;
        crate::sql::query("DELETE FROM backup_goal WHERE facility_id = $1 AND asset_id = $2")
            .bind(scope.facility().0)
            .bind(system.0)
            .execute(w.conn())
            .await?;
        if goal != Goal::default() {
            crate::sql::query(
                "INSERT INTO backup_goal (facility_id, asset_id, rpo_hours, rto_hours) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(scope.facility().0)
            .bind(system.0)
            .bind(count(goal.rpo_hours))
            .bind(count(goal.rto_hours))
            .execute(w.conn())
            .await?;
        }
        w.audit(
            Some(scope.facility()),
            "backup.goal",
            "asset",
            system.0,
            json!({"rpo_hours": goal.rpo_hours, "rto_hours": goal.rto_hours}),
        )
        .await?;
        w.commit().await
    }

    pub async fn backup_goals(&self, scope: &FacilityScope) -> Result<Vec<(AssetId, Goal)>> {
        let rows = crate::sql::query(
            "SELECT asset_id, rpo_hours, rto_hours FROM backup_goal WHERE facility_id = $1 \
             ORDER BY asset_id",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("asset_id")?;
                let hours = |col: &'static str| -> Result<Option<u32>> {
                    let v: Option<i64> = r.try_get(col)?;
                    v.map(|v| stored("backup_goal", col, id, v, u32::try_from(v)))
                        .transpose()
                };
                Ok((
                    AssetId(id),
                    Goal {
                        rpo_hours: hours("rpo_hours")?,
                        rto_hours: hours("rto_hours")?,
                    },
                ))
            })
            .collect()
    }

    pub async fn record_drill(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        d: &NewDrill,
    ) -> Result<DrillId> {
        let mut w = self.begin(scope, actor, now).await?;
        own_device(&mut w, scope, d.system).await?;
        let id: i64 = crate::sql::query(
            "INSERT INTO restore_drill (facility_id, asset_id, drill_on, what, result, minutes, \
             problems, verified, evidence_number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(scope.facility().0)
        .bind(d.system.0)
        .bind(d.on.to_string())
        .bind(&d.what)
        .bind(d.result.map(DrillResult::code))
        .bind(count(d.minutes))
        .bind(d.problems.clone())
        .bind(i64::from(d.verified))
        .bind(d.evidence)
        .fetch_one(w.conn())
        .await?
        .try_get("id")?;
        w.audit(
            Some(scope.facility()),
            "backup.drill",
            "asset",
            d.system.0,
            json!({"drill": id, "on": d.on.to_string(), "result": d.result.map(DrillResult::code),
                   "minutes": d.minutes, "verified": d.verified, "evidence": d.evidence}),
        )
        .await?;
        w.commit().await?;
        Ok(DrillId(id))
    }

    /// Every drill of the facility, planned and done, oldest first.
    pub async fn drills(&self, scope: &FacilityScope) -> Result<Vec<Drill>> {
        let rows = crate::sql::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DRILL_COLUMNS} FROM restore_drill WHERE facility_id = $1 \
             ORDER BY drill_on, id"
        )))
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let on: String = r.try_get("drill_on")?;
                let result: Option<String> = r.try_get("result")?;
                let minutes: Option<i64> = r.try_get("minutes")?;
                Ok(Drill {
                    id: DrillId(id),
                    details: NewDrill {
                        system: AssetId(r.try_get("asset_id")?),
                        on: stored("restore_drill", "drill_on", id, &on, Date::parse(&on))?,
                        what: r.try_get("what")?,
                        result: result
                            .map(|t| {
                                stored("restore_drill", "result", id, &t, DrillResult::parse(&t))
                            })
                            .transpose()?,
                        minutes: minutes
                            .map(|v| stored("restore_drill", "minutes", id, v, u32::try_from(v)))
                            .transpose()?,
                        problems: r.try_get("problems")?,
                        verified: r.try_get::<i64, _>("verified")? != 0,
                        evidence: r.try_get("evidence_number")?,
                    },
                })
            })
            .collect()
    }
}
