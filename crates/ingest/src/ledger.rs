//! Ledger sheets to assets. Finds the header row (it may sit below title rows), recognises
//! the columns clinics write in Japanese or English, and turns every row into a `NewAsset`
//! or into problems that name the sheet, row and column. Columns it does not know are kept
//! in the notes as `列名: 値`, never dropped.

use domain::ledger::{Column, column_for, kind_for, remote_for};
use domain::{AssetKind, Date, Error as DomainError, Field, MacAddress, NewAsset, Rule};

use crate::table::{Cell, Sheet};

/// Rows searched for the header at the top of each sheet.
const HEADER_SEARCH: usize = 30;
const TEXT_MAX: usize = 200;
const NOTES_MAX: usize = 2000;

/// A row of the file that became an asset.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub sheet: String,
    /// 1-based, as the spreadsheet shows it.
    pub line: usize,
    pub asset: NewAsset,
    /// The columns its sheet has: on re-import, the others keep their values.
    pub columns: Vec<Column>,
}

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
}

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
    pub rows: Vec<Row>,
    /// Headers Mamori does not know, per sheet: their values went into the notes.
    pub unknown_columns: Vec<(String, String)>,
    /// Sheets without a ledger header (instructions, lists of values…), not read.
    pub skipped_sheets: Vec<String>,
    /// The connection-point and vendor sheets (read by `parse_with`).
    pub extras: crate::points::Extras,
}

struct Layout {
    header_line: usize,
    known: Vec<(usize, Column, String)>,
    unknown: Vec<(usize, String)>,
}

fn layout(sheet: &Sheet) -> Option<Layout> {
    for (i, row) in sheet.rows.iter().take(HEADER_SEARCH).enumerate() {
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
        if known.len() >= 2 && known.iter().any(|(_, k, _)| *k == Column::Name) {
            return Some(Layout {
                header_line: i + 1,
                known,
                unknown,
            });
        }
    }
    None
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
    let extras = crate::points::parse(sheets, words);
    let mut ledger = parse(sheets);
    // A file of connection points or vendors alone (a CSV of them) has no device sheet.
    if let (Err(problems), Ok(e)) = (&ledger, &extras)
        && !e.sheets.is_empty()
        && problems.iter().all(|p| p.trouble == Trouble::NoLedgerSheet)
    {
        ledger = Ok(Ledger::default());
    }
    match (ledger, extras) {
        (Ok(mut l), Ok(extras)) => {
            l.skipped_sheets.retain(|s| !extras.sheets.contains(s));
            l.extras = extras;
            Ok(l)
        }
        (Err(mut a), Err(b)) => {
            a.extend(b);
            Err(a)
        }
        (Err(a), Ok(_)) => Err(a),
        (Ok(_), Err(b)) => Err(b),
    }
}

/// Reads every ledger sheet. Returns all problems at once, so that a person fixes the file in
/// one go; nothing is imported while any remain.
pub fn parse(sheets: &[Sheet]) -> Result<Ledger, Vec<Problem>> {
    let mut ledger = Ledger::default();
    let mut problems = Vec::new();
    let mut any = false;
    for sheet in sheets {
        let Some(layout) = layout(sheet) else {
            if sheet.rows.iter().any(|r| r.iter().any(|c| !c.is_empty())) {
                ledger.skipped_sheets.push(sheet.name.clone());
            }
            continue;
        };
        any = true;
        for (_, h) in &layout.unknown {
            ledger.unknown_columns.push((sheet.name.clone(), h.clone()));
        }
        let mut columns: Vec<Column> = layout.known.iter().map(|(_, c, _)| *c).collect();
        // A kind taken from the sheet's name, and unknown columns kept in the notes, count
        // as given.
        for extra in [Column::Kind, Column::Notes] {
            let given = extra == Column::Kind || !layout.unknown.is_empty();
            if given && !columns.contains(&extra) {
                columns.push(extra);
            }
        }
        for (i, cells) in sheet.rows.iter().enumerate().skip(layout.header_line) {
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            let line = i + 1;
            match row(sheet, &layout, cells, line) {
                Ok(asset) => ledger.rows.push(Row {
                    sheet: sheet.name.clone(),
                    line,
                    asset,
                    columns: columns.clone(),
                }),
                Err(mut p) => problems.append(&mut p),
            }
        }
    }
    problems.extend(duplicate_serials(&ledger.rows));
    if !any {
        problems.push(Problem {
            sheet: sheets.first().map(|s| s.name.clone()).unwrap_or_default(),
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

    /// `value` if it fits in `max` characters, else a problem.
    fn bounded(
        &mut self,
        column: Option<String>,
        value: Option<String>,
        max: usize,
    ) -> Option<String> {
        let v = value?;
        if v.chars().count() > max {
            self.fail(
                column,
                Trouble::Invalid(DomainError::invalid(
                    Field::AssetName,
                    &v,
                    Rule::TooLong { max },
                )),
            );
            return None;
        }
        Some(v)
    }
}

fn row(
    sheet: &Sheet,
    layout: &Layout,
    cells: &[Cell],
    line: usize,
) -> Result<NewAsset, Vec<Problem>> {
    let mut found = Found {
        sheet: &sheet.name,
        line,
        list: Vec::new(),
    };
    let get = |col: Column| -> Option<(&Cell, &str)> {
        layout
            .known
            .iter()
            .find(|(_, k, _)| *k == col)
            .and_then(|(i, _, h)| cells.get(*i).map(|c| (c, h.as_str())))
    };
    let header = |col: Column| {
        layout
            .known
            .iter()
            .find(|(_, k, _)| *k == col)
            .map(|(_, _, h)| h.clone())
    };
    let text = |col: Column| get(col).map(|(c, _)| c.text()).filter(|t| !t.is_empty());

    let kind = match text(Column::Kind) {
        Some(k) => kind_for(&k).or_else(|| {
            found.fail(
                header(Column::Kind),
                Trouble::Invalid(DomainError::invalid(
                    Field::AssetKind,
                    &k,
                    Rule::UnknownAssetKind,
                )),
            );
            None
        }),
        None => kind_for(&sheet.name).or_else(|| {
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
    let mut bounded = |col: Column| found.bounded(header(col), text(col), TEXT_MAX);
    asset.location = bounded(Column::Location);
    asset.segment = bounded(Column::Segment);
    asset.maker = bounded(Column::Maker);
    asset.model = bounded(Column::Model);
    asset.os_name = bounded(Column::Os);
    asset.os_version = bounded(Column::Version);
    asset.serial = bounded(Column::Serial);
    asset.owner_department = bounded(Column::Department);
    asset.vendor = bounded(Column::Vendor);
    asset.remote_method = bounded(Column::RemoteMethod);
    if let Some(roles) = bounded(Column::Roles) {
        for r in roles.split(['・', '、', ',', '，', '/', '／', ';', '；', '\n']) {
            asset = asset.role(r);
        }
    }
    if let Some(ip) = text(Column::Ip) {
        match asset.clone().ip(&ip) {
            Ok(a) => asset = a,
            Err(e) => found.fail(header(Column::Ip), Trouble::Invalid(e)),
        }
    }
    if let Some(mac) = text(Column::Mac) {
        match MacAddress::parse(&mac) {
            Ok(m) => asset.mac = Some(m),
            Err(e) => found.fail(header(Column::Mac), Trouble::Invalid(e)),
        }
    }
    if let Some(r) = text(Column::Remote) {
        match remote_for(&r) {
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
    for (col, slot) in [
        (Column::AcquiredOn, &mut asset.acquired_on),
        (Column::EndOfSupport, &mut asset.end_of_support),
        (Column::VersionCheckedOn, &mut asset.version_checked_on),
    ] {
        let Some((cell, h)) = get(col) else { continue };
        let Some(parsed) = cell_date(cell) else {
            continue;
        };
        match parsed {
            Ok(d) => *slot = Some(d),
            Err(p) => found.fail(
                Some(h.to_string()),
                Trouble::Invalid(DomainError::invalid(Field::Date, cell.text(), p.rule())),
            ),
        }
    }
    let mut notes = text(Column::Notes).unwrap_or_default();
    for (i, h) in &layout.unknown {
        let v = cells.get(*i).map(Cell::text).unwrap_or_default();
        if !v.is_empty() {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(&format!("{h}: {v}"));
        }
    }
    if !notes.is_empty() {
        asset.notes = found.bounded(header(Column::Notes), Some(notes), NOTES_MAX);
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

/// Two rows of the file with one serial number.
fn duplicate_serials(rows: &[Row]) -> Vec<Problem> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for r in rows {
        let Some(serial) = r.asset.serial.as_deref() else {
            continue;
        };
        if let Some(first) = seen.insert(serial, r.line) {
            seen.insert(serial, first);
            out.push(Problem {
                sheet: r.sheet.clone(),
                line: r.line,
                column: Some(Column::Serial.header().to_string()),
                trouble: Trouble::DuplicateSerial {
                    serial: serial.to_string(),
                    first,
                },
            });
        }
    }
    out
}

/// Problems for conflicts that only the whole file shows (two rows, one serial number).
pub fn conflicts(ledger: &Ledger, found: &[domain::ledger::Conflict]) -> Vec<Problem> {
    let at = |line: usize| ledger.rows.iter().find(|r| r.line == line);
    found
        .iter()
        .map(|c| match c {
            domain::ledger::Conflict::DuplicateSerial {
                serial,
                first,
                second,
            } => Problem {
                sheet: at(*second).map(|r| r.sheet.clone()).unwrap_or_default(),
                line: *second,
                column: Some(Column::Serial.header().to_string()),
                trouble: Trouble::DuplicateSerial {
                    serial: serial.clone(),
                    first: *first,
                },
            },
            domain::ledger::Conflict::SameDevice { first, second } => Problem {
                sheet: at(*second).map(|r| r.sheet.clone()).unwrap_or_default(),
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
