//! compcol's one integration test binary: interop with gzip, pigz,
//! Python's zlib, zstd and bz2, the 10 GiB gzip bomb, proptest round trips, and the CLI.
//!
//! Tests that need an external tool fail when it is missing under CI (the
//! `CI` environment variable is set) and are skipped loudly otherwise.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs,
    unreachable_pub
)]

#[path = "all/bomb.rs"]
mod bomb;
#[cfg(feature = "brotli")]
#[path = "all/brotli.rs"]
mod brotli;
#[cfg(feature = "bzip2")]
#[path = "all/bzip2.rs"]
mod bzip2;
#[path = "all/cli.rs"]
mod cli;
// Helpers for the codec modules: with only the default codecs compiled,
// the ones for xz, bzip2, LZ4... have no caller.
#[cfg_attr(not(feature = "all"), allow(dead_code))]
#[path = "all/common.rs"]
mod common;
#[path = "all/interop.rs"]
mod interop;
#[cfg(feature = "lz4")]
#[path = "all/lz4.rs"]
mod lz4;
#[cfg(feature = "lzo")]
#[path = "all/lzo.rs"]
mod lzo;
#[cfg(feature = "lzw")]
#[path = "all/lzw.rs"]
mod lzw;
#[path = "all/props.rs"]
mod props;
#[cfg(feature = "snappy")]
#[path = "all/snappy.rs"]
mod snappy;
#[cfg(feature = "xz")]
#[path = "all/xz.rs"]
mod xz;
#[cfg(feature = "zstd")]
#[path = "all/zstd.rs"]
mod zstd;
#[cfg(feature = "zstd")]
#[path = "all/zstd_mt.rs"]
mod zstd_mt;
