//! Signing in and out, the session cookie (Secure and HSTS when the public side is HTTPS),
//! CSRF protection; the sign-in limits themselves are the staff context's.

use super::form::{Fields, FormBody, QueryFields};
use super::i18n::{Locale, Tr};
use super::{html, safe_next};
use crate::extract::{Origin, State as AppState};
use askama::Template;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tiski_app::App;
use tiski_kernel::crypto::constant_time_eq;
use tiski_kernel::{Actor, ErrorCode};
use tiski_staff::{Session, SessionStage, SignedIn};

/// The cookie holding the session token.
pub const SESSION_COOKIE: &str = "tiski_session";
/// The cookie holding the sign-in form's CSRF token (before there is a session).
pub const LOGIN_COOKIE: &str = "tiski_login";
/// The cookie with the language chosen before signing in.
pub const LANG_COOKIE: &str = "tiski_lang";
/// The cookie with the browser's time zone, set by the page script.
pub const TZ_COOKIE: &str = "tiski_tz";
/// The header htmx requests carry the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of cookie `name`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, and Secure when the public side is HTTPS
/// (see [`Origin`]).
pub fn set_cookie(https: bool, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// The locale of a request without a signed-in user: the language cookie, else the
/// browser's languages.
pub fn anonymous_locale(headers: &HeaderMap) -> Locale {
    cookie(headers, LANG_COOKIE)
        .and_then(|c| Locale::parse(&c))
        .unwrap_or_else(|| {
            Locale::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}

/// The reader's time zone from the cookie the page script sets, UTC when unknown.
pub fn time_zone(headers: &HeaderMap) -> jiff::tz::TimeZone {
    cookie(headers, TZ_COOKIE)
        .map(|c| c.replace("%2F", "/"))
        .filter(|c| c.len() < 64)
        .and_then(|c| jiff::tz::TimeZone::get(&c).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC)
}

/// The signed-in user of a workspace request, in their language.
pub struct Ui {
    /// Who acts.
    pub actor: Actor,
    /// Their session.
    pub session: Session,
    /// Their translator.
    pub tr: Tr,
    /// Whether htmx made the request (answer with a fragment).
    pub htmx: bool,
    /// The client's address (from [`Origin`]), for the access log.
    pub client: Option<String>,
}

impl FromRequestParts<AppState> for Ui {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let htmx = parts.headers.contains_key("hx-request");
        let Ok(origin) = Origin::from_request_parts(parts, state).await;
        let client = Some(origin.client);
        if let Some(pending) = parts.extensions.get::<super::twofactor::PendingSignIn>() {
            let to = match pending.0.session.stage {
                SessionStage::MustEnrol => "/two-factor",
                _ => "/login/code",
            };
            if htmx {
                let mut response = StatusCode::UNAUTHORIZED.into_response();
                response
                    .headers_mut()
                    .insert("hx-redirect", HeaderValue::from_static(to));
                return Err(response);
            }
            return Err(Redirect::to(to).into_response());
        }
        let Some(signed_in) = parts.extensions.get::<SignedIn>().cloned() else {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            let to = if next.starts_with("/ui/") || next.is_empty() {
                "/login".to_string()
            } else {
                format!(
                    "/login?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                )
            };
            if htmx {
                let mut response = StatusCode::UNAUTHORIZED.into_response();
                if let Ok(value) = HeaderValue::from_str(&to) {
                    response.headers_mut().insert("hx-redirect", value);
                }
                return Err(response);
            }
            if next.starts_with("/ui/") {
                return Err((StatusCode::UNAUTHORIZED, "Sign in first.").into_response());
            }
            return Err(Redirect::to(&to).into_response());
        };
        let locale = signed_in
            .session
            .locale
            .as_deref()
            .and_then(Locale::parse)
            .unwrap_or_else(|| anonymous_locale(&parts.headers));
        Ok(Ui {
            tr: Tr::new(locale, time_zone(&parts.headers)),
            actor: signed_in.actor,
            session: signed_in.session,
            htmx,
            client,
        })
    }
}

fn forbidden(headers: &HeaderMap, reason: &str) -> Response {
    let tr = Tr::new(anonymous_locale(headers), jiff::tz::TimeZone::UTC);
    tracing::info!(reason, "refused a workspace request");
    let page = super::ErrorPage {
        lang: tr.locale.code(),
        title: tr.t("error-title"),
        message: &tr.t("error-csrf"),
        back: "/inbox".into(),
    };
    let mut response = html(&page);
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

/// Whether the `Origin` of a changing request, when the browser sends one, is this site.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
}

/// Loads the session, refuses changing requests without the CSRF token, adds security
/// headers.
pub async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let origin = Origin::of(app.settings(), &headers, request.extensions());
    let signed_in = match cookie(&headers, SESSION_COOKIE) {
        Some(token) => match app.staff.session(&token).await {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%error, "could not load a session");
                None
            }
        },
        None => None,
    };
    let mut request = request;
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        if !same_origin(&headers) {
            return forbidden(&headers, "cross-origin request");
        }
        let is_login = request.uri().path() == "/login";
        let expected = if is_login {
            cookie(&headers, LOGIN_COOKIE)
        } else {
            signed_in.as_ref().map(|s| s.session.csrf_token.clone())
        };
        let Some(expected) = expected else {
            if is_login {
                return forbidden(&headers, "sign-in without the form's cookie");
            }
            // Not signed in: the handler's extractor answers with a way to sign in.
            return next.run(request).await;
        };
        let mut sent = headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if sent.is_none() {
            let (parts, body) = request.into_parts();
            let bytes = match axum::body::to_bytes(body, app.settings().max_request_bytes).await {
                Ok(bytes) => bytes,
                Err(_) => {
                    return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.")
                        .into_response();
                }
            };
            sent = Fields::parse(&bytes).get("csrf").map(str::to_string);
            request = Request::from_parts(parts, Body::from(bytes));
        }
        if !sent.is_some_and(|sent| constant_time_eq(&sent, &expected)) {
            return forbidden(&headers, "missing or wrong CSRF token");
        }
    }
    match signed_in {
        Some(signed_in) if signed_in.session.stage == SessionStage::SignedIn => {
            request.extensions_mut().insert(signed_in);
        }
        // The password was right but the second step is owed: only its pages serve it.
        Some(pending) => {
            request
                .extensions_mut()
                .insert(super::twofactor::PendingSignIn(pending));
        }
        None => {}
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A download keeps its own, stricter policy (`sandbox`).
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // The mail frame keeps its own (`SAMEORIGIN`); every other page is never framed.
    headers
        .entry("x-frame-options")
        .or_insert(HeaderValue::from_static("DENY"));
    // The mail frame keeps its own (`no-referrer`).
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if origin.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
    languages: Vec<super::Choice>,
}

fn random_token() -> String {
    use rand::RngCore;
    use std::fmt::Write as _;
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn render_login(
    origin: &Origin,
    headers: &HeaderMap,
    next: String,
    email: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let locale = anonymous_locale(headers);
    let tr = Tr::new(locale, jiff::tz::TimeZone::UTC);
    let csrf = cookie(headers, LOGIN_COOKIE)
        .filter(|c| c.len() == 48 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(random_token);
    let languages = Locale::ALL
        .iter()
        .map(|l| super::Choice::new(l.code(), l.native_name(), *l == locale))
        .collect();
    let page = LoginPage {
        tr,
        csrf: csrf.clone(),
        next,
        email,
        error,
        languages,
    };
    let mut response = html(&page);
    *response.status_mut() = status;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(origin.https, LOGIN_COOKIE, &csrf, 3600),
    );
    response
}

/// `GET /login`: the sign-in form (or the inbox, when already signed in). `?lang=fi` picks
/// the form's language.
pub async fn login_page(
    origin: Origin,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    QueryFields(query): QueryFields,
) -> Response {
    if extensions.get::<SignedIn>().is_some() {
        return Redirect::to(&safe_next(query.get("next"))).into_response();
    }
    if let Some(locale) = query.get("lang").and_then(Locale::parse) {
        let mut response = Redirect::to(&format!(
            "/login?next={}",
            form_urlencoded::byte_serialize(safe_next(query.get("next")).as_bytes())
                .collect::<String>()
        ))
        .into_response();
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(origin.https, LANG_COOKIE, locale.code(), 365 * 24 * 3600),
        );
        return response;
    }
    render_login(
        &origin,
        &headers,
        safe_next(query.get("next")),
        String::new(),
        None,
        StatusCode::OK,
    )
}

/// `POST /login`: reserves the attempt against the sign-in limits (per email and client, and
/// per client, shared by every node), checks the password, opens a session whose cookie
/// lives as long as the server keeps sessions.
pub async fn login(
    State(app): State<App>,
    origin: Origin,
    headers: HeaderMap,
    FormBody(form): FormBody,
) -> Response {
    let email = form.get("email").unwrap_or("").trim().to_lowercase();
    let password = form.get("password").unwrap_or("").to_string();
    let next = safe_next(form.get("next"));
    let tr = Tr::new(anonymous_locale(&headers), jiff::tz::TimeZone::UTC);
    let answer = |next: String, email: String, key: &str, status: StatusCode| {
        render_login(&origin, &headers, next, email, Some(tr.t(key)), status)
    };
    if email.is_empty() || password.is_empty() || email.len() > 320 || password.len() > 1024 {
        return answer(
            next,
            email,
            "login-error-missing",
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let actor = match app.staff.sign_in(&email, &password, &origin.client).await {
        Ok(actor) => actor,
        Err(error) if error.code() == ErrorCode::RateLimited => {
            return answer(
                next,
                email,
                "login-error-rate",
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
        Err(error) if error.code() == ErrorCode::Unauthorized => {
            return answer(next, email, "login-error-wrong", StatusCode::UNAUTHORIZED);
        }
        Err(error) => {
            tracing::error!(%error, "could not check a sign-in");
            return answer(
                next,
                email,
                "error-storage",
                StatusCode::SERVICE_UNAVAILABLE,
            );
        }
    };
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (token, signed_in) = match app.staff.create_session(&actor, user_agent).await {
        Ok(created) => created,
        Err(error) => {
            tracing::error!(%error, "could not open a session");
            return answer(
                next,
                email,
                "error-storage",
                StatusCode::SERVICE_UNAVAILABLE,
            );
        }
    };
    // A language picked on the sign-in form becomes the user's, if they had none.
    if signed_in.session.locale.is_none()
        && let Some(locale) = cookie(&headers, LANG_COOKIE).and_then(|c| Locale::parse(&c))
    {
        let _ = app.staff.set_ui_locale(&actor, Some(locale.code())).await;
    }
    let to = match signed_in.session.stage {
        SessionStage::SignedIn => next,
        SessionStage::AwaitsCode => "/login/code".to_string(),
        SessionStage::MustEnrol => "/two-factor".to_string(),
    };
    let mut response = Redirect::to(&to).into_response();
    let max_age = app.staff.session_cookie_seconds();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(origin.https, SESSION_COOKIE, &token, max_age),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(origin.https, LOGIN_COOKIE, "", 0),
    );
    response
}

/// `POST /logout`: ends the session (its streams end with it) and forgets the cookie.
pub async fn logout(State(app): State<App>, origin: Origin, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let _ = app.staff.end_session(&token).await;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(origin.https, SESSION_COOKIE, "", 0),
    );
    response
}
