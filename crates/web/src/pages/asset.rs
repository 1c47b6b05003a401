//! One device of the ledger: every fact recorded about it, and its history from the audit
//! chain (who changed what, when).

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use domain::AssetId;
use domain::ledger::Column;

use super::{FacilityPage, Frame, render, when};
use crate::Lang;
use crate::Page;

/// What a clinic runs in Windows PowerShell to list a PC's programs for Mamori.
pub const SOFTWARE_COMMAND: &str = "Get-ItemProperty HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*, HKLM:\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\* | Select-Object DisplayName, DisplayVersion, Publisher | Export-Csv -Encoding UTF8 -NoTypeInformation software.csv";

pub struct Fact {
    pub label: String,
    pub value: String,
    /// The glossary entry that explains the value (`/terms#…`).
    pub term: Option<&'static str>,
}

pub struct Change {
    pub at: String,
    pub who: String,
    pub what: String,
    pub fields: String,
}

#[derive(Template)]
#[template(path = "ledger/asset.html")]
struct AssetPage {
    frame: Frame,
    name: String,
    facts: Vec<Fact>,
    history: Vec<Change>,
    vulns: Vec<super::vulns::Row>,
    /// Why the list is empty, or a caveat: no feed, product not recognised, none found.
    vulns_note: Option<String>,
    /// Whether the device was checked, and as which product (or why not, and what to do).
    check_note: String,
    check_todo: String,
    /// Past its end of support: when, by whose word.
    past_support: Option<String>,
    /// Installed programs (name, version, publisher), and remote-access tools nobody listed.
    software: Vec<(String, String, String)>,
    unlisted_tools: Vec<String>,
    software_count: String,
    software_command: &'static str,
    checked: bool,
    /// The products a person may bind to this maker and model (when not checked for want of
    /// one), and whether the form is shown.
    candidates: Vec<String>,
    can_bind: bool,
    /// A person chose the product: the choice can be taken back.
    can_unbind: bool,
    /// The finding pages are for the facility's own people (a vendor sees the list only).
    can_open_findings: bool,
    /// Ways in from outside that end on this device: (link, name, weaknesses).
    ways_in: Vec<(String, String, usize)>,
    /// Remote maintenance is written, but no way in ends here.
    unregistered_remote: bool,
    /// Who maintains it, and the 24-hour number when the vendor list has it.
    maintainer: Option<String>,
    base: String,
    id: i64,
    can_edit: bool,
    csrf: String,
}

/// The glossary entry of a kind of device whose name a director may not know.
fn kind_term(kind: domain::AssetKind) -> Option<&'static str> {
    use domain::AssetKind as K;
    match kind {
        K::Utm => Some("utm"),
        K::VpnAppliance => Some("vpn"),
        K::Storage => Some("nas"),
        K::Pacs => Some("pacs"),
        _ => None,
    }
}

/// The kind as written, and for a network device the role its model gives it (or that
/// nobody can tell, so it is treated as possibly facing the outside).
fn kind_text(lang: Lang, d: &domain::NewAsset) -> String {
    let kind = lang.t(&format!("asset-kind-{}", d.kind.code()));
    if d.kind != domain::AssetKind::NetworkDevice {
        return kind;
    }
    match domain::identify::role(d) {
        Some(role) => lang.tr(
            "asset-role-from-model",
            crate::args![
                kind = kind,
                role = lang.t(&format!("asset-kind-{}", role.code()))
            ],
        ),
        None => lang.tr("asset-role-unknown", crate::args![kind = kind]),
    }
}

/// The columns the device page shows in its own words (the name is its title); any other
/// device field is listed after them under its ledger column's label.
const SHOWN: [Column; 20] = [
    Column::Name,
    Column::Kind,
    Column::Roles,
    Column::Location,
    Column::Segment,
    Column::Ip,
    Column::Mac,
    Column::Maker,
    Column::Model,
    Column::Os,
    Column::Version,
    Column::Serial,
    Column::Department,
    Column::Vendor,
    Column::Remote,
    Column::RemoteMethod,
    Column::AcquiredOn,
    Column::EndOfSupport,
    Column::VersionCheckedOn,
    Column::Notes,
];

fn facts(lang: Lang, d: &domain::NewAsset, today: domain::Date) -> Vec<Fact> {
    let dash = lang.t("beds-none");
    let v = |x: Option<String>| x.filter(|s| !s.is_empty()).unwrap_or_else(|| dash.clone());
    let date = |x: Option<domain::Date>| x.map_or_else(|| dash.clone(), |d| text::day(lang, d));
    let others = domain::ledger::COLUMNS
        .iter()
        .filter(|(c, _)| !SHOWN.contains(c))
        .map(|(c, _)| Fact {
            label: lang.t(&format!("column-{}", c.code())),
            value: match domain::ledger::cell(d, *c) {
                domain::ledger::Cell::Date(x) => date(Some(x)),
                other => v(Some(other.into_text())),
            },
            term: None,
        });
    let mut facts = vec![
        Fact {
            label: lang.t("field-asset-kind"),
            value: kind_text(lang, d),
            term: kind_term(d.kind),
        },
        Fact {
            label: lang.t("col-roles"),
            value: v(Some(d.roles.join("・"))),
            term: None,
        },
        Fact {
            label: lang.t("col-location"),
            value: v(d.location.clone()),
            term: None,
        },
        Fact {
            label: lang.t("field-segment-name"),
            value: v(d.segment.clone()),
            term: None,
        },
        Fact {
            label: lang.t("field-ip-address"),
            value: v(d.ip.map(|i| i.to_string())),
            term: None,
        },
        Fact {
            label: lang.t("field-mac-address"),
            value: v(d.mac.map(|m| m.to_string())),
            term: None,
        },
        Fact {
            label: lang.t("col-product"),
            value: v(Some(
                [d.maker.as_deref(), d.model.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
            )),
            term: None,
        },
        Fact {
            label: lang.t("col-version"),
            value: v(Some(
                [d.os_name.as_deref(), d.os_version.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
            )),
            term: Some("firmware"),
        },
        Fact {
            label: lang.t("asset-serial"),
            value: v(d.serial.clone()),
            term: None,
        },
        Fact {
            label: lang.t("asset-department"),
            value: v(d.owner_department.clone()),
            term: None,
        },
        Fact {
            label: lang.t("col-vendor"),
            value: v(d.vendor.clone()),
            term: None,
        },
        Fact {
            label: lang.t("field-remote-maintenance"),
            value: lang.t(&format!("remote-{}", d.remote_maintenance.code())),
            term: None,
        },
        Fact {
            label: lang.t("asset-remote-method"),
            value: v(d.remote_method.clone()),
            term: None,
        },
        Fact {
            label: lang.t("asset-acquired"),
            value: date(d.acquired_on),
            term: None,
        },
        Fact {
            label: lang.t("asset-end-of-support"),
            value: match domain::support::of(d) {
                Some(
                    e @ domain::support::EndOfSupport {
                        source: domain::support::Source::Table { .. },
                        ..
                    },
                ) => crate::messages::support_text(lang, &e, today),
                _ => date(d.end_of_support),
            },
            term: Some("end-of-support"),
        },
        Fact {
            label: lang.t("asset-version-checked"),
            value: date(d.version_checked_on),
            term: None,
        },
    ];
    facts.extend(others);
    facts.push(Fact {
        label: lang.t("field-notes"),
        value: v(d.notes.clone()),
        term: None,
    });
    facts
}

pub async fn page(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let lang = page.lang;
    let Ok(id) = id.parse::<i64>().map(AssetId) else {
        return Ok(super::not_found_page(lang));
    };
    // The same visibility as the ledger list: a vendor sees only what it maintains.
    let assets = super::facility::visible_assets(&page.state, &page.ctx).await?;
    let Some(asset) = assets.into_iter().find(|a| a.id == id) else {
        return Ok(super::not_found_page(lang));
    };
    let history = page
        .state
        .store()
        .object_history(page.ctx.facility.id, "asset", &id.0.to_string())
        .await?;
    let now = page.state.now();
    let view = crate::vulns::view(
        page.state.store(),
        &page.ctx.scope,
        std::slice::from_ref(&asset),
        now,
        Some(page.state.feed_cache()),
    )
    .await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    let today = domain::Date::in_japan(now);
    let vulns = super::vulns::rows(lang, &base, &view, std::slice::from_ref(&asset), today);
    let standing = view.standing(today).count();
    let check = view.checks.first().map(|(_, c)| c.clone());
    let bound = matches!(
        &check,
        Some(domain::identify::Check::Checked {
            how: domain::identify::How::Binding,
            ..
        })
    );
    let (check_note, check_todo, checked, candidates, bindable) = match &check {
        Some(domain::identify::Check::Checked { product, how }) => (
            lang.tr(
                "check-checked",
                crate::args![
                    product = product,
                    how = lang.t(&format!("check-how-{}", how.code()))
                ],
            ),
            String::new(),
            true,
            Vec::new(),
            false,
        ),
        Some(domain::identify::Check::NotChecked { reason, candidates }) => (
            crate::messages::check_reason(lang, *reason),
            crate::messages::check_todo(lang, *reason, &asset.details),
            false,
            candidates.clone(),
            matches!(
                reason,
                domain::identify::Reason::UnknownProduct | domain::identify::Reason::Ambiguous
            ),
        ),
        None => (String::new(), String::new(), false, Vec::new(), false),
    };
    let vulns_note = if view.cve_count == 0 {
        Some(lang.t("vuln-no-feed"))
    } else if checked && standing == 0 {
        Some(lang.tr("vuln-none", crate::args![cves = view.cve_count]))
    } else {
        None
    };
    let software: Vec<(String, String, String)> = page
        .state
        .store()
        .software(&page.ctx.scope, Some(asset.id))
        .await?
        .into_iter()
        .map(|(_, i)| {
            (
                i.name,
                i.version.unwrap_or_default(),
                i.publisher.unwrap_or_default(),
            )
        })
        .collect();
    let unlisted_tools: Vec<String> = crate::vulns::unlisted_tools(
        page.state.store(),
        &page.ctx.scope,
        std::slice::from_ref(&asset),
    )
    .await?
    .into_iter()
    .map(|u| {
        lang.tr(
            "unlisted-tool",
            crate::args![device = &asset.details.name, program = u.program],
        )
    })
    .collect();
    let points = page
        .state
        .store()
        .connection_points(&page.ctx.scope)
        .await?;
    let ways_in: Vec<(String, String, usize)> =
        service::connections::ways_in(&points, std::slice::from_ref(&asset), today)
            .into_iter()
            .filter(|w| w.device.is_some())
            .map(|w| {
                (
                    format!("{base}connections/{}", w.point.id.0),
                    w.point.details.name.clone(),
                    w.gaps.len(),
                )
            })
            .collect();
    let unregistered_remote =
        !domain::connection::unregistered_remote(std::slice::from_ref(&asset), &points).is_empty();
    let maintainer =
        service::connections::maintainer(page.state.store(), &page.ctx.scope, lang, &asset).await?;
    let frame = page.frame().await?;
    let history = history
        .into_iter()
        .map(|r| {
            let summary: serde_json::Value =
                serde_json::from_str(&r.entry.summary).unwrap_or_default();
            let fields = crate::review::changed_fields(lang, &summary);
            Change {
                at: when(lang, r.at),
                who: r.entry.actor,
                what: lang
                    .try_t(&format!("action-{}", r.entry.action.replace('.', "-")))
                    .unwrap_or(r.entry.action),
                fields,
            }
        })
        .collect();
    let view = AssetPage {
        frame,
        name: asset.details.name.clone(),
        facts: facts(lang, &asset.details, today),
        past_support: domain::support::past(&asset.details, today)
            .map(|e| crate::messages::support_text(lang, &e, today)),
        history,
        vulns,
        vulns_note,
        check_note,
        check_todo,
        software_count: lang.tr("software-count", crate::args![count = software.len()]),
        software,
        unlisted_tools,
        software_command: SOFTWARE_COMMAND,
        checked,
        candidates,
        can_bind: bindable && page.ctx.membership.role.can(domain::Permission::EditLedger),
        can_unbind: bound && page.ctx.membership.role.can(domain::Permission::EditLedger),
        can_open_findings: page.ctx.membership.role.can(domain::Permission::View),
        ways_in,
        unregistered_remote,
        maintainer,
        base,
        id: id.0,
        can_edit: page.ctx.membership.role.can(domain::Permission::EditLedger),
        csrf: page.csrf(),
    };
    Ok(render(StatusCode::OK, view))
}
