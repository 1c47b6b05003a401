//! Regions: a core hospital and the clinics it advises.

use domain::{Actor, FacilityId, NewRegion, Region, RegionId, Timestamp};
use serde_json::json;

use crate::Store;
use crate::error::{Error, Result};
use crate::row::conflict;

impl Store {
    pub async fn add_region(
        &self,
        actor: &Actor,
        new: NewRegion,
        now: Timestamp,
    ) -> Result<Region> {
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, actor, now).await?;
        let row = crate::sql::query(
            "INSERT INTO region (name, core_facility_id, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&new.name)
        .bind(new.core_facility.map(|f| f.0))
        .bind(now.unix_millis())
        .fetch_one(w.conn())
        .await
        .map_err(|e| conflict(e, "region", &new.name))?;
        let id = RegionId(row.try_get("id")?);
        let summary = json!({ "after": { "name": new.name, "core_facility": new.core_facility.map(|f| f.0) } });
        w.audit(new.core_facility, "region.create", "region", id.0, summary)
            .await?;
        w.commit().await?;
        Ok(Region {
            id,
            name: new.name,
            core_facility: new.core_facility,
        })
    }

    /// Puts a facility into a region (or moves it there).
    pub async fn join_region(
        &self,
        actor: &Actor,
        facility: FacilityId,
        region: RegionId,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self
            .begin(crate::ChainOf::facility(facility), actor, now)
            .await?;
        let before: Option<i64> =
            crate::sql::query("SELECT region_id FROM region_member WHERE facility_id = $1")
                .bind(facility.0)
                .fetch_optional(w.conn())
                .await?
                .map(|r| r.try_get("region_id"))
                .transpose()?;
        crate::sql::query(
            "INSERT INTO region_member (facility_id, region_id) VALUES ($1, $2) \
             ON CONFLICT (facility_id) DO UPDATE SET region_id = excluded.region_id",
        )
        .bind(facility.0)
        .bind(region.0)
        .execute(w.conn())
        .await
        .map_err(|_| Error::NotFound {
            what: "region",
            key: region.0.to_string(),
        })?;
        let summary = json!({ "before": { "region": before }, "after": { "region": region.0 } });
        w.audit(
            Some(facility),
            "facility.join_region",
            "facility",
            facility.0,
            summary,
        )
        .await?;
        w.commit().await
    }

    pub async fn regions(&self) -> Result<Vec<Region>> {
        let rows = crate::sql::query("SELECT id, name, core_facility_id FROM region ORDER BY id")
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Region {
                    id: RegionId(r.try_get("id")?),
                    name: r.try_get("name")?,
                    core_facility: r
                        .try_get::<Option<i64>, _>("core_facility_id")?
                        .map(FacilityId),
                })
            })
            .collect()
    }
}
