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
        // Only the start is shown back: a page of text repeated in an error helps nobody.
        let start: String = value.chars().take(40).collect();
        return Err(Error::invalid(
            field,
            format!("{start}…"),
            Rule::TooLong { max },
        ));
    }
    if value.chars().any(unsafe_char) {
        // The value is shown back escaped, so the person sees which character it was.
        let shown: String = value
            .chars()
            .flat_map(char::escape_default)
            .take(200)
            .collect();
        return Err(Error::invalid(field, &shown, Rule::ControlCharacter));
    }
    Ok(value.to_string())
}

/// Characters no free text may hold: controls (terminal escape sequences, NUL…) other than
/// line breaks and tabs, and the marks that reverse the direction of text around them.
pub fn unsafe_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Full-width letters, digits and symbols to half-width, the ideographic space to a space,
/// lower case: `ＦｏｒｔｉＧａｔｅ－６０Ｆ` reads as `fortigate-60f`.
/// Why no single item has a name a person typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoMatch {
    None,
    /// More than one item has it (once folded).
    Many,
}

/// The one item of `items` whose name (`name_of`) is `name`, compared folded (full-width and
/// capital letters as their plain forms) and trimmed.
pub fn find_named<'a, T>(
    items: &'a [T],
    name: &str,
    name_of: impl Fn(&T) -> &str,
) -> std::result::Result<&'a T, NoMatch> {
    let want = fold(name.trim());
    let mut same = items.iter().filter(|i| fold(name_of(i)) == want);
    match (same.next(), same.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(NoMatch::None),
        (Some(_), Some(_)) => Err(NoMatch::Many),
    }
}

pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a folded text: runs of letters and digits, `-` kept inside a word
/// (`fortigate-60f`, `pan-os`).
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn folding() {
        assert_eq!(
            fold("ＦｏｒｔｉＧａｔｅ－６０Ｆ\u{3000}ｖ７"),
            "fortigate-60f v7"
        );
        let f = fold("Cisco ASA 5506-X, 9.16(4)42");
        assert_eq!(
            words(&f).collect::<Vec<_>>(),
            ["cisco", "asa", "5506-x", "9", "16", "4", "42"]
        );
    }

    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let name = "あ".repeat(10);
        assert_eq!(required(Field::FacilityName, &name, 10), Ok(name.clone()));
        assert!(required(Field::FacilityName, &(name + "い"), 10).is_err());
    }

    #[test]
    fn control_characters_are_refused() {
        let r = required(Field::FacilityName, "受付\u{1b}[2J", 100);
        assert!(matches!(
            r,
            Err(Error::Invalid {
                rule: Rule::ControlCharacter,
                ..
            })
        ));
        assert!(optional(Field::FacilityName, Some("a\u{202E}b"), 10).is_err());
        assert!(optional(Field::FacilityName, Some("一行目\n二行目"), 10).is_ok());
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
