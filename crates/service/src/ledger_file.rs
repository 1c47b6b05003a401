//! A ledger file as both the upload page and `mamori import ledger` read it: the device
//! sheets, and the connection-point and vendor sheets in the words of either language.

use store::PointImport;

use text::Lang;

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

/// Cancels a parse when dropped: the request that started it has gone (the person left the
/// page, the connection closed), so the reading thread stops at its next look.
struct CancelOnDrop(ingest::budget::Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Imports a ledger file as the upload page and `mamori import ledger` do. The file is read
/// and checked first, on a blocking thread and within `ingest::budget::Budget::DEFAULT`,
/// holding no database connection (a slow or hostile file keeps nobody else waiting); then
/// its devices are matched and written in one transaction, which commits only when every
/// row is right. Dropping the returned future cancels the reading; `turn` (the place the
/// upload page holds, or `()`) is released when the reading has stopped.
#[allow(clippy::too_many_arguments)] // The service layer (issue 12) takes this over.
pub async fn import(
    store: &store::Store,
    scope: &store::FacilityScope,
    actor: &domain::Actor,
    now: domain::Timestamp,
    file_name: &str,
    bytes: std::sync::Arc<[u8]>,
    dry_run: bool,
    turn: impl Send + 'static,
) -> Result<Imported, ImportFailure> {
    let cancel = CancelOnDrop(ingest::budget::Cancel::default());
    let name = file_name.to_string();
    let flag = cancel.0.clone();
    let reading = tokio::task::spawn_blocking(move || {
        let mut meter = ingest::budget::Meter::new(ingest::budget::Budget::DEFAULT, flag);
        let mut batches: Vec<Vec<ingest::ledger::Row>> = Vec::new();
        let read =
            ingest::ledger::read_file(&bytes, &name, &labels, &mut meter, |b| batches.push(b));
        drop(turn);
        read.map(|ledger| (ledger, batches))
    })
    .await;
    let (ledger, batches) = match reading {
        Ok(Ok(read)) => read,
        Ok(Err(ingest::ledger::Unreadable::File(p))) => return Err(ImportFailure::File(p)),
        Ok(Err(ingest::ledger::Unreadable::Rows(p))) => return Err(ImportFailure::Rows(p)),
        // A reader that failed inside (a bug in a parser met by a strange file): the file
        // is refused, the server goes on.
        Err(e) => {
            tracing::error!(error = %e, "ledger reader stopped");
            return Err(ImportFailure::File(
                ingest::table::FileProblem::ReaderFailed,
            ));
        }
    };
    drop(cancel);
    let mut session = store
        .begin_ledger_import(scope, actor, now, dry_run)
        .await
        .map_err(ImportFailure::Store)?;
    for batch in batches {
        session.rows(batch).await.map_err(ImportFailure::Store)?;
    }
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
        Ok(summary) => {
            if !dry_run {
                store.after_bulk_write(summary.added()).await;
            }
            Ok(Imported { ledger, summary })
        }
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
            out.more = Some(lang.tr("import-more", text::args![count = more]));
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
                text::args![
                    added = c.added,
                    changed = c.changed,
                    unchanged = c.unchanged
                ],
            ));
        }
    }
    out
}
