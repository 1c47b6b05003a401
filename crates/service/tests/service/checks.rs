//! Every device is checked or named as not checked with why; a person binds a product once
//! for a maker and model, and a typo is refused by name.

use domain::facility::FacilityRef;
use domain::identify::{Check, How, Reason};
use domain::{Actor, AssetKind, FacilityKind, NewAsset, NewFacility};
use service::vulns::{self, BindError};
use store::{FacilityScope, Store};
use testkit::{T0, each_backend, open_store};

fn actor() -> Actor {
    Actor::Cli("t".into())
}

/// A NVD record naming one product, affected below `fixed`.
fn record(id: &str, vendor: &str, product: &str, fixed: &str) -> (String, String) {
    let json = serde_json::json!({
        "id": id,
        "lastModified": "2025-01-01T00:00:00.000",
        "descriptions": [{"lang": "en", "value": "x"}],
        "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [{
            "vulnerable": true,
            "criteria": format!("cpe:2.3:o:{vendor}:{product}:*:*:*:*:*:*:*:*"),
            "versionEndExcluding": fixed,
            "matchCriteriaId": "00000000-0000-0000-0000-000000000000"
        }]}]}]
    });
    (id.to_string(), json.to_string())
}

async fn clinic(s: &Store) -> FacilityScope {
    let f = NewFacility::new("c", "診療所", FacilityKind::Clinic, None, None).unwrap();
    let f = s.add_facility(&actor(), f, T0).await.unwrap();
    let scope = s.scope(&FacilityRef::Id(f.id)).await.unwrap();
    let devices = [
        NewAsset::new(AssetKind::Storage, "NAS")
            .unwrap()
            .maker_model("ＱＮＡＰ", "TS-453D")
            .os("QTS", "5.1.0.2444 build 20230629"),
        NewAsset::new(AssetKind::NetworkDevice, "ルータ")
            .unwrap()
            .maker_model("Zyxel", "USG FLEX")
            .os("", "V5.36(ABUH.0)"),
        NewAsset::new(AssetKind::Modality, "超音波")
            .unwrap()
            .maker_model("GEヘルスケア", "LOGIQ P9"),
        NewAsset::new(AssetKind::Cloud, "予約").unwrap(),
        NewAsset::new(AssetKind::Pc, "受付PC")
            .unwrap()
            .maker_model("NEC", "Mate")
            .os("Windows 11 Pro", "23H2"),
    ];
    for a in devices {
        s.add_asset(&scope, &actor(), a, T0).await.unwrap();
    }
    scope
}

fn state(checks: &[(domain::AssetId, Check)]) -> Vec<String> {
    checks
        .iter()
        .map(|(_, c)| match c {
            Check::Checked { product, how } => format!("{product} {}", how.code()),
            Check::NotChecked { reason, candidates } => {
                format!("{} {}", reason.code(), candidates.join(","))
            }
        })
        .collect()
}

#[tokio::test]
async fn every_device_is_checked_or_named_and_a_binding_applies_once() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let scope = clinic(&s).await;
        let records = [
            record("CVE-2099-0001", "qnap", "qts", "5.1.1"),
            record("CVE-2099-0002", "zyxel", "usg_flex_100_firmware", "5.37"),
            record("CVE-2099-0003", "zyxel", "usg_flex_200_firmware", "5.37"),
        ];
        s.import_nvd(&actor(), &records, "t.json", T0)
            .await
            .unwrap();
        vulns::reevaluate_settled(&s, &scope, &actor(), T0, None, 3)
            .await
            .unwrap();
        let assets = s.assets(&scope).await.unwrap();
        let view = vulns::view(&s, &scope, &assets, T0, None).await.unwrap();
        assert_eq!(
            state(&view.checks),
            [
                "qnap:qts catalogue",
                "unknown-product zyxel:usg_flex_100_firmware,zyxel:usg_flex_200_firmware",
                "unknown-product ",
                "cloud ",
                "unreadable-version ",
            ],
            "{}",
            db.backend
        );
        assert_eq!(view.checked_count(), (1, 5));
        let nas_findings: Vec<&str> = view.findings.iter().map(|f| f.cve.as_str()).collect();
        assert_eq!(nas_findings, ["CVE-2099-0001"], "5.1.0.2444 < 5.1.1");

        // A typo is refused with the close names; nothing is bound.
        let router = &assets[1];
        let e = vulns::bind_product(
            &s,
            &scope,
            &actor(),
            T0,
            None,
            router,
            "zyxel:usg_flex_10_firmware",
        )
        .await
        .unwrap_err();
        match e {
            BindError::UnknownProduct { product, near } => {
                assert_eq!(product, "zyxel:usg_flex_10_firmware");
                assert_eq!(near.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            vulns::bind_product(&s, &scope, &actor(), T0, None, router, "usg flex").await,
            Err(BindError::NotAProduct(_))
        ));
        assert!(s.product_binding_list(&scope).await.unwrap().is_empty());
        // The person chooses: every ZYXEL USG FLEX of the facility is checked as it.
        let bound = vulns::bind_product(
            &s,
            &scope,
            &actor(),
            T0,
            None,
            router,
            "cpe:2.3:o:zyxel:usg_flex_100_firmware:*:*:*:*:*:*:*:*",
        )
        .await
        .unwrap();
        assert_eq!(bound, "zyxel:usg_flex_100_firmware");
        let twin = NewAsset::new(AssetKind::Firewall, "別棟ルータ")
            .unwrap()
            .maker_model("ZYXEL", "usg flex")
            .os("", "5.37");
        s.add_asset(&scope, &actor(), twin, T0).await.unwrap();
        vulns::reevaluate_settled(&s, &scope, &actor(), T0, None, 3)
            .await
            .unwrap();
        let assets = s.assets(&scope).await.unwrap();
        let view = vulns::view(&s, &scope, &assets, T0, None).await.unwrap();
        let states = state(&view.checks);
        assert_eq!(states[1], "zyxel:usg_flex_100_firmware binding");
        assert_eq!(
            states[5], "zyxel:usg_flex_100_firmware binding",
            "the same maker and model"
        );
        assert!(
            view.findings
                .iter()
                .any(|f| f.asset == assets[1].id && f.cve == "CVE-2099-0002")
        );
        assert!(
            !view.findings.iter().any(|f| f.asset == assets[5].id),
            "5.37 is fixed"
        );
        assert!(matches!(
            view.checks[1].1,
            Check::Checked {
                how: How::Binding,
                ..
            }
        ));
        let log = s
            .object_history(scope.facility(), "product_binding", "zyxel/usgflex")
            .await
            .unwrap();
        assert_eq!(
            log.len(),
            1,
            "the binding is in the audit chain ({})",
            db.backend
        );
        // A device retired leaves the list; one added before an evaluation reads as pending.
        let late = NewAsset::new(AssetKind::Pc, "新PC").unwrap();
        s.add_asset(&scope, &actor(), late, T0).await.unwrap();
        let assets = s.assets(&scope).await.unwrap();
        let view = vulns::view(&s, &scope, &assets, T0, None).await.unwrap();
        assert!(matches!(
            view.checks.last().map(|(_, c)| c),
            Some(Check::NotChecked {
                reason: Reason::Pending,
                ..
            })
        ));
    }
}

#[tokio::test]
async fn software_on_a_pc_is_judged_and_a_remote_tool_nobody_listed_is_a_way_in() {
    for db in each_backend().await {
        let s = open_store(&db).await;
        let scope = clinic(&s).await;
        s.import_nvd(
            &actor(),
            &[record(
                "CVE-2099-0100",
                "teamviewer",
                "teamviewer",
                "15.51.6",
            )],
            "t.json",
            T0,
        )
        .await
        .unwrap();
        let assets = s.assets(&scope).await.unwrap();
        let pc = assets.iter().find(|a| a.details.name == "受付PC").unwrap();
        let list = "#TYPE System.Management.Automation.PSCustomObject\r\n\
\"DisplayName\",\"DisplayVersion\",\"Publisher\",\"InstallLocation\"\r\n\
\"TeamViewer\",\"15.51.5\",\"TeamViewer\",\"C:\\\\Program Files\\\\TeamViewer\"\r\n\
\"電子カルテ クライアント\",\"5.2\",\"株式会社さくらメディカル\",\"\"\r\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(list);
        // A list with a broken line changes nothing.
        let broken = format!("DisplayName,DisplayVersion\nA,1\n{},2\n", "長".repeat(201));
        let e = service::software::import(
            &s,
            &scope,
            &actor(),
            T0,
            pc,
            (broken.as_bytes(), "b.csv"),
            false,
        )
        .await
        .unwrap_err();
        assert!(matches!(
            e,
            service::software::ImportError::Read(ingest::software::SoftwareProblem::Invalid {
                line: 3,
                ..
            })
        ));
        assert!(s.software(&scope, None).await.unwrap().is_empty());
        let done =
            service::software::import(&s, &scope, &actor(), T0, pc, (&sjis, "software.csv"), false)
                .await
                .unwrap();
        assert_eq!(done.list.items.len(), 2);
        assert_eq!(done.remote_tools, ["TeamViewer"]);
        vulns::reevaluate_settled(&s, &scope, &actor(), T0, None, 3)
            .await
            .unwrap();
        let view = vulns::view(&s, &scope, &assets, T0, None).await.unwrap();
        let found: Vec<(&str, i64)> = view
            .findings
            .iter()
            .map(|f| (f.cve.as_str(), f.asset.0))
            .collect();
        assert_eq!(found, [("CVE-2099-0100", pc.id.0)], "{}", db.backend);
        let tools = vulns::unlisted_tools(&s, &scope, &assets).await.unwrap();
        assert_eq!(tools.len(), 1);
        assert_eq!((tools[0].asset, tools[0].tool), (pc.id, "TeamViewer"));
    }
}
