//! Network segments of one facility and the flows between them.

use domain::segment::{Flow, NewSegment, Segment, SegmentId, Zone};
use domain::{Actor, Timestamp};
use serde_json::json;

use crate::error::{Error, Result};
use crate::row::{conflict, stored};
use crate::{FacilityScope, Store};

impl Store {
    pub async fn add_segment(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        new: NewSegment,
        now: Timestamp,
    ) -> Result<Segment> {
        let mut w = self.begin(scope, actor, now).await?;
        let row = crate::sql::query("INSERT INTO segment (facility_id, name, zone, notes, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(scope.facility().0)
            .bind(&new.name)
            .bind(new.zone.code())
            .bind(&new.notes)
            .bind(now.unix_millis())
            .fetch_one(w.conn())
            .await
            .map_err(|e| conflict(e, "segment", &new.name))?;
        let id = SegmentId(row.try_get("id")?);
        let summary =
            json!({ "after": { "name": new.name, "zone": new.zone.code(), "notes": new.notes } });
        w.audit(
            Some(scope.facility()),
            "segment.create",
            "segment",
            id.0,
            summary,
        )
        .await?;
        w.commit().await?;
        Ok(Segment { id, details: new })
    }

    pub async fn segments(&self, scope: &FacilityScope) -> Result<Vec<Segment>> {
        let rows = crate::sql::query(
            "SELECT id, name, zone, notes FROM segment WHERE facility_id = $1 ORDER BY id",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let zone: String = r.try_get("zone")?;
                Ok(Segment {
                    id: SegmentId(id),
                    details: NewSegment {
                        name: r.try_get("name")?,
                        zone: stored("segment", "zone", id, &zone, Zone::parse(&zone))?,
                        notes: r.try_get("notes")?,
                    },
                })
            })
            .collect()
    }

    /// Allows traffic from one segment to another; both must be the facility's.
    pub async fn add_flow(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        flow: Flow,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        for id in [flow.from, flow.to] {
            let found =
                crate::sql::query("SELECT id FROM segment WHERE id = $1 AND facility_id = $2")
                    .bind(id.0)
                    .bind(scope.facility().0)
                    .fetch_optional(w.conn())
                    .await?;
            if found.is_none() {
                return Err(Error::NotFound {
                    what: "segment",
                    key: id.0.to_string(),
                });
            }
        }
        crate::sql::query("INSERT INTO segment_flow (facility_id, from_segment, to_segment, note, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(scope.facility().0)
            .bind(flow.from.0)
            .bind(flow.to.0)
            .bind(&flow.note)
            .bind(now.unix_millis())
            .execute(w.conn())
            .await
            .map_err(|e| conflict(e, "flow", &format!("{}-{}", flow.from.0, flow.to.0)))?;
        let summary =
            json!({ "after": { "from": flow.from.0, "to": flow.to.0, "note": flow.note } });
        w.audit(
            Some(scope.facility()),
            "segment.flow",
            "segment",
            flow.from.0,
            summary,
        )
        .await?;
        w.commit().await
    }

    pub async fn flows(&self, scope: &FacilityScope) -> Result<Vec<Flow>> {
        let rows = crate::sql::query("SELECT from_segment, to_segment, note FROM segment_flow WHERE facility_id = $1 ORDER BY from_segment, to_segment")
            .bind(scope.facility().0)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Flow {
                    from: SegmentId(r.try_get("from_segment")?),
                    to: SegmentId(r.try_get("to_segment")?),
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }
}
