//! 月次点検: the monthly review page (see `crate::review`), printable for the file the
//! inspector asks for.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::Date;
use serde::Deserialize;
use text::Lang;

use super::{FacilityPage, Frame, render};
use crate::Page;
use crate::args;

pub struct Shown {
    pub href: String,
    pub name: String,
    pub detail: String,
    /// Where 「今日確認した」 posts, on a device whose version nobody checked lately.
    pub check: Option<String>,
}

pub struct Section {
    pub id: String,
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
    /// The sign-off form that keeps this review (for those who may edit the ledger).
    keep: Option<Keep>,
    kept_count: usize,
    kept_href: String,
    csrf: String,
}

/// The sign-off form: who reviewed, a note, and the number the review will be kept under.
pub struct Keep {
    action: String,
    since: String,
    reviewer: String,
    note: String,
    /// The number it will be kept under, and 「第N回として記録する」.
    number: i64,
    title: String,
    button: String,
    /// What was wrong with the last try, beside its field.
    problem: Option<(String, String)>,
    /// 「今日すでに第N回として記録しています」, when one was kept today.
    kept_today: Option<String>,
}

#[derive(Deserialize)]
pub struct Since {
    since: Option<String>,
}

/// The review from `since` (typed by the person; a month back when empty or unusable, with
/// the reason in `error`).
fn since_of(lang: Lang, today: Date, typed: Option<&str>) -> (Date, Option<String>) {
    match typed.map(Date::parse) {
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
    }
}

async fn build(page: &FacilityPage, since: Date) -> Result<crate::review::Review, store::Error> {
    let assets = super::facility::visible_assets(&page.state, &page.ctx).await?;
    crate::review::build(
        page.state.store(),
        &page.ctx.scope,
        &assets,
        since,
        page.state.now(),
        Some(page.state.feed_cache()),
    )
    .await
}

pub async fn page(page: FacilityPage, Query(q): Query<Since>) -> Page {
    show(&page, q.since.as_deref(), None).await
}

/// What the sign-off form holds after a refused try.
struct Typed {
    reviewer: String,
    note: String,
    problem: (String, String),
}

async fn show(page: &FacilityPage, since: Option<&str>, typed_keep: Option<Typed>) -> Page {
    let lang = page.lang;
    let now = page.state.now();
    let typed = since.map(str::trim).filter(|s| !s.is_empty());
    let (since, error) = since_of(lang, Date::in_japan(now), typed);
    let r = build(page, since).await?;
    let doc = r.document(lang);
    let kept = page.state.store().saved_reviews(&page.ctx.scope).await?;
    let can_edit = page.ctx.membership.role.can(domain::Permission::EditLedger);
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    let signed_in_name = page
        .session
        .as_ref()
        .map(|s| {
            s.user
                .display_name
                .clone()
                .unwrap_or_else(|| s.user.email.to_string())
        })
        .unwrap_or_default();
    let refused = typed_keep.is_some();
    let (reviewer, note, problem) = match typed_keep {
        Some(t) => (t.reviewer, t.note, Some(t.problem)),
        None => (signed_in_name, String::new(), None),
    };
    let next = kept.first().map_or(1, |k| k.number + 1);
    let view = ReviewPage {
        frame: page.frame().await?,
        since: typed.map_or_else(|| r.since.to_string(), str::to_string),
        error,
        sections: sections(&base, doc.sections, can_edit),
        lead: doc.lead,
        no_feed: doc.no_feed,
        printed: lang.tr("review-printed-on", args![when = super::when(lang, now)]),
        check_all: can_edit.then(|| format!("{base}review/checked")),
        keep: can_edit.then(|| Keep {
            action: format!("{base}reviews"),
            since: r.since.to_string(),
            reviewer,
            note,
            number: next,
            title: lang.tr("review-keep-title", args![number = next]),
            button: lang.tr("review-keep-button", args![number = next]),
            kept_today: kept
                .first()
                .filter(|k| k.review.reviewed_on == Date::in_japan(now))
                .map(|k| lang.tr("review-kept-today", args![number = k.number])),
            problem,
        }),
        kept_count: kept.len(),
        kept_href: format!("{base}reviews"),
        csrf: page.csrf(),
    };
    Ok(render(
        if view.error.is_some() || refused {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        view,
    ))
}

/// 「この内容で点検を記録する」: keeps the review, signed off, as the number the button
/// showed (a second click, or a review kept meanwhile by someone else, is refused by name).
pub async fn keep(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let field = |k: &str| form.get(k).map_or("", String::as_str);
    let typed_since = Some(field("since").trim()).filter(|s| !s.is_empty());
    let (since, error) = since_of(lang, Date::in_japan(page.state.now()), typed_since);
    if error.is_some() {
        return show(&page, typed_since, None).await;
    }
    let typed = |id: &str, problem: String| Typed {
        reviewer: field("reviewer").to_string(),
        note: field("note").to_string(),
        problem: (id.to_string(), problem),
    };
    let Ok(expected) = field("number").trim().parse::<i64>() else {
        let problem = typed("keep-reviewer", lang.t("review-keep-stale"));
        return show(&page, typed_since, Some(problem)).await;
    };
    let r = build(&page, since).await?;
    let kept = crate::review::keep(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        &r,
        (field("reviewer"), field("note")),
        expected,
        page.state.now(),
    )
    .await;
    let kept = match kept {
        Err(e @ store::Error::Conflict { .. }) => {
            let problem = typed("keep-reviewer", crate::messages::store_error(lang, &e, ""));
            return show(&page, typed_since, Some(problem)).await;
        }
        other => other?,
    };
    match kept {
        Ok(number) => Ok(Redirect::to(&format!(
            "/f/{}/reviews/{number}?done=review-kept",
            page.ctx.facility.id.0
        ))
        .into_response()),
        Err(e) => {
            let domain::Error::Invalid { field: which, .. } = &e;
            let id = if *which == domain::Field::ReviewNote {
                "keep-note"
            } else {
                "keep-reviewer"
            };
            let problem = typed(id, crate::messages::domain_error(lang, &e));
            show(&page, typed_since, Some(problem)).await
        }
    }
}

#[derive(Template)]
#[template(path = "facility/reviews.html")]
struct KeptList {
    frame: Frame,
    rows: Vec<KeptRow>,
    review_href: String,
}

struct KeptRow {
    href: String,
    /// 第N回
    name: String,
    reviewed_on: String,
    period: String,
    reviewer: String,
    saved: String,
}

/// 点検の記録: every kept review, the newest first.
pub async fn list(page: FacilityPage) -> Page {
    let lang = page.lang;
    let store = page.state.store();
    let kept = store.saved_reviews(&page.ctx.scope).await?;
    let people = people(&page, &kept).await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    let rows = kept
        .into_iter()
        .map(|k| KeptRow {
            href: format!("{base}reviews/{}", k.number),
            name: lang.tr("review-kept-name", args![number = k.number]),
            reviewed_on: text::day(lang, k.review.reviewed_on),
            period: period(lang, &k.review),
            saved: saved_by(lang, &people, &k),
            reviewer: k.review.reviewer,
        })
        .collect();
    let view = KeptList {
        frame: page.frame().await?,
        rows,
        review_href: format!("{base}review"),
    };
    Ok(render(StatusCode::OK, view))
}

#[derive(Template)]
#[template(path = "facility/review_kept.html")]
struct KeptPage {
    frame: Frame,
    /// 第N回
    name: String,
    /// The body could not be read (kept by a later version, or changed by hand).
    unreadable: bool,
    lead: String,
    no_feed: bool,
    sections: Vec<Section>,
    reviewer: String,
    reviewed_on: String,
    note: String,
    saved: String,
    list_href: String,
    /// A kept review has no buttons (the shared sections ask for these).
    check_all: Option<String>,
    csrf: String,
}

/// One kept review, as it was signed off, ready to print again.
pub async fn one(page: FacilityPage, Path((_, number)): Path<(String, String)>) -> Page {
    let lang = page.lang;
    let Ok(number) = number.parse::<i64>() else {
        return Ok(super::not_found_page(lang));
    };
    let Some(k) = page
        .state
        .store()
        .saved_review(&page.ctx.scope, number)
        .await?
    else {
        return Ok(super::not_found_page(lang));
    };
    let doc = serde_json::from_str::<crate::review::Kept>(&k.review.body)
        .map(|body| body.in_lang(lang).clone())
        .ok();
    let people = people(&page, std::slice::from_ref(&k)).await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    let unreadable = doc.is_none();
    let doc = doc.unwrap_or_else(|| crate::review::Document {
        lead: String::new(),
        no_feed: false,
        sections: Vec::new(),
    });
    let view = KeptPage {
        frame: page.frame().await?,
        name: lang.tr("review-kept-name", args![number = k.number]),
        unreadable,
        lead: doc.lead,
        no_feed: doc.no_feed,
        sections: sections(&base, doc.sections, false),
        saved: saved_by(lang, &people, &k),
        reviewed_on: text::day(lang, k.review.reviewed_on),
        reviewer: k.review.reviewer,
        note: k.review.note,
        list_href: format!("{base}reviews"),
        check_all: None,
        csrf: String::new(),
    };
    Ok(render(StatusCode::OK, view))
}

fn period(lang: Lang, r: &store::NewReview) -> String {
    format!(
        "{} 〜 {}",
        text::day(lang, r.since),
        text::day(lang, r.reviewed_on)
    )
}

/// The names of the people who kept these reviews (by id: someone who has left the facility
/// since is still named).
async fn people(
    page: &FacilityPage,
    kept: &[store::SavedReview],
) -> Result<HashMap<i64, String>, store::Error> {
    let mut names = HashMap::new();
    for id in kept.iter().filter_map(|k| k.saved_by) {
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id.0) {
            let u = page.state.store().user(id).await?;
            e.insert(u.display_name.unwrap_or_else(|| u.email.to_string()));
        }
    }
    Ok(names)
}

fn saved_by(lang: Lang, people: &HashMap<i64, String>, k: &store::SavedReview) -> String {
    let who = k
        .saved_by
        .and_then(|u| people.get(&u.0).cloned())
        .unwrap_or_else(|| lang.t("audit-actor-cli"));
    lang.tr(
        "review-kept-by",
        args![who = who, when = super::when(lang, k.saved_at)],
    )
}

/// The page's sections from the review's words: each device linked, 「今日確認した」 on the
/// devices not checked lately (for those who may edit the ledger).
fn sections(base: &str, written: Vec<crate::review::Section>, can_edit: bool) -> Vec<Section> {
    written
        .into_iter()
        .map(|s| {
            let unchecked = s.key == "unchecked";
            Section {
                id: s.key.replace('_', "-"),
                lines: s
                    .lines
                    .into_iter()
                    .map(|l| Shown {
                        href: l
                            .asset
                            .map_or_else(String::new, |id| format!("{base}assets/{id}")),
                        check: l
                            .asset
                            .filter(|_| unchecked && can_edit)
                            .map(|id| format!("{base}assets/{id}/checked")),
                        name: l.name,
                        detail: l.detail,
                    })
                    .collect(),
                title: s.title,
                empty: s.empty,
                good_when_empty: s.good_when_empty,
                bad: s.bad,
            }
        })
        .collect()
}
