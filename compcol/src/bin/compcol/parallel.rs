//! Parallel gzip compression for `compcol -T N` (pigz style).
//!
//! Entry point: [`compress`]. The input is cut into fixed-size chunks that
//! worker threads take in turn; each is compressed as raw deflate with the
//! previous 32 KiB of input as a preset dictionary, ending in a sync flush
//! (the last chunk: the final block). The pieces are byte-aligned, so
//! written one after another they form one ordinary deflate stream; the
//! CRC-32 of the member is joined from per-chunk CRCs with
//! `crc32_combine`. Output is one normal gzip member that `gzip -d`
//! reads.

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

/// Fills `buf` from `r` as far as possible; returns the bytes read.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(buf.get_mut(n..).unwrap_or(&mut [])) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// One compressed chunk: (index, raw deflate piece, CRC-32 of the input).
type Piece = (usize, Vec<u8>, u32);

/// Chunks per batch and thread: workers take chunks from a shared counter,
/// so a slow chunk does not leave the other threads idle for long.
const CHUNKS_PER_THREAD: usize = 4;

/// Compresses the chunks of `data` (chunk 0 primed with `history`) on
/// `threads` workers; returns (packed piece, CRC-32) per chunk, in order.
fn compress_batch(
    data: &[u8],
    history: &[u8],
    level: i32,
    threads: usize,
    at_end: bool,
) -> io::Result<Vec<(Vec<u8>, u32)>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let chunks: Vec<&[u8]> = data.chunks(CHUNK).collect();
    let count = chunks.len();
    let next = AtomicUsize::new(0);
    let per_worker: Vec<io::Result<Vec<Piece>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(count.max(1)))
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(i) else { return Ok(done) };
                        let dict = match i.checked_sub(1).and_then(|p| chunks.get(p)) {
                            Some(prev) => prev.get(prev.len().saturating_sub(DICT)..).unwrap_or(&[]),
                            None => history,
                        };
                        let last = at_end && i + 1 == count;
                        done.push((i, piece(dict, chunk, level, last)?, crc32(chunk)));
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("worker panicked")))).collect()
    });
    let mut all = Vec::with_capacity(count);
    for r in per_worker {
        all.extend(r?);
    }
    all.sort_unstable_by_key(|&(i, _, _)| i);
    Ok(all.into_iter().map(|(_, p, c)| (p, c)).collect())
}

/// Compresses `input` into one gzip member on `threads` threads; returns
/// (bytes in, bytes out).
pub(crate) fn compress<R: Read, W: Write>(
    mut input: R,
    mut out: W,
    level: i32,
    threads: usize,
) -> io::Result<(u64, u64)> {
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
    let batch_len = threads * CHUNKS_PER_THREAD * CHUNK;
    let mut history: Vec<u8> = Vec::new();
    let mut batch = vec![0u8; batch_len];
    let mut n = read_full(&mut input, &mut batch)?;
    let mut next = vec![0u8; batch_len];
    loop {
        // Only a full batch can be followed by more input.
        let next_n = if n == batch_len { read_full(&mut input, &mut next)? } else { 0 };
        let at_end = next_n == 0;
        let data = batch.get(..n).unwrap_or(&[]);
        let pieces = compress_batch(data, &history, level, threads, at_end)?;
        for ((packed, c), chunk) in pieces.iter().zip(data.chunks(CHUNK)) {
            out.write_all(packed)?;
            written += packed.len() as u64;
            crc = crc32_combine(crc, *c, chunk.len() as u64);
            total += chunk.len() as u64;
        }
        if pieces.is_empty() {
            // Empty input: a lone final empty block.
            out.write_all(&[0x03, 0x00])?;
            written += 2;
        }
        if at_end {
            break;
        }
        history = data.get(data.len().saturating_sub(DICT)..).unwrap_or(&[]).to_vec();
        std::mem::swap(&mut batch, &mut next);
        n = next_n;
    }
    out.write_all(&crc.to_le_bytes())?;
    out.write_all(&(total as u32).to_le_bytes())?;
    out.flush()?;
    Ok((total, written + 8))
}
