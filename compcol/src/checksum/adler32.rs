//! Adler-32 (RFC 1950) as used by zlib.
//!
//! Entry points: [`Adler32`] (streaming), [`adler32`] (one shot) and
//! [`adler32_combine`]. [`crate::simd`] provides an AVX2 kernel.

/// The largest prime below 2^16.
pub(crate) const BASE: u32 = 65_521;
/// The most bytes that can be summed before `b` might overflow a `u32`:
/// the largest n with 255 n (n + 1) / 2 + (n + 1) (BASE - 1) < 2^32.
pub(crate) const NMAX: usize = 5552;

/// Advances the packed Adler-32 value (`b << 16 | a`) over `data`, portably.
#[must_use]
pub fn update_portable(adler: u32, data: &[u8]) -> u32 {
    let mut a = adler & 0xffff;
    let mut b = adler >> 16;
    for block in data.chunks(NMAX) {
        let mut quads = block.chunks_exact(4);
        for q in &mut quads {
            let Ok([q0, q1, q2, q3]) = <[u8; 4]>::try_from(q) else { continue };
            a += u32::from(q0);
            b += a;
            a += u32::from(q1);
            b += a;
            a += u32::from(q2);
            b += a;
            a += u32::from(q3);
            b += a;
        }
        for &x in quads.remainder() {
            a += u32::from(x);
            b += a;
        }
        a %= BASE;
        b %= BASE;
    }
    (b << 16) | a
}

#[inline]
fn update(adler: u32, data: &[u8]) -> u32 {
    #[cfg(all(feature = "simd", target_arch = "x86_64"))]
    if let Some(v) = crate::simd::adler32_update(adler, data) {
        return v;
    }
    update_portable(adler, data)
}

/// A streaming Adler-32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adler32 {
    /// `b << 16 | a`, both reduced modulo [`BASE`].
    value: u32,
}

impl Default for Adler32 {
    fn default() -> Self {
        Self::new()
    }
}

impl Adler32 {
    /// An Adler-32 over no bytes yet (value 1).
    #[must_use]
    pub const fn new() -> Self {
        Self { value: 1 }
    }

    /// Continues from a finished value.
    #[must_use]
    pub const fn from_value(adler: u32) -> Self {
        Self { value: adler }
    }

    /// Feeds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.value = update(self.value, data);
    }

    /// The Adler-32 of everything fed so far.
    #[must_use]
    pub const fn value(&self) -> u32 {
        self.value
    }
}

/// The Adler-32 of `data`.
#[must_use]
pub fn adler32(data: &[u8]) -> u32 {
    update(1, data)
}

/// The Adler-32 of `x ++ y` from `adler32(x)`, `adler32(y)` and `y.len()`.
///
/// With `a`/`b` the two halves: `a = a1 + a2 - 1` and
/// `b = b1 + b2 + len_y (a1 - 1)`, all modulo 65521.
#[must_use]
pub fn adler32_combine(adler_x: u32, adler_y: u32, len_y: u64) -> u32 {
    let base = u64::from(BASE);
    let rem = len_y % base;
    let a1 = u64::from(adler_x & 0xffff);
    let b1 = u64::from(adler_x >> 16);
    let a2 = u64::from(adler_y & 0xffff);
    let b2 = u64::from(adler_y >> 16);
    let a = (a1 + a2 + base - 1) % base;
    let b = (b1 + b2 + rem * ((a1 + base - 1) % base)) % base;
    ((b << 16) | a) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn naive(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + u32::from(x)) % BASE;
            b = (b + a) % BASE;
        }
        (b << 16) | a
    }

    #[test]
    fn known_vectors() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn portable_matches_naive_including_overflow_lengths() {
        let ff = vec![0xffu8; 3 * NMAX + 17];
        for len in [0, 1, 3, 4, 5, NMAX - 1, NMAX, NMAX + 1, 3 * NMAX + 17] {
            assert_eq!(update_portable(1, &ff[..len]), naive(&ff[..len]), "len {len}");
            assert_eq!(adler32(&ff[..len]), naive(&ff[..len]), "len {len}");
        }
    }

    #[test]
    fn combine_matches_concatenation() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 31 + i / 7) as u8).collect();
        for split in [0, 1, 5000, 19_999, 20_000] {
            let (x, y) = data.split_at(split);
            assert_eq!(adler32_combine(adler32(x), adler32(y), y.len() as u64), adler32(&data), "split {split}");
        }
    }
}
