//! The cyber-attack BCP as the page, `mamori bcp print` and the checklist see it: what the
//! director wrote (sections, paper operation, approval) next to what the data already says
//! (officer, devices, recovery order by RTO, backups, contact chart, playbook, drills), and
//! the MHLW 確認表 answered from both.

use domain::bcp::{self, Check, CheckState, Section};
use domain::{Date, Timestamp};
use serde_json::json;
use store::{BcpText, FacilityScope, Store};
use text::{Lang, args};

/// How fresh the vulnerability information must be to count as collected (a month and a
/// few days, as the monthly review).
const FEED_DAYS: i64 = 35;

pub struct Bcp {
    pub today: Date,
    pub text: BcpText,
    pub checks: Vec<Check>,
    /// Sections with nothing written.
    pub unwritten: Vec<Section>,
    /// The approval is older than a year, or there is none, or the text changed after it.
    pub review_due: bool,
    /// A section was written after the approval.
    pub changed_since_approval: bool,
    pub chart: crate::incident::Chart,
    pub backups: crate::backup::Overview,
    /// The officer's name, when recorded.
    pub officer: Option<String>,
    /// Servers, PCs and network devices of the ledger.
    pub devices: usize,
    /// The last closed-or-open drill's start, when within a year.
    pub last_drill: Option<Timestamp>,
}

impl Bcp {
    pub fn section(&self, s: Section) -> &str {
        self.text
            .sections
            .iter()
            .find(|(x, _)| *x == s)
            .map_or("", |(_, body)| body.as_str())
    }

    /// Nothing was written or approved yet.
    pub fn is_empty(&self) -> bool {
        self.text == BcpText::default()
    }
}

pub async fn load(
    store: &Store,
    scope: &FacilityScope,
    now: Timestamp,
) -> Result<Bcp, store::Error> {
    let today = Date::in_japan(now);
    let text = store.bcp_text(scope).await?;
    let assets = store.assets(scope).await?;
    let segments = store.segments(scope).await?;
    let chart = crate::incident::chart(store, scope).await?;
    let backups = crate::backup::overview(store, scope, today).await?;
    let officer = store.security_officer(scope).await?.map(|o| o.name);
    let findings = store.urgent_findings(scope).await?;
    let fresh_feeds = store
        .last_feed_import()
        .await?
        .is_some_and(|at| today.days() - Date::in_japan(at).days() <= FEED_DAYS);
    let year_ago = today.days() - bcp::REVIEW_DAYS;
    let last_drill = store
        .incidents(scope)
        .await?
        .into_iter()
        // A drill counts once ended with at least half the steps done (not one cut off).
        .filter(|i| {
            i.drill && i.closed_at.is_some() && i.done.len() * 2 >= domain::incident::PLAYBOOK.len()
        })
        .map(|i| i.started_at)
        .filter(|t| Date::in_japan(*t).days() >= year_ago)
        .max();
    let devices = assets
        .iter()
        .filter(|a| domain::checklist::counted(a.details.kind))
        .count();
    // Without fresh vulnerability data nothing can be said to be patched.
    let patched = fresh_feeds
        && !findings.iter().any(|f| {
            f.kind == domain::finding::Kind::Vulnerability
                && f.status(today) == domain::finding::Status::Open
        })
        && !assets
            .iter()
            .any(|a| domain::support::past(&a.details, today).is_some());
    let backups_ready = !backups.systems.is_empty()
        && backups.systems.iter().all(|s| {
            s.assessment.rule.one_offline && s.assessment.rule.zero && !s.copies.is_empty()
        });
    let written = |s: Section| text.sections.iter().any(|(x, b)| *x == s && !b.is_empty());
    let facts = bcp::Facts {
        devices: devices > 0,
        segments: !segments.is_empty(),
        goals: !backups.systems.is_empty()
            && backups.systems.iter().all(|s| s.goal.rto_hours.is_some()),
        patched,
        chart: crate::incident::chart_ready(&chart),
        director: chart.contacts.iter().any(|c| {
            c.details.role == domain::incident::ContactRole::Director && c.details.phone.is_some()
        }),
        feeds: fresh_feeds,
        drill: last_drill.is_some(),
        backups: backups_ready,
        escalation: written(Section::Escalation),
        prevention: written(Section::Prevention),
    };
    let unwritten = Section::ALL.into_iter().filter(|s| !written(*s)).collect();
    let changed_since_approval = matches!(
        (text.approved_at, text.changed_at),
        (Some(approved), Some(changed)) if changed > approved
    );
    let review_due =
        changed_since_approval || text.approval.as_ref().is_none_or(|a| a.review_by() < today);
    Ok(Bcp {
        today,
        checks: bcp::checks(&facts),
        unwritten,
        review_due,
        changed_since_approval,
        chart,
        backups,
        officer,
        devices,
        last_drill,
        text,
    })
}

/// The words of a check's state.
pub fn state_words(lang: Lang, s: CheckState) -> String {
    lang.t(match s {
        CheckState::Ready => "bcp-state-ready",
        CheckState::Gap => "bcp-state-gap",
        CheckState::Stated => "bcp-state-stated",
        CheckState::Unwritten => "bcp-state-unwritten",
    })
}

/// The recovery order: systems by their RTO, shortest first; those without one last.
pub fn recovery_order(b: &crate::backup::Overview) -> Vec<&crate::backup::SystemBackups> {
    let mut list: Vec<&crate::backup::SystemBackups> = b.systems.iter().collect();
    list.sort_by_key(|s| (s.goal.rto_hours.is_none(), s.goal.rto_hours, s.name.clone()));
    list
}

/// The BCP as a document (PDF), every word in `lang`; what the director must still write is
/// printed as such.
pub fn pdf_data(lang: Lang, facility: &str, b: &Bcp) -> serde_json::Value {
    let day = |d: Date| text::day(lang, d);
    let sections: Vec<serde_json::Value> = Section::ALL
        .iter()
        .map(|s| {
            json!({
                "title": lang.t(&format!("bcp-section-{}", s.code())),
                "body": b.section(*s),
                "hint": lang.t(&format!("bcp-section-{}-hint", s.code())),
            })
        })
        .collect();
    let hours = |h: Option<u32>| {
        h.map_or_else(
            || lang.t("backups-goal-unset"),
            |h| lang.tr("backups-hours", args![hours = u64::from(h)]),
        )
    };
    let systems: Vec<serde_json::Value> = recovery_order(&b.backups)
        .into_iter()
        .map(|s| {
            json!({
                "name": s.name,
                "rto": hours(s.goal.rto_hours),
                "rpo": hours(s.goal.rpo_hours),
                "copies": if s.copies.is_empty() {
                    vec![lang.t("backup-problem-no-copies")]
                } else {
                    s.copies.iter().map(|c| format!(
                        "{} — {}",
                        crate::messages::copy_label(lang, c),
                        crate::messages::exposure_text(lang, &c.exposure)
                    )).chain(
                        (!s.copies.iter().any(|c| c.exposure.protected()))
                            .then(|| lang.t("playbook-restore-unsafe")),
                    ).collect::<Vec<_>>()
                },
                "drill": s.assessment.last_drill.as_ref().map(|d| day(d.details.on)).unwrap_or_else(|| lang.t("backups-never")),
            })
        })
        .collect();
    // Every restore drill, newest first: the printable drill record.
    let mut drills: Vec<(&crate::backup::SystemBackups, &domain::backup::Drill)> = b
        .backups
        .systems
        .iter()
        .flat_map(|s| s.drills.iter().map(move |d| (s, d)))
        .collect();
    drills.sort_by_key(|(_, d)| std::cmp::Reverse((d.details.on, d.id)));
    let drills: Vec<serde_json::Value> = drills
        .into_iter()
        .map(|(s, d)| {
            let d = &d.details;
            json!({
                "on": day(d.on),
                "system": s.name,
                "what": d.what,
                "result": match d.result {
                    Some(r) => lang.t(&format!("drill-result-{}", r.code())),
                    None => lang.t("backups-drill-planned"),
                },
                "time": d.minutes.map(|m| lang.tr("backups-minutes", args![minutes = u64::from(m)])).unwrap_or_default(),
                "rto": hours(s.goal.rto_hours),
                "verified": if d.verified { lang.t("backups-verified") } else if d.result.is_some() { lang.t("backups-not-verified") } else { String::new() },
                "problems": d.problems.clone().unwrap_or_default(),
            })
        })
        .collect();
    let blank = lang.t("contacts-no-number");
    let mut contacts: Vec<serde_json::Value> = b
        .chart
        .contacts
        .iter()
        .map(|c| {
            json!({
                "who": crate::incident::role_label(lang, c.details.role),
                "name": c.details.name,
                "phone": c.details.phone.clone().unwrap_or_else(|| blank.clone()),
            })
        })
        .chain(b.chart.vendors.iter().map(|(name, phone)| {
            json!({
                "who": crate::incident::role_label(lang, domain::incident::ContactRole::Vendor),
                "name": name,
                "phone": phone.clone().unwrap_or_else(|| blank.clone()),
            })
        }))
        .collect();
    // A line to write in by hand for each office the chart should name and does not.
    contacts.extend(
        crate::incident::EXPECTED
            .iter()
            .filter(|r| !b.chart.contacts.iter().any(|c| c.details.role == **r))
            .map(|r| {
                json!({
                    "who": crate::incident::role_label(lang, *r),
                    "name": lang.t(&format!("contact-hint-{}", r.code())),
                    "phone": blank.clone(),
                })
            }),
    );
    let steps: Vec<serde_json::Value> = domain::incident::PLAYBOOK
        .iter()
        .map(|s| {
            json!({
                "what": crate::incident::step_words(lang, s).0,
                "who": crate::incident::role_label(lang, s.who),
                "calls": b.chart.calls(lang, s).into_iter().map(|(who, name, phone)| {
                    format!("{who} {name} {}", phone.unwrap_or_else(|| blank.clone()))
                }).collect::<Vec<_>>().join(" / "),
            })
        })
        .collect();
    let checks: Vec<serde_json::Value> = b
        .checks
        .iter()
        .map(|c| {
            json!({
                "number": c.number,
                "text": lang.t(&format!("bcp-check-{}", c.code)),
                "state": state_words(lang, c.state),
                "ready": c.state == CheckState::Ready,
            })
        })
        .collect();
    let paper: Vec<serde_json::Value> = b
        .text
        .paper
        .iter()
        .map(|(_, p)| json!({"department": p.department, "procedure": p.procedure, "forms": p.forms}))
        .collect();
    let labels = crate::messages::print_labels(
        lang,
        &[
            ("title", "bcp-title"),
            ("approval", "bcp-approval"),
            ("unwritten", "bcp-unwritten"),
            ("general", "bcp-chapter-general"),
            ("scenarios", "bcp-scenarios"),
            ("scenarios_text", "bcp-scenarios-text"),
            ("organisation", "bcp-chapter-organisation"),
            ("officer", "bcp-officer"),
            ("devices", "bcp-devices"),
            ("recovery", "bcp-recovery"),
            ("drills", "bcp-drills"),
            ("drills_none", "backups-no-drills-yet"),
            ("drill_date", "field-drill-date"),
            ("drill_what", "field-drill-what"),
            ("drill_result", "field-drill-result"),
            ("drill_time", "backups-col-time"),
            ("verified", "backups-col-verified"),
            ("system", "backups-col-system"),
            ("rto", "bcp-rto"),
            ("rpo", "bcp-rpo"),
            ("copies", "backups-copies-title"),
            ("drill", "backups-col-drill"),
            ("response", "bcp-chapter-response"),
            ("contacts", "contacts-title"),
            ("steps", "bcp-steps"),
            ("paper", "bcp-paper"),
            ("paper_none", "bcp-paper-none"),
            ("forms", "field-paper-forms"),
            ("after", "bcp-chapter-after"),
            ("checks", "bcp-checks"),
            ("state", "bcp-state"),
            ("printed", "print-printed"),
        ],
    );
    json!({
        "lang": match lang { Lang::Ja => "ja", Lang::En => "en" },
        "facility": facility,
        "printed": day(b.today),
        "footer": lang.t("print-footer"),
        "labels": labels,
        "approval": match &b.text.approval {
            Some(_) if b.changed_since_approval => lang.t("bcp-changed-since-approval"),
            Some(a) => lang.tr("bcp-approved", args![by = a.by.as_str(), on = day(a.on), review = day(a.review_by())]),
            None => lang.t("bcp-not-approved"),
        },
        "review_due": b.review_due,
        "officer": b.officer.clone().unwrap_or_else(|| lang.t("bcp-officer-blank")),
        "scenarios_text": lang.t("bcp-scenarios-text"),
        "devices": lang.tr("bcp-devices-count", args![count = b.devices]),
        "sections": sections,
        "systems": systems,
        "drills": drills,
        "contacts": contacts,
        "steps": steps,
        "paper": paper,
        "checks": checks,
    })
}

/// Lays the BCP out (CPU work: run it off an async thread).
pub fn render(data: &serde_json::Value) -> Result<print::Rendered, print::PrintError> {
    print::render(print::Template::Bcp, data)
}

/// The BCP's standing for checklist 3-③: approved within a year, every section written, a
/// paper operation for at least one department.
pub fn standing(b: &Bcp) -> domain::checklist::BcpStanding {
    domain::checklist::BcpStanding {
        recorded: !b.is_empty(),
        approved_in_time: !b.review_due,
        unwritten: b.unwritten.iter().map(|s| s.code()).collect(),
        paper_plans: b.text.paper.len(),
    }
}
