//! What each error says to a person, in their language. One place, used by the web pages
//! and the command line alike.

use store::Error as StoreError;
use store::UrlProblem;

use domain::audit::BreakKind;

use text::Lang;
use text::args;

/// When and by whose word support ended: the ledger's date, or the table's family.
pub fn support_text(lang: Lang, e: &domain::support::EndOfSupport, today: domain::Date) -> String {
    match &e.source {
        domain::support::Source::Table { family, .. } if e.ends >= today => lang.tr(
            "eos-table-future",
            args![family = family.as_str(), date = text::day(lang, e.ends)],
        ),
        _ => support_ended(lang, e),
    }
}

/// An end of support that has passed, and by whose word.
pub fn support_ended(lang: Lang, e: &domain::support::EndOfSupport) -> String {
    match &e.source {
        domain::support::Source::Ledger => {
            lang.tr("eos-ledger", args![date = text::day(lang, e.ends)])
        }
        domain::support::Source::Table { family, .. } => lang.tr(
            "eos-table",
            args![family = family.as_str(), date = text::day(lang, e.ends)],
        ),
    }
}

/// One thing to do in words: what to do (with the device), why in plain words, and whom
/// to call.
pub fn to_do(lang: Lang, t: &crate::priorities::ToDo) -> (String, String, String) {
    use domain::priority::Why;
    let device = t.device.as_deref().unwrap_or("?");
    let more = |n: usize| {
        if n == 0 {
            String::new()
        } else {
            lang.tr("todo-more", args![count = n])
        }
    };
    let (what, why) = match &t.action.why {
        Why::RansomwareHoleOutside { cve, more: n } => (
            lang.tr("todo-ransomware-outside-do", args![device = device]),
            lang.tr(
                "todo-ransomware-outside-why",
                args![cve = cve.as_str(), more = more(*n)],
            ),
        ),
        Why::KnownHoleOutside { cve, more: n } => (
            lang.tr("todo-update-do", args![device = device]),
            lang.tr(
                "todo-known-outside-why",
                args![cve = cve.as_str(), more = more(*n)],
            ),
        ),
        Why::LeakedPasswords { cve } => (
            lang.tr("todo-leaked-do", args![device = device]),
            lang.tr("todo-leaked-why", args![cve = cve.as_str()]),
        ),
        Why::WeakWayIn { name, gaps, .. } => (
            lang.tr("todo-weak-way-in-do", args![name = name.as_str()]),
            lang.tr(
                "todo-weak-way-in-why",
                args![
                    gaps = gaps
                        .iter()
                        .map(|g| lang.t(&format!("todo-gap-{}", g.code())))
                        .collect::<Vec<_>>()
                        .join(lang.t("list-separator").as_str())
                ],
            ),
        ),
        Why::PastSupportOutside { ends } => (
            lang.tr("todo-eos-outside-do", args![device = device]),
            lang.tr("todo-eos-outside-why", args![date = text::day(lang, *ends)]),
        ),
        Why::UnregisteredRemote => (
            lang.tr("todo-unregistered-do", args![device = device]),
            lang.t("todo-unregistered-why"),
        ),
        Why::UnlistedRemoteTool { tool } => (
            lang.tr("todo-tool-do", args![device = device, tool = tool.as_str()]),
            lang.t("todo-tool-why"),
        ),
        Why::Account {
            account,
            system,
            problem,
        } => (
            lang.tr(
                &format!("todo-account-{}-do", problem.code()),
                args![account = account.as_str(), system = system.as_str()],
            ),
            lang.t(&format!("todo-account-{}-why", problem.code())),
        ),
        Why::BackupsReachable { copies } => (
            lang.tr("todo-backups-reachable-do", args![device = device]),
            lang.tr("todo-backups-reachable-why", args![count = *copies]),
        ),
        Why::KnownHoleInside {
            cve,
            ransomware,
            more: n,
        } => (
            lang.tr("todo-update-do", args![device = device]),
            lang.tr(
                if *ransomware {
                    "todo-inside-ransomware-why"
                } else {
                    "todo-inside-why"
                },
                args![cve = cve.as_str(), more = more(*n)],
            ),
        ),
    };
    let call = match &t.call {
        Some((vendor, Some(phone))) => lang.tr(
            "todo-call",
            args![vendor = vendor.as_str(), phone = bare_phone(phone)],
        ),
        Some((vendor, None)) => lang.tr("todo-call-no-phone", args![vendor = vendor.as_str()]),
        // A leaver's account is the facility's own work: nobody outside to call.
        None if matches!(t.action.why, Why::Account { .. }) => lang.t("todo-call-inside"),
        None => lang.t("todo-call-none"),
    };
    (what, why, call)
}

/// CISA's required action (always English, a few fixed phrasings) in the reader's words.
pub fn kev_action(lang: Lang, action: &str) -> String {
    let a = action.to_ascii_lowercase();
    let mut out = Vec::new();
    if a.contains("apply mitigations") {
        out.push(lang.t("kev-action-mitigate"));
    } else if a.contains("apply update") || a.contains("apply the update") || a.contains("patch") {
        out.push(lang.t("kev-action-update"));
    }
    if a.contains("discontinue") {
        out.push(lang.t("kev-action-discontinue"));
    }
    if a.contains("hunt") || a.contains("compromise") || a.contains("indicators") {
        out.push(lang.t("kev-action-hunt"));
    }
    if a.contains("credential") || a.contains("password") || a.contains("reset") {
        out.push(lang.t("kev-action-credentials"));
    }
    if out.is_empty() {
        out.push(lang.t("kev-action-other"));
    }
    out.join(" ")
}

/// A 24-hour number without the note that it is one (the vendor list often says so:
/// 「0120-000-110(24時間)」).
pub fn bare_phone(phone: &str) -> String {
    let mut p = phone.to_string();
    for note in ["(24時間)", "（24時間）", "(24h)", "24時間", "24h"] {
        p = p.replace(note, "");
    }
    p.trim().to_string()
}

/// Why a software list cannot be read, naming the line and column.
pub fn software_problem(lang: Lang, p: &ingest::software::SoftwareProblem, file: &str) -> String {
    use ingest::software::SoftwareProblem as P;
    match p {
        P::File(f) => file_problem(lang, f, file),
        P::NotAList => lang.tr("software-not-a-list", args![file = file]),
        P::Invalid {
            line,
            column,
            error,
        } => lang.tr(
            "software-invalid",
            args![
                file = file,
                line = *line,
                column = column.as_str(),
                detail = domain_error(lang, error)
            ],
        ),
        P::TooMany { limit } => lang.tr("software-too-many", args![file = file, limit = *limit]),
    }
}

/// Why an account import was refused, naming the file, line and column.
pub fn accounts_problem(lang: Lang, e: &crate::accounts::ImportError, url: &str) -> String {
    use crate::accounts::ImportError as E;
    use ingest::accounts::Problem as P;
    match e {
        // A picture or a PDF is not an account list: say what is, not how to save a ledger.
        E::Accounts(P::File {
            file,
            problem:
                ingest::table::FileProblem::NotASpreadsheet | ingest::table::FileProblem::Encoding,
        }) => lang.tr("accounts-unknown-format", args![file = file.as_str()]),
        E::Accounts(P::File { file, problem }) => file_problem(lang, problem, file),
        E::Accounts(P::Unknown { file }) => {
            lang.tr("accounts-unknown-format", args![file = file.as_str()])
        }
        E::Accounts(P::Invalid {
            file,
            line,
            column,
            error,
        }) => lang.tr(
            "accounts-invalid",
            args![
                file = file.as_str(),
                line = *line,
                column = column.as_str(),
                detail = domain_error(lang, error)
            ],
        ),
        E::Accounts(P::TooMany { limit }) => lang.tr("accounts-too-many", args![limit = *limit]),
        E::Accounts(P::OnlyAdmins) => lang.t("accounts-only-admins"),
        E::NoSuchSystem { name, ambiguous } => lang.tr(
            if *ambiguous {
                "accounts-system-ambiguous"
            } else {
                "accounts-no-such-system"
            },
            args![name = name.as_str()],
        ),
        E::NotOnRoster { file, line, person } => lang.tr(
            "accounts-not-on-roster",
            args![file = file.as_str(), line = *line, person = person.as_str()],
        ),
        E::Roster(p) => roster_problem(lang, p),
        E::Store(e) => store_error(lang, e, url),
    }
}

/// Why a staff roster was refused, naming the row and column.
pub fn roster_problem(lang: Lang, p: &ingest::accounts::RosterProblem) -> String {
    use ingest::accounts::RosterProblem as P;
    match p {
        P::File(f) => file_problem(lang, f, "roster"),
        P::NoHeader => lang.t("roster-no-header"),
        P::Invalid { row, column, error } => lang.tr(
            "roster-invalid",
            args![
                row = *row,
                column = column.as_str(),
                detail = domain_error(lang, error)
            ],
        ),
        P::Duplicate {
            first,
            second,
            name,
        } => lang.tr(
            "roster-duplicate",
            args![first = *first, second = *second, name = name.as_str()],
        ),
        P::TooMany { limit } => lang.tr("roster-too-many", args![limit = *limit]),
    }
}

/// What is wrong with an account and what to do, in plain words.
pub fn account_problem(lang: Lang, f: &domain::accounts::AccountFinding) -> (String, String) {
    use domain::accounts::Problem as P;
    let a = f.account.as_str();
    let s = f.system_name.as_str();
    let code = f.problem.code();
    let what = match &f.problem {
        P::Leaver {
            person,
            left,
            known,
        } => lang.tr(
            if *known {
                "account-leaver"
            } else {
                "account-leaver-listed"
            },
            args![
                account = a,
                system = s,
                person = person.as_str(),
                left = text::day(lang, *left)
            ],
        ),
        P::UsedAfterLeaving { person, left } => lang.tr(
            "account-used-after-leaving",
            args![
                account = a,
                system = s,
                person = person.as_str(),
                left = text::day(lang, *left)
            ],
        ),
        P::AdminWithoutNeed { person, job } => lang.tr(
            "account-admin-without-need",
            args![
                account = a,
                system = s,
                person = person.as_str(),
                job = job.as_str()
            ],
        ),
        P::Unused { days } => lang.tr(
            "account-unused",
            args![account = a, system = s, days = *days],
        ),
        P::ShortPasswords { min } | P::NeitherLongNorChanged { min } => lang.tr(
            &format!("account-{code}"),
            args![system = s, min = i64::from(*min)],
        ),
        P::NoTwoFactor { recorded: false } => lang.tr(
            "account-no-two-factor-unknown",
            args![account = a, system = s],
        ),
        _ => lang.tr(&format!("account-{code}"), args![account = a, system = s]),
    };
    (what, lang.t(&format!("account-{code}-do")))
}

/// Why a device was not checked, in a few words.
pub fn check_reason(lang: Lang, reason: domain::identify::Reason) -> String {
    lang.t(&format!("check-reason-{}", reason.code()))
}

/// The one thing to do so that a device is checked: for a medical device whose product is
/// unknown, ask its maker; for Windows, the build number.
pub fn check_todo(lang: Lang, reason: domain::identify::Reason, d: &domain::NewAsset) -> String {
    use domain::AssetKind as K;
    use domain::identify::Reason as R;
    let windows = [d.os_name.as_deref(), d.model.as_deref()]
        .into_iter()
        .flatten()
        .any(|t| domain::text::fold(t).contains("windows"));
    let medical = matches!(
        d.kind,
        K::Modality | K::Pacs | K::LabAnalyser | K::MedicalOther
    );
    let id = match reason {
        R::UnknownProduct if medical => "check-todo-unknown-product-medical".to_string(),
        R::UnreadableVersion if windows => "check-todo-unreadable-version-windows".to_string(),
        r => format!("check-todo-{}", r.code()),
    };
    lang.t(&id)
}

/// Why an evidence document was refused, naming the file.
pub fn evidence_problem(lang: Lang, p: &crate::evidence::Problem, file: &str) -> String {
    use crate::evidence::Problem;
    match p {
        Problem::Empty => lang.t("evidence-empty"),
        Problem::TooLarge => lang.tr(
            "evidence-too-large",
            args![limit = crate::evidence::MAX_BYTES / (1024 * 1024)],
        ),
        Problem::Kind => lang.tr("evidence-kind", args![file = file]),
        Problem::Field(e) => domain_error(lang, e),
        Problem::UntilBeforeFrom => lang.t("evidence-until-before-from"),
    }
}

/// What a rule asks for, with its numbers and choices.
pub fn rule_text(lang: Lang, rule: &domain::Rule) -> String {
    match rule {
        domain::Rule::TooLong { max } => lang.tr(rule.id(), args![max = *max]),
        domain::Rule::FiscalYearEnded { year } => lang.tr(
            rule.id(),
            args![year = i64::from(*year), next = i64::from(*year) + 1],
        ),
        domain::Rule::TooLarge { max } => lang.tr(rule.id(), args![max = u64::from(*max)]),
        domain::Rule::TooLongAgo { since } => {
            lang.tr(rule.id(), args![since = text::day(lang, *since)])
        }
        domain::Rule::OutsideFiscalYear { year } => {
            let from = domain::Date::new(*year, 4, 1).ok();
            let to = domain::Date::new(*year + 1, 3, 31).ok();
            match (from, to) {
                (Some(from), Some(to)) => lang.tr(
                    rule.id(),
                    args![from = text::day(lang, from), to = text::day(lang, to)],
                ),
                _ => lang.t(rule.id()),
            }
        }
        domain::Rule::UnknownAssetKind => {
            let sep = match lang {
                Lang::Ja => "、",
                Lang::En => ", ",
            };
            let allowed = domain::AssetKind::ALL
                .iter()
                .map(|k| lang.t(&format!("asset-kind-{}", k.code())))
                .collect::<Vec<_>>()
                .join(sep);
            lang.tr(rule.id(), args![allowed = allowed])
        }
        _ => lang.t(rule.id()),
    }
}

pub fn domain_error(lang: Lang, e: &domain::Error) -> String {
    match e {
        domain::Error::Invalid { field, value, rule } => {
            let rule_text = rule_text(lang, rule);
            if *field == domain::Field::Password || value.trim().is_empty() {
                // A password is never quoted back; nothing typed needs no quoting.
                return lang.tr(
                    "error-invalid-secret",
                    args![field = lang.t(field.id()), rule = rule_text],
                );
            }
            lang.tr(
                "error-invalid",
                args![field = lang.t(field.id()), value = value, rule = rule_text],
            )
        }
    }
}

pub fn store_error(lang: Lang, e: &StoreError, url: &str) -> String {
    match e {
        StoreError::InvalidUrl { reason } => match reason {
            UrlProblem::UnknownScheme => lang.tr("error-url-unknown-scheme", args![url = url]),
            UrlProblem::EmptyPath => lang.tr("error-url-empty-path", args![url = url]),
        },
        StoreError::NoSuchFile { path } => lang.tr("error-no-such-file", args![path = path]),
        StoreError::Connect { backend, detail } => {
            let id = match backend {
                store::Backend::Sqlite => "error-connect-sqlite",
                store::Backend::Postgres => "error-connect-postgres",
            };
            lang.tr(id, args![url = url, detail = detail])
        }
        StoreError::NewerSchema { found, known } => {
            lang.tr("error-newer-schema", args![found = *found, known = *known])
        }
        StoreError::MigrationEdited { version } => {
            lang.tr("error-migration-edited", args![version = *version])
        }
        StoreError::NotMigrated { pending } => {
            let list: Vec<String> = pending.iter().map(i64::to_string).collect();
            lang.tr("error-not-migrated", args![pending = list.join(", ")])
        }
        StoreError::WrongAuditKey { expected, given } => lang.tr(
            "error-wrong-audit-key",
            args![expected = expected, given = given],
        ),
        StoreError::NotFound { what, key } => match *what {
            "facility" => lang.tr("error-not-found-facility", args![key = key]),
            "region" => lang.tr("error-not-found-region", args![key = key]),
            _ => lang.tr("error-not-found", args![what = *what, key = key]),
        },
        StoreError::Conflict { what, key } => match *what {
            "facility" => lang.tr("error-conflict-facility", args![key = key]),
            "region" => lang.tr("error-conflict-region", args![key = key]),
            "review" => lang.tr("error-conflict-review", args![number = key]),
            "checklist-round" => lang.tr("error-conflict-checklist-round", args![key = key]),
            _ => lang.tr("error-conflict", args![what = *what, key = key]),
        },
        StoreError::Corrupt {
            table,
            column,
            id,
            value,
        } => lang.tr(
            "error-corrupt",
            args![table = *table, column = *column, id = id, value = value],
        ),
        StoreError::Invalid(d) => domain_error(lang, d),
        StoreError::LedgerConflicts(c) => lang.tr("error-ledger-conflicts", args![count = c.len()]),
        StoreError::Unaudited => lang.t("error-unaudited"),
        StoreError::ForgedCheckpoint => lang.t("error-forged-checkpoint"),
        StoreError::Superseded => lang.t("error-superseded"),
        StoreError::ChainBroken { facility, seq } => {
            let chain = match facility {
                Some(name) => lang.tr("audit-chain-facility", args![facility = name.as_str()]),
                None => lang.t("audit-chain-deployment"),
            };
            lang.tr("error-chain-broken", args![chain = chain, seq = *seq])
        }
        StoreError::Database(detail) => lang.tr("error-database", args![detail = detail]),
    }
}

/// One problem of a form that is checked like a ledger row: 『項目』: what is wrong.
pub fn form_problem(lang: Lang, p: &ingest::ledger::Problem) -> String {
    let detail = problem_detail(lang, p);
    match &p.column {
        Some(column) => lang.tr("form-problem", args![column = column, detail = detail]),
        None => detail,
    }
}

fn problem_detail(lang: Lang, p: &ingest::ledger::Problem) -> String {
    use ingest::ledger::Trouble;
    match &p.trouble {
        Trouble::Invalid(domain::Error::Invalid { value, rule, .. }) => {
            let rule_text = rule_text(lang, rule);
            if value.is_empty() || value.chars().count() > 60 {
                rule_text
            } else {
                format!("「{value}」: {rule_text}")
            }
        }
        Trouble::NoLedgerSheet => lang.tr("ledger-no-sheet", args![sheet = &p.sheet]),
        Trouble::NoKind => lang.t("ledger-no-kind"),
        Trouble::DuplicateSerial { serial, first } => lang.tr(
            "ledger-duplicate-serial",
            args![serial = serial, first = *first],
        ),
        Trouble::SameDevice { first } => lang.tr("ledger-same-device", args![first = *first]),
        Trouble::SamePoint { first } => lang.tr("ledger-same-point", args![first = *first]),
        Trouble::PointDevice { name, found: 0 } => {
            lang.tr("ledger-point-no-device", args![name = name])
        }
        Trouble::PointDevice { name, found } => {
            lang.tr("ledger-point-devices", args![name = name, count = *found])
        }
        Trouble::ExtraTooLarge { limit } => {
            lang.tr("ledger-extra-too-large", args![limit = *limit])
        }
    }
}

/// One problem of a ledger file: 「シート」N行目『列』: what is wrong.
pub fn ledger_problem(lang: Lang, p: &ingest::ledger::Problem) -> String {
    if p.trouble == ingest::ledger::Trouble::NoLedgerSheet {
        return problem_detail(lang, p);
    }
    let detail = problem_detail(lang, p);
    match &p.column {
        Some(column) => lang.tr(
            "ledger-problem",
            args![
                sheet = &p.sheet,
                line = p.line,
                column = column,
                detail = detail
            ],
        ),
        None => lang.tr(
            "ledger-problem-row",
            args![sheet = &p.sheet, line = p.line, detail = detail],
        ),
    }
}

/// Why a file could not be read at all.
pub fn file_problem(lang: Lang, p: &ingest::table::FileProblem, file: &str) -> String {
    use ingest::table::FileProblem;
    match p {
        FileProblem::TooLarge { limit } => lang.tr(
            "error-file-too-large",
            args![limit = *limit / (1024 * 1024)],
        ),
        FileProblem::Empty => lang.tr("error-file-empty", args![file = file]),
        FileProblem::NotASpreadsheet => lang.tr("error-not-a-spreadsheet", args![file = file]),
        FileProblem::Encoding => lang.tr("error-file-encoding", args![file = file]),
        FileProblem::Csv { line } => lang.tr("error-file-csv", args![file = file, line = *line]),
        FileProblem::Workbook { detail } => {
            lang.tr("error-file-workbook", args![file = file, detail = detail])
        }
        FileProblem::Budget(e) => over_budget(lang, e, file),
        FileProblem::Xlsb => lang.tr("error-file-xlsb", args![file = file]),
        FileProblem::ReaderFailed => lang.tr("error-file-reader", args![file = file]),
    }
}

/// A number with thousands separators (4,000,000,000), as people read large counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file that goes over a parser's budget (`ingest::budget`): what went over which limit,
/// for every importer alike.
pub fn over_budget(lang: Lang, e: &ingest::budget::Exceeded, file: &str) -> String {
    use ingest::budget::Exceeded;
    let mib = |b: u64| b / (1024 * 1024);
    match e {
        Exceeded::FileBytes { limit } => lang.tr(
            "error-file-too-large",
            args![limit = *limit / (1024 * 1024)],
        ),
        Exceeded::Unpacked { limit } => {
            lang.tr("budget-unpacked", args![file = file, limit = mib(*limit)])
        }
        Exceeded::Ratio { part, ratio, limit } => lang.tr(
            "budget-ratio",
            args![file = file, part = part, ratio = *ratio, limit = *limit],
        ),
        Exceeded::Entries { limit } => {
            lang.tr("budget-entries", args![file = file, limit = *limit])
        }
        Exceeded::Row { row, limit } => lang.tr(
            "budget-row",
            args![
                file = file,
                row = grouped(*row),
                limit = grouped(*limit as u64)
            ],
        ),
        Exceeded::Column { column, limit } => lang.tr(
            "budget-column",
            args![
                file = file,
                column = grouped(*column),
                limit = grouped(*limit as u64)
            ],
        ),
        Exceeded::Cells { limit } => lang.tr(
            "budget-cells",
            args![file = file, limit = grouped(*limit as u64)],
        ),
        Exceeded::Declared {
            what,
            declared,
            limit,
        } => lang.tr(
            "budget-declared",
            args![
                file = file,
                what = *what,
                declared = *declared,
                limit = *limit
            ],
        ),
        Exceeded::Depth { limit } => lang.tr("budget-depth", args![file = file, limit = *limit]),
        Exceeded::Time { seconds } => {
            lang.tr("budget-time", args![file = file, seconds = *seconds])
        }
        Exceeded::Cancelled => lang.tr("budget-cancelled", args![file = file]),
    }
}

/// Why a KEV file could not be read.
pub fn kev_problem(lang: Lang, p: &ingest::kev::KevProblem, file: &str) -> String {
    use ingest::kev::KevProblem;
    match p {
        KevProblem::NotKev => lang.tr("error-not-kev", args![file = file]),
        KevProblem::Json { line, column } => lang.tr(
            "error-kev-json",
            args![file = file, line = *line, column = *column],
        ),
        KevProblem::Entry {
            index,
            field,
            value,
        } => lang.tr(
            "error-kev-entry",
            args![file = file, index = *index, field = *field, value = value],
        ),
    }
}

/// Why an NVD file could not be read.
pub fn nvd_problem(lang: Lang, p: &ingest::nvd::NvdProblem, file: &str) -> String {
    use ingest::nvd::NvdProblem;
    match p {
        NvdProblem::NotNvd => lang.tr("error-not-feed", args![file = file]),
        NvdProblem::Json { line, column } => lang.tr(
            "error-kev-json",
            args![file = file, line = *line, column = *column],
        ),
        NvdProblem::Cpe { id, criteria } => lang.tr(
            "error-nvd-cpe",
            args![file = file, id = id, criteria = criteria],
        ),
    }
}

/// Why a JVN iPedia file could not be read.
pub fn jvn_problem(lang: Lang, p: &ingest::jvn::JvnProblem, file: &str) -> String {
    use ingest::jvn::JvnProblem;
    match p {
        JvnProblem::NotJvn => lang.tr("error-not-feed", args![file = file]),
        JvnProblem::Xml { position } => {
            lang.tr("error-jvn-xml", args![file = file, position = *position])
        }
        JvnProblem::Json { line, column } => lang.tr(
            "error-kev-json",
            args![file = file, line = *line, column = *column],
        ),
        JvnProblem::Entry { index, field } => lang.tr(
            "error-jvn-entry",
            args![file = file, index = *index, field = *field],
        ),
        JvnProblem::Budget(e) => over_budget(lang, e, file),
    }
}

/// Why an nmap file could not be read.
pub fn nmap_problem(lang: Lang, p: &ingest::nmap::NmapProblem, file: &str) -> String {
    match p {
        ingest::nmap::NmapProblem::NotNmap => lang.tr("error-not-nmap", args![file = file]),
        ingest::nmap::NmapProblem::Xml { position } => {
            lang.tr("error-nmap-xml", args![file = file, position = *position])
        }
        ingest::nmap::NmapProblem::Budget(e) => over_budget(lang, e, file),
    }
}

/// One finding of a scan, as a sentence; `name` gives a ledger device's name.
pub fn finding(
    lang: Lang,
    f: &domain::scan::Finding,
    name: &dyn Fn(domain::AssetId) -> String,
) -> String {
    use domain::scan::Finding;
    match f {
        Finding::Unknown { host } => lang.tr("finding-unknown-host", args![host = host.label()]),
        Finding::NotSeen { asset } => lang.tr("finding-not-seen", args![name = name(*asset)]),
        Finding::VersionSeen {
            asset,
            port,
            product,
            version,
        } => lang.tr(
            "finding-version-seen",
            args![
                name = name(*asset),
                product = product,
                version = version,
                port = i64::from(*port)
            ],
        ),
        Finding::RiskyService {
            asset,
            ip,
            port,
            service,
        } => {
            let who = asset
                .map(name)
                .or_else(|| ip.map(|i| i.to_string()))
                .unwrap_or_default();
            lang.tr(
                "finding-risky-service",
                args![
                    name = who,
                    service = lang.t(&format!("service-{service}")),
                    port = i64::from(*port)
                ],
            )
        }
    }
}

/// A stored finding, as the sentence [`finding`] made when it was found.
pub fn stored_finding(
    lang: Lang,
    f: &store::StoredFinding,
    name: &dyn Fn(domain::AssetId) -> String,
) -> String {
    let d = &f.detail;
    let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
    let port = d["port"].as_i64().unwrap_or(0);
    let asset_name = f
        .asset
        .map(name)
        .or_else(|| f.ip.clone())
        .unwrap_or_default();
    match f.kind.as_str() {
        "unknown-host" => lang.tr("finding-unknown-host", args![host = text("label")]),
        "not-seen" => lang.tr("finding-not-seen", args![name = asset_name]),
        "version-seen" => lang.tr(
            "finding-version-seen",
            args![
                name = asset_name,
                product = text("product"),
                version = text("version"),
                port = port
            ],
        ),
        _ => lang.tr(
            "finding-risky-service",
            args![
                name = asset_name,
                service = lang.t(&format!("service-{}", text("service"))),
                port = port
            ],
        ),
    }
}

/// What the audit chains' verification says, as one line, and whether they are intact: which
/// chain (the facility's name, or the deployment's own) and which record.
pub fn audit_report(lang: Lang, report: &store::AuditReport) -> (bool, String) {
    let line = match report.outcome {
        Ok(()) => {
            let ok = lang.tr(
                "audit-ok",
                args![count = report.checked, chains = report.chains],
            );
            match report.checkpoint {
                Some(at) => {
                    let seen = lang.tr("audit-ok-checkpoint", args![at = text::when(lang, at)]);
                    // Japanese sentences follow each other without a space.
                    match lang {
                        Lang::Ja => format!("{ok}{seen}"),
                        Lang::En => format!("{ok} {seen}"),
                    }
                }
                None => ok,
            }
        }
        Err(b) => {
            let seq = b.seq;
            let what = match b.kind {
                BreakKind::Altered => lang.tr("audit-altered", args![seq = seq]),
                BreakKind::Missing { expected } => {
                    lang.tr("audit-missing", args![expected = expected, last = seq - 1])
                }
                BreakKind::Unlinked => lang.tr("audit-unlinked", args![seq = seq]),
                BreakKind::Reordered => lang.tr("audit-reordered", args![seq = seq]),
                BreakKind::TailMissing { head_seq } => {
                    lang.tr("audit-tail-missing", args![seq = seq, head = head_seq])
                }
                BreakKind::Rewound { checkpoint_seq } => lang.tr(
                    "audit-rewound",
                    args![seq = seq, checkpoint = checkpoint_seq],
                ),
                BreakKind::NotAsCheckpointed => {
                    lang.tr("audit-not-as-checkpointed", args![seq = seq])
                }
                BreakKind::BrokenBeforeConversion => {
                    lang.tr("audit-broken-before-conversion", args![seq = seq])
                }
                BreakKind::HeadMissing => lang.tr("audit-head-missing", args![seq = seq]),
            };
            let chain = match (&report.broken_facility, b.chain) {
                (Some(name), _) => lang.tr("audit-chain-facility", args![facility = name.as_str()]),
                (None, Some(f)) => lang.tr(
                    "audit-chain-facility",
                    args![facility = format!("#{}", f.0)],
                ),
                (None, None) => lang.t("audit-chain-deployment"),
            };
            format!("{chain}: {what}")
        }
    };
    (report.outcome.is_ok(), line)
}

pub fn unpack_problem(lang: Lang, p: &ingest::unpack::UnpackProblem, file: &str) -> String {
    use ingest::unpack::UnpackProblem;
    match p {
        UnpackProblem::Damaged { format, detail } => lang.tr(
            "error-feed-damaged",
            args![file = file, format = *format, detail = detail.as_str()],
        ),
        UnpackProblem::TooLarge { limit } => lang.tr(
            "error-feed-too-large",
            args![file = file, gib = (*limit >> 30).max(1)],
        ),
        UnpackProblem::Ratio { limit } => over_budget(
            lang,
            &ingest::budget::Exceeded::Ratio {
                part: file.to_string(),
                ratio: limit + 1,
                limit: *limit,
            },
            file,
        ),
    }
}

/// Why a product could not be bound to a device's maker and model (a store failure is the
/// caller's to report).
pub fn bind_problem(lang: Lang, e: &crate::vulns::BindError) -> String {
    use crate::vulns::BindError;
    match e {
        BindError::NoMaker => lang.t("bind-no-maker"),
        BindError::NoneChosen => lang.t("bind-none-chosen"),
        BindError::NotAProduct(value) => {
            lang.tr("bind-not-a-product", args![value = value.as_str()])
        }
        BindError::UnknownProduct { product, near } => {
            let near = if near.is_empty() {
                String::new()
            } else {
                lang.tr("bind-near", args![list = near.join(", ")])
            };
            lang.tr(
                "bind-unknown-product",
                args![product = product.as_str(), near = near],
            )
        }
        BindError::Store(e) => e.to_string(),
    }
}

/// Why NVD's CPE dictionary could not be read.
pub fn cpe_problem(lang: Lang, p: &ingest::cpe::CpeProblem, file: &str) -> String {
    use ingest::cpe::CpeProblem;
    match p {
        CpeProblem::NotCpe => lang.tr("error-not-feed", args![file = file]),
        CpeProblem::Damaged { part, detail } => {
            let part = part
                .as_deref()
                .map(|part| lang.tr("error-cpe-part", args![part = part]))
                .unwrap_or_default();
            lang.tr(
                "error-cpe-damaged",
                args![file = file, part = part, detail = detail.as_str()],
            )
        }
        CpeProblem::Unpack(u) => unpack_problem(lang, u, file),
        CpeProblem::Over(e) => over_budget(lang, e, file),
        CpeProblem::TooManyProducts { limit } => lang.tr(
            "error-cpe-too-many",
            args![file = file, limit = grouped(*limit as u64)],
        ),
    }
}

/// Device fields (as `domain::ledger::changed_fields` and audit records name them) by their
/// column labels, joined: 導入日, IPアドレス…
pub fn asset_fields<'a>(lang: Lang, fields: impl IntoIterator<Item = &'a str>) -> String {
    fields
        .into_iter()
        .map(|f| match domain::ledger::Column::of_field(f) {
            Some(c) => lang.t(&format!("column-{}", c.code())),
            None => f.to_string(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod grouping {
    #[test]
    fn large_counts_read_with_separators() {
        assert_eq!(super::grouped(4_000_000_000), "4,000,000,000");
        assert_eq!(super::grouped(16_384), "16,384");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(0), "0");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_kind_lists_the_kinds_and_every_label_reads_back() {
        let e = domain::Error::invalid(
            domain::Field::AssetKind,
            "トースター",
            domain::Rule::UnknownAssetKind,
        );
        let ja = domain_error(Lang::Ja, &e);
        assert!(
            ja.contains("端末PC") && ja.contains("ネットワーク機器、"),
            "{ja}"
        );
        let en = domain_error(Lang::En, &e);
        assert!(en.contains("Network device, "), "{en}");
        for lang in [Lang::Ja, Lang::En] {
            for k in domain::AssetKind::ALL {
                let label = lang.t(&format!("asset-kind-{}", k.code()));
                assert_eq!(domain::ledger::kind_for(&label), Some(k), "{label}");
            }
        }
    }

    #[test]
    fn every_reason_has_its_words_and_its_todo() {
        let d = domain::NewAsset::new(domain::AssetKind::Modality, "x").unwrap();
        for lang in [Lang::Ja, Lang::En] {
            for r in domain::identify::Reason::ALL {
                assert!(
                    lang.try_t(&format!("check-reason-{}", r.code())).is_some(),
                    "{r:?}"
                );
                assert!(!check_todo(lang, r, &d).is_empty());
            }
        }
        assert!(
            check_todo(Lang::Ja, domain::identify::Reason::UnknownProduct, &d).contains("MDS2")
        );
    }

    #[test]
    fn invalid_input_names_field_value_and_rule() {
        let e = domain::Error::invalid(
            domain::Field::IpAddress,
            "192.168.1.300",
            domain::Rule::NotAnIpAddress,
        );
        assert_eq!(
            domain_error(Lang::Ja, &e),
            "『IPアドレス』: 「192.168.1.300」は使えません。IPアドレスではありません(例: 192.168.1.10)"
        );
        assert!(domain_error(Lang::En, &e).starts_with("\"IP address\": \"192.168.1.300\""));
    }
}

/// A backup copy as a person names it: its medium and the device that holds it.
pub fn copy_label(lang: Lang, c: &crate::backup::CopyRow) -> String {
    let medium = lang.t(&format!("backup-medium-{}", c.copy.details.medium.code()));
    match &c.holder_name {
        Some(h) => lang.tr(
            "backup-copy-on",
            args![medium = medium, device = h.as_str()],
        ),
        None => medium,
    }
}

/// Whether a copy survives an attack, in words.
pub fn exposure_text(lang: Lang, e: &domain::backup::Exposure) -> String {
    use domain::backup::{Exposure, Reach};
    match e {
        Exposure::Immutable => lang.t("backup-exposure-immutable"),
        Exposure::Offline => lang.t("backup-exposure-offline"),
        Exposure::DuringJob => lang.t("backup-exposure-during-job"),
        Exposure::Reachable(Reach::SameSegment { segment }) => lang.tr(
            "backup-reach-same-segment",
            args![segment = segment.as_str()],
        ),
        Exposure::Reachable(Reach::Flow { from, to }) => lang.tr(
            "backup-reach-flow",
            args![from = from.as_str(), to = to.as_str()],
        ),
        Exposure::Reachable(Reach::AlwaysConnected) => lang.t("backup-reach-always"),
        Exposure::Reachable(Reach::AdminCredentials) => lang.t("backup-reach-admin"),
    }
}

/// One backup problem of a system: what is wrong and the one thing to do.
pub fn backup_problem(
    lang: Lang,
    s: &crate::backup::SystemBackups,
    p: &domain::backup::Problem,
) -> (String, String) {
    use domain::backup::Problem as P;
    let copy = |id: domain::backup::CopyId| {
        s.copies
            .iter()
            .find(|c| c.copy.id == id)
            .map(|c| copy_label(lang, c))
            .unwrap_or_default()
    };
    let id = format!("backup-problem-{}", p.code());
    let what = match p {
        P::AllReachable { copies } => lang.tr(&id, args![count = *copies]),
        P::DrillFailed { on, result } => lang.tr(
            &id,
            args![
                date = text::day(lang, *on),
                result = lang.t(&format!("drill-result-{}", result.code()))
            ],
        ),
        P::Stale {
            copy: c,
            last,
            every_days,
        } => lang.tr(
            &id,
            args![
                copy = copy(*c),
                date = text::day(lang, *last),
                every = u64::from(*every_days)
            ],
        ),
        P::NoDrill { last: Some(last) } => lang.tr(
            "backup-problem-old-drill",
            args![date = text::day(lang, *last)],
        ),
        P::OverRto { minutes, rto_hours } => lang.tr(
            &id,
            args![minutes = u64::from(*minutes), hours = u64::from(*rto_hours)],
        ),
        P::OverRpo {
            every_days,
            rpo_hours,
        } => lang.tr(
            &id,
            args![
                every = u64::from(*every_days),
                hours = u64::from(*rpo_hours)
            ],
        ),
        P::Reachable { copy: c, reach } => lang.tr(
            &id,
            args![
                copy = copy(*c),
                reach = exposure_text(lang, &domain::backup::Exposure::Reachable(reach.clone()))
            ],
        ),
        P::OneMedium { medium } => lang.tr(
            &id,
            args![medium = lang.t(&format!("backup-medium-{}", medium.code()))],
        ),
        P::NoLastSuccess { copy: c } => lang.tr(&id, args![copy = copy(*c)]),
        P::NoCopies | P::NoDrill { last: None } | P::NoOffSite | P::OneCopy | P::NoGoal => {
            lang.t(&id)
        }
    };
    (what, lang.t(&format!("backup-do-{}", p.code())))
}

/// The words a printed document's template reads: each key with its locale text.
pub fn print_labels(
    lang: Lang,
    pairs: &[(&str, &str)],
) -> serde_json::Map<String, serde_json::Value> {
    pairs
        .iter()
        .map(|(key, id)| ((*key).to_string(), serde_json::Value::String(lang.t(id))))
        .collect()
}
