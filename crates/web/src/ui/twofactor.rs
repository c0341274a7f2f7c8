//! Two-factor sign-in pages: the second step after the password (`/login/code`), enrolment
//! with a QR code and the recovery codes shown once, and turning it off (`/two-factor`).
//!
//! A session that still owes its second step reaches only these pages: the guard hands it
//! to them as [`PendingSignIn`], never as a signed-in user.

use super::auth::{anonymous_locale, time_zone};
use super::form::FormBody;
use super::html;
use super::i18n::{Locale, Tr};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tiski_kernel::{AppError, ErrorCode};
use tiski_staff::{SessionStage, SignedIn};

/// A session whose password was right but whose second step is still to come.
#[derive(Clone)]
pub struct PendingSignIn(pub SignedIn);

#[derive(Template)]
#[template(path = "two_factor.html")]
struct TwoFactorPage {
    tr: Tr,
    csrf: String,
    /// `code` (second step), `enrol`, `codes` (recovery codes, once) or `on`.
    mode: &'static str,
    error: Option<String>,
    qr_svg: String,
    secret: String,
    otpauth: String,
    codes: Vec<String>,
}

/// A QR code of `text` as an SVG (one path, one unit per module, with a quiet zone).
fn qr_svg(text: &str) -> String {
    use qrcodegen::{QrCode, QrCodeEcc};
    let Ok(qr) = QrCode::encode_text(text, QrCodeEcc::Medium) else {
        return String::new();
    };
    let size = qr.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    let full = size + 8;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" width=\"240\" height=\"240\" role=\"img\" data-testid=\"two-factor-qr\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

/// The user on these pages: signed in, or signed in by password and made to enrol first.
fn enrolling(extensions: &Extensions) -> Option<SignedIn> {
    extensions.get::<SignedIn>().cloned().or_else(|| {
        extensions
            .get::<PendingSignIn>()
            .filter(|p| p.0.session.stage == SessionStage::MustEnrol)
            .map(|p| p.0.clone())
    })
}

fn tr_of(signed_in: &SignedIn, headers: &HeaderMap) -> Tr {
    let locale = signed_in
        .session
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_else(|| anonymous_locale(headers));
    Tr::new(locale, time_zone(headers))
}

fn page(tr: Tr, signed_in: &SignedIn, mode: &'static str) -> TwoFactorPage {
    TwoFactorPage {
        tr,
        csrf: signed_in.session.csrf_token.clone(),
        mode,
        error: None,
        qr_svg: String::new(),
        secret: String::new(),
        otpauth: String::new(),
        codes: Vec::new(),
    }
}

fn answer(page: &TwoFactorPage, status: StatusCode) -> Response {
    let mut response = html(page);
    *response.status_mut() = status;
    response
}

/// The message and status of a refused code or password.
fn refusal(tr: &Tr, error: &AppError) -> (String, StatusCode) {
    match error.code() {
        ErrorCode::RateLimited => (tr.t("login-error-rate"), StatusCode::TOO_MANY_REQUESTS),
        ErrorCode::InvalidField if error.field() == Some("password") => {
            (tr.t("login-error-wrong"), StatusCode::UNPROCESSABLE_ENTITY)
        }
        ErrorCode::InvalidField => (tr.t("two-factor-wrong"), StatusCode::UNPROCESSABLE_ENTITY),
        _ => (tr.t("error-storage"), StatusCode::SERVICE_UNAVAILABLE),
    }
}

/// `GET /login/code`: the second step of signing in.
pub async fn code_page(headers: HeaderMap, extensions: Extensions) -> Response {
    match extensions.get::<PendingSignIn>() {
        Some(PendingSignIn(s)) if s.session.stage == SessionStage::AwaitsCode => {
            answer(&page(tr_of(s, &headers), s, "code"), StatusCode::OK)
        }
        Some(_) => Redirect::to("/two-factor").into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

/// `POST /login/code`: a code of the authenticator or a recovery code signs the session in.
pub async fn code(
    State(app): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    FormBody(form): FormBody,
) -> Response {
    let Some(PendingSignIn(signed_in)) = extensions.get::<PendingSignIn>().cloned() else {
        return Redirect::to("/login").into_response();
    };
    let tr = tr_of(&signed_in, &headers);
    match app
        .staff
        .complete_sign_in(&signed_in, form.get("code").unwrap_or(""))
        .await
    {
        Ok(()) => Redirect::to("/inbox").into_response(),
        Err(error) => {
            let (message, status) = refusal(&tr, &error);
            let mut shown = page(tr, &signed_in, "code");
            shown.error = Some(message);
            answer(&shown, status)
        }
    }
}

/// `GET /two-factor`: enrolment (QR code, secret, a first code), or, when it is on, the form
/// that turns it off.
pub async fn settings_page(
    State(app): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
) -> Response {
    let Some(signed_in) = enrolling(&extensions) else {
        return Redirect::to("/login?next=/two-factor").into_response();
    };
    let tr = tr_of(&signed_in, &headers);
    match app.staff.two_factor_enabled(signed_in.actor.id).await {
        Ok(true) => return answer(&page(tr, &signed_in, "on"), StatusCode::OK),
        Ok(false) => {}
        Err(error) => {
            let (message, status) = refusal(&tr, &error);
            let mut shown = page(tr, &signed_in, "on");
            shown.error = Some(message);
            return answer(&shown, status);
        }
    }
    match app.staff.start_two_factor(&signed_in.actor).await {
        Ok(enrolment) => {
            let mut shown = page(tr, &signed_in, "enrol");
            shown.qr_svg = qr_svg(&enrolment.otpauth_url);
            shown.secret = enrolment.secret;
            shown.otpauth = enrolment.otpauth_url;
            answer(&shown, StatusCode::OK)
        }
        Err(error) => {
            let (message, status) = refusal(&tr, &error);
            let mut shown = page(tr, &signed_in, "on");
            shown.error = Some(message);
            answer(&shown, status)
        }
    }
}

/// `POST /two-factor/confirm`: the first code turns it on; the recovery codes are shown once.
pub async fn confirm(
    State(app): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    FormBody(form): FormBody,
) -> Response {
    let Some(signed_in) = enrolling(&extensions) else {
        return Redirect::to("/login").into_response();
    };
    let tr = tr_of(&signed_in, &headers);
    match app
        .staff
        .confirm_two_factor(
            &signed_in.actor,
            Some(signed_in.session.id),
            form.get("code").unwrap_or(""),
        )
        .await
    {
        Ok(codes) => {
            let mut shown = page(tr, &signed_in, "codes");
            shown.codes = codes;
            answer(&shown, StatusCode::OK)
        }
        Err(error) => {
            let (message, status) = refusal(&tr, &error);
            let mut shown = page(tr, &signed_in, "enrol");
            if let Ok(enrolment) = app.staff.start_two_factor(&signed_in.actor).await {
                shown.qr_svg = qr_svg(&enrolment.otpauth_url);
                shown.secret = enrolment.secret;
                shown.otpauth = enrolment.otpauth_url;
            }
            shown.error = Some(message);
            answer(&shown, status)
        }
    }
}

/// `POST /two-factor/disable`: the password and a current code turn it off.
pub async fn disable(
    State(app): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    FormBody(form): FormBody,
) -> Response {
    let Some(signed_in) = extensions.get::<SignedIn>().cloned() else {
        return Redirect::to("/login").into_response();
    };
    let tr = tr_of(&signed_in, &headers);
    match app
        .staff
        .disable_two_factor(
            &signed_in.actor,
            form.get("password").unwrap_or(""),
            form.get("code").unwrap_or(""),
        )
        .await
    {
        Ok(()) => Redirect::to("/two-factor").into_response(),
        Err(error) => {
            let (message, status) = refusal(&tr, &error);
            let mut shown = page(tr, &signed_in, "on");
            shown.error = Some(message);
            answer(&shown, status)
        }
    }
}
