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

/// Writes a file the user asked for, or fails naming it and what went wrong.
pub fn write_file(
    lang: text::Lang,
    path: &std::path::Path,
    bytes: impl AsRef<[u8]>,
) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| {
        Failure(lang.tr(
            "error-file-write",
            text::args![file = path.display().to_string(), detail = e.to_string()],
        ))
    })
}

/// A document that could not be printed, in words: this build makes no PDF, or the layout
/// failed.
pub fn print(lang: text::Lang, e: service::PrintError) -> Failure {
    match e {
        service::PrintError::Disabled => Failure(lang.t("error-print-disabled")),
        e => Failure(lang.tr("error-print", text::args![detail = e.to_string()])),
    }
}
