//! Backup verification that does not trust the operator: a manifest of every file of a backup
//! directory (or of a restic/borg repository's files) taken when the backup is made, and the
//! same directory hashed again and compared when it is restored or checked. Files are read in
//! 1 MiB pieces (a 100 GB image needs no more memory than a small file), on every core.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use domain::backup::Manifest;
use sha2::{Digest, Sha256};

const PIECE: usize = 1 << 20;

#[derive(Debug)]
pub enum BackupError {
    NotADirectory(PathBuf),
    /// A file or folder that could not be read, with the system's words (`gone`: it no longer
    /// exists).
    Io {
        path: PathBuf,
        detail: String,
        gone: bool,
    },
    /// A name the manifest cannot hold (not UTF-8, or with a line break).
    Name(PathBuf),
}

/// What was hashed, and what was left out.
#[derive(Debug)]
pub struct Taken {
    pub manifest: Manifest,
    pub bytes: u64,
    /// Symbolic links, sockets and the like: not backup contents, named so nobody wonders.
    pub skipped: Vec<String>,
}

/// A path as the file system resolves it (a file not written yet: its folder resolved).
fn resolved(p: &Path) -> Option<PathBuf> {
    p.canonicalize().ok().or_else(|| {
        let parent = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(parent.canonicalize().ok()?.join(p.file_name()?))
    })
}

/// Hashes every regular file under `root` with `workers` threads, leaving out `record` (the
/// manifest itself, when someone keeps it inside the backup).
pub fn manifest(root: &Path, workers: usize, record: Option<&Path>) -> Result<Taken, BackupError> {
    if !root.is_dir() {
        return Err(BackupError::NotADirectory(root.to_path_buf()));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    walk(root, root, &mut files, &mut skipped)?;
    if let Some(record) = record.and_then(resolved) {
        files.retain(|(_, p)| resolved(p).as_deref() != Some(record.as_path()));
    }
    files.sort();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(String, [u8; 32], u64)>> = Mutex::new(Vec::with_capacity(files.len()));
    let failure: Mutex<Option<BackupError>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((rel, path)) = files.get(i) else {
                        break;
                    };
                    match hash_file(path) {
                        Ok((digest, n)) => {
                            if let Ok(mut r) = results.lock() {
                                r.push((rel.clone(), digest, n));
                            }
                        }
                        // Deleted while the others were read (ransomware at work, or a
                        // backup job): not in the backup, so the comparison names it missing.
                        Err(BackupError::Io { gone: true, .. }) => {}
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                            // The others stop at their next file.
                            next.store(usize::MAX / 2, Ordering::Relaxed);
                            break;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let results = results.into_inner().unwrap_or_default();
    let bytes = results.iter().map(|(_, _, n)| n).sum();
    Ok(Taken {
        manifest: Manifest {
            files: results.into_iter().map(|(p, d, _)| (p, d)).collect(),
        },
        bytes,
        skipped,
    })
}

fn walk(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, PathBuf)>,
    skipped: &mut Vec<String>,
) -> Result<(), BackupError> {
    let io = |path: &Path, e: std::io::Error| BackupError::Io {
        path: path.to_path_buf(),
        gone: e.kind() == std::io::ErrorKind::NotFound,
        detail: e.to_string(),
    };
    let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| io(&path, e))?;
        let rel = path
            .strip_prefix(root)
            .ok()
            .and_then(|p| p.to_str())
            .filter(|p| !p.contains(['\n', '\r']))
            .ok_or_else(|| BackupError::Name(path.clone()))?
            .replace(std::path::MAIN_SEPARATOR, "/");
        if kind.is_dir() {
            walk(root, &path, files, skipped)?;
        } else if kind.is_file() {
            files.push((rel, path));
        } else {
            skipped.push(rel);
        }
    }
    Ok(())
}

/// The SHA-256 of one file and its length, read a piece at a time.
pub fn hash_file(path: &Path) -> Result<([u8; 32], u64), BackupError> {
    let io = |e: std::io::Error| BackupError::Io {
        path: path.to_path_buf(),
        gone: e.kind() == std::io::ErrorKind::NotFound,
        detail: e.to_string(),
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; PIECE];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hasher.finalize().into(), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_hashed_like_sha256sum_and_changes_are_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("db")).unwrap();
        std::fs::write(dir.path().join("db/ehr.bak"), b"abc").unwrap();
        std::fs::write(dir.path().join("empty"), b"").unwrap();
        let taken = manifest(dir.path(), 2, None).unwrap();
        let text = taken.manifest.to_text();
        assert!(
            text.contains(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  db/ehr.bak\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  empty\n"
            )
        );
        assert_eq!(taken.bytes, 3);
        std::fs::write(dir.path().join("db/ehr.bak"), b"abd").unwrap();
        std::fs::remove_file(dir.path().join("empty")).unwrap();
        std::fs::write(dir.path().join("ransom-note.txt"), b"pay").unwrap();
        let d = taken
            .manifest
            .compare(&manifest(dir.path(), 2, None).unwrap().manifest);
        assert_eq!(d.changed, ["db/ehr.bak"]);
        assert_eq!(d.missing, ["empty"]);
        assert_eq!(d.extra, ["ransom-note.txt"]);
        assert!(matches!(
            manifest(&dir.path().join("nothing"), 2, None),
            Err(BackupError::NotADirectory(_))
        ));
    }
}
