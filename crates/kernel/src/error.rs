//! The one table of error codes, and the error every command and query answers with.
//!
//! Each code has its HTTP status and the id of its translatable message; the web layer answers
//! problems from this table and the OpenAPI document lists it, so a code means the same thing
//! wherever it appears. Conflicts have codes of their own, so a client can tell "that email is
//! taken" from "that ticket is closed" without reading sentences.

use serde::Serialize;
use tiski_domain::FieldError;
use tiski_store::StoreError;

/// Defines [`ErrorCode`] with its stable name, HTTP status, message id and meaning.
macro_rules! error_codes {
    ($(#[doc = $first:literal] $(#[doc = $more:literal])* $variant:ident = $code:literal, $status:literal, $message:literal;)+) => {
        /// A stable snake_case error code, as every problem answer carries it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum ErrorCode {
            $(#[doc = $first] $(#[doc = $more])* #[serde(rename = $code)] $variant),+
        }

        impl utoipa::PartialSchema for ErrorCode {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                tiski_domain::string_enum_schema(&[$($code),+], "stable error code (see the table in the API description)")
            }
        }

        impl utoipa::ToSchema for ErrorCode {}

        impl ErrorCode {
            /// Every code, in table order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The stable name (`invalid_field`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code),+
                }
            }

            /// The HTTP status a problem with this code answers.
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status),+
                }
            }

            /// The id of the translatable message that explains the code to a person.
            pub fn message_id(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $message),+
                }
            }

            /// What the code means, in one sentence (the first line of its doc).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $first.trim_ascii()),+
                }
            }
        }
    };
}

error_codes! {
    /// No valid credentials were sent.
    Unauthorized = "unauthorized", 401, "error-signin";
    /// The caller's role does not allow this.
    Forbidden = "forbidden", 403, "error-forbidden";
    /// The thing does not exist, or the caller may not see it (the two are not told apart).
    NotFound = "not_found", 404, "error-not-found";
    /// There is nothing at this address.
    NoRoute = "no_route", 404, "error-not-found";
    /// This address does not take this method.
    MethodNotAllowed = "method_not_allowed", 405, "error-not-found";
    /// A field of the input is not acceptable; `field` names it.
    InvalidField = "invalid_field", 422, "error-invalid-field";
    /// The body is not JSON.
    MalformedJson = "malformed_json", 400, "error-invalid-field";
    /// The body could not be read.
    UnreadableBody = "unreadable_body", 400, "error-invalid-field";
    /// The body is not of a type this address takes.
    UnsupportedMediaType = "unsupported_media_type", 415, "error-invalid-field";
    /// The body is larger than this address takes.
    BodyTooLarge = "body_too_large", 413, "error-too-large";
    /// A query parameter is not acceptable; `field` names it.
    InvalidQuery = "invalid_query", 400, "error-invalid-field";
    /// A path parameter is not acceptable; `field` names it.
    InvalidPath = "invalid_path", 400, "error-not-found";
    /// A header is not acceptable; `field` names it.
    InvalidHeader = "invalid_header", 400, "error-invalid-field";
    /// Too many attempts in a short time; wait and try again.
    RateLimited = "rate_limited", 429, "error-rate-limited";
    /// The ticket is closed: it takes no changes, replies or notes.
    TicketClosed = "ticket_closed", 409, "error-ticket-closed";
    /// The ticket's status cannot go from its current one to the one asked for.
    InvalidTransition = "invalid_transition", 409, "error-invalid-transition";
    /// A staff user with this email address exists.
    EmailTaken = "email_taken", 409, "error-email-taken";
    /// The email address or phone number belongs to another customer.
    IdentityTaken = "identity_taken", 409, "error-identity-taken";
    /// A team with this name exists.
    TeamNameTaken = "team_name_taken", 409, "error-team-name-taken";
    /// A mailbox for this address exists.
    MailboxExists = "mailbox_exists", 409, "error-mailbox-exists";
    /// The Idempotency-Key was used before for a different request.
    IdempotencyKeyReused = "idempotency_key_reused", 409, "error-idempotency-key-reused";
    /// A concurrent change won; the request changed nothing and may be sent again.
    WriteConflict = "write_conflict", 409, "error-conflict";
    /// The data store could not complete the request; nothing was changed; try again.
    StorageUnavailable = "storage_unavailable", 503, "error-storage";
    /// Stored data could not be read; nothing was changed; the operator is told in the log.
    StoredDataUnreadable = "stored_data_unreadable", 500, "error-internal";
    /// The server failed on this request; nothing was changed.
    Internal = "internal_error", 500, "error-internal";
    /// A public reply no channel can deliver to the requester (no address, no mailbox); nothing was stored.
    UnreachableRequester = "unreachable_requester", 422, "error-unreachable-requester";
    /// The reply's undo window is over: it went out (or is going out) and cannot be taken back.
    UndoWindowOver = "undo_window_over", 409, "error-undo-window-over";
    /// The ticket was merged into another; it answers with a pointer to the survivor.
    TicketMerged = "ticket_merged", 409, "error-ticket-merged";
    /// A product with this SKU exists (SKUs are unique ignoring case).
    SkuTaken = "sku_taken", 409, "error-sku-taken";
    /// The order's status cannot go from its current one to the one asked for.
    InvalidOrderTransition = "invalid_order_transition", 409, "error-invalid-order-transition";
    /// The refund was approved or rejected already.
    RefundDecided = "refund_decided", 409, "error-refund-decided";
    /// An EDI interchange was refused (kept raw with the reason; the field names the segment).
    EdiRefused = "edi_refused", 422, "error-edi-refused";
    /// A trading partner with this sender id and qualifier exists.
    EdiPartnerTaken = "edi_partner_taken", 409, "error-edi-partner-taken";
}

/// Why a command or query did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// The actor's role does not allow this action.
    #[error("{0}")]
    Forbidden(String),
    /// The thing does not exist, or the actor may not see it (the two are not told apart).
    #[error("The {what} was not found.")]
    NotFound {
        /// What was looked for, such as `ticket`.
        what: &'static str,
    },
    /// A field of the input is not acceptable.
    #[error("{message}")]
    Invalid {
        /// The field at fault, as a path such as `requester.email` or `tags/2`.
        field: String,
        /// What is wrong, as a sentence.
        message: String,
    },
    /// The input contradicts stored state (a duplicate, an illegal transition).
    #[error("{message}")]
    Conflict {
        /// Which conflict, one of the 409 codes.
        code: ErrorCode,
        /// The field at fault, when one is.
        field: Option<String>,
        /// What is wrong, as a sentence.
        message: String,
    },
    /// Stored data could not be read as its type (a bug or a damaged row, never the caller's
    /// fault).
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    /// The store failed.
    #[error("storage failed: {0}")]
    Store(#[from] StoreError),
}

impl AppError {
    /// An invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A conflict with stored state, of one of the conflict codes, on a field.
    pub fn conflict(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A conflict with stored state that no single field caused.
    pub fn conflict_without_field(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            field: None,
            message: message.into(),
        }
    }

    /// Something that is not there (or not visible).
    pub fn not_found(what: &'static str) -> Self {
        AppError::NotFound { what }
    }

    /// An action beyond the actor's role.
    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    /// The code of this error, from the table.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Unauthorized(_) => ErrorCode::Unauthorized,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound { .. } => ErrorCode::NotFound,
            AppError::Invalid { .. } => ErrorCode::InvalidField,
            AppError::Conflict { code, .. } => *code,
            AppError::Corrupt(_) => ErrorCode::StoredDataUnreadable,
            AppError::Store(StoreError::Conflict { .. }) => ErrorCode::WriteConflict,
            AppError::Store(StoreError::Decode { .. }) => ErrorCode::StoredDataUnreadable,
            AppError::Store(StoreError::Panicked(_)) => ErrorCode::Internal,
            AppError::Store(_) => ErrorCode::StorageUnavailable,
        }
    }

    /// The input field at fault, when one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            AppError::Conflict { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Whether the server, not the caller, is at fault (worth an error in the log).
    pub fn is_server_fault(&self) -> bool {
        self.code().status() >= 500
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid {
            field: error.field,
            message: error.message,
        }
    }
}

impl From<serde_json::Error> for AppError {
    /// JSON the server itself wrote could not be read or written: never the caller's fault
    /// (their JSON is checked at the edge), never a storage outage.
    fn from(error: serde_json::Error) -> Self {
        AppError::Corrupt(format!("JSON: {error}"))
    }
}

impl From<tiski_domain::event::EventDecodeError> for AppError {
    fn from(error: tiski_domain::event::EventDecodeError) -> Self {
        AppError::Corrupt(error.to_string())
    }
}

/// The result of a use case.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        let mut names = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(names.insert(code.as_str()), "{code:?} twice");
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code:?}"
            );
            assert!((400..600).contains(&code.status()), "{code:?}");
            assert!(code.message_id().starts_with("error-"), "{code:?}");
            assert!(code.meaning().ends_with('.'), "{code:?}");
        }
    }

    #[test]
    fn json_and_decode_failures_are_server_faults_not_outages() {
        let json = AppError::from(serde_json::from_str::<i64>("x").unwrap_err());
        assert_eq!(json.code(), ErrorCode::StoredDataUnreadable);
        assert_eq!(json.code().status(), 500);
        let decode = AppError::Store(StoreError::Decode {
            column: 2,
            message: "\"done\" is not a valid status".into(),
        });
        assert_eq!(decode.code().status(), 500);
        assert_eq!(
            AppError::Store(StoreError::Closed).code(),
            ErrorCode::StorageUnavailable
        );
        for code in ErrorCode::ALL {
            if code.as_str().contains("taken") || code.as_str().contains("closed") {
                assert_eq!(code.status(), 409);
            }
        }
    }
}
