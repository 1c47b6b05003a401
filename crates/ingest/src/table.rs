//! Any spreadsheet a clinic has — .xlsx, .xls, .ods or CSV in Shift_JIS (CP932), UTF-8 with
//! or without BOM, or Excel's UTF-16 "Unicode text" — read into plain sheets of cells.

use std::io::Cursor;

use calamine::{Data, Reader, Sheets};
use domain::Date;

use crate::archive::{self, DepthScan, Refused};
use crate::budget::{Exceeded, Meter};

/// The largest file read, in bytes. A ledger of 100,000 devices is well under this.
pub const MAX_BYTES: usize = crate::budget::Budget::DEFAULT.file_bytes;

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
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell's text (as `text`), leaving it empty; `None` when there is none. A text cell
    /// gives its own string, without a copy when it needs no trimming.
    pub fn take_text(&mut self) -> Option<String> {
        let t = match std::mem::replace(self, Cell::Empty) {
            Cell::Text(t) if t.trim().len() == t.len() => t,
            Cell::Text(t) => t.trim().to_string(),
            other => other.text(),
        };
        (!t.is_empty()).then_some(t)
    }
}

/// Receives a file's rows as they are read, sheet by sheet.
pub trait RowSink {
    fn sheet(&mut self, name: &str);
    /// A row, `index` 0-based from the top of the sheet; rows without any cell come too (as
    /// empty rows), so that indexes are the spreadsheet's rows.
    fn row(&mut self, index: usize, cells: Vec<Cell>);
    fn end_sheet(&mut self);
    /// Whether the sink has seen enough (its problems fill the budget): reading stops.
    fn full(&self) -> bool {
        false
    }
}

/// Collects whole sheets.
#[derive(Default)]
struct Collect(Vec<Sheet>);

impl RowSink for Collect {
    fn sheet(&mut self, name: &str) {
        self.0.push(Sheet {
            name: name.to_string(),
            rows: Vec::new(),
        });
    }

    fn row(&mut self, _index: usize, cells: Vec<Cell>) {
        if let Some(s) = self.0.last_mut() {
            s.rows.push(cells);
        }
    }

    fn end_sheet(&mut self) {}
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
    /// The file goes over the parsers' budget (a hostile or broken file).
    Budget(Exceeded),
    /// An Excel binary workbook (.xlsb): to be saved again as .xlsx.
    Xlsb,
    /// The reader stopped on this file without an answer (a fault of the reader's own).
    ReaderFailed,
}

impl From<Exceeded> for FileProblem {
    fn from(e: Exceeded) -> Self {
        FileProblem::Budget(e)
    }
}

impl From<Refused> for FileProblem {
    fn from(r: Refused) -> Self {
        match r {
            Refused::Over(e) => FileProblem::Budget(e),
            Refused::Damaged(detail) => FileProblem::Workbook { detail },
            Refused::NotArchive => FileProblem::NotASpreadsheet,
        }
    }
}

/// Reads `bytes` into whole sheets; `file_name` names the single sheet of a CSV file.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Vec<Sheet>, FileProblem> {
    let mut all = Collect::default();
    stream(bytes, file_name, &mut Meter::standard(), &mut all)?;
    Ok(all.0)
}

/// Reads `bytes`, handing each row to `sink` as it is read (an .xlsx sheet is never held
/// whole); `file_name` names the single sheet of a CSV file.
/// Every limit of `meter` holds: a file over any of them is refused with what went over.
pub fn stream(
    bytes: &[u8],
    file_name: &str,
    meter: &mut Meter,
    sink: &mut dyn RowSink,
) -> Result<(), FileProblem> {
    let limit = meter.budget.file_bytes;
    if bytes.len() > limit {
        return Err(FileProblem::TooLarge { limit });
    }
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if zip {
        let look = archive::check_zip(bytes, meter)?;
        let kind = if look.xlsx {
            Kind::Xlsx
        } else if look.ods {
            Kind::Ods
        } else if look.xlsb {
            return Err(FileProblem::Xlsb);
        } else {
            return Err(FileProblem::NotASpreadsheet);
        };
        return guarded(|| read_workbook(bytes, kind, meter, sink));
    }
    if ole {
        archive::check_ole(bytes, meter)?;
        return guarded(|| read_workbook(bytes, Kind::Xls, meter, sink));
    }
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && head.contains(&0) {
        // Text never holds NUL: this is a program, an image, a PDF…
        return Err(FileProblem::NotASpreadsheet);
    }
    read_csv(bytes, file_name, meter, sink)
}

/// Runs a workbook reader, turning a panic inside it (calamine indexes some records without
/// checking them: found by fuzzing) into a refusal of the file instead of a crash.
fn guarded(read: impl FnOnce() -> Result<(), FileProblem>) -> Result<(), FileProblem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or(Err(FileProblem::ReaderFailed))
}

/// The workbook formats read, each by its own reader (never one reader after another: each
/// was checked for what it will do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Xls,
    Ods,
}

fn open(bytes: &[u8], kind: Kind) -> Result<Sheets<Cursor<&[u8]>>, FileProblem> {
    let damaged = |e: &dyn std::fmt::Display| FileProblem::Workbook {
        detail: e.to_string(),
    };
    let c = Cursor::new(bytes);
    match kind {
        Kind::Xlsx => calamine::Xlsx::new(c)
            .map(Sheets::Xlsx)
            .map_err(|e| damaged(&e)),
        Kind::Xls => calamine::Xls::new(c)
            .map(Sheets::Xls)
            .map_err(|e| damaged(&e)),
        Kind::Ods => calamine::Ods::new(c)
            .map(Sheets::Ods)
            .map_err(|e| damaged(&e)),
    }
}

fn read_workbook(
    bytes: &[u8],
    kind: Kind,
    meter: &mut Meter,
    sink: &mut dyn RowSink,
) -> Result<(), FileProblem> {
    // Looking for merged cells (and how deep the sheets nest) goes on beside calamine's
    // opening of the workbook (its shared strings: a tenth of a second at 100,000 rows).
    let (scan, opened) = std::thread::scope(|s| {
        let scan = s.spawn(|| scan_sheets(bytes));
        let opened = open(bytes, kind);
        (scan.join().unwrap_or(Scan::UNKNOWN), opened)
    });
    meter.depth(scan.depth)?;
    let mut book = opened?;
    let damaged = |e: &dyn std::fmt::Display| FileProblem::Workbook {
        detail: e.to_string(),
    };
    for name in book.sheet_names() {
        let merges = if scan.merges {
            merges(&mut book, &name)
        } else {
            Vec::new()
        };
        let mut rows = Rows::new(sink, merges);
        rows.sink.sheet(&name);
        if let Sheets::Xlsx(x) = &mut book {
            // Cell by cell, as the sheet's XML is read.
            let mut reader = match x.worksheet_cells_reader(&name) {
                Ok(r) => r,
                Err(calamine::XlsxError::NotAWorksheet(_)) => {
                    rows.sink.end_sheet();
                    continue;
                }
                Err(e) => return Err(damaged(&e)),
            };
            let mut current: Vec<Cell> = Vec::new();
            let mut at = 0usize;
            while let Some(c) = reader.next_cell().map_err(|e| damaged(&e))? {
                let (r, col) = c.get_position();
                meter.row(u64::from(r))?;
                meter.column(u64::from(col))?;
                meter.tick()?;
                let (r, col) = (r as usize, col as usize);
                if r != at {
                    rows.push(at, std::mem::take(&mut current), meter)?;
                    if rows.sink.full() {
                        return Ok(());
                    }
                    at = r;
                }
                let value = cell_ref(c.get_value());
                if value == Cell::Empty {
                    continue;
                }
                meter.cells(1)?;
                if current.len() < col {
                    current.resize(col, Cell::Empty);
                }
                if current.len() == col {
                    current.push(value);
                } else if let Some(slot) = current.get_mut(col) {
                    *slot = value;
                }
            }
            rows.push(at, current, meter)?;
        } else {
            let range = book.worksheet_range(&name).map_err(|e| damaged(&e))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            let (height, width) = range.get_size();
            meter.row(u64::from(top) + height as u64)?;
            meter.column(u64::from(left) + width as u64)?;
            for (i, r) in range.rows().enumerate() {
                let mut cells = vec![Cell::Empty; left as usize];
                cells.extend(r.iter().map(cell));
                meter.cells(cells.iter().filter(|c| **c != Cell::Empty).count())?;
                rows.push(top as usize + i, cells, meter)?;
                if rows.sink.full() {
                    return Ok(());
                }
            }
        }
        rows.sink.end_sheet();
    }
    Ok(())
}

/// What a quick look through an .xlsx's sheets found.
#[derive(Debug, Clone, Copy)]
struct Scan {
    merges: bool,
    depth: usize,
}

impl Scan {
    /// Not an .xlsx, or unreadable: merges are read the slow way.
    const UNKNOWN: Scan = Scan {
        merges: true,
        depth: 0,
    };
}

/// Whether any worksheet of an .xlsx has merged cells (a quick look through the sheets'
/// XML; reading merges through calamine costs a second parse of every sheet), and how deep
/// its XML nests.
fn scan_sheets(bytes: &[u8]) -> Scan {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Scan::UNKNOWN;
    };
    let mut found = false;
    let mut depth = DepthScan::default();
    const NEEDLE: &[u8] = b"mergeCell";
    let finder = memchr::memmem::Finder::new(NEEDLE);
    // Read in pieces (a sheet's XML is many times its share of the file), each searched
    // with the tail of the one before, in case the word straddles two.
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let Ok(mut file) = zip.by_index(i) else {
            return Scan::UNKNOWN;
        };
        let sheet = file
            .name()
            .is_ok_and(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"));
        if !sheet {
            continue;
        }
        let mut kept = 0;
        loop {
            let n = match std::io::Read::read(&mut file, &mut buf[kept..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return Scan::UNKNOWN,
            };
            let filled = kept + n;
            depth.feed(&buf[kept..filled]);
            found = found || finder.find(&buf[..filled]).is_some();
            kept = (NEEDLE.len() - 1).min(filled);
            buf.copy_within(filled - kept..filled, 0);
        }
    }
    Scan {
        merges: found,
        depth: depth.deepest(),
    }
}

/// Hands rows on in order, filling merged areas and the rows a sheet skips.
struct Rows<'s> {
    sink: &'s mut dyn RowSink,
    /// Merged areas by first row: (first row, first column, last row, last column).
    merges: Vec<(usize, usize, usize, usize)>,
    /// Areas begun above, with their value.
    active: Vec<((usize, usize, usize, usize), Cell)>,
    next: usize,
}

impl<'s> Rows<'s> {
    fn new(sink: &'s mut dyn RowSink, mut merges: Vec<(usize, usize, usize, usize)>) -> Self {
        // Last first, so that the next to begin is popped.
        merges.sort_by(|a, b| b.cmp(a));
        Rows {
            sink,
            merges,
            active: Vec::new(),
            next: 0,
        }
    }

    /// Rows come in order in every file Excel writes; a row out of order (a damaged or
    /// hand-made file) is still handed on, never dropped.
    fn push(&mut self, index: usize, cells: Vec<Cell>, meter: &mut Meter) -> Result<(), Exceeded> {
        while self.next < index {
            let gap = self.next;
            self.emit(gap, Vec::new(), meter)?;
        }
        self.emit(index, cells, meter)
    }

    /// A merged area shows its top-left value in every cell it covers, so the ledger row of
    /// each covered line gets it (a location merged down three rows belongs to all three).
    fn emit(
        &mut self,
        index: usize,
        mut cells: Vec<Cell>,
        meter: &mut Meter,
    ) -> Result<(), Exceeded> {
        meter.tick()?;
        self.next = self.next.max(index + 1);
        while let Some(&m) = self.merges.last() {
            if m.0 > index {
                break;
            }
            self.merges.pop();
            if m.0 == index
                && let Some(v) = cells.get(m.1).filter(|c| **c != Cell::Empty)
            {
                self.active.push((m, v.clone()));
            }
        }
        self.active.retain(|((_, _, r1, _), _)| *r1 >= index);
        for ((_, c0, _, c1), value) in &self.active {
            // Every cell an area fills counts, before the row grows to hold it.
            meter.column(*c1 as u64)?;
            meter.cells((c1 + 1).saturating_sub(*c0))?;
            if cells.len() <= *c1 {
                cells.resize(c1 + 1, Cell::Empty);
            }
            for cell in cells.iter_mut().take(c1 + 1).skip(*c0) {
                if *cell == Cell::Empty {
                    *cell = value.clone();
                }
            }
        }
        self.sink.row(index, cells);
        Ok(())
    }
}

/// Merged areas of a sheet, as (first row, first column, last row, last column), 0-based.
fn merges(book: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<(usize, usize, usize, usize)> {
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

/// A cell as the streaming reader gives it (shared strings borrowed).
fn cell_ref(d: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::String(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Empty | DataRef::Error(_) => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => {
            Date::from_excel_serial(dt.as_f64()).map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        DataRef::DateTimeIso(s) => {
            Date::parse(s.get(..10).unwrap_or(s)).map_or_else(|_| Cell::Text(s.clone()), Cell::Date)
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

fn read_csv(
    bytes: &[u8],
    file_name: &str,
    meter: &mut Meter,
    sink: &mut dyn RowSink,
) -> Result<(), FileProblem> {
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
    sink.sheet(file_name);
    let mut record = csv::StringRecord::new();
    let mut i = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(FileProblem::Csv {
                    line: e.position().map_or(i + 1, |p| p.line() as usize),
                });
            }
        }
        meter.row(i as u64)?;
        if record.len() > meter.budget.columns {
            return Err(Exceeded::Column {
                column: record.len() as u64,
                limit: meter.budget.columns,
            }
            .into());
        }
        meter.cells(record.iter().filter(|f| !f.trim().is_empty()).count())?;
        let cells = record
            .iter()
            .map(|f| {
                if f.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(f.to_string())
                }
            })
            .collect();
        sink.row(i, cells);
        if sink.full() {
            return Ok(());
        }
        i += 1;
    }
    sink.end_sheet();
    Ok(())
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
    fn rows_fill_gaps_and_merges_and_keep_a_row_out_of_order() {
        let mut all = Collect::default();
        all.sheet("s");
        {
            let m = &mut Meter::standard();
            let mut rows = Rows::new(&mut all, vec![(1, 0, 3, 1)]);
            rows.push(
                1,
                vec![
                    Cell::Text("サーバ室".into()),
                    Cell::Empty,
                    Cell::Number(1.0),
                ],
                m,
            )
            .unwrap();
            rows.push(3, vec![Cell::Empty, Cell::Empty, Cell::Number(3.0)], m)
                .unwrap();
            rows.push(2, vec![Cell::Text("out of order".into())], m)
                .unwrap();
        }
        let rows = &all.0[0].rows;
        assert_eq!(
            rows.len(),
            5,
            "row 0 and row 2 as gaps, then the late row 2"
        );
        assert!(rows[0].is_empty());
        assert_eq!(rows[1][1], Cell::Text("サーバ室".into()), "merged across");
        assert_eq!(
            rows[2][0],
            Cell::Text("サーバ室".into()),
            "a gap inside the area"
        );
        assert_eq!(rows[3][0], Cell::Text("サーバ室".into()), "merged down");
        assert_eq!(rows[3][2], Cell::Number(3.0));
        assert_eq!(rows[4][0], Cell::Text("out of order".into()), "not dropped");
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
