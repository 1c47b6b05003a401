//! 院外から入れる入口: the facility's connection points with their gaps in red, one point's
//! detail, the form to record one, and the vendors who answer for them.

use askama::Template;
use axum::extract::{Form, OriginalUri, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::connection::{Authentication, Availability, ConnectionKind, SourceRestriction};
use domain::{AssetId, ConnectionPointId, Date, NewConnectionPoint, NewVendor, Permission};
use serde::Deserialize;

use super::{FacilityPage, Frame, render};
use crate::session::{FacilityCtx, Session};
use crate::{AppState, Lang};
use crate::{Page, WebError};

pub struct Row {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub device: String,
    /// The device's page, when the ledger has the device.
    pub device_href: Option<String>,
    pub vendor: String,
    pub availability: String,
    pub authentication: String,
    pub source: String,
    /// Each weakness and the one thing to do about it.
    pub gaps: Vec<(String, String)>,
}

pub struct VendorRow {
    pub contract: String,
    pub name: String,
    pub phone: String,
    pub contact: String,
    pub devices: usize,
}

#[derive(Template)]
#[template(path = "ways_in/connections.html")]
struct ListPage {
    frame: Frame,
    rows: Vec<Row>,
    /// Devices maintained remotely with no way in registered: (link, name, vendor).
    unregistered: Vec<(String, String, String)>,
    vendors: Vec<VendorRow>,
    with_gaps: usize,
    summary: String,
    can_edit: bool,
    base: String,
    csrf: String,
}

impl Row {
    /// The row of a way in: linked under `base` (the list) or not (its own page); the device
    /// with its OS and version (its own page) or by name.
    fn of(
        lang: Lang,
        w: &service::connections::WayIn<'_>,
        base: Option<&str>,
        version: bool,
    ) -> Row {
        let d = &w.point.details;
        let dash = || lang.t("beds-none");
        let device = |a: &domain::Asset| {
            let v = [
                a.details.os_name.as_deref(),
                a.details.os_version.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            if !version || v.is_empty() {
                a.details.name.clone()
            } else {
                format!("{}({v})", a.details.name)
            }
        };
        Row {
            href: base.map_or_else(String::new, |b| format!("{b}connections/{}", w.point.id.0)),
            name: d.name.clone(),
            kind: label(lang, "conn-kind", d.kind.code()),
            device: w.device.map_or_else(dash, device),
            device_href: w
                .device
                .map(|a| format!("/f/{}/assets/{}", a.facility.0, a.id.0)),
            vendor: d.vendor.clone().unwrap_or_else(dash),
            availability: label(lang, "availability", d.availability.code()),
            authentication: label(lang, "auth", d.authentication.code()),
            source: label(lang, "source", d.source_restriction.code()),
            gaps: w
                .gaps
                .iter()
                .map(|g| {
                    (
                        label(lang, "gap", g.code()),
                        label(lang, "gap-todo", g.code()),
                    )
                })
                .collect(),
        }
    }
}

fn label(lang: Lang, prefix: &str, code: &str) -> String {
    lang.t(&format!("{prefix}-{code}"))
}

pub async fn list(page: FacilityPage) -> Page {
    let frame = page.frame().await?;
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        ..
    } = page;
    let loaded = async {
        let points = state.store().connection_points(&ctx.scope).await?;
        let assets = state.store().assets(&ctx.scope).await?;
        let vendors = state.store().vendors(&ctx.scope).await?;
        Ok::<_, store::Error>((points, assets, vendors))
    }
    .await;
    let (points, assets, vendors) = loaded?;
    let today = Date::in_japan(state.now());
    let base = format!("/f/{}/", ctx.facility.id.0);
    let dash = lang.t("beds-none");
    let rows: Vec<Row> = service::connections::ways_in(&points, &assets, today)
        .iter()
        .map(|w| Row::of(lang, w, Some(&base), false))
        .collect();
    let vendors = vendors
        .into_iter()
        .map(|v| VendorRow {
            contract: v.details.contract.clone().unwrap_or_else(|| dash.clone()),
            devices: assets
                .iter()
                .filter(|a| a.details.vendor.as_deref() == Some(v.details.name.as_str()))
                .count(),
            phone: v.details.phone_24h.unwrap_or_else(|| dash.clone()),
            contact: v.details.contact.unwrap_or_else(|| dash.clone()),
            name: v.details.name,
        })
        .collect();
    let unregistered = domain::connection::unregistered_remote(&assets, &points)
        .into_iter()
        .map(|a| {
            (
                format!("{base}assets/{}", a.id.0),
                a.details.name.clone(),
                a.details.vendor.clone().unwrap_or_else(|| dash.clone()),
            )
        })
        .collect();
    let with_gaps = rows.iter().filter(|r| !r.gaps.is_empty()).count();
    let page = ListPage {
        frame,
        unregistered,
        with_gaps,
        summary: lang.tr(
            "conn-gap-summary",
            crate::args![count = rows.len(), gaps = with_gaps],
        ),
        rows,
        vendors,
        can_edit: ctx.membership.role.can(Permission::EditLedger),
        base,
        csrf: session.map(|s| s.row.csrf_token).unwrap_or_default(),
    };
    Ok(render(StatusCode::OK, page))
}

#[derive(Template)]
#[template(path = "ways_in/connection.html")]
struct DetailPage {
    frame: Frame,
    can_edit: bool,
    edit_href: String,
    row: Row,
    sources: String,
    segments: String,
    credentials_changed_on: String,
    last_used_on: String,
    contract_notes: String,
    notes: String,
    base: String,
    /// Leaks of passwords through the device at this way in, still to act on: (CVE, link).
    leaks: Vec<(String, String)>,
}

pub async fn detail(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri,
    } = page;
    let Ok(id) = id.parse::<i64>().map(ConnectionPointId) else {
        return Ok(super::not_found_page(lang));
    };
    let p = match state.store().connection_point(&ctx.scope, id).await {
        Ok(p) => p,
        Err(store::Error::NotFound { .. }) => return Ok(super::not_found_page(lang)),
        Err(e) => return Err(e.into()),
    };
    let assets = state.store().assets(&ctx.scope).await?;
    let leaks = match p.details.asset {
        None => Vec::new(),
        Some(device) => state
            .store()
            .findings_of(&ctx.scope, Some(device))
            .await?
            .into_iter()
            .filter(|f| f.kind == domain::finding::Kind::Credentials && f.closed_at.is_none())
            .map(|f| {
                let href = format!("/f/{}/vulnerabilities/{}", ctx.facility.id.0, f.id.0);
                (f.cve, href)
            })
            .collect(),
    };
    let frame = super::facility::frame(&state, lang, &session, &ctx, &uri).await?;
    let d = &p.details;
    let dash = lang.t("beds-none");
    let base = format!("/f/{}/", ctx.facility.id.0);
    let today = Date::in_japan(state.now());
    let ways = service::connections::ways_in(std::slice::from_ref(&p), &assets, today);
    let Some(way) = ways.first() else {
        return Ok(super::not_found_page(lang));
    };
    let row = Row::of(lang, way, None, true);
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| dash.clone());
    let page = DetailPage {
        can_edit: ctx.membership.role.can(Permission::EditLedger),
        edit_href: format!("/f/{}/connections/{}/edit", ctx.facility.id.0, p.id.0),
        frame,
        row,
        sources: or_dash(&d.sources),
        segments: if d.reachable_segments.is_empty() {
            dash.clone()
        } else {
            d.reachable_segments.join("・")
        },
        credentials_changed_on: d
            .credentials_changed_on
            .map_or_else(|| dash.clone(), |x| text::day(lang, x)),
        last_used_on: d
            .last_used_on
            .map_or_else(|| dash.clone(), |x| text::day(lang, x)),
        contract_notes: or_dash(&d.contract_notes),
        notes: or_dash(&d.notes),
        base,
        leaks,
    };
    Ok(render(StatusCode::OK, page))
}

pub struct Choice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "ways_in/connection_form.html")]
struct FormPage {
    frame: Frame,
    action: String,
    title: String,
    form: ConnectionForm,
    kinds: Vec<Choice>,
    devices: Vec<Choice>,
    availability: Vec<Choice>,
    authentication: Vec<Choice>,
    source: Vec<Choice>,
    vendors: Vec<String>,
    errors: Vec<String>,
    base: String,
    csrf: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ConnectionForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub asset: String,
    #[serde(default)]
    pub vendor: String,
    #[serde(default)]
    pub availability: String,
    #[serde(default)]
    pub authentication: String,
    #[serde(default)]
    pub source_restriction: String,
    #[serde(default)]
    pub sources: String,
    #[serde(default)]
    pub segments: String,
    #[serde(default)]
    pub credentials_changed_on: String,
    #[serde(default)]
    pub last_used_on: String,
    #[serde(default)]
    pub contract_notes: String,
    #[serde(default)]
    pub notes: String,
}

fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    prefix: &str,
    chosen: &str,
    lang: Lang,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            code: code(*v).to_string(),
            label: label(lang, prefix, code(*v)),
            selected: code(*v) == chosen,
        })
        .collect()
}

/// Where the form posts, and its title: a new connection point or a correction.
#[derive(Clone)]
struct Target {
    action: String,
    title: &'static str,
}

fn new_target(ctx: &FacilityCtx) -> Target {
    Target {
        action: format!("/f/{}/connections", ctx.facility.id.0),
        title: "conn-add",
    }
}

fn edit_target(ctx: &FacilityCtx, id: ConnectionPointId) -> Target {
    Target {
        action: format!("/f/{}/connections/{}", ctx.facility.id.0, id.0),
        title: "conn-edit",
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    lang: Lang,
    session: &Option<Session>,
    ctx: &FacilityCtx,
    form: ConnectionForm,
    errors: Vec<String>,
    status: StatusCode,
    target: Target,
) -> Response {
    let uri = OriginalUri(
        format!("/f/{}/connections/new", ctx.facility.id.0)
            .parse()
            .unwrap_or_default(),
    );
    let frame = match super::facility::frame(state, lang, session, ctx, &uri).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let loaded = async {
        Ok::<_, store::Error>((
            state.store().assets(&ctx.scope).await?,
            state.store().vendors(&ctx.scope).await?,
        ))
    }
    .await;
    let (assets, vendors) = match loaded {
        Ok(l) => l,
        Err(e) => return WebError::internal(e).into_response(),
    };
    let mut devices = vec![Choice {
        code: String::new(),
        label: lang.t("beds-none"),
        selected: form.asset.is_empty(),
    }];
    devices.extend(assets.iter().map(|a| Choice {
        code: a.id.0.to_string(),
        label: a.details.name.clone(),
        selected: form.asset == a.id.0.to_string(),
    }));
    let chosen = |v: &str, default: &'static str| {
        if v.is_empty() {
            default.to_string()
        } else {
            v.to_string()
        }
    };
    let page = FormPage {
        action: target.action,
        title: lang.t(target.title),
        kinds: choices(
            ConnectionKind::ALL,
            ConnectionKind::code,
            "conn-kind",
            &chosen(&form.kind, "vendor-remote"),
            lang,
        ),
        availability: choices(
            Availability::ALL,
            Availability::code,
            "availability",
            &chosen(&form.availability, "unknown"),
            lang,
        ),
        authentication: choices(
            Authentication::ALL,
            Authentication::code,
            "auth",
            &chosen(&form.authentication, "unknown"),
            lang,
        ),
        source: choices(
            SourceRestriction::ALL,
            SourceRestriction::code,
            "source",
            &chosen(&form.source_restriction, "unknown"),
            lang,
        ),
        devices,
        vendors: vendors.into_iter().map(|v| v.details.name).collect(),
        frame,
        form,
        errors,
        base: format!("/f/{}/", ctx.facility.id.0),
        csrf: session
            .as_ref()
            .map(|s| s.row.csrf_token.clone())
            .unwrap_or_default(),
    };
    render(status, page)
}

pub async fn new_form(page: FacilityPage) -> Response {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri: _,
    } = page;
    form_page(
        &state,
        lang,
        &session,
        &ctx,
        ConnectionForm::default(),
        Vec::new(),
        StatusCode::OK,
        new_target(&ctx),
    )
    .await
}

/// The form's values as a connection point, or every problem, worded for `lang`.
fn parse_form(lang: Lang, f: &ConnectionForm) -> Result<NewConnectionPoint, Vec<String>> {
    let mut errors = Vec::new();
    let mut note = |e: domain::Error| errors.push(crate::messages::domain_error(lang, &e));
    let kind = ConnectionKind::parse(&f.kind).map_err(&mut note).ok();
    let availability = Availability::parse(&f.availability).map_err(&mut note).ok();
    let authentication = Authentication::parse(&f.authentication)
        .map_err(&mut note)
        .ok();
    let source = SourceRestriction::parse(&f.source_restriction)
        .map_err(&mut note)
        .ok();
    let date = |v: &str, note: &mut dyn FnMut(domain::Error)| -> Option<Date> {
        if v.trim().is_empty() {
            return None;
        }
        Date::parse(v)
            .map_err(|p| note(domain::Error::invalid(domain::Field::Date, v, p.rule())))
            .ok()
    };
    let credentials_changed_on = date(&f.credentials_changed_on, &mut note);
    let last_used_on = date(&f.last_used_on, &mut note);
    let asset = if f.asset.trim().is_empty() {
        None
    } else {
        f.asset.trim().parse::<i64>().ok().map(AssetId)
    };
    let mut cp = match NewConnectionPoint::new(&f.name, kind.unwrap_or(ConnectionKind::Other)) {
        Ok(cp) => Some(cp),
        Err(e) => {
            note(e);
            None
        }
    };
    let text = |v: &str, max: usize, note: &mut dyn FnMut(domain::Error)| -> Option<String> {
        let t = v.trim();
        if t.chars().count() > max {
            note(domain::Error::invalid(
                domain::Field::ConnectionName,
                "…",
                domain::Rule::TooLong { max },
            ));
            return None;
        }
        (!t.is_empty()).then(|| t.to_string())
    };
    let vendor = text(&f.vendor, 200, &mut note);
    let sources = text(&f.sources, 500, &mut note);
    let contract_notes = text(&f.contract_notes, 2000, &mut note);
    let notes = text(&f.notes, 2000, &mut note);
    let segments = text(&f.segments, 500, &mut note);
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(mut cp_) = cp.take() else {
        return Err(errors);
    };
    cp_.asset = asset;
    cp_.vendor = vendor;
    cp_.availability = availability.unwrap_or(Availability::Unknown);
    cp_.authentication = authentication.unwrap_or(Authentication::Unknown);
    cp_.source_restriction = source.unwrap_or(SourceRestriction::Unknown);
    cp_.sources = sources;
    cp_.reachable_segments = segments
        .map(|s| domain::connection::segments_from(&s))
        .unwrap_or_default();
    cp_.credentials_changed_on = credentials_changed_on;
    cp_.last_used_on = last_used_on;
    cp_.contract_notes = contract_notes;
    cp_.notes = notes;
    Ok(cp_)
}

pub async fn create(page: FacilityPage, Form(f): Form<ConnectionForm>) -> Response {
    save(page, None, f).await
}

/// Adds (`id` none) or corrects a connection point from its form: a refused form or a
/// device that is not the facility's comes back with what was typed and why.
async fn save(page: FacilityPage, id: Option<ConnectionPointId>, f: ConnectionForm) -> Response {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        ..
    } = page;
    let target = match id {
        None => new_target(&ctx),
        Some(id) => edit_target(&ctx, id),
    };
    let refused = |f: ConnectionForm, errors: Vec<String>| {
        let (state, session, ctx, target) = (&state, &session, &ctx, target.clone());
        async move {
            form_page(
                state,
                lang,
                session,
                ctx,
                f,
                errors,
                StatusCode::BAD_REQUEST,
                target,
            )
            .await
        }
    };
    let cp = match parse_form(lang, &f) {
        Ok(cp) => cp,
        Err(errors) => return refused(f, errors).await,
    };
    let (store, who, now) = (
        state.store(),
        crate::session::actor_of(&session),
        state.now(),
    );
    let saved = match id {
        None => store
            .add_connection_point(&ctx.scope, &who, cp, now)
            .await
            .map(|p| p.id),
        Some(id) => store
            .update_connection_point(&ctx.scope, &who, id, cp, now)
            .await
            .map(|()| id),
    };
    match saved {
        Ok(saved) => {
            state.ledger_changed(&ctx.scope, &who);
            Redirect::to(&format!(
                "/f/{}/connections/{}?done=saved",
                ctx.facility.id.0, saved.0
            ))
            .into_response()
        }
        Err(store::Error::NotFound { what: "asset", .. }) => {
            refused(f, vec![lang.t("conn-no-such-device")]).await
        }
        Err(store::Error::NotFound { .. }) => super::not_found_page(lang),
        Err(e) => WebError::internal(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct VendorForm {
    #[serde(default)]
    contract: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone_24h: String,
    #[serde(default)]
    contact: String,
}

pub async fn add_vendor(page: FacilityPage, Form(f): Form<VendorForm>) -> Response {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        uri: _,
    } = page;
    let back = format!("/f/{}/connections", ctx.facility.id.0);
    let mut v = match NewVendor::new(&f.name) {
        Ok(v) => v,
        Err(e) => {
            return super::refused_page(lang, crate::messages::domain_error(lang, &e), back);
        }
    };
    let details = (|| {
        let text = |s: &str, max| domain::text::optional(domain::Field::VendorDetail, Some(s), max);
        Ok::<_, domain::Error>((
            text(&f.phone_24h, 200)?,
            text(&f.contact, 200)?,
            text(&f.contract, 2000)?,
        ))
    })();
    match details {
        Ok((phone, contact, contract)) => {
            (v.phone_24h, v.contact, v.contract) = (phone, contact, contract)
        }
        Err(e) => {
            return super::refused_page(lang, crate::messages::domain_error(lang, &e), back);
        }
    }
    match state
        .store()
        .add_vendor(
            &ctx.scope,
            &crate::session::actor_of(&session),
            v,
            state.now(),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("{back}?done=saved#vendors")).into_response(),
        Err(store::Error::Conflict { .. }) => super::refused_page(
            lang,
            lang.tr("vendor-exists", crate::args![name = f.name.trim()]),
            back,
        ),
        Err(e) => WebError::internal(e).into_response(),
    }
}

fn form_of(d: &NewConnectionPoint) -> ConnectionForm {
    let date = |x: Option<Date>| x.map(|v| v.to_string()).unwrap_or_default();
    ConnectionForm {
        name: d.name.clone(),
        kind: d.kind.code().into(),
        asset: d.asset.map(|a| a.0.to_string()).unwrap_or_default(),
        vendor: d.vendor.clone().unwrap_or_default(),
        availability: d.availability.code().into(),
        authentication: d.authentication.code().into(),
        source_restriction: d.source_restriction.code().into(),
        sources: d.sources.clone().unwrap_or_default(),
        segments: d.reachable_segments.join("、"),
        credentials_changed_on: date(d.credentials_changed_on),
        last_used_on: date(d.last_used_on),
        contract_notes: d.contract_notes.clone().unwrap_or_default(),
        notes: d.notes.clone().unwrap_or_default(),
    }
}

fn point_id(text: &str) -> Option<ConnectionPointId> {
    text.parse::<i64>().ok().map(ConnectionPointId)
}

pub async fn edit_form(page: FacilityPage, Path((_, id)): Path<(String, String)>) -> Page {
    let FacilityPage {
        state,
        lang,
        session,
        ctx,
        ..
    } = page;
    let Some(id) = point_id(&id) else {
        return Ok(super::not_found_page(lang));
    };
    let point = match state.store().connection_point(&ctx.scope, id).await {
        Ok(p) => p,
        Err(store::Error::NotFound { .. }) => return Ok(super::not_found_page(lang)),
        Err(e) => return Err(e.into()),
    };
    let target = edit_target(&ctx, id);
    Ok(form_page(
        &state,
        lang,
        &session,
        &ctx,
        form_of(&point.details),
        Vec::new(),
        StatusCode::OK,
        target,
    )
    .await)
}

pub async fn update(
    page: FacilityPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<ConnectionForm>,
) -> Response {
    let Some(id) = point_id(&id) else {
        return super::not_found_page(page.lang);
    };
    save(page, Some(id), f).await
}
