//! TLS certificate compression (RFC 8879): the `compress_certificate`
//! extension's algorithm list, the CompressedCertificate message, and
//! compression and bounded decompression through compcol (feature
//! `cert-compression`).
//!
//! Entry points: [`CertificateCompressionAlgorithm`] (the code points, and
//! [`CertificateCompressionAlgorithm::DEFAULTS`] for the configs),
//! `CompressedCertificate::decode` / `encode`, [`compress`] and
//! [`decompress`]. Without the feature nothing is offered, so a peer's
//! CompressedCertificate is always `unexpected_message`.
//!
//! Invariant of [`decompress`]: nothing is allocated past the declared
//! `uncompressed_length`, which is checked against
//! [`MAX_HANDSHAKE_MESSAGE`] before any decoding, and the output must be
//! exactly that long.

use alloc::vec::Vec;
use core::fmt;

use super::codec::{Reader, put_u16, put_vec, put_vec24};
use super::error::{Error, decode};
use super::msgs::MAX_HANDSHAKE_MESSAGE;

/// A certificate compression algorithm (RFC 8879 section 7.3): an open
/// code point, unknown values round-trip and print as hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CertificateCompressionAlgorithm(pub u16);

impl CertificateCompressionAlgorithm {
    /// zlib (RFC 1950), 1.
    pub const ZLIB: Self = Self(1);
    /// brotli (RFC 7932), 2.
    pub const BROTLI: Self = Self(2);
    /// zstd (RFC 8878), 3.
    pub const ZSTD: Self = Self(3);

    /// What the configs offer by default, most preferred first: every
    /// algorithm this build implements (brotli, zstd, zlib) with the
    /// `cert-compression` feature, none without it.
    #[cfg(feature = "cert-compression")]
    pub const DEFAULTS: &'static [Self] = &[Self::BROTLI, Self::ZSTD, Self::ZLIB];
    /// What the configs offer by default: none without the
    /// `cert-compression` feature.
    #[cfg(not(feature = "cert-compression"))]
    pub const DEFAULTS: &'static [Self] = &[];

    /// The RFC's name for a known code point.
    #[must_use]
    pub const fn name(self) -> Option<&'static str> {
        match self.0 {
            1 => Some("zlib"),
            2 => Some("brotli"),
            3 => Some("zstd"),
            _ => None,
        }
    }

    /// Whether this build can compress and decompress with it.
    #[must_use]
    pub const fn is_supported(self) -> bool {
        cfg!(feature = "cert-compression") && matches!(self.0, 1..=3)
    }
}

impl fmt::Debug for CertificateCompressionAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "CertificateCompressionAlgorithm({:#06x})", self.0),
        }
    }
}

/// Why a CompressedCertificate was refused; every case is
/// `bad_certificate` on the wire (RFC 8879 section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertDecompressionError {
    /// The algorithm was not one we offered (or this build lacks it).
    AlgorithmNotOffered(CertificateCompressionAlgorithm),
    /// `uncompressed_length` is over the largest handshake message
    /// accepted ([`MAX_HANDSHAKE_MESSAGE`]).
    TooLarge(usize),
    /// The stream is corrupt or truncated, or decodes to more than
    /// `uncompressed_length` bytes (a decompression bomb stops there).
    Corrupt,
    /// The stream decoded to fewer bytes than `uncompressed_length`.
    LengthMismatch {
        /// What the message declared.
        declared: usize,
        /// What the stream held.
        actual: usize,
    },
}

impl fmt::Display for CertDecompressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AlgorithmNotOffered(a) => write!(f, "algorithm {a:?} not offered"),
            Self::TooLarge(n) => write!(f, "uncompressed_length {n} over {MAX_HANDSHAKE_MESSAGE}"),
            Self::Corrupt => f.write_str("corrupt stream, or longer than uncompressed_length"),
            Self::LengthMismatch { declared, actual } => {
                write!(f, "uncompressed_length {declared} but {actual} bytes decompressed")
            }
        }
    }
}

/// The `compress_certificate` extension body:
/// `CertificateCompressionAlgorithm algorithms<2..2^8-2>`.
pub(crate) fn decode_algorithms(e: &mut Reader<'_>) -> Result<Vec<CertificateCompressionAlgorithm>, Error> {
    let mut list = e.sub8()?;
    if list.is_empty() || list.rest().len() % 2 != 0 {
        return Err(decode("compress_certificate"));
    }
    let mut out = Vec::new();
    while !list.is_empty() {
        out.push(CertificateCompressionAlgorithm(list.u16()?));
    }
    Ok(out)
}

/// Encodes the extension body; the caller never passes an empty list
/// (configs are checked to hold at most [`MAX_ALGORITHMS`]).
pub(crate) fn encode_algorithms(out: &mut Vec<u8>, algorithms: &[CertificateCompressionAlgorithm]) {
    put_vec(out, 1, |o| algorithms.iter().for_each(|a| put_u16(o, a.0)));
}

/// Most algorithms a config may list (the extension's u8 length).
pub(crate) const MAX_ALGORITHMS: usize = 127;

/// Checks a config's list: supported, no duplicates, not too long.
pub(crate) fn check_config(algorithms: &[CertificateCompressionAlgorithm]) -> Result<(), Error> {
    if algorithms.len() > MAX_ALGORITHMS || !algorithms.iter().all(|a| a.is_supported()) {
        return Err(Error::Config { what: "certificate compression algorithms (feature cert-compression)" });
    }
    if algorithms.iter().enumerate().any(|(i, a)| algorithms.get(..i).is_some_and(|before| before.contains(a))) {
        return Err(Error::Config { what: "duplicate certificate compression algorithm" });
    }
    Ok(())
}

/// The first of `ours` (our preference order) that the peer offered.
pub(crate) fn choose(
    ours: &[CertificateCompressionAlgorithm],
    peer: &[CertificateCompressionAlgorithm],
) -> Option<CertificateCompressionAlgorithm> {
    ours.iter().copied().find(|a| a.is_supported() && peer.contains(a))
}

/// CompressedCertificate (RFC 8879 section 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CompressedCertificate<'a> {
    pub(crate) algorithm: CertificateCompressionAlgorithm,
    pub(crate) uncompressed_length: usize,
    pub(crate) compressed: &'a [u8],
}

impl<'a> CompressedCertificate<'a> {
    pub(crate) fn decode(body: &'a [u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "CompressedCertificate");
        let algorithm = CertificateCompressionAlgorithm(r.u16()?);
        let uncompressed_length = r.u24()?;
        let compressed = r.vec24()?;
        r.finish()?;
        if compressed.is_empty() {
            return Err(decode("CompressedCertificate"));
        }
        Ok(Self { algorithm, uncompressed_length, compressed })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_u16(out, self.algorithm.0);
        let len = u32::try_from(self.uncompressed_length).unwrap_or(u32::MAX).to_be_bytes();
        out.extend_from_slice(len.get(1..).unwrap_or_default());
        put_vec24(out, self.compressed);
    }
}

/// Decompresses `msg` into a Certificate body, if its algorithm is one of
/// `offered`. See the module's invariant.
pub(crate) fn decompress(
    msg: &CompressedCertificate<'_>,
    offered: &[CertificateCompressionAlgorithm],
) -> Result<Vec<u8>, Error> {
    let fail = Error::CertificateDecompression;
    if !offered.contains(&msg.algorithm) || !msg.algorithm.is_supported() {
        return Err(fail(CertDecompressionError::AlgorithmNotOffered(msg.algorithm)));
    }
    let declared = msg.uncompressed_length;
    if declared > MAX_HANDSHAKE_MESSAGE {
        return Err(fail(CertDecompressionError::TooLarge(declared)));
    }
    let out =
        codec::decompress(msg.algorithm, msg.compressed, declared).ok_or(fail(CertDecompressionError::Corrupt))?;
    if out.len() != declared {
        return Err(fail(CertDecompressionError::LengthMismatch { declared, actual: out.len() }));
    }
    Ok(out)
}

/// Compresses a Certificate body into a CompressedCertificate body.
pub(crate) fn compress(algorithm: CertificateCompressionAlgorithm, certificate: &[u8]) -> Result<Vec<u8>, Error> {
    let compressed =
        codec::compress(algorithm, certificate).ok_or(Error::Config { what: "certificate compression failed" })?;
    if compressed.is_empty() || compressed.len() >= 1 << 24 {
        return Err(Error::Config { what: "certificate compression failed" });
    }
    let msg = CompressedCertificate { algorithm, uncompressed_length: certificate.len(), compressed: &compressed };
    let mut out = Vec::new();
    msg.encode(&mut out);
    Ok(out)
}

/// How many compressed Certificate messages a server config keeps.
#[cfg(feature = "std")]
const CACHE_ENTRIES: usize = 8;

/// The CompressedCertificate bodies a server config has produced, keyed by
/// algorithm and the exact Certificate body: a server's chain (and
/// stapled OCSP response) is the same on every handshake, and compressing
/// it each time would cost each full handshake a compressor set-up (about
/// 1.25 MB of tables for brotli). Without `std` there is no lock, so
/// nothing is cached.
#[derive(Default)]
pub(crate) struct Cache {
    #[cfg(feature = "std")]
    entries: std::sync::Mutex<Vec<CacheEntry>>,
}

/// The algorithm, the Certificate body, and its CompressedCertificate body.
#[cfg(feature = "std")]
type CacheEntry = (CertificateCompressionAlgorithm, Vec<u8>, Vec<u8>);

impl Cache {
    /// [`compress`], answered from the cache when the same body was
    /// compressed with the same algorithm before.
    pub(crate) fn compress(
        &self,
        algorithm: CertificateCompressionAlgorithm,
        certificate: &[u8],
    ) -> Result<Vec<u8>, Error> {
        #[cfg(feature = "std")]
        if let Ok(entries) = self.entries.lock()
            && let Some((_, _, body)) = entries.iter().find(|(a, c, _)| *a == algorithm && c == certificate)
        {
            return Ok(body.clone());
        }
        let body = compress(algorithm, certificate)?;
        #[cfg(feature = "std")]
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHE_ENTRIES {
                entries.remove(0);
            }
            entries.push((algorithm, certificate.to_vec(), body.clone()));
        }
        Ok(body)
    }

    /// How many bodies are cached (the compression tests).
    #[cfg(all(test, feature = "cert-compression"))]
    pub(crate) fn len(&self) -> usize {
        #[cfg(feature = "std")]
        return self.entries.lock().map_or(0, |e| e.len());
        #[cfg(not(feature = "std"))]
        0
    }
}

#[cfg(feature = "cert-compression")]
mod codec {
    //! The three algorithms through compcol.

    use super::CertificateCompressionAlgorithm as Alg;
    use alloc::vec::Vec;
    use compcol::{Decoder, Status};

    /// Largest zstd window accepted: more than any certificate chain
    /// needs, and it bounds the decoder's memory (about twice this).
    const ZSTD_WINDOW_LIMIT: u64 = 1 << 20;

    /// Levels: each codec's usual default, a certificate is a few KiB.
    pub(super) fn compress(alg: Alg, data: &[u8]) -> Option<Vec<u8>> {
        match alg {
            Alg::ZLIB => compcol::zlib::compress_to_vec(data, 6).ok(),
            Alg::BROTLI => compcol::brotli::compress_to_vec(data, 5).ok(),
            Alg::ZSTD => compcol::zstd::compress_to_vec(data, 3).ok(),
            _ => None,
        }
    }

    /// Decodes one whole stream of exactly the bytes of `data` into at
    /// most `cap` bytes: a longer output, trailing input, a truncated or
    /// corrupt stream (or one needing a dictionary) is `None`. The buffer
    /// is `cap + 1` bytes, the extra byte revealing a stream that goes on.
    pub(super) fn decompress(alg: Alg, data: &[u8], cap: usize) -> Option<Vec<u8>> {
        match alg {
            Alg::ZLIB => run(&mut compcol::zlib::ZlibDecoder::new(), data, cap),
            Alg::BROTLI => run(&mut compcol::brotli::BrotliDecoder::new(), data, cap),
            Alg::ZSTD => run(&mut compcol::zstd::ZstdDecoder::new().with_window_limit(ZSTD_WINDOW_LIMIT), data, cap),
            _ => None,
        }
    }

    /// Calls in a row without progress before giving up (a decoder may
    /// change state once without moving a byte; never forever).
    const MAX_STALLS: usize = 4;

    fn run(dec: &mut impl Decoder, data: &[u8], cap: usize) -> Option<Vec<u8>> {
        let mut out = alloc::vec![0u8; cap.checked_add(1)?];
        let (mut pos, mut filled, mut stalls) = (0, 0, 0);
        loop {
            let p = dec.decode(data.get(pos..)?, out.get_mut(filled..)?).ok()?;
            pos += p.consumed;
            filled += p.produced;
            match p.status {
                Status::StreamEnd => break,
                Status::NeedInput | Status::NeedOutput if p.consumed == 0 && p.produced == 0 => {
                    stalls += 1;
                    if stalls > MAX_STALLS {
                        return None;
                    }
                }
                Status::NeedInput | Status::NeedOutput => stalls = 0,
                _ => return None,
            }
        }
        if pos != data.len() || filled > cap {
            return None;
        }
        out.truncate(filled);
        Some(out)
    }
}

#[cfg(not(feature = "cert-compression"))]
mod codec {
    //! Without the feature nothing is offered, so nothing is reached.

    use super::CertificateCompressionAlgorithm as Alg;
    use alloc::vec::Vec;

    pub(super) fn compress(_: Alg, _: &[u8]) -> Option<Vec<u8>> {
        None
    }

    pub(super) fn decompress(_: Alg, _: &[u8], _: usize) -> Option<Vec<u8>> {
        None
    }
}
