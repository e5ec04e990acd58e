//! Fuzz target: `.Z` streams from arbitrary bytes (after a valid header).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut s = vec![0x1f, 0x9d];
    s.extend_from_slice(data);
    let _ = compcol::decompress_to_vec(&mut compcol::lzw::LzwDecoder::new(), &s, 1 << 22);
});
