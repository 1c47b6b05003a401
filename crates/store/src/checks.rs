//! Whether each device was checked at the last evaluation (`device_check`), and the products
//! people bound to a maker and model (`product_binding`).

use std::collections::HashMap;

use crate::sql::Row;
use domain::identify::{Bindings, Check, How, Reason, binding_key};
use domain::{Actor, AssetId, Timestamp};
use serde_json::json;

use crate::error::Result;
use crate::row::stored;
use crate::{FacilityScope, Store};

const T: &str = "device_check";

/// A product a person bound to a maker and model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductBinding {
    pub maker: String,
    pub model: String,
    pub vendor: String,
    pub product: String,
    pub bound_by: String,
    pub bound_at: Timestamp,
}

/// A check as its row holds it: state, product, how, reason, candidates.
fn encode(c: &Check) -> (&'static str, String, &'static str, &'static str, String) {
    match c {
        Check::Checked { product, how } => {
            ("checked", product.clone(), how.code(), "", String::new())
        }
        Check::NotChecked { reason, candidates } => (
            "not-checked",
            String::new(),
            "",
            reason.code(),
            candidates.join(" "),
        ),
    }
}

fn decode(r: &Row) -> Result<(AssetId, Check)> {
    let id: i64 = r.try_get("asset_id")?;
    let state: String = r.try_get("state")?;
    let check = if state == "checked" {
        let how: String = r.try_get("how")?;
        Check::Checked {
            product: r.try_get("product")?,
            how: stored(T, "how", id, &how, How::parse(&how).ok_or(()))?,
        }
    } else {
        let reason: String = r.try_get("reason")?;
        let candidates: String = r.try_get("candidates")?;
        Check::NotChecked {
            reason: stored(T, "reason", id, &reason, Reason::parse(&reason).ok_or(()))?,
            candidates: candidates.split_whitespace().map(str::to_string).collect(),
        }
    };
    Ok((AssetId(id), check))
}

impl Store {
    /// Keeps what the last evaluation said of each device: rows that differ are written,
    /// devices no longer in `checks` (retired) are removed. Derived data, so not audited.
    /// `revision` is the facility's chain head when the run read the ledger, as for
    /// `record_evaluation`: if anything was written to the facility since, nothing is written
    /// (`Error::Superseded`).
    pub async fn record_checks(
        &self,
        scope: &FacilityScope,
        checks: &[(AssetId, Check)],
        revision: Option<i64>,
    ) -> Result<()> {
        let stored: HashMap<AssetId, Check> = self.checks(scope, None).await?.into_iter().collect();
        let changed: Vec<&(AssetId, Check)> = checks
            .iter()
            .filter(|(a, c)| stored.get(a) != Some(c))
            .collect();
        let keep: std::collections::HashSet<AssetId> = checks.iter().map(|(a, _)| *a).collect();
        let gone: Vec<AssetId> = stored
            .keys()
            .filter(|a| !keep.contains(a))
            .copied()
            .collect();
        if changed.is_empty() && gone.is_empty() {
            return Ok(());
        }
        let backend = self.db.backend();
        let mut tx = self.db.pool.begin().await?;
        if let Some(revision) = revision {
            // The chain's head is held (a write, as a writer of the facility holds it) until
            // this commits: the checks written are those of the ledger as it was read.
            let head: Option<i64> = crate::sql::query(
                "UPDATE audit_chain SET seq = seq WHERE chain = $1 RETURNING seq",
            )
            .bind(scope.facility().0)
            .fetch_optional(&mut tx)
            .await?
            .map(|r| r.try_get("seq"))
            .transpose()?;
            if head.unwrap_or(0) != revision {
                return Err(crate::Error::Superseded);
            }
        }
        for chunk in gone.chunks(crate::write::BATCH_ROWS) {
            let sql = format!(
                "DELETE FROM device_check WHERE facility_id = {} AND asset_id IN {}",
                crate::write::values_from(backend, 0, 1, 1),
                crate::write::values_from(backend, 1, 1, chunk.len())
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql)).bind(scope.facility().0);
            for a in chunk {
                q = q.bind(a.0);
            }
            q.execute(&mut tx).await?;
        }
        for chunk in changed.chunks(crate::write::BATCH_ROWS) {
            let sql = format!(
                "INSERT INTO device_check (asset_id, facility_id, state, product, how, reason, candidates) \
                 VALUES {} ON CONFLICT (asset_id) DO UPDATE SET state = excluded.state, \
                 product = excluded.product, how = excluded.how, reason = excluded.reason, \
                 candidates = excluded.candidates",
                crate::write::values_from(backend, 0, chunk.len(), 7)
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
            for (asset, check) in chunk {
                let (state, product, how, reason, candidates) = encode(check);
                q = q
                    .bind(asset.0)
                    .bind(scope.facility().0)
                    .bind(state)
                    .bind(product)
                    .bind(how)
                    .bind(reason)
                    .bind(candidates);
            }
            q.execute(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many devices of the facility (retired ones left out) the last evaluation checked.
    pub async fn checked_devices(&self, scope: &FacilityScope) -> Result<i64> {
        let row = crate::sql::query(
            "SELECT COUNT(*) AS n FROM device_check c JOIN asset a ON a.id = c.asset_id \
             WHERE c.facility_id = $1 AND c.state = 'checked' AND a.retired_at IS NULL",
        )
        .bind(scope.facility().0)
        .fetch_one(&self.db.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// What the last evaluation said of each device of the facility (or of one).
    pub async fn checks(
        &self,
        scope: &FacilityScope,
        only: Option<AssetId>,
    ) -> Result<Vec<(AssetId, Check)>> {
        let cols = "asset_id, state, product, how, reason, candidates";
        let rows = match only {
            Some(a) => {
                crate::sql::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {cols} FROM device_check WHERE facility_id = $1 AND asset_id = $2"
                )))
                .bind(scope.facility().0)
                .bind(a.0)
                .fetch_all(&self.db.pool)
                .await?
            }
            None => {
                crate::sql::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {cols} FROM device_check WHERE facility_id = $1 ORDER BY asset_id"
                )))
                .bind(scope.facility().0)
                .fetch_all(&self.db.pool)
                .await?
            }
        };
        rows.iter().map(decode).collect()
    }

    /// The products people bound in the facility, by maker and model key.
    pub async fn product_bindings(&self, scope: &FacilityScope) -> Result<Bindings> {
        Ok(self
            .product_binding_list(scope)
            .await?
            .into_iter()
            .map(|b| (binding_key(&b.maker, &b.model), (b.vendor, b.product)))
            .collect())
    }

    pub async fn product_binding_list(&self, scope: &FacilityScope) -> Result<Vec<ProductBinding>> {
        let rows = crate::sql::query(
            "SELECT maker, model, vendor, product, bound_by, bound_at FROM product_binding \
             WHERE facility_id = $1 ORDER BY maker_key, model_key",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ProductBinding {
                    maker: r.try_get("maker")?,
                    model: r.try_get("model")?,
                    vendor: r.try_get("vendor")?,
                    product: r.try_get("product")?,
                    bound_by: r.try_get("bound_by")?,
                    bound_at: Timestamp::from_unix_millis(r.try_get("bound_at")?),
                })
            })
            .collect()
    }

    /// Binds a maker and model to a product (replacing an earlier binding of them): every
    /// device of that maker and model is checked as that product from the next evaluation.
    #[allow(clippy::too_many_arguments)]
    pub async fn bind_product(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        maker: &str,
        model: &str,
        (vendor, product): (&str, &str),
    ) -> Result<()> {
        let (maker_key, model_key) = binding_key(maker, model);
        let mut w = self.begin(scope, actor, now).await?;
        crate::sql::query(
            "INSERT INTO product_binding (facility_id, maker_key, model_key, maker, model, vendor, product, bound_by, bound_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (facility_id, maker_key, model_key) \
             DO UPDATE SET maker = excluded.maker, model = excluded.model, vendor = excluded.vendor, \
             product = excluded.product, bound_by = excluded.bound_by, bound_at = excluded.bound_at",
        )
        .bind(scope.facility().0)
        .bind(&maker_key)
        .bind(&model_key)
        .bind(maker)
        .bind(model)
        .bind(vendor)
        .bind(product)
        .bind(actor.label())
        .bind(now.unix_millis())
        .execute(w.conn())
        .await?;
        w.audit(
            Some(scope.facility()),
            "product.bind",
            "product_binding",
            format!("{maker_key}/{model_key}"),
            json!({"maker": maker, "model": model, "cpe": format!("{vendor}:{product}")}),
        )
        .await?;
        w.commit().await
    }

    /// Removes the binding of a maker and model; `false` when there was none.
    pub async fn unbind_product(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        maker: &str,
        model: &str,
    ) -> Result<bool> {
        let (maker_key, model_key) = binding_key(maker, model);
        let mut w = self.begin(scope, actor, now).await?;
        let gone = crate::sql::query(
            "DELETE FROM product_binding WHERE facility_id = $1 AND maker_key = $2 AND model_key = $3",
        )
        .bind(scope.facility().0)
        .bind(&maker_key)
        .bind(&model_key)
        .execute(w.conn())
        .await?
        .rows_affected();
        w.commit_if(
            gone,
            Some(scope.facility()),
            "product.unbind",
            "product_binding",
            format!("{maker_key}/{model_key}"),
            json!({"maker": maker, "model": model}),
        )
        .await
    }
}

impl Store {
    /// Replaces the software list of a device (an import of its uninstall list): all or
    /// nothing, audited with the counts.
    pub async fn replace_software(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        asset: AssetId,
        items: &[domain::software::Installed],
        source: &str,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let before: i64 = crate::sql::query(
            "SELECT COUNT(*) AS n FROM asset_software WHERE facility_id = $1 AND asset_id = $2",
        )
        .bind(scope.facility().0)
        .bind(asset.0)
        .fetch_one(w.conn())
        .await?
        .try_get("n")?;
        crate::sql::query("DELETE FROM asset_software WHERE facility_id = $1 AND asset_id = $2")
            .bind(scope.facility().0)
            .bind(asset.0)
            .execute(w.conn())
            .await?;
        for chunk in items.chunks(crate::write::BATCH_ROWS) {
            let sql = format!(
                "INSERT INTO asset_software (asset_id, facility_id, name, version, publisher) VALUES {}",
                w.values(chunk.len(), 5)
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
            for i in chunk {
                q = q
                    .bind(asset.0)
                    .bind(scope.facility().0)
                    .bind(i.name.clone())
                    .bind(i.version.clone())
                    .bind(i.publisher.clone());
            }
            q.execute(w.conn()).await?;
        }
        w.audit(
            Some(scope.facility()),
            "asset.software",
            "asset",
            asset.0,
            json!({"before": before, "after": items.len(), "source": source}),
        )
        .await?;
        w.commit().await
    }

    /// The software of the facility's devices (or of one), by device and name.
    pub async fn software(
        &self,
        scope: &FacilityScope,
        only: Option<AssetId>,
    ) -> Result<Vec<(AssetId, domain::software::Installed)>> {
        let rows = crate::sql::query(
            "SELECT asset_id, name, version, publisher FROM asset_software \
             WHERE facility_id = $1 AND ($2 = 0 OR asset_id = $2) ORDER BY asset_id, name",
        )
        .bind(scope.facility().0)
        .bind(only.map_or(0, |a| a.0))
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    AssetId(r.try_get("asset_id")?),
                    domain::software::Installed {
                        name: r.try_get("name")?,
                        version: r.try_get("version")?,
                        publisher: r.try_get("publisher")?,
                    },
                ))
            })
            .collect()
    }
}
