//! Reading stored values back into domain types. A value that no longer parses (someone edited
//! the database by hand) becomes `Error::Corrupt` naming the table, column and row.

use crate::error::{Error, Result};

pub(crate) fn stored<T, E>(
    table: &'static str,
    column: &'static str,
    id: i64,
    value: impl std::fmt::Display,
    parsed: std::result::Result<T, E>,
) -> Result<T> {
    parsed.map_err(|_| Error::Corrupt {
        table,
        column,
        id: id.to_string(),
        value: value.to_string(),
    })
}

/// Maps a unique-constraint violation to `Conflict`, anything else to `Database`.
pub(crate) fn conflict(e: sqlx::Error, what: &'static str, key: &str) -> Error {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => Error::Conflict {
            what,
            key: key.to_string(),
        },
        _ => Error::from(e),
    }
}

/// `NotFound` when a change touched no row (the row is not the facility's, or is gone).
pub(crate) fn touched(changed: u64, what: &'static str, key: impl ToString) -> Result<()> {
    if changed == 0 {
        return Err(Error::NotFound {
            what,
            key: key.to_string(),
        });
    }
    Ok(())
}
