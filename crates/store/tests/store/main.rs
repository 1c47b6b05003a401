//! Store stories, each run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

extern crate mamori_store as store;

mod accounts;
mod audit_chain;
mod backups;
mod checklist;
mod facilities;
mod feeds;
mod findings;
mod incident;
mod migrations;
mod secrets;

/// The acting person of the stories.
pub fn actor() -> domain::Actor {
    domain::Actor::Cli("tester".into())
}

/// Two clinics, "sakura" and "momo": the first for the story, the second to show that
/// nothing of the first is reached from it.
pub async fn two_facilities(s: &store::Store) -> [store::FacilityScope; 2] {
    let mut scopes = Vec::new();
    for short in ["sakura", "momo"] {
        let f = domain::NewFacility::new(short, short, domain::FacilityKind::Clinic, None, None)
            .unwrap();
        let f = s.add_facility(&actor(), f, testkit::T0).await.unwrap();
        scopes.push(
            s.scope(&domain::facility::FacilityRef::Id(f.id))
                .await
                .unwrap(),
        );
    }
    [scopes[0], scopes[1]]
}
