//! Signing in through the form and the session: the clients, reading cookies and form
//! fields, and encoding the form.

use anyhow::{Context, bail};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};

use crate::op::truncate;
use crate::{MAX_ERROR_BODY, REQUEST_TIMEOUT};

/// The session cookie of the workspace (`tiski_web::ui::auth::SESSION_COOKIE`).
const SESSION_COOKIE: &str = "tiski_session";
/// The sign-in form's CSRF cookie (`tiski_web::ui::auth::LOGIN_COOKIE`).
const LOGIN_COOKIE: &str = "tiski_login";

/// A client that sends the session cookie with every request and follows no redirects.
pub(super) fn session_client(session: &str, concurrency: u32) -> anyhow::Result<reqwest::Client> {
    let mut cookie = HeaderValue::from_str(&format!("{SESSION_COOKIE}={session}"))
        .context("the session cookie cannot be sent in an HTTP header")?;
    cookie.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, cookie);
    plain_client(headers, concurrency)
}

fn plain_client(headers: HeaderMap, concurrency: u32) -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(std::time::Duration::from_secs(5))
        .pool_max_idle_per_host(concurrency as usize)
        .user_agent(concat!("tiski-bench/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("building the HTTP client")
}

/// Signs in through the form and returns the session token.
pub(super) async fn sign_in(base: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let client = plain_client(HeaderMap::new(), 1)?;
    let url = format!("{base}/login");
    let resp = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("GET {url}: is the server running?"))?;
    let status = resp.status();
    let login_cookie = set_cookie(resp.headers(), LOGIN_COOKIE);
    let form = resp
        .text()
        .await
        .with_context(|| format!("GET {url}: reading the response"))?;
    if status != StatusCode::OK {
        bail!(
            "the sign-in form: expected 200 OK, got {status}: {}",
            truncate(&form, MAX_ERROR_BODY)
        );
    }
    let login_cookie = login_cookie
        .filter(|c| !c.is_empty())
        .with_context(|| format!("GET {url} set no {LOGIN_COOKIE} cookie"))?;
    let csrf = hidden_field(&form, "csrf").unwrap_or_else(|| login_cookie.clone());

    let body = form_encode(&[
        ("csrf", &csrf),
        ("email", email),
        ("password", password),
        ("next", "/inbox"),
    ]);
    let mut cookie = HeaderValue::from_str(&format!("{LOGIN_COOKIE}={login_cookie}"))
        .context("the sign-in cookie cannot be sent in an HTTP header")?;
    cookie.set_sensitive(true);
    let resp = client
        .post(&url)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let status = resp.status();
    let session = set_cookie(resp.headers(), SESSION_COOKIE).filter(|s| !s.is_empty());
    match session {
        Some(session) if status.is_redirection() => Ok(session),
        _ => {
            let hint = match status.as_u16() {
                401 => " (are --ui-email and --ui-password / TISKI_BENCH_UI_PASSWORD right?)",
                429 => " (too many sign-in attempts; wait 15 minutes or restart the server)",
                403 => " (the CSRF check refused the form)",
                _ => "",
            };
            bail!(
                "signing in as {email}: expected a redirect with a session cookie, got {status}{hint}"
            );
        }
    }
}

/// The value of cookie `name` set by a response (the last `Set-Cookie` for it wins).
fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .next_back()
}

/// The value of the first `<input … name="NAME" value="…">` in `html` (attribute order as
/// the templates write it), with the few entities askama escapes undone.
fn hidden_field(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle)? + needle.len();
    let end = html[start..].find('"')? + start;
    Some(
        html[start..end]
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// `application/x-www-form-urlencoded` encoding of `pairs`.
fn form_encode(pairs: &[(&str, &str)]) -> String {
    fn encode(out: &mut String, text: &str) {
        for b in text.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    out.push(b as char)
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(&mut out, k);
        out.push('=');
        encode(&mut out, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_escapes_everything_but_unreserved() {
        assert_eq!(
            form_encode(&[("email", "a+b@x.fi"), ("password", "p ä&=%")]),
            "email=a%2Bb%40x.fi&password=p+%C3%A4%26%3D%25"
        );
        assert_eq!(form_encode(&[]), "");
    }

    #[test]
    fn set_cookie_finds_the_named_cookie() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_static("tiski_lang=fi; Path=/"),
        );
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_static("tiski_session=tks_abc; Path=/; HttpOnly; SameSite=Lax"),
        );
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_static("tiski_login=; Path=/; Max-Age=0"),
        );
        assert_eq!(
            set_cookie(&headers, SESSION_COOKIE).as_deref(),
            Some("tks_abc")
        );
        assert_eq!(set_cookie(&headers, LOGIN_COOKIE).as_deref(), Some(""));
        assert_eq!(set_cookie(&headers, "tiski"), None);
    }

    #[test]
    fn hidden_field_reads_the_csrf_input() {
        let html = r#"<form method="post" action="/login">
    <input type="hidden" name="csrf" value="0a1b&amp;2c">
    <input type="hidden" name="next" value="/inbox"></form>"#;
        assert_eq!(hidden_field(html, "csrf").as_deref(), Some("0a1b&2c"));
        assert_eq!(hidden_field(html, "next").as_deref(), Some("/inbox"));
        assert_eq!(hidden_field(html, "email"), None);
    }
}
