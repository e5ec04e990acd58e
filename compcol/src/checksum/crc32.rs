//! CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320) as used by gzip.
//!
//! Entry points: [`Crc32`] (streaming), [`crc32`] (one shot) and
//! [`crc32_combine`]. The portable kernel is slicing-by-8 over tables built
//! at compile time; [`crate::simd`] provides PCLMULQDQ folding.

/// The reflected CRC-32 polynomial.
const POLY: u32 = 0xEDB8_8320;

/// Slicing-by-8 tables: `TABLES[k][b]` is the CRC of byte `b` followed by
/// `k` zero bytes.
static TABLES: [[u32; 256]; 8] = build_tables();

// Const evaluation: an out-of-range index fails the build, never a run.
#[allow(clippy::indexing_slicing)]
const fn build_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ POLY } else { c >> 1 };
            k += 1;
        }
        t[0][n] = c;
        n += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut n = 0;
        while n < 256 {
            let prev = t[k - 1][n];
            t[k][n] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            n += 1;
        }
        k += 1;
    }
    t
}

/// Byte-table lookup; `i` is masked to 0..=255 so the index is in bounds.
#[inline(always)]
fn tab(k: usize, i: u32) -> u32 {
    TABLES.get(k).and_then(|t| t.get((i & 0xff) as usize)).copied().unwrap_or(0)
}

/// Advances the raw (pre-inverted) CRC state over `data`, portably.
#[must_use]
pub fn update_portable(mut state: u32, data: &[u8]) -> u32 {
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let Ok([c0, c1, c2, c3, c4, c5, c6, c7]) = <[u8; 8]>::try_from(c) else { continue };
        let lo = u32::from_le_bytes([c0, c1, c2, c3]) ^ state;
        let hi = u32::from_le_bytes([c4, c5, c6, c7]);
        state = tab(7, lo)
            ^ tab(6, lo >> 8)
            ^ tab(5, lo >> 16)
            ^ tab(4, lo >> 24)
            ^ tab(3, hi)
            ^ tab(2, hi >> 8)
            ^ tab(1, hi >> 16)
            ^ tab(0, hi >> 24);
    }
    for &b in chunks.remainder() {
        state = (state >> 8) ^ tab(0, state ^ u32::from(b));
    }
    state
}

/// Advances the raw CRC state over `data` with the fastest kernel.
#[inline]
fn update(state: u32, data: &[u8]) -> u32 {
    #[cfg(all(feature = "simd", target_arch = "x86_64"))]
    if let Some(s) = crate::simd::crc32_update(state, data) {
        return s;
    }
    update_portable(state, data)
}

/// A streaming CRC-32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Crc32 {
    /// The inverted running CRC, so the default (0) is the empty message.
    state: u32,
}

impl Crc32 {
    /// A CRC over no bytes yet.
    #[must_use]
    pub const fn new() -> Self {
        Self { state: 0 }
    }

    /// Continues from a finished CRC value `crc` (e.g. of an earlier part).
    #[must_use]
    pub const fn from_value(crc: u32) -> Self {
        Self { state: crc }
    }

    /// Feeds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.state = !update(!self.state, data);
    }

    /// The CRC of everything fed so far.
    #[must_use]
    pub const fn value(&self) -> u32 {
        self.state
    }
}

/// The CRC-32 of `data`.
#[must_use]
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc32::new();
    c.update(data);
    c.value()
}

/// Multiplies two polynomials modulo the CRC polynomial (reflected bit order:
/// bit 31 is x^0).
fn mult_mod_poly(a: u32, mut b: u32) -> u32 {
    let mut product = 0;
    let mut m = 1u32 << 31;
    while m != 0 {
        if a & m != 0 {
            product ^= b;
        }
        b = if b & 1 != 0 { (b >> 1) ^ POLY } else { b >> 1 };
        m >>= 1;
    }
    product
}

/// x^(8 * n) modulo the CRC polynomial, by repeated squaring.
fn x_pow_8n(mut n: u64) -> u32 {
    let mut result = 1u32 << 31; // x^0
    let mut square = 1u32 << (31 - 8); // x^8
    while n != 0 {
        if n & 1 != 0 {
            result = mult_mod_poly(result, square);
        }
        square = mult_mod_poly(square, square);
        n >>= 1;
    }
    result
}

/// The CRC-32 of `a ++ b` from `crc_a = crc32(a)`, `crc_b = crc32(b)` and
/// `len_b = b.len()`, in O(log len_b): what parallel gzip uses to join
/// independently compressed pieces.
#[must_use]
pub fn crc32_combine(crc_a: u32, crc_b: u32, len_b: u64) -> u32 {
    mult_mod_poly(x_pow_8n(len_b), crc_a) ^ crc_b
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Bit at a time, straight from the polynomial.
    fn bitwise(data: &[u8]) -> u32 {
        crate::testutil::crc32_bitwise(POLY, data)
    }

    #[test]
    fn known_vectors() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
    }

    #[test]
    fn portable_matches_bitwise_and_streaming_matches_one_shot() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for len in [0, 1, 7, 8, 9, 63, 64, 65, 200, 1000] {
            let d = &data[..len];
            assert_eq!(!update_portable(!0, d), bitwise(d), "len {len}");
            assert_eq!(crc32(d), bitwise(d), "len {len}");
            let mut s = Crc32::new();
            for part in d.chunks(13) {
                s.update(part);
            }
            assert_eq!(s.value(), bitwise(d));
        }
    }

    #[test]
    fn combine_matches_concatenation() {
        let data: Vec<u8> = (0..3000u32).map(|i| (i * 7 + i / 5) as u8).collect();
        for split in [0, 1, 100, 1500, 2999, 3000] {
            let (a, b) = data.split_at(split);
            assert_eq!(crc32_combine(crc32(a), crc32(b), b.len() as u64), crc32(&data), "split {split}");
        }
    }
}
