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

/// The largest image shown as a thumbnail: the thumbnail is the original scaled by CSS (no
/// image decoder runs on outside bytes on the server, and none is built on 2 cores), so the
/// bound keeps a page of thumbnails cheap; larger images are only downloaded.
pub(crate) const PREVIEW_MAX_BYTES: i64 = 4 * 1024 * 1024;

/// How the browser may show a file of this type and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// A raster image small enough for a thumbnail.
    Image,
    /// A PDF, for the browser's own viewer.
    Pdf,
    /// Anything else: downloaded.
    File,
}

impl Shown {
    /// What a file of `content_type` and `size` bytes is shown as. SVG is a file: it is a
    /// document that can hold scripts.
    pub(crate) fn of(content_type: &str, size: i64) -> Shown {
        match content_type.trim().to_ascii_lowercase().as_str() {
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
                if size <= PREVIEW_MAX_BYTES =>
            {
                Shown::Image
            }
            "application/pdf" => Shown::Pdf,
            _ => Shown::File,
        }
    }
}

/// A file shown in the browser when it is a bounded raster image or a PDF (inline, its own
/// type, nosniff, a sandboxing policy that lets nothing run); anything else as a
/// [`download`].
pub(crate) fn preview(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    let shown = Shown::of(content_type, bytes.len() as i64);
    if shown == Shown::File {
        return download(bytes, content_type, filename);
    }
    let mut response = download(bytes, content_type, filename);
    let headers = response.headers_mut();
    let disposition = headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.replacen("attachment", "inline", 1));
    if let Some(value) = disposition.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
        ),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    response
}
