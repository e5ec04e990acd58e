//! Fuzz target: bzip2 streams from arbitrary bytes (after a valid stream
//! and block header, so the fuzzer starts inside the block).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut s = b"BZh1\x31\x41\x59\x26\x53\x59".to_vec();
    s.extend_from_slice(data);
    let _ = compcol::bzip2::decompress_to_vec(&s, 1 << 22);
    let _ = compcol::bzip2::decompress_to_vec(data, 1 << 22);
});
