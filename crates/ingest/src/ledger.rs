//! Ledger sheets to assets. Finds the header row (it may sit below title rows), recognises
//! the columns clinics write in Japanese or English, and turns every row into a `NewAsset`
//! or into problems that name the sheet, row and column. Columns it does not know are kept
//! in the notes as `列名: 値`, never dropped.

use domain::ledger::{Column, FIELDS, Slot, column_for, kind_for, remote_for};
use domain::{AssetKind, Date, Error as DomainError, Field, MacAddress, NewAsset, Rule};

use crate::table::{Cell, Sheet};

/// Rows searched for the header at the top of each sheet.
const HEADER_SEARCH: usize = 30;
const TEXT_MAX: usize = 200;
const NOTES_MAX: usize = 2000;

pub use domain::ledger::Row;

/// Rows handed on at a time while a file is read.
pub const BATCH: usize = 512;

#[derive(Debug, Clone, PartialEq)]
pub enum Trouble {
    /// The value breaks a rule of the field.
    Invalid(DomainError),
    /// No sheet has a header row with a device-name column.
    NoLedgerSheet,
    /// The row names no kind and its sheet's name is not one.
    NoKind,
    DuplicateSerial {
        serial: String,
        first: usize,
    },
    SameDevice {
        first: usize,
    },
    /// Two rows of the connection-point sheet have the same name.
    SamePoint {
        first: usize,
    },
    /// A connection point names no device of the ledger (`found` 0) or several.
    PointDevice {
        name: String,
        found: usize,
    },
    /// The ways-in and vendor sheets together hold more than `limit` cells (they are kept
    /// whole until the file has been read: a real one has tens of rows).
    ExtraTooLarge {
        limit: usize,
    },
}

/// Cells the ways-in and vendor sheets may hold together (up to each row's last value).
pub const EXTRA_CELLS: usize = 200_000;

/// One problem, where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub sheet: String,
    pub line: usize,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub trouble: Trouble,
}

/// Everything read from a ledger file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ledger {
    /// The devices (empty when they were handed on while reading: `Reader`).
    pub rows: Vec<Row>,
    /// Headers Mamori does not know, per sheet: their values went into the notes.
    pub unknown_columns: Vec<(String, String)>,
    /// Sheets without a ledger header (instructions, lists of values…), not read.
    pub skipped_sheets: Vec<String>,
    /// The connection-point and vendor sheets (read when the reader has `words`).
    pub extras: crate::points::Extras,
}

struct Layout {
    known: Vec<(usize, Column, String)>,
    unknown: Vec<(usize, String)>,
}

/// The ledger header, if `row` is one: at least two known columns, one of them the name.
fn layout(row: &[Cell]) -> Option<Layout> {
    let mut known: Vec<(usize, Column, String)> = Vec::new();
    let mut unknown = Vec::new();
    for (c, cell) in row.iter().enumerate() {
        let h = cell.text();
        if h.is_empty() {
            continue;
        }
        match column_for(&h) {
            Some(col) if !known.iter().any(|(_, k, _)| *k == col) => known.push((c, col, h)),
            _ => unknown.push((c, h)),
        }
    }
    (known.len() >= 2 && known.iter().any(|(_, k, _)| *k == Column::Name))
        .then_some(Layout { known, unknown })
}

/// A date cell: an Excel date, a serial number, or text as clinics write it; `None` when
/// empty.
pub(crate) fn cell_date(cell: &Cell) -> Option<Result<Date, domain::DateProblem>> {
    match cell {
        Cell::Empty => None,
        Cell::Date(d) => Some(Ok(*d)),
        Cell::Number(n) => Some(Date::from_excel_serial(*n)),
        other => {
            let t = other.text();
            (!t.is_empty()).then(|| Date::parse(&t))
        }
    }
}

/// Reads every ledger sheet, and the connection-point and vendor sheets an export writes
/// (their headers and choices in any language `words` gives). All problems at once.
pub fn parse_with(
    sheets: &[Sheet],
    words: crate::points::Words<'_>,
) -> Result<Ledger, Vec<Problem>> {
    collect(sheets, Some(words))
}

/// Reads every ledger sheet. Returns all problems at once, so that a person fixes the file in
/// one go; nothing is imported while any remain.
pub fn parse(sheets: &[Sheet]) -> Result<Ledger, Vec<Problem>> {
    collect(sheets, None)
}

fn collect(
    sheets: &[Sheet],
    words: Option<crate::points::Words<'_>>,
) -> Result<Ledger, Vec<Problem>> {
    let mut rows = Vec::new();
    let mut reader = Reader::new(words, |batch: Vec<Row>| rows.extend(batch));
    for sheet in sheets {
        use crate::table::RowSink;
        reader.sheet(&sheet.name);
        for (i, r) in sheet.rows.iter().enumerate() {
            reader.row(i, r.clone());
        }
        reader.end_sheet();
    }
    let ledger = reader.finish();
    ledger.map(|mut l| {
        l.rows = rows;
        l
    })
}

/// Why a ledger file cannot be imported.
#[derive(Debug, Clone, PartialEq)]
pub enum Unreadable {
    /// The file as a whole (not a spreadsheet, damaged…).
    File(crate::table::FileProblem),
    /// Its rows, every problem at once.
    Rows(Vec<Problem>),
}

/// Reads a ledger file, handing its devices to `emit` in batches of `BATCH` as they are read
/// (until the first problem: after it, the file is only checked, so that every problem is
/// listed). The `Ledger` returned holds what is left: notices and the connection-point and
/// vendor sheets.
pub fn read_file(
    bytes: &[u8],
    file_name: &str,
    words: crate::points::Words<'_>,
    meter: &mut crate::budget::Meter,
    emit: impl FnMut(Vec<Row>),
) -> Result<Ledger, Unreadable> {
    let mut reader = Reader::new(Some(words), emit);
    crate::table::stream(bytes, file_name, meter, &mut reader).map_err(Unreadable::File)?;
    reader.finish().map_err(Unreadable::Rows)
}

/// What a sheet is, as far as its rows so far tell.
enum SheetState {
    /// The header is not found yet: the rows so far (at most `HEADER_SEARCH`).
    Looking(Vec<Vec<Cell>>),
    Ledger {
        layout: Layout,
        /// The columns its rows give (a kind from the sheet's name and notes count).
        columns: std::sync::Arc<[Column]>,
        /// The kind its name says, for rows without one.
        kind: Option<AssetKind>,
    },
    /// A connection-point or vendor sheet: kept whole (they are short).
    Extra(Vec<Vec<Cell>>),
    /// Neither: `true` when it has any value (it is then reported as skipped).
    Skipped(bool),
}

/// Turns a file's rows, as they come, into devices and problems. Holds one sheet's first
/// rows, the serial numbers seen and the problems, never the whole file.
pub struct Reader<'w, F: FnMut(Vec<Row>)> {
    words: Option<crate::points::Words<'w>>,
    emit: F,
    batch: Vec<Row>,
    ledger: Ledger,
    problems: Vec<Problem>,
    serials: std::collections::HashMap<String, usize>,
    any_ledger: bool,
    sheet: std::sync::Arc<str>,
    state: SheetState,
    extra_sheets: Vec<Sheet>,
    /// Kinds and remote-maintenance answers by their text (a ledger repeats a few words).
    kinds: std::collections::HashMap<String, Option<AssetKind>>,
    remotes: std::collections::HashMap<String, Option<domain::RemoteMaintenance>>,
    /// Cells kept of the ways-in and vendor sheets so far.
    extra_cells: usize,
}

impl<'w, F: FnMut(Vec<Row>)> Reader<'w, F> {
    pub fn new(words: Option<crate::points::Words<'w>>, emit: F) -> Self {
        Reader {
            words,
            emit,
            batch: Vec::with_capacity(BATCH),
            ledger: Ledger::default(),
            problems: Vec::new(),
            serials: Default::default(),
            any_ledger: false,
            sheet: std::sync::Arc::from(""),
            state: SheetState::Skipped(false),
            extra_sheets: Vec::new(),
            kinds: Default::default(),
            remotes: Default::default(),
            extra_cells: 0,
        }
    }

    /// The rest of the file: its notices and extra sheets, or every problem found.
    pub fn finish(mut self) -> Result<Ledger, Vec<Problem>> {
        use crate::table::RowSink;
        self.end_sheet();
        self.flush();
        let mut ledger = self.ledger;
        let mut problems = self.problems;
        let mut extras_ok = false;
        if let Some(words) = self.words {
            match crate::points::parse(&self.extra_sheets, words) {
                Ok(e) => {
                    extras_ok = !e.sheets.is_empty();
                    ledger.extras = e;
                }
                Err(p) => problems.extend(p),
            }
        }
        // A file of connection points or vendors alone (a CSV of them) has no device sheet.
        if !self.any_ledger && !extras_ok {
            problems.push(Problem {
                sheet: ledger
                    .skipped_sheets
                    .first()
                    .cloned()
                    .unwrap_or_else(|| self.sheet.to_string()),
                line: 0,
                column: None,
                trouble: Trouble::NoLedgerSheet,
            });
        }
        if problems.is_empty() {
            Ok(ledger)
        } else {
            Err(problems)
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() && self.problems.is_empty() {
            (self.emit)(std::mem::take(&mut self.batch));
        }
        self.batch.clear();
    }

    fn kind(&mut self, text: &str) -> Option<AssetKind> {
        if let Some(k) = self.kinds.get(text) {
            return *k;
        }
        let k = kind_for(text);
        if self.kinds.len() < 256 {
            self.kinds.insert(text.to_string(), k);
        }
        k
    }

    fn remote(&mut self, text: &str) -> Option<domain::RemoteMaintenance> {
        if let Some(r) = self.remotes.get(text) {
            return *r;
        }
        let r = remote_for(text);
        if self.remotes.len() < 256 {
            self.remotes.insert(text.to_string(), r);
        }
        r
    }

    /// A row of a ledger sheet after its header.
    fn device(&mut self, cells: Vec<Cell>, line: usize) {
        if cells.iter().all(Cell::is_empty) {
            return;
        }
        let state = std::mem::replace(&mut self.state, SheetState::Skipped(false));
        if let SheetState::Ledger {
            layout,
            columns,
            kind,
        } = &state
        {
            match self.convert(layout, *kind, cells, line) {
                Ok(asset) => {
                    self.check_serial(&asset, line);
                    if self.problems.is_empty() {
                        self.batch.push(Row {
                            sheet: self.sheet.clone(),
                            line,
                            asset,
                            columns: columns.clone(),
                        });
                        if self.batch.len() >= BATCH {
                            self.flush();
                        }
                    }
                }
                Err(mut p) => {
                    self.batch.clear();
                    self.problems.append(&mut p);
                }
            }
        }
        self.state = state;
    }

    /// Two rows of the file with one serial number.
    fn check_serial(&mut self, asset: &NewAsset, line: usize) {
        let Some(serial) = asset.serial.as_deref() else {
            return;
        };
        if let Some(first) = self.serials.get(serial) {
            self.problems.push(Problem {
                sheet: self.sheet.to_string(),
                line,
                column: Some(Column::Serial.header().to_string()),
                trouble: Trouble::DuplicateSerial {
                    serial: serial.to_string(),
                    first: *first,
                },
            });
            self.batch.clear();
        } else {
            self.serials.insert(serial.to_string(), line);
        }
    }

    /// The sheet's first rows hold no ledger header: a connection-point or vendor sheet, or
    /// one to skip.
    fn settle(&mut self, rows: Vec<Vec<Cell>>) -> SheetState {
        let probe = Sheet {
            name: self.sheet.to_string(),
            rows,
        };
        if self
            .words
            .is_some_and(|w| crate::points::is_extra(&probe, w))
        {
            SheetState::Extra(probe.rows)
        } else {
            SheetState::Skipped(probe.rows.iter().any(|r| r.iter().any(|c| !c.is_empty())))
        }
    }

    fn convert(
        &mut self,
        layout: &Layout,
        sheet_kind: Option<AssetKind>,
        mut cells: Vec<Cell>,
        line: usize,
    ) -> Result<NewAsset, Vec<Problem>> {
        let sheet = self.sheet.clone();
        let mut found = Found {
            sheet: &sheet,
            line,
            list: Vec::new(),
        };
        let at = |col: Column| -> Option<usize> {
            layout
                .known
                .iter()
                .find(|(_, k, _)| *k == col)
                .map(|(i, _, _)| *i)
        };
        let header = |col: Column| {
            layout
                .known
                .iter()
                .find(|(_, k, _)| *k == col)
                .map(|(_, _, h)| h.clone())
        };
        let mut text =
            |col: Column| at(col).and_then(|i| cells.get_mut(i).and_then(Cell::take_text));

        let kind = match text(Column::Kind) {
            Some(k) => match self.kind(&k) {
                Some(kind) => Some(kind),
                None => {
                    found.fail(
                        header(Column::Kind),
                        Trouble::Invalid(DomainError::invalid(
                            Field::AssetKind,
                            &k,
                            Rule::UnknownAssetKind,
                        )),
                    );
                    None
                }
            },
            None => sheet_kind.or_else(|| {
                found.fail(header(Column::Kind), Trouble::NoKind);
                None
            }),
        };
        let name = text(Column::Name).unwrap_or_default();
        let mut asset = match NewAsset::new(kind.unwrap_or(AssetKind::Other), &name) {
            Ok(a) => a,
            Err(e) => {
                found.fail(header(Column::Name), Trouble::Invalid(e));
                return Err(found.list);
            }
        };
        let mut bounded = |col: Column, found: &mut Found<'_>| {
            let v = text(col)?;
            found.bounded(|| header(col), v, TEXT_MAX)
        };
        // Every field of free text but the notes (which also take the unknown columns).
        for f in FIELDS.iter().filter(|f| f.column != Column::Notes) {
            if let Slot::Text(_, set) = f.slot {
                *set(&mut asset) = bounded(f.column, &mut found);
            }
        }
        if let Some(roles) = bounded(Column::Roles, &mut found) {
            for r in roles.split(['・', '、', ',', '，', '/', '／', ';', '；', '\n']) {
                asset = asset.role(r);
            }
        }
        if let Some(ip) = text(Column::Ip) {
            match ip.parse() {
                Ok(addr) => asset.ip = Some(addr),
                Err(_) => match asset.clone().ip(&ip) {
                    Ok(a) => asset = a,
                    Err(e) => found.fail(header(Column::Ip), Trouble::Invalid(e)),
                },
            }
        }
        if let Some(mac) = text(Column::Mac) {
            match MacAddress::parse(&mac) {
                Ok(m) => asset.mac = Some(m),
                Err(e) => found.fail(header(Column::Mac), Trouble::Invalid(e)),
            }
        }
        let remote = text(Column::Remote);
        let mut notes = text(Column::Notes).unwrap_or_default();
        for (i, h) in &layout.unknown {
            let v = cells.get_mut(*i).and_then(Cell::take_text);
            if let Some(v) = v {
                if !notes.is_empty() {
                    notes.push('\n');
                }
                notes.push_str(h);
                notes.push_str(": ");
                notes.push_str(&v);
            }
        }
        if let Some(r) = remote {
            match self.remote(&r) {
                Some(r) => asset.remote_maintenance = r,
                None => found.fail(
                    header(Column::Remote),
                    Trouble::Invalid(DomainError::invalid(
                        Field::RemoteMaintenance,
                        &r,
                        Rule::UnknownRemoteMaintenance,
                    )),
                ),
            }
        }
        for (col, set) in FIELDS.iter().filter_map(|f| match f.slot {
            Slot::Date(_, set) => Some((f.column, set)),
            _ => None,
        }) {
            let slot = set(&mut asset);
            let Some(cell) = at(col).and_then(|i| cells.get(i)) else {
                continue;
            };
            let Some(parsed) = cell_date(cell) else {
                continue;
            };
            match parsed {
                Ok(d) => *slot = Some(d),
                Err(p) => found.fail(
                    header(col),
                    Trouble::Invalid(DomainError::invalid(Field::Date, cell.text(), p.rule())),
                ),
            }
        }
        if !notes.is_empty() {
            asset.notes = found.bounded(|| header(Column::Notes), notes, NOTES_MAX);
        }
        if found.list.is_empty() {
            return Ok(asset);
        }
        // Left to right, as a person reads the row.
        let position = |p: &Problem| {
            layout
                .known
                .iter()
                .find(|(_, _, h)| Some(h) == p.column.as_ref())
                .map_or(0, |(i, _, _)| *i)
        };
        found.list.sort_by_key(position);
        Err(found.list)
    }
}

impl<F: FnMut(Vec<Row>)> crate::table::RowSink for Reader<'_, F> {
    /// A file with hundreds of problems is a wrong file: the first ones are enough to say so.
    fn full(&self) -> bool {
        self.problems.len() >= crate::budget::Budget::DEFAULT.problems
    }

    fn sheet(&mut self, name: &str) {
        self.sheet = std::sync::Arc::from(name);
        self.state = SheetState::Looking(Vec::new());
    }

    fn row(&mut self, index: usize, cells: Vec<Cell>) {
        let line = index + 1;
        match &mut self.state {
            SheetState::Ledger { .. } => self.device(cells, line),
            SheetState::Extra(rows) => {
                let mut cells = cells;
                while cells.last().is_some_and(Cell::is_empty) {
                    cells.pop();
                }
                self.extra_cells += cells.len();
                if self.extra_cells > EXTRA_CELLS {
                    self.problems.push(Problem {
                        sheet: self.sheet.to_string(),
                        line,
                        column: None,
                        trouble: Trouble::ExtraTooLarge { limit: EXTRA_CELLS },
                    });
                    self.state = SheetState::Skipped(false);
                } else {
                    rows.push(cells);
                }
            }
            SheetState::Skipped(any) => *any = *any || cells.iter().any(|c| !c.is_empty()),
            SheetState::Looking(rows) => {
                if let Some(layout) = layout(&cells) {
                    self.any_ledger = true;
                    for (_, h) in &layout.unknown {
                        self.ledger
                            .unknown_columns
                            .push((self.sheet.to_string(), h.clone()));
                    }
                    let mut columns: Vec<Column> =
                        layout.known.iter().map(|(_, c, _)| *c).collect();
                    // A kind taken from the sheet's name, and unknown columns kept in the
                    // notes, count as given.
                    for extra in [Column::Kind, Column::Notes] {
                        let given = extra == Column::Kind || !layout.unknown.is_empty();
                        if given && !columns.contains(&extra) {
                            columns.push(extra);
                        }
                    }
                    let name = self.sheet.clone();
                    self.state = SheetState::Ledger {
                        layout,
                        columns: columns.into(),
                        kind: self.kind(&name),
                    };
                } else {
                    rows.push(cells);
                    if rows.len() >= HEADER_SEARCH {
                        let rows = std::mem::take(rows);
                        self.state = self.settle(rows);
                    }
                }
            }
        }
    }

    fn end_sheet(&mut self) {
        let state = std::mem::replace(&mut self.state, SheetState::Skipped(false));
        let state = match state {
            SheetState::Looking(rows) => self.settle(rows),
            other => other,
        };
        match state {
            SheetState::Extra(rows) => self.extra_sheets.push(Sheet {
                name: self.sheet.to_string(),
                rows,
            }),
            SheetState::Skipped(true) => self.ledger.skipped_sheets.push(self.sheet.to_string()),
            SheetState::Skipped(false) | SheetState::Ledger { .. } | SheetState::Looking(_) => {}
        }
    }
}

/// The problems of one row, as they are found.
struct Found<'a> {
    sheet: &'a str,
    line: usize,
    list: Vec<Problem>,
}

impl Found<'_> {
    fn fail(&mut self, column: Option<String>, trouble: Trouble) {
        self.list.push(Problem {
            sheet: self.sheet.to_string(),
            line: self.line,
            column,
            trouble,
        });
    }

    /// `value` if it fits in `max` characters, else a problem in the column `header` names.
    fn bounded(
        &mut self,
        header: impl FnOnce() -> Option<String>,
        value: String,
        max: usize,
    ) -> Option<String> {
        if value.len() > max && value.chars().count() > max {
            self.fail(
                header(),
                Trouble::Invalid(DomainError::invalid(
                    Field::AssetName,
                    &value,
                    Rule::TooLong { max },
                )),
            );
            return None;
        }
        Some(value)
    }
}

/// Problems for conflicts that only the whole file shows (two rows, one serial number).
pub fn conflicts(ledger: &Ledger, found: &[(String, domain::ledger::Conflict)]) -> Vec<Problem> {
    found
        .iter()
        .map(|(sheet, c)| match c {
            domain::ledger::Conflict::DuplicateSerial {
                serial,
                first,
                second,
            } => Problem {
                sheet: sheet.clone(),
                line: *second,
                column: Some(Column::Serial.header().to_string()),
                trouble: Trouble::DuplicateSerial {
                    serial: serial.clone(),
                    first: *first,
                },
            },
            domain::ledger::Conflict::SameDevice { first, second } => Problem {
                sheet: sheet.clone(),
                line: *second,
                column: None,
                trouble: Trouble::SameDevice { first: *first },
            },
            domain::ledger::Conflict::PointDevice { line, name, found } => {
                let row = ledger.extras.points.iter().find(|p| p.line == *line);
                Problem {
                    sheet: row.map(|r| r.sheet.clone()).unwrap_or_default(),
                    line: *line,
                    column: ledger.extras.device_header.clone(),
                    trouble: Trouble::PointDevice {
                        name: name.clone(),
                        found: *found,
                    },
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table;

    fn csv(text: &str) -> Vec<Sheet> {
        table::read(text.as_bytes(), "台帳.csv").unwrap()
    }

    #[test]
    fn a_hospital_ledger_in_the_checklists_words() {
        let text = "機器名,種別,メーカー,型番\n            本館サーバ,サーバ,富士通,RX2540\n            外来端末,端末PC,NEC,Mate\n            病棟端末,端末,NEC,Mate\n            コアスイッチ,ネットワーク機器,アライドテレシス,x930\n            出入口,ＮＷ機器,Fortinet,FortiGate-100F\n            CT,医療機器,キヤノンメディカル,Aquilion\n            複合機,複合機,リコー,IM C3000\n            無線,ネットワーク機器(無線LAN),Buffalo,WAPM-1266R\n";
        let kinds: Vec<AssetKind> = parse(&csv(text))
            .unwrap()
            .rows
            .iter()
            .map(|r| r.asset.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                AssetKind::Server,
                AssetKind::Pc,
                AssetKind::Pc,
                AssetKind::NetworkDevice,
                AssetKind::NetworkDevice,
                AssetKind::MedicalOther,
                AssetKind::Printer,
                AssetKind::WifiAp,
            ]
        );
    }

    #[test]
    fn a_ledger_with_title_rows_and_clinic_headers() {
        let text = "\
さくら内科クリニック 機器台帳,,,,,,,,
令和6年4月1日現在,,,,,,,,
,,,,,,,,
ホスト名,分類,設置場所,ＩＰアドレス,メーカー／製造元,型番,OS/ファームウェア,Ver,保守会社,リモート保守,導入日,サポート終了日,担当者の好きな色,備考
電子カルテサーバ,サーバー,サーバ室,192.168.10.10,富士通,TX1320 M5,Windows Server 2019,1809,さくらメディカル,あり,令和2年4月1日,2029/1/9,青,業者と共用
,,,,,,,,
受付PC,PC,受付,192.168.10.31,NEC,Mate,Windows 11 Pro,23H2,さくらメディカル,なし,2023/10/1,,赤,
";
        let l = parse(&csv(text)).unwrap();
        assert_eq!(l.rows.len(), 2, "the empty row is skipped");
        let a = &l.rows[0];
        assert_eq!(a.line, 5);
        assert_eq!(a.asset.kind, AssetKind::Server);
        assert_eq!(a.asset.maker.as_deref(), Some("富士通"));
        assert_eq!(a.asset.os_version.as_deref(), Some("1809"));
        assert_eq!(a.asset.remote_maintenance, domain::RemoteMaintenance::Yes);
        assert_eq!(a.asset.acquired_on, Date::new(2020, 4, 1).ok());
        assert_eq!(a.asset.end_of_support, Date::new(2029, 1, 9).ok());
        assert_eq!(
            a.asset.notes.as_deref(),
            Some("業者と共用\n担当者の好きな色: 青"),
            "unknown column kept"
        );
        assert_eq!(
            l.unknown_columns,
            vec![("台帳.csv".to_string(), "担当者の好きな色".to_string())]
        );
        assert_eq!(
            l.rows[1].asset.notes.as_deref(),
            Some("担当者の好きな色: 赤")
        );
    }

    #[test]
    fn every_problem_names_row_and_column() {
        let text = "機器名,種別,IPアドレス,導入日,リモート保守,MACアドレス\n\
            受付PC,PC,192.168.1.300,2024/4/1,あり,00:11:22:33:44:55\n\
            NAS,NAS,192.168.1.50,2023/2/29,あり,\n\
            ,PC,192.168.1.51,,,\n\
            VPN,トースター,192.168.1.1,令和6年4月1日,たぶん,00:11\n";
        let problems = parse(&csv(text)).unwrap_err();
        let found: Vec<(usize, Option<&str>)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                (2, Some("IPアドレス")),
                (3, Some("導入日")),
                (4, Some("機器名")),
                (5, Some("種別")),
                (5, Some("リモート保守")),
                (5, Some("MACアドレス")),
            ]
        );
        assert!(
            matches!(&problems[0].trouble, Trouble::Invalid(DomainError::Invalid { rule: Rule::NotAnIpAddress, value, .. }) if value == "192.168.1.300")
        );
        assert!(matches!(
            &problems[1].trouble,
            Trouble::Invalid(DomainError::Invalid {
                rule: Rule::NoSuchDay,
                ..
            })
        ));
    }

    #[test]
    fn kind_from_the_sheet_name_or_a_problem() {
        let mut sheets = csv("機器名,IPアドレス\nsrv1,10.0.0.1\n");
        sheets[0].name = "サーバ".into();
        assert_eq!(
            parse(&sheets).unwrap().rows[0].asset.kind,
            AssetKind::Server
        );
        let problems = parse(&csv("機器名,IPアドレス\nsrv1,10.0.0.1\n")).unwrap_err();
        assert_eq!(problems[0].trouble, Trouble::NoKind);
    }

    #[test]
    fn duplicate_serials_are_found_with_the_other_problems() {
        let text = "機器名,種別,シリアル番号,IPアドレス\nA,PC,SN1,10.0.0.1\nB,PC,SN1,10.0.0.999\nC,PC,SN1,10.0.0.3\n";
        let problems = parse(&csv(text)).unwrap_err();
        let found: Vec<(usize, Option<&str>)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![(3, Some("IPアドレス")), (4, Some("シリアル番号"))]
        );
        assert_eq!(
            problems[1].trouble,
            Trouble::DuplicateSerial {
                serial: "SN1".into(),
                first: 2
            }
        );
    }

    #[test]
    fn a_file_without_a_ledger() {
        let problems = parse(&csv("日付,売上\n2024/4/1,100\n")).unwrap_err();
        assert_eq!(problems[0].trouble, Trouble::NoLedgerSheet);
    }

    #[test]
    fn over_long_values_are_refused_not_cut() {
        let long = "あ".repeat(201);
        let problems = parse(&csv(&format!("機器名,種別,設置場所\nPC,PC,{long}\n"))).unwrap_err();
        assert_eq!(problems[0].column.as_deref(), Some("設置場所"));
    }
}
