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

/// The position after the last of a facility's ordered rows (`staff`, `contact`): 0 for the
/// first.
pub(crate) async fn next_position(
    w: &mut crate::write::Write<'_>,
    table: &'static str,
    facility: domain::FacilityId,
) -> Result<i64> {
    let last: Option<i64> = crate::sql::query(sqlx::AssertSqlSafe(format!(
        "SELECT MAX(position) AS p FROM {table} WHERE facility_id = $1"
    )))
    .bind(facility.0)
    .fetch_one(w.conn())
    .await?
    .try_get("p")?;
    Ok(last.map_or(0, |p| p + 1))
}

/// The next number of a facility's numbered records (`evidence`, `review_record`): 1 for the
/// first, then one past the highest. Taken under the facility's chain lock, so no two writers
/// get the same.
pub(crate) async fn next_number(
    w: &mut crate::write::Write<'_>,
    table: &'static str,
    facility: domain::FacilityId,
) -> Result<i64> {
    let last: Option<i64> = crate::sql::query(sqlx::AssertSqlSafe(format!(
        "SELECT MAX(number) AS last FROM {table} WHERE facility_id = $1"
    )))
    .bind(facility.0)
    .fetch_one(w.conn())
    .await?
    .try_get("last")?;
    Ok(last.unwrap_or(0) + 1)
}
