//! A gzip bomb: 10 GiB of zeros in about 10 MB, produced by a streaming
//! generator (never stored), decoded through the capped API.

use compcol::checksum::crc32_combine;
use compcol::deflate::{DeflateEncoder, Options};
use compcol::gzip::GzipDecoder;
use compcol::io::read::DecodeReader;
use compcol::{Encoder, ErrorKind, Flush, Limited};
use std::io::Read;

const PIECE: usize = 1 << 20;
const TOTAL: u64 = 10 << 30;

/// Sync-flushed raw deflate of one MiB of zeros; `primed` assumes 32 KiB of
/// zeros already in the history (so it is all distance-1 matches).
fn piece(primed: bool) -> Vec<u8> {
    let mut opts = Options::new(9);
    if primed {
        opts = opts.dictionary(&[0; 32 * 1024]);
    }
    let mut enc = DeflateEncoder::with_options(&opts).unwrap();
    let mut out = vec![0u8; PIECE];
    let p = enc.encode(&vec![0; PIECE], &mut out, Flush::Sync).unwrap();
    out.truncate(p.produced);
    out
}

/// Yields the bomb's bytes on demand: gzip header, a first piece, the
/// primed piece repeated, a final empty block and the trailer.
struct Bomb {
    /// Parts still to send, in order (the repeats are expanded lazily).
    parts: std::collections::VecDeque<Vec<u8>>,
    repeat: Vec<u8>,
    repeats_left: u64,
    tail: Option<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Bomb {
    fn new() -> Self {
        let pieces = TOTAL / PIECE as u64;
        let zero_piece_crc = compcol::checksum::crc32(&vec![0; PIECE]);
        let mut crc = 0;
        for _ in 0..pieces {
            crc = crc32_combine(crc, zero_piece_crc, PIECE as u64);
        }
        let header = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        // Final empty fixed block (BFINAL=1, BTYPE=01, EOB), then trailer.
        let mut tail = vec![0x03, 0x00];
        tail.extend_from_slice(&crc.to_le_bytes());
        tail.extend_from_slice(&(TOTAL as u32).to_le_bytes());
        Self {
            parts: [header, piece(false)].into(),
            repeat: piece(true),
            repeats_left: pieces - 1,
            tail: Some(tail),
            cur: Vec::new(),
            pos: 0,
        }
    }

    /// Total compressed size.
    fn len(&self) -> u64 {
        let fixed: usize = self.parts.iter().map(Vec::len).sum::<usize>() + self.tail.as_ref().map_or(0, Vec::len);
        fixed as u64 + self.repeat.len() as u64 * self.repeats_left
    }
}

impl Read for Bomb {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.cur.len() {
            self.pos = 0;
            if let Some(p) = self.parts.pop_front() {
                self.cur = p;
            } else if self.repeats_left > 0 {
                self.repeats_left -= 1;
                self.cur.clone_from(&self.repeat);
            } else if let Some(t) = self.tail.take() {
                self.cur = t;
            } else {
                return Ok(0);
            }
        }
        let n = out.len().min(self.cur.len() - self.pos);
        out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[test]
fn ten_gib_bomb_hits_the_cap_with_bounded_memory() {
    let bomb = Bomb::new();
    let compressed = bomb.len();
    assert!(compressed < 20 << 20, "bomb is {compressed} bytes");
    let cap = 256 << 20;
    let mut r = DecodeReader::with_decoder(bomb, Limited::new(GzipDecoder::new(), cap));
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    let err = loop {
        match r.read(&mut buf) {
            Ok(0) => panic!("bomb decoded to the end without hitting the cap"),
            Ok(n) => {
                assert!(buf[..n].iter().all(|&b| b == 0));
                total += n as u64;
            }
            Err(e) => break e,
        }
    };
    assert_eq!(total, cap, "everything up to the cap is delivered, nothing past it");
    let inner = err.into_inner().unwrap();
    assert_eq!(inner.downcast_ref::<compcol::Error>().unwrap().kind(), ErrorKind::OutputLimit);
}
