//! Static files embedded in the binary, served with long cache lifetimes. Their names carry a
//! version (`?v=` of the build) in the pages, so a new release is fetched anew.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A version string for asset addresses: changes with every release.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every asset: path under `/assets/`, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/app.js"),
    ),
    (
        "vendor/htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/htmx.min.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../assets/favicon.svg"),
    ),
];

/// `GET /assets/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    let Some((_, content_type, bytes)) = ASSETS.iter().find(|(name, _, _)| *name == file) else {
        return (StatusCode::NOT_FOUND, "There is no such asset.").into_response();
    };
    let mut response = bytes.to_vec().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn vendored_files_match_their_recorded_checksums() {
        let readme = include_str!("../../assets/vendor/README.md");
        let digest = tiski_kernel::crypto::hex(&Sha256::digest(include_bytes!(
            "../../assets/vendor/htmx.min.js"
        )));
        assert!(
            readme.contains("`htmx.min.js`") && readme.contains(&digest),
            "assets/vendor/README.md does not record htmx.min.js's SHA-256 {digest}"
        );
    }
}
