//! Fuzz target: .xz, .lzma and raw LZMA2 decoding of arbitrary bytes
//! (typed errors are fine; panics, hangs and overruns are bugs). The
//! memory limits keep a forged 4 GiB dictionary from being allocated.
#![no_main]
use compcol::xz::{Lzma2Decoder, LzmaDecoder, XzDecoder};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = compcol::decompress_to_vec(&mut XzDecoder::with_memlimit(1 << 24), data, 1 << 22);
    let _ = compcol::decompress_to_vec(&mut LzmaDecoder::with_memlimit(1 << 24), data, 1 << 22);
    let _ = compcol::decompress_to_vec(&mut Lzma2Decoder::new(1 << 16), data, 1 << 22);
});
