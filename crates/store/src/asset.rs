//! Assets of one facility's ledger. Every query takes a `FacilityScope`.

use domain::{
    Actor, Asset, AssetId, AssetKind, Date, MacAddress, NewAsset, RemoteMaintenance, Timestamp,
};
use serde_json::json;

use domain::ledger::{
    Candidates, Column, Conflict, DeviceRef, FIELDS, Key, Matcher, Row, Slot, Step, Summary,
};
use std::sync::LazyLock;

use crate::error::{Error, Result};
use crate::row::stored;
use crate::{FacilityScope, Store, Write};

/// `id` and every device field (`domain::ledger::FIELDS`), as SELECT lists them.
static COLUMNS: LazyLock<String> = LazyLock::new(|| format!("id, {}", field_list()));

/// The device fields, as the statements that write them list them.
fn field_list() -> String {
    FIELDS.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// The fields a device row holds, each with its creation and change times.
const PER_ROW: usize = FIELDS.len() + 3;

impl Store {
    pub async fn add_asset(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        new: NewAsset,
        now: Timestamp,
    ) -> Result<Asset> {
        let mut w = self.begin(scope, actor, now).await?;
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

    /// Starts an import of a ledger file: rows come in batches (`LedgerSession::rows`) while
    /// the file is still being read, are matched with the ledger (serial number, else name
    /// and IP address) and written at once, in one transaction that `finish` commits; devices
    /// the file does not mention are left alone. With `dry_run` nothing is written. Dropping
    /// the session (the file had problems) writes nothing.
    pub async fn begin_ledger_import(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        dry_run: bool,
    ) -> Result<LedgerSession<'_>> {
        // A dry run (the preview of a file) reads without locking the chain: the other
        // writers need not wait while a long file is read.
        let mut w = if dry_run {
            self.begin_dry(scope, actor, now).await?
        } else {
            self.begin(scope, actor, now).await?
        };
        match self.db.backend() {
            crate::Backend::Sqlite => {
                // A whole import's pages stay in memory until the commit writes them (SQLite's
                // default of 2 MiB spills them to the log half-way); bounded, so memory stays
                // flat.
                crate::sql::query("PRAGMA cache_size = -16384")
                    .execute(w.conn())
                    .await?;
            }
            crate::Backend::Postgres => {
                // The lookups of each batch are one prepared statement run again and again
                // while the import grows the table. After five runs PostgreSQL keeps a generic
                // plan chosen when the facility was small (a scan of every device), so each
                // batch read the whole ledger: 30,000 rows took 30 s. Planning each run
                // afresh sees the table as it is now and uses the index.
                crate::sql::query("SET LOCAL plan_cache_mode = force_custom_plan")
                    .execute(w.conn())
                    .await?;
            }
        }
        let ledger: i64 = crate::sql::query(
            "SELECT count(*) AS n FROM asset WHERE facility_id = $1 AND retired_at IS NULL",
        )
        .bind(scope.facility.0)
        .fetch_one(w.conn())
        .await?
        .try_get("n")?;
        Ok(LedgerSession {
            w,
            scope: *scope,
            dry_run,
            matcher: Matcher::new(usize::try_from(ledger).unwrap_or_default()),
            summary: Summary::default(),
            conflicts: Vec::new(),
            added: Vec::new(),
            renamed: Default::default(),
        })
    }

    /// After an import that added `added` devices: on PostgreSQL, the table's statistics are
    /// brought up to date at once when it added many. Until autovacuum gets to it (a minute
    /// or more), the planner believes the facility has the few devices it had before, and
    /// reads every device and sorts them for each page of the ledger (100,000 devices in 2.7 s
    /// instead of well under one). A failure only leaves that to autovacuum.
    pub async fn after_bulk_write(&self, added: usize) {
        const MANY: usize = 1000;
        if self.db.backend() == crate::Backend::Postgres
            && added >= MANY
            && let Err(e) = crate::sql::query("ANALYZE asset")
                .execute(&self.db.pool)
                .await
        {
            tracing::warn!("statistics of the ledger not refreshed: {e}");
        }
    }

    /// Imports a whole ledger held in memory in one transaction (see `begin_ledger_import`).
    pub async fn import_ledger(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        import: &LedgerImport<'_>,
        now: Timestamp,
    ) -> Result<Summary> {
        let mut session = self
            .begin_ledger_import(scope, actor, now, import.dry_run)
            .await?;
        let sheet: std::sync::Arc<str> = std::sync::Arc::from("");
        let mut rows = import.assets.iter().enumerate().map(|(i, a)| Row {
            sheet: sheet.clone(),
            line: import.lines.get(i).copied().unwrap_or(i + 1),
            asset: a.clone(),
            columns: import
                .columns
                .get(i)
                .map_or_else(|| std::sync::Arc::from([]), |c| c.as_slice().into()),
        });
        loop {
            let batch: Vec<Row> = rows.by_ref().take(INSERT_BATCH).collect();
            if batch.is_empty() {
                break;
            }
            session.rows(batch).await?;
        }
        session
            .finish(import.source, import.points, import.vendors)
            .await
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

/// An import under way: one transaction, rows matched and written batch by batch. It looks
/// up each batch's devices in the ledger (by serial number and name, both indexed) and holds
/// only the serial numbers seen and the devices matched, never the ledger or the rows (a dry
/// run also keeps the names it would add or change, for the connection points).
pub struct LedgerSession<'s> {
    w: Write<'s>,
    scope: FacilityScope,
    dry_run: bool,
    matcher: Matcher,
    summary: Summary,
    /// Each with the sheet of its row; nothing more is written once there is one.
    conflicts: Vec<(String, Conflict)>,
    /// In a dry run, the devices the file would add, by name.
    added: Vec<(String, DeviceRef)>,
    /// In a dry run, devices of the ledger the file would rename, with their new names.
    renamed: std::collections::HashMap<AssetId, String>,
}

impl LedgerSession<'_> {
    fn writing(&self) -> bool {
        !self.dry_run && self.conflicts.is_empty()
    }

    /// Matches a batch of rows (in file order) and writes what they add and change.
    pub async fn rows(&mut self, rows: Vec<Row>) -> Result<()> {
        // The audit records of the batch before, then the devices the rows may be.
        self.w.flush().await?;
        let stored = fetch_candidates(&mut self.w, &self.scope, &rows).await?;
        let candidates = Candidates::new(stored.iter().map(Key::of));
        let stored: std::collections::HashMap<AssetId, Asset> =
            stored.into_iter().map(|a| (a.id, a)).collect();
        let mut batch = Vec::with_capacity(rows.len());
        for row in rows {
            match self.matcher.find(&row.asset, row.line, &candidates) {
                Ok(found) => batch.push((row, found)),
                Err(c) => self.conflicts.push((row.sheet.to_string(), c)),
            }
        }
        let mut added: Vec<NewAsset> = Vec::new();
        for (row, found) in batch {
            let (step, asset) = match found.and_then(|id| stored.get(&id)) {
                None => (Step::Add, row.asset),
                Some(old) => domain::ledger::step(old, &row.asset, &row.columns),
            };
            self.summary.count(&step, &asset.name);
            match step {
                Step::Add => {
                    if self.dry_run {
                        let n = self.added.len();
                        self.added.push((asset.name.clone(), DeviceRef::Row(n)));
                    }
                    added.push(asset);
                }
                Step::Change { id, fields } => {
                    if self.writing() {
                        let before = stored.get(&id).map(|a| describe(&a.details));
                        update(&mut self.w, &self.scope, id, &asset).await?;
                        let summary = json!({ "before": before, "after": describe(&asset), "fields": fields });
                        self.w
                            .audit(
                                Some(self.scope.facility),
                                "asset.update",
                                "asset",
                                id.0,
                                summary,
                            )
                            .await?;
                    }
                    if self.dry_run
                        && stored
                            .get(&id)
                            .is_some_and(|a| a.details.name != asset.name)
                    {
                        self.renamed.insert(id, asset.name);
                    }
                }
                Step::Unchanged { .. } => {}
            }
        }
        if self.writing() && !added.is_empty() {
            let refs: Vec<&NewAsset> = added.iter().collect();
            // The audit summaries are written while the devices are inserted; the records
            // (they need the ids) are sealed after, and written with the next batch.
            let summaries = async { added.iter().map(created).collect::<Result<Vec<_>>>() };
            let (ids, summaries) = tokio::join!(
                biased;
                insert_many(&mut self.w, &self.scope, &refs),
                summaries
            );
            for (id, summary) in ids?.into_iter().zip(summaries?) {
                self.w.seal_text(
                    Some(self.scope.facility),
                    "asset.create",
                    "asset",
                    id.0,
                    summary,
                );
            }
        }
        Ok(())
    }

    /// The file's connection points and vendors, then the import's own audit record and the
    /// commit (a dry run only says what would happen). Conflicting rows write nothing.
    pub async fn finish(
        mut self,
        source: &str,
        points: &[PointImport],
        vendors: &[domain::NewVendor],
    ) -> Result<Summary> {
        if !self.conflicts.is_empty() {
            return Err(Error::LedgerConflicts(self.conflicts));
        }
        // The ledger as it will be, by name: as written so far in this transaction (a dry run
        // wrote nothing: its renames and additions are laid over it). Read only when the file
        // has connection points.
        let ledger = if points.is_empty() {
            Vec::new()
        } else {
            fetch_names(self.w.conn(), &self.scope).await?
        };
        let named: Vec<(&str, DeviceRef)> = ledger
            .iter()
            .map(|(id, n)| {
                let n = self.renamed.get(id).unwrap_or(n);
                (n.as_str(), DeviceRef::Existing(*id))
            })
            .chain(self.added.iter().map(|(n, r)| (n.as_str(), *r)))
            .collect();
        let names: Vec<(usize, Option<&str>)> = points
            .iter()
            .map(|p| (p.line, p.device.as_deref()))
            .collect();
        let devices = domain::ledger::resolve_devices(&named, &names).map_err(|found| {
            Error::LedgerConflicts(found.into_iter().map(|c| (String::new(), c)).collect())
        })?;
        drop(named);
        drop(ledger);
        let extras = SheetPlan::plan(&mut self.w, &self.scope, points, vendors, &devices).await?;
        let mut summary = self.summary;
        summary.left_alone = self.matcher.left_alone();
        summary.points = extras.point_counts();
        summary.vendors = extras.vendor_counts();
        if self.dry_run {
            return Ok(summary);
        }
        let mut w = self.w;
        let scope = self.scope;
        extras.write(&mut w, &scope).await?;
        let record = json!({
            "source": source,
            "added": summary.added(),
            "changed": summary.changed(),
            "unchanged": summary.unchanged(),
            "left_alone": summary.left_alone,
            "points": [summary.points.added, summary.points.changed, summary.points.unchanged],
            "vendors": [summary.vendors.added, summary.vendors.changed, summary.vendors.unchanged],
        });
        w.audit(
            Some(scope.facility),
            "ledger.import",
            "facility",
            scope.facility,
            record,
        )
        .await?;
        w.commit().await?;
        Ok(summary)
    }
}

/// What a ledger file does to the vendors and connection points, decided before anything
/// is written (so that a dry run can say it too).
struct SheetPlan<'a> {
    /// Each file vendor, with the stored one of its name; `None` when unchanged.
    vendors: Vec<(&'a domain::NewVendor, Option<domain::Vendor>, bool)>,
    /// Each file point, its device, the stored one of its name, and whether it changes.
    points: Vec<(
        &'a PointImport,
        DeviceRef,
        Option<domain::ConnectionPoint>,
        bool,
    )>,
}

impl<'a> SheetPlan<'a> {
    async fn plan(
        w: &mut Write<'_>,
        scope: &FacilityScope,
        points: &'a [PointImport],
        vendors: &'a [domain::NewVendor],
        devices: &[DeviceRef],
    ) -> Result<SheetPlan<'a>> {
        if points.is_empty() && vendors.is_empty() {
            return Ok(SheetPlan {
                vendors: Vec::new(),
                points: Vec::new(),
            });
        }
        let stored_vendors = crate::connection::fetch_vendors(w.conn(), scope).await?;
        let stored_points = crate::connection::fetch_points(w.conn(), scope).await?;
        let vendors = vendors
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
        let points = points
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

    /// Writes what changes (the devices the file adds are written by then).
    async fn write(&self, w: &mut Write<'_>, scope: &FacilityScope) -> Result<()> {
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
                DeviceRef::None | DeviceRef::Row(_) => None,
                DeviceRef::Existing(id) => Some(*id),
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
    conn: &mut crate::sql::Conn,
    scope: &FacilityScope,
    id: AssetId,
) -> Result<Asset> {
    let sql = format!(
        "SELECT {} FROM asset WHERE facility_id = $1 AND id = $2 AND retired_at IS NULL",
        *COLUMNS
    );
    let row = crate::sql::query(sqlx::AssertSqlSafe(sql))
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

/// Devices read at a time: the database's rows of one page are dropped before the next is
/// read, so a large ledger is held once (as devices), not twice.
const PAGE: i64 = 2048;

async fn fetch(conn: &mut crate::sql::Conn, scope: &FacilityScope) -> Result<Vec<Asset>> {
    let sql = format!(
        "SELECT {} FROM asset WHERE facility_id = $1 AND retired_at IS NULL AND id > $2 \
         ORDER BY id LIMIT $3",
        *COLUMNS
    );
    let mut out: Vec<Asset> = Vec::new();
    loop {
        let after = out.last().map_or(0, |a| a.id.0);
        let rows = crate::sql::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(scope.facility.0)
            .bind(after)
            .bind(PAGE)
            .fetch_all(&mut *conn)
            .await?;
        for r in &rows {
            out.push(decode(scope, r)?);
        }
        if (rows.len() as i64) < PAGE {
            return Ok(out);
        }
    }
}

/// Every device of the ledger by name (for the connection points of a file).
async fn fetch_names(
    conn: &mut crate::sql::Conn,
    scope: &FacilityScope,
) -> Result<Vec<(AssetId, String)>> {
    let rows = crate::sql::query(
        "SELECT id, name FROM asset WHERE facility_id = $1 AND retired_at IS NULL ORDER BY id",
    )
    .bind(scope.facility.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((AssetId(r.try_get("id")?), r.try_get("name")?)))
        .collect()
}

/// The devices of the ledger that rows may be, in id order: those with one of their serial
/// numbers, then those with the name of a row that has no serial number or one the ledger
/// lacks (it may be a device recorded without one). Each statement by its index
/// (`asset_serial`, `asset_name`): SQLite without statistics scans the whole facility for
/// `name IN … OR serial IN …`.
async fn fetch_candidates(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    rows: &[Row],
) -> Result<Vec<Asset>> {
    let mut serials: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.asset.serial.as_deref())
        .collect();
    let mut found = fetch_where(w, scope, "serial", &mut serials).await?;
    let known: std::collections::HashSet<&str> = found
        .iter()
        .filter_map(|a| a.details.serial.as_deref())
        .collect();
    let mut names: Vec<&str> = rows
        .iter()
        .filter(|r| r.asset.serial.as_deref().is_none_or(|s| !known.contains(s)))
        .map(|r| r.asset.name.as_str())
        .collect();
    drop(known);
    found.extend(fetch_where(w, scope, "name", &mut names).await?);
    found.sort_by_key(|a| a.id);
    found.dedup_by_key(|a| a.id);
    Ok(found)
}

/// The facility's devices whose `column` is one of `values` (one statement).
async fn fetch_where(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    column: &'static str,
    values: &mut Vec<&str>,
) -> Result<Vec<Asset>> {
    values.sort_unstable();
    values.dedup();
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let sql = match w.backend() {
        // Every parameter through `values` (SQLite's `?` and a `$1` do not mix: see
        // `BATCH_ROWS`); `(p2, p3, …)` is one list.
        crate::Backend::Sqlite => format!(
            "SELECT {} FROM asset WHERE facility_id = {} AND retired_at IS NULL \
             AND {column} IN {}",
            *COLUMNS,
            w.values(1, 1),
            w.values_from(1, 1, values.len()),
        ),
        // One index probe per value, whatever the statistics say. Written as `IN`, the
        // planner of a table that grew inside this transaction (or was never analysed)
        // expects a few devices in the facility, reads all of them through the facility
        // prefix of an index and filters: each batch read the whole ledger, and 30,000 new
        // devices took 30 s. `OFFSET 0` keeps the lookup a subquery run for each value.
        // Retired devices are left out after it, not inside, so that the paging index (of
        // devices in the ledger) cannot stand in for the name's or serial's (migration 0038).
        crate::Backend::Postgres => format!(
            "SELECT a.* FROM (VALUES {}) AS k(v) CROSS JOIN LATERAL \
             (SELECT {}, retired_at FROM asset WHERE facility_id = $1 \
             AND {column} = k.v OFFSET 0) AS a WHERE a.retired_at IS NULL",
            w.values_from(1, values.len(), 1),
            *COLUMNS,
        ),
    };
    let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql)).bind(scope.facility.0);
    for v in values.iter() {
        q = q.bind(*v);
    }
    let rows = q.fetch_all(w.conn()).await?;
    rows.iter().map(|r| decode(scope, r)).collect()
}

/// Binds a device's fields in the order of `FIELDS`, as every statement below lists them.
fn bind_details(mut q: crate::sql::Query, new: &NewAsset) -> Result<crate::sql::Query> {
    for f in FIELDS {
        q = q.bind(match f.slot {
            Slot::Text(get, _) => get(new).clone(),
            Slot::Date(get, _) => get(new).map(|d| d.to_string()),
            Slot::Own => own_text(f.column, new)?,
        });
    }
    Ok(q)
}

/// The stored text of a field with a type of its own.
fn own_text(column: Column, a: &NewAsset) -> Result<Option<String>> {
    Ok(match column {
        Column::Kind => Some(a.kind.code().to_string()),
        Column::Name => Some(a.name.clone()),
        Column::Roles => {
            Some(serde_json::to_string(&a.roles).map_err(|e| Error::Database(e.to_string()))?)
        }
        Column::Ip => a.ip.map(|ip| ip.to_string()),
        Column::Mac => a.mac.map(|m| m.to_string()),
        Column::Remote => Some(a.remote_maintenance.code().to_string()),
        _ => None,
    })
}

/// Devices inserted by one statement (23 parameters each; see `BATCH_ROWS` in `write.rs`).
const INSERT_BATCH: usize = crate::write::BATCH_ROWS;

/// Inserts devices in one statement inside a write and returns their ids in the order given;
/// the caller audits them. On PostgreSQL the ids come back (`RETURNING`), given in insertion
/// order, so sorting them restores the order of the rows. On SQLite the rows of one
/// statement get consecutive ids after the largest one, the last of them
/// `last_insert_rowid()`: reading 256 ids back as rows cost more than a tenth of an import.
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
        "INSERT INTO asset (facility_id, {}, created_at, updated_at) VALUES {}{}",
        field_list(),
        w.values(assets.len(), PER_ROW),
        match w.backend() {
            crate::Backend::Sqlite => "",
            crate::Backend::Postgres => " RETURNING id",
        }
    );
    let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
    for a in assets {
        q = bind_details(q.bind(scope.facility.0), a)?
            .bind(now)
            .bind(now);
    }
    if w.backend() == crate::Backend::Sqlite {
        q.execute(w.conn()).await?;
        let last: i64 = crate::sql::query("SELECT last_insert_rowid() AS id")
            .fetch_one(w.conn())
            .await?
            .try_get("id")?;
        let n = assets.len() as i64;
        // At the largest possible id SQLite picks ids at random: not consecutive any more.
        if last == i64::MAX || last < n {
            return Err(Error::Database(format!(
                "device ids are exhausted (last {last}); the database cannot take more devices"
            )));
        }
        return Ok((last - n + 1..=last).map(AssetId).collect());
    }
    let rows = q.fetch_all(w.conn()).await?;
    let mut ids = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("id").map(AssetId))
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
    // `$1` the facility, the fields, then the time (creation and change).
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let n = FIELDS.len();
        let fields: Vec<String> = (2..n + 2).map(|i| format!("${i}")).collect();
        format!(
            "INSERT INTO asset (facility_id, {}, created_at, updated_at) \
             VALUES ($1, {}, ${t}, ${t}) RETURNING id",
            field_list(),
            fields.join(", "),
            t = n + 2
        )
    });
    let q = crate::sql::query(sqlx::AssertSqlSafe(SQL.as_str())).bind(scope.facility.0);
    let row = bind_details(q, new)?.bind(now).fetch_one(w.conn()).await?;
    Ok(AssetId(row.try_get("id")?))
}

/// Replaces an asset's facts inside a write; the caller audits it.
pub(crate) async fn update(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    id: AssetId,
    new: &NewAsset,
) -> Result<()> {
    let now = w.now().unix_millis();
    // The fields, then the time, the device and its facility.
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let n = FIELDS.len();
        let set: Vec<String> = FIELDS
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{} = ${}", f.name, i + 1))
            .collect();
        format!(
            "UPDATE asset SET {}, updated_at = ${} WHERE id = ${} AND facility_id = ${}",
            set.join(", "),
            n + 1,
            n + 2,
            n + 3
        )
    });
    let q = crate::sql::query(sqlx::AssertSqlSafe(SQL.as_str()));
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

/// A device as its audit records show it, its fields in the order of `FIELDS`: a field it
/// does not have (no roles) is left out, or with `all` written as `null` (`[]` for roles).
struct Described<'a> {
    asset: &'a NewAsset,
    all: bool,
}

impl serde::Serialize for Described<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let a = self.asset;
        let mut map = s.serialize_map(None)?;
        for f in FIELDS {
            let text = match f.slot {
                Slot::Text(get, _) => get(a).clone(),
                Slot::Date(get, _) => get(a).map(|d| d.to_string()),
                Slot::Own if f.column == Column::Roles => {
                    if self.all || !a.roles.is_empty() {
                        map.serialize_entry(f.name, &a.roles)?;
                    }
                    continue;
                }
                Slot::Own => own_text(f.column, a).ok().flatten(),
            };
            if self.all || text.is_some() {
                map.serialize_entry(f.name, &text)?;
            }
        }
        map.end()
    }
}

/// A device's facts as JSON, as its audit records and `--format json` show them: each field
/// it has under its name in `FIELDS` (roles as a list), the ones it lacks left out.
pub(crate) fn describe(a: &NewAsset) -> serde_json::Value {
    serde_json::to_value(Described {
        asset: a,
        all: false,
    })
    .unwrap_or_default()
}

/// A device's facts as JSON for a program reading them (`--format json`): every field under
/// its name in `FIELDS`, `null` where the device has none.
pub fn device_json(a: &NewAsset) -> serde_json::Value {
    serde_json::to_value(Described {
        asset: a,
        all: true,
    })
    .unwrap_or_default()
}

/// `{"after": …}` of a new device, written straight to text (an import writes one a device).
fn created(a: &NewAsset) -> Result<String> {
    #[derive(serde::Serialize)]
    struct After<'a> {
        after: Described<'a>,
    }
    serde_json::to_string(&After {
        after: Described {
            asset: a,
            all: false,
        },
    })
    .map_err(|e| Error::Database(e.to_string()))
}

fn decode(scope: &FacilityScope, row: &crate::sql::Row) -> Result<Asset> {
    const T: &str = "asset";
    let id: i64 = row.try_get("id")?;
    let kind: String = row.try_get("kind")?;
    let kind = stored(T, "kind", id, &kind, AssetKind::parse(&kind))?;
    let mut a = NewAsset::bare(kind, row.try_get("name")?);
    for f in FIELDS {
        match f.slot {
            Slot::Text(_, set) => *set(&mut a) = row.try_get(f.name)?,
            Slot::Date(_, set) => {
                *set(&mut a) = match row.try_get::<Option<String>, _>(f.name)? {
                    None => None,
                    Some(t) => Some(stored(T, f.name, id, &t, Date::parse(&t))?),
                }
            }
            Slot::Own => {
                let text: Option<String> = row.try_get(f.name)?;
                let Some(t) = text else { continue };
                match f.column {
                    Column::Roles => a.roles = stored(T, f.name, id, &t, serde_json::from_str(&t))?,
                    Column::Ip => a.ip = Some(stored(T, f.name, id, &t, t.parse())?),
                    Column::Mac => a.mac = Some(stored(T, f.name, id, &t, MacAddress::parse(&t))?),
                    Column::Remote => {
                        a.remote_maintenance =
                            stored(T, f.name, id, &t, RemoteMaintenance::parse(&t))?
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(Asset {
        id: AssetId(id),
        facility: scope.facility,
        details: a,
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
        let mut w = self.begin(scope, actor, now).await?;
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
        let mut w = self.begin(scope, actor, now).await?;
        let before = fetch_one(w.conn(), scope, id).await?;
        crate::sql::query(
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

    /// A retired device of the facility (for the ledger's "undo"); `None` when there is none
    /// with that id or it is in the ledger.
    pub async fn retired_asset(&self, scope: &FacilityScope, id: AssetId) -> Result<Option<Asset>> {
        let sql = format!(
            "SELECT {} FROM asset WHERE facility_id = $1 AND id = $2 AND retired_at IS NOT NULL",
            *COLUMNS
        );
        let row = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.facility.0)
            .bind(id.0)
            .fetch_optional(&self.db.pool)
            .await?;
        row.map(|r| decode(scope, &r)).transpose()
    }

    /// Brings a retired device back into the ledger (the undo of 撤去), audited; `false` when
    /// the facility has no retired device with that id.
    pub async fn restore_asset(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        id: AssetId,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self.begin(scope, actor, now).await?;
        let back = crate::sql::query(
            "UPDATE asset SET retired_at = NULL, updated_at = $1 \
             WHERE id = $2 AND facility_id = $3 AND retired_at IS NOT NULL",
        )
        .bind(now.unix_millis())
        .bind(id.0)
        .bind(scope.facility.0)
        .execute(w.conn())
        .await?
        .rows_affected();
        if back == 0 {
            return Ok(false);
        }
        let after = fetch_one(w.conn(), scope, id).await?;
        let summary = json!({ "before": null, "after": describe(&after.details) });
        w.audit(
            Some(scope.facility),
            "asset.restore",
            "asset",
            id.0,
            summary,
        )
        .await?;
        w.commit().await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_records_leave_out_what_a_device_lacks_and_json_says_null() {
        let a = NewAsset::new(AssetKind::Pc, "PC-1").unwrap();
        let audit = describe(&a);
        assert_eq!(
            audit,
            json!({"kind": "pc", "name": "PC-1", "remote_maintenance": "unknown"})
        );
        let all = device_json(&a);
        let o = all.as_object().unwrap();
        assert_eq!(o.len(), FIELDS.len());
        assert_eq!(o["roles"], json!([]));
        assert_eq!(o["notes"], serde_json::Value::Null);
        let b = a.role("PACS");
        assert_eq!(describe(&b)["roles"], json!(["PACS"]));
    }
}
