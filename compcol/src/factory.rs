//! By-name codec registry: what the CLI, HTTP `Content-Encoding` and
//! configuration files use to pick a codec at run time.
//!
//! Entry points: [`encoder`], [`decoder`], [`names`], [`extension`] and
//! [`detect`]. The registry is one static table, one row per codec compiled
//! in (each behind its Cargo feature).
//!
//! Names are compcol's codec names, not HTTP content codings: HTTP's
//! `deflate` coding is the zlib format (`"zlib"` here), and `x-gzip` is
//! `"gzip"`; protocol layers map their own tokens.
//!
//! ```
//! use compcol::factory;
//! let packed = compcol::compress_to_vec(&mut factory::encoder("gzip", -1)?, b"hi")?;
//! assert_eq!(factory::detect(&packed), Some("gzip"));
//! let plain = compcol::decompress_to_vec(&mut factory::decoder("gzip")?, &packed, 100)?;
//! assert_eq!(plain, b"hi");
//! # Ok::<(), compcol::Error>(())
//! ```

use crate::{Decoder, Encoder, Error, ErrorKind};
use alloc::boxed::Box;

/// A boxed encoder from the registry.
pub type BoxEncoder = Box<dyn Encoder + Send>;
/// A boxed decoder from the registry.
pub type BoxDecoder = Box<dyn Decoder + Send>;

/// One registry row.
struct Codec {
    name: &'static str,
    extension: &'static str,
    encoder: fn(i32) -> Result<BoxEncoder, Error>,
    decoder: fn() -> BoxDecoder,
    /// Whether a stream prefix carries this format's magic number.
    magic: Option<fn(&[u8]) -> bool>,
}

/// Checks a level in -1..=9 (-1 = the codec's default).
#[cfg_attr(
    not(any(feature = "deflate", feature = "zlib", feature = "gzip", feature = "lzo", feature = "bzip2")),
    allow(dead_code)
)]
fn level(name: &'static str, level: i32) -> Result<i32, Error> {
    if (-1..=9).contains(&level) {
        Ok(level)
    } else {
        Err(Error::new(ErrorKind::InvalidArgument, name, "level must be -1 or 0..=9"))
    }
}

/// Checks an LZ4 level: -1 (default, 1), 0..=2 fast, 3..=12 HC.
/// Checks a brotli quality: -1 (default, 6) or 0..=11.
#[cfg(feature = "brotli")]
fn brotli_level(level: i32) -> Result<u32, Error> {
    match level {
        -1 => Ok(6),
        0..=11 => Ok(level.unsigned_abs()),
        _ => Err(Error::new(ErrorKind::InvalidArgument, "brotli", "level must be -1 or 0..=11")),
    }
}

#[cfg(feature = "lz4")]
fn lz4_level(level: i32) -> Result<i32, Error> {
    if (-1..=12).contains(&level) {
        Ok(level)
    } else {
        Err(Error::new(ErrorKind::InvalidArgument, "lz4", "level must be -1 or 0..=12"))
    }
}

static CODECS: &[Codec] = &[
    #[cfg(feature = "gzip")]
    Codec {
        name: "gzip",
        extension: "gz",
        encoder: |l| Ok(Box::new(crate::gzip::GzipEncoder::new(level("gzip", l)?))),
        decoder: || Box::new(crate::gzip::GzipDecoder::new()),
        magic: Some(|p| p.starts_with(&[0x1f, 0x8b])),
    },
    #[cfg(feature = "zlib")]
    Codec {
        name: "zlib",
        extension: "zz",
        encoder: |l| Ok(Box::new(crate::zlib::ZlibEncoder::new(level("zlib", l)?))),
        decoder: || Box::new(crate::zlib::ZlibDecoder::new()),
        magic: Some(|p| match p {
            [cmf, flg, ..] => cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0,
            _ => false,
        }),
    },
    #[cfg(feature = "lz4")]
    Codec {
        name: "lz4",
        extension: "lz4",
        encoder: |l| Ok(Box::new(crate::lz4::Lz4Encoder::new(lz4_level(l)?))),
        decoder: || Box::new(crate::lz4::Lz4Decoder::new()),
        magic: Some(|p| p.starts_with(&[0x04, 0x22, 0x4d, 0x18])),
    },
    #[cfg(feature = "snappy")]
    Codec {
        name: "snappy",
        extension: "sz",
        encoder: |_| Ok(Box::new(crate::snappy::SnappyEncoder::new())),
        decoder: || Box::new(crate::snappy::SnappyDecoder::new()),
        magic: Some(|p| p.starts_with(&[0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59])),
    },
    #[cfg(feature = "snappy")]
    Codec {
        name: "snappy-raw",
        extension: "snappy",
        encoder: |_| Ok(Box::new(crate::snappy::SnappyRawEncoder::new())),
        decoder: || Box::new(crate::snappy::SnappyRawDecoder::new()),
        magic: None,
    },
    #[cfg(feature = "lzw")]
    Codec {
        name: "lzw",
        extension: "Z",
        // Levels do not apply: compress(1) has one setting (-b, the width).
        encoder: |_| Ok(Box::new(crate::lzw::LzwEncoder::new())),
        decoder: || Box::new(crate::lzw::LzwDecoder::new()),
        magic: Some(|p| p.starts_with(&[0x1f, 0x9d])),
    },
    #[cfg(feature = "lzo")]
    Codec {
        name: "lzo",
        extension: "lzo",
        encoder: |l| Ok(Box::new(crate::lzo::LzopEncoder::new(level("lzo", l)?))),
        decoder: || Box::new(crate::lzo::LzopDecoder::new()),
        magic: Some(|p| p.starts_with(&[0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a])),
    },
    #[cfg(feature = "bzip2")]
    Codec {
        name: "bzip2",
        extension: "bz2",
        // -1 is bzip2's default block size (9); 0 is the smallest (1).
        encoder: |l| {
            Ok(Box::new(crate::bzip2::Bzip2Encoder::new(
                level("bzip2", l).map(|l| if l < 0 { 9 } else { l.max(1) as u32 })?,
            )))
        },
        decoder: || Box::new(crate::bzip2::Bzip2Decoder::new()),
        // "BZh" and the block-size digit 1..9.
        magic: Some(|p| matches!(p, [b'B', b'Z', b'h', d, ..] if (b'1'..=b'9').contains(d))),
    },
    #[cfg(feature = "xz")]
    Codec {
        name: "xz",
        extension: "xz",
        // -1 is xz's default preset, 6.
        encoder: |l| Ok(Box::new(crate::xz::XzEncoder::new(if level("xz", l)? < 0 { 6 } else { l.unsigned_abs() }))),
        decoder: || Box::new(crate::xz::XzDecoder::new()),
        magic: Some(|p| p.starts_with(&crate::xz::HEADER_MAGIC)),
    },
    #[cfg(feature = "xz")]
    Codec {
        name: "lzma2",
        extension: "lzma2",
        encoder: |l| {
            Ok(Box::new(crate::xz::Lzma2Encoder::new(if level("lzma2", l)? < 0 { 6 } else { l.unsigned_abs() })))
        },
        // Raw LZMA2 does not record its dictionary size: assume the
        // largest any preset uses (64 MiB; pages are touched as used).
        decoder: || Box::new(crate::xz::Lzma2Decoder::new(64 << 20)),
        magic: None,
    },
    #[cfg(feature = "brotli")]
    Codec {
        name: "brotli",
        extension: "br",
        encoder: |l| Ok(Box::new(crate::brotli::BrotliEncoder::new(brotli_level(l)?))),
        decoder: || Box::new(crate::brotli::BrotliDecoder::new()),
        // Brotli has no magic number: a stream starts with the window
        // size bits, which any byte can begin, so detect() never claims it.
        magic: None,
    },
    #[cfg(feature = "deflate")]
    Codec {
        name: "deflate",
        extension: "deflate",
        encoder: |l| Ok(Box::new(crate::deflate::DeflateEncoder::new(level("deflate", l)?))),
        decoder: || Box::new(crate::deflate::DeflateDecoder::new()),
        magic: None,
    },
    #[cfg(feature = "zstd")]
    Codec {
        name: "zstd",
        extension: "zst",
        // -1 is the registry's "default"; zstd's own levels run -7..=22.
        encoder: |l| Ok(Box::new(crate::zstd::ZstdEncoder::new(if l == -1 { 0 } else { l })?)),
        decoder: || Box::new(crate::zstd::ZstdDecoder::new()),
        // A zstd frame, or a skippable frame (magic 0x184D2A5?).
        magic: Some(|p| {
            p.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) || matches!(p, [b0, 0x2a, 0x4d, 0x18, ..] if b0 & 0xf0 == 0x50)
        }),
    },
    #[cfg(feature = "store")]
    Codec {
        name: "store",
        extension: "store",
        encoder: |_| Ok(Box::new(crate::store::StoreEncoder::new())),
        decoder: || Box::new(crate::store::StoreDecoder::new()),
        magic: None,
    },
    #[cfg(feature = "xz")]
    Codec {
        name: "lzma",
        extension: "lzma",
        encoder: |l| {
            Ok(Box::new(crate::xz::LzmaEncoder::new(if level("lzma", l)? < 0 { 6 } else { l.unsigned_abs() })))
        },
        decoder: || Box::new(crate::xz::LzmaDecoder::new()),
        // .lzma has no magic number; it is sniffed from its header (see
        // crate::xz::looks_like_lzma), so this row stays last.
        magic: Some(crate::xz::looks_like_lzma),
    },
];

static NAMES: &[&str] = &[
    #[cfg(feature = "lz4")]
    "lz4",
    #[cfg(feature = "snappy")]
    "snappy",
    #[cfg(feature = "snappy")]
    "snappy-raw",
    #[cfg(feature = "lzw")]
    "lzw",
    #[cfg(feature = "lzo")]
    "lzo",
    #[cfg(feature = "bzip2")]
    "bzip2",
    #[cfg(feature = "gzip")]
    "gzip",
    #[cfg(feature = "zlib")]
    "zlib",
    #[cfg(feature = "deflate")]
    "deflate",
    #[cfg(feature = "zstd")]
    "zstd",
    #[cfg(feature = "xz")]
    "xz",
    #[cfg(feature = "xz")]
    "lzma",
    #[cfg(feature = "xz")]
    "lzma2",
    #[cfg(feature = "brotli")]
    "brotli",
    #[cfg(feature = "store")]
    "store",
];

fn find(name: &str) -> Result<&'static Codec, Error> {
    CODECS
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name) || c.extension.eq_ignore_ascii_case(name))
        .ok_or(Error::new(ErrorKind::Unsupported, "factory", "unknown codec name (see factory::names())"))
}

/// The names of every codec compiled in.
#[must_use]
pub fn names() -> &'static [&'static str] {
    NAMES
}

/// An encoder for `name` (or its extension) at `level`: -1 is the codec's
/// default, 0..=9 from fastest to smallest.
///
/// # Errors
/// [`ErrorKind::Unsupported`] for an unknown name,
/// [`ErrorKind::InvalidArgument`] for a bad level.
pub fn encoder(name: &str, level: i32) -> Result<BoxEncoder, Error> {
    (find(name)?.encoder)(level)
}

/// A decoder for `name` (or its extension).
///
/// # Errors
/// [`ErrorKind::Unsupported`] for an unknown name.
pub fn decoder(name: &str) -> Result<BoxDecoder, Error> {
    Ok((find(name)?.decoder)())
}

/// The file extension (without the dot) for `name`.
#[must_use]
pub fn extension(name: &str) -> Option<&'static str> {
    find(name).ok().map(|c| c.extension)
}

/// The codec whose magic number starts `prefix` (2 bytes suffice for the
/// current formats); `None` for formats without one (deflate, store).
#[must_use]
pub fn detect(prefix: &[u8]) -> Option<&'static str> {
    CODECS.iter().find(|c| c.magic.is_some_and(|m| m(prefix))).map(|c| c.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_detects() {
        for &name in names() {
            for l in [-1, 0, 1, 9] {
                let mut enc = encoder(name, l).unwrap();
                let packed = crate::compress_to_vec(&mut enc, b"factory data factory data").unwrap();
                let mut dec = decoder(name).unwrap();
                let plain = crate::decompress_to_vec(&mut dec, &packed, 1000);
                assert_eq!(plain.unwrap(), b"factory data factory data", "{name} level {l}");
                if matches!(name, "gzip" | "zlib" | "zstd" | "lz4" | "snappy" | "lzw" | "lzo" | "bzip2" | "xz" | "lzma")
                {
                    assert_eq!(detect(&packed), Some(name));
                }
            }
            assert!(extension(name).is_some());
        }
        assert_eq!(encoder("gzip", 10).err().map(|e| e.kind()), Some(ErrorKind::InvalidArgument));
        assert_eq!(decoder("nope").err().map(|e| e.kind()), Some(ErrorKind::Unsupported));
        assert_eq!(extension("gzip"), Some("gz"));
        assert_eq!(detect(b"plain text"), None);
        assert_eq!(detect(b""), None);
    }

    #[cfg(feature = "brotli")]
    #[test]
    fn brotli_by_name_and_extension_without_magic() {
        assert_eq!(extension("brotli"), Some("br"));
        assert!(decoder("br").is_ok());
        assert_eq!(encoder("brotli", 12).err().map(|e| e.kind()), Some(ErrorKind::InvalidArgument));
        for l in [-1, 0, 11] {
            let packed = crate::compress_to_vec(&mut encoder("br", l).unwrap(), b"brotli by name").unwrap();
            assert_eq!(detect(&packed), None);
            assert_eq!(
                crate::decompress_to_vec(&mut decoder("brotli").unwrap(), &packed, 100).unwrap(),
                b"brotli by name"
            );
        }
    }

    #[cfg(feature = "bzip2")]
    #[test]
    fn bzip2_by_name_extension_and_magic() {
        assert_eq!(extension("bzip2"), Some("bz2"));
        assert!(decoder("bz2").is_ok());
        assert_eq!(detect(b"BZh91AY&SY"), Some("bzip2"));
        assert_eq!(detect(b"BZh0"), None);
        assert_eq!(encoder("bzip2", 11).err().map(|e| e.kind()), Some(ErrorKind::InvalidArgument));
        let packed = crate::compress_to_vec(&mut encoder("bz2", -1).unwrap(), b"x").unwrap();
        assert!(packed.starts_with(b"BZh9"));
    }
}
