//! RFC 9457 problem details: every error the API answers, in one place.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tiski_app::AppError;

/// An error answer: `application/problem+json` with a stable code and the field at fault.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (relative to the server).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong here, as a sentence.
    pub detail: String,
    /// A stable snake_case code for programs.
    pub code: &'static str,
    /// The input field at fault (a path such as `requester.email` or `tags/2`), if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Problem {
    /// A problem of `status` with a stable `code`.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("/problems/{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            field: None,
        }
    }

    /// The same problem, naming the field at fault.
    pub fn at(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(field.into());
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Problem {
        match error {
            AppError::Unauthorized(message) => {
                Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
            }
            AppError::Forbidden(message) => {
                Problem::new(StatusCode::FORBIDDEN, "forbidden", message)
            }
            AppError::NotFound { what } => Problem::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("The {what} was not found."),
            ),
            AppError::Invalid { field, message } => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message).at(field)
            }
            AppError::Conflict { field, message } => {
                let problem = Problem::new(StatusCode::CONFLICT, "conflict", message);
                match field {
                    Some(field) => problem.at(field),
                    None => problem,
                }
            }
            AppError::Store(error) => {
                tracing::error!(%error, "storage failed");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_unavailable",
                    "The data store could not complete the request; nothing was changed. Try again.",
                )
            }
        }
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, Problem>;
