//! Backups that survive ransomware. For each system care depends on (電子カルテ, レセコン,
//! PACS …): its copies, where they are kept and how they are connected, the restore goals
//! (RPO/RTO) and the restore drills; from these the 3-2-1-1-0 status in plain words and what
//! to do. At Osaka and elsewhere the backups sat on storage the encrypted servers could reach
//! and were encrypted too: a copy counts as offline only when nothing on the network can
//! reach it, and the ledger's network segments overrule what a form says.
//!
//! `manifest` holds the file-by-file SHA-256 verification of a backup directory.

pub mod manifest;

pub use manifest::*;

use serde::Serialize;

use crate::error::{Error, Field, Result, Rule};
use crate::{AssetId, AssetKind, Date, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CopyId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DrillId(pub i64);

/// Declares a choice of stable codes (stored, and the locale id `{prefix}-{code}`), parsed
/// from the code or from the Japanese words people write.
macro_rules! choice {
    ($(#[$m:meta])* $name:ident, $field:expr, { $($v:ident = $code:literal $(| $word:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code),+ }
            }

            pub fn parse(input: &str) -> Result<Self> {
                let s = input.trim();
                $(
                    if s.eq_ignore_ascii_case($code) $(|| s == $word)* {
                        return Ok($name::$v);
                    }
                )+
                Err(Error::invalid($field, input, Rule::UnknownChoice))
            }
        }
    };
}

choice!(
    /// What a copy is written on. Two copies on the same kind of medium share its failures.
    Medium, Field::BackupMedium, {
        Nas = "nas" | "NAS",
        ExternalDisk = "external-disk" | "外付けディスク" | "外付けHDD" | "USBディスク",
        Rdx = "rdx" | "RDX",
        Tape = "tape" | "テープ" | "LTO",
        Cloud = "cloud" | "クラウド",
        ServerDisk = "server-disk" | "サーバ内のディスク",
        Optical = "optical" | "光ディスク" | "DVD" | "BD",
        Other = "other" | "その他",
    }
);

choice!(
    /// Where a copy is kept: a fire or a flood takes what is in the same building.
    Place, Field::BackupPlace, {
        SameRoom = "same-room" | "同じ部屋",
        OnSite = "on-site" | "院内",
        OffSite = "off-site" | "院外",
        Cloud = "cloud" | "クラウド",
    }
);

choice!(
    /// How a copy is connected: MHLW's notice of 2022-11-10 asks that backup media be
    /// connected only while backing up or restoring.
    Link, Field::BackupLink, {
        Always = "always" | "常時接続",
        DuringJob = "during-job" | "バックアップ中だけ",
        Offline = "offline" | "切り離して保管",
    }
);

choice!(
    /// How a restore drill ended.
    DrillResult, Field::DrillResult, {
        Restored = "restored" | "復元できた",
        Partly = "partly" | "一部だけ",
        Failed = "failed" | "復元できなかった",
    }
);

/// One copy of a system's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCopy {
    /// The system whose data is copied (a device of the ledger).
    pub system: AssetId,
    pub medium: Medium,
    pub place: Place,
    pub link: Link,
    /// Object lock, WORM, an append-only server: nobody can change or delete it until its
    /// retention ends.
    pub immutable: bool,
    /// Whether a domain or administrator account can delete it (`None`: not known).
    pub admin_can_delete: Option<bool>,
    /// The ledger's device that holds the copy (the NAS), when it is one: its segment tells
    /// whether the system can reach it.
    pub holder: Option<AssetId>,
    /// Taken every this many days (1 = daily, 7 = weekly).
    pub every_days: Option<u32>,
    pub generations: Option<u32>,
    pub encrypted: Option<bool>,
    pub last_success: Option<Date>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Copy {
    pub id: CopyId,
    pub details: NewCopy,
}

/// A system's restore goals, in hours: how much data it may lose (RPO) and how long it may
/// be down (RTO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Goal {
    pub rpo_hours: Option<u32>,
    pub rto_hours: Option<u32>,
}

/// A restore drill: planned (no result yet) or done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDrill {
    pub system: AssetId,
    pub on: Date,
    /// What was restored (which copy, which data, where to).
    pub what: String,
    /// `None`: planned, not done yet.
    pub result: Option<DrillResult>,
    /// How long the restore took, in minutes.
    pub minutes: Option<u32>,
    pub problems: Option<String>,
    /// The restored files were compared with the manifest taken at backup time
    /// (`mamori backup verify`), not only looked at.
    pub verified: bool,
    /// The kept verification report (an evidence document's number).
    pub evidence: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drill {
    pub id: DrillId,
    pub details: NewDrill,
}

/// A number of a form (days, generations, minutes, hours): whole, 0 … `max`; empty is none.
pub fn number(field: Field, input: &str, max: u32) -> Result<Option<u32>> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let folded: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    match folded.parse::<u32>() {
        Ok(n) if n <= max => Ok(Some(n)),
        Ok(_) => Err(Error::invalid(field, input, Rule::TooLarge { max })),
        Err(_) => Err(Error::invalid(field, input, Rule::NotANumber)),
    }
}

impl NewDrill {
    pub fn new(system: AssetId, on: Date, what: &str) -> Result<Self> {
        Ok(NewDrill {
            system,
            on,
            what: text::required(Field::DrillWhat, what, 200)?,
            result: None,
            minutes: None,
            problems: None,
            verified: false,
            evidence: None,
        })
    }
}

/// Whether the facility should keep copies of a device: a server, a PACS, a cloud service
/// holding data care depends on. (A NAS is where copies go, not a system of its own.)
pub fn needs_backup(kind: AssetKind) -> bool {
    matches!(kind, AssetKind::Server | AssetKind::Pacs | AssetKind::Cloud)
}

/// Where the system and a copy's device sit on the network, from the ledger.
#[derive(Debug, Clone, Copy, Default)]
pub struct Network<'a> {
    /// The system's segment (ネットワーク区分).
    pub system: Option<&'a str>,
    /// The segment of the device that holds the copy, when it is a device of the ledger.
    pub holder: Option<&'a str>,
    /// A flow between the two segments is recorded (either way).
    pub flow: bool,
}

/// How an attacker on the system's network could reach a copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "via", rename_all = "kebab-case")]
pub enum Reach {
    /// Its device sits in the system's own segment.
    SameSegment { segment: String },
    /// Its device's segment and the system's exchange traffic.
    Flow { from: String, to: String },
    /// It is always connected (a share, a mounted disk).
    AlwaysConnected,
    /// A domain or administrator account can delete it.
    AdminCredentials,
}

/// Whether a copy survives an attacker holding the network and an administrator's password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reach", rename_all = "kebab-case")]
pub enum Exposure {
    /// Nobody can change or delete it until its retention ends.
    Immutable,
    /// Disconnected and kept apart.
    Offline,
    /// Connected only while a backup runs.
    DuringJob,
    Reachable(Reach),
}

impl Exposure {
    /// Counts as the "1" of 3-2-1-1-0 (offline, disconnected or immutable).
    pub fn protected(&self) -> bool {
        !matches!(self, Exposure::Reachable(_))
    }
}

/// What the network and the copy's own answers say. The ledger wins over the form: a copy
/// written "切り離して保管" on a NAS that the ledger puts in the system's segment is reachable.
pub fn exposure(copy: &NewCopy, net: Network<'_>) -> Exposure {
    if copy.immutable && copy.admin_can_delete != Some(true) {
        return Exposure::Immutable;
    }
    let on_network = match (net.system, net.holder) {
        (Some(s), Some(h)) if s == h => Some(Reach::SameSegment {
            segment: s.to_string(),
        }),
        (Some(s), Some(h)) if net.flow => Some(Reach::Flow {
            from: s.to_string(),
            to: h.to_string(),
        }),
        _ => None,
    };
    match copy.link {
        Link::Always => Exposure::Reachable(on_network.unwrap_or(Reach::AlwaysConnected)),
        // Written as kept apart, but the ledger has its device on the system's network.
        Link::Offline => on_network.map_or(Exposure::Offline, Exposure::Reachable),
        Link::DuringJob if copy.admin_can_delete == Some(true) => {
            Exposure::Reachable(Reach::AdminCredentials)
        }
        Link::DuringJob => Exposure::DuringJob,
    }
}

/// The five digits of 3-2-1-1-0, each kept or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule3210 {
    /// At least two copies besides the system's own data (three in all).
    pub three: bool,
    /// On at least two kinds of media.
    pub two: bool,
    /// At least one away from the building.
    pub one_off_site: bool,
    /// At least one offline, disconnected or immutable.
    pub one_offline: bool,
    /// A restore that worked, checked within the last 12 months.
    pub zero: bool,
}

impl Rule3210 {
    pub fn all(self) -> bool {
        self.three && self.two && self.one_off_site && self.one_offline && self.zero
    }
}

/// Something to fix about one system's backups, worst first (the order of the variants is
/// the rank).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Problem {
    /// Every copy can be reached from the network: ransomware encrypts them with the system.
    AllReachable { copies: usize },
    /// No copy is recorded.
    NoCopies,
    /// The last drill did not restore everything.
    DrillFailed { on: Date, result: DrillResult },
    /// A copy's last success is older than its schedule allows.
    Stale {
        copy: CopyId,
        last: Date,
        every_days: u32,
    },
    /// No restore has been tried (or none worked) within 12 months.
    NoDrill { last: Option<Date> },
    /// The last restore took longer than the system may be down.
    OverRto { minutes: u32, rto_hours: u32 },
    /// No copy is taken often enough for the data the system may lose.
    OverRpo { every_days: u32, rpo_hours: u32 },
    /// One copy reachable from the network (others are kept apart).
    Reachable { copy: CopyId, reach: Reach },
    /// Every copy is in the building.
    NoOffSite,
    /// Only one copy besides the system's own data.
    OneCopy,
    /// Every copy on the same kind of medium.
    OneMedium { medium: Medium },
    /// No day of last success recorded for a copy.
    NoLastSuccess { copy: CopyId },
    /// The restore goals are not set.
    NoGoal,
}

impl Problem {
    fn rank(&self) -> u8 {
        match self {
            Problem::AllReachable { .. } => 0,
            Problem::NoCopies => 1,
            Problem::DrillFailed { .. } => 2,
            Problem::Stale { .. } => 3,
            Problem::NoDrill { .. } => 4,
            Problem::OverRto { .. } => 5,
            Problem::OverRpo { .. } => 6,
            Problem::Reachable { .. } => 7,
            Problem::NoOffSite => 8,
            Problem::OneCopy => 9,
            Problem::OneMedium { .. } => 10,
            Problem::NoLastSuccess { .. } => 11,
            Problem::NoGoal => 12,
        }
    }

    /// Stable code; the locale ids are `backup-problem-{code}` and `backup-do-{code}`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::AllReachable { .. } => "all-reachable",
            Problem::NoCopies => "no-copies",
            Problem::DrillFailed { .. } => "drill-failed",
            Problem::Stale { .. } => "stale",
            Problem::NoDrill { .. } => "no-drill",
            Problem::OverRto { .. } => "over-rto",
            Problem::OverRpo { .. } => "over-rpo",
            Problem::Reachable { .. } => "reachable",
            Problem::NoOffSite => "no-off-site",
            Problem::OneCopy => "one-copy",
            Problem::OneMedium { .. } => "one-medium",
            Problem::NoLastSuccess { .. } => "no-last-success",
            Problem::NoGoal => "no-goal",
        }
    }

    /// Belongs in 今すぐやること: the backups would be lost with the system.
    pub fn urgent(&self) -> bool {
        matches!(self, Problem::AllReachable { .. })
    }
}

/// A drill counts for the "0" for this long.
pub const DRILL_VALID_DAYS: i64 = 365;

/// One system's backups judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub rule: Rule3210,
    /// Each copy's exposure, in the order of the copies given.
    pub exposures: Vec<(CopyId, Exposure)>,
    /// The last drill done (planned ones left out).
    pub last_drill: Option<Drill>,
    /// The next planned drill from today on.
    pub next_drill: Option<Date>,
    pub problems: Vec<Problem>,
}

/// Judges one system's copies (each with where its device sits) and drills on `today`.
pub fn assess(
    copies: &[(Copy, Network<'_>)],
    drills: &[Drill],
    goal: Goal,
    today: Date,
) -> Assessment {
    let exposures: Vec<(CopyId, Exposure)> = copies
        .iter()
        .map(|(c, net)| (c.id, exposure(&c.details, *net)))
        .collect();
    let mut media: Vec<Medium> = copies.iter().map(|(c, _)| c.details.medium).collect();
    media.sort_by_key(|m| m.code());
    media.dedup();
    let done: Vec<&Drill> = {
        let mut d: Vec<&Drill> = drills
            .iter()
            .filter(|d| d.details.result.is_some() && d.details.on <= today)
            .collect();
        d.sort_by_key(|d| (d.details.on, d.id));
        d
    };
    let last_drill = done.last().map(|d| (*d).clone());
    let recent = |d: &Drill| today.days() - d.details.on.days() <= DRILL_VALID_DAYS;
    let last_good = done
        .iter()
        .rev()
        .find(|d| d.details.result == Some(DrillResult::Restored));
    let zero = match &last_drill {
        Some(d) => d.details.result == Some(DrillResult::Restored) && recent(d),
        None => false,
    };
    let rule = Rule3210 {
        three: copies.len() >= 2,
        two: media.len() >= 2,
        one_off_site: copies
            .iter()
            .any(|(c, _)| matches!(c.details.place, Place::OffSite | Place::Cloud)),
        one_offline: exposures.iter().any(|(_, e)| e.protected()),
        zero,
    };
    let next_drill = drills
        .iter()
        .filter(|d| d.details.result.is_none() && d.details.on >= today)
        .map(|d| d.details.on)
        .min();

    let mut problems = Vec::new();
    if copies.is_empty() {
        problems.push(Problem::NoCopies);
    } else {
        if !rule.one_offline {
            problems.push(Problem::AllReachable {
                copies: copies.len(),
            });
        } else {
            for (id, e) in &exposures {
                if let Exposure::Reachable(reach) = e {
                    problems.push(Problem::Reachable {
                        copy: *id,
                        reach: reach.clone(),
                    });
                }
            }
        }
        if !rule.one_off_site {
            problems.push(Problem::NoOffSite);
        }
        if !rule.three {
            problems.push(Problem::OneCopy);
        } else if !rule.two {
            problems.push(Problem::OneMedium { medium: media[0] });
        }
        for (c, _) in copies {
            match (c.details.last_success, c.details.every_days) {
                (Some(last), Some(every)) if every > 0 => {
                    // Late when more than one and a half intervals (and a day) have passed.
                    let allowed = i64::from(every) * 3 / 2 + 1;
                    if today.days() - last.days() > allowed {
                        problems.push(Problem::Stale {
                            copy: c.id,
                            last,
                            every_days: every,
                        });
                    }
                }
                (None, _) => problems.push(Problem::NoLastSuccess { copy: c.id }),
                _ => {}
            }
        }
        if let Some(rpo) = goal.rpo_hours {
            let most_often = copies
                .iter()
                .filter_map(|(c, _)| c.details.every_days)
                .min();
            if let Some(every) = most_often
                && u64::from(every) * 24 > u64::from(rpo)
            {
                problems.push(Problem::OverRpo {
                    every_days: every,
                    rpo_hours: rpo,
                });
            }
        }
    }
    match &last_drill {
        Some(d) if d.details.result != Some(DrillResult::Restored) => {
            problems.push(Problem::DrillFailed {
                on: d.details.on,
                result: d.details.result.unwrap_or(DrillResult::Failed),
            })
        }
        Some(d) if !recent(d) => problems.push(Problem::NoDrill {
            last: Some(d.details.on),
        }),
        Some(_) => {}
        None => problems.push(Problem::NoDrill { last: None }),
    }
    if let (Some(good), Some(rto)) = (last_good, goal.rto_hours)
        && let Some(minutes) = good.details.minutes
        && u64::from(minutes) > u64::from(rto) * 60
    {
        problems.push(Problem::OverRto {
            minutes,
            rto_hours: rto,
        });
    }
    if goal.rpo_hours.is_none() && goal.rto_hours.is_none() {
        problems.push(Problem::NoGoal);
    }
    problems.sort_by_key(Problem::rank);
    Assessment {
        rule,
        exposures,
        last_drill,
        next_drill,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn copy(id: i64, medium: Medium, place: Place, link: Link) -> Copy {
        Copy {
            id: CopyId(id),
            details: NewCopy {
                system: AssetId(1),
                medium,
                place,
                link,
                immutable: false,
                admin_can_delete: None,
                holder: None,
                every_days: Some(1),
                generations: Some(7),
                encrypted: None,
                last_success: Some(day(2026, 12, 3)),
                note: None,
            },
        }
    }

    fn drill(id: i64, on: Date, result: Option<DrillResult>, minutes: Option<u32>) -> Drill {
        Drill {
            id: DrillId(id),
            details: NewDrill {
                result,
                minutes,
                ..NewDrill::new(AssetId(1), on, "電子カルテのデータベース").unwrap()
            },
        }
    }

    const TODAY: (i32, u8, u8) = (2026, 12, 4);

    fn today() -> Date {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    fn same_segment() -> Network<'static> {
        Network {
            system: Some("診療系"),
            holder: Some("診療系"),
            flow: false,
        }
    }

    #[test]
    fn the_demo_clinic_nas_in_the_ehr_segment_and_a_weekly_usb_disk() {
        let mut nas = copy(1, Medium::Nas, Place::SameRoom, Link::Always);
        nas.details.holder = Some(AssetId(9));
        let mut usb = copy(2, Medium::ExternalDisk, Place::OnSite, Link::Offline);
        usb.details.every_days = Some(7);
        usb.details.last_success = Some(day(2026, 11, 30));
        let a = assess(
            &[(nas, same_segment()), (usb, Network::default())],
            &[],
            Goal {
                rpo_hours: Some(24),
                rto_hours: Some(4),
            },
            today(),
        );
        assert_eq!(
            a.rule,
            Rule3210 {
                three: true,
                two: true,
                one_off_site: false,
                one_offline: true,
                zero: false
            }
        );
        assert_eq!(
            a.exposures[0].1,
            Exposure::Reachable(Reach::SameSegment {
                segment: "診療系".into()
            })
        );
        assert_eq!(a.exposures[1].1, Exposure::Offline);
        let codes: Vec<&str> = a.problems.iter().map(Problem::code).collect();
        assert_eq!(codes, ["no-drill", "reachable", "no-off-site"]);
        assert!(!a.problems.iter().any(Problem::urgent));
    }

    #[test]
    fn a_nas_written_as_kept_apart_but_in_the_ledger_segment_is_reachable() {
        let mut nas = copy(1, Medium::Nas, Place::OnSite, Link::Offline);
        nas.details.holder = Some(AssetId(9));
        let a = assess(
            &[(nas.clone(), same_segment())],
            &[],
            Goal::default(),
            today(),
        );
        assert!(!a.rule.one_offline);
        assert_eq!(a.problems[0], Problem::AllReachable { copies: 1 });
        assert!(a.problems[0].urgent());
        // A flow between the segments reaches it as well.
        let net = Network {
            system: Some("診療系"),
            holder: Some("業務系"),
            flow: true,
        };
        assert!(matches!(
            exposure(&nas.details, net),
            Exposure::Reachable(Reach::Flow { .. })
        ));
        // Without a flow, a separate segment kept apart is offline.
        let apart = Network { flow: false, ..net };
        assert_eq!(exposure(&nas.details, apart), Exposure::Offline);
    }

    #[test]
    fn immutable_copies_count_unless_an_administrator_can_delete_them() {
        let mut cloud = copy(1, Medium::Cloud, Place::Cloud, Link::Always);
        cloud.details.immutable = true;
        assert_eq!(
            exposure(&cloud.details, Network::default()),
            Exposure::Immutable
        );
        cloud.details.admin_can_delete = Some(true);
        assert_eq!(
            exposure(&cloud.details, Network::default()),
            Exposure::Reachable(Reach::AlwaysConnected)
        );
        let mut job = copy(2, Medium::ExternalDisk, Place::OnSite, Link::DuringJob);
        assert_eq!(
            exposure(&job.details, Network::default()),
            Exposure::DuringJob
        );
        job.details.admin_can_delete = Some(true);
        assert_eq!(
            exposure(&job.details, Network::default()),
            Exposure::Reachable(Reach::AdminCredentials)
        );
    }

    #[test]
    fn all_five_digits_kept() {
        let nas = copy(1, Medium::Nas, Place::OnSite, Link::DuringJob);
        let mut cloud = copy(2, Medium::Cloud, Place::Cloud, Link::Always);
        cloud.details.immutable = true;
        let drills = [drill(
            1,
            day(2026, 6, 1),
            Some(DrillResult::Restored),
            Some(90),
        )];
        let a = assess(
            &[(nas, Network::default()), (cloud, Network::default())],
            &drills,
            Goal {
                rpo_hours: Some(24),
                rto_hours: Some(4),
            },
            today(),
        );
        assert!(a.rule.all(), "{a:?}");
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        assert_eq!(a.last_drill.map(|d| d.id), Some(DrillId(1)));
    }

    #[test]
    fn drills_age_fail_and_run_over_the_rto() {
        let c = [(
            copy(1, Medium::Nas, Place::OnSite, Link::DuringJob),
            Network::default(),
        )];
        let goal = Goal {
            rpo_hours: Some(24),
            rto_hours: Some(2),
        };
        // Older than 12 months: the "0" is lost.
        let old = [drill(
            1,
            day(2025, 12, 3),
            Some(DrillResult::Restored),
            None,
        )];
        let a = assess(&c, &old, goal, today());
        assert!(!a.rule.zero);
        assert!(a.problems.contains(&Problem::NoDrill {
            last: Some(day(2025, 12, 3))
        }));
        // Exactly 365 days ago still counts.
        let edge = [drill(
            1,
            day(2025, 12, 4),
            Some(DrillResult::Restored),
            None,
        )];
        assert!(assess(&c, &edge, goal, today()).rule.zero);
        // The newest done drill decides; a planned one does not count.
        let failed = [
            drill(1, day(2026, 5, 1), Some(DrillResult::Restored), Some(300)),
            drill(2, day(2026, 11, 1), Some(DrillResult::Partly), None),
            drill(3, day(2027, 1, 15), None, None),
        ];
        let a = assess(&c, &failed, goal, today());
        assert!(!a.rule.zero);
        assert_eq!(a.next_drill, Some(day(2027, 1, 15)));
        assert!(a.problems.contains(&Problem::DrillFailed {
            on: day(2026, 11, 1),
            result: DrillResult::Partly
        }));
        // The last restore that worked took 5 hours against 2.
        assert!(a.problems.contains(&Problem::OverRto {
            minutes: 300,
            rto_hours: 2
        }));
    }

    #[test]
    fn late_copies_and_a_schedule_slower_than_the_rpo() {
        let mut weekly = copy(1, Medium::ExternalDisk, Place::OffSite, Link::Offline);
        weekly.details.every_days = Some(7);
        // 7 days × 1.5 + 1 = 11 days allowed.
        weekly.details.last_success = Some(day(2026, 11, 23));
        let a = assess(
            &[(weekly.clone(), Network::default())],
            &[],
            Goal {
                rpo_hours: Some(24),
                rto_hours: None,
            },
            today(),
        );
        assert!(a.problems.contains(&Problem::OverRpo {
            every_days: 7,
            rpo_hours: 24
        }));
        assert!(!a.problems.iter().any(|p| p.code() == "stale"));
        weekly.details.last_success = Some(day(2026, 11, 22));
        let a = assess(
            &[(weekly, Network::default())],
            &[],
            Goal::default(),
            today(),
        );
        assert!(a.problems.iter().any(|p| p.code() == "stale"));
        assert!(a.problems.contains(&Problem::OneCopy));
        assert!(a.problems.contains(&Problem::NoGoal));
    }

    #[test]
    fn no_copies_and_one_medium() {
        let a = assess(&[], &[], Goal::default(), today());
        assert_eq!(a.problems[0], Problem::NoCopies);
        assert!(!a.rule.three && !a.rule.one_offline);
        let two_nas = [
            (
                copy(1, Medium::Nas, Place::OnSite, Link::DuringJob),
                Network::default(),
            ),
            (
                copy(2, Medium::Nas, Place::OffSite, Link::DuringJob),
                Network::default(),
            ),
        ];
        let a = assess(&two_nas, &[], Goal::default(), today());
        assert!(a.problems.contains(&Problem::OneMedium {
            medium: Medium::Nas
        }));
    }

    #[test]
    fn choices_read_codes_and_japanese_words() {
        assert_eq!(Medium::parse("外付けHDD"), Ok(Medium::ExternalDisk));
        assert_eq!(Medium::parse("NAS"), Ok(Medium::Nas));
        assert_eq!(Place::parse("院外"), Ok(Place::OffSite));
        assert_eq!(Link::parse("切り離して保管"), Ok(Link::Offline));
        assert!(Link::parse("たぶん").is_err());
        for m in Medium::ALL {
            assert_eq!(Medium::parse(m.code()), Ok(*m));
        }
        for r in DrillResult::ALL {
            assert_eq!(DrillResult::parse(r.code()), Ok(*r));
        }
        assert_eq!(number(Field::BackupEvery, "７", 366), Ok(Some(7)));
        assert_eq!(number(Field::BackupEvery, " ", 366), Ok(None));
        assert!(number(Field::BackupEvery, "毎日", 366).is_err());
        assert!(number(Field::BackupEvery, "400", 366).is_err());
        assert!(NewDrill::new(AssetId(1), today(), " ").is_err());
    }
}
