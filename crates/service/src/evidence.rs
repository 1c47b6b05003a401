//! Evidence documents for the checklist: a file (PDF, image, Excel or Word) checked by its own
//! first bytes, kept in the evidence folder under `<facility id>/<SHA-256>` and its row in the
//! store; read back only for its own facility and only when its digest still matches.

use std::path::{Path, PathBuf};

use domain::{Date, Timestamp};
use sha2::{Digest, Sha256};
use store::{FacilityScope, NewEvidence, Store};

/// The largest document taken (a scanned appointment letter or an MDS/SDS PDF is far less).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Why a document was refused, for the person uploading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooLarge,
    /// Not a PDF, PNG, JPEG, .xlsx or .docx (told by its content, not its name).
    Kind,
    /// A field the domain rules refuse (title, dates).
    Field(domain::Error),
    /// The valid-until day is before the valid-from day.
    UntilBeforeFrom,
}

/// What the upload form gave.
pub struct Upload<'a> {
    pub topic: &'a str,
    pub vendor: &'a str,
    pub title: &'a str,
    pub file_name: &'a str,
    pub valid_from: &'a str,
    pub valid_until: &'a str,
    pub bytes: &'a [u8],
}

/// A report Mamori itself wrote (a backup's verification), kept as plain text evidence. Only
/// Mamori's own code makes one: uploads are told by their bytes.
pub struct Report<'a> {
    pub topic: &'a str,
    pub title: &'a str,
    pub file_name: &'a str,
    pub text: &'a str,
}

/// Keeps a report of Mamori's own as evidence, valid from today.
pub async fn add_report(
    store: &Store,
    dir: &Path,
    scope: &FacilityScope,
    actor: &domain::Actor,
    r: Report<'_>,
    now: Timestamp,
) -> Result<Result<i64, Vec<Problem>>, store::Error> {
    let today = Date::in_japan(now).to_string();
    keep(
        store,
        dir,
        scope,
        actor,
        Upload {
            topic: r.topic,
            vendor: "",
            title: r.title,
            file_name: r.file_name,
            valid_from: &today,
            valid_until: "",
            bytes: r.text.as_bytes(),
        },
        Some("text/plain; charset=utf-8"),
        now,
    )
    .await
}

/// The media type of a document, told by its first bytes (and, for the zip-based Office
/// files, by the parts they must hold).
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return Some("image/jpeg");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // The part names sit in the zip's local headers; the first few KiB are enough.
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        if has(b"xl/") {
            return Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        }
        if has(b"word/") {
            return Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        }
    }
    None
}

fn digest(bytes: &[u8]) -> String {
    domain::audit::to_hex(&Sha256::digest(bytes))
}

fn path_of(dir: &Path, scope: &FacilityScope, sha256: &str) -> PathBuf {
    dir.join(scope.facility().0.to_string()).join(sha256)
}

fn day(field: domain::Field, text: &str) -> Result<Option<Date>, Problem> {
    Date::parse_field(field, text).map_err(Problem::Field)
}

/// Checks and keeps a document: every problem is said, nothing is kept unless all is well.
/// The file is written (to a temporary name, then renamed) before its row, so a row never
/// points at a missing file.
pub async fn add(
    store: &Store,
    dir: &Path,
    scope: &FacilityScope,
    actor: &domain::Actor,
    up: Upload<'_>,
    now: Timestamp,
) -> Result<Result<i64, Vec<Problem>>, store::Error> {
    keep(store, dir, scope, actor, up, None, now).await
}

/// `add`, with the media type given (`Some`: a report of Mamori's own) or told by the bytes.
async fn keep(
    store: &Store,
    dir: &Path,
    scope: &FacilityScope,
    actor: &domain::Actor,
    up: Upload<'_>,
    given: Option<&'static str>,
    now: Timestamp,
) -> Result<Result<i64, Vec<Problem>>, store::Error> {
    let mut problems = Vec::new();
    if up.bytes.is_empty() {
        problems.push(Problem::Empty);
    } else if up.bytes.len() > MAX_BYTES {
        problems.push(Problem::TooLarge);
    }
    let media = given.or_else(|| media_type(up.bytes));
    if media.is_none() && !up.bytes.is_empty() {
        problems.push(Problem::Kind);
    }
    let title = domain::text::required(domain::Field::EvidenceTitle, up.title, 200)
        .map_err(|e| problems.push(Problem::Field(e)))
        .unwrap_or_default();
    let vendor = domain::text::optional(domain::Field::VendorName, Some(up.vendor), 200)
        .map_err(|e| problems.push(Problem::Field(e)))
        .unwrap_or_default();
    let from = day(domain::Field::Date, up.valid_from)
        .map_err(|p| problems.push(p))
        .unwrap_or_default();
    let until = day(domain::Field::Date, up.valid_until)
        .map_err(|p| problems.push(p))
        .unwrap_or_default();
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        problems.push(Problem::UntilBeforeFrom);
    }
    let Some(media) = media.filter(|_| problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let bytes = up.bytes.to_vec();
    let unique = format!("part-{}", now.unix_millis());
    let base = dir.join(scope.facility().0.to_string());
    // Hashing and writing off the async threads; the file is synced before its row exists.
    // A file already there under this digest is kept only if it still matches (a changed
    // or cut file is written again).
    let written = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let sha256 = digest(&bytes);
        let path = base.join(&sha256);
        if std::fs::read(&path).is_ok_and(|old| digest(&old) == sha256) {
            return Ok(sha256);
        }
        std::fs::create_dir_all(&base)?;
        let temp = base.join(format!("{sha256}.{unique}"));
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&temp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&temp, &path)?;
        if let Ok(d) = std::fs::File::open(&base) {
            let _ = d.sync_all();
        }
        Ok(sha256)
    })
    .await;
    let sha256 = match written {
        Ok(Ok(sha256)) => sha256,
        Ok(Err(e)) => return Err(store::Error::Database(format!("evidence folder: {e}"))),
        Err(e) => return Err(store::Error::Database(format!("evidence folder: {e}"))),
    };
    let file_name: String = up
        .file_name
        .chars()
        .filter(|c| !c.is_control() && !domain::text::unsafe_char(*c) && !matches!(c, '/' | '\\'))
        .take(200)
        .collect();
    let number = store
        .add_evidence(
            scope,
            actor,
            &NewEvidence {
                topic: up.topic.to_string(),
                vendor,
                title,
                file_name,
                media_type: media.to_string(),
                size: i64::try_from(up.bytes.len()).unwrap_or(i64::MAX),
                sha256,
                valid_from: from,
                valid_until: until,
            },
            now,
        )
        .await?;
    Ok(Ok(number))
}

/// A kept document and its bytes, or `None` when the facility has no such number. The bytes
/// must still hash to the digest recorded at upload: a changed or missing file is an error
/// naming the document, never served.
pub async fn read(
    store: &Store,
    dir: &Path,
    scope: &FacilityScope,
    number: i64,
) -> Result<Option<(store::Evidence, Vec<u8>)>, store::Error> {
    let Some(doc) = store
        .evidence(scope)
        .await?
        .into_iter()
        .find(|e| e.number == number)
    else {
        return Ok(None);
    };
    let path = path_of(dir, scope, &doc.doc.sha256);
    let read = tokio::task::spawn_blocking(move || {
        std::fs::read(path).map(|b| {
            let d = digest(&b);
            (b, d)
        })
    })
    .await
    .map_err(|e| store::Error::Database(format!("evidence folder: {e}")))?
    .map_err(|e| store::Error::Database(format!("evidence {number}: {e}")))?;
    let (bytes, found) = read;
    if found != doc.doc.sha256 {
        return Err(store::Error::Corrupt {
            table: "evidence",
            column: "sha256",
            id: number.to_string(),
            value: "the file no longer matches its SHA-256".into(),
        });
    }
    Ok(Some((doc, bytes)))
}

/// Whether a document is valid on `today` (no dates: valid).
pub fn valid_on(doc: &NewEvidence, today: Date) -> bool {
    doc.valid_from.is_none_or(|f| f <= today) && doc.valid_until.is_none_or(|u| today <= u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_told_by_their_content() {
        assert_eq!(media_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(media_type(b"\x89PNG\r\n\x1a\nxxxx"), Some("image/png"));
        assert_eq!(media_type(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert!(media_type(b"PK\x03\x04....xl/workbook.xml").is_some_and(|m| m.contains("sheet")));
        assert!(media_type(b"PK\x03\x04....word/document.xml").is_some_and(|m| m.contains("word")));
        assert_eq!(media_type(b"PK\x03\x04 a plain zip"), None);
        assert_eq!(media_type(b"MZ\x90\x00 an exe"), None);
        assert_eq!(media_type(b"<html>"), None);
    }
}
