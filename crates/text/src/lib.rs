//! Mamori's words: every user-facing string lives in `locales/{ja,en}/main.ftl` at the project
//! root and is looked up here, so that pages, commands, printouts and background jobs speak
//! alike without depending on the web server.
//!
//! Owns: the languages, message lookups and the formats of dates and times for people.
//! Must not: know about storage, files or HTTP (their messages are built in `service`).

pub mod i18n;

use std::sync::atomic::{AtomicBool, Ordering};

pub use i18n::{Arg, Lang};

/// How years are written in Japanese: 2026年 (西暦, the default) or 令和8年 (和暦). A setting of
/// the deployment (`calendar` in the configuration), chosen once at start-up; English always
/// writes 2026-12-04.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Calendar {
    #[default]
    Western,
    Japanese,
}

impl Calendar {
    /// `seireki` / `wareki` (also 西暦 / 和暦, `western` / `japanese`).
    pub fn parse(text: &str) -> Option<Calendar> {
        match text.trim().to_ascii_lowercase().as_str() {
            "seireki" | "西暦" | "western" | "gregorian" => Some(Calendar::Western),
            "wareki" | "和暦" | "japanese" | "era" => Some(Calendar::Japanese),
            _ => None,
        }
    }
}

static JAPANESE_ERA: AtomicBool = AtomicBool::new(false);

/// Sets how every page, printout and command writes years from now on (start-up only).
pub fn set_calendar(c: Calendar) {
    JAPANESE_ERA.store(c == Calendar::Japanese, Ordering::Relaxed);
}

pub fn calendar() -> Calendar {
    if JAPANESE_ERA.load(Ordering::Relaxed) {
        Calendar::Japanese
    } else {
        Calendar::Western
    }
}

/// A moment as a person in Japan reads it: 2026年12月3日 20:36 (令和8年12月3日 20:36) /
/// 2026-12-03 20:36.
pub fn when(lang: Lang, t: domain::Timestamp) -> String {
    let (_, _, _, h, mi, _) = t.jst_parts();
    match lang {
        Lang::Ja => format!("{} {h:02}:{mi:02}", day(lang, domain::Date::in_japan(t))),
        Lang::En => {
            let (y, mo, d, ..) = t.jst_parts();
            format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}")
        }
    }
}

/// A day as a person in Japan reads it: 2025年10月14日 (or 令和7年10月14日) / 2025-10-14.
pub fn day(lang: Lang, d: domain::Date) -> String {
    day_in(calendar(), lang, d)
}

/// A day in the given calendar (元年 for an era's first year).
pub fn day_in(calendar: Calendar, lang: Lang, d: domain::Date) -> String {
    match (lang, calendar, d.era()) {
        (Lang::Ja, Calendar::Japanese, Some((era, year))) => {
            let year = if year == 1 {
                "元".to_string()
            } else {
                year.to_string()
            };
            format!("{era}{year}年{}月{}日", d.month(), d.day())
        }
        (Lang::Ja, ..) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        (Lang::En, ..) => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_either_calendar() {
        let d = |y, m, dd| domain::Date::new(y, m, dd).unwrap();
        assert_eq!(
            day_in(Calendar::Western, Lang::Ja, d(2026, 12, 4)),
            "2026年12月4日"
        );
        assert_eq!(
            day_in(Calendar::Japanese, Lang::Ja, d(2026, 12, 4)),
            "令和8年12月4日"
        );
        assert_eq!(
            day_in(Calendar::Japanese, Lang::Ja, d(2019, 5, 1)),
            "令和元年5月1日"
        );
        assert_eq!(
            day_in(Calendar::Japanese, Lang::Ja, d(2019, 4, 30)),
            "平成31年4月30日"
        );
        assert_eq!(
            day_in(Calendar::Japanese, Lang::En, d(2026, 12, 4)),
            "2026-12-04"
        );
        // What is written reads back as the same day.
        for x in [d(2026, 12, 4), d(2019, 5, 1), d(1989, 1, 8)] {
            let written = day_in(Calendar::Japanese, Lang::Ja, x);
            assert_eq!(domain::Date::parse(&written), Ok(x), "{written}");
        }
        assert_eq!(Calendar::parse("和暦"), Some(Calendar::Japanese));
        assert_eq!(Calendar::parse("Seireki"), Some(Calendar::Western));
        assert_eq!(Calendar::parse("koki"), None);
    }
}
