//! The MHLW checklist's answers as .xlsx, in the sheet's own shape: one row per item with its
//! number, wording, 対象, the recorded answer, 確認日, 目標日 and comment, then Mamori's view
//! and its evidence. Every value is text or a date, never a formula.

use domain::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// One item, already in the reader's words.
pub struct Row {
    pub number: String,
    pub text: String,
    /// 文言未確認 and why, when the wording is not the official one.
    pub unconfirmed: Option<String>,
    pub targets: String,
    pub answer: String,
    pub checked_on: Option<Date>,
    pub target_on: Option<Date>,
    pub comment: String,
    pub proposal: String,
    pub evidence: String,
}

/// The workbook: a title row (the version and the facility), headers, the items.
pub fn xlsx(title: &str, headers: &[String; 9], rows: &[Row]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let font = "Yu Gothic";
    let bold = Format::new().set_bold().set_font_name(font);
    let header = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color("#EEF2F6")
        .set_text_wrap()
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let text = Format::new()
        .set_font_name(font)
        .set_num_format("@")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let date = Format::new()
        .set_font_name(font)
        .set_num_format("yyyy/mm/dd")
        .set_align(FormatAlign::Top);
    let ws = book.add_worksheet();
    ws.set_name("チェックリスト")?;
    ws.write_string_with_format(0, 0, title, &bold)?;
    let widths = [7.0, 60.0, 24.0, 10.0, 12.0, 12.0, 30.0, 36.0, 50.0];
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        let c = c as u16;
        ws.write_string_with_format(2, c, h, &header)?;
        ws.set_column_width(c, w)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let y = i as u32 + 3;
        let wording = match &r.unconfirmed {
            Some(u) => format!("{}\n({u})", r.text),
            None => r.text.clone(),
        };
        let texts = [
            (0, &r.number),
            (1, &wording),
            (2, &r.targets),
            (3, &r.answer),
            (6, &r.comment),
            (7, &r.proposal),
            (8, &r.evidence),
        ];
        for (c, t) in texts {
            if !t.is_empty() {
                ws.write_string_with_format(y, c, t, &text)?;
            }
        }
        for (c, d) in [(4, r.checked_on), (5, r.target_on)] {
            if let Some(d) = d {
                let when = ExcelDateTime::from_ymd(d.year() as u16, d.month(), d.day())?;
                ws.write_datetime_with_format(y, c, when, &date)?;
            }
        }
    }
    ws.set_freeze_panes(3, 2)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn the_answers_read_back_as_written() {
        let headers: [String; 9] = std::array::from_fn(|i| format!("h{i}"));
        let rows = [Row {
            number: "2-①".into(),
            text: "台帳管理を行っている。".into(),
            unconfirmed: Some("文言未確認".into()),
            targets: "医療情報システム全般".into(),
            answer: "いいえ".into(),
            checked_on: Date::new(2026, 12, 4).ok(),
            target_on: Date::new(2027, 3, 31).ok(),
            comment: "=HYPERLINK(\"x\")".into(),
            proposal: "いいえ".into(),
            evidence: "受付PC".into(),
        }];
        let bytes = xlsx("令和8年度版", &headers, &rows).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("チェックリスト").unwrap();
        assert_eq!(sheet.get_value((3, 0)), Some(&Data::String("2-①".into())));
        assert_eq!(
            sheet.get_value((3, 6)),
            Some(&Data::String("=HYPERLINK(\"x\")".into())),
            "a formula stays text"
        );
        assert!(matches!(sheet.get_value((3, 5)), Some(Data::DateTime(_))));
    }
}
