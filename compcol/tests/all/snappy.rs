//! Snappy against python-snappy (Debian's `python3-snappy`: libsnappy for
//! the raw format, the module's own framing code for `.sz`), both
//! directions, plus proptest round trips and decode-no-panic.
//!
//! Debian 12's python3-snappy 0.5.3 has a broken `_crc32c` under Python
//! 3.11 (`PY_SSIZE_T_CLEAN` SystemError), so the script swaps in a plain
//! table-driven CRC-32C of its own (checked against the standard value
//! first); chunking, masking and the chunk format stay python-snappy's.

use crate::common::{all_inputs, have, large_input, scratch};
use compcol::snappy::{SnappyDecoder, SnappyEncoder, SnappyRawDecoder, SnappyRawEncoder};
use compcol::{compress_to_vec, decompress_to_vec};
use proptest::prelude::*;
use std::process::Command;

const CAP: usize = 1 << 27;

const PY: &str = r#"
import os, sys, io
import snappy, snappy.snappy as core
def crc32c(data, _t=[]):
    if not _t:
        for n in range(256):
            c = n
            for _ in range(8):
                c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
            _t.append(c)
    c = 0xffffffff
    for b in data:
        c = (c >> 8) ^ _t[(c ^ b) & 0xff]
    return c ^ 0xffffffff
try:
    core._crc32c(b'123456789')
except SystemError:
    assert crc32c(b'123456789') == 0xE3069283
    core._crc32c = crc32c
d = sys.argv[1]
bad = []
for n in sorted(os.listdir(d)):
    if '.' in n: continue
    data = open(os.path.join(d, n), 'rb').read()
    out = io.BytesIO()
    snappy.stream_decompress(io.BytesIO(open(os.path.join(d, n + '.ours.sz'), 'rb').read()), out)
    if out.getvalue() != data: bad.append('framed ' + n)
    if snappy.uncompress(open(os.path.join(d, n + '.ours.raw'), 'rb').read()) != data: bad.append('raw ' + n)
    out = io.BytesIO()
    snappy.stream_compress(io.BytesIO(data), out)
    open(os.path.join(d, n + '.py.sz'), 'wb').write(out.getvalue())
    open(os.path.join(d, n + '.py.raw'), 'wb').write(snappy.compress(data))
if bad:
    print('\n'.join(bad)); sys.exit(1)
"#;

/// The Python interpreter that has the `snappy` module, if any.
fn snappy_python() -> Option<&'static str> {
    let found = ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|py| Command::new(py).args(["-c", "import snappy"]).output().is_ok_and(|o| o.status.success()));
    // `have` fails under CI and prints the loud skip otherwise.
    match found {
        Some(py) => Some(py),
        None => {
            have("python3-with-snappy-module", &[]);
            None
        }
    }
}

#[test]
fn python_snappy_both_directions_framed_and_raw() {
    let Some(py) = snappy_python() else { return };
    let dir = scratch("snappy");
    let mut inputs = all_inputs();
    inputs.push(("large".into(), large_input()));
    for (name, data) in &inputs {
        let n = name.replace('.', "_");
        std::fs::write(dir.join(&n), data).unwrap();
        std::fs::write(dir.join(format!("{n}.ours.sz")), compress_to_vec(&mut SnappyEncoder::new(), data).unwrap())
            .unwrap();
        std::fs::write(dir.join(format!("{n}.ours.raw")), compress_to_vec(&mut SnappyRawEncoder::new(), data).unwrap())
            .unwrap();
    }
    let out = Command::new(py).arg("-c").arg(PY).arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "python-snappy rejected our streams:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, data) in &inputs {
        let n = name.replace('.', "_");
        let framed = std::fs::read(dir.join(format!("{n}.py.sz"))).unwrap();
        assert!(decompress_to_vec(&mut SnappyDecoder::new(), &framed, CAP).unwrap() == *data, "framed {name}");
        let raw = std::fs::read(dir.join(format!("{n}.py.raw"))).unwrap();
        assert!(decompress_to_vec(&mut SnappyRawDecoder::new(), &raw, CAP).unwrap() == *data, "raw {name}");
        let mut one_shot = vec![0u8; compcol::snappy::raw::decompressed_len(&raw).unwrap()];
        compcol::snappy::raw::decompress(&raw, &mut one_shot).unwrap();
        assert!(one_shot == *data, "one-shot raw {name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn round_trips(data in proptest::collection::vec(0u8..5, 0..150_000)) {
        let packed = compress_to_vec(&mut SnappyEncoder::new(), &data).unwrap();
        prop_assert_eq!(decompress_to_vec(&mut SnappyDecoder::new(), &packed, CAP).unwrap(), data.clone());
        let raw = compress_to_vec(&mut SnappyRawEncoder::new(), &data).unwrap();
        prop_assert_eq!(decompress_to_vec(&mut SnappyRawDecoder::new(), &raw, CAP).unwrap(), data);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let mut framed = vec![0xff, 6, 0, 0, b's', b'N', b'a', b'P', b'p', b'Y'];
        framed.extend_from_slice(&bytes);
        let _ = decompress_to_vec(&mut SnappyDecoder::new(), &framed, 1 << 20);
        let _ = decompress_to_vec(&mut SnappyRawDecoder::with_limit(1 << 20), &bytes, 1 << 20);
        let _ = compcol::snappy::raw::decompress(&bytes, &mut vec![0u8; 1 << 16]);
    }
}
