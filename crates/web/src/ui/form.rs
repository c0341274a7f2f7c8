//! `application/x-www-form-urlencoded` bodies and query strings as a list of pairs, so a field
//! may repeat (the ticket ids of a bulk action).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;

/// The fields of a form or query string, in order.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// Parses `a=1&b=2`.
    pub fn parse(bytes: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed, when not empty.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    /// The first value of `name` as a positive integer.
    pub fn id(&self, name: &str) -> Option<i64> {
        self.get(name)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|v| *v > 0)
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a checkbox `name` is on.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v == "on" || v == "1" || v == "true")
    }
}

/// A form body.
pub struct FormBody(pub Fields);

impl<S: Send + Sync> FromRequest<S> for FormBody {
    type Rejection = axum::response::Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(axum::response::IntoResponse::into_response)?;
        Ok(FormBody(Fields::parse(&bytes)))
    }
}

/// The query string.
pub struct QueryFields(pub Fields);

impl<S: Send + Sync> FromRequestParts<S> for QueryFields {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(QueryFields(Fields::parse(
            parts.uri.query().unwrap_or("").as_bytes(),
        )))
    }
}
