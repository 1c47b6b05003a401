//! Facility B's people while facility A imports a large ledger: one server process, one
//! database (SQLite or PostgreSQL). A visit of B = sign in, open the ledger, correct a device,
//! open that device; its time is measured idle and during A's import, in the same run. Then
//! two imports into two facilities at once: do they overlap in time?

use std::sync::Arc;
use std::time::Instant;

use domain::{Actor, FacilityKind, NewFacility, Role, Timestamp};

use crate::Backend;
use crate::hostile::{signed_in, user};

async fn facility(s: &store::Store, short: &str, name: &str) -> store::FacilityScope {
    let f = s
        .add_facility(
            &Actor::System("bench".into()),
            NewFacility::new(short, name, FacilityKind::Clinic, Some(0), None).unwrap(),
            Timestamp::from_unix_millis(0),
        )
        .await
        .unwrap();
    s.scope(&domain::facility::FacilityRef::Id(f.id))
        .await
        .unwrap()
}

/// One visit of facility B's IT staff; its time in ms.
async fn visit(addr: std::net::SocketAddr, b: i64, asset: i64, n: usize) -> f64 {
    let t = Instant::now();
    let mut c = signed_in(addr, "staff@b.example").await;
    let ledger = c.get(&format!("/f/{b}/ledger")).await;
    assert_eq!(ledger.status, 200);
    let token = ledger.field("csrf").unwrap();
    let place = format!("{}階", n % 9 + 1);
    let r = c
        .post(
            &format!("/f/{b}/assets/{asset}"),
            &[
                ("csrf", token.as_str()),
                ("name", "受付PC"),
                ("kind", "パソコン"),
                ("location", place.as_str()),
                ("os", "Windows 11 Pro"),
                ("version", "23H2"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.get(&format!("/f/{b}/assets/{asset}")).await.status, 200);
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub async fn run(backend: Backend, rows: usize) {
    let (s, scope_a, _db) = crate::hospital_on(backend).await;
    let scope_b = facility(&s, "other", "となり診療所").await;
    let scope_c = facility(&s, "third", "みなみ診療所").await;
    crate::import(&s, &scope_b, &crate::workbook(50)).await;
    user(&s, "staff@b.example", scope_b.facility(), Role::ItStaff).await;
    let asset = s.assets(&scope_b).await.unwrap()[0].id.0;
    let addr = crate::hostile::serve(&s).await;
    let b = scope_b.facility().0;
    let big = Arc::new(crate::workbook(rows));

    let mut idle = Vec::new();
    for n in 0..10 {
        idle.push(visit(addr, b, asset, n).await);
    }
    let idle = median(idle);

    let (s2, a, file) = (s.clone(), scope_a, big.clone());
    let t0 = Instant::now();
    let import = tokio::spawn(async move {
        crate::import(&s2, &a, &file).await;
        t0.elapsed().as_secs_f64() * 1000.0
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut busy = Vec::new();
    let mut n = 0;
    while !import.is_finished() || busy.len() < 5 {
        busy.push(visit(addr, b, asset, n).await);
        n += 1;
    }
    let import_ms = import.await.unwrap();
    let busy_n = busy.len();
    let busy = median(busy);
    println!(
        "{:>9} {:>8} {:>10.0} {:>12.0} {:>10.0} {:>8} {:>7.2}x",
        backend.name(),
        rows,
        import_ms,
        idle,
        busy,
        busy_n,
        busy / idle
    );

    // Two imports into two facilities at once (A again: every row unchanged; C: all new).
    let t = Instant::now();
    let span = |s: store::Store, scope: store::FacilityScope, file: Arc<Vec<u8>>| {
        tokio::spawn(async move {
            let start = t.elapsed().as_secs_f64() * 1000.0;
            crate::import(&s, &scope, &file).await;
            (start, t.elapsed().as_secs_f64() * 1000.0)
        })
    };
    let one = span(s.clone(), scope_a, big.clone());
    let two = span(s.clone(), scope_c, big.clone());
    let (a0, a1) = one.await.unwrap();
    let (c0, c1) = two.await.unwrap();
    println!(
        "{:>9} two imports at once: A {a0:.0}–{a1:.0} ms, C {c0:.0}–{c1:.0} ms, overlapping {:.0} ms",
        backend.name(),
        (a1.min(c1) - a0.max(c0)).max(0.0)
    );
}
