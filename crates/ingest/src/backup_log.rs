//! A backup job's log, as the server that takes the backup writes it: `wbadmin get versions`
//! (Windows Server Backup, on most clinic EHR and receipt servers), saved with `>` (UTF-16LE
//! from PowerShell, CP932 or UTF-8 from cmd). Every version it lists is a backup that
//! completed; its "Version identifier" (バージョン識別子) is `MM/DD/YYYY-HH:MM` in UTC whatever
//! the language of Windows, so the labels around it are not read.

use domain::{Date, Timestamp};

use crate::table::{self, FileProblem};

/// The largest log read (years of nightly versions are well under a megabyte).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    TooLarge,
    File(FileProblem),
    /// No version identifier anywhere: not `wbadmin get versions` output, or no backup yet.
    NoVersions,
    /// A version identifier that is not a real moment, on this line (1 = the first).
    BadVersion {
        line: usize,
        text: String,
    },
}

/// Every backup the log lists, oldest first.
pub fn wbadmin_versions(bytes: &[u8]) -> Result<Vec<Timestamp>, Problem> {
    if bytes.len() > MAX_BYTES {
        return Err(Problem::TooLarge);
    }
    let text = table::decode(bytes).map_err(Problem::File)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for token in line.split(char::is_whitespace) {
            let token = token.trim_matches(|c: char| !c.is_ascii_digit());
            if let Some(t) = identifier(token) {
                let t = t.ok_or_else(|| Problem::BadVersion {
                    line: i + 1,
                    text: token.chars().take(40).collect(),
                })?;
                out.push(t);
            }
        }
    }
    if out.is_empty() {
        return Err(Problem::NoVersions);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// `MM/DD/YYYY-HH:MM`: `None` when the token has another shape, `Some(None)` when it has
/// this shape but is no real moment.
fn identifier(token: &str) -> Option<Option<Timestamp>> {
    let b = token.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    let shape = b.len() == 16
        && digits(0..2)
        && b[2] == b'/'
        && digits(3..5)
        && b[5] == b'/'
        && digits(6..10)
        && b[10] == b'-'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16);
    if !shape {
        return None;
    }
    let n = |r: std::ops::Range<usize>| token[r].parse::<u32>().unwrap_or(u32::MAX);
    let (month, day, year, hour, minute) = (n(0..2), n(3..5), n(6..10), n(11..13), n(14..16));
    let date = u8::try_from(month)
        .ok()
        .zip(u8::try_from(day).ok())
        .and_then(|(m, d)| Date::new(i32::try_from(year).ok()?, m, d).ok());
    Some(match date {
        Some(d) if hour < 24 && minute < 60 => Some(Timestamp::from_unix_millis(
            (d.days() * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60) * 1000,
        )),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGLISH: &str = "wbadmin 1.0 - Backup command-line tool\r\n\
(C) Copyright Microsoft Corporation. All rights reserved.\r\n\r\n\
Backup time: 12/2/2026 2:00 AM\r\n\
Backup target: 1394/USB Disk labeled Elements(F:)\r\n\
Version identifier: 12/01/2026-17:00\r\n\
Can recover: Volume(s), File(s), Application(s), Bare Metal Recovery, System State\r\n\
Snapshot ID: {445bf85d-efd2-448b-b33a-f97422f3318a}\r\n\r\n\
Backup time: 12/3/2026 2:00 AM\r\n\
Backup target: 1394/USB Disk labeled Elements(F:)\r\n\
Version identifier: 12/02/2026-17:00\r\n";

    #[test]
    fn every_version_is_read_in_utc_and_lands_on_the_japanese_day() {
        let v = wbadmin_versions(ENGLISH.as_bytes()).unwrap();
        assert_eq!(v.len(), 2);
        // 17:00 UTC on 2 December is 02:00 on 3 December in Japan.
        assert_eq!(Date::in_japan(v[1]), Date::new(2026, 12, 3).unwrap());
    }

    #[test]
    fn japanese_windows_and_powershell_utf16_read_the_same() {
        let ja = "バックアップ時間: 2026/12/03 2:00\r\nバージョン識別子: 12/02/2026-17:00\r\n";
        let mut utf16 = vec![0xFF, 0xFE];
        for u in ja.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(ja);
        for bytes in [utf16, sjis.into_owned(), ja.as_bytes().to_vec()] {
            let v = wbadmin_versions(&bytes).unwrap();
            assert_eq!(v.len(), 1);
            assert_eq!(Date::in_japan(v[0]), Date::new(2026, 12, 3).unwrap());
        }
    }

    #[test]
    fn other_files_and_impossible_moments_are_named() {
        assert_eq!(
            wbadmin_versions(b"ERROR - No backups were found."),
            Err(Problem::NoVersions)
        );
        assert_eq!(
            wbadmin_versions(b"x\nVersion identifier: 13/45/2026-25:00\n"),
            Err(Problem::BadVersion {
                line: 2,
                text: "13/45/2026-25:00".into()
            })
        );
        assert_eq!(
            wbadmin_versions(&vec![b'a'; MAX_BYTES + 1]),
            Err(Problem::TooLarge)
        );
    }
}
