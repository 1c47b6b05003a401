//! Regions: a regional core hospital (地域の中核病院) and the clinics it advises. Advisor
//! grants are given per facility; the region says who advises whom by default.

use crate::error::{Field, Result};
use crate::facility::FacilityId;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub id: RegionId,
    pub name: String,
    /// The facility whose experts advise the region's members.
    pub core_facility: Option<FacilityId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegion {
    pub name: String,
    pub core_facility: Option<FacilityId>,
}

impl NewRegion {
    pub fn new(name: &str, core_facility: Option<FacilityId>) -> Result<Self> {
        Ok(NewRegion {
            name: text::required(Field::RegionName, name, 100)?,
            core_facility,
        })
    }
}
