//! `mamori backup manifest DIR --out FILE` and `mamori backup verify DIR --manifest FILE`: a
//! backup's files hashed when it is taken, and again when it is checked or restored. Needs no
//! database: it runs on the machine that holds the backup.

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
    std::fs::write(out, taken.manifest.to_text()).map_err(|e| {
        Failure(lang.tr(
            "error-file-write",
            args![file = out.display().to_string(), detail = e.to_string()],
        ))
    })?;
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
) -> Result<()> {
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
            Ok(())
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
