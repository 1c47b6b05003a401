//! Localised text: every user-facing string lives in `locales/{ja,en}/*.ftl` at the project
//! root, and is looked up here by message id. Japanese is the default and the fallback.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "ja",
        // Bidi isolation marks around arguments would show up in terminals and file names.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static JA: LanguageIdentifier = langid!("ja");
static EN: LanguageIdentifier = langid!("en");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_', '.']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language for command-line output: `MAMORI_LANG`, then `LC_ALL`, `LC_MESSAGES` and
    /// `LANG` as a terminal sets them; Japanese when none names a language Mamori speaks.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Lang {
        ["MAMORI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| get(k))
            .find_map(|v| Lang::parse(&v))
            .unwrap_or_default()
    }

    /// The first language of an `Accept-Language` header that Mamori speaks, by weight.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::parse(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    /// The message `id` in this language.
    pub fn t(self, id: &str) -> String {
        LOCALES.lookup(self.id(), id)
    }

    /// The message `id`, or `None` when no locale has it.
    pub fn try_t(self, id: &str) -> Option<String> {
        LOCALES.try_lookup(self.id(), id)
    }

    /// The message `id` with its arguments filled in.
    pub fn tr(self, id: &str, args: &[(&'static str, Arg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.to_fluent()))
            .collect();
        LOCALES.lookup_with_args(self.id(), id, &map)
    }
}

/// A message argument: text or a number (numbers choose plural forms).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Text(s) => FluentValue::from(s.clone()),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Builds the argument list of a message: `args![url = u, count = n]`.
#[macro_export]
macro_rules! args {
    ($($k:ident = $v:expr),* $(,)?) => {
        &[$((stringify!($k), $crate::i18n::Arg::from($v))),*]
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(lang: &str) -> BTreeSet<String> {
        let dir = format!("{}/../../locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut out = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && !id.starts_with(['#', ' '])
                    && !id.is_empty()
                {
                    out.insert(id.to_string());
                }
            }
        }
        out
    }

    #[test]
    fn both_locales_hold_the_same_ids() {
        let ja = ids("ja");
        let en = ids("en");
        assert!(ja.len() > 50, "locale files not found");
        assert_eq!(
            ja.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in en"
        );
        assert_eq!(
            en.difference(&ja).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in ja"
        );
    }

    #[test]
    fn every_domain_field_and_rule_has_a_message() {
        let ja = ids("ja");
        let source = include_str!("../../domain/src/error.rs");
        let used: Vec<&str> = source
            .split('"')
            .filter(|s| s.starts_with("field-") || s.starts_with("rule-"))
            .collect();
        assert!(used.len() > 30, "{used:?}");
        for id in used {
            assert!(ja.contains(id), "{id} is missing from the locale files");
        }
    }

    #[test]
    fn every_vulnerability_outcome_has_a_label() {
        use domain::nvd::Outcome;
        let ja = ids("ja");
        for o in [
            Outcome::Affected,
            Outcome::NotAffected,
            Outcome::NeedsReview,
        ] {
            let id = format!("vuln-{}", o.code());
            assert!(ja.contains(&id), "{id} is missing from the locale files");
        }
        use domain::finding::{Event, Harm, Status};
        let ids_needed = Status::ALL
            .iter()
            .map(|s| format!("finding-status-{}", s.code()))
            .chain(
                Event::ALL
                    .iter()
                    .map(|e| format!("finding-event-{}", e.code())),
            )
            .chain(Harm::ALL.iter().map(|h| format!("vuln-harm-{}", h.code())));
        for id in ids_needed {
            assert!(ja.contains(&id), "{id} is missing from the locale files");
        }
    }

    #[test]
    fn lookups_fill_arguments_without_isolation_marks() {
        let s = Lang::Ja.tr("rule-too-long", args![max = 10i64]);
        assert_eq!(s, "10 文字以内にしてください");
        let en = Lang::En.tr("audit-ok", args![count = 3i64, chains = 2i64]);
        assert_eq!(
            en,
            "Checked 3 audit records in 2 chains. No tampering found."
        );
    }

    #[test]
    fn language_choice() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,ja;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("fr, ja;q=0.5, en;q=0.4"),
            Some(Lang::Ja)
        );
        assert_eq!(Lang::from_accept_language("fr"), None);
        let env = |k: &str| (k == "LANG").then(|| "en_US.UTF-8".to_string());
        assert_eq!(Lang::from_env(env), Lang::En);
        assert_eq!(Lang::from_env(|_| Some("C.UTF-8".into())), Lang::Ja);
    }
}
