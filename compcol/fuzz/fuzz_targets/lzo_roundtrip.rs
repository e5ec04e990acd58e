//! Fuzz target: lzop round trip with LZO1X-1 or LZO1X-999.
#![no_main]
use compcol::lzo::{LzopDecoder, LzopEncoder};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (cfg, payload) = data.split_first().map_or((0, data), |(c, p)| (*c, p));
    let level = if cfg & 1 == 0 { 1 } else { 9 };
    let packed = compcol::compress_to_vec(&mut LzopEncoder::new(level), payload).expect("encode");
    let plain =
        compcol::decompress_to_vec(&mut LzopDecoder::new(), &packed, payload.len() + 1).expect("decode our own");
    assert!(plain == payload, "round trip changed the data");
});
