//! Storage errors. Each says what went wrong in terms a person can act on; adapters turn
//! them into localised messages.

use crate::db::Backend;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database URL is not usable: {reason}")]
    InvalidUrl { reason: UrlProblem },
    #[error("the SQLite database file {path} does not exist")]
    NoSuchFile { path: String },
    #[error("cannot connect to {backend:?}: {detail}")]
    Connect { backend: Backend, detail: String },
    #[error("database schema version {found} is newer than this program knows ({known})")]
    NewerSchema { found: i64, known: i64 },
    #[error("migration {version} was changed after it was applied")]
    MigrationEdited { version: i64 },
    #[error("the database needs migrations {pending:?}")]
    NotMigrated { pending: Vec<i64> },
    #[error("the audit key (fingerprint {given}) is not this database's ({expected})")]
    WrongAuditKey { expected: String, given: String },
    #[error("{what} {key} not found")]
    NotFound { what: &'static str, key: String },
    #[error("{what} {key} already exists")]
    Conflict { what: &'static str, key: String },
    #[error("stored {table}.{column} of row {id} cannot be read: {value:?}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        id: String,
        value: String,
    },
    #[error(transparent)]
    Invalid(#[from] domain::Error),
    #[error("the ledger file has rows that conflict: {0:?}")]
    LedgerConflicts(Vec<(String, domain::ledger::Conflict)>),
    #[error("a write was attempted without an audit record")]
    Unaudited,
    #[error("the checkpoint was not signed by this deployment's key")]
    ForgedCheckpoint,
    #[error("the facility changed while its findings were evaluated")]
    Superseded,
    #[error("the audit chain is broken at record {seq}: no checkpoint signed")]
    ChainBroken { facility: Option<String>, seq: i64 },
    #[error("database error: {0}")]
    Database(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    UnknownScheme,
    EmptyPath,
}

impl std::fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UrlProblem::UnknownScheme => "unknown scheme",
            UrlProblem::EmptyPath => "empty path",
        })
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Database(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
