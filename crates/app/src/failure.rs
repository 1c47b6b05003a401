//! A failure the user can fix, already worded in their language.

use std::fmt;

#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

/// Turns a store error into a `Failure` worded for `lang`, naming the database by its
/// redacted URL.
pub fn store(
    lang: text::Lang,
    url: &store::DatabaseUrl,
) -> impl Fn(store::Error) -> anyhow::Error + '_ {
    move |e| Failure(service::messages::store_error(lang, &e, &url.redacted())).into()
}
