//! 月次点検 (the monthly review the Osaka report asks for: "check the device list and the
//! updates at least monthly"): what changed since a day — new known-exploited holes that hit
//! the ledger, vulnerability findings opened and closed, devices added, changed and removed,
//! devices whose version nobody checked for over 30 days, and risk acceptances that end
//! soon. One service for the page and `mamori review`, so both say the same.

use std::collections::HashMap;

use domain::finding::{Event, Kind};
use domain::{Asset, AssetId, Date, Timestamp};
use store::{FacilityScope, Store};

use crate::vulns::FeedCache;
use text::{Lang, args};

/// One line of the review: a device (when it is still in the ledger) and what happened.
pub struct Line {
    pub asset: Option<AssetId>,
    pub name: String,
    pub detail: String,
}

pub struct Review {
    pub since: Date,
    pub today: Date,
    /// KEV entries added since `since` that a device of the ledger is affected by.
    pub kev_hits: Vec<Line>,
    pub opened: Vec<Line>,
    pub closed: Vec<Line>,
    pub added: Vec<Line>,
    pub changed: Vec<Line>,
    pub removed: Vec<Line>,
    pub unchecked: Vec<Line>,
    /// Risk acceptances that ended or end within 30 days.
    pub acceptances: Vec<Line>,
    /// NVD records known: none means the vulnerability sections cannot say anything.
    pub cve_count: i64,
}

/// How many days without a version check make a device overdue.
pub const CHECK_DAYS: i64 = 30;

pub async fn build(
    store: &Store,
    scope: &FacilityScope,
    visible: &[Asset],
    since: Date,
    now: Timestamp,
    lang: Lang,
    cache: Option<&FeedCache>,
) -> Result<Review, store::Error> {
    let today = Date::in_japan(now);
    let from = since.start_in_japan();
    let view = crate::vulns::view(store, scope, visible, now, cache).await?;
    let by_id: HashMap<AssetId, &Asset> = visible.iter().map(|a| (a.id, a)).collect();
    let line = |id: AssetId, detail: String| {
        by_id.get(&id).map(|a| Line {
            asset: Some(id),
            name: a.details.name.clone(),
            detail,
        })
    };
    let finding_word = |kind: Kind, cve: &str| match kind {
        Kind::Vulnerability => cve.to_string(),
        Kind::Credentials => format!("{cve}({})", lang.t("finding-kind-credentials")),
    };
    let kev_hits = view
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Vulnerability)
        .filter_map(|f| {
            let k = view.kev.get(&f.cve)?;
            (k.date_added >= since).then_some((f, k))
        })
        .filter_map(|(f, k)| {
            line(
                f.asset,
                lang.tr(
                    "review-kev-hit",
                    args![
                        cve = &f.cve,
                        added = k.date_added.to_string(),
                        status = lang.t(&format!("finding-status-{}", f.status(today).code()))
                    ],
                ),
            )
        })
        .collect();
    let by_finding: HashMap<_, _> = view.findings.iter().map(|f| (f.id, f)).collect();
    let mut opened = Vec::new();
    let mut closed = Vec::new();
    for e in store.finding_events(scope, None, from).await? {
        let Some(f) = by_finding.get(&e.finding) else {
            continue;
        };
        let what = format!(
            "{} — {}",
            finding_word(f.kind, &f.cve),
            text::when(lang, e.at)
        );
        match e.event {
            Event::Opened | Event::Reopened => opened.extend(line(f.asset, what)),
            Event::Fixed => closed.extend(line(f.asset, what)),
            _ => {}
        }
    }
    let acceptances = view
        .findings
        .iter()
        .filter(|f| f.closed_at.is_none())
        .filter_map(|f| {
            let a = f.acceptance.as_ref()?;
            (a.until.days() - today.days() <= CHECK_DAYS).then(|| {
                line(
                    f.asset,
                    lang.tr(
                        if a.until < today {
                            "review-acceptance-ended"
                        } else {
                            "review-acceptance-ends"
                        },
                        args![
                            cve = finding_word(f.kind, &f.cve),
                            until = a.until.to_string()
                        ],
                    ),
                )
            })?
        })
        .collect();

    let records = store
        .facility_audit_since(
            scope.facility(),
            &["asset.create", "asset.update", "asset.retire"],
            from,
        )
        .await?;
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut removed = Vec::new();
    for r in &records {
        let summary: serde_json::Value = serde_json::from_str(&r.entry.summary).unwrap_or_default();
        let at = text::when(lang, r.at);
        let id = r.entry.object_id.parse().ok().map(AssetId);
        match r.entry.action.as_str() {
            "asset.create" => added.extend(id.and_then(|id| line(id, at))),
            "asset.retire" => removed.push(Line {
                asset: None,
                name: summary["before"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                detail: at,
            }),
            _ => {
                let fields = changed_fields(lang, &summary);
                changed.extend(id.and_then(|id| line(id, format!("{at}({fields})"))));
            }
        }
    }
    let unchecked = visible
        .iter()
        .filter(|a| {
            a.details
                .version_checked_on
                .is_none_or(|d| today.days() - d.days() > CHECK_DAYS)
        })
        .map(|a| Line {
            asset: Some(a.id),
            name: a.details.name.clone(),
            detail: a
                .details
                .version_checked_on
                .map_or_else(|| lang.t("changes-never-checked"), |d| d.to_string()),
        })
        .collect();
    Ok(Review {
        since,
        today,
        kev_hits,
        opened,
        closed,
        added,
        changed,
        removed,
        unchecked,
        acceptances,
        cve_count: view.cve_count,
    })
}

/// The fields an `asset.update` audit record names, by their labels.
pub fn changed_fields(lang: Lang, summary: &serde_json::Value) -> String {
    summary["fields"]
        .as_array()
        .map(|f| crate::messages::asset_fields(lang, f.iter().filter_map(|x| x.as_str())))
        .unwrap_or_default()
}
