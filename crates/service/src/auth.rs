//! Security building blocks of sign-in: Argon2id password hashes, RFC 6238 codes, random
//! tokens, recovery codes. Randomness comes in through `domain::Entropy`, time as a
//! `Timestamp`, so every function here is testable with fixed inputs.

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
use domain::{Entropy, Timestamp};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Builder, Totp};

/// Hashes a password with Argon2id (19 MiB, 2 passes: OWASP's minimum) and a fresh salt.
/// Slow on purpose: call it from `spawn_blocking`.
pub fn hash_password(password: &str, entropy: &dyn Entropy) -> Result<String, String> {
    let mut salt = [0u8; 16];
    entropy.fill(&mut salt);
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches `hash`. The Argon2 memory (19 MiB) comes from a small pool
/// kept between calls: hashes run one per core (the server's hashing turns), and a fresh
/// allocation each time would leave each thread's allocator holding its own 19 MiB.
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::phc::PasswordHash;
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let Ok(params) = argon2::Params::try_from(&parsed) else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = match parsed.version.map(argon2::Version::try_from) {
        None => argon2::Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let blocks = params.block_count();
    // Mamori's own hashes use 19 MiB; a stored hash asking for more is not one of them.
    if blocks > MAX_BLOCKS {
        return false;
    }
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    let mut memory = POOL
        .lock()
        .ok()
        .and_then(|mut p| p.pop())
        .unwrap_or_default();
    memory.resize(blocks, argon2::Block::default());
    let hashed = argon
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok();
    if let Ok(mut pool) = POOL.lock()
        && pool.len() < 4
    {
        pool.push(memory);
    }
    hashed && same_bytes(&out, expected.as_bytes())
}

/// Argon2 memory kept between password checks.
static POOL: std::sync::Mutex<Vec<Vec<argon2::Block>>> = std::sync::Mutex::new(Vec::new());

/// The most memory a stored hash may ask for: 64 MiB in 1 KiB blocks.
const MAX_BLOCKS: usize = 64 * 1024;

/// Compares two byte strings in time that does not depend on where they differ.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A valid hash of nothing anyone knows: verifying against it when the account does not
/// exist makes a wrong e-mail take as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password_with_salt(b"decoy password of no account", b"mamori-decoy-salt")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// 32 random bytes as 64 hexadecimal digits: session tokens, CSRF tokens.
pub fn token(entropy: &dyn Entropy) -> String {
    let mut b = [0u8; 32];
    entropy.fill(&mut b);
    domain::audit::to_hex(&b)
}

/// What is stored instead of a token or recovery code.
pub fn digest(secret: &str) -> String {
    domain::audit::to_hex(&Sha256::digest(secret.as_bytes()))
}

/// Compares two strings in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// A new second-factor secret (160 bits, as RFC 4226 recommends).
pub fn new_totp_secret(entropy: &dyn Entropy) -> Vec<u8> {
    let mut s = vec![0u8; 20];
    entropy.fill(&mut s);
    s
}

fn totp(secret: &[u8], account: &str) -> Option<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .with_account_name(account)
        .with_issuer(Some("Mamori"))
        .build()
        .ok()
}

fn unix_secs(now: Timestamp) -> u64 {
    u64::try_from(now.unix_millis().max(0) / 1000).unwrap_or(0)
}

/// The time step a code belongs to, when it is right for `now` (one step of clock skew
/// either way is accepted). The caller must accept each step only once.
pub fn check_code(secret: &[u8], account: &str, code: &str, now: Timestamp) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret, account)?.check(&code, unix_secs(now))
}

/// The code an authenticator app shows at `now` (for tests and the demo).
pub fn code_at(secret: &[u8], account: &str, now: Timestamp) -> Option<String> {
    totp(secret, account).map(|t| t.generate(unix_secs(now)).to_string())
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &[u8], account: &str) -> Option<String> {
    totp(secret, account)?.to_url().ok()
}

/// The QR code of `text` as inline SVG (no script, no style attribute).
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    Some(
        svg.trim_start_matches(r#"<?xml version="1.0" standalone="yes"?>"#)
            .to_string(),
    )
}

/// RFC 4648 base32 without padding, in groups of four: how the secret is typed by hand.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ten one-time recovery codes such as `k7d2m-9xq4p`, shown once.
pub fn recovery_codes(entropy: &dyn Entropy) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..10)
        .map(|_| {
            let mut b = [0u8; 10];
            entropy.fill(&mut b);
            let s: String = b
                .iter()
                .map(|x| char::from(ALPHABET[usize::from(*x) % ALPHABET.len()]))
                .collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect()
}

/// Whether a typed code is a recovery code (`k7d2m-9xq4p`) rather than a phone's 6 digits.
pub fn is_recovery_code(code: &str) -> bool {
    code.contains('-') || code.trim().len() >= 10
}

/// Recovery codes are compared without their dash and case.
pub fn recovery_digest(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    digest(&format!("recovery:{normal}"))
}

/// A password of 16 characters with letters, digits and symbols, for `mamori user add`
/// when none is given.
pub fn generated_password(entropy: &dyn Entropy) -> String {
    const LETTERS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    const SYMBOLS: &[u8] = b"!#%+-=?@";
    let mut b = [0u8; 16];
    entropy.fill(&mut b);
    b.iter()
        .enumerate()
        .map(|(i, x)| {
            let set = match i % 8 {
                3 => DIGITS,
                6 => SYMBOLS,
                _ => LETTERS,
            };
            char::from(set[usize::from(*x) % set.len()])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counter(std::sync::atomic::AtomicU8);
    impl Entropy for Counter {
        fn fill(&self, buf: &mut [u8]) {
            for b in buf {
                *b = self.0.fetch_add(37, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    #[test]
    fn rfc6238_test_vector() {
        // RFC 6238 appendix B, SHA1, T = 59 s: 94287082 (we use the last 6 digits).
        let secret = b"12345678901234567890";
        let t = Timestamp::from_unix_millis(59_000);
        assert_eq!(code_at(secret, "a@b.jp", t).as_deref(), Some("287082"));
        assert!(check_code(secret, "a@b.jp", "287 082", t).is_some());
        assert!(check_code(secret, "a@b.jp", "287083", t).is_none());
        assert!(check_code(secret, "a@b.jp", "28708", t).is_none());
        let later = Timestamp::from_unix_millis(59_000 + 120_000);
        assert!(
            check_code(secret, "a@b.jp", "287082", later).is_none(),
            "too old"
        );
    }

    #[test]
    fn passwords_hash_and_verify() {
        let e = Counter(0.into());
        let h = hash_password("Kr4!mqzp", &e).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Kr4!mqzp", &h));
        assert!(!verify_password("Kr4!mqzq", &h));
        assert!(!verify_password("x", decoy_hash()));
        assert!(!verify_password("Kr4!mqzp", "not a hash"));
        // A stored hash asking for more memory than Mamori's own is not checked at all.
        let greedy = h.replace("m=19456", "m=4194304");
        assert!(greedy.contains("m=4194304") && !verify_password("Kr4!mqzp", &greedy));
    }

    #[test]
    fn generated_passwords_pass_the_rule() {
        let e = Counter(3.into());
        for _ in 0..20 {
            let p = generated_password(&e);
            assert_eq!(domain::access::check_password(&p, &[]), Ok(()), "{p}");
        }
    }

    #[test]
    fn base32_matches_rfc4648() {
        assert_eq!(base32(b"foobar"), "MZXW 6YTB OI");
        assert_eq!(base32(b""), "");
    }

    #[test]
    fn recovery_codes_normalise() {
        let codes = recovery_codes(&Counter(1.into()));
        assert_eq!(codes.len(), 10);
        assert_eq!(
            recovery_digest(&codes[0]),
            recovery_digest(&codes[0].to_uppercase().replace('-', " "))
        );
    }

    #[test]
    fn qr_is_plain_svg() {
        let svg = qr_svg("otpauth://totp/Mamori:a@b.jp?secret=ABC").unwrap();
        assert!(svg.starts_with("<svg") && !svg.contains("style") && !svg.contains("script"));
    }

    #[test]
    fn constant_time_compare() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
