//! Mamori's words: every user-facing string lives in `locales/{ja,en}/main.ftl` at the project
//! root and is looked up here, so that pages, commands, printouts and background jobs speak
//! alike without depending on the web server.
//!
//! Owns: the languages, message lookups and the formats of dates and times for people.
//! Must not: know about storage, files or HTTP (their messages are built in `service`).

pub mod i18n;

pub use i18n::{Arg, Lang};

/// A moment as a person in Japan reads it: 2026年12月3日 20:36 / 2026-12-03 20:36.
pub fn when(lang: Lang, t: domain::Timestamp) -> String {
    let (y, mo, d, h, mi, _) = t.jst_parts();
    match lang {
        Lang::Ja => format!("{y}年{mo}月{d}日 {h:02}:{mi:02}"),
        Lang::En => format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}"),
    }
}

/// A day as a person in Japan reads it: 2025年10月14日 / 2025-10-14.
pub fn day(lang: Lang, d: domain::Date) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.to_string(),
    }
}
