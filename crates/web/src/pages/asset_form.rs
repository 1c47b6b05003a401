//! Adding and correcting a device by hand. The form is checked exactly like a row of a
//! ledger file (one place for the rules), and every problem is shown at once.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::ledger::{COLUMNS, Column, kind_word, remote_word};
use domain::{AssetId, NewAsset};
use ingest::table::{Cell, Sheet};

use super::{FacilityPage, Frame, render};
use crate::{Lang, messages};
use crate::{Page, WebError};

pub struct Input {
    pub code: &'static str,
    pub label: String,
    pub value: String,
    pub long: bool,
    /// A list to choose from (value, label, selected): the kind and remote maintenance.
    pub choices: Vec<(String, String, bool)>,
    /// The ledger cannot do without it (name, kind).
    pub required: bool,
    /// An example of what to write (`column-CODE-example`), when the locale has one.
    pub example: Option<String>,
    /// What is wrong with what was typed, said beside the field.
    pub error: Option<String>,
}

/// A refusal of the form: the field it is about (its code), when it is about one.
type FieldError = (Option<&'static str>, String);

/// The kinds and the remote-maintenance answers as lists: a word not in the list cannot be
/// typed, and the ledger's own words are the values (so the form reads like a ledger row).
fn choices(lang: Lang, column: Column, value: &str) -> Vec<(String, String, bool)> {
    match column {
        Column::Kind => {
            let current = domain::ledger::kind_for(value);
            let mut list = vec![(String::new(), lang.t("form-choose"), current.is_none())];
            list.extend(domain::AssetKind::ALL.into_iter().map(|k| {
                (
                    kind_word(k).to_string(),
                    lang.t(&format!("asset-kind-{}", k.code())),
                    current == Some(k),
                )
            }));
            list
        }
        Column::Remote => {
            let current =
                domain::ledger::remote_for(value).unwrap_or(domain::RemoteMaintenance::Unknown);
            [
                domain::RemoteMaintenance::Unknown,
                domain::RemoteMaintenance::Yes,
                domain::RemoteMaintenance::No,
            ]
            .into_iter()
            .map(|r| {
                (
                    remote_word(r).to_string(),
                    lang.t(&format!("remote-{}", r.code())),
                    r == current,
                )
            })
            .collect()
        }
        _ => Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "ledger/asset_form.html")]
struct FormPage {
    frame: Frame,
    title: String,
    action: String,
    inputs: Vec<Input>,
    /// Every problem at the top, each linked to its field.
    errors: Vec<(Option<String>, String)>,
    csrf: String,
    back: String,
}

fn values_of(a: &NewAsset) -> HashMap<&'static str, String> {
    COLUMNS
        .iter()
        .map(|(c, _)| (c.code(), domain::ledger::cell(a, *c).into_text()))
        .collect()
}

fn inputs(lang: Lang, values: &HashMap<&'static str, String>, errors: &[FieldError]) -> Vec<Input> {
    COLUMNS
        .iter()
        .map(|(c, _)| {
            let value = values.get(c.code()).cloned().unwrap_or_default();
            let error = errors
                .iter()
                .filter(|(f, _)| *f == Some(c.code()))
                .map(|(_, e)| e.as_str())
                .collect::<Vec<_>>();
            Input {
                code: c.code(),
                label: lang.t(&format!("column-{}", c.code())),
                choices: choices(lang, *c, &value),
                value,
                long: *c == Column::Notes,
                required: matches!(c, Column::Name | Column::Kind),
                example: lang.try_t(&format!("column-{}-example", c.code())),
                error: (!error.is_empty()).then(|| error.join(" ")),
            }
        })
        .collect()
}

/// The field a problem of the one-row sheet is about.
fn field_of(p: &ingest::ledger::Problem) -> Option<&'static str> {
    if matches!(p.trouble, ingest::ledger::Trouble::NoKind) {
        return Some(Column::Kind.code());
    }
    let header = p.column.as_deref()?;
    COLUMNS
        .iter()
        .find(|(c, _)| c.header() == header)
        .map(|(c, _)| c.code())
}

/// Checks the form as a one-row ledger sheet whose headers are the export's.
fn check(lang: Lang, form: &HashMap<String, String>) -> Result<NewAsset, Vec<FieldError>> {
    let header: Vec<Cell> = COLUMNS
        .iter()
        .map(|(c, _)| Cell::Text(c.header().to_string()))
        .collect();
    let row: Vec<Cell> = COLUMNS
        .iter()
        .map(|(c, _)| {
            let v = form
                .get(c.code())
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            if v.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(v)
            }
        })
        .collect();
    let sheet = Sheet {
        name: "form".into(),
        rows: vec![header, row],
    };
    match ingest::ledger::parse(&[sheet]) {
        Ok(mut l) if l.rows.len() == 1 => Ok(l.rows.remove(0).asset),
        Ok(_) => Err(vec![(
            Some(Column::Name.code()),
            lang.tr(
                "form-problem",
                crate::args![
                    column = lang.t("column-name"),
                    detail = lang.t("rule-required")
                ],
            ),
        )]),
        Err(problems) => Err(problems
            .iter()
            .map(|p| (field_of(p), messages::form_problem(lang, p)))
            .collect()),
    }
}

async fn show(
    page: &FacilityPage,
    title: &str,
    action: String,
    values: HashMap<&'static str, String>,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let frame = match page.frame().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let view = FormPage {
        frame,
        title: page.lang.t(title),
        action,
        inputs: inputs(page.lang, &values, &errors),
        errors: errors
            .into_iter()
            .map(|(field, text)| (field.map(|f| format!("#{f}")), text))
            .collect(),
        csrf: page.csrf(),
        back: format!("/f/{}/ledger", page.ctx.facility.id.0),
    };
    render(status, view)
}

fn from_form(form: &HashMap<String, String>) -> HashMap<&'static str, String> {
    COLUMNS
        .iter()
        .map(|(c, _)| {
            (
                c.code(),
                form.get(c.code())
                    .map(|v| v.chars().take(2000).collect())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

pub async fn new_form(page: FacilityPage) -> Response {
    let action = format!("/f/{}/assets", page.ctx.facility.id.0);
    show(
        &page,
        "asset-add",
        action,
        HashMap::new(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(page: FacilityPage, Form(form): Form<HashMap<String, String>>) -> Response {
    let action = format!("/f/{}/assets", page.ctx.facility.id.0);
    let asset = match check(page.lang, &form) {
        Ok(a) => a,
        Err(errors) => {
            return show(
                &page,
                "asset-add",
                action,
                from_form(&form),
                errors,
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    match page
        .state
        .store()
        .add_asset(&page.ctx.scope, &page.actor(), asset, page.state.now())
        .await
    {
        Ok(a) => {
            page.state.ledger_changed(&page.ctx.scope, &page.actor());
            Redirect::to(&format!(
                "/f/{}/assets/{}?done=added",
                page.ctx.facility.id.0, a.id.0
            ))
            .into_response()
        }
        Err(e) => WebError::internal(e).into_response(),
    }
}

async fn existing(page: &FacilityPage, id: &str) -> Result<domain::Asset, Response> {
    let Ok(id) = id.parse::<i64>().map(AssetId) else {
        return Err(super::not_found_page(page.lang));
    };
    match page.state.store().assets(&page.ctx.scope).await {
        Ok(list) => list
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| super::not_found_page(page.lang)),
        Err(e) => Err(WebError::internal(e).into_response()),
    }
}

pub async fn edit_form(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let asset = existing(&page, &id).await?;
    let action = format!("/f/{}/assets/{}", page.ctx.facility.id.0, asset.id.0);
    Ok(show(
        &page,
        "asset-edit",
        action,
        values_of(&asset.details),
        Vec::new(),
        StatusCode::OK,
    )
    .await)
}

pub async fn update(
    page: FacilityPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let asset = match existing(&page, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let action = format!("/f/{}/assets/{}", page.ctx.facility.id.0, asset.id.0);
    let new = match check(page.lang, &form) {
        Ok(a) => a,
        Err(errors) => {
            return show(
                &page,
                "asset-edit",
                action,
                from_form(&form),
                errors,
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    match page
        .state
        .store()
        .update_asset(
            &page.ctx.scope,
            &page.actor(),
            asset.id,
            new,
            page.state.now(),
        )
        .await
    {
        Ok(_) => {
            page.state.ledger_changed(&page.ctx.scope, &page.actor());
            Redirect::to(&format!("{action}?done=saved")).into_response()
        }
        Err(e) => WebError::internal(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "ledger/retire.html")]
struct RetirePage {
    frame: Frame,
    name: String,
    action: String,
    back: String,
    csrf: String,
}

/// 撤去, first step: what will happen, and a button that does it (nothing is removed on one
/// click).
pub async fn retire_form(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let asset = existing(&page, &id).await?;
    let base = format!("/f/{}/assets/{}", page.ctx.facility.id.0, asset.id.0);
    let view = RetirePage {
        frame: page.frame().await?,
        name: asset.details.name.clone(),
        action: format!("{base}/retire"),
        back: base,
        csrf: page.csrf(),
    };
    Ok(render(StatusCode::OK, view))
}

/// 撤去: the device leaves the ledger; its history stays, and the ledger page offers to
/// bring it back.
pub async fn retire(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let asset = existing(&page, &id).await?;
    page.state
        .store()
        .retire_asset(&page.ctx.scope, &page.actor(), asset.id, page.state.now())
        .await?;
    page.state.ledger_changed(&page.ctx.scope, &page.actor());
    Ok(Redirect::to(&format!(
        "/f/{}/ledger?retired={}",
        page.ctx.facility.id.0, asset.id.0
    ))
    .into_response())
}

/// 「今日確認した」 on the monthly review: the device's version was seen today.
pub async fn checked_today(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let asset = existing(&page, &id).await?;
    mark_checked(&page, std::slice::from_ref(&asset)).await?;
    Ok(back_to_review(&page))
}

/// 「すべて今日確認した」: every device the review lists as not checked lately.
pub async fn all_checked_today(page: FacilityPage) -> Page {
    let assets = super::facility::visible_assets(&page.state, &page.ctx).await?;
    let today = domain::Date::in_japan(page.state.now());
    let stale: Vec<domain::Asset> = assets
        .into_iter()
        .filter(|a| {
            a.details
                .version_checked_on
                .is_none_or(|d| today.days() - d.days() > crate::review::CHECK_DAYS)
        })
        .collect();
    mark_checked(&page, &stale).await?;
    Ok(back_to_review(&page))
}

/// Writes today as the day each device's version was checked (one audited change each).
async fn mark_checked(page: &FacilityPage, assets: &[domain::Asset]) -> Result<(), store::Error> {
    let now = page.state.now();
    let today = domain::Date::in_japan(now);
    for a in assets {
        let mut details = a.details.clone();
        details.version_checked_on = Some(today);
        page.state
            .store()
            .update_asset(&page.ctx.scope, &page.actor(), a.id, details, now)
            .await?;
    }
    if !assets.is_empty() {
        page.state.ledger_changed(&page.ctx.scope, &page.actor());
    }
    Ok(())
}

fn back_to_review(page: &FacilityPage) -> Response {
    Redirect::to(&format!("/f/{}/review?done=saved", page.ctx.facility.id.0)).into_response()
}

/// Undoes 撤去: the device is back in the ledger (audited as a change of its own).
pub async fn restore(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let Ok(id) = id.parse::<i64>().map(AssetId) else {
        return Ok(super::not_found_page(page.lang));
    };
    let store = page.state.store();
    if !store
        .restore_asset(&page.ctx.scope, &page.actor(), id, page.state.now())
        .await?
    {
        // Already back (a second click): its page; no such device: not found.
        return Ok(match store.asset(&page.ctx.scope, id).await? {
            Some(_) => Redirect::to(&format!("/f/{}/assets/{}", page.ctx.facility.id.0, id.0))
                .into_response(),
            None => super::not_found_page(page.lang),
        });
    }
    page.state.ledger_changed(&page.ctx.scope, &page.actor());
    Ok(Redirect::to(&format!(
        "/f/{}/assets/{}?done=restored",
        page.ctx.facility.id.0, id.0
    ))
    .into_response())
}

/// After a change of a device's product: the facility is evaluated again and the person is
/// back on the device page.
fn back_to_device(page: &FacilityPage, asset: AssetId, done: &str) -> Response {
    page.state.ledger_changed(&page.ctx.scope, &page.actor());
    Redirect::to(&format!(
        "/f/{}/assets/{}?done={done}",
        page.ctx.facility.id.0, asset.0
    ))
    .into_response()
}

/// Binds the product a person chose on the device page to the device's maker and model.
pub async fn bind_product(
    page: FacilityPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let asset = match existing(&page, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    if form.contains_key("unbind") {
        let d = &asset.details;
        let result = page
            .state
            .store()
            .unbind_product(
                &page.ctx.scope,
                &page.actor(),
                page.state.now(),
                d.maker.as_deref().unwrap_or_default(),
                d.model.as_deref().unwrap_or_default(),
            )
            .await;
        return match result {
            Ok(true) => back_to_device(&page, asset.id, "product-unbound"),
            Ok(false) => back_to_device(&page, asset.id, "nothing"),
            Err(e) => WebError::internal(e).into_response(),
        };
    }
    let typed = form.get("typed").map(|s| s.trim()).unwrap_or_default();
    let chosen = if typed.is_empty() {
        form.get("product").map(String::as_str).unwrap_or_default()
    } else {
        typed
    };
    let lang = page.lang;
    let result = crate::vulns::bind_product(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        page.state.now(),
        Some(page.state.feed_cache()),
        &asset,
        chosen,
    )
    .await;
    let problem = match result {
        Ok(_) => {
            return back_to_device(&page, asset.id, "product-bound");
        }
        Err(crate::vulns::BindError::Store(e)) => {
            return WebError::internal(e).into_response();
        }
        Err(e) => crate::messages::bind_problem(lang, &e),
    };
    super::refused_page(
        lang,
        problem,
        format!(
            "/f/{}/assets/{}#bind-product",
            page.ctx.facility.id.0, asset.id.0
        ),
    )
}

/// Imports the software list of a device (its uninstall list or `winget list`), replacing the
/// one it had; the device page shows what was read, a problem page says which line is wrong.
pub async fn upload_software(
    page: FacilityPage,
    Path((_, id)): Path<(String, String)>,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let asset = match existing(&page, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let lang = page.lang;
    let read = tokio::time::timeout(
        super::ledger_import::UPLOAD_DEADLINE,
        super::ledger_import::read_file_field(&mut multipart),
    )
    .await;
    let (file_name, bytes) = match read {
        Ok(Ok(Some((name, bytes)))) if !bytes.is_empty() => (name, bytes),
        Ok(Err(id)) => {
            return super::text_page(
                lang,
                StatusCode::PAYLOAD_TOO_LARGE,
                lang.tr(
                    id,
                    crate::args![limit = ingest::table::MAX_BYTES / (1024 * 1024)],
                ),
            );
        }
        Err(_) => {
            return super::text_page(lang, StatusCode::REQUEST_TIMEOUT, lang.t("import-too-slow"));
        }
        _ => return super::text_page(lang, StatusCode::BAD_REQUEST, lang.t("import-no-file")),
    };
    match crate::software::import(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        page.state.now(),
        &asset,
        (&bytes, &file_name),
        false,
    )
    .await
    {
        Ok(_) => {
            page.state.ledger_changed(&page.ctx.scope, &page.actor());
            Redirect::to(&format!(
                "/f/{}/assets/{}#software",
                page.ctx.facility.id.0, asset.id.0
            ))
            .into_response()
        }
        Err(crate::software::ImportError::Read(p)) => super::text_page(
            lang,
            StatusCode::BAD_REQUEST,
            crate::messages::software_problem(lang, &p, &file_name),
        ),
        Err(crate::software::ImportError::Store(e)) => WebError::internal(e).into_response(),
    }
}
