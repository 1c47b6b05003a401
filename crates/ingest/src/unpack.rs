//! Feed files as NVD and its mirrors ship them: plain, gzip (`.gz`) or xz (`.xz`). Told by
//! the first bytes, not the file name. The unpacked size is capped, so a hostile file cannot
//! fill the memory.

use std::io::{BufReader, Read};

/// The largest unpacked feed. NVD's biggest year file is about 0.5 GiB as JSON.
pub const MAX_UNPACKED: u64 = 4 << 30;

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
}

/// The bytes unpacked when they are gzip or xz, or as given.
pub fn unpack(bytes: Vec<u8>) -> Result<Vec<u8>, UnpackProblem> {
    if bytes.starts_with(GZIP) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .take(MAX_UNPACKED + 1)
            .read_to_end(&mut out)
            .map_err(|e| UnpackProblem::Damaged {
                format: "gzip",
                detail: e.to_string(),
            })?;
        capped(out)
    } else if bytes.starts_with(XZ) {
        let mut out = Limited {
            inner: Vec::new(),
            limit: MAX_UNPACKED,
        };
        let mut input = BufReader::new(bytes.as_slice());
        lzma_rs::xz_decompress(&mut input, &mut out).map_err(|e| {
            if out.inner.len() as u64 >= MAX_UNPACKED {
                UnpackProblem::TooLarge {
                    limit: MAX_UNPACKED,
                }
            } else {
                UnpackProblem::Damaged {
                    format: "xz",
                    detail: e.to_string(),
                }
            }
        })?;
        Ok(out.inner)
    } else {
        Ok(bytes)
    }
}

fn capped(out: Vec<u8>) -> Result<Vec<u8>, UnpackProblem> {
    if out.len() as u64 > MAX_UNPACKED {
        Err(UnpackProblem::TooLarge {
            limit: MAX_UNPACKED,
        })
    } else {
        Ok(out)
    }
}

/// A sink that refuses to grow past its limit.
struct Limited {
    inner: Vec<u8>,
    limit: u64,
}

impl std::io::Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.inner.len() as u64 + buf.len() as u64 > self.limit {
            return Err(std::io::Error::other("unpacked data over the limit"));
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
        let mut xz = Vec::new();
        lzma_rs::xz_compress(&mut BufReader::new(JSON), &mut xz).unwrap();
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
    fn the_limit_holds_for_a_small_sink() {
        let mut sink = Limited {
            inner: Vec::new(),
            limit: 4,
        };
        assert!(sink.write_all(b"12345").is_err());
        assert!(sink.inner.is_empty());
    }
}
