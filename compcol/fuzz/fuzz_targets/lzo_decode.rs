//! Fuzz target: lzop streams and raw LZO1X from arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = compcol::decompress_to_vec(&mut compcol::lzo::LzopDecoder::new(), data, 1 << 22);
    let _ = compcol::lzo::lzo1x::decompress(data, &mut vec![0u8; 1 << 16]);
});
