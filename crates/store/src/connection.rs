//! Vendors and connection points of one facility. Every query takes a `FacilityScope`.

use crate::sql::Row;
use domain::connection::{Authentication, Availability, ConnectionKind, SourceRestriction};
use domain::{
    Actor, AssetId, ConnectionPoint, ConnectionPointId, Date, NewConnectionPoint, NewVendor,
    Timestamp, Vendor, VendorId,
};
use serde_json::json;

use crate::error::{Error, Result};
use crate::row::{conflict, stored};
use crate::{FacilityScope, Store, Write};

const CP_COLUMNS: &str = "id, name, kind, asset_id, vendor, availability, authentication, source_restriction, \
                          sources, reachable_segments, credentials_changed_on, last_used_on, contract_notes, notes";

impl Store {
    pub async fn add_vendor(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        new: NewVendor,
        now: Timestamp,
    ) -> Result<Vendor> {
        let mut w = self.begin(scope, actor, now).await?;
        let id = write_vendor(&mut w, scope, None, &new).await?;
        w.commit().await?;
        Ok(Vendor { id, details: new })
    }

    pub async fn vendors(&self, scope: &FacilityScope) -> Result<Vec<Vendor>> {
        let mut conn = self.db.pool.acquire().await?;
        fetch_vendors(&mut conn, scope).await
    }

    pub async fn add_connection_point(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        new: NewConnectionPoint,
        now: Timestamp,
    ) -> Result<ConnectionPoint> {
        let mut w = self.begin(scope, actor, now).await?;
        let id = write_point(&mut w, scope, None, &new).await?;
        w.commit().await?;
        Ok(ConnectionPoint { id, details: new })
    }

    /// Corrects a connection point of the scope's facility.
    pub async fn update_connection_point(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        id: ConnectionPointId,
        new: NewConnectionPoint,
        now: Timestamp,
    ) -> Result<()> {
        let before = self.connection_point(scope, id).await?;
        let mut w = self.begin(scope, actor, now).await?;
        write_point(&mut w, scope, Some(&before), &new).await?;
        w.commit().await
    }

    pub async fn connection_points(&self, scope: &FacilityScope) -> Result<Vec<ConnectionPoint>> {
        let mut conn = self.db.pool.acquire().await?;
        fetch_points(&mut conn, scope).await
    }

    /// One connection point of the scope's facility; another facility's is not found.
    pub async fn connection_point(
        &self,
        scope: &FacilityScope,
        id: ConnectionPointId,
    ) -> Result<ConnectionPoint> {
        let sql =
            format!("SELECT {CP_COLUMNS} FROM connection_point WHERE facility_id = $1 AND id = $2");
        match crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.facility.0)
            .bind(id.0)
            .fetch_optional(&self.db.pool)
            .await?
        {
            Some(row) => decode(&row),
            None => Err(Error::NotFound {
                what: "connection_point",
                key: id.0.to_string(),
            }),
        }
    }
}

pub(crate) async fn fetch_vendors(
    conn: &mut crate::sql::Conn,
    scope: &FacilityScope,
) -> Result<Vec<Vendor>> {
    let rows = crate::sql::query(
        "SELECT id, name, phone_24h, contact, contract, notes FROM vendor WHERE facility_id = $1 ORDER BY id",
    )
    .bind(scope.facility.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Vendor {
                id: VendorId(r.try_get("id")?),
                details: NewVendor {
                    name: r.try_get("name")?,
                    phone_24h: r.try_get("phone_24h")?,
                    contact: r.try_get("contact")?,
                    contract: r.try_get("contract")?,
                    notes: r.try_get("notes")?,
                },
            })
        })
        .collect()
}

pub(crate) async fn fetch_points(
    conn: &mut crate::sql::Conn,
    scope: &FacilityScope,
) -> Result<Vec<ConnectionPoint>> {
    let sql =
        format!("SELECT {CP_COLUMNS} FROM connection_point WHERE facility_id = $1 ORDER BY id");
    let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
        .bind(scope.facility.0)
        .fetch_all(conn)
        .await?;
    rows.iter().map(decode).collect()
}

fn describe_vendor(v: &NewVendor) -> serde_json::Value {
    json!({ "name": v.name, "phone_24h": v.phone_24h, "contact": v.contact, "contract": v.contract, "notes": v.notes })
}

/// Adds (`before` none) or corrects a vendor inside a write, with its audit record.
pub(crate) async fn write_vendor(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    before: Option<&Vendor>,
    new: &NewVendor,
) -> Result<VendorId> {
    let now = w.now().unix_millis();
    let Some(before) = before else {
        let row = crate::sql::query(
            "INSERT INTO vendor (facility_id, name, phone_24h, contact, contract, notes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(scope.facility.0)
        .bind(&new.name)
        .bind(&new.phone_24h)
        .bind(&new.contact)
        .bind(&new.contract)
        .bind(&new.notes)
        .bind(now)
        .fetch_one(w.conn())
        .await
        .map_err(|e| conflict(e, "vendor", &new.name))?;
        let id = VendorId(row.try_get("id")?);
        let summary = json!({ "after": describe_vendor(new) });
        w.audit(
            Some(scope.facility),
            "vendor.create",
            "vendor",
            id.0,
            summary,
        )
        .await?;
        return Ok(id);
    };
    crate::sql::query(
        "UPDATE vendor SET name = $1, phone_24h = $2, contact = $3, contract = $4, notes = $5 \
         WHERE id = $6 AND facility_id = $7",
    )
    .bind(&new.name)
    .bind(&new.phone_24h)
    .bind(&new.contact)
    .bind(&new.contract)
    .bind(&new.notes)
    .bind(before.id.0)
    .bind(scope.facility.0)
    .execute(w.conn())
    .await?;
    let summary =
        json!({ "before": describe_vendor(&before.details), "after": describe_vendor(new) });
    w.audit(
        Some(scope.facility),
        "vendor.update",
        "vendor",
        before.id.0,
        summary,
    )
    .await?;
    Ok(before.id)
}

/// Adds (`before` none) or corrects a connection point inside a write, with its audit
/// record. Its device must be one of the facility's.
pub(crate) async fn write_point(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    before: Option<&ConnectionPoint>,
    new: &NewConnectionPoint,
) -> Result<ConnectionPointId> {
    if let Some(asset) = new.asset {
        let found = crate::sql::query("SELECT id FROM asset WHERE id = $1 AND facility_id = $2")
            .bind(asset.0)
            .bind(scope.facility.0)
            .fetch_optional(w.conn())
            .await?;
        if found.is_none() {
            return Err(Error::NotFound {
                what: "asset",
                key: asset.0.to_string(),
            });
        }
    }
    let now = w.now().unix_millis();
    let segments = serde_json::to_string(&new.reachable_segments)
        .map_err(|e| Error::Database(e.to_string()))?;
    let sql = match before {
        None => {
            "INSERT INTO connection_point (name, kind, asset_id, vendor, availability, \
             authentication, source_restriction, sources, reachable_segments, credentials_changed_on, \
             last_used_on, contract_notes, notes, created_at, updated_at, facility_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15) RETURNING id"
        }
        Some(_) => {
            "UPDATE connection_point SET name = $1, kind = $2, asset_id = $3, vendor = $4, availability = $5, \
             authentication = $6, source_restriction = $7, sources = $8, reachable_segments = $9, \
             credentials_changed_on = $10, last_used_on = $11, contract_notes = $12, notes = $13, updated_at = $14 \
             WHERE facility_id = $15 AND id = $16 RETURNING id"
        }
    };
    let q = crate::sql::query(sql)
        .bind(&new.name)
        .bind(new.kind.code())
        .bind(new.asset.map(|a| a.0))
        .bind(&new.vendor)
        .bind(new.availability.code())
        .bind(new.authentication.code())
        .bind(new.source_restriction.code())
        .bind(&new.sources)
        .bind(segments)
        .bind(new.credentials_changed_on.map(|d| d.to_string()))
        .bind(new.last_used_on.map(|d| d.to_string()))
        .bind(&new.contract_notes)
        .bind(&new.notes)
        .bind(now)
        .bind(scope.facility.0);
    let q = match before {
        Some(b) => q.bind(b.id.0),
        None => q,
    };
    let row = q.fetch_one(w.conn()).await?;
    let id = ConnectionPointId(row.try_get("id")?);
    let (action, summary) = match before {
        None => ("connection.create", json!({ "after": describe(new) })),
        Some(b) => (
            "connection.update",
            json!({ "before": describe(&b.details), "after": describe(new) }),
        ),
    };
    w.audit(
        Some(scope.facility),
        action,
        "connection_point",
        id.0,
        summary,
    )
    .await?;
    Ok(id)
}

fn describe(c: &NewConnectionPoint) -> serde_json::Value {
    json!({
        "name": c.name,
        "kind": c.kind.code(),
        "asset": c.asset.map(|a| a.0),
        "vendor": c.vendor,
        "availability": c.availability.code(),
        "authentication": c.authentication.code(),
        "source_restriction": c.source_restriction.code(),
        "sources": c.sources,
        "reachable_segments": c.reachable_segments,
        "credentials_changed_on": c.credentials_changed_on.map(|d| d.to_string()),
        "last_used_on": c.last_used_on.map(|d| d.to_string()),
        "contract_notes": c.contract_notes,
        "notes": c.notes,
    })
}

fn decode(row: &Row) -> Result<ConnectionPoint> {
    const T: &str = "connection_point";
    let id: i64 = row.try_get("id")?;
    let text = |column: &str| -> Result<String> { Ok(row.try_get(column)?) };
    let kind = text("kind")?;
    let availability = text("availability")?;
    let auth = text("authentication")?;
    let source = text("source_restriction")?;
    let segments = text("reachable_segments")?;
    let date = |column: &'static str| -> Result<Option<Date>> {
        match row.try_get::<Option<String>, _>(column)? {
            None => Ok(None),
            Some(t) => Ok(Some(stored(T, column, id, &t, Date::parse(&t))?)),
        }
    };
    Ok(ConnectionPoint {
        id: ConnectionPointId(id),
        details: NewConnectionPoint {
            name: row.try_get("name")?,
            kind: stored(T, "kind", id, &kind, ConnectionKind::parse(&kind))?,
            asset: row.try_get::<Option<i64>, _>("asset_id")?.map(AssetId),
            vendor: row.try_get("vendor")?,
            availability: stored(
                T,
                "availability",
                id,
                &availability,
                Availability::parse(&availability),
            )?,
            authentication: stored(T, "authentication", id, &auth, Authentication::parse(&auth))?,
            source_restriction: stored(
                T,
                "source_restriction",
                id,
                &source,
                SourceRestriction::parse(&source),
            )?,
            sources: row.try_get("sources")?,
            reachable_segments: stored(
                T,
                "reachable_segments",
                id,
                &segments,
                serde_json::from_str(&segments),
            )?,
            credentials_changed_on: date("credentials_changed_on")?,
            last_used_on: date("last_used_on")?,
            contract_notes: row.try_get("contract_notes")?,
            notes: row.try_get("notes")?,
        },
    })
}
