//! Rules of staff input: names, languages, team lists.

use tiski_domain::{FieldError, LanguageTag};

/// A display name: 1 to `max` characters, trimmed, without NUL.
pub(crate) fn name(field: &str, name: &str, max: usize, what: &str) -> Result<String, FieldError> {
    let trimmed = name.trim();
    if name.contains('\0') {
        return Err(FieldError::new(
            field,
            "The text contains a NUL character, which is not allowed.",
        ));
    }
    if trimmed.is_empty() || trimmed.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("The {what} must have 1 to {max} characters."),
        ));
    }
    Ok(trimmed.to_string())
}

/// Languages spoken: at most 20 BCP 47 tags, normalised, without repeats.
pub(crate) fn languages(languages: &[String]) -> Result<Vec<String>, FieldError> {
    if languages.len() > 20 {
        return Err(FieldError::new("languages", "At most 20 languages."));
    }
    let mut out: Vec<String> = Vec::new();
    for (index, language) in languages.iter().enumerate() {
        let tag = LanguageTag::parse(language)
            .map_err(|e| e.at(format!("languages/{index}")))?
            .into_string();
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

/// Team ids sorted, without repeats.
pub(crate) fn team_ids(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_languages() {
        assert_eq!(name("name", "  Ada  ", 200, "name").unwrap(), "Ada");
        assert_eq!(name("name", " ", 200, "name").unwrap_err().field, "name");
        assert!(name("name", "a\0", 200, "name").is_err());
        assert_eq!(
            languages(&["fi".into(), "FI".into(), "en-GB".into()]).unwrap(),
            vec!["fi", "en-GB"]
        );
        assert_eq!(
            languages(&["fi".into(), "not a tag".into()])
                .unwrap_err()
                .field,
            "languages/1"
        );
        assert_eq!(team_ids(&[3, 1, 3]), vec![1, 3]);
    }
}
