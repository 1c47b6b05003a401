//! The software installed on a device, from what a clinic can produce without tools:
//! PowerShell's uninstall list (`Get-ItemProperty HKLM:\Software\Microsoft\Windows\
//! CurrentVersion\Uninstall\*, HKLM:\Software\WOW6432Node\…\Uninstall\* | Export-Csv`, with
//! or without its `#TYPE` line, UTF-8, UTF-16 or Shift_JIS, extra columns ignored; also as a
//! workbook) and `winget list` (English or Japanese headers, names in double-width
//! characters). Each problem names its line and column; nothing is half read.

use domain::software::Installed;

use crate::table::{self, Cell, FileProblem};

/// At most this many programs a device (a Windows PC lists 100–400).
pub const MAX_ITEMS: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    UninstallCsv,
    Winget,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SoftwareList {
    pub format: Format,
    /// Each program once (the 64- and 32-bit lists often name one twice).
    pub items: Vec<Installed>,
    /// Uninstall entries without a display name (updates and components Windows hides): not
    /// programs, counted so that the preview can say so.
    pub unnamed: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SoftwareProblem {
    File(FileProblem),
    /// Neither a `DisplayName` column nor a `winget list` header.
    NotAList,
    /// A value that breaks a rule, at its line (1 = the file's first) and column.
    Invalid {
        line: usize,
        column: String,
        error: domain::Error,
    },
    TooMany {
        limit: usize,
    },
}

impl From<FileProblem> for SoftwareProblem {
    fn from(p: FileProblem) -> Self {
        SoftwareProblem::File(p)
    }
}

pub fn parse(bytes: &[u8], file_name: &str) -> Result<SoftwareList, SoftwareProblem> {
    let zip = bytes.starts_with(b"PK\x03\x04");
    if !zip
        && let Ok(text) = table::decode(bytes)
        && winget_header(&text).is_some()
    {
        return winget(&text);
    }
    uninstall(bytes, file_name)
}

fn push(list: &mut Vec<Installed>, item: Installed) -> Result<(), SoftwareProblem> {
    if !list.contains(&item) {
        if list.len() >= MAX_ITEMS {
            return Err(SoftwareProblem::TooMany { limit: MAX_ITEMS });
        }
        list.push(item);
    }
    Ok(())
}

fn uninstall(bytes: &[u8], file_name: &str) -> Result<SoftwareList, SoftwareProblem> {
    let sheets = table::read(bytes, file_name)?;
    let sheet = sheets.first().ok_or(SoftwareProblem::NotAList)?;
    let is = |c: &Cell, name: &str| c.text().trim().eq_ignore_ascii_case(name);
    let (header_at, header) = sheet
        .rows
        .iter()
        .enumerate()
        .take(5)
        .find(|(_, r)| r.iter().any(|c| is(c, "DisplayName")))
        .ok_or(SoftwareProblem::NotAList)?;
    let col = |name: &str| header.iter().position(|c| is(c, name));
    let name_at = col("DisplayName").ok_or(SoftwareProblem::NotAList)?;
    let version_at = col("DisplayVersion");
    let publisher_at = col("Publisher");
    let mut items = Vec::new();
    let mut unnamed = 0;
    for (i, row) in sheet.rows.iter().enumerate().skip(header_at + 1) {
        let cell = |at: Option<usize>| {
            at.and_then(|a| row.get(a))
                .map(|c| c.text().trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let Some(name) = cell(Some(name_at)) else {
            if row.iter().any(|c| !c.text().trim().is_empty()) {
                unnamed += 1;
            }
            continue;
        };
        let version = cell(version_at);
        let publisher = cell(publisher_at);
        let item =
            Installed::new(&name, version.as_deref(), publisher.as_deref()).map_err(|e| {
                let column = match &e {
                    domain::Error::Invalid { field, .. } => match field {
                        domain::Field::SoftwareVersion => "DisplayVersion",
                        domain::Field::SoftwarePublisher => "Publisher",
                        _ => "DisplayName",
                    },
                };
                SoftwareProblem::Invalid {
                    line: i + 1,
                    column: column.to_string(),
                    error: e,
                }
            })?;
        push(&mut items, item)?;
    }
    Ok(SoftwareList {
        format: Format::UninstallCsv,
        items,
        unnamed,
    })
}

/// How wide a character is on a console: CJK and full-width forms take two columns.
fn width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
    if wide { 2 } else { 1 }
}

/// The display columns where each header word of a `winget list` header starts, and the
/// line it is on.
fn winget_header(text: &str) -> Option<(usize, Vec<(String, usize)>)> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or_default();
        if next.len() < 10 || !next.chars().all(|c| c == '-') {
            continue;
        }
        let mut cols = Vec::new();
        let mut at = 0;
        let mut word = String::new();
        let mut start = 0;
        for c in line.chars() {
            if c.is_whitespace() {
                if !word.is_empty() {
                    cols.push((std::mem::take(&mut word), start));
                }
            } else {
                if word.is_empty() {
                    start = at;
                }
                word.push(c);
            }
            at += width(c);
        }
        if !word.is_empty() {
            cols.push((word, start));
        }
        let names: Vec<String> = cols.iter().map(|(w, _)| w.to_lowercase()).collect();
        let has = |a: &str, b: &str| names.iter().any(|n| n == a || n == b);
        if has("name", "名前") && has("id", "id") && has("version", "バージョン") {
            return Some((i, cols));
        }
    }
    None
}

/// The text of `line` between display columns `from` and `to`.
fn slice(line: &str, from: usize, to: Option<usize>) -> String {
    let mut at = 0;
    let mut out = String::new();
    for c in line.chars() {
        if at >= from && to.is_none_or(|t| at < t) {
            out.push(c);
        }
        at += width(c);
    }
    out.trim().to_string()
}

fn winget(text: &str) -> Result<SoftwareList, SoftwareProblem> {
    let (header_at, cols) = winget_header(text).ok_or(SoftwareProblem::NotAList)?;
    let find = |a: &str, b: &str| {
        cols.iter()
            .position(|(w, _)| w.eq_ignore_ascii_case(a) || w == b)
    };
    let name_i = find("name", "名前").ok_or(SoftwareProblem::NotAList)?;
    let version_i = find("version", "バージョン").ok_or(SoftwareProblem::NotAList)?;
    let bounds = |i: usize| (cols[i].1, cols.get(i + 1).map(|(_, s)| *s));
    let mut items = Vec::new();
    for (i, line) in text.lines().enumerate().skip(header_at + 2) {
        if line.trim().is_empty() {
            continue;
        }
        // The closing line: 「2 upgrades available.」/「2 アップグレードを利用できます。」.
        let (from, to) = bounds(version_i);
        if slice(line, from, to).is_empty() && !line.starts_with(' ') {
            continue;
        }
        let (nf, nt) = bounds(name_i);
        let name = slice(line, nf, nt);
        let version = slice(line, from, to);
        if name.is_empty() {
            continue;
        }
        let item = Installed::new(
            &name,
            Some(version.as_str()).filter(|v| !v.is_empty() && *v != "Unknown"),
            None,
        )
        .map_err(|e| SoftwareProblem::Invalid {
            line: i + 1,
            column: cols[name_i].0.clone(),
            error: e,
        })?;
        push(&mut items, item)?;
    }
    Ok(SoftwareList {
        format: Format::Winget,
        items,
        unnamed: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PS: &str = "#TYPE Selected.System.Management.Automation.PSCustomObject\r\n\
\"DisplayName\",\"DisplayVersion\",\"Publisher\",\"InstallDate\"\r\n\
\"TeamViewer\",\"15.51.5\",\"TeamViewer\",\"20240110\"\r\n\
\"Microsoft Edge\",\"120.0.2210.91\",\"Microsoft Corporation\",\"\"\r\n\
\"\",\"\",\"\",\"\"\r\n\
\"\",\"1.0\",\"\",\"\"\r\n\
\"TeamViewer\",\"15.51.5\",\"TeamViewer\",\"20240110\"\r\n\
\"電子カルテ クライアント\",\"5.2\",\"株式会社さくらメディカル\",\"\"\r\n";

    #[test]
    fn the_uninstall_list_in_utf8_and_shift_jis() {
        let utf8 = parse(PS.as_bytes(), "software.csv").unwrap();
        assert_eq!(utf8.format, Format::UninstallCsv);
        assert_eq!(utf8.items.len(), 3, "one TeamViewer");
        assert_eq!(utf8.unnamed, 1);
        assert_eq!(
            utf8.items[2].publisher.as_deref(),
            Some("株式会社さくらメディカル")
        );
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(PS);
        assert_eq!(parse(&sjis, "software.csv").unwrap().items, utf8.items);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in PS.encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(parse(&utf16, "software.csv").unwrap().items, utf8.items);
    }

    #[test]
    fn winget_in_japanese_with_wide_names() {
        let text = "名前                         ID                          バージョン     利用可能   ソース\n\
-------------------------------------------------------------------------------------------------\n\
AnyDesk                      AnyDesk.AnyDesk             8.0.8          9.0.1      winget\n\
電子カルテ ビューア          ARP\\Machine\\X64\\{A1}         5.2.1\n\
Microsoft Edge               Microsoft.Edge              120.0.2210.91             winget\n\
2 アップグレードを利用できます。\n";
        let l = parse(text.as_bytes(), "winget.txt").unwrap();
        assert_eq!(l.format, Format::Winget);
        let got: Vec<(&str, Option<&str>)> = l
            .items
            .iter()
            .map(|i| (i.name.as_str(), i.version.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("AnyDesk", Some("8.0.8")),
                ("電子カルテ ビューア", Some("5.2.1")),
                ("Microsoft Edge", Some("120.0.2210.91"))
            ]
        );
    }

    #[test]
    fn bad_lists_say_where() {
        assert_eq!(
            parse(b"Name,Version\nA,1\n", "x.csv"),
            Err(SoftwareProblem::NotAList)
        );
        let bad = format!("DisplayName,DisplayVersion\nA,1\n{},1\n", "長".repeat(201));
        match parse(bad.as_bytes(), "x.csv") {
            Err(SoftwareProblem::Invalid { line, column, .. }) => {
                assert_eq!((line, column.as_str()), (3, "DisplayName"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse(b"", "x.csv"), Err(SoftwareProblem::File(_))));
    }
}
