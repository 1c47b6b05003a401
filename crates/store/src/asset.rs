//! Assets of one facility's ledger. Every query takes a `FacilityScope`.

use domain::{Actor, Asset, AssetId, AssetKind, NewAsset, RemoteMaintenance, Timestamp};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::Result;
use crate::row::stored;
use crate::{FacilityScope, Store};

const COLUMNS: &str = "id, kind, name, roles, location, ip, maker, model, os_name, os_version, \
                       vendor, remote_maintenance, notes";

impl Store {
    pub async fn add_asset(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        new: NewAsset,
        now: Timestamp,
    ) -> Result<Asset> {
        let mut w = self.begin(actor, now).await?;
        let roles =
            serde_json::to_string(&new.roles).map_err(|e| crate::Error::Database(e.to_string()))?;
        let row = sqlx::query(
            "INSERT INTO asset (facility_id, kind, name, roles, location, ip, maker, model, \
             os_name, os_version, vendor, remote_maintenance, notes, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(scope.facility.0)
        .bind(new.kind.code())
        .bind(&new.name)
        .bind(&roles)
        .bind(&new.location)
        .bind(new.ip.map(|ip| ip.to_string()))
        .bind(&new.maker)
        .bind(&new.model)
        .bind(&new.os_name)
        .bind(&new.os_version)
        .bind(&new.vendor)
        .bind(new.remote_maintenance.code())
        .bind(&new.notes)
        .bind(now.unix_millis())
        .fetch_one(w.conn())
        .await?;
        let id = AssetId(row.try_get(0)?);
        w.audit(
            Some(scope.facility),
            "asset.create",
            "asset",
            id.0,
            json!({ "after": describe(&new) }),
        )
        .await?;
        w.commit().await?;
        Ok(Asset {
            id,
            facility: scope.facility,
            details: new,
        })
    }

    pub async fn assets(&self, scope: &FacilityScope) -> Result<Vec<Asset>> {
        let sql = format!("SELECT {COLUMNS} FROM asset WHERE facility_id = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.facility.0)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter().map(|r| decode(scope, r)).collect()
    }
}

fn describe(a: &NewAsset) -> serde_json::Value {
    json!({
        "kind": a.kind.code(),
        "name": a.name,
        "roles": a.roles,
        "location": a.location,
        "ip": a.ip.map(|ip| ip.to_string()),
        "maker": a.maker,
        "model": a.model,
        "os_name": a.os_name,
        "os_version": a.os_version,
        "vendor": a.vendor,
        "remote_maintenance": a.remote_maintenance.code(),
        "notes": a.notes,
    })
}

fn decode(scope: &FacilityScope, row: &AnyRow) -> Result<Asset> {
    const T: &str = "asset";
    let id: i64 = row.try_get(0)?;
    let kind: String = row.try_get(1)?;
    let roles: String = row.try_get(3)?;
    let ip: Option<String> = row.try_get(5)?;
    let remote: String = row.try_get(11)?;
    Ok(Asset {
        id: AssetId(id),
        facility: scope.facility,
        details: NewAsset {
            kind: stored(T, "kind", id, &kind, AssetKind::parse(&kind))?,
            name: row.try_get(2)?,
            roles: stored(T, "roles", id, &roles, serde_json::from_str(&roles))?,
            location: row.try_get(4)?,
            ip: match ip {
                None => None,
                Some(ip) => Some(stored(T, "ip", id, &ip, ip.parse())?),
            },
            maker: row.try_get(6)?,
            model: row.try_get(7)?,
            os_name: row.try_get(8)?,
            os_version: row.try_get(9)?,
            vendor: row.try_get(10)?,
            remote_maintenance: stored(
                T,
                "remote_maintenance",
                id,
                &remote,
                RemoteMaintenance::parse(&remote),
            )?,
            notes: row.try_get(12)?,
        },
    })
}
