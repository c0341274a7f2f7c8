//! Pure types and rules of tiski.
//!
//! Architecture invariant: this crate does no IO and knows nothing of SQL, HTTP or async.
//! Values here are built by `parse` constructors, so code that takes them cannot get bad data.

pub mod calendar;
pub mod card;
pub mod clock;
pub mod event;
pub mod identity;
pub mod notification;
pub mod permission;
pub mod placeholders;
pub mod routing;
pub mod sla;
pub mod ticket;
pub mod user;

pub use clock::Clock;
pub use event::{EVENT_SCHEMA_VERSION, Event, EventType};
pub use identity::{EmailAddress, LanguageTag, PhoneE164, Tag, TagProblem, TimeZoneName};
pub use notification::NotificationKind;
pub use permission::Permission;
pub use ticket::{AuthorKind, Channel, MessageKind, Priority, Status, TransitionError};
pub use user::Role;

/// A value that failed to parse, with a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// What is wrong, as a whole sentence.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The same error, naming the input field it was found in.
    pub fn at(self, field: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: self.message,
        }
    }
}

/// A rule broken by one input field: which field (a path such as `requester.email` or
/// `tags/2`) and why, as a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field at fault.
    pub field: String,
    /// What is wrong, as a whole sentence.
    pub message: String,
}

impl FieldError {
    /// A broken rule on `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The OpenAPI schema of a string that is one of `values`.
#[doc(hidden)]
pub fn string_enum_schema(
    values: &[&str],
    what: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(format!("A {what}.")))
        .enum_values(Some(values.iter().copied()))
        .into()
}

/// Defines a string-backed enum with its wire names, `as_str`, `parse` and serde support.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used on the wire and in storage.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            /// Parses the wire name; anything else is an error naming the accepted values.
            pub fn parse(value: &str) -> Result<Self, $crate::ParseError> {
                match value {
                    $($wire => Ok($name::$variant),)+
                    other => Err($crate::ParseError::new(format!(
                        "{:?} is not a valid {}; expected one of: {}.",
                        other,
                        $what,
                        [$($wire),+].join(", ")
                    ))),
                }
            }
        }

        impl utoipa::PartialSchema for $name {
            /// A string of one of the wire names (the derive cannot read names given through
            /// a macro, so the schema is written from the same list).
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::string_enum_schema(&[$($wire),+], $what)
            }
        }

        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use wire_enum;
