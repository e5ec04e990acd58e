//! CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as the Snappy
//! framing format uses it (masked, see [`crc32c_masked`]).
//!
//! Entry points: [`Crc32c`] (streaming), [`crc32c`] (one shot) and
//! [`crc32c_masked`]. SSE4.2's `crc32` instruction where the CPU has it
//! (the `simd` module), else portable slicing-by-8 over tables built at
//! compile time; both are always compiled and tested against each other.

/// The reflected Castagnoli polynomial.
const POLY: u32 = 0x82F6_3B78;

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

#[inline(always)]
fn tab(k: usize, i: u32) -> u32 {
    TABLES.get(k).and_then(|t| t.get((i & 0xff) as usize)).copied().unwrap_or(0)
}

/// Advances the raw (pre-inverted) state over `data` with the fastest
/// kernel.
#[inline]
fn update(state: u32, data: &[u8]) -> u32 {
    #[cfg(all(feature = "simd", target_arch = "x86_64"))]
    if let Some(s) = crate::simd::crc32c_update(state, data) {
        return s;
    }
    update_portable(state, data)
}

/// Advances the raw (pre-inverted) state over `data`, eight bytes per
/// step through eight tables.
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

/// A streaming CRC-32C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Crc32c {
    state: u32,
}

impl Crc32c {
    /// A CRC over no bytes yet.
    #[must_use]
    pub const fn new() -> Self {
        Self { state: 0 }
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

/// The CRC-32C of `data`.
#[must_use]
pub fn crc32c(data: &[u8]) -> u32 {
    let mut c = Crc32c::new();
    c.update(data);
    c.value()
}

/// The Snappy framing format's masked CRC-32C: rotated right by 15 and
/// offset, so that a CRC over data containing CRCs stays well spread.
#[must_use]
pub fn crc32c_masked(data: &[u8]) -> u32 {
    crc32c(data).rotate_right(15).wrapping_add(0xa282_ead8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // The standard check value, and RFC 3720 (iSCSI) B.4 vectors.
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(&[0u8; 32]), 0x8A91_36AA);
        assert_eq!(crc32c(&[0xffu8; 32]), 0x62A8_AB43);
        let inc: alloc::vec::Vec<u8> = (0..32).collect();
        assert_eq!(crc32c(&inc), 0x46DD_794E);
    }

    /// Bit at a time, straight from the polynomial.
    fn bitwise(data: &[u8]) -> u32 {
        crate::testutil::crc32_bitwise(POLY, data)
    }

    #[test]
    fn portable_and_dispatched_kernels_agree_with_the_polynomial() {
        let data: alloc::vec::Vec<u8> = (0..600u32).map(|i| (i * 167 + 11) as u8).collect();
        for start in 0..9 {
            for len in 0..data.len() - start {
                let d = &data[start..start + len];
                let want = bitwise(d);
                assert_eq!(!update_portable(!0, d), want, "portable, start {start} len {len}");
                assert_eq!(!update(!0, d), want, "dispatched, start {start} len {len}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn dispatched_equals_portable(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..5000), seed: u32) {
            proptest::prop_assert_eq!(update(seed, &data), update_portable(seed, &data));
        }
    }

    #[test]
    fn streaming_equals_one_shot() {
        let data: alloc::vec::Vec<u8> = (0..1000u32).map(|i| (i * 31) as u8).collect();
        for split in 1..=17 {
            let mut c = Crc32c::new();
            for p in data.chunks(split) {
                c.update(p);
            }
            assert_eq!(c.value(), crc32c(&data));
        }
    }
}
