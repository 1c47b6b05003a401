//! The ledger from Excel, for people without the command line: upload → preview (every
//! problem with its sheet, row and column, or what will be added and changed) → confirm.
//! Nothing is written until the person confirms, and then in one transaction. Also the
//! download of the ledger as .xlsx.

use askama::Template;
use axum::extract::{Form, Multipart};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Timestamp;
use serde::Deserialize;
use store::PendingImport;

use super::{FacilityPage, Frame, render};
use crate::{Page, WebError};
use crate::{args, auth, messages};

/// How long an uploaded file waits for its confirmation.
const PENDING_MS: i64 = 60 * 60 * 1000;

pub struct Line {
    pub name: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "ledger/ledger_import.html")]
struct ImportPage {
    frame: Frame,
    base: String,
    csrf: String,
    /// Why the file could not be read, or the rows' problems.
    problems: Vec<String>,
    notices: Vec<String>,
    added: Vec<Line>,
    changed: Vec<Line>,
    /// How many more devices than listed the file adds or changes.
    more: Option<String>,
    summary: Option<String>,
    file_name: String,
    /// Set on a preview that can be confirmed.
    token: Option<String>,
    done: bool,
    /// The import waits for its turn: the page says so and asks to try again.
    busy: bool,
}

impl ImportPage {
    fn new(frame: Frame, page: &FacilityPage) -> Self {
        ImportPage {
            frame,
            base: format!("/f/{}/", page.ctx.facility.id.0),
            csrf: page.csrf(),
            problems: Vec::new(),
            notices: Vec::new(),
            added: Vec::new(),
            changed: Vec::new(),
            more: None,
            summary: None,
            file_name: String::new(),
            token: None,
            done: false,
            busy: false,
        }
    }
}

async fn frame_of(page: &FacilityPage) -> Result<Frame, Response> {
    page.frame().await
}

pub async fn form(page: FacilityPage) -> Response {
    match frame_of(&page).await {
        Ok(frame) => render(StatusCode::OK, ImportPage::new(frame, &page)),
        Err(r) => r,
    }
}

/// Imports (or with `dry_run` only checks and plans) a file, filling the page with the
/// result. `Ok(false)`: the file has problems (they are on the page), nothing was written.
/// One import per facility and `IMPORTS_AT_ONCE` in the deployment, taken before the file
/// is read; the rest are told to come back, so that uploads never take the server from
/// other facilities.
async fn turn(page: &FacilityPage, view: &mut ImportPage) -> Option<crate::ImportTurn> {
    match page.state.import_turn(page.ctx.facility.id.0).await {
        Ok(t) => Some(t),
        Err(this_facility) => {
            let id = if this_facility {
                "import-busy-facility"
            } else {
                "import-busy"
            };
            view.problems = vec![page.lang.t(id)];
            view.busy = true;
            None
        }
    }
}

async fn run(
    page: &FacilityPage,
    view: &mut ImportPage,
    bytes: std::sync::Arc<[u8]>,
    dry_run: bool,
    turn: crate::ImportTurn,
) -> Result<bool, Response> {
    use crate::ledger_file::ImportFailure;
    let lang = page.lang;
    let result = crate::ledger_file::import(
        page.state.store(),
        &page.ctx.scope,
        &page.actor(),
        page.state.now(),
        &view.file_name,
        bytes,
        dry_run,
        turn,
    )
    .await;
    let imported = match result {
        Ok(i) => i,
        Err(ImportFailure::File(p)) => {
            view.problems = vec![messages::file_problem(lang, &p, &view.file_name)];
            return Ok(false);
        }
        Err(ImportFailure::Rows(problems)) => {
            view.problems = problems
                .iter()
                .map(|p| messages::ledger_problem(lang, p))
                .collect();
            return Ok(false);
        }
        Err(ImportFailure::Store(e)) => {
            return Err(WebError::internal(e).into_response());
        }
    };
    if !dry_run {
        page.state.ledger_changed(&page.ctx.scope, &page.actor());
    }
    let (ledger, summary) = (&imported.ledger, &imported.summary);
    for sheet in &ledger.skipped_sheets {
        view.notices
            .push(lang.tr("import-skipped-sheet", args![sheet = sheet]));
    }
    for (sheet, column) in &ledger.unknown_columns {
        view.notices.push(lang.tr(
            "import-unknown-column",
            args![sheet = sheet, column = column],
        ));
    }
    let shown = crate::ledger_file::Shown::of(lang, summary);
    view.added = shown
        .added
        .into_iter()
        .map(|name| Line {
            name,
            detail: String::new(),
        })
        .collect();
    view.changed = shown
        .changed
        .into_iter()
        .map(|(name, detail)| Line { name, detail })
        .collect();
    view.more = shown.more;
    view.notices
        .extend(crate::ledger_file::extra_lines(lang, ledger, summary));
    view.summary = Some(lang.tr(
        "import-summary",
        args![
            added = summary.added(),
            changed = summary.changed(),
            unchanged = summary.unchanged(),
            left = summary.left_alone
        ],
    ));
    Ok(true)
}

/// The page of a file that was not imported: `status`, or 503 with a time to come back when
/// the import waits for its turn.
fn refused(status: StatusCode, view: ImportPage) -> Response {
    if view.busy {
        let mut r = render(StatusCode::SERVICE_UNAVAILABLE, view);
        r.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("10"));
        return r;
    }
    render(status, view)
}

pub async fn upload(page: FacilityPage, mut multipart: Multipart) -> Page {
    let lang = page.lang;
    let frame = frame_of(&page).await?;
    let mut view = ImportPage::new(frame, &page);
    let Some(turn) = turn(&page, &mut view).await else {
        return Ok(refused(StatusCode::SERVICE_UNAVAILABLE, view));
    };
    let read = tokio::time::timeout(UPLOAD_DEADLINE, read_file_field(&mut multipart)).await;
    let file = match read {
        Ok(Ok(file)) => file,
        Ok(Err(id)) => {
            let status = if id == "import-no-file" {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::PAYLOAD_TOO_LARGE
            };
            view.problems
                .push(lang.tr(id, args![limit = ingest::table::MAX_BYTES / (1024 * 1024)]));
            return Ok(render(status, view));
        }
        Err(_) => {
            view.problems.push(lang.t("import-too-slow"));
            return Ok(render(StatusCode::REQUEST_TIMEOUT, view));
        }
    };
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        view.problems.push(lang.t("import-no-file"));
        return Ok(render(StatusCode::BAD_REQUEST, view));
    };
    view.file_name = file_name.clone();
    // One copy of the upload, shared by the reading thread and the pending import.
    let bytes: std::sync::Arc<[u8]> = std::sync::Arc::from(&bytes[..]);
    match run(&page, &mut view, bytes.clone(), true, turn).await {
        Ok(true) => {}
        Ok(false) => return Ok(refused(StatusCode::BAD_REQUEST, view)),
        Err(r) => return Ok(r),
    }
    Ok(save_pending(&page, view, file_name, bytes).await)
}

/// The uploaded file's name and bytes (`None` without a file part), or the locale id of why
/// it could not be read.
pub(super) async fn read_file_field(
    multipart: &mut Multipart,
) -> Result<Option<(String, axum::body::Bytes)>, &'static str> {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field
                    .file_name()
                    .unwrap_or("ledger")
                    .chars()
                    .take(200)
                    .collect::<String>();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b)),
                    Err(_) => return Err("error-file-too-large"),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(file),
            Err(_) => return Err("import-no-file"),
        }
    }
}

/// How long an upload may take to arrive in all (a hospital network's slowest link moves
/// 32 MiB in well under this).
pub(super) const UPLOAD_DEADLINE: std::time::Duration = std::time::Duration::from_secs(300);

/// Keeps an uploaded, checked file for its confirmation and shows the preview.
async fn save_pending(
    page: &FacilityPage,
    mut view: ImportPage,
    file_name: String,
    bytes: std::sync::Arc<[u8]>,
) -> Response {
    let lang = page.lang;
    let Some(session) = &page.session else {
        return super::not_found_page(lang);
    };
    let token = auth::token(page.state.entropy().as_ref());
    let now = page.state.now();
    let pending = PendingImport {
        file_name,
        content: bytes.to_vec(),
    };
    let expired = Timestamp::from_unix_millis(now.unix_millis() - PENDING_MS);
    if let Err(e) = page
        .state
        .store()
        .save_pending_import(
            &page.ctx.scope,
            session.user.id,
            &auth::digest(&token),
            &pending,
            now,
            expired,
        )
        .await
    {
        return WebError::internal(e).into_response();
    }
    view.token = Some(token);
    render(StatusCode::OK, view)
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
}

pub async fn confirm(page: FacilityPage, Form(f): Form<ConfirmForm>) -> Page {
    let lang = page.lang;
    let Some(session) = page.session.clone() else {
        return Ok(super::not_found_page(lang));
    };
    let now = page.state.now();
    let hash = auth::digest(&f.token);
    let not_before = Timestamp::from_unix_millis(now.unix_millis() - PENDING_MS);
    let pending = match page
        .state
        .store()
        .pending_import(&page.ctx.scope, session.user.id, &hash, not_before)
        .await
    {
        Ok(Some(p)) => p,
        Ok(None) => {
            return Ok(super::message_page(
                lang,
                StatusCode::GONE,
                "import-expired",
            ));
        }
        Err(e) => {
            return Ok(WebError::internal(e).into_response());
        }
    };
    let frame = frame_of(&page).await?;
    let mut view = ImportPage::new(frame, &page);
    view.file_name = pending.file_name.clone();
    let Some(turn) = turn(&page, &mut view).await else {
        return Ok(refused(StatusCode::SERVICE_UNAVAILABLE, view));
    };
    match run(&page, &mut view, pending.content.into(), false, turn).await {
        Ok(true) => {}
        Ok(false) => return Ok(refused(StatusCode::CONFLICT, view)),
        Err(r) => return Ok(r),
    }
    if let Err(e) = page.state.store().delete_pending_import(&hash).await {
        return Ok(WebError::internal(e).into_response());
    }
    view.done = true;
    Ok(render(StatusCode::OK, view))
}

pub async fn export(page: FacilityPage) -> Page {
    let lang = page.lang;
    let loaded = async {
        let store = page.state.store();
        let scope = &page.ctx.scope;
        Ok::<_, store::Error>((
            store.assets(scope).await?,
            store.connection_points(scope).await?,
            store.vendors(scope).await?,
        ))
    }
    .await;
    let (assets, points, vendors) = loaded?;
    let bytes = report::ledger::xlsx(
        &report::ledger::Contents {
            assets: &assets,
            points: &points,
            vendors: &vendors,
        },
        &|id| lang.t(id),
    )
    .map_err(|e| crate::WebError::failed(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    let (y, m, d, ..) = page.state.now().jst_parts();
    let name = format!(
        "台帳_{}_{y:04}{m:02}{d:02}.xlsx",
        page.ctx.facility.short_name
    );
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{encoded}");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
