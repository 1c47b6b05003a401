//! Findings of network scans, per facility, until a person confirms or dismisses them.

use domain::scan::Finding;
use domain::{Actor, AssetId, Timestamp};
use serde_json::json;

use crate::error::{Error, Result};
use crate::{FacilityScope, Store};

/// A finding as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFinding {
    pub id: i64,
    pub kind: String,
    pub asset: Option<AssetId>,
    pub ip: Option<String>,
    /// `label`, `port`, `product`, `version`, `service`, as the kind has them.
    pub detail: serde_json::Value,
    pub status: String,
}

fn detail(f: &Finding) -> serde_json::Value {
    match f {
        Finding::Unknown { host } => json!({
            "label": host.label(),
            "os": host.os_guess,
            "ports": host.open_ports.iter().map(|p| p.port).collect::<Vec<_>>(),
        }),
        Finding::NotSeen { .. } => json!({}),
        Finding::VersionSeen {
            port,
            product,
            version,
            ..
        } => json!({ "port": port, "product": product, "version": version }),
        Finding::RiskyService { port, service, .. } => json!({ "port": port, "service": service }),
    }
}

impl Store {
    /// Stores a scan's findings, superseding the open ones of earlier scans.
    pub async fn record_scan(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        findings: &[Finding],
        source: &str,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        crate::sql::query("UPDATE scan_finding SET status = 'superseded', decided_at = $1 WHERE facility_id = $2 AND status = 'open'")
            .bind(now.unix_millis())
            .bind(scope.facility().0)
            .execute(w.conn())
            .await?;
        for f in findings {
            let (asset, ip) = match f {
                Finding::Unknown { host } => (None, host.ip.map(|i| i.to_string())),
                Finding::NotSeen { asset } | Finding::VersionSeen { asset, .. } => {
                    (Some(asset.0), None)
                }
                Finding::RiskyService { asset, ip, .. } => {
                    (asset.map(|a| a.0), ip.map(|i| i.to_string()))
                }
            };
            crate::sql::query(
                "INSERT INTO scan_finding (facility_id, kind, asset_id, ip, detail, status, source, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)",
            )
            .bind(scope.facility().0)
            .bind(f.code())
            .bind(asset)
            .bind(ip)
            .bind(detail(f).to_string())
            .bind(source)
            .bind(now.unix_millis())
            .execute(w.conn())
            .await?;
        }
        let count = |code: &str| findings.iter().filter(|f| f.code() == code).count();
        let summary = json!({
            "source": source,
            "unknown_hosts": count("unknown-host"),
            "not_seen": count("not-seen"),
            "versions_seen": count("version-seen"),
            "risky_services": count("risky-service"),
        });
        w.audit(
            Some(scope.facility()),
            "scan.import",
            "facility",
            scope.facility(),
            summary,
        )
        .await?;
        w.commit().await
    }

    pub async fn open_findings(&self, scope: &FacilityScope) -> Result<Vec<StoredFinding>> {
        let rows = crate::sql::query(
            "SELECT id, kind, asset_id, ip, detail, status FROM scan_finding \
             WHERE facility_id = $1 AND status = 'open' ORDER BY id",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let text: String = r.try_get("detail")?;
                Ok(StoredFinding {
                    id,
                    kind: r.try_get("kind")?,
                    asset: r.try_get::<Option<i64>, _>("asset_id")?.map(AssetId),
                    ip: r.try_get("ip")?,
                    detail: crate::row::stored(
                        "scan_finding",
                        "detail",
                        id,
                        &text,
                        serde_json::from_str(&text),
                    )?,
                    status: r.try_get("status")?,
                })
            })
            .collect()
    }

    /// A person's decision on an open finding. Confirming a version the scan saw writes it
    /// into the ledger (only where the ledger still has none); everything else is recorded.
    pub async fn decide_finding(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        id: i64,
        confirm: bool,
        now: Timestamp,
    ) -> Result<()> {
        let mut w = self.begin(scope, actor, now).await?;
        let row = crate::sql::query(
            "SELECT kind, asset_id, detail FROM scan_finding WHERE id = $1 AND facility_id = $2 AND status = 'open'",
        )
        .bind(id)
        .bind(scope.facility().0)
        .fetch_optional(w.conn())
        .await?
        .ok_or_else(|| Error::NotFound { what: "finding", key: id.to_string() })?;
        let kind: String = row.try_get("kind")?;
        let asset: Option<i64> = row.try_get("asset_id")?;
        let text: String = row.try_get("detail")?;
        let detail: serde_json::Value = crate::row::stored(
            "scan_finding",
            "detail",
            id,
            &text,
            serde_json::from_str(&text),
        )?;
        if confirm
            && kind == "version-seen"
            && let Some(asset) = asset.map(AssetId)
        {
            let existing = crate::asset::fetch_one(w.conn(), scope, asset).await?;
            let mut new = existing.details.clone();
            if new.os_version.is_none() {
                new.os_version = detail["version"].as_str().map(str::to_string);
                if new.os_name.is_none() {
                    new.os_name = detail["product"].as_str().map(str::to_string);
                }
                crate::asset::update(&mut w, scope, asset, &new).await?;
                let summary = json!({
                    "before": crate::asset::describe(&existing.details),
                    "after": crate::asset::describe(&new),
                    "fields": ["os_version"],
                    "from": "scan",
                });
                w.audit(
                    Some(scope.facility()),
                    "asset.update",
                    "asset",
                    asset.0,
                    summary,
                )
                .await?;
            }
        }
        let status = if confirm { "confirmed" } else { "dismissed" };
        crate::sql::query("UPDATE scan_finding SET status = $1, decided_at = $2 WHERE id = $3")
            .bind(status)
            .bind(now.unix_millis())
            .bind(id)
            .execute(w.conn())
            .await?;
        w.audit(
            Some(scope.facility()),
            "scan.decide",
            "scan_finding",
            id,
            json!({ "kind": kind, "decision": status }),
        )
        .await?;
        w.commit().await
    }
}
