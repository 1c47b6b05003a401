//! Vulnerability findings of a facility with their history, and the versions each device was
//! seen with. `record_evaluation` reconciles a whole-facility evaluation with what is stored
//! in one transaction (`domain::finding::reconcile` decides; this applies).

use std::collections::HashMap;

use crate::sql::Row;
use domain::finding::{
    Acceptance, Event, Facts, Finding, FindingId, Kind, Observation, Plan, SeenVersion,
};
use domain::nvd::Outcome;
use domain::{Actor, AssetId, Date, Timestamp};
use serde_json::json;

use crate::error::Result;
use crate::row::stored;
use crate::{FacilityScope, Store, Write};

/// What `reconcile` compares (the key, the facts, the dates): decoded by `decode_core`.
const CORE: &str = "id, asset_id, cve, kind, outcome, kev, ransomware, edge, cvss_tenths, \
     opened_at, closed_at";
const COLUMNS: &str = "id, asset_id, cve, kind, outcome, kev, ransomware, edge, cvss_tenths, \
     opened_at, closed_at, accepted_reason, accepted_by, accepted_until, credentials_changed";

/// The `CORE` columns of a row; no acceptance, no recorded change.
fn decode_core(r: &Row) -> Result<Finding> {
    let id: i64 = r.try_get("id")?;
    let kind: String = r.try_get("kind")?;
    let outcome: String = r.try_get("outcome")?;
    let flag = |column: &str| r.try_get::<i64, _>(column).map(|v| v != 0);
    let cvss: Option<i64> = r.try_get("cvss_tenths")?;
    Ok(Finding {
        id: FindingId(id),
        asset: AssetId(r.try_get("asset_id")?),
        cve: r.try_get("cve")?,
        kind: stored(
            "vuln_finding",
            "kind",
            id,
            &kind,
            Kind::parse(&kind).ok_or(()),
        )?,
        facts: Facts {
            outcome: stored(
                "vuln_finding",
                "outcome",
                id,
                &outcome,
                outcome_of(&outcome),
            )?,
            kev: flag("kev")?,
            ransomware: flag("ransomware")?,
            edge: flag("edge")?,
            cvss: cvss.map(|t| t as f32 / 10.0),
        },
        opened_at: Timestamp::from_unix_millis(r.try_get("opened_at")?),
        closed_at: r
            .try_get::<Option<i64>, _>("closed_at")?
            .map(Timestamp::from_unix_millis),
        acceptance: None,
        credentials_changed: None,
    })
}

/// All `COLUMNS` of a row.
fn decode(r: &Row) -> Result<Finding> {
    let mut f = decode_core(r)?;
    let id = f.id.0;
    let date = |column: &'static str, v: Option<String>| -> Result<Option<Date>> {
        v.map(|t| stored("vuln_finding", column, id, &t, Date::parse(&t)))
            .transpose()
    };
    let reason: Option<String> = r.try_get("accepted_reason")?;
    let by: Option<String> = r.try_get("accepted_by")?;
    let until = date("accepted_until", r.try_get("accepted_until")?)?;
    f.acceptance = match (reason, by, until) {
        (Some(reason), Some(by), Some(until)) => Some(Acceptance { reason, by, until }),
        _ => None,
    };
    f.credentials_changed = date("credentials_changed", r.try_get("credentials_changed")?)?;
    Ok(f)
}

fn tenths(s: Option<f32>) -> Option<i64> {
    s.map(|x| (x * 10.0).round() as i64)
}

/// One entry of a finding's history.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingEvent {
    pub finding: FindingId,
    pub at: Timestamp,
    pub event: Event,
    pub actor: String,
    /// `reason` and `until` of an acceptance, `date` of a credential change, `outcome`.
    pub detail: serde_json::Value,
}

/// A whole-facility evaluation to record.
pub struct Evaluation<'a> {
    /// Every finding it observed.
    pub observed: Vec<Observation>,
    /// Each device's current OS / firmware name and version.
    pub versions: &'a [(AssetId, String, String)],
    /// The feeds (`Store::feed_stamp`) and matching rules it used.
    pub feed_stamp: i64,
    pub rules: &'a str,
    /// The facility's audit chain head (`Store::revision`) when the run read the ledger: if
    /// anything was written to the facility since, the run is superseded and writes nothing
    /// (`Error::Superseded`), so an older run never wins over a newer ledger. `None`: no check.
    pub revision: Option<i64>,
}

/// What one re-evaluation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Evaluated {
    pub opened: usize,
    pub reopened: usize,
    pub closed: usize,
    pub updated: usize,
    /// Device versions seen for the first time.
    pub versions: usize,
}

/// Rows written by one statement (see `BATCH_ROWS` in `write.rs`).
const BATCH: usize = crate::write::BATCH_ROWS;

async fn event(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    id: FindingId,
    event: Event,
    actor: &str,
    detail: serde_json::Value,
) -> Result<()> {
    events(w, scope, &[(id, event, detail)], actor).await
}

/// History entries at the write's time, in batches.
async fn events(
    w: &mut Write<'_>,
    scope: &FacilityScope,
    list: &[(FindingId, Event, serde_json::Value)],
    actor: &str,
) -> Result<()> {
    let now = w.now();
    for chunk in list.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO vuln_finding_event (finding_id, facility_id, at, event, actor, detail) VALUES {}",
            w.values(chunk.len(), 6)
        );
        let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
        for (id, e, detail) in chunk {
            q = q
                .bind(id.0)
                .bind(scope.facility().0)
                .bind(now.unix_millis())
                .bind(e.code())
                .bind(actor.to_string())
                .bind(detail.to_string());
        }
        q.execute(w.conn()).await?;
    }
    Ok(())
}

async fn fetch_all(conn: &mut crate::sql::Conn, scope: &FacilityScope) -> Result<Vec<Finding>> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_finding WHERE facility_id = $1 ORDER BY id");
    let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
        .bind(scope.facility().0)
        .fetch_all(conn)
        .await?;
    rows.iter().map(decode).collect()
}

/// What `reconcile` compares, only (a third fewer columns to decode than `fetch_all`, which
/// matters at 100,000 findings).
async fn fetch_for_reconcile(
    conn: &mut crate::sql::Conn,
    scope: &FacilityScope,
) -> Result<Vec<Finding>> {
    let sql = format!("SELECT {CORE} FROM vuln_finding WHERE facility_id = $1");
    let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
        .bind(scope.facility().0)
        .fetch_all(conn)
        .await?;
    rows.iter().map(decode_core).collect()
}

fn outcome_of(code: &str) -> std::result::Result<Outcome, ()> {
    match code {
        "affected" => Ok(Outcome::Affected),
        "needs-review" => Ok(Outcome::NeedsReview),
        _ => Err(()),
    }
}

impl Store {
    /// Every finding of the facility, standing and fixed.
    pub async fn findings(&self, scope: &FacilityScope) -> Result<Vec<Finding>> {
        let mut conn = self.db.pool.acquire().await?;
        fetch_all(&mut conn, scope).await
    }

    /// The findings of one device (`Some`), or of the whole facility.
    pub async fn findings_of(
        &self,
        scope: &FacilityScope,
        asset: Option<AssetId>,
    ) -> Result<Vec<Finding>> {
        let Some(asset) = asset else {
            return self.findings(scope).await;
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM vuln_finding WHERE facility_id = $1 AND asset_id = $2 ORDER BY id"
        );
        let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.facility().0)
            .bind(asset.0)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    /// The facility's standing findings that can be among the first things to do: holes KEV
    /// lists and leaked passwords (most findings of a large ledger are neither).
    pub async fn urgent_findings(&self, scope: &FacilityScope) -> Result<Vec<Finding>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM vuln_finding WHERE facility_id = $1 AND closed_at IS NULL \
             AND (kev = 1 OR kind = 'credentials') ORDER BY id"
        );
        let rows = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.facility().0)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    /// The days passwords were recorded as changed on the facility's credentials findings,
    /// by device (a re-evaluation needs only these, not every finding).
    pub async fn credential_changes(&self, scope: &FacilityScope) -> Result<Vec<(AssetId, Date)>> {
        let rows = crate::sql::query(
            "SELECT id, asset_id, credentials_changed FROM vuln_finding \
             WHERE facility_id = $1 AND kind = 'credentials' AND credentials_changed IS NOT NULL",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let text: String = r.try_get("credentials_changed")?;
                let day = stored(
                    "vuln_finding",
                    "credentials_changed",
                    id,
                    &text,
                    Date::parse(&text),
                )?;
                Ok((AssetId(r.try_get("asset_id")?), day))
            })
            .collect()
    }

    /// How many devices have a finding that is not fixed (for the overview).
    pub async fn devices_with_findings(&self, scope: &FacilityScope) -> Result<i64> {
        let row = crate::sql::query(
            "SELECT COUNT(DISTINCT asset_id) AS n FROM vuln_finding WHERE facility_id = $1 \
             AND closed_at IS NULL",
        )
        .bind(scope.facility().0)
        .fetch_one(&self.db.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn finding(&self, scope: &FacilityScope, id: FindingId) -> Result<Option<Finding>> {
        let sql = format!("SELECT {COLUMNS} FROM vuln_finding WHERE facility_id = $1 AND id = $2");
        let row = crate::sql::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.facility().0)
            .bind(id.0)
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(decode).transpose()
    }

    /// The history of one finding (`Some`) or of all the facility's findings since `since`,
    /// oldest first.
    pub async fn finding_events(
        &self,
        scope: &FacilityScope,
        finding: Option<FindingId>,
        since: Timestamp,
    ) -> Result<Vec<FindingEvent>> {
        let rows = crate::sql::query(
            "SELECT finding_id, at, event, actor, detail, id FROM vuln_finding_event \
             WHERE facility_id = $1 AND at >= $2 AND ($3 < 0 OR finding_id = $3) ORDER BY id",
        )
        .bind(scope.facility().0)
        .bind(since.unix_millis())
        .bind(finding.map_or(-1, |f| f.0))
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let code: String = r.try_get("event")?;
                let detail: String = r.try_get("detail")?;
                Ok(FindingEvent {
                    finding: FindingId(r.try_get("finding_id")?),
                    at: Timestamp::from_unix_millis(r.try_get("at")?),
                    event: stored(
                        "vuln_finding_event",
                        "event",
                        id,
                        &code,
                        Event::parse(&code).ok_or(()),
                    )?,
                    actor: r.try_get("actor")?,
                    detail: stored(
                        "vuln_finding_event",
                        "detail",
                        id,
                        &detail,
                        serde_json::from_str(&detail),
                    )?,
                })
            })
            .collect()
    }

    /// Every version each device of the facility was seen with, oldest first; a version ran
    /// until the day the next was first seen, the current one until `today`.
    pub async fn version_history(
        &self,
        scope: &FacilityScope,
        today: Date,
    ) -> Result<HashMap<AssetId, Vec<SeenVersion>>> {
        let rows = crate::sql::query(
            "SELECT asset_id, os, version, first_seen FROM asset_version_seen \
             WHERE facility_id = $1 ORDER BY asset_id, first_seen, os, version",
        )
        .bind(scope.facility().0)
        .fetch_all(&self.db.pool)
        .await?;
        let mut out: HashMap<AssetId, Vec<SeenVersion>> = HashMap::new();
        for r in &rows {
            let first = Date::in_japan(Timestamp::from_unix_millis(r.try_get("first_seen")?));
            let list = out.entry(AssetId(r.try_get("asset_id")?)).or_default();
            if let Some(prev) = list.last_mut() {
                prev.last_seen = first;
            }
            list.push(SeenVersion {
                os: r.try_get("os")?,
                version: r.try_get("version")?,
                first_seen: first,
                last_seen: today,
            });
        }
        Ok(out)
    }

    /// The feed stamp and rules the facility's findings were last evaluated with, and when.
    pub async fn evaluation_stamp(
        &self,
        scope: &FacilityScope,
    ) -> Result<Option<(i64, String, Timestamp)>> {
        let row = crate::sql::query(
            "SELECT feed_stamp, rules, at FROM finding_run WHERE facility_id = $1",
        )
        .bind(scope.facility().0)
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| {
            Ok((
                r.try_get("feed_stamp")?,
                r.try_get("rules")?,
                Timestamp::from_unix_millis(r.try_get("at")?),
            ))
        })
        .transpose()
    }

    /// Marks the facility's findings stale, so that the next view evaluates them again
    /// (bookkeeping after a failed evaluation; no fact changes).
    pub async fn forget_evaluation(&self, scope: &FacilityScope) -> Result<()> {
        crate::sql::query("DELETE FROM finding_run WHERE facility_id = $1")
            .bind(scope.facility().0)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// Applies a whole-facility evaluation: `observed` is every finding it saw, `versions`
    /// each device's current OS / firmware. One transaction; audited when it changed anything.
    pub async fn record_evaluation(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        now: Timestamp,
        evaluation: Evaluation<'_>,
    ) -> Result<Evaluated> {
        let Evaluation {
            observed,
            versions,
            feed_stamp,
            rules,
            revision,
        } = evaluation;
        let print = domain::finding::fingerprint(&observed, versions);
        let last: Option<String> =
            crate::sql::query("SELECT observed FROM finding_run WHERE facility_id = $1")
                .bind(scope.facility().0)
                .fetch_optional(&self.db.pool)
                .await?
                .map(|r| r.try_get("observed"))
                .transpose()?;
        if last.as_deref() == Some(print.as_str()) {
            // The same as last time: the stored findings already say it.
            stamp_run(
                &self.db.pool,
                scope,
                (feed_stamp, rules, &print),
                now,
                revision,
            )
            .await?;
            return Ok(Evaluated::default());
        }
        let mut w = self.begin(scope, actor, now).await?;
        if revision.is_some_and(|r| r != w.head_seq()) {
            return Err(crate::Error::Superseded);
        }
        let stored_findings = fetch_for_reconcile(w.conn(), scope).await?;
        let plan: Plan = domain::finding::reconcile(&stored_findings, observed);
        let known = crate::sql::query(
            "SELECT asset_id, os, version FROM asset_version_seen WHERE facility_id = $1",
        )
        .bind(scope.facility().0)
        .fetch_all(w.conn())
        .await?;
        let mut known_set = std::collections::HashSet::new();
        for r in &known {
            known_set.insert((
                r.try_get::<i64, _>("asset_id")?,
                r.try_get::<String, _>("os")?,
                r.try_get::<String, _>("version")?,
            ));
        }
        let label = actor.label();
        let mut done = Evaluated::default();
        let new_versions: Vec<&(AssetId, String, String)> = versions
            .iter()
            .filter(|(a, os, v)| known_set.insert((a.0, os.clone(), v.clone())))
            .collect();
        for chunk in new_versions.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO asset_version_seen (asset_id, facility_id, os, version, first_seen) VALUES {}",
                w.values(chunk.len(), 5)
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
            for (asset, os, version) in chunk {
                q = q
                    .bind(asset.0)
                    .bind(scope.facility().0)
                    .bind(os.clone())
                    .bind(version.clone())
                    .bind(now.unix_millis());
            }
            q.execute(w.conn()).await?;
        }
        done.versions = new_versions.len();
        let mut history: Vec<(FindingId, Event, serde_json::Value)> = Vec::new();
        for chunk in plan.open.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO vuln_finding (facility_id, asset_id, cve, kind, outcome, kev, ransomware, edge, cvss_tenths, opened_at) \
                 VALUES {} RETURNING id, asset_id, cve, kind",
                w.values(chunk.len(), 10)
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql));
            for o in chunk {
                q = q
                    .bind(scope.facility().0)
                    .bind(o.asset.0)
                    .bind(o.cve.clone())
                    .bind(o.kind.code())
                    .bind(o.facts.outcome.code())
                    .bind(i64::from(o.facts.kev))
                    .bind(i64::from(o.facts.ransomware))
                    .bind(i64::from(o.facts.edge))
                    .bind(tenths(o.facts.cvss))
                    .bind(now.unix_millis());
            }
            let rows = q.fetch_all(w.conn()).await?;
            for r in &rows {
                let (asset, cve, kind): (i64, String, String) = (
                    r.try_get("asset_id")?,
                    r.try_get("cve")?,
                    r.try_get("kind")?,
                );
                let o = chunk
                    .iter()
                    .find(|o| o.asset.0 == asset && o.cve == cve && o.kind.code() == kind);
                if let Some(o) = o {
                    history.push((
                        FindingId(r.try_get("id")?),
                        Event::Opened,
                        json!({"outcome": o.facts.outcome.code()}),
                    ));
                }
            }
        }
        let set_facts = "UPDATE vuln_finding SET outcome = $1, kev = $2, ransomware = $3, edge = $4, cvss_tenths = $5";
        for (id, facts) in &plan.reopen {
            let sql = format!(
                "{set_facts}, closed_at = NULL, accepted_reason = NULL, accepted_by = NULL, accepted_until = NULL WHERE id = $6"
            );
            bind_facts(crate::sql::query(sqlx::AssertSqlSafe(sql)), facts)
                .bind(id.0)
                .execute(w.conn())
                .await?;
            history.push((
                *id,
                Event::Reopened,
                json!({"outcome": facts.outcome.code()}),
            ));
        }
        for (id, facts, outcome_changed) in &plan.update {
            let sql = format!("{set_facts} WHERE id = $6");
            bind_facts(crate::sql::query(sqlx::AssertSqlSafe(sql)), facts)
                .bind(id.0)
                .execute(w.conn())
                .await?;
            if *outcome_changed {
                history.push((
                    *id,
                    Event::Outcome,
                    json!({"outcome": facts.outcome.code()}),
                ));
            }
        }
        for chunk in plan.close.chunks(BATCH) {
            // `(p1), (p2, …)`: the time, then the ids.
            let sql = format!(
                "UPDATE vuln_finding SET closed_at = {} WHERE id IN {}",
                w.values(1, 1),
                w.values_from(1, 1, chunk.len())
            );
            let mut q = crate::sql::query(sqlx::AssertSqlSafe(sql)).bind(now.unix_millis());
            for id in chunk {
                q = q.bind(id.0);
            }
            q.execute(w.conn()).await?;
            history.extend(chunk.iter().map(|id| (*id, Event::Fixed, json!({}))));
        }
        events(&mut w, scope, &history, &label).await?;
        done.opened = plan.open.len();
        done.reopened = plan.reopen.len();
        done.closed = plan.close.len();
        done.updated = plan.update.len();
        if done == Evaluated::default() {
            // Nothing changed: no fact to record, only the run's stamp (bookkeeping).
            drop(w);
            stamp_run(
                &self.db.pool,
                scope,
                (feed_stamp, rules, &print),
                now,
                revision,
            )
            .await?;
            return Ok(done);
        }
        // The chain is locked and was checked against `revision` above.
        stamp_run(w.conn(), scope, (feed_stamp, rules, &print), now, None).await?;
        let summary = json!({
            "opened": done.opened,
            "reopened": done.reopened,
            "closed": done.closed,
            "updated": done.updated,
            "versions": done.versions,
            "feed_stamp": feed_stamp,
        });
        w.audit(
            Some(scope.facility()),
            "finding.evaluate",
            "facility",
            scope.facility().0,
            summary,
        )
        .await?;
        w.commit().await?;
        Ok(done)
    }

    /// Accepts the risk of a standing finding until `until` (a person's decision, with why).
    /// `false` when the facility has no such standing finding.
    pub async fn accept_risk(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        id: FindingId,
        reason: &str,
        until: Date,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed = crate::sql::query(
            "UPDATE vuln_finding SET accepted_reason = $1, accepted_by = $2, accepted_until = $3 \
             WHERE id = $4 AND facility_id = $5 AND closed_at IS NULL",
        )
        .bind(reason)
        .bind(actor.label())
        .bind(until.to_string())
        .bind(id.0)
        .bind(scope.facility().0)
        .execute(w.conn())
        .await?
        .rows_affected();
        let detail = json!({"reason": reason, "until": until.to_string()});
        decided(
            w,
            scope,
            id,
            changed,
            (Event::Accepted, "finding.accept"),
            detail,
        )
        .await
    }

    /// Ends an acceptance before its day. `false` when nothing was accepted.
    pub async fn withdraw_acceptance(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        id: FindingId,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed = crate::sql::query(
            "UPDATE vuln_finding SET accepted_reason = NULL, accepted_by = NULL, accepted_until = NULL \
             WHERE id = $1 AND facility_id = $2 AND accepted_until IS NOT NULL",
        )
        .bind(id.0)
        .bind(scope.facility().0)
        .execute(w.conn())
        .await?
        .rows_affected();
        let what = (Event::Withdrawn, "finding.withdraw");
        decided(w, scope, id, changed, what, json!({})).await
    }

    /// Records that the device's passwords and sessions were changed on `date` (for a
    /// credentials finding). The next evaluation closes the finding when the date is after
    /// the device last ran a leaking version. `false` when there is no such finding.
    pub async fn record_credential_change(
        &self,
        scope: &FacilityScope,
        actor: &Actor,
        id: FindingId,
        date: Date,
        now: Timestamp,
    ) -> Result<bool> {
        let mut w = self.begin(scope, actor, now).await?;
        let changed = crate::sql::query(
            "UPDATE vuln_finding SET credentials_changed = $1 \
             WHERE id = $2 AND facility_id = $3 AND kind = 'credentials'",
        )
        .bind(date.to_string())
        .bind(id.0)
        .bind(scope.facility().0)
        .execute(w.conn())
        .await?
        .rows_affected();
        let detail = json!({"date": date.to_string()});
        let what = (Event::CredentialsChanged, "finding.credentials");
        decided(w, scope, id, changed, what, detail).await
    }
}

/// Ends a person's decision on a finding: `false` (and nothing written) when `changed` is 0
/// rows, else its history entry and audit record, committed.
async fn decided(
    mut w: Write<'_>,
    scope: &FacilityScope,
    id: FindingId,
    changed: u64,
    (what, action): (Event, &str),
    detail: serde_json::Value,
) -> Result<bool> {
    if changed == 0 {
        return Ok(false);
    }
    let actor = w.actor().to_string();
    event(&mut w, scope, id, what, &actor, detail.clone()).await?;
    w.audit(Some(scope.facility()), action, "finding", id.0, detail)
        .await?;
    w.commit().await?;
    Ok(true)
}

/// Records the run's stamp. With `revision`, only while the facility's audit chain is still
/// at it (in the same statement): an older run never overwrites a newer run's fingerprint.
/// `Error::Superseded` when it is not.
async fn stamp_run<'c>(
    conn: impl Into<crate::sql::Target<'c>>,
    scope: &FacilityScope,
    (feed_stamp, rules, observed): (i64, &str, &str),
    now: Timestamp,
    revision: Option<i64>,
) -> Result<()> {
    let upsert = "ON CONFLICT (facility_id) DO UPDATE SET feed_stamp = excluded.feed_stamp, \
         rules = excluded.rules, at = excluded.at, observed = excluded.observed";
    let sql = match revision {
        None => format!(
            "INSERT INTO finding_run (facility_id, feed_stamp, rules, at, observed) \
             VALUES ($1, $2, $3, $4, $5) {upsert}"
        ),
        Some(_) => format!(
            "INSERT INTO finding_run (facility_id, feed_stamp, rules, at, observed) \
             SELECT $1, $2, $3, $4, $5 WHERE COALESCE((SELECT seq FROM audit_chain \
             WHERE chain = $1), 0) = $6 {upsert}"
        ),
    };
    let q = crate::sql::query(sqlx::AssertSqlSafe(sql))
        .bind(scope.facility().0)
        .bind(feed_stamp)
        .bind(rules)
        .bind(now.unix_millis())
        .bind(observed);
    let written = match revision {
        None => q.execute(conn).await?,
        Some(r) => q.bind(r).execute(conn).await?,
    }
    .rows_affected();
    if written == 0 {
        return Err(crate::Error::Superseded);
    }
    Ok(())
}

fn bind_facts(q: crate::sql::Query, f: &Facts) -> crate::sql::Query {
    q.bind(f.outcome.code())
        .bind(i64::from(f.kev))
        .bind(i64::from(f.ransomware))
        .bind(i64::from(f.edge))
        .bind(tenths(f.cvss))
}
