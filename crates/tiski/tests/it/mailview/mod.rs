//! Mail shown as it was written and the smaller things of the workspace: HTML mail in its
//! sandboxed frame (remote images held back, `cid:` parts permission-checked), hostile HTML
//! and files, tags split and refused in words, inbox sorts with keyset paging, the
//! "waiting since" column and the bulk bar.

mod files;
mod frame;
mod inbox;
mod tags;

use reqwest::header::COOKIE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tiski_testkit::TestApp;

/// A mailbox for `address` in a new team; returns (mailbox id, team id).
pub(crate) async fn mailbox(test: &TestApp, address: &str) -> (i64, i64) {
    let team = test.team(&format!("Team for {address}")).await;
    let (status, body) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({"address": address, "name": "Support", "team_id": team}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (body["id"].as_i64().unwrap(), team)
}

/// Posts raw mail into a mailbox; answers the ingest result.
pub(crate) async fn post_raw(test: &TestApp, mailbox: i64, raw: &str) -> Value {
    let response = test
        .request(
            Method::POST,
            &format!("/api/v1/mailboxes/{mailbox}/raw"),
            Some(&test.admin),
        )
        .header("content-type", "message/rfc822")
        .body(raw.as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// A ticket's messages through the API.
pub(crate) async fn messages(test: &TestApp, ticket: i64) -> Vec<Value> {
    let (status, page) = test
        .get(&format!("/api/v1/tickets/{ticket}/messages"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

/// A GET with the browser's cookies, answering the whole response (headers too).
pub(crate) async fn fetch(test: &TestApp, cookies: &str, path: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}{path}", test.url))
        .header(COOKIE, cookies)
        .send()
        .await
        .unwrap()
}

/// A header's value, or "".
pub(crate) fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The elements of serialised HTML: name and attributes (name, value), quotes respected.
pub(crate) fn elements(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let chars: Vec<char> = html.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '<' {
            i += 1;
            continue;
        }
        i += 1;
        let mut name = String::new();
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '>' && chars[i] != '/' {
            name.push(chars[i].to_ascii_lowercase());
            i += 1;
        }
        let mut attributes = Vec::new();
        loop {
            while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
                i += 1;
            }
            if i >= chars.len() || chars[i] == '>' {
                i += 1;
                break;
            }
            let mut attribute = String::new();
            while i < chars.len() && !chars[i].is_whitespace() && !"=>/".contains(chars[i]) {
                attribute.push(chars[i].to_ascii_lowercase());
                i += 1;
            }
            let mut value = String::new();
            if i < chars.len() && chars[i] == '=' {
                i += 1;
                if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                    let quote = chars[i];
                    i += 1;
                    while i < chars.len() && chars[i] != quote {
                        value.push(chars[i]);
                        i += 1;
                    }
                    i += 1;
                } else {
                    while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '>' {
                        value.push(chars[i]);
                        i += 1;
                    }
                }
            }
            if attribute.is_empty() && value.is_empty() {
                i += 1;
            } else {
                attributes.push((attribute, value));
            }
        }
        if !name.is_empty() && !name.starts_with('!') {
            out.push((name, attributes));
        }
    }
    out
}

/// What sanitised mail must never have: elements that run or load (script, frames, style
/// sheets, forms, SVG), event-handler attributes, `javascript:`-like addresses; and, with
/// `shown` (the frame's HTML), an image source other than this site's or (when `remote` is
/// allowed) an http(s) address.
pub(crate) fn dangerous(html: &str, shown: bool, remote: bool) -> Vec<String> {
    let mut found = Vec::new();
    for (name, attributes) in elements(html) {
        if matches!(
            name.as_str(),
            "script"
                | "iframe"
                | "frame"
                | "object"
                | "embed"
                | "style"
                | "link"
                | "meta"
                | "base"
                | "form"
                | "input"
                | "svg"
                | "math"
                | "video"
                | "audio"
                | "source"
                | "picture"
        ) {
            found.push(format!("<{name}>"));
        }
        for (attribute, value) in attributes {
            let value = value.to_ascii_lowercase();
            let value = value.trim();
            let loads = matches!(
                attribute.as_str(),
                "src" | "srcset" | "background" | "poster" | "data" | "action" | "formaction"
            );
            if attribute.starts_with("on")
                || attribute == "srcset"
                || attribute == "background"
                || value.starts_with("javascript:")
                || value.starts_with("vbscript:")
                || value.starts_with("data:text")
                || (attribute == "style"
                    && (value.contains("url(")
                        || value.contains("expression")
                        || value.contains("@import")))
                || (shown
                    && loads
                    && !remote
                    && (value.starts_with("http") || value.starts_with("//")))
                || (shown && loads && !value.starts_with("/ui/") && !value.starts_with("http"))
            {
                found.push(format!("<{name} {attribute}={value:?}>"));
            }
        }
    }
    found
}
