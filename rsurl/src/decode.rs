//! Content decoding (`--compressed`): a stack of compcol [`Decoder`]s
//! built from `Content-Encoding`, applied to the body as a stream.
//!
//! Entry points: [`accept_encoding`] (what we advertise), [`Stack::new`]
//! and [`Stack::push`]. The codec table [`CODINGS`] lists the codings
//! compcol decodes (deflate, gzip, br, zstd); nothing unlisted is ever
//! advertised.

use compcol::{Decoder, Status};

use crate::error::Error;

/// Most codings one response may stack (curl's limit is 5 too): an
/// over-deep `Content-Encoding` is refused before any decoder is built.
pub(crate) const MAX_STACK: usize = 5;

/// Makes a fresh decoder for one coding.
type Factory = fn() -> Box<dyn Decoder + Send>;

fn gzip() -> Box<dyn Decoder + Send> {
    Box::new(compcol::gzip::GzipDecoder::new())
}

/// HTTP's `deflate` coding is the zlib format (RFC 9110 §8.4.1.2).
fn deflate() -> Box<dyn Decoder + Send> {
    Box::new(compcol::zlib::ZlibDecoder::new())
}

/// `zstd` (RFC 8878 section 7.2). The window is capped at 8 MiB, the
/// limit RFC 8878 asks HTTP decoders to enforce, so a response cannot make
/// us reserve the 128 MiB a zstd frame may otherwise name.
fn zstd() -> Box<dyn Decoder + Send> {
    Box::new(compcol::zstd::ZstdDecoder::new().with_window_limit(8 << 20))
}

/// `br` (RFC 7932). Its window is at most 16 MiB by the format (large-window
/// brotli is refused by compcol), so no extra cap is needed.
fn brotli() -> Box<dyn Decoder + Send> {
    Box::new(compcol::brotli::BrotliDecoder::new())
}

/// HTTP content codings compcol can decode, by IANA name, in the order
/// curl advertises them.
pub(crate) const CODINGS: &[(&str, Factory)] = &[("deflate", deflate), ("gzip", gzip), ("br", brotli), ("zstd", zstd)];

/// The `Accept-Encoding` value for `--compressed` (empty: send none).
#[must_use]
pub(crate) fn accept_encoding() -> String {
    CODINGS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

/// Decoders applied in reverse order of `Content-Encoding`.
///
/// Invariant: `layers.len() <= MAX_STACK`; `written <= cap` (bytes
/// emitted so far).
pub(crate) struct Stack {
    layers: Vec<Box<dyn Decoder + Send>>,
    cap: u64,
    written: u64,
}

impl core::fmt::Debug for Stack {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Stack").field("layers", &self.layers.len()).field("written", &self.written).finish()
    }
}

impl Stack {
    /// Builds the stack for a `Content-Encoding` value from `table`;
    /// `identity` is skipped. `cap` bounds the decoded size (decompression
    /// bomb guard).
    ///
    /// # Errors
    /// [`Error::Decoding`] for an unknown coding or more than [`MAX_STACK`].
    pub(crate) fn new(content_encoding: &str, table: &[(&str, Factory)], cap: u64) -> Result<Self, Error> {
        let names: Vec<&str> = content_encoding
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("identity"))
            .collect();
        if names.len() > MAX_STACK {
            return Err(Error::Decoding(format!("Reject response due to more than {MAX_STACK} content encodings")));
        }
        let mut layers = Vec::with_capacity(names.len());
        for name in names.iter().rev() {
            let (_, make) = table
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .ok_or_else(|| Error::Decoding(format!("Unrecognized content encoding type: {name}")))?;
            layers.push(make());
        }
        Ok(Self { layers, cap, written: 0 })
    }

    /// Whether the stack does nothing (no coding applied).
    #[must_use]
    pub(crate) fn is_identity(&self) -> bool {
        self.layers.is_empty()
    }

    /// Decodes `input` through every layer and hands the plain bytes to
    /// `emit` as they appear.
    ///
    /// Memory stays bounded whatever the compression ratio: each layer owns
    /// one fixed window and passes each window-full straight to the next
    /// layer, so a nested decompression bomb streams instead of growing a
    /// buffer. The cap is checked before each piece is emitted.
    ///
    /// # Errors
    /// [`Error::Decoding`] for a corrupt stream or when the output passes
    /// the cap; whatever `emit` returns.
    pub(crate) fn push(&mut self, input: &[u8], emit: &mut dyn FnMut(&[u8]) -> Result<(), Error>) -> Result<(), Error> {
        let (cap, written) = (self.cap, &mut self.written);
        feed(&mut self.layers, input, &mut |plain: &[u8]| {
            let total = written.saturating_add(plain.len() as u64);
            if total > cap {
                return Err(Error::Decoding(format!("decoded body exceeds {cap} bytes")));
            }
            *written = total;
            emit(plain)
        })
    }
}

/// Runs `input` through the first layer, feeding each window of its output
/// to the remaining layers; the last layer's output goes to `emit`.
/// Recursion depth is at most [`MAX_STACK`].
fn feed(
    layers: &mut [Box<dyn Decoder + Send>],
    input: &[u8],
    emit: &mut dyn FnMut(&[u8]) -> Result<(), Error>,
) -> Result<(), Error> {
    let Some((first, rest)) = layers.split_first_mut() else {
        return emit(input);
    };
    let mut window = [0u8; 16 * 1024];
    let mut pos = 0;
    loop {
        let p =
            first.decode(input.get(pos..).unwrap_or(&[]), &mut window).map_err(|e| Error::Decoding(e.to_string()))?;
        pos += p.consumed;
        if p.produced > 0 {
            feed(rest, window.get(..p.produced).unwrap_or(&[]), emit)?;
        }
        let stuck = p.consumed == 0 && p.produced == 0;
        if p.status == Status::StreamEnd || (p.status == Status::NeedInput && pos >= input.len()) || stuck {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushes `input`, collecting the plain bytes into `out`.
    fn push_into(s: &mut Stack, input: &[u8], out: &mut Vec<u8>) -> Result<(), Error> {
        s.push(input, &mut |plain: &[u8]| {
            out.extend_from_slice(plain);
            Ok(())
        })
    }

    fn store() -> Box<dyn Decoder + Send> {
        Box::new(compcol::store::StoreDecoder::new())
    }

    /// A test-only table: compcol's identity codec under a made-up name,
    /// standing in for gzip until compcol ships it.
    const TABLE: &[(&str, Factory)] = &[("x-store", store)];

    #[test]
    fn stack_streams_through_layers_byte_by_byte() {
        let mut s = Stack::new("x-store, identity, X-Store", TABLE, 1 << 20).unwrap();
        assert!(!s.is_identity());
        let mut out = Vec::new();
        for b in b"hello world" {
            push_into(&mut s, &[*b], &mut out).unwrap();
        }
        assert_eq!(out, b"hello world");
    }

    #[test]
    fn refusals() {
        assert!(matches!(Stack::new("gzip", TABLE, 10), Err(Error::Decoding(_))));
        let deep = ["x-store"; MAX_STACK + 1].join(",");
        assert!(matches!(Stack::new(&deep, TABLE, 10), Err(Error::Decoding(_))));
        let mut s = Stack::new("x-store", TABLE, 4).unwrap();
        let mut out = Vec::new();
        assert!(matches!(push_into(&mut s, b"12345", &mut out), Err(Error::Decoding(_))));
        assert!(out.is_empty(), "nothing past the cap is emitted");
        assert!(Stack::new("identity", &[], 1).unwrap().is_identity());
        assert!(matches!(Stack::new("compress", CODINGS, 10), Err(Error::Decoding(_))));
        assert_eq!(accept_encoding(), "deflate, gzip, br, zstd");
    }

    #[test]
    fn gzip_and_deflate_decode_through_compcol() {
        let plain = b"hello through compcol ".repeat(50);
        let gz = compcol::gzip::compress_to_vec(&plain, 6).unwrap();
        let zl = compcol::zlib::compress_to_vec(&plain, 6).unwrap();
        for (coding, body) in [("gzip", gz), ("deflate", zl)] {
            let mut s = Stack::new(coding, CODINGS, 1 << 20).unwrap();
            let mut out = Vec::new();
            for piece in body.chunks(7) {
                push_into(&mut s, piece, &mut out).unwrap();
            }
            assert_eq!(out, plain, "{coding}");
        }
    }

    #[test]
    fn a_bomb_stops_at_the_cap_within_one_chunk() {
        // 64 MiB of zeros packs into about 64 KiB; one push of the whole
        // body must stop at the 1 MiB cap and emit nothing past it.
        let bomb = compcol::gzip::compress_to_vec(&vec![0u8; 64 << 20], 9).unwrap();
        let mut s = Stack::new("gzip", CODINGS, 1 << 20).unwrap();
        let mut out = Vec::new();
        assert!(matches!(push_into(&mut s, &bomb, &mut out), Err(Error::Decoding(_))));
        assert!(out.len() <= 1 << 20 && out.iter().all(|&b| b == 0));
    }

    #[test]
    fn a_nested_bomb_streams_through_fixed_windows() {
        // gzip inside gzip: 64 MiB of zeros from a few hundred bytes. With no
        // cap the bytes stream to `emit` in window-sized pieces; no piece,
        // and so no buffer, is larger than one layer window.
        let inner = compcol::gzip::compress_to_vec(&vec![0u8; 64 << 20], 9).unwrap();
        let outer = compcol::gzip::compress_to_vec(&inner, 9).unwrap();
        let mut s = Stack::new("gzip, gzip", CODINGS, u64::MAX).unwrap();
        let (mut total, mut largest) = (0usize, 0usize);
        s.push(&outer, &mut |plain: &[u8]| {
            total += plain.len();
            largest = largest.max(plain.len());
            Ok(())
        })
        .unwrap();
        assert_eq!(total, 64 << 20);
        assert!(largest <= 16 * 1024, "a piece of {largest} bytes");
    }
}
