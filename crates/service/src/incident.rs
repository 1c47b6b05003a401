//! The contact chart and the first-response playbook as the page, the commands and the
//! printout see them: the chart's contacts with the vendors' 24-hour numbers from the vendor
//! list, what it lacks, the responses ticked so far, and the drawer copy (PDF): the playbook
//! with each step's numbers, the chart, the copies to restore from and the ways in to cut.

use domain::incident::{
    ChartGaps, Contact, ContactRole, Group, Incident, PLAYBOOK, Step, chart_gaps,
};
use domain::{Date, Timestamp};
use serde_json::json;
use store::{FacilityScope, Store};
use text::{Lang, args};

/// The roles the printed chart has a line for, filled in or blank to write in by hand.
pub const EXPECTED: [ContactRole; 9] = [
    ContactRole::Director,
    ContactRole::SystemStaff,
    ContactRole::Manager,
    ContactRole::Mhlw,
    ContactRole::Police,
    ContactRole::Prefecture,
    ContactRole::Ppc,
    ContactRole::Advisor,
    ContactRole::Insurer,
];

/// The chart: the facility's contacts and its vendors (name, 24-hour number).
#[derive(Debug, Clone)]
pub struct Chart {
    pub contacts: Vec<Contact>,
    pub vendors: Vec<(String, Option<String>)>,
    pub gaps: ChartGaps,
}

impl Chart {
    /// Whom a step calls: (who, name, number) — the vendors' when the step calls them.
    pub fn calls(&self, lang: Lang, step: &Step) -> Vec<(String, String, Option<String>)> {
        let mut out: Vec<(String, String, Option<String>)> = step
            .calls
            .iter()
            .flat_map(|role| {
                let label = role_label(lang, *role);
                let held: Vec<(String, String, Option<String>)> = self
                    .contacts
                    .iter()
                    .filter(|c| c.details.role == *role)
                    .map(|c| {
                        (
                            label.clone(),
                            c.details.name.clone(),
                            c.details.phone.clone(),
                        )
                    })
                    .collect();
                if held.is_empty() {
                    vec![(label, lang.t("contacts-unfilled"), None)]
                } else {
                    held
                }
            })
            .collect();
        if step.calls_vendors {
            let label = role_label(lang, ContactRole::Vendor);
            out.extend(
                self.vendors
                    .iter()
                    .map(|(name, phone)| (label.clone(), name.clone(), phone.clone())),
            );
        }
        out
    }
}

/// Who ticked a step, as a person reads it: the user's e-mail, the command line's user name.
pub fn who(label: &str) -> String {
    match label.split_once(':') {
        Some(("user", rest)) => rest
            .split_once(':')
            .map_or(rest, |(_, email)| email)
            .to_string(),
        Some((_, name)) => name.to_string(),
        None => label.to_string(),
    }
}

pub fn role_label(lang: Lang, role: ContactRole) -> String {
    lang.t(&format!("contact-role-{}", role.code()))
}

pub async fn chart(store: &Store, scope: &FacilityScope) -> Result<Chart, store::Error> {
    let contacts = store.contacts(scope).await?;
    let mut vendors: Vec<(String, Option<String>)> = store
        .vendors(scope)
        .await?
        .into_iter()
        .map(|v| (v.details.name, v.details.phone_24h))
        .collect();
    // The ledger's and the ways in's vendors not in the vendor list have no number yet.
    let named: Vec<String> = store
        .assets(scope)
        .await?
        .into_iter()
        .filter_map(|a| a.details.vendor)
        .chain(
            store
                .connection_points(scope)
                .await?
                .into_iter()
                .filter_map(|p| p.details.vendor),
        )
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    for name in named {
        if !vendors.iter().any(|(v, _)| v.trim() == name) {
            vendors.push((name, None));
        }
    }
    let gaps = chart_gaps(&contacts, &vendors);
    Ok(Chart {
        contacts,
        vendors,
        gaps,
    })
}

/// The open response, if any, and the earlier ones.
pub async fn responses(
    store: &Store,
    scope: &FacilityScope,
) -> Result<(Option<Incident>, Vec<Incident>), store::Error> {
    let mut all = store.incidents(scope).await?;
    let open = all
        .iter()
        .position(|i| i.closed_at.is_none())
        .map(|at| all.remove(at));
    Ok((open, all))
}

/// What a step says, in words: (what to do, why).
pub fn step_words(lang: Lang, step: &Step) -> (String, String) {
    (
        lang.t(&format!("playbook-step-{}", step.code)),
        lang.t(&format!("playbook-step-{}-why", step.code)),
    )
}

/// The drawer copy's data: everything a person needs with the network down, on paper.
pub async fn drawer(
    store: &Store,
    scope: &FacilityScope,
    lang: Lang,
    facility: &str,
    now: Timestamp,
) -> Result<serde_json::Value, store::Error> {
    let today = Date::in_japan(now);
    let chart = chart(store, scope).await?;
    let backups = crate::backup::overview(store, scope, today).await?;
    let points = store.connection_points(scope).await?;
    let assets = store.assets(scope).await?;
    Ok(drawer_data(
        lang, facility, today, &chart, &backups, &points, &assets,
    ))
}

/// Lays the drawer copy out (CPU work: run it off an async thread).
pub fn render_drawer(data: &serde_json::Value) -> Result<print::Rendered, print::PrintError> {
    print::render(print::Template::Playbook, data)
}

fn phone_or_blank(lang: Lang, phone: &Option<String>) -> String {
    phone
        .clone()
        .unwrap_or_else(|| lang.t("contacts-no-number"))
}

/// The drawer copy's data, every word in `lang`.
pub fn drawer_data(
    lang: Lang,
    facility: &str,
    today: Date,
    chart: &Chart,
    backups: &crate::backup::Overview,
    points: &[domain::ConnectionPoint],
    assets: &[domain::Asset],
) -> serde_json::Value {
    let steps: Vec<serde_json::Value> = PLAYBOOK
        .iter()
        .map(|s| {
            let (what, why) = step_words(lang, s);
            json!({
                "phase": lang.t(&format!("playbook-phase-{}", s.phase.code())),
                "who": role_label(lang, s.who),
                "what": what,
                "why": why,
                "calls": chart.calls(lang, s).into_iter().map(|(who, name, phone)| json!({
                    "who": who, "name": name, "phone": phone_or_blank(lang, &phone),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let group = |g: Group| -> Vec<serde_json::Value> {
        let mut rows: Vec<serde_json::Value> = chart
            .contacts
            .iter()
            .filter(|c| c.details.role.group() == g)
            .map(|c| {
                json!({
                    "who": role_label(lang, c.details.role),
                    "name": c.details.name,
                    "phone": phone_or_blank(lang, &c.details.phone),
                    "after_hours": c.details.after_hours.clone().unwrap_or_default(),
                    "note": c.details.note.clone().unwrap_or_default(),
                })
            })
            .collect();
        if g == Group::Vendors {
            rows.extend(chart.vendors.iter().map(|(name, phone)| {
                json!({
                    "who": role_label(lang, ContactRole::Vendor),
                    "name": name,
                    "phone": phone_or_blank(lang, phone),
                    "after_hours": "",
                    "note": "",
                })
            }));
        }
        // A role the chart should name and nobody holds gets an empty line to write in by hand.
        rows.extend(
            EXPECTED
                .iter()
                .filter(|r| r.group() == g)
                .filter(|r| !chart.contacts.iter().any(|c| c.details.role == **r))
                .map(|r| {
                    json!({
                        "who": role_label(lang, *r),
                        "name": lang.t(&format!("contact-hint-{}", r.code())),
                        "phone": lang.t("contacts-no-number"),
                        "after_hours": "",
                        "note": "",
                    })
                }),
        );
        rows
    };
    let groups: Vec<serde_json::Value> =
        [Group::Inside, Group::Vendors, Group::Report, Group::Support]
            .into_iter()
            .map(|g| {
                json!({
                    "title": lang.t(&format!("contacts-group-{}", group_code(g))),
                    "rows": group(g),
                })
            })
            .collect();
    // The blanks the paper asks to fill in by hand.
    let blanks = groups
        .iter()
        .filter_map(|g| g["rows"].as_array())
        .flatten()
        .filter(|r| r["phone"] == json!(lang.t("contacts-no-number")))
        .count();
    let restore: Vec<serde_json::Value> = backups
        .systems
        .iter()
        .map(|s| {
            json!({
                "system": s.name,
                "copies": s.copies.iter().map(|c| json!({
                    "label": crate::messages::copy_label(lang, c),
                    "state": crate::messages::exposure_text(lang, &c.exposure),
                    "use": c.exposure.protected(),
                    "last": c.copy.details.last_success.map(|d| text::day(lang, d)).unwrap_or_default(),
                })).collect::<Vec<_>>(),
                "none": s.copies.is_empty(),
                "unsafe": !s.copies.is_empty() && !s.copies.iter().any(|c| c.exposure.protected()),
            })
        })
        .collect();
    let device = |id: Option<domain::AssetId>| {
        id.and_then(|id| assets.iter().find(|a| a.id == id))
            .map(|a| a.details.name.clone())
            .unwrap_or_default()
    };
    let ways_in: Vec<serde_json::Value> = points
        .iter()
        .map(|p| {
            json!({
                "name": p.details.name,
                "device": device(p.details.asset),
                "vendor": p.details.vendor.clone().unwrap_or_default(),
            })
        })
        .collect();
    let labels = crate::messages::print_labels(
        lang,
        &[
            ("title", "playbook-title"),
            ("lead", "playbook-lead"),
            ("first", "playbook-first"),
            ("done_at", "playbook-done-at"),
            ("who", "playbook-who"),
            ("call", "playbook-call"),
            ("chart", "contacts-title"),
            ("chart_lead", "contacts-print-lead"),
            ("after_hours", "contacts-after-hours"),
            ("restore", "playbook-restore-title"),
            ("restore_lead", "playbook-restore-lead"),
            ("use", "playbook-restore-use"),
            ("no_copy", "backup-problem-no-copies"),
            ("unsafe", "playbook-restore-unsafe"),
            ("last", "field-backup-last-success"),
            ("ways_in", "playbook-ways-in-title"),
            ("ways_in_lead", "playbook-ways-in-lead"),
            ("no_ways_in", "playbook-no-ways-in"),
            ("printed", "print-printed"),
        ],
    );
    json!({
        "lang": match lang { Lang::Ja => "ja", Lang::En => "en" },
        "facility": facility,
        "printed": text::day(lang, today),
        "footer": lang.t("print-footer"),
        "labels": labels,
        "steps": steps,
        "groups": groups,
        "restore": restore,
        "ways_in": ways_in,
        "gaps": blanks > 0,
        "gaps_text": lang.tr("contacts-gaps-print", args![count = blanks]),
    })
}

pub fn group_code(g: Group) -> &'static str {
    match g {
        Group::Inside => "inside",
        Group::Vendors => "vendors",
        Group::Report => "report",
        Group::Support => "support",
    }
}

/// The checklist's 3-① in the chart's terms: the required contacts and every vendor's
/// 24-hour number.
pub fn chart_ready(chart: &Chart) -> bool {
    chart.gaps.missing_roles.is_empty() && chart.gaps.vendors_without_phone.is_empty()
}
