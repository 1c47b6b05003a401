//! A workbook's container looked at before any reader opens it: a zip (.xlsx, .ods) by its
//! central directory and the few parts a reader holds whole, an OLE compound file (.xls) by
//! the dimensions its sheets declare. What a reader would reserve or expand from a declared
//! count is compared with the budget here, so that no file makes it allocate more.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use crate::budget::{Budget, Exceeded, Meter, RATIO_FLOOR, ReadCapped};

/// What the look found wrong.
#[derive(Debug)]
pub enum Refused {
    Over(Exceeded),
    /// Not readable as the container it claims to be.
    Damaged(String),
    /// Not an archive at all, whatever its first bytes say.
    NotArchive,
}

impl From<Exceeded> for Refused {
    fn from(e: Exceeded) -> Self {
        Refused::Over(e)
    }
}

impl From<ReadCapped> for Refused {
    fn from(e: ReadCapped) -> Self {
        match e {
            ReadCapped::Io(e) => Refused::Damaged(e.to_string()),
            ReadCapped::Over(e) => Refused::Over(e),
        }
    }
}

/// What a zip workbook holds, as far as the readers need to know.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ZipLook {
    /// An OpenDocument spreadsheet (its content was checked whole).
    pub ods: bool,
}

/// Checks a zip workbook: entry count, every part's declared size (the zip reader never
/// unpacks more than a part declares) and packing ratio, the shared-string count an .xlsx
/// declares, and the cells an .ods would expand its repeated rows and columns to.
pub fn check_zip(bytes: &[u8], meter: &mut Meter) -> Result<ZipLook, Refused> {
    let budget = meter.budget;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refused::NotArchive)?;
    if zip.len() > budget.entries {
        return Err(Exceeded::Entries {
            limit: budget.entries,
        }
        .into());
    }
    let mut total: u64 = 0;
    let mut shared = None;
    let mut content = None;
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| Refused::Damaged(e.to_string()))?;
        let size = f.size();
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        total = total.saturating_add(size);
        if total > budget.unpacked_bytes {
            return Err(Exceeded::Unpacked {
                limit: budget.unpacked_bytes,
            }
            .into());
        }
        let ratio = size / f.compressed_size().max(1);
        if size > RATIO_FLOOR && ratio > budget.ratio {
            return Err(Exceeded::Ratio {
                part: name,
                ratio,
                limit: budget.ratio,
            }
            .into());
        }
        match name.as_str() {
            n if n.ends_with("sharedStrings.xml") => shared = Some((i, size)),
            "content.xml" => content = Some(i),
            _ => {}
        }
    }
    if let Some((i, size)) = shared {
        let f = zip
            .by_index(i)
            .map_err(|e| Refused::Damaged(e.to_string()))?;
        check_shared_strings(f, size, &budget)?;
    }
    let ods = zip.by_name("xl/workbook.xml").is_err() && content.is_some();
    if let (true, Some(i)) = (ods, content) {
        let f = zip
            .by_index(i)
            .map_err(|e| Refused::Damaged(e.to_string()))?;
        check_ods_content(f, meter)?;
    }
    Ok(ZipLook { ods })
}

/// The `uniqueCount` of the shared strings, which readers reserve room for: it must fit the
/// part (every string takes at least `<si><t/></si>`, 13 bytes) and the budget.
fn check_shared_strings(part: impl Read, size: u64, budget: &Budget) -> Result<(), Refused> {
    let mut head = Vec::new();
    part.take(4096)
        .read_to_end(&mut head)
        .map_err(|e| Refused::Damaged(e.to_string()))?;
    let mut reader = quick_xml::Reader::from_reader(head.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let can_hold = (size / 13).min(budget.shared_strings as u64);
                for a in e.attributes().flatten() {
                    if matches!(a.key.local_name().as_ref(), "uniqueCount" | "count") {
                        let text = a.value.to_string();
                        // A count that is not a number is ignored by the readers too.
                        let Ok(declared) = text.trim().parse::<u64>() else {
                            continue;
                        };
                        if declared > can_hold && a.key.local_name().as_ref() == "uniqueCount" {
                            return Err(Exceeded::Declared {
                                what: "sharedStrings uniqueCount",
                                declared,
                                limit: can_hold,
                            }
                            .into());
                        }
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// An .ods's content as a reader expands it: every table's rows (with their repeats) times
/// the columns up to its last value. A row repeated a million times with a value in it, or
/// a cell repeated across every column, is refused before any reader expands it.
fn check_ods_content(part: impl Read, meter: &mut Meter) -> Result<(), Refused> {
    let budget = meter.budget;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    // Per table: rows so far, the last row with a value, the widest row; per row: its
    // repeat, columns so far, the column after its last value.
    let (mut rows, mut last_valued_row, mut widest) = (0u64, None::<u64>, 0u64);
    let (mut repeat, mut col, mut row_width) = (1u64, 0u64, 0u64);
    let mut stored: u64 = 0;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Refused::Damaged(e.to_string()))?;
        meter.tick()?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        let Some(e) = start else {
            if let Event::End(e) = &event {
                match e.name().as_ref() {
                    "table:table-row" => {
                        if row_width > 0 {
                            last_valued_row = Some(rows + repeat - 1);
                            widest = widest.max(row_width);
                            stored = stored.saturating_add(row_width);
                        }
                        rows = rows.saturating_add(repeat);
                    }
                    "table:table" => {
                        let area = last_valued_row.map_or(0, |r| (r + 1).saturating_mul(widest));
                        if area > budget.cells as u64 || stored > budget.cells as u64 {
                            return Err(Exceeded::Cells {
                                limit: budget.cells,
                            }
                            .into());
                        }
                        (rows, last_valued_row, widest) = (0, None, 0);
                    }
                    _ => {}
                }
            }
            buf.clear();
            continue;
        };
        if !empty {
            depth += 1;
            meter.depth(depth)?;
        }
        let number = |name: &str| -> u64 {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == name)
                .and_then(|a| a.value.trim().parse().ok())
                .unwrap_or(1)
        };
        match e.name().as_ref() {
            "table:table-row" => {
                repeat = number("table:number-rows-repeated").max(1);
                (col, row_width) = (0, 0);
                if empty {
                    rows = rows.saturating_add(repeat);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = number("table:number-columns-repeated").max(1);
                // A cell with a value: a type, a formula, or content inside it.
                let valued = !empty
                    || e.attributes()
                        .flatten()
                        .any(|a| matches!(a.key.as_ref(), "office:value-type" | "table:formula"));
                col = col.saturating_add(n);
                if valued {
                    row_width = col;
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// How deep a sheet's XML nests, found without parsing it (a byte scan beside the search for
/// merged cells): `<name` opens, `</` and `/>` close. Attribute values holding `/>` can only
/// make the count lower, and a real sheet nests six deep.
#[derive(Default)]
pub struct DepthScan {
    depth: usize,
    deepest: usize,
    prev: u8,
    lt: bool,
}

impl DepthScan {
    pub fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.lt {
                self.lt = false;
                match b {
                    b'/' => self.depth = self.depth.saturating_sub(1),
                    b'?' | b'!' => {}
                    _ => {
                        self.depth += 1;
                        self.deepest = self.deepest.max(self.depth);
                    }
                }
            }
            if b == b'<' {
                self.lt = true;
            } else if b == b'>' && self.prev == b'/' {
                self.depth = self.depth.saturating_sub(1);
            }
            self.prev = b;
        }
    }

    pub fn deepest(&self) -> usize {
        self.deepest
    }
}

/// Checks a legacy .xls (an OLE compound file): the dimensions every sheet declares, which
/// the reader reserves rows × columns of cells for, must fit the budget.
pub fn check_ole(bytes: &[u8], meter: &mut Meter) -> Result<(), Refused> {
    let stream = ole_stream(bytes, &["Workbook", "Book"])?;
    let budget = meter.budget;
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        meter.tick()?;
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = stream.get(at + 4..at + 4 + len).unwrap_or(&[]);
        if typ == 0x0200 {
            let (rf, rl, cf, cl) = match data.len() {
                10 => (
                    u16le(data, 0),
                    u16le(data, 2),
                    u16le(data, 4),
                    u16le(data, 6),
                ),
                14 | 16 => (
                    u32le(data, 0),
                    u32le(data, 4),
                    u16le(data, 8),
                    u16le(data, 10),
                ),
                _ => return Err(Refused::Damaged("DIMENSIONS".into())),
            };
            if rl > budget.rows as u64 || rf > rl {
                return Err(Exceeded::Declared {
                    what: "DIMENSIONS rows",
                    declared: rl,
                    limit: budget.rows as u64,
                }
                .into());
            }
            let cols = if cf > 0xFF || cl < cf { cl } else { cl - cf };
            let cells = (rl - rf).saturating_mul(cols);
            if cl > budget.columns as u64 || cells > budget.cells as u64 {
                return Err(Exceeded::Declared {
                    what: "DIMENSIONS cells",
                    declared: cells,
                    limit: budget.cells as u64,
                }
                .into());
            }
        }
        at += 4 + len;
    }
    Ok(())
}

fn u16le(d: &[u8], at: usize) -> u64 {
    d.get(at..at + 2)
        .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32le(d: &[u8], at: usize) -> u64 {
    d.get(at..at + 4).map_or(0, |b| {
        u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    })
}

/// The first stream of a compound file ([MS-CFB]) named one of `names`, read by following
/// its sector chain; every index is checked against the file, and a chain can visit each
/// sector once, so a damaged or hostile file ends in an error, never a loop.
fn ole_stream(bytes: &[u8], names: &[&str]) -> Result<Vec<u8>, Refused> {
    let damaged = |what: &str| Refused::Damaged(format!("compound file: {what}"));
    let header = bytes.get(..512).ok_or_else(|| damaged("header"))?;
    let shift = u16le(header, 30);
    if !(7..=16).contains(&shift) {
        return Err(damaged("sector size"));
    }
    let size = 1usize << shift;
    let sectors = bytes.len().saturating_sub(size.max(512)) / size + 1;
    let sector = |id: u64| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        bytes.get(start..start.checked_add(size)?)
    };
    // The sector allocation table: its sectors are listed in the header (109) and then in
    // a chain of DIFAT sectors.
    let mut fat_sectors: Vec<u64> = (0..109)
        .map(|i| u32le(header, 76 + 4 * i))
        .filter(|&s| s < 0xFFFF_FFFA)
        .collect();
    let mut difat = u32le(header, 68);
    let mut seen = 0;
    while difat < 0xFFFF_FFFA {
        seen += 1;
        if seen > sectors {
            return Err(damaged("DIFAT chain"));
        }
        let s = sector(difat).ok_or_else(|| damaged("DIFAT sector"))?;
        let per = size / 4 - 1;
        fat_sectors.extend(
            (0..per)
                .map(|i| u32le(s, 4 * i))
                .filter(|&v| v < 0xFFFF_FFFA),
        );
        difat = u32le(s, 4 * per);
    }
    if fat_sectors.len() > sectors {
        return Err(damaged("allocation table"));
    }
    let mut fat: Vec<u32> = Vec::with_capacity(fat_sectors.len() * size / 4);
    for id in fat_sectors {
        let s = sector(id).ok_or_else(|| damaged("allocation sector"))?;
        fat.extend(
            s.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    }
    let chain = |first: u64, limit: usize| -> Result<Vec<u8>, Refused> {
        let mut out = Vec::new();
        let mut id = first;
        let mut steps = 0;
        while id < 0xFFFF_FFFA {
            steps += 1;
            if steps > sectors || out.len() >= limit {
                break;
            }
            out.extend_from_slice(sector(id).ok_or_else(|| damaged("stream sector"))?);
            id = u64::from(*fat.get(id as usize).ok_or_else(|| damaged("chain"))?);
        }
        out.truncate(limit);
        Ok(out)
    };
    let directory = chain(u32le(header, 48), bytes.len())?;
    let mini_cutoff = u32le(header, 56);
    for entry in directory.chunks_exact(128) {
        let name_len = (u16le(entry, 64) as usize).min(64);
        let name: Vec<u16> = entry[..name_len]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&c| c != 0)
            .collect();
        let name = String::from_utf16_lossy(&name);
        if entry[66] == 2 && names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            let len = u32le(entry, 120) as usize;
            if (len as u64) < mini_cutoff {
                // A workbook stream smaller than the mini-stream cut-off (4 KiB) holds no
                // sheet large enough to matter; the reader takes it as it is.
                return Ok(Vec::new());
            }
            return chain(u32le(entry, 116), len.min(bytes.len()));
        }
    }
    Err(damaged("no Workbook stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scan_counts_nesting() {
        let mut d = DepthScan::default();
        d.feed(br#"<?xml version="1.0"?><a><b x="1"/><c><d>t</d></c></a>"#);
        assert_eq!(d.deepest(), 3);
        let mut deep = DepthScan::default();
        deep.feed(&b"<x>".repeat(300));
        assert_eq!(deep.deepest(), 300);
    }

    #[test]
    fn ods_repeats_are_counted_before_expansion() {
        let mut m = Meter::new(
            Budget {
                cells: 1000,
                ..Budget::DEFAULT
            },
            Default::default(),
        );
        let small = br#"<office:document-content><office:body><office:spreadsheet><table:table><table:table-row table:number-rows-repeated="10"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        assert!(check_ods_content(&small[..], &mut m).is_ok());
        let bomb = br#"<office:document-content><office:body><office:spreadsheet><table:table><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        assert!(matches!(
            check_ods_content(&bomb[..], &mut m),
            Err(Refused::Over(Exceeded::Cells { limit: 1000 }))
        ));
    }

    #[test]
    fn shared_string_counts_must_fit_their_part() {
        let xml = br#"<?xml version="1.0"?><sst xmlns="x" count="4000000000000" uniqueCount="4000000000000"><si><t>a</t></si></sst>"#;
        assert!(matches!(
            check_shared_strings(&xml[..], xml.len() as u64, &Budget::DEFAULT),
            Err(Refused::Over(Exceeded::Declared { .. }))
        ));
        let ok = br#"<sst uniqueCount="1"><si><t>a</t></si></sst>"#;
        assert!(check_shared_strings(&ok[..], 4096, &Budget::DEFAULT).is_ok());
    }
}
