//! The agent workspace: server-rendered pages (askama) made lively with htmx and server-sent
//! events, every string from the Fluent catalogs, every asset embedded in the binary.
//!
//! Architecture invariant: handlers here call the same `tiski_app::App` use cases as the JSON
//! API, with the signed-in user as the actor, so a page shows exactly what the API would let
//! that user see. No page queries the store.
//!
//! Every request passes [`auth::guard`]: it loads the session from its cookie, refuses a
//! changing request (anything but GET and HEAD) without the session's CSRF token, and adds the
//! security headers.

pub mod admin;
pub mod assets;
pub mod auth;
mod board;
pub mod customers;
pub mod form;
pub mod i18n;
pub mod inbox;
pub mod live;
pub mod notifications;
mod presence_switch;
pub mod reshape;
pub mod search;
pub mod settings;
pub mod tags;
pub mod ticket;
pub mod twofactor;

use crate::extract::State as AppState;
use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use i18n::Tr;
use std::sync::Arc;
use tiski_domain::{Channel, Permission, Priority, Role, Status};
use tiski_kernel::{Actor, AppError};

/// In-memory state of the workspace on this node: who has which ticket open (the sign-in
/// limits live in the store, shared by every node).
#[derive(Clone)]
pub struct UiState {
    /// Who is looking at or typing on which ticket.
    pub presence: Arc<live::Presence>,
}

impl UiState {
    /// The state of a node with these settings.
    pub fn new(_settings: &tiski_kernel::Settings) -> Self {
        UiState {
            presence: Arc::new(live::Presence::default()),
        }
    }
}

/// The routes of the workspace: pages at `/…`, fragments and actions under `/ui/…`, assets
/// under `/assets/…`.
pub fn router(app: tiski_app::App) -> Router<AppState> {
    let settings = app.settings().clone();
    let pages = Router::new()
        .route("/", get(root))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/login/code",
            get(twofactor::code_page).post(twofactor::code),
        )
        .route("/two-factor", get(twofactor::settings_page))
        .route("/two-factor/confirm", post(twofactor::confirm))
        .route("/two-factor/disable", post(twofactor::disable))
        .route("/inbox", get(inbox::page))
        .route("/ui/inbox/list", get(inbox::list))
        .route("/ui/inbox/counts", get(inbox::counts))
        .route("/ui/inbox/bulk", post(inbox::bulk))
        .route("/tickets/{id}", get(ticket::page))
        .route("/ui/tickets/{id}/timeline", get(ticket::timeline))
        .route("/ui/tickets/{id}/properties", get(ticket::properties))
        .route("/ui/tickets/{id}/messages", post(ticket::reply))
        .route(
            "/ui/tickets/{id}/messages/{message_id}/undo",
            post(ticket::undo),
        )
        .route("/ui/tickets/{id}/forward", post(ticket::forward))
        .route("/ui/tickets/{id}/update", post(ticket::update))
        .route("/ui/tickets/{id}/assign-me", post(ticket::assign_me))
        .route("/ui/tickets/{id}/presence", post(live::presence))
        .route("/ui/tickets/{id}/macros", get(ticket::macro_search))
        .route(
            "/ui/tickets/{id}/macros/{macro_id}",
            get(ticket::macro_fill),
        )
        .route("/ui/attachments/{id}", get(ticket::attachment))
        .route(
            "/ui/tickets/{id}/draft",
            axum::routing::put(ticket::draft_put).delete(ticket::draft_delete),
        )
        .route("/ui/tickets/{id}/uploads", post(ticket::upload))
        .route("/ui/uploads/{id}", axum::routing::delete(ticket::unstage))
        .route("/ui/tickets/{id}/slash", get(ticket::slash_check))
        .route("/ui/messages/{id}/html", get(ticket::mail_frame))
        .route(
            "/ui/messages/{id}/cid/{content_id}",
            get(ticket::inline_part),
        )
        .route("/ui/events", get(live::events))
        .route("/customers", get(customers::list))
        .route("/search", get(search::page))
        .route("/customers/{id}", get(customers::profile))
        .route("/ui/customers/{id}", post(customers::update))
        .route("/settings", get(settings::page))
        .route("/ui/settings/password", post(settings::password))
        .route("/ui/settings/language", post(settings::language))
        .route("/macros", get(settings::macros_page))
        .route("/ui/macros", post(settings::macro_create))
        .route("/ui/macros/{id}", post(settings::macro_update))
        .route("/ui/macros/{id}/delete", post(settings::macro_delete))
        .route("/views/new", get(settings::view_form))
        .route("/ui/views", post(settings::view_create))
        .route("/ui/views/{id}/delete", post(settings::view_delete))
        .route("/admin", get(admin::agents))
        .route(
            "/admin/agents",
            get(admin::agents).post(admin::agent_create),
        )
        .route("/admin/agents/{id}", post(admin::agent_update))
        .route("/admin/teams", get(admin::teams).post(admin::team_create))
        .route(
            "/admin/webhooks",
            get(admin::webhooks).post(admin::webhook_create),
        )
        .route("/admin/webhooks/{id}/delete", post(admin::webhook_delete))
        .route(
            "/admin/mailboxes",
            get(admin::mailboxes).post(admin::mailbox_create),
        )
        .route("/admin/mailboxes/{id}", post(admin::mailbox_update))
        .route("/admin/quarantine", get(admin::quarantine))
        .route("/admin/privacy", get(admin::privacy))
        .route("/ui/audit/export", get(admin::audit_export))
        .route("/ui/customers/{id}/export", get(admin::customer_export))
        .route("/ui/customers/{id}/erase", post(admin::customer_erase))
        .route("/ui/quarantine/{id}/raw", get(admin::quarantine_raw))
        .route(
            "/admin/tokens",
            get(admin::tokens).post(admin::token_create),
        )
        .route("/admin/tokens/{id}/delete", post(admin::token_delete))
        .route(
            "/admin/two-factor",
            get(admin::two_factor_policy).post(admin::two_factor_policy_save),
        )
        .route("/board", get(board::page))
        .route("/ui/board", get(board::tables))
        .route(
            "/ui/presence",
            get(presence_switch::get).post(presence_switch::set),
        )
        .route("/ui/notifications", get(notifications::list))
        .route("/ui/notifications/count", get(notifications::count))
        .route("/ui/notifications/{id}/open", post(notifications::open))
        .route("/ui/notifications/read-all", post(notifications::read_all))
        .route(
            "/ui/settings/notifications",
            get(notifications::settings).post(notifications::save_settings),
        )
        .route(
            "/ui/tickets/{id}/mentionable",
            get(notifications::mentionable),
        )
        .route(
            "/ui/tickets/{id}/help",
            get(notifications::help_panel).post(notifications::ask_for_help),
        )
        .route("/tickets/new", get(reshape::new_ticket::page))
        .route("/ui/tickets/new", post(reshape::new_ticket::create))
        .route(
            "/ui/tickets/new/customers",
            get(reshape::new_ticket::customers),
        )
        .route(
            "/ui/tickets/{id}/merge/candidates",
            get(reshape::merge_candidates),
        )
        .route(
            "/ui/tickets/{id}/merge/preview",
            post(reshape::merge_preview),
        )
        .route("/ui/tickets/{id}/merge", post(reshape::merge))
        .route("/ui/messages/{id}/split", post(reshape::split))
        .route(
            "/ui/customers/{id}/merge/candidates",
            get(reshape::customer_candidates),
        )
        .route(
            "/ui/customers/{id}/merge/preview",
            post(reshape::customer_preview),
        )
        .route("/ui/customers/{id}/merge", post(reshape::customer_merge))
        .layer(axum::middleware::from_fn_with_state(app, auth::guard))
        .layer(axum::Extension(UiState::new(&settings)));
    Router::new()
        .route("/assets/{*file}", get(assets::serve))
        .merge(pages)
}

async fn root() -> Redirect {
    Redirect::to("/inbox")
}

/// The frame every signed-in page shares: the reader's language, who they are, the CSRF
/// token for forms and which section is open.
pub struct Chrome {
    /// The translator.
    pub tr: Tr,
    /// The signed-in user's name.
    pub user_name: String,
    /// Their initials, for the avatar.
    pub initials: String,
    /// Whether they administer the installation (the admin pages are theirs).
    pub is_admin: bool,
    /// Whether they lead teams (or administer): they may share views and macros.
    pub is_supervisor: bool,
    /// The session's CSRF token.
    pub csrf: String,
    /// The open section: `inbox`, `customers`, `macros`, `settings`, `admin`.
    pub section: &'static str,
    /// The page title.
    pub title: String,
}

impl Chrome {
    /// The chrome for a signed-in user.
    pub fn new(ui: &auth::Ui, section: &'static str, title: String) -> Chrome {
        Chrome {
            tr: ui.tr.clone(),
            user_name: ui.actor.name.clone(),
            initials: initials(&ui.actor.name),
            is_admin: ui.actor.may(Permission::AgentUpdate),
            is_supervisor: ui.actor.may(Permission::ViewShare),
            csrf: ui.session.csrf_token.clone(),
            section,
            title,
        }
    }

    /// Translates a key.
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// Translates a key with a number.
    pub fn tn(&self, key: &str, name: &str, n: i64) -> String {
        self.tr.tn(key, name, n)
    }

    /// Translates a key with a text argument.
    pub fn ts(&self, key: &str, name: &str, value: &str) -> String {
        self.tr.ts(key, name, value)
    }

    /// The page language.
    pub fn lang(&self) -> &'static str {
        self.tr.locale.code()
    }

    /// The `hx-headers` attribute value that sends the CSRF token with every htmx request.
    pub fn hx_headers(&self) -> String {
        format!("{{\"X-CSRF-Token\": \"{}\"}}", self.csrf)
    }

    /// A number in the reader's style.
    pub fn num(&self, n: i64) -> String {
        self.tr.num(n)
    }
}

/// Up to two initials of a name.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A status's label.
pub fn status_label(tr: &Tr, status: Status) -> String {
    tr.t(&format!("status-{}", status.as_str().replace('_', "-")))
}

/// A priority's label.
pub fn priority_label(tr: &Tr, priority: Priority) -> String {
    tr.t(&format!("priority-{}", priority.as_str()))
}

/// A channel's label.
pub fn channel_label(tr: &Tr, channel: Channel) -> String {
    tr.t(&format!("channel-{}", channel.as_str()))
}

/// A role's label.
pub fn role_label(tr: &Tr, role: Role) -> String {
    tr.t(&format!("role-{}", role.as_str()))
}

/// A value with its label, for select menus.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// What the reader sees.
    pub label: String,
    /// Whether it is the current one.
    pub selected: bool,
}

impl Choice {
    /// A choice.
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// Every status as choices.
pub fn status_choices(tr: &Tr, current: Option<Status>) -> Vec<Choice> {
    Status::ALL
        .iter()
        .map(|s| Choice::new(s.as_str(), status_label(tr, *s), current == Some(*s)))
        .collect()
}

/// Every priority as choices.
pub fn priority_choices(tr: &Tr, current: Option<Priority>) -> Vec<Choice> {
    Priority::ALL
        .iter()
        .map(|p| Choice::new(p.as_str(), priority_label(tr, *p), current == Some(*p)))
        .collect()
}

/// A rendered template as an HTML response.
pub fn html<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(body) => Html(body).into_response(),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be shown.",
            )
                .into_response()
        }
    }
}

/// The result of a workspace handler.
pub type UiResult = Result<Response, UiError>;

/// An error shown to a person in their language.
pub struct UiError {
    status: StatusCode,
    message: String,
    htmx: bool,
}

impl UiError {
    /// An error of a use case, explained in the reader's language.
    pub fn from_app(ui: &auth::Ui, error: AppError) -> UiError {
        let tr = &ui.tr;
        let code = error.code();
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if error.is_server_fault() {
            tracing::error!(%error, code = code.as_str(), "a page failed on the server's side");
        }
        let message = match &error {
            AppError::Invalid { field, message }
                if field == "password" && message.contains("at least") =>
            {
                tr.t("error-password-short")
            }
            AppError::Invalid { field, .. } if field == "current_password" => {
                tr.t("error-password-current")
            }
            AppError::Invalid { field, .. } if field.contains("tags") => tr.t("tag-error-generic"),
            AppError::Invalid { field, .. } => tr.ts(code.message_id(), "field", field),
            _ => tr.t(code.message_id()),
        };
        UiError {
            status,
            message,
            htmx: ui.htmx,
        }
    }

    /// An error with a message already translated (one with arguments).
    pub fn with_message(ui: &auth::Ui, status: StatusCode, message: String) -> UiError {
        UiError {
            status,
            message,
            htmx: ui.htmx,
        }
    }

    /// An error with a translated message.
    pub fn new(ui: &auth::Ui, status: StatusCode, key: &str) -> UiError {
        UiError {
            status,
            message: ui.tr.t(key),
            htmx: ui.htmx,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'a str,
    title: String,
    message: &'a str,
    back: String,
}

#[derive(Template)]
#[template(path = "flash.html")]
struct Flash<'a> {
    kind: &'a str,
    message: &'a str,
}

/// A short notice for the flash area of a page.
pub fn flash(kind: &str, message: &str) -> String {
    Flash { kind, message }.render().unwrap_or_default()
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        if self.htmx {
            // htmx swaps only successful answers: show the error in the page's flash area.
            let mut response = Html(flash("error", &self.message)).into_response();
            let headers = response.headers_mut();
            headers.insert("hx-retarget", HeaderValue::from_static("#flash"));
            headers.insert("hx-reswap", HeaderValue::from_static("innerHTML"));
            return response;
        }
        let page = ErrorPage {
            lang: "en",
            title: self
                .status
                .canonical_reason()
                .unwrap_or("Error")
                .to_string(),
            message: &self.message,
            back: "/inbox".into(),
        };
        let mut response = html(&page);
        *response.status_mut() = self.status;
        response
    }
}

/// A redirect after a form post: `HX-Redirect` for htmx, 303 otherwise.
pub fn redirect(ui: &auth::Ui, to: &str) -> Response {
    if ui.htmx {
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Ok(value) = HeaderValue::from_str(to) {
            response.headers_mut().insert("hx-redirect", value);
        }
        response
    } else {
        Redirect::to(to).into_response()
    }
}

/// A page-local address is safe to redirect to: it starts with one slash.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_string(),
        _ => "/inbox".to_string(),
    }
}

/// Whether `next` is a path on this site and nothing else: it starts with one `/` (not `//`
/// or `/\`, which browsers read as another host), has only visible ASCII (no control
/// character or whitespace, which browsers strip and headers refuse), no backslash, and stays
/// so once percent-decoded (`/%2F%2Fevil` and `/%5Cevil` are refused too).
fn is_local_path(next: &str) -> bool {
    fn plain(text: &str) -> bool {
        text.starts_with('/')
            && !text.starts_with("//")
            && !text.contains('\\')
            && text.chars().all(|c| c.is_ascii_graphic())
    }
    if next.len() > 2048 || !plain(next) {
        return false;
    }
    let decoded: Vec<u8> = percent_decode(next.as_bytes());
    match std::str::from_utf8(&decoded) {
        Ok(decoded) => plain(decoded),
        Err(_) => false,
    }
}

/// `%XX` sequences decoded (others kept as they are).
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(0));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Adds `Cache-Control: no-store` (pages hold customer data).
pub fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether an actor may use supervisor features (share views, keep shared macros).
pub fn is_lead(actor: &Actor) -> bool {
    actor.may(Permission::ViewShare)
}
