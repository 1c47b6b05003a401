use store::{Access, Database, Error};
use testkit::{T0, each_backend, exec};

#[tokio::test]
async fn both_backends_get_the_same_tables_and_columns() {
    let mut shapes = Vec::new();
    for db in each_backend().await {
        let database = Database::connect(&db.url, Access::ReadWrite).await.unwrap();
        database.migrate(T0).await.unwrap();
        let sql = match db.backend {
            "sqlite" => {
                "SELECT m.name, p.name, p.\"notnull\" FROM sqlite_master m \
                         JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
                         AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.name"
            }
            _ => {
                "SELECT table_name::text, column_name::text, \
                  CASE WHEN is_nullable = 'NO' THEN 1::bigint ELSE 0::bigint END \
                  FROM information_schema.columns WHERE table_schema = current_schema() \
                  ORDER BY table_name, column_name"
            }
        };
        let rows: Vec<(String, String, i64)> = rows(&db, sql).await;
        // SQLite reports INTEGER PRIMARY KEY columns as nullable; PostgreSQL does not.
        let rows: Vec<(String, String, i64)> = rows
            .into_iter()
            .map(|(t, c, n)| {
                let n = if c == "id"
                    || c == "seq"
                    || (t == "region_member" && c == "facility_id")
                    || (t == "mamori_migrations" && c == "version")
                {
                    1
                } else {
                    n
                };
                (t, c, n)
            })
            .collect();
        assert!(rows.len() > 30, "{}: {rows:?}", db.backend);
        shapes.push(rows);
    }
    assert_eq!(shapes[0], shapes[1]);
}

/// The rows of `sql` (a catalogue query) on `db`'s backend, by the native driver.
async fn rows<T>(db: &testkit::TestDb, sql: &'static str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    match &db.url {
        store::DatabaseUrl::Sqlite(p) => {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", p.display()))
                .await
                .unwrap();
            sqlx::query_as(sql).fetch_all(&pool).await.unwrap()
        }
        store::DatabaseUrl::Postgres(u) => {
            let pool = sqlx::PgPool::connect(u).await.unwrap();
            sqlx::query_as(sql).fetch_all(&pool).await.unwrap()
        }
    }
}

/// Column types (as the two backends name the same declared type) and the indexes each table
/// has, by name and columns, are the same on both backends.
#[tokio::test]
async fn both_backends_get_the_same_column_types_and_indexes() {
    let mut shapes = Vec::new();
    for db in each_backend().await {
        let database = Database::connect(&db.url, Access::ReadWrite).await.unwrap();
        database.migrate(T0).await.unwrap();
        let (types, indexes) = match db.backend {
            "sqlite" => (
                "SELECT m.name, p.name, lower(p.type) FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
                 AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.name",
                // Named indexes only: those SQLite makes for keys and UNIQUE have no SQL.
                "SELECT m.tbl_name, m.name, group_concat(i.name, ',') FROM sqlite_master m \
                 JOIN pragma_index_info(m.name) i WHERE m.type = 'index' AND m.sql IS NOT NULL \
                 GROUP BY m.tbl_name, m.name ORDER BY m.tbl_name, m.name",
            ),
            _ => (
                "SELECT table_name::text, column_name::text, data_type::text \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 ORDER BY table_name, column_name",
                "SELECT t.relname::text, i.relname::text, string_agg(a.attname::text, ',' \
                 ORDER BY k.n) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
                 JOIN pg_class t ON t.oid = x.indrelid \
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace \
                 CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE ns.nspname = current_schema() AND NOT x.indisprimary \
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) \
                 GROUP BY t.relname, i.relname ORDER BY 1, 2",
            ),
        };
        let types: Vec<(String, String, String)> = rows(&db, types).await;
        // The same declared type under each backend's name for it.
        let types: Vec<(String, String, String)> = types
            .into_iter()
            .map(|(t, c, ty)| {
                let ty = match ty.as_str() {
                    "integer" | "bigint" => "bigint",
                    "text" => "text",
                    "blob" | "bytea" => "bytes",
                    other => other,
                }
                .to_string();
                (t, c, ty)
            })
            .collect();
        let indexes: Vec<(String, String, String)> = rows(&db, indexes).await;
        assert!(indexes.len() >= 10, "{}: {indexes:?}", db.backend);
        shapes.push((types, indexes));
    }
    assert_eq!(shapes[0].0, shapes[1].0, "column types");
    assert_eq!(shapes[0].1, shapes[1].1, "indexes");
}

#[tokio::test]
async fn migrate_is_idempotent_and_check_reports_pending() {
    for db in each_backend().await {
        let database = Database::connect(&db.url, Access::ReadWrite).await.unwrap();
        let before = database.migration_status().await.unwrap();
        assert_eq!(before.current, 0, "{}", db.backend);
        assert_eq!(before.pending.len(), store::MIGRATIONS.len());
        assert!(database.require_migrated().await.is_err());
        database.migrate(T0).await.unwrap();
        let again = database.migrate(T0).await.unwrap();
        assert!(again.pending.is_empty());
        database.require_migrated().await.unwrap();
    }
}

#[tokio::test]
async fn a_newer_database_is_refused_and_left_alone() {
    for db in each_backend().await {
        let database = Database::connect(&db.url, Access::ReadWrite).await.unwrap();
        database.migrate(T0).await.unwrap();
        exec(&db, "INSERT INTO mamori_migrations (version, name, checksum, applied_at) VALUES (999, '0999_future', 'x', 0)").await;
        let err = database.migrate(T0).await.unwrap_err();
        assert!(
            matches!(err, Error::NewerSchema { found: 999, .. }),
            "{}: {err:?}",
            db.backend
        );
        assert!(matches!(
            database.migration_status().await,
            Err(Error::NewerSchema { .. })
        ));
    }
}

#[tokio::test]
async fn an_edited_migration_is_refused() {
    for db in each_backend().await {
        let database = Database::connect(&db.url, Access::ReadWrite).await.unwrap();
        database.migrate(T0).await.unwrap();
        exec(
            &db,
            "UPDATE mamori_migrations SET checksum = 'edited' WHERE version = 1",
        )
        .await;
        let err = database.migrate(T0).await.unwrap_err();
        assert!(
            matches!(err, Error::MigrationEdited { version: 1 }),
            "{}: {err:?}",
            db.backend
        );
    }
}

#[tokio::test]
async fn read_only_never_creates_a_file() {
    let db = testkit::sqlite();
    let err = Database::connect(&db.url, Access::ReadOnly)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NoSuchFile { .. }));
    assert!(!db.url.sqlite_path().unwrap().exists());
}

#[tokio::test]
async fn unreachable_postgres_says_why() {
    let url = store::DatabaseUrl::parse("postgres://nobody:pw@127.0.0.1:1/none").unwrap();
    let err = Database::connect(&url, Access::ReadWrite)
        .await
        .unwrap_err();
    match err {
        Error::Connect { detail, .. } => {
            assert!(detail.to_lowercase().contains("refused"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}
