//! Mamori's own users (people who sign in), their memberships in facilities, and e-mail
//! addresses as sign-in names.

use std::fmt;

use crate::access::Role;
use crate::error::{Error, Field, Result, Rule};
use crate::facility::FacilityId;
use crate::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A sign-in name: an e-mail address, compared in lower case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim().to_lowercase();
        let bad = || Error::invalid(Field::Email, input, Rule::NotAnEmail);
        if s.chars().count() > 254 {
            return Err(Error::invalid(
                Field::Email,
                input,
                Rule::TooLong { max: 254 },
            ));
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty()
            || domain.contains('@')
            || !domain_ok
            || s.chars().any(char::is_whitespace)
        {
            return Err(bad());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: Option<String>,
    pub totp_enrolled: bool,
    pub locked_until: Option<Timestamp>,
}

/// A user's role in one facility. For a vendor, `vendor_name` says whose systems it sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub user: UserId,
    pub facility: FacilityId,
    pub role: Role,
    pub vendor_name: Option<String>,
    pub expires_at: Option<Timestamp>,
}

impl Membership {
    pub fn active_at(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|e| now < e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Director@Clinic.Example ").map(|e| e.0),
            Ok("director@clinic.example".into())
        );
        for bad in [
            "", "a", "a@b", "@b.jp", "a@b@c.jp", "a b@c.jp", "a@.jp", "a@b.jp.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
