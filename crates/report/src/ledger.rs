//! The ledger as .xlsx: one sheet per kind of device, Japanese headers that Mamori's import
//! reads back, then a sheet of connection points and one of vendors (for people; the import
//! skips them), frozen header rows, filters, dates as real dates. Every value is written as
//! text or a date, never as a formula, so a cell such as `=HYPERLINK(…)` stays inert text.

use domain::ledger::{COLUMNS, Cell, Column, cell, kind_word};
use domain::{Asset, AssetKind, ConnectionPoint, Vendor};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// What the workbook holds: the devices, and after them the connection points and vendors.
pub struct Contents<'a> {
    pub assets: &'a [Asset],
    pub points: &'a [ConnectionPoint],
    pub vendors: &'a [Vendor],
}

/// The workbook's bytes. An empty ledger gives one sheet with the headers only. `label`
/// turns a locale message id into text (the sheets of connection points and vendors use
/// the words of the pages).
pub fn xlsx(contents: &Contents<'_>, label: &dyn Fn(&str) -> String) -> Result<Vec<u8>, XlsxError> {
    let assets = contents.assets;
    let mut book = Workbook::new();
    let font = "Yu Gothic";
    let header = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color("#EEF2F6")
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let text = Format::new().set_font_name(font).set_num_format("@");
    let date = Format::new()
        .set_font_name(font)
        .set_num_format("yyyy/mm/dd");
    let kinds: Vec<AssetKind> = AssetKind::ALL
        .into_iter()
        .filter(|k| assets.iter().any(|a| a.details.kind == *k))
        .collect();
    let sheets: Vec<(String, Vec<&Asset>)> = if kinds.is_empty() {
        vec![("台帳".to_string(), Vec::new())]
    } else {
        kinds
            .iter()
            .map(|k| {
                (
                    kind_word(*k).to_string(),
                    assets.iter().filter(|a| a.details.kind == *k).collect(),
                )
            })
            .collect()
    };
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&name))?;
        for (c, (col, _)) in COLUMNS.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, col.header(), &header)?;
            ws.set_column_width(c, width(*col))?;
        }
        for (r, a) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, (col, _)) in COLUMNS.iter().enumerate() {
                let c = c as u16;
                match cell(&a.details, *col) {
                    Cell::Empty => {}
                    Cell::Text(t) => {
                        ws.write_string_with_format(r, c, t, &text)?;
                    }
                    Cell::Date(d) => {
                        let when = ExcelDateTime::from_ymd(d.year() as u16, d.month(), d.day())?;
                        ws.write_datetime_with_format(r, c, when, &date)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    }
    if !contents.points.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&label("sheet-connections")))?;
        let headers = [
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
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, label(h), &header)?;
            ws.set_column_width(c as u16, 20.0)?;
        }
        for (r, p) in contents.points.iter().enumerate() {
            let r = r as u32 + 1;
            let d = &p.details;
            let device = d
                .asset
                .and_then(|id| assets.iter().find(|a| a.id == id))
                .map(|a| a.details.name.clone());
            let texts = [
                Some(d.name.clone()),
                Some(label(&format!("conn-kind-{}", d.kind.code()))),
                device,
                d.vendor.clone(),
                Some(label(&format!("availability-{}", d.availability.code()))),
                Some(label(&format!("auth-{}", d.authentication.code()))),
                Some(label(&format!("source-{}", d.source_restriction.code()))),
                d.sources.clone(),
                (!d.reachable_segments.is_empty()).then(|| d.reachable_segments.join("・")),
            ];
            for (c, t) in texts.iter().enumerate() {
                if let Some(t) = t {
                    ws.write_string_with_format(r, c as u16, t, &text)?;
                }
            }
            for (c, day) in [(9u16, d.credentials_changed_on), (10, d.last_used_on)] {
                if let Some(day) = day {
                    ws.write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(day.year() as u16, day.month(), day.day())?,
                        &date,
                    )?;
                }
            }
            for (c, t) in [(11u16, &d.contract_notes), (12, &d.notes)] {
                if let Some(t) = t {
                    ws.write_string_with_format(r, c, t, &text)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, contents.points.len() as u32, headers.len() as u16 - 1)?;
    }
    if !contents.vendors.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&label("sheet-vendors")))?;
        let headers = [
            "field-vendor-name",
            "vendor-phone",
            "vendor-contact",
            "conn-contract",
            "field-notes",
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, label(h), &header)?;
            ws.set_column_width(c as u16, 28.0)?;
        }
        for (r, v) in contents.vendors.iter().enumerate() {
            let d = &v.details;
            for (c, t) in [
                Some(&d.name),
                d.phone_24h.as_ref(),
                d.contact.as_ref(),
                d.contract.as_ref(),
                d.notes.as_ref(),
            ]
            .iter()
            .enumerate()
            {
                if let Some(t) = t {
                    ws.write_string_with_format(r as u32 + 1, c as u16, *t, &text)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}

fn width(col: Column) -> f64 {
    match col {
        Column::Name | Column::Vendor | Column::Os | Column::Model => 24.0,
        Column::Notes => 40.0,
        Column::Ip | Column::Mac | Column::Serial => 18.0,
        _ => 14.0,
    }
}

/// Excel forbids `[]:*?/\` in sheet names and allows 31 characters.
fn sheet_name(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '・' } else { c })
        .take(31)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader};
    use domain::{AssetId, Date, FacilityId, NewAsset};

    #[test]
    fn one_sheet_per_kind_with_inert_text() {
        let mut nas = NewAsset::new(
            AssetKind::Storage,
            "=HYPERLINK(\"http://evil.example\",\"NAS\")",
        )
        .unwrap();
        nas.acquired_on = Date::new(2024, 4, 1).ok();
        let pc = NewAsset::new(AssetKind::Pc, "受付PC")
            .unwrap()
            .ip("192.168.1.10")
            .unwrap();
        let assets = vec![
            Asset {
                id: AssetId(1),
                facility: FacilityId(1),
                details: nas,
            },
            Asset {
                id: AssetId(2),
                facility: FacilityId(1),
                details: pc,
            },
        ];
        let bytes = xlsx(
            &Contents {
                assets: &assets,
                points: &[],
                vendors: &[],
            },
            &|id| id.to_string(),
        )
        .unwrap();
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            vec!["パソコン".to_string(), "NAS・ストレージ".to_string()]
        );
        let nas_sheet = book.worksheet_range("NAS・ストレージ").unwrap();
        assert_eq!(nas_sheet.get((0, 0)), Some(&Data::String("機器名".into())));
        assert!(
            matches!(nas_sheet.get((1, 0)), Some(Data::String(s)) if s.starts_with("=HYPERLINK")),
            "a string, not a formula"
        );
        let formulas = book.worksheet_formula("NAS・ストレージ").unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula anywhere"
        );
        let acquired = COLUMNS
            .iter()
            .position(|(c, _)| *c == Column::AcquiredOn)
            .unwrap();
        assert!(
            matches!(nas_sheet.get((1, acquired)), Some(Data::DateTime(_))),
            "a real date"
        );
    }

    #[test]
    fn connection_points_and_vendors_follow_the_devices() {
        let utm = Asset {
            id: AssetId(7),
            facility: FacilityId(1),
            details: NewAsset::new(AssetKind::Utm, "FortiGate").unwrap(),
        };
        let mut cp = domain::NewConnectionPoint::new(
            "保守VPN",
            domain::connection::ConnectionKind::VendorRemote,
        )
        .unwrap();
        cp.asset = Some(AssetId(7));
        cp.credentials_changed_on = Date::new(2019, 4, 1).ok();
        let points = [domain::ConnectionPoint {
            id: domain::ConnectionPointId(1),
            details: cp,
        }];
        let vendors = [domain::Vendor {
            id: domain::VendorId(1),
            details: domain::NewVendor::new("保守会社").unwrap(),
        }];
        let contents = Contents {
            assets: std::slice::from_ref(&utm),
            points: &points,
            vendors: &vendors,
        };
        let bytes = xlsx(&contents, &|id| format!("<{id}>")).unwrap();
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            vec![
                "UTM".to_string(),
                "<sheet-connections>".into(),
                "<sheet-vendors>".into()
            ]
        );
        let cps = book.worksheet_range("<sheet-connections>").unwrap();
        assert_eq!(
            cps.get((1, 2)),
            Some(&Data::String("FortiGate".into())),
            "the device by name"
        );
        assert_eq!(
            cps.get((1, 1)),
            Some(&Data::String("<conn-kind-vendor-remote>".into()))
        );
        assert!(matches!(cps.get((1, 9)), Some(Data::DateTime(_))));
    }

    #[test]
    fn an_empty_ledger_still_has_its_headers() {
        let bytes = xlsx(
            &Contents {
                assets: &[],
                points: &[],
                vendors: &[],
            },
            &|id| id.to_string(),
        )
        .unwrap();
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let r = book.worksheet_range("台帳").unwrap();
        assert_eq!(r.get((0, 2)), Some(&Data::String("用途".into())));
    }
}
