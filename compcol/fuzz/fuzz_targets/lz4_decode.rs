//! Fuzz target: LZ4 frames and raw blocks from arbitrary bytes (typed
//! errors are fine; panics, hangs and overruns are bugs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = compcol::decompress_to_vec(&mut compcol::lz4::Lz4Decoder::new(), data, 1 << 22);
    let _ = compcol::lz4::block::decompress(data, &mut vec![0u8; 1 << 16]);
});
