//! Checks every command applies to the text it is given, in one place.

use crate::{AppError, AppResult};

/// Refuses text with a NUL character, which PostgreSQL cannot store and no person types.
pub fn refuse_nul(field: &str, text: &str) -> AppResult<()> {
    if text.contains('\0') {
        return Err(AppError::invalid(
            field,
            "The text contains a NUL character, which is not allowed.",
        ));
    }
    Ok(())
}

/// Trimmed text of `min` to `max` characters, without NUL; `message` says so when not.
pub fn trimmed(
    field: &str,
    text: &str,
    min: usize,
    max: usize,
    message: &str,
) -> AppResult<String> {
    refuse_nul(field, text)?;
    let text = text.trim();
    let count = text.chars().count();
    if count < min || count > max {
        return Err(AppError::invalid(field, message));
    }
    Ok(text.to_string())
}

/// Deserialises a field that may be absent (`None`), `null` (`Some(None)`) or a value, for
/// patches where `null` clears.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// A pattern for `LIKE … ESCAPE '\'` that matches `text` anywhere, its wildcards escaped.
pub fn like_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks() {
        assert!(refuse_nul("x", "a\0b").is_err());
        assert_eq!(trimmed("x", "  ab ", 1, 3, "no").unwrap(), "ab");
        assert!(trimmed("x", "   ", 1, 3, "no").is_err());
        assert!(trimmed("x", "abcd", 1, 3, "no").is_err());
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
