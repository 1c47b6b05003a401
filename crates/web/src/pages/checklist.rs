//! 厚生労働省のチェックリスト: each item with Mamori's view from the records, the rows it rests
//! on, and what counts as evidence; printable with blank columns for the answer, the day
//! checked and the target day (see `crate::checklist`).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::Date;
use domain::checklist::{Answer, Given, Subject};
use serde::Deserialize;

use super::{FacilityPage, Frame, render};
use crate::args;
use crate::{Page, WebError};

/// The answer recorded for an item, in words.
struct Given_ {
    code: &'static str,
    answer: String,
    checked_on: String,
    target_on: String,
    comment: String,
    /// 「2026年12月4日 10:02 山田(3 回目の回答)」
    by: String,
}

/// The answer form of an item: what it holds (typed, recorded, or Mamori's view) and the
/// problems of the last try beside it.
struct AnswerForm {
    answer: String,
    checked_on: String,
    target_on: String,
    comment: String,
    problems: Vec<String>,
}

struct Row {
    /// The item's earlier answers in this round, newest first, each in words.
    earlier: Vec<String>,
    /// 「この回のこれまでの回答(2 件)」
    earlier_title: String,
    topic: String,
    id: String,
    number: String,
    text: String,
    /// 文言未確認 and why, when the sentence is not the confirmed official one.
    unconfirmed: Option<String>,
    targets: String,
    vendor_only: bool,
    answer_code: &'static str,
    answer: String,
    reason: String,
    /// (words, link)
    evidence: Vec<(String, Option<String>)>,
    needed: String,
    gate: bool,
    given: Option<Given_>,
    form: AnswerForm,
    /// The form that records the security officer (on 1-①, for the director).
    officer_form: bool,
    /// The item's evidence documents.
    documents: Vec<Document>,
    /// Records linked by hand as the item's evidence.
    links: Vec<LinkView>,
    /// A vendor field on the upload form (items asked per vendor).
    per_vendor: bool,
}

/// Last year against this year: the items whose answer moved, and how many did not.
struct Compared {
    title: String,
    /// (number, item, last year, this year, movement code, movement in words)
    rows: Vec<[String; 6]>,
    unchanged: String,
}

/// A vendor's returned 事業者確認用 sheet: its documents, what it answered, and the form to
/// record the answers.
struct VendorSheetView {
    vendor: String,
    docs: Vec<Document>,
    /// 「はい 10 ・ いいえ 1 ・ 未記録 3(記入日 2026年11月1日)」; empty before any answer.
    summary: String,
    /// The items the vendor answered いいえ, in words.
    noes: Vec<String>,
    /// (topic, number, sentence, current answer code, comment)
    items: Vec<(String, String, String, &'static str, String)>,
    /// The date on the sheet last recorded, for the form.
    sheet_on: String,
    id: String,
}

/// A record linked by hand, as the page lists it.
struct LinkView {
    number: i64,
    /// 「機器: 受付PC」
    words: String,
    href: Option<String>,
    note: String,
    /// 「2026年12月4日 10:02 山田」
    by: String,
}

/// An evidence document as the page lists it.
struct Document {
    number: i64,
    /// Where 「取り消す」 returns to.
    topic: String,
    href: String,
    title: String,
    /// 「2026年4月1日〜2027年3月31日」, or empty when no dates were given.
    valid: String,
    /// Not valid today (expired, or not yet valid): shown in yellow.
    stale: bool,
    uploaded: String,
}

#[derive(Template)]
#[template(path = "facility/checklist.html")]
struct ChecklistPage {
    frame: Frame,
    title: String,
    source: String,
    counts: String,
    versions: Vec<(String, String, bool)>,
    rows: Vec<Row>,
    gated_out: bool,
    any_unconfirmed: bool,
    handwrite_hint: String,
    printed: String,
    version_key: String,
    round: i64,
    /// 第2回
    round_name: String,
    /// (第N回, link, chosen)
    rounds: Vec<(String, String, bool)>,
    /// 「第 2 回 ・ 2026年12月4日に院長が確定」 when the round is signed off.
    locked: Option<String>,
    /// The round takes answers and the person may give them.
    answering: bool,
    /// The person may add evidence documents.
    can_upload: bool,
    /// The director may sign the round off, or start the next one.
    can_lock: bool,
    can_start: bool,
    choices: Vec<(&'static str, String)>,
    /// Problems not of one item (starting a round too early).
    page_problems: Vec<String>,
    /// Each vendor and its returned 事業者確認用 sheets (empty: not returned).
    vendor_sheets: Vec<VendorSheetView>,
    /// The records that can be linked as evidence, by kind: (group, [(value, name)]).
    link_choices: Vec<(String, Vec<(String, String)>)>,
    /// Last fiscal year's sheet against this one, when last year's was answered.
    compared: Option<Compared>,
    base: String,
    csrf: String,
}

#[derive(Deserialize)]
pub struct Which {
    version: Option<String>,
    round: Option<String>,
}

/// What was typed into an item's form and why it was refused.
struct Refused {
    topic: String,
    typed: [String; 4],
    problems: Vec<String>,
}

async fn sheet_of(
    page: &FacilityPage,
    version: Option<&str>,
    round: Option<&str>,
) -> Result<Option<crate::checklist::Sheet>, store::Error> {
    let now = page.state.now();
    let wanted = version.map(str::trim).filter(|s| !s.is_empty());
    let Some(version) =
        crate::checklist::version(page.state.store(), wanted, Date::in_japan(now)).await?
    else {
        return Ok(None);
    };
    let round = match round.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(r) => match r.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => return Ok(None),
        },
    };
    let assets = super::facility::visible_assets(&page.state, &page.ctx).await?;
    let sheet = crate::checklist::evaluate(
        page.state.store(),
        &page.ctx.scope,
        &assets,
        version,
        round,
        (now, page.state.unused_days()),
        Some(page.state.feed_cache()),
    )
    .await?;
    // A round that does not exist (past the newest) is no page.
    let exists = sheet.rounds.iter().any(|r| r.number == sheet.round)
        || (sheet.rounds.is_empty() && sheet.round == 1);
    Ok(exists.then_some(sheet))
}

pub async fn page(page: FacilityPage, Query(q): Query<Which>) -> Page {
    let Some(sheet) = sheet_of(&page, q.version.as_deref(), q.round.as_deref()).await? else {
        return Ok(super::not_found_page(page.lang));
    };
    show(&page, sheet, None).await
}

async fn show(
    page: &FacilityPage,
    sheet: crate::checklist::Sheet,
    refused: Option<Refused>,
) -> Page {
    let lang = page.lang;
    let now = page.state.now();
    let people = names(page, &sheet).await?;
    let base = format!("/f/{}/", page.ctx.facility.id.0);
    // Account rows name staff logins: only the roles that may see the accounts read them; the
    // others read the system alone.
    let sees_accounts = page
        .ctx
        .membership
        .role
        .can(domain::Permission::ViewAccounts);
    let href = |s: Subject| match s {
        Subject::Officer | Subject::Vendor => None,
        Subject::Document(n) => Some(format!("{base}evidence/{n}")),
        Subject::Device(a) => Some(format!("{base}assets/{}", a.0)),
        Subject::WayIn(p) => Some(format!("{base}connections/{}", p.0)),
        Subject::Finding(f) => Some(format!("{base}vulnerabilities/{}", f.0)),
        Subject::Account(_) if sees_accounts => Some(format!("{base}accounts#account-problems")),
        Subject::Account(_) => None,
        Subject::Backup(a) => Some(format!("{base}backups#system-{}", a.0)),
        Subject::Chart => Some(format!("{base}incident#contacts")),
        Subject::Bcp => Some(format!("{base}bcp")),
        Subject::Review(n) => Some(format!("{base}reviews/{n}")),
    };
    let document = |d: &store::Evidence| Document {
        number: d.number,
        topic: d.doc.topic.clone(),
        href: format!("{base}evidence/{}", d.number),
        title: match &d.doc.vendor {
            Some(v) => format!("{}({v})", d.doc.title),
            None => d.doc.title.clone(),
        },
        valid: match (d.doc.valid_from, d.doc.valid_until) {
            (None, None) => String::new(),
            (f, u) => format!(
                "{}〜{}",
                f.map(|d| text::day(lang, d)).unwrap_or_default(),
                u.map(|d| text::day(lang, d)).unwrap_or_default()
            ),
        },
        stale: !crate::evidence::valid_on(&d.doc, sheet.today),
        uploaded: format!(
            "{} ・ {}",
            lang.tr(
                "evidence-uploaded",
                args![
                    when = super::when(lang, d.uploaded_at),
                    name = d.doc.file_name.as_str()
                ],
            ),
            d.uploaded_by
                .and_then(|u| people.get(&u.0).cloned())
                .unwrap_or_else(|| lang.t("audit-actor-cli"))
        ),
    };
    let vendor_sheets: Vec<VendorSheetView> = sheet
        .vendors
        .iter()
        .enumerate()
        .map(|(n, v)| {
            let docs = sheet
                .documents
                .iter()
                .filter(|d| {
                    d.doc.topic == crate::checklist::VENDOR_SHEET
                        && crate::checklist::sheet_of_year(d, sheet.version.fiscal_year)
                        && d.doc
                            .vendor
                            .as_deref()
                            .is_some_and(|d| domain::checklist::same_vendor(d, v))
                })
                .map(document)
                .collect();
            let said: Vec<&store::VendorAnswer> = sheet
                .vendor_answers
                .iter()
                .filter(|a| domain::checklist::same_vendor(&a.vendor, v))
                .collect();
            let of = |topic: &str| said.iter().find(|a| a.given.topic == topic);
            let items: Vec<(String, String, String, &'static str, String)> = sheet
                .vendor_sheet
                .iter()
                .flat_map(|s| s.items.iter())
                .map(|i| {
                    let a = of(&i.topic);
                    (
                        i.topic.clone(),
                        i.number.clone(),
                        crate::checklist::wording(lang, i).to_string(),
                        a.map_or("", |a| a.given.given.code()),
                        a.map(|a| a.given.comment.clone()).unwrap_or_default(),
                    )
                })
                .collect();
            let count = |g: Given| said.iter().filter(|a| a.given.given == g).count();
            let newest = said.iter().map(|a| a.given.sheet_on).max();
            let summary = newest.map_or_else(String::new, |day| {
                lang.tr(
                    "vendor-sheet-summary",
                    args![
                        yes = count(Given::Yes),
                        no = count(Given::No),
                        na = count(Given::NotApplicable),
                        missing = items.len().saturating_sub(said.len()),
                        day = text::day(lang, day)
                    ],
                )
            });
            let noes = items
                .iter()
                .filter(|(_, _, _, code, _)| *code == Given::No.code())
                .map(|(_, number, text, _, comment)| {
                    if comment.is_empty() {
                        format!("{number} {text}")
                    } else {
                        format!("{number} {text}({comment})")
                    }
                })
                .collect();
            VendorSheetView {
                vendor: v.clone(),
                docs,
                summary,
                noes,
                items,
                sheet_on: newest.map(|d| d.to_string()).unwrap_or_default(),
                id: format!("vendor-{n}"),
            }
        })
        .collect();
    let rows = sheet
        .lines
        .iter()
        .map(|l| Row {
            id: format!("item-{}", l.item.topic.replace('_', "-")),
            number: l.item.number.clone(),
            text: crate::checklist::wording(lang, &l.item).to_string(),
            unconfirmed: crate::checklist::unconfirmed(lang, &l.item),
            targets: crate::checklist::targets(lang, &l.item),
            vendor_only: l.item.vendor_contract_only,
            answer_code: l.proposal.answer.code(),
            answer: crate::checklist::answer(lang, &l.proposal.answer),
            reason: crate::checklist::reason(lang, &l.proposal),
            evidence: l
                .proposal
                .evidence
                .iter()
                .map(|e| {
                    (
                        crate::checklist::row_words(lang, e, sees_accounts),
                        href(e.what),
                    )
                })
                .collect(),
            needed: crate::checklist::evidence_needed(lang, &l.item).to_string(),
            gate: l.item.gate,
            earlier: l
                .history
                .iter()
                .rev()
                .map(|a| {
                    let r = &a.recorded;
                    let who = a
                        .answered_by
                        .and_then(|u| people.get(&u.0).cloned())
                        .unwrap_or_else(|| lang.t("audit-actor-cli"));
                    let mut words = lang.tr(
                        "checklist-earlier-answer",
                        args![
                            when = super::when(lang, a.answered_at),
                            who = who,
                            answer = lang.t(&format!("checklist-given-{}", r.given.code())),
                            checked = text::day(lang, r.checked_on)
                        ],
                    );
                    if let Some(t) = r.target_on {
                        words.push_str(&format!(
                            " ・ {} {}",
                            lang.t("field-checklist-target-on"),
                            text::day(lang, t)
                        ));
                    }
                    if !r.comment.is_empty() {
                        words.push_str(&format!(" ・ 「{}」", r.comment));
                    }
                    words
                })
                .collect(),
            earlier_title: lang.tr("checklist-earlier-title", args![count = l.history.len()]),
            given: l.answer.as_ref().map(|a| {
                let r = &a.recorded;
                let who = a
                    .answered_by
                    .and_then(|u| people.get(&u.0).cloned())
                    .unwrap_or_else(|| lang.t("audit-actor-cli"));
                Given_ {
                    code: r.given.code(),
                    answer: lang.t(&format!("checklist-given-{}", r.given.code())),
                    checked_on: text::day(lang, r.checked_on),
                    target_on: r.target_on.map(|d| text::day(lang, d)).unwrap_or_default(),
                    comment: r.comment.clone(),
                    by: match a.carried_from {
                        // Carried over when the round started: not an answer of this round.
                        Some(from) if l.history.is_empty() => lang.tr(
                            "checklist-carried-by",
                            args![
                                round = from,
                                when = super::when(lang, a.answered_at),
                                who = who
                            ],
                        ),
                        _ => lang.tr(
                            "checklist-answered-by",
                            args![
                                when = super::when(lang, a.answered_at),
                                who = who,
                                count = l.history.len() + 1
                            ],
                        ),
                    },
                }
            }),
            form: match refused.as_ref().filter(|r| r.topic == l.item.topic) {
                Some(r) => AnswerForm {
                    answer: r.typed[0].clone(),
                    checked_on: r.typed[1].clone(),
                    target_on: r.typed[2].clone(),
                    comment: r.typed[3].clone(),
                    problems: r.problems.clone(),
                },
                None => match &l.answer {
                    Some(a) => AnswerForm {
                        answer: a.recorded.given.code().to_string(),
                        checked_on: sheet.today.to_string(),
                        target_on: a
                            .recorded
                            .target_on
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        comment: a.recorded.comment.clone(),
                        problems: Vec::new(),
                    },
                    None => AnswerForm {
                        answer: match l.proposal.answer {
                            Answer::Yes => Given::Yes.code(),
                            Answer::No => Given::No.code(),
                            Answer::Confirm | Answer::CannotTell => "",
                        }
                        .to_string(),
                        checked_on: sheet.today.to_string(),
                        target_on: String::new(),
                        comment: String::new(),
                        problems: Vec::new(),
                    },
                },
            },
            officer_form: l.item.rule == Some(domain::checklist::Rule::SecurityOfficer)
                && page.ctx.membership.role.can(domain::Permission::AcceptRisk),
            // 2-② is answered by the vendor's sheet in the vendor table, one place per vendor.
            per_vendor: l.item.rule == Some(domain::checklist::Rule::MdsSds),
            documents: sheet
                .documents
                .iter()
                .filter(|d| d.doc.topic == l.item.topic)
                .map(document)
                .collect(),
            links: sheet
                .links
                .iter()
                .filter(|k| k.link.topic == l.item.topic)
                .map(|k| LinkView {
                    number: k.link.number,
                    words: crate::checklist::link_words(lang, k),
                    href: href(k.link.object.subject()),
                    note: k.link.note.clone(),
                    by: format!(
                        "{} {}",
                        super::when(lang, k.link.linked_at),
                        k.link
                            .linked_by
                            .and_then(|u| people.get(&u.0).cloned())
                            .unwrap_or_else(|| lang.t("audit-actor-cli"))
                    ),
                })
                .collect(),
            topic: l.item.topic.clone(),
        })
        .collect::<Vec<_>>();
    let role = page.ctx.membership.role;
    let answering = sheet.open() && role.can(domain::Permission::EditLedger);
    let director = role.can(domain::Permission::AcceptRisk);
    let any_answer = sheet.lines.iter().any(|l| l.answer.is_some());
    let locked = sheet.locked().map(|r| {
        let who = r
            .locked_by
            .and_then(|u| people.get(&u.0).cloned())
            .unwrap_or_else(|| lang.t("audit-actor-cli"));
        lang.tr(
            "checklist-locked",
            args![
                round = sheet.round,
                when = super::when(lang, r.locked_at.unwrap_or(r.started_at)),
                who = who
            ],
        )
    });
    let version_key = sheet.version.key.clone();
    let rounds = sheet
        .rounds
        .iter()
        .rev()
        .map(|r| {
            (
                lang.tr("checklist-round-name", args![round = r.number]),
                format!("{base}checklist?version={version_key}&round={}", r.number),
                r.number == sheet.round,
            )
        })
        .collect();
    let this_year = sheet.version.fiscal_year;
    // The versions read once for the menu, the comparison and the unreadable imports.
    let known = crate::checklist::catalogue(page.state.store()).await?;
    let compared = crate::checklist::year_over_year_in(
        page.state.store(),
        &page.ctx.scope,
        &known.facility,
        (this_year - 1, this_year),
    )
    .await?
    .ok()
    .filter(|y| y.answered_then())
    .map(|y| {
        use domain::checklist::Movement as M;
        let moved = |m: M| !matches!(m, M::Unchanged | M::NotAnsweredThen);
        Compared {
            title: lang.tr(
                "checklist-compare-title",
                args![
                    then = fiscal_name(lang, this_year - 1),
                    now = fiscal_name(lang, this_year)
                ],
            ),
            rows: y
                .changes
                .iter()
                .filter(|c| moved(c.movement))
                .map(|c| {
                    [
                        c.number(),
                        c.ja.clone(),
                        crate::checklist::given(lang, c.then),
                        crate::checklist::given(lang, c.now),
                        c.movement.code().to_string(),
                        crate::checklist::movement(lang, c),
                    ]
                })
                .collect(),
            unchanged: {
                let count = |m: M| y.changes.iter().filter(|c| c.movement == m).count();
                let mut words = lang.tr(
                    "checklist-compare-unchanged",
                    args![count = count(M::Unchanged)],
                );
                let unanswered = count(M::NotAnsweredThen);
                if unanswered > 0 {
                    words.push(' ');
                    words.push_str(&lang.tr(
                        "checklist-compare-unanswered-then",
                        args![count = unanswered],
                    ));
                }
                words
            },
        }
    });
    let c = &sheet.choices;
    let link_choices: Vec<(String, Vec<(String, String)>)> = [
        ("evidence-link-group-asset", c.devices.clone()),
        ("evidence-link-group-connection-point", c.ways_in.clone()),
        ("evidence-link-group-finding", c.findings.clone()),
        (
            "evidence-link-group-review",
            c.reviews
                .iter()
                .map(|(code, n, day)| {
                    (
                        code.clone(),
                        format!(
                            "{} ({})",
                            lang.tr("review-kept-name", args![number = *n]),
                            text::day(lang, *day)
                        ),
                    )
                })
                .collect(),
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(group, v)| (lang.t(group), v))
    .collect();
    let view = ChecklistPage {
        link_choices,
        compared,
        frame: page.frame().await?,
        title: sheet.title(lang).to_string(),
        source: sheet.version.source.clone(),
        counts: format!(
            "{} ・ {}",
            sheet.counts_words(lang),
            lang.tr(
                "checklist-answered",
                args![
                    done = sheet.lines.iter().filter(|l| l.answer.is_some()).count(),
                    all = sheet.lines.len()
                ],
            )
        ),
        versions: known
            .facility
            .iter()
            .cloned()
            .map(|(v, _)| {
                let chosen = v.key == sheet.version.key;
                let title = match lang {
                    text::Lang::Ja => v.title_ja,
                    text::Lang::En => v.title_en,
                };
                (v.key, title, chosen)
            })
            .collect(),
        any_unconfirmed: rows.iter().any(|r| r.unconfirmed.is_some()),
        rows,
        gated_out: sheet.gated_out(),
        handwrite_hint: lang.tr(
            "checklist-handwrite-hint",
            args![year = fiscal_name(lang, sheet.version.fiscal_year)],
        ),
        printed: lang.tr("checklist-printed", args![when = super::when(lang, now)]),
        round: sheet.round,
        round_name: lang.tr("checklist-round-name", args![round = sheet.round]),
        rounds,
        can_lock: director && sheet.open() && any_answer,
        can_start: director
            && locked.is_some()
            && sheet
                .rounds
                .first()
                .is_some_and(|r| r.number == sheet.round),
        locked,
        answering,
        can_upload: role.can(domain::Permission::EditLedger),
        choices: Given::ALL
            .iter()
            .map(|g| (g.code(), lang.t(&format!("checklist-given-{}", g.code()))))
            .collect(),
        // Problems of an item whose form is not shown (the round was signed off meanwhile)
        // go to the top.
        vendor_sheets,
        page_problems: refused
            .as_ref()
            .filter(|r| r.topic.is_empty() || !answering)
            .map(|r| r.problems.clone())
            .unwrap_or_default()
            .into_iter()
            .chain(known.unreadable.iter().map(|(key, detail)| {
                lang.tr(
                    "checklist-version-unreadable",
                    args![key = key.as_str(), detail = detail.as_str()],
                )
            }))
            .collect(),
        version_key,
        base,
        csrf: page.csrf(),
    };
    let status = if refused.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(render(status, view))
}

/// The names of the people who answered or signed off, by id.
async fn names(
    page: &FacilityPage,
    sheet: &crate::checklist::Sheet,
) -> Result<HashMap<i64, String>, store::Error> {
    let mut out = HashMap::new();
    let mut ids: Vec<domain::UserId> = Vec::new();
    for l in &sheet.lines {
        ids.extend(l.answer.iter().filter_map(|a| a.answered_by));
        ids.extend(l.history.iter().filter_map(|a| a.answered_by));
    }
    let ids = ids
        .into_iter()
        .chain(sheet.rounds.iter().filter_map(|r| r.locked_by))
        .chain(sheet.links.iter().filter_map(|k| k.link.linked_by))
        .chain(sheet.documents.iter().filter_map(|d| d.uploaded_by))
        .chain(sheet.vendor_answers.iter().filter_map(|a| a.recorded_by));
    for id in ids {
        if let std::collections::hash_map::Entry::Vacant(e) = out.entry(id.0) {
            let u = page.state.store().user(id).await?;
            e.insert(u.display_name.unwrap_or_else(|| u.email.to_string()));
        }
    }
    Ok(out)
}

fn field<'a>(form: &'a HashMap<String, String>, key: &str) -> &'a str {
    form.get(key).map_or("", String::as_str)
}

fn back(page: &FacilityPage, version: &str, done: &str, anchor: &str) -> axum::response::Response {
    Redirect::to(&format!(
        "/f/{}/checklist?version={version}&done={done}{anchor}",
        page.ctx.facility.id.0
    ))
    .into_response()
}

/// The answer to one item: recorded in the round shown, or refused beside its form.
pub async fn answer(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let Some(sheet) = sheet_of(
        &page,
        Some(field(&form, "version")),
        Some(field(&form, "round")),
    )
    .await?
    else {
        return Ok(super::not_found_page(lang));
    };
    let topic = field(&form, "topic").to_string();
    let typed = ["answer", "checked_on", "target_on", "comment"].map(|k| field(&form, k));
    let done = crate::checklist::answer_item(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        &sheet,
        &topic,
        typed,
        page.state.now(),
    )
    .await;
    let problems = match done {
        Ok(Ok(())) => {
            let anchor = format!("#item-{}", topic.replace('_', "-"));
            return Ok(back(&page, &sheet.version.key, "saved", &anchor));
        }
        Ok(Err(problems)) => problems
            .iter()
            .map(|e| crate::messages::domain_error(lang, e))
            .collect(),
        Err(e @ store::Error::Conflict { .. }) => vec![crate::messages::store_error(lang, &e, "")],
        Err(e) => return Err(e.into()),
    };
    let refused = Refused {
        topic,
        typed: typed.map(str::to_string),
        problems,
    };
    show(&page, sheet, Some(refused)).await
}

/// The director signs the round off: no more answers in it.
pub async fn lock(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let Some(sheet) = sheet_of(
        &page,
        Some(field(&form, "version")),
        Some(field(&form, "round")),
    )
    .await?
    else {
        return Ok(super::not_found_page(page.lang));
    };
    let locked = crate::checklist::lock(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        &sheet,
        page.state.now(),
    )
    .await?;
    if !locked {
        // Signed off already (another tab), or no answer yet.
        let refused = Refused {
            topic: String::new(),
            typed: Default::default(),
            problems: vec![page.lang.t("checklist-lock-nothing")],
        };
        return show(&page, sheet, Some(refused)).await;
    }
    Ok(back(&page, &sheet.version.key, "checklist-locked", ""))
}

/// The next round, starting from the signed-off one's answers.
pub async fn next_round(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let Some(sheet) = sheet_of(&page, Some(field(&form, "version")), None).await? else {
        return Ok(super::not_found_page(page.lang));
    };
    match page
        .state
        .store()
        .start_checklist_round(
            &page.ctx.scope,
            &page.actor(),
            &sheet.version.key,
            page.state.now(),
        )
        .await
    {
        Ok(_) => Ok(back(&page, &sheet.version.key, "checklist-round", "")),
        Err(store::Error::Conflict { .. }) => {
            // The last round is not signed off yet (or there is none).
            let refused = Refused {
                topic: String::new(),
                typed: Default::default(),
                problems: vec![page.lang.t("checklist-next-not-yet")],
            };
            show(&page, sheet, Some(refused)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// 令和8 / 2026: the fiscal year as the sheet names it.
fn fiscal_name(lang: text::Lang, year: i32) -> String {
    match (lang, Date::new(year, 4, 1).ok().and_then(|d| d.era())) {
        (text::Lang::Ja, Some((era, y))) => format!("{era}{y}"),
        _ => year.to_string(),
    }
}

/// The director records who the 医療情報システム安全管理責任者 is (1-①).
pub async fn officer(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let Some(sheet) = sheet_of(&page, Some(field(&form, "version")), None).await? else {
        return Ok(super::not_found_page(lang));
    };
    let done = crate::checklist::record_officer(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        field(&form, "name"),
        field(&form, "appointed_on"),
        page.state.now(),
    )
    .await?;
    match done {
        Ok(()) => Ok(back(
            &page,
            &sheet.version.key,
            "saved",
            "#item-security-officer",
        )),
        Err(problems) => {
            let refused = Refused {
                topic: String::new(),
                typed: Default::default(),
                problems: problems
                    .iter()
                    .map(|e| crate::messages::domain_error(lang, e))
                    .collect(),
            };
            show(&page, sheet, Some(refused)).await
        }
    }
}

/// The answers of the round shown, as an Excel workbook.
pub async fn export(page: FacilityPage, Query(q): Query<Which>) -> Page {
    let lang = page.lang;
    let Some(sheet) = sheet_of(&page, q.version.as_deref(), q.round.as_deref()).await? else {
        return Ok(super::not_found_page(lang));
    };
    let bytes = sheet
        .xlsx(lang, &page.ctx.facility.name)
        .map_err(|e| crate::WebError::failed(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    let name = format!(
        "checklist_{}_{}_{}.xlsx",
        page.ctx.facility.short_name, sheet.version.key, sheet.round
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The round shown as the printed sheet (PDF), laid out off the request's thread.
pub async fn print(page: FacilityPage, Query(q): Query<Which>) -> Page {
    let lang = page.lang;
    let Some(sheet) = sheet_of(&page, q.version.as_deref(), q.round.as_deref()).await? else {
        return Ok(super::not_found_page(lang));
    };
    let sees_accounts = page
        .ctx
        .membership
        .role
        .can(domain::Permission::ViewAccounts);
    let facility = page.ctx.facility.name.clone();
    let name = format!(
        "checklist_{}_{}_{}.pdf",
        page.ctx.facility.short_name, sheet.version.key, sheet.round
    );
    super::pdf(lang, name, move || {
        sheet.pdf(lang, &facility, sees_accounts)
    })
    .await
}

/// Reads an upload form: its text fields (each at most 4 KiB) and the file.
async fn read_upload(
    multipart: &mut axum::extract::Multipart,
) -> Result<(HashMap<String, String>, String, axum::body::Bytes), &'static str> {
    let mut fields = HashMap::new();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| "evidence-upload-broken")?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("document").to_string();
            let bytes = field.bytes().await.map_err(|_| "evidence-too-large")?;
            file = Some((file_name, bytes));
        } else {
            let value = super::capped_text(field, 4096)
                .await
                .ok_or("evidence-upload-broken")?;
            fields.insert(name, value);
        }
    }
    let (file_name, bytes) = file.unwrap_or_default();
    Ok((fields, file_name, bytes))
}

/// A document kept as evidence for an item: checked, stored, or refused with every reason.
pub async fn upload(page: FacilityPage, mut multipart: axum::extract::Multipart) -> Page {
    let lang = page.lang;
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(300),
        read_upload(&mut multipart),
    )
    .await;
    let (form, file_name, bytes) = match read {
        Ok(Ok(v)) => v,
        Ok(Err(id)) => {
            return Ok(super::text_page(
                lang,
                StatusCode::BAD_REQUEST,
                lang.tr(
                    id,
                    args![limit = crate::evidence::MAX_BYTES / (1024 * 1024)],
                ),
            ));
        }
        Err(_) => {
            return Ok(super::text_page(
                lang,
                StatusCode::REQUEST_TIMEOUT,
                lang.t("import-too-slow"),
            ));
        }
    };
    let Some(sheet) = sheet_of(&page, Some(field(&form, "version")), None).await? else {
        return Ok(super::not_found_page(lang));
    };
    let topic = field(&form, "topic").to_string();
    if topic != crate::checklist::VENDOR_SHEET && !sheet.lines.iter().any(|l| l.item.topic == topic)
    {
        return Ok(super::not_found_page(lang));
    }
    let kept = crate::evidence::add(
        page.state.store(),
        page.state.evidence_dir(),
        &page.ctx.scope,
        &page.actor(),
        crate::evidence::Upload {
            topic: &topic,
            vendor: field(&form, "vendor"),
            title: field(&form, "title"),
            file_name: &file_name,
            valid_from: field(&form, "valid_from"),
            valid_until: field(&form, "valid_until"),
            bytes: &bytes,
        },
        page.state.now(),
    )
    .await?;
    let kept = kept.map_err(|problems| {
        problems
            .iter()
            .map(|p| crate::messages::evidence_problem(lang, p, &file_name))
            .collect()
    });
    to_item(&page, sheet, (&topic, "saved"), kept).await
}

/// After a change to an item's evidence: back to the item with `done`'s message, or the page
/// again with the problems at its top.
async fn to_item<T>(
    page: &FacilityPage,
    sheet: crate::checklist::Sheet,
    (topic, done): (&str, &str),
    result: Result<T, Vec<String>>,
) -> Page {
    match result {
        Ok(_) => {
            let anchor = if topic == crate::checklist::VENDOR_SHEET {
                "#vendor-sheets".to_string()
            } else if sheet.lines.iter().any(|l| l.item.topic == topic) {
                format!("#item-{}", topic.replace('_', "-"))
            } else {
                String::new()
            };
            Ok(back(page, &sheet.version.key, done, &anchor))
        }
        Err(problems) => {
            let refused = Refused {
                topic: String::new(),
                typed: Default::default(),
                problems,
            };
            show(page, sheet, Some(refused)).await
        }
    }
}

/// A kept document, for its own facility only, when its bytes still match their digest.
pub async fn document(
    page: FacilityPage,
    axum::extract::Path((_, number)): axum::extract::Path<(String, String)>,
) -> Page {
    let Ok(number) = number.parse::<i64>() else {
        return Ok(super::not_found_page(page.lang));
    };
    let Some((doc, bytes)) = crate::evidence::read(
        page.state.store(),
        page.state.evidence_dir(),
        &page.ctx.scope,
        number,
    )
    .await?
    else {
        return Ok(super::not_found_page(page.lang));
    };
    let encoded: String = form_urlencoded::byte_serialize(doc.doc.file_name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, doc.doc.media_type.clone()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"evidence-{number}\"; filename*=UTF-8''{encoded}"),
            ),
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A record linked as evidence of an item, or refused beside the page's top.
pub async fn link(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let Some(sheet) = sheet_of(&page, Some(field(&form, "version")), None).await? else {
        return Ok(super::not_found_page(lang));
    };
    let topic = field(&form, "topic").to_string();
    let done = crate::checklist::link(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        (&sheet, &topic),
        (field(&form, "record"), field(&form, "note")),
        page.state.now(),
    )
    .await?;
    let done = done.map_err(|problems| {
        problems
            .iter()
            .map(|e| crate::messages::domain_error(lang, e))
            .collect()
    });
    to_item(&page, sheet, (&topic, "linked"), done).await
}

/// A linked record taken off an item's evidence.
pub async fn unlink(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let (number, sheet) = numbered(&page, &form, "evidence-unlink-which").await?;
    let topic = field(&form, "topic").to_string();
    let done = match past_year(lang, &sheet) {
        Some(problem) => Err(vec![problem]),
        None => {
            // Removed already (in another tab): the page as it is now says the same.
            page.state
                .store()
                .remove_evidence_link(&page.ctx.scope, &page.actor(), number, page.state.now())
                .await?;
            Ok(())
        }
    };
    to_item(&page, sheet, (&topic, "unlinked"), done).await
}

/// The record a form names by its number, with the sheet it is on: a 400 saying `which` when
/// the number is missing, a 404 when the sheet is not the facility's.
async fn numbered(
    page: &FacilityPage,
    form: &HashMap<String, String>,
    which: &str,
) -> Result<(i64, crate::checklist::Sheet), WebError> {
    let lang = page.lang;
    let Ok(number) = field(form, "number").trim().parse::<i64>() else {
        return Err(super::text_page(lang, StatusCode::BAD_REQUEST, lang.t(which)).into());
    };
    let Some(sheet) = sheet_of(page, Some(field(form, "version")), None).await? else {
        return Err(super::not_found_page(lang).into());
    };
    Ok((number, sheet))
}

/// A sheet of a fiscal year that has ended is that year's record: its evidence does not
/// change any more.
fn past_year(lang: text::Lang, sheet: &crate::checklist::Sheet) -> Option<String> {
    (sheet.version.fiscal_year < domain::checklist::fiscal_year(sheet.today)).then(|| {
        crate::messages::domain_error(
            lang,
            &domain::Error::invalid(
                domain::Field::ChecklistAnswer,
                &sheet.version.key,
                domain::Rule::FiscalYearEnded {
                    year: sheet.version.fiscal_year,
                },
            ),
        )
    })
}

/// A vendor's returned 事業者確認用 answers, recorded item by item, or refused with the
/// problems at the page's top.
pub async fn vendor_answers(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let Some(sheet) = sheet_of(&page, Some(field(&form, "version")), None).await? else {
        return Ok(super::not_found_page(lang));
    };
    let typed: Vec<(String, String, String)> = sheet
        .vendor_sheet
        .iter()
        .flat_map(|v| v.items.iter())
        .map(|i| {
            (
                i.topic.clone(),
                field(&form, &format!("answer-{}", i.topic)).to_string(),
                field(&form, &format!("comment-{}", i.topic)).to_string(),
            )
        })
        .collect();
    let vendor = field(&form, "vendor").to_string();
    let done = crate::checklist::record_vendor_answers(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        (&sheet, &vendor),
        (&typed, field(&form, "sheet_on")),
        page.state.now(),
    )
    .await?
    .map_err(|problems| {
        problems
            .iter()
            .map(|e| format!("{vendor}: {}", crate::messages::domain_error(lang, e)))
            .collect()
    });
    match done {
        Ok(_) => Ok(back(
            &page,
            &sheet.version.key,
            "recorded",
            "#vendor-sheets",
        )),
        Err(problems) => {
            let refused = Refused {
                topic: String::new(),
                typed: Default::default(),
                problems,
            };
            show(&page, sheet, Some(refused)).await
        }
    }
}

/// A document kept by mistake, withdrawn with its reason (it stays in the audit log).
pub async fn withdraw(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Page {
    let lang = page.lang;
    let (number, sheet) = numbered(&page, &form, "evidence-withdraw-which").await?;
    let topic = field(&form, "topic").to_string();
    let reason = domain::text::required(domain::Field::WithdrawReason, field(&form, "reason"), 200)
        .map_err(|e| vec![crate::messages::domain_error(lang, &e)]);
    let reason = match past_year(lang, &sheet) {
        Some(problem) => Err(vec![problem]),
        None => reason,
    };
    let done = match reason {
        Ok(reason) => {
            page.state
                .store()
                .withdraw_evidence(
                    &page.ctx.scope,
                    &page.actor(),
                    number,
                    &reason,
                    page.state.now(),
                )
                .await?;
            Ok(())
        }
        Err(problems) => Err(problems),
    };
    to_item(&page, sheet, (&topic, "withdrawn"), done).await
}
