//! Errors of the use cases, each mapped to one HTTP status by the web layer.

use tiski_store::StoreError;

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
        /// The field at fault, as a JSON pointer-like path such as `requester.email`.
        field: String,
        /// What is wrong, as a sentence.
        message: String,
    },
    /// The input contradicts stored state (a duplicate, an illegal transition).
    #[error("{message}")]
    Conflict {
        /// The field at fault, when one is.
        field: Option<String>,
        /// What is wrong, as a sentence.
        message: String,
    },
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

    /// A conflict with stored state on a field.
    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Conflict {
            field: Some(field.into()),
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
}

impl From<serde_json::Error> for AppError {
    fn from(error: serde_json::Error) -> Self {
        AppError::Store(StoreError::Decode {
            column: 0,
            message: format!("stored JSON could not be read: {error}"),
        })
    }
}

/// The result of a use case.
pub type AppResult<T> = Result<T, AppError>;
