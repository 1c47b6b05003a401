//! Feed files as NVD and its mirrors ship them: plain, gzip (`.gz`) or xz (`.xz`). Told by
//! the first bytes, not the file name. Unpacking stops at the feed budget's size
//! (`Budget::FEED`) and as soon as the output outgrows the input by more than any real feed
//! packs (a bomb is refused after its first MiB, not after filling the memory).

use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

use crate::budget::{Budget, RATIO_FLOOR};

const GZIP: &[u8] = &[0x1f, 0x8b];
const XZ: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnpackProblem {
    /// The compressed data is damaged or cut short.
    Damaged {
        format: &'static str,
        detail: String,
    },
    TooLarge {
        limit: u64,
    },
    /// Packed more tightly than any real feed: a bomb.
    Ratio {
        limit: u64,
    },
}

/// The bytes unpacked when they are gzip or xz, or as given.
pub fn unpack(bytes: Vec<u8>) -> Result<Vec<u8>, UnpackProblem> {
    unpack_within(bytes, &Budget::FEED)
}

/// `unpack` within `budget`'s unpacked size and packing ratio.
pub fn unpack_within(bytes: Vec<u8>, budget: &Budget) -> Result<Vec<u8>, UnpackProblem> {
    let format = if bytes.starts_with(GZIP) {
        "gzip"
    } else if bytes.starts_with(XZ) {
        "xz"
    } else {
        return Ok(bytes);
    };
    let consumed = Rc::new(Cell::new(0u64));
    let input = Counting {
        inner: bytes.as_slice(),
        count: consumed.clone(),
    };
    let mut out = Limited {
        inner: Vec::new(),
        limit: budget.unpacked_bytes,
        ratio: budget.ratio,
        consumed,
        over: None,
    };
    let result = if format == "gzip" {
        std::io::copy(&mut flate2::read::MultiGzDecoder::new(input), &mut out)
            .map(|_| ())
            .map_err(|e| e.to_string())
    } else {
        let mut xz = lzma_rust2::XzReader::new_mem_limit(input, true, XZ_MEMORY_KIB);
        std::io::copy(&mut xz, &mut out)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    if let Some(over) = out.over {
        return Err(over);
    }
    result.map_err(|detail| UnpackProblem::Damaged { format, detail })?;
    Ok(out.inner)
}

/// Unpacks as a stream (gzip, xz or plain), within `budget`'s total and ratio, for files
/// read piece by piece and never held whole.
pub fn stream<'a>(bytes: &'a [u8], budget: &Budget) -> Stream<'a> {
    let consumed = Rc::new(Cell::new(0u64));
    let input = Counting {
        inner: bytes,
        count: consumed.clone(),
    };
    let (format, inner): (&'static str, Box<dyn Read + 'a>) = if bytes.starts_with(GZIP) {
        ("gzip", Box::new(flate2::read::MultiGzDecoder::new(input)))
    } else if bytes.starts_with(XZ) {
        (
            "xz",
            Box::new(lzma_rust2::XzReader::new_mem_limit(
                input,
                true,
                XZ_MEMORY_KIB,
            )),
        )
    } else {
        ("plain", Box::new(input))
    };
    Stream {
        inner,
        format,
        out: 0,
        limit: budget.unpacked_bytes,
        ratio: budget.ratio,
        consumed,
        over: None,
    }
}

/// A file being unpacked (`stream`).
pub struct Stream<'a> {
    inner: Box<dyn Read + 'a>,
    format: &'static str,
    out: u64,
    limit: u64,
    ratio: u64,
    consumed: Rc<Cell<u64>>,
    over: Option<UnpackProblem>,
}

impl Stream<'_> {
    /// What a failed read means: over the budget, or damaged data (`part` names the piece of
    /// the file being read).
    pub fn problem(&self, e: std::io::Error, part: Option<&str>) -> crate::cpe::CpeProblem {
        match &self.over {
            Some(over) => crate::cpe::CpeProblem::Unpack(over.clone()),
            None => crate::cpe::CpeProblem::Damaged {
                part: part.map(str::to_string),
                detail: format!("{}: {e}", self.format),
            },
        }
    }
}

impl Read for Stream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.over.is_some() {
            return Err(std::io::Error::other("unpacked data over the budget"));
        }
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > self.limit {
            self.over = Some(UnpackProblem::TooLarge { limit: self.limit });
        } else if self.format != "plain"
            && self.out > RATIO_FLOOR
            && self.out / self.consumed.get().max(1) > self.ratio
        {
            self.over = Some(UnpackProblem::Ratio { limit: self.ratio });
        }
        if self.over.is_some() {
            return Err(std::io::Error::other("unpacked data over the budget"));
        }
        Ok(n)
    }
}

/// The memory an .xz decoder may hold (its dictionary): `xz -9` uses 64 MiB.
const XZ_MEMORY_KIB: u32 = 96 * 1024;

/// Counts the packed bytes the decoder has taken so far.
struct Counting<'a> {
    inner: &'a [u8],
    count: Rc<Cell<u64>>,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// A sink that refuses to grow past its limit, or past `ratio` times the packed bytes read
/// so far.
struct Limited {
    inner: Vec<u8>,
    limit: u64,
    ratio: u64,
    consumed: Rc<Cell<u64>>,
    over: Option<UnpackProblem>,
}

impl std::io::Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let len = self.inner.len() as u64 + buf.len() as u64;
        if self.over.is_some() {
        } else if len > self.limit {
            self.over = Some(UnpackProblem::TooLarge { limit: self.limit });
        } else if len > RATIO_FLOOR && len / self.consumed.get().max(1) > self.ratio {
            self.over = Some(UnpackProblem::Ratio { limit: self.ratio });
        }
        if self.over.is_some() {
            return Err(std::io::Error::other("unpacked data over the budget"));
        }
        self.inner.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const JSON: &[u8] = br#"{"id": "CVE-2024-21762"}"#;

    #[test]
    fn plain_gzip_and_xz_give_the_same_bytes() {
        assert_eq!(unpack(JSON.to_vec()).unwrap(), JSON);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(JSON).unwrap();
        assert_eq!(unpack(gz.finish().unwrap()).unwrap(), JSON);
        let mut w =
            lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(6)).unwrap();
        w.write_all(JSON).unwrap();
        let xz = w.finish().unwrap();
        assert!(xz.starts_with(XZ));
        assert_eq!(unpack(xz).unwrap(), JSON);
    }

    #[test]
    fn damaged_archives_say_which_format() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(JSON).unwrap();
        let mut cut = gz.finish().unwrap();
        cut.truncate(cut.len() / 2);
        assert!(matches!(
            unpack(cut),
            Err(UnpackProblem::Damaged { format: "gzip", .. })
        ));
        let mut xz = XZ.to_vec();
        xz.extend_from_slice(b"not really xz");
        assert!(matches!(
            unpack(xz),
            Err(UnpackProblem::Damaged { format: "xz", .. })
        ));
    }

    #[test]
    fn bombs_stop_early() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        for _ in 0..4 {
            gz.write_all(&[b' '; 1 << 20]).unwrap();
        }
        let bomb = gz.finish().unwrap();
        assert_eq!(
            unpack(bomb.clone()),
            Err(UnpackProblem::Ratio {
                limit: Budget::FEED.ratio
            })
        );
        let small = Budget {
            unpacked_bytes: 1000,
            ratio: u64::MAX,
            ..Budget::FEED
        };
        assert_eq!(
            unpack_within(bomb, &small),
            Err(UnpackProblem::TooLarge { limit: 1000 })
        );
    }

    #[test]
    fn the_limit_holds_for_a_small_sink() {
        let mut sink = Limited {
            inner: Vec::new(),
            limit: 4,
            ratio: 1000,
            consumed: Rc::new(Cell::new(4)),
            over: None,
        };
        assert!(sink.write_all(b"12345").is_err());
        assert!(sink.inner.is_empty());
    }
}
