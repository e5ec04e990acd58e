//! Payload compression (RFC 4253 §6.2): `zlib` and OpenSSH's delayed
//! `zlib@openssh.com`, through compcol's streaming zlib codec.
//!
//! Entry points: [`Compressor::compress`] (before encryption and MAC) and
//! [`Decompressor::decompress`] (after them), installed per direction on
//! the [`PacketEncoder`](super::packet::PacketEncoder) and
//! [`PacketDecoder`](super::packet::PacketDecoder) by the transport.
//!
//! Each direction is ONE zlib stream (one 2-byte header, never finished)
//! that lives from the NEWKEYS (or, delayed, the USERAUTH_SUCCESS) that
//! started it to the next NEWKEYS; every packet ends with a sync flush
//! (an empty stored block `00 00 ff ff`), so the peer can decode each
//! packet completely. OpenSSH sends a partial flush instead; an inflater
//! reads both.
//!
//! Decompression is bounded: a packet whose payload inflates past the
//! packet limit is [`CompressionError::TooLong`], found after writing at
//! most `limit + 1` bytes (decompression bombs never allocate more).
//!
//! Without the `zlib` Cargo feature the types still exist but cannot be
//! built ([`Compressor::new`] and [`Decompressor::new`] return `None`),
//! and [`supported`] says no to both zlib names, so they are never
//! offered or accepted.

use crate::error::CompressionError;
use crate::names;

/// When a negotiated compression method starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Start {
    /// `none`: never.
    Never,
    /// `zlib`: right after NEWKEYS.
    AtNewKeys,
    /// `zlib@openssh.com`: after the server's USERAUTH_SUCCESS (and at
    /// each later NEWKEYS).
    AfterAuth,
}

/// When `name` starts compressing, or `None` for a name this build does
/// not implement (the zlib names without the `zlib` feature).
#[must_use]
pub fn start_of(name: &str) -> Option<Start> {
    match name {
        names::NONE => Some(Start::Never),
        names::ZLIB if cfg!(feature = "zlib") => Some(Start::AtNewKeys),
        names::ZLIB_OPENSSH if cfg!(feature = "zlib") => Some(Start::AfterAuth),
        _ => None,
    }
}

/// Whether this build implements the compression method `name`.
#[must_use]
pub fn supported(name: &str) -> bool {
    start_of(name).is_some()
}

/// zlib level used for sending (OpenSSH uses 6 too).
#[cfg(feature = "zlib")]
const LEVEL: i32 = 6;

/// Output room added per encoder call: compressed payloads are rarely
/// larger than their input plus a few bytes of block headers.
#[cfg(feature = "zlib")]
const STEP: usize = 4096;

#[cfg(not(feature = "zlib"))]
#[derive(Debug, Clone, Copy)]
enum Never {}

/// The sending side of one direction's zlib stream.
#[derive(Debug)]
pub struct Compressor {
    #[cfg(feature = "zlib")]
    encoder: compcol::zlib::ZlibEncoder,
    #[cfg(not(feature = "zlib"))]
    never: Never,
}

#[cfg(feature = "zlib")]
fn codec_error(e: &compcol::Error) -> CompressionError {
    CompressionError::Codec { detail: e.detail(), offset: e.offset() }
}

impl Compressor {
    /// A fresh stream; `None` without the `zlib` feature.
    #[must_use]
    pub fn new() -> Option<Self> {
        #[cfg(feature = "zlib")]
        return Some(Self { encoder: compcol::zlib::ZlibEncoder::new(LEVEL) });
        #[cfg(not(feature = "zlib"))]
        None
    }

    /// Compresses one payload and sync-flushes it, appending to `out`.
    ///
    /// # Errors
    /// [`CompressionError::Codec`] if the encoder fails (it only does on
    /// misuse, which this wrapper never commits).
    pub fn compress(&mut self, payload: &[u8], out: &mut Vec<u8>) -> Result<(), CompressionError> {
        #[cfg(feature = "zlib")]
        {
            use compcol::{Encoder, Flush, Status};
            let mut rest = payload;
            // Rule: each call consumes input or fills the room given; the
            // flush is complete once all input is in and it asks for more.
            loop {
                let start = out.len();
                out.resize(start + STEP.max(rest.len() / 2), 0);
                let room = out.get_mut(start..).unwrap_or_default();
                let p = self.encoder.encode(rest, room, Flush::Sync).map_err(|e| codec_error(&e))?;
                out.truncate(start + p.produced);
                rest = rest.get(p.consumed..).unwrap_or_default();
                if rest.is_empty() && p.status == Status::NeedInput {
                    return Ok(());
                }
            }
        }
        #[cfg(not(feature = "zlib"))]
        {
            let _ = (payload, out);
            match self.never {}
        }
    }
}

/// The receiving side of one direction's zlib stream.
#[derive(Debug)]
pub struct Decompressor {
    #[cfg(feature = "zlib")]
    decoder: compcol::zlib::ZlibDecoder,
    #[cfg(not(feature = "zlib"))]
    never: Never,
}

impl Decompressor {
    /// A fresh stream; `None` without the `zlib` feature.
    #[must_use]
    pub fn new() -> Option<Self> {
        #[cfg(feature = "zlib")]
        return Some(Self { decoder: compcol::zlib::ZlibDecoder::new() });
        #[cfg(not(feature = "zlib"))]
        None
    }

    /// Inflates one packet's payload, refusing output past `limit` bytes.
    ///
    /// # Errors
    /// [`CompressionError::TooLong`] past `limit`,
    /// [`CompressionError::Codec`] for invalid data,
    /// [`CompressionError::StreamEnded`] if the peer ended its stream
    /// (it must stay open), [`CompressionError::Dictionary`] for a
    /// preset-dictionary stream. The decoder stays failed after any.
    pub fn decompress(&mut self, compressed: &[u8], limit: usize) -> Result<Vec<u8>, CompressionError> {
        #[cfg(feature = "zlib")]
        {
            use compcol::{Decoder, Status};
            let mut out = Vec::new();
            let mut rest = compressed;
            // Room is bounded by limit + 1: one byte past the limit proves
            // the payload too long without inflating any further.
            let cap = limit.saturating_add(1);
            // Rule: each call consumes input or fills the room given.
            loop {
                let start = out.len();
                let grow = (STEP.max(rest.len().saturating_mul(4))).min(cap - start);
                out.resize(start + grow, 0);
                let room = out.get_mut(start..).unwrap_or_default();
                let p = self.decoder.decode(rest, room).map_err(|e| codec_error(&e))?;
                out.truncate(start + p.produced);
                rest = rest.get(p.consumed..).unwrap_or_default();
                if out.len() > limit {
                    return Err(CompressionError::TooLong { limit });
                }
                match p.status {
                    Status::NeedInput if rest.is_empty() => return Ok(out),
                    // No progress with room and input left: a broken
                    // contract, reported instead of spinning.
                    _ if p.consumed == 0 && p.produced == 0 => {
                        return Err(CompressionError::Codec { detail: "inflater made no progress", offset: None });
                    }
                    Status::NeedInput | Status::NeedOutput => {}
                    Status::StreamEnd => return Err(CompressionError::StreamEnded),
                    _ => return Err(CompressionError::Dictionary),
                }
            }
        }
        #[cfg(not(feature = "zlib"))]
        {
            let _ = (compressed, limit);
            match self.never {}
        }
    }
}

#[cfg(test)]
mod tests;
