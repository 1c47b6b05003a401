//! Vendors (事業者): the companies that install and maintain a facility's systems and must
//! answer for them — with the phone number that is answered at night.

use crate::error::{Field, Result};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VendorId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVendor {
    /// As written in the ledger's 保守業者 column, so that its devices are found.
    pub name: String,
    pub phone_24h: Option<String>,
    pub contact: Option<String>,
    /// Contracts and what they cover (保守契約, 責任分界).
    pub contract: Option<String>,
    pub notes: Option<String>,
}

impl NewVendor {
    pub fn new(name: &str) -> Result<Self> {
        Ok(NewVendor {
            name: text::required(Field::VendorName, name, 200)?,
            phone_24h: None,
            contact: None,
            contract: None,
            notes: None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vendor {
    pub id: VendorId,
    pub details: NewVendor,
}
