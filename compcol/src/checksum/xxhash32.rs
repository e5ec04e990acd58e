//! XXH32, the 32-bit xxHash, as the LZ4 frame format uses it for its
//! header, block and content checksums.
//!
//! Entry points: [`Xxh32`] (streaming) and [`xxh32`] (one shot). Written
//! from the xxHash specification (`doc/xxhash_spec.md`): four 32-bit lanes
//! over 16-byte stripes, then a tail of 4-byte and 1-byte steps, then an
//! avalanche.

const P1: u32 = 0x9E37_79B1;
const P2: u32 = 0x85EB_CA77;
const P3: u32 = 0xC2B2_AE3D;
const P4: u32 = 0x27D4_EB2F;
const P5: u32 = 0x1656_67B1;

#[inline(always)]
fn round(acc: u32, lane: u32) -> u32 {
    acc.wrapping_add(lane.wrapping_mul(P2)).rotate_left(13).wrapping_mul(P1)
}

#[inline(always)]
fn le32(b: &[u8]) -> u32 {
    match b {
        [a, b, c, d, ..] => u32::from_le_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}

/// A streaming XXH32.
///
/// Invariant: `buffered < 16`; `buf[..buffered]` holds the bytes of the
/// current incomplete stripe; `total` counts every byte fed.
#[derive(Debug, Clone)]
pub struct Xxh32 {
    seed: u32,
    lanes: [u32; 4],
    buf: [u8; 16],
    buffered: usize,
    total: u64,
}

impl Xxh32 {
    /// A hash over no bytes yet, with `seed` (LZ4 uses 0).
    #[must_use]
    pub const fn new(seed: u32) -> Self {
        Self {
            seed,
            lanes: [seed.wrapping_add(P1).wrapping_add(P2), seed.wrapping_add(P2), seed, seed.wrapping_sub(P1)],
            buf: [0; 16],
            buffered: 0,
            total: 0,
        }
    }

    fn stripes(&mut self, data: &[u8]) {
        let [mut v1, mut v2, mut v3, mut v4] = self.lanes;
        for s in data.chunks_exact(16) {
            let (a, rest) = s.split_at(4);
            let (b, rest) = rest.split_at(4);
            let (c, d) = rest.split_at(4);
            v1 = round(v1, le32(a));
            v2 = round(v2, le32(b));
            v3 = round(v3, le32(c));
            v4 = round(v4, le32(d));
        }
        self.lanes = [v1, v2, v3, v4];
    }

    /// Feeds `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        self.total += data.len() as u64;
        if self.buffered > 0 {
            let take = (16 - self.buffered).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.buf.get_mut(self.buffered..self.buffered + take) {
                dst.copy_from_slice(head);
            }
            self.buffered += take;
            data = rest;
            if self.buffered < 16 {
                return;
            }
            let stripe = self.buf;
            self.stripes(&stripe);
            self.buffered = 0;
        }
        let bulk = data.len() & !15;
        let (whole, tail) = data.split_at(bulk);
        self.stripes(whole);
        if let Some(dst) = self.buf.get_mut(..tail.len()) {
            dst.copy_from_slice(tail);
        }
        self.buffered = tail.len();
    }

    /// The hash of everything fed so far (the state is not consumed).
    #[must_use]
    pub fn digest(&self) -> u32 {
        let [v1, v2, v3, v4] = self.lanes;
        let mut h = if self.total >= 16 {
            v1.rotate_left(1)
                .wrapping_add(v2.rotate_left(7))
                .wrapping_add(v3.rotate_left(12))
                .wrapping_add(v4.rotate_left(18))
        } else {
            self.seed.wrapping_add(P5)
        };
        h = h.wrapping_add(self.total as u32);
        let tail = self.buf.get(..self.buffered).unwrap_or(&[]);
        let mut words = tail.chunks_exact(4);
        for w in &mut words {
            h = h.wrapping_add(le32(w).wrapping_mul(P3)).rotate_left(17).wrapping_mul(P4);
        }
        for &b in words.remainder() {
            h = h.wrapping_add(u32::from(b).wrapping_mul(P5)).rotate_left(11).wrapping_mul(P1);
        }
        h ^= h >> 15;
        h = h.wrapping_mul(P2);
        h ^= h >> 13;
        h = h.wrapping_mul(P3);
        h ^ (h >> 16)
    }
}

/// The XXH32 of `data` with `seed`.
#[must_use]
pub fn xxh32(data: &[u8], seed: u32) -> u32 {
    let mut h = Xxh32::new(seed);
    h.update(data);
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn known_values() {
        // Published reference values of XXH32.
        assert_eq!(xxh32(b"", 0), 0x02CC_5D05);
        assert_eq!(xxh32(b"a", 0), 0x550D_7456);
        assert_eq!(xxh32(b"abc", 0), 0x32D1_53FF);
        assert_eq!(xxh32(b"Nobody inspects the spammish repetition", 0), 0xE229_3B2F);
    }

    #[test]
    fn streaming_equals_one_shot_at_every_split() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for n in [0usize, 1, 5, 15, 16, 17, 33, 64, 299, 300] {
            let d = &data[..n];
            let want = xxh32(d, 0x1234);
            for split in 1..=17 {
                let mut h = Xxh32::new(0x1234);
                for c in d.chunks(split) {
                    h.update(c);
                }
                assert_eq!(h.digest(), want, "len {n} split {split}");
            }
        }
    }
}
