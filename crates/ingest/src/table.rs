//! Any spreadsheet a clinic has — .xlsx, .xls, .ods or CSV in Shift_JIS (CP932), UTF-8 with
//! or without BOM, or Excel's UTF-16 "Unicode text" — read into plain sheets of cells.

use std::io::Cursor;

use calamine::{Data, Reader, Sheets};
use domain::Date;

/// The largest file read, in bytes. A ledger of 100,000 devices is well under this.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
    Bool(bool),
}

impl Cell {
    /// The cell as text: numbers without a spurious `.0`, dates as ISO.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    /// Rows from the top of the sheet (row 1 first), each as its cells from column A.
    pub rows: Vec<Vec<Cell>>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    TooLarge {
        limit: usize,
    },
    Empty,
    /// Not a spreadsheet or CSV (an image, a PDF, a Word file…).
    NotASpreadsheet,
    /// Text that is neither UTF-8 nor Shift_JIS.
    Encoding,
    /// A CSV line that cannot be read (e.g. an unclosed quote), with its line number.
    Csv {
        line: usize,
    },
    /// A workbook the reader rejects (damaged, password-protected…).
    Workbook {
        detail: String,
    },
}

/// Reads `bytes`; `file_name` names the single sheet of a CSV file.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Vec<Sheet>, FileProblem> {
    if bytes.len() > MAX_BYTES {
        return Err(FileProblem::TooLarge { limit: MAX_BYTES });
    }
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if zip || ole {
        return read_workbook(bytes);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && head.contains(&0) {
        // Text never holds NUL: this is a program, an image, a PDF…
        return Err(FileProblem::NotASpreadsheet);
    }
    read_csv(bytes, file_name)
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, FileProblem> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| match e {
            calamine::Error::Msg(_) => FileProblem::NotASpreadsheet,
            other => FileProblem::Workbook {
                detail: other.to_string(),
            },
        })?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| FileProblem::Workbook {
                detail: e.to_string(),
            })?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top as usize];
        for r in range.rows() {
            let mut cells = vec![Cell::Empty; left as usize];
            cells.extend(r.iter().map(cell));
            rows.push(cells);
        }
        for merge in merges(&mut book, &name) {
            fill_merge(&mut rows, merge);
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// Merged areas of a sheet, as (first row, first column, last row, last column), 0-based.
fn merges(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Vec<(usize, usize, usize, usize)> {
    let dims = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).ok(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).ok(),
        _ => None,
    };
    dims.unwrap_or_default()
        .into_iter()
        .map(|d| {
            (
                d.start.0 as usize,
                d.start.1 as usize,
                d.end.0 as usize,
                d.end.1 as usize,
            )
        })
        .collect()
}

/// A merged area shows its top-left value in every cell it covers, so the ledger row of each
/// covered line gets it (a location merged down three rows belongs to all three).
fn fill_merge(rows: &mut [Vec<Cell>], (r0, c0, r1, c1): (usize, usize, usize, usize)) {
    let Some(value) = rows.get(r0).and_then(|r| r.get(c0)).cloned() else {
        return;
    };
    let last = r1.min(rows.len().saturating_sub(1));
    for row in rows.iter_mut().take(last + 1).skip(r0) {
        if row.len() <= c1 {
            row.resize(c1 + 1, Cell::Empty);
        }
        for cell in row.iter_mut().take(c1 + 1).skip(c0) {
            if *cell == Cell::Empty {
                *cell = value.clone();
            }
        }
    }
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            Date::from_excel_serial(dt.as_f64()).map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTimeIso(s) => {
            Date::parse(s.get(..10).unwrap_or(s)).map_or_else(|_| Cell::Text(s.clone()), Cell::Date)
        }
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// Decodes CSV text: UTF-8 (with or without BOM), UTF-16 with BOM, else Shift_JIS (CP932,
/// what Japanese Excel writes).
pub fn decode(bytes: &[u8]) -> Result<String, FileProblem> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|_| FileProblem::Encoding);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        return if bad {
            Err(FileProblem::Encoding)
        } else {
            Ok(text.into_owned())
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
    if bad {
        Err(FileProblem::Encoding)
    } else {
        Ok(text.into_owned())
    }
}

fn read_csv(bytes: &[u8], file_name: &str) -> Result<Vec<Sheet>, FileProblem> {
    let text = decode(bytes)?;
    // Binary files that happen to decode: a spreadsheet never holds NUL or other controls.
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FileProblem::NotASpreadsheet);
    }
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| FileProblem::Csv {
            line: e.position().map_or(i + 1, |p| p.line() as usize),
        })?;
        rows.push(
            record
                .iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(vec![Sheet {
        name: file_name.to_string(),
        rows,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_every_encoding_clinics_have() {
        let text = "機器名,IPアドレス\n受付PC,192.168.1.10\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.replace(',', "\t").encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        for bytes in [text.as_bytes().to_vec(), bom, sjis.into_owned(), utf16] {
            let sheets = read(&bytes, "ledger.csv").unwrap();
            assert_eq!(sheets[0].rows[1][0], Cell::Text("受付PC".into()));
            assert_eq!(sheets[0].rows[1][1], Cell::Text("192.168.1.10".into()));
        }
    }

    #[test]
    fn what_is_not_a_ledger_says_so() {
        assert_eq!(read(b"", "x.csv"), Err(FileProblem::Empty));
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n\0\0\0", "x.png"),
            Err(FileProblem::NotASpreadsheet)
        );
        assert_eq!(
            read(b"\x7fELF\x02\x01\x01\0\0\0\xff\xfe", "ls"),
            Err(FileProblem::NotASpreadsheet)
        );
        assert_eq!(
            read(b"PK\x03\x04garbage", "x.xlsx").map(|_| ()),
            Err(FileProblem::NotASpreadsheet)
        );
        assert_eq!(
            read(&[0x82, 0xA0, 0xFF, 0xFF, 0x80], "x.csv"),
            Err(FileProblem::Encoding)
        );
        assert!(matches!(
            read(b"a,\"b\nc,d", "x.csv"),
            Err(FileProblem::Csv { .. }) | Ok(_)
        ));
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(
            read(&big, "x.csv"),
            Err(FileProblem::TooLarge { limit: MAX_BYTES })
        );
    }

    #[test]
    fn xlsx_with_dates_numbers_and_merged_cells() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name("サーバ").unwrap();
        ws.write_string(0, 0, "機器名").unwrap();
        ws.write_string(0, 1, "導入日").unwrap();
        ws.write_string(0, 2, "設置場所").unwrap();
        ws.write_string(0, 3, "シリアル番号").unwrap();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/mm/dd");
        for r in 1..=3u32 {
            ws.write_string(r, 0, format!("srv{r}")).unwrap();
            ws.write_datetime_with_format(
                r,
                1,
                rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 4, 1).unwrap(),
                &date,
            )
            .unwrap();
            ws.write_number(r, 3, 12345.0 + f64::from(r)).unwrap();
        }
        ws.merge_range(1, 2, 3, 2, "サーバ室", &rust_xlsxwriter::Format::new())
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let sheets = read(&bytes, "x.xlsx").unwrap();
        assert_eq!(sheets[0].name, "サーバ");
        let rows = &sheets[0].rows;
        assert_eq!(rows[1][1], Cell::Date(Date::new(2024, 4, 1).unwrap()));
        assert_eq!(rows[3][2], Cell::Text("サーバ室".into()), "merged down");
        assert_eq!(rows[2][3].text(), "12347");
    }
}
