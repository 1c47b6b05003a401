//! Calendar dates as clinics write them: `2024/4/1`, `2024-04-01`, `2024年4月1日`, and the
//! Japanese era forms `令和6年4月1日`, `R6.4.1`, `平成31年4月30日`, `令和元年5月1日`, in half- or
//! full-width digits. Stored and shown as ISO `YYYY-MM-DD`.

use std::fmt;

use crate::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a text is not a date; adapters word it for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not in any form Mamori reads.
    Format,
    /// The form is right but the day does not exist (2023/2/29, 4/31).
    NoSuchDay,
    /// The era does not cover that date (令和1年4月1日 is still 平成).
    OutsideEra,
}

/// Eras: name, alphabet letter, first day (the last day of an era is the day before the next).
const ERAS: [(&str, char, (i32, u8, u8)); 5] = [
    ("令和", 'R', (2019, 5, 1)),
    ("平成", 'H', (1989, 1, 8)),
    ("昭和", 'S', (1926, 12, 25)),
    ("大正", 'T', (1912, 7, 30)),
    ("明治", 'M', (1868, 1, 25)),
];

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Full-width digits and punctuation to ASCII, so that `２０２４／４／１` reads like `2024/4/1`.
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '／' => '/',
            '－' | 'ー' | '‐' | '−' => '-',
            '．' => '.',
            'Ｒ' | 'ｒ' => 'R',
            'Ｈ' | 'ｈ' => 'H',
            'Ｓ' | 'ｓ' => 'S',
            '　' => ' ',
            c => c,
        })
        .collect()
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, DateProblem> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateProblem::NoSuchDay);
        }
        Ok(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// The Japanese era of the day and the year within it (`("令和", 8)` for 2026-12-04);
    /// `None` before 明治.
    pub fn era(self) -> Option<(&'static str, i32)> {
        ERAS.iter()
            .find(|(_, _, start)| (self.year, self.month, self.day) >= *start)
            .map(|(name, _, start)| (*name, self.year - start.0 + 1))
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// A date typed into `field`: `None` when left empty, the field's error when it does not
    /// read.
    pub fn parse_field(
        field: crate::error::Field,
        input: &str,
    ) -> Result<Option<Self>, crate::error::Error> {
        let text = input.trim();
        if text.is_empty() {
            return Ok(None);
        }
        Date::parse(text)
            .map(Some)
            .map_err(|p| crate::error::Error::invalid(field, text, p.rule()))
    }

    pub fn parse(input: &str) -> Result<Self, DateProblem> {
        let s = half_width(input.trim());
        let s = s.trim_end_matches(|c: char| c == '日' || c.is_whitespace());
        if s.is_empty() {
            return Err(DateProblem::Format);
        }
        for (name, letter, start) in ERAS {
            let rest = s
                .strip_prefix(name)
                .or_else(|| s.strip_prefix(letter))
                .or_else(|| s.strip_prefix(letter.to_ascii_lowercase()));
            if let Some(rest) = rest {
                let (y, m, d) = three_numbers(&rest.replacen("元", "1", 1))?;
                let year = start.0 + y - 1;
                if y < 1 {
                    return Err(DateProblem::OutsideEra);
                }
                let date = Date::new(
                    year,
                    u8::try_from(m).map_err(|_| DateProblem::NoSuchDay)?,
                    u8::try_from(d).map_err(|_| DateProblem::NoSuchDay)?,
                )?;
                let first = Date::new(start.0, start.1, start.2)?;
                let next = ERAS.iter().map(|e| e.2).filter(|e| *e > start).min();
                let after_end = next
                    .is_some_and(|(ny, nm, nd)| (date.year, date.month, date.day) >= (ny, nm, nd));
                if date < first || after_end {
                    return Err(DateProblem::OutsideEra);
                }
                return Ok(date);
            }
        }
        let (y, m, d) = three_numbers(s)?;
        if !(1000..=9999).contains(&y) {
            return Err(DateProblem::Format);
        }
        Date::new(
            y,
            u8::try_from(m).map_err(|_| DateProblem::NoSuchDay)?,
            u8::try_from(d).map_err(|_| DateProblem::NoSuchDay)?,
        )
    }

    /// The date of an Excel serial day number (1900 date system, as Excel counts it).
    pub fn from_excel_serial(serial: f64) -> Result<Self, DateProblem> {
        if !(1.0..2_958_466.0).contains(&serial) {
            return Err(DateProblem::Format);
        }
        // Excel counts 1900-02-29, which did not exist; serial 60 is that day.
        let whole = serial.floor() as i64;
        let days = if whole < 60 {
            whole - 25_568
        } else {
            whole - 25_569
        };
        Ok(Date::from_days(days))
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(days: i64) -> Self {
        let (y, m, d) = crate::timestamp::civil_from_days(days);
        Date {
            year: i32::try_from(y).unwrap_or(i32::MAX),
            month: m,
            day: d,
        }
    }

    /// The same day a month earlier (the month's last day when it has fewer days).
    pub fn month_before(self) -> Self {
        let (y, m) = if self.month == 1 {
            (self.year - 1, 12)
        } else {
            (self.year, self.month - 1)
        };
        (1..=self.day)
            .rev()
            .find_map(|d| Date::new(y, m, d).ok())
            .unwrap_or(self)
    }

    /// Midnight in Japan at the start of this day.
    pub fn start_in_japan(self) -> Timestamp {
        Timestamp::from_unix_millis((self.days() * 86_400 - 9 * 3600) * 1000)
    }

    /// The date in Japan at `t`.
    pub fn in_japan(t: Timestamp) -> Self {
        let (y, m, d, ..) = t.jst_parts();
        Date {
            year: i32::try_from(y).unwrap_or(i32::MAX),
            month: m,
            day: d,
        }
    }
}

/// Three numbers separated by `/`, `-`, `.`, `年`/`月`, or written together as `20240401`.
fn three_numbers(s: &str) -> Result<(i32, i64, i64), DateProblem> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().map_err(|_| DateProblem::Format);
        return Ok((
            i32::try_from(n(0..4)?).map_err(|_| DateProblem::Format)?,
            n(4..6)?,
            n(6..8)?,
        ));
    }
    let parts: Vec<&str> = s
        .split(['/', '-', '.', '年', '月'])
        .map(str::trim)
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(DateProblem::Format);
    };
    let num = |p: &str| {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            Err(DateProblem::Format)
        } else {
            p.parse::<i64>().map_err(|_| DateProblem::Format)
        }
    };
    Ok((
        i32::try_from(num(y)?).map_err(|_| DateProblem::Format)?,
        num(m)?,
        num(d)?,
    ))
}

impl DateProblem {
    /// The rule this breaks, for messages that name the field.
    pub fn rule(self) -> crate::error::Rule {
        match self {
            DateProblem::Format => crate::error::Rule::NotADate,
            DateProblem::NoSuchDay => crate::error::Rule::NoSuchDay,
            DateProblem::OutsideEra => crate::error::Rule::OutsideEra,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// As ISO text (`2026-12-04`), the same as `Display`.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_month_before_keeps_the_day_or_takes_the_month_end() {
        let d = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(d(2026, 12, 1).month_before(), d(2026, 11, 1));
        assert_eq!(d(2026, 3, 31).month_before(), d(2026, 2, 28));
        assert_eq!(d(2026, 1, 15).month_before(), d(2025, 12, 15));
        assert_eq!(
            Date::in_japan(d(2026, 4, 1).start_in_japan()),
            d(2026, 4, 1),
            "midnight JST is still that day"
        );
    }

    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn the_forms_clinics_write() {
        for s in [
            "2024/4/1",
            "2024-04-01",
            "2024.4.1",
            "2024年4月1日",
            "令和6年4月1日",
            "R6.4.1",
            "R06/04/01",
            "r6.4.1",
            "２０２４／４／１",
            "令和６年４月１日",
            "20240401",
            " 2024/04/01 ",
        ] {
            assert_eq!(Date::parse(s), Ok(d(2024, 4, 1)), "{s}");
        }
        assert_eq!(Date::parse("令和元年5月1日"), Ok(d(2019, 5, 1)));
        assert_eq!(d(2019, 5, 1).era(), Some(("令和", 1)));
        assert_eq!(d(2019, 4, 30).era(), Some(("平成", 31)));
        assert_eq!(d(2026, 12, 4).era(), Some(("令和", 8)));
        assert_eq!(d(1989, 1, 7).era(), Some(("昭和", 64)));
        assert_eq!(d(1800, 1, 1).era(), None);
        assert_eq!(Date::parse("平成31年4月30日"), Ok(d(2019, 4, 30)));
        assert_eq!(Date::parse("H1.1.8"), Ok(d(1989, 1, 8)));
        assert_eq!(Date::parse("昭和64年1月7日"), Ok(d(1989, 1, 7)));
        assert_eq!(d(2024, 4, 1).to_string(), "2024-04-01");
    }

    #[test]
    fn impossible_dates_are_told_apart() {
        assert_eq!(Date::parse("2023/2/29"), Err(DateProblem::NoSuchDay));
        assert_eq!(Date::parse("2024/4/31"), Err(DateProblem::NoSuchDay));
        assert_eq!(Date::parse("2024/13/1"), Err(DateProblem::NoSuchDay));
        assert_eq!(Date::parse("令和1年4月1日"), Err(DateProblem::OutsideEra));
        assert_eq!(Date::parse("平成31年5月1日"), Err(DateProblem::OutsideEra));
        assert_eq!(Date::parse("平成0年1月8日"), Err(DateProblem::OutsideEra));
        for bad in ["", "来月", "4/1", "2024/4", "24/4/1", "2024/4/1/2", "R6"] {
            assert_eq!(Date::parse(bad), Err(DateProblem::Format), "{bad}");
        }
        assert_eq!(Date::parse("2024/2/29"), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(Date::from_excel_serial(45383.0), Ok(d(2024, 4, 1)));
        assert_eq!(
            Date::from_excel_serial(45383.75),
            Ok(d(2024, 4, 1)),
            "time of day ignored"
        );
        assert_eq!(Date::from_excel_serial(1.0), Ok(d(1900, 1, 1)));
        assert_eq!(Date::from_excel_serial(61.0), Ok(d(1900, 3, 1)));
        assert!(Date::from_excel_serial(0.0).is_err());
    }

    #[test]
    fn japan_date_of_a_timestamp() {
        let t = Timestamp::from_unix_millis(1_711_897_200_000); // 2024-03-31T15:00Z
        assert_eq!(Date::in_japan(t), d(2024, 4, 1));
    }

    proptest! {
        #[test]
        fn days_round_trip(n in -200_000i64..200_000) {
            prop_assert_eq!(Date::from_days(n).days(), n);
        }

        #[test]
        fn display_parses_back(n in -100_000i64..100_000) {
            let date = Date::from_days(n);
            if (1000..=9999).contains(&date.year()) {
                prop_assert_eq!(Date::parse(&date.to_string()), Ok(date));
            }
        }
    }
}
