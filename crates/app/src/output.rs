//! Plain-text tables for the terminal, aligned for Japanese (full-width characters take two
//! columns).

/// Columns a character occupies in a terminal: 2 for East Asian wide and full-width forms.
fn char_width(c: char) -> usize {
    match u32::from(c) {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `println!` for anything that may hold a user's or a file's text: printed `printable`.
/// (JSON output is printed as serde writes it: it escapes control characters itself.)
macro_rules! say {
    () => {
        println!()
    };
    ($($t:tt)*) => {
        println!("{}", $crate::output::printable(&format!($($t)*)))
    };
}

/// `eprintln!`, printed `printable`.
macro_rules! say_err {
    ($($t:tt)*) => {
        eprintln!("{}", $crate::output::printable(&format!($($t)*)))
    };
}

pub(crate) use {say, say_err};

/// Text as a terminal may show it: control characters and direction overrides as escapes
/// (`\u{1b}`), so that a device name holding an escape sequence cannot move the cursor,
/// clear the screen or change the window title of the person reading.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    // A carriage return would let text overwrite the line before it: escaped too.
    let bad = |c: char| domain::text::unsafe_char(c) || c == '\r';
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if bad(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Renders rows under a header, each column padded to its widest cell (cells made
/// `printable`, their line breaks shown as `\n`: a cell is one line).
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| printable(c).replace('\n', "\\n"))
                .collect()
        })
        .collect();
    let rows = rows.as_slice();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(cell));
            }
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(cell);
            if i + 1 < cells.len() {
                let pad = widths
                    .get(i)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(width(cell));
                out.push_str(&" ".repeat(pad));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&rule));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_obeyed() {
        assert_eq!(printable("PC-01"), "PC-01");
        assert_eq!(printable("受付\u{1b}]0;x\u{7}"), "受付\\u{1b}]0;x\\u{7}");
        let t = table(
            &["名前".into()],
            &[vec!["a\u{1b}[2Jb".into(), "x\ry\nz".into()]],
        );
        assert!(!t.contains('\u{1b}') && t.contains("a\\u{1b}[2Jb"));
        assert!(t.contains("x\\u{d}y\\nz"), "{t}");
    }

    #[test]
    fn japanese_counts_double() {
        assert_eq!(width("診療所"), 6);
        assert_eq!(width("PC-01"), 5);
        assert_eq!(width("ｱｲｳ"), 3); // half-width katakana stay narrow
    }

    #[test]
    fn columns_line_up() {
        let t = table(
            &["略称".into(), "名前".into()],
            &[
                vec!["demo".into(), "まもりクリニック".into()],
                vec!["a".into(), "b".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "略称  名前");
        assert_eq!(lines[2], "demo  まもりクリニック");
        assert_eq!(lines[3], "a     b");
    }
}
