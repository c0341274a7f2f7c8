//! The few value types tiski stores, and rows of them, read into typed values: a stored value
//! that does not fit its type is an error with the column and the reason, never a default.

use crate::StoreError;
use tiski_domain::{AuthorKind, Channel, EventType, MessageKind, Priority, Role, Status};

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (ids, times in microseconds, counts, flags).
    Int(i64),
    /// A real number.
    Real(f64),
    /// Text (also JSON).
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}

impl From<i32> for Value {
    fn from(value: i32) -> Self {
        Value::Int(value.into())
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Int(value.into())
    }
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::Real(value)
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Self {
        Value::Text(value.clone())
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_owned())
    }
}

impl From<Vec<u8>> for Value {
    fn from(value: Vec<u8>) -> Self {
        Value::Blob(value)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

/// A type that can be read from a [`Value`].
pub trait FromValue: Sized {
    /// Converts, or explains why not.
    fn from_value(value: &Value) -> Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Int(v) => Ok(*v),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}

impl FromValue for bool {
    fn from_value(value: &Value) -> Result<Self, String> {
        i64::from_value(value).map(|v| v != 0)
    }
}

impl FromValue for f64 {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Real(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            other => Err(format!("expected a real, found {other:?}")),
        }
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Text(v) => Ok(v.clone()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Blob(v) => Ok(v.clone()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// Reads the wire names of domain enums (`"on_hold"` → `Status::OnHold`).
macro_rules! wire_from_value {
    ($($name:ty),+) => {
        $(impl FromValue for $name {
            fn from_value(value: &Value) -> Result<Self, String> {
                <$name>::parse(&String::from_value(value)?).map_err(|e| e.message)
            }
        })+
    };
}

wire_from_value!(Status, Channel, MessageKind, AuthorKind, Role, EventType);

impl FromValue for Priority {
    /// Priorities are stored as their rank, so they sort.
    fn from_value(value: &Value) -> Result<Self, String> {
        let rank = i64::from_value(value)?;
        Priority::from_rank(rank).ok_or_else(|| format!("{rank} is not a priority rank"))
    }
}

/// A JSON column read as `T` (tags, settings, templates).
#[derive(Debug, Clone, PartialEq)]
pub struct Json<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromValue for Json<T> {
    fn from_value(value: &Value) -> Result<Self, String> {
        let text = String::from_value(value)?;
        serde_json::from_str(&text)
            .map(Json)
            .map_err(|error| format!("stored JSON {:?} does not fit: {error}", shorten(&text)))
    }
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(80).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// One row of a result, read by column position.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Reads column `index` (from 0) as `T`.
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T, StoreError> {
        let value = self.0.get(index).ok_or_else(|| StoreError::Decode {
            column: index,
            message: "no such column".into(),
        })?;
        T::from_value(value).map_err(|message| StoreError::Decode {
            column: index,
            message,
        })
    }
}
