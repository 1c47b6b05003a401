//! 月次点検: the monthly review page (see `crate::review`), printable for the file the
//! inspector asks for.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use domain::Date;
use serde::Deserialize;

use super::{FacilityPage, Frame, render};
use crate::Page;
use crate::args;
use crate::review::Line;

pub struct Shown {
    pub href: String,
    pub name: String,
    pub detail: String,
    /// Where 「今日確認した」 posts, on a device whose version nobody checked lately.
    pub check: Option<String>,
}

pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub lines: Vec<Shown>,
    /// What an empty section says (a good sign, or just "none").
    pub empty: String,
    pub good_when_empty: bool,
    /// Red when it has lines.
    pub bad: bool,
}

#[derive(Template)]
#[template(path = "facility/review.html")]
struct ReviewPage {
    frame: Frame,
    since: String,
    lead: String,
    error: Option<String>,
    no_feed: bool,
    sections: Vec<Section>,
    printed: String,
    /// Where 「すべて今日確認した」 posts (for those who may edit the ledger).
    check_all: Option<String>,
    csrf: String,
}

#[derive(Deserialize)]
pub struct Since {
    since: Option<String>,
}

pub async fn page(page: FacilityPage, Query(q): Query<Since>) -> Page {
    let lang = page.lang;
    let now = page.state.now();
    let today = Date::in_japan(now);
    let typed = q.since.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (since, error) = match typed.map(Date::parse) {
        None => (today.month_before(), None),
        Some(Ok(d)) if d > today => (today.month_before(), Some(lang.t("review-since-future"))),
        Some(Ok(d)) => (d, None),
        Some(Err(_)) => (
            today.month_before(),
            Some(lang.tr(
                "review-since-invalid",
                args![value = typed.unwrap_or_default()],
            )),
        ),
    };
    let built = async {
        let assets = super::facility::visible_assets(&page.state, &page.ctx).await?;
        crate::review::build(
            page.state.store(),
            &page.ctx.scope,
            &assets,
            since,
            now,
            Some(page.state.feed_cache()),
        )
        .await
    }
    .await;
    let r = built?;
    let frame = page.frame().await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    let can_edit = page.ctx.membership.role.can(domain::Permission::EditLedger);
    let shown = |lines: Vec<Line>| -> Vec<Shown> {
        lines
            .into_iter()
            .map(|l| Shown {
                href: l
                    .asset
                    .map_or_else(String::new, |id| format!("{base}assets/{}", id.0)),
                check: match (&l.happening, l.asset) {
                    (crate::review::Happening::Unchecked { .. }, Some(id)) if can_edit => {
                        Some(format!("{base}assets/{}/checked", id.0))
                    }
                    _ => None,
                },
                detail: l.detail(lang),
                name: l.name,
            })
            .collect()
    };
    let none = lang.t("changes-none");
    let section = |id, title: &str, lines, bad, empty: Option<&str>| Section {
        id,
        title: lang.t(title),
        lines: shown(lines),
        good_when_empty: empty.is_some(),
        empty: empty.map_or_else(|| none.clone(), |e| lang.t(e)),
        bad,
    };
    let no_feed = r.cve_count == 0;
    let mut sections = Vec::new();
    if !no_feed {
        sections.push(section(
            "standing",
            "review-standing",
            r.standing,
            true,
            Some("review-standing-none"),
        ));
    }
    sections.push(section(
        "weak-ways-in",
        "review-weak-ways-in",
        r.weak_ways_in,
        true,
        Some("review-weak-ways-in-none"),
    ));
    if !no_feed {
        sections.push(section(
            "kev-hits",
            "review-kev-hits",
            r.kev_hits,
            true,
            Some("review-kev-hits-none"),
        ));
        sections.push(section("opened", "review-opened", r.opened, true, None));
        sections.push(section("closed", "review-closed", r.closed, false, None));
        sections.push(section(
            "acceptances",
            "review-acceptances",
            r.acceptances,
            true,
            None,
        ));
    }
    sections.push(section(
        "past-support",
        "eos-title",
        r.past_support,
        true,
        Some("eos-none"),
    ));
    sections.push(section("added", "changes-added", r.added, false, None));
    sections.push(section(
        "changed",
        "changes-changed",
        r.changed,
        false,
        None,
    ));
    sections.push(section(
        "removed",
        "changes-removed",
        r.removed,
        false,
        None,
    ));
    sections.push(section(
        "unchecked",
        "changes-unchecked",
        r.unchecked,
        true,
        Some("changes-all-checked"),
    ));
    Ok(render(
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        ReviewPage {
            frame,
            lead: lang.tr(
                "review-lead",
                args![
                    since = text::day(lang, r.since),
                    today = text::day(lang, r.today)
                ],
            ),
            since: typed.map_or_else(|| r.since.to_string(), str::to_string),
            error,
            no_feed,
            sections,
            printed: lang.tr("review-printed-on", args![when = super::when(lang, now)]),
            check_all: can_edit.then(|| format!("{base}review/checked")),
            csrf: page.csrf(),
        },
    ))
}
