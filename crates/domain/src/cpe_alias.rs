//! From what a clinic writes in its ledger (maker, model, OS or firmware) to the CPE names
//! NVD uses. Data, not logic: one line a product family, so that experts can extend it.
//! Only products whose versions Mamori can compare honestly are listed; a device no line
//! names is not matched at all (and the vulnerability page says so).

use crate::asset::NewAsset;
use crate::identify::Reason;
use crate::nvd::Target;
use crate::version::Scheme;

/// A family: words that must all appear (in maker + model + OS, lower case), the CPE vendor
/// and product, the version scheme, and how the hardware CPE is named from the model.
struct Alias {
    words: &'static [&'static str],
    vendor: &'static str,
    product: &'static str,
    scheme: Scheme,
    platform: Platform,
}

enum Platform {
    None,
    /// `FortiGate-60F` → `fortigate-60f`.
    FortiGate,
    /// `RTX1210` → firmware `rtx1210_firmware`, hardware `rtx1210`.
    YamahaModel,
    /// `UNIVERGE IX2106` → firmware `univerge_ix2106_firmware`, hardware `univerge_ix2106`
    /// (NVD's pattern for NEC's products, as `aterm_wg2600hp_firmware`).
    NecIx,
    /// The edition and build name the product (`windows_server_2019`, `windows_11_23h2`);
    /// only a readable build is matched, and only against known-exploited CVEs.
    Windows,
    /// `ASA 5506-X` → hardware `asa_5506-x` (the record's platform list names the models).
    CiscoAsa,
    /// The release is in the product's name, not in its version (`Exchange Server 2019` +
    /// `CU12`): the version is read from the whole text.
    WholeText,
}

/// Other CPE names of a family's product: NVD renamed Citrix's products in 2023.
const ALSO: &[(&str, &str, &[&str])] = &[
    (
        "citrix",
        "netscaler_application_delivery_controller",
        &[
            "application_delivery_controller_firmware",
            "application_delivery_controller",
        ],
    ),
    (
        "citrix",
        "netscaler_gateway",
        &["netscaler_gateway_firmware", "gateway_firmware", "gateway"],
    ),
];

const ALIASES: &[Alias] = &[
    Alias {
        words: &["fortios"],
        vendor: "fortinet",
        product: "fortios",
        scheme: Scheme::FortiOs,
        platform: Platform::FortiGate,
    },
    Alias {
        words: &["fortigate"],
        vendor: "fortinet",
        product: "fortios",
        scheme: Scheme::FortiOs,
        platform: Platform::FortiGate,
    },
    Alias {
        words: &["fortiproxy"],
        vendor: "fortinet",
        product: "fortiproxy",
        scheme: Scheme::FortiOs,
        platform: Platform::None,
    },
    Alias {
        words: &["yamaha", "rtx"],
        vendor: "yamaha",
        product: "",
        scheme: Scheme::YamahaRev,
        platform: Platform::YamahaModel,
    },
    Alias {
        words: &["yamaha", "nvr"],
        vendor: "yamaha",
        product: "",
        scheme: Scheme::YamahaRev,
        platform: Platform::YamahaModel,
    },
    // Firepower Threat Defense first: an ASA 5500-X can run FTD instead of ASA software.
    Alias {
        words: &["firepower"],
        vendor: "cisco",
        product: "firepower_threat_defense",
        scheme: Scheme::Generic,
        platform: Platform::None,
    },
    Alias {
        words: &["cisco", "ftd"],
        vendor: "cisco",
        product: "firepower_threat_defense",
        scheme: Scheme::Generic,
        platform: Platform::None,
    },
    Alias {
        words: &["cisco", "asa"],
        vendor: "cisco",
        product: "adaptive_security_appliance_software",
        scheme: Scheme::CiscoAsa,
        platform: Platform::CiscoAsa,
    },
    Alias {
        words: &["connect secure"],
        vendor: "ivanti",
        product: "connect_secure",
        scheme: Scheme::PulseSecure,
        platform: Platform::None,
    },
    Alias {
        words: &["pulse"],
        vendor: "ivanti",
        product: "connect_secure",
        scheme: Scheme::PulseSecure,
        platform: Platform::None,
    },
    Alias {
        words: &["netscaler", "gateway"],
        vendor: "citrix",
        product: "netscaler_gateway",
        scheme: Scheme::NetScaler,
        platform: Platform::None,
    },
    Alias {
        words: &["netscaler"],
        vendor: "citrix",
        product: "netscaler_application_delivery_controller",
        scheme: Scheme::NetScaler,
        platform: Platform::None,
    },
    Alias {
        words: &["citrix", "gateway"],
        vendor: "citrix",
        product: "netscaler_gateway",
        scheme: Scheme::NetScaler,
        platform: Platform::None,
    },
    Alias {
        words: &["citrix", "adc"],
        vendor: "citrix",
        product: "netscaler_application_delivery_controller",
        scheme: Scheme::NetScaler,
        platform: Platform::None,
    },
    Alias {
        words: &["sonicos"],
        vendor: "sonicwall",
        product: "sonicos",
        scheme: Scheme::SonicOs,
        platform: Platform::None,
    },
    Alias {
        words: &["pan-os"],
        vendor: "paloaltonetworks",
        product: "pan-os",
        scheme: Scheme::PanOs,
        platform: Platform::None,
    },
    Alias {
        words: &["exchange"],
        vendor: "microsoft",
        product: "exchange_server",
        scheme: Scheme::Exchange,
        platform: Platform::WholeText,
    },
    Alias {
        words: &["vcenter"],
        vendor: "vmware",
        product: "vcenter_server",
        scheme: Scheme::VCenter,
        platform: Platform::None,
    },
    Alias {
        words: &["univerge", "ix"],
        vendor: "nec",
        product: "",
        scheme: Scheme::NecIx,
        platform: Platform::NecIx,
    },
    Alias {
        words: &["windows"],
        vendor: "microsoft",
        product: "",
        scheme: Scheme::WindowsBuild,
        platform: Platform::Windows,
    },
    Alias {
        words: &["esxi"],
        vendor: "vmware",
        product: "esxi",
        scheme: Scheme::Esxi,
        platform: Platform::None,
    },
];

/// The model word that starts with `prefix` (`rtx1210` from "YAMAHA RTX1210").
fn model_word(text: &str, prefix: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .find(|w| w.starts_with(prefix) && w.len() > prefix.len())
        .map(str::to_string)
}

/// The CPE target of a ledger device, if a family names it and its version can be read.
pub fn target(asset: &NewAsset) -> Option<Target> {
    family_target(asset)?.ok()
}

/// The version scheme of a product a family names.
pub fn scheme_of(vendor: &str, product: &str) -> Option<Scheme> {
    // Another name of a family's product reads as the family does.
    let product = ALSO
        .iter()
        .find(|(v, _, also)| *v == vendor && also.contains(&product))
        .map_or(product, |(_, p, _)| *p);
    ALIASES
        .iter()
        .filter(|a| a.vendor == vendor)
        .find(|a| match a.platform {
            Platform::YamahaModel => product.ends_with("_firmware"),
            Platform::NecIx => product.starts_with("univerge_ix"),
            Platform::Windows => product.starts_with("windows"),
            _ => a.product == product,
        })
        .map(|a| a.scheme)
}

/// The CPE target of a ledger device when a family names it (`None` when none does), or why
/// the family's product cannot be told: no version, a version that does not read, no model.
pub fn family_target(asset: &NewAsset) -> Option<Result<Target, Reason>> {
    let mut text = crate::text::fold(
        &[
            asset.maker.as_deref(),
            asset.model.as_deref(),
            asset.os_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(crate::identify::without_notes)
        .collect::<Vec<_>>()
        .join(" "),
    );
    // A maker written in Japanese (ヤマハ) reads as its CPE vendor too.
    for v in crate::identify::vendors_of(asset.maker.as_deref().unwrap_or_default())
        .into_iter()
        .take(1)
    {
        text.push(' ');
        text.push_str(&v);
    }
    // A product of another maker named in the OS field (`Veeam Agent for Microsoft
    // Windows`) is that maker's program, not Windows.
    let maker = crate::identify::vendors_of(asset.maker.as_deref().unwrap_or_default());
    let os = crate::text::fold(asset.os_name.as_deref().unwrap_or_default());
    let other_makers_product = |vendor: &str| {
        maker
            .first()
            .is_some_and(|m| m != vendor && m.len() >= 3 && os.contains(m.as_str()))
    };
    let alias = ALIASES
        .iter()
        .find(|a| a.words.iter().all(|w| text.contains(w)) && !other_makers_product(a.vendor))?;
    Some(resolve(alias, asset, &text))
}

fn resolve(alias: &Alias, asset: &NewAsset, text: &str) -> Result<Target, Reason> {
    let written = asset
        .os_version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let version: Option<String> = match (&alias.platform, written) {
        (Platform::Windows, None) => return Err(Reason::NoVersion),
        (Platform::WholeText, Some(v)) => Some(format!("{text} {v}")),
        (_, v) => v.map(str::to_string),
    };
    let build = match version.as_deref() {
        Some(v) => {
            Some(crate::version::Version::parse(alias.scheme, v).ok_or(Reason::UnreadableVersion)?)
        }
        None => None,
    };
    let mut kev_only = false;
    let mut release = None;
    let (product, platform) = match alias.platform {
        Platform::None | Platform::WholeText => (alias.product.to_string(), None),
        Platform::CiscoAsa => {
            let words: Vec<&str> = crate::text::words(text).collect();
            let hw = words
                .windows(2)
                .find(|w| w[0] == "asa" && w[1].starts_with(|c: char| c.is_ascii_digit()))
                .map(|w| ("cisco".to_string(), format!("asa_{}", w[1])));
            (alias.product.to_string(), hw)
        }
        Platform::FortiGate => {
            let hw = asset
                .model
                .as_deref()
                .map(crate::text::fold)
                .and_then(|m| model_word(&m, "fortigate"));
            (
                alias.product.to_string(),
                hw.map(|h| ("fortinet".to_string(), h)),
            )
        }
        Platform::YamahaModel => {
            let prefix = if alias.words.contains(&"nvr") {
                "nvr"
            } else {
                "rtx"
            };
            let model = model_word(text, prefix).ok_or(Reason::NoModel)?;
            (
                format!("{model}_firmware"),
                Some(("yamaha".to_string(), model)),
            )
        }
        Platform::NecIx => {
            let model = model_word(text, "ix").ok_or(Reason::NoModel)?;
            (
                format!("univerge_{model}_firmware"),
                Some(("nec".to_string(), format!("univerge_{model}"))),
            )
        }
        Platform::Windows => {
            kev_only = true;
            let build = build.as_ref().ok_or(Reason::NoVersion)?;
            let (product, r) =
                crate::version::windows_product(text, build).ok_or(Reason::UnreadableVersion)?;
            release = r;
            (product, None)
        }
    };
    let also = ALSO
        .iter()
        .find(|(v, p, _)| *v == alias.vendor && *p == product)
        .map(|(_, _, a)| a.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    Ok(Target {
        vendor: alias.vendor.to_string(),
        product,
        also,
        version,
        release,
        scheme: alias.scheme,
        platform,
        hardware: crate::nvd::hardware_words(asset.model.as_deref().unwrap_or_default()),
        edition: None,
        kev_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::AssetKind;

    fn asset(maker: &str, model: &str, os: &str, version: &str) -> NewAsset {
        NewAsset::new(AssetKind::Utm, "x")
            .unwrap()
            .maker_model(maker, model)
            .os(os, version)
    }

    #[test]
    fn what_clinics_write() {
        let t = target(&asset(
            "Fortinet",
            "FortiGate-60F",
            "FortiOS",
            "v7.0.12,build0523 (GA)",
        ))
        .unwrap();
        assert_eq!(
            (t.vendor.as_str(), t.product.as_str()),
            ("fortinet", "fortios")
        );
        assert_eq!(
            t.platform,
            Some(("fortinet".into(), "fortigate-60f".into()))
        );
        let y = target(&asset("YAMAHA", "RTX1210", "", "Rev.14.01.33")).unwrap();
        assert_eq!(y.product, "rtx1210_firmware");
        assert_eq!(y.platform, Some(("yamaha".into(), "rtx1210".into())));
        let p = target(&asset(
            "Pulse Secure",
            "PSA3000",
            "Pulse Connect Secure",
            "9.0R3.3",
        ))
        .unwrap();
        assert_eq!(p.product, "connect_secure");
        assert!(
            target(&asset(
                "富士通",
                "PRIMERGY TX1320 M5",
                "Windows Server 2019 Standard",
                "1809"
            ))
            .is_none(),
            "a release name is not a build: not matched (the page says to write the build)"
        );
        let w = target(&asset(
            "富士通",
            "PRIMERGY TX1320 M5",
            "Windows Server 2019 Standard",
            "10.0.17763.5458",
        ))
        .unwrap();
        assert_eq!(
            (w.product.as_str(), w.kev_only),
            ("windows_server_2019", true)
        );
        let pc = target(&asset(
            "NEC",
            "Mate",
            "Windows 11 Pro",
            "OS ビルド 22631.3880",
        ))
        .unwrap();
        assert_eq!(pc.product, "windows_11_23h2");
        assert!(
            target(&asset("NEC", "Mate", "Windows 11 Pro", "19045.4170")).is_none(),
            "a Windows 10 build on a ledger line that says 11: not guessed"
        );
        let ix = target(&asset("NEC", "UNIVERGE IX2106", "", "Ver.10.8.21")).unwrap();
        assert_eq!(
            (ix.product.as_str(), ix.platform.clone()),
            (
                "univerge_ix2106_firmware",
                Some(("nec".into(), "univerge_ix2106".into()))
            )
        );
        let v = crate::version::Version::parse(ix.scheme, "Ver.10.8.21").unwrap();
        let fixed = crate::version::Version::parse(ix.scheme, "10.10.11").unwrap();
        assert_eq!(v.compare(&fixed), Some(std::cmp::Ordering::Less));
        let ftd = target(&asset("Cisco", "Firepower 1010", "FTD", "7.2.5")).unwrap();
        assert_eq!(ftd.product, "firepower_threat_defense");
        let asa_ftd = target(&asset("Cisco", "ASA 5508-X", "FTD", "7.0.1")).unwrap();
        assert_eq!(asa_ftd.product, "firepower_threat_defense");
        let asa = target(&asset("Cisco", "ASA 5506-X", "ASA", "9.16(4)42")).unwrap();
        assert_eq!(asa.product, "adaptive_security_appliance_software");
    }
}
