//! Database URLs and connections. The URL's scheme picks the backend: `sqlite://PATH` (the
//! default, a file next to the program) or `postgres://…` (a regional deployment).

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::Connection;

use crate::error::{Error, Result, UrlProblem};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A parsed database URL. `Display` and `Debug` never show a password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim();
        if let Some(rest) = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err(Error::InvalidUrl {
                    reason: UrlProblem::EmptyPath,
                });
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(rest)));
        }
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(s.to_string()));
        }
        Err(Error::InvalidUrl {
            reason: UrlProblem::UnknownScheme,
        })
    }

    pub fn sqlite(path: impl Into<PathBuf>) -> Self {
        DatabaseUrl::Sqlite(path.into())
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQLite file, if this is one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            DatabaseUrl::Sqlite(p) => Some(p),
            DatabaseUrl::Postgres(_) => None,
        }
    }

    /// The URL with any password replaced by `****`.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(url) => redact_password(url),
        }
    }

    fn connect_url(&self, access: Access) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => {
                // sqlx percent-decodes the path, so the three characters that would end or
                // escape it are encoded.
                let p = path
                    .to_string_lossy()
                    .replace('%', "%25")
                    .replace('?', "%3F")
                    .replace('#', "%23");
                let mode = match access {
                    Access::ReadWrite => "rwc",
                    Access::ReadOnly => "ro",
                };
                format!("sqlite://{p}?mode={mode}")
            }
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }
}

/// Creates a new SQLite file readable by its owner alone (it holds a map of a hospital's
/// weaknesses); SQLite gives its WAL and shared-memory files the same mode. An existing file
/// is left as it is.
fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A directory that does not exist: SQLite says so in its own words.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_string();
    };
    let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
    let masked = if userinfo.contains(':') {
        format!("{user}:****")
    } else {
        user.to_string()
    };
    format!("{scheme}://{masked}@{host}{tail}")
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

/// Whether a command may change the database. Read-only commands never create a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

/// A pool of `max` connections with `options`. One direct connection first: a pool would
/// retry until its timeout and then report only "timed out", hiding "connection refused" or
/// "password authentication failed".
async fn open_pool<DB: sqlx::Database>(
    options: <DB::Connection as Connection>::Options,
    max: u32,
    fail: impl Fn(String) -> Error,
) -> Result<sqlx::Pool<DB>> {
    use sqlx::ConnectOptions;
    tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
        .await
        .map_err(|_| fail(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())))?
        .map_err(|e| fail(e.to_string()))?
        .close()
        .await
        .map_err(|e| fail(e.to_string()))?;
    sqlx::pool::PoolOptions::<DB>::new()
        .max_connections(max)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|e| fail(e.to_string()))
}

/// A connection pool to one database, migrated or not.
#[derive(Debug, Clone)]
pub struct Database {
    pub(crate) pool: crate::sql::Pool,
    backend: Backend,
    url: DatabaseUrl,
}

impl Database {
    pub async fn connect(url: &DatabaseUrl, access: Access) -> Result<Self> {
        if let DatabaseUrl::Sqlite(path) = url
            && access == Access::ReadOnly
            && !path.exists()
        {
            return Err(Error::NoSuchFile {
                path: path.display().to_string(),
            });
        }
        if let DatabaseUrl::Sqlite(path) = url
            && access == Access::ReadWrite
        {
            create_private(path).map_err(|e| Error::Connect {
                backend: url.backend(),
                detail: format!("{}: {e}", path.display()),
            })?;
        }
        let max = match url.backend() {
            Backend::Sqlite => 4,
            Backend::Postgres => 16,
        };
        let fail = |detail: String| Error::Connect {
            backend: url.backend(),
            detail,
        };
        let address = url.connect_url(access);
        let pool = match url.backend() {
            Backend::Sqlite => crate::sql::Pool::Sqlite(
                open_pool(
                    address.parse().map_err(|e| fail(format!("{e}")))?,
                    max,
                    fail,
                )
                .await?,
            ),
            Backend::Postgres => crate::sql::Pool::Pg(
                open_pool(
                    address.parse().map_err(|e| fail(format!("{e}")))?,
                    max,
                    fail,
                )
                .await?,
            ),
        };
        if url.backend() == Backend::Sqlite && access == Access::ReadWrite {
            // WAL lets the web pages read while an import writes; it is a property of the file.
            crate::sql::raw(&pool, "PRAGMA journal_mode = WAL").await?;
        }
        Ok(Database {
            pool,
            backend: url.backend(),
            url: url.clone(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("mamori-private-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("m.db");
        let _ = std::fs::remove_file(&path);
        create_private(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        create_private(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn schemes() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://mamori.db").ok(),
            Some(DatabaseUrl::Sqlite("mamori.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:/var/lib/mamori/m.db").ok(),
            Some(DatabaseUrl::Sqlite("/var/lib/mamori/m.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgresql://h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        for bad in ["mysql://x", "mamori.db", "", "sqlite://"] {
            assert!(DatabaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_never_show() {
        let u = DatabaseUrl::parse("postgres://mamori:s3cret@db.local:5432/mamori?sslmode=disable");
        let Ok(u) = u else { panic!("valid URL") };
        assert_eq!(
            u.to_string(),
            "postgres://mamori:****@db.local:5432/mamori?sslmode=disable"
        );
        assert!(!format!("{u:?}").contains("s3cret"));
        assert_eq!(redact_password("postgres://h/db"), "postgres://h/db");
        assert_eq!(redact_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_password("postgres://u:p@ss@h/db"),
            "postgres://u:****@h/db"
        );
    }

    #[test]
    fn sqlite_paths_are_escaped() {
        let u = DatabaseUrl::sqlite("/tmp/a?b#c%d.db");
        assert_eq!(
            u.connect_url(Access::ReadOnly),
            "sqlite:///tmp/a%3Fb%23c%25d.db?mode=ro"
        );
    }
}
