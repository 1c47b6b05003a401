//! The ways in from outside (connection points) as every front end shows them: each point with
//! the ledger's device it terminates on and its weaknesses today. The list page, the detail
//! page and `mamori connections` build their rows from this one join.

use std::collections::HashMap;

use domain::connection::{Gap, gaps};
use domain::{Asset, AssetId, ConnectionPoint, Date};

/// One way in, with its device (when the ledger has it) and its weaknesses on `today`.
pub struct WayIn<'a> {
    pub point: &'a ConnectionPoint,
    pub device: Option<&'a Asset>,
    pub gaps: Vec<Gap>,
}

/// Every point of `points` joined with its device among `assets`, in the order given.
pub fn ways_in<'a>(
    points: &'a [ConnectionPoint],
    assets: &'a [Asset],
    today: Date,
) -> Vec<WayIn<'a>> {
    let by_id: HashMap<AssetId, &Asset> = assets.iter().map(|a| (a.id, a)).collect();
    points
        .iter()
        .map(|point| {
            let device = point.details.asset.and_then(|id| by_id.get(&id).copied());
            WayIn {
                point,
                device,
                gaps: gaps(&point.details, device.map(|a| &a.details), today),
            }
        })
        .collect()
}

/// Who maintains the device, with the number answered at night when the vendor list has
/// it: 「保守: 株式会社さくらメディカル(24時間の連絡先 0120-000-110)」.
pub async fn maintainer(
    store: &store::Store,
    scope: &store::FacilityScope,
    lang: text::Lang,
    asset: &Asset,
) -> Result<Option<String>, store::Error> {
    let Some(name) = asset.details.vendor.as_deref() else {
        return Ok(None);
    };
    let phone = store
        .vendors(scope)
        .await?
        .into_iter()
        .find(|v| v.details.name == name)
        .and_then(|v| v.details.phone_24h);
    Ok(Some(match phone {
        Some(phone) => lang.tr(
            "asset-maintainer-phone",
            text::args![vendor = name, phone = crate::messages::bare_phone(&phone)],
        ),
        None => lang.tr("asset-maintainer", text::args![vendor = name]),
    }))
}
