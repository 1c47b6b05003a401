//! A backup's manifest: every file of a backup directory with its SHA-256, written when the
//! backup is taken and compared when it is restored or checked. The text is what `sha256sum`
//! writes (`<64 hex>  <relative path>`, one file a line, sorted by path), so the manifest can
//! also be checked with `sha256sum -c` on a machine without Mamori.

use std::collections::BTreeMap;

/// Files by their path relative to the backup's root (`/` between folders).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Manifest {
    pub files: BTreeMap<String, [u8; 32]>,
}

/// A line of a manifest that does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1 = the first line.
    pub line: usize,
    pub text: String,
}

/// How a backup differs from its manifest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Difference {
    /// In the manifest, not in the backup.
    pub missing: Vec<String>,
    /// In the backup, not in the manifest.
    pub extra: Vec<String>,
    /// In both, with other contents.
    pub changed: Vec<String>,
    /// Files that matched.
    pub matched: usize,
}

impl Difference {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

impl Manifest {
    /// The manifest's text, sorted by path.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (path, digest) in &self.files {
            // As sha256sum does: a name holding `\` or a line break is escaped, and the line
            // says so with a `\` first.
            let escaped = path.contains(['\\', '\n']);
            if escaped {
                out.push('\\');
            }
            for b in digest {
                out.push_str(&format!("{b:02x}"));
            }
            out.push_str("  ");
            if escaped {
                out.push_str(&path.replace('\\', "\\\\").replace('\n', "\\n"));
            } else {
                out.push_str(path);
            }
            out.push('\n');
        }
        out
    }

    /// Reads a manifest (`sha256sum`'s text; a `*` before the path, binary mode, is accepted;
    /// empty lines are skipped). Every line that does not read is returned, not just the first.
    pub fn parse(text: &str) -> Result<Manifest, Vec<BadLine>> {
        let mut files = BTreeMap::new();
        let mut bad = Vec::new();
        // A manifest saved again in Notepad starts with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            // sha256sum marks a name holding `\` or a line break with a `\` before the line
            // and writes them as `\\` and `\n`.
            let (line, escaped) = match line.strip_prefix('\\') {
                Some(rest) => (rest, true),
                None => (line, false),
            };
            if line.trim().is_empty() {
                continue;
            }
            let parsed = line
                .split_once(' ')
                .and_then(|(hex, rest)| {
                    let path = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('*'))?;
                    let path = if escaped {
                        unescape(path)?
                    } else {
                        path.to_string()
                    };
                    // `find . -type f -exec sha256sum {} +` names files `./db/x`.
                    let mut path = path.as_str();
                    while let Some(rest) = path.strip_prefix("./") {
                        path = rest;
                    }
                    let path = path.to_string();
                    Some((digest_of(hex)?, path))
                })
                .filter(|(_, path)| !path.is_empty() && !files.contains_key(path));
            match parsed {
                Some((digest, path)) => {
                    files.insert(path, digest);
                }
                None => bad.push(BadLine {
                    line: i + 1,
                    text: line.chars().take(200).collect(),
                }),
            }
        }
        if bad.is_empty() {
            Ok(Manifest { files })
        } else {
            Err(bad)
        }
    }

    /// How `actual` (the backup as it is now) differs from this manifest (as it was taken).
    pub fn compare(&self, actual: &Manifest) -> Difference {
        let mut d = Difference::default();
        for (path, digest) in &self.files {
            match actual.files.get(path) {
                None => d.missing.push(path.clone()),
                Some(a) if a != digest => d.changed.push(path.clone()),
                Some(_) => d.matched += 1,
            }
        }
        d.extra = actual
            .files
            .keys()
            .filter(|p| !self.files.contains_key(*p))
            .cloned()
            .collect();
        d
    }
}

/// sha256sum's escapes in a name: `\\` and `\n`.
fn unescape(path: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn digest_of(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(files: &[(&str, u8)]) -> Manifest {
        Manifest {
            files: files
                .iter()
                .map(|(p, b)| (p.to_string(), [*b; 32]))
                .collect(),
        }
    }

    #[test]
    fn the_text_reads_back_and_matches_sha256sum() {
        let a = m(&[("db/ehr.bak", 1), ("README.txt", 0xab)]);
        let text = a.to_text();
        assert!(
            text.starts_with(&format!("{}  README.txt\n", "ab".repeat(32))),
            "{text}"
        );
        assert_eq!(Manifest::parse(&text).unwrap(), a);
        let binary = format!("{} *db/ehr.bak\r\n\n", "01".repeat(32));
        assert_eq!(Manifest::parse(&binary).unwrap().files.len(), 1);
    }

    #[test]
    fn what_sha256sum_and_notepad_make_reads_too() {
        let h = "02".repeat(32);
        let text = format!("\u{feff}{h}  ./db/a.bak\r\n\\{h}  back\\\\slash.txt\n");
        let m = Manifest::parse(&text).unwrap();
        let names: Vec<&str> = m.files.keys().map(String::as_str).collect();
        assert_eq!(names, ["back\\slash.txt", "db/a.bak"]);
        assert_eq!(Manifest::parse(&m.to_text()).unwrap(), m, "and reads back");
        assert!(m.to_text().contains(&format!("\\{h}  back\\\\slash.txt\n")));
    }

    #[test]
    fn every_bad_line_is_named() {
        let text = format!(
            "nothex  a\n{}  b\n{}  b\n",
            "00".repeat(32),
            "00".repeat(32)
        );
        let bad = Manifest::parse(&text).unwrap_err();
        assert_eq!(
            bad.iter().map(|b| b.line).collect::<Vec<_>>(),
            [1, 3],
            "a path twice is refused too"
        );
    }

    #[test]
    fn missing_extra_and_changed_files_are_named() {
        let taken = m(&[("a", 1), ("b", 2), ("c", 3)]);
        let now = m(&[("a", 1), ("b", 9), ("d", 4)]);
        let d = taken.compare(&now);
        assert_eq!(d.missing, ["c"]);
        assert_eq!(d.changed, ["b"]);
        assert_eq!(d.extra, ["d"]);
        assert_eq!(d.matched, 1);
        assert!(!d.is_clean());
        assert!(taken.compare(&taken).is_clean());
    }
}
