//! Parallel gzip compression for `compcol -T N` (pigz style).
//!
//! Entry point: [`compress`]. The input is cut into fixed-size chunks that
//! worker threads take in turn (the scheduling is `pool`'s, shared with
//! zstd); each is compressed as raw deflate with the
//! previous 32 KiB of input as a preset dictionary, ending in a sync flush
//! (the last chunk: the final block). The pieces are byte-aligned, so
//! written one after another they form one ordinary deflate stream; the
//! CRC-32 of the member is joined from per-chunk CRCs with
//! `crc32_combine`. Output is one normal gzip member that `gzip -d`
//! reads.

use crate::pool::{self, Chunk, Chunks};
use compcol::checksum::{crc32, crc32_combine};
use compcol::deflate::{DeflateEncoder, Options};
use compcol::{Encoder, Flush, Status};
use std::io::{self, Read, Write};

/// Input per chunk.
const CHUNK: usize = 1024 * 1024;
/// History handed to each chunk.
const DICT: usize = 32 * 1024;

fn codec_err(e: compcol::Error) -> io::Error {
    io::Error::other(e)
}

/// Compresses `chunk` (with `dict` as history) to raw deflate ending in a
/// sync flush, or the final block when `last`.
fn piece(dict: &[u8], chunk: &[u8], level: i32, last: bool) -> io::Result<Vec<u8>> {
    let mut enc = DeflateEncoder::with_options(&Options::new(level).dictionary(dict)).map_err(codec_err)?;
    let mut out = vec![0u8; chunk.len() + chunk.len() / 8 + 1024];
    let mut packed = Vec::with_capacity(chunk.len() / 2);
    let mut pos = 0;
    let flush = if last { Flush::Finish } else { Flush::Sync };
    loop {
        let p = enc.encode(chunk.get(pos..).unwrap_or(&[]), &mut out, flush).map_err(codec_err)?;
        pos += p.consumed;
        packed.extend_from_slice(out.get(..p.produced).unwrap_or(&[]));
        let flushed = p.status == Status::NeedInput && pos == chunk.len();
        if p.status == Status::StreamEnd || (!last && flushed) {
            return Ok(packed);
        }
    }
}

/// One gzip job: a chunk and the 32 KiB of input before it.
struct Job {
    history: Vec<u8>,
    chunk: Chunk,
}

/// One compressed chunk: (raw deflate piece, CRC-32 of the input, input
/// length).
type Piece = (Vec<u8>, u32, u64);

/// Compresses `input` into one gzip member on `threads` threads; returns
/// (bytes in, bytes out).
pub(crate) fn compress<R: Read, W: Write>(input: R, mut out: W, level: i32, threads: usize) -> io::Result<(u64, u64)> {
    let xfl = match level {
        9 => 2,
        1 => 4,
        _ => 0,
    };
    let header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255];
    out.write_all(&header)?;
    let mut written = header.len() as u64;
    let mut crc = 0u32;
    let mut total = 0u64;
    let mut chunks = Chunks::new(input, CHUNK);
    let mut history: Vec<u8> = Vec::new();
    let next_job = || -> io::Result<Option<Job>> {
        let Some(chunk) = chunks.next_chunk()? else { return Ok(None) };
        let tail = chunk.data.get(chunk.data.len().saturating_sub(DICT)..).unwrap_or(&[]).to_vec();
        Ok(Some(Job { history: std::mem::replace(&mut history, tail), chunk }))
    };
    let work = |job: Job| -> io::Result<Piece> {
        let Job { history, chunk } = job;
        // Only empty input gives an empty chunk: a lone final empty block.
        let packed =
            if chunk.data.is_empty() { vec![0x03, 0x00] } else { piece(&history, &chunk.data, level, chunk.last)? };
        Ok((packed, crc32(&chunk.data), chunk.data.len() as u64))
    };
    let sink = |(packed, c, len): Piece| -> io::Result<()> {
        out.write_all(&packed)?;
        written += packed.len() as u64;
        crc = crc32_combine(crc, c, len);
        total += len;
        Ok(())
    };
    pool::run_ordered(threads, next_job, work, sink)?;
    out.write_all(&crc.to_le_bytes())?;
    out.write_all(&(total as u32).to_le_bytes())?;
    out.flush()?;
    Ok((total, written + 8))
}
