//! Facilities: creating, finding and listing the deployment's tenants.

use crate::sql::Row;
use domain::facility::FacilityRef;
use domain::{Actor, Beds, Facility, FacilityId, FacilityKind, NewFacility, Prefecture, RegionId};
use domain::{ShortName, Timestamp};
use serde_json::json;

use crate::error::{Error, Result};
use crate::row::{conflict, stored};
use crate::{FacilityScope, Store};

const COLUMNS: &str = "f.id, f.short_name, f.name, f.kind, f.beds, f.prefecture, m.region_id, f.totp_required_for_all";
const FROM: &str = "facility f LEFT JOIN region_member m ON m.facility_id = f.id";

/// A facility with the figures the overview page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilitySummary {
    pub facility: Facility,
    pub assets: i64,
}

impl Store {
    pub async fn add_facility(
        &self,
        actor: &Actor,
        new: NewFacility,
        now: Timestamp,
    ) -> Result<Facility> {
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, actor, now).await?;
        let key = new.short_name.as_str().to_string();
        let row = crate::sql::query(
            "INSERT INTO facility (short_name, name, kind, beds, prefecture, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.short_name.as_str())
        .bind(&new.name)
        .bind(new.kind.code())
        .bind(new.beds.map(|b| i64::from(b.get())))
        .bind(new.prefecture.map(|p| i64::from(p.code())))
        .bind(w.now().unix_millis())
        .fetch_one(w.conn())
        .await
        .map_err(|e| conflict(e, "facility", &key))?;
        let id = FacilityId(row.try_get("id")?);
        if let Some(region) = new.region {
            crate::sql::query("INSERT INTO region_member (facility_id, region_id) VALUES ($1, $2)")
                .bind(id.0)
                .bind(region.0)
                .execute(w.conn())
                .await?;
        }
        let facility = Facility {
            id,
            short_name: new.short_name,
            name: new.name,
            kind: new.kind,
            beds: new.beds,
            prefecture: new.prefecture,
            region: new.region,
            totp_required_for_all: false,
        };
        w.audit(
            Some(id),
            "facility.create",
            "facility",
            id,
            json!({ "after": describe(&facility) }),
        )
        .await?;
        w.commit().await?;
        Ok(facility)
    }

    pub async fn facilities(&self) -> Result<Vec<Facility>> {
        let sql = format!("SELECT {COLUMNS} FROM {FROM} ORDER BY f.id");
        let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    /// Every facility with its asset count, in one query.
    pub async fn facility_summaries(&self) -> Result<Vec<FacilitySummary>> {
        let sql = format!(
            "SELECT {COLUMNS}, (SELECT COUNT(*) FROM asset a WHERE a.facility_id = f.id \
             AND a.retired_at IS NULL) AS assets FROM {FROM} ORDER BY f.id"
        );
        let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(FacilitySummary {
                    facility: decode(r)?,
                    assets: r.try_get("assets")?,
                })
            })
            .collect()
    }

    /// Finds a facility by the id or short name a person typed.
    pub async fn facility(&self, r: &FacilityRef) -> Result<Facility> {
        let (column, id, short) = match r {
            FacilityRef::Id(id) => ("f.id", Some(id.0), None),
            FacilityRef::Short(s) => ("f.short_name", None, Some(s.as_str())),
        };
        let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {column} = $1");
        let query = crate::sql::query(sqlx::AssertSqlSafe(sql));
        let query = match (id, short) {
            (Some(id), _) => query.bind(id),
            (None, s) => query.bind(s),
        };
        match query.fetch_optional(&self.db.pool).await? {
            Some(row) => decode(&row),
            None => Err(Error::NotFound {
                what: "facility",
                key: match r {
                    FacilityRef::Id(id) => id.to_string(),
                    FacilityRef::Short(s) => s.to_string(),
                },
            }),
        }
    }

    /// Makes a second factor required for every user of the facility, or only for the roles
    /// that need it by default.
    pub async fn set_totp_required_for_all(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        required: bool,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let before: i64 =
            crate::sql::query("SELECT totp_required_for_all FROM facility WHERE id = $1")
                .bind(scope.facility.0)
                .fetch_one(w.conn())
                .await?
                .try_get("totp_required_for_all")?;
        crate::sql::query("UPDATE facility SET totp_required_for_all = $1 WHERE id = $2")
            .bind(i64::from(required))
            .bind(scope.facility.0)
            .execute(w.conn())
            .await?;
        let summary = json!({
            "before": { "totp_required_for_all": before != 0 },
            "after": { "totp_required_for_all": required },
        });
        w.audit(
            Some(scope.facility),
            "facility.totp_policy",
            "facility",
            scope.facility,
            summary,
        )
        .await?;
        w.commit().await
    }

    /// The scope for queries inside one facility. Later, sign-in decides who may obtain it.
    pub async fn scope(&self, r: &FacilityRef) -> Result<FacilityScope> {
        let facility = self.facility(r).await?;
        Ok(FacilityScope {
            facility: facility.id,
        })
    }
}

fn describe(f: &Facility) -> serde_json::Value {
    json!({
        "short_name": f.short_name.as_str(),
        "name": f.name,
        "kind": f.kind.code(),
        "beds": f.beds.map(Beds::get),
        "prefecture": f.prefecture.map(Prefecture::code),
        "region": f.region.map(|r| r.0),
    })
}

fn decode(row: &Row) -> Result<Facility> {
    const T: &str = "facility";
    let id: i64 = row.try_get("id")?;
    let short: String = row.try_get("short_name")?;
    let kind: String = row.try_get("kind")?;
    let kind = stored(T, "kind", id, &kind, FacilityKind::parse(&kind))?;
    let beds = match row.try_get::<Option<i64>, _>("beds")? {
        None => None,
        Some(n) => {
            let beds = u32::try_from(n)
                .map_err(|_| ())
                .and_then(|n| Beds::for_kind(kind, n).map_err(|_| ()));
            Some(stored(T, "beds", id, n, beds)?)
        }
    };
    let prefecture = match row.try_get::<Option<i64>, _>("prefecture")? {
        None => None,
        Some(code) => Some(stored(
            T,
            "prefecture",
            id,
            code,
            Prefecture::from_code(code),
        )?),
    };
    Ok(Facility {
        id: FacilityId(id),
        short_name: stored(T, "short_name", id, &short, ShortName::parse(&short))?,
        name: row.try_get("name")?,
        kind,
        beds,
        prefecture,
        region: row.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
        totp_required_for_all: row.try_get::<i64, _>("totp_required_for_all")? != 0,
    })
}
