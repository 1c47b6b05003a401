//! Reading rows back: Mamori's store (the native driver of the backend, rows decoded by column
//! name into domain types) against, in the same run, the native driver reading the same rows
//! into plain tuples (the floor) and sqlx's `Any` driver reading them into the same tuples
//! (the layer the store went through before it moved to native pools).

use std::time::Instant;

use domain::finding::{Facts, Kind, Observation};
use domain::nvd::Outcome;
use sqlx::Row;

use crate::Backend;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

const ASSET_SQL: &str = "SELECT id, kind, name, roles, location, ip, maker, model, os_name, \
    os_version, vendor, remote_maintenance, notes, remote_method, mac, serial, segment, \
    owner_department, acquired_on, end_of_support, version_checked_on FROM asset \
    WHERE facility_id = $1 AND retired_at IS NULL ORDER BY id";
const FINDING_SQL: &str = "SELECT id, asset_id, cve, kind, outcome, kev, ransomware, edge, \
    cvss_tenths, opened_at, closed_at, accepted_reason, accepted_by, accepted_until, \
    credentials_changed FROM vuln_finding WHERE facility_id = $1 ORDER BY id";

type AssetTuple = (i64, String, String, String, Option<String>, Option<String>);
type FindingTuple = (
    i64,
    i64,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    i64,
);

fn asset_tuple<R: Row>(r: &R) -> AssetTuple
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    // Every column read, as the store reads them (the tuple keeps a few to be used).
    let t: AssetTuple = (
        r.try_get("id").unwrap(),
        r.try_get("kind").unwrap(),
        r.try_get("name").unwrap(),
        r.try_get("roles").unwrap(),
        r.try_get("location").unwrap(),
        r.try_get("ip").unwrap(),
    );
    for c in [
        "maker",
        "model",
        "os_name",
        "os_version",
        "vendor",
        "notes",
        "remote_method",
        "mac",
        "serial",
        "segment",
        "owner_department",
        "acquired_on",
        "end_of_support",
        "version_checked_on",
    ] {
        std::hint::black_box(r.try_get::<Option<String>, _>(c).unwrap());
    }
    std::hint::black_box(r.try_get::<String, _>("remote_maintenance").unwrap());
    t
}

fn finding_tuple<R: Row>(r: &R) -> FindingTuple
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    for c in [
        "accepted_reason",
        "accepted_by",
        "accepted_until",
        "credentials_changed",
    ] {
        std::hint::black_box(r.try_get::<Option<String>, _>(c).unwrap());
    }
    std::hint::black_box(r.try_get::<Option<i64>, _>("closed_at").unwrap());
    (
        r.try_get("id").unwrap(),
        r.try_get("asset_id").unwrap(),
        r.try_get("cve").unwrap(),
        r.try_get("kind").unwrap(),
        r.try_get("outcome").unwrap(),
        r.try_get("kev").unwrap(),
        r.try_get("ransomware").unwrap(),
        r.try_get("edge").unwrap(),
        r.try_get("cvss_tenths").unwrap(),
        r.try_get("opened_at").unwrap(),
    )
}

/// The native driver's reads (`any` false) or the `Any` driver's (`any` true): (devices ms,
/// findings ms), each the middle of three.
async fn tuples(db: &testkit::TestDb, facility: i64, any: bool) -> (f64, f64, usize) {
    let mut devices = Vec::new();
    let mut findings = Vec::new();
    let mut n = 0;
    // The same reads on either driver (each pool has its own row type).
    macro_rules! reads {
        ($pool:expr) => {{
            let pool = $pool;
            for _ in 0..3 {
                let t = Instant::now();
                let rows = sqlx::query(ASSET_SQL)
                    .bind(facility)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
                let v: Vec<AssetTuple> = rows.iter().map(asset_tuple).collect();
                devices.push(ms(t));
                std::hint::black_box(v);
                let t = Instant::now();
                let rows = sqlx::query(FINDING_SQL)
                    .bind(facility)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
                let v: Vec<FindingTuple> = rows.iter().map(finding_tuple).collect();
                findings.push(ms(t));
                n = v.len();
            }
        }};
    }
    let url = match &db.url {
        store::DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        store::DatabaseUrl::Postgres(url) => url.clone(),
    };
    if any {
        sqlx::any::install_default_drivers();
        reads!(sqlx::AnyPool::connect(&url).await.unwrap());
    } else {
        match &db.url {
            store::DatabaseUrl::Sqlite(_) => reads!(sqlx::SqlitePool::connect(&url).await.unwrap()),
            store::DatabaseUrl::Postgres(_) => reads!(sqlx::PgPool::connect(&url).await.unwrap()),
        }
    }
    (median(devices), median(findings), n)
}

pub async fn run(backend: Backend, n: usize) {
    let (s, scope, db) = crate::hospital_on(backend).await;
    crate::import(&s, &scope, &crate::workbook(n)).await;
    let assets = s.assets(&scope).await.unwrap();
    let observed: Vec<Observation> = assets
        .iter()
        .map(|a| Observation {
            asset: a.id,
            cve: format!("CVE-2024-{:05}", a.id.0 % 100_000),
            kind: Kind::Vulnerability,
            facts: Facts {
                outcome: Outcome::Affected,
                kev: a.id.0 % 7 == 0,
                ransomware: false,
                edge: false,
                cvss: Some(9.8),
            },
        })
        .collect();
    s.record_evaluation(
        &scope,
        &domain::Actor::System("bench".into()),
        domain::Timestamp::from_unix_millis(0),
        store::Evaluation {
            observed,
            versions: &[],
            feed_stamp: 0,
            rules: "bench",
            revision: None,
        },
    )
    .await
    .unwrap();
    let mut devices = Vec::new();
    let mut findings = Vec::new();
    let mut found = 0;
    for _ in 0..3 {
        let t = Instant::now();
        std::hint::black_box(s.assets(&scope).await.unwrap());
        devices.push(ms(t));
        let t = Instant::now();
        found = s.findings(&scope).await.unwrap().len();
        findings.push(ms(t));
    }
    let (devices, findings) = (median(devices), median(findings));
    let (native_devices, native_findings, native_n) = tuples(&db, scope.facility().0, false).await;
    let (any_devices, any_findings, any_n) = tuples(&db, scope.facility().0, true).await;
    assert_eq!((found, native_n, any_n), (n, n, n));
    println!(
        "{:>9} {:>8} {:>9.0} {:>9.0} {:>7.2}x {:>9.0} {:>7.2}x {:>9.0} {:>9.0} {:>7.2}x {:>9.0} {:>7.2}x",
        backend.name(),
        n,
        native_devices,
        any_devices,
        any_devices / native_devices,
        devices,
        devices / native_devices,
        native_findings,
        any_findings,
        any_findings / native_findings,
        findings,
        findings / native_findings
    );
}
