//! The audit log of a facility as an inspector reads it: the chain's verification, each
//! record's action in words, the person by name and role, the object by name with a link;
//! the sign-ins (and failed ones) of the facility's people; filters by day, person and action.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use domain::audit::AuditRecord;

use super::{FacilityPage, Frame, render, when};
use crate::{Lang, Page};

pub struct Row {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub href: Option<String>,
}

/// A choice of a filter's select: its value, its words, whether it is chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "facility/audit.html")]
struct AuditPage {
    frame: Frame,
    intact: bool,
    status: String,
    rows: Vec<Row>,
    signins: Vec<Row>,
    people: Vec<Choice>,
    actions: Vec<Choice>,
    from: String,
    to: String,
    shown: String,
}

/// The page's filters, as the address gives them.
#[derive(serde::Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    what: String,
}

/// Records read for the page (the newest); the filters apply to these.
const READ: i64 = 2000;

/// What the page knows to name people and things.
struct Names {
    people: HashMap<i64, String>,
    assets: HashMap<i64, String>,
    points: HashMap<i64, String>,
    vendors: HashMap<i64, String>,
    segments: HashMap<i64, String>,
    findings: HashMap<i64, (String, String)>,
    /// The checklist versions in use (shipped and imported), to number the items.
    checklists: Vec<domain::checklist::Version>,
}

impl Names {
    /// Who did it: a member by name and role, Mamori itself, or the command line.
    fn actor(&self, lang: Lang, label: &str) -> String {
        let mut parts = label.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("user"), Some(id), email) => id
                .parse::<i64>()
                .ok()
                .and_then(|id| self.people.get(&id).cloned())
                .unwrap_or_else(|| email.unwrap_or(id).to_string()),
            (Some("system"), _, _) => lang.t("audit-actor-system"),
            (Some("cli"), _, _) => lang.t("audit-actor-cli"),
            _ => label.to_string(),
        }
    }

    /// What it was done to, by name, with its page when it still has one.
    fn object(&self, lang: Lang, base: &str, r: &AuditRecord) -> (String, Option<String>) {
        let e = &r.entry;
        let id = e.object_id.parse::<i64>().ok();
        let summary: serde_json::Value = serde_json::from_str(&e.summary).unwrap_or_default();
        let named = |key: &str| {
            ["after", "before"]
                .iter()
                .find_map(|side| summary[side][key].as_str().map(str::to_string))
        };
        let kind = lang
            .try_t(&format!("audit-object-{}", e.object_kind.replace('_', "-")))
            .unwrap_or_else(|| e.object_kind.clone());
        let got = |m: &HashMap<i64, String>| id.and_then(|i| m.get(&i).cloned());
        match e.object_kind.as_str() {
            "asset" => match got(&self.assets) {
                Some(name) => (name, id.map(|i| format!("{base}assets/{i}"))),
                None => (
                    named("name").unwrap_or_else(|| format!("{kind} {}", e.object_id)),
                    None,
                ),
            },
            "connection_point" => match got(&self.points) {
                Some(name) => (name, id.map(|i| format!("{base}connections/{i}"))),
                None => (named("name").unwrap_or(kind), None),
            },
            "finding" => match id.and_then(|i| self.findings.get(&i)) {
                Some((cve, device)) => (
                    format!("{cve}({device})"),
                    id.map(|i| format!("{base}vulnerabilities/{i}")),
                ),
                None => (kind, None),
            },
            "vendor" => (got(&self.vendors).unwrap_or(kind), None),
            "segment" => (
                got(&self.segments).unwrap_or(kind),
                Some(format!("{base}segments")),
            ),
            "user" => (
                id.and_then(|i| self.people.get(&i).cloned())
                    .unwrap_or_else(|| e.object_id.clone()),
                None,
            ),
            "product_binding" => (
                [summary["maker"].as_str(), summary["model"].as_str()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
                None,
            ),
            "review" => (
                format!(
                    "{} {kind}",
                    lang.tr(
                        "review-kept-name",
                        crate::args![number = e.object_id.as_str()]
                    )
                ),
                Some(format!("{base}reviews/{}", e.object_id)),
            ),
            "evidence" => (
                summary["title"]
                    .as_str()
                    .map_or_else(|| format!("{kind} {}", e.object_id), str::to_string),
                Some(format!("{base}evidence/{}", e.object_id)),
            ),
            "checklist_item" | "checklist_round" => {
                // `version:round[:topic]`
                let mut parts = e.object_id.splitn(3, ':');
                let (version, round, topic) = (parts.next(), parts.next(), parts.next());
                let number = topic.and_then(|t| {
                    self.checklists
                        .iter()
                        .find(|v| Some(v.key.as_str()) == version)?
                        .items
                        .iter()
                        .find(|i| i.topic == t)
                        .map(|i| i.number.clone())
                });
                let round_name = round
                    .map(|r| lang.tr("checklist-round-name", crate::args![round = r]))
                    .unwrap_or_default();
                let anchor =
                    topic.map_or_else(String::new, |t| format!("#item-{}", t.replace('_', "-")));
                (
                    format!("{kind} {round_name} {}", number.unwrap_or_default())
                        .trim()
                        .to_string(),
                    Some(format!(
                        "{base}checklist?version={}&round={}{anchor}",
                        version.unwrap_or_default(),
                        round.unwrap_or_default()
                    )),
                )
            }
            "facility" => (lang.t("audit-object-this-facility"), None),
            _ => (format!("{kind} {}", e.object_id), None),
        }
    }
}

fn action_label(lang: Lang, action: &str) -> String {
    lang.try_t(&format!("action-{}", action.replace('.', "-")))
        .unwrap_or_else(|| action.to_string())
}

pub async fn page(page: FacilityPage, Query(filter): Query<Filter>) -> Page {
    let frame = page.frame().await?;
    let FacilityPage {
        state, lang, ctx, ..
    } = page;
    let store = state.store();
    let (report, records) = tokio::try_join!(
        store.verify_audit(store::Chains::One(Some(ctx.facility.id)), None),
        store.recent_audit(Some(ctx.facility.id), READ)
    )?;
    let members = store.members(&ctx.scope).await?;
    let people: HashMap<i64, String> = members
        .iter()
        .map(|(u, m)| {
            let name = u
                .display_name
                .clone()
                .unwrap_or_else(|| u.email.to_string());
            let role = lang.t(&format!("role-{}", m.role.code()));
            (u.id.0, format!("{name}({role})"))
        })
        .collect();
    // Sign-ins are kept for the whole deployment: only those who manage the facility's
    // people see them, and only of its people.
    let ids: Vec<domain::UserId> = if ctx.membership.role.can(domain::Permission::ManageMembers) {
        members.iter().map(|(u, _)| u.id).collect()
    } else {
        Vec::new()
    };
    let signins = store.signins_of(&ids, 200).await?;
    let assets = store.assets(&ctx.scope).await?;
    let asset_names: HashMap<i64, String> = assets
        .iter()
        .map(|a| (a.id.0, a.details.name.clone()))
        .collect();
    let names = Names {
        checklists: crate::checklist::versions(store)
            .await?
            .into_iter()
            .map(|(v, _)| v)
            .collect(),
        findings: store
            .findings(&ctx.scope)
            .await?
            .into_iter()
            .map(|f| {
                let device = asset_names.get(&f.asset.0).cloned().unwrap_or_default();
                (f.id.0, (f.cve, device))
            })
            .collect(),
        points: store
            .connection_points(&ctx.scope)
            .await?
            .into_iter()
            .map(|p| (p.id.0, p.details.name))
            .collect(),
        vendors: store
            .vendors(&ctx.scope)
            .await?
            .into_iter()
            .map(|v| (v.id.0, v.details.name))
            .collect(),
        segments: store
            .segments(&ctx.scope)
            .await?
            .into_iter()
            .map(|s| (s.id.0, s.details.name))
            .collect(),
        assets: asset_names,
        people,
    };
    let base = format!("/f/{}/", ctx.facility.id.0);
    let from = domain::Date::parse(&filter.from).ok();
    let to = domain::Date::parse(&filter.to).ok();
    let day = |r: &AuditRecord| domain::Date::in_japan(r.at);
    let keep = |r: &AuditRecord| {
        from.is_none_or(|d| day(r) >= d)
            && to.is_none_or(|d| day(r) <= d)
            && (filter.who.is_empty() || r.entry.actor == filter.who)
            && (filter.what.is_empty() || r.entry.action == filter.what)
    };
    let row = |r: &AuditRecord| {
        let (object, href) = names.object(lang, &base, r);
        Row {
            seq: r.seq,
            at: when(lang, r.at),
            actor: names.actor(lang, &r.entry.actor),
            action: action_label(lang, &r.entry.action),
            object,
            href,
        }
    };
    let choices = |values: Vec<String>, chosen: &str, word: &dyn Fn(&str) -> String| {
        let mut values = values;
        values.sort();
        values.dedup();
        let mut out: Vec<Choice> = values
            .into_iter()
            .map(|v| Choice {
                label: word(&v),
                selected: v == chosen,
                value: v,
            })
            .collect();
        out.sort_by(|a, b| a.label.cmp(&b.label));
        out
    };
    let people = choices(
        records.iter().map(|r| r.entry.actor.clone()).collect(),
        &filter.who,
        &|v| names.actor(lang, v),
    );
    let actions = choices(
        records.iter().map(|r| r.entry.action.clone()).collect(),
        &filter.what,
        &|v| action_label(lang, v),
    );
    let rows: Vec<Row> = records.iter().filter(|r| keep(r)).map(row).collect();
    let signins: Vec<Row> = signins
        .iter()
        .filter(|r| {
            from.is_none_or(|d| day(r) >= d)
                && to.is_none_or(|d| day(r) <= d)
                && (filter.what.is_empty() || r.entry.action == filter.what)
                && (filter.who.is_empty()
                    || filter.who.split(':').nth(1) == Some(r.entry.object_id.as_str()))
        })
        .map(|r| {
            let mut line = row(r);
            // The person signing in, not "who wrote the record" (a failed try has no actor).
            line.actor = line.object.clone();
            line.object = serde_json::from_str::<serde_json::Value>(&r.entry.summary)
                .ok()
                .and_then(|s| s["reason"].as_str().map(str::to_string))
                .map(|code| {
                    lang.try_t(&format!("audit-signin-reason-{code}"))
                        .unwrap_or(code)
                })
                .unwrap_or_default();
            line
        })
        .collect();
    let (intact, status) = crate::messages::audit_report(lang, &report);
    let shown = lang.tr(
        "audit-shown",
        crate::args![shown = rows.len(), total = records.len()],
    );
    Ok(render(
        StatusCode::OK,
        AuditPage {
            frame,
            intact,
            status,
            rows,
            signins,
            people,
            actions,
            from: from.map(|d| d.to_string()).unwrap_or_default(),
            to: to.map(|d| d.to_string()).unwrap_or_default(),
            shown,
        },
    ))
}
