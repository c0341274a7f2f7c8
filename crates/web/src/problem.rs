//! RFC 9457 problem details: every error the API answers, in one place.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tiski_kernel::{AppError, ErrorCode};

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
    /// A stable snake_case code for programs, one of the error code table.
    #[schema(value_type = ErrorCode)]
    pub code: &'static str,
    /// The input field at fault (a path such as `requester.email` or `tags/2`), if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Problem {
    /// A problem with a code of the table, answered with the code's status.
    pub fn of(code: ErrorCode, detail: impl Into<String>) -> Problem {
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Problem::coded(status, code, detail)
    }

    fn coded(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Problem {
        Problem::new(status, code.as_str(), detail)
    }

    /// A problem of `status` with a stable `code`.
    fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Problem {
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
    /// Answers an application error from the one table of error codes: its status, its code,
    /// its sentence and the field at fault. Server faults are logged, and their details stay
    /// in the log.
    fn from(error: AppError) -> Problem {
        let code = error.code();
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let detail = if error.is_server_fault() {
            tracing::error!(%error, code = code.as_str(), "a request failed on the server's side");
            code.meaning().to_string()
        } else {
            error.to_string()
        };
        let problem = Problem::coded(status, code, detail);
        match error.field() {
            Some(field) => problem.at(field),
            None => problem,
        }
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, Problem>;
