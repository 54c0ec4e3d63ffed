//! Every route of the app in one table: method, path, who may use it and what serves it. The router is built from
//! [`ROUTES`] (so a route cannot exist without its row), [`crate::access`] checks each row's [`Access`] on every
//! request, and `docs/roles.md` is [`matrix_markdown`] of the same table (a test keeps them equal).

use crate::access;
use crate::api;
use crate::pages;
use crate::pages::export::{ExportFormat, ExportTable};
use crate::state::AppState;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use socialledger_domain::Role;
use std::collections::BTreeMap;

/// An HTTP method a route answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// True for methods that change state: they need a CSRF token and a same-origin request.
    pub fn changes_state(&self) -> bool {
        matches!(self, Method::Post)
    }

    fn filter(&self) -> MethodFilter {
        match self {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
        }
    }
}

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in, setup, assets).
    Public,
    /// Signed-in users with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    /// Whether a signed-in user with `role` may use the route.
    pub fn allows(&self, role: Role) -> bool {
        match self {
            Access::Public => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

/// What serves a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Health,
    Stylesheet,
    LoginForm,
    Login,
    Logout,
    LogoutEverywhere,
    SetupForm,
    Setup,
    InviteForm,
    Invite,
    Home,
    Overview,
    Channels,
    ChannelCosts,
    Posts,
    Mix,
    Attribution,
    Experiments,
    Users,
    AddUser,
    ChangeRole,
    ChangeStatus,
    AuditLog,
    AuditCsv,
    ApiMe,
    ApiChannels,
    ApiPosts,
    ApiTimeEntries,
    ApiLogTime,
    ApiReport,
    ApiAudit,
    OpenApi,
    Tokens,
    CreateToken,
    RevokeToken,
    Export(ExportTable, ExportFormat),
    Time,
    TimeStart,
    TimeStop,
    TimeLog,
    TimeEdit,
    TimeDelete,
    Targets,
    TargetAdd,
    TargetRemove,
    Settings,
    SaveSettings,
    Shares,
    CreateShare,
    RevokeShare,
    SharedHome,
    SharedPage,
    ExperimentPlan,
    ExperimentStart,
    ExperimentReadout,
    Imports,
    ImportUpload,
    ImportUndo,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub method: Method,
    /// axum's path syntax (`/users/{id}/role`).
    pub path: &'static str,
    pub access: Access,
    pub endpoint: Endpoint,
}

impl Route {
    /// JSON errors (401/403) instead of pages and redirects.
    pub fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }
}

use Role::*;

/// Every role: what any signed-in user may do.
const EVERYONE: &[Role] = Role::ALL;
/// Everyone inside the company: not the external reviewer, who sees only what is shared with them.
const STAFF: &[Role] =
    &[Owner, Manager, Analyst, Editor, Contributor, CustomerService, Pr, Recruitment, Procurement, Viewer];
/// Who may see what channels cost (full cost, hours, ROI, the verdict that weighs them): the people who decide
/// on the channels and read their figures. Not customer service, PR, recruitment, procurement, contributors or
/// external reviewers: their work is on the channels, not on their budget.
const COST_READERS: &[Role] = &[Owner, Manager, Analyst, Editor, Viewer];
/// Who does social work and so tracks their own time (not analysts, viewers or external reviewers).
const TRACKERS: &[Role] = &[Owner, Manager, Editor, Contributor, CustomerService, Pr, Recruitment, Procurement];
/// Who sees the time page: the trackers, and analysts (who read everyone's entries).
const TIME_READERS: &[Role] =
    &[Owner, Manager, Analyst, Editor, Contributor, CustomerService, Pr, Recruitment, Procurement];
/// Who manages people and their roles.
const PEOPLE_ADMINS: &[Role] = &[Owner, Manager];
/// Who sets and removes targets: the people who decide on the channels' work.
const TARGET_SETTERS: &[Role] = &[Owner, Manager];
/// Who reads the analysis settings: the people who decide on the channels and read their figures.
const SETTINGS_READERS: &[Role] = &[Owner, Manager, Analyst];
/// Who changes the analysis settings (and so every stored figure).
const SETTINGS_WRITERS: &[Role] = &[Owner, Manager];
/// Who keeps the experiments the company runs (plans, starts, reads them out): the people who decide on channels.
const EXPERIMENT_RUNNERS: &[Role] = &[Owner, Manager];
/// Who sees where the data came from (the import history and an upload's outcome): who changes it, and analysts,
/// who must trust the figures built on it.
const IMPORT_READERS: &[Role] = &[Owner, Manager, Analyst];
/// Who changes the data by importing files and undoing imports: the people accountable for the channels' figures.
const IMPORTERS: &[Role] = &[Owner, Manager];
/// Oversight of everything: the one accountable person.
const OWNER: &[Role] = &[Owner];

const fn route(method: Method, path: &'static str, access: Access, endpoint: Endpoint) -> Route {
    Route { method, path, access, endpoint }
}

/// The download of one table in one format, for the roles of the page the table is on.
const fn export(table: ExportTable, format: ExportFormat, roles: &'static [Role]) -> Route {
    route(Method::Get, table.path(format), Access::Roles(roles), Endpoint::Export(table, format))
}

/// Whether `role` may use the GET route of `endpoint` (a page deciding what to show of another page's content).
pub fn allows(endpoint: Endpoint, role: Role) -> bool {
    ROUTES.iter().find(|r| r.endpoint == endpoint && r.method == Method::Get).is_some_and(|r| r.access.allows(role))
}

/// Every route of the app. Add a route here, run the `roles` test (it prints the new `docs/roles.md`), review it.
pub const ROUTES: &[Route] = &[
    route(Method::Get, "/health", Access::Public, Endpoint::Health),
    route(Method::Get, "/static/app.css", Access::Public, Endpoint::Stylesheet),
    route(Method::Get, "/login", Access::Public, Endpoint::LoginForm),
    route(Method::Post, "/login", Access::Public, Endpoint::Login),
    route(Method::Get, "/setup/{token}", Access::Public, Endpoint::SetupForm),
    route(Method::Post, "/setup/{token}", Access::Public, Endpoint::Setup),
    route(Method::Get, "/invite/{token}", Access::Public, Endpoint::InviteForm),
    route(Method::Post, "/invite/{token}", Access::Public, Endpoint::Invite),
    route(Method::Post, "/logout", Access::Roles(EVERYONE), Endpoint::Logout),
    route(Method::Post, "/logout-everywhere", Access::Roles(EVERYONE), Endpoint::LogoutEverywhere),
    route(Method::Get, "/", Access::Roles(STAFF), Endpoint::Home),
    route(Method::Get, "/overview", Access::Roles(COST_READERS), Endpoint::Overview),
    route(Method::Get, "/channels", Access::Roles(STAFF), Endpoint::Channels),
    route(Method::Get, "/channels/costs", Access::Roles(COST_READERS), Endpoint::ChannelCosts),
    route(Method::Get, "/posts", Access::Roles(STAFF), Endpoint::Posts),
    route(Method::Get, "/mix", Access::Roles(COST_READERS), Endpoint::Mix),
    route(Method::Get, "/attribution", Access::Roles(STAFF), Endpoint::Attribution),
    route(Method::Get, "/experiments", Access::Roles(COST_READERS), Endpoint::Experiments),
    route(Method::Get, "/users", Access::Roles(PEOPLE_ADMINS), Endpoint::Users),
    route(Method::Post, "/users", Access::Roles(PEOPLE_ADMINS), Endpoint::AddUser),
    route(Method::Post, "/users/{id}/role", Access::Roles(PEOPLE_ADMINS), Endpoint::ChangeRole),
    route(Method::Post, "/users/{id}/status", Access::Roles(PEOPLE_ADMINS), Endpoint::ChangeStatus),
    route(Method::Get, "/audit", Access::Roles(OWNER), Endpoint::AuditLog),
    route(Method::Get, "/audit.csv", Access::Roles(OWNER), Endpoint::AuditCsv),
    route(Method::Get, "/api/v1/me", Access::Roles(EVERYONE), Endpoint::ApiMe),
    route(Method::Get, "/api/v1/channels", Access::Roles(STAFF), Endpoint::ApiChannels),
    route(Method::Get, "/api/v1/posts", Access::Roles(STAFF), Endpoint::ApiPosts),
    route(Method::Get, "/api/v1/time-entries", Access::Roles(TIME_READERS), Endpoint::ApiTimeEntries),
    route(Method::Post, "/api/v1/time-entries", Access::Roles(TRACKERS), Endpoint::ApiLogTime),
    route(Method::Get, "/api/v1/report", Access::Roles(STAFF), Endpoint::ApiReport),
    route(Method::Get, "/api/v1/audit", Access::Roles(OWNER), Endpoint::ApiAudit),
    route(Method::Get, "/api/openapi.json", Access::Public, Endpoint::OpenApi),
    route(Method::Get, "/tokens", Access::Roles(STAFF), Endpoint::Tokens),
    route(Method::Post, "/tokens", Access::Roles(STAFF), Endpoint::CreateToken),
    route(Method::Post, "/tokens/{id}/revoke", Access::Roles(STAFF), Endpoint::RevokeToken),
    export(ExportTable::Channels, ExportFormat::Csv, STAFF),
    export(ExportTable::Channels, ExportFormat::Xlsx, STAFF),
    export(ExportTable::Posts, ExportFormat::Csv, STAFF),
    export(ExportTable::Posts, ExportFormat::Xlsx, STAFF),
    export(ExportTable::TimeEntries, ExportFormat::Csv, TIME_READERS),
    export(ExportTable::TimeEntries, ExportFormat::Xlsx, TIME_READERS),
    export(ExportTable::Costs, ExportFormat::Csv, COST_READERS),
    export(ExportTable::Costs, ExportFormat::Xlsx, COST_READERS),
    export(ExportTable::Audit, ExportFormat::Csv, OWNER),
    export(ExportTable::Audit, ExportFormat::Xlsx, OWNER),
    route(Method::Get, "/time", Access::Roles(TIME_READERS), Endpoint::Time),
    route(Method::Post, "/time/start", Access::Roles(TRACKERS), Endpoint::TimeStart),
    route(Method::Post, "/time/stop", Access::Roles(TRACKERS), Endpoint::TimeStop),
    route(Method::Post, "/time/log", Access::Roles(TRACKERS), Endpoint::TimeLog),
    route(Method::Post, "/time/edit", Access::Roles(TRACKERS), Endpoint::TimeEdit),
    route(Method::Post, "/time/delete", Access::Roles(TRACKERS), Endpoint::TimeDelete),
    route(Method::Get, "/targets", Access::Roles(STAFF), Endpoint::Targets),
    route(Method::Post, "/targets", Access::Roles(TARGET_SETTERS), Endpoint::TargetAdd),
    route(Method::Post, "/targets/remove", Access::Roles(TARGET_SETTERS), Endpoint::TargetRemove),
    route(Method::Get, "/settings", Access::Roles(SETTINGS_READERS), Endpoint::Settings),
    route(Method::Post, "/settings", Access::Roles(SETTINGS_WRITERS), Endpoint::SaveSettings),
    route(Method::Get, "/shares", Access::Roles(OWNER), Endpoint::Shares),
    route(Method::Post, "/shares", Access::Roles(OWNER), Endpoint::CreateShare),
    route(Method::Post, "/shares/{id}/revoke", Access::Roles(OWNER), Endpoint::RevokeShare),
    route(Method::Get, "/shared/{token}", Access::Public, Endpoint::SharedHome),
    route(Method::Get, "/shared/{token}/{page}", Access::Public, Endpoint::SharedPage),
    route(Method::Post, "/experiments/plan", Access::Roles(EXPERIMENT_RUNNERS), Endpoint::ExperimentPlan),
    route(Method::Post, "/experiments/{id}/start", Access::Roles(EXPERIMENT_RUNNERS), Endpoint::ExperimentStart),
    route(Method::Post, "/experiments/{id}/readout", Access::Roles(EXPERIMENT_RUNNERS), Endpoint::ExperimentReadout),
    route(Method::Get, "/imports", Access::Roles(IMPORT_READERS), Endpoint::Imports),
    route(Method::Post, "/imports", Access::Roles(IMPORTERS), Endpoint::ImportUpload),
    route(Method::Post, "/imports/{id}/undo", Access::Roles(IMPORTERS), Endpoint::ImportUndo),
];

/// The method router of one row: its handler on its method, behind the access check of its row.
fn method_router(route: &'static Route, state: &AppState) -> MethodRouter<AppState> {
    let filter = route.method.filter();
    let served: MethodRouter<AppState> = match route.endpoint {
        Endpoint::Health => on(filter, pages::assets::health),
        Endpoint::Stylesheet => on(filter, pages::assets::stylesheet),
        Endpoint::LoginForm => on(filter, pages::login::form),
        Endpoint::Login => on(filter, pages::login::submit),
        Endpoint::Logout => on(filter, pages::login::logout),
        Endpoint::LogoutEverywhere => on(filter, pages::login::logout_everywhere),
        Endpoint::SetupForm => on(filter, pages::setup::form),
        Endpoint::Setup => on(filter, pages::setup::submit),
        Endpoint::InviteForm => on(filter, pages::invite::form),
        Endpoint::Invite => on(filter, pages::invite::submit),
        Endpoint::Home => on(filter, pages::home::show),
        Endpoint::Overview => on(filter, pages::overview::show),
        Endpoint::Channels => on(filter, pages::channels::engagement),
        Endpoint::ChannelCosts => on(filter, pages::channels::costs),
        Endpoint::Posts => on(filter, pages::posts::show),
        Endpoint::Mix => on(filter, pages::mix::show),
        Endpoint::Attribution => on(filter, pages::attribution::show),
        Endpoint::Experiments => on(filter, pages::experiments::show),
        Endpoint::Users => on(filter, pages::users::show),
        Endpoint::AddUser => on(filter, pages::users::add),
        Endpoint::ChangeRole => on(filter, pages::users::change_role),
        Endpoint::ChangeStatus => on(filter, pages::users::change_status),
        Endpoint::AuditLog => on(filter, pages::audit::show),
        Endpoint::AuditCsv => on(filter, pages::audit::csv),
        Endpoint::ApiMe => on(filter, api::v1::me),
        Endpoint::ApiChannels => on(filter, api::v1::channels),
        Endpoint::ApiPosts => on(filter, api::v1::posts),
        Endpoint::ApiTimeEntries => on(filter, api::v1::time_entries),
        Endpoint::ApiLogTime => on(filter, api::v1::log_time),
        Endpoint::ApiReport => on(filter, api::v1::report),
        Endpoint::ApiAudit => on(filter, api::v1::audit),
        Endpoint::OpenApi => on(filter, api::openapi),
        Endpoint::Tokens => on(filter, pages::tokens::show),
        Endpoint::CreateToken => on(filter, pages::tokens::create),
        Endpoint::RevokeToken => on(filter, pages::tokens::revoke),
        Endpoint::Export(table, format) => {
            on(filter, move |state: axum::extract::State<AppState>, me: access::SignedIn| {
                pages::export::download(state, me, table, format)
            })
        }
        Endpoint::Time => on(filter, pages::time::show),
        Endpoint::TimeStart => on(filter, pages::time::start),
        Endpoint::TimeStop => on(filter, pages::time::stop),
        Endpoint::TimeLog => on(filter, pages::time::log),
        Endpoint::TimeEdit => on(filter, pages::time::edit),
        Endpoint::TimeDelete => on(filter, pages::time::delete),
        Endpoint::Targets => on(filter, pages::targets::show),
        Endpoint::TargetAdd => on(filter, pages::targets::add),
        Endpoint::TargetRemove => on(filter, pages::targets::remove),
        Endpoint::Settings => on(filter, pages::settings::show),
        Endpoint::SaveSettings => on(filter, pages::settings::save),
        Endpoint::Shares => on(filter, pages::shares::show),
        Endpoint::CreateShare => on(filter, pages::shares::create),
        Endpoint::RevokeShare => on(filter, pages::shares::revoke),
        Endpoint::SharedHome => on(filter, pages::shared::home),
        Endpoint::SharedPage => on(filter, pages::shared::show),
        Endpoint::ExperimentPlan => on(filter, pages::experiments::plan),
        Endpoint::ExperimentStart => on(filter, pages::experiments::start),
        Endpoint::ExperimentReadout => on(filter, pages::experiments::readout),
        Endpoint::Imports => on(filter, pages::imports::show),
        Endpoint::ImportUpload => on(filter, pages::imports::upload)
            .layer(axum::extract::DefaultBodyLimit::max(pages::imports::MAX_UPLOAD_BYTES + 64 * 1024)),
        Endpoint::ImportUndo => on(filter, pages::imports::undo),
    };
    served.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        move |s: axum::extract::State<AppState>, req: axum::extract::Request, next: axum::middleware::Next| {
            access::guard(s, route, req, next)
        },
    ))
}

/// The router of [`ROUTES`]: one method router per path, each method behind its row's access check.
pub(crate) fn router(state: AppState) -> Router {
    let mut by_path: BTreeMap<&'static str, MethodRouter<AppState>> = BTreeMap::new();
    for route in ROUTES {
        let served = method_router(route, &state);
        let merged = match by_path.remove(route.path) {
            Some(existing) => existing.merge(served),
            None => served,
        };
        by_path.insert(route.path, merged);
    }
    let router = by_path.into_iter().fold(Router::new(), |router, (path, served)| router.route(path, served));
    router.fallback(pages::not_found).with_state(state)
}

/// `docs/roles.md`: the route x role matrix, generated from [`ROUTES`].
pub fn matrix_markdown() -> String {
    let mut out = String::from(
        "# Routes and roles\n\n\
         Who may use which route of the web app (`socialledger serve`). Generated from the route table in\n\
         `crates/web/src/routes.rs` (`ROUTES`); the test `roles::the_matrix_in_docs_is_the_route_table` fails when\n\
         this file and the table differ, and `roles::every_route_and_role_is_walked` requests every cell from the\n\
         real server. \"public\" routes need no sign-in; \"yes\" = allowed; \"-\" = refused with 403 (a signed-in user\n\
         without the role). Without a session, pages redirect to `/login` and `/api` routes answer 401.\n\n\
         The roles: owner (oversight of everything, the one accountable person), manager (people and roles),\n\
         analyst, editor, contributor, customer_service, pr, recruitment, procurement, viewer, external_reviewer\n\
         (sees only what is shared with them). What channels cost (the Overview with its verdicts, the channels'\n\
         cost and hours, the mix model with its ROI and budget plan, the experiments planned against break-even)\n\
         is for owner, manager, analyst, editor and viewer; customer_service, pr, recruitment, procurement and\n\
         contributor see the channels' engagement (`/channels`), the posts and the attribution models' shares\n\
         without cost. Targets (`/targets`)\n\
         are read by everyone inside the company (targets on cost per engagement only by the roles that see costs)\n\
         and set or removed by the owner and managers. The analysis settings (`/settings`) are read by the owner,\n\
         managers and analysts and changed by the owner and managers.\n\n\
         The external_reviewer has no account to sign in with: the owner makes a share link (`/shares`) for chosen\n\
         pages and 1 to 30 days, and the link opens those pages read-only (`/shared/{token}`, \"public\" below\n\
         because the link itself is the credential: an unknown, expired or revoked link answers 410, a page it\n\
         does not share 404; costs only when shared). Nothing else opens to it.\n\n\
         `/api/` routes also accept a personal access token (`Authorization: Bearer`, made at `/tokens`), with the\n\
         same cells for the token owner's role; a `read` token is refused (403) on POST. See `docs/api.md`.\n\
         `/export/` routes download the table of the page they belong to, for the roles of that page.\n\n",
    );
    out.push_str("| method | path |");
    for role in Role::ALL {
        out.push_str(&format!(" {} |", role.as_str()));
    }
    out.push_str("\n|---|---|");
    for _ in Role::ALL {
        out.push_str("---|");
    }
    out.push('\n');
    for route in ROUTES {
        out.push_str(&format!("| {} | `{}` |", route.method.as_str(), route.path));
        for role in Role::ALL {
            let cell = match route.access {
                Access::Public => "public",
                Access::Roles(_) if route.access.allows(*role) => "yes",
                Access::Roles(_) => "-",
            };
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
    out
}
