//! Shared corpus loading and peer wrappers for compcol's benches and the
//! `compare` ratio table.
//!
//! Entry points: [`corpus`] (files from `COMPCOL_CORPUS`, default
//! `../tests/data/corpus`), and per-library `compress_*` / `decompress_*`
//! helpers so every bench row calls the libraries the same way.

use std::io::{Read, Write};
use std::path::PathBuf;

pub mod timing;

/// The corpus directory: `$COMPCOL_CORPUS` or the copy in the tests.
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("COMPCOL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/corpus")))
}

/// (name, bytes) of every regular file in the corpus directory, sorted,
/// skipping READMEs and checksum lists.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(corpus_dir())
        .expect("corpus directory")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| !n.starts_with("README") && !n.starts_with("SHA1SUM") && !n.ends_with(".md"))
        .map(|(n, p)| (n, std::fs::read(p).expect("corpus file")))
        .collect();
    v.sort();
    v
}

/// compcol raw deflate.
pub fn compress_ours(data: &[u8], level: i32) -> Vec<u8> {
    compcol::deflate::compress_to_vec(data, level).expect("compcol compress")
}
/// compcol raw inflate.
pub fn decompress_ours(data: &[u8], size: usize) -> Vec<u8> {
    compcol::deflate::decompress_to_vec(data, size).expect("compcol decompress")
}
/// compcol gzip decode (inflate + CRC-32).
pub fn gunzip_ours(data: &[u8], size: usize) -> Vec<u8> {
    compcol::gzip::decompress_to_vec(data, size).expect("compcol gunzip")
}
/// flate2 (zlib-rs backend) raw deflate.
pub fn compress_zlibrs(data: &[u8], level: i32) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level as u32));
    e.write_all(data).expect("flate2 write");
    e.finish().expect("flate2 finish")
}
/// flate2 (zlib-rs backend) raw inflate.
pub fn decompress_zlibrs(data: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size);
    flate2::read::DeflateDecoder::new(data).read_to_end(&mut out).expect("flate2 read");
    out
}
/// flate2 (zlib-rs backend) gzip decode.
pub fn gunzip_zlibrs(data: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size);
    flate2::read::GzDecoder::new(data).read_to_end(&mut out).expect("flate2 gunzip");
    out
}
/// miniz_oxide raw deflate.
pub fn compress_miniz(data: &[u8], level: i32) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(data, level as u8)
}
/// miniz_oxide raw inflate.
pub fn decompress_miniz(data: &[u8], size: usize) -> Vec<u8> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(data, size).expect("miniz inflate")
}

/// compcol zstd at `level` (content size in the header, checksum on, as
/// the zstd tool writes).
pub fn zstd_compress_ours(data: &[u8], level: i32) -> Vec<u8> {
    compcol::zstd::compress_to_vec(data, level).expect("compcol zstd compress")
}
/// compcol zstd decode.
pub fn zstd_decompress_ours(data: &[u8], size: usize) -> Vec<u8> {
    compcol::zstd::decompress_to_vec(data, size).expect("compcol zstd decompress")
}
/// libzstd at `level`, with the content checksum on (compcol writes one).
pub fn zstd_compress_libzstd(data: &[u8], level: i32) -> Vec<u8> {
    let mut c = zstd::bulk::Compressor::new(level).expect("libzstd compressor");
    c.include_checksum(true).expect("libzstd checksum flag");
    c.compress(data).expect("libzstd compress")
}
/// libzstd decode.
pub fn zstd_decompress_libzstd(data: &[u8], size: usize) -> Vec<u8> {
    zstd::bulk::decompress(data, size).expect("libzstd decompress")
}

/// The `brotli` crate (pure-Rust port of the reference encoder) at
/// quality `q`, window 22: the brotli peer.
pub fn compress_brotli(data: &[u8], q: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 1 << 16, q, 22);
        w.write_all(data).expect("brotli crate");
    }
    out
}

/// Decodes with the `brotli` crate.
pub fn decompress_brotli(packed: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(packed, 1 << 16).read_to_end(&mut out).expect("brotli crate");
    out
}
