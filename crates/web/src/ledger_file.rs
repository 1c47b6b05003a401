//! A ledger file as both the upload page and `mamori import ledger` read it: the device
//! sheets, and the connection-point and vendor sheets in the words of either language.

use store::{LedgerImport, PointImport};

use crate::Lang;

/// Every language's label of a locale id, for reading back what an export wrote.
pub fn labels(id: &str) -> Vec<String> {
    [Lang::Ja, Lang::En].iter().map(|l| l.t(id)).collect()
}

/// Reads the sheets of a ledger file; all problems at once.
pub fn parse(
    sheets: &[ingest::table::Sheet],
) -> Result<ingest::ledger::Ledger, Vec<ingest::ledger::Problem>> {
    ingest::ledger::parse_with(sheets, &labels)
}

/// What a read ledger hands to `Store::import_ledger`.
pub struct Parts {
    assets: Vec<domain::NewAsset>,
    lines: Vec<usize>,
    columns: Vec<Vec<domain::ledger::Column>>,
    points: Vec<PointImport>,
    vendors: Vec<domain::NewVendor>,
}

impl Parts {
    pub fn of(ledger: &ingest::ledger::Ledger) -> Parts {
        Parts {
            assets: ledger.rows.iter().map(|r| r.asset.clone()).collect(),
            lines: ledger.rows.iter().map(|r| r.line).collect(),
            columns: ledger.rows.iter().map(|r| r.columns.clone()).collect(),
            points: ledger
                .extras
                .points
                .iter()
                .map(|p| PointImport {
                    point: p.point.clone(),
                    device: p.device.clone(),
                    line: p.line,
                })
                .collect(),
            vendors: ledger
                .extras
                .vendors
                .iter()
                .map(|v| v.vendor.clone())
                .collect(),
        }
    }

    pub fn request<'a>(&'a self, source: &'a str, dry_run: bool) -> LedgerImport<'a> {
        LedgerImport {
            assets: &self.assets,
            lines: &self.lines,
            columns: &self.columns,
            source,
            dry_run,
            points: &self.points,
            vendors: &self.vendors,
        }
    }
}

/// What the import does to the file's connection points and vendors, one line each (none
/// when the file has no such sheet).
pub fn extra_lines(
    lang: Lang,
    ledger: &ingest::ledger::Ledger,
    plan: &domain::ledger::Plan,
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
