//! Fuzz target: `.Z` round trip at a fuzzer-chosen code width.
#![no_main]
use compcol::lzw::{LzwDecoder, LzwEncoder};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (cfg, payload) = data.split_first().map_or((0, data), |(c, p)| (*c, p));
    let packed =
        compcol::compress_to_vec(&mut LzwEncoder::with_bits(u32::from(cfg % 7) + 10), payload).expect("encode");
    let plain = compcol::decompress_to_vec(&mut LzwDecoder::new(), &packed, payload.len() + 1).expect("decode our own");
    assert!(plain == payload, "round trip changed the data");
});
