//! Every route with the access it requires, in one table. The router is built from this
//! table and the isolation test walks it, so a new route is tested the moment it exists.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{Next, from_fn_with_state};
use axum::routing::{MethodRouter, get, post};
use domain::Permission;

use crate::pages::{
    self, account, areas, asset, asset_form, audit, backups, checklist, connections, facility,
    home, ledger_import, login, members, review, segments, system_accounts, vulns,
};
use crate::{AppState, security, session};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A session whose password was accepted and whose code is still due.
    Pending,
    /// A session that must set up (or may change) its second factor.
    Enrol,
    /// A fully signed-in user.
    SignedIn,
    /// A signed-in user whose role in the `{facility}` of the path carries the permission.
    Facility(Permission),
}

/// A route as the isolation test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

type Handler = MethodRouter<AppState>;

fn table() -> Vec<(Method, &'static str, Access, Handler)> {
    use Access::*;
    use Permission::*;
    vec![
        (Method::GET, "/", SignedIn, get(home::page)),
        (
            Method::POST,
            "/invitations/{invitation}/accept",
            SignedIn,
            post(home::accept),
        ),
        (Method::GET, "/healthz", Public, get(pages::healthz)),
        (Method::GET, "/terms", Public, get(pages::terms)),
        (
            Method::GET,
            "/setup/{token}",
            Public,
            get(account::setup_form),
        ),
        (
            Method::POST,
            "/setup/{token}",
            Public,
            post(account::setup_submit),
        ),
        (
            Method::GET,
            pages::STYLESHEET_PATH,
            Public,
            get(pages::stylesheet),
        ),
        (Method::GET, "/lang/{code}", Public, get(pages::switch_lang)),
        (Method::GET, "/login", Public, get(login::form)),
        (Method::POST, "/login", Public, post(login::submit)),
        (Method::GET, "/login/code", Pending, get(login::code_form)),
        (
            Method::POST,
            "/login/code",
            Pending,
            post(login::code_submit),
        ),
        (Method::POST, "/logout", Public, post(login::logout)),
        (Method::GET, "/account", SignedIn, get(account::account)),
        (
            Method::GET,
            "/account/password",
            SignedIn,
            get(account::to_account),
        ),
        (
            Method::GET,
            "/account/recovery-codes",
            SignedIn,
            get(account::to_account),
        ),
        (
            Method::GET,
            "/account/second-factor/again",
            SignedIn,
            get(account::to_account),
        ),
        (
            Method::GET,
            "/account/second-factor/new-phone",
            SignedIn,
            get(account::to_account),
        ),
        (
            Method::POST,
            "/account/password",
            SignedIn,
            post(account::change_password),
        ),
        (
            Method::POST,
            "/account/recovery-codes",
            SignedIn,
            post(account::renew_recovery_codes),
        ),
        (
            Method::GET,
            "/account/second-factor",
            Enrol,
            get(account::enrol_form),
        ),
        (
            Method::POST,
            "/account/second-factor/again",
            SignedIn,
            post(account::reenrol),
        ),
        (
            Method::POST,
            "/account/second-factor/new-phone",
            SignedIn,
            post(account::new_phone),
        ),
        (
            Method::POST,
            "/account/second-factor/cancel",
            SignedIn,
            post(account::cancel_new_phone),
        ),
        (
            Method::POST,
            "/account/second-factor",
            Enrol,
            post(account::enrol_submit),
        ),
        (
            Method::GET,
            "/f/{facility}/",
            Facility(ViewMaintained),
            get(facility::dashboard),
        ),
        (
            Method::GET,
            "/f/{facility}/ledger",
            Facility(ViewMaintained),
            get(facility::ledger),
        ),
        (
            Method::GET,
            "/f/{facility}/ledger/export",
            Facility(View),
            get(ledger_import::export),
        ),
        (
            Method::POST,
            "/f/{facility}/findings/{finding}",
            Facility(EditLedger),
            post(facility::decide),
        ),
        (
            Method::GET,
            "/f/{facility}/assets/{asset}",
            Facility(ViewMaintained),
            get(asset::page),
        ),
        (
            Method::GET,
            "/f/{facility}/assets/new",
            Facility(EditLedger),
            get(asset_form::new_form),
        ),
        (
            Method::POST,
            "/f/{facility}/assets",
            Facility(EditLedger),
            post(asset_form::create),
        ),
        (
            Method::GET,
            "/f/{facility}/assets/{asset}/edit",
            Facility(EditLedger),
            get(asset_form::edit_form),
        ),
        (
            Method::POST,
            "/f/{facility}/assets/{asset}",
            Facility(EditLedger),
            post(asset_form::update),
        ),
        (
            Method::GET,
            "/f/{facility}/review",
            Facility(View),
            get(review::page),
        ),
        (
            Method::GET,
            "/f/{facility}/checklist",
            Facility(View),
            get(checklist::page),
        ),
        (
            Method::GET,
            "/f/{facility}/checklist/print",
            Facility(View),
            get(checklist::print),
        ),
        (
            Method::GET,
            "/f/{facility}/checklist/export",
            Facility(View),
            get(checklist::export),
        ),
        (
            Method::POST,
            "/f/{facility}/checklist/answer",
            Facility(EditLedger),
            post(checklist::answer),
        ),
        (
            Method::POST,
            "/f/{facility}/checklist/evidence",
            Facility(EditLedger),
            post(checklist::upload).layer(axum::extract::DefaultBodyLimit::max(
                service::evidence::MAX_BYTES + 64 * 1024,
            )),
        ),
        (
            Method::GET,
            "/f/{facility}/evidence/{number}",
            Facility(View),
            get(checklist::document),
        ),
        (
            Method::POST,
            "/f/{facility}/checklist/officer",
            Facility(AcceptRisk),
            post(checklist::officer),
        ),
        (
            Method::POST,
            "/f/{facility}/checklist/lock",
            Facility(AcceptRisk),
            post(checklist::lock),
        ),
        (
            Method::POST,
            "/f/{facility}/checklist/round",
            Facility(AcceptRisk),
            post(checklist::next_round),
        ),
        (
            Method::GET,
            "/f/{facility}/reviews",
            Facility(View),
            get(review::list),
        ),
        (
            Method::POST,
            "/f/{facility}/reviews",
            Facility(EditLedger),
            post(review::keep),
        ),
        (
            Method::GET,
            "/f/{facility}/reviews/{number}",
            Facility(View),
            get(review::one),
        ),
        (
            Method::GET,
            "/f/{facility}/ledger/import",
            Facility(EditLedger),
            get(ledger_import::form),
        ),
        (
            Method::POST,
            "/f/{facility}/ledger/import",
            Facility(EditLedger),
            post(ledger_import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(pages::UPLOAD_LIMIT)),
        ),
        (
            Method::POST,
            "/f/{facility}/ledger/import/confirm",
            Facility(EditLedger),
            post(ledger_import::confirm),
        ),
        (
            Method::GET,
            "/f/{facility}/connections",
            Facility(View),
            get(connections::list),
        ),
        (
            Method::POST,
            "/f/{facility}/connections",
            Facility(EditLedger),
            post(connections::create),
        ),
        (
            Method::GET,
            "/f/{facility}/connections/new",
            Facility(EditLedger),
            get(connections::new_form),
        ),
        (
            Method::GET,
            "/f/{facility}/connections/{point}",
            Facility(View),
            get(connections::detail),
        ),
        (
            Method::GET,
            "/f/{facility}/connections/{point}/edit",
            Facility(EditLedger),
            get(connections::edit_form),
        ),
        (
            Method::POST,
            "/f/{facility}/connections/{point}",
            Facility(EditLedger),
            post(connections::update),
        ),
        (
            Method::POST,
            "/f/{facility}/vendors",
            Facility(EditLedger),
            post(connections::add_vendor),
        ),
        (
            Method::GET,
            "/f/{facility}/vulnerabilities",
            Facility(View),
            get(vulns::page),
        ),
        (
            Method::GET,
            "/f/{facility}/vulnerabilities/{vuln}",
            Facility(View),
            get(vulns::detail),
        ),
        (
            Method::POST,
            "/f/{facility}/vulnerabilities/{vuln}/accept",
            Facility(AcceptRisk),
            post(vulns::accept),
        ),
        (
            Method::POST,
            "/f/{facility}/vulnerabilities/{vuln}/withdraw",
            Facility(AcceptRisk),
            post(vulns::withdraw),
        ),
        (
            Method::POST,
            "/f/{facility}/vulnerabilities/{vuln}/credentials",
            Facility(EditLedger),
            post(vulns::credentials),
        ),
        (
            Method::GET,
            "/f/{facility}/accounts",
            Facility(ViewAccounts),
            get(system_accounts::page),
        ),
        (
            Method::POST,
            "/f/{facility}/accounts/upload",
            Facility(EditLedger),
            post(system_accounts::upload)
                .layer(axum::extract::DefaultBodyLimit::max(pages::UPLOAD_LIMIT)),
        ),
        (
            Method::POST,
            "/f/{facility}/accounts/confirm",
            Facility(EditLedger),
            post(system_accounts::confirm),
        ),
        (
            Method::POST,
            "/f/{facility}/accounts/declare",
            Facility(EditLedger),
            post(system_accounts::declare),
        ),
        (
            Method::POST,
            "/f/{facility}/accounts/staff",
            Facility(EditLedger),
            post(system_accounts::add_staff),
        ),
        (
            Method::GET,
            "/f/{facility}/accounts/template.csv",
            Facility(ViewAccounts),
            get(system_accounts::account_template),
        ),
        (
            Method::GET,
            "/f/{facility}/accounts/roster-template.csv",
            Facility(ViewAccounts),
            get(system_accounts::roster_template),
        ),
        (
            Method::POST,
            "/f/{facility}/accounts/staff/left",
            Facility(EditLedger),
            post(system_accounts::set_left),
        ),
        (
            Method::GET,
            "/f/{facility}/logs",
            Facility(View),
            get(areas::logs),
        ),
        (
            Method::GET,
            "/f/{facility}/backup",
            Facility(View),
            get(areas::backup),
        ),
        (
            Method::GET,
            "/f/{facility}/audit",
            Facility(ViewAudit),
            get(audit::page),
        ),
        (
            Method::GET,
            "/f/{facility}/assets/{asset}/retire",
            Facility(EditLedger),
            get(asset_form::retire_form),
        ),
        (
            Method::POST,
            "/f/{facility}/assets/{asset}/retire",
            Facility(EditLedger),
            post(asset_form::retire),
        ),
        (
            Method::POST,
            "/f/{facility}/assets/{asset}/restore",
            Facility(EditLedger),
            post(asset_form::restore),
        ),
        (
            Method::POST,
            "/f/{facility}/assets/{asset}/checked",
            Facility(EditLedger),
            post(asset_form::checked_today),
        ),
        (
            Method::POST,
            "/f/{facility}/review/checked",
            Facility(EditLedger),
            post(asset_form::all_checked_today),
        ),
        (
            Method::POST,
            "/f/{facility}/assets/{asset}/product",
            Facility(EditLedger),
            post(asset_form::bind_product),
        ),
        (
            Method::POST,
            "/f/{facility}/assets/{asset}/software",
            Facility(EditLedger),
            post(asset_form::upload_software),
        ),
        (
            Method::GET,
            "/f/{facility}/backups",
            Facility(View),
            get(backups::page),
        ),
        (
            Method::POST,
            "/f/{facility}/backups/copies",
            Facility(EditLedger),
            post(backups::add_copy),
        ),
        (
            Method::POST,
            "/f/{facility}/backups/copies/remove",
            Facility(EditLedger),
            post(backups::remove_copy),
        ),
        (
            Method::POST,
            "/f/{facility}/backups/copies/success",
            Facility(EditLedger),
            post(backups::copy_success),
        ),
        (
            Method::POST,
            "/f/{facility}/backups/goal",
            Facility(EditLedger),
            post(backups::set_goal),
        ),
        (
            Method::POST,
            "/f/{facility}/backups/drills",
            Facility(EditLedger),
            post(backups::add_drill),
        ),
        (
            Method::GET,
            "/f/{facility}/segments",
            Facility(View),
            get(segments::list),
        ),
        (
            Method::POST,
            "/f/{facility}/segments",
            Facility(EditLedger),
            post(segments::add),
        ),
        (
            Method::POST,
            "/f/{facility}/segments/flows",
            Facility(EditLedger),
            post(segments::add_flow),
        ),
        (
            Method::GET,
            "/f/{facility}/members",
            Facility(ManageMembers),
            get(members::page),
        ),
        (
            Method::POST,
            "/f/{facility}/members/advisors",
            Facility(GrantAdvisor),
            post(members::grant_advisor),
        ),
        (
            Method::POST,
            "/f/{facility}/members/invitations/withdraw",
            Facility(GrantAdvisor),
            post(members::withdraw_invitation),
        ),
        (
            Method::POST,
            "/f/{facility}/members/add",
            Facility(ManageMembers),
            post(members::add_member),
        ),
        (
            Method::POST,
            "/f/{facility}/members/{user}/remove",
            Facility(ManageMembers),
            post(members::remove),
        ),
        (
            Method::POST,
            "/f/{facility}/settings/second-factor",
            Facility(ChangeSettings),
            post(members::second_factor_policy),
        ),
    ]
}

/// Every route of the application.
pub fn route_table() -> Vec<RouteInfo> {
    table()
        .into_iter()
        .map(|(method, path, access, _)| RouteInfo {
            method,
            path,
            access,
        })
        .collect()
}

/// The application: the table's routes, each behind its access check, plus the fallback
/// page, the CSRF origin check, a body size limit and the security headers.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (_, path, access, handler) in table() {
        let guarded = handler.route_layer(from_fn_with_state(
            state.clone(),
            move |s: State<AppState>, req: Request, next: Next| {
                session::guard(s, access, req, next)
            },
        ));
        router = router.route(path, guarded);
    }
    router
        .fallback(pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(pages::FORM_LIMIT))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            crate::BODY_READ_TIMEOUT,
        ))
        .layer(security::cross_origin())
        .layer(from_fn_with_state(state.clone(), security::headers))
        .with_state(state)
}
