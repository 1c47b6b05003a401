//! Facilities (医療機関): the tenants of a deployment. Every facility-owned row carries a
//! `FacilityId`, and nothing crosses from one facility to another except through an advisor
//! grant.

use std::fmt;

use crate::error::{Error, Field, Result, Rule};
use crate::prefecture::Prefecture;
use crate::region::RegionId;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FacilityId(pub i64);

impl fmt::Display for FacilityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The unique short name people type (`demo`, `sakura-clinic`): lower-case ASCII letters,
/// digits and hyphens, starting with a letter so that it is never mistaken for an id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShortName(String);

impl ShortName {
    pub const MAX: usize = 32;

    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(Error::invalid(Field::ShortName, input, Rule::Required));
        }
        if s.len() > Self::MAX {
            return Err(Error::invalid(
                Field::ShortName,
                input,
                Rule::TooLong { max: Self::MAX },
            ));
        }
        let first_is_letter = s.starts_with(|c: char| c.is_ascii_lowercase());
        let chars_ok = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !first_is_letter || !chars_ok || s.ends_with('-') {
            return Err(Error::invalid(
                Field::ShortName,
                input,
                Rule::ShortNameChars,
            ));
        }
        Ok(ShortName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ShortName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 病院 (20 beds or more), 診療所 (19 or fewer) or 薬局, as the Medical Care Act defines them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacilityKind {
    Hospital,
    Clinic,
    Pharmacy,
}

impl FacilityKind {
    pub const ALL: [FacilityKind; 3] = [Self::Hospital, Self::Clinic, Self::Pharmacy];

    /// The stable code stored in the database and accepted on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Self::Hospital => "hospital",
            Self::Clinic => "clinic",
            Self::Pharmacy => "pharmacy",
        }
    }

    /// Accepts the code or the Japanese word (病院, 診療所 or クリニック, 薬局).
    pub fn parse(input: &str) -> Result<Self> {
        match input.trim() {
            s if s.eq_ignore_ascii_case("hospital") || s == "病院" => Ok(Self::Hospital),
            s if s.eq_ignore_ascii_case("clinic") || s == "診療所" || s == "クリニック" => {
                Ok(Self::Clinic)
            }
            s if s.eq_ignore_ascii_case("pharmacy") || s == "薬局" => Ok(Self::Pharmacy),
            _ => Err(Error::invalid(
                Field::FacilityKind,
                input,
                Rule::UnknownFacilityKind,
            )),
        }
    }
}

/// Number of in-patient beds (病床数).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Beds(u32);

impl Beds {
    /// A hospital must have at least 20 beds, a clinic at most 19, and a pharmacy none: the
    /// Medical Care Act's definitions, which the checklist relies on.
    pub fn for_kind(kind: FacilityKind, n: u32) -> Result<Self> {
        let rule = match kind {
            FacilityKind::Hospital if n < 20 => Rule::HospitalBeds,
            FacilityKind::Clinic if n > 19 => Rule::ClinicBeds,
            FacilityKind::Pharmacy if n > 0 => Rule::PharmacyBeds,
            _ => return Ok(Beds(n)),
        };
        Err(Error::invalid(Field::Beds, n, rule))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facility {
    pub id: FacilityId,
    pub short_name: ShortName,
    /// 正式名称, e.g. 医療法人さくら会 さくら内科クリニック.
    pub name: String,
    pub kind: FacilityKind,
    pub beds: Option<Beds>,
    pub prefecture: Option<Prefecture>,
    pub region: Option<RegionId>,
    /// Every user must use a second factor, not only directors, advisors and vendors.
    pub totp_required_for_all: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFacility {
    pub short_name: ShortName,
    pub name: String,
    pub kind: FacilityKind,
    pub beds: Option<Beds>,
    pub prefecture: Option<Prefecture>,
    pub region: Option<RegionId>,
}

impl NewFacility {
    pub const NAME_MAX: usize = 200;

    /// Validates a new facility; see [`Beds::for_kind`] for the rule on beds.
    pub fn new(
        short_name: &str,
        name: &str,
        kind: FacilityKind,
        beds: Option<u32>,
        prefecture: Option<Prefecture>,
    ) -> Result<Self> {
        let short_name = ShortName::parse(short_name)?;
        let name = text::required(Field::FacilityName, name, Self::NAME_MAX)?;
        let beds = beds.map(|n| Beds::for_kind(kind, n)).transpose()?;
        Ok(NewFacility {
            short_name,
            name,
            kind,
            beds,
            prefecture,
            region: None,
        })
    }

    pub fn in_region(mut self, region: RegionId) -> Self {
        self.region = Some(region);
        self
    }
}

/// How a person names a facility on the command line: its id or its short name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacilityRef {
    Id(FacilityId),
    Short(ShortName),
}

impl FacilityRef {
    pub fn parse(input: &str) -> Result<Self> {
        match input.trim().parse::<i64>() {
            Ok(id) => Ok(FacilityRef::Id(FacilityId(id))),
            Err(_) => ShortName::parse(input).map(FacilityRef::Short),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(ShortName::parse(" Demo ").map(|s| s.0), Ok("demo".into()));
        assert!(ShortName::parse("sakura-2").is_ok());
        for bad in ["", "2clinic", "さくら", "a b", "a_b", "x-", &"a".repeat(33)] {
            assert!(ShortName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn beds_follow_the_medical_care_act() {
        let clinic = |beds| NewFacility::new("c", "診療所", FacilityKind::Clinic, beds, None);
        assert!(clinic(Some(19)).is_ok());
        assert!(clinic(None).is_ok());
        assert_eq!(
            clinic(Some(20)).map(|_| ()),
            Err(Error::invalid(Field::Beds, 20, Rule::ClinicBeds))
        );
        let hospital = |beds| NewFacility::new("h", "病院", FacilityKind::Hospital, beds, None);
        assert!(hospital(Some(20)).is_ok());
        assert!(hospital(Some(19)).is_err());
        let pharmacy = |beds| NewFacility::new("p", "薬局", FacilityKind::Pharmacy, beds, None);
        assert!(pharmacy(Some(0)).is_ok());
        assert!(pharmacy(Some(1)).is_err());
    }

    #[test]
    fn kinds_in_both_languages() {
        assert_eq!(FacilityKind::parse("診療所"), Ok(FacilityKind::Clinic));
        assert_eq!(FacilityKind::parse("Hospital"), Ok(FacilityKind::Hospital));
        assert!(FacilityKind::parse("clinique").is_err());
        for k in FacilityKind::ALL {
            assert_eq!(FacilityKind::parse(k.code()), Ok(k));
        }
    }

    #[test]
    fn refs() {
        assert_eq!(
            FacilityRef::parse("12"),
            Ok(FacilityRef::Id(FacilityId(12)))
        );
        assert!(matches!(
            FacilityRef::parse("demo"),
            Ok(FacilityRef::Short(_))
        ));
        assert!(FacilityRef::parse("デモ").is_err());
    }
}
