//! The sheets of connection points (院外との接続点) and vendors (事業者) that `mamori export
//! ledger` writes after the device sheets, read back. Headers and choice words are the
//! locale's labels (Japanese or English, as the export wrote them, or the stored codes);
//! `words` gives every language's label of a locale id. The device of a connection point is
//! named as in the ledger; the caller checks that the name is one device.

use domain::connection::{Authentication, Availability, ConnectionKind, SourceRestriction};
use domain::ledger::normalise_header;
use domain::{Error as DomainError, Field, NewConnectionPoint, NewVendor, Rule};

use crate::ledger::{Problem, Trouble, cell_date};
use crate::table::{Cell, Sheet};

/// Every language's label of a locale id (`field-connection-name` → 入口の名前, Name of …).
pub type Words<'a> = &'a dyn Fn(&str) -> Vec<String>;

#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    pub sheet: String,
    pub line: usize,
    pub point: NewConnectionPoint,
    /// The terminating device, by its ledger name.
    pub device: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VendorRow {
    pub sheet: String,
    pub line: usize,
    pub vendor: NewVendor,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extras {
    pub points: Vec<PointRow>,
    pub vendors: Vec<VendorRow>,
    /// The sheets read as connection points or vendors.
    pub sheets: Vec<String>,
    /// The device column's header as written (for messages about a device name).
    pub device_header: Option<String>,
}

/// The connection-point sheet's columns, in the export's order, by locale id.
const POINT_HEADERS: [&str; 13] = [
    "field-connection-name",
    "field-connection-kind",
    "conn-device",
    "col-vendor",
    "field-availability",
    "field-authentication",
    "field-source-restriction",
    "conn-sources",
    "conn-segments",
    "conn-credentials-changed",
    "conn-last-used",
    "conn-contract",
    "field-notes",
];

const VENDOR_HEADERS: [&str; 5] = [
    "field-vendor-name",
    "vendor-phone",
    "vendor-contact",
    "conn-contract",
    "field-notes",
];

/// Which column of the header row carries each id (`None`: the sheet lacks it).
fn header_row(
    sheet: &Sheet,
    ids: &[&str],
    words: Words<'_>,
) -> Option<(usize, Vec<Option<usize>>)> {
    let labels: Vec<Vec<String>> = ids
        .iter()
        .map(|id| words(id).iter().map(|l| normalise_header(l)).collect())
        .collect();
    for (i, row) in sheet.rows.iter().take(30).enumerate() {
        let cells: Vec<String> = row.iter().map(|c| normalise_header(&c.text())).collect();
        let at: Vec<Option<usize>> = labels
            .iter()
            .map(|ls| cells.iter().position(|c| !c.is_empty() && ls.contains(c)))
            .collect();
        // The first two ids name the sheet (入口の名前 and 入口の種類; 事業者名 and its phone).
        if at[0].is_some() && at[1].is_some() {
            return Some((i, at));
        }
    }
    None
}

/// A choice by its label in any language, or its code.
fn choice<T: Copy>(
    text: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    prefix: &str,
    words: Words<'_>,
) -> Option<T> {
    let t = normalise_header(text);
    all.iter().copied().find(|v| {
        let c = code(*v);
        normalise_header(c) == t
            || words(&format!("{prefix}-{c}"))
                .iter()
                .any(|l| normalise_header(l) == t)
    })
}

struct Found<'a> {
    sheet: &'a str,
    line: usize,
    problems: &'a mut Vec<Problem>,
}

impl Found<'_> {
    fn fail(&mut self, header: &str, trouble: Trouble) {
        self.problems.push(Problem {
            sheet: self.sheet.to_string(),
            line: self.line,
            column: Some(header.to_string()),
            trouble,
        });
    }
}

/// Reads the connection-point and vendor sheets among `sheets`; every problem at once.
/// Whether `sheet` (its first rows are enough) is a connection-point or vendor sheet.
pub fn is_extra(sheet: &Sheet, words: Words<'_>) -> bool {
    header_row(sheet, &POINT_HEADERS, words).is_some()
        || header_row(sheet, &VENDOR_HEADERS, words).is_some()
}

pub fn parse(sheets: &[Sheet], words: Words<'_>) -> Result<Extras, Vec<Problem>> {
    let mut out = Extras::default();
    let mut problems = Vec::new();
    for sheet in sheets {
        if let Some((at, cols)) = header_row(sheet, &POINT_HEADERS, words) {
            out.sheets.push(sheet.name.clone());
            out.device_header = Some(header_text(sheet, at, cols[2])).filter(|h| !h.is_empty());
            points(sheet, at, &cols, words, &mut out, &mut problems);
        } else if let Some((at, cols)) = header_row(sheet, &VENDOR_HEADERS, words) {
            out.sheets.push(sheet.name.clone());
            vendors(sheet, at, &cols, &mut out, &mut problems);
        }
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    for p in &out.points {
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == p.point.name) {
            problems.push(Problem {
                sheet: p.sheet.clone(),
                line: p.line,
                column: None,
                trouble: Trouble::SamePoint { first: *first },
            });
        } else {
            seen.push((p.point.name.clone(), p.line));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The header of a column as the file writes it (for messages).
fn header_text(sheet: &Sheet, header: usize, col: Option<usize>) -> String {
    col.and_then(|c| sheet.rows[header].get(c))
        .map(Cell::text)
        .unwrap_or_default()
}

fn cell_at(row: &[Cell], col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| row.get(c))
}

fn text_at(row: &[Cell], col: Option<usize>) -> Option<String> {
    let t = cell_at(row, col)?.text();
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn points(
    sheet: &Sheet,
    header: usize,
    cols: &[Option<usize>],
    words: Words<'_>,
    out: &mut Extras,
    problems: &mut Vec<Problem>,
) {
    let name_of = |i: usize| header_text(sheet, header, cols[i]);
    for (i, row) in sheet.rows.iter().enumerate().skip(header + 1) {
        if row.iter().all(|c| c.text().trim().is_empty()) {
            continue;
        }
        let mut found = Found {
            sheet: &sheet.name,
            line: i + 1,
            problems,
        };
        let before = found.problems.len();
        let get = |k: usize| text_at(row, cols[k]);
        let kind = match get(1) {
            None => {
                found.fail(
                    &name_of(1),
                    Trouble::Invalid(DomainError::invalid(
                        Field::ConnectionKind,
                        "",
                        Rule::Required,
                    )),
                );
                None
            }
            Some(t) => {
                let k = choice(
                    &t,
                    ConnectionKind::ALL,
                    ConnectionKind::code,
                    "conn-kind",
                    words,
                );
                if k.is_none() {
                    found.fail(
                        &name_of(1),
                        Trouble::Invalid(DomainError::invalid(
                            Field::ConnectionKind,
                            &t,
                            Rule::UnknownChoice,
                        )),
                    );
                }
                k
            }
        };
        let mut point = match NewConnectionPoint::new(
            &get(0).unwrap_or_default(),
            kind.unwrap_or(ConnectionKind::Other),
        ) {
            Ok(p) => p,
            Err(e) => {
                found.fail(&name_of(0), Trouble::Invalid(e));
                continue;
            }
        };
        macro_rules! pick {
            ($k:expr, $ty:ty, $prefix:literal, $field:expr, $slot:expr) => {
                if let Some(t) = get($k) {
                    match choice(&t, <$ty>::ALL, <$ty>::code, $prefix, words) {
                        Some(v) => $slot = v,
                        None => found.fail(
                            &name_of($k),
                            Trouble::Invalid(DomainError::invalid($field, &t, Rule::UnknownChoice)),
                        ),
                    }
                }
            };
        }
        pick!(
            4,
            Availability,
            "availability",
            Field::Availability,
            point.availability
        );
        pick!(
            6,
            SourceRestriction,
            "source",
            Field::SourceRestriction,
            point.source_restriction
        );
        pick!(
            5,
            Authentication,
            "auth",
            Field::Authentication,
            point.authentication
        );
        for (k, max, slot) in [
            (3usize, 200usize, &mut point.vendor),
            (7, 500, &mut point.sources),
            (11, 2000, &mut point.contract_notes),
            (12, 2000, &mut point.notes),
        ] {
            match domain::text::optional(Field::ConnectionName, get(k).as_deref(), max) {
                Ok(v) => *slot = v,
                Err(e) => found.fail(&name_of(k), Trouble::Invalid(e)),
            }
        }
        point.reachable_segments = domain::connection::segments_from(&get(8).unwrap_or_default());
        for (k, slot) in [
            (9usize, &mut point.credentials_changed_on),
            (10, &mut point.last_used_on),
        ] {
            let Some(cell) = cell_at(row, cols[k]) else {
                continue;
            };
            match cell_date(cell) {
                None => {}
                Some(Ok(d)) => *slot = Some(d),
                Some(Err(p)) => found.fail(
                    &name_of(k),
                    Trouble::Invalid(DomainError::invalid(Field::Date, cell.text(), p.rule())),
                ),
            }
        }
        if found.problems.len() == before {
            out.points.push(PointRow {
                sheet: sheet.name.clone(),
                line: i + 1,
                point,
                device: get(2),
            });
        }
    }
}

fn vendors(
    sheet: &Sheet,
    header: usize,
    cols: &[Option<usize>],
    out: &mut Extras,
    problems: &mut Vec<Problem>,
) {
    let name_of = |i: usize| header_text(sheet, header, cols[i]);
    for (i, row) in sheet.rows.iter().enumerate().skip(header + 1) {
        if row.iter().all(|c| c.text().trim().is_empty()) {
            continue;
        }
        let mut found = Found {
            sheet: &sheet.name,
            line: i + 1,
            problems,
        };
        let get = |k: usize| text_at(row, cols[k]);
        let mut vendor = match NewVendor::new(&get(0).unwrap_or_default()) {
            Ok(v) => v,
            Err(e) => {
                found.fail(&name_of(0), Trouble::Invalid(e));
                continue;
            }
        };
        let before = found.problems.len();
        for (k, max, slot) in [
            (1usize, 200usize, &mut vendor.phone_24h),
            (2, 200, &mut vendor.contact),
            (3, 2000, &mut vendor.contract),
            (4, 2000, &mut vendor.notes),
        ] {
            match domain::text::optional(Field::VendorDetail, get(k).as_deref(), max) {
                Ok(v) => *slot = v,
                Err(e) => found.fail(&name_of(k), Trouble::Invalid(e)),
            }
        }
        if found.problems.len() == before {
            out.vendors.push(VendorRow {
                sheet: sheet.name.clone(),
                line: i + 1,
                vendor,
            });
        }
    }
}
