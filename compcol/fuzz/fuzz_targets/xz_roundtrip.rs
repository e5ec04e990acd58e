//! Fuzz target: .xz and .lzma round trips at a fuzzer-chosen preset,
//! check, filter and block size.
#![no_main]
use compcol::xz::{BcjArch, Check, Filter, LzmaDecoder, LzmaEncoder, XzDecoder, XzEncoder, XzOptions};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (cfg, payload) = data.split_first().map_or((0, data), |(c, p)| (*c, p));
    let check = [Check::None, Check::Crc32, Check::Crc64, Check::Sha256][usize::from(cfg & 3)];
    let filters: &[Filter] = match (cfg >> 2) & 3 {
        0 => &[],
        1 => &[Filter::Bcj(BcjArch::X86, 0)],
        2 => &[Filter::Delta(2)],
        _ => &[Filter::Bcj(BcjArch::Arm64, 0), Filter::Delta(1)],
    };
    let mut opts = XzOptions::new(u32::from(cfg >> 4) % 3).check(check).filters(filters);
    if cfg & 0x80 != 0 {
        opts = opts.block_size(1000);
    }
    let packed = compcol::compress_to_vec(&mut XzEncoder::with_options(opts), payload).expect("encode");
    let plain = compcol::decompress_to_vec(&mut XzDecoder::new(), &packed, payload.len() + 1).expect("decode our own");
    assert!(plain == payload, "xz round trip changed the data");
    let packed = compcol::compress_to_vec(&mut LzmaEncoder::new(0), payload).expect("encode");
    let plain =
        compcol::decompress_to_vec(&mut LzmaDecoder::new(), &packed, payload.len() + 1).expect("decode our own");
    assert!(plain == payload, "lzma round trip changed the data");
});
