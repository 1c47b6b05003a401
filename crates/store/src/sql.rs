//! One statement, two native drivers. Every query of the store is written once (`$N`
//! parameters, or `?` where `Write::values` builds a batch for SQLite) and runs on sqlx's
//! `SqlitePool` or `PgPool`, whichever the database URL chose: [`query`] collects the
//! statement and its values without knowing the backend, and the connection it runs on picks
//! the driver. Rows come back as [`Row`], read by column name into plain Rust types.
//!
//! Why not sqlx's `Any` driver (what the store used before): it copies every value of every
//! row into its own representation first, which cost 1.3–9× the native driver when reading
//! 100,000 devices (bench/README.md, `rows`).

use sqlx::postgres::{PgConnection, PgPool, PgRow, Postgres};
use sqlx::sqlite::{Sqlite, SqliteConnection, SqlitePool, SqliteRow};
use sqlx::{Executor, SqlSafeStr, SqlStr};

/// A connection pool of either backend.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

impl Pool {
    /// A connection of its own (for reads that must see one snapshot, or many statements).
    pub(crate) async fn acquire(&self) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            Pool::Pg(p) => Conn::Pg(p.acquire().await?),
        })
    }

    /// A transaction: committed by [`Conn::commit`], rolled back when dropped.
    pub(crate) async fn begin(&self) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(p) => Conn::SqliteTx(p.begin().await?),
            Pool::Pg(p) => Conn::PgTx(p.begin().await?),
        })
    }

    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Pg(p) => p.close().await,
        }
    }
}

/// A connection taken from a [`Pool`], plain or inside a transaction.
#[derive(Debug)]
pub(crate) enum Conn {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Pg(sqlx::pool::PoolConnection<Postgres>),
    SqliteTx(sqlx::Transaction<'static, Sqlite>),
    PgTx(sqlx::Transaction<'static, Postgres>),
}

impl Conn {
    /// Commits a transaction (a plain connection has nothing to commit).
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Conn::SqliteTx(t) => t.commit().await,
            Conn::PgTx(t) => t.commit().await,
            Conn::Sqlite(_) | Conn::Pg(_) => Ok(()),
        }
    }
}

/// Where a statement runs: a connection, or any connection of a pool.
pub(crate) enum Target<'c> {
    Sqlite(&'c mut SqliteConnection),
    Pg(&'c mut PgConnection),
    SqlitePool(&'c SqlitePool),
    PgPool(&'c PgPool),
}

impl<'c> From<&'c mut Conn> for Target<'c> {
    fn from(c: &'c mut Conn) -> Self {
        match c {
            Conn::Sqlite(c) => Target::Sqlite(c),
            Conn::Pg(c) => Target::Pg(c),
            Conn::SqliteTx(t) => Target::Sqlite(t),
            Conn::PgTx(t) => Target::Pg(t),
        }
    }
}

impl<'c> From<&'c mut &mut Conn> for Target<'c> {
    fn from(c: &'c mut &mut Conn) -> Self {
        Target::from(&mut **c)
    }
}

impl<'c> From<&'c Pool> for Target<'c> {
    fn from(p: &'c Pool) -> Self {
        match p {
            Pool::Sqlite(p) => Target::SqlitePool(p),
            Pool::Pg(p) => Target::PgPool(p),
        }
    }
}

/// A value bound to a statement, typed so that a NULL keeps its type on PostgreSQL.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
    Bool(Option<bool>),
}

/// A Rust value that can be bound: integers, floats, booleans, text, bytes, and `Option`s
/// of them (NULL).
pub(crate) trait Bind {
    /// The NULL of this type.
    const NULL: Arg;
    fn arg(self) -> Arg;
}

macro_rules! bind {
    ($variant:ident: $($t:ty => $conv:expr),* $(,)?) => {$(
        impl Bind for $t {
            const NULL: Arg = Arg::$variant(None);
            fn arg(self) -> Arg {
                #[allow(clippy::redundant_closure_call)]
                Arg::$variant(Some(($conv)(self)))
            }
        }
    )*};
}

bind!(Int: i64 => |v| v, i32 => i64::from, u32 => i64::from, i16 => i64::from, u8 => i64::from);
bind!(Real: f64 => |v| v, f32 => f64::from);
bind!(Bool: bool => |v| v);
bind!(Text: String => |v| v, &str => str::to_string, &String => String::clone);
bind!(Bytes: Vec<u8> => |v| v, &[u8] => <[u8]>::to_vec, &Vec<u8> => Vec::clone);

impl<T: Bind> Bind for Option<T> {
    const NULL: Arg = T::NULL;
    fn arg(self) -> Arg {
        match self {
            Some(v) => v.arg(),
            None => T::NULL,
        }
    }
}

impl<T: Bind + Clone> Bind for &Option<T> {
    const NULL: Arg = T::NULL;
    fn arg(self) -> Arg {
        self.clone().arg()
    }
}

impl Bind for &i64 {
    const NULL: Arg = Arg::Int(None);
    fn arg(self) -> Arg {
        Arg::Int(Some(*self))
    }
}

impl Bind for &&str {
    const NULL: Arg = Arg::Text(None);
    fn arg(self) -> Arg {
        Arg::Text(Some((*self).to_string()))
    }
}

/// A statement with its values, not yet tied to a backend.
#[must_use = "a query does nothing until it is executed or fetched"]
pub(crate) struct Query {
    sql: SqlStr,
    args: Vec<Arg>,
}

/// The statement `sql` (a `&'static str`, or `sqlx::AssertSqlSafe` of one built from
/// trusted parts).
pub(crate) fn query(sql: impl SqlSafeStr) -> Query {
    Query {
        sql: sql.into_sql_str(),
        args: Vec::new(),
    }
}

/// What a statement changed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Done(u64);

impl Done {
    pub(crate) fn rows_affected(&self) -> u64 {
        self.0
    }
}

/// Binds `args` in order to a native query of either backend.
macro_rules! native {
    ($sql:expr, $args:expr, $db:ty) => {{
        let mut q = sqlx::query::<$db>($sql);
        for a in $args {
            q = match a {
                Arg::Int(v) => q.bind(v),
                Arg::Real(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
                Arg::Bool(v) => q.bind(v),
            };
        }
        q
    }};
}

impl Query {
    pub(crate) fn bind(mut self, value: impl Bind) -> Self {
        self.args.push(value.arg());
        self
    }

    pub(crate) async fn execute<'c>(self, to: impl Into<Target<'c>>) -> Result<Done, sqlx::Error> {
        let Query { sql, args } = self;
        Ok(Done(match to.into() {
            Target::Sqlite(c) => native!(sql, args, Sqlite).execute(c).await?.rows_affected(),
            Target::SqlitePool(p) => native!(sql, args, Sqlite).execute(p).await?.rows_affected(),
            Target::Pg(c) => native!(sql, args, Postgres)
                .execute(c)
                .await?
                .rows_affected(),
            Target::PgPool(p) => native!(sql, args, Postgres)
                .execute(p)
                .await?
                .rows_affected(),
        }))
    }

    pub(crate) async fn fetch_all<'c>(
        self,
        to: impl Into<Target<'c>>,
    ) -> Result<Vec<Row>, sqlx::Error> {
        let Query { sql, args } = self;
        Ok(match to.into() {
            Target::Sqlite(c) => wrap(native!(sql, args, Sqlite).fetch_all(c).await?, Row::Sqlite),
            Target::SqlitePool(p) => {
                wrap(native!(sql, args, Sqlite).fetch_all(p).await?, Row::Sqlite)
            }
            Target::Pg(c) => wrap(native!(sql, args, Postgres).fetch_all(c).await?, Row::Pg),
            Target::PgPool(p) => wrap(native!(sql, args, Postgres).fetch_all(p).await?, Row::Pg),
        })
    }

    pub(crate) async fn fetch_one<'c>(self, to: impl Into<Target<'c>>) -> Result<Row, sqlx::Error> {
        let Query { sql, args } = self;
        Ok(match to.into() {
            Target::Sqlite(c) => Row::Sqlite(native!(sql, args, Sqlite).fetch_one(c).await?),
            Target::SqlitePool(p) => Row::Sqlite(native!(sql, args, Sqlite).fetch_one(p).await?),
            Target::Pg(c) => Row::Pg(native!(sql, args, Postgres).fetch_one(c).await?),
            Target::PgPool(p) => Row::Pg(native!(sql, args, Postgres).fetch_one(p).await?),
        })
    }

    pub(crate) async fn fetch_optional<'c>(
        self,
        to: impl Into<Target<'c>>,
    ) -> Result<Option<Row>, sqlx::Error> {
        let Query { sql, args } = self;
        Ok(match to.into() {
            Target::Sqlite(c) => native!(sql, args, Sqlite)
                .fetch_optional(c)
                .await?
                .map(Row::Sqlite),
            Target::SqlitePool(p) => native!(sql, args, Sqlite)
                .fetch_optional(p)
                .await?
                .map(Row::Sqlite),
            Target::Pg(c) => native!(sql, args, Postgres)
                .fetch_optional(c)
                .await?
                .map(Row::Pg),
            Target::PgPool(p) => native!(sql, args, Postgres)
                .fetch_optional(p)
                .await?
                .map(Row::Pg),
        })
    }
}

fn wrap<R>(rows: Vec<R>, f: fn(R) -> Row) -> Vec<Row> {
    rows.into_iter().map(f).collect()
}

/// Runs `sql` as it is, unprepared: several statements separated by `;` (migrations, pragmas).
pub(crate) async fn raw<'c>(
    to: impl Into<Target<'c>>,
    sql: &'static str,
) -> Result<(), sqlx::Error> {
    let sql = sqlx::raw_sql(sql);
    match to.into() {
        Target::Sqlite(c) => c.execute(sql).await.map(drop),
        Target::SqlitePool(p) => p.execute(sql).await.map(drop),
        Target::Pg(c) => c.execute(sql).await.map(drop),
        Target::PgPool(p) => p.execute(sql).await.map(drop),
    }
}

/// A row of either backend, read by column name.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Pg(PgRow),
}

impl Row {
    /// The value of column `name`; an error names the column when it is missing or its value
    /// does not fit `T`.
    pub(crate) fn try_get<T: Value, I: AsRef<str>>(&self, name: I) -> Result<T, sqlx::Error> {
        match self {
            Row::Sqlite(r) => T::sqlite(r, name.as_ref()),
            Row::Pg(r) => T::pg(r, name.as_ref()),
        }
    }
}

/// A Rust type a column is read into.
pub(crate) trait Value: Sized {
    fn sqlite(row: &SqliteRow, name: &str) -> Result<Self, sqlx::Error>;
    fn pg(row: &PgRow, name: &str) -> Result<Self, sqlx::Error>;
}

macro_rules! value {
    ($($t:ty),* $(,)?) => {$(
        impl Value for $t {
            fn sqlite(row: &SqliteRow, name: &str) -> Result<Self, sqlx::Error> {
                sqlx::Row::try_get(row, name)
            }
            fn pg(row: &PgRow, name: &str) -> Result<Self, sqlx::Error> {
                sqlx::Row::try_get(row, name)
            }
        }
    )*};
}

value!(
    String,
    Option<String>,
    f64,
    Option<f64>,
    bool,
    Option<bool>,
    Vec<u8>,
    Option<Vec<u8>>
);

/// PostgreSQL types an expression's integer by its operands: a literal (`SELECT 1`, `CASE …
/// THEN 1`) is `integer`, a column of Mamori's tables `bigint`. Both read as `i64`.
fn pg_integer(row: &PgRow, name: &str) -> Result<Option<i64>, sqlx::Error> {
    match sqlx::Row::try_get::<Option<i64>, _>(row, name) {
        Ok(v) => Ok(v),
        Err(first @ sqlx::Error::ColumnDecode { .. }) => {
            match sqlx::Row::try_get::<Option<i32>, _>(row, name) {
                Ok(v) => Ok(v.map(i64::from)),
                Err(_) => Err(first),
            }
        }
        Err(e) => Err(e),
    }
}

impl Value for Option<i64> {
    fn sqlite(row: &SqliteRow, name: &str) -> Result<Self, sqlx::Error> {
        sqlx::Row::try_get(row, name)
    }
    fn pg(row: &PgRow, name: &str) -> Result<Self, sqlx::Error> {
        pg_integer(row, name)
    }
}

impl Value for i64 {
    fn sqlite(row: &SqliteRow, name: &str) -> Result<Self, sqlx::Error> {
        sqlx::Row::try_get(row, name)
    }
    fn pg(row: &PgRow, name: &str) -> Result<Self, sqlx::Error> {
        pg_integer(row, name)?.ok_or_else(|| sqlx::Error::ColumnDecode {
            index: name.to_string(),
            source: "unexpected NULL".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same statements on both backends: integers PostgreSQL types as `integer` read as
    /// `i64`, NULLs keep their type, and a wrong type names the column.
    #[tokio::test]
    async fn one_statement_runs_on_both_drivers() {
        for db in testkit::each_backend().await {
            let url = crate::DatabaseUrl::parse(&db.url.to_string()).unwrap();
            let database = crate::Database::connect(&url, crate::Access::ReadWrite)
                .await
                .unwrap();
            let pool = &database.pool;
            let row = query("SELECT 1 AS small, $1 AS big, $2 AS text, $3 AS none")
                .bind(i64::MAX)
                .bind("名前")
                .bind(None::<String>)
                .fetch_one(pool)
                .await
                .unwrap();
            assert_eq!(row.try_get::<i64, _>("small").unwrap(), 1, "{}", db.backend);
            assert_eq!(row.try_get::<i64, _>("big").unwrap(), i64::MAX);
            assert_eq!(row.try_get::<String, _>("text").unwrap(), "名前");
            assert_eq!(row.try_get::<Option<String>, _>("none").unwrap(), None);
            let wrong = row.try_get::<i64, _>("text").unwrap_err().to_string();
            assert!(wrong.contains("text"), "{wrong}");
            assert!(row.try_get::<i64, _>("missing").is_err());

            let mut tx = pool.begin().await.unwrap();
            raw(&mut tx, "CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)")
                .await
                .unwrap();
            let done = query("INSERT INTO t (id, v) VALUES ($1, $2), ($3, $4)")
                .bind(1)
                .bind(Some("a"))
                .bind(2)
                .bind(None::<&str>)
                .execute(&mut tx)
                .await
                .unwrap();
            assert_eq!(done.rows_affected(), 2);
            tx.commit().await.unwrap();
            let rows = query("SELECT id, v FROM t ORDER BY id")
                .fetch_all(pool)
                .await
                .unwrap();
            let read: Vec<(i64, Option<String>)> = rows
                .iter()
                .map(|r| (r.try_get("id").unwrap(), r.try_get("v").unwrap()))
                .collect();
            assert_eq!(read, [(1, Some("a".to_string())), (2, None)]);
        }
    }
}
