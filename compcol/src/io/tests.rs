//! The io adapters against the codecs, with tiny reads and writes.

use super::read;
use super::write;
use super::*;
use alloc::vec::Vec;
use std::io::{Read, Write};

/// A reader that hands out at most `n` bytes per call.
struct Trickle<'a>(&'a [u8], usize);
impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.0.len().min(self.1).min(out.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fn sample() -> Vec<u8> {
    (0..50_000u32).map(|i| (i % 251) as u8 ^ (i / 1000) as u8).collect()
}

#[test]
fn gzip_both_directions_through_io() {
    let data = sample();
    let mut enc = write::GzEncoder::new(Vec::new(), Compression::new(6));
    for part in data.chunks(777) {
        enc.write_all(part).unwrap();
    }
    enc.flush().unwrap();
    let packed = enc.finish().unwrap();
    let mut plain = Vec::new();
    read::GzDecoder::new(Trickle(&packed, 3)).read_to_end(&mut plain).unwrap();
    assert_eq!(plain, data);

    let mut packed2 = Vec::new();
    read::GzEncoder::new(Trickle(&data, 1000), Compression::best()).read_to_end(&mut packed2).unwrap();
    let mut dec = write::GzDecoder::new(Vec::new());
    for part in packed2.chunks(5) {
        dec.write_all(part).unwrap();
    }
    assert_eq!(dec.finish().unwrap(), data);
}

#[test]
fn zlib_and_deflate_through_io_and_multi_member_reads() {
    let data = sample();
    let mut enc = write::ZlibEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(&data).unwrap();
    let packed = enc.finish().unwrap();
    let mut plain = Vec::new();
    read::ZlibDecoder::new(&packed[..]).read_to_end(&mut plain).unwrap();
    assert_eq!(plain, data);

    let mut enc = write::DeflateEncoder::new(Vec::new(), Compression::none());
    enc.write_all(&data).unwrap();
    let packed = enc.finish().unwrap();
    let mut plain = Vec::new();
    read::DeflateDecoder::new(Trickle(&packed, 100)).read_to_end(&mut plain).unwrap();
    assert_eq!(plain, data);

    // Two members, split so the boundary falls between reader buffers.
    let mut two = crate::gzip::compress_to_vec(&data, 6).unwrap();
    two.extend(crate::gzip::compress_to_vec(b"tail", 6).unwrap());
    let mut plain = Vec::new();
    read::GzDecoder::new(Trickle(&two, 4096)).read_to_end(&mut plain).unwrap();
    assert_eq!(plain.len(), data.len() + 4);
}

#[test]
fn truncated_and_corrupt_streams_are_io_errors() {
    let packed = crate::gzip::compress_to_vec(&sample(), 6).unwrap();
    let mut plain = Vec::new();
    let e = read::GzDecoder::new(&packed[..packed.len() - 3]).read_to_end(&mut plain).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    let mut bad = packed.clone();
    bad[20] ^= 0x40;
    let e = read::GzDecoder::new(&bad[..]).read_to_end(&mut Vec::new()).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    let inner = e.into_inner().unwrap();
    assert!(inner.downcast_ref::<crate::Error>().is_some());
    let mut dec = write::GzDecoder::new(Vec::new());
    dec.write_all(&packed[..packed.len() / 2]).unwrap();
    assert_eq!(dec.finish().unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
}

#[test]
fn capped_reader_stops_a_bomb() {
    let zeros = alloc::vec![0u8; 1 << 20];
    let packed = crate::gzip::compress_to_vec(&zeros, 9).unwrap();
    let dec = crate::Limited::new(crate::gzip::GzipDecoder::new(), 1000);
    let mut r = read::DecodeReader::with_decoder(&packed[..], dec);
    let e = r.read_to_end(&mut Vec::new()).unwrap_err();
    let inner = e.into_inner().unwrap();
    assert_eq!(inner.downcast_ref::<crate::Error>().unwrap().kind(), ErrorKind::OutputLimit);
}
