//! When ransomware comes: whom to call (the contact chart, 連絡体制図, checklist 3-①) and what
//! to do in which order (the first-response playbook, from the MHLW BCP ひな形 chapter 3 and
//! the police's and MHLW's notices), with each step ticked and timed during a drill or a real
//! response. Both print on paper: the network may be down when they are needed.

use serde::Serialize;

use crate::error::{Error, Field, Result, Rule};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ContactId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct IncidentId(pub i64);

/// Where a contact sits on the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Inside the facility: who is told first, who decides.
    Inside,
    /// The companies that maintain the systems (the vendor list's 24-hour numbers).
    Vendors,
    /// Whom the facility reports to.
    Report,
    /// Who helps: the regional advisor, the insurer.
    Support,
}

/// Who a contact is. The code is stored; the locale id of its label is `contact-role-{code}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactRole {
    Director,
    Manager,
    SystemStaff,
    NursingHead,
    Staff,
    Vendor,
    Mhlw,
    Police,
    Prefecture,
    Ppc,
    Advisor,
    Insurer,
    Other,
}

impl ContactRole {
    pub const ALL: [ContactRole; 13] = [
        Self::Director,
        Self::Manager,
        Self::SystemStaff,
        Self::NursingHead,
        Self::Staff,
        Self::Vendor,
        Self::Mhlw,
        Self::Police,
        Self::Prefecture,
        Self::Ppc,
        Self::Advisor,
        Self::Insurer,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Director => "director",
            Self::Manager => "manager",
            Self::SystemStaff => "system-staff",
            Self::NursingHead => "nursing-head",
            Self::Staff => "staff",
            Self::Vendor => "vendor",
            Self::Mhlw => "mhlw",
            Self::Police => "police",
            Self::Prefecture => "prefecture",
            Self::Ppc => "ppc",
            Self::Advisor => "advisor",
            Self::Insurer => "insurer",
            Self::Other => "other",
        }
    }

    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| Error::invalid(Field::ContactRole, input, Rule::UnknownChoice))
    }

    pub fn group(self) -> Group {
        match self {
            Self::Director
            | Self::Manager
            | Self::SystemStaff
            | Self::NursingHead
            | Self::Staff => Group::Inside,
            Self::Vendor => Group::Vendors,
            Self::Mhlw | Self::Police | Self::Prefecture | Self::Ppc => Group::Report,
            Self::Advisor | Self::Insurer | Self::Other => Group::Support,
        }
    }
}

/// Whom the chart must name before it can be used (checklist 3-①: 組織内と外部関係機関
/// (事業者、厚生労働省、警察等)への連絡体制図).
pub const REQUIRED: [ContactRole; 4] = [
    ContactRole::Director,
    ContactRole::Mhlw,
    ContactRole::Police,
    ContactRole::Prefecture,
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewContact {
    pub role: ContactRole,
    /// The person or the office (院長 山田, 徳島県警察 サイバー犯罪対策課 …).
    pub name: String,
    pub phone: Option<String>,
    /// Nights and holidays, when it differs.
    pub after_hours: Option<String>,
    pub note: Option<String>,
}

impl NewContact {
    pub fn new(role: ContactRole, name: &str, phone: Option<&str>) -> Result<Self> {
        Ok(NewContact {
            role,
            name: text::required(Field::ContactName, name, 100)?,
            phone: phone_number(phone)?,
            after_hours: None,
            note: None,
        })
    }
}

/// A telephone number as people write it: digits, spaces, hyphens, parentheses, + and the
/// full-width forms; 30 characters at most. `#9110` style short numbers are allowed.
pub fn phone_number(input: Option<&str>) -> Result<Option<String>> {
    let Some(s) = text::optional(Field::ContactPhone, input, 30)? else {
        return Ok(None);
    };
    // Hyphens as Japanese keyboards type them (長音, minus, dashes) become "-".
    let folded: String = text::fold(&s)
        .chars()
        .map(|c| match c {
            'ー' | '−' | '‐' | '‑' | '–' | '—' => '-',
            c => c,
        })
        .collect();
    let fine = folded.chars().any(|c| c.is_ascii_digit())
        && folded
            .chars()
            .all(|c| c.is_ascii_digit() || " -()+#".contains(c));
    if fine {
        Ok(Some(folded))
    } else {
        Err(Error::invalid(
            Field::ContactPhone,
            &s,
            Rule::NotAPhoneNumber,
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub id: ContactId,
    pub details: NewContact,
}

/// When a step is done, from the moment an attack is suspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    FirstMinutes,
    FirstHours,
    Report,
    Recover,
}

impl Phase {
    pub fn code(self) -> &'static str {
        match self {
            Phase::FirstMinutes => "first-minutes",
            Phase::FirstHours => "first-hours",
            Phase::Report => "report",
            Phase::Recover => "recover",
        }
    }
}

/// One step of the first response. Its words are `playbook-step-{code}` (what to do) and
/// `playbook-step-{code}-why` in the locale files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    pub code: &'static str,
    pub phase: Phase,
    /// Who does it.
    pub who: ContactRole,
    /// Whom it calls (their numbers are printed beside the step).
    pub calls: &'static [ContactRole],
    /// Calls the vendors of the systems (the vendor list's 24-hour numbers).
    pub calls_vendors: bool,
}

const fn step(
    code: &'static str,
    phase: Phase,
    who: ContactRole,
    calls: &'static [ContactRole],
    calls_vendors: bool,
) -> Step {
    Step {
        code,
        phase,
        who,
        calls,
        calls_vendors,
    }
}

/// The first response to suspected ransomware, in order (MHLW BCP ひな形 3.1–4.2; 注意喚起
/// 令和4年11月10日; the police's 「医療機関のみなさまへ」; the PPC's reporting rules).
pub const PLAYBOOK: [Step; 12] = {
    use ContactRole as R;
    use Phase as P;
    [
        step("unplug", P::FirstMinutes, R::Staff, &[], false),
        step(
            "tell",
            P::FirstMinutes,
            R::Staff,
            &[R::SystemStaff, R::Director],
            false,
        ),
        step("cut-backups", P::FirstMinutes, R::SystemStaff, &[], false),
        step("call-vendor", P::FirstMinutes, R::SystemStaff, &[], true),
        step("decide", P::FirstHours, R::Director, &[], false),
        step("paper", P::FirstHours, R::NursingHead, &[], false),
        step("preserve", P::FirstHours, R::SystemStaff, &[], true),
        step("report-mhlw", P::Report, R::Manager, &[R::Mhlw], false),
        step("report-police", P::Report, R::Manager, &[R::Police], false),
        step(
            "report-prefecture",
            P::Report,
            R::Manager,
            &[R::Prefecture, R::Advisor, R::Insurer],
            false,
        ),
        step("report-ppc", P::Report, R::Manager, &[R::Ppc], false),
        step("restore", P::Recover, R::SystemStaff, &[], true),
    ]
};

pub fn find_step(code: &str) -> Option<&'static Step> {
    PLAYBOOK.iter().find(|s| s.code == code)
}

/// What the chart still lacks: a required role nobody holds, contacts without a number, and
/// vendors without a 24-hour number (by name).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ChartGaps {
    pub missing_roles: Vec<ContactRole>,
    pub without_phone: Vec<String>,
    pub vendors_without_phone: Vec<String>,
}

impl ChartGaps {
    pub fn is_empty(&self) -> bool {
        self.missing_roles.is_empty()
            && self.without_phone.is_empty()
            && self.vendors_without_phone.is_empty()
    }
}

/// The chart's gaps, given its contacts and the vendors (name, 24-hour number). A required
/// role counts as missing until one of its contacts has a number.
pub fn chart_gaps(contacts: &[Contact], vendors: &[(String, Option<String>)]) -> ChartGaps {
    ChartGaps {
        missing_roles: REQUIRED
            .into_iter()
            .filter(|r| {
                !contacts
                    .iter()
                    .any(|c| c.details.role == *r && c.details.phone.is_some())
            })
            .collect(),
        without_phone: contacts
            .iter()
            .filter(|c| c.details.phone.is_none())
            .map(|c| c.details.name.clone())
            .collect(),
        vendors_without_phone: vendors
            .iter()
            .filter(|(_, phone)| phone.is_none())
            .map(|(name, _)| name.clone())
            .collect(),
    }
}

/// A response (or a drill) as it went: which steps were done when, by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub id: IncidentId,
    pub drill: bool,
    pub started_at: crate::Timestamp,
    pub closed_at: Option<crate::Timestamp>,
    /// (step code, when, who, note), in the order done.
    pub done: Vec<StepDone>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepDone {
    pub step: String,
    pub at: crate::Timestamp,
    pub by: String,
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_playbook_starts_with_unplugging_and_cuts_the_backups_before_calling() {
        assert_eq!(PLAYBOOK[0].code, "unplug");
        let at = |c: &str| PLAYBOOK.iter().position(|s| s.code == c).unwrap();
        assert!(at("cut-backups") < at("call-vendor"));
        assert!(at("preserve") < at("restore"));
        let mut codes: Vec<&str> = PLAYBOOK.iter().map(|s| s.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), PLAYBOOK.len(), "codes are unique");
        assert!(find_step("report-ppc").is_some() && find_step("x").is_none());
    }

    #[test]
    fn phone_numbers_as_people_write_them() {
        assert_eq!(
            phone_number(Some("０８８−６２２−１１１１")),
            Ok(Some("088-622-1111".into()))
        );
        assert_eq!(phone_number(Some("#9110")), Ok(Some("#9110".into())));
        assert_eq!(phone_number(Some(" ")), Ok(None));
        assert!(phone_number(Some("けいさつ")).is_err());
        assert!(phone_number(Some("090-1234-5678 <script>")).is_err());
    }

    #[test]
    fn the_chart_names_what_it_lacks() {
        let director = Contact {
            id: ContactId(1),
            details: NewContact::new(ContactRole::Director, "院長 山田", Some("090-0000-0000"))
                .unwrap(),
        };
        let police = Contact {
            id: ContactId(2),
            details: NewContact::new(ContactRole::Police, "徳島県警察", None).unwrap(),
        };
        let gaps = chart_gaps(
            &[director, police],
            &[("A社".into(), Some("0120".into())), ("B社".into(), None)],
        );
        assert_eq!(
            gaps.missing_roles,
            [
                ContactRole::Mhlw,
                ContactRole::Police,
                ContactRole::Prefecture
            ],
            "the police without a number cannot be called"
        );
        assert_eq!(gaps.without_phone, ["徳島県警察"]);
        assert_eq!(gaps.vendors_without_phone, ["B社"]);
        assert!(!gaps.is_empty());
        for r in ContactRole::ALL {
            assert_eq!(ContactRole::parse(r.code()), Ok(r));
        }
    }
}
