//! The 47 prefectures by JIS X 0401 code. Inspections are run by prefecture, and regional
//! advice follows prefectural medical plans, so the prefecture is data, not free text.

use crate::error::{Error, Field, Result, Rule};

/// A prefecture, by its JIS X 0401 code (1 = 北海道 … 47 = 沖縄県).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Prefecture(u8);

const NAMES: [(&str, &str); 47] = [
    ("北海道", "Hokkaido"),
    ("青森県", "Aomori"),
    ("岩手県", "Iwate"),
    ("宮城県", "Miyagi"),
    ("秋田県", "Akita"),
    ("山形県", "Yamagata"),
    ("福島県", "Fukushima"),
    ("茨城県", "Ibaraki"),
    ("栃木県", "Tochigi"),
    ("群馬県", "Gunma"),
    ("埼玉県", "Saitama"),
    ("千葉県", "Chiba"),
    ("東京都", "Tokyo"),
    ("神奈川県", "Kanagawa"),
    ("新潟県", "Niigata"),
    ("富山県", "Toyama"),
    ("石川県", "Ishikawa"),
    ("福井県", "Fukui"),
    ("山梨県", "Yamanashi"),
    ("長野県", "Nagano"),
    ("岐阜県", "Gifu"),
    ("静岡県", "Shizuoka"),
    ("愛知県", "Aichi"),
    ("三重県", "Mie"),
    ("滋賀県", "Shiga"),
    ("京都府", "Kyoto"),
    ("大阪府", "Osaka"),
    ("兵庫県", "Hyogo"),
    ("奈良県", "Nara"),
    ("和歌山県", "Wakayama"),
    ("鳥取県", "Tottori"),
    ("島根県", "Shimane"),
    ("岡山県", "Okayama"),
    ("広島県", "Hiroshima"),
    ("山口県", "Yamaguchi"),
    ("徳島県", "Tokushima"),
    ("香川県", "Kagawa"),
    ("愛媛県", "Ehime"),
    ("高知県", "Kochi"),
    ("福岡県", "Fukuoka"),
    ("佐賀県", "Saga"),
    ("長崎県", "Nagasaki"),
    ("熊本県", "Kumamoto"),
    ("大分県", "Oita"),
    ("宮崎県", "Miyazaki"),
    ("鹿児島県", "Kagoshima"),
    ("沖縄県", "Okinawa"),
];

impl Prefecture {
    pub fn from_code(code: i64) -> Result<Self> {
        match u8::try_from(code) {
            Ok(c @ 1..=47) => Ok(Prefecture(c)),
            _ => Err(Error::invalid(
                Field::Prefecture,
                code,
                Rule::UnknownPrefecture,
            )),
        }
    }

    /// Accepts the JIS code (`13`, `"13"`), the Japanese name with or without its suffix
    /// (`東京都`, `東京`) or the romanised name in any case (`tokyo`).
    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim();
        if let Ok(code) = s.parse::<i64>() {
            return Self::from_code(code);
        }
        NAMES
            .iter()
            .position(|(ja, en)| {
                *ja == s
                    || (s.chars().count() >= 2
                        && ja.strip_suffix(['都', '道', '府', '県']) == Some(s))
                    || en.eq_ignore_ascii_case(s)
            })
            .map(|i| Prefecture(i as u8 + 1))
            .ok_or_else(|| Error::invalid(Field::Prefecture, input, Rule::UnknownPrefecture))
    }

    pub fn code(self) -> u8 {
        self.0
    }

    pub fn name_ja(self) -> &'static str {
        NAMES[usize::from(self.0 - 1)].0
    }

    pub fn name_en(self) -> &'static str {
        NAMES[usize::from(self.0 - 1)].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        for input in ["13", "東京都", "東京", "tokyo", " Tokyo "] {
            assert_eq!(
                Prefecture::parse(input).map(Prefecture::code),
                Ok(13),
                "{input}"
            );
        }
        assert_eq!(Prefecture::parse("北海道").map(Prefecture::code), Ok(1));
        assert_eq!(
            Prefecture::parse("沖縄").map(Prefecture::name_en),
            Ok("Okinawa")
        );
    }

    #[test]
    fn rejects_unknown() {
        for input in ["0", "48", "東京府", "", "県"] {
            assert!(Prefecture::parse(input).is_err(), "{input}");
        }
    }

    #[test]
    fn round_trips_every_code() {
        for code in 1..=47 {
            let p = Prefecture::from_code(code).unwrap();
            assert_eq!(Prefecture::parse(p.name_ja()), Ok(p));
            assert_eq!(Prefecture::parse(p.name_en()), Ok(p));
        }
    }
}
