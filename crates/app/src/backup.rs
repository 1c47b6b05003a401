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
        BackupError::Io { path, detail } => lang.tr(
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
    let taken = service::backup::manifest(dir, workers()).map_err(|e| problem(lang, e))?;
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

pub fn verify(lang: Lang, dir: &Path, manifest: &Path) -> Result<ExitCode> {
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
    let now = service::backup::manifest(dir, workers()).map_err(|e| problem(lang, e))?;
    let d = taken.compare(&now.manifest);
    if d.is_clean() {
        say!(
            "{}",
            lang.tr(
                "backup-verified",
                args![count = d.matched, size = mib(now.bytes)]
            )
        );
        return Ok(ExitCode::SUCCESS);
    }
    for (id, list) in [
        ("backup-changed", &d.changed),
        ("backup-missing", &d.missing),
        ("backup-extra", &d.extra),
    ] {
        for path in list {
            say_err!("{}", lang.tr(id, args![path = path.as_str()]));
        }
    }
    say_err!(
        "{}",
        lang.tr(
            "backup-differs",
            args![
                matched = d.matched,
                changed = d.changed.len(),
                missing = d.missing.len(),
                extra = d.extra.len()
            ]
        )
    );
    Ok(ExitCode::from(1))
}
