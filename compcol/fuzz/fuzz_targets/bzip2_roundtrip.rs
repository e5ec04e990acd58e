//! Fuzz target: bzip2 round trip at a fuzzer-chosen level, plain or with
//! randomised blocks.
#![no_main]
use compcol::bzip2::{Bzip2Decoder, Bzip2Encoder};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (cfg, payload) = data.split_first().map_or((0, data), |(c, p)| (*c, p));
    let mut enc = Bzip2Encoder::new(u32::from(cfg % 9) + 1);
    if cfg & 0x80 != 0 {
        enc = enc.with_randomised_blocks();
    }
    let packed = compcol::compress_to_vec(&mut enc, payload).expect("encode");
    let plain =
        compcol::decompress_to_vec(&mut Bzip2Decoder::new(), &packed, payload.len() + 1).expect("decode our own");
    assert!(plain == payload, "round trip changed the data");
});
