//! Accounts in the facility's own systems (a PC's local users, the domain, the VPN, the EHR)
//! and the staff roster (職員名簿) they are checked against. These are not Mamori's users
//! (`user.rs`): those sign in to Mamori; these are the logins Mamori looks at.
//!
//! The checks follow what went wrong at Okayama (2024): a maintenance VPN with a guessable
//! shared ID, accounts of people long gone, every user an administrator. Each check is a pure
//! function of the roster, the inventories and today's date.

use std::collections::BTreeMap;

use crate::date::Date;
use crate::error::{Error, Field, Result, Rule};
use crate::text::{self, fold};

/// A person who works (or worked) at the facility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// 職員番号: tells apart two people of one name.
    pub staff_no: Option<String>,
    pub name: String,
    /// 職種 as written (医師, 看護師, 医事課, システム担当…).
    pub job: String,
    pub department: Option<String>,
    pub started: Option<Date>,
    pub left: Option<Date>,
    /// The person's login names in the facility's systems (`yamada`, `t.yamada`), if listed.
    pub logins: Vec<String>,
}

impl StaffMember {
    const MAX: usize = 100;

    pub fn new(
        staff_no: Option<&str>,
        name: &str,
        job: &str,
        department: Option<&str>,
    ) -> Result<Self> {
        Ok(StaffMember {
            staff_no: text::optional(Field::StaffNo, staff_no, 40)?,
            name: text::required(Field::StaffName, name, Self::MAX)?,
            job: text::required(Field::StaffJob, job, Self::MAX)?,
            department: text::optional(Field::StaffDepartment, department, Self::MAX)?,
            started: None,
            left: None,
            logins: Vec::new(),
        })
    }

    pub fn job_kind(&self) -> Job {
        Job::of(&self.job)
    }

    /// Whether the person had left by `today` (the leave date is their last day or before).
    pub fn has_left(&self, today: Date) -> bool {
        self.left.is_some_and(|l| l < today)
    }
}

/// The kind of work a 職種 names, for what rights it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Doctor,
    Nurse,
    Pharmacist,
    Technician,
    Clerk,
    /// システム担当・情報システム: the one job whose work needs administrator rights.
    Systems,
    /// 院長・事務長・理事長.
    Manager,
    Other,
}

/// Words of each job (folded, matched inside the written 職種). Data: extend freely.
const JOB_WORDS: &[(Job, &[&str])] = &[
    (
        Job::Systems,
        &[
            "システム",
            "情報システム",
            "医療情報技師",
            "情シス",
            "it",
            "ict",
            "dx",
            "system",
            "電算",
        ],
    ),
    (
        Job::Manager,
        &["院長", "理事長", "事務長", "管理者", "director", "manager"],
    ),
    (Job::Pharmacist, &["薬剤", "pharmac"]),
    (Job::Nurse, &["看護", "助産", "保健師", "nurse", "ナース"]),
    (
        Job::Technician,
        &[
            "技師",
            "技士",
            "療法士",
            "リハビリ",
            "栄養士",
            "歯科衛生",
            "technician",
            "therapist",
        ],
    ),
    (Job::Doctor, &["医師", "ドクター", "doctor", "physician"]),
    (
        Job::Clerk,
        &["事務", "医事", "受付", "会計", "clerk", "reception"],
    ),
];

impl Job {
    pub fn of(written: &str) -> Job {
        let f = fold(written);
        JOB_WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| contains_word(&f, w)))
            .map_or(Job::Other, |(j, _)| *j)
    }

    pub fn code(self) -> &'static str {
        match self {
            Job::Doctor => "doctor",
            Job::Nurse => "nurse",
            Job::Pharmacist => "pharmacist",
            Job::Technician => "technician",
            Job::Clerk => "clerk",
            Job::Systems => "systems",
            Job::Manager => "manager",
            Job::Other => "other",
        }
    }

    /// Whether the job's daily work needs administrator rights on a system.
    pub fn needs_admin(self) -> bool {
        matches!(self, Job::Systems)
    }
}

/// ASCII words match whole (`it` is not inside `edit`); Japanese words match inside.
fn contains_word(folded: &str, word: &str) -> bool {
    if word.is_ascii() {
        ascii_words(folded).any(|w| w == word || (word.len() > 4 && w.starts_with(word)))
    } else {
        folded.contains(word)
    }
}

/// The runs of ASCII letters and digits: `it担当` holds the word `it`.
fn ascii_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whose an account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holder {
    /// One person on the roster.
    Person,
    /// Several people sign in with it (「共用」, `nurse`, `uketsuke`).
    Shared,
    /// A program or job runs with it (backup, scanner, EHR service).
    Service,
    /// The maintenance company's.
    Vendor,
    /// Made by the system itself (Administrator, Guest, DefaultAccount, FortiGate's admin).
    BuiltIn,
    /// Nobody on the roster and no kind given: someone must say whose it is.
    Unknown,
}

impl Holder {
    pub const ALL: [Holder; 6] = [
        Holder::Person,
        Holder::Shared,
        Holder::Service,
        Holder::Vendor,
        Holder::BuiltIn,
        Holder::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Holder::Person => "person",
            Holder::Shared => "shared",
            Holder::Service => "service",
            Holder::Vendor => "vendor",
            Holder::BuiltIn => "builtin",
            Holder::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<Holder> {
        Holder::ALL.into_iter().find(|h| h.code() == code)
    }

    /// A 種別 typed in a template: Japanese or English.
    pub fn parse(input: &str) -> Result<Option<Holder>> {
        let f = fold(input.trim());
        if f.is_empty() {
            return Ok(None);
        }
        let h = match f.as_str() {
            "職員" | "個人" | "本人" | "person" | "staff" | "personal" => Holder::Person,
            "共用" | "共有" | "shared" | "common" => Holder::Shared,
            "サービス" | "システム用" | "service" => Holder::Service,
            "業者" | "事業者" | "保守" | "ベンダー" | "vendor" | "maintenance" => {
                Holder::Vendor
            }
            "組込み" | "組み込み" | "既定" | "builtin" | "built-in" | "default" => {
                Holder::BuiltIn
            }
            "不明" | "unknown" => Holder::Unknown,
            _ => {
                return Err(Error::invalid(
                    Field::AccountHolder,
                    input,
                    Rule::UnknownChoice,
                ));
            }
        };
        Ok(Some(h))
    }
}

/// One account of one system, as its inventory lists it plus what a person declared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SystemAccount {
    pub name: String,
    pub full_name: Option<String>,
    pub description: Option<String>,
    /// Whose it is, when the inventory or a person said so; otherwise worked out.
    pub holder: Option<Holder>,
    /// The roster person it belongs to (staff number or name), when given.
    pub person: Option<String>,
    pub admin: bool,
    /// In the domain's Domain Admins (or Enterprise Admins): every machine is theirs.
    pub domain_admin: bool,
    /// Its role in the system (「医師」, `super_admin`), as the system names it.
    pub role: Option<String>,
    /// `None` when the inventory does not say (`net user` lists names only).
    pub enabled: Option<bool>,
    pub last_logon: Option<Date>,
    pub password_set: Option<Date>,
    pub two_factor: Option<bool>,
    /// Declared by a person: the password is the maker's default. Mamori never stores passwords.
    pub default_password: bool,
    /// Declared by a person: the same password is used in other systems.
    pub reused_password: bool,
    /// The day the account stops working (`net user`'s アカウントの期限), if set.
    pub expires: Option<Date>,
}

impl SystemAccount {
    pub const MAX: usize = 200;

    pub fn named(name: &str) -> Result<Self> {
        Ok(SystemAccount {
            name: text::required(Field::AccountName, name, Self::MAX)?,
            ..SystemAccount::default()
        })
    }

    /// Enabled, or not known to be disabled.
    pub fn maybe_enabled(&self) -> bool {
        self.enabled != Some(false)
    }

    /// Usable on `today`: not disabled and not past its expiry.
    pub fn usable_on(&self, today: Date) -> bool {
        self.maybe_enabled() && self.expires.is_none_or(|e| e >= today)
    }
}

/// Names the system makes itself. Folded.
const BUILT_IN: &[&str] = &[
    "administrator",
    "guest",
    "defaultaccount",
    "wdagutilityaccount",
    "krbtgt",
    "admin",
    "root",
    "postgres",
    "sa",
];

/// Words of a shared login (folded, whole words of the name or its description).
const SHARED_WORDS: &[&str] = &[
    "共用",
    "共有",
    "shared",
    "common",
    "kyoyo",
    "kyouyou",
    "nurse",
    "ns",
    "staff",
    "user",
    "users",
    "uketsuke",
    "受付",
    "ope",
    "operator",
    "guest",
    "kango",
    "ika",
    "jimu",
    "clinic",
    "pc",
    "reception",
    "uketuke",
    "doctor",
    "kangoshi",
    "iji",
];

const SERVICE_WORDS: &[&str] = &[
    "svc",
    "service",
    "backup",
    "scan",
    "scanner",
    "sql",
    "iusr",
    "サービス",
    "バックアップ",
];

const VENDOR_WORDS: &[&str] = &[
    "vendor",
    "maint",
    "maintenance",
    "hoshu",
    "support",
    "保守",
    "業者",
    "サポート",
    "ベンダー",
];

/// The roster person an account is, if any: named by the inventory, listed among the
/// person's logins, or the account's full name is the person's name.
pub fn owner<'a>(account: &SystemAccount, roster: &'a [StaffMember]) -> Option<&'a StaffMember> {
    let squash = |s: &str| -> String { fold(s).chars().filter(|c| !c.is_whitespace()).collect() };
    if let Some(p) = &account.person {
        let p = squash(p);
        if let Some(m) = roster
            .iter()
            .find(|m| m.staff_no.as_deref().is_some_and(|n| squash(n) == p) || squash(&m.name) == p)
        {
            return Some(m);
        }
    }
    let login = fold(&account.name);
    if let Some(m) = roster
        .iter()
        .find(|m| m.logins.iter().any(|l| fold(l) == login))
    {
        return Some(m);
    }
    let full = account.full_name.as_deref().map(squash)?;
    if full.is_empty() {
        return None;
    }
    let mut same = roster.iter().filter(|m| squash(&m.name) == full);
    let first = same.next()?;
    // Two people of one name: the account must say which.
    same.next().is_none().then_some(first)
}

/// Whose the account is: what the inventory says, else a roster person, else its name.
pub fn holder(account: &SystemAccount, roster: &[StaffMember]) -> Holder {
    match account.holder {
        // A person's account whose person is not (or no longer) on the roster: whose is it?
        Some(Holder::Person) if owner(account, roster).is_none() => return Holder::Unknown,
        Some(h) => return h,
        None => {}
    }
    if owner(account, roster).is_some() {
        return Holder::Person;
    }
    let name = fold(&account.name);
    let bare = name.rsplit('\\').next().unwrap_or(&name);
    if BUILT_IN.contains(&bare) {
        return Holder::BuiltIn;
    }
    let text = format!(
        "{} {} {}",
        bare,
        fold(account.full_name.as_deref().unwrap_or("")),
        fold(account.description.as_deref().unwrap_or(""))
    );
    let has = |words: &[&str]| {
        words.iter().any(|w| {
            if w.is_ascii() {
                // `nurse01`, `pc-01`: the word with digits after it counts.
                // Digits after the word count: `nurse01`, `pc01`.
                ascii_words(&text).any(|t| {
                    t.strip_prefix(*w)
                        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
                })
            } else {
                text.contains(w)
            }
        })
    };
    if has(VENDOR_WORDS) {
        Holder::Vendor
    } else if has(SERVICE_WORDS) {
        Holder::Service
    } else if has(SHARED_WORDS) {
        Holder::Shared
    } else {
        Holder::Unknown
    }
}

/// A system whose accounts are checked: a device or a way in from outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SystemRef {
    Device(i64),
    WayIn(i64),
}

impl SystemRef {
    pub fn code(self) -> (&'static str, i64) {
        match self {
            SystemRef::Device(id) => ("device", id),
            SystemRef::WayIn(id) => ("way_in", id),
        }
    }
}

/// A system with its inventory, as the checks read it.
#[derive(Debug, Clone)]
pub struct Inventory {
    pub system: SystemRef,
    pub name: String,
    /// A way in from outside: every account on it needs a second factor.
    pub way_in: bool,
    /// A device the vendor maintains from outside: the vendor's accounts need a second factor.
    pub remote_maintained: bool,
    pub accounts: Vec<SystemAccount>,
    /// The system's password settings, when they were imported (`net accounts`).
    pub policy: Option<PasswordPolicy>,
}

/// A system's password settings, as `net accounts` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct PasswordPolicy {
    pub min_length: u32,
    /// Days before a password must change; `None`: never.
    pub max_age_days: Option<u32>,
    /// Failed sign-ins before the account locks; `None`: never locks.
    pub lockout_threshold: Option<u32>,
}

/// Characters from which the guideline (第6.0版 and later) asks no periodic change.
pub const LONG_PASSWORD: u32 = 13;

/// What the checks found wrong with one account or system.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// The person left on `left` and the account is still enabled (or was used after).
    /// A leaver's account, disabled now, was used after they left: someone may have been in.
    UsedAfterLeaving { person: String, left: Date },
    /// `known` false: the list does not say whether it is enabled (`net user` names only).
    Leaver {
        person: String,
        left: Date,
        known: bool,
    },
    /// A vendor in Domain Admins: one stolen password opens every machine.
    VendorDomainAdmin,
    /// The maker's default password, declared.
    DefaultPassword,
    /// An account used from outside (a way in, or a vendor's on a remotely maintained device)
    /// without a second factor (`recorded` false: nobody wrote whether).
    NoTwoFactor { recorded: bool },
    /// The same password as in other systems, declared.
    ReusedPassword,
    /// Administrator rights held by someone whose job does not need them.
    AdminWithoutNeed { person: String, job: String },
    /// Several people sign in with one ID: nobody can tell who did what.
    Shared,
    /// A vendor account enabled all the time, not only for maintenance.
    VendorAlwaysOn,
    /// Not used for `days` days (or never, since the password was set that long ago).
    Unused { days: i64 },
    /// Nobody on the roster and no kind: whose is it?
    UnknownHolder,
    /// The system accepts passwords shorter than 8 characters (2-⑦).
    ShortPasswords { min: u32 },
    /// Wrong passwords can be tried without end: the account never locks.
    NoLockout,
    /// Passwords under 13 characters that never have to change (2-⑦ asks one or the other).
    NeitherLongNorChanged { min: u32 },
}

impl Problem {
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Leaver { .. } => "leaver",
            Problem::UsedAfterLeaving { .. } => "used-after-leaving",
            Problem::VendorDomainAdmin => "vendor-domain-admin",
            Problem::DefaultPassword => "default-password",
            Problem::NoTwoFactor { .. } => "no-two-factor",
            Problem::ReusedPassword => "reused-password",
            Problem::AdminWithoutNeed { .. } => "admin-without-need",
            Problem::Shared => "shared",
            Problem::VendorAlwaysOn => "vendor-always-on",
            Problem::Unused { .. } => "unused",
            Problem::UnknownHolder => "unknown-holder",
            Problem::ShortPasswords { .. } => "short-passwords",
            Problem::NoLockout => "no-lockout",
            Problem::NeitherLongNorChanged { .. } => "neither-long-nor-changed",
        }
    }

    /// Whether it belongs among the overview's 今すぐやること: a way in for an attacker today.
    pub fn urgent(&self) -> bool {
        matches!(
            self,
            Problem::Leaver { .. }
                | Problem::UsedAfterLeaving { .. }
                | Problem::VendorDomainAdmin
                | Problem::DefaultPassword
                | Problem::NoTwoFactor { .. }
        )
    }
}

/// One problem of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFinding {
    pub system: SystemRef,
    pub system_name: String,
    pub account: String,
    pub problem: Problem,
}

/// A system's share of administrators (Okayama: 100 %).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemSummary {
    pub system: SystemRef,
    pub name: String,
    pub accounts: usize,
    pub enabled: usize,
    /// Enabled accounts with administrator rights (built-in ones not counted).
    pub admins: usize,
    /// Enabled accounts of people, shared IDs and vendors (what the share is taken of).
    pub users: usize,
    /// Every user an administrator, or at least half of three or more.
    pub too_many_admins: bool,
    /// Every usable account has a second factor, as its list or a person recorded (and there
    /// is at least one).
    pub all_two_factor: bool,
}

/// One person's accounts across the systems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSummary {
    pub name: String,
    pub job: String,
    pub left: Option<Date>,
    pub accounts: usize,
    pub systems: usize,
    pub admin: usize,
}

/// Everything the accounts page, the command and the checklist rules show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub findings: Vec<AccountFinding>,
    pub systems: Vec<SystemSummary>,
    pub people: Vec<PersonSummary>,
    /// Accounts checked (all systems).
    pub accounts: usize,
}

/// Days without a sign-in after which an enabled account counts as unused (setting).
pub const UNUSED_DAYS: i64 = 90;

pub fn review(
    roster: &[StaffMember],
    inventories: &[Inventory],
    today: Date,
    unused_days: i64,
) -> Review {
    let mut findings = Vec::new();
    let mut systems = Vec::new();
    let mut people: BTreeMap<(String, String), (usize, Vec<SystemRef>, usize)> = BTreeMap::new();
    let mut total = 0;
    for inv in inventories {
        let mut summary = SystemSummary {
            system: inv.system,
            name: inv.name.clone(),
            accounts: inv.accounts.len(),
            enabled: 0,
            admins: 0,
            users: 0,
            too_many_admins: false,
            all_two_factor: false,
        };
        for a in &inv.accounts {
            total += 1;
            let who = owner(a, roster);
            let holder = holder(a, roster);
            let mut found = |problem: Problem| {
                findings.push(AccountFinding {
                    system: inv.system,
                    system_name: inv.name.clone(),
                    account: a.name.clone(),
                    problem,
                })
            };
            if let Some(p) = who {
                let key = (p.name.clone(), p.staff_no.clone().unwrap_or_default());
                let e = people.entry(key).or_default();
                e.0 += 1;
                if !e.1.contains(&inv.system) {
                    e.1.push(inv.system);
                }
                if a.admin || a.domain_admin {
                    e.2 += 1;
                }
                if let Some(left) = p.left.filter(|_| p.has_left(today)) {
                    let used_after = a.last_logon.is_some_and(|l| l > left);
                    if a.enabled == Some(false) && used_after {
                        found(Problem::UsedAfterLeaving {
                            person: p.name.clone(),
                            left,
                        });
                    } else if a.usable_on(today) {
                        found(Problem::Leaver {
                            person: p.name.clone(),
                            left,
                            known: a.enabled == Some(true),
                        });
                    }
                }
            }
            if !a.usable_on(today) {
                continue;
            }
            summary.enabled += 1;
            let counts = !matches!(holder, Holder::BuiltIn | Holder::Service);
            if counts {
                summary.users += 1;
                if a.admin || a.domain_admin {
                    summary.admins += 1;
                }
            }
            if holder == Holder::Vendor && a.domain_admin {
                found(Problem::VendorDomainAdmin);
            }
            if a.default_password {
                found(Problem::DefaultPassword);
            }
            let from_outside = inv.way_in || (inv.remote_maintained && holder == Holder::Vendor);
            // A built-in account on a way in (FortiGate's `admin`) is a way in like any other.
            if from_outside
                && a.two_factor != Some(true)
                && (holder != Holder::BuiltIn || inv.way_in)
            {
                found(Problem::NoTwoFactor {
                    recorded: a.two_factor.is_some(),
                });
            }
            if a.reused_password {
                found(Problem::ReusedPassword);
            }
            if (a.admin || a.domain_admin)
                && let Some(p) = who
                && !p.job_kind().needs_admin()
            {
                found(Problem::AdminWithoutNeed {
                    person: p.name.clone(),
                    job: p.job.clone(),
                });
            }
            match holder {
                Holder::Shared => found(Problem::Shared),
                Holder::Vendor if a.enabled == Some(true) => found(Problem::VendorAlwaysOn),
                Holder::Unknown => found(Problem::UnknownHolder),
                _ => {}
            }
            // Only a recorded sign-in counts: FortiGate and `net user` lists do not say.
            if let Some(since) = a.last_logon
                && today.days() - since.days() > unused_days
                && holder != Holder::BuiltIn
            {
                found(Problem::Unused {
                    days: today.days() - since.days(),
                });
            }
        }
        if let Some(p) = inv.policy {
            let mut system_problem = |problem: Problem| {
                findings.push(AccountFinding {
                    system: inv.system,
                    system_name: inv.name.clone(),
                    account: String::new(),
                    problem,
                })
            };
            if p.min_length < 8 {
                system_problem(Problem::ShortPasswords { min: p.min_length });
            }
            if p.lockout_threshold.is_none() {
                system_problem(Problem::NoLockout);
            }
            if p.min_length < LONG_PASSWORD && p.max_age_days.is_none() {
                system_problem(Problem::NeitherLongNorChanged { min: p.min_length });
            }
        }
        let usable: Vec<&SystemAccount> =
            inv.accounts.iter().filter(|a| a.usable_on(today)).collect();
        summary.all_two_factor =
            !usable.is_empty() && usable.iter().all(|a| a.two_factor == Some(true));
        summary.too_many_admins = summary.admins >= 2
            && (summary.admins == summary.users
                || (summary.users >= 3 && summary.admins * 2 >= summary.users));
        systems.push(summary);
    }
    findings.sort_by(|a, b| {
        (&a.problem, &a.system_name, &a.account).cmp(&(&b.problem, &b.system_name, &b.account))
    });
    let people = people
        .into_iter()
        .map(|((name, no), (accounts, sys, admin))| {
            let m = roster
                .iter()
                .find(|m| m.name == name && m.staff_no.clone().unwrap_or_default() == no);
            PersonSummary {
                job: m.map(|m| m.job.clone()).unwrap_or_default(),
                left: m.and_then(|m| m.left),
                name,
                accounts,
                systems: sys.len(),
                admin,
            }
        })
        .collect();
    Review {
        findings,
        systems,
        people,
        accounts: total,
    }
}

/// What a person records of an account that no inventory can say: whose it is, whom it
/// belongs to, whether it has a second factor, a default or reused password.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Declaration {
    pub holder: Option<Holder>,
    pub person: Option<String>,
    pub two_factor: Option<bool>,
    pub default_password: bool,
    pub reused_password: bool,
}

/// What a person declared of an account (whose it is, whom it belongs to, a default or reused
/// password) stays when a new inventory of the system lists it again without saying.
pub fn keep_declared(old: &[SystemAccount], new: &mut [SystemAccount]) {
    for n in new.iter_mut() {
        let Some(o) = old.iter().find(|o| o.name.eq_ignore_ascii_case(&n.name)) else {
            continue;
        };
        n.holder = n.holder.or(o.holder);
        if n.person.is_none() {
            n.person.clone_from(&o.person);
        }
        n.default_password |= o.default_password;
        n.reused_password |= o.reused_password;
        n.two_factor = n.two_factor.or(o.two_factor);
        if n.role.is_none() {
            n.role.clone_from(&o.role);
        }
    }
}

/// A roster's people must be told apart: one staff number twice, or one name twice with no
/// numbers, is refused with the two rows (1-based indexes into `roster`).
pub fn duplicate(roster: &[StaffMember]) -> Option<(usize, usize)> {
    for (i, a) in roster.iter().enumerate() {
        for (j, b) in roster.iter().enumerate().skip(i + 1) {
            let same_no = a.staff_no.is_some() && a.staff_no == b.staff_no;
            let same_name =
                (a.staff_no.is_none() || b.staff_no.is_none()) && fold(&a.name) == fold(&b.name);
            if same_no || same_name {
                return Some((i, j));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn person(name: &str, job: &str, left: Option<&str>, logins: &[&str]) -> StaffMember {
        let mut m = StaffMember::new(None, name, job, None).unwrap();
        m.left = left.map(day);
        m.logins = logins.iter().map(|s| s.to_string()).collect();
        m
    }

    fn account(name: &str, admin: bool, enabled: bool) -> SystemAccount {
        SystemAccount {
            admin,
            enabled: Some(enabled),
            last_logon: Some(day("2026-11-30")),
            ..SystemAccount::named(name).unwrap()
        }
    }

    #[test]
    fn jobs_read_from_their_everyday_words() {
        assert_eq!(Job::of("医師"), Job::Doctor);
        assert_eq!(Job::of("看護師長"), Job::Nurse);
        assert_eq!(Job::of("医事課"), Job::Clerk);
        assert_eq!(Job::of("診療放射線技師"), Job::Technician);
        assert_eq!(Job::of("システム担当"), Job::Systems);
        assert_eq!(Job::of("情報システム課"), Job::Systems);
        assert_eq!(Job::of("ＩＴ担当"), Job::Systems);
        assert_eq!(
            Job::of("Credit auditor"),
            Job::Other,
            "`it` is a whole word"
        );
        assert_eq!(Job::of("院長"), Job::Manager);
        assert_eq!(Job::of("薬剤師"), Job::Pharmacist);
    }

    #[test]
    fn whose_an_account_is() {
        let roster = [
            person("山田 太郎", "医師", None, &["t.yamada"]),
            person("佐藤 花子", "看護師", None, &[]),
        ];
        let by_login = SystemAccount::named("T.Yamada").unwrap();
        assert_eq!(owner(&by_login, &roster).unwrap().name, "山田 太郎");
        let by_full = SystemAccount {
            full_name: Some("佐藤　花子".into()),
            ..SystemAccount::named("sato").unwrap()
        };
        assert_eq!(holder(&by_full, &roster), Holder::Person);
        let h = |n: &str| holder(&SystemAccount::named(n).unwrap(), &roster);
        assert_eq!(h("Administrator"), Holder::BuiltIn);
        assert_eq!(h("PC01\\Guest"), Holder::BuiltIn);
        assert_eq!(h("nurse01"), Holder::Shared);
        assert_eq!(h("uketsuke"), Holder::Shared);
        assert_eq!(h("vendor01"), Holder::Vendor);
        assert_eq!(h("hoshu-nec"), Holder::Vendor);
        assert_eq!(h("svc_backup"), Holder::Service);
        assert_eq!(h("tanaka"), Holder::Unknown);
        assert_eq!(h("pcadmin"), Holder::Unknown, "not a whole word");
    }

    #[test]
    fn the_okayama_shapes_are_found() {
        let roster = [
            person("山田 太郎", "医師", None, &["yamada"]),
            person("鈴木 一郎", "医事課", Some("2026-03-31"), &["suzuki"]),
            person("高橋 次郎", "システム担当", None, &["takahashi"]),
        ];
        let mut vendor = account("vendor01", true, true);
        vendor.domain_admin = true;
        let mut old = account("yamada", true, true);
        old.last_logon = Some(day("2026-05-01"));
        let mut vpn_user = account("maint", false, true);
        vpn_user.two_factor = Some(false);
        vpn_user.default_password = true;
        let pc = Inventory {
            system: SystemRef::Device(1),
            name: "受付PC".into(),
            way_in: false,
            remote_maintained: true,
            policy: Some(PasswordPolicy {
                min_length: 0,
                max_age_days: Some(42),
                lockout_threshold: None,
            }),
            accounts: vec![
                old,
                account("suzuki", true, true),
                account("takahashi", true, true),
                account("nurse", true, true),
                vendor,
                account("Administrator", true, false),
            ],
        };
        let vpn = Inventory {
            system: SystemRef::WayIn(7),
            name: "保守VPN".into(),
            way_in: true,
            remote_maintained: false,
            policy: Some(PasswordPolicy {
                min_length: 14,
                max_age_days: None,
                lockout_threshold: Some(5),
            }),
            accounts: vec![vpn_user],
        };
        let r = review(&roster, &[pc, vpn], day("2026-12-04"), UNUSED_DAYS);
        let got: Vec<(&str, &str)> = r
            .findings
            .iter()
            .map(|f| (f.account.as_str(), f.problem.code()))
            .collect();
        for want in [
            ("suzuki", "leaver"),
            ("vendor01", "vendor-domain-admin"),
            ("maint", "default-password"),
            ("maint", "no-two-factor"),
            ("yamada", "admin-without-need"),
            ("suzuki", "admin-without-need"),
            ("nurse", "shared"),
            ("vendor01", "vendor-always-on"),
            ("vendor01", "no-two-factor"),
            ("yamada", "unused"),
            ("", "short-passwords"),
            ("", "no-lockout"),
        ] {
            assert!(got.contains(&want), "{want:?} in {got:?}");
        }
        assert!(
            !got.contains(&("takahashi", "admin-without-need")),
            "systems staff need it"
        );
        assert_eq!(
            got.iter().filter(|(a, _)| a.is_empty()).count(),
            2,
            "the VPN's 14 characters need no change, and it locks"
        );
        assert!(
            !got.contains(&("yamada", "no-two-factor")),
            "staff do not come in from outside"
        );
        assert!(!got.iter().any(|(a, _)| *a == "Administrator"), "disabled");
        assert_eq!(r.findings[0].problem.code(), "leaver", "worst first");
        let pc = &r.systems[0];
        assert_eq!((pc.admins, pc.users, pc.enabled), (5, 5, 5));
        assert!(pc.too_many_admins);
        assert!(!r.systems[1].too_many_admins);
        let yamada = r.people.iter().find(|p| p.name == "山田 太郎").unwrap();
        assert_eq!((yamada.accounts, yamada.systems, yamada.admin), (1, 1, 1));
        assert_eq!(r.accounts, 7);
    }

    #[test]
    fn a_leaver_whose_account_is_disabled_is_fine_unless_used_after() {
        let roster = [person(
            "鈴木 一郎",
            "医事課",
            Some("2026-03-31"),
            &["suzuki"],
        )];
        let inv = |a: SystemAccount| Inventory {
            system: SystemRef::Device(1),
            name: "PC".into(),
            way_in: false,
            remote_maintained: false,
            policy: None,
            accounts: vec![a],
        };
        let mut off = account("suzuki", false, false);
        off.last_logon = Some(day("2026-03-20"));
        let r = review(&roster, &[inv(off.clone())], day("2026-12-04"), 90);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        let mut used = off;
        used.last_logon = Some(day("2026-04-10"));
        let r = review(&roster, &[inv(used)], day("2026-12-04"), 90);
        assert_eq!(r.findings[0].problem.code(), "used-after-leaving");
        let mut listed = SystemAccount::named("suzuki").unwrap();
        listed.last_logon = Some(day("2026-03-01"));
        let r = review(&roster, &[inv(listed)], day("2026-12-04"), 90);
        assert_eq!(
            r.findings[0].problem,
            Problem::Leaver {
                person: "鈴木 一郎".into(),
                left: day("2026-03-31"),
                known: false
            },
            "still listed, enabled or not unknown"
        );
        let mut expired = account("suzuki", false, true);
        expired.last_logon = Some(day("2026-03-01"));
        expired.expires = Some(day("2026-03-31"));
        let r = review(&roster, &[inv(expired)], day("2026-12-04"), 90);
        assert!(
            r.findings.is_empty(),
            "expired with the contract: {:?}",
            r.findings
        );
    }

    #[test]
    fn a_builtin_on_a_way_in_needs_a_second_factor_and_a_stale_person_is_unknown() {
        let vpn = Inventory {
            system: SystemRef::WayIn(1),
            name: "VPN".into(),
            way_in: true,
            remote_maintained: false,
            accounts: vec![account("admin", true, true)],
            policy: None,
        };
        let r = review(&[], &[vpn], day("2026-12-04"), 90);
        assert!(
            r.findings
                .iter()
                .any(|f| f.problem == Problem::NoTwoFactor { recorded: false }),
            "{:?}",
            r.findings
        );
        let gone = SystemAccount {
            holder: Some(Holder::Person),
            ..SystemAccount::named("tanaka").unwrap()
        };
        assert_eq!(holder(&gone, &[]), Holder::Unknown);
    }

    #[test]
    fn duplicates_in_a_roster() {
        let a = person("山田 太郎", "医師", None, &[]);
        assert_eq!(duplicate(&[a.clone(), a.clone()]), Some((0, 1)));
        let mut x = a.clone();
        x.staff_no = Some("1".into());
        let mut y = a;
        y.staff_no = Some("2".into());
        assert_eq!(duplicate(&[x.clone(), y]), None, "told apart by number");
        let mut z = person("別人", "看護師", None, &[]);
        z.staff_no = Some("1".into());
        assert_eq!(duplicate(&[x, z]), Some((0, 1)));
    }

    #[test]
    fn declarations_stay_across_imports() {
        let old = [SystemAccount {
            holder: Some(Holder::Vendor),
            default_password: true,
            ..SystemAccount::named("maint").unwrap()
        }];
        let mut new = [account("MAINT", true, true), account("other", false, true)];
        keep_declared(&old, &mut new);
        assert_eq!(new[0].holder, Some(Holder::Vendor));
        assert!(new[0].default_password && new[0].admin);
        assert_eq!(new[1].holder, None);
    }

    #[test]
    fn holder_words_in_both_languages() {
        assert_eq!(Holder::parse("共用").unwrap(), Some(Holder::Shared));
        assert_eq!(Holder::parse("Vendor").unwrap(), Some(Holder::Vendor));
        assert_eq!(Holder::parse("").unwrap(), None);
        assert!(Holder::parse("だれか").is_err());
    }
}
