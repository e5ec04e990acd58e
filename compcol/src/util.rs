//! One-shot helpers over any [`Encoder`] / [`Decoder`].
//!
//! Entry points: [`compress_to_vec`] and [`decompress_to_vec`] (which caps
//! the output, for untrusted input).

use crate::limit::Limited;
use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Status};
use alloc::vec::Vec;

/// Output grows in steps of this much.
const STEP: usize = 32 * 1024;

/// Runs `enc` over all of `data` and finishes the stream.
///
/// # Errors
/// Whatever the encoder reports.
pub fn compress_to_vec<E: Encoder + ?Sized>(enc: &mut E, data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    let mut pos = 0;
    loop {
        let start = out.len();
        out.resize(start + STEP.max(data.len() / 8), 0);
        let rest = data.get(pos..).unwrap_or(&[]);
        let p = enc.encode(rest, out.get_mut(start..).unwrap_or(&mut []), Flush::Finish)?;
        pos += p.consumed;
        out.truncate(start + p.produced);
        if p.status == Status::StreamEnd {
            return Ok(out);
        }
    }
}

/// Decodes all of `data` with `dec`, failing with
/// [`ErrorKind::OutputLimit`] once the output would exceed `cap` bytes and
/// with [`ErrorKind::Truncated`] if `data` ends inside the stream. Output
/// is decoded straight into the returned vector, which grows by doubling
/// but never past `cap` plus one step.
///
/// # Errors
/// As described; plus the decoder's own errors.
pub fn decompress_to_vec<D: Decoder + ?Sized>(dec: &mut D, data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    let mut limited = Limited::new(dec, cap as u64);
    let mut out: Vec<u8> = Vec::new();
    let mut filled = 0;
    let mut pos = 0;
    loop {
        if filled == out.len() {
            let grow = out.len().max(STEP);
            out.resize(out.len().saturating_add(grow).min(cap.saturating_add(STEP)), 0);
        }
        let rest = data.get(pos..).unwrap_or(&[]);
        let p = limited.decode(rest, out.get_mut(filled..).unwrap_or(&mut []))?;
        pos += p.consumed;
        filled += p.produced;
        match p.status {
            Status::StreamEnd => break,
            Status::NeedInput if pos == data.len() && !limited.has_end_marker() => break,
            Status::NeedInput if pos == data.len() => {
                return Err(
                    Error::new(ErrorKind::Truncated, "decompress", "input ended inside the stream").at(pos as u64)
                );
            }
            Status::NeedDictionary(_) => {
                return Err(Error::new(ErrorKind::Unsupported, "decompress", "stream needs a preset dictionary"));
            }
            _ => {}
        }
    }
    out.truncate(filled);
    Ok(out)
}
