//! The work behind each `compcol` mode, on readers and writers.
//!
//! Entry points: [`compress`], [`decompress`] (also used for `-t` with a
//! sink) and [`sniff`], which picks the decoder from the magic bytes.

use compcol::factory;
use compcol::io::read::DecodeReader;
use compcol::io::write::EncodeWriter;
use std::io::{self, BufRead, BufReader, Read, Write};

/// Counts bytes written through it.
pub(crate) struct Counter<W> {
    pub(crate) inner: W,
    pub(crate) count: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn codec_err(e: compcol::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e)
}

/// Compresses `input` into `out` with codec `format`; returns (bytes in,
/// bytes out).
pub(crate) fn compress<R: Read, W: Write>(input: R, out: W, format: &str, level: i32) -> io::Result<(u64, u64)> {
    #[cfg(feature = "xz")]
    let xz = crate::zstd_cli::xz::encoder(format, level);
    #[cfg(not(feature = "xz"))]
    let xz = None;
    let enc = match (crate::zstd_cli::encoder(format, level), xz) {
        (Some(e), _) => e?,
        (None, Some(e)) => e,
        (None, None) => factory::encoder(format, level).map_err(codec_err)?,
    };
    let mut w = EncodeWriter::with_encoder(Counter { inner: out, count: 0 }, enc);
    let mut input = input;
    let n = io::copy(&mut input, &mut w)?;
    let mut counter = w.finish()?;
    counter.flush()?;
    Ok((n, counter.count))
}

/// Picks the format: `forced`, or by magic bytes from the buffered input.
pub(crate) fn sniff<R: Read>(input: &mut BufReader<R>, forced: Option<&str>) -> io::Result<&'static str> {
    if let Some(f) = forced {
        let name = factory::names().iter().find(|n| n.eq_ignore_ascii_case(f) || factory::extension(n) == Some(f));
        return name
            .copied()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("unknown format '{f}'")));
    }
    let prefix = input.fill_buf()?;
    factory::detect(prefix)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not in a known compressed format"))
}

/// Decompresses `input` into `out`; returns (bytes in, bytes out, whether
/// bytes followed the end of the stream).
pub(crate) fn decompress<R: Read, W: Write>(input: R, out: W, forced: Option<&str>) -> io::Result<(u64, u64, bool)> {
    let mut counted_in = BufReader::new(CountingReader { inner: input, count: 0 });
    let format = sniff(&mut counted_in, forced)?;
    #[cfg(feature = "xz")]
    let xz = crate::zstd_cli::xz::decoder(format);
    #[cfg(not(feature = "xz"))]
    let xz = None;
    let dec = match (crate::zstd_cli::decoder(format), xz) {
        (Some(d), _) => d?,
        (None, Some(d)) => d,
        (None, None) => factory::decoder(format).map_err(codec_err)?,
    };
    let mut r = DecodeReader::with_decoder(counted_in, dec);
    let mut w = Counter { inner: out, count: 0 };
    io::copy(&mut r, &mut w)?;
    w.flush()?;
    let mut trailing = !r.unconsumed().is_empty();
    let mut rest = r.into_inner();
    if !trailing {
        let mut one = [0u8; 1];
        trailing = rest.read(&mut one)? > 0;
    }
    let read = rest.into_inner().count;
    Ok((read, w.count, trailing))
}

/// Counts bytes read through it.
struct CountingReader<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}
