//! 月次点検 (the monthly review the Osaka report asks for: "check the device list and the
//! updates at least monthly"): what changed since a day — new known-exploited holes that hit
//! the ledger, vulnerability findings opened and closed, devices added, changed and removed,
//! devices whose version nobody checked for over 30 days, and risk acceptances that end
//! soon. One service for the page and `mamori review`, so both say the same: it returns what
//! happened as data ([`Happening`]); the page and the command's table word it in the reader's
//! language, `--format json` gives it as fields.

use std::collections::HashMap;

use domain::finding::{Event, Kind, Status};
use domain::{Asset, AssetId, Date, Timestamp};
use serde_json::json;
use store::{FacilityScope, Store};

use crate::vulns::FeedCache;
use text::{Lang, args};

/// One line of the review: a device (when it is still in the ledger) and what happened.
pub struct Line {
    pub asset: Option<AssetId>,
    pub name: String,
    pub happening: Happening,
}

/// What happened to a device, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    /// A hole added to CISA's KEV catalogue since the review's start hits the device.
    KevHit {
        cve: String,
        added: Date,
        status: Status,
    },
    Opened {
        cve: String,
        kind: Kind,
        at: Timestamp,
    },
    Fixed {
        cve: String,
        kind: Kind,
        at: Timestamp,
    },
    /// A risk acceptance that ended (`ended`) or ends within `CHECK_DAYS`.
    Acceptance {
        cve: String,
        kind: Kind,
        until: Date,
        ended: bool,
    },
    Added {
        at: Timestamp,
    },
    /// The device's facts changed: `fields` are the ledger's field codes.
    Changed {
        at: Timestamp,
        fields: Vec<String>,
    },
    Removed {
        at: Timestamp,
    },
    /// Nobody checked the device's version for over `CHECK_DAYS` days (or ever).
    Unchecked {
        checked_on: Option<Date>,
    },
    /// The device is past its end of support (the ledger's date, or the bundled table's).
    PastSupport {
        support: domain::support::EndOfSupport,
    },
    /// A finding still open on the review's day: its status, and for an accepted risk the
    /// reason and the last day.
    Standing {
        cve: String,
        kind: Kind,
        status: Status,
        ransomware: bool,
        accepted: Option<(String, Date)>,
    },
    /// A way in from outside with weaknesses (`domain::connection::Gap` codes).
    WeakWayIn {
        gaps: Vec<String>,
    },
}

impl Line {
    /// What happened, in words.
    pub fn detail(&self, lang: Lang) -> String {
        self.happening.describe(lang)
    }

    /// The line as fields for `--format json`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = self.happening.to_json();
        if let Some(o) = v.as_object_mut() {
            o.insert("asset".into(), json!(self.asset.map(|a| a.0)));
            o.insert("name".into(), json!(self.name));
        }
        v
    }
}

impl Happening {
    pub fn describe(&self, lang: Lang) -> String {
        let finding_word = |kind: &Kind, cve: &str| match kind {
            Kind::Vulnerability => cve.to_string(),
            Kind::Credentials => format!("{cve}({})", lang.t("finding-kind-credentials")),
        };
        match self {
            Happening::KevHit { cve, added, status } => lang.tr(
                "review-kev-hit",
                args![
                    cve = cve.as_str(),
                    added = text::day(lang, *added),
                    status = lang.t(&format!("finding-status-{}", status.code()))
                ],
            ),
            Happening::Opened { cve, kind, at } | Happening::Fixed { cve, kind, at } => {
                format!("{} — {}", finding_word(kind, cve), text::when(lang, *at))
            }
            Happening::Acceptance {
                cve,
                kind,
                until,
                ended,
            } => lang.tr(
                if *ended {
                    "review-acceptance-ended"
                } else {
                    "review-acceptance-ends"
                },
                args![
                    cve = finding_word(kind, cve),
                    until = text::day(lang, *until)
                ],
            ),
            Happening::Added { at } | Happening::Removed { at } => text::when(lang, *at),
            Happening::Changed { at, fields } => format!(
                "{}({})",
                text::when(lang, *at),
                crate::messages::asset_fields(lang, fields.iter().map(String::as_str))
            ),
            Happening::Unchecked { checked_on } => {
                checked_on.map_or_else(|| lang.t("changes-never-checked"), |d| text::day(lang, d))
            }
            Happening::PastSupport { support } => crate::messages::support_ended(lang, support),
            Happening::Standing {
                cve,
                kind,
                status,
                ransomware,
                accepted,
            } => {
                let mut text = format!(
                    "{} — {}",
                    finding_word(kind, cve),
                    lang.t(&format!("finding-status-{}", status.code()))
                );
                if *ransomware {
                    text.push_str(&format!("({})", lang.t("vuln-ransomware-badge")));
                }
                if let Some((reason, until)) = accepted {
                    text.push_str(&lang.tr(
                        "review-standing-accepted",
                        args![reason = reason.as_str(), until = text::day(lang, *until)],
                    ));
                }
                text
            }
            Happening::WeakWayIn { gaps } => gaps
                .iter()
                .map(|g| lang.t(&format!("gap-{g}")))
                .collect::<Vec<_>>()
                .join("、"),
        }
    }

    /// The fields of what happened, with a `what` naming the kind.
    pub fn to_json(&self) -> serde_json::Value {
        let at = |t: &Timestamp| t.to_string();
        match self {
            Happening::KevHit { cve, added, status } => json!({
                "what": "kev_hit", "cve": cve, "kev_added": added.to_string(), "status": status.code(),
            }),
            Happening::Opened { cve, kind, at: t } => json!({
                "what": "opened", "cve": cve, "kind": kind.code(), "at": at(t),
            }),
            Happening::Fixed { cve, kind, at: t } => json!({
                "what": "fixed", "cve": cve, "kind": kind.code(), "at": at(t),
            }),
            Happening::Acceptance {
                cve,
                kind,
                until,
                ended,
            } => json!({
                "what": "acceptance", "cve": cve, "kind": kind.code(),
                "until": until.to_string(), "ended": ended,
            }),
            Happening::Added { at: t } => json!({ "what": "added", "at": at(t) }),
            Happening::Changed { at: t, fields } => {
                json!({ "what": "changed", "at": at(t), "fields": fields })
            }
            Happening::Removed { at: t } => json!({ "what": "removed", "at": at(t) }),
            Happening::Unchecked { checked_on } => json!({
                "what": "version_unchecked",
                "checked_on": checked_on.map(|d| d.to_string()),
            }),
            Happening::Standing {
                cve,
                kind,
                status,
                ransomware,
                accepted,
            } => json!({
                "what": "standing", "cve": cve, "kind": kind.code(), "status": status.code(),
                "ransomware": ransomware,
                "accepted_reason": accepted.as_ref().map(|(r, _)| r),
                "accepted_until": accepted.as_ref().map(|(_, u)| u.to_string()),
            }),
            Happening::WeakWayIn { gaps } => json!({ "what": "weak_way_in", "gaps": gaps }),
            Happening::PastSupport { support } => json!({
                "what": "past_end_of_support",
                "ended": support.ends.to_string(),
                "family": match &support.source {
                    domain::support::Source::Table { family, .. } => Some(family.as_str()),
                    domain::support::Source::Ledger => None,
                },
                "source": match &support.source {
                    domain::support::Source::Table { source, .. } => source.as_str(),
                    domain::support::Source::Ledger => "ledger",
                },
            }),
        }
    }
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
    /// Devices past their end of support.
    pub past_support: Vec<Line>,
    /// Risk acceptances that ended or end within 30 days.
    pub acceptances: Vec<Line>,
    /// Every finding still open on the review's day, the worst first (accepted risks with
    /// their reasons).
    pub standing: Vec<Line>,
    /// Ways in from outside with weaknesses (no device: `name` is the way in's).
    pub weak_ways_in: Vec<Line>,
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
    cache: Option<&FeedCache>,
) -> Result<Review, store::Error> {
    let today = Date::in_japan(now);
    let from = since.start_in_japan();
    let view = crate::vulns::view(store, scope, visible, now, cache).await?;
    let by_id: HashMap<AssetId, &Asset> = visible.iter().map(|a| (a.id, a)).collect();
    let line = |id: AssetId, happening: Happening| {
        by_id.get(&id).map(|a| Line {
            asset: Some(id),
            name: a.details.name.clone(),
            happening,
        })
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
                Happening::KevHit {
                    cve: f.cve.clone(),
                    added: k.date_added,
                    status: f.status(today),
                },
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
        let (cve, kind, at) = (f.cve.clone(), f.kind, e.at);
        match e.event {
            Event::Opened | Event::Reopened => {
                opened.extend(line(f.asset, Happening::Opened { cve, kind, at }));
            }
            Event::Fixed => closed.extend(line(f.asset, Happening::Fixed { cve, kind, at })),
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
                    Happening::Acceptance {
                        cve: f.cve.clone(),
                        kind: f.kind,
                        until: a.until,
                        ended: a.until < today,
                    },
                )
            })?
        })
        .collect();

    let records = store
        .facility_audit_since(
            scope.facility(),
            &[
                "asset.create",
                "asset.update",
                "asset.retire",
                "asset.restore",
            ],
            from,
        )
        .await?;
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut removed = Vec::new();
    for r in &records {
        let summary: serde_json::Value = serde_json::from_str(&r.entry.summary).unwrap_or_default();
        let at = r.at;
        let id = r.entry.object_id.parse().ok().map(AssetId);
        match r.entry.action.as_str() {
            // A device brought back after 撤去 is in the ledger again, as if added.
            "asset.create" | "asset.restore" => {
                added.extend(id.and_then(|id| line(id, Happening::Added { at })))
            }
            "asset.retire" => removed.push(Line {
                asset: None,
                name: summary["before"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                happening: Happening::Removed { at },
            }),
            _ => {
                let fields: Vec<String> = summary["fields"]
                    .as_array()
                    .map(|f| {
                        f.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                // 「今日確認した」 alone is the review's own bookkeeping, not a change of the device.
                if !fields.is_empty() && fields.iter().all(|f| f == "version_checked_on") {
                    continue;
                }
                changed.extend(id.and_then(|id| line(id, Happening::Changed { at, fields })));
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
            happening: Happening::Unchecked {
                checked_on: a.details.version_checked_on,
            },
        })
        .collect();
    let past_support = crate::vulns::past_support(visible, today)
        .into_iter()
        .map(|(a, support)| Line {
            asset: Some(a.id),
            name: a.details.name.clone(),
            happening: Happening::PastSupport { support },
        })
        .collect();
    let standing = view
        .findings
        .iter()
        .filter(|f| f.status(today) != Status::Fixed)
        .filter_map(|f| {
            line(
                f.asset,
                Happening::Standing {
                    cve: f.cve.clone(),
                    kind: f.kind,
                    status: f.status(today),
                    ransomware: f.facts.ransomware,
                    accepted: f
                        .acceptance
                        .as_ref()
                        .filter(|a| a.until >= today)
                        .map(|a| (a.reason.clone(), a.until)),
                },
            )
        })
        .collect();
    let points = store.connection_points(scope).await?;
    let weak_ways_in = crate::connections::ways_in(&points, visible, today)
        .into_iter()
        .filter(|w| !w.gaps.is_empty())
        .filter(|w| w.point.details.asset.is_none_or(|a| by_id.contains_key(&a)))
        .map(|w| Line {
            asset: None,
            name: w.point.details.name.clone(),
            happening: Happening::WeakWayIn {
                gaps: w.gaps.iter().map(|g| g.code().to_string()).collect(),
            },
        })
        .collect();
    Ok(Review {
        standing,
        weak_ways_in,
        past_support,
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

/// One section of the review, in the order the page, the printout and the command show them.
pub struct Part<'a> {
    /// The section's key (`--format json`; the page's id with `-` for `_`).
    pub key: &'static str,
    /// Message id of its heading.
    pub title: &'static str,
    pub lines: &'a [Line],
    /// Lines here are something to deal with (red).
    pub bad: bool,
    /// What an empty section says when that is good news (message id); `None`: just "none".
    pub good_when_empty: Option<&'static str>,
}

impl Review {
    /// The sections, worst news first; the vulnerability ones only once NVD data exists.
    #[rustfmt::skip]
    pub fn parts(&self) -> Vec<Part<'_>> {
        let judged = self.cve_count > 0;
        // (needs NVD data, the part)
        fn part<'a>(key: &'static str, title: &'static str, lines: &'a [Line], bad: bool, good_when_empty: Option<&'static str>) -> Part<'a> {
            Part { key, title, lines, bad, good_when_empty }
        }
        [
            (true, part("standing", "review-standing", &self.standing, true, Some("review-standing-none"))),
            (false, part("weak_ways_in", "review-weak-ways-in", &self.weak_ways_in, true, Some("review-weak-ways-in-none"))),
            (true, part("kev_hits", "review-kev-hits", &self.kev_hits, true, Some("review-kev-hits-none"))),
            (true, part("opened", "review-opened", &self.opened, true, None)),
            (true, part("closed", "review-closed", &self.closed, false, None)),
            (true, part("acceptances", "review-acceptances", &self.acceptances, true, None)),
            (false, part("past_support", "eos-title", &self.past_support, true, Some("eos-none"))),
            (false, part("added", "changes-added", &self.added, false, None)),
            (false, part("changed", "changes-changed", &self.changed, false, None)),
            (false, part("removed", "changes-removed", &self.removed, false, None)),
            (false, part("unchecked", "changes-unchecked", &self.unchecked, true, Some("changes-all-checked"))),
        ]
        .into_iter()
        .filter(|(needs_feed, _)| judged || !needs_feed)
        .map(|(_, p)| p)
        .collect()
    }

    /// The review as `mamori review --format json` gives it (and as a kept review stores it).
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        out.insert("since".into(), self.since.to_string().into());
        out.insert("until".into(), self.today.to_string().into());
        out.insert("vulnerabilities_judged".into(), (self.cve_count > 0).into());
        for p in self.parts() {
            let items: Vec<serde_json::Value> = p.lines.iter().map(Line::to_json).collect();
            out.insert(p.key.into(), items.into());
        }
        out.into()
    }

    /// The review in words, as the page shows it and a kept review prints it again.
    pub fn document(&self, lang: Lang) -> Document {
        Document {
            lead: lang.tr(
                "review-lead",
                args![
                    since = text::day(lang, self.since),
                    today = text::day(lang, self.today)
                ],
            ),
            no_feed: self.cve_count == 0,
            sections: self
                .parts()
                .into_iter()
                .map(|p| Section {
                    key: p.key.to_string(),
                    title: lang.t(p.title),
                    empty: lang.t(p.good_when_empty.unwrap_or("changes-none")),
                    good_when_empty: p.good_when_empty.is_some(),
                    bad: p.bad,
                    lines: p
                        .lines
                        .iter()
                        .map(|l| Written {
                            asset: l.asset.map(|a| a.0),
                            name: l.name.clone(),
                            detail: l.detail(lang),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The review in one language's words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    pub lead: String,
    /// No NVD data yet: the vulnerability sections are left out.
    pub no_feed: bool,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub key: String,
    pub title: String,
    /// What the section says when it has no lines.
    pub empty: String,
    pub good_when_empty: bool,
    pub bad: bool,
    pub lines: Vec<Written>,
}

/// A line in words: the device (by id while it was in the ledger) and what happened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Written {
    pub asset: Option<i64>,
    pub name: String,
    pub detail: String,
}

/// A kept review's body: the words in each language (so it prints again as signed, in the
/// reader's language) and the data. `version` names the shape; a later shape adds fields with
/// defaults, so every body kept before still reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    #[serde(default = "first_version")]
    pub version: u32,
    pub ja: Document,
    pub en: Document,
    pub data: serde_json::Value,
}

fn first_version() -> u32 {
    1
}

impl Kept {
    pub fn of(review: &Review) -> Kept {
        Kept {
            version: 1,
            ja: review.document(Lang::Ja),
            en: review.document(Lang::En),
            data: review.to_json(),
        }
    }

    pub fn in_lang(&self, lang: Lang) -> &Document {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// Longest reviewer name and note a kept review takes.
pub const REVIEWER_MAX: usize = 100;
pub const NOTE_MAX: usize = 2000;

/// The number the next kept review of the facility gets.
pub async fn next_number(store: &Store, scope: &FacilityScope) -> Result<i64, store::Error> {
    Ok(store
        .saved_reviews(scope)
        .await?
        .first()
        .map_or(1, |k| k.number + 1))
}

/// Keeps the review, signed off by `reviewer`, as number `expected` (what the person was
/// shown; `store::Error::Conflict` when it is taken meanwhile, nothing written); a reviewer
/// or note the rules refuse comes back as the domain's error, naming the field.
pub async fn keep(
    store: &Store,
    scope: &FacilityScope,
    actor: &domain::Actor,
    review: &Review,
    signed: (&str, &str),
    expected: i64,
    now: Timestamp,
) -> Result<Result<i64, domain::Error>, store::Error> {
    let (reviewer, note) = signed;
    let checked = domain::text::required(domain::Field::Reviewer, reviewer, REVIEWER_MAX).and_then(
        |reviewer| {
            let note = domain::text::optional(domain::Field::ReviewNote, Some(note), NOTE_MAX)?;
            Ok((reviewer, note.unwrap_or_default()))
        },
    );
    let (reviewer, note) = match checked {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let body = serde_json::to_string(&Kept::of(review))
        .map_err(|e| store::Error::Database(format!("writing the kept review: {e}")))?;
    let number = store
        .save_review(
            scope,
            actor,
            &store::NewReview {
                since: review.since,
                reviewed_on: review.today,
                reviewer,
                note,
                body,
            },
            expected,
            now,
        )
        .await?;
    Ok(Ok(number))
}
