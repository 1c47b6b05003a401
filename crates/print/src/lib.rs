//! Printable PDFs. A use case gathers its data as JSON with every word already in the
//! reader's language, and a Typst template of `templates/` lays it out on A4. The Japanese
//! font (Noto Sans CJK JP, regular and bold, from Debian's fonts-noto-cjk at build time) is in
//! the binary: printing needs no network and no fonts on the server, and works the day the
//! network is down.

#[cfg(feature = "pdf")]
use typst::foundations::{Dict, IntoValue, Str};
#[cfg(feature = "pdf")]
use typst::layout::{Frame, FrameItem};
#[cfg(feature = "pdf")]
use typst_as_lib::TypstEngine;
#[cfg(feature = "pdf")]
use typst_layout::PagedDocument;

#[cfg(feature = "pdf")]
static REGULAR: &[u8] = include_bytes!(env!("MAMORI_FONT_REGULAR"));
#[cfg(feature = "pdf")]
static BOLD: &[u8] = include_bytes!(env!("MAMORI_FONT_BOLD"));

/// The documents Mamori prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The MHLW checklist with its annex (evidence per item, the plan for each いいえ).
    Checklist,
    /// The drawer copy: the first-response steps with whom to call, the contact chart, the
    /// copies to restore from and the ways in to cut.
    Playbook,
    /// The cyber-attack BCP after the MHLW ひな形, with the 確認表 answered.
    Bcp,
}

impl Template {
    #[cfg(feature = "pdf")]
    fn source(self) -> &'static str {
        match self {
            Template::Checklist => include_str!("../templates/checklist.typ"),
            Template::Playbook => include_str!("../templates/playbook.typ"),
            Template::Bcp => include_str!("../templates/bcp.typ"),
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
    /// This build of Mamori was made without the `pdf` feature.
    #[error("this build makes no PDF")]
    Disabled,
}

/// Without the `pdf` feature every document answers [`PrintError::Disabled`].
#[cfg(not(feature = "pdf"))]
pub fn render(_template: Template, _data: &serde_json::Value) -> Result<Rendered, PrintError> {
    Err(PrintError::Disabled)
}

/// Lays out `data` (the JSON the template reads as `sys.inputs.data`) and writes the PDF.
#[cfg(feature = "pdf")]
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

#[cfg(feature = "pdf")]
fn collect_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => collect_text(&g.frame, out),
            FrameItem::Text(t) => out.push_str(&t.text),
            _ => {}
        }
    }
}

#[cfg(all(test, feature = "pdf"))]
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

    #[test]
    fn the_drawer_copy_lays_out_steps_chart_and_copies() {
        let labels: serde_json::Map<String, serde_json::Value> = [
            "title",
            "lead",
            "first",
            "done_at",
            "who",
            "call",
            "chart",
            "chart_lead",
            "after_hours",
            "restore",
            "restore_lead",
            "use",
            "no_copy",
            "unsafe",
            "last",
            "ways_in",
            "ways_in_lead",
            "no_ways_in",
            "printed",
        ]
        .iter()
        .map(|k| (k.to_string(), serde_json::json!(format!("<{k}>"))))
        .collect();
        let row = serde_json::json!({"who": "警察", "name": "/ 県警 *太字*", "phone": "088-000-0000",
            "after_hours": "110", "note": "#9110 ではなく"});
        let data = serde_json::json!({
            "lang": "ja", "facility": "さくら", "printed": "2026年12月5日", "footer": "Mamori",
            "labels": labels,
            "steps": [{"phase": "最初の数分", "who": "見つけた職員", "what": "LAN ケーブルを抜く",
                "why": "広がりを止める", "calls": [{"who": "院長", "name": "/ 山田", "phone": "090"}]}],
            "groups": [
                {"title": "院内", "rows": [row]}, {"title": "保守業者", "rows": []},
                {"title": "報告先", "rows": []}, {"title": "相談", "rows": []}
            ],
            "restore": [{"system": "電子カルテサーバ", "none": false, "unsafe": false,
                "copies": [{"label": "外付けディスク", "state": "切り離し", "use": true, "last": ""}]}],
            "ways_in": [{"name": "保守VPN", "device": "FortiGate", "vendor": "A社"}],
            "gaps": true, "gaps_text": "まだ 2 か所",
        });
        let r = render(Template::Playbook, &data).unwrap();
        assert_eq!(r.pages, 3, "steps, chart, copies and ways in");
        for text in [
            "LAN ケーブルを抜く",
            "/ 山田",
            "/ 県警 *太字*",
            "#9110",
            "保守VPN",
            "<use>",
        ] {
            assert!(r.text.contains(text), "{text}: {}", r.text);
        }
    }
}
