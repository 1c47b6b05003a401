//! Network segments (診療系, 業務系, 保守用, DMZ, ゲスト …) and which segment may reach which:
//! the ground the attack paths from the internet to the EHR, PACS and backups are found on.

use crate::error::{Error, Field, Result, Rule};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(pub i64);

/// What a segment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    Clinical,
    Business,
    Maintenance,
    Dmz,
    Guest,
    Other,
}

impl Zone {
    pub const ALL: [Zone; 6] = [
        Zone::Clinical,
        Zone::Business,
        Zone::Maintenance,
        Zone::Dmz,
        Zone::Guest,
        Zone::Other,
    ];

    /// Stored code; the locale id of its label is `zone-{code}`.
    pub fn code(self) -> &'static str {
        match self {
            Zone::Clinical => "clinical",
            Zone::Business => "business",
            Zone::Maintenance => "maintenance",
            Zone::Dmz => "dmz",
            Zone::Guest => "guest",
            Zone::Other => "other",
        }
    }

    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim();
        let by_word = match s {
            "診療系" => Some(Zone::Clinical),
            "業務系" | "事務系" => Some(Zone::Business),
            "保守用" | "保守" => Some(Zone::Maintenance),
            "DMZ" => Some(Zone::Dmz),
            "ゲスト" | "来客用" => Some(Zone::Guest),
            "その他" => Some(Zone::Other),
            _ => None,
        };
        by_word
            .or_else(|| {
                Zone::ALL
                    .into_iter()
                    .find(|z| z.code().eq_ignore_ascii_case(s))
            })
            .ok_or_else(|| Error::invalid(Field::SegmentName, input, Rule::UnknownChoice))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSegment {
    /// As written in the ledger's ネットワーク区分 column, so that its devices are found.
    pub name: String,
    pub zone: Zone,
    pub notes: Option<String>,
}

impl NewSegment {
    pub fn new(name: &str, zone: Zone) -> Result<Self> {
        Ok(NewSegment {
            name: text::required(Field::SegmentName, name, 100)?,
            zone,
            notes: None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: SegmentId,
    pub details: NewSegment,
}

/// Traffic allowed from one segment to another (e.g. 業務系 → 診療系 for the EHR client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub from: SegmentId,
    pub to: SegmentId,
    /// What is allowed (ports, systems), in words.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_in_both_languages() {
        assert_eq!(Zone::parse("診療系"), Ok(Zone::Clinical));
        assert_eq!(Zone::parse("guest"), Ok(Zone::Guest));
        assert!(Zone::parse("宇宙").is_err());
        for z in Zone::ALL {
            assert_eq!(Zone::parse(z.code()), Ok(z));
        }
    }
}
