//! zstd-only settings of `compcol`: dictionaries (`-D`), training
//! (`--train`), long-distance matching (`--long`) and the decoder memory
//! limit (`--memory`).
//!
//! Entry points: [`configure`] (once, from `main`), then [`encoder`] and
//! [`decoder`], which `ops` asks first (`None` = not zstd, use the
//! factory), [`options`] (what `-T N` gives each job) and [`train`].

use crate::args::Args;
use compcol::factory::{BoxDecoder, BoxEncoder};
use std::io;
use std::sync::OnceLock;

/// What the command line asked of zstd.
#[cfg_attr(not(feature = "zstd"), allow(dead_code))]
struct Settings {
    dict: Option<Vec<u8>>,
    long: Option<u32>,
    memory: Option<u64>,
    extreme: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Reads the dictionary file, if any, and records the settings.
pub(crate) fn configure(a: &Args) -> io::Result<()> {
    let dict = match &a.dict {
        Some(path) => Some(std::fs::read(path).map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?),
        None => None,
    };
    let _ = SETTINGS.set(Settings { dict, long: a.long, memory: a.memory, extreme: a.extreme });
    Ok(())
}

#[cfg(feature = "zstd")]
fn codec_err(e: compcol::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e)
}

/// An xz / lzma encoder or decoder with the command line's `-e` and
/// `--memory`, or `None` when neither applies (the factory's defaults).
#[cfg(feature = "xz")]
pub(crate) mod xz {
    use super::SETTINGS;
    use compcol::factory::{BoxDecoder, BoxEncoder};
    use compcol::xz::{LzmaDecoder, LzmaEncoder, Props, XzDecoder, XzEncoder, XzOptions};

    /// `-e` for `xz` / `lzma` at `level` (negative = xz's default 6).
    pub(crate) fn encoder(format: &str, level: i32) -> Option<BoxEncoder> {
        SETTINGS.get().filter(|s| s.extreme)?;
        let preset = if level < 0 { 6 } else { level.unsigned_abs() };
        match format {
            "xz" => Some(Box::new(XzEncoder::with_options(XzOptions::new(preset).extreme(true)))),
            "lzma" => Some(Box::new(LzmaEncoder::with_props(preset, true, Props::DEFAULT))),
            _ => None,
        }
    }

    /// `--memory` for `xz` / `lzma` decoding: a larger dictionary fails
    /// with a memory-limit error, never a silent clamp.
    pub(crate) fn decoder(format: &str) -> Option<BoxDecoder> {
        let limit = SETTINGS.get()?.memory?;
        match format {
            "xz" => Some(Box::new(XzDecoder::with_memlimit(limit))),
            "lzma" => Some(Box::new(LzmaDecoder::with_memlimit(limit))),
            _ => None,
        }
    }
}

/// Whether `format` names zstd.
#[cfg(feature = "zstd")]
pub(crate) fn is_zstd(format: &str) -> bool {
    format.eq_ignore_ascii_case("zstd") || format.eq_ignore_ascii_case("zst")
}

/// The encoder options the command line asks for at `level`: `--long`
/// and `-D`. `zstd_mt` builds every job's encoder from these, so a
/// multi-threaded frame carries the same settings as a single-threaded one.
#[cfg(feature = "zstd")]
pub(crate) fn options(level: i32) -> io::Result<compcol::zstd::Options> {
    use compcol::zstd::{Dictionary, Options};
    let mut o = Options::new(level);
    let Some(s) = SETTINGS.get() else { return Ok(o) };
    if let Some(l) = s.long {
        o = o.long(l);
    }
    if let Some(d) = &s.dict {
        o = o.dictionary(Dictionary::parse(d).map_err(codec_err)?);
    }
    Ok(o)
}

/// A zstd encoder with the command line's settings, or `None` for other
/// formats.
#[cfg(feature = "zstd")]
pub(crate) fn encoder(format: &str, level: i32) -> Option<io::Result<BoxEncoder>> {
    use compcol::zstd::ZstdEncoder;
    if !is_zstd(format) {
        return None;
    }
    SETTINGS.get()?;
    let build = || -> io::Result<BoxEncoder> {
        let o = options(level)?;
        Ok(Box::new(ZstdEncoder::with_options(&o).map_err(codec_err)?))
    };
    Some(build())
}

/// A zstd decoder with the command line's settings, or `None` for other
/// formats.
#[cfg(feature = "zstd")]
pub(crate) fn decoder(format: &str) -> Option<io::Result<BoxDecoder>> {
    use compcol::zstd::{Dictionary, ZstdDecoder};
    if format != "zstd" {
        return None;
    }
    let s = SETTINGS.get()?;
    let mut dec = ZstdDecoder::new();
    // As zstd: --long=N also lets the decoder use a 2^N window.
    let limit = s.memory.or(s.long.map(|l| (1u64 << l).max(1 << 27)));
    if let Some(m) = limit {
        dec = dec.with_window_limit(m);
    }
    if let Some(d) = &s.dict {
        match Dictionary::parse(d) {
            Ok(d) => dec = dec.with_dictionary(d),
            Err(e) => return Some(Err(codec_err(e))),
        }
    }
    Some(Ok(Box::new(dec)))
}

/// Trains a dictionary from the input files into `-o` (default
/// `dictionary`).
#[cfg(feature = "zstd")]
pub(crate) fn train(a: &Args) -> io::Result<()> {
    let mut samples = Vec::new();
    for f in &a.files {
        samples.push(std::fs::read(f).map_err(|e| io::Error::new(e.kind(), format!("{f}: {e}")))?);
    }
    let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
    let dict = compcol::zstd::train_dictionary(&refs, a.maxdict).map_err(codec_err)?;
    let out = a.output.clone().unwrap_or_else(|| "dictionary".into());
    std::fs::write(&out, dict).map_err(|e| io::Error::new(e.kind(), format!("{out}: {e}")))
}

#[cfg(not(feature = "zstd"))]
pub(crate) fn encoder(_format: &str, _level: i32) -> Option<io::Result<BoxEncoder>> {
    None
}

#[cfg(not(feature = "zstd"))]
pub(crate) fn decoder(_format: &str) -> Option<io::Result<BoxDecoder>> {
    None
}

#[cfg(not(feature = "zstd"))]
pub(crate) fn train(_a: &Args) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "built without the zstd feature"))
}
