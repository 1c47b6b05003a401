//! The demo clinic: a realistic 19-bed clinic with the weaknesses Japanese incident reports
//! describe (an always-on vendor VPN, backups on reachable network storage). It is seeded
//! through the same services as user data, so its audit chain verifies like any other.

use domain::RemoteMaintenance::{No, Unknown, Yes};
use domain::connection::{Authentication, Availability, ConnectionKind, SourceRestriction};
use domain::facility::FacilityRef;
use domain::segment::{Flow, NewSegment, Zone};
use domain::{
    Actor, AssetKind, Clock, Email, Entropy, FacilityKind, Membership, NewAsset, NewFacility,
    Prefecture, Role,
};
use domain::{Date, NewConnectionPoint, NewVendor};
use store::{Error, Store};

pub const SHORT_NAME: &str = "demo";
/// The demo director's sign-in. Printed by `mamori demo`; the demo database is its own file.
pub const DIRECTOR_EMAIL: &str = "director@demo.mamori.example";
pub const DIRECTOR_PASSWORD: &str = "Demo-Inchou-2026!";
const EHR_VENDOR: &str = "株式会社さくらメディカルシステム";

pub struct Seeded {
    pub created: bool,
    /// The demo director's second-factor secret, printed for the demo only.
    pub totp_secret: Vec<u8>,
}

/// Seeds the demo clinic and its director unless they exist.
pub async fn seed(
    store: &Store,
    clock: &dyn Clock,
    entropy: &dyn Entropy,
) -> Result<Seeded, Error> {
    let short = domain::ShortName::parse(SHORT_NAME)?;
    let created = match store.facility(&FacilityRef::Short(short)).await {
        Ok(_) => false,
        Err(Error::NotFound { .. }) => {
            seed_clinic(store, clock).await?;
            seed_feeds(store, clock).await?;
            true
        }
        Err(e) => return Err(e),
    };
    let totp_secret = seed_director(store, clock, entropy).await?;
    Ok(Seeded {
        created,
        totp_secret,
    })
}

/// The demo director with a second factor already set up.
async fn seed_director(
    store: &Store,
    clock: &dyn Clock,
    entropy: &dyn Entropy,
) -> Result<Vec<u8>, Error> {
    let email = Email::parse(DIRECTOR_EMAIL)?;
    if let Some(creds) = store.credentials(&email).await?
        && let Some(secret) = creds.totp_secret.filter(|_| creds.user.totp_enrolled)
    {
        return Ok(secret);
    }
    let short = domain::ShortName::parse(SHORT_NAME)?;
    let facility = store.facility(&FacilityRef::Short(short)).await?;
    let actor = Actor::System("demo".into());
    let hash = service::auth::hash_password(DIRECTOR_PASSWORD, entropy).map_err(Error::Database)?;
    let user = match store.user_by_email(&email).await? {
        Some(u) => u,
        None => {
            store
                .add_user(&actor, &email, Some("まもり 院長"), &hash, clock.now())
                .await?
        }
    };
    let m = Membership {
        user: user.id,
        facility: facility.id,
        role: Role::Director,
        vendor_name: None,
        expires_at: None,
    };
    store.set_membership(&actor, &m, clock.now()).await?;
    let secret = service::auth::new_totp_secret(entropy);
    store.start_totp(&user, &secret, clock.now()).await?;
    store.confirm_totp(&user, 0, &[], clock.now()).await?;
    Ok(secret)
}

async fn seed_clinic(store: &Store, clock: &dyn Clock) -> Result<(), Error> {
    let actor = Actor::System("demo".into());
    let new = NewFacility::new(
        SHORT_NAME,
        "医療法人 守り会 まもり内科クリニック",
        FacilityKind::Clinic,
        Some(19),
        Some(Prefecture::parse("徳島県")?),
    )?;
    let facility = store.add_facility(&actor, new, clock.now()).await?;
    let scope = store.scope(&FacilityRef::Id(facility.id)).await?;
    let mut added = Vec::new();
    for asset in assets()? {
        added.push(store.add_asset(&scope, &actor, asset, clock.now()).await?);
    }
    let id_of = |name: &str| {
        added
            .iter()
            .find(|a| a.details.name.starts_with(name))
            .map(|a| a.id)
    };
    // The reception PC's programs, as its uninstall list gives them: a remote-support tool
    // a vendor once installed, which nobody registered as a way in.
    if let Some(pc) = id_of("受付PC") {
        let programs = [
            ("TeamViewer", "15.51.5", "TeamViewer Germany GmbH"),
            ("Microsoft Edge", "131.0.2903.86", "Microsoft Corporation"),
            ("電子カルテ クライアント", "5.2.1", EHR_VENDOR),
        ];
        let items = programs
            .iter()
            .map(|(n, v, p)| domain::software::Installed::new(n, Some(v), Some(p)))
            .collect::<Result<Vec<_>, _>>()?;
        store
            .replace_software(
                &scope,
                &actor,
                clock.now(),
                pc,
                &items,
                "demo: software.csv",
            )
            .await?;
    }
    let mut ehr = NewVendor::new(EHR_VENDOR)?;
    ehr.phone_24h = Some("0120-000-110(24時間)".into());
    ehr.contact = Some("保守部 田中".into());
    ehr.contract =
        Some("電子カルテ保守契約(年間)。VPN装置の設定と更新は業者、院内LANは医院。".into());
    store.add_vendor(&scope, &actor, ehr, clock.now()).await?;
    let mut orca = NewVendor::new("日医IT認定サポート事業所 とくしまORCAサポート")?;
    orca.phone_24h = Some("088-000-0000(平日9〜18時のみ)".into());
    store.add_vendor(&scope, &actor, orca, clock.now()).await?;

    let mut vpn = NewConnectionPoint::new(
        "電子カルテ業者のリモート保守(SSL-VPN)",
        ConnectionKind::VendorRemote,
    )?;
    vpn.asset = id_of("FortiGate");
    vpn.vendor = Some(EHR_VENDOR.into());
    vpn.availability = Availability::AlwaysOn;
    vpn.authentication = Authentication::SharedPassword;
    vpn.source_restriction = SourceRestriction::No;
    vpn.credentials_changed_on =
        Some(Date::new(2019, 4, 1).map_err(|_| Error::Database("demo date".into()))?);
    vpn.reachable_segments = vec!["診療系".into()];
    vpn.contract_notes =
        Some("保守契約 第8条: VPN装置は業者が設定・管理。アカウントは業者の保守員で共用。".into());
    let vpn = store
        .add_connection_point(&scope, &actor, vpn, clock.now())
        .await?;
    seed_accounts(store, clock, &scope, &added, vpn.id.0).await?;
    let mut oqs = NewConnectionPoint::new(
        "オンライン資格確認の回線(IP-VPN)",
        ConnectionKind::OnlineEligibility,
    )?;
    oqs.asset = id_of("オンライン資格確認端末");
    oqs.vendor = Some("株式会社とくしまシステム".into());
    oqs.availability = Availability::AlwaysOn;
    oqs.authentication = Authentication::Certificate;
    oqs.source_restriction = SourceRestriction::Yes;
    oqs.sources = Some("オンライン資格確認等システムの閉域網のみ".into());
    oqs.reachable_segments = vec!["業務系".into()];
    store
        .add_connection_point(&scope, &actor, oqs, clock.now())
        .await?;
    let mut ids = Vec::new();
    for (name, zone) in [
        ("診療系", Zone::Clinical),
        ("業務系", Zone::Business),
        ("保守用", Zone::Maintenance),
    ] {
        ids.push(
            store
                .add_segment(&scope, &actor, NewSegment::new(name, zone)?, clock.now())
                .await?
                .id,
        );
    }
    let flows = [
        (1, 0, "電子カルテの閲覧・入力"),
        (2, 0, "業者のリモート保守(常時)"),
    ];
    for (from, to, note) in flows {
        let flow = Flow {
            from: ids[from],
            to: ids[to],
            note: Some(note.into()),
        };
        store.add_flow(&scope, &actor, flow, clock.now()).await?;
    }
    seed_backups(store, clock, &scope, &added).await?;
    // The contact chart as a clinic starts it: the people inside; the offices to report to
    // are left for the director to look up (the page and the printout say so).
    use domain::incident::{ContactRole, NewContact};
    let contacts = [
        (ContactRole::Director, "院長 守 一郎", "090-0000-0001"),
        (ContactRole::Manager, "事務長 佐藤 花子", "090-0000-0002"),
        (
            ContactRole::NursingHead,
            "看護師長 鈴木 恵",
            "090-0000-0003",
        ),
    ];
    for (role, name, phone) in contacts {
        let c = NewContact::new(role, name, Some(phone))?;
        store.add_contact(&scope, &actor, clock.now(), &c).await?;
    }
    Ok(())
}

/// The backups of a clinic like those attacked: the EHR copied every night to a NAS in its
/// own segment and every week to a USB disk that is unplugged and kept in the office; the
/// レセコン only to the same NAS; no restore ever tried.
async fn seed_backups(
    store: &Store,
    clock: &dyn Clock,
    scope: &store::FacilityScope,
    added: &[domain::Asset],
) -> Result<(), Error> {
    use domain::backup::{Goal, Link, Medium, NewCopy, Place};
    let actor = Actor::System("demo".into());
    let id_of = |name: &str| {
        added
            .iter()
            .find(|a| a.details.name.starts_with(name))
            .map(|a| a.id)
    };
    let (Some(ehr), Some(orca), Some(nas)) = (
        id_of("電子カルテサーバ"),
        id_of("レセコン"),
        id_of("バックアップ用NAS"),
    ) else {
        return Ok(());
    };
    let today = Date::in_japan(clock.now());
    let days_ago = |n: i64| Some(Date::from_days(today.days() - n));
    let nightly = NewCopy {
        system: ehr,
        medium: Medium::Nas,
        place: Place::SameRoom,
        link: Link::Always,
        immutable: false,
        admin_can_delete: Some(true),
        holder: Some(nas),
        every_days: Some(1),
        generations: Some(14),
        encrypted: Some(false),
        last_success: days_ago(1),
        note: Some("電子カルテの自動バックアップ(毎晩 2 時)".into()),
    };
    let usb = NewCopy {
        medium: Medium::ExternalDisk,
        place: Place::OnSite,
        link: Link::Offline,
        admin_can_delete: None,
        holder: None,
        every_days: Some(7),
        generations: Some(2),
        encrypted: Some(true),
        last_success: days_ago(3),
        note: Some("金曜の夕方に事務長がつなぎ、終わったら外して事務室の金庫へ".into()),
        ..nightly.clone()
    };
    let orca_nas = NewCopy {
        system: orca,
        every_days: Some(1),
        generations: Some(7),
        note: Some("ORCA の日次バックアップ".into()),
        ..nightly.clone()
    };
    for copy in [nightly, usb, orca_nas] {
        store
            .add_backup_copy(scope, &actor, clock.now(), &copy)
            .await?;
    }
    let goal = Goal {
        rpo_hours: Some(24),
        rto_hours: Some(8),
    };
    store
        .set_backup_goal(scope, &actor, clock.now(), ehr, goal)
        .await?;
    Ok(())
}

/// The roster and three inventories with the Okayama shapes: a leaver still enabled, an
/// unused account, a shared ID, a vendor in Domain Admins, a PC where everyone is an
/// administrator, and a shared vendor VPN ID with its default password and no second factor.
/// Dates are counted back from today, so the demo reads the same any day.
async fn seed_accounts(
    store: &Store,
    clock: &dyn Clock,
    scope: &store::FacilityScope,
    added: &[domain::Asset],
    vpn: i64,
) -> Result<(), Error> {
    use domain::accounts::{Holder, StaffMember, SystemAccount, SystemRef};
    let actor = Actor::System("demo".into());
    let today = Date::in_japan(clock.now());
    let ago = |days: i64| Some(Date::from_days(today.days() - days));
    let mut roster = Vec::new();
    for (no, name, job, dept, left, logins) in [
        ("001", "山田 太郎", "医師(院長)", "内科", None, "yamada"),
        ("002", "佐藤 花子", "看護師", "外来", None, "sato"),
        ("003", "高橋 美咲", "看護師", "外来", None, "takahashi"),
        ("004", "鈴木 一郎", "医事", "受付", ago(250), "suzuki"),
        ("005", "田中 由美", "医事", "受付", None, "tanaka"),
        (
            "006",
            "伊藤 健",
            "事務長(システム担当)",
            "事務",
            None,
            "ito",
        ),
    ] {
        let mut m = StaffMember::new(Some(no), name, job, Some(dept))?;
        m.left = left;
        m.started = ago(3000);
        m.logins = vec![logins.to_string()];
        roster.push(m);
    }
    store
        .replace_roster(scope, &actor, clock.now(), &roster, "demo: 職員名簿.xlsx")
        .await?;
    let acct =
        |name: &str, admin: bool, enabled: bool, last: i64| -> Result<SystemAccount, Error> {
            Ok(SystemAccount {
                admin,
                enabled: Some(enabled),
                last_logon: ago(last),
                password_set: ago(last + 30),
                ..SystemAccount::named(name)?
            })
        };
    let device = |name: &str| {
        added
            .iter()
            .find(|a| a.details.name.starts_with(name))
            .map(|a| SystemRef::Device(a.id.0))
    };
    if let Some(pc) = device("受付PC") {
        let list = vec![
            acct("Administrator", true, false, 900)?,
            acct("uketsuke", true, true, 0)?,
            acct("suzuki", true, true, 20)?,
            acct("tanaka", true, true, 1)?,
            acct("ito", true, true, 3)?,
        ];
        store
            .replace_accounts(
                scope,
                &actor,
                clock.now(),
                pc,
                &list,
                // Windows' defaults: any length, a change every 42 days, never locks.
                Some(&domain::accounts::PasswordPolicy {
                    min_length: 0,
                    max_age_days: Some(42),
                    lockout_threshold: None,
                }),
                "demo: net user, net localgroup administrators, net accounts",
            )
            .await?;
    }
    if let Some(ehr) = device("電子カルテサーバ") {
        let mut vendor = acct("sakura-hoshu", true, true, 12)?;
        vendor.domain_admin = true;
        vendor.holder = Some(Holder::Vendor);
        let mut ito = acct("ito", true, true, 2)?;
        ito.domain_admin = true;
        let list = vec![
            acct("yamada", false, true, 0)?,
            acct("sato", false, true, 1)?,
            acct("takahashi", false, true, 200)?,
            acct("tanaka", false, true, 1)?,
            ito,
            acct("nurse", false, true, 0)?,
            vendor,
        ];
        store
            .replace_accounts(
                scope,
                &actor,
                clock.now(),
                ehr,
                &list,
                None,
                "demo: Get-ADUser.csv",
            )
            .await?;
    }
    let mut hoshu = acct("hoshu", false, true, 5)?;
    hoshu.two_factor = Some(false);
    hoshu.default_password = true;
    hoshu.holder = Some(Holder::Vendor);
    let mut guest = acct("guest", false, false, 900)?;
    guest.two_factor = Some(false);
    store
        .replace_accounts(
            scope,
            &actor,
            clock.now(),
            SystemRef::WayIn(vpn),
            &[hoshu, guest],
            None,
            "demo: show user local",
        )
        .await?;
    Ok(())
}

/// Real feed files for the demo (CISA KEV 2025.08.25, eight NVD records of the VPN
/// appliances in the Japanese incident reports and two known-exploited Windows records),
/// built into the binary so that the demo's vulnerability page has something to show without
/// a download.
const DEMO_KEV: &[u8] =
    include_bytes!("../../../testdata/vuln/kev/known_exploited_vulnerabilities.json");
const DEMO_NVD: [&[u8]; 10] = [
    include_bytes!("../../../testdata/vuln/nvd/CVE-2018-13379.json"),
    include_bytes!("../../../testdata/vuln/nvd/CVE-2019-11510.json"),
    include_bytes!("../../../testdata/vuln/nvd/CVE-2020-5548.json"),
    include_bytes!("../../../testdata/vuln/nvd/CVE-2022-42475.json"),
    include_bytes!("../../../testdata/vuln/nvd/CVE-2023-27997.json"),
    include_bytes!("../../../testdata/vuln/nvd/CVE-2023-4966.json"),
    include_bytes!("../../../testdata/vuln/nvd/CVE-2024-21762.json"),
    include_bytes!("../../../testdata/vuln/nvd/CVE-2025-5777.json"),
    include_bytes!("../../../testdata/graded/nvd/CVE-2023-28252.json"),
    include_bytes!("../../../testdata/graded/nvd/CVE-2024-21412.json"),
];

/// Imports the demo feeds through the same services as `mamori feeds import`, then
/// evaluates the demo clinic.
async fn seed_feeds(store: &Store, clock: &dyn Clock) -> Result<(), Error> {
    let actor = Actor::System("demo".into());
    let unreadable =
        |what: &str| Error::Database(format!("the demo's built-in {what} does not read"));
    let kev = ingest::kev::parse(DEMO_KEV).map_err(|_| unreadable("KEV catalog"))?;
    store
        .import_kev(
            &actor,
            &kev,
            "demo: known_exploited_vulnerabilities.json",
            clock.now(),
        )
        .await?;
    let mut records = Vec::new();
    for bytes in DEMO_NVD {
        let list = ingest::nvd::records(bytes).map_err(|_| unreadable("NVD record"))?;
        records.extend(list.into_iter().map(|(c, raw)| (c.id, raw)));
    }
    store
        .import_nvd(&actor, &records, "demo: NVD records", clock.now())
        .await?;
    let scope = store
        .scope(&FacilityRef::Short(domain::ShortName::parse(SHORT_NAME)?))
        .await?;
    service::vulns::reevaluate_settled(store, &scope, &actor, clock.now(), None, 3).await?;
    Ok(())
}

fn assets() -> Result<Vec<NewAsset>, domain::Error> {
    Ok(vec![
        NewAsset::new(AssetKind::Server, "電子カルテサーバ")?
            .segment("診療系")
            .role("電子カルテ")
            .location("2階 サーバ室")
            .ip("192.168.10.10")?
            .maker_model("富士通", "PRIMERGY TX1320 M5")
            .os("Windows Server 2019 Standard", "1809 (17763.5696)")
            .vendor(EHR_VENDOR, Yes)
            .notes("リモート保守は UTM の SSL-VPN 経由。院内の管理者アカウントは業者と共用。"),
        NewAsset::new(AssetKind::Server, "レセコン(ORCA)")?
            .segment("業務系")
            .role("レセコン")
            .location("1階 受付裏")
            .ip("192.168.10.11")?
            .maker_model("NEC", "Express5800/T110k")
            .os("Ubuntu", "22.04 LTS")
            .vendor("日医IT認定サポート事業所 とくしまORCAサポート", Yes),
        NewAsset::new(AssetKind::Pc, "受付PC")?
            .segment("業務系")
            .role("電子カルテ")
            .role("レセコン")
            .location("1階 受付")
            .ip("192.168.10.31")?
            .maker_model("NEC", "Mate MKM30B-9")
            .os("Windows 11 Pro", "23H2")
            .vendor(EHR_VENDOR, No),
        NewAsset::new(AssetKind::Pc, "診察室1 PC")?
            .segment("診療系")
            .role("電子カルテ")
            .location("1階 診察室1")
            .ip("192.168.10.32")?
            .maker_model("富士通", "ESPRIMO D7012/K")
            .os("Windows 11 Pro", "23H2 (OS ビルド 22631.4317)")
            .vendor(EHR_VENDOR, No),
        NewAsset::new(AssetKind::Pc, "診察室2 PC")?
            .segment("診療系")
            .role("電子カルテ")
            .location("1階 診察室2")
            .ip("192.168.10.33")?
            .maker_model("富士通", "ESPRIMO D7012/K")
            .os("Windows 10 Pro", "22H2 (OS ビルド 19045.5011)")
            .vendor(EHR_VENDOR, No)
            .notes("Windows 10 のサポートは 2025年10月14日で終了。"),
        NewAsset::new(AssetKind::Pc, "オンライン資格確認端末")?
            .segment("業務系")
            .role("オンライン資格確認")
            .location("1階 受付")
            .ip("192.168.10.40")?
            .maker_model("Dynabook", "Satellite B65/HV")
            .os("Windows 11 Pro", "23H2")
            .vendor("株式会社とくしまシステム", Unknown),
        NewAsset::new(AssetKind::Utm, "FortiGate(院内の出入口)")?
            .role("インターネット接続")
            .role("リモート保守")
            .location("2階 サーバ室")
            .ip("192.168.10.1")?
            .maker_model("Fortinet", "FortiGate-60F")
            .os("FortiOS", "v7.0.12,build0523 (GA)")
            .vendor(EHR_VENDOR, Yes)
            .notes("電子カルテ業者がリモート保守に使う SSL-VPN。常時接続。接続元の制限なし。パスワードは導入時から変更していない。"),
        NewAsset::new(AssetKind::Storage, "バックアップ用NAS")?
            .segment("診療系")
            .role("バックアップ")
            .location("2階 サーバ室")
            .ip("192.168.10.50")?
            .maker_model("Synology", "DS220+")
            .os("DSM", "7.1.1-42962 Update 6")
            .vendor(EHR_VENDOR, Unknown)
            .notes("電子カルテの毎日のバックアップ先。院内LANに常時接続、オフラインの複製はない。"),
        NewAsset::new(AssetKind::Pacs, "PACSビューア端末")?
            .segment("診療系")
            .role("PACS")
            .location("1階 X線室前")
            .ip("192.168.10.60")?
            .maker_model("コニカミノルタ", "I-PACS EX")
            .os("Windows 10 IoT Enterprise LTSC 2019", "1809 (17763.6414)")
            .vendor("コニカミノルタジャパン株式会社", Yes),
        NewAsset::new(AssetKind::Modality, "超音波診断装置")?
            .segment("診療系")
            .role("部門システム")
            .location("1階 検査室")
            .ip("192.168.10.71")?
            .maker_model("GEヘルスケア", "LOGIQ P9")
            .vendor("GEヘルスケア・ジャパン株式会社", No),
        NewAsset::new(AssetKind::Modality, "X線撮影装置(FPD)")?
            .segment("診療系")
            .role("部門システム")
            .location("1階 X線室")
            .ip("192.168.10.72")?
            .maker_model("富士フイルム", "FDR D-EVO III")
            .vendor("富士フイルムメディカル株式会社", Unknown),
        NewAsset::new(AssetKind::Cloud, "Web予約・問診サービス")?
            .role("予約")
            .maker_model("クラウド事業者", "Web予約")
            .vendor("株式会社よやくクラウド", No)
            .notes("患者の予約と事前問診。受付PCのブラウザから利用。"),
    ])
}
