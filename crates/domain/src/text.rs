//! Text rules shared by every free-text field: trimmed, bounded, never empty when required.

use crate::error::{Error, Field, Result, Rule};

/// Trims `value` and checks it is present and at most `max` characters (not bytes: a
/// Japanese name of 100 characters is 300 bytes of UTF-8).
pub fn required(field: Field, value: &str, max: usize) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, value, Rule::Required));
    }
    bounded(field, trimmed, max)
}

/// Trims `value`; `None` when empty.
pub fn optional(field: Field, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => bounded(field, v, max).map(Some),
    }
}

fn bounded(field: Field, value: &str, max: usize) -> Result<String> {
    if value.chars().count() > max {
        return Err(Error::invalid(field, value, Rule::TooLong { max }));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let name = "あ".repeat(10);
        assert_eq!(required(Field::FacilityName, &name, 10), Ok(name.clone()));
        assert!(required(Field::FacilityName, &(name + "い"), 10).is_err());
    }

    #[test]
    fn blank_is_missing() {
        assert_eq!(
            required(Field::FacilityName, "  　", 10),
            Err(Error::invalid(Field::FacilityName, "  　", Rule::Required))
        );
        assert_eq!(optional(Field::FacilityName, Some(" "), 10), Ok(None));
    }
}
