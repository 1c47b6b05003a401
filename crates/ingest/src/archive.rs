//! A workbook's container looked at before any reader opens it: a zip (.xlsx, .ods) by its
//! central directory and the few parts a reader holds whole, an OLE compound file (.xls) by
//! the dimensions its sheets declare. What a reader would reserve or expand from a declared
//! count is compared with the budget here, so that no file makes it allocate more.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use crate::budget::{Budget, Exceeded, Meter, RATIO_FLOOR};

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

/// What a zip workbook holds, as far as the readers need to know.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ZipLook {
    /// An Office Open XML workbook (`xl/workbook.xml`).
    pub xlsx: bool,
    /// An Excel binary workbook (`xl/workbook.bin`), which Mamori does not read.
    pub xlsb: bool,
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
    let mut look = ZipLook::default();
    let mut total: u64 = 0;
    let mut shared = Vec::new();
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
        // Readers find their parts whatever the case and with either slash: so does this.
        let lower = name.to_ascii_lowercase().replace('\\', "/");
        if lower.ends_with("sharedstrings.xml") {
            shared.push((i, size));
        } else if lower == "content.xml" {
            content = Some(i);
        } else if lower == "xl/workbook.xml" {
            look.xlsx = true;
        } else if lower == "xl/workbook.bin" {
            look.xlsb = true;
        }
    }
    for (i, size) in shared {
        let f = zip
            .by_index(i)
            .map_err(|e| Refused::Damaged(e.to_string()))?;
        check_shared_strings(f, size, meter)?;
    }
    if let Some(i) = content {
        let f = zip
            .by_index(i)
            .map_err(|e| Refused::Damaged(e.to_string()))?;
        check_ods_content(f, meter)?;
        look.ods = true;
    }
    Ok(look)
}

/// The `uniqueCount` of the shared strings, which readers reserve room for: it must fit the
/// part (every string takes at least `<si><t/></si>`, 13 bytes) and the budget. Read up to
/// the `sst` element however far into the part it is; a part without one is damaged.
fn check_shared_strings(part: impl Read, size: u64, meter: &mut Meter) -> Result<(), Refused> {
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        meter.tick()?;
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let can_hold = (size / 13).min(meter.budget.shared_strings as u64);
                for a in e.attributes().flatten() {
                    if a.key.local_name().as_ref() != "uniqueCount" {
                        continue;
                    }
                    // Its digits, however the attribute is written: never less than a
                    // reader could take it for.
                    let declared = digits(&a.value);
                    if declared > can_hold {
                        return Err(Exceeded::Declared {
                            what: "sharedStrings uniqueCount",
                            declared,
                            limit: can_hold,
                        }
                        .into());
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) => return Err(Refused::Damaged("sharedStrings: no sst".into())),
            Err(e) => return Err(Refused::Damaged(e.to_string())),
            _ => {}
        }
        buf.clear();
    }
}

/// The number an attribute could be taken for: its digits, unescaped (`&#49;0` reads as 10),
/// at most `u64::MAX`; never less than any reader makes of it.
fn digits(raw: &str) -> u64 {
    let text =
        quick_xml::escape::unescape(raw).map_or_else(|_| raw.to_string(), |t| t.into_owned());
    text.bytes().filter(u8::is_ascii_digit).fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
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
    let (mut stored, mut areas) = (0u64, 0u64);
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
            // A content that ends inside an element: the reader would wait for its end for
            // ever.
            Event::Eof if depth > 0 => {
                return Err(Refused::Damaged("content.xml cut short".into()));
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
                        // Every table is built at once (values and formulas): the areas add.
                        let area = last_valued_row.map_or(0, |r| (r + 1).saturating_mul(widest));
                        areas = areas.saturating_add(area.saturating_mul(2));
                        if areas > budget.cells as u64 || stored > budget.cells as u64 {
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
        // Its digits, however it is written (`&#49;0` is 10 to a reader that unescapes).
        let number = |name: &str| -> u64 {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == name)
                .map_or(1, |a| digits(&a.value))
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

/// Checks a legacy .xls (an OLE compound file) as the reader will read it: every sheet its
/// BOUNDSHEET records point at (each as often as it is pointed at), from that offset to the
/// sheet's EOF, skipping nested substreams. The reader builds each sheet as a dense table
/// spanning its cells, values and formulas apart, so twice the area between the first and
/// the last cell counts, summed over the sheets; and no DIMENSIONS record may declare more.
pub fn check_ole(bytes: &[u8], meter: &mut Meter) -> Result<(), Refused> {
    let stream = ole_stream(bytes)?;
    let budget = meter.budget;
    let mut sheets = Vec::new();
    for (typ, data) in Records::at(&stream, 0) {
        meter.tick()?;
        match typ {
            0x0085 if data.len() >= 4 => sheets.push(u32le(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
    }
    let mut total: u64 = 0;
    for start in sheets {
        let (mut first, mut seen_bof, mut depth) = (None::<(u64, u64, u64, u64)>, false, 0usize);
        for (typ, data) in Records::at(&stream, start) {
            meter.tick()?;
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cells: &[(u64, u64)] = &match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    }
                    seen_bof = true;
                    continue;
                }
                0x000A => break,
                0x0200 => {
                    check_dimensions(data, &budget)?;
                    continue;
                }
                // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row, column first.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => [
                    (u16le(data, 0), u16le(data, 2)),
                    (u16le(data, 0), u16le(data, 2)),
                ],
                // MulRk: row, first column, …, last column.
                0x00BD if data.len() >= 6 => [
                    (u16le(data, 0), u16le(data, 2)),
                    (u16le(data, 0), u16le(data, data.len() - 2)),
                ],
                _ => continue,
            };
            for &(r, c) in cells {
                first = Some(match first {
                    None => (r, c, r, c),
                    Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(c), r1.max(r), c1.max(c)),
                });
            }
        }
        if let Some((r0, c0, r1, c1)) = first {
            let area = (r1 - r0 + 1).saturating_mul(c1 - c0 + 1).saturating_mul(2);
            total = total.saturating_add(area);
            if total > budget.cells as u64 {
                return Err(Exceeded::Declared {
                    what: "sheet area",
                    declared: total,
                    limit: budget.cells as u64,
                }
                .into());
            }
        }
    }
    Ok(())
}

/// A DIMENSIONS record: what it declares must fit the budget.
fn check_dimensions(data: &[u8], budget: &Budget) -> Result<(), Refused> {
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
    Ok(())
}

/// BIFF records from an offset of a stream: (type, data), until the stream ends.
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Records<'a> {
    fn at(stream: &'a [u8], start: usize) -> Self {
        Records {
            stream: stream.get(start..).unwrap_or(&[]),
        }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let head = self.stream.get(..4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = self.stream.get(4..4 + len)?;
        self.stream = &self.stream[4 + len..];
        Some((typ, data))
    }
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

/// Entry ids above this are markers (end of chain, free, FAT, DIFAT).
const MAX_REGULAR: u64 = 0xFFFF_FFFA;

/// The workbook stream of a compound file ([MS-CFB]) as the reader finds it: the first
/// entry named "Workbook" (any case), else "Book"; from the mini stream when shorter than
/// 4,096 bytes. Every chain is followed with each index checked and each sector visited at
/// most once, so a damaged or hostile file ends in an error, never a loop.
fn ole_stream(bytes: &[u8]) -> Result<Vec<u8>, Refused> {
    let damaged = |what: &str| Refused::Damaged(format!("compound file: {what}"));
    let header = bytes.get(..512).ok_or_else(|| damaged("header"))?;
    let shift = u16le(header, 30);
    if !(7..=16).contains(&shift) {
        return Err(damaged("sector size"));
    }
    let size = 1usize << shift;
    let sectors = bytes.len() / size + 1;
    let sector = |id: u64| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        bytes.get(start..start.checked_add(size)?)
    };
    // The allocation table's sectors: 109 in the header, then a chain of DIFAT sectors.
    let mut fat_sectors: Vec<u64> = (0..109)
        .map(|i| u32le(header, 76 + 4 * i))
        .filter(|&s| s < MAX_REGULAR)
        .collect();
    let mut difat = u32le(header, 68);
    let mut seen = 0;
    while difat < MAX_REGULAR {
        seen += 1;
        if seen > sectors {
            return Err(damaged("DIFAT chain"));
        }
        let s = sector(difat).ok_or_else(|| damaged("DIFAT sector"))?;
        let per = size / 4 - 1;
        fat_sectors.extend(
            (0..per)
                .map(|i| u32le(s, 4 * i))
                .filter(|&v| v < MAX_REGULAR),
        );
        difat = u32le(s, 4 * per);
        if fat_sectors.len() > sectors {
            return Err(damaged("allocation table"));
        }
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in fat_sectors {
        let s = sector(id).ok_or_else(|| damaged("allocation sector"))?;
        fat.extend(
            s.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    }
    // A chain of `unit`-byte pieces of `source` (the file's sectors, or the mini stream's).
    let chain = |source: &dyn Fn(u64) -> Option<Vec<u8>>,
                 table: &[u32],
                 first: u64,
                 len: usize,
                 pieces: usize|
     -> Result<Vec<u8>, Refused> {
        let mut out = Vec::new();
        let (mut id, mut steps) = (first, 0);
        while id < MAX_REGULAR && out.len() < len {
            steps += 1;
            if steps > pieces {
                return Err(damaged("chain loops"));
            }
            out.extend_from_slice(&source(id).ok_or_else(|| damaged("stream sector"))?);
            id = u64::from(*table.get(id as usize).ok_or_else(|| damaged("chain"))?);
        }
        out.truncate(len);
        Ok(out)
    };
    let regular = |id: u64| sector(id).map(<[u8]>::to_vec);
    let directory = chain(&regular, &fat, u32le(header, 48), bytes.len(), sectors)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let name = |e: &[u8]| -> String {
        let len = (u16le(e, 64) as usize).min(64);
        let units: Vec<u16> = e[..len]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&c| c != 0)
            .collect();
        String::from_utf16_lossy(&units)
    };
    let entry = ["Workbook", "Book"]
        .iter()
        .find_map(|wanted| {
            entries
                .iter()
                .find(|e| name(e).eq_ignore_ascii_case(wanted))
        })
        .ok_or_else(|| damaged("no Workbook stream"))?;
    let len = (u32le(entry, 120) as usize).min(bytes.len());
    let start = u32le(entry, 116);
    if len >= 4096 {
        return chain(&regular, &fat, start, len, sectors);
    }
    // A small stream lives in 64-byte pieces of the mini stream (the root entry's data),
    // chained by the mini allocation table.
    let root = entries.first().ok_or_else(|| damaged("no root entry"))?;
    let mini_stream = chain(
        &regular,
        &fat,
        u32le(root, 116),
        (u32le(root, 120) as usize).min(bytes.len()),
        sectors,
    )?;
    let mini_table = chain(
        &regular,
        &fat,
        u32le(header, 60),
        (u32le(header, 64) as usize)
            .saturating_mul(size)
            .min(bytes.len()),
        sectors,
    )?;
    let mini_fat: Vec<u32> = mini_table
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mini = |id: u64| -> Option<Vec<u8>> {
        let at = (id as usize).checked_mul(64)?;
        mini_stream.get(at..at.checked_add(64)?).map(<[u8]>::to_vec)
    };
    chain(&mini, &mini_fat, start, len, mini_stream.len() / 64 + 1)
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
        let cut = br#"<office:document-content><office:body><office:spreadsheet><table:table><table:table-row><table:table-cell office:value-type="string"><text:p>x"#;
        assert!(matches!(
            check_ods_content(&cut[..], &mut m),
            Err(Refused::Damaged(_))
        ));
    }

    #[test]
    fn shared_string_counts_must_fit_their_part() {
        let xml = br#"<?xml version="1.0"?><sst xmlns="x" count="4000000000000" uniqueCount="4000000000000"><si><t>a</t></si></sst>"#;
        assert!(matches!(
            check_shared_strings(&xml[..], xml.len() as u64, &mut Meter::standard()),
            Err(Refused::Over(Exceeded::Declared { .. }))
        ));
        let ok = br#"<sst uniqueCount="1"><si><t>a</t></si></sst>"#;
        assert!(check_shared_strings(&ok[..], 4096, &mut Meter::standard()).is_ok());
        let late = format!(
            "<?xml version=\"1.0\"?><!--{}--><sst uniqueCount=\"&#52;000000000\"><si><t>a</t></si></sst>",
            "x".repeat(8000)
        );
        assert!(
            matches!(
                check_shared_strings(late.as_bytes(), late.len() as u64, &mut Meter::standard()),
                Err(Refused::Over(Exceeded::Declared { .. }))
            ),
            "found past a long comment, the escaped digit counted"
        );
        assert!(matches!(
            check_shared_strings(&b"<?xml version=\"1.0\"?>"[..], 20, &mut Meter::standard()),
            Err(Refused::Damaged(_))
        ));
    }
}
