//! XXH64, the 64-bit xxHash: zstd's optional content checksum (the frame
//! stores the low 32 bits).
//!
//! Entry points: [`XxHash64`] (streaming) and [`xxhash64`] (one shot).
//! Written from the published xxHash specification.

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

#[inline(always)]
fn round(acc: u64, lane: u64) -> u64 {
    acc.wrapping_add(lane.wrapping_mul(P2)).rotate_left(31).wrapping_mul(P1)
}

#[inline(always)]
fn merge(acc: u64, v: u64) -> u64 {
    (acc ^ round(0, v)).wrapping_mul(P1).wrapping_add(P4)
}

#[inline(always)]
fn le64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(b.get(..8).unwrap_or(&[0; 8]));
    u64::from_le_bytes(a)
}

/// A streaming XXH64 state.
#[derive(Debug, Clone)]
pub struct XxHash64 {
    seed: u64,
    v: [u64; 4],
    buf: [u8; 32],
    buffered: usize,
    total: u64,
}

impl XxHash64 {
    /// A fresh state with `seed` (zstd uses 0).
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        Self {
            seed,
            v: [seed.wrapping_add(P1).wrapping_add(P2), seed.wrapping_add(P2), seed, seed.wrapping_sub(P1)],
            buf: [0; 32],
            buffered: 0,
            total: 0,
        }
    }

    fn stripe(v: &mut [u64; 4], s: &[u8]) {
        for (i, acc) in v.iter_mut().enumerate() {
            *acc = round(*acc, le64(s.get(i * 8..).unwrap_or(&[])));
        }
    }

    /// Feeds `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.buffered > 0 {
            let take = (32 - self.buffered).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.buf.get_mut(self.buffered..self.buffered + take) {
                dst.copy_from_slice(head);
            }
            self.buffered += take;
            data = rest;
            if self.buffered < 32 {
                return;
            }
            let buf = self.buf;
            Self::stripe(&mut self.v, &buf);
            self.buffered = 0;
        }
        let mut stripes = data.chunks_exact(32);
        let [mut a, mut b, mut c, mut d] = self.v;
        for s in &mut stripes {
            a = round(a, le64(s));
            b = round(b, le64(s.get(8..).unwrap_or(&[])));
            c = round(c, le64(s.get(16..).unwrap_or(&[])));
            d = round(d, le64(s.get(24..).unwrap_or(&[])));
        }
        self.v = [a, b, c, d];
        let rest = stripes.remainder();
        if let Some(dst) = self.buf.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.buffered = rest.len();
    }

    /// The hash of everything fed so far.
    #[must_use]
    pub fn digest(&self) -> u64 {
        let [a, b, c, d] = self.v;
        let mut h = if self.total >= 32 {
            let h = a
                .rotate_left(1)
                .wrapping_add(b.rotate_left(7))
                .wrapping_add(c.rotate_left(12))
                .wrapping_add(d.rotate_left(18));
            merge(merge(merge(merge(h, a), b), c), d)
        } else {
            self.seed.wrapping_add(P5)
        };
        h = h.wrapping_add(self.total);
        let tail = self.buf.get(..self.buffered).unwrap_or(&[]);
        let mut words = tail.chunks_exact(8);
        for w in &mut words {
            h = (h ^ round(0, le64(w))).rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        }
        let mut rest = words.remainder();
        if rest.len() >= 4 {
            let mut w = [0u8; 4];
            w.copy_from_slice(rest.get(..4).unwrap_or(&[0; 4]));
            h = (h ^ u64::from(u32::from_le_bytes(w)).wrapping_mul(P1))
                .rotate_left(23)
                .wrapping_mul(P2)
                .wrapping_add(P3);
            rest = rest.get(4..).unwrap_or(&[]);
        }
        for &byte in rest {
            h = (h ^ u64::from(byte).wrapping_mul(P5)).rotate_left(11).wrapping_mul(P1);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(P2);
        h ^= h >> 29;
        h = h.wrapping_mul(P3);
        h ^ (h >> 32)
    }
}

/// XXH64 of `data` with `seed`.
#[must_use]
pub fn xxhash64(data: &[u8], seed: u64) -> u64 {
    let mut h = XxHash64::new(seed);
    h.update(data);
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_and_streaming_agree() {
        // Reference values from the xxHash test suite / sanity checks.
        assert_eq!(xxhash64(b"", 0), 0xEF46_DB37_51D8_E999);
        assert_eq!(xxhash64(b"a", 0), 0xD24E_C4F1_A98C_6E5B);
        assert_eq!(xxhash64(b"abc", 0), 0x44BC_2CF5_AD77_0999);
        let data: alloc::vec::Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        let one = xxhash64(&data, 5);
        for split in [1, 3, 31, 32, 33, 100] {
            let mut h = XxHash64::new(5);
            for c in data.chunks(split) {
                h.update(c);
            }
            assert_eq!(h.digest(), one, "split {split}");
        }
    }
}
