//! Facilities, users and signed-in clients for the stories.

use domain::facility::FacilityRef;
use domain::{
    Actor, AssetKind, Email, Facility, FacilityKind, Membership, NewAsset, NewFacility, Role, User,
};
use store::Store;
use testkit::TestApp;
use testkit::http::Client;

pub const PASSWORD: &str = "Kr4!mqzp-Tokushima";

pub fn actor() -> Actor {
    Actor::Cli("tester".into())
}

pub async fn facility(store: &Store, short: &str, name: &str) -> Facility {
    let f = NewFacility::new(short, name, FacilityKind::Clinic, Some(19), None).unwrap();
    let f = store.add_facility(&actor(), f, testkit::T0).await.unwrap();
    let scope = store.scope(&FacilityRef::Id(f.id)).await.unwrap();
    let vpn = NewAsset::new(AssetKind::Utm, &format!("{short} UTM"))
        .unwrap()
        .vendor("保守会社A", domain::RemoteMaintenance::Yes);
    let pc = NewAsset::new(AssetKind::Pc, &format!("{short} 受付PC"))
        .unwrap()
        .vendor("保守会社B", domain::RemoteMaintenance::No);
    store
        .add_asset(&scope, &actor(), vpn, testkit::T0)
        .await
        .unwrap();
    store
        .add_asset(&scope, &actor(), pc, testkit::T0)
        .await
        .unwrap();
    f
}

/// A user with `role` in `facility`; with a second factor when `totp` (returns its secret).
pub async fn user(
    store: &Store,
    email: &str,
    facility: &Facility,
    role: Role,
    totp: bool,
) -> (User, Option<Vec<u8>>) {
    let hash =
        service::auth::hash_password(PASSWORD, testkit::SeededEntropy::new(1).as_ref()).unwrap();
    let email = Email::parse(email).unwrap();
    let u = store
        .add_user(&actor(), &email, None, &hash, testkit::T0)
        .await
        .unwrap();
    let vendor_name = (role == Role::Vendor).then(|| "保守会社A".to_string());
    let m = Membership {
        user: u.id,
        facility: facility.id,
        role,
        vendor_name,
        expires_at: None,
    };
    store
        .set_membership(&actor(), &m, testkit::T0)
        .await
        .unwrap();
    let secret = if totp {
        let secret = vec![role as u8 + 1; 20];
        store.start_totp(&u, &secret, testkit::T0).await.unwrap();
        store.confirm_totp(&u, 0, &[], testkit::T0).await.unwrap();
        Some(secret)
    } else {
        None
    };
    (u, secret)
}

/// Signs in through the pages as a person would, with the code when there is a secret.
pub async fn sign_in(app: &TestApp, email: &str, secret: Option<&[u8]>) -> Client {
    let mut c = app.client();
    let r = c
        .post("/login", &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, 303, "password step: {}", r.body);
    if let Some(secret) = secret {
        assert_eq!(r.location(), Some("/login/code"));
        let page = c.get("/login/code").await;
        let csrf = page.field("csrf").unwrap();
        let code = service::auth::code_at(secret, email, app.clock.now_ts()).unwrap();
        let r = c
            .post("/login/code", &[("csrf", &csrf), ("code", &code)])
            .await;
        assert_eq!(r.status, 303, "code step: {}", r.body);
        assert_eq!(r.location(), Some("/"));
    } else {
        assert_eq!(r.location(), Some("/"));
    }
    c
}

/// The form token of a signed-in client, read from a page as a browser would.
pub async fn csrf(c: &mut Client, facility: &Facility) -> String {
    let page = c.get(&format!("/f/{}/", facility.id.0)).await;
    page.field("csrf")
        .unwrap_or_else(|| panic!("no csrf on {}: {}", page.status, page.body))
}

/// One clinic on SQLite with one user of `role` (no second factor), signed in.
pub struct One {
    /// Kept for the life of the app: its directory holds the database.
    pub _db: testkit::TestDb,
    pub app: TestApp,
    pub facility: Facility,
    pub client: Client,
    pub token: String,
}

pub async fn signed_in_one(role: Role) -> One {
    let db = testkit::sqlite();
    let s = testkit::open_store(&db).await;
    let facility = self::facility(&s, "sakura", "さくら").await;
    user(&s, "staff@sakura.example", &facility, role, false).await;
    let app = testkit::spawn_app(s).await;
    let mut client = sign_in(&app, "staff@sakura.example", None).await;
    let token = csrf(&mut client, &facility).await;
    One {
        _db: db,
        app,
        facility,
        client,
        token,
    }
}

/// The actions of a facility's newest audit records, newest first.
pub async fn actions(store: &Store, facility: domain::FacilityId, limit: i64) -> Vec<String> {
    store
        .recent_audit(Some(facility), limit)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.entry.action)
        .collect()
}

/// The page at `path` once it contains `text` (work done off the request path, such as an
/// evaluation, shows a moment later); the last answer after five seconds.
pub async fn once_it_says(c: &mut Client, path: &str, text: &str) -> testkit::http::Response {
    let mut page = c.get(path).await;
    for _ in 0..50 {
        if page.body.contains(text) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        page = c.get(path).await;
    }
    page
}
