//! A ledger file as both the upload page and `mamori import ledger` read it: the device
//! sheets, and the connection-point and vendor sheets in the words of either language.

use store::PointImport;

use crate::Lang;

/// Every language's label of a locale id, for reading back what an export wrote.
pub fn labels(id: &str) -> Vec<String> {
    [Lang::Ja, Lang::En].iter().map(|l| l.t(id)).collect()
}

/// Why a ledger file was not imported.
#[derive(Debug)]
pub enum ImportFailure {
    /// The file as a whole.
    File(ingest::table::FileProblem),
    /// Its rows: every problem, with sheet, row and column.
    Rows(Vec<ingest::ledger::Problem>),
    Store(store::Error),
}

/// A ledger file imported (or, in a dry run, checked and planned).
pub struct Imported {
    /// Its notices (sheets skipped, columns kept in the notes) and extra sheets.
    pub ledger: ingest::ledger::Ledger,
    pub summary: domain::ledger::Summary,
}

/// Batches of rows waiting between the reading thread and the database.
const QUEUED_BATCHES: usize = 4;

/// Imports a ledger file as the upload page and `mamori import ledger` do: the file is read
/// on a blocking thread while the rows already read are matched and written, in one
/// transaction that commits only when the whole file has been read without a problem.
/// Memory holds a few batches of rows, not the file's rows.
pub async fn import(
    store: &store::Store,
    scope: &store::FacilityScope,
    actor: &domain::Actor,
    now: domain::Timestamp,
    file_name: &str,
    bytes: std::sync::Arc<[u8]>,
    dry_run: bool,
) -> Result<Imported, ImportFailure> {
    let mut session = store
        .begin_ledger_import(scope, actor, now, dry_run)
        .await
        .map_err(ImportFailure::Store)?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<ingest::ledger::Row>>(QUEUED_BATCHES);
    let name = file_name.to_string();
    let reading = tokio::task::spawn_blocking(move || {
        // When the writing side has stopped (a database error), the rest is only checked.
        ingest::ledger::read_file(&bytes, &name, &labels, |batch| {
            let _ = tx.blocking_send(batch);
        })
    });
    while let Some(batch) = rx.recv().await {
        session.rows(batch).await.map_err(ImportFailure::Store)?;
    }
    let ledger = match reading.await {
        Ok(Ok(ledger)) => ledger,
        Ok(Err(ingest::ledger::Unreadable::File(p))) => return Err(ImportFailure::File(p)),
        Ok(Err(ingest::ledger::Unreadable::Rows(p))) => return Err(ImportFailure::Rows(p)),
        Err(e) => return Err(ImportFailure::Store(store::Error::Database(e.to_string()))),
    };
    let points: Vec<PointImport> = ledger
        .extras
        .points
        .iter()
        .map(|p| PointImport {
            point: p.point.clone(),
            device: p.device.clone(),
            line: p.line,
        })
        .collect();
    let vendors: Vec<domain::NewVendor> = ledger
        .extras
        .vendors
        .iter()
        .map(|v| v.vendor.clone())
        .collect();
    match session.finish(file_name, &points, &vendors).await {
        Ok(summary) => Ok(Imported { ledger, summary }),
        Err(store::Error::LedgerConflicts(found)) => Err(ImportFailure::Rows(
            ingest::ledger::conflicts(&ledger, &found),
        )),
        Err(e) => Err(ImportFailure::Store(e)),
    }
}

/// The devices an import adds and changes, by name, for a person to read: the first
/// `SHOWN_ROWS` of them, and a line saying how many more the totals count.
pub struct Shown {
    pub added: Vec<String>,
    /// Name and the fields that change.
    pub changed: Vec<(String, String)>,
    pub more: Option<String>,
}

impl Shown {
    pub fn of(lang: Lang, summary: &domain::ledger::Summary) -> Shown {
        let mut out = Shown {
            added: Vec::new(),
            changed: Vec::new(),
            more: None,
        };
        for (name, fields) in &summary.shown {
            match fields {
                None => out.added.push(name.clone()),
                Some(f) => out.changed.push((
                    name.clone(),
                    crate::messages::asset_fields(lang, f.iter().copied()),
                )),
            }
        }
        let more = summary.not_shown();
        if more > 0 {
            out.more = Some(lang.tr("import-more", crate::args![count = more]));
        }
        out
    }
}

/// What the import does to the file's connection points and vendors, one line each (none
/// when the file has no such sheet).
pub fn extra_lines(
    lang: Lang,
    ledger: &ingest::ledger::Ledger,
    plan: &domain::ledger::Summary,
) -> Vec<String> {
    let mut out = Vec::new();
    for (any, id, c) in [
        (
            !ledger.extras.points.is_empty(),
            "import-points",
            plan.points,
        ),
        (
            !ledger.extras.vendors.is_empty(),
            "import-vendors",
            plan.vendors,
        ),
    ] {
        if any {
            out.push(lang.tr(
                id,
                crate::args![
                    added = c.added,
                    changed = c.changed,
                    unchanged = c.unchanged
                ],
            ));
        }
    }
    out
}
