//! The deployment's audit key file: 64 hexadecimal digits, readable by its owner only. It is
//! made once, when a new database gets its first audit record, and never silently replaced.

use crate::output::say_err;
use std::io::Write as _;
use std::path::Path;

use domain::AuditKey;
use text::{Lang, args};

use crate::failure::Failure;

/// Random bytes from the operating system: the binary's one source of randomness.
pub struct OsEntropy;

impl domain::Entropy for OsEntropy {
    #[allow(clippy::disallowed_methods)] // The one place that asks the OS.
    fn fill(&self, buf: &mut [u8]) {
        // The OS generator does not fail on supported systems; if it ever does, no key or
        // token may be made from whatever the buffer holds.
        if getrandom::fill(buf).is_err() {
            say_err!("mamori: the operating system's random number generator failed");
            std::process::exit(70);
        }
    }
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    domain::Entropy::fill(&OsEntropy, &mut buf);
    buf
}

/// Reads the key. When the file is missing and the database has no chain yet
/// (`fingerprint` is `None`), creates it and says so on stderr.
pub fn load_or_create(
    lang: Lang,
    path: &Path,
    fingerprint: Option<&str>,
) -> Result<AuditKey, Failure> {
    if path.exists() {
        return read(lang, path);
    }
    let shown = path.display().to_string();
    if fingerprint.is_some() {
        return Err(Failure(lang.tr("error-key-missing", args![path = &shown])));
    }
    let key = AuditKey::from_bytes(random_bytes());
    write_new(path, &key).map_err(|e| {
        Failure(lang.tr(
            "error-key-write",
            args![path = &shown, detail = e.to_string()],
        ))
    })?;
    say_err!("{}", lang.tr("key-created", args![path = &shown]));
    Ok(key)
}

/// Reads the key for a read-only check. With no chain and no file, an all-zero key stands
/// in: it verifies an empty chain and fails on any record, which is then unaccounted for.
pub fn load_for_check(
    lang: Lang,
    path: &Path,
    fingerprint: Option<&str>,
) -> Result<AuditKey, Failure> {
    match (path.exists(), fingerprint) {
        (true, _) => read(lang, path),
        (false, None) => Ok(AuditKey::from_bytes([0; 32])),
        (false, Some(_)) => Err(Failure(lang.tr(
            "error-key-missing",
            args![path = path.display().to_string()],
        ))),
    }
}

fn read(lang: Lang, path: &Path) -> Result<AuditKey, Failure> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure(lang.tr(
            "error-key-read",
            args![path = &shown, detail = e.to_string()],
        ))
    })?;
    AuditKey::from_hex(&text)
        .ok_or_else(|| Failure(lang.tr("error-key-format", args![path = &shown])))
}

fn write_new(path: &Path, key: &AuditKey) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    writeln!(f, "{}", key.to_hex())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        let a = load_or_create(Lang::Ja, &path, None).unwrap();
        let b = load_or_create(Lang::Ja, &path, Some(&a.fingerprint())).unwrap();
        assert_eq!(a, b);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn never_replaced_for_an_existing_chain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.key");
        let e = load_or_create(Lang::Ja, &path, Some("abcd")).unwrap_err();
        assert!(e.0.contains("missing.key"));
        assert!(!path.exists());
    }

    #[test]
    fn garbage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.key");
        std::fs::write(&path, "not a key").unwrap();
        assert!(
            load_or_create(Lang::En, &path, None)
                .unwrap_err()
                .0
                .contains("64")
        );
    }
}
