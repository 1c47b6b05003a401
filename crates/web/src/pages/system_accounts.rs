//! アカウントと権限: the accounts of the facility's own systems (PCs, the domain, the VPN)
//! checked against the staff roster, with what to do about each problem and how to bring the
//! lists. Not Mamori's users (those are on 利用者の管理).

use askama::Template;
use axum::extract::{Form, Multipart};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::Date;
use domain::accounts::SystemRef;
use serde::Deserialize;

use super::ledger_import::UPLOAD_DEADLINE;
use super::{FacilityPage, Frame, render};
use crate::{Lang, Page};

pub struct Problem {
    pub what: String,
    pub todo: String,
    pub urgent: bool,
}

pub struct AccountLine {
    pub name: String,
    pub holder: String,
    pub person: String,
    pub admin: String,
    pub enabled: String,
    pub last_logon: String,
    pub two_factor: String,
    pub flagged: bool,
    /// For the form that records what a person knows of the account.
    pub system: String,
    pub holder_code: &'static str,
    pub two_factor_code: &'static str,
    pub default_password: bool,
    pub reused_password: bool,
}

pub struct SystemBlock {
    /// `device-3` / `way_in-2`: where the page comes back to after a record is saved.
    pub anchor: String,
    pub href: String,
    pub name: String,
    pub share: String,
    pub too_many_admins: bool,
    pub accounts: Vec<AccountLine>,
    /// The password settings in words, when imported.
    pub policy: Option<String>,
}

/// One person of the roster, for the roster's own table.
pub struct StaffLine {
    pub id: i64,
    pub staff_no: String,
    pub name: String,
    pub job: String,
    pub department: String,
    pub left: String,
    /// The leave date as the date field wants it (ISO), empty when none.
    pub left_iso: String,
    pub logins: String,
}

pub struct PersonLine {
    pub name: String,
    pub job: String,
    pub summary: String,
    pub left: String,
}

/// What an upload read, waiting for the person's confirmation.
pub struct Preview {
    pub summary: String,
    pub notes: Vec<String>,
    /// The first accounts or people read: cells in the table's order.
    pub rows: Vec<Vec<String>>,
    pub more: usize,
    pub token: String,
}

#[derive(Template)]
#[template(path = "system_accounts/accounts.html")]
struct AccountsPage {
    frame: Frame,
    empty: bool,
    summary: String,
    urgent: usize,
    problems: Vec<Problem>,
    systems: Vec<SystemBlock>,
    people: Vec<PersonLine>,
    roster_size: usize,
    facility_short: String,
    base: String,
    csrf: String,
    can_edit: bool,
    /// (value, name) of every device and way in, for the upload's choice.
    choices: Vec<(String, String)>,
    chosen: String,
    /// Why the upload was refused, naming the file, row and column.
    refused: Vec<String>,
    preview: Option<Preview>,
    /// Which upload the preview or the refusal is about: `roster` or `accounts`.
    upload: &'static str,
    /// The roster's names, for recording whose an account is.
    roster_names: Vec<String>,
    /// (code, words) of each kind of holder.
    holders: Vec<(&'static str, String)>,
    staff: Vec<StaffLine>,
}

/// How many rows a preview shows.
const PREVIEW_ROWS: usize = 50;
/// How long an upload waits for its confirmation.
const PENDING_MS: i64 = 60 * 60 * 1000;
/// At most this many files in one account upload (users, administrators, details …).
const MAX_FILES: usize = 8;

async fn build(page: &FacilityPage) -> Result<AccountsPage, crate::WebError> {
    let frame = page.frame().await?;
    let lang = page.lang;
    let state = &page.state;
    let ctx = &page.ctx;
    let today = Date::in_japan(state.now());
    let view =
        service::accounts::overview(state.store(), &ctx.scope, today, state.unused_days()).await?;
    let base = format!("/f/{}/", ctx.facility.id.0);
    let yes_no = |b: Option<bool>| match b {
        Some(true) => lang.t("yes"),
        Some(false) => lang.t("no"),
        None => lang.t("accounts-unknown"),
    };
    let problems: Vec<Problem> = view
        .review
        .findings
        .iter()
        .map(|f| {
            let (what, todo) = service::messages::account_problem(lang, f);
            Problem {
                what,
                todo,
                urgent: f.problem.urgent(),
            }
        })
        .collect();
    let urgent = problems.iter().filter(|p| p.urgent).count();
    let systems = view
        .systems
        .iter()
        .map(|s| SystemBlock {
            anchor: format!("{}-{}", s.kind, s.id),
            href: match s.kind {
                "way_in" => format!("{base}connections/{}", s.id),
                _ => format!("{base}assets/{}", s.id),
            },
            name: s.name.clone(),
            share: lang.tr(
                "accounts-admin-share",
                crate::args![
                    admins = s.admins,
                    users = s.users,
                    percent = s.admin_percent
                ],
            ),
            too_many_admins: s.too_many_admins,
            policy: s.policy.map(|p| {
                lang.tr(
                    "accounts-policy",
                    crate::args![
                        min = i64::from(p.min_length),
                        age = p
                            .max_age_days
                            .map_or_else(|| lang.t("accounts-policy-never"), |d| d.to_string()),
                        lock = p
                            .lockout_threshold
                            .map_or_else(|| lang.t("accounts-policy-never"), |d| d.to_string())
                    ],
                )
            }),
            accounts: s
                .accounts
                .iter()
                .map(|a| AccountLine {
                    name: a.name.clone(),
                    holder: lang.t(&format!("account-holder-{}", a.holder)),
                    person: a.person.clone().unwrap_or_default(),
                    admin: if a.domain_admin {
                        lang.t("accounts-domain-admin")
                    } else {
                        yes_no(Some(a.admin))
                    },
                    enabled: yes_no(a.enabled),
                    last_logon: a
                        .last_logon
                        .map_or_else(|| lang.t("accounts-unknown"), |d| text::day(lang, d)),
                    two_factor: yes_no(a.two_factor),
                    flagged: !a.problems.is_empty(),
                    system: format!("{}:{}", s.kind, s.id),
                    holder_code: a.declared_holder.unwrap_or_default(),
                    two_factor_code: match a.two_factor {
                        Some(true) => "yes",
                        Some(false) => "no",
                        None => "",
                    },
                    default_password: a.default_password,
                    reused_password: a.reused_password,
                })
                .collect(),
        })
        .collect();
    let people = view
        .review
        .people
        .iter()
        .map(|p| PersonLine {
            name: p.name.clone(),
            job: p.job.clone(),
            summary: lang.tr(
                "accounts-person-summary",
                crate::args![accounts = p.accounts, systems = p.systems, admin = p.admin],
            ),
            left: p.left.map(|d| text::day(lang, d)).unwrap_or_default(),
        })
        .collect();
    let summary = lang.tr(
        "accounts-summary",
        crate::args![
            accounts = view.review.accounts,
            systems = view.systems.len(),
            roster = view.roster.len(),
            urgent = urgent,
            other = problems.len() - urgent
        ],
    );
    let choices = service::accounts::all_systems(state.store(), &ctx.scope)
        .await?
        .into_iter()
        .map(|s| {
            let (kind, id) = s.system.code();
            (format!("{kind}:{id}"), s.name)
        })
        .collect();
    Ok(AccountsPage {
        frame,
        empty: view.is_empty(),
        summary,
        urgent,
        problems,
        systems,
        people,
        roster_size: view.roster.len(),
        facility_short: ctx.facility.short_name.as_str().to_string(),
        base,
        csrf: page.csrf(),
        can_edit: ctx.membership.role.can(domain::Permission::EditLedger),
        choices,
        chosen: String::new(),
        refused: Vec::new(),
        preview: None,
        upload: "",
        roster_names: view.roster.iter().map(|m| m.name.clone()).collect(),
        staff: state
            .store()
            .roster_rows(&ctx.scope)
            .await?
            .into_iter()
            .map(|(id, m)| StaffLine {
                id,
                staff_no: m.staff_no.unwrap_or_default(),
                left: m.left.map(|d| text::day(lang, d)).unwrap_or_default(),
                left_iso: m.left.map(|d| d.to_string()).unwrap_or_default(),
                logins: m.logins.join(" "),
                department: m.department.unwrap_or_default(),
                job: m.job,
                name: m.name,
            })
            .collect(),
        holders: domain::accounts::Holder::ALL
            .iter()
            .map(|h| (h.code(), lang.t(&format!("account-holder-{}", h.code()))))
            .collect(),
    })
}

pub async fn page(page: FacilityPage) -> Page {
    Ok(render(StatusCode::OK, build(&page).await?))
}

/// Uploaded files: (name, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// The parts of an upload form: its files, and its text fields by name.
struct Upload {
    files: Files,
    fields: Vec<(String, String)>,
}

impl Upload {
    fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Reads a multipart form: up to `MAX_FILES` files, short text fields; the locale id of why
/// it could not be read otherwise.
async fn read_upload(mut multipart: Multipart) -> Result<Upload, &'static str> {
    let mut up = Upload {
        files: Vec::new(),
        fields: Vec::new(),
    };
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                if name == "file" {
                    let file_name: String = field
                        .file_name()
                        .unwrap_or("upload")
                        .chars()
                        .take(200)
                        .collect();
                    let bytes = field.bytes().await.map_err(|_| "error-file-too-large")?;
                    if bytes.is_empty() {
                        continue;
                    }
                    if up.files.len() >= MAX_FILES {
                        return Err("accounts-too-many-files");
                    }
                    up.files.push((file_name, bytes.to_vec()));
                } else {
                    let text = super::capped_text(field, 1024)
                        .await
                        .ok_or("import-no-file")?;
                    up.fields.push((name, text));
                }
            }
            Ok(None) => return Ok(up),
            Err(_) => return Err("import-no-file"),
        }
    }
}

/// Several files in the one pending slot: a header line of names and lengths, then the bytes.
fn pack(system: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let header = serde_json::json!({
        "system": system,
        "files": files.iter().map(|(n, b)| (n.clone(), b.len())).collect::<Vec<_>>(),
    });
    let mut out = header.to_string().into_bytes();
    out.push(b'\n');
    for (_, b) in files {
        out.extend_from_slice(b);
    }
    out
}

fn unpack(content: &[u8]) -> Option<(String, Files)> {
    let end = content.iter().position(|b| *b == b'\n')?;
    let header: serde_json::Value = serde_json::from_slice(&content[..end]).ok()?;
    let system = header["system"].as_str()?.to_string();
    let mut at = end + 1;
    let mut files = Vec::new();
    for f in header["files"].as_array()? {
        let name = f[0].as_str()?.to_string();
        let len = usize::try_from(f[1].as_u64()?).ok()?;
        let bytes = content.get(at..at.checked_add(len)?)?.to_vec();
        at += len;
        files.push((name, bytes));
    }
    (at == content.len()).then_some((system, files))
}

fn system_ref(value: &str) -> Option<SystemRef> {
    let (kind, id) = value.split_once(':')?;
    let id: i64 = id.parse().ok()?;
    match kind {
        "device" => Some(SystemRef::Device(id)),
        "way_in" => Some(SystemRef::WayIn(id)),
        _ => None,
    }
}

/// 職員名簿 or a system's accounts, uploaded: read and shown, kept until confirmed.
pub async fn upload(page: FacilityPage, multipart: Multipart) -> Page {
    let lang = page.lang;
    let mut view = build(&page).await?;
    let up = match tokio::time::timeout(UPLOAD_DEADLINE, read_upload(multipart)).await {
        Ok(Ok(up)) => up,
        Ok(Err(id)) => {
            let limit = if id == "accounts-too-many-files" {
                MAX_FILES
            } else {
                ingest::table::MAX_BYTES / (1024 * 1024)
            };
            view.refused.push(lang.tr(id, crate::args![limit = limit]));
            return Ok(render(StatusCode::BAD_REQUEST, view));
        }
        Err(_) => {
            view.refused.push(lang.t("import-too-slow"));
            return Ok(render(StatusCode::REQUEST_TIMEOUT, view));
        }
    };
    let kind = if up.field("what") == "roster" {
        "roster"
    } else {
        "accounts"
    };
    view.upload = kind;
    view.chosen = up.field("system").to_string();
    if up.files.is_empty() {
        view.refused.push(lang.t("import-no-file"));
        return Ok(render(StatusCode::BAD_REQUEST, view));
    }
    let now = page.state.now();
    let store = page.state.store();
    let url = "";
    let preview = if kind == "roster" {
        let (name, bytes) = &up.files[0];
        match service::accounts::import_roster(
            store,
            &page.ctx.scope,
            &page.actor(),
            now,
            (bytes, name),
            true,
        )
        .await
        {
            Ok(r) => roster_preview(lang, bytes, name, &r),
            Err(e) => {
                view.refused
                    .push(service::messages::accounts_problem(lang, &e, url));
                return Ok(render(StatusCode::BAD_REQUEST, view));
            }
        }
    } else {
        let Some(system) = system_ref(up.field("system")) else {
            view.refused.push(lang.t("accounts-choose-system"));
            return Ok(render(StatusCode::BAD_REQUEST, view));
        };
        let systems = service::accounts::all_systems(store, &page.ctx.scope).await?;
        let Some(system) = systems.into_iter().find(|s| s.system == system) else {
            view.refused.push(lang.t("accounts-choose-system"));
            return Ok(render(StatusCode::BAD_REQUEST, view));
        };
        let given: Vec<(&[u8], &str)> = up
            .files
            .iter()
            .map(|(n, b)| (b.as_slice(), n.as_str()))
            .collect();
        match service::accounts::import_accounts(
            store,
            &page.ctx.scope,
            &page.actor(),
            now,
            &system,
            &given,
            None,
            true,
        )
        .await
        {
            Ok(done) => accounts_preview(lang, &done),
            Err(e) => {
                view.refused
                    .push(service::messages::accounts_problem(lang, &e, url));
                return Ok(render(StatusCode::BAD_REQUEST, view));
            }
        }
    };
    let Some(session) = &page.session else {
        return Ok(super::not_found_page(lang));
    };
    let token = service::auth::token(page.state.entropy().as_ref());
    let pending = store::PendingImport {
        file_name: kind.to_string(),
        content: pack(up.field("system"), &up.files),
    };
    let expired = domain::Timestamp::from_unix_millis(now.unix_millis() - PENDING_MS);
    store
        .save_pending_import(
            &page.ctx.scope,
            session.user.id,
            &service::auth::digest(&token),
            &pending,
            now,
            expired,
        )
        .await?;
    view.preview = Some(Preview { token, ..preview });
    Ok(render(StatusCode::OK, view))
}

fn roster_preview(
    lang: Lang,
    bytes: &[u8],
    name: &str,
    r: &service::accounts::RosterImported,
) -> Preview {
    let people = ingest::accounts::roster(bytes, name)
        .map(|r| r.people)
        .unwrap_or_default();
    let rows = people
        .iter()
        .take(PREVIEW_ROWS)
        .map(|(_, m)| {
            vec![
                m.name.clone(),
                m.job.clone(),
                m.department.clone().unwrap_or_default(),
                m.left.map(|d| text::day(lang, d)).unwrap_or_default(),
                m.logins.join(" "),
            ]
        })
        .collect();
    Preview {
        summary: lang.tr(
            "roster-dry-run",
            crate::args![count = r.people, left = r.left],
        ),
        notes: vec![lang.t("roster-replaces")],
        rows,
        more: people.len().saturating_sub(PREVIEW_ROWS),
        token: String::new(),
    }
}

fn accounts_preview(lang: Lang, done: &service::accounts::AccountsImported) -> Preview {
    let read = &done.read;
    let admins = read
        .accounts
        .iter()
        .filter(|l| l.account.admin || l.account.domain_admin)
        .count();
    let formats: Vec<&str> = read.formats.iter().map(|f| f.code()).collect();
    let mut notes = vec![lang.t("accounts-replaces")];
    if let Some(c) = &done.other_computer {
        notes.push(lang.tr(
            "accounts-other-computer",
            crate::args![computer = c.as_str(), system = done.system.name.as_str()],
        ));
    }
    if !done.dropped.is_empty() {
        notes.push(lang.tr(
            "accounts-dropped",
            crate::args![count = done.dropped.len(), names = done.dropped.join(", ")],
        ));
    }
    if !read.admins_listed && admins == 0 {
        notes.push(lang.t("accounts-no-admin-list"));
    }
    if read.member_of_unreadable {
        notes.push(lang.t("accounts-member-of-unreadable"));
    }
    if !done.unknown.is_empty() {
        notes.push(lang.tr(
            "accounts-unknown-holders",
            crate::args![names = done.unknown.join(", ")],
        ));
    }
    let yes_no = |b: Option<bool>| match b {
        Some(true) => lang.t("yes"),
        Some(false) => lang.t("no"),
        None => lang.t("accounts-unknown"),
    };
    let rows = read
        .accounts
        .iter()
        .take(PREVIEW_ROWS)
        .map(|l| {
            let a = &l.account;
            vec![
                a.name.clone(),
                a.full_name.clone().unwrap_or_default(),
                yes_no(Some(a.admin || a.domain_admin)),
                yes_no(a.enabled),
                a.last_logon
                    .map_or_else(|| lang.t("accounts-unknown"), |d| text::day(lang, d)),
            ]
        })
        .collect();
    Preview {
        summary: lang.tr(
            "accounts-dry-run",
            crate::args![
                system = done.system.name.as_str(),
                count = read.accounts.len(),
                admins = admins,
                formats = formats.join(", ")
            ],
        ),
        notes,
        rows,
        more: read.accounts.len().saturating_sub(PREVIEW_ROWS),
        token: String::new(),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
}

/// The confirmed upload, imported in one transaction; back to the page with a notice.
pub async fn confirm(page: FacilityPage, Form(f): Form<ConfirmForm>) -> Page {
    let lang = page.lang;
    let Some(session) = page.session.clone() else {
        return Ok(super::not_found_page(lang));
    };
    let now = page.state.now();
    let store = page.state.store();
    let hash = service::auth::digest(&f.token);
    let not_before = domain::Timestamp::from_unix_millis(now.unix_millis() - PENDING_MS);
    let pending = store
        .pending_import(&page.ctx.scope, session.user.id, &hash, not_before)
        .await?;
    let Some((pending, (system, files))) = pending.and_then(|p| unpack(&p.content).map(|u| (p, u)))
    else {
        return Ok(super::message_page(
            lang,
            StatusCode::GONE,
            "import-expired",
        ));
    };
    let back = format!("/f/{}/accounts", page.ctx.facility.id.0);
    let refuse = |e: service::accounts::ImportError| {
        super::refused_page(
            lang,
            service::messages::accounts_problem(lang, &e, ""),
            back.clone(),
        )
    };
    let done = match (pending.file_name.as_str(), files.first()) {
        ("roster", Some((name, bytes))) => {
            if let Err(e) = service::accounts::import_roster(
                store,
                &page.ctx.scope,
                &page.actor(),
                now,
                (bytes, name),
                false,
            )
            .await
            {
                return Ok(refuse(e));
            }
            "roster-imported"
        }
        ("accounts", Some(_)) => {
            let systems = service::accounts::all_systems(store, &page.ctx.scope).await?;
            let Some(system) =
                system_ref(&system).and_then(|r| systems.into_iter().find(|s| s.system == r))
            else {
                return Ok(super::message_page(
                    lang,
                    StatusCode::GONE,
                    "import-expired",
                ));
            };
            let given: Vec<(&[u8], &str)> = files
                .iter()
                .map(|(n, b)| (b.as_slice(), n.as_str()))
                .collect();
            if let Err(e) = service::accounts::import_accounts(
                store,
                &page.ctx.scope,
                &page.actor(),
                now,
                &system,
                &given,
                None,
                false,
            )
            .await
            {
                return Ok(refuse(e));
            }
            "accounts-imported"
        }
        _ => {
            return Ok(super::message_page(
                lang,
                StatusCode::GONE,
                "import-expired",
            ));
        }
    };
    store.delete_pending_import(&hash).await?;
    Ok(Redirect::to(&format!(
        "/f/{}/accounts?done={done}",
        page.ctx.facility.id.0
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct DeclareForm {
    #[serde(default)]
    system: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    holder: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    two_factor: String,
    #[serde(default)]
    default_password: Option<String>,
    #[serde(default)]
    reused_password: Option<String>,
}

/// Records what a person knows of one account: whose it is, a second factor, a default or
/// reused password (Mamori never asks for the password itself).
pub async fn declare(page: FacilityPage, Form(f): Form<DeclareForm>) -> Page {
    let lang = page.lang;
    let base = format!("/f/{}/accounts", page.ctx.facility.id.0);
    let refuse = |id: &str| super::refused_page(lang, lang.t(id), base.clone());
    let Some(system) = system_ref(&f.system) else {
        return Ok(refuse("accounts-choose-system"));
    };
    let holder = match f.holder.as_str() {
        "" => None,
        code => match domain::accounts::Holder::from_code(code) {
            Some(h) => Some(h),
            None => return Ok(refuse("accounts-declare-bad")),
        },
    };
    let person = f.person.trim();
    let roster = page.state.store().roster(&page.ctx.scope).await?;
    if !person.is_empty() && !roster.iter().any(|m| m.name == person) {
        return Ok(refuse("accounts-declare-not-on-roster"));
    }
    let d = domain::accounts::Declaration {
        holder,
        person: (!person.is_empty()).then(|| person.to_string()),
        two_factor: match f.two_factor.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        default_password: f.default_password.is_some(),
        reused_password: f.reused_password.is_some(),
    };
    match page
        .state
        .store()
        .declare_account(
            &page.ctx.scope,
            &page.actor(),
            page.state.now(),
            system,
            &f.account,
            &d,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "{base}?done=saved#sys-{}",
            f.system.replace(':', "-")
        ))
        .into_response()),
        Err(store::Error::NotFound { .. }) => Ok(refuse("accounts-declare-no-account")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct StaffForm {
    #[serde(default)]
    staff_no: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    job: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    logins: String,
}

/// One person added to the roster by hand.
pub async fn add_staff(page: FacilityPage, Form(f): Form<StaffForm>) -> Page {
    let lang = page.lang;
    let back = format!("/f/{}/accounts", page.ctx.facility.id.0);
    let mut m = match domain::accounts::StaffMember::new(
        Some(&f.staff_no),
        &f.name,
        &f.job,
        Some(&f.department),
    ) {
        Ok(m) => m,
        Err(e) => {
            return Ok(super::refused_page(
                lang,
                service::messages::domain_error(lang, &e),
                back,
            ));
        }
    };
    m.logins = f
        .logins
        .split([',', '、', ' ', '　'])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    match page
        .state
        .store()
        .add_staff(&page.ctx.scope, &page.actor(), page.state.now(), &m)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{back}?done=added#roster")).into_response()),
        Err(store::Error::Conflict { .. }) => Ok(super::refused_page(
            lang,
            lang.tr("staff-duplicate", crate::args![name = m.name.as_str()]),
            back,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LeftForm {
    #[serde(default)]
    staff: String,
    #[serde(default)]
    left: String,
}

/// A person's leave date set (or cleared): their accounts are checked against it at once.
pub async fn set_left(page: FacilityPage, Form(f): Form<LeftForm>) -> Page {
    let lang = page.lang;
    let back = format!("/f/{}/accounts", page.ctx.facility.id.0);
    let left = match Date::parse_field(domain::Field::StaffLeft, &f.left) {
        Ok(d) => d,
        Err(e) => {
            return Ok(super::refused_page(
                lang,
                service::messages::domain_error(lang, &e),
                back,
            ));
        }
    };
    let gone = || super::refused_page(lang, lang.t("roster-no-such-person"), back.clone());
    let Ok(staff) = f.staff.parse::<i64>() else {
        return Ok(gone());
    };
    match page
        .state
        .store()
        .set_staff_left(
            &page.ctx.scope,
            &page.actor(),
            page.state.now(),
            staff,
            left,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{back}?done=saved#roster")).into_response()),
        Err(store::Error::NotFound { .. }) => Ok(gone()),
        Err(e) => Err(e.into()),
    }
}

/// The account template: the headers the reader knows, and one example row; UTF-8 with a
/// BOM so that Excel opens it in Japanese.
const ACCOUNT_TEMPLATE: &str = "\u{FEFF}アカウント名,職員,種別,管理者権限,役割,有効,最終ログオン,\
パスワード設定日,二要素認証,初期パスワード,他と同じパスワード,備考\r\n\
dr-yamada,山田 太郎,職員,いいえ,医師,はい,2026/11/30,2026/4/1,いいえ,いいえ,いいえ,\r\n\
hoshu,,業者,はい,保守,はい,,,いいえ,はい,いいえ,業者の保守用\r\n";

/// The roster template: the headers the reader knows, and one example row.
const ROSTER_TEMPLATE: &str = "\u{FEFF}職員番号,氏名,職種,部署,入職日,退職日,アカウント\r\n\
001,山田 太郎,医師,内科,2010/4/1,,yamada dr-yamada\r\n";

fn csv_download(name: &str, body: &'static str) -> axum::response::Response {
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"template.csv\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn account_template(_page: FacilityPage) -> Page {
    Ok(csv_download("アカウント一覧.csv", ACCOUNT_TEMPLATE))
}

pub async fn roster_template(_page: FacilityPage) -> Page {
    Ok(csv_download("職員名簿.csv", ROSTER_TEMPLATE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_read_back() {
        let r = ingest::accounts::read(&[(ACCOUNT_TEMPLATE.as_bytes(), "t.csv")], None).unwrap();
        assert_eq!(r.accounts.len(), 2);
        assert!(r.accounts[1].account.default_password);
        let roster = ingest::accounts::roster(ROSTER_TEMPLATE.as_bytes(), "r.csv").unwrap();
        assert_eq!(roster.people[0].1.logins, ["yamada", "dr-yamada"]);
    }

    #[test]
    fn several_files_travel_in_one_pending_slot() {
        let files = vec![
            ("users.txt".to_string(), b"a\nb".to_vec()),
            ("admins.txt".to_string(), Vec::new()),
            ("名簿.csv".to_string(), "氏名".as_bytes().to_vec()),
        ];
        let packed = pack("device:3", &files);
        assert_eq!(unpack(&packed), Some(("device:3".to_string(), files)));
        assert_eq!(unpack(&packed[..packed.len() - 1]), None, "cut short");
        assert_eq!(unpack(b"ledger bytes"), None);
    }
}
