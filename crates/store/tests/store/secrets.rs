//! Second-factor secrets are sealed with a key outside the database: a copy of the
//! database alone gives none, and secrets an older Mamori stored plain are sealed at start.

use domain::{Actor, Email};
use store::{Access, Database, Store};
use testkit::{each_backend, exec, key, open_store};

#[tokio::test]
async fn totp_secrets_are_sealed_and_plain_ones_are_sealed_at_start() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let actor = Actor::Cli("t".into());
        let email = Email::parse("inchou@sakura.example").unwrap();
        let user = s
            .add_user(&actor, &email, None, "hash", testkit::T0)
            .await
            .unwrap();
        let secret = b"0123456789abcdefghij".to_vec();
        s.start_totp(&user, &secret, testkit::T0).await.unwrap();
        let plain_hex = domain::audit::to_hex(&secret);
        // Only a row holding exactly the plain hex would match.
        let plain_rows = exec(
            &db,
            &format!("UPDATE app_user SET display_name = 'x' WHERE totp_secret = '{plain_hex}'"),
        )
        .await;
        assert_eq!(plain_rows, 0, "{}: stored sealed", db.backend);
        let creds = s.credentials(&email).await.unwrap().unwrap();
        assert_eq!(creds.totp_secret.as_deref(), Some(secret.as_slice()));

        // As an older Mamori left it: plain hex. The next start seals it.
        exec(
            &db,
            &format!(
                "UPDATE app_user SET totp_secret = '{plain_hex}' WHERE id = {}",
                user.id.0
            ),
        )
        .await;
        let database = Database::connect(&db.url, Access::ReadWrite).await.unwrap();
        let s = Store::open(database, key(), testkit::T0).await.unwrap();
        let still_plain = exec(
            &db,
            &format!("UPDATE app_user SET display_name = 'y' WHERE totp_secret = '{plain_hex}'"),
        )
        .await;
        assert_eq!(still_plain, 0, "{}: sealed at start", db.backend);
        let creds = s.credentials(&email).await.unwrap().unwrap();
        assert_eq!(creds.totp_secret.as_deref(), Some(secret.as_slice()));
        assert!(
            s.verify_audit(store::Chains::All, None)
                .await
                .unwrap()
                .outcome
                .is_ok(),
            "{}",
            db.backend
        );
    }
}
