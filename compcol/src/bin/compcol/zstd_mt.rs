//! Multi-threaded zstd compression for `compcol -F zstd -T N`.
//!
//! Entry point: [`compress`]. The input is cut into jobs of [`job_size`]
//! bytes; a worker compresses each job as its own complete frame (content
//! size, checksum and dictionary id as the single-threaded path writes
//! them), and the frames are written in input order. A sequence of frames
//! is a valid zstd stream (RFC 8878 section 3.1), so `zstd -d` and our
//! decoder return the input. Jobs are independent: a match never crosses
//! a job boundary, which is why jobs span several windows.
//!
//! Job boundaries depend only on the level, `--long` and `--block-size`,
//! never on N or on how the input arrives, so the output is the same for
//! every N >= 2.

use crate::pool::{self, Chunks};
use compcol::zstd::{Options, ZstdEncoder};
use std::io::{self, Read, Write};

/// Smallest default job: below this the per-frame cost (header, fresh
/// entropy tables, a cold match finder) starts to show in the ratio.
const MIN_JOB: u64 = 4 << 20;
/// Largest default job: `IN_FLIGHT_PER_THREAD` jobs per thread are held
/// in memory, so this bounds memory for `--long=31` too.
const MAX_JOB: u64 = 128 << 20;

/// Input per job: `block_size` if given (`--block-size`), else four
/// windows (as zstd sizes its jobs) clamped to `MIN_JOB..=MAX_JOB`.
pub(crate) fn job_size(opts: &Options, block_size: Option<u64>) -> io::Result<usize> {
    let window_log = opts.window_log_value().map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let size = block_size.unwrap_or_else(|| (4u64 << window_log).clamp(MIN_JOB, MAX_JOB));
    usize::try_from(size).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "--block-size too large"))
}

/// One job as one complete frame; the pledged size puts the content size
/// in the header.
fn frame(opts: &Options, data: &[u8]) -> io::Result<Vec<u8>> {
    let codec = |e| io::Error::new(io::ErrorKind::InvalidInput, e);
    let mut enc = ZstdEncoder::with_options(&opts.clone().pledged_size(data.len() as u64)).map_err(codec)?;
    compcol::compress_to_vec(&mut enc, data).map_err(codec)
}

/// Compresses `input` into a sequence of zstd frames on `threads` threads;
/// returns (bytes in, bytes out).
pub(crate) fn compress<R: Read, W: Write>(
    input: R,
    mut out: W,
    opts: &Options,
    job: usize,
    threads: usize,
) -> io::Result<(u64, u64)> {
    let (mut read, mut written) = (0u64, 0u64);
    let mut chunks = Chunks::new(input, job);
    // Empty input arrives as one empty chunk: one empty frame, as the
    // single-threaded path writes.
    let next_job = || Ok(chunks.next_chunk()?.map(|c| c.data));
    let work = |data: Vec<u8>| -> io::Result<(Vec<u8>, u64)> { Ok((frame(opts, &data)?, data.len() as u64)) };
    let sink = |(packed, len): (Vec<u8>, u64)| -> io::Result<()> {
        out.write_all(&packed)?;
        written += packed.len() as u64;
        read += len;
        Ok(())
    };
    pool::run_ordered(threads, next_job, work, sink)?;
    out.flush()?;
    Ok((read, written))
}
