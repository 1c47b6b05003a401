//! Every route × every role × {own facility, other facility, no such facility, signed out},
//! against a table of who may do what that this test keeps on its own. The routes come from
//! the router's own table, so a new route is covered without editing this test.

use axum::http::Method;
use domain::{Permission, Role};
use testkit::{each_backend, open_store, spawn_app};
use web::{Access, route_table};

use crate::support::{csrf, facility, sign_in, user};

/// This test's own statement of the role table in ARCHITECTURE.md.
fn may(role: Role, p: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Director => true,
        Role::ItStaff => matches!(
            p,
            View | ViewMaintained | EditLedger | ViewAudit | ViewAccounts
        ),
        Role::Advisor => matches!(p, View | ViewMaintained | Comment | ViewAudit),
        Role::Vendor => matches!(p, ViewMaintained),
        Role::Viewer => matches!(p, View | ViewMaintained | ViewAudit),
    }
}

/// Fills a route's parameters; an unknown parameter fails the test, so a new one is noticed.
fn path(template: &str, facility: i64, user: i64, point: i64) -> String {
    // The findings' and the device's ids are the connection point's: each is the first of
    // its kind (the set-up asserts it).
    let p = template
        .replace("{finding}", &point.to_string())
        .replace("{vuln}", &point.to_string())
        .replace("{asset}", &point.to_string())
        .replace("{facility}", &facility.to_string())
        .replace("{user}", &user.to_string())
        .replace("{point}", &point.to_string())
        .replace("{code}", "ja")
        .replace("{token}", "no-such-link")
        .replace("{number}", "1")
        .replace("{invitation}", &point.to_string());
    assert!(
        !p.contains('{'),
        "give the isolation test a value for the parameters of {template}"
    );
    p
}

#[tokio::test]
async fn every_route_allows_and_denies_as_the_table_says() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let own = facility(&s, "own", "自院クリニック").await;
        let other = facility(&s, "other", "他院クリニック").await;
        let (target, _) = user(&s, "target@own.example", &own, Role::Viewer, false).await;
        let scope = s
            .scope(&domain::facility::FacilityRef::Id(own.id))
            .await
            .unwrap();
        let cp = domain::NewConnectionPoint::new(
            "保守VPN",
            domain::connection::ConnectionKind::VendorRemote,
        )
        .unwrap();
        let point = s
            .add_connection_point(&scope, &crate::support::actor(), cp, testkit::T0)
            .await
            .unwrap()
            .id
            .0;
        let device = s.assets(&scope).await.unwrap()[0].id;
        let seen = [domain::scan::Finding::NotSeen { asset: device }];
        s.record_scan(
            &scope,
            &crate::support::actor(),
            &seen,
            "scan.xml",
            testkit::T0,
        )
        .await
        .unwrap();
        assert_eq!(s.open_findings(&scope).await.unwrap()[0].id, point);
        let leak = domain::finding::Observation {
            asset: device,
            cve: "CVE-2018-13379".into(),
            kind: domain::finding::Kind::Credentials,
            facts: domain::finding::Facts {
                outcome: domain::nvd::Outcome::Affected,
                kev: true,
                ransomware: true,
                edge: true,
                cvss: Some(9.8),
            },
        };
        s.record_evaluation(
            &scope,
            &crate::support::actor(),
            testkit::T0,
            store::Evaluation {
                observed: vec![leak],
                versions: &[],
                feed_stamp: 0,
                rules: "isolation",
                revision: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(s.findings(&scope).await.unwrap()[0].id.0, point);
        assert_eq!(device.0, point);
        // A kept monthly review, number 1 of the own facility.
        let assets = s.assets(&scope).await.unwrap();
        let review = service::review::build(
            &s,
            &scope,
            &assets,
            domain::Date::in_japan(testkit::T0),
            testkit::T0,
            None,
        )
        .await
        .unwrap();
        let kept = service::review::keep(
            &s,
            &scope,
            &crate::support::actor(),
            &review,
            ("点検者", ""),
            1,
            testkit::T0,
        )
        .await
        .unwrap();
        assert_eq!(kept, Ok(1));
        let app = spawn_app(s.clone()).await;
        // An evidence document, number 1 of the own facility.
        let doc = service::evidence::add(
            &s,
            app.state().evidence_dir(),
            &scope,
            &crate::support::actor(),
            service::evidence::Upload {
                topic: "mds_sds",
                vendor: "",
                title: "MDS/SDS",
                file_name: "mds.pdf",
                valid_from: "",
                valid_until: "",
                bytes: b"%PDF-1.7 test",
            },
            testkit::T0,
        )
        .await
        .unwrap();
        assert_eq!(doc, Ok(1));
        let routes = route_table();
        assert!(routes.len() >= 20, "the table lists the routes");

        // Signed out: everything but public routes sends the person to sign in.
        let mut anon = app.client();
        for r in &routes {
            let p = path(r.path, own.id.0, target.id.0, point);
            let res = if r.method == Method::POST {
                anon.post(&p, &[]).await
            } else {
                anon.get(&p).await
            };
            if r.access == Access::Public {
                assert_ne!(res.location(), Some("/login"), "{} {p} is public", r.method);
            } else {
                assert_eq!(
                    res.status, 303,
                    "{} {p} signed out ({})",
                    r.method, db.backend
                );
                assert_eq!(res.location(), Some("/login"), "{} {p}", r.method);
            }
        }

        for (i, role) in Role::ALL.into_iter().enumerate() {
            let email = format!("{}@own.example", role.code());
            let needs_code = role.needs_second_factor();
            let (_, secret) = user(&s, &email, &own, role, needs_code).await;
            app.clock.advance_ms(60_000 * (i as i64 + 1));
            let mut c = sign_in(&app, &email, secret.as_deref()).await;
            let token = csrf(&mut c, &own).await;
            let mut denied_bodies = Vec::new();
            for r in &routes {
                let Access::Facility(permission) = r.access else {
                    continue;
                };
                for (facility, label) in [
                    (own.id.0, "own"),
                    (other.id.0, "other"),
                    (987_654, "missing"),
                ] {
                    let p = path(r.path, facility, target.id.0, point);
                    let res = if r.method == Method::POST {
                        c.post(&p, &[("csrf", &token), ("email", "")]).await
                    } else {
                        c.get(&p).await
                    };
                    let what = format!(
                        "{} {} as {} in {label} ({})",
                        r.method,
                        r.path,
                        role.code(),
                        db.backend
                    );
                    match label {
                        "own" if may(role, permission) => {
                            assert!(
                                ![401, 403, 404].contains(&res.status),
                                "{what}: allowed, got {}",
                                res.status
                            );
                            assert_ne!(res.location(), Some("/login"), "{what}");
                        }
                        "own" => assert_eq!(res.status, 403, "{what}: denied"),
                        _ => {
                            assert_eq!(res.status, 404, "{what}: another facility is invisible");
                            assert!(
                                !res.body.contains("他院クリニック"),
                                "{what}: its name never shows"
                            );
                            denied_bodies.push(res.body);
                        }
                    }
                    // Put back a device an allowed retirement took away.
                    if label == "own" && r.path.ends_with("/retire") && res.status == 303 {
                        testkit::exec(&db, "UPDATE asset SET retired_at = NULL").await;
                    }
                    // Put back what an allowed removal took away.
                    if label == "own" && r.path.ends_with("/remove") && res.status == 303 {
                        let m = domain::Membership {
                            user: target.id,
                            facility: own.id,
                            role: Role::Viewer,
                            vendor_name: None,
                            expires_at: None,
                        };
                        s.set_membership(&crate::support::actor(), &m, testkit::T0)
                            .await
                            .unwrap();
                    }
                }
            }
            assert!(
                denied_bodies.windows(2).all(|w| w[0] == w[1]),
                "an existing and a missing facility answer alike"
            );
            // Signed-in routes outside any facility.
            // (Accepting an invitation is a POST of its addressee: the advisors' story.)
            for r in routes
                .iter()
                .filter(|r| r.access == Access::SignedIn && r.method == Method::GET)
            {
                let res = c.get(r.path).await;
                assert!(
                    res.status == 200 || res.status == 303,
                    "{} as {}",
                    r.path,
                    role.code()
                );
                assert_ne!(res.location(), Some("/login"));
            }
        }
    }
}

#[tokio::test]
async fn another_facilitys_member_ids_are_not_reachable() {
    let db = testkit::sqlite();
    let s = open_store(&db).await;
    let own = facility(&s, "own", "自院").await;
    let other = facility(&s, "other", "他院").await;
    let (stranger, _) = user(&s, "staff@other.example", &other, Role::ItStaff, false).await;
    let (_, secret) = user(&s, "inchou@own.example", &own, Role::Director, true).await;
    let app = spawn_app(s.clone()).await;
    let mut c = sign_in(&app, "inchou@own.example", secret.as_deref()).await;
    let token = csrf(&mut c, &own).await;
    let r = c
        .post(
            &format!("/f/{}/members/{}/remove", own.id.0, stranger.id.0),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(
        r.status, 404,
        "a user of another facility cannot be named through one's own"
    );
    let still = s
        .scope_for(stranger.id, other.id, testkit::T0)
        .await
        .unwrap();
    assert!(still.is_some());
}
