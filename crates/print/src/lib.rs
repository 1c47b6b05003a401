//! Printable PDFs. A use case gathers its data as JSON with every word already in the
//! reader's language, and a Typst template of `templates/` lays it out on A4. The Japanese
//! font (Noto Sans CJK JP, regular and bold, from Debian's fonts-noto-cjk at build time) is in
//! the binary: printing needs no network and no fonts on the server, and works the day the
//! network is down.

use typst::foundations::{Dict, IntoValue, Str};
use typst::layout::{Frame, FrameItem};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

static REGULAR: &[u8] = include_bytes!(env!("MAMORI_FONT_REGULAR"));
static BOLD: &[u8] = include_bytes!(env!("MAMORI_FONT_BOLD"));

/// The documents Mamori prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The MHLW checklist with its annex (evidence per item, the plan for each いいえ).
    Checklist,
}

impl Template {
    fn source(self) -> &'static str {
        match self {
            Template::Checklist => include_str!("../templates/checklist.typ"),
        }
    }
}

/// A laid-out document: the PDF, its page count and its text (for tests and logs).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// The template could not lay out the data (a bug: the data is the program's own).
    #[error("layout: {0}")]
    Layout(String),
    #[error("pdf: {0}")]
    Pdf(String),
}

/// Lays out `data` (the JSON the template reads as `sys.inputs.data`) and writes the PDF.
pub fn render(template: Template, data: &serde_json::Value) -> Result<Rendered, PrintError> {
    let engine = TypstEngine::builder()
        .main_file(template.source())
        .fonts([REGULAR, BOLD])
        .build();
    let mut inputs = Dict::new();
    inputs.insert("data".into(), Str::from(data.to_string()).into_value());
    let doc: PagedDocument = engine
        .compile_with_input(inputs)
        .output
        .map_err(|e| PrintError::Layout(e.to_string()))?;
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        PrintError::Pdf(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let mut text = String::new();
    for page in doc.pages() {
        collect_text(&page.frame, &mut text);
        text.push('\u{c}');
    }
    Ok(Rendered {
        pdf,
        pages: doc.pages().len(),
        text,
    })
}

fn collect_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => collect_text(&g.frame, out),
            FrameItem::Text(t) => out.push_str(&t.text),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_text_is_laid_out_and_written_as_pdf() {
        let data = serde_json::json!({
            "lang": "ja",
            "title": "テスト <b>#見出し</b> $x$",
            "facility": "さくら内科クリニック",
            "footer": "Mamori",
            "round": "第 1 回",
            "printed": "2026年12月4日",
            "locked": "",
            "gate": "",
            "labels": {
                "facility": "施設", "printed": "印刷日", "number": "番号", "item": "項目",
                "targets": "対象", "yes": "はい", "no": "いいえ", "na": "対象外",
                "checked_on": "確認日", "target_on": "目標日", "legend": "■ が回答",
                "annex": "別紙", "annex_lead": "根拠", "answer": "回答", "proposal": "見立て",
                "documents": "資料", "comment": "備考", "plan": "計画"
            },
            "items": [{
                "number": "1-①", "text": "安全管理責任者を設置している", "short": "責任者",
                "unconfirmed": "", "targets": "全般", "given": "yes", "given_words": "はい",
                "checked_on": "2026年11月1日", "target_on": "", "proposal": "はい",
                "reason": "記録があります", "evidence": ["院長 山田"], "documents": [],
                "comment": "#set text(red)"
            }],
            "plan": []
        });
        let r = render(Template::Checklist, &data).unwrap();
        assert!(r.pdf.starts_with(b"%PDF-"), "a PDF");
        assert_eq!(r.pages, 2, "the sheet and its annex");
        assert!(
            r.text.contains("安全管理責任者を設置している"),
            "{}",
            r.text
        );
        // Data is text, never markup: a title with Typst or HTML syntax prints as written.
        assert!(r.text.contains("#見出し"), "{}", r.text);
        assert!(r.text.contains("#set text(red)"), "{}", r.text);
    }
}
