//! Fuzz target: brotli streams from arbitrary bytes, whole and fed in
//! fuzzer-sized pieces with a small output window (the two must agree).
#![no_main]
use compcol::brotli::BrotliDecoder;
use compcol::{Decoder, Status};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let whole = compcol::brotli::decompress_to_vec(data, 1 << 22);
    let Some((&step, stream)) = data.split_first() else { return };
    let step = usize::from(step % 16) + 1;
    let mut dec = BrotliDecoder::new();
    let (mut pos, mut out, mut buf) = (0, Vec::new(), [0u8; 7]);
    let mut idle = 0;
    let pieces = loop {
        let end = (pos + step).min(stream.len());
        match dec.decode(&stream[pos..end], &mut buf) {
            Ok(p) => {
                pos += p.consumed;
                out.extend_from_slice(&buf[..p.produced]);
                if p.status == Status::StreamEnd || out.len() > 1 << 22 {
                    break Some(out);
                }
                idle = if p.consumed == 0 && p.produced == 0 { idle + 1 } else { 0 };
                if idle > 2 {
                    break None;
                }
            }
            Err(_) => break None,
        }
    };
    // The whole-input run decodes the same bytes as the piecewise one.
    if let (Ok(w), Some(p)) = (compcol::brotli::decompress_to_vec(stream, 1 << 22), pieces) {
        assert!(w == p, "piecewise decoding differs");
    }
    let _ = whole;
});
