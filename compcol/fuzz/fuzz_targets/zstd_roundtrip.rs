//! Fuzz target: zstd compression with fuzzer-chosen level and chunking,
//! then decoding and comparing.
#![no_main]
use compcol::zstd::{ZstdDecoder, ZstdEncoder};
use compcol::{Encoder, Flush, Status};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (cfg, payload) = data.split_at(data.len().min(2));
    let c = |i: usize| cfg.get(i).copied().unwrap_or(0);
    let level = i32::from(c(0) % 30) - 7;
    let Ok(mut enc) = ZstdEncoder::new(level) else { return };
    let chunk = usize::from(c(1)).max(1);
    let mut packed = Vec::new();
    let mut out = vec![0u8; chunk.max(7)];
    let mut pos = 0;
    loop {
        let end = payload.len().min(pos + chunk);
        let flush = if end == payload.len() { Flush::Finish } else { Flush::None };
        let p = enc.encode(&payload[pos..end], &mut out, flush).expect("encoder failed on valid input");
        pos += p.consumed;
        packed.extend_from_slice(&out[..p.produced]);
        if p.status == Status::StreamEnd {
            break;
        }
    }
    let plain = compcol::decompress_to_vec(&mut ZstdDecoder::new(), &packed, payload.len() + 1)
        .expect("our own stream failed to decode");
    assert!(plain == payload, "round trip changed the data");
});
