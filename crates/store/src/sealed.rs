//! Secrets the database must hold but not show: sealed with ChaCha20-Poly1305 under a key
//! derived from the key file (`AuditKey::derive`), which is kept outside the database. A
//! copy of the database alone gives no second-factor secret. The nonce is derived from the
//! key, the row and the secret (a synthetic nonce), so sealing needs no randomness and the
//! same secret of the same row seals the same way.

use domain::audit::{AuditKey, from_hex, to_hex};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;

/// The prefix of a sealed value; anything else in the column is an old, plain value.
const PREFIX: &str = "sealed1:";

fn keys(key: &AuditKey, purpose: &str) -> Option<(LessSafeKey, hmac::Key)> {
    let sealing = UnboundKey::new(&CHACHA20_POLY1305, &key.derive(purpose)).ok()?;
    let nonce_key = hmac::Key::new(hmac::HMAC_SHA256, &key.derive(&format!("{purpose}/nonce")));
    Some((LessSafeKey::new(sealing), nonce_key))
}

/// `secret` sealed for the row `row` of `purpose` (both bound into the tag: a sealed value
/// copied to another row does not open).
pub(crate) fn seal(key: &AuditKey, purpose: &str, row: i64, secret: &[u8]) -> Option<String> {
    let (sealing, nonce_key) = keys(key, purpose)?;
    let mut ctx = hmac::Context::with_key(&nonce_key);
    ctx.update(&row.to_le_bytes());
    ctx.update(secret);
    let tag = ctx.sign();
    let nonce_bytes: [u8; NONCE_LEN] = tag.as_ref().get(..NONCE_LEN)?.try_into().ok()?;
    let mut data = secret.to_vec();
    sealing
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(row.to_le_bytes()),
            &mut data,
        )
        .ok()?;
    let mut out = nonce_bytes.to_vec();
    out.extend_from_slice(&data);
    Some(format!("{PREFIX}{}", to_hex(&out)))
}

/// The secret of a sealed value. A plain one (written before sealing existed) is sealed when
/// the store opens (`plain`); read here it is refused, so that a value written into the
/// database by hand is never taken for a secret.
pub(crate) fn open(key: &AuditKey, purpose: &str, row: i64, stored: &str) -> Option<Vec<u8>> {
    let hex = stored.strip_prefix(PREFIX)?;
    let bytes = from_hex(hex)?;
    let (nonce, data) = bytes.split_at_checked(NONCE_LEN)?;
    let (sealing, _) = keys(key, purpose)?;
    let mut data = data.to_vec();
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let plain = sealing
        .open_in_place(nonce, Aad::from(row.to_le_bytes()), &mut data)
        .ok()?;
    Some(plain.to_vec())
}

/// The secret of a value an older Mamori stored plain (hex), `None` when it is sealed.
pub(crate) fn plain(stored: &str) -> Option<Option<Vec<u8>>> {
    (!stored.starts_with(PREFIX)).then(|| from_hex(stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_row() {
        let key = AuditKey::from_bytes([7; 32]);
        let secret = b"twenty bytes secret!";
        let s = seal(&key, "totp", 3, secret).unwrap();
        assert!(plain(&s).is_none() && !s.contains(&to_hex(secret)));
        assert_eq!(open(&key, "totp", 3, &s).unwrap(), secret);
        assert_eq!(open(&key, "totp", 4, &s), None, "another row");
        assert_eq!(open(&AuditKey::from_bytes([8; 32]), "totp", 3, &s), None);
        assert_eq!(
            open(&key, "totp", 3, &to_hex(secret)),
            None,
            "plain is not opened"
        );
        assert_eq!(plain(&to_hex(secret)), Some(Some(secret.to_vec())));
    }
}
