//! The contact chart and the responses to an attack (drills included): each change is one
//! audited transaction of the facility's chain; a step is ticked once per response.

use domain::incident::{
    Contact, ContactId, ContactRole, Incident, IncidentId, NewContact, StepDone,
};
use domain::{Actor, Timestamp};
use serde_json::json;

use crate::error::Error;
use crate::row::{stored, touched};
use crate::{FacilityScope, Result, Store};

impl Store {
    /// Adds a contact at the end of the chart.
    pub async fn add_contact(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        c: &NewContact,
    ) -> Result<ContactId> {
        let mut w = self.begin(scope, actor, now).await?;
        let position = crate::row::next_position(&mut w, "contact", scope.facility()).await?;
        let id: i64 = crate::sql::query(
            "INSERT INTO contact (facility_id, position, role, name, phone, after_hours, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(scope.facility().0)
        .bind(position)
        .bind(c.role.code())
        .bind(&c.name)
        .bind(c.phone.clone())
        .bind(c.after_hours.clone())
        .bind(c.note.clone())
        .fetch_one(w.conn())
        .await?
        .try_get("id")?;
        w.audit(
            Some(scope.facility()),
            "contact.add",
            "contact",
            id,
            json!({"role": c.role.code(), "name": c.name, "phone": c.phone.is_some()}),
        )
        .await?;
        w.commit().await?;
        Ok(ContactId(id))
    }

    pub async fn remove_contact(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        id: ContactId,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed = crate::sql::query("DELETE FROM contact WHERE facility_id = $1 AND id = $2")
            .bind(scope.facility().0)
            .bind(id.0)
            .execute(w.conn())
            .await?
            .rows_affected();
        touched(changed, "contact", id.0)?;
        w.audit(
            Some(scope.facility()),
            "contact.remove",
            "contact",
            id.0,
            json!({}),
        )
        .await?;
        w.commit().await
    }

    /// The chart in its order.
    pub async fn contacts(&self, scope: &FacilityScope) -> Result<Vec<Contact>> {
        let rows = crate::sql::query(
            "SELECT id, role, name, phone, after_hours, note FROM contact \
             WHERE facility_id = $1 ORDER BY position, id",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let role: String = r.try_get("role")?;
                Ok(Contact {
                    id: ContactId(id),
                    details: NewContact {
                        role: stored("contact", "role", id, &role, ContactRole::parse(&role))?,
                        name: r.try_get("name")?,
                        phone: r.try_get("phone")?,
                        after_hours: r.try_get("after_hours")?,
                        note: r.try_get("note")?,
                    },
                })
            })
            .collect()
    }

    /// Starts a response (or a drill). One may be open at a time: another is a conflict,
    /// except that a real response ends an open drill (an attack does not wait for it).
    pub async fn start_incident(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        drill: bool,
    ) -> Result<IncidentId> {
        let mut w = self.begin(scope, actor, now).await?;
        let open = crate::sql::query(
            "SELECT id, drill FROM incident WHERE facility_id = $1 AND closed_at IS NULL",
        )
        .bind(scope.facility().0)
        .fetch_optional(w.conn())
        .await?;
        if let Some(row) = open {
            let open_id: i64 = row.try_get("id")?;
            let open_drill = row.try_get::<i64, _>("drill")? != 0;
            if drill || !open_drill {
                return Err(Error::Conflict {
                    what: "incident",
                    key: "open".into(),
                });
            }
            crate::sql::query("UPDATE incident SET closed_at = $1 WHERE id = $2")
                .bind(now.unix_millis())
                .bind(open_id)
                .execute(w.conn())
                .await?;
            w.audit(
                Some(scope.facility()),
                "incident.close",
                "incident",
                open_id,
                json!({"by": "real response"}),
            )
            .await?;
        }
        let id: i64 = crate::sql::query(
            "INSERT INTO incident (facility_id, drill, started_at) VALUES ($1, $2, $3) \
             RETURNING id",
        )
        .bind(scope.facility().0)
        .bind(i64::from(drill))
        .bind(now.unix_millis())
        .fetch_one(w.conn())
        .await?
        .try_get("id")?;
        w.audit(
            Some(scope.facility()),
            "incident.start",
            "incident",
            id,
            json!({"drill": drill}),
        )
        .await?;
        w.commit().await?;
        Ok(IncidentId(id))
    }

    /// Ticks a step of an open response, with the time and who; a step is ticked once.
    pub async fn tick_step(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        incident: IncidentId,
        (step, note): (&str, Option<&str>),
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let open = crate::sql::query(
            "SELECT id FROM incident WHERE facility_id = $1 AND id = $2 AND closed_at IS NULL",
        )
        .bind(scope.facility().0)
        .bind(incident.0)
        .fetch_optional(w.conn())
        .await?;
        if open.is_none() {
            return Err(Error::NotFound {
                what: "incident",
                key: incident.0.to_string(),
            });
        }
        crate::sql::query(
            "INSERT INTO incident_step (incident_id, step, done_at, done_by, note) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(incident.0)
        .bind(step)
        .bind(now.unix_millis())
        .bind(actor.label())
        .bind(note)
        .execute(w.conn())
        .await
        .map_err(|e| crate::row::conflict(e, "incident step", step))?;
        w.audit(
            Some(scope.facility()),
            "incident.step",
            "incident",
            incident.0,
            json!({"step": step, "note": note}),
        )
        .await?;
        w.commit().await
    }

    pub async fn close_incident(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        incident: IncidentId,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed = crate::sql::query(
            "UPDATE incident SET closed_at = $1 WHERE facility_id = $2 AND id = $3 \
             AND closed_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(scope.facility().0)
        .bind(incident.0)
        .execute(w.conn())
        .await?
        .rows_affected();
        touched(changed, "incident", incident.0)?;
        w.audit(
            Some(scope.facility()),
            "incident.close",
            "incident",
            incident.0,
            json!({}),
        )
        .await?;
        w.commit().await
    }

    /// Every response of the facility, the newest first, with its steps in the order done.
    pub async fn incidents(&self, scope: &FacilityScope) -> Result<Vec<Incident>> {
        let rows = crate::sql::query(
            "SELECT id, drill, started_at, closed_at FROM incident WHERE facility_id = $1 \
             ORDER BY started_at DESC, id DESC",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        let steps = crate::sql::query(
            "SELECT s.incident_id, s.step, s.done_at, s.done_by, s.note FROM incident_step s \
             JOIN incident i ON i.id = s.incident_id WHERE i.facility_id = $1 \
             ORDER BY s.done_at, s.step",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let closed: Option<i64> = r.try_get("closed_at")?;
                let done = steps
                    .iter()
                    .filter(|s| s.try_get::<i64, _>("incident_id").ok() == Some(id))
                    .map(|s| {
                        Ok(StepDone {
                            step: s.try_get("step")?,
                            at: Timestamp::from_unix_millis(s.try_get("done_at")?),
                            by: s.try_get("done_by")?,
                            note: s.try_get("note")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(Incident {
                    id: IncidentId(id),
                    drill: r.try_get::<i64, _>("drill")? != 0,
                    started_at: Timestamp::from_unix_millis(r.try_get("started_at")?),
                    closed_at: closed.map(Timestamp::from_unix_millis),
                    done,
                })
            })
            .collect()
    }
}
