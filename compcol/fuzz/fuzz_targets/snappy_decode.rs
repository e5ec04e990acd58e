//! Fuzz target: framed and raw Snappy from arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = compcol::decompress_to_vec(&mut compcol::snappy::SnappyDecoder::new(), data, 1 << 22);
    let _ = compcol::decompress_to_vec(&mut compcol::snappy::SnappyRawDecoder::with_limit(1 << 22), data, 1 << 22);
});
