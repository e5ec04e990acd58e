//! Fuzz target: zstd decoding of arbitrary bytes with a 1 MiB window
//! limit, in odd-sized chunks, and in one shot (`decompress_all`): when
//! both succeed they must agree. Errors are fine; panics, hangs and
//! runaway allocation are bugs.
#![no_main]
use compcol::zstd::ZstdDecoder;
use compcol::{Decoder, Status};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let one_shot = ZstdDecoder::new().with_window_limit(1 << 20).decompress_all(data, 1 << 22);
    let mut dec = ZstdDecoder::new().with_window_limit(1 << 20);
    let mut out = vec![0u8; 1021];
    let mut got = Vec::new();
    let (mut pos, mut total, mut idle) = (0, 0usize, 0);
    while total < 1 << 22 {
        let end = data.len().min(pos + 97);
        let Ok(p) = dec.decode(&data[pos..end], &mut out) else { return };
        assert!(p.consumed <= end - pos && p.produced <= out.len(), "decoder overran its slices");
        pos += p.consumed;
        total += p.produced;
        got.extend_from_slice(&out[..p.produced]);
        if p.status == Status::StreamEnd && pos == data.len() {
            if let Ok(v) = &one_shot {
                assert!(*v == got, "one-shot and streaming decodes differ");
            }
            return;
        }
        idle = if p.consumed == 0 && p.produced == 0 { idle + 1 } else { 0 };
        if idle > 3 {
            assert!(pos == data.len() || matches!(p.status, Status::NeedDictionary(_)), "decoder stalled");
            return;
        }
    }
});
