//! Fuzz target: framed and raw Snappy round trips.
#![no_main]
use compcol::snappy::{SnappyDecoder, SnappyEncoder, SnappyRawDecoder, SnappyRawEncoder};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let packed = compcol::compress_to_vec(&mut SnappyEncoder::new(), data).expect("encode");
    let plain = compcol::decompress_to_vec(&mut SnappyDecoder::new(), &packed, data.len() + 1).expect("decode our own");
    assert!(plain == data, "framed round trip changed the data");
    let raw = compcol::compress_to_vec(&mut SnappyRawEncoder::new(), data).expect("encode");
    let plain = compcol::decompress_to_vec(&mut SnappyRawDecoder::new(), &raw, data.len() + 1).expect("decode our own");
    assert!(plain == data, "raw round trip changed the data");
});
