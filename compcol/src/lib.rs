//! compcol: every compression codec behind one streaming trait.
//!
//! The crate's centre is the [`Encoder`] / [`Decoder`] pair in [`codec`]:
//! a codec consumes a caller-owned input slice, writes into a caller-owned
//! output slice, keeps its state across calls and reports a [`Progress`]
//! (bytes consumed, bytes produced, [`Status`]). Everything else (I/O
//! adapters, the by-name factory, the CLI) is built on that pair, so every
//! codec works the same when fed one byte at a time with one byte of output
//! space.
//!
//! `no_std` + `alloc`; the `std` feature adds I/O adapters. compcol has no
//! runtime dependencies, so its [`Error`] is written by hand.
//!
//! Codecs, each behind its Cargo feature: `deflate` (RFC 1951), `zlib`
//! (RFC 1950), `gzip` (RFC 1952) and `store`. Around them: [`checksum`]
//! (CRC-32, Adler-32), [`Limited`] (output cap against decompression
//! bombs), [`compress_to_vec`] / [`decompress_to_vec`], `io` (flate2-style
//! `Read`/`Write` adapters, feature `std`) and `factory` (codecs by name,
//! format detection). The `simd` feature enables the only `unsafe` code
//! (PCLMULQDQ CRC-32, AVX2 Adler-32, chosen at run time); without it the
//! crate is `forbid(unsafe_code)`.
//!
//! ```
//! use compcol::{Decoder, Encoder, Flush, Status};
//! use compcol::store::{StoreDecoder, StoreEncoder};
//!
//! let mut enc = StoreEncoder::new();
//! let mut packed = [0u8; 16];
//! let p = enc.encode(b"hello", &mut packed, Flush::Finish)?;
//! assert_eq!((p.consumed, p.produced, p.status), (5, 5, Status::StreamEnd));
//!
//! let mut dec = StoreDecoder::new();
//! let mut plain = [0u8; 16];
//! let p = dec.decode(&packed[..5], &mut plain)?;
//! assert_eq!(&plain[..p.produced], b"hello");
//! # Ok::<(), compcol::Error>(())
//! ```
#![no_std]
#![cfg_attr(not(feature = "simd"), forbid(unsafe_code))]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "brotli")]
pub mod brotli;
#[cfg(feature = "bzip2")]
pub mod bzip2;
pub mod checksum;
pub mod codec;
#[cfg(feature = "deflate")]
pub mod deflate;
mod error;
#[cfg(feature = "factory")]
pub mod factory;
#[cfg(feature = "gzip")]
pub mod gzip;
#[doc(hidden)]
pub mod internal;
#[cfg(feature = "std")]
pub mod io;
mod limit;
#[cfg(feature = "lz4")]
pub mod lz4;
#[cfg(feature = "lzo")]
pub mod lzo;
#[cfg(feature = "lzw")]
pub mod lzw;
#[cfg(any(
    feature = "deflate",
    feature = "zstd",
    feature = "lz4",
    feature = "snappy",
    feature = "lzw",
    feature = "lzo",
    feature = "xz",
    feature = "bzip2",
    feature = "brotli"
))]
mod pending;
#[cfg(feature = "simd")]
mod simd;
#[cfg(feature = "snappy")]
pub mod snappy;
#[cfg(feature = "store")]
pub mod store;

#[cfg(test)]
pub(crate) mod testutil;
mod util;
#[cfg(any(feature = "lz4", feature = "snappy", feature = "zstd"))]
mod wildcopy;
#[cfg(feature = "xz")]
pub mod xz;
#[cfg(feature = "zlib")]
pub mod zlib;
#[cfg(feature = "zstd")]
pub mod zstd;

pub use codec::{Decoder, Encoder, Flush, Progress, Status};
pub use error::{Error, ErrorKind};
pub use limit::Limited;
pub use util::{compress_to_vec, decompress_to_vec};
