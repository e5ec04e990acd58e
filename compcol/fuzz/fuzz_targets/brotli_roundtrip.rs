//! Fuzz target: brotli round trip at a fuzzer-chosen quality and window.
#![no_main]
use compcol::brotli::{BrotliDecoder, BrotliEncoder};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (cfg, payload) = data.split_first().map_or((0, data), |(c, p)| (*c, p));
    let quality = u32::from(cfg % 12);
    let lgwin = 10 + u32::from(cfg / 12) % 15;
    let mut enc = BrotliEncoder::try_new(quality, lgwin).expect("valid parameters");
    let packed = compcol::compress_to_vec(&mut enc, payload).expect("encode");
    let plain =
        compcol::decompress_to_vec(&mut BrotliDecoder::new(), &packed, payload.len() + 1).expect("decode our own");
    assert!(plain == payload, "round trip changed the data");
});
