//! The cyber-attack BCP (事業継続計画, checklist 3-③) after the MHLW ひな形 (2024-06): most of
//! it is drawn from the data (the officer, the devices, the backups and restore goals, the
//! contact chart, the first-response playbook); the parts only the director can write are
//! sections of text, and each department's paper operation (紙運用) with the forms to print
//! beforehand. The MHLW 確認表 is answered from the same data.

use serde::Serialize;

use crate::error::{Error, Field, Result, Rule};
use crate::{Date, text};

/// A section of the BCP the director writes. Its words are `bcp-section-{code}` (title) and
/// `bcp-section-{code}-hint` (what to write) in the locale files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    /// 1.1 策定目的.
    Purpose,
    /// 1.4 文書の管理および周知: who keeps it, how staff learn it.
    Keeping,
    /// 2.1.2 組織体制: roles and who holds them in normal times and in an incident.
    Roles,
    /// 3.2 システム異常の検知と経営層への伝達: what is reported, by whom, how.
    Escalation,
    /// 4.2 再発防止: who decides the measures and how vendors are instructed.
    Prevention,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Purpose,
        Section::Keeping,
        Section::Roles,
        Section::Escalation,
        Section::Prevention,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Section::Purpose => "purpose",
            Section::Keeping => "keeping",
            Section::Roles => "roles",
            Section::Escalation => "escalation",
            Section::Prevention => "prevention",
        }
    }

    pub fn parse(input: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == input.trim())
            .ok_or_else(|| Error::invalid(Field::BcpSection, input, Rule::UnknownChoice))
    }
}

/// The longest text of a section.
pub const SECTION_MAX: usize = 4000;

/// One department's paper operation: what it does on paper while the systems are down, and
/// the forms it prints beforehand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaperPlan {
    pub department: String,
    pub procedure: String,
    /// The forms to keep printed (紙カルテ, 処方箋, 検査伝票 …), one per line.
    pub forms: Vec<String>,
}

impl PaperPlan {
    pub fn new(department: &str, procedure: &str, forms: &str) -> Result<Self> {
        let forms: Vec<String> = forms
            .lines()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| text::required(Field::PaperForms, f, 100))
            .collect::<Result<_>>()?;
        Ok(PaperPlan {
            department: text::required(Field::PaperDepartment, department, 100)?,
            procedure: text::required(Field::PaperProcedure, procedure, 1000)?,
            forms,
        })
    }
}

/// When the director approved the BCP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub by: String,
    pub on: Date,
}

/// A BCP is reviewed every year (the 手引き: 定期的に見直す).
pub const REVIEW_DAYS: i64 = 365;

impl Approval {
    pub fn new(by: &str, on: Date, today: Date) -> Result<Self> {
        if on > today {
            return Err(Error::invalid(
                Field::BcpApprovedOn,
                on.to_string(),
                Rule::InTheFuture,
            ));
        }
        Ok(Approval {
            by: text::required(Field::BcpApprovedBy, by, 100)?,
            on,
        })
    }

    /// The day it must be reviewed by.
    pub fn review_by(&self) -> Date {
        Date::from_days(self.on.days() + REVIEW_DAYS)
    }
}

/// One item of the MHLW 確認表 (2024-06) answered from the data. Its words are
/// `bcp-check-{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// 項番 of the 確認表 (1-1, 1-2 …).
    pub number: &'static str,
    pub code: &'static str,
    pub state: CheckState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckState {
    /// The data shows it is in place.
    Ready,
    /// The data shows it is not.
    Gap,
    /// Only a person can tell: the BCP's text says it (Mamori cannot check it is done).
    Stated,
    /// Only a person can tell, and the BCP's text does not say it yet.
    Unwritten,
}

/// What the 確認表 is answered from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts {
    /// Servers, PCs and network devices are in the ledger.
    pub devices: bool,
    /// Network segments are recorded (the 構成図 in data).
    pub segments: bool,
    /// Every system that needs backups has restore goals (impact of a stop known).
    pub goals: bool,
    /// No open known-exploited hole and no device past end of support.
    pub patched: bool,
    /// The contact chart names the director, MHLW, the police, the prefecture, and every
    /// vendor has a 24-hour number.
    pub chart: bool,
    /// Vulnerability data was imported within the review period (risk information).
    pub feeds: bool,
    /// A first-response drill was held within a year.
    pub drill: bool,
    /// Every system has a copy kept apart and a restore drill within a year.
    pub backups: bool,
    /// The director is on the contact chart with a number.
    pub director: bool,
    /// The escalation section is written.
    pub escalation: bool,
    /// The prevention section is written.
    pub prevention: bool,
}

/// The 確認表's items seen in the published text (others were cut off in every source found).
pub fn checks(f: &Facts) -> Vec<Check> {
    let state = |ok: bool| {
        if ok {
            CheckState::Ready
        } else {
            CheckState::Gap
        }
    };
    let written = |ok: bool| {
        if ok {
            CheckState::Stated
        } else {
            CheckState::Unwritten
        }
    };
    vec![
        Check {
            number: "1-1",
            code: "devices",
            state: state(f.devices),
        },
        Check {
            number: "1-1",
            code: "diagram",
            state: state(f.segments),
        },
        Check {
            number: "1-1",
            code: "impact",
            state: state(f.goals),
        },
        Check {
            number: "1-1",
            code: "vulnerabilities",
            state: state(f.patched),
        },
        Check {
            number: "1-2",
            code: "contacts",
            state: state(f.chart),
        },
        Check {
            number: "1-2",
            code: "information",
            state: state(f.feeds),
        },
        Check {
            number: "1-2",
            code: "training",
            state: state(f.drill),
        },
        Check {
            number: "1-2",
            code: "backups",
            state: state(f.backups),
        },
        Check {
            number: "2-3",
            code: "escalation",
            state: written(f.escalation),
        },
        Check {
            number: "3-4",
            code: "decision",
            state: state(f.director),
        },
        Check {
            number: "5-2",
            code: "prevention",
            state: written(f.prevention),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_plans_read_forms_one_per_line() {
        let p = PaperPlan::new(
            "外来",
            "紙カルテで診察し、会計は手書きの領収書",
            "紙カルテ\n\n 処方箋 \n",
        )
        .unwrap();
        assert_eq!(p.forms, ["紙カルテ", "処方箋"]);
        assert!(PaperPlan::new(" ", "x", "").is_err());
        assert!(PaperPlan::new("外来", "", "").is_err());
    }

    #[test]
    fn an_approval_is_reviewed_within_a_year_and_not_dated_ahead() {
        let today = Date::new(2026, 12, 4).unwrap();
        let a = Approval::new("院長 山田", Date::new(2026, 4, 1).unwrap(), today).unwrap();
        assert_eq!(a.review_by(), Date::new(2027, 4, 1).unwrap());
        assert!(Approval::new("院長", Date::new(2026, 12, 5).unwrap(), today).is_err());
        assert!(Approval::new(" ", today, today).is_err());
    }

    #[test]
    fn the_check_sheet_follows_the_data() {
        let none = checks(&Facts::default());
        assert!(none.iter().all(|c| c.state != CheckState::Ready));
        assert_eq!(
            none.iter()
                .filter(|c| c.state == CheckState::Unwritten)
                .count(),
            2,
            "only a person can write these"
        );
        let all = checks(&Facts {
            devices: true,
            segments: true,
            goals: true,
            patched: true,
            chart: true,
            feeds: true,
            drill: true,
            backups: true,
            director: true,
            escalation: true,
            prevention: true,
        });
        assert!(
            all.iter()
                .all(|c| matches!(c.state, CheckState::Ready | CheckState::Stated))
        );
        for s in Section::ALL {
            assert_eq!(Section::parse(s.code()), Ok(s));
        }
    }
}
