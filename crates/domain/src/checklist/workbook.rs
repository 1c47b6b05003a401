//! A version's wording replaced from the official MHLW workbook: the items the sheet prints
//! (number, sentence, 対象) matched to the version in use by their sentence, since numbers
//! move between versions, so that each keeps its topic, rule and evidence. What the workbook
//! prints is taken as confirmed; what the sheet adds becomes a new item a person answers.

use super::{Item, Target, Version, VersionProblem, Wording};

/// An item as the official sheet prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetItem {
    /// Where it was read (the sheet's name and its 1-based row), for messages.
    pub sheet: String,
    pub row: usize,
    /// 「2-①」; 「0」 for the gate question.
    pub number: String,
    pub section: u8,
    pub gate: bool,
    pub ja: String,
    pub targets: Vec<Target>,
}

/// How alike two sentences are: the Dice coefficient of their character pairs, spaces and
/// punctuation left out (1 = the same characters in the same order).
pub fn likeness(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| {
        let chars: Vec<char> = crate::text::fold(s)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let mut out: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        out.sort_unstable();
        out
    };
    let (x, y) = (pairs(a), pairs(b));
    if x.is_empty() || y.is_empty() {
        return if crate::text::fold(a) == crate::text::fold(b) {
            1.0
        } else {
            0.0
        };
    }
    // Both sorted: count the pairs they share (each pair once per occurrence).
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f64 / (x.len() + y.len()) as f64
}

/// Sentences this alike are one item, whatever their numbers.
const SAME_ITEM: f64 = 0.5;
/// Sentences this alike are one item when they also carry the same number (a reworded item).
/// (Unrelated sentences of the sheet's style reach 0.33: 「使用していないアカウント…」 against
/// 「使用していない機器を…」.)
const SAME_NUMBER: f64 = 0.4;

/// The version `base` with the sheet's items: matched items keep their topic, rule, English
/// and evidence and take the sheet's number, sentence and 対象 (as confirmed); items of the
/// sheet that match none are added (no rule: a person answers them); items of `base` the
/// sheet does not print are left out. `title` replaces the Japanese title when the workbook
/// prints one.
pub fn from_sheet(
    base: &Version,
    title: Option<&str>,
    items: &[SheetItem],
) -> Result<Version, VersionProblem> {
    if items.is_empty() {
        return Err(VersionProblem("no items".into()));
    }
    // Every pair that may be one item, best first; each side taken once.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, s) in items.iter().enumerate() {
        for (j, b) in base.items.iter().enumerate() {
            if s.gate || b.gate {
                if s.gate && b.gate {
                    pairs.push((2.0, i, j));
                }
                continue;
            }
            let like = likeness(&s.ja, &b.ja);
            let same_number = s.number == b.number;
            if like >= SAME_ITEM || (same_number && like >= SAME_NUMBER) {
                pairs.push((like + if same_number { 0.1 } else { 0.0 }, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut of_sheet: Vec<Option<usize>> = vec![None; items.len()];
    let mut taken = vec![false; base.items.len()];
    for (_, i, j) in pairs {
        if of_sheet[i].is_none() && !taken[j] {
            of_sheet[i] = Some(j);
            taken[j] = true;
        }
    }
    let mut topics: std::collections::HashSet<String> =
        base.items.iter().map(|i| i.topic.clone()).collect();
    let out: Vec<Item> = items
        .iter()
        .zip(of_sheet)
        .map(|(s, matched)| match matched {
            Some(j) => {
                let b = &base.items[j];
                Item {
                    number: s.number.clone(),
                    section: s.section,
                    ja: s.ja.clone(),
                    targets: if s.targets.is_empty() {
                        b.targets.clone()
                    } else {
                        s.targets.clone()
                    },
                    wording: Wording::Confirmed,
                    ..b.clone()
                }
            }
            None => {
                let topic = new_topic(&s.number, &mut topics);
                Item {
                    topic,
                    number: s.number.clone(),
                    section: s.section,
                    gate: s.gate,
                    ja: s.ja.clone(),
                    en: format!(
                        "Item {} of the official sheet (no English gloss yet).",
                        s.number
                    ),
                    targets: s.targets.clone(),
                    wording: Wording::Confirmed,
                    vendor_contract_only: false,
                    rule: None,
                    evidence_ja: "公式のチェックリストで加わった項目です。確かめた記録を根拠として残してください。"
                        .into(),
                    evidence_en:
                        "An item the official checklist added: keep the record of how it was checked."
                            .into(),
                }
            }
        })
        .collect();
    let version = Version {
        title_ja: title
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map_or_else(|| base.title_ja.clone(), str::to_string),
        items: out,
        ..base.clone()
    };
    // The same checks as a version file.
    super::parse(&to_text(&version)?)
}

/// A version as a version file (what `parse` reads back).
pub fn to_text(v: &Version) -> Result<String, VersionProblem> {
    toml::to_string(v).map_err(|e| VersionProblem(e.to_string()))
}

/// A topic for an item the sheet added: 「2-⑭」 → `item_2_14`, unique in `taken`.
fn new_topic(number: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let mut stem = String::from("item");
    let mut last_digit = false;
    for c in number.chars() {
        let n = match c {
            '\u{2460}'..='\u{2473}' => Some(c as u32 - 0x245F),
            '0'..='9' => c.to_digit(10),
            _ => None,
        };
        match n {
            Some(n) if c.is_ascii_digit() && last_digit => stem.push_str(&n.to_string()),
            Some(n) => {
                stem.push('_');
                stem.push_str(&n.to_string());
            }
            None => {}
        }
        last_digit = c.is_ascii_digit();
    }
    let mut topic = stem.clone();
    let mut n = 2;
    while taken.contains(&topic) {
        topic = format!("{stem}_{n}");
        n += 1;
    }
    taken.insert(topic.clone());
    topic
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet_item(number: &str, section: u8, ja: &str) -> SheetItem {
        SheetItem {
            sheet: "チェックリスト".into(),
            row: 1,
            number: number.into(),
            section,
            gate: false,
            ja: ja.into(),
            targets: Vec::new(),
        }
    }

    #[test]
    fn sentences_compare_by_their_characters() {
        assert!((likeness("台帳管理を行っている。", "台帳管理を行っている") - 1.0).abs() < 1e-9);
        assert!(
            likeness(
                "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
                "サーバ、端末ＰＣ、ネットワーク機器の台帳を管理している。"
            ) > SAME_ITEM
        );
        assert!(
            likeness(
                "バックアップを取得している。",
                "医療情報システム安全管理責任者を設置している。"
            ) < SAME_NUMBER
        );
    }

    #[test]
    fn the_sheet_keeps_topics_by_sentence_though_numbers_move() {
        let r8 = super::super::parse(super::super::FILES[2]).unwrap();
        let ledger = r8.items.iter().find(|i| i.topic == "ledger").unwrap();
        let officer = r8
            .items
            .iter()
            .find(|i| i.topic == "security_officer")
            .unwrap();
        let mut gate = sheet_item("0", 0, "医療情報システムを導入、運用している。");
        gate.gate = true;
        let mut moved = sheet_item("2-②", 2, &ledger.ja);
        moved.targets = vec![Target::Server, Target::Pc];
        let items = vec![
            gate,
            sheet_item("1-①", 1, &officer.ja.replace("設置", "置いて")),
            sheet_item("2-①", 2, "保守委託先との責任分界を文書で取り決めている。"),
            moved,
        ];
        let v = from_sheet(&r8, Some("令和8年度版 公式"), &items).unwrap();
        assert_eq!(v.title_ja, "令和8年度版 公式");
        assert_eq!((v.key.as_str(), v.fiscal_year), ("r8", 2026));
        assert_eq!(
            v.items.len(),
            4,
            "what the sheet does not print is left out"
        );
        let of = |topic: &str| v.items.iter().find(|i| i.topic == topic).unwrap();
        assert!(of("has_systems").gate);
        let l = of("ledger");
        assert_eq!(l.number, "2-②");
        assert_eq!(l.rule, ledger.rule, "the rule follows the sentence");
        assert_eq!(l.targets, [Target::Server, Target::Pc]);
        assert_eq!(l.wording, Wording::Confirmed);
        let o = of("security_officer");
        assert!(o.ja.contains("置いて") && o.rule == officer.rule);
        let new = of("item_2_1");
        assert_eq!((new.number.as_str(), new.rule), ("2-①", None));
        assert!(from_sheet(&r8, None, &[]).is_err());
    }

    #[test]
    fn a_version_written_back_reads_the_same() {
        for v in super::super::versions()
            .into_iter()
            .chain(super::super::vendor_versions())
        {
            let text = toml::to_string(&v).unwrap();
            assert_eq!(super::super::parse(&text).unwrap(), v, "{text}");
        }
    }

    #[test]
    fn new_topics_are_plain_and_unique() {
        let mut taken = std::collections::HashSet::from(["item_2_14".to_string()]);
        assert_eq!(new_topic("2-⑭", &mut taken), "item_2_14_2");
        assert_eq!(new_topic("2-(12)", &mut taken), "item_2_12");
        assert_eq!(new_topic("①", &mut taken), "item_1");
    }
}
