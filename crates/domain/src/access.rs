//! Who may do what: roles per facility, the permissions each role carries, and the rules a
//! password must follow. Pure rules; sessions, hashing and codes live in the web adapter.

use crate::error::{Error, Field, Result, Rule};

/// A person's role in one facility (ARCHITECTURE.md, "Users").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 院長・管理者: everything in the facility; grants advisors; approves vendor windows.
    Director,
    /// 担当者: edits the ledger, accounts, backups and logs.
    ItStaff,
    /// 地域アドバイザー: reads and comments, only where the facility consented.
    Advisor,
    /// 事業者: only the systems it maintains.
    Vendor,
    /// 閲覧者: reads (e.g. an inspector's time-limited account).
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Director,
        Self::ItStaff,
        Self::Advisor,
        Self::Vendor,
        Self::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Director => "director",
            Self::ItStaff => "it_staff",
            Self::Advisor => "advisor",
            Self::Vendor => "vendor",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim();
        Self::ALL
            .into_iter()
            .find(|r| {
                r.code().eq_ignore_ascii_case(s)
                    || r.code().replace('_', "-").eq_ignore_ascii_case(s)
            })
            .ok_or_else(|| Error::invalid(Field::Role, input, Rule::UnknownRole))
    }

    /// Roles that must use a second factor by default. A facility can require it of all.
    pub fn needs_second_factor(self) -> bool {
        matches!(self, Self::Director | Self::Advisor | Self::Vendor)
    }

    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Self::Director => true,
            Self::ItStaff => {
                matches!(
                    p,
                    View | ViewMaintained | EditLedger | ViewAudit | ViewAccounts
                )
            }
            Self::Advisor => matches!(p, View | ViewMaintained | Comment | ViewAudit),
            Self::Vendor => matches!(p, ViewMaintained),
            Self::Viewer => matches!(p, View | ViewMaintained | ViewAudit),
        }
    }
}

/// What a route or service requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read everything of the facility.
    View,
    /// Read the facility's dashboard and the systems one maintains (all of them, unless a vendor).
    ViewMaintained,
    EditLedger,
    Comment,
    ViewAudit,
    /// Add and remove the facility's Mamori users.
    ManageMembers,
    /// Give and withdraw an advisor's access (the facility's consent).
    GrantAdvisor,
    ChangeSettings,
    /// Decide to live with a vulnerability finding for a time (a management decision).
    AcceptRisk,
    /// See the accounts of the facility's systems and the staff roster (names of people).
    ViewAccounts,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Self::View,
        Self::ViewMaintained,
        Self::EditLedger,
        Self::Comment,
        Self::ViewAudit,
        Self::ManageMembers,
        Self::GrantAdvisor,
        Self::ChangeSettings,
        Self::AcceptRisk,
        Self::ViewAccounts,
    ];
}

const COMMON: &str = include_str!("../data/common-passwords.txt");

/// The MHLW checklist's rule: at least 8 characters mixing letters, digits and symbols, or
/// 13 characters and more. Common passwords and ones containing the facility's own name (or
/// short name) are refused whatever their length.
pub fn check_password(password: &str, facility_names: &[&str]) -> Result<()> {
    let fail = |rule| Err(Error::invalid(Field::Password, "********", rule));
    let len = password.chars().count();
    if len > 256 {
        return fail(Rule::TooLong { max: 256 });
    }
    let lower = password.to_lowercase();
    let is_common = COMMON
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .any(|c| {
            c == lower || c == lower.trim_end_matches(|ch: char| ch.is_ascii_digit() || ch == '!')
        });
    if is_common {
        return fail(Rule::CommonPassword);
    }
    let has_name = facility_names.iter().any(|name| {
        let n = name.trim().to_lowercase();
        n.chars().count() >= 3 && lower.contains(&n)
    });
    if has_name {
        return fail(Rule::PasswordHasFacilityName);
    }
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    let symbols = password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace());
    if len >= 13 || (len >= 8 && letters && digits && symbols) {
        Ok(())
    } else {
        fail(Rule::WeakPassword)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(r: Result<()>) -> Option<Rule> {
        r.err().map(|Error::Invalid { rule, .. }| rule)
    }

    #[test]
    fn mhlw_rule() {
        assert_eq!(rule(check_password("Kr4!mqzp", &[])), None, "8 mixed");
        assert_eq!(
            rule(check_password("correcthorsebattery", &[])),
            None,
            "13+ letters only"
        );
        assert_eq!(
            rule(check_password("Kr4mqzpx", &[])),
            Some(Rule::WeakPassword),
            "no symbol"
        );
        assert_eq!(
            rule(check_password("K!4mqzp", &[])),
            Some(Rule::WeakPassword),
            "7 chars"
        );
        assert_eq!(
            rule(check_password("abcdefghijkl", &[])),
            Some(Rule::WeakPassword),
            "12 letters"
        );
    }

    #[test]
    fn common_and_own_names_are_refused() {
        assert_eq!(
            rule(check_password("P@ssw0rd", &[])),
            Some(Rule::CommonPassword)
        );
        assert_eq!(
            rule(check_password("Fortinet123!", &[])),
            Some(Rule::CommonPassword)
        );
        assert_eq!(
            rule(check_password("sakura-clinic-2026!", &["sakura-clinic"])),
            Some(Rule::PasswordHasFacilityName)
        );
        assert_eq!(
            rule(check_password(
                "まもり内科クリニック2026",
                &["まもり内科クリニック"]
            )),
            Some(Rule::PasswordHasFacilityName)
        );
        assert_eq!(
            rule(check_password("Kr4!mqzp", &["ab"])),
            None,
            "names under 3 characters are ignored"
        );
    }

    #[test]
    fn permissions_follow_the_architecture() {
        assert!(Permission::ALL.iter().all(|p| Role::Director.can(*p)));
        assert!(Role::ItStaff.can(Permission::EditLedger));
        assert!(!Role::ItStaff.can(Permission::GrantAdvisor));
        assert!(!Role::Advisor.can(Permission::EditLedger));
        assert!(Role::Advisor.can(Permission::Comment));
        assert!(!Role::Vendor.can(Permission::View));
        assert!(Role::Vendor.can(Permission::ViewMaintained));
        assert!(!Role::Viewer.can(Permission::EditLedger));
        assert!(Role::Director.needs_second_factor() && !Role::ItStaff.needs_second_factor());
    }

    #[test]
    fn role_codes() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Ok(r));
        }
        assert_eq!(Role::parse("it-staff"), Ok(Role::ItStaff));
        assert!(Role::parse("owner").is_err());
    }
}
