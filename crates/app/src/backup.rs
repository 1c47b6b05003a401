//! `mamori backup manifest DIR --out FILE` and `mamori backup verify DIR --manifest FILE`: a
//! backup's files hashed when it is taken, and again when it is checked or restored. Needs no
//! database: it runs on the machine that holds the backup. With `--facility` the result is
//! kept as evidence, and with `--system` it is recorded as a restore drill of that system.
//! `mamori backups` lists each system's copies, drills and 3-2-1-1-0 status.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use domain::backup::Manifest;
use service::backup::BackupError;
use text::{Lang, args};

use crate::failure::Failure;
use crate::output::{say, say_err};

/// How many files of each kind (changed, missing, added) a kept report names.
const REPORT_NAMES: usize = 1000;

/// The largest manifest read (a million files is about 100 MB).
const MAX_MANIFEST: usize = 256 * 1024 * 1024;

fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn problem(lang: Lang, e: BackupError) -> anyhow::Error {
    Failure(match e {
        BackupError::NotADirectory(p) => lang.tr(
            "backup-not-a-directory",
            args![dir = p.display().to_string()],
        ),
        BackupError::Io { path, detail, .. } => lang.tr(
            "error-file-read",
            args![file = path.display().to_string(), detail = detail],
        ),
        BackupError::Name(p) => lang.tr("backup-bad-name", args![path = p.display().to_string()]),
    })
    .into()
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

pub fn manifest(lang: Lang, dir: &Path, out: &Path) -> Result<ExitCode> {
    let taken =
        service::backup::manifest(dir, workers(), Some(out)).map_err(|e| problem(lang, e))?;
    crate::failure::write_file(lang, out, taken.manifest.to_text())?;
    say!(
        "{}",
        lang.tr(
            "backup-manifest-written",
            args![
                dir = dir.display().to_string(),
                count = taken.manifest.files.len(),
                size = mib(taken.bytes),
                out = out.display().to_string()
            ]
        )
    );
    if !taken.skipped.is_empty() {
        say!(
            "{}",
            lang.tr("backup-skipped", args![names = taken.skipped.join(", ")])
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What a verification found, as kept for the inspector: the folders, the counts and every
/// file that differed, in the reader's language.
pub struct Report {
    pub text: String,
    pub title: String,
}

pub fn verify(lang: Lang, dir: &Path, manifest: &Path) -> Result<(ExitCode, Report)> {
    let shown = manifest.display().to_string();
    let bytes = crate::ledger::read_capped(lang, manifest, &shown, MAX_MANIFEST)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure(lang.tr("backup-manifest-unreadable", args![file = shown.as_str()]))
    })?;
    let taken = Manifest::parse(&text).map_err(|bad| {
        let lines: Vec<String> = bad.iter().take(5).map(|b| b.line.to_string()).collect();
        Failure(lang.tr(
            "backup-manifest-bad-lines",
            args![
                file = shown.as_str(),
                lines = lines.join(", "),
                count = bad.len()
            ],
        ))
    })?;
    let now =
        service::backup::manifest(dir, workers(), Some(manifest)).map_err(|e| problem(lang, e))?;
    let d = taken.compare(&now.manifest);
    let mut lines = vec![lang.tr(
        "backup-report-head",
        args![dir = dir.display().to_string(), manifest = shown.as_str()],
    )];
    let title = lang.tr(
        "backup-report-title",
        args![
            matched = d.matched,
            differ = d.changed.len() + d.missing.len() + d.extra.len()
        ],
    );
    if d.is_clean() {
        let ok = lang.tr(
            "backup-verified",
            args![count = d.matched, size = mib(now.bytes)],
        );
        say!("{ok}");
        lines.push(ok);
        let text = lines.join("\n") + "\n";
        return Ok((ExitCode::SUCCESS, Report { text, title }));
    }
    for (id, list) in [
        ("backup-changed", &d.changed),
        ("backup-missing", &d.missing),
        ("backup-extra", &d.extra),
    ] {
        for (i, path) in list.iter().enumerate() {
            let line = lang.tr(id, args![path = path.as_str()]);
            say_err!("{line}");
            // The kept report names the first ones of each kind (a whole encrypted backup
            // would not fit in a document); the counts below say how many in all.
            if i < REPORT_NAMES {
                lines.push(line);
            }
        }
    }
    let summary = lang.tr(
        "backup-differs",
        args![
            matched = d.matched,
            changed = d.changed.len(),
            missing = d.missing.len(),
            extra = d.extra.len()
        ],
    );
    say_err!("{summary}");
    lines.push(summary);
    let text = lines.join("\n") + "\n";
    Ok((ExitCode::from(1), Report { text, title }))
}

/// Keeps the verification's report as evidence of checklist item 3-② (backups and their
/// restore) in the facility, valid from today.
pub async fn keep(
    lang: Lang,
    cfg: &crate::config::Config,
    store: &store::Store,
    clock: &dyn domain::Clock,
    scope: &store::FacilityScope,
    report: &Report,
) -> Result<i64> {
    let fail = crate::failure::store(lang, &cfg.database_url);
    let now = clock.now();
    let file_name = format!("backup-verify-{}.txt", domain::Date::in_japan(now));
    let kept = service::evidence::add_report(
        store,
        &cfg.evidence_dir,
        scope,
        &crate::commands::cli_actor(),
        service::evidence::Report {
            topic: "backup_restore",
            title: &report.title,
            file_name: &file_name,
            text: &report.text,
        },
        now,
    )
    .await
    .map_err(&fail)?;
    match kept {
        Ok(number) => {
            say!("{}", lang.tr("backup-kept", args![number = number]));
            Ok(number)
        }
        Err(problems) => Err(Failure(
            problems
                .iter()
                .map(|p| service::messages::evidence_problem(lang, p, &file_name))
                .collect::<Vec<_>>()
                .join(" / "),
        )
        .into()),
    }
}

/// The facility's device a drill is recorded for, found by its ledger name.
pub async fn system_of(
    lang: Lang,
    cfg: &crate::config::Config,
    store: &store::Store,
    scope: &store::FacilityScope,
    name: &str,
) -> Result<domain::AssetId> {
    let assets = store
        .assets(scope)
        .await
        .map_err(crate::failure::store(lang, &cfg.database_url))?;
    match service::backup::find_device(&assets, name) {
        Ok(a) => Ok(a.id),
        Err(domain::text::NoMatch::None) => {
            Err(Failure(lang.tr("backup-no-such-system", args![name = name])).into())
        }
        Err(domain::text::NoMatch::Many) => {
            Err(Failure(lang.tr("backup-system-ambiguous", args![name = name])).into())
        }
    }
}

/// A verification kept as a restore drill of a system.
pub struct Drill<'a> {
    pub system: domain::AssetId,
    pub dir: &'a Path,
    pub clean: bool,
    pub minutes: u32,
    pub evidence: i64,
}

pub async fn record_drill(
    lang: Lang,
    cfg: &crate::config::Config,
    store: &store::Store,
    clock: &dyn domain::Clock,
    scope: &store::FacilityScope,
    d: Drill<'_>,
) -> Result<()> {
    let now = clock.now();
    let what = lang.tr(
        "backup-drill-what",
        args![dir = d.dir.display().to_string()],
    );
    let what: String = what.chars().take(200).collect();
    let drill = domain::backup::NewDrill {
        result: Some(if d.clean {
            domain::backup::DrillResult::Restored
        } else {
            domain::backup::DrillResult::Failed
        }),
        minutes: Some(d.minutes),
        problems: (!d.clean).then(|| lang.t("backup-drill-differs")),
        verified: true,
        evidence: Some(d.evidence),
        ..domain::backup::NewDrill::new(d.system, domain::Date::in_japan(now), &what)
            .map_err(|e| Failure(service::messages::domain_error(lang, &e)))?
    };
    store
        .record_drill(scope, &crate::commands::cli_actor(), now, &drill)
        .await
        .map_err(crate::failure::store(lang, &cfg.database_url))?;
    say!("{}", lang.t("backup-drill-recorded"));
    Ok(())
}

/// `mamori backups`: each system's 3-2-1-1-0 status, copies, drills and what to do.
pub async fn list(
    lang: Lang,
    cfg: &crate::config::Config,
    store: &store::Store,
    clock: &dyn domain::Clock,
    facility: &str,
    format: crate::cli::Format,
) -> Result<ExitCode> {
    let scope = crate::ledger::scope_of(lang, cfg, store, facility).await?;
    let today = domain::Date::in_japan(clock.now());
    let view = service::backup::overview(store, &scope, today)
        .await
        .map_err(crate::failure::store(lang, &cfg.database_url))?;
    match format {
        crate::cli::Format::Json => {
            println!("{}", serde_json::to_string_pretty(&view)?);
        }
        crate::cli::Format::Table => {
            if view.systems.is_empty() {
                say!("{}", lang.t("backups-no-systems"));
                return Ok(ExitCode::SUCCESS);
            }
            let header: Vec<String> = [
                "backups-col-system",
                "backups-col-rule",
                "backups-col-copies",
                "backups-col-drill",
            ]
            .iter()
            .map(|id| lang.t(id))
            .collect();
            let rows: Vec<Vec<String>> = view
                .systems
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        rule_text(s.assessment.rule),
                        s.copies.len().to_string(),
                        match &s.assessment.last_drill {
                            Some(d) => text::day(lang, d.details.on),
                            None => lang.t("backups-never"),
                        },
                    ]
                })
                .collect();
            print!("{}", crate::output::table(&header, &rows));
            for s in &view.systems {
                say!();
                say!("{}", s.name);
                for c in &s.copies {
                    say!(
                        "  {} — {}",
                        service::messages::copy_label(lang, c),
                        service::messages::exposure_text(lang, &c.exposure)
                    );
                }
                for p in &s.assessment.problems {
                    let (what, todo) = service::messages::backup_problem(lang, s, p);
                    say!("- {what}\n  → {todo}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// 3-2-1-1-0 with each digit not kept crossed out: "3-2-×-1-×".
pub fn rule_text(r: domain::backup::Rule3210) -> String {
    [
        (r.three, '3'),
        (r.two, '2'),
        (r.one_off_site, '1'),
        (r.one_offline, '1'),
        (r.zero, '0'),
    ]
    .iter()
    .map(|(kept, digit)| {
        if *kept {
            digit.to_string()
        } else {
            "×".to_string()
        }
    })
    .collect::<Vec<_>>()
    .join("-")
}

/// A backup job's log to record against one copy of a system.
pub struct Log<'a> {
    pub file: &'a Path,
    pub system: domain::AssetId,
    pub medium: Option<&'a str>,
}

/// `mamori backup log`: the newest backup `wbadmin get versions` lists becomes the copy's
/// last success.
pub async fn record_log(
    lang: Lang,
    store: &store::Store,
    clock: &dyn domain::Clock,
    scope: &store::FacilityScope,
    log: Log<'_>,
) -> Result<ExitCode> {
    let medium = log
        .medium
        .map(domain::backup::Medium::parse)
        .transpose()
        .map_err(|e| Failure(service::messages::domain_error(lang, &e)))?;
    let shown = log.file.display().to_string();
    let bytes = crate::ledger::read_capped(lang, log.file, &shown, ingest::backup_log::MAX_BYTES)?;
    let versions = ingest::backup_log::wbadmin_versions(&bytes).map_err(|p| {
        use ingest::backup_log::Problem;
        Failure(match p {
            Problem::TooLarge | Problem::File(_) => {
                lang.tr("backup-log-unreadable", args![file = shown.as_str()])
            }
            Problem::NoVersions => lang.tr("backup-log-no-versions", args![file = shown.as_str()]),
            Problem::BadVersion { line, text } => lang.tr(
                "backup-log-bad-version",
                args![file = shown.as_str(), line = line, text = text],
            ),
        })
    })?;
    let done = service::backup::record_log(
        store,
        scope,
        &crate::commands::cli_actor(),
        clock.now(),
        (log.system, medium),
        &versions,
    )
    .await
    .map_err(|p| {
        use service::backup::LogProblem;
        Failure(match p {
            LogProblem::NoCopy => lang.t("backup-log-no-copy"),
            LogProblem::WhichCopy(media) => lang.tr(
                "backup-log-which-copy",
                args![
                    media = media
                        .iter()
                        .map(|m| m.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ],
            ),
            LogProblem::Store(detail) => detail,
        })
    })?;
    match done {
        service::backup::Logged::Recorded { day, versions, .. } => say!(
            "{}",
            lang.tr(
                "backup-log-recorded",
                args![count = versions, day = text::day(lang, day)]
            )
        ),
        service::backup::Logged::NothingNewer { recorded, .. } => say!(
            "{}",
            lang.tr(
                "backup-log-nothing-newer",
                args![day = text::day(lang, recorded)]
            )
        ),
    }
    Ok(ExitCode::SUCCESS)
}
