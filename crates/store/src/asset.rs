//! Assets of one facility's ledger. Every query takes a `FacilityScope`.

use domain::{
    Actor, Asset, AssetId, AssetKind, Date, MacAddress, NewAsset, RemoteMaintenance, Timestamp,
};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use domain::ledger::{Plan, Step};

use crate::error::{Error, Result};
use crate::row::stored;
use crate::{FacilityScope, Store, Write};

const COLUMNS: &str = "id, kind, name, roles, location, ip, maker, model, os_name, os_version, \
                       vendor, remote_maintenance, notes, remote_method, mac, serial, segment, \
                       owner_department, acquired_on, end_of_support, version_checked_on";

impl Store {
    pub async fn add_asset(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        new: NewAsset,
        now: Timestamp,
    ) -> Result<Asset> {
        let mut w = self.begin(actor, now).await?;
        let id = insert(&mut w, scope, &new).await?;
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

    /// Imports ledger rows in one transaction: each row adds a device or updates the one it
    /// matches (serial number, else name and IP address); devices the file does not mention
    /// are left alone. With `dry_run` nothing is written. The plan is made inside the
    /// transaction, so it is the plan that is applied.
    pub async fn import_ledger(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        import: &LedgerImport<'_>,
        now: Timestamp,
    ) -> Result<Plan> {
        let mut w = self.begin(actor, now).await?;
        let existing = fetch(w.conn(), scope).await?;
        let mut plan = domain::ledger::plan(&existing, import.assets, import.lines, import.columns)
            .map_err(Error::LedgerConflicts)?;
        let names: Vec<(usize, Option<&str>)> = import
            .points
            .iter()
            .map(|p| (p.line, p.device.as_deref()))
            .collect();
        let devices = domain::ledger::resolve_devices(&existing, &plan, &names)
            .map_err(Error::LedgerConflicts)?;
        let extras = SheetPlan::plan(&mut w, scope, import, &devices).await?;
        plan.points = extras.point_counts();
        plan.vendors = extras.vendor_counts();
        if import.dry_run {
            return Ok(plan);
        }
        let added: Vec<(usize, &NewAsset)> = plan
            .steps
            .iter()
            .zip(&plan.assets)
            .enumerate()
            .filter(|(_, (step, _))| matches!(step, Step::Add))
            .map(|(i, (_, a))| (i, a))
            .collect();
        let mut row_ids: std::collections::HashMap<usize, AssetId> = Default::default();
        for chunk in added.chunks(INSERT_BATCH) {
            let assets: Vec<&NewAsset> = chunk.iter().map(|(_, a)| *a).collect();
            let ids = insert_many(&mut w, scope, &assets).await?;
            for (id, (row, new)) in ids.into_iter().zip(chunk) {
                row_ids.insert(*row, id);
                let summary = created(new)?;
                w.audit_text(Some(scope.facility), "asset.create", "asset", id.0, summary)
                    .await?;
            }
        }
        let by_id: std::collections::HashMap<AssetId, &Asset> =
            existing.iter().map(|a| (a.id, a)).collect();
        for (step, new) in plan.steps.iter().zip(&plan.assets) {
            match step {
                Step::Add => {}
                Step::Change { id, fields } => {
                    let before = by_id.get(id).map(|a| describe(&a.details));
                    update(&mut w, scope, *id, new).await?;
                    let summary =
                        json!({ "before": before, "after": describe(new), "fields": fields });
                    w.audit(Some(scope.facility), "asset.update", "asset", id.0, summary)
                        .await?;
                }
                Step::Unchanged { .. } => {}
            }
        }
        extras.write(&mut w, scope, &row_ids).await?;
        let summary = json!({
            "source": import.source,
            "added": plan.added(),
            "changed": plan.changed(),
            "unchanged": plan.unchanged(),
            "left_alone": plan.left_alone,
            "points": [plan.points.added, plan.points.changed, plan.points.unchanged],
            "vendors": [plan.vendors.added, plan.vendors.changed, plan.vendors.unchanged],
        });
        w.audit(
            Some(scope.facility),
            "ledger.import",
            "facility",
            scope.facility,
            summary,
        )
        .await?;
        w.commit().await?;
        Ok(plan)
    }

    /// One device of the facility (not retired); another facility's is not found.
    pub async fn asset(&self, scope: &FacilityScope, id: AssetId) -> Result<Option<Asset>> {
        let mut conn = self.db.pool.acquire().await?;
        match fetch_one(&mut conn, scope, id).await {
            Ok(a) => Ok(Some(a)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn assets(&self, scope: &FacilityScope) -> Result<Vec<Asset>> {
        let mut conn = self.db.pool.acquire().await?;
        fetch(&mut conn, scope).await
    }
}

/// Rows of a ledger file, ready to import.
#[derive(Debug, Clone, Copy)]
pub struct LedgerImport<'a> {
    pub assets: &'a [NewAsset],
    /// The file's row number of each asset, for messages about conflicts.
    pub lines: &'a [usize],
    /// The columns each row's sheet has (empty: all); the others keep the ledger's values.
    pub columns: &'a [Vec<domain::ledger::Column>],
    /// The file name, recorded in the audit record.
    pub source: &'a str,
    pub dry_run: bool,
    /// The file's connection points (matched to the stored ones by name) and vendors.
    pub points: &'a [PointImport],
    pub vendors: &'a [domain::NewVendor],
}

/// A connection point of a ledger file: its device by ledger name, and its row for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct PointImport {
    pub point: domain::NewConnectionPoint,
    pub device: Option<String>,
    pub line: usize,
}

/// What a ledger file does to the vendors and connection points, decided before anything
/// is written (so that a dry run can say it too).
struct SheetPlan<'a> {
    /// Each file vendor, with the stored one of its name; `None` when unchanged.
    vendors: Vec<(&'a domain::NewVendor, Option<domain::Vendor>, bool)>,
    /// Each file point, its device, the stored one of its name, and whether it changes.
    points: Vec<(
        &'a PointImport,
        domain::ledger::DeviceRef,
        Option<domain::ConnectionPoint>,
        bool,
    )>,
}

impl<'a> SheetPlan<'a> {
    async fn plan(
        w: &mut Write<'_>,
        scope: &FacilityScope,
        import: &LedgerImport<'a>,
        devices: &[domain::ledger::DeviceRef],
    ) -> Result<SheetPlan<'a>> {
        use domain::ledger::DeviceRef;
        if import.points.is_empty() && import.vendors.is_empty() {
            return Ok(SheetPlan {
                vendors: Vec::new(),
                points: Vec::new(),
            });
        }
        let stored_vendors = crate::connection::fetch_vendors(w.conn(), scope).await?;
        let stored_points = crate::connection::fetch_points(w.conn(), scope).await?;
        let vendors = import
            .vendors
            .iter()
            .map(|v| {
                let old = stored_vendors
                    .iter()
                    .find(|s| s.details.name == v.name)
                    .cloned();
                let changes = old.as_ref().is_none_or(|o| o.details != *v);
                (v, old, changes)
            })
            .collect();
        let points = import
            .points
            .iter()
            .zip(devices)
            .map(|(p, d)| {
                let old = stored_points
                    .iter()
                    .find(|s| s.details.name == p.point.name)
                    .cloned();
                let mut want = p.point.clone();
                want.asset = match d {
                    DeviceRef::Existing(id) => Some(*id),
                    DeviceRef::None | DeviceRef::Row(_) => None,
                };
                let changes = match (&old, d) {
                    (None, _) | (Some(_), DeviceRef::Row(_)) => true,
                    (Some(o), _) => o.details != want,
                };
                (p, *d, old, changes)
            })
            .collect();
        Ok(SheetPlan { vendors, points })
    }

    fn vendor_counts(&self) -> domain::ledger::Counts {
        counts(self.vendors.iter().map(|(_, old, ch)| (old.is_some(), *ch)))
    }

    fn point_counts(&self) -> domain::ledger::Counts {
        counts(
            self.points
                .iter()
                .map(|(_, _, old, ch)| (old.is_some(), *ch)),
        )
    }

    /// Writes what changes; `rows` gives the ids of the devices the file added.
    async fn write(
        &self,
        w: &mut Write<'_>,
        scope: &FacilityScope,
        rows: &std::collections::HashMap<usize, AssetId>,
    ) -> Result<()> {
        use domain::ledger::DeviceRef;
        for (v, old, changes) in &self.vendors {
            if *changes {
                crate::connection::write_vendor(w, scope, old.as_ref(), v).await?;
            }
        }
        for (p, device, old, changes) in &self.points {
            if !*changes {
                continue;
            }
            let mut want = p.point.clone();
            want.asset = match device {
                DeviceRef::None => None,
                DeviceRef::Existing(id) => Some(*id),
                DeviceRef::Row(i) => rows.get(i).copied(),
            };
            crate::connection::write_point(w, scope, old.as_ref(), &want).await?;
        }
        Ok(())
    }
}

/// `(stored before, changes)` per row into added / changed / unchanged.
fn counts(rows: impl Iterator<Item = (bool, bool)>) -> domain::ledger::Counts {
    let mut c = domain::ledger::Counts::default();
    for (stored, changes) in rows {
        match (stored, changes) {
            (false, _) => c.added += 1,
            (true, true) => c.changed += 1,
            (true, false) => c.unchanged += 1,
        }
    }
    c
}

/// One device of the scope's facility.
pub(crate) async fn fetch_one(
    conn: &mut sqlx::AnyConnection,
    scope: &FacilityScope,
    id: AssetId,
) -> Result<Asset> {
    let sql = format!(
        "SELECT {COLUMNS} FROM asset WHERE facility_id = $1 AND id = $2 AND retired_at IS NULL"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(scope.facility.0)
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "asset",
            key: id.0.to_string(),
        })?;
    decode(scope, &row)
}

async fn fetch(conn: &mut sqlx::AnyConnection, scope: &FacilityScope) -> Result<Vec<Asset>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM asset WHERE facility_id = $1 AND retired_at IS NULL ORDER BY id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(scope.facility.0)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| decode(scope, r)).collect()
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds an asset's twenty columns, in the order both statements below list them.
fn bind_details<'q>(q: AnyQuery<'q>, new: &'q NewAsset) -> Result<AnyQuery<'q>> {
    let roles = serde_json::to_string(&new.roles).map_err(|e| Error::Database(e.to_string()))?;
    Ok(q.bind(new.kind.code())
        .bind(&new.name)
        .bind(roles)
        .bind(&new.location)
        .bind(new.ip.map(|ip| ip.to_string()))
        .bind(&new.maker)
        .bind(&new.model)
        .bind(&new.os_name)
        .bind(&new.os_version)
        .bind(&new.vendor)
        .bind(new.remote_maintenance.code())
        .bind(&new.notes)
        .bind(&new.remote_method)
        .bind(new.mac.map(|m| m.to_string()))
        .bind(&new.serial)
        .bind(&new.segment)
        .bind(&new.owner_department)
        .bind(new.acquired_on.map(|d| d.to_string()))
        .bind(new.end_of_support.map(|d| d.to_string()))
        .bind(new.version_checked_on.map(|d| d.to_string())))
}

/// Devices inserted by one statement (23 parameters each; see `BATCH_ROWS` in `write.rs`).
const INSERT_BATCH: usize = crate::write::BATCH_ROWS;

/// Inserts devices in one statement inside a write and returns their ids in the order given;
/// the caller audits them. Ids are given in insertion order on both backends, so sorting
/// the returned ids restores the order of the rows.
async fn insert_many(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    assets: &[&NewAsset],
) -> Result<Vec<AssetId>> {
    if assets.is_empty() {
        return Ok(Vec::new());
    }
    let now = w.now().unix_millis();
    let sql = format!(
        "INSERT INTO asset (facility_id, kind, name, roles, location, ip, maker, model, \
         os_name, os_version, vendor, remote_maintenance, notes, remote_method, mac, serial, segment, \
         owner_department, acquired_on, end_of_support, version_checked_on, created_at, updated_at) \
         VALUES {} RETURNING id",
        w.values(assets.len(), 23)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in assets {
        q = bind_details(q.bind(scope.facility.0), a)?
            .bind(now)
            .bind(now);
    }
    let rows = q.fetch_all(w.conn()).await?;
    let mut ids = rows
        .iter()
        .map(|r| r.try_get::<i64, _>(0).map(AssetId))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    ids.sort();
    Ok(ids)
}

/// Inserts an asset inside a write; the caller audits it.
pub(crate) async fn insert(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    new: &NewAsset,
) -> Result<AssetId> {
    let now = w.now().unix_millis();
    let q = sqlx::query(
        "INSERT INTO asset (facility_id, kind, name, roles, location, ip, maker, model, \
         os_name, os_version, vendor, remote_maintenance, notes, remote_method, mac, serial, segment, \
         owner_department, acquired_on, end_of_support, version_checked_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21, $22, $22) RETURNING id",
    )
    .bind(scope.facility.0);
    let row = bind_details(q, new)?.bind(now).fetch_one(w.conn()).await?;
    Ok(AssetId(row.try_get(0)?))
}

/// Replaces an asset's facts inside a write; the caller audits it.
pub(crate) async fn update(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    id: AssetId,
    new: &NewAsset,
) -> Result<()> {
    let now = w.now().unix_millis();
    let q = sqlx::query(
        "UPDATE asset SET kind = $1, name = $2, roles = $3, location = $4, ip = $5, maker = $6, \
         model = $7, os_name = $8, os_version = $9, vendor = $10, remote_maintenance = $11, notes = $12, \
         remote_method = $13, mac = $14, serial = $15, segment = $16, owner_department = $17, \
         acquired_on = $18, end_of_support = $19, version_checked_on = $20, updated_at = $21 \
         WHERE id = $22 AND facility_id = $23",
    );
    let done = bind_details(q, new)?
        .bind(now)
        .bind(id.0)
        .bind(scope.facility.0)
        .execute(w.conn())
        .await?
        .rows_affected();
    if done == 0 {
        return Err(Error::NotFound {
            what: "asset",
            key: id.0.to_string(),
        });
    }
    Ok(())
}

/// A device as its audit records show it.
#[derive(serde::Serialize)]
struct Described<'a> {
    kind: &'static str,
    name: &'a str,
    roles: &'a [String],
    location: &'a Option<String>,
    ip: Option<String>,
    maker: &'a Option<String>,
    model: &'a Option<String>,
    os_name: &'a Option<String>,
    os_version: &'a Option<String>,
    vendor: &'a Option<String>,
    remote_maintenance: &'static str,
    notes: &'a Option<String>,
    remote_method: &'a Option<String>,
    mac: Option<String>,
    serial: &'a Option<String>,
    segment: &'a Option<String>,
    owner_department: &'a Option<String>,
    acquired_on: Option<String>,
    end_of_support: Option<String>,
    version_checked_on: Option<String>,
}

impl<'a> Described<'a> {
    fn of(a: &'a NewAsset) -> Self {
        Described {
            kind: a.kind.code(),
            name: &a.name,
            roles: &a.roles,
            location: &a.location,
            ip: a.ip.map(|ip| ip.to_string()),
            maker: &a.maker,
            model: &a.model,
            os_name: &a.os_name,
            os_version: &a.os_version,
            vendor: &a.vendor,
            remote_maintenance: a.remote_maintenance.code(),
            notes: &a.notes,
            remote_method: &a.remote_method,
            mac: a.mac.map(|m| m.to_string()),
            serial: &a.serial,
            segment: &a.segment,
            owner_department: &a.owner_department,
            acquired_on: a.acquired_on.map(|d| d.to_string()),
            end_of_support: a.end_of_support.map(|d| d.to_string()),
            version_checked_on: a.version_checked_on.map(|d| d.to_string()),
        }
    }
}

pub(crate) fn describe(a: &NewAsset) -> serde_json::Value {
    serde_json::to_value(Described::of(a)).unwrap_or_default()
}

/// `{"after": …}` of a new device, written straight to text (an import writes one a device).
fn created(a: &NewAsset) -> Result<String> {
    #[derive(serde::Serialize)]
    struct After<'a> {
        after: Described<'a>,
    }
    serde_json::to_string(&After {
        after: Described::of(a),
    })
    .map_err(|e| Error::Database(e.to_string()))
}

fn decode(scope: &FacilityScope, row: &AnyRow) -> Result<Asset> {
    const T: &str = "asset";
    let id: i64 = row.try_get(0)?;
    let kind: String = row.try_get(1)?;
    let roles: String = row.try_get(3)?;
    let ip: Option<String> = row.try_get(5)?;
    let remote: String = row.try_get(11)?;
    let mac: Option<String> = row.try_get(14)?;
    let date = |i: usize, column: &'static str| -> Result<Option<Date>> {
        match row.try_get::<Option<String>, _>(i)? {
            None => Ok(None),
            Some(t) => Ok(Some(stored(T, column, id, &t, Date::parse(&t))?)),
        }
    };
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
            remote_method: row.try_get(13)?,
            mac: match mac {
                None => None,
                Some(m) => Some(stored(T, "mac", id, &m, MacAddress::parse(&m))?),
            },
            serial: row.try_get(15)?,
            segment: row.try_get(16)?,
            owner_department: row.try_get(17)?,
            acquired_on: date(18, "acquired_on")?,
            end_of_support: date(19, "end_of_support")?,
            version_checked_on: date(20, "version_checked_on")?,
        },
    })
}

impl Store {
    /// Replaces a device's facts (a person corrected them), with the changed fields audited.
    pub async fn update_asset(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        id: AssetId,
        new: NewAsset,
        now: Timestamp,
    ) -> Result<Asset> {
        let mut w = self.begin(actor, now).await?;
        let before = fetch_one(w.conn(), scope, id).await?;
        let fields = domain::ledger::changed_fields(&before.details, &new);
        update(&mut w, scope, id, &new).await?;
        let summary = json!({ "before": describe(&before.details), "after": describe(&new), "fields": fields });
        w.audit(Some(scope.facility), "asset.update", "asset", id.0, summary)
            .await?;
        w.commit().await?;
        Ok(Asset {
            id,
            facility: scope.facility,
            details: new,
        })
    }
}

impl Store {
    /// Takes a device out of the ledger (撤去): it no longer appears in lists or imports, and
    /// the audit record keeps what it was.
    pub async fn retire_asset(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        id: AssetId,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(actor, now).await?;
        let before = fetch_one(w.conn(), scope, id).await?;
        sqlx::query(
            "UPDATE asset SET retired_at = $1, updated_at = $1 WHERE id = $2 AND facility_id = $3",
        )
        .bind(now.unix_millis())
        .bind(id.0)
        .bind(scope.facility.0)
        .execute(w.conn())
        .await?;
        let summary = json!({ "before": describe(&before.details), "after": null });
        w.audit(Some(scope.facility), "asset.retire", "asset", id.0, summary)
            .await?;
        w.commit().await
    }
}
