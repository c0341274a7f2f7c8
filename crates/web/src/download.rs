//! File downloads: outside files are served so that a browser saves them and never runs them
//! as pages of this site.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A download that a browser saves rather than renders: files from outside never run as
/// pages of this site.
pub(crate) fn download(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    let safe_type = match content_type.to_ascii_lowercase().as_str() {
        t @ ("image/png" | "image/jpeg" | "image/gif" | "image/webp" | "application/pdf"
        | "text/plain" | "message/rfc822") => t.to_string(),
        _ => "application/octet-stream".to_string(),
    };
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(150)
        .collect();
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&safe_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}
