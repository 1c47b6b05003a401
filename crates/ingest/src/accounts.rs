//! Account inventories of a system and the staff roster, from what a clinic produces without
//! tools: Windows `net user`, `net user NAME` and `net localgroup administrators` (Japanese or
//! English Windows, Shift_JIS or UTF-8, several outputs in one file), PowerShell 5.1
//! `Get-LocalUser | Export-Csv` and `Get-ADUser … | Export-Csv` (with or without `#TYPE`,
//! dates in the Japanese or US format), FortiGate `show user local`, and a template (CSV or
//! workbook) for everything else. Each problem names the file, line and column; nothing is
//! half read.

use domain::Date;
use domain::accounts::{Holder, PasswordPolicy, StaffMember, SystemAccount};
use domain::error::{Error, Field, Rule};

use crate::table::{self, Cell, FileProblem};

/// At most this many accounts in one system (a domain of a large hospital: a few thousand).
pub const MAX_ACCOUNTS: usize = 20_000;
/// At most this many people on a roster.
pub const MAX_STAFF: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    NetUser,
    NetUserDetail,
    LocalGroup,
    /// `net accounts`: the password settings.
    NetAccounts,
    LocalCsv,
    AdCsv,
    FortiGate,
    Template,
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::NetUser => "net-user",
            Format::NetUserDetail => "net-user-name",
            Format::LocalGroup => "localgroup",
            Format::NetAccounts => "net-accounts",
            Format::LocalCsv => "local-csv",
            Format::AdCsv => "ad-csv",
            Format::FortiGate => "fortigate",
            Format::Template => "csv",
        }
    }

    pub fn parse(code: &str) -> Option<Format> {
        [
            Format::NetUser,
            Format::NetUserDetail,
            Format::LocalGroup,
            Format::NetAccounts,
            Format::LocalCsv,
            Format::AdCsv,
            Format::FortiGate,
            Format::Template,
        ]
        .into_iter()
        .find(|f| f.code() == code)
    }
}

/// One account as read, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub file: String,
    /// 1 = the file's first line (or the sheet's first row).
    pub line: usize,
    pub account: SystemAccount,
}

/// What the files of one system said, merged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Read {
    pub formats: Vec<Format>,
    pub accounts: Vec<Listed>,
    /// Whether an administrators list was among the files (else admin rights are unknown
    /// unless each account said).
    pub admins_listed: bool,
    /// `Get-ADUser` exported without joining `MemberOf`: group membership is unknown.
    pub member_of_unreadable: bool,
    /// The password settings, when `net accounts` was among the files.
    pub policy: Option<PasswordPolicy>,
    /// The computer the `net user` list names (`\\PC01`), to compare with the system chosen.
    pub computer: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    File {
        file: String,
        problem: FileProblem,
    },
    /// None of the known shapes.
    Unknown {
        file: String,
    },
    Invalid {
        file: String,
        line: usize,
        column: String,
        error: Error,
    },
    TooMany {
        limit: usize,
    },
    /// Only administrator lists: the accounts themselves are missing.
    OnlyAdmins,
}

/// Reads the files of one system together: account lists and administrator lists merge by
/// account name. `format` forces one shape for every file.
pub fn read(files: &[(&[u8], &str)], format: Option<Format>) -> Result<Read, Problem> {
    let mut out = Read::default();
    let mut admins: Vec<(String, String, usize)> = Vec::new();
    for (bytes, file) in files {
        let mut part = Part {
            file,
            out: &mut out,
            admins: &mut admins,
        };
        part.file_in(bytes, format)?;
    }
    if out.accounts.is_empty() && (!admins.is_empty() || out.policy.is_some()) {
        return Err(Problem::OnlyAdmins);
    }
    for (member, file, line) in admins {
        // Local accounts are listed bare; `CLINIC\\vendor01` is the domain's, another account.
        let found = out
            .accounts
            .iter_mut()
            .find(|l| l.account.name.eq_ignore_ascii_case(&member));
        match found {
            Some(l) => l.account.admin = true,
            None => {
                // A domain account or group among the local administrators: listed as one.
                let mut account =
                    SystemAccount::named(&member).map_err(|error| Problem::Invalid {
                        file: file.clone(),
                        line,
                        column: "member".into(),
                        error,
                    })?;
                account.admin = true;
                account.domain_admin = is_domain_admins(&member);
                account.enabled = Some(true);
                if account.domain_admin {
                    // The domain's admin group, placed there when the PC joined the domain: a
                    // group, not somebody's account (its members are in the domain's list).
                    account.holder = Some(Holder::BuiltIn);
                }
                push(
                    &mut out.accounts,
                    Listed {
                        file,
                        line,
                        account,
                    },
                )?;
            }
        }
    }
    Ok(out)
}

fn is_domain_admins(group: &str) -> bool {
    let g = group.to_ascii_lowercase();
    g.contains("domain admins") || g.contains("enterprise admins")
}

fn push(list: &mut Vec<Listed>, item: Listed) -> Result<(), Problem> {
    if let Some(same) = list
        .iter_mut()
        .find(|l| l.account.name.eq_ignore_ascii_case(&item.account.name))
    {
        // `net user` then `net user NAME` of one account: the details win, flags add up.
        let admin = same.account.admin || item.account.admin;
        let domain_admin = same.account.domain_admin || item.account.domain_admin;
        if item.account != SystemAccount::named(&item.account.name).unwrap_or_default() {
            same.account = item.account;
            same.line = item.line;
            same.file = item.file;
        }
        same.account.admin = admin;
        same.account.domain_admin = domain_admin;
        return Ok(());
    }
    if list.len() >= MAX_ACCOUNTS {
        return Err(Problem::TooMany {
            limit: MAX_ACCOUNTS,
        });
    }
    list.push(item);
    Ok(())
}

struct Part<'a> {
    file: &'a str,
    out: &'a mut Read,
    admins: &'a mut Vec<(String, String, usize)>,
}

impl Part<'_> {
    fn problem(&self, line: usize, column: &str, error: Error) -> Problem {
        Problem::Invalid {
            file: self.file.to_string(),
            line,
            column: column.to_string(),
            error,
        }
    }

    fn add(&mut self, line: usize, account: SystemAccount, format: Format) -> Result<(), Problem> {
        if !self.out.formats.contains(&format) {
            self.out.formats.push(format);
        }
        push(
            &mut self.out.accounts,
            Listed {
                file: self.file.to_string(),
                line,
                account,
            },
        )
    }

    fn file_in(&mut self, bytes: &[u8], format: Option<Format>) -> Result<(), Problem> {
        let file = self.file.to_string();
        let zip = bytes.starts_with(b"PK\x03\x04");
        let text = if zip {
            None
        } else {
            Some(table::decode(bytes).map_err(|problem| Problem::File {
                file: file.clone(),
                problem,
            })?)
        };
        if let Some(text) = &text {
            let looks_forti = text.lines().any(|l| l.trim() == "config user local");
            let looks_net = text.lines().any(|l| net_section_start(l).is_some());
            match format {
                Some(Format::FortiGate) => return self.fortigate(text),
                Some(
                    Format::NetUser
                    | Format::NetUserDetail
                    | Format::LocalGroup
                    | Format::NetAccounts,
                ) => {
                    return self.net(text);
                }
                None if looks_forti => return self.fortigate(text),
                None if looks_net => return self.net(text),
                _ => {}
            }
        }
        let sheets = table::read(bytes, &file).map_err(|problem| Problem::File {
            file: file.clone(),
            problem,
        })?;
        let sheet = sheets
            .first()
            .ok_or(Problem::Unknown { file: file.clone() })?;
        self.sheet(&sheet.rows, format)
    }

    /// The sections of `net` outputs in one text, each ending with the command's last line.
    fn net(&mut self, text: &str) -> Result<(), Problem> {
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        let mut any = false;
        while i < lines.len() {
            let Some(kind) = net_section_start(lines[i]) else {
                i += 1;
                continue;
            };
            any = true;
            let start = i;
            let mut end = i + 1;
            while end < lines.len()
                && !is_done_line(lines[end])
                && (end == start + 1 || net_section_start(lines[end]).is_none())
            {
                end += 1;
            }
            match kind {
                Format::NetUser => self.net_user(&lines, start, end)?,
                Format::LocalGroup => self.local_group(&lines, start, end),
                Format::NetAccounts => self.net_accounts(&lines, start, end)?,
                _ => self.net_user_detail(&lines, start, end)?,
            }
            i = end.max(start + 1);
        }
        if any {
            Ok(())
        } else {
            Err(Problem::Unknown {
                file: self.file.to_string(),
            })
        }
    }

    fn net_user(&mut self, lines: &[&str], start: usize, end: usize) -> Result<(), Problem> {
        let header = lines[start].trim();
        let computer = header
            .find("\\\\")
            .map(|at| &header[at + 2..])
            .and_then(|rest| rest.split_whitespace().next())
            .filter(|c| !c.is_empty());
        if self.out.computer.is_none() {
            self.out.computer = computer.map(|c| c.chars().take(100).collect());
        }
        let Some(dashes) = (start..end).find(|&i| is_dashes(lines[i])) else {
            return Ok(());
        };
        for (i, line) in lines.iter().enumerate().take(end).skip(dashes + 1) {
            for name in columns(line) {
                let account =
                    SystemAccount::named(name).map_err(|e| self.problem(i + 1, "name", e))?;
                self.add(i + 1, account, Format::NetUser)?;
            }
        }
        Ok(())
    }

    fn local_group(&mut self, lines: &[&str], start: usize, end: usize) {
        let name = label_value(lines[start]).1.to_ascii_lowercase();
        if !name.contains("admin") {
            // Only the administrators group matters here; other groups are skipped.
            return;
        }
        self.out.admins_listed = true;
        if !self.out.formats.contains(&Format::LocalGroup) {
            self.out.formats.push(Format::LocalGroup);
        }
        let Some(dashes) = (start..end).find(|&i| is_dashes(lines[i])) else {
            return;
        };
        for (i, line) in lines.iter().enumerate().take(end).skip(dashes + 1) {
            let member = line.trim();
            if !member.is_empty() {
                self.admins
                    .push((member.to_string(), self.file.to_string(), i + 1));
            }
        }
    }

    /// `net accounts`: `Label:   value` lines (Japanese or English), numbers or
    /// `Never`/`無期限`/`なし`.
    fn net_accounts(&mut self, lines: &[&str], start: usize, end: usize) -> Result<(), Problem> {
        let mut p = PasswordPolicy::default();
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let Some((label, value)) = line.split_once([':', '：']) else {
                continue;
            };
            let label = squash(label);
            let value = value.trim();
            let number = || -> Result<Option<u32>, Problem> {
                if !value.chars().any(|c| c.is_ascii_digit()) {
                    return Ok(None);
                }
                value.parse::<u32>().map(Some).map_err(|_| {
                    self.problem(
                        i + 1,
                        &label,
                        Error::invalid(Field::AccountFlag, value, Rule::NotANumber),
                    )
                })
            };
            if label.contains("minimumpasswordlength") || label.contains("最小文字数") {
                p.min_length = number()?.unwrap_or(0);
            } else if label.contains("maximumpasswordage") || label.contains("最長有効期間") {
                // `Unlimited` / 無期限: never has to change.
                p.max_age_days = number()?;
            } else if label.contains("lockoutthreshold") || label.contains("ロックアウトのしきい値")
            {
                p.lockout_threshold = number()?.filter(|n| *n > 0);
            }
        }
        self.out.policy = Some(p);
        if !self.out.formats.contains(&Format::NetAccounts) {
            self.out.formats.push(Format::NetAccounts);
        }
        Ok(())
    }

    fn net_user_detail(&mut self, lines: &[&str], start: usize, end: usize) -> Result<(), Problem> {
        let mut account = SystemAccount::default();
        let mut last_label = String::new();
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let line_no = i + 1;
            let (label, value) = if line.starts_with([' ', '\t']) && line.contains('*') {
                (last_label.clone(), line.trim().to_string())
            } else {
                let (l, v) = label_value(line);
                (squash(l), v.to_string())
            };
            if label.is_empty() {
                continue;
            }
            last_label = label.clone();
            let date = |v: &str| -> Result<Option<Date>, Problem> {
                windows_date(v).map_err(|e| self.problem(line_no, &label, e))
            };
            match DETAIL_LABELS
                .iter()
                .find(|(_, words)| words.contains(&label.as_str()))
            {
                Some((Detail::Name, _)) => {
                    let named = SystemAccount::named(&value)
                        .map_err(|e| self.problem(line_no, &label, e))?;
                    account.name = named.name;
                }
                Some((Detail::FullName, _)) => account.full_name = nonempty(&value),
                Some((Detail::Comment, _)) => account.description = nonempty(&value),
                Some((Detail::Active, _)) => {
                    account.enabled =
                        yes_no(&value).map_err(|e| self.problem(line_no, &label, e))?
                }
                Some((Detail::PasswordSet, _)) => account.password_set = date(&value)?,
                Some((Detail::Expires, _)) => account.expires = date(&value)?,
                Some((Detail::LastLogon, _)) => account.last_logon = date(&value)?,
                Some((Detail::Groups, _)) => {
                    for g in value.split('*').map(str::trim).filter(|g| !g.is_empty()) {
                        let g = g.to_ascii_lowercase();
                        if g == "administrators" || g == "admins" {
                            account.admin = true;
                        }
                        if is_domain_admins(&g) {
                            account.admin = true;
                            account.domain_admin = true;
                        }
                    }
                }
                None => {}
            }
        }
        if account.name.is_empty() {
            return Err(self.problem(
                start + 1,
                "ユーザー名 / User name",
                Error::invalid(Field::AccountName, "", Rule::Required),
            ));
        }
        self.add(start + 1, account, Format::NetUserDetail)
    }

    fn fortigate(&mut self, text: &str) -> Result<(), Problem> {
        let mut inside = false;
        let mut current: Option<(usize, SystemAccount)> = None;
        let mut any = false;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line == "config user local" {
                inside = true;
                any = true;
                continue;
            }
            if !inside {
                continue;
            }
            if let Some(name) = line.strip_prefix("edit ") {
                let name = name.trim().trim_matches('"');
                let mut a =
                    SystemAccount::named(name).map_err(|e| self.problem(i + 1, "edit", e))?;
                a.enabled = Some(true);
                a.two_factor = Some(false);
                current = Some((i + 1, a));
            } else if let Some((_, a)) = current.as_mut()
                && let Some(set) = line.strip_prefix("set ")
            {
                let (key, value) = set.split_once(' ').unwrap_or((set, ""));
                let value = value.trim().trim_matches('"');
                match key {
                    "status" => a.enabled = Some(value != "disable"),
                    "two-factor" => a.two_factor = Some(value != "disable"),
                    "email-to" if a.description.is_none() => a.description = nonempty(value),
                    "passwd-time" => {
                        a.password_set = windows_date(value)
                            .map_err(|e| self.problem(i + 1, "passwd-time", e))?;
                    }
                    _ => {}
                }
            } else if line == "next" {
                if let Some((at, a)) = current.take() {
                    self.add(at, a, Format::FortiGate)?;
                }
            } else if line == "end" {
                if let Some((at, a)) = current.take() {
                    self.add(at, a, Format::FortiGate)?;
                }
                inside = false;
            }
        }
        if any {
            Ok(())
        } else {
            Err(Problem::Unknown {
                file: self.file.to_string(),
            })
        }
    }

    fn sheet(&mut self, rows: &[Vec<Cell>], format: Option<Format>) -> Result<(), Problem> {
        let header = rows.iter().enumerate().take(5).find_map(|(i, r)| {
            let names: Vec<String> = r.iter().map(|c| squash(&c.text())).collect();
            let kind = if names.iter().any(|n| n == "samaccountname") {
                Format::AdCsv
            } else if names.iter().any(|n| n == "principalsource")
                || (names.iter().any(|n| n == "name")
                    && names.iter().any(|n| n == "enabled")
                    && names.iter().any(|n| n == "lastlogon"))
            {
                Format::LocalCsv
            } else if TEMPLATE.iter().any(|(c, words)| {
                *c == Col::Name && names.iter().any(|n| words.contains(&n.as_str()))
            }) {
                Format::Template
            } else {
                return None;
            };
            Some((i, names, kind))
        });
        let Some((at, names, kind)) = header else {
            return Err(Problem::Unknown {
                file: self.file.to_string(),
            });
        };
        let kind = format.unwrap_or(kind);
        let columns: Vec<(Col, usize)> = match kind {
            Format::AdCsv => vec![
                (Col::Name, "samaccountname"),
                (Col::FullName, "name"),
                (Col::Enabled, "enabled"),
                (Col::LastLogon, "lastlogondate"),
                (Col::PasswordSet, "passwordlastset"),
                (Col::MemberOf, "memberof"),
                (Col::Description, "description"),
            ]
            .into_iter()
            .filter_map(|(c, n)| names.iter().position(|x| x == n).map(|p| (c, p)))
            .collect(),
            Format::LocalCsv => vec![
                (Col::Name, "name"),
                (Col::FullName, "fullname"),
                (Col::Enabled, "enabled"),
                (Col::LastLogon, "lastlogon"),
                (Col::PasswordSet, "passwordlastset"),
                (Col::Expires, "accountexpires"),
                (Col::Description, "description"),
            ]
            .into_iter()
            .filter_map(|(c, n)| names.iter().position(|x| x == n).map(|p| (c, p)))
            .collect(),
            _ => TEMPLATE
                .iter()
                .filter_map(|(c, words)| {
                    names
                        .iter()
                        .position(|n| words.contains(&n.as_str()))
                        .map(|p| (*c, p))
                })
                .collect(),
        };
        if !columns.iter().any(|(c, _)| *c == Col::Name) {
            return Err(Problem::Unknown {
                file: self.file.to_string(),
            });
        }
        let header_row = &rows[at];
        for (i, row) in rows.iter().enumerate().skip(at + 1) {
            if row.iter().all(Cell::is_empty) {
                continue;
            }
            let line = i + 1;
            let mut a = SystemAccount::default();
            for (col, p) in &columns {
                let cell = row.get(*p).cloned().unwrap_or(Cell::Empty);
                let text = cell.text();
                let column = header_row.get(*p).map(Cell::text).unwrap_or_default();
                let bad = |e: Error| Problem::Invalid {
                    file: self.file.to_string(),
                    line,
                    column: column.clone(),
                    error: e,
                };
                let flag = |t: &str| yes_no(t).map_err(bad);
                let date = |cell: &Cell| -> Result<Option<Date>, Problem> {
                    match cell {
                        Cell::Date(d) => Ok(Some(*d)),
                        Cell::Number(n) => Date::from_excel_serial(*n)
                            .map(Some)
                            .map_err(|p| bad(Error::invalid(Field::AccountDate, &text, p.rule()))),
                        _ => windows_date(&text).map_err(bad),
                    }
                };
                let optional = |field: Field| {
                    domain::text::optional(field, Some(&text), SystemAccount::MAX).map_err(bad)
                };
                match col {
                    Col::Name => {
                        a.name = SystemAccount::named(&text).map_err(bad)?.name;
                    }
                    Col::FullName => a.full_name = optional(Field::AccountName)?,
                    Col::Description => a.description = optional(Field::AccountName)?,
                    Col::Person => a.person = optional(Field::StaffName)?,
                    Col::Role => a.role = optional(Field::AccountName)?,
                    Col::Holder => a.holder = Holder::parse(&text).map_err(bad)?,
                    Col::Admin => a.admin = flag(&text)?.unwrap_or(false),
                    Col::Enabled => a.enabled = flag(&text)?,
                    Col::TwoFactor => a.two_factor = flag(&text)?,
                    Col::DefaultPassword => a.default_password = flag(&text)?.unwrap_or(false),
                    Col::ReusedPassword => a.reused_password = flag(&text)?.unwrap_or(false),
                    Col::LastLogon => a.last_logon = date(&cell)?,
                    Col::PasswordSet => a.password_set = date(&cell)?,
                    Col::Expires => a.expires = date(&cell)?,
                    Col::MemberOf => {
                        if text.starts_with("Microsoft.") {
                            self.out.member_of_unreadable = true;
                        } else if text
                            .split([';', '\n'])
                            .any(|g| is_domain_admins(g.split(',').next().unwrap_or(g)))
                        {
                            a.admin = true;
                            a.domain_admin = true;
                        } else if text.to_ascii_lowercase().contains("cn=administrators,") {
                            a.admin = true;
                        }
                    }
                }
            }
            self.add(line, a, kind)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    FullName,
    Description,
    Person,
    Holder,
    Admin,
    Role,
    Enabled,
    LastLogon,
    PasswordSet,
    Expires,
    TwoFactor,
    DefaultPassword,
    ReusedPassword,
    MemberOf,
}

/// The template's headers (squashed: no spaces, lower case), Japanese and English.
const TEMPLATE: &[(Col, &[&str])] = &[
    (
        Col::Name,
        &[
            "アカウント名",
            "アカウント",
            "ユーザー名",
            "ユーザid",
            "ログインid",
            "id",
            "account",
            "username",
            "login",
        ],
    ),
    (
        Col::FullName,
        &["表示名", "氏名", "フルネーム", "fullname", "displayname"],
    ),
    (
        Col::Description,
        &["説明", "備考", "メモ", "description", "note", "notes"],
    ),
    (
        Col::Person,
        &["職員", "職員番号", "使用者", "person", "staff"],
    ),
    (Col::Holder, &["種別", "区分", "kind", "holder", "type"]),
    (
        Col::Admin,
        &["管理者権限", "管理者", "admin", "administrator"],
    ),
    (Col::Role, &["役割", "権限", "ロール", "role"]),
    (
        Col::Enabled,
        &["有効", "状態", "enabled", "active", "status"],
    ),
    (
        Col::LastLogon,
        &[
            "最終ログオン",
            "最終ログイン",
            "最終ログオン日",
            "最終ログイン日",
            "lastlogon",
            "lastlogin",
        ],
    ),
    (
        Col::PasswordSet,
        &[
            "パスワード設定日",
            "パスワード変更日",
            "最終パスワード変更日",
            "passwordlastset",
            "passwordset",
        ],
    ),
    (
        Col::TwoFactor,
        &[
            "二要素認証",
            "多要素認証",
            "2要素認証",
            "two-factor",
            "twofactor",
            "mfa",
            "2fa",
        ],
    ),
    (
        Col::DefaultPassword,
        &["初期パスワード", "初期パスワードのまま", "defaultpassword"],
    ),
    (
        Col::ReusedPassword,
        &[
            "使い回し",
            "他と同じパスワード",
            "パスワード使い回し",
            "reusedpassword",
            "sharedpassword",
        ],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Name,
    FullName,
    Comment,
    Active,
    Expires,
    PasswordSet,
    LastLogon,
    Groups,
}

/// `net user NAME`'s labels (squashed), Japanese and English Windows.
const DETAIL_LABELS: &[(Detail, &[&str])] = &[
    (Detail::Name, &["ユーザー名", "username"]),
    (Detail::FullName, &["フルネーム", "fullname"]),
    (Detail::Comment, &["コメント", "comment"]),
    (Detail::Active, &["アカウント有効", "accountactive"]),
    (Detail::Expires, &["アカウントの期限", "accountexpires"]),
    (
        Detail::PasswordSet,
        &[
            "最終パスワード変更日時",
            "パスワードの最終設定日時",
            "passwordlastset",
        ],
    ),
    (
        Detail::LastLogon,
        &["最終ログオン日時", "最終ログオン", "lastlogon"],
    ),
    (
        Detail::Groups,
        &[
            "所属しているローカルグループ",
            "所属しているグローバルグループ",
            "ローカルグループメンバーシップ",
            "ローカルグループメンバー",
            "グローバルグループメンバーシップ",
            "グローバルグループメンバー",
            "localgroupmemberships",
            "globalgroupmemberships",
        ],
    ),
];

/// The first line of a `net` output section, and which command printed it.
fn net_section_start(line: &str) -> Option<Format> {
    let t = line.trim();
    // `User accounts for \\PC01` / `\\PC01 のユーザー アカウント` (the wording varies with
    // the language; the computer's name always comes first with its two backslashes).
    if t.starts_with("User accounts for \\\\") || t.starts_with("\\\\") {
        return Some(Format::NetUser);
    }
    let label = squash(label_value(t).0);
    if label.starts_with("forceuserlogoff") || label.starts_with("強制ログオフ") {
        return Some(Format::NetAccounts);
    }
    if label == "aliasname" || label == "エイリアス名" {
        return Some(Format::LocalGroup);
    }
    if label == "username" || label == "ユーザー名" {
        return Some(Format::NetUserDetail);
    }
    None
}

/// The command's last line: done, or done with errors (run as a service, the machine name can
/// be missing and some accounts unreadable).
fn is_done_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("The command completed")
        || (t.starts_with("コマンドは") && t.ends_with("終了しました。"))
}

fn is_dashes(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 10 && t.chars().all(|c| c == '-')
}

/// A `net` line's label and value: split at the first run of two or more spaces.
fn label_value(line: &str) -> (&str, &str) {
    let t = line.trim_end();
    match t.find("  ") {
        Some(at) => (t[..at].trim(), t[at..].trim()),
        None => (t.trim(), ""),
    }
}

/// The names of a `net user` line: columns 25 wide, separated by two or more spaces.
fn columns(line: &str) -> Vec<&str> {
    if is_done_line(line) {
        return Vec::new();
    }
    line.split("  ")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect()
}

fn squash(s: &str) -> String {
    domain::text::fold(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '・')
        .collect()
}

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.chars().take(SystemAccount::MAX).collect())
}

/// はい/いいえ in the words people and systems use; `None` when empty.
fn yes_no(value: &str) -> Result<Option<bool>, Error> {
    let f = squash(value);
    if f.is_empty() {
        return Ok(None);
    }
    const YES: &[&str] = &[
        "はい", "yes", "y", "true", "1", "○", "〇", "◯", "有", "あり", "有効", "enable", "enabled",
        "on", "済",
    ];
    const NO: &[&str] = &[
        "いいえ",
        "no",
        "n",
        "false",
        "0",
        "×",
        "✕",
        "-",
        "無",
        "なし",
        "無効",
        "disable",
        "disabled",
        "off",
    ];
    if YES.contains(&f.as_str()) {
        Ok(Some(true))
    } else if NO.contains(&f.as_str()) {
        Ok(Some(false))
    } else {
        Err(Error::invalid(
            Field::AccountFlag,
            value,
            Rule::UnknownChoice,
        ))
    }
}

/// A date as Windows prints it: `2024/05/13 9:41:07` (Japanese), `5/13/2024 9:41:07 AM`
/// (US), ISO; `None` for `Never`, `なし`, `無期限` or empty.
fn windows_date(value: &str) -> Result<Option<Date>, Error> {
    let v = value.trim();
    if !v.chars().any(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let day = v.split([' ', 'T']).next().unwrap_or(v);
    let bad = |p: domain::DateProblem| Error::invalid(Field::AccountDate, value, p.rule());
    let parts: Vec<&str> = day.split(['/', '-', '.']).collect();
    if let [m, d, y] = parts.as_slice()
        && y.len() == 4
        && m.len() <= 2
    {
        let n = |s: &str| {
            s.parse::<u8>()
                .map_err(|_| bad(domain::DateProblem::Format))
        };
        let y: i32 = y.parse().map_err(|_| bad(domain::DateProblem::Format))?;
        return Date::new(y, n(m)?, n(d)?).map(Some).map_err(bad);
    }
    Date::parse(day).map(Some).map_err(bad)
}

/// The roster read, each person with the row they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub people: Vec<(usize, StaffMember)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RosterProblem {
    File(FileProblem),
    /// No header row with a name and a job column.
    NoHeader,
    Invalid {
        row: usize,
        column: String,
        error: Error,
    },
    /// Two rows of one person (same staff number, or same name without numbers).
    Duplicate {
        first: usize,
        second: usize,
        name: String,
    },
    TooMany {
        limit: usize,
    },
}

const ROSTER: &[(&str, &[&str])] = &[
    (
        "no",
        &[
            "職員番号",
            "職員no",
            "社員番号",
            "番号",
            "職員id",
            "staffno",
            "staffid",
            "employeeid",
            "no",
        ],
    ),
    ("name", &["氏名", "名前", "職員名", "name", "fullname"]),
    ("job", &["職種", "職名", "job", "jobtitle", "title"]),
    (
        "department",
        &["部署", "所属", "部門", "診療科", "department", "dept"],
    ),
    (
        "started",
        &[
            "入職日",
            "採用日",
            "入社日",
            "startdate",
            "started",
            "joined",
        ],
    ),
    (
        "left",
        &["退職日", "退職年月日", "leavedate", "left", "enddate"],
    ),
    (
        "logins",
        &[
            "アカウント",
            "アカウント名",
            "ログインid",
            "ユーザーid",
            "accounts",
            "logins",
            "account",
        ],
    ),
];

/// Reads a roster (CSV in any of the ledger's encodings, or a workbook's first sheet).
pub fn roster(bytes: &[u8], file_name: &str) -> Result<Roster, RosterProblem> {
    let sheets = table::read(bytes, file_name).map_err(RosterProblem::File)?;
    let sheet = sheets.first().ok_or(RosterProblem::NoHeader)?;
    let find = |row: &[Cell], key: &str| {
        let words = ROSTER.iter().find(|(k, _)| *k == key).map(|(_, w)| *w)?;
        row.iter()
            .position(|c| words.contains(&squash(&c.text()).as_str()))
    };
    let (at, header) = sheet
        .rows
        .iter()
        .enumerate()
        .take(10)
        .find(|(_, r)| find(r, "name").is_some() && find(r, "job").is_some())
        .ok_or(RosterProblem::NoHeader)?;
    let col = |key: &str| find(header, key);
    let mut people = Vec::new();
    for (i, row) in sheet.rows.iter().enumerate().skip(at + 1) {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let line = i + 1;
        let cell = |key: &str| {
            col(key)
                .and_then(|p| row.get(p))
                .cloned()
                .unwrap_or(Cell::Empty)
        };
        let column = |key: &str| {
            col(key)
                .and_then(|p| header.get(p))
                .map(Cell::text)
                .unwrap_or_default()
        };
        let bad = |key: &str, error: Error| RosterProblem::Invalid {
            row: line,
            column: column(key),
            error,
        };
        let no = cell("no").text();
        let mut m = StaffMember::new(
            Some(&no),
            &cell("name").text(),
            &cell("job").text(),
            Some(&cell("department").text()),
        )
        .map_err(|e| {
            let key = match &e {
                Error::Invalid {
                    field: Field::StaffNo,
                    ..
                } => "no",
                Error::Invalid {
                    field: Field::StaffJob,
                    ..
                } => "job",
                Error::Invalid {
                    field: Field::StaffDepartment,
                    ..
                } => "department",
                _ => "name",
            };
            bad(key, e)
        })?;
        for (key, field) in [("started", Field::StaffStarted), ("left", Field::StaffLeft)] {
            let c = cell(key);
            let d = match &c {
                Cell::Date(d) => Some(*d),
                Cell::Number(n) => Some(
                    Date::from_excel_serial(*n)
                        .map_err(|p| bad(key, Error::invalid(field, c.text(), p.rule())))?,
                ),
                _ => Date::parse_field(field, &c.text()).map_err(|e| bad(key, e))?,
            };
            if key == "started" {
                m.started = d;
            } else {
                m.left = d;
            }
        }
        m.logins = cell("logins")
            .text()
            .split([',', '、', ';', ' ', '　', '/'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if people.len() >= MAX_STAFF {
            return Err(RosterProblem::TooMany { limit: MAX_STAFF });
        }
        people.push((line, m));
    }
    let members: Vec<StaffMember> = people.iter().map(|(_, m)| m.clone()).collect();
    if let Some((a, b)) = domain::accounts::duplicate(&members) {
        return Err(RosterProblem::Duplicate {
            first: people[a].0,
            second: people[b].0,
            name: people[b].1.name.clone(),
        });
    }
    Ok(Roster { people })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NET_USER_JA: &str = "\r\n\\\\RECEPTION-PC のユーザー アカウント\r\n\r\n\
-------------------------------------------------------------------------------\r\n\
Administrator            DefaultAccount           Guest                    \r\n\
nurse                    vendor01                 WDAGUtilityAccount       \r\n\
yamada                   \r\n\
コマンドは正常に終了しました。\r\n\r\n";

    const ADMINS_JA: &str = "エイリアス名     administrators\r\n\
コメント         コンピューター/ドメインに完全なアクセス権があります\r\n\r\nメンバー\r\n\r\n\
-------------------------------------------------------------------------------\r\n\
Administrator\r\nCLINIC\\Domain Admins\r\nnurse\r\nvendor01\r\nyamada\r\n\
コマンドは正常に終了しました。\r\n";

    const DETAIL_EN: &str = "User name                    yamada\r\n\
Full Name                    Yamada Taro\r\n\
Comment                      \r\n\
Account active               Yes\r\n\
Account expires              Never\r\n\r\n\
Password last set            5/13/2024 9:41:07 AM\r\n\
Last logon                   11/30/2026 8:12:03 AM\r\n\r\n\
Local Group Memberships      *Administrators       *Users\r\n\
Global Group memberships     *None\r\n\
The command completed successfully.\r\n";

    fn names(r: &Read) -> Vec<(&str, bool)> {
        r.accounts
            .iter()
            .map(|l| (l.account.name.as_str(), l.account.admin))
            .collect()
    }

    #[test]
    fn net_user_and_the_administrators_in_shift_jis_and_utf8() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(NET_USER_JA);
        let (admins, _, _) = encoding_rs::SHIFT_JIS.encode(ADMINS_JA);
        let r = read(&[(&sjis, "users.txt"), (&admins, "admins.txt")], None).unwrap();
        assert_eq!(r.formats, [Format::NetUser, Format::LocalGroup]);
        assert!(r.admins_listed);
        let got = names(&r);
        assert_eq!(got.len(), 8, "{got:?}");
        assert!(got.contains(&("nurse", true)));
        assert!(got.contains(&("Guest", false)));
        assert!(got.contains(&("CLINIC\\Domain Admins", true)));
        let both = format!("{NET_USER_JA}{ADMINS_JA}");
        let one = read(&[(both.as_bytes(), "all.txt")], None).unwrap();
        assert_eq!(names(&one), got, "one file with both outputs");
    }

    #[test]
    fn net_user_name_in_english() {
        let r = read(&[(DETAIL_EN.as_bytes(), "yamada.txt")], None).unwrap();
        let a = &r.accounts[0].account;
        assert_eq!(a.name, "yamada");
        assert_eq!(a.full_name.as_deref(), Some("Yamada Taro"));
        assert_eq!(a.enabled, Some(true));
        assert!(a.admin);
        assert_eq!(a.last_logon, Some(Date::new(2026, 11, 30).unwrap()));
        assert_eq!(a.password_set, Some(Date::new(2024, 5, 13).unwrap()));
    }

    #[test]
    fn powershell_local_users_with_type_line() {
        let csv = "#TYPE Microsoft.PowerShell.Commands.LocalUser\r\n\
\"AccountExpires\",\"Description\",\"Enabled\",\"FullName\",\"PasswordChangeableDate\",\"PasswordExpires\",\"UserMayChangePassword\",\"PasswordRequired\",\"PasswordLastSet\",\"LastLogon\",\"Name\",\"SID\",\"PrincipalSource\",\"ObjectClass\"\r\n\
,\"コンピューター/ドメインの管理用 (ビルトイン アカウント)\",\"False\",\"\",,,\"True\",\"True\",,,\"Administrator\",\"S-1-5-21-1-500\",\"Local\",\"ユーザー\"\r\n\
,\"\",\"True\",\"山田 太郎\",\"2024/05/14 9:41:07\",,\"True\",\"True\",\"2024/05/13 9:41:07\",\"2026/11/30 8:12:03\",\"yamada\",\"S-1-5-21-1-1001\",\"Local\",\"ユーザー\"\r\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(csv);
        for bytes in [csv.as_bytes().to_vec(), sjis.into_owned()] {
            let r = read(&[(&bytes, "users.csv")], None).unwrap();
            assert_eq!(r.formats, [Format::LocalCsv]);
            let y = &r.accounts[1].account;
            assert_eq!(y.full_name.as_deref(), Some("山田 太郎"));
            assert_eq!(y.enabled, Some(true));
            assert_eq!(y.last_logon, Some(Date::new(2026, 11, 30).unwrap()));
            assert_eq!(r.accounts[0].account.enabled, Some(false));
        }
    }

    #[test]
    fn ad_users_with_and_without_member_of() {
        let csv = "#TYPE Microsoft.ActiveDirectory.Management.ADUser\r\n\
\"DistinguishedName\",\"Enabled\",\"GivenName\",\"LastLogonDate\",\"MemberOf\",\"Name\",\"ObjectClass\",\"ObjectGUID\",\"PasswordLastSet\",\"SamAccountName\",\"SID\",\"Surname\",\"UserPrincipalName\"\r\n\
\"CN=vendor01,CN=Users,DC=clinic,DC=local\",\"True\",,\"2026/12/01 7:00:00\",\"CN=Domain Admins,CN=Users,DC=clinic,DC=local;CN=Users,CN=Builtin,DC=clinic,DC=local\",\"vendor01\",\"user\",\"x\",\"2020/04/01 10:00:00\",\"vendor01\",\"S-1\",,\"vendor01@clinic.local\"\r\n\
\"CN=山田 太郎,CN=Users,DC=clinic,DC=local\",\"False\",\"太郎\",,\"Microsoft.ActiveDirectory.Management.ADPropertyValueCollection\",\"山田 太郎\",\"user\",\"y\",,\"yamada\",\"S-2\",\"山田\",\r\n";
        let r = read(&[(csv.as_bytes(), "ad.csv")], None).unwrap();
        assert_eq!(r.formats, [Format::AdCsv]);
        let v = &r.accounts[0].account;
        assert!(v.domain_admin && v.admin);
        assert_eq!(
            r.accounts[1].account.full_name.as_deref(),
            Some("山田 太郎")
        );
        assert!(r.member_of_unreadable);
    }

    #[test]
    fn fortigate_local_users() {
        let text = "config user local\n    edit \"guest\"\n        set type password\n        set status disable\n        set passwd ENC xxx\n    next\n    edit \"vendor01\"\n        set type password\n        set two-factor fortitoken\n        set fortitoken \"FTKMOB\"\n        set passwd ENC yyy\n    next\n    edit \"maint\"\n        set type password\n        set passwd ENC zzz\n    next\nend\n";
        let r = read(&[(text.as_bytes(), "fgt.conf")], None).unwrap();
        let got: Vec<(&str, Option<bool>, Option<bool>)> = r
            .accounts
            .iter()
            .map(|l| {
                (
                    l.account.name.as_str(),
                    l.account.enabled,
                    l.account.two_factor,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("guest", Some(false), Some(false)),
                ("vendor01", Some(true), Some(true)),
                ("maint", Some(true), Some(false))
            ]
        );
    }

    #[test]
    fn the_template_and_its_errors() {
        let csv = "アカウント名,職員,種別,管理者権限,有効,最終ログオン,二要素認証,初期パスワード\n\
dr01,山田 太郎,,はい,はい,2026/11/30,,いいえ\n\
ehr-admin,,業者,○,有効,,なし,はい\n";
        let r = read(&[(csv.as_bytes(), "ehr.csv")], None).unwrap();
        assert_eq!(r.formats, [Format::Template]);
        let e = &r.accounts[1].account;
        assert_eq!(e.holder, Some(Holder::Vendor));
        assert!(e.admin && e.default_password);
        assert_eq!(e.two_factor, Some(false));
        assert_eq!(r.accounts[0].account.person.as_deref(), Some("山田 太郎"));
        let bad = "アカウント名,管理者権限\nx,たぶん\n";
        match read(&[(bad.as_bytes(), "bad.csv")], None) {
            Err(Problem::Invalid {
                file, line, column, ..
            }) => {
                assert_eq!(
                    (file.as_str(), line, column.as_str()),
                    ("bad.csv", 2, "管理者権限")
                );
            }
            other => panic!("{other:?}"),
        }
        let date = "アカウント名,最終ログオン\nx,2026/13/40\n";
        assert!(matches!(
            read(&[(date.as_bytes(), "d.csv")], None),
            Err(Problem::Invalid { line: 2, .. })
        ));
        assert!(matches!(
            read(&[(b"hello\n", "x.txt")], None),
            Err(Problem::Unknown { .. })
        ));
        assert_eq!(
            read(&[(ADMINS_JA.as_bytes(), "a.txt")], None),
            Err(Problem::OnlyAdmins)
        );
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../../testdata/accounts/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn one(names: &[&str]) -> Read {
        let files: Vec<(Vec<u8>, &str)> = names.iter().map(|n| (fixture(n), *n)).collect();
        let given: Vec<(&[u8], &str)> = files.iter().map(|(b, n)| (b.as_slice(), *n)).collect();
        read(&given, None).unwrap_or_else(|e| panic!("{names:?}: {e:?}"))
    }

    fn account<'a>(r: &'a Read, name: &str) -> &'a SystemAccount {
        &r.accounts
            .iter()
            .find(|l| l.account.name == name)
            .unwrap_or_else(|| panic!("{name} in {r:?}"))
            .account
    }

    #[test]
    fn captured_net_outputs_in_every_encoding_read_alike() {
        let ja = one(&["net_user_ja.txt", "localgroup_admins_ja.txt"]);
        let names = |r: &Read| {
            let mut n: Vec<(String, bool)> = r
                .accounts
                .iter()
                .map(|l| (l.account.name.clone(), l.account.admin))
                .collect();
            n.sort();
            n
        };
        for other in [
            one(&["net_user_ja.utf8.txt", "localgroup_admins_ja.utf8.txt"]),
            one(&[
                "net_user_ja.ps51_redirect_utf16le.txt",
                "localgroup_admins_ja.txt",
            ]),
            one(&["net_user_en.txt", "localgroup_admins_en.txt"]),
        ] {
            assert_eq!(names(&other), names(&ja));
        }
        assert!(ja.admins_listed);
        assert_eq!(ja.computer.as_deref(), Some("PC01"));
        assert!(account(&ja, "Administrator").admin);
        assert!(!account(&ja, "Guest").admin);
        assert!(account(&ja, "CLINIC\\vendor01").admin, "a domain member");
        assert_eq!(
            account(&ja, "CLINIC\\Domain Admins").holder,
            Some(Holder::BuiltIn),
            "a group, not an account"
        );
        assert!(ja.accounts.len() >= 10, "{:?}", names(&ja));
    }

    #[test]
    fn net_accounts_gives_the_password_settings() {
        let ja = "強制ログオフまでの時間 (ログオン時間の終了後):         無期限\r\n\
パスワードの最短有効期間 (日):                         0\r\n\
パスワードの最長有効期間 (日):                         42\r\n\
パスワードの最小文字数:                                0\r\n\
保持されるパスワードの履歴の数:                        なし\r\n\
ロックアウトのしきい値:                                なし\r\n\
ロックアウト期間 (分):                                 30\r\n\
ロックアウト監視期間 (分):                             30\r\n\
コンピューターの役割:                                  WORKSTATION\r\n\
コマンドは正常に終了しました。\r\n";
        let en = "Force user logoff how long after time expires?:       Never\r\n\
Minimum password age (days):                          0\r\n\
Maximum password age (days):                          Unlimited\r\n\
Minimum password length:                              14\r\n\
Length of password history maintained:                None\r\n\
Lockout threshold:                                    10\r\n\
Lockout duration (minutes):                           30\r\n\
Lockout observation window (minutes):                 30\r\n\
Computer role:                                        WORKSTATION\r\n\
The command completed successfully.\r\n";
        let text = format!("{NET_USER_JA}{ja}");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let r = read(&[(&sjis, "pc.txt")], None).unwrap();
        assert_eq!(
            r.policy,
            Some(PasswordPolicy {
                min_length: 0,
                max_age_days: Some(42),
                lockout_threshold: None
            })
        );
        assert!(r.formats.contains(&Format::NetAccounts));
        let both = format!("{NET_USER_JA}{en}");
        let r = read(&[(both.as_bytes(), "pc.txt")], None).unwrap();
        assert_eq!(
            r.policy,
            Some(PasswordPolicy {
                min_length: 14,
                max_age_days: None,
                lockout_threshold: Some(10)
            })
        );
        assert_eq!(r.accounts.len(), 7, "the users still read");
    }

    #[test]
    fn captured_net_user_details_in_japanese_and_english() {
        for (file, vendor) in [
            ("net_user_name_ja.txt", "net_user_vendor01_ja.txt"),
            ("net_user_name_ja.utf8.txt", "net_user_vendor01_ja.txt"),
            ("net_user_name_en.txt", "net_user_vendor01_en.txt"),
        ] {
            let r = one(&[file, vendor]);
            let y = account(&r, "yamada");
            assert_eq!(y.enabled, Some(true), "{file}");
            assert!(y.admin, "{file}: in Administrators");
            assert_eq!(y.password_set, Date::new(2024, 5, 13).ok(), "{file}");
            assert_eq!(y.last_logon, Date::new(2024, 6, 3).ok(), "{file}");
            assert!(y.full_name.is_some(), "{file}");
            let v = account(&r, "vendor01");
            assert_eq!(v.last_logon, None, "{vendor}: never");
            assert!(v.expires.is_some(), "{vendor}: the contract's end");
        }
    }

    #[test]
    fn captured_powershell_and_fortigate_exports() {
        for file in [
            "get_localuser_ja_sjis.csv",
            "get_localuser_ja_utf8bom.csv",
            "get_localuser_ja_notype_utf8bom.csv",
            "get_localuser_ja.csv",
            "get_localuser_en.csv",
            "get_localuser_en_notype.csv",
        ] {
            let r = one(&[file]);
            assert_eq!(r.formats, [Format::LocalCsv], "{file}");
            assert_eq!(account(&r, "Administrator").enabled, Some(false), "{file}");
            let y = account(&r, "yamada");
            assert_eq!(y.enabled, Some(true), "{file}");
            assert!(y.last_logon.is_some(), "{file}");
        }
        let sjis = one(&["get_localuser_ja_sjis.csv"]);
        let utf8 = one(&["get_localuser_ja_utf8bom.csv"]);
        assert_eq!(
            account(&sjis, "yamada").full_name,
            account(&utf8, "yamada").full_name
        );
        let plain = one(&["get_aduser_ja.csv"]);
        assert_eq!(plain.formats, [Format::AdCsv]);
        assert!(plain.member_of_unreadable);
        let joined = one(&["get_aduser_ja_memberof_joined.csv"]);
        assert!(account(&joined, "vendor01").domain_admin);
        assert!(!joined.member_of_unreadable);
        one(&["get_aduser_ja_ascii_default.csv"]);
        for file in [
            "fortigate_show_user_local.txt",
            "fortigate_user_local_backup_excerpt.conf",
        ] {
            let r = one(&[file]);
            assert_eq!(r.formats, [Format::FortiGate], "{file}");
            assert_eq!(account(&r, "yamazaki").enabled, Some(false), "{file}");
            assert_eq!(account(&r, "yamada").two_factor, Some(true), "{file}");
            assert_eq!(account(&r, "guest").two_factor, Some(false), "{file}");
            assert_eq!(
                account(&r, "yamada").password_set,
                Date::new(2024, 5, 13).ok()
            );
        }
    }

    #[test]
    fn a_roster_with_dates_logins_and_duplicates() {
        let csv = "職員番号,氏名,職種,部署,入職日,退職日,アカウント\n\
001,山田 太郎,医師,内科,2010/4/1,,\"yamada, t.yamada\"\n\
002,鈴木 一郎,医事課,受付,2015/4/1,2026/3/31,suzuki\n";
        let r = roster(csv.as_bytes(), "roster.csv").unwrap();
        assert_eq!(r.people.len(), 2);
        assert_eq!(r.people[0].1.logins, ["yamada", "t.yamada"]);
        assert_eq!(r.people[1].1.left, Some(Date::new(2026, 3, 31).unwrap()));
        assert_eq!(r.people[1].0, 3);
        let dup = "職員番号,氏名,職種\n1,山田,医師\n2,佐藤,看護師\n1,田中,事務\n";
        assert_eq!(
            roster(dup.as_bytes(), "r.csv"),
            Err(RosterProblem::Duplicate {
                first: 2,
                second: 4,
                name: "田中".into()
            })
        );
        let bad = "氏名,職種,退職日\n山田,医師,昨日\n";
        match roster(bad.as_bytes(), "r.csv") {
            Err(RosterProblem::Invalid { row, column, .. }) => {
                assert_eq!((row, column.as_str()), (2, "退職日"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(roster(b"a,b\n1,2\n", "r.csv"), Err(RosterProblem::NoHeader));
        let missing = "氏名,職種\n山田,\n";
        assert!(matches!(
            roster(missing.as_bytes(), "r.csv"),
            Err(RosterProblem::Invalid { row: 2, .. })
        ));
    }
}
