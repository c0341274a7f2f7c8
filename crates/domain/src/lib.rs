//! Pure types and rules of tiski.
//!
//! Architecture invariant: this crate does no IO and knows nothing of SQL, HTTP or async.
//! Values here are built by `parse` constructors, so code that takes them cannot get bad data.

pub mod event;
pub mod identity;
pub mod ticket;
pub mod user;

pub use event::EventType;
pub use identity::{EmailAddress, LanguageTag, PhoneE164, Tag, TimeZoneName};
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
}

/// Defines a string-backed enum with its wire names, `as_str`, `parse` and serde support.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
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

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use wire_enum;
