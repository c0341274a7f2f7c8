//! Checks of what people send routing: names, proficiencies, dates, channel lists and
//! requirements, each failing with the field at fault.

use super::SECOND;
use std::collections::HashSet;
use tiski_domain::{Channel, FieldError};
use tiski_ticketing::Requirement;

/// The most skills an agent or a ticket's work lists.
pub const MAX_SKILLS: usize = 200;
/// The most requirements a ticket's work has.
pub const MAX_REQUIREMENTS: usize = 20;
/// The longest wait a requirement may take to relax: thirty days.
pub const MAX_RELAX_S: i64 = 30 * 86_400;

/// A name of a skill or queue: 1 to 100 characters once trimmed, no control characters.
pub fn name(field: &str, text: &str) -> Result<String, FieldError> {
    let trimmed = text.trim();
    let count = trimmed.chars().count();
    if count == 0 || count > 100 || trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "Give a name of 1 to 100 characters, without control characters.",
        ));
    }
    Ok(trimmed.to_string())
}

/// A proficiency, 1 to 5.
pub fn proficiency(field: &str, value: i64) -> Result<i64, FieldError> {
    if !(1..=5).contains(&value) {
        return Err(FieldError::new(
            field,
            format!("{value} is not a proficiency; use 1 (some) to 5 (expert)."),
        ));
    }
    Ok(value)
}

/// The last day a skill counts (`YYYY-MM-DD`), and the first moment it no longer does: the
/// start of the next day, UTC.
pub fn valid_until(field: &str, text: &str) -> Result<(String, i64), FieldError> {
    let refuse = || {
        FieldError::new(
            field,
            format!("{text:?} is not a date; use YYYY-MM-DD, for example 2027-06-30."),
        )
    };
    if text.len() != 10 {
        return Err(refuse());
    }
    let date: jiff::civil::Date = text.parse().map_err(|_| refuse())?;
    let next = date.tomorrow().map_err(|_| refuse())?;
    let start = next
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_err(|_| refuse())?
        .timestamp()
        .as_microsecond();
    Ok((date.to_string(), start))
}

/// A list of channels: 1 to 8, each once.
pub fn channels(field: &str, list: &[Channel]) -> Result<Vec<Channel>, FieldError> {
    if list.is_empty() || list.len() > 8 {
        return Err(FieldError::new(field, "Give 1 to 8 channels."));
    }
    let mut seen = HashSet::new();
    for (index, channel) in list.iter().enumerate() {
        if !seen.insert(*channel) {
            return Err(FieldError::new(
                format!("{field}/{index}"),
                format!("The channel {channel} is given twice."),
            ));
        }
    }
    Ok(list.to_vec())
}

/// A list of ids with none twice and at most `max`.
pub fn ids(field: &str, list: &[i64], max: usize) -> Result<Vec<i64>, FieldError> {
    if list.len() > max {
        return Err(FieldError::new(field, format!("Give at most {max}.")));
    }
    let mut seen = HashSet::new();
    for (index, id) in list.iter().enumerate() {
        if !seen.insert(*id) {
            return Err(FieldError::new(
                format!("{field}/{index}"),
                format!("{id} is given twice."),
            ));
        }
    }
    Ok(list.to_vec())
}

/// The requirements of a ticket's work: at most 20, each skill once, proficiency 1 to 5, a
/// relax time of 0 to 30 days or none.
pub fn requirements(list: &[Requirement]) -> Result<Vec<Requirement>, FieldError> {
    if list.len() > MAX_REQUIREMENTS {
        return Err(FieldError::new(
            "requirements",
            format!("Give at most {MAX_REQUIREMENTS} requirements."),
        ));
    }
    let mut seen = HashSet::new();
    for (index, need) in list.iter().enumerate() {
        let at = |part: &str| format!("requirements/{index}/{part}");
        if !seen.insert(need.skill_id) {
            return Err(FieldError::new(
                at("skill_id"),
                format!("The skill {} is required twice.", need.skill_id),
            ));
        }
        proficiency(&at("min_proficiency"), need.min_proficiency)?;
        if let Some(after) = need.relax_after_s
            && !(0..=MAX_RELAX_S).contains(&after)
        {
            return Err(FieldError::new(
                at("relax_after_s"),
                format!("Give 0 to {MAX_RELAX_S} seconds, or null for never."),
            ));
        }
    }
    Ok(list.to_vec())
}

/// A requirement's relax time in the store's unit.
pub fn relax_after(need: &Requirement) -> Option<i64> {
    need.relax_after_s.map(|s| s.saturating_mul(SECOND))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_end_at_the_start_of_the_next_day() {
        let (day, end) = valid_until("v", "2026-12-01").unwrap();
        assert_eq!(day, "2026-12-01");
        let (_, start) = valid_until("v", "2026-11-30").unwrap();
        assert_eq!(end - start, 86_400 * SECOND);
        for bad in [
            "2026-13-01",
            "2026-1-1",
            "yesterday",
            "",
            "2026-12-01T00:00:00Z",
        ] {
            assert_eq!(valid_until("v", bad).unwrap_err().field, "v", "{bad}");
        }
    }

    #[test]
    fn requirements_name_the_field_at_fault() {
        let need = |skill_id, min_proficiency, relax_after_s| Requirement {
            skill_id,
            min_proficiency,
            relax_after_s,
        };
        let fault = |list: &[Requirement]| requirements(list).unwrap_err().field;
        assert_eq!(fault(&[need(1, 0, None)]), "requirements/0/min_proficiency");
        assert_eq!(
            fault(&[need(1, 3, Some(-1))]),
            "requirements/0/relax_after_s"
        );
        assert_eq!(
            fault(&[need(1, 3, None), need(1, 2, None)]),
            "requirements/1/skill_id"
        );
        assert!(requirements(&[need(1, 5, Some(60)), need(2, 1, None)]).is_ok());
        assert_eq!(name("name", " \u{7} ").unwrap_err().field, "name");
        assert_eq!(
            channels("channels", &[Channel::Email, Channel::Email])
                .unwrap_err()
                .field,
            "channels/1"
        );
    }
}
