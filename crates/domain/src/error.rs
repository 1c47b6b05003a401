//! Domain errors. They name the field and the rule that failed, never a foreign type, so that
//! adapters can say in the user's language exactly what to change.

use std::fmt;

/// A field of user input. Its `id()` is the locale message id of the field's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ShortName,
    FacilityName,
    FacilityKind,
    Beds,
    Prefecture,
    RegionName,
    AssetName,
    AssetKind,
    IpAddress,
    RemoteMaintenance,
    Email,
    Password,
    Role,
    Code,
    MacAddress,
    Date,
    ConnectionName,
    ConnectionKind,
    Availability,
    Authentication,
    SourceRestriction,
    VendorName,
    /// A vendor's phone, contact person, contract or notes.
    VendorDetail,
    SegmentName,
    /// What a flow between two segments carries.
    FlowNote,
    SoftwareName,
    SoftwareVersion,
    SoftwarePublisher,
    /// Who did the monthly review (a kept review's sign-off).
    Reviewer,
    /// The sign-off's note.
    ReviewNote,
    /// A checklist item's answer (はい / いいえ / 対象外).
    ChecklistAnswer,
    /// The day a checklist item was checked (確認日).
    ChecklistCheckedOn,
    /// The target day of an いいえ (目標日).
    ChecklistTargetOn,
    ChecklistComment,
    /// The 医療情報システム安全管理責任者's name.
    SecurityOfficer,
    /// What an evidence document is (「辞令」, 「MDS/SDS」).
    EvidenceTitle,
    /// A record of Mamori's linked as evidence (a device, a way in, a finding, a review).
    EvidenceRecord,
    /// Why a linked record counts as evidence.
    EvidenceNote,
    /// The date a vendor gave on its returned 事業者確認用 sheet.
    VendorSheetOn,
    /// Why an evidence document is withdrawn.
    WithdrawReason,
    /// 職員番号 in the staff roster.
    StaffNo,
    /// A person's name in the staff roster.
    StaffName,
    /// 職種.
    StaffJob,
    StaffDepartment,
    /// 入職日.
    StaffStarted,
    /// 退職日.
    StaffLeft,
    /// An account's name in one of the facility's systems.
    AccountName,
    /// Whose an account is (職員 / 共用 / サービス / 業者 / 組込み).
    AccountHolder,
    /// A yes/no column of an account inventory (管理者権限, 有効, …).
    AccountFlag,
    /// An account's last sign-in or password date.
    AccountDate,
    /// A backup copy's medium (NAS, 外付けディスク, テープ, クラウド …).
    BackupMedium,
    /// Where a backup copy is kept (同じ部屋, 院内, 院外, クラウド).
    BackupPlace,
    /// How a backup copy is connected (常時接続, バックアップ中だけ, 切り離して保管).
    BackupLink,
    /// How often a copy is taken, in days.
    BackupEvery,
    /// How many generations a copy keeps.
    BackupGenerations,
    /// The last day a backup succeeded.
    BackupLastSuccess,
    /// A free-text note of a copy or a drill.
    BackupNote,
    /// The day of a restore drill.
    DrillDate,
    /// What a drill restored.
    DrillWhat,
    /// How long a drill's restore took, in minutes.
    DrillMinutes,
    /// How a drill ended.
    DrillResult,
    /// What went wrong in a drill, what to fix.
    DrillProblems,
    /// How many hours of data a system may lose (RPO).
    BackupRpo,
    /// How many hours a system may be down (RTO).
    BackupRto,
    /// Who a contact of the chart is (院長, 警察 …).
    ContactRole,
    /// A contact's name (a person or an office).
    ContactName,
    /// A contact's telephone number.
    ContactPhone,
    /// A note of a contact or of a step done.
    ContactNote,
    /// A section of the BCP the director writes.
    BcpSection,
    /// Who approved the BCP.
    BcpApprovedBy,
    /// When the BCP was approved.
    BcpApprovedOn,
    /// The department of a paper-operation plan.
    PaperDepartment,
    /// What the department does on paper.
    PaperProcedure,
    /// The forms a department keeps printed.
    PaperForms,
}

impl Field {
    pub fn id(self) -> &'static str {
        match self {
            Field::ShortName => "field-short-name",
            Field::FacilityName => "field-facility-name",
            Field::FacilityKind => "field-facility-kind",
            Field::Beds => "field-beds",
            Field::Prefecture => "field-prefecture",
            Field::RegionName => "field-region-name",
            Field::AssetName => "field-asset-name",
            Field::AssetKind => "field-asset-kind",
            Field::IpAddress => "field-ip-address",
            Field::RemoteMaintenance => "field-remote-maintenance",
            Field::Email => "field-email",
            Field::Password => "field-password",
            Field::Role => "field-role",
            Field::Code => "field-code",
            Field::MacAddress => "field-mac-address",
            Field::Date => "field-date",
            Field::ConnectionName => "field-connection-name",
            Field::ConnectionKind => "field-connection-kind",
            Field::Availability => "field-availability",
            Field::Authentication => "field-authentication",
            Field::SourceRestriction => "field-source-restriction",
            Field::VendorName => "field-vendor-name",
            Field::SegmentName => "field-segment-name",
            Field::VendorDetail => "field-vendor-detail",
            Field::FlowNote => "field-flow-note",
            Field::SoftwareName => "field-software-name",
            Field::SoftwareVersion => "field-software-version",
            Field::SoftwarePublisher => "field-software-publisher",
            Field::Reviewer => "field-reviewer",
            Field::ReviewNote => "field-review-note",
            Field::ChecklistAnswer => "field-checklist-answer",
            Field::ChecklistCheckedOn => "field-checklist-checked-on",
            Field::ChecklistTargetOn => "field-checklist-target-on",
            Field::ChecklistComment => "field-checklist-comment",
            Field::SecurityOfficer => "field-security-officer",
            Field::EvidenceTitle => "field-evidence-title",
            Field::EvidenceRecord => "field-evidence-record",
            Field::EvidenceNote => "field-evidence-note",
            Field::VendorSheetOn => "field-vendor-sheet-on",
            Field::WithdrawReason => "evidence-withdraw-reason",
            Field::StaffNo => "field-staff-no",
            Field::StaffName => "field-staff-name",
            Field::StaffJob => "field-staff-job",
            Field::StaffDepartment => "field-staff-department",
            Field::StaffStarted => "field-staff-started",
            Field::StaffLeft => "field-staff-left",
            Field::AccountName => "field-account-name",
            Field::AccountHolder => "field-account-holder",
            Field::AccountFlag => "field-account-flag",
            Field::AccountDate => "field-account-date",
            Field::BackupMedium => "field-backup-medium",
            Field::BackupPlace => "field-backup-place",
            Field::BackupLink => "field-backup-link",
            Field::BackupEvery => "field-backup-every",
            Field::BackupGenerations => "field-backup-generations",
            Field::BackupLastSuccess => "field-backup-last-success",
            Field::BackupNote => "field-backup-note",
            Field::DrillDate => "field-drill-date",
            Field::DrillWhat => "field-drill-what",
            Field::DrillMinutes => "field-drill-minutes",
            Field::DrillResult => "field-drill-result",
            Field::DrillProblems => "field-drill-problems",
            Field::BackupRpo => "field-backup-rpo",
            Field::BackupRto => "field-backup-rto",
            Field::ContactRole => "field-contact-role",
            Field::ContactName => "field-contact-name",
            Field::ContactPhone => "field-contact-phone",
            Field::ContactNote => "field-contact-note",
            Field::BcpSection => "field-bcp-section",
            Field::BcpApprovedBy => "field-bcp-approved-by",
            Field::BcpApprovedOn => "field-bcp-approved-on",
            Field::PaperDepartment => "field-paper-department",
            Field::PaperProcedure => "field-paper-procedure",
            Field::PaperForms => "field-paper-forms",
        }
    }
}

/// The rule a value broke. Its `id()` is the locale message id that explains the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Required,
    TooLong {
        max: usize,
    },
    ShortNameChars,
    NotANumber,
    HospitalBeds,
    ClinicBeds,
    PharmacyBeds,
    UnknownFacilityKind,
    UnknownPrefecture,
    UnknownAssetKind,
    NotAnIpAddress,
    UnknownRemoteMaintenance,
    NotAnEmail,
    WeakPassword,
    CommonPassword,
    PasswordHasFacilityName,
    UnknownRole,
    NotAMacAddress,
    NotADate,
    NoSuchDay,
    OutsideEra,
    UnknownChoice,
    /// The record is linked to the item already.
    AlreadyLinked,
    /// An answer against Mamori's view (はい where it found いいえ, or the reverse) needs its
    /// reason in the comment.
    OverrideNeedsReason,
    /// A control character (an escape sequence, a NUL) or a direction override.
    ControlCharacter,
    /// A day outside the fiscal year (April `year` to March `year + 1`).
    OutsideFiscalYear {
        year: i32,
    },
    /// A day after today.
    InTheFuture,
    /// A target day before the day the item was checked.
    BeforeCheckedOn,
    /// A day before `since` (a check older than the fiscal year before the checklist's).
    TooLongAgo {
        since: crate::Date,
    },
    /// A number above `max`.
    TooLarge {
        max: u32,
    },
    /// A day after today for something done (it may be planned instead).
    DoneInTheFuture,
    /// Not a telephone number (digits, hyphens, parentheses, + and #).
    NotAPhoneNumber,
    /// A checklist of a fiscal year that has ended: kept as it was, no more answers.
    FiscalYearEnded {
        year: i32,
    },
}

impl Rule {
    pub fn id(&self) -> &'static str {
        match self {
            Rule::Required => "rule-required",
            Rule::TooLong { .. } => "rule-too-long",
            Rule::ShortNameChars => "rule-short-name-chars",
            Rule::NotANumber => "rule-not-a-number",
            Rule::TooLarge { .. } => "rule-too-large",
            Rule::DoneInTheFuture => "rule-done-in-the-future",
            Rule::NotAPhoneNumber => "rule-not-a-phone-number",
            Rule::FiscalYearEnded { .. } => "rule-fiscal-year-ended",
            Rule::HospitalBeds => "rule-hospital-beds",
            Rule::ClinicBeds => "rule-clinic-beds",
            Rule::PharmacyBeds => "rule-pharmacy-beds",
            Rule::UnknownFacilityKind => "rule-unknown-facility-kind",
            Rule::UnknownPrefecture => "rule-unknown-prefecture",
            Rule::UnknownAssetKind => "rule-unknown-asset-kind",
            Rule::NotAnIpAddress => "rule-not-an-ip-address",
            Rule::UnknownRemoteMaintenance => "rule-unknown-remote-maintenance",
            Rule::NotAnEmail => "rule-not-an-email",
            Rule::WeakPassword => "rule-weak-password",
            Rule::CommonPassword => "rule-common-password",
            Rule::PasswordHasFacilityName => "rule-password-has-facility-name",
            Rule::UnknownRole => "rule-unknown-role",
            Rule::NotAMacAddress => "rule-not-a-mac-address",
            Rule::NotADate => "rule-not-a-date",
            Rule::NoSuchDay => "rule-no-such-day",
            Rule::OutsideEra => "rule-outside-era",
            Rule::UnknownChoice => "rule-unknown-choice",
            Rule::AlreadyLinked => "rule-already-linked",
            Rule::OverrideNeedsReason => "rule-override-needs-reason",
            Rule::ControlCharacter => "rule-control-character",
            Rule::OutsideFiscalYear { .. } => "rule-outside-fiscal-year",
            Rule::InTheFuture => "rule-in-the-future",
            Rule::BeforeCheckedOn => "rule-before-checked-on",
            Rule::TooLongAgo { .. } => "rule-too-long-ago",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `value` is what the user gave, kept so that the message can quote it back.
    #[error("{}: {value:?} breaks {}", field.id(), rule.id())]
    Invalid {
        field: Field,
        value: String,
        rule: Rule,
    },
}

impl Error {
    pub fn invalid(field: Field, value: impl fmt::Display, rule: Rule) -> Self {
        Error::Invalid {
            field,
            value: value.to_string(),
            rule,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
