//! Vulnerability feeds, stored once per deployment. An import is one transaction; an older
//! catalog than the one stored changes nothing (and is recorded as such).

use crate::sql::Row;
use domain::kev::{KevCatalog, KevDiff, KevEntry};
use domain::{Actor, Date, Timestamp};
use serde_json::json;

use crate::error::{Error, Result};
use crate::{Store, Write};

/// What a KEV import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevImport {
    pub version: String,
    pub diff: KevDiff,
    /// False when the stored catalog is newer: nothing was changed.
    pub applied: bool,
    pub stored_version: Option<String>,
}

const KEV_COLUMNS: &str = "cve, vendor_project, product, name, date_added, description, required_action, due_date, ransomware, notes, cwes";

/// Entries written by one statement (11 parameters each; see `BATCH_ROWS` in `write.rs`).
const KEV_BATCH: usize = crate::write::BATCH_ROWS;

fn decode(r: &Row) -> Result<KevEntry> {
    let cve: String = r.try_get("cve")?;
    let added: String = r.try_get("date_added")?;
    let due: Option<String> = r.try_get("due_date")?;
    let cwes: String = r.try_get("cwes")?;
    let corrupt = |column: &'static str, value: &str| Error::Corrupt {
        table: "kev_entry",
        column,
        id: cve.clone(),
        value: value.to_string(),
    };
    Ok(KevEntry {
        vendor_project: r.try_get("vendor_project")?,
        product: r.try_get("product")?,
        name: r.try_get("name")?,
        date_added: Date::parse(&added).map_err(|_| corrupt("date_added", &added))?,
        description: r.try_get("description")?,
        required_action: r.try_get("required_action")?,
        due_date: match due {
            None => None,
            Some(d) => Some(Date::parse(&d).map_err(|_| corrupt("due_date", &d))?),
        },
        ransomware: r.try_get::<i64, _>("ransomware")? != 0,
        notes: r.try_get("notes")?,
        cwes: serde_json::from_str(&cwes).map_err(|_| corrupt("cwes", &cwes))?,
        cve,
    })
}

async fn write_entries(w: &mut Write<'_>, entries: &[&KevEntry], update: bool) -> Result<()> {
    for chunk in entries.chunks(KEV_BATCH) {
        if update {
            for e in chunk {
                crate::sql::query(
                    "UPDATE kev_entry SET vendor_project = $1, product = $2, name = $3, date_added = $4, \
                     description = $5, required_action = $6, due_date = $7, ransomware = $8, notes = $9, cwes = $10 \
                     WHERE cve = $11",
                )
                .bind(&e.vendor_project)
                .bind(&e.product)
                .bind(&e.name)
                .bind(e.date_added.to_string())
                .bind(&e.description)
                .bind(&e.required_action)
                .bind(e.due_date.map(|d| d.to_string()))
                .bind(i64::from(e.ransomware))
                .bind(&e.notes)
                .bind(serde_json::to_string(&e.cwes).map_err(|x| Error::Database(x.to_string()))?)
                .bind(&e.cve)
                .execute(w.conn())
                .await?;
            }
            continue;
        }
        let sql = format!(
            "INSERT INTO kev_entry ({KEV_COLUMNS}) VALUES {}",
            w.values(chunk.len(), 11)
        );
        let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
        for e in chunk {
            q = q
                .bind(e.cve.clone())
                .bind(e.vendor_project.clone())
                .bind(e.product.clone())
                .bind(e.name.clone())
                .bind(e.date_added.to_string())
                .bind(e.description.clone())
                .bind(e.required_action.clone())
                .bind(e.due_date.map(|d| d.to_string()))
                .bind(i64::from(e.ransomware))
                .bind(e.notes.clone())
                .bind(serde_json::to_string(&e.cwes).map_err(|x| Error::Database(x.to_string()))?);
        }
        q.execute(w.conn()).await?;
    }
    Ok(())
}

impl Store {
    pub async fn kev_entries(&self) -> Result<Vec<KevEntry>> {
        let sql = format!("SELECT {KEV_COLUMNS} FROM kev_entry ORDER BY cve");
        let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    /// The KEV entry of one CVE.
    pub async fn kev_entry(&self, cve: &str) -> Result<Option<KevEntry>> {
        let sql = format!("SELECT {KEV_COLUMNS} FROM kev_entry WHERE cve = $1");
        let row = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(cve)
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(decode).transpose()
    }

    /// When any feed (KEV, NVD, JVN) was last imported: how fresh the risk information is.
    pub async fn last_feed_import(&self) -> Result<Option<Timestamp>> {
        let row = crate::sql::query("SELECT MAX(imported_at) AS at FROM feed_import")
            .fetch_one(&self.db.pool)
            .await?;
        let at: Option<i64> = row.try_get("at")?;
        Ok(at.map(Timestamp::from_unix_millis))
    }

    /// The version of the newest applied import of `feed`.
    pub async fn feed_version(&self, feed: &str) -> Result<Option<String>> {
        let row = crate::sql::query("SELECT version FROM feed_import WHERE feed = $1 AND applied = 1 ORDER BY id DESC LIMIT 1")
            .bind(feed)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(|r| r.try_get("version")).transpose()?)
    }

    pub async fn import_kev(
        &self,
        actor: &Actor,
        catalog: &KevCatalog,
        source: &str,
        now: Timestamp,
    ) -> Result<KevImport> {
        let stored_version = self.feed_version("kev").await?;
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, actor, now).await?;
        let older = stored_version
            .as_deref()
            .is_some_and(|v| domain::kev::newer(v, &catalog.version));
        let sql = format!("SELECT {KEV_COLUMNS} FROM kev_entry");
        let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(w.conn())
            .await?;
        let existing: Vec<KevEntry> = rows.iter().map(decode).collect::<Result<_>>()?;
        let diff = domain::kev::diff(&existing, &catalog.entries);
        if !older {
            let added: std::collections::HashSet<&str> =
                diff.added.iter().map(String::as_str).collect();
            let changed: std::collections::HashSet<&str> =
                diff.changed.iter().map(String::as_str).collect();
            let added: Vec<&KevEntry> = catalog
                .entries
                .iter()
                .filter(|e| added.contains(e.cve.as_str()))
                .collect();
            let changed: Vec<&KevEntry> = catalog
                .entries
                .iter()
                .filter(|e| changed.contains(e.cve.as_str()))
                .collect();
            write_entries(&mut w, &added, false).await?;
            write_entries(&mut w, &changed, true).await?;
        }
        crate::sql::query(
            "INSERT INTO feed_import (feed, source, version, added, changed, unchanged, applied, imported_at) \
             VALUES ('kev', $1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(source)
        .bind(&catalog.version)
        .bind(diff.added.len() as i64)
        .bind(diff.changed.len() as i64)
        .bind(diff.unchanged as i64)
        .bind(i64::from(!older))
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        let summary = json!({
            "feed": "kev",
            "source": source,
            "version": catalog.version,
            "applied": !older,
            "added": diff.added.len(),
            "changed": diff.changed.len(),
            "unchanged": diff.unchanged,
            "now_ransomware": diff.now_ransomware,
        });
        w.audit(None, "feed.import", "feed", "kev", summary).await?;
        w.commit().await?;
        Ok(KevImport {
            version: catalog.version.clone(),
            diff,
            applied: !older,
            stored_version,
        })
    }
}

/// What an NVD (or JVN) import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NvdImport {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Records whose stored copy NVD modified later than the one given: kept as stored.
    pub older: usize,
}

/// `lastModified` of an NVD record's JSON (ISO 8601 without zone, so text order is time
/// order); empty when absent.
fn last_modified(record: &str) -> String {
    serde_json::from_str::<serde_json::Value>(record)
        .ok()
        .and_then(|v| v.get("lastModified")?.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Where a record feed is kept.
#[derive(Clone, Copy)]
enum Records {
    Nvd,
    Jvn,
}

impl Records {
    fn table(self) -> &'static str {
        match self {
            Records::Nvd => "nvd_record",
            Records::Jvn => "jvn_entry",
        }
    }

    fn feed(self) -> &'static str {
        match self {
            Records::Nvd => "nvd",
            Records::Jvn => "jvn",
        }
    }
}

impl Store {
    /// Stores NVD records (`id`, JSON) in one transaction: new ones added, changed ones
    /// replaced.
    pub async fn import_nvd(
        &self,
        actor: &Actor,
        records: &[(String, String)],
        source: &str,
        now: Timestamp,
    ) -> Result<NvdImport> {
        let rows: Vec<(&str, &str, String)> = records
            .iter()
            .map(|(id, r)| (id.as_str(), r.as_str(), last_modified(r)))
            .collect();
        self.import_records(actor, Records::Nvd, &rows, source, now)
            .await
    }

    /// Stores JVN iPedia entries in one transaction, like NVD records: an entry JVN
    /// modified later than the one given is kept.
    pub async fn import_jvn(
        &self,
        actor: &Actor,
        entries: &[domain::jvn::JvnEntry],
        source: &str,
        now: Timestamp,
    ) -> Result<NvdImport> {
        let texts: Vec<String> = entries
            .iter()
            .map(serde_json::to_string)
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::Database(e.to_string()))?;
        let rows: Vec<(&str, &str, String)> = entries
            .iter()
            .zip(&texts)
            .map(|(e, t)| (e.id.as_str(), t.as_str(), e.modified.clone()))
            .collect();
        self.import_records(actor, Records::Jvn, &rows, source, now)
            .await
    }

    /// Every stored JVN entry.
    pub async fn jvn_entries(&self) -> Result<Vec<domain::jvn::JvnEntry>> {
        let rows = crate::sql::query("SELECT id, record FROM jvn_entry ORDER BY id")
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let text: String = r.try_get("record")?;
                serde_json::from_str(&text).map_err(|_| Error::Corrupt {
                    table: "jvn_entry",
                    column: "record",
                    id,
                    value: text.chars().take(80).collect(),
                })
            })
            .collect()
    }

    /// `(id, record, modified)` rows into `kind`'s table, one transaction, recorded in
    /// `feed_import` and the audit chain.
    async fn import_records(
        &self,
        actor: &Actor,
        kind: Records,
        records: &[(&str, &str, String)],
        source: &str,
        now: Timestamp,
    ) -> Result<NvdImport> {
        let table = kind.table();
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, actor, now).await?;
        let mut result = NvdImport {
            added: 0,
            changed: 0,
            unchanged: 0,
            older: 0,
        };
        let select = format!("SELECT record FROM {table} WHERE id = $1");
        let update = match kind {
            Records::Nvd => {
                format!("UPDATE {table} SET record = $1, imported_at = $2 WHERE id = $3")
            }
            Records::Jvn => format!(
                "UPDATE {table} SET record = $1, imported_at = $2, modified = $4 WHERE id = $3"
            ),
        };
        let insert = match kind {
            Records::Nvd => {
                format!("INSERT INTO {table} (id, record, imported_at) VALUES ($1, $2, $3)")
            }
            Records::Jvn => format!(
                "INSERT INTO {table} (id, record, imported_at, modified) VALUES ($1, $2, $3, $4)"
            ),
        };
        for (id, record, modified) in records {
            let existing: Option<String> = crate::sql::query(sqlx::AssertSqlSafe(select.clone()))
                .bind(*id)
                .fetch_optional(w.conn())
                .await?
                .map(|r| r.try_get("record"))
                .transpose()?;
            let stored_modified = |old: &str| match kind {
                Records::Nvd => last_modified(old),
                Records::Jvn => serde_json::from_str::<domain::jvn::JvnEntry>(old)
                    .map(|e| e.modified)
                    .unwrap_or_default(),
            };
            match existing {
                Some(old) if old == *record => result.unchanged += 1,
                Some(old) if stored_modified(&old) > *modified => result.older += 1,
                Some(_) => {
                    let mut q = crate::sql::query(sqlx::AssertSqlSafe(update.clone()))
                        .bind(*record)
                        .bind(now.unix_millis())
                        .bind(*id);
                    if matches!(kind, Records::Jvn) {
                        q = q.bind(modified.clone());
                    }
                    q.execute(w.conn()).await?;
                    result.changed += 1;
                }
                None => {
                    let mut q = crate::sql::query(sqlx::AssertSqlSafe(insert.clone()))
                        .bind(*id)
                        .bind(*record)
                        .bind(now.unix_millis());
                    if matches!(kind, Records::Jvn) {
                        q = q.bind(modified.clone());
                    }
                    q.execute(w.conn()).await?;
                    result.added += 1;
                }
            }
        }
        crate::sql::query(
            "INSERT INTO feed_import (feed, source, version, added, changed, unchanged, applied, imported_at) \
             VALUES ($1, $2, '', $3, $4, $5, 1, $6)",
        )
        .bind(kind.feed())
        .bind(source)
        .bind(result.added as i64)
        .bind(result.changed as i64)
        .bind(result.unchanged as i64)
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        let summary = json!({ "feed": kind.feed(), "source": source, "added": result.added, "changed": result.changed, "unchanged": result.unchanged, "older": result.older });
        w.audit(None, "feed.import", "feed", kind.feed(), summary)
            .await?;
        w.commit().await?;
        Ok(result)
    }

    /// Changes whenever a feed import commits (every KEV or NVD import writes a `feed_import`
    /// row, and nothing else writes feed data): a cache of the feeds is fresh while it holds.
    pub async fn feed_stamp(&self) -> Result<i64> {
        let row = crate::sql::query("SELECT COALESCE(MAX(id), 0) AS stamp FROM feed_import")
            .fetch_one(&self.db.pool)
            .await?;
        Ok(row.try_get("stamp")?)
    }

    /// Every stored NVD record's JSON.
    pub async fn nvd_records(&self) -> Result<Vec<String>> {
        let rows = crate::sql::query("SELECT record FROM nvd_record ORDER BY id")
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("record")?)).collect()
    }

    /// One stored NVD record, as given.
    pub async fn nvd_record(&self, cve: &str) -> Result<Option<String>> {
        let row = crate::sql::query("SELECT record FROM nvd_record WHERE id = $1")
            .bind(cve)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(|r| r.try_get("record")).transpose()?)
    }

    /// How many NVD records and JVN entries are stored (what findings are judged against).
    pub async fn nvd_count(&self) -> Result<i64> {
        let row = crate::sql::query(
            "SELECT (SELECT COUNT(*) FROM nvd_record) + (SELECT COUNT(*) FROM jvn_entry) AS n",
        )
        .fetch_one(&self.db.pool)
        .await?;
        Ok(row.try_get("n")?)
    }
}

/// One product of the CPE dictionary: vendor, product, part (`a` or `o`), title.
pub type CpeProduct = (String, String, char, String);

impl Store {
    /// Replaces the stored CPE dictionary's products with `products`, in one transaction,
    /// recorded in `feed_import` (feed `cpe`) and the audit chain. Returns how many were
    /// added and removed.
    pub async fn import_cpe_dictionary(
        &self,
        actor: &Actor,
        products: &[CpeProduct],
        source: &str,
        version: &str,
        now: Timestamp,
    ) -> Result<(usize, usize)> {
        let mut w = self.begin(crate::ChainOf::DEPLOYMENT, actor, now).await?;
        let before: i64 = crate::sql::query("SELECT COUNT(*) AS n FROM cpe_product")
            .fetch_one(w.conn())
            .await?
            .try_get("n")?;
        crate::sql::query("DELETE FROM cpe_product")
            .execute(w.conn())
            .await?;
        for batch in products.chunks(500) {
            let sql = format!(
                "INSERT INTO cpe_product (vendor, product, part, title) VALUES {}",
                w.values(batch.len(), 4)
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
            for (vendor, product, part, title) in batch {
                q = q
                    .bind(vendor.as_str())
                    .bind(product.as_str())
                    .bind(part.to_string())
                    .bind(title.as_str());
            }
            q.execute(w.conn()).await?;
        }
        let n = products.len();
        let before = usize::try_from(before).unwrap_or(0);
        crate::sql::query(
            "INSERT INTO feed_import (feed, source, version, added, changed, unchanged, applied, imported_at) \
             VALUES ('cpe', $1, $2, $3, 0, 0, 1, $4)",
        )
        .bind(source)
        .bind(version)
        .bind(n as i64)
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        let summary = json!({ "feed": "cpe", "source": source, "version": version, "products": n, "before": before });
        w.audit(None, "feed.import", "feed", "cpe", summary).await?;
        w.commit().await?;
        Ok((n, before))
    }

    /// The stored CPE dictionary's products, `(vendor, product)`.
    pub async fn cpe_products(&self) -> Result<Vec<(String, String)>> {
        let rows =
            crate::sql::query("SELECT vendor, product FROM cpe_product ORDER BY vendor, product")
                .fetch_all(&self.db.pool)
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("vendor")?, r.try_get("product")?)))
            .collect()
    }

    /// The title the dictionary gives a product.
    pub async fn cpe_title(&self, vendor: &str, product: &str) -> Result<Option<String>> {
        let row =
            crate::sql::query("SELECT title FROM cpe_product WHERE vendor = $1 AND product = $2")
                .bind(vendor)
                .bind(product)
                .fetch_optional(&self.db.pool)
                .await?;
        Ok(row.map(|r| r.try_get("title")).transpose()?)
    }
}
