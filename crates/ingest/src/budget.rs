//! The one budget every parser works within: bytes in, bytes unpacked, entries of an archive,
//! rows, columns, cells, XML depth, problems listed and time. Limits are checked before the
//! memory they guard is taken; counts a file declares (a workbook's `uniqueCount`, a sheet's
//! dimensions, a repeat attribute) are compared with what the file can hold and never used
//! to reserve memory. Every importer (ledger, nmap, feeds and those to come) takes a `Meter`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What one parse may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The largest file read, in bytes.
    pub file_bytes: usize,
    /// Everything an archive (a workbook, a gzip or xz feed) unpacks to, together.
    pub unpacked_bytes: u64,
    /// The most a part of an archive larger than `RATIO_FLOOR` may be compressed: a real
    /// workbook's XML packs 5–30 times, a zip bomb a thousand.
    pub ratio: u64,
    /// Entries of an archive.
    pub entries: usize,
    /// Rows and columns of a sheet: Excel's own limits.
    pub rows: usize,
    pub columns: usize,
    /// Cells with a value, together, in all sheets (merged areas count each cell they fill).
    pub cells: usize,
    /// Strings of a workbook's shared-string table.
    pub shared_strings: usize,
    /// Elements open inside each other in an XML file.
    pub depth: usize,
    /// Problems listed before the reader stops looking for more.
    pub problems: usize,
    /// Wall-clock time of one parse.
    pub time: Duration,
}

/// Parts smaller than this are never refused for their compression ratio.
pub const RATIO_FLOOR: u64 = 1 << 20;

impl Budget {
    /// The budget of an upload or a file given to the command line. A ledger of 100,000
    /// devices with 20 columns is 2,000,000 cells in a file of 10–20 MiB.
    pub const DEFAULT: Budget = Budget {
        file_bytes: 32 * 1024 * 1024,
        unpacked_bytes: 512 * 1024 * 1024,
        ratio: 200,
        entries: 10_000,
        rows: 1_048_576,
        columns: 16_384,
        cells: 5_000_000,
        shared_strings: 2_000_000,
        depth: 256,
        problems: 500,
        time: Duration::from_secs(60),
    };

    /// Feeds given by an administrator: NVD's largest year file is ≈ 0.5 GiB of JSON.
    pub const FEED: Budget = Budget {
        file_bytes: 1024 * 1024 * 1024,
        unpacked_bytes: 1536 * 1024 * 1024,
        // NVD's JSON packs ≈ 15× with gzip and ≈ 40× with xz.
        ratio: 100,
        time: Duration::from_secs(600),
        ..Budget::DEFAULT
    };
}

impl Default for Budget {
    fn default() -> Self {
        Budget::DEFAULT
    }
}

/// What went over the budget, with the limit it went over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exceeded {
    FileBytes {
        limit: usize,
    },
    Unpacked {
        limit: u64,
    },
    /// An archive's part packed more tightly than any real file (a zip bomb).
    Ratio {
        part: String,
        ratio: u64,
        limit: u64,
    },
    Entries {
        limit: usize,
    },
    /// A row number past the last row a sheet can have (1-based as shown to people).
    Row {
        row: u64,
        limit: usize,
    },
    Column {
        column: u64,
        limit: usize,
    },
    Cells {
        limit: usize,
    },
    /// A count the file declares that it cannot hold.
    Declared {
        what: &'static str,
        declared: u64,
        limit: u64,
    },
    Depth {
        limit: usize,
    },
    Time {
        seconds: u64,
    },
    Cancelled,
}

/// Ends a parse from another thread (a person who left the page, a server shutting down).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// A budget being spent by one parse.
#[derive(Debug)]
pub struct Meter {
    pub budget: Budget,
    started: Instant,
    cancel: Cancel,
    cells: usize,
    ticks: u32,
}

impl Meter {
    pub fn new(budget: Budget, cancel: Cancel) -> Self {
        Meter {
            budget,
            // A parser's time budget is the machine's work time, not domain time: the one
            // place outside the binary's clock that reads it.
            #[allow(clippy::disallowed_methods)]
            started: Instant::now(),
            cancel,
            cells: 0,
            ticks: 0,
        }
    }

    /// The default budget, not cancellable.
    pub fn standard() -> Self {
        Meter::new(Budget::DEFAULT, Cancel::default())
    }

    /// One step of work: every 4,096 steps the clock and the cancel flag are looked at.
    pub fn tick(&mut self) -> Result<(), Exceeded> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(4096) {
            self.check_time()?;
        }
        Ok(())
    }

    pub fn check_time(&self) -> Result<(), Exceeded> {
        if self.cancel.is_cancelled() {
            return Err(Exceeded::Cancelled);
        }
        if self.started.elapsed() > self.budget.time {
            return Err(Exceeded::Time {
                seconds: self.budget.time.as_secs(),
            });
        }
        Ok(())
    }

    /// `n` more cells with a value.
    pub fn cells(&mut self, n: usize) -> Result<(), Exceeded> {
        self.cells = self.cells.saturating_add(n);
        if self.cells > self.budget.cells {
            return Err(Exceeded::Cells {
                limit: self.budget.cells,
            });
        }
        self.tick()
    }

    /// A 0-based row index.
    pub fn row(&self, index: u64) -> Result<(), Exceeded> {
        if index >= self.budget.rows as u64 {
            return Err(Exceeded::Row {
                row: index.saturating_add(1),
                limit: self.budget.rows,
            });
        }
        Ok(())
    }

    /// A 0-based column index.
    pub fn column(&self, index: u64) -> Result<(), Exceeded> {
        if index >= self.budget.columns as u64 {
            return Err(Exceeded::Column {
                column: index.saturating_add(1),
                limit: self.budget.columns,
            });
        }
        Ok(())
    }

    /// An XML depth reached.
    pub fn depth(&self, depth: usize) -> Result<(), Exceeded> {
        if depth > self.budget.depth {
            return Err(Exceeded::Depth {
                limit: self.budget.depth,
            });
        }
        Ok(())
    }
}

/// How deep an XML document nests, against the budget (a byte scan: no parser's stack
/// grows first).
pub fn xml_depth(bytes: &[u8], budget: &Budget) -> Result<(), Exceeded> {
    let mut scan = crate::archive::DepthScan::default();
    scan.feed(bytes);
    if scan.deepest() > budget.depth {
        return Err(Exceeded::Depth {
            limit: budget.depth,
        });
    }
    Ok(())
}

/// Reads a file given by path, refusing one larger than `limit` before reading it.
pub fn read_path(path: &std::path::Path, limit: usize) -> Result<Vec<u8>, ReadCapped> {
    let file = std::fs::File::open(path).map_err(ReadCapped::Io)?;
    let len = file.metadata().map_err(ReadCapped::Io)?.len();
    if len > limit as u64 {
        return Err(ReadCapped::Over(Exceeded::FileBytes { limit }));
    }
    let mut out = Vec::with_capacity(len as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, limit as u64 + 1), &mut out)
        .map_err(ReadCapped::Io)?;
    if out.len() > limit {
        return Err(ReadCapped::Over(Exceeded::FileBytes { limit }));
    }
    Ok(out)
}

/// Why `read_path` stopped.
#[derive(Debug)]
pub enum ReadCapped {
    Io(std::io::Error),
    Over(Exceeded),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked_before_use() {
        let mut m = Meter::new(
            Budget {
                cells: 3,
                ..Budget::DEFAULT
            },
            Cancel::default(),
        );
        assert!(m.cells(3).is_ok());
        assert_eq!(m.cells(1), Err(Exceeded::Cells { limit: 3 }));
        assert_eq!(
            m.row(1_048_576),
            Err(Exceeded::Row {
                row: 1_048_577,
                limit: 1_048_576
            })
        );
        assert!(m.row(1_048_575).is_ok());
        assert!(m.column(16_383).is_ok());
        assert!(m.column(16_384).is_err());
        assert!(m.depth(256).is_ok() && m.depth(257).is_err());
    }

    #[test]
    fn a_cancelled_parse_stops_at_the_next_look() {
        let cancel = Cancel::default();
        let mut m = Meter::new(Budget::DEFAULT, cancel.clone());
        assert!(m.check_time().is_ok());
        cancel.cancel();
        let stopped = (0..5000).map(|_| m.tick()).find(Result::is_err);
        assert_eq!(stopped, Some(Err(Exceeded::Cancelled)));
    }

    #[test]
    fn time_runs_out() {
        let m = Meter::new(
            Budget {
                time: Duration::ZERO,
                ..Budget::DEFAULT
            },
            Cancel::default(),
        );
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(m.check_time(), Err(Exceeded::Time { seconds: 0 }));
    }
}
