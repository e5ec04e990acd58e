//! Fuzz target: LZ4 round trip at a fuzzer-chosen level and block mode.
#![no_main]
use compcol::lz4::{BlockSize, FrameOptions, Lz4Decoder, Lz4Encoder};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (cfg, payload) = data.split_first().map_or((0, data), |(c, p)| (*c, p));
    let opts =
        FrameOptions::new(i32::from(cfg % 12) + 1).block_size(BlockSize::Max64KiB).independent_blocks(cfg & 0x80 == 0);
    let packed = compcol::compress_to_vec(&mut Lz4Encoder::with_options(opts), payload).expect("encode");
    let plain = compcol::decompress_to_vec(&mut Lz4Decoder::new(), &packed, payload.len() + 1).expect("decode our own");
    assert!(plain == payload, "round trip changed the data");
});
