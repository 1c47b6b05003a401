//! The MHLW checklist workbook (医療機関確認用 .xlsx) read for its items: each row with an
//! item number (①, 2-①, (1)) and a sentence, under the section headings (1 体制構築 …), with
//! its 対象 from a cell of its own, a bracket after the sentence (【サーバ】) or a heading row
//! of targets above it. The layout is not fixed here: whatever columns the sheet uses, the
//! number, the sentence and the targets are told apart by what they hold. Rows of answers
//! (はい・いいえ, 確認日) and the explanation rows are passed over.

use domain::checklist::Target;
use domain::checklist::workbook::SheetItem;

use crate::table::{Cell, FileProblem, Sheet};

/// What the workbook holds: the title it prints, when found, and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub title: Option<String>,
    pub items: Vec<SheetItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    File(FileProblem),
    /// No sheet has a row with an item number and a sentence.
    NoItems,
    /// Two rows of the chosen sheet carry one item number with different sentences (a section
    /// heading was not recognised, or the sheet numbers differently): nothing is guessed.
    SameNumber {
        sheet: String,
        number: String,
        rows: (usize, usize),
    },
}

/// Reads `bytes` (an .xlsx, .xls or .ods workbook) within the parsers' budget; `vendor`: the
/// vendors' sheet (事業者確認用) is wanted, not the facility's.
pub fn read(bytes: &[u8], file_name: &str, vendor: bool) -> Result<Read, Problem> {
    let sheets = crate::table::read(bytes, file_name).map_err(Problem::File)?;
    items(&sheets, vendor)
}

/// The items of the sheet that has the most of them (a workbook may add a sheet of
/// instructions or a copy for a second round), among the sheets named for the vendors
/// (事業者) when `vendor`, or not so named otherwise, when any such sheet has items; the
/// title is the one that sheet prints.
pub fn items(sheets: &[Sheet], vendor: bool) -> Result<Read, Problem> {
    let title_of = |s: &Sheet| {
        s.rows.iter().flatten().find_map(|c| {
            let t = c.text();
            (t.contains("チェックリスト") && t.contains("セキュリティ") && t.chars().count() < 120)
                .then(|| t.split_whitespace().collect::<Vec<_>>().join(" "))
        })
    };
    let read: Vec<(&Sheet, Result<Vec<SheetItem>, Problem>)> = sheets
        .iter()
        .map(|s| (s, sheet_items(s)))
        .filter(|(_, items)| items.as_ref().map_or(true, |i| !i.is_empty()))
        .collect();
    let size = |r: &Result<Vec<SheetItem>, Problem>| r.as_ref().map_or(usize::MAX, Vec::len);
    let named = |s: &Sheet| s.name.contains("事業者") == vendor;
    let best = read
        .iter()
        .filter(|(s, _)| named(s))
        .max_by_key(|(_, i)| size(i))
        .or_else(|| read.iter().max_by_key(|(_, i)| size(i)));
    let Some((sheet, items)) = best else {
        return Err(Problem::NoItems);
    };
    Ok(Read {
        title: title_of(sheet).or_else(|| sheets.iter().find_map(title_of)),
        items: items.clone()?,
    })
}

/// The fiscal year a title names (「令和8年度版」 → 2026), when it names one.
pub fn fiscal_year_of(title: &str) -> Option<i32> {
    let folded = domain::text::fold(title);
    let (_, rest) = folded.split_once("令和")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let n: i32 = digits.parse().ok()?;
    rest[digits.len()..].starts_with("年度").then_some(2018 + n)
}

fn sheet_items(sheet: &Sheet) -> Result<Vec<SheetItem>, Problem> {
    let mut out: Vec<SheetItem> = Vec::new();
    let mut section: u8 = 0;
    // Targets a heading row names for the items under it (the 令和6年度 sheet's layout).
    let mut group: Vec<Target> = Vec::new();
    for (index, cells) in sheet.rows.iter().enumerate() {
        let texts: Vec<String> = cells
            .iter()
            .map(Cell::text)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if texts.is_empty() {
            continue;
        }
        let mut number: Option<(Option<u8>, u32)> = None;
        let mut sentence: Option<String> = None;
        let mut targets: Vec<Target> = Vec::new();
        let mut heading: Option<u8> = None;
        for t in &texts {
            if let Some(n) = item_number(t) {
                number = number.or(Some(n));
            } else if let Some((n, rest)) = leading_number(t) {
                number = number.or(Some(n));
                keep_longest(&mut sentence, rest);
            } else if let Some(found) = target_words(t) {
                targets.extend(found);
            } else if let Some(s) = section_heading(t) {
                heading = heading.or(Some(s));
            } else if is_sentence(t) {
                keep_longest(&mut sentence, t.clone());
            }
        }
        let gate = sentence
            .as_deref()
            .is_some_and(|s| s.contains("医療情報システムを導入"));
        match (number, sentence) {
            // The gate question once: a later row with its words is an explanation.
            (_, Some(_)) if gate && out.iter().any(|i| i.gate) => {}
            (_, Some(s)) if gate => out.push(SheetItem {
                sheet: sheet.name.clone(),
                row: index + 1,
                number: "0".into(),
                section: 0,
                gate: true,
                ja: s,
                targets: Vec::new(),
            }),
            (Some((own_section, n)), Some(s)) => {
                let (ja, bracketed) = strip_targets(&s);
                targets.extend(bracketed);
                if targets.is_empty() {
                    targets = group.clone();
                }
                targets.dedup();
                let section = own_section.unwrap_or(section);
                let number = format!("{section}-{}", char::from_u32(0x245F + n).unwrap_or('?'));
                // The same item printed again for another target (令和6年度): one item, its
                // targets joined.
                if let Some(same) = out.iter_mut().find(|i| i.number == number) {
                    if domain::checklist::workbook::likeness(&same.ja, &ja) < 0.5 {
                        return Err(Problem::SameNumber {
                            sheet: sheet.name.clone(),
                            number,
                            rows: (same.row, index + 1),
                        });
                    }
                    for t in targets {
                        if !same.targets.contains(&t) {
                            same.targets.push(t);
                        }
                    }
                    continue;
                }
                out.push(SheetItem {
                    sheet: sheet.name.clone(),
                    row: index + 1,
                    number,
                    section,
                    gate: false,
                    ja,
                    targets,
                });
            }
            // A heading's words may sit in a cell of their own (「2」「医療情報システムの管理・
            // 運用」); a sentence ending in 。 is an explanation, not a heading.
            (None, s) if heading.is_some() && s.as_deref().is_none_or(|s| !s.ends_with('。')) => {
                section = heading.unwrap_or(section);
                group.clear();
            }
            (None, None) if !targets.is_empty() => group = targets,
            _ => {}
        }
    }
    Ok(out)
}

fn keep_longest(slot: &mut Option<String>, t: String) {
    if slot
        .as_ref()
        .is_none_or(|s| t.chars().count() > s.chars().count())
    {
        *slot = Some(t);
    }
}

/// A circled digit's value: ① = 1 … ⑳ = 20.
fn circled(c: char) -> Option<u32> {
    ('\u{2460}'..='\u{2473}')
        .contains(&c)
        .then(|| c as u32 - 0x245F)
}

/// A cell that is an item number and nothing else: 「①」, 「2-①」, 「(1)」, 「（１）」,
/// 「2-(1)」; with its section when it names one.
fn item_number(t: &str) -> Option<(Option<u8>, u32)> {
    let f = domain::text::fold(t);
    let f: String = f.chars().filter(|c| !c.is_whitespace()).collect();
    let (section, rest) = match f.split_once(['-', 'ー', '‐', '−', '―']) {
        Some((s, rest)) if s.len() == 1 => (s.parse::<u8>().ok().filter(|s| *s >= 1), rest),
        Some(_) => return None,
        None => (None, f.as_str()),
    };
    if f.contains(['-', 'ー', '‐', '−', '―']) && section.is_none() {
        return None;
    }
    let mut chars = rest.chars();
    let n = match (chars.next(), chars.next()) {
        (Some(c), None) => circled(c)?,
        _ => {
            let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
            inner.parse::<u32>().ok().filter(|n| (1..=20).contains(n))?
        }
    };
    Some((section, n))
}

/// A sentence that starts with its circled number: 「①医療情報システム…」.
fn leading_number(t: &str) -> Option<((Option<u8>, u32), String)> {
    let mut chars = t.chars();
    let n = circled(chars.next()?)?;
    let rest = chars
        .as_str()
        .trim_start_matches([' ', '\u{3000}', '.', '．', '、']);
    is_sentence(rest).then(|| ((None, n), rest.to_string()))
}

/// A section heading: 「1」, 「1.」, 「1 体制構築」, 「２．医療情報システムの管理・運用」.
fn section_heading(t: &str) -> Option<u8> {
    let f = domain::text::fold(t);
    let mut chars = f.chars();
    let d = chars.next()?.to_digit(10)?;
    let rest = chars.as_str().trim_start_matches(['.', ' ', '、', '．']);
    // 「1回目」「2年」 are counts, not headings.
    let count = rest.starts_with([
        '回', '年', '月', '日', '件', '台', '名', '人', 'つ', 'か', '%',
    ]);
    let plain = rest.is_empty()
        || (!rest.starts_with(|c: char| c.is_ascii_digit()) && !rest.contains('。') && !count);
    (plain && (1..=9).contains(&d)).then_some(d as u8)
}

/// Text long enough to be an item's sentence, not an answer box (はい・いいえ, 確認日).
fn is_sentence(t: &str) -> bool {
    let boxed: String = t
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '\u{3000}' | '・' | '/' | '／' | '(' | ')' | '（' | '）' | '、'
            )
        })
        .collect::<String>()
        .replace("いいえ", "")
        .replace("はい", "");
    let japanese = t
        .chars()
        .any(|c| ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c));
    japanese && t.chars().count() >= 6 && !boxed.is_empty() && !t.contains("確認日")
}

/// A cell that names targets and nothing else: 「サーバ」, 「【サーバ、端末PC】」,
/// 「医療情報システム全般」.
fn target_words(t: &str) -> Option<Vec<Target>> {
    let inner = t
        .trim()
        .trim_start_matches(['【', '(', '（', '['])
        .trim_end_matches(['】', ')', '）', ']']);
    let mut out = Vec::new();
    for word in inner.split(['、', ',', '・', '/', '／', '\n', ' ', '\u{3000}']) {
        let w = domain::text::fold(word.trim());
        if w.is_empty() {
            continue;
        }
        out.push(match w.as_str() {
            "医療情報システム全般" => Target::All,
            "サーバ" | "サーバー" => Target::Server,
            "端末pc" | "端末" | "pc" | "クライアント端末" => Target::Pc,
            "ネットワーク機器" => Target::Network,
            _ => return None,
        });
    }
    (!out.is_empty()).then_some(out)
}

/// A sentence with its targets in a bracket at the end: 「…している。【サーバ】」.
fn strip_targets(s: &str) -> (String, Vec<Target>) {
    let s = s.trim();
    for (open, close) in [('【', '】'), ('(', ')'), ('（', '）')] {
        if s.ends_with(close)
            && let Some(at) = s.rfind(open)
            && let Some(t) = target_words(&s[at..])
        {
            return (s[..at].trim().to_string(), t);
        }
    }
    (s.to_string(), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: "医療機関確認用".into(),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|t| {
                            if t.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(t.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn numbers_sentences_and_targets_are_told_apart() {
        let s = sheet(&[
            &["医療機関・薬局におけるサイバーセキュリティ対策チェックリスト"],
            &["", "チェック項目", "対象", "1回目", "", "2回目"],
            &[
                "医療情報システムの有無",
                "医療情報システムを導入、運用している。",
                "",
                "はい・いいえ",
            ],
            &["1 体制構築"],
            &[
                "①",
                "医療情報システム安全管理責任者を設置している。",
                "",
                "はい・いいえ",
                "確認日",
                "目標日",
            ],
            &["2", "医療情報システムの管理・運用"],
            &[
                "①",
                "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
                "医療情報システム全般",
                "はい・いいえ",
            ],
            &[
                "②リモートメンテナンス(保守)を利用している機器の有無を事業者に確認した。",
                "",
                "はい / いいえ",
            ],
            &["2-③", "アクセスログを管理している。【サーバ】"],
            &["【端末PC】"],
            &["(4)", "パスワードを定期的に変更している。"],
            &["※「いいえ」の場合は目標日を記入してください。"],
        ]);
        let read = items(&[s], false).unwrap();
        assert_eq!(
            read.title.as_deref(),
            Some("医療機関・薬局におけるサイバーセキュリティ対策チェックリスト")
        );
        let got: Vec<(&str, &str, &[Target], usize)> = read
            .items
            .iter()
            .map(|i| {
                (
                    i.number.as_str(),
                    i.ja.as_str(),
                    i.targets.as_slice(),
                    i.row,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("0", "医療情報システムを導入、運用している。", &[][..], 3),
                (
                    "1-①",
                    "医療情報システム安全管理責任者を設置している。",
                    &[][..],
                    5
                ),
                (
                    "2-①",
                    "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
                    &[Target::All][..],
                    7
                ),
                (
                    "2-②",
                    "リモートメンテナンス(保守)を利用している機器の有無を事業者に確認した。",
                    &[][..],
                    8
                ),
                (
                    "2-③",
                    "アクセスログを管理している。",
                    &[Target::Server][..],
                    9
                ),
                (
                    "2-④",
                    "パスワードを定期的に変更している。",
                    &[Target::Pc][..],
                    11
                ),
            ]
        );
        assert!(read.items[0].gate);
    }

    #[test]
    fn an_item_printed_once_per_target_is_one_item() {
        let s = sheet(&[
            &["2 医療情報システムの管理・運用"],
            &["【サーバ】"],
            &[
                "⑤",
                "退職者や使用していないアカウント等、不要なアカウントを削除している。",
            ],
            &["【端末PC】"],
            &[
                "⑤",
                "退職者や使用していないアカウント等、不要なアカウントを削除している。",
            ],
        ]);
        let read = items(&[s], false).unwrap();
        assert_eq!(read.items.len(), 1);
        assert_eq!(read.items[0].targets, [Target::Server, Target::Pc]);
    }

    #[test]
    fn one_number_with_two_sentences_is_refused_by_row() {
        let s = sheet(&[
            &["2 医療情報システムの管理・運用"],
            &[
                "①",
                "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
            ],
            &["3 インシデント発生に備えた対応。"],
            &["①", "インシデント発生時における連絡体制図がある。"],
        ]);
        assert_eq!(
            items(&[s], false),
            Err(Problem::SameNumber {
                sheet: "医療機関確認用".into(),
                number: "2-①".into(),
                rows: (2, 4)
            })
        );
    }

    #[test]
    fn a_workbook_without_items_says_so() {
        let s = sheet(&[&["名前", "機種"], &["受付PC", "OptiPlex"]]);
        assert_eq!(items(&[s], false), Err(Problem::NoItems));
        assert_eq!(items(&[], true), Err(Problem::NoItems));
    }

    #[test]
    fn the_sheet_asked_for_and_its_year_are_chosen() {
        let facility = sheet(&[
            &["令和８年度版 医療機関・薬局におけるサイバーセキュリティ対策チェックリスト"],
            &["1 体制構築"],
            &["①", "医療情報システム安全管理責任者を設置している。"],
            &["2 医療情報システムの管理・運用"],
            &[
                "①",
                "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
            ],
        ]);
        let mut vendor = sheet(&[
            &["令和８年度版 サイバーセキュリティ対策チェックリスト(事業者確認用)"],
            &["1 体制構築"],
            &["①", "医療情報システム安全管理責任者を設置している。"],
        ]);
        vendor.name = "事業者確認用".into();
        let both = [facility, vendor];
        assert_eq!(items(&both, false).unwrap().items.len(), 2);
        let v = items(&both, true).unwrap();
        assert_eq!(
            v.items.len(),
            1,
            "the vendors' sheet though it has fewer items"
        );
        assert!(v.title.unwrap().contains("事業者確認用"));
        assert_eq!(fiscal_year_of("令和８年度版 医療機関"), Some(2026));
        assert_eq!(fiscal_year_of("令和7年度版"), Some(2025));
        assert_eq!(fiscal_year_of("令和8年4月1日"), None);
        assert_eq!(fiscal_year_of("チェックリスト"), None);
    }
}
