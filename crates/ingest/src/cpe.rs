//! NVD's official CPE dictionary (the CPE 2.0 API's JSON): one page or chunk file, or the
//! data feed's archive of chunks (`nvdcpe-2.0.tar.gz`, `.tar.xz`, `.zip`). Only the products
//! are kept — each `vendor:product` of an application or operating system with one title —
//! for identifying devices whose product no imported CVE record names yet. The archive is
//! read as a stream, chunk by chunk, so the dictionary (≈ 1.3 million names, gigabytes of
//! JSON) never sits in memory whole.

use std::collections::BTreeMap;
use std::io::Read;

use serde::Deserialize;

use crate::budget::{Budget, Exceeded};
use crate::unpack::{self, UnpackProblem};

/// One product of the dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// `a` (application) or `o` (operating system or firmware).
    pub part: char,
    /// The shortest English title of its names (`Synology DiskStation Manager 7.1`).
    pub title: String,
}

/// The products read, by (vendor, product).
#[derive(Debug, Default)]
pub struct Dictionary {
    pub products: BTreeMap<(String, String), Product>,
    /// CPE names read, deprecated and hardware ones included.
    pub names: u64,
    /// The day of the dictionary's newest chunk (its `timestamp`), when it has one.
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CpeProblem {
    /// Not the CPE dictionary.
    NotCpe,
    /// An archive or a chunk that cannot be read; `part` names the chunk.
    Damaged {
        part: Option<String>,
        detail: String,
    },
    Unpack(UnpackProblem),
    Over(Exceeded),
    /// More products than any dictionary holds.
    TooManyProducts {
        limit: usize,
    },
}

/// The budget of a dictionary: read as a stream, so the unpacked total may be large; each
/// chunk is held while it is read.
pub const BUDGET: Budget = Budget {
    unpacked_bytes: 8 * 1024 * 1024 * 1024,
    entries: 10_000,
    ..Budget::FEED
};

/// The most one chunk may hold (NVD's chunks are ≈ 20–60 MiB).
const CHUNK_BYTES: u64 = 512 * 1024 * 1024;
/// The most products kept (the dictionary has ≈ 150,000).
const PRODUCTS: usize = 2_000_000;

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    format: Option<String>,
    products: Vec<Item>,
    #[serde(default)]
    timestamp: Option<String>,
}

#[derive(Deserialize)]
struct Item {
    cpe: Entry,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "cpeName")]
    name: String,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    titles: Vec<Title>,
}

#[derive(Deserialize)]
struct Title {
    title: String,
    #[serde(default)]
    lang: String,
}

/// Whether the (packed) file is the CPE dictionary: its first 64 KiB, unpacked, name the
/// format `NVD_CPE`, or it is a zip whose entries are CPE chunks.
pub fn is_dictionary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_names(bytes).is_some_and(|names| {
            names.iter().any(|n| {
                let n = n.to_ascii_lowercase();
                n.contains("cpe") && n.ends_with(".json")
            })
        });
    }
    let mut head = Vec::new();
    let mut r = unpack::stream(bytes, &BUDGET);
    if (&mut r).take(64 * 1024).read_to_end(&mut head).is_err() && head.is_empty() {
        return false;
    }
    memchr::memmem::find(&head, b"\"NVD_CPE\"").is_some()
}

fn zip_names(bytes: &[u8]) -> Option<Vec<String>> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    Some(
        zip.file_names()
            .filter_map(|n| n.ok().map(|n| n.to_string()))
            .collect(),
    )
}

/// Reads the dictionary: a JSON page, or a tar or zip of pages, plain or packed.
pub fn parse(bytes: &[u8]) -> Result<Dictionary, CpeProblem> {
    let mut d = Dictionary::default();
    if bytes.starts_with(b"PK\x03\x04") {
        read_zip(bytes, &mut d)?;
    } else {
        let mut r = unpack::stream(bytes, &BUDGET);
        let mut head = [0u8; 512];
        let got = read_full(&mut r, &mut head).map_err(|e| r.problem(e, None))?;
        if got == 512 && &head[257..262] == b"ustar" {
            read_tar(&mut r, head, &mut d)?;
        } else {
            let mut all = head[..got].to_vec();
            (&mut r)
                .take(CHUNK_BYTES)
                .read_to_end(&mut all)
                .map_err(|e| r.problem(e, None))?;
            page(&all, None, &mut d)?;
        }
    }
    if d.names == 0 {
        return Err(CpeProblem::NotCpe);
    }
    Ok(d)
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

/// A tar stream: 512-byte headers, each file's bytes padded to 512.
fn read_tar(
    r: &mut unpack::Stream<'_>,
    first: [u8; 512],
    d: &mut Dictionary,
) -> Result<(), CpeProblem> {
    let mut header = first;
    let mut entries = 0usize;
    loop {
        if header.iter().all(|&b| b == 0) {
            return Ok(());
        }
        entries += 1;
        if entries > BUDGET.entries {
            return Err(CpeProblem::Over(Exceeded::Entries {
                limit: BUDGET.entries,
            }));
        }
        let name = String::from_utf8_lossy(&header[..100])
            .trim_end_matches('\0')
            .to_string();
        let size = octal(&header[124..136]).ok_or_else(|| CpeProblem::Damaged {
            part: Some(name.clone()),
            detail: "the size in the tar header is not a number".into(),
        })?;
        let padded = size.div_ceil(512) * 512;
        let regular = matches!(header[156], b'0' | 0);
        if regular && name.to_ascii_lowercase().ends_with(".json") {
            if size > CHUNK_BYTES {
                return Err(CpeProblem::Over(Exceeded::Unpacked { limit: CHUNK_BYTES }));
            }
            let mut chunk = Vec::new();
            (&mut *r)
                .take(size)
                .read_to_end(&mut chunk)
                .map_err(|e| r.problem(e, Some(&name)))?;
            if (chunk.len() as u64) < size {
                return Err(CpeProblem::Damaged {
                    part: Some(name),
                    detail: "cut short".into(),
                });
            }
            page(&chunk, Some(&name), d)?;
            skip(r, padded - size, &name)?;
        } else {
            skip(r, padded, &name)?;
        }
        let got = read_full(r, &mut header).map_err(|e| r.problem(e, Some(&name)))?;
        if got == 0 {
            return Ok(());
        }
        if got < 512 {
            return Err(CpeProblem::Damaged {
                part: Some(name),
                detail: "cut short after this part".into(),
            });
        }
    }
}

fn skip(r: &mut unpack::Stream<'_>, n: u64, name: &str) -> Result<(), CpeProblem> {
    std::io::copy(&mut (&mut *r).take(n), &mut std::io::sink())
        .map_err(|e| r.problem(e, Some(name)))?;
    Ok(())
}

fn octal(field: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(field).ok()?;
    let text = text.trim_matches(|c: char| c == '\0' || c == ' ');
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

fn read_zip(bytes: &[u8], d: &mut Dictionary) -> Result<(), CpeProblem> {
    let damaged = |part: Option<&str>, e: &dyn std::fmt::Display| CpeProblem::Damaged {
        part: part.map(str::to_string),
        detail: e.to_string(),
    };
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(None, &e))?;
    if zip.len() > BUDGET.entries {
        return Err(CpeProblem::Over(Exceeded::Entries {
            limit: BUDGET.entries,
        }));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| damaged(None, &e))?;
        let name = f.name().map_err(|e| damaged(None, &e))?.to_string();
        if !f.is_file() || !name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        let packed = f.compressed_size().max(1);
        let mut chunk = Vec::new();
        (&mut f)
            .take(CHUNK_BYTES + 1)
            .read_to_end(&mut chunk)
            .map_err(|e| damaged(Some(&name), &e))?;
        let len = chunk.len() as u64;
        if len > CHUNK_BYTES {
            return Err(CpeProblem::Over(Exceeded::Unpacked { limit: CHUNK_BYTES }));
        }
        if len > crate::budget::RATIO_FLOOR && len / packed > BUDGET.ratio {
            return Err(CpeProblem::Over(Exceeded::Ratio {
                part: name,
                ratio: len / packed,
                limit: BUDGET.ratio,
            }));
        }
        total += len;
        if total > BUDGET.unpacked_bytes {
            return Err(CpeProblem::Unpack(UnpackProblem::TooLarge {
                limit: BUDGET.unpacked_bytes,
            }));
        }
        page(&chunk, Some(&name), d)?;
    }
    Ok(())
}

/// One page of the dictionary (an API answer or a feed chunk).
fn page(bytes: &[u8], part: Option<&str>, d: &mut Dictionary) -> Result<(), CpeProblem> {
    let p: Page = serde_json::from_slice(bytes).map_err(|e| {
        if part.is_none() && !bytes.windows(9).any(|w| w == b"\"NVD_CPE\"") {
            CpeProblem::NotCpe
        } else {
            CpeProblem::Damaged {
                part: part.map(str::to_string),
                detail: e.to_string(),
            }
        }
    })?;
    if p.format.as_deref().is_some_and(|f| f != "NVD_CPE") {
        return Err(CpeProblem::NotCpe);
    }
    // The day of the newest chunk (`2026-11-30T03:00:00.000` → `2026-11-30`).
    if let Some(day) = p.timestamp.as_deref().and_then(|t| t.get(..10))
        && day > d.version.as_str()
    {
        d.version = day.to_string();
    }
    for item in p.products {
        d.names += 1;
        let e = item.cpe;
        if e.deprecated {
            continue;
        }
        let Some(cpe) = domain::nvd::Cpe::parse(&e.name) else {
            continue;
        };
        let part = match cpe.part.as_str() {
            "a" => 'a',
            "o" => 'o',
            _ => continue,
        };
        if domain::identify::parse_product(&format!("{}:{}", cpe.vendor, cpe.product)).is_none() {
            continue;
        }
        let title = e
            .titles
            .iter()
            .find(|t| t.lang.starts_with("en"))
            .or(e.titles.first())
            .map(|t| t.title.trim().chars().take(200).collect::<String>())
            .unwrap_or_default();
        let key = (cpe.vendor, cpe.product);
        match d.products.get_mut(&key) {
            Some(known) => {
                if !title.is_empty() && (known.title.is_empty() || title.len() < known.title.len())
                {
                    known.title = title;
                }
            }
            None => {
                if d.products.len() >= PRODUCTS {
                    return Err(CpeProblem::TooManyProducts { limit: PRODUCTS });
                }
                d.products.insert(key, Product { part, title });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn chunk(names: &[(&str, bool, &str)]) -> Vec<u8> {
        let products: Vec<serde_json::Value> = names
            .iter()
            .map(|(n, dep, t)| {
                serde_json::json!({"cpe": {"deprecated": dep, "cpeName": n, "cpeNameId": "x",
                    "titles": [{"title": t, "lang": "en"}], "refs": []}})
            })
            .collect();
        serde_json::to_vec(&serde_json::json!({
            "resultsPerPage": names.len(), "startIndex": 0, "totalResults": names.len(),
            "format": "NVD_CPE", "version": "2.0", "timestamp": "2026-11-30T03:00:00.000",
            "products": products,
        }))
        .unwrap()
    }

    fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, body) in files {
            let mut h = [0u8; 512];
            h[..name.len()].copy_from_slice(name.as_bytes());
            let size = format!("{:011o}\0", body.len());
            h[124..136].copy_from_slice(size.as_bytes());
            h[156] = b'0';
            h[257..263].copy_from_slice(b"ustar\0");
            out.extend_from_slice(&h);
            out.extend_from_slice(body);
            out.resize(out.len().div_ceil(512) * 512, 0);
        }
        out.extend_from_slice(&[0u8; 1024]);
        out
    }

    const SYNOLOGY: &[(&str, bool, &str)] = &[
        (
            "cpe:2.3:o:synology:diskstation_manager:7.1:*:*:*:*:*:*:*",
            false,
            "Synology DiskStation Manager 7.1",
        ),
        (
            "cpe:2.3:o:synology:diskstation_manager:7.1.1:*:*:*:*:*:*:*",
            false,
            "Synology DiskStation Manager 7.1.1",
        ),
        (
            "cpe:2.3:h:synology:ds920\\+:-:*:*:*:*:*:*:*",
            false,
            "Synology DS920+",
        ),
        (
            "cpe:2.3:a:synology:old_name:1.0:*:*:*:*:*:*:*",
            true,
            "Synology Old",
        ),
    ];

    #[test]
    fn a_page_gives_its_products_once_with_the_shortest_title() {
        let bytes = chunk(SYNOLOGY);
        assert!(is_dictionary(&bytes));
        let d = parse(&bytes).unwrap();
        assert_eq!(d.names, 4);
        assert_eq!(
            d.products.len(),
            1,
            "hardware and deprecated names are left"
        );
        let p = &d.products[&("synology".into(), "diskstation_manager".into())];
        assert_eq!(p.part, 'o');
        assert_eq!(p.title, "Synology DiskStation Manager 7.1");
        assert_eq!(d.version, "2026-11-30");
    }

    #[test]
    fn a_packed_tar_of_chunks_is_read_chunk_by_chunk() {
        let qnap = chunk(&[(
            "cpe:2.3:o:qnap:qts:5.1.0:*:*:*:*:*:*:*",
            false,
            "QNAP QTS 5.1.0",
        )]);
        let t = tar(&[
            ("nvdcpe-2.0-chunks/", b""),
            (
                "nvdcpe-2.0-chunks/nvdcpe-2.0-chunk-00001.json",
                &chunk(SYNOLOGY),
            ),
            ("nvdcpe-2.0-chunks/nvdcpe-2.0-chunk-00002.json", &qnap),
        ]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&t).unwrap();
        let gz = gz.finish().unwrap();
        assert!(is_dictionary(&gz));
        let d = parse(&gz).unwrap();
        assert_eq!(d.names, 5);
        assert_eq!(d.products.len(), 2);

        let mut cut = gz.clone();
        cut.truncate(gz.len() * 2 / 3);
        assert!(matches!(
            parse(&cut),
            Err(CpeProblem::Damaged { .. } | CpeProblem::Unpack(_))
        ));
    }

    #[test]
    fn a_zip_of_chunks_is_read() {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file(
            "nvdcpe-2.0-chunk-00001.json",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(&chunk(SYNOLOGY)).unwrap();
        let bytes = z.finish().unwrap().into_inner();
        assert!(is_dictionary(&bytes));
        assert_eq!(parse(&bytes).unwrap().products.len(), 1);
    }

    #[test]
    fn other_files_are_not_the_dictionary() {
        let cve = br#"{"format":"NVD_CVE","vulnerabilities":[]}"#;
        assert!(!is_dictionary(cve));
        assert_eq!(parse(cve).unwrap_err(), CpeProblem::NotCpe);
        assert!(!is_dictionary(b"not json"));
        let damaged = br#"{"format":"NVD_CPE","products":[{"cpe": 3}]}"#;
        assert!(matches!(
            parse(damaged),
            Err(CpeProblem::Damaged { part: None, .. })
        ));
    }
}
